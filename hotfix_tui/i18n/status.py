"""Catalogue section: the status update for people outside the fix (§8.2 팀 공유, issue 13 item 6).

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English). ``su.*`` are the lines
of the message (workflow/status_update.py), ``su.doing.*`` what is being done by fact.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "su.title": ("[HOTFIX 진행 상황] {title} — {phase} ({at})", "[HOTFIX status] {title} — {phase} ({at})"),
    "su.happened": ("무슨 일: {text}", "What happened: {text}"),
    "su.impact": ("영향: {text}", "Impact: {text}"),
    "su.doing": ("진행: {text}", "Being done: {text}"),
    "su.ticket": ("Jira: {key} {url}", "Jira: {key} {url}"),
    "su.pr": ("PR: {url}", "PR: {url}"),
    "su.next": ("다음 업데이트: {at}", "Next update: {at}"),
    "su.next_final": ("다음 업데이트: 사후 분석(RCA) 공유 때", "Next update: with the RCA"),
    "su.unknown": ("확인 중", "being checked"),
    "su.doing.triage": ("핫픽스 여부를 판단하고 있습니다", "deciding whether this is a hotfix"),
    "su.doing.analysing": ("원인을 분석하고 있습니다", "analysing the cause"),
    "su.doing.cause_known": ("원인을 찾았고 수정을 준비하고 있습니다", "the cause is known; preparing the fix"),
    "su.doing.fixing": ("수정 중입니다 (브랜치 {branch})", "fixing it (branch {branch})"),
    "su.doing.plan_passed": ("수정했고 terraform plan을 검토하고 있습니다", "fixed; reviewing the terraform plan"),
    "su.doing.verifying": ("수정을 push했고 검증하고 있습니다", "the fix is pushed; verifying it"),
    "su.doing.pr_open": ("PR #{number} 리뷰를 기다리고 있습니다", "PR #{number} is waiting for review"),
    "su.doing.review_wait": ("PR #{number} 리뷰 대기 중 ({minutes}분째)", "PR #{number} waiting for review ({minutes} min)"),
    "su.doing.merged": ("PR #{number}을 머지했고 배포를 준비하고 있습니다", "PR #{number} is merged; deploying"),
    "su.doing.monitoring": ("배포했고 모니터링 중입니다 ({minutes}/{window}분)",
                            "deployed; monitoring ({minutes}/{window} min)"),
    "su.doing.post": ("복구했고 사후 분석(RCA)을 정리하고 있습니다", "resolved; writing the RCA"),
    "su.doing.outcome.stable": ("배포 후 안정적입니다: 복구 완료", "stable after the deploy: resolved"),
    "su.doing.outcome.regressed": ("배포 후 문제가 다시 보여 대응 중입니다", "regressed after the deploy; acting on it"),
    "step.status_posted": ("팀 채널에 진행 상황 공유", "Status update posted to the team channel"),
    "key.status_update": ("상황 공유", "Status"),
    "cmd.status_update": ("팀 채널용 진행 상황 메시지 (복사, Slack 게시)", "A status message for the team channel (copy, post to Slack)"),
    "su.dialog_title": ("진행 상황 공유 (§8.2)", "Status update (§8.2)"),
    "su.copy": ("복사", "Copy"),
    "su.post": ("Slack에 게시", "Post to Slack"),
    "su.close": ("닫기", "Close"),
    "su.copied": ("진행 상황 메시지를 복사했습니다", "Status message copied"),
    "su.no_webhook": ("Slack webhook이 설정되지 않았습니다 ([github] slack_webhook_env): 복사해서 직접 공유하세요",
                      "No Slack webhook is configured ([github] slack_webhook_env): copy it and share it yourself"),
    "su.posted": ("팀 채널에 게시했습니다", "Posted to the team channel"),
}
