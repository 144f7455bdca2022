"""Catalogue section: sentences for the remote steps done by the wizard: Jira, git, GitHub (§2-§8).

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English). ``step.*`` are the
timeline events both the CLI (`hotfix jira|git|pr`) and the wizard record (Korean
first: the RCA is written in the seed's language by default); ``rs.*`` are the
wizard's remote-step buttons, log lines and messages.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- timeline events (workflow/steps.py) -----------------------------------------------
    "step.jira_created": ("JIRA {key} 백로그 생성", "Jira {key} created"),
    "step.jira_updated": ("JIRA {key} 설명 업데이트 (근본 원인)", "Jira {key} description updated (root cause)"),
    "step.jira_reused": ("JIRA {key} 백로그 확인 (이전 시도에서 이미 생성됨)", "Jira {key} found (an earlier attempt created it)"),
    "step.jira_moved": ("JIRA {key} 상태 변경 → {status}", "Jira {key} moved to {status}"),
    "step.rca_commented": ("JIRA {key}에 RCA 코멘트 등록", "RCA commented on Jira {key}"),
    "step.followup": ("Follow-up 백로그 {key} 생성: {summary}", "Follow-up {key} created: {summary}"),
    "step.branch_created": ("브랜치 {name} 생성 ({main} {sha})", "Branch {name} created from {main} {sha}"),
    "step.branch_switched": ("기존 브랜치 {name}로 전환", "Switched to the existing branch {name}"),
    "step.committed": ("커밋 {sha}: {subject}", "Committed {sha}: {subject}"),
    "step.pushed": ("{branch} 푸시 ({sha})", "Pushed {branch} ({sha})"),
    "step.cleanup": ("hotfix 브랜치 정리 및 {main} 최신화 ({sha})", "Cleaned up the hotfix branch and updated {main} ({sha})"),
    "step.pr_opened": ("PR #{number} 생성{reviewers}", "PR #{number} opened{reviewers}"),
    "step.pr_reused": ("PR #{number} 확인 (이미 열려 있음){reviewers}", "PR #{number} found already open{reviewers}"),
    "step.reviewers": (" (리뷰 요청: {names})", " (review requested from {names})"),
    "step.jira_commented": ("JIRA {key}에 PR 링크 코멘트", "Commented the PR link on {key}"),
    "step.slack": ("Slack으로 리뷰 요청 알림", "Review request posted to Slack"),
    "step.merged": ("PR #{number} 머지 ({method}, {sha})", "PR #{number} merged ({method}, {sha})"),
    "step.self_merged": (
        "PR #{number} Self-merge ({method}, {sha}) — 사후 리뷰 필요",
        "PR #{number} self-merged ({method}, {sha}) — to be reviewed afterwards",
    ),
    "step.pr_comment": ("PR 생성: [{title}|{url}]", "PR opened: [{title}|{url}]"),
    "step.slack_text": ("🚨 Hotfix 리뷰 요청: {title} — {url} (최대 1시간 내 리뷰 부탁드립니다)",
                        "🚨 Hotfix review needed: {title} — {url} (target: within 1 hour)"),
    # -- the wizard's step buttons ---------------------------------------------------------
    "key.run_step": ("다음 원격 단계", "Next remote step"),
    "rs.jira_create": ("JIRA 생성", "Create Jira"),
    "rs.jira_update": ("JIRA 설명 업데이트", "Update Jira description"),
    "rs.branch": ("브랜치 생성", "Create branch"),
    "rs.in_progress": ("JIRA → {status}", "Jira → {status}"),
    "rs.commit": ("커밋", "Commit"),
    "rs.push": ("푸시", "Push"),
    "rs.testing": ("JIRA → {status}", "Jira → {status}"),
    "rs.pr_create": ("PR 생성", "Open PR"),
    "rs.review": ("리뷰 상태", "Review state"),
    "rs.merge": ("머지", "Merge"),
    "rs.cleanup": ("브랜치 정리", "Clean up branch"),
    "rs.done": ("JIRA → {status}", "Jira → {status}"),
    "rs.followups": ("Follow-up 티켓 생성", "Create follow-up tickets"),
    "rs.queue": ("대기열에 넣기 (나중에 보내기)", "Queue (send later)"),
    "rs.queue_hint": ("서버에 닿지 않습니다: '대기열에 넣기'로 초안에 남겨 두면 연결될 때 F8·'대기열 보내기'·`hotfix sync`가 보냅니다",
                      "The server is out of reach: 'Queue' keeps the step in the draft; F8, 'Send queued' or "
                      "`hotfix sync` sends it once it can be reached"),
    "rs.queued": ("대기열에 넣음: {what}", "Queued: {what}"),
    "rs.sync": ("대기열 보내기 ({n})", "Send queued ({n})"),
    "rs.sync_line": ("대기열: {what}", "queued: {what}"),
    "rs.synced.sent": ("보냄: {what} — {result}", "Sent: {what} — {result}"),
    "rs.synced.conflict": ("충돌 (보내지 않음): {what} — {result}", "Conflict (not sent): {what} — {result}"),
    "rs.synced.failed": ("보내지 못함: {what} — {result}", "Not sent: {what} — {result}"),
    "rs.synced.waiting": ("아직 서버에 닿지 않음: {what} — 대기열은 그대로입니다", "Still out of reach: {what} — the queue waits"),
    "rs.status_post": ("진행 상황 Slack 공유", "Post the status to Slack"),
    "outbox.queued_event": ("서버에 닿지 않아 대기열에 넣음: {step}", "Queued (server out of reach): {step}"),
    "outbox.sent_event": ("대기열에서 보냄: {step} — {result}", "Sent from the queue: {step} — {result}"),
    "outbox.conflict_event": ("대기열 충돌 (보내지 않음): {step} — {result}", "Queue conflict (not sent): {step} — {result}"),
    "outbox.failed_event": ("대기열에서 보내지 못함: {step} — {result}", "Not sent from the queue: {step} — {result}"),
    "rs.rca_comment": ("RCA를 JIRA 코멘트로", "Post the RCA to Jira"),
    "rs.f8_hint": ("F8 다음 단계", "F8 next step"),
    "rs.retry": ("다시 시도", "Retry"),
    # -- the step log ------------------------------------------------------------------------
    "rs.title": ("원격 단계 ({where})", "Remote steps ({where})"),
    "rs.running": ("실행 중: {what}", "Running: {what}"),
    "rs.done_line": ("✓ {what}: {result}", "✓ {what}: {result}"),
    "rs.failed_line": ("✗ {what} 실패: {error}", "✗ {what} failed: {error}"),
    "rs.warning_line": ("⚠ {warning}", "⚠ {warning}"),
    "rs.manual_path": (
        "수동 경로: 텍스트를 복사(F4)해 직접 처리한 뒤 키/URL을 입력하고 '기록' 버튼을 누르세요",
        "Manual path: copy the text (F4), do it by hand, then type the key/URL back and press 'Record'",
    ),
    "rs.retry_hint": ("고친 뒤 '다시 시도'(Retry)를 누르세요 — 입력한 내용은 그대로입니다",
                      "Fix it, then press Retry — nothing you typed is lost"),
    "rs.not_configured": (
        "{system} 설정이 없어 수동 경로만 사용할 수 있습니다 ({which})",
        "{system} is not configured ({which}): manual path only",
    ),
    "rs.busy": ("다른 원격 단계가 실행 중입니다", "Another remote step is running"),
    "rs.nothing_next": ("이 단계의 원격 작업은 모두 끝났습니다", "Every remote step of this phase is done"),
    "rs.saved_result": ("저장됨: {result}", "Saved: {result}"),
    # -- questions ----------------------------------------------------------------------------
    "rs.switch_q": (
        "브랜치 {branch}가 이미 있습니다.\n\n기존 브랜치로 전환할까요? (git switch {branch})",
        "The branch {branch} already exists.\n\nSwitch to the existing branch? (git switch {branch})",
    ),
    "rs.switch_yes": ("전환", "Switch"),
    "rs.commit_q": (
        "스테이징된 변경:\n{stat}\n\n커밋 메시지:\n{message}\n\n이대로 커밋할까요?",
        "Staged changes:\n{stat}\n\nCommit message:\n{message}\n\nCommit this?",
    ),
    "rs.nothing_staged": ("(스테이징된 변경 없음 — git add 먼저)", "(nothing staged — git add first)"),
    "rs.self_merge_q": (
        "PR #{number}은(는) 아직 승인되지 않았습니다 ({state}). Self-merge(§7.1, 사후 리뷰)하려면 JIRA 키 {key}를 입력하세요",
        "PR #{number} is not approved yet ({state}). To self-merge (§7.1, reviewed afterwards) type the Jira key {key}",
    ),
    "rs.key_mismatch": ("입력한 키가 {key}와 다릅니다: 머지하지 않았습니다", "The typed key is not {key}: nothing merged"),
    "rs.field_q": (
        "JIRA 전환 '{transition}'에 '{name}' 값이 필요합니다{allowed}",
        "The Jira transition '{transition}' needs a value for '{name}'{allowed}",
    ),
    "rs.allowed": (" (가능한 값: {values})", " (one of: {values})"),
    # -- review state -------------------------------------------------------------------------
    "rs.review_line": ("리뷰: PR #{number} {state}{who}", "Review: PR #{number} {state}{who}"),
    "rs.review_waiting": (" · 대기: {names}", " · waiting for: {names}"),
    "rs.review_left": ("리뷰 요청 후 {waiting}분 · 목표 60분까지 {left}분 남음",
                       "{waiting} min since review requested · {left} min left of 60"),
    "rs.review_over": ("리뷰 요청 후 {waiting}분 · 목표 60분 {over}분 초과 — Self-merge 가능 (JIRA 키 입력)",
                       "{waiting} min since review requested · {over} min over the 60 min target — self-merge allowed (type the Jira key)"),
    "rs.state.approved": ("승인됨", "approved"),
    "rs.state.changes_requested": ("변경 요청", "changes requested"),
    "rs.state.commented": ("코멘트만", "commented"),
    "rs.state.pending": ("리뷰 대기", "waiting for review"),
    "rs.state.merged": ("머지됨", "merged"),
    "rs.cleanup_q": (
        "브랜치 {branch}를 로컬과 원격에서 삭제하고 main을 최신화합니다. 확인하려면 {key}를 입력하세요",
        "This deletes {branch} locally and on the remote and updates main. Type {key} to confirm",
    ),
}
