"""The seed's MetalLB case, from an empty draft through every phase, by keyboard alone.

Short fields are typed key by key (Korean included); long multi-line notes arrive as a
terminal paste, as they do from an engineer's notes. Nothing is assigned to the model
directly. Remote steps are recorded by hand (the integrations are a separate issue).
"""

from __future__ import annotations

from hotfix_tui.model import PHASES
from hotfix_tui.render import RenderContext, render
from hotfix_tui.store import DraftStore

from .. import seed
from .helpers import FIXED_NOW, choose, fill, focus, make_app, settle
from .rowkeys import edit_row, tick_rows

PROBLEM = "MetalLB가 LoadBalancer 타입 서비스에 External IP를 할당하지 못함\n모든 LoadBalancer 서비스가 <pending> 상태로 유지됨"
IMPACT = "- Ingress Controller 외부 접근 불가\n- 모든 외부 서비스 연결 불가\n- 프로덕션 환경 전체 영향"
REPRO = (
    "kubectl get svc -A | grep LoadBalancer\n"
    "EXTERNAL-IP 필드가 모두 <pending> 상태\n"
    "kubectl logs -n metallb-system 확인 시 IP 풀 설정 오류 로그 발견"
)
ROOT = "metallb-config ConfigMap에서 IP 범위 설정이 잘못됨\n기존: 192.168.1.200-192.168.1.250 (DHCP 범위와 충돌)"
PLAN = "IP 범위를 192.168.1.100-192.168.1.150으로 변경\nMetalLB controller 재시작\nLoadBalancer 서비스 상태 확인"
PR_PROBLEM = (
    "MetalLB LoadBalancer 서비스가 External IP를 할당받지 못하고 <pending> 상태로 유지됨\n"
    "Ingress Controller를 포함한 모든 외부 접근 서비스가 동작하지 않음"
)
PR_ROOT = "metallb-config ConfigMap의 IP 범위(192.168.1.200-250)가\n라우터 DHCP 서버 범위(192.168.1.100-250)와 충돌"
PR_CHANGES = (
    "MetalLB IP 풀 범위를 192.168.1.100-150으로 변경\n"
    "DHCP 범위와 겹치지 않는 구간으로 조정\n"
    "metallb-system ConfigMap 업데이트"
)
PR_IMPACT = (
    "- metallb-system 네임스페이스의 metallb-config ConfigMap\n"
    "- MetalLB controller가 재시작되어 새로운 IP 풀 적용\n"
    "- 기존 할당된 IP는 유지됨"
)
PR_ROLLBACK = (
    "1. Terraform state 백업 완료\n"
    "2. 문제 발생 시 `terraform apply`로 이전 설정 복구\n"
    "3. 또는 kubectl edit configmap metallb-config -n metallb-system으로 직접 수정"
)


async def type_backlog(pilot) -> None:
    """§2.3's fields, typed (short ones) and pasted (multi-line ones)."""
    await fill(pilot, "f-backlog--summary", "MetalLB LoadBalancer IP 할당 실패")
    await fill(pilot, "f-backlog--labels", "hotfix, metallb", replace=True)
    await fill(pilot, "f-backlog--components", "metallb")
    await fill(pilot, "f-backlog--problem", PROBLEM, use_paste=True)
    await fill(pilot, "f-backlog--since", "2025-10-19 14:30경부터 발생")
    await fill(pilot, "f-backlog--impact", IMPACT, use_paste=True)
    await fill(pilot, "f-backlog--repro_steps", REPRO, use_paste=True)
    await fill(pilot, "f-backlog--root_cause", ROOT, use_paste=True)
    await fill(pilot, "f-backlog--fix_plan", PLAN, use_paste=True)
    await fill(pilot, "f-backlog--rollback_plan", "Terraform state 백업 후 이전 설정으로 복구 가능")


async def next_phase(pilot, expected: str) -> None:
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert pilot.app.loaded.draft.phase == expected, type(pilot.app.screen).__name__


async def press_button(pilot, button_id: str) -> None:
    await focus(pilot, button_id)
    await pilot.press("enter")
    await settle(pilot)


