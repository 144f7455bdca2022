"""The words of every artifact template, per language (Korean is the seed's, byte for byte).

Korean headings and ``{...}`` guidance are copied from the seed
(``shared/seed/hotfix-workflow.ko.md``); English keeps the same structure so a team
that writes English tickets gets the same documents.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    # §2.2 Jira description
    h_problem: str
    h_since: str
    h_impact: str
    h_repro: str
    h_root_cause: str
    h_root_cause_pending: str
    root_cause_analysing: str  # the pending section's line in a ticket sent before the cause is known
    h_fix_plan: str
    h_rollback: str
    expected: str
    actual: str
    ph_summary: str
    ph_problem: str
    ph_since: str
    ph_impact: str
    ph_repro: list[str]
    ph_expected: str
    ph_actual: str
    ph_root_cause: str
    ph_fix_plan: str
    ph_rollback: str
    ph_jira_link: str
    ph_slug: str
    # §4.2 commit
    c_problem: str
    c_fix: str
    c_impact: str
    c_tests: str
    ph_c_problem: str
    ph_c_fix: str
    ph_c_impact: str
    ph_c_tests: list[str]
    # §6.2 PR
    pr_banner: str
    pr_banner_bugfix: str
    pr_problem: str
    pr_root_cause: str
    pr_changes: str
    pr_tests: str
    pr_impact: str
    pr_rollback: str
    pr_related: str
    pr_fast_review: str
    ph_pr_root_cause: str
    ph_changes: list[str]
    ph_test_item: str
    ph_pr_impact: str
    ph_pr_rollback: str
    # §8.1 RCA
    rca_title: str
    rca_timeline: str
    rca_root_cause: str
    rca_prevention: str
    rca_process: str
    ph_timeline: str
    ph_rca_root_cause: str
    ph_prevention: list[str]
    ph_process: str
    # §8.2 follow-ups
    fu_title: str
    fu_kind: str
    fu_related: str
    ph_fu_summary: str
    ph_fu_kind: str
    ph_fu_description: str
    # §8.3 report
    rp_title: str
    rp_summary: str
    rp_details: str
    rp_resolution: str
    rp_impact: str
    rp_downtime: str
    rp_services: str
    rp_users: str
    rp_lessons: str
    rp_prevention: str
    ph_rp_summary: str
    ph_rp_details: str
    ph_rp_resolution: str
    ph_downtime: str
    ph_services: str
    ph_users: str
    ph_lessons: list[str]
    # Not in the seed: a report lists the gates passed with a reason, only when there are any.
    rp_overrides: str = ""


KO = Template(
    h_problem="문제 상황",
    h_since="발생 시점",
    h_impact="영향 범위",
    h_repro="재현 방법",
    h_root_cause="근본 원인",
    h_root_cause_pending="근본 원인 (분석 후 업데이트)",
    root_cause_analysing="분석 중",
    h_fix_plan="수정 계획",
    h_rollback="롤백 계획",
    expected="예상 결과",
    actual="실제 결과",
    ph_summary="{문제 요약}",
    ph_problem="{구체적인 문제 설명}",
    ph_since="{언제부터 발생했는가}",
    ph_impact="{어떤 시스템/기능이 영향을 받는가}",
    ph_repro=["{단계 1}", "{단계 2}", "{예상 결과 vs 실제 결과}"],
    ph_expected="{예상 결과}",
    ph_actual="{실제 결과}",
    ph_root_cause="{원인 분석 내용}",
    ph_fix_plan="{어떻게 수정할 것인가}",
    ph_rollback="{문제 발생 시 어떻게 되돌릴 것인가}",
    ph_jira_link="{백로그 링크}",
    ph_slug="{간단한-설명}",
    c_problem="문제",
    c_fix="수정",
    c_impact="영향",
    c_tests="테스트",
    ph_c_problem="{구체적인 문제}",
    ph_c_fix="{수정 내용}",
    ph_c_impact="{변경 범위}",
    ph_c_tests=["{테스트 항목 1}", "{테스트 항목 2}"],
    pr_banner="🚨 긴급 수정 사항",
    pr_banner_bugfix="버그 수정 사항",
    pr_problem="문제",
    pr_root_cause="근본 원인",
    pr_changes="수정 내용",
    pr_tests="테스트 결과",
    pr_impact="영향 범위",
    pr_rollback="롤백 계획",
    pr_related="관련 이슈",
    pr_fast_review="긴급 수정이 필요하므로 빠른 리뷰 부탁드립니다",
    ph_pr_root_cause="{원인 분석 결과}",
    ph_changes=["{변경 사항 1}", "{변경 사항 2}"],
    ph_test_item="{테스트 항목}",
    ph_pr_impact="{어떤 리소스/기능에 영향을 주는가}",
    ph_pr_rollback="{문제 발생 시 복구 방법}",
    rca_title="RCA (Root Cause Analysis)",
    rca_timeline="타임라인",
    rca_root_cause="근본 원인",
    rca_prevention="재발 방지 대책",
    rca_process="프로세스 개선",
    ph_timeline="- {시각}: {사건}",
    ph_rca_root_cause="{기술적 원인 상세 분석}",
    ph_prevention=["{대책 1}", "{대책 2}", "{대책 3}"],
    ph_process="{워크플로우/체크리스트 개선 사항}",
    fu_title="제목",
    fu_kind="유형",
    fu_related="관련 Hotfix",
    ph_fu_summary="{재발 방지 작업 요약}",
    ph_fu_kind="{테스트 자동화 / 모니터링 강화 / 문서화}",
    ph_fu_description="{무엇을 왜 하는가}",
    rp_title="Hotfix 리포트",
    rp_summary="요약",
    rp_details="문제 상세",
    rp_resolution="해결 방법",
    rp_impact="영향도",
    rp_downtime="다운타임",
    rp_services="영향받은 서비스",
    rp_users="사용자 영향",
    rp_lessons="배운 점",
    rp_prevention="재발 방지",
    ph_rp_summary="{한 줄 요약}",
    ph_rp_details="{자세한 문제 설명}",
    ph_rp_resolution="{수정 내용}",
    ph_downtime="{약 N시간}",
    ph_services="{영향받은 서비스}",
    ph_users="{사용자 영향}",
    ph_lessons=["{배운 점 1}", "{배운 점 2}"],
    rp_overrides="게이트 예외",
)

EN = Template(
    h_problem="Problem",
    h_since="Since when",
    h_impact="Impact",
    h_repro="How to reproduce",
    h_root_cause="Root cause",
    h_root_cause_pending="Root cause (update after analysis)",
    root_cause_analysing="under analysis",
    h_fix_plan="Fix plan",
    h_rollback="Rollback plan",
    expected="Expected",
    actual="Actual",
    ph_summary="{problem summary}",
    ph_problem="{what exactly is broken}",
    ph_since="{since when}",
    ph_impact="{which systems/features are affected}",
    ph_repro=["{step 1}", "{step 2}", "{expected vs actual result}"],
    ph_expected="{expected result}",
    ph_actual="{actual result}",
    ph_root_cause="{root cause analysis}",
    ph_fix_plan="{how it will be fixed}",
    ph_rollback="{how to undo it if something goes wrong}",
    ph_jira_link="{ticket link}",
    ph_slug="{short-description}",
    c_problem="Problem",
    c_fix="Fix",
    c_impact="Impact",
    c_tests="Tests",
    ph_c_problem="{the problem}",
    ph_c_fix="{what changed}",
    ph_c_impact="{scope of the change}",
    ph_c_tests=["{test 1}", "{test 2}"],
    pr_banner="🚨 Emergency fix",
    pr_banner_bugfix="Bug fix",
    pr_problem="Problem",
    pr_root_cause="Root cause",
    pr_changes="Changes",
    pr_tests="Test results",
    pr_impact="Impact",
    pr_rollback="Rollback plan",
    pr_related="Related issues",
    pr_fast_review="This is an emergency fix: please review quickly",
    ph_pr_root_cause="{root cause found}",
    ph_changes=["{change 1}", "{change 2}"],
    ph_test_item="{test item}",
    ph_pr_impact="{which resources/features it touches}",
    ph_pr_rollback="{how to recover if it goes wrong}",
    rca_title="RCA (Root Cause Analysis)",
    rca_timeline="Timeline",
    rca_root_cause="Root cause",
    rca_prevention="Preventing a recurrence",
    rca_process="Process improvement",
    ph_timeline="- {time}: {event}",
    ph_rca_root_cause="{detailed technical cause}",
    ph_prevention=["{measure 1}", "{measure 2}", "{measure 3}"],
    ph_process="{workflow/checklist improvements}",
    fu_title="Title",
    fu_kind="Kind",
    fu_related="Related hotfix",
    ph_fu_summary="{prevention task summary}",
    ph_fu_kind="{test automation / monitoring / documentation}",
    ph_fu_description="{what and why}",
    rp_title="Hotfix report",
    rp_summary="Summary",
    rp_details="Problem details",
    rp_resolution="Resolution",
    rp_impact="Impact",
    rp_downtime="Downtime",
    rp_services="Affected services",
    rp_users="User impact",
    rp_lessons="Lessons learned",
    rp_prevention="Prevention",
    ph_rp_summary="{one-line summary}",
    ph_rp_details="{detailed problem description}",
    ph_rp_resolution="{what was changed}",
    ph_downtime="{about N hours}",
    ph_services="{affected services}",
    ph_users="{user impact}",
    ph_lessons=["{lesson 1}", "{lesson 2}"],
    rp_overrides="Overrides",
)

TEMPLATES = {"ko": KO, "en": EN}
