"""The message catalogue: every user-facing sentence, in Korean and English, and one ``tr()``.

Screens, validation and the CLI look sentences up here by key instead of scattering
literals, so ``[ui] language`` switches all of them at once. Format fields use
``str.format`` names. The general sentences are below; each part of the UI keeps its own
in a module of this package (``checks``, ``gates``, ``help``, ``layout``, ``rows``,
``steps``, ``terminal``, ``checklist``, ``stats``, ``status``, ``export``, ``handoff``), merged
into ``MESSAGES`` at import: one catalogue, one lookup, and a duplicate id is an error.
"""

from __future__ import annotations

from typing import Callable

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
    "v.placeholder": (
        "{field}이(가) 비어 있어 {artifact}에 {{…}} 자리표시가 남습니다: 채운 뒤 보낼 수 있습니다",
        "{field} is empty, so {artifact} still holds a {{…}} placeholder: fill it before it is sent",
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
    "key.undo_change": ("되돌리기", "Undo last change"),
    "undo.palette_help": ("마지막으로 고친 칸을 그 전 값으로 되돌립니다 (alt+z)",
                          "Put the last edited field back as it was (alt+z)"),
    "undo.restored": ("되돌림: {field} ← {value}", "Undone: {field} ← {value}"),
    "undo.restored_in": ("되돌림 ({phase}): {field} ← {value}", "Undone ({phase}): {field} ← {value}"),
    "undo.empty": ("(빈 칸)", "(empty)"),
    "undo.ticked": ("체크함", "ticked"),
    "undo.unticked": ("체크 안 함", "not ticked"),
    "undo.nothing": ("되돌릴 변경이 없습니다", "Nothing to undo"),
    "key.new": ("새 hotfix", "New hotfix"),
    "key.open": ("열기", "Open"),
    "key.delete": ("삭제", "Delete"),
    "key.refresh": ("새로고침", "Refresh"),
    "key.tick": ("체크", "Tick"),
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
    "home.delete_failed": ("{name}을(를) 삭제하지 못했습니다: {error} (초안은 그대로 있습니다)",
                           "Could not delete {name}: {error} (the draft is untouched)"),
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
    "copied": ("{what} {chars}자를 터미널 클립보드로 보냄 (OSC 52) — 붙여 넣어도 없으면 F1 도움말, F5 파일로",
               "Sent {what} ({chars} chars) to the terminal's clipboard (OSC 52) — nothing to paste? F1 help, F5 to a file"),
    "exported": ("{path}에 저장했습니다", "Wrote {path}"),
    "export_failed": ("{path}에 쓸 수 없습니다: {error}", "Cannot write {path}: {error}"),
    "export_path": ("저장할 파일 경로", "File to write"),
    "conflict_banner": (
        "⚠ 다른 세션이 이 초안을 바꿨습니다. 입력 내용은 이 창에 남아 있습니다: ctrl+r 다시 불러오기(내 변경은 사본으로 저장) · 그대로 두면 자동 저장이 멈추고, 나갈 때 복구 사본에 저장합니다",
        "⚠ Another session changed this draft. Your edits are kept here: ctrl+r reloads (your version saved as a copy) · autosave is paused until then; leaving writes them to a recovery copy",
    ),
    "conflict_copy": ("내 변경을 {path}에 사본으로 저장하고 다시 불러왔습니다", "Saved your version as {path} and reloaded"),
    "save_failed": ("저장 실패: {error} — 입력 내용은 이 창에 남아 있습니다", "Save failed: {error} (your edits are still here)"),
    # -- when a draft cannot be saved (issue 8, item 2) ---------------------------------------
    "save_failed_banner": (
        "⚠ 저장 실패: {error} — 입력 내용은 이 창에 남아 있습니다. 자동으로 다시 시도합니다(ctrl+s 지금 시도) · 나갈 때 복구 사본에 저장합니다",
        "⚠ Save failed: {error} — your edits are kept here; retrying by itself (ctrl+s: now) · leaving writes them to a recovery copy",
    ),
    "conflict_reason": ("다른 세션이 {name}을(를) 바꿨거나 지웠습니다", "another session changed or deleted {name}"),
    "recovered_toast": (
        "{name}에 저장하지 못해({reason}) 입력 내용을 복구 사본 {path}에 저장했습니다",
        "Could not save {name} ({reason}); your edits were written to the recovery copy {path}",
    ),
    "recovered_exit": (
        "{draft}에 저장하지 못해({reason}) 입력 내용을 복구 사본 {path}에 저장했습니다 — `hotfix open {path}`로 여세요",
        "could not save {draft} ({reason}); your edits were written to the recovery copy {path} — open it with `hotfix open {path}`",
    ),
    "lost_q": (
        "입력 내용을 어디에도 저장할 수 없습니다:\n{error}\n\n지금 나가면 이 창에 입력한 내용이 사라집니다. 공간을 비우거나 권한을 고친 뒤 ctrl+s 로 다시 시도하세요.",
        "Your edits cannot be written anywhere:\n{error}\n\nLeaving now loses what was typed here. Free some space or fix the permissions, then press ctrl+s to retry.",
    ),
    "lost_quit": ("나가고 입력 내용 버리기", "Quit and lose the edits"),
    "lost_leave": ("목록으로 가고 입력 내용 버리기", "Leave and lose the edits"),
    "stay": ("머무르기", "Stay"),
    "lost_exit": (
        "{draft}의 입력 내용을 저장하지 못했습니다: {error}",
        "the edits to {draft} were not saved: {error}",
    ),
    "conflict_copy_failed": (
        "사본을 쓸 수 없습니다: {error} — 입력 내용은 이 창에 남아 있습니다",
        "Cannot write the copy: {error} — your edits are kept here",
    ),
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
    # -- placeholders: examples an empty field shows, never content ----------------------
    # widgets/fields.placeholder() writes every one with its prefix ("예: …" for an example,
    # "← {field}: …" for a value another field suggests); the examples are written in the
    # incident's own terms where the app knows them ({project}, {jira}, {since}, {component})
    # and are not the seed's MetalLB incident.
    "ph.example": ("예: {text}", "e.g. {text}"),
    "ph.from": ("← {field}: {text}", "← {field}: {text}"),
    "ph.select_unknown": ("⚠ {value} (목록에 없는 값)", "⚠ {value} (not one of the choices)"),
    "ph.summary": ("무엇이 어떻게 실패하는지 한 줄로", "what fails and how, in one line"),
    "ph.labels": ("hotfix, {component}", "hotfix, {component}"),
    "ph.component": ("구성요소-이름", "component-name"),
    "ph.problem": ("무엇이 언제부터 어떻게 깨졌는지", "what exactly is broken, since when"),
    "ph.since": ("{since}경부터 발생", "since about {since}"),
    "ph.impact": ("- 영향받는 서비스와 사용자", "- affected services and users"),
    "ph.repro": ("재현 명령, 한 줄에 하나씩", "a command that shows it, one per line"),
    "ph.root_cause": ("분석으로 밝힌 원인", "the cause found by analysis"),
    "ph.rollback": ("git revert 후 terraform apply", "git revert, then terraform apply"),
    "ph.jira_key": ("{project}-123", "{project}-123"),
    "ph.jira_url": ("{jira}/browse/{project}-123", "{jira}/browse/{project}-123"),
    "ph.slug": ("short-english-words", "short-english-words"),
    "ph.apply_summary": ("Apply complete! Resources: 0 added, 1 changed, 0 destroyed.",
                         "Apply complete! Resources: 0 added, 1 changed, 0 destroyed."),
    "ph.c_problem": ("고친 문제 한 줄", "the problem, in one line"),
    "ph.c_fix": ("바꾼 내용 한 줄", "what changed, in one line"),
    "ph.c_impact": ("바뀌는 범위 (모듈, 리소스)", "scope of the change (modules, resources)"),
    "ph.downtime": ("약 1시간", "about 1 hour"),
    "ph.title_word": ("제목", "Title"),
    "cmd.update_main": ("# 1. main 브랜치 최신화", "# 1. update main"),
    "cmd.create_branch": ("# 2. hotfix 브랜치 생성", "# 2. create the hotfix branch"),
    "cmd.move_in_progress": ('# 3. JIRA 백로그 상태를 "{status}"으로 변경', '# 3. move the ticket to "{status}"'),
    "cmd.local_checks": ("# §4.1 로컬 테스트 (필수)", "# §4.1 local checks (required)"),
    "cmd.after_merge": ("# §7.2 머지 후 작업", "# §7.2 after the merge"),
    "cmd.deploy": ("# §7.3 배포 및 모니터링", "# §7.3 deploy and monitor"),
    "cmd.commit_file": ("# F5로 커밋 메시지를 파일에 저장한 뒤", "# after writing the commit message to a file with F5"),
    "cmd.stage_first": ("# 수정한 파일을 먼저 git add 하세요: 스테이징된 것만 커밋됩니다",
                        "# git add the changed files first: only what is staged is committed"),
    "a.jira": ("JIRA 백로그", "Jira ticket"),
    "a.jira_description": ("JIRA 설명", "Jira description"),
    "a.jira_title": ("JIRA 제목", "Jira title"),
    "a.branch": ("브랜치 이름", "Branch name"),
    "a.git_commands": ("git 명령", "git commands"),
    "a.checks": ("로컬 점검 명령", "Local check commands"),
    "a.commit": ("커밋 메시지", "Commit message"),
    "a.verify": ("검증 항목과 명령", "Verification items and commands"),
    "a.pr_body": ("PR 설명", "PR body"),
    "a.pr_title": ("PR 제목", "PR title"),
    "a.merge_commands": ("머지·배포 명령", "Merge and deploy commands"),
    "a.rca": ("RCA", "RCA"),
    "a.followups": ("Follow-up 백로그", "Follow-up tickets"),
    "a.report": ("Hotfix 리포트", "Hotfix report"),
    # -- field labels -------------------------------------------------------------------
    "l.discovered_short": ("최초 발견 시각", "First discovered"),
    "l.severity": ("심각도 (§1.1)", "Severity (§1.1)"),
    "l.change_kind": ("변경 종류 (§1.2)", "Kind of change (§1.2)"),
    "l.urgent": ("즉시 수정이 필요함 (긴급성)", "Needs fixing right now (urgency)"),
    "l.verdict": ("경로", "Path"),
    "l.reason": ("판단 근거", "Why"),
    "l.discovered": ("문제 최초 발견 시각 (YYYY-MM-DD HH:MM)", "First discovered at (YYYY-MM-DD HH:MM)"),
    "l.summary": ("문제 요약", "Problem summary"),
    "l.priority": ("우선순위", "Priority"),
    "l.labels": ("레이블", "Labels"),
    "l.components": ("컴포넌트", "Components"),
    "l.problem": ("문제 상황", "Problem"),
    "l.since": ("발생 시점", "Since when"),
    "l.impact": ("영향 범위", "Impact"),
    "l.repro_steps": ("재현 방법", "Reproduction steps"),
    "l.expected": ("예상 결과", "Expected result"),
    "l.actual": ("실제 결과", "Actual result"),
    "l.root_cause": ("근본 원인 (분석 후 업데이트)", "Root cause (update after analysis)"),
    "l.fix_plan": ("수정 계획", "Fix plan"),
    "l.rollback_plan": ("롤백 계획", "Rollback plan"),
    "l.jira_key": ("JIRA 키 (생성 후)", "Jira key (once created)"),
    "l.jira_url": ("JIRA 링크", "Jira link"),
    "l.slug": ("브랜치 설명 (slug)", "Branch slug"),
    "l.branch_name": ("만든 브랜치 이름", "Branch created"),
    "l.branch_base": ("기준 main 커밋", "Base main commit"),
    "l.check_notes": ("분석·수정 메모 (최소한의 변경)", "Analysis and change notes (smallest change)"),
    "l.commit_summary": ("커밋 요약", "Commit summary"),
    "l.commit_problem": ("문제", "Problem"),
    "l.commit_fix": ("수정", "Fix"),
    "l.commit_impact": ("영향", "Impact"),
    "l.commit_tests": ("테스트", "Tests"),
    "l.commit_sha": ("커밋 SHA", "Commit SHA"),
    "l.verify_notes": ("확인한 내용 (kubectl 결과 등)", "What you saw (kubectl output etc.)"),
    "l.pr_summary": ("PR 요약", "PR summary"),
    "l.pr_problem": ("문제", "Problem"),
    "l.pr_root_cause": ("근본 원인", "Root cause"),
    "l.pr_changes": ("수정 내용", "Changes"),
    "l.pr_impact": ("영향 범위", "Impact"),
    "l.pr_rollback": ("롤백 계획", "Rollback plan"),
    "l.pr_number": ("PR 번호", "PR number"),
    "l.pr_url": ("PR 링크", "PR link"),
    "l.reviewers": ("리뷰어", "Reviewers"),
    "l.self_merge": ("Self-merge (사후 리뷰, §7.1)", "Self-merge (review afterwards, §7.1)"),
    "l.merge_sha": ("머지 커밋 SHA", "Merge commit SHA"),
    "l.apply_summary": ("terraform apply 결과", "terraform apply result"),
    "l.monitor_minutes": ("모니터링 (분)", "Monitoring (minutes)"),
    "l.outcome": ("모니터링 결과", "Monitoring outcome"),
    "l.deploy_notes": ("모니터링 메모 (리소스·로그·메트릭)", "Monitoring notes (resources, logs, metrics)"),
    "l.rca_root_cause": ("근본 원인 (기술적 상세)", "Root cause (technical detail)"),
    "l.rca_prevention": ("재발 방지 대책", "Prevention measures"),
    "l.process_improvement": ("프로세스 개선", "Process improvement"),
    "l.report_summary": ("리포트 요약", "Report summary"),
    "l.report_details": ("문제 상세", "Problem details"),
    "l.report_resolution": ("해결 방법", "Resolution"),
    "l.downtime": ("다운타임", "Downtime"),
    "l.affected_services": ("영향받은 서비스", "Affected services"),
    "l.user_impact": ("사용자 영향", "User impact"),
    "l.lessons": ("배운 점", "Lessons learned"),
    "l.report_prevention": ("재발 방지", "Prevention"),
    "l.timeline_milestone": ("체크한 줄은 RCA 타임라인에 표시", "ticked rows are in the RCA timeline"),
    "l.checks": ("로컬 점검 (§4.1)", "Local checks (§4.1)"),
    # -- choices ------------------------------------------------------------------------
    "kind.bug": ("버그", "Bug"),
    "kind.security": ("보안 취약점", "Security vulnerability"),
    "kind.feature": ("새로운 기능 추가", "New feature"),
    "kind.performance": ("성능 최적화", "Performance optimisation"),
    "kind.refactor": ("코드 리팩토링", "Refactoring"),
    "kind.docs": ("문서 업데이트", "Documentation"),
    "verdict.hotfix": ("Hotfix", "Hotfix"),
    "verdict.bugfix": ("일반 Bug Fix", "Regular bug fix"),
    "outcome.stable": ("안정 (문제 해결)", "Stable (solved)"),
    "outcome.regressed": ("회귀 (문제 재발)", "Regressed"),
    # -- phase guidance -------------------------------------------------------------------
    "intro.triage": (
        "§1 프로덕션의 긴급하고 중대한 버그인가? Critical/High + 즉시 수정 필요 → Hotfix, 아니면 일반 버그 수정 경로.",
        "§1 Is this an urgent, serious production bug? Critical/High and needed now → hotfix; otherwise the regular bug-fix path.",
    ),
    "intro.backlog": (
        "§2 JIRA Bug: 제목 [HOTFIX] {{요약}}, 우선순위 Critical/High, 레이블 hotfix. 미리보기가 그대로 JIRA에 들어갑니다.",
        "§2 The Jira Bug: title [HOTFIX] {{summary}}, priority Critical/High, label hotfix. The preview is exactly what Jira gets.",
    ),
    "intro.branch": (
        "§3 최신 main에서 hotfix/KEY-설명 브랜치를 만들고 JIRA를 '진행 중'으로 옮깁니다.",
        "§3 Branch hotfix/KEY-slug from an updated main, then move the ticket to In Progress.",
    ),
    "intro.fix": (
        "§4.1 최소한의 변경으로 수정 (리팩토링·기능 추가 금지), 로컬 테스트 필수: fmt → init → validate → plan.",
        "§4.1 Fix with the smallest change (no refactoring, no features); local checks are required: fmt → init → validate → plan.",
    ),
    "intro.commit": (
        "§4.2 커밋 메시지 형식 그대로 커밋하고 §4.4 즉시 푸시, JIRA를 '테스트 진행중'으로.",
        "§4.2 Commit in the fixed format, §4.4 push at once, move the ticket to Testing.",
    ),
    "intro.verify": (
        "§5 필수 테스트 항목을 확인하고 kubectl로 실제 리소스를 봅니다.",
        "§5 Tick the required tests and look at the real resources with kubectl.",
    ),
    "intro.pr": (
        "§6 PR 제목과 설명 템플릿. 리뷰어에게 즉시 알리고 빠른 리뷰를 요청합니다.",
        "§6 PR title and body from the template; notify reviewers at once for a fast review.",
    ),
    "intro.merge": (
        "§7 최대 1시간 내 리뷰 → 머지 → 브랜치 삭제 → JIRA 완료 → terraform apply → 최소 30분~1시간 모니터링.",
        "§7 Review within an hour → merge → delete the branch → Jira done → terraform apply → monitor 30-60 minutes.",
    ),
    "intro.post": (
        "§8 RCA(타임라인·근본 원인·재발 방지·프로세스 개선), Follow-up 백로그, Hotfix 리포트.",
        "§8 RCA (timeline, root cause, prevention, process), follow-up tickets, hotfix report.",
    ),
    # -- manual records -------------------------------------------------------------------
    "btn.record_jira": ("JIRA 생성 기록 (수동)", "Record Jira created (manual)"),
    "btn.record_branch": ("브랜치 생성 기록", "Record branch created"),
    "btn.record_in_progress": ("JIRA → 진행 중 기록", "Record Jira → In Progress"),
    "btn.record_check": ("통과 기록", "Record passed"),
    "btn.record_commit": ("커밋 기록", "Record commit"),
    "btn.record_push": ("푸시 기록", "Record push"),
    "btn.record_testing": ("JIRA → 테스트 진행중 기록", "Record Jira → Testing"),
    "btn.record_pr": ("PR 생성 기록", "Record PR opened"),
    "btn.record_review": ("리뷰 요청 기록", "Record review requested"),
    "btn.record_merged": ("머지 기록", "Record merged"),
    "btn.record_branch_deleted": ("브랜치 삭제 기록", "Record branch deleted"),
    "btn.record_done": ("JIRA → 완료 기록", "Record Jira → Done"),
    "btn.record_applied": ("배포(apply) 기록", "Record applied"),
    "btn.record_monitor_start": ("모니터링 시작", "Start monitoring"),
    "btn.record_monitor_end": ("모니터링 종료 기록", "Record monitoring finished"),
    "ev.jira": ("JIRA 백로그 생성: {key}", "Jira ticket created: {key}"),
    "ev.branch": ("브랜치 생성: {name}", "Branch created: {name}"),
    "ev.status": ("JIRA 상태 → {status}", "Jira status → {status}"),
    "ev.check": ("{command} 통과 (수동 확인)", "{command} passed (checked by hand)"),
    "ev.commit": ("커밋 {sha}", "Commit {sha}"),
    "ev.push": ("푸시: {branch}", "Pushed {branch}"),
    "ev.pr": ("PR 생성: {url}", "PR opened: {url}"),
    "ev.review": ("리뷰 요청: {who}", "Review requested: {who}"),
    "ev.merged": ("PR 머지{how}", "PR merged{how}"),
    "ev.self_merge": (" (self-merge, 사후 리뷰)", " (self-merge, review afterwards)"),
    "ev.branch_deleted": ("브랜치 삭제: {name}", "Branch deleted: {name}"),
    "ev.applied": ("배포 완료 (terraform apply)", "Deployed (terraform apply)"),
    "ev.monitor_start": ("모니터링 시작 ({minutes}분)", "Monitoring started ({minutes} min)"),
    "ev.monitor_end": ("모니터링 종료: {outcome}", "Monitoring finished: {outcome}"),
    "ev.triage": ("분류: {verdict} ({severity})", "Triage: {verdict} ({severity})"),
    "monitor.left": ("모니터링 {left} 남음 (시작 {start})", "Monitoring: {left} left (started {start})"),
    "monitor.over": ("모니터링 시간 {minutes}분 경과: 결과를 기록하세요", "{minutes} minutes of monitoring done: record the outcome"),
    "bad_time": ("시각은 HH:MM 또는 YYYY-MM-DD HH:MM 형식으로 (뒤에 KST, UTC, +09:00 가능), 저장하지 않음",
                 "Time must be HH:MM or YYYY-MM-DD HH:MM (optionally KST, UTC, +09:00); not stored"),
    "not_hotfix_title": ("Hotfix가 아닙니다 — 일반 버그 수정 경로로 진행합니다", "Not a hotfix — continuing on the regular bug-fix path"),
    "is_hotfix_title": ("Hotfix 대상입니다", "This is a hotfix"),
    "undecided": ("심각도와 변경 종류를 고르면 경로가 정해집니다", "Choose severity and kind of change to decide the path"),

}


