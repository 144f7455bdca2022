"""Catalogue section: the incident document (``hotfix export``, issue 13 item 4).

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English). ``ex.*`` name the
document's sections and labels (workflow/export.py).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "ex.links": ("링크", "Links"),
    "ex.link.jira": ("JIRA", "Jira"),
    "ex.link.branch": ("브랜치", "Branch"),
    "ex.link.commit": ("커밋", "Commit"),
    "ex.link.pr": ("PR", "PR"),
    "ex.link.merge": ("머지 커밋", "Merge commit"),
    "ex.link.followup": ("후속 티켓", "Follow-up"),
    "ex.none": ("없음", "none"),
    "ex.detail_log": ("상세 기록", "Detail log"),
    "ex.milestone": ("마일스톤", "milestone"),
    "ex.checklist": ("§10 체크리스트 ({done}/{total})", "§10 checklist ({done}/{total})"),
    "ex.tick.user": ("{at}, 직접 체크", "{at}, ticked by hand"),
    "ex.tick.auto": ("{at}, 자동: {reason}", "{at}, automatic: {reason}"),
    "ex.tick.why": ("사유: {reason}", "reason: {reason}"),
    "ex.overrides": ("게이트 예외", "Overrides"),
    "ex.checks": ("점검 실행 기록", "Checks run"),
    "ex.run": ("{name}: {status} (종료 코드 {code}, {seconds}초, {at})",
               "{name}: {status} (exit {code}, {seconds} s, {at})"),
    "ex.run_output": ("출력 (끝부분)", "Output (the end)"),
    "ex.plan_review": ("계획 검토", "Plan review"),
    "ex.plan.file": ("검토한 계획 파일", "Reviewed plan file"),
    "ex.plan.reviewed_at": ("검토 시각", "Reviewed at"),
    "ex.plan.fingerprint": ("terraform 파일 지문", "Terraform files' fingerprint"),
    "ex.plan.seal": ("계획 봉인 (apply 때 확인)", "Plan seal (checked at apply)"),
    "ex.plan.summary": ("최근 plan 결과", "Latest plan"),
    "ex.plan.applied_at": ("적용 시각", "Applied at"),
    "ex.plan.apply_summary": ("적용 결과", "Apply result"),
    "ex.monitoring": ("모니터링", "Monitoring"),
    "ex.mon.window": ("관찰 시간", "Window"),
    "ex.mon.minutes": ("{n}분", "{n} min"),
    "ex.mon.started": ("시작", "Started"),
    "ex.mon.ended": ("종료", "Ended"),
    "ex.mon.outcome": ("결과", "Outcome"),
    "ex.mon.notes": ("메모", "Notes"),
    "ex.samples": ("pod 표본 ({n}개)", "Pod samples ({n})"),
    "ex.col.time": ("시각", "Time"),
    "ex.col.pods": ("pod", "Pods"),
    "ex.col.not_ready": ("준비 안 됨", "Not ready"),
    "ex.col.restarts": ("재시작", "Restarts"),
    "ex.col.names": ("준비 안 된 pod", "Not-ready pods"),
    "ex.format_bad": ("알 수 없는 형식 {fmt!r}: markdown, html, json 중 하나", "Unknown format {fmt!r}: one of markdown, html, json"),
}
