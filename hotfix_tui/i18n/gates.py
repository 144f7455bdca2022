"""Catalogue section: the workflow's gates, their overrides, and the §10 ticks facts decide.

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English). ``g.*`` are gate
findings (workflow/validation.py), ``ov.*`` the override prompt and record, ``cl.*`` the
reasons the app gives when it ticks a §10 item itself (workflow/checklist.py).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- gates (workflow/validation.py) ------------------------------------------------------
    "g.check_missing": ("terraform {check}이(가) 아직 실행되지 않았습니다 (§4.1)",
                        "terraform {check} has not run yet (§4.1)"),
    "g.check_failed": ("terraform {check}의 마지막 실행이 실패했습니다 (§4.1): 고치고 다시 실행하세요",
                       "The latest terraform {check} run failed (§4.1): fix it and run it again"),
    "g.check_stale": ("terraform {check}은(는) 지금과 다른 파일에서 통과했습니다: 다시 실행하세요",
                      "terraform {check} passed on other files than the current ones: run it again"),
    "g.verify_items": ("§5.1 필수 테스트 항목 {count}개가 아직 확인되지 않았습니다: {items}",
                       "{count} §5.1 required test item(s) not ticked yet: {items}"),
    "g.pr_missing": ("PR 번호/URL이 아직 없습니다 (§6): PR을 만들거나 직접 입력하세요",
                     "No PR number/URL yet (§6): open the PR or type it"),
    "g.pr_item_contradicts": ("PR 테스트 결과 '{item}'이(가) 체크되어 있지만 마지막 terraform {check} 실행은 실패했습니다",
                              "PR test result '{item}' is ticked but the latest terraform {check} run failed"),
    "g.not_merged": ("PR 머지가 아직 기록되지 않았습니다 (§7.1)", "The PR merge is not recorded yet (§7.1)"),
    "g.branch_not_cleaned": ("브랜치 정리(삭제, main 업데이트)가 아직 기록되지 않았습니다 (§7.2)",
                             "The branch clean-up (delete, update main) is not recorded yet (§7.2)"),
    "g.jira_not_done": ("JIRA가 아직 완료 상태로 옮겨지지 않았습니다 (§7.2)",
                        "The Jira ticket is not moved to its done status yet (§7.2)"),
    "g.not_applied": ("terraform apply가 아직 기록되지 않았습니다 (§7.3)", "terraform apply is not recorded yet (§7.3)"),
    "g.not_monitored": ("모니터링이 최소 {minutes}분 동안 이루어지지 않았습니다 (§7.3)",
                        "Monitoring has not run for {minutes} minutes at least (§7.3)"),
    "g.overridden": ("{phase} 단계의 게이트를 사유와 함께 통과 ({at}, {by}): {reason}",
                     "{phase} gate passed with a reason ({at}, {by}): {reason}"),
    # -- overrides (app.advance, the checklist) -----------------------------------------------
    "ov.reason_q": (
        "이 단계에 막는 문제가 {count}개 있습니다:\n{problems}\n\n그래도 진행하려면 사유를 입력하세요 (타임라인과 보고서에 기록됩니다)",
        "This phase has {count} blocking problem(s):\n{problems}\n\nTo go on anyway, type the reason (recorded on the timeline and in the report)",
    ),
    "ov.tick_q": (
        "'{item}'을(를) 뒷받침하는 사실이 없습니다: {why}\n그래도 체크하려면 사유를 입력하세요 (기록됩니다)",
        "Nothing on record proves '{item}': {why}\nTo tick it anyway, type the reason (it is recorded)",
    ),
    "ov.reason_empty": ("사유 없이는 진행할 수 없습니다", "A reason is required to go on"),
    "ov.event": ("{phase} 단계 게이트 예외 ({what}): {reason}", "{phase} gate overridden ({what}): {reason}"),
    "ov.tick_event": ("체크 예외 '{item}': {reason}", "Ticked against the record '{item}': {reason}"),
    "ov.section": ("게이트 예외", "Overrides"),
    "ov.cli_line": ("게이트 예외: [{phase}] {what} — {reason} ({at}, {by})",
                    "override: [{phase}] {what} — {reason} ({at}, {by})"),
    "ov.fact_missing": ("기록된 사실이 없습니다", "nothing is recorded"),
    "ov.fact_failed": ("마지막 실행이 실패했습니다", "the latest run failed"),
    # -- §10 reasons the app ticks an item for (workflow/checklist.py) ------------------------
    "cl.problem_understood": ("문제 상황 작성됨", "problem written"),
    "cl.impact_analyzed": ("영향 범위 작성됨", "impact written"),
    "cl.root_cause": ("근본 원인 작성됨", "root cause written"),
    "cl.fix_plan": ("수정 계획 작성됨", "fix plan written"),
    "cl.rollback_plan": ("롤백 계획 작성됨", "rollback plan written"),
    "cl.minimal_change": ("terraform plan 검토됨", "terraform plan reviewed"),
    "cl.local_verified": ("terraform validate 통과", "terraform validate passed"),
    "cl.commit_message": ("커밋 생성됨", "commit made"),
    "cl.pr_description": ("PR #{number} 생성됨", "PR #{number} opened"),
    "cl.deployed": ("terraform apply 완료", "terraform apply done"),
    "cl.monitored": ("모니터링 완료 ({minutes}분 이상)", "monitored ({minutes} min at least)"),
    "cl.resolved": ("모니터링 결과 안정", "monitoring: stable"),
    "cl.jira_done": ("JIRA 완료 처리됨", "Jira ticket done"),
    "cl.rca_written": ("RCA 작성됨", "RCA written"),
    "cl.followups_created": ("Follow-up 티켓 생성됨", "follow-up tickets created"),
}