def _merge_sections() -> None:
    # Screens owned by different work streams keep their sentences in section files;
    # they are merged here so lookups and tests see one catalogue.
    from .checklist import MESSAGES as checklist
    from .checks import MESSAGES as checks
    from .export import MESSAGES as export
    from .gates import MESSAGES as gates
    from .handoff import MESSAGES as handoff
    from .help import MESSAGES as help_
    from .layout import MESSAGES as layout
    from .rows import MESSAGES as rows
    from .stats import MESSAGES as stats
    from .status import MESSAGES as status
    from .steps import MESSAGES as steps
    from .terminal import MESSAGES as terminal

    for section in (checklist, checks, gates, rows, steps, terminal, help_, layout, stats, status, export, handoff):
        clash = MESSAGES.keys() & section.keys()
        if clash:
            raise RuntimeError(f"duplicate message ids: {sorted(clash)}")
        MESSAGES.update(section)


_merge_sections()


def has(message_id: str) -> bool:
    return message_id in MESSAGES


def tr(message_id: str, language: str = "ko", /, **fields: object) -> str:
    """The sentence for ``message_id`` in ``language`` (Korean when unknown), formatted."""
    ko, en = MESSAGES[message_id]
    text = en if language == "en" else ko
    return text.format(**fields) if fields else text.replace("{{", "{").replace("}}", "}")


def status_word(status: str, language: "str | Callable[[str], str]" = "ko") -> str:
    """The word for a run's status (passed, failed, cancelled, …; the runner's and the
    draft's words) in ``language``, or through a screen's ``t``; a status the catalogue does
    not know is shown as it is. The log panel, the check rows and ``hotfix check`` all say
    statuses through this."""
    key = f"st.{status}"
    if not has(key):
        return status
    return language(key) if callable(language) else tr(key, language)
