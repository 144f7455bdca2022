"""The message catalogue: every user-facing sentence, in Korean and English, in one place.

Screens, validation and the CLI look sentences up here by key instead of scattering
literals, so ``[ui] language`` switches all of them at once. Format fields use
``str.format`` names.
"""

from __future__ import annotations

LANGUAGES = ("ko", "en")

# key: (Korean, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # -- validation (workflow/validation.py) ----------------------------------------
    "v.summary_missing": (
        "문제 요약을 입력하세요 (§2.1 제목: [HOTFIX] {{문제 요약}})",
        "Type a problem summary (§2.1 title: [HOTFIX] {{summary}})",
    ),
    "v.title_prefix": (
        "제목은 '[HOTFIX] '로 시작해야 합니다 (§2.1): 지금은 {title!r}",
        "The title must start with '[HOTFIX] ' (§2.1); it is {title!r}",
    ),
    "v.priority_missing": (
        "우선순위를 고르세요: Hotfix는 Critical 또는 High (§2.1)",
        "Choose a priority: a hotfix is Critical or High (§2.1)",
    ),
    "v.priority_not_hotfix": (
        "우선순위 {priority}는 Hotfix 대상이 아닙니다 (§1.2): Critical/High로 올리거나 일반 버그 수정 경로를 택하세요",
        "Priority {priority} is not a hotfix (§1.2): raise it to Critical/High or take the regular bug-fix path",
    ),
    "v.label_missing": (
        "레이블에 'hotfix'를 넣으세요 (§2.1)",
        "Add the 'hotfix' label (§2.1)",
    ),
    "v.key_missing": (
        "아직 JIRA 키가 없습니다: 백로그를 만들거나 키를 직접 입력하세요 ({project}-NN)",
        "No Jira key yet: create the ticket or type its key ({project}-NN)",
    ),
    "v.key_format": (
        "JIRA 키 {key!r}가 프로젝트 {project}와 맞지 않습니다: {project}-15 같은 형식이어야 합니다",
        "Jira key {key!r} does not match project {project}: it should look like {project}-15",
    ),
    "v.slug_needed": (
        "요약에 영문 단어가 없어 브랜치 설명을 만들 수 없습니다: 'metallb-ip-pool-fix'처럼 영문 소문자와 '-'로 입력하세요",
        "The summary has no ASCII words to name the branch: type a slug such as 'metallb-ip-pool-fix'",
    ),
    "v.slug_format": (
        "브랜치 설명 {slug!r}는 영문 소문자/숫자 단어를 '-'로 이은 형식이어야 합니다 (예: metallb-ip-pool-fix)",
        "Slug {slug!r} must be lowercase ASCII words joined by '-' (e.g. metallb-ip-pool-fix)",
    ),
    "v.branch_format": (
        "브랜치 {branch!r}가 §3.1 형식 {expected}과 다릅니다",
        "Branch {branch!r} does not follow §3.1: {expected}",
    ),
    "v.branch_ref": (
        "브랜치 {branch!r}는 git에서 쓸 수 없는 이름입니다: {why}",
        "Branch {branch!r} is not a valid git ref name: {why}",
    ),
    "v.commit_subject": (
        "커밋 제목 {subject!r}이 §4.2 형식 '[{key}] hotfix: {{문제 요약}}'과 다릅니다",
        "Commit subject {subject!r} does not follow §4.2: '[{key}] hotfix: {{summary}}'",
    ),
    "v.commit_subject_long": (
        "커밋 제목이 {width}칸입니다: 72칸 이하가 읽기 좋습니다",
        "The commit subject is {width} columns wide; 72 or less reads best",
    ),
    "v.required": (
        "{field}을(를) 채우세요",
        "Fill in {field}",
    ),
    "v.repro_expected": (
        "재현 방법에 예상 결과와 실제 결과를 적으세요 (§2.2)",
        "Add expected vs actual results to the reproduction steps (§2.2)",
    ),
    "v.triage_severity": (
        "심각도를 고르세요 (§1.1)",
        "Choose a severity (§1.1)",
    ),
    "v.triage_kind": (
        "어떤 종류의 변경인지 고르세요 (§1.2)",
        "Choose what kind of change this is (§1.2)",
    ),
    "v.not_hotfix_kind": (
        "{kind}은(는) Hotfix 대상이 아닙니다 (§1.2)",
        "{kind} is not a hotfix (§1.2)",
    ),
    "v.not_hotfix_severity": (
        "{severity} 우선순위 버그는 Hotfix 대상이 아닙니다 (§1.2)",
        "A {severity} bug is not a hotfix (§1.2)",
    ),
    "v.not_urgent": (
        "즉시 수정이 필요하지 않으면 Hotfix가 아닙니다 (§1.1 긴급성)",
        "Not needed right now, so not a hotfix (§1.1 urgency)",
    ),
    "v.is_hotfix": (
        "{severity}이고 즉시 수정이 필요한 버그: Hotfix 대상입니다 (§1.1)",
        "{severity} and needs fixing now: this is a hotfix (§1.1)",
    ),
    "v.pr_tests_unchecked": (
        "확인하지 않은 테스트 결과 항목이 {count}개 있습니다 (§6.2)",
        "{count} test-result item(s) are not ticked yet (§6.2)",
    ),
    # -- field names used in "fill in {field}" ---------------------------------------
    "f.summary": ("문제 요약", "the problem summary"),
    "f.problem": ("문제 상황", "the problem"),
    "f.since": ("발생 시점", "since when"),
    "f.impact": ("영향 범위", "the impact"),
    "f.repro_steps": ("재현 방법", "the reproduction steps"),
    "f.root_cause": ("근본 원인", "the root cause"),
    "f.fix_plan": ("수정 계획", "the fix plan"),
    "f.rollback_plan": ("롤백 계획", "the rollback plan"),
    "f.commit_problem": ("커밋의 문제", "the commit's problem line"),
    "f.commit_fix": ("커밋의 수정", "the commit's fix line"),
    "f.commit_impact": ("커밋의 영향", "the commit's impact line"),
    "f.commit_tests": ("커밋의 테스트 항목", "the commit's test list"),
    "f.pr_changes": ("PR 수정 내용", "the PR's changes"),
    "f.rca_prevention": ("재발 방지 대책", "the prevention measures"),
    "f.process_improvement": ("프로세스 개선", "the process improvement"),
    "f.report_summary": ("리포트 요약", "the report summary"),
    # -- CLI ---------------------------------------------------------------------------
    "cli.tui_pending": (
        "hotfix: 전체 화면 마법사는 아직 없습니다 — `hotfix --help`의 명령을 쓰세요",
        "hotfix: the full-screen wizard is not built yet; use the commands in `hotfix --help`",
    ),
    "cli.no_drafts": ("초안이 없습니다: `hotfix new`로 시작하세요", "No drafts yet: start one with `hotfix new`"),
    "cli.valid": ("{path}: 문제 없음", "{path}: no problems"),
    "cli.summary": ("오류 {errors}개, 경고 {warnings}개", "{errors} error(s), {warnings} warning(s)"),
    "event.discovered": ("문제 최초 발견", "Problem first discovered"),
    # -- wizard: phases, panes, keys ------------------------------------------------------
    "phase.triage": ("분류", "Triage"),
    "phase.backlog": ("백로그", "Backlog"),
    "phase.branch": ("브랜치", "Branch"),
    "phase.fix": ("수정·점검", "Fix & checks"),
    "phase.commit": ("커밋·푸시", "Commit & push"),
    "phase.verify": ("검증", "Verify"),
    "phase.pr": ("PR", "Pull request"),
    "phase.merge": ("머지·배포", "Merge & deploy"),
    "phase.post": ("사후 처리", "Post-incident"),
    "pane.form": ("입력", "Form"),
    "pane.preview": ("미리보기", "Preview"),
    "pane.checklist": ("체크리스트", "Checklist"),
    "key.next": ("다음 단계", "Next phase"),
    "key.prev": ("이전 단계", "Previous phase"),
    "key.save": ("저장", "Save"),
    "key.pane": ("입력/미리보기", "Form/Preview"),
    "key.checklist": ("체크리스트", "Checklist"),
    "key.copy": ("복사", "Copy"),
    "key.export": ("파일로", "To file"),
    "key.format": ("형식", "Format"),
    "key.artifact": ("다음 문서", "Next text"),
    "key.help": ("도움말", "Help"),
    "key.home": ("초안 목록", "Drafts"),
    "key.note": ("타임라인 메모", "Timeline note"),
    "key.palette": ("명령", "Commands"),
    "key.quit": ("종료", "Quit"),
    "key.new": ("새 hotfix", "New hotfix"),
    "key.open": ("열기", "Open"),
    "key.delete": ("삭제", "Delete"),
    "key.refresh": ("새로고침", "Refresh"),
    "key.tick": ("체크", "Tick"),
    "key.add_row": ("항목 추가", "Add item"),
    # -- home ------------------------------------------------------------------------------
    "home.title": ("hotfix 초안", "hotfix drafts"),
    "home.empty": ("초안이 없습니다. n 을 눌러 새 hotfix를 시작하세요.", "No drafts yet. Press n to start a new hotfix."),
    "home.col.key": ("JIRA", "Jira"),
    "home.col.title": ("제목", "Title"),
    "home.col.phase": ("단계", "Phase"),
    "home.col.saved": ("저장", "Saved"),
    "home.col.age": ("경과", "Age"),
    "home.unreadable": ("열 수 없음: {error}", "unreadable: {error}"),
    "home.delete_q": ("초안 {name}을(를) 삭제할까요? (백업은 .trash/ 에 남습니다)", "Delete draft {name}? (a backup stays in .trash/)"),
    "home.deleted": ("삭제됨: 백업 {path}", "Deleted; backup at {path}"),
    # -- generic ---------------------------------------------------------------------------
    "yes": ("예", "Yes"),
    "no": ("아니요", "No"),
    "ok": ("확인", "OK"),
    "cancel": ("취소", "Cancel"),
    "missing": ("(비어 있음)", "(empty)"),
    "saved": ("저장됨", "saved"),
    "unsaved": ("저장 안 됨", "unsaved"),
    "offline": ("오프라인", "offline"),
    "lines_hint": ("한 줄에 하나씩", "one per line"),
    "csv_hint": ("쉼표로 구분", "comma-separated"),
    "copied": ("{what} 복사됨 ({chars}자, OSC 52 클립보드)", "Copied {what} ({chars} chars, OSC 52 clipboard)"),
    "exported": ("{path}에 저장했습니다", "Wrote {path}"),
    "export_failed": ("{path}에 쓸 수 없습니다: {error}", "Cannot write {path}: {error}"),
    "export_path": ("저장할 파일 경로", "File to write"),
    "conflict_banner": (
        "⚠ 다른 세션이 이 초안을 바꿨습니다. 입력 내용은 이 창에 남아 있습니다: ctrl+r 다시 불러오기(내 변경은 사본으로 저장) · 그대로 두면 자동 저장이 멈춥니다",
        "⚠ Another session changed this draft. Your edits are kept here: ctrl+r reloads (your version saved as a copy) · autosave is paused until then",
    ),
    "conflict_copy": ("내 변경을 {path}에 사본으로 저장하고 다시 불러왔습니다", "Saved your version as {path} and reloaded"),
    "save_failed": ("저장 실패: {error} — 입력 내용은 이 창에 남아 있습니다", "Save failed: {error} (your edits are still here)"),
    "override_q": (
        "이 단계에 막는 문제가 {count}개 있습니다:\n{problems}\n\n그래도 다음 단계로 갈까요? (타임라인에 기록됩니다)",
        "This phase has {count} blocking problem(s):\n{problems}\n\nGo on anyway? (recorded on the timeline)",
    ),
    "override_event": ("{phase} 단계를 오류 {count}개와 함께 진행 (override)", "Passed {phase} with {count} error(s) (override)"),
    "phase_done_event": ("{phase} 단계 완료", "{phase} phase done"),
    "note_prompt": ("타임라인에 남길 메모", "Note for the timeline"),
    "errors_summary": ("✗ 오류 {errors} · 경고 {warnings}", "✗ {errors} error(s) · {warnings} warning(s)"),
    "warnings_summary": ("⚠ 경고 {warnings}", "⚠ {warnings} warning(s)"),
    "all_good": ("✓ 이 단계의 규칙을 모두 만족합니다", "✓ this phase passes every rule"),
    "manual_hint": (
        "원격 단계는 수동으로 기록할 수 있습니다: 텍스트를 복사(F4)해 직접 붙여 넣고, 결과(키/URL/SHA)를 여기에 입력하세요",
        "Remote steps can be recorded by hand: copy the text (F4), paste it yourself, then type the key/URL/SHA back here",
    ),
    "recorded": ("기록됨: {what}", "Recorded: {what}"),
    "need_value": ("{what}을(를) 먼저 입력하세요", "Type {what} first"),
    "help_title": ("도움말", "Help"),
}


def tr(message_id: str, language: str = "ko", /, **fields: object) -> str:
    """The sentence for ``message_id`` in ``language`` (Korean when unknown), formatted."""
    ko, en = MESSAGES[message_id]
    text = en if language == "en" else ko
    return text.format(**fields) if fields else text.replace("{{", "{").replace("}}", "}")