async def test_metallb_case_end_to_end(drafts_dir):
    import datetime as dt

    now = [FIXED_NOW]  # the app's clock: monitoring lasts its 30 minutes (§7.3) before it ends
    app = make_app(drafts_dir, clock=lambda: now[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        draft = app.loaded.draft
        assert draft.phase == "triage"

        # §1 triage
        await fill(pilot, "discovered", "2025-10-19 14:30", replace=True)
        await choose(pilot, "f-triage--severity", 1)  # Critical
        await choose(pilot, "f-triage--change_kind", 1)  # bug
        await focus(pilot, "f-triage--urgent")
        await pilot.press("space")
        await settle(pilot)
        assert draft.triage.verdict == "hotfix"
        await next_phase(pilot, "backlog")

        # §2 backlog
        assert draft.backlog.priority == "Critical"  # carried over from the severity
        await type_backlog(pilot)
        await fill(pilot, "f-backlog--jira_key", "TERRAFORM-15")
        await fill(pilot, "f-backlog--jira_url", "https://gjrjr4545.atlassian.net/browse/TERRAFORM-15")
        await press_button(pilot, "record-jira")
        await next_phase(pilot, "branch")
        assert "backlog" not in draft.overridden_phases

        # §3 branch
        await fill(pilot, "f-branch--slug", "metallb-ip-pool-fix")
        await press_button(pilot, "record-branch")
        assert draft.branch.name == "hotfix/TERRAFORM-15-metallb-ip-pool-fix"
        await press_button(pilot, "record-in-progress")
        await next_phase(pilot, "fix")

        # §4.1 local checks, recorded by hand
        for name in ("fmt", "init", "validate", "plan"):
            await press_button(pilot, f"check-{name}")
        assert [r.name for r in draft.checks.runs] == ["fmt", "init", "validate", "plan"]
        await next_phase(pilot, "commit")

        # §4.2-4.4 commit
        await fill(pilot, "f-commit--summary", "MetalLB IP 풀 범위 DHCP 충돌 수정")
        await fill(pilot, "f-commit--problem", "MetalLB IP 범위가 DHCP 서버 범위와 충돌하여 LoadBalancer IP 할당 실패", use_paste=True)
        await fill(pilot, "f-commit--fix", "IP 범위를 192.168.1.200-250에서 192.168.1.100-150으로 변경", use_paste=True)
        await fill(pilot, "f-commit--impact", "metallb-config ConfigMap 설정 변경, MetalLB controller 재시작 필요", use_paste=True)
        await fill(pilot, "f-commit--tests",
                   "terraform plan으로 변경사항 확인\n로컬 환경에서 IP 범위 검증\nmetallb-system 로그 확인", use_paste=True)
        await fill(pilot, "f-commit--sha", "3f9c2a1")
        await press_button(pilot, "record-commit")
        await press_button(pilot, "record-push")
        await press_button(pilot, "record-testing")
        await next_phase(pilot, "verify")

        # §5 verify: tick the five required items (one list, space on each row)
        await tick_rows(pilot, "verify-items", range(5))
        assert all(item.checked for item in draft.verify.items)
        await next_phase(pilot, "pr")

        # §6 pull request
        await fill(pilot, "f-pr--summary", "MetalLB IP 풀 충돌 수정")
        await fill(pilot, "f-pr--problem", PR_PROBLEM, use_paste=True)
        await fill(pilot, "f-pr--root_cause", PR_ROOT, use_paste=True)
        await fill(pilot, "f-pr--changes", PR_CHANGES, use_paste=True)
        await tick_rows(pilot, "pr-tests", range(5))
        await edit_row(pilot, "pr-tests", 2, {"note": "metallb-config만 변경"})
        await edit_row(pilot, "pr-tests", 3, {"text": "로컬 minikube 환경에서 LoadBalancer IP 할당 확인"}, use_paste=True)
        await edit_row(pilot, "pr-tests", 4, {"note": "metallb-system만 영향"})
        await fill(pilot, "f-pr--impact", PR_IMPACT, use_paste=True)
        await fill(pilot, "f-pr--rollback", PR_ROLLBACK, use_paste=True)
        await fill(pilot, "f-pr--number", "42")
        await press_button(pilot, "record-pr")
        await next_phase(pilot, "merge")

        # §7 merge, deploy, monitor
        await press_button(pilot, "record-merged")
        await press_button(pilot, "record-branch-deleted")
        await press_button(pilot, "record-done")
        await press_button(pilot, "record-applied")
        await press_button(pilot, "record-monitor-start")
        now[0] = FIXED_NOW + dt.timedelta(minutes=30)
        await choose(pilot, "f-deploy--outcome", 1)  # stable
        await press_button(pilot, "record-monitor-end")
        await next_phase(pilot, "post")

        # §8 post-incident
        await fill(pilot, "f-rca--prevention",
                   "IP 범위 할당 체크리스트 작성\n네트워크 설정 문서화\nLoadBalancer 서비스 헬스체크 모니터링 추가",
                   use_paste=True)
        await fill(pilot, "f-rca--process_improvement", "MetalLB 변경 체크리스트에 DHCP 범위 확인 추가", use_paste=True)
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert draft.done_phases == list(PHASES[:-1])
        assert draft.overridden_phases == []
        texts = [e.text for e in draft.timeline]
        assert texts[0] == "문제 최초 발견"
        for expected in ("JIRA 백로그 생성: TERRAFORM-15", "브랜치 생성: hotfix/TERRAFORM-15-metallb-ip-pool-fix",
                         "JIRA 상태 → 진행 중", "JIRA 상태 → 테스트 진행중", "PR 생성: #42", "JIRA 상태 → 완료",
                         "모니터링 종료: 안정 (문제 해결)"):
            assert expected in texts
        ticked = {k for k, v in draft.checklist.items() if v.checked}
        assert {"rollback_plan", "local_verified", "pr_description", "deployed", "monitored", "resolved",
                "jira_done", "rca_written"} <= ticked

    # What was typed is on disk, and renders the seed's examples exactly.
    saved = DraftStore(drafts_dir).load(app.loaded.path).draft
    ctx = RenderContext()
    title, body = seed.jira_example()
    assert render(saved, "jira-title", ctx) == title + "\n"
    assert render(saved, "jira-description", ctx) == body
    assert render(saved, "branch", ctx) == seed.branch_example() + "\n"
    assert render(saved, "commit", ctx) == seed.commit_example()
    assert render(saved, "pr-title", ctx) == seed.pr_title_example() + "\n"
    assert render(saved, "pr-body", ctx) == seed.pr_body_example()
