"""Catalogue section: the team's numbers (``hotfix stats`` and the Stats screen, issue 13 item 5).

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English). ``stats.fig.*`` name the
figures and ``stats.seg.*`` the gaps between phases (workflow/stats.py FIGURES, SEGMENTS).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "key.stats": ("지표", "Stats"),
    "cmd.stats": ("팀 지표: 원인·PR·리뷰·배포까지 걸린 시간, 다운타임, 우회", "The team's numbers: time to cause, PR, "
                  "review, deploy; downtime; overrides"),
    "stats.title": ("팀 지표 (초안의 사실에서)", "The team's numbers (from the drafts' facts)"),
    "stats.header": ("초안 {drafts}개 (Hotfix {hotfix}개)", "{drafts} drafts ({hotfix} hotfix)"),
    "stats.since": ("{date} 이후", "since {date}"),
    "stats.undated": ("시각 없는 초안 {n}개 제외", "{n} draft(s) without a time left out"),
    "stats.none": ("집계할 초안이 없습니다", "No drafts to count"),
    "stats.loading": ("초안을 읽는 중…", "Reading the drafts…"),
    "stats.col.n": ("건수", "N"),
    "stats.col.median": ("중앙값", "MEDIAN"),
    "stats.col.p90": ("P90", "P90"),
    "stats.col.unknown": ("모름", "UNKNOWN"),
    "stats.fig.time_to_cause": ("원인 파악까지", "Time to cause"),
    "stats.fig.time_to_pr": ("PR까지", "Time to PR"),
    "stats.fig.review_wait": ("리뷰 대기", "Review wait"),
    "stats.fig.time_to_deploy": ("배포까지", "Time to deploy"),
    "stats.fig.downtime": ("다운타임", "Downtime"),
    "stats.bar_value": ("{median} (P90 {p90}) · {count}건, 모름 {unknown}",
                        "{median} (p90 {p90}) · {count}, unknown {unknown}"),
    "stats.figures": ("걸린 시간 (발견부터, 중앙값)", "How long (from discovery, median)"),
    "stats.no_cause_fact": ("원인 파악까지: Jira에 근본 원인을 보낸 기록이 없어 모름",
                            "Time to cause: unknown, no ticket got its root cause through the tool"),
    "stats.review_within": ("1시간 이내", "within 1 hour"),
    "stats.review_over": ("1시간 초과", "over 1 hour"),
    "stats.review_target": ("§7.1 리뷰 목표(1시간) 이내 {within}/{total}건, 초과 {over}건, self-merge {self_merged}건",
                            "§7.1 target (1 hour): {within} of {total} within, {over} over, {self_merged} "
                            "self-merged"),
    "stats.segments": ("시간이 드는 곳 (사실 사이, 중앙값)", "Where time goes (between facts, median)"),
    "stats.seg.to_branch": ("발견→브랜치", "found → branch"),
    "stats.seg.fix": ("브랜치→푸시", "branch → push"),
    "stats.seg.to_pr": ("푸시→PR", "push → PR"),
    "stats.seg.review": ("PR→머지", "PR → merge"),
    "stats.seg.deploy": ("머지→배포", "merge → apply"),
    "stats.seg.monitor": ("배포→모니터링 끝", "apply → monitored"),
    "stats.overrides": ("게이트별 우회 (총 {total}회, 초안 {drafts}개)", "Overrides by gate ({total} in {drafts} "
                        "drafts)"),
    "stats.no_overrides": ("우회 없음", "No overrides"),
    "stats.by_phase": ("단계별 초안", "Drafts by phase"),
    "stats.skipped": ("읽을 수 없어 제외: {name} — {error}", "Unreadable, not counted: {name} — {error}"),
    "stats.bad_since": ("--since {value!r}은(는) 날짜가 아닙니다: YYYY-MM-DD 또는 'YYYY-MM-DD HH:MM'으로 쓰세요",
                        "--since {value!r} is not a date: write YYYY-MM-DD or 'YYYY-MM-DD HH:MM'"),
}
