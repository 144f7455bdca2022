"""A second incident through the wizard: TERRAFORM-16, the ingress TLS certificate expired.

Every phase whose gate does not hold asks for a reason before ctrl+n moves on (an empty
reason is refused); each answer is an override on the timeline and in the report. The
checks run for real (the fake terraform through the real runner) and fail; the Jira move
of an English wizard is a fact, so F8 does not run it twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from hotfix_tui.config import Config, KubectlConfig, MonitorConfig, TerraformConfig, UiConfig, load_config
from hotfix_tui.model import Draft
from hotfix_tui.render import RenderContext, render
from hotfix_tui.screens.modals import PromptScreen
from hotfix_tui.services import Services
from hotfix_tui.store import DraftStore
from tests.fakes import TERRAFORM, executable

from ..test_integrations_cli import world  # noqa: F401  (a fixture)
from .helpers import FIXED_NOW, choose, fill, focus, give_reason, make_app, on_top, paste, settle, until, workers_done
from .rowkeys import rows_text, tick_rows

REASONS = {
    "fix": "terraform init은 사내 프록시 장애로 실패: 인증서 교체는 kubectl로 확인",
    "verify": "스테이징이 없어 운영에서 직접 확인 예정",
    "pr": "GitHub 장애: PR은 복구 후 생성",
    "merge": "인증서 교체 후 5분 내 모든 ingress 정상, 모니터링은 대시보드로 계속",
}


def config_for(tf_root, tmp_path) -> Config:
    return Config(
        terraform=TerraformConfig(binary=executable(TERRAFORM), dir=str(tf_root), timeout=60.0),
        kubectl=KubectlConfig(binary=str(tmp_path / "no-kubectl")),  # sampling fails at once: no cluster here
        monitor=MonitorConfig(minutes=30, interval_seconds=30),
    )


async def put(pilot, widget_id: str, text: str) -> None:
    """Focus a field and paste into it (as notes arrive from an engineer's scratch file)."""
    await focus(pilot, widget_id)
    await paste(pilot, text)


async def press(pilot, button_id: str) -> None:
    pilot.app.screen.query_one(f"#{button_id}").focus()
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def status_line(app) -> str:
    return str(app.screen.query_one("#status").render())


async def leave_clean(pilot, expected: str) -> None:
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert pilot.app.loaded.draft.phase == expected, (type(pilot.app.screen).__name__, status_line(pilot.app))


async def leave_with_reason(pilot, phase: str, expected: str) -> None:
    """ctrl+n on a gate that does not hold: a reason is asked; empty is refused; then it moves on."""
    app = pilot.app
    await pilot.press("ctrl+n")
    await on_top(pilot, PromptScreen)
    assert isinstance(app.screen, PromptScreen), f"{phase}: ctrl+n moved on without asking"
    await give_reason(pilot, "")
    assert app.loaded.draft.phase == phase  # no reason, no override
    await pilot.press("ctrl+n")
    await settle(pilot)
    await give_reason(pilot, REASONS[phase])
    assert app.loaded.draft.phase == expected


async def test_the_tls_certificate_walk_asks_a_reason_at_every_gate_and_the_report_lists_them(
        drafts_dir, tmp_path, tf_root, tf_log, monkeypatch):
    """acceptance: "A Pilot walk of a second incident (not MetalLB: an expired ingress TLS certificate,
    TERRAFORM-16) where skipping each gate asks for a reason and the report lists the overrides\""""
    monkeypatch.setenv("FAKE_TERRAFORM", "init-error,validate-error,plan-error")
    config = config_for(tf_root, tmp_path)
    now = [FIXED_NOW]
    app = make_app(drafts_dir, config, services=Services.from_config(config), clock=lambda: now[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        draft = app.loaded.draft

        # §1 triage: a hotfix
        await choose(pilot, "f-triage--severity", 1)  # Critical
        await choose(pilot, "f-triage--change_kind", 1)  # bug
        await focus(pilot, "f-triage--urgent")
        await pilot.press("space")
        await settle(pilot)
        await leave_clean(pilot, "backlog")

        # §2 backlog
        await put(pilot, "f-backlog--summary", "Ingress TLS 인증서 만료로 HTTPS 접속 실패")
        await put(pilot, "f-backlog--problem", "ingress-nginx의 기본 TLS 인증서가 만료되어 모든 HTTPS 요청이 실패함")
        await put(pilot, "f-backlog--since", "2026-12-03 02:10")
        await put(pilot, "f-backlog--impact", "- 외부 HTTPS 서비스 전체 접속 불가")
        await put(pilot, "f-backlog--repro_steps", "curl -v https://app.example.com\n인증서 만료 오류 확인")
        await put(pilot, "f-backlog--root_cause", "cert-manager Certificate 리소스의 갱신 실패")
        await put(pilot, "f-backlog--fix_plan", "Certificate 갱신\ningress 인증서 교체")
        await put(pilot, "f-backlog--rollback_plan", "이전 Secret으로 복구")
        await put(pilot, "f-backlog--jira_key", "TERRAFORM-16")
        await put(pilot, "f-backlog--jira_url", "https://jira.example.com/browse/TERRAFORM-16")  # typed back by hand
        await press(pilot, "record-jira")
        await leave_clean(pilot, "branch")

        # §3 branch, In Progress recorded by hand: a fact, not a timeline line
        await put(pilot, "f-branch--slug", "ingress-tls-cert-renewal")
        await press(pilot, "record-branch")
        await press(pilot, "record-in-progress")
        assert draft.jira_moved("in_progress")
        await leave_clean(pilot, "fix")

        # §4.1: init, validate and plan run and fail; fmt never ran
        for name in ("init", "validate", "plan"):
            await press(pilot, f"go-{name}")
            await workers_done(pilot)
        assert [r.status for r in draft.checks.runs] == ["failed", "failed", "failed"]
        assert all(r.fingerprint for r in draft.checks.runs)
        assert "✓ 이 단계의 규칙을 모두 만족합니다" not in status_line(app)
        assert "✗" in status_line(app)
        await leave_with_reason(pilot, "fix", "commit")

        # §4.2 commit, recorded by hand
        await put(pilot, "f-commit--problem", "기본 TLS 인증서 만료")
        await put(pilot, "f-commit--fix", "인증서 갱신 및 교체")
        await put(pilot, "f-commit--impact", "ingress-nginx")
        await put(pilot, "f-commit--tests", "curl로 인증서 만료일 확인")
        await leave_clean(pilot, "verify")

        # §5.1: 3 of 5 ticked
        await tick_rows(pilot, "verify-items", (0, 1, 4))
        await workers_done(pilot)
        await leave_with_reason(pilot, "verify", "pr")

        # §6: the test items ticked by hand; ticking the failed checks' items asks why (no answer: unticked)
        await put(pilot, "f-pr--changes", "ingress 기본 인증서 Secret 교체")
        for i in range(5):
            await tick_rows(pilot, "pr-tests", [i])
            if i in (1, 2):
                await until(pilot, lambda: isinstance(app.screen, PromptScreen), f"the reason asked for item {i}")
                await pilot.press("escape")
                await settle(pilot)
        await workers_done(pilot)
        assert [item.checked for item in draft.pr.tests] == [True, False, False, True, True]
        assert "[ ] terraform validate 통과" in rows_text(app, "pr-tests")  # the list shows the tick taken back
        body = render(draft, "pr-body", app.render_context)
        assert "- [ ] terraform validate 통과" in body and "- [x] 문제 재현 및 수정 확인" in body
        await leave_with_reason(pilot, "pr", "merge")

        # §7: merged, cleaned, Done, applied; monitoring ended after 50 seconds
        for button in ("record-merged", "record-branch-deleted", "record-done", "record-applied",
                       "record-monitor-start"):
            await press(pilot, button)
        now[0] = FIXED_NOW + dt.timedelta(seconds=50)
        await choose(pilot, "f-deploy--outcome", 1)  # stable
        await press(pilot, "record-monitor-end")
        await workers_done(pilot)
        assert "monitored" not in draft.checklist  # 50 seconds are not 30 minutes
        await leave_with_reason(pilot, "merge", "post")
        assert app.save_now()

    saved = DraftStore(drafts_dir).load(app.loaded.path).draft
    assert [(o.phase, o.reason) for o in saved.overrides] == list(REASONS.items())
    assert all(o.by and o.at for o in saved.overrides)
    assert saved.overridden_phases == ["fix", "verify", "pr", "merge"]
    overrides = [e.text for e in saved.timeline if e.source == "override"]
    assert len(overrides) == 4 and all(reason in text for reason, text in zip(REASONS.values(), overrides))
    report = render(saved, "report", RenderContext())
    section = report[report.index("## 게이트 예외"):]
    for phase, reason in REASONS.items():
        assert f"- [{phase}] " in section and reason in section
    assert "terraform init의 마지막 실행이 실패했습니다" in section


async def test_fix_with_init_and_plan_failed_does_not_say_all_good(drafts_dir, tmp_path, tf_root, tf_log,
                                                                    monkeypatch):
    """"Fix & checks, Verify and Merge/deploy have no rules: with `init` and `plan` failed and nothing
    else run, the screen says "✓ 이 단계의 규칙을 모두 만족합니다" and ctrl+n moves on without a dialog\""""
    monkeypatch.setenv("FAKE_TERRAFORM", "init-error,plan-error")
    config = config_for(tf_root, tmp_path)
    draft = Draft(id="tls", phase="fix")
    draft.backlog.jira_key = "TERRAFORM-16"
    path = DraftStore(drafts_dir).create(draft).path
    app = make_app(drafts_dir, config, services=Services.from_config(config), draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        for name in ("init", "plan"):
            await press(pilot, f"go-{name}")
            await workers_done(pilot)
        assert [r.name for r in app.loaded.draft.checks.runs] == ["init", "plan"]
        assert "규칙을 모두 만족합니다" not in status_line(app) and "✗ 오류 4" in status_line(app)
        await pilot.press("ctrl+n")
        await on_top(pilot, PromptScreen)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.loaded.draft.phase == "fix" and app.loaded.draft.overrides == []


async def test_english_wizard_sees_its_jira_move_done_and_f8_moves_on(world, drafts_dir):  # noqa: F811
    """"Whether a Jira move is done is read back from translated timeline text (`RemoteSteps.moved_to`
    looks for "→"); with `[ui] language = "en"` the move to In Progress never shows as done and F8 runs
    the transition again.\""""
    key = world.jira.add_issue("[HOTFIX] Ingress TLS certificate expired")
    loaded = world.store.load(world.path)
    draft = loaded.draft
    draft.phase = "branch"
    draft.backlog.jira_key = key
    draft.branch.name = f"hotfix/{key}-ingress-tls-cert-renewal"
    draft.branch.created_at = "2026-12-03T02:20:00+09:00"  # the branch step is done
    world.store.save(loaded)
    config = dataclasses.replace(load_config(), ui=UiConfig(language="en"))
    app = make_app(drafts_dir, config=config, services=Services.from_config(config), draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")  # the next step: In Progress
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)
        assert world.jira.status_of(key) == config.jira.statuses.in_progress
        transitions = len(world.jira.calls("POST", "/transitions"))
        assert app.screen.next_remote_step() is None
        assert str(app.screen.query_one("#step-in-progress").label).startswith("✓ ")
        await pilot.press("f8")  # nothing left: the transition is not sent again
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        assert len(world.jira.calls("POST", "/transitions")) == transitions
        shown = app.loaded.draft
        assert shown.jira_moved("in_progress") and "→" not in shown.timeline[-1].text


async def test_ticking_monitored_by_hand_before_its_minutes_needs_a_reason(drafts_dir):
    """"The §7.3 "모니터링 (최소 30분)" item ticked itself after 50 seconds." — nor can a hand tick
    claim it without a reason, which is recorded as an override."""
    draft = Draft(id="tls", phase="merge")
    draft.backlog.jira_key = "TERRAFORM-16"
    draft.deploy.monitor_started_at = FIXED_NOW.isoformat()
    draft.deploy.monitor_ended_at = (FIXED_NOW + dt.timedelta(seconds=50)).isoformat()
    path = DraftStore(drafts_dir).create(draft).path
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = app.loaded.draft
        assert "monitored" not in shown.checklist
        await pilot.press("f3")
        await settle(pilot)
        panel = app.screen.query_one("ChecklistPanel")
        for reason in ("", "대시보드로 30분 확인함"):
            panel.highlighted = panel.get_option_index("monitored")
            await pilot.press("enter")
            await on_top(pilot, PromptScreen)
            assert isinstance(app.screen, PromptScreen)
            await give_reason(pilot, reason)
            if not reason:  # refused: nothing ticked, nothing recorded
                assert "monitored" not in shown.checklist and shown.overrides == []
        state = shown.checklist["monitored"]
        assert state.checked and state.by == "user" and state.reason == "대시보드로 30분 확인함"
        [override] = shown.overrides
        assert override.gate == "checklist.monitored" and override.phase == "merge"
