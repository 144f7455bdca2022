"""Catalogue section: the command palette's names and the help screen's lessons (issue 10).

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English). ``cmd.*`` are palette
names and the one-line help of each app action (widgets/commands.py builds the palette, the
help screen and checks the footer from one registry); ``help.*`` are the help screen's
sections, which teach the keys every screen shares.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- one line per action: the palette's help column and the help screen's key list ------
    "cmd.next": ("다음 단계로 — 규칙이나 게이트가 막으면 사유를 묻습니다",
                 "To the next phase — a rule or gate that does not hold asks for a reason"),
    "cmd.prev": ("이전 단계로", "To the previous phase"),
    "cmd.save": ("지금 저장 (자동 저장은 0.5초마다)", "Save now (autosave runs every half second)"),
    "cmd.pane": ("입력 ↔ 미리보기 (100칸 미만에서는 한 창씩)", "Form ↔ preview (one pane at a time below 100 columns)"),
    "cmd.checklist": ("§10 체크리스트 창을 보이고 포커스", "Show and focus the §10 checklist pane"),
    "cmd.copy": ("미리보기 텍스트를 클립보드로 (OSC 52: SSH에서도, tmux는 set-clipboard on)",
                 "Copy the previewed text (OSC 52: works over SSH; tmux needs set-clipboard on)"),
    "cmd.export": ("미리보기 텍스트를 파일로 (0600) — 복사가 도착하지 않을 때",
                   "Write the previewed text to a file (0600) — when a copy does not arrive"),
    "cmd.format": ("미리보기 형식: 렌더링 / Markdown 원문 / Jira wiki",
                   "Preview as rendered Markdown / Markdown source / Jira wiki markup"),
    "cmd.artifact": ("이 단계의 다음 텍스트", "The phase's next text"),
    "cmd.run_step": ("다음 원격 단계 실행 (Jira, git, GitHub)", "Run the next remote step (Jira, git, GitHub)"),
    "cmd.run_checks": ("점검 전체 실행 (terraform fmt/init/validate/plan, kubectl)",
                       "Run every check (terraform fmt/init/validate/plan, kubectl)"),
    "cmd.rerun": ("선택한 점검 다시 실행", "Re-run the selected check"),
    "cmd.cancel_run": ("실행 중인 명령 취소 (프로세스 그룹째)", "Cancel the running command (its whole process group)"),
    "cmd.log_size": ("명령 로그 창 크기 바꾸기", "Resize the command log"),
    "cmd.note": ("타임라인에 메모 추가 (지금 시각)", "Add a note to the timeline (now)"),
    "cmd.home": ("초안 목록으로 (먼저 저장)", "Back to the drafts list (saved first)"),
    "cmd.help": ("이 도움말", "This help"),
    "cmd.quit": ("저장하고 종료", "Save and quit"),
    "cmd.new": ("새 초안을 만들고 §1 분류부터", "Start a new draft at §1 Triage"),
    "cmd.open": ("선택한 초안을 남긴 단계에서 열기", "Open the selected draft where it was left"),
    "cmd.delete": ("선택한 초안 삭제 (백업은 .trash/)", "Delete the selected draft (a backup goes to .trash/)"),
    "cmd.refresh": ("초안 목록 다시 읽기", "Read the drafts list again"),
    "cmd.palette": ("모든 명령을 한국어나 영어로 찾기", "Find any command, in Korean or English"),
    "cmd.reload": ("다시 불러오기 (충돌 후)", "Reload after a conflict"),
    "cmd.reload_help": ("내 변경은 사본으로 저장하고 디스크의 초안을 다시 엽니다",
                        "Keep your version as a copy, then open what is on disk"),
    "cmd.phase_help": ("이 단계 화면으로 이동", "Go to this phase's screen"),
    "cmd.step_help": ("{system} 원격 단계 (F8은 다음 단계)", "{system} remote step (F8 runs the next one)"),
    # Textual's own commands, translated; listed after the app's.
    "cmd.theme": ("테마", "Theme"),
    "cmd.theme_help": ("색 테마 바꾸기", "Change the colour theme"),
    "cmd.keys": ("키 패널", "Keys panel"),
    "cmd.keys_help": ("포커스된 입력칸의 키와 모든 키를 옆에 보이기/숨기기",
                      "Show/hide the focused widget's keys and every key beside the screen"),
    "cmd.maximize": ("최대화", "Maximize"),
    "cmd.maximize_help": ("포커스된 칸을 화면 가득", "Maximize the focused widget"),
    "cmd.minimize": ("원래 크기", "Minimize"),
    "cmd.minimize_help": ("최대화한 칸을 원래 크기로", "Restore the maximized widget"),
    "cmd.screenshot": ("스크린샷", "Screenshot"),
    "cmd.screenshot_help": ("현재 화면을 SVG 파일로 저장", "Save the screen as an SVG file"),
    "cmd.textual": ("Textual: {title}", "Textual: {title}"),
    # -- the help screen --------------------------------------------------------------------
    "help.keys_title": ("키", "Keys"),
    "help.move_title": ("이동", "Moving around"),
    "help.move": (
        "tab / shift+tab: 다음 / 이전 입력칸. 목록과 표(체크 항목, 타임라인)는 한 번의 Tab으로 들어가고 "
        "그 안에서는 ↑/↓로 움직입니다.\n"
        "ctrl+n / ctrl+p: 다음 / 이전 단계 (맨 위 단계 표시줄에서 ←/→ 후 enter로 바로 이동도 가능).\n"
        "ctrl+g: 명령 팔레트 — 한국어나 영어로 찾습니다 (\"복사\"/\"copy\", \"도움말\"/\"help\", \"jira\", 단계 이름).",
        "tab / shift+tab: next / previous field. A list or table (checklist rows, the timeline) is one Tab "
        "stop; inside it ↑/↓ move.\n"
        "ctrl+n / ctrl+p: next / previous phase (or ←/→ then enter on the phase bar at the top).\n"
        "ctrl+g: command palette — search in Korean or English (\"복사\"/\"copy\", \"도움말\"/\"help\", \"jira\", "
        "a phase's name).",
    ),
    "help.gates_title": ("게이트: 단계를 넘어가는 조건", "Gates: what lets you leave a phase"),
    "help.gates": (
        "ctrl+n은 이 단계의 규칙(✗ 표시)과 게이트가 모두 맞을 때 그냥 넘어갑니다. 게이트: 수정·점검은 "
        "fmt/init/validate 통과와 현재 파일의 plan, 검증은 §5.1 항목 모두 체크, PR은 PR 번호, 머지·배포는 "
        "머지·브랜치 정리·JIRA 완료(사실로 기록), apply와 [monitor] minutes 동안의 모니터링.\n"
        "통과하려면: 입력칸 아래 ✗ 메시지와 아래 상태줄이 빠진 것을 말합니다 — 채우거나 점검(F8)을 돌리세요.\n"
        "그래도 넘어가려면(override): 뜨는 창에 사유를 쓰고 enter — 누가·언제·왜가 타임라인과 보고서에 "
        "남습니다. esc는 머무름, 빈 사유는 거절. 명령줄에서는 --reason \"사유\" (hotfix validate가 목록을 보여 줍니다).",
        "ctrl+n simply moves on when this phase's rules (marked ✗) and its gate hold. The gates: Fix & checks "
        "needs fmt/init/validate passed and a plan on the current files, Verify every §5.1 item ticked, Pull "
        "request its number, Merge & deploy the merge, branch clean-up and Jira done as facts, the apply and "
        "[monitor] minutes of monitoring.\n"
        "To pass: the ✗ lines under the fields and the status line at the bottom say what is missing — fill it "
        "in or run the checks (F8).\n"
        "To go on anyway (override): type the reason in the prompt and press enter — who, when and why go on "
        "the timeline and into the report. esc stays; an empty reason is refused. On the command line: "
        "--reason \"why\" (hotfix validate lists the gates).",
    ),
    "help.lists_title": ("체크 항목 목록 (§5.1, §6.2 테스트, Follow-up)", "Checklist rows (§5.1, §6.2 tests, follow-ups)"),
    "help.lists": (
        "한 번의 Tab으로 들어갑니다. ↑/↓ 이동, space 체크, enter 항목 글 고치기(작은 창), a 추가, "
        "delete 지우기 (글이 있으면 y/n으로 확인).",
        "One Tab stop. ↑/↓ move, space ticks, enter edits the row's text (a small dialog), a adds, "
        "delete removes (asks y/n when the row has text).",
    ),
    "help.timeline_title": ("타임라인 표", "The timeline table"),
    "help.timeline": (
        "한 번의 Tab으로 들어갑니다. ↑/↓ 이동, a 지금 시각으로 추가, b 지난 시각으로 추가(시각을 묻습니다), "
        "enter 고치기, m 마일스톤 표시 켜기/끄기, delete 지우기. 시각 칸은 시각만 받습니다 (HH:MM, "
        "YYYY-MM-DD HH:MM, 뒤에 KST/UTC/+09:00). ctrl+t는 어느 화면에서나 지금 시각 메모를 추가합니다.",
        "One Tab stop. ↑/↓ move, a adds one now, b adds one backdated (asks for the time), enter edits, "
        "m toggles the milestone mark, delete removes. A time cell takes only a time (HH:MM, "
        "YYYY-MM-DD HH:MM, optionally KST/UTC/+09:00). ctrl+t adds a note stamped now from any screen.",
    ),
    "help.pane_title": ("§10 체크리스트 창", "The §10 checklist pane"),
    "help.pane": (
        "F3으로 보이고 포커스합니다. ↑/↓ 이동, space 수동 항목 체크 (앱이 사실로 체크한 항목은 언제·왜 "
        "체크됐는지 보여 줍니다; 사실 없이 체크하면 사유를 묻습니다), esc 입력칸으로 돌아가기.",
        "F3 shows and focuses it. ↑/↓ move, space ticks a manual item (an item the app ticked from a fact "
        "says when and why; ticking one with no fact behind it asks for a reason), esc goes back to the form.",
    ),
    "help.dialogs_title": ("확인 창", "Dialogs"),
    "help.dialogs": (
        "y 또는 enter = 예/기본 동작, n 또는 esc = 아니요/취소. 버튼에 키가 적혀 있습니다.",
        "y or enter = yes / the primary action, n or esc = no / cancel. The buttons show their keys.",
    ),
    "help.undo_title": ("되돌리기", "Undo"),
    "help.undo": (
        "입력칸 안에서 ctrl+z 되돌리기, ctrl+y 다시 하기 (칸마다). alt+z는 초안 전체에서 마지막으로 바꾼 "
        "칸의 이전 값을 되살립니다 (최근 몇 개까지; 팔레트 \"되돌리기 / undo last change\"). "
        "포커스를 옮겨도 글은 선택되지 않으므로 다음 키가 글을 지우지 않습니다.",
        "Inside a field ctrl+z undoes, ctrl+y redoes (per field). alt+z restores the previous value of the "
        "field edited last, anywhere in the draft (a short history; palette \"되돌리기 / undo last change\"). "
        "Focusing a field never selects its text, so the next key does not wipe it.",
    ),
    "help.copy_title": ("SSH에서 복사하기", "Copying over SSH"),
    "help.copy": (
        "F4는 미리보기 텍스트를 OSC 52 이스케이프 시퀀스로 터미널에 보냅니다. 클립보드에 넣는 것은 앱이 아니라 "
        "지금 앞에 있는 컴퓨터의 터미널이라서 SSH 너머에서도 동작합니다. 앱은 터미널이 받아들였는지 알 수 없습니다.\n"
        "tmux 안에서는 ~/.tmux.conf에 set -g set-clipboard on 을 넣고 tmux source-file ~/.tmux.conf 하세요 "
        "(tmux 기본값 external은 앱의 OSC 52를 버립니다). 터미널이 OSC 52를 허용해야 합니다 (iTerm2: "
        "'Applications in terminal may access clipboard'; macOS 기본 터미널은 지원하지 않음).\n"
        "붙여 넣어도 아무것도 없으면: F5로 파일에 쓰고 (0600, 기본은 초안 폴더 옆 exports/) scp나 cat으로 가져오세요.",
        "F4 sends the previewed text to the terminal as an OSC 52 escape sequence. The terminal on the machine "
        "in front of you, not the app, puts it on the clipboard, so it works over SSH. The app cannot tell "
        "whether the terminal took it.\n"
        "Inside tmux put set -g set-clipboard on in ~/.tmux.conf and run tmux source-file ~/.tmux.conf (tmux's "
        "default, external, drops an application's OSC 52). The terminal must allow OSC 52 (iTerm2: "
        "'Applications in terminal may access clipboard'; macOS Terminal does not support it).\n"
        "If a paste brings nothing: F5 writes the text to a file (0600, by default in exports/ beside the "
        "drafts folder); fetch it with scp or cat.",
    ),
    "help.home": (
        "초안 목록: n 새 hotfix, enter 열기, d 삭제 (백업은 .trash/), r 새로고침, q 종료. "
        "ctrl+g 명령 팔레트는 한국어나 영어로 찾습니다.",
        "Drafts list: n new hotfix, enter opens, d deletes (a backup goes to .trash/), r refreshes, q quits. "
        "ctrl+g, the command palette, searches in Korean or English.",
    ),
}
