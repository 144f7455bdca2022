"""Issue 11 item 5: the §7.3 and §4.1 rules live in workflow/, with no Textual, and one copy each."""

from __future__ import annotations

import datetime as _dt
from types import SimpleNamespace

import pytest

from hotfix_tui.config import MONITOR_MINUTES
from hotfix_tui.model import Draft, PrTestItem
from hotfix_tui.services.kubectl import PodHealth
from hotfix_tui.workflow import deploy, plan_review

UTC = _dt.timezone.utc
START = _dt.datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


def t(key, **fields):
    """A catalogue stand-in that shows what was asked."""
    return key + "|" + ",".join(f"{k}={v}" for k, v in sorted(fields.items()))


def monitoring(minutes: int) -> Draft:
    draft = Draft(id="d1")
    draft.deploy.monitor_started_at = START.isoformat()
    draft.deploy.monitor_minutes = minutes
    return draft


@pytest.mark.parametrize("asked, runs", [(0, 30), (30, 30), (90, 90), (240, 240), (500, 240), (-5, 1)])
def test_monitor_minutes_honours_the_config_bounds(asked, runs):
    """"domain rules live in screens (`deploy.py:verdict/monitor_minutes`, which clamps to 60
    while config accepts 240)": the window is config's bounds, one place."""
    assert MONITOR_MINUTES == (1, 240)
    assert deploy.monitor_minutes(monitoring(asked)) == runs


def test_a_window_of_120_minutes_counts_down_120_minutes():
    """"pure rules move to `workflow/`": the countdown and the over line, from the draft and a clock."""
    draft = monitoring(120)
    assert deploy.monitor_left(draft, START + _dt.timedelta(minutes=90)) == 30 * 60
    assert deploy.monitor_status(draft, START + _dt.timedelta(minutes=119, seconds=30), t).startswith(
        "monitor.left|left=00:30,")
    assert deploy.monitor_status(draft, START + _dt.timedelta(minutes=121), t) == "monitor.over|minutes=120"
    draft.deploy.monitor_ended_at = (START + _dt.timedelta(minutes=5)).isoformat()
    assert deploy.monitor_left(draft, START) is None and deploy.monitor_status(draft, START, t) == ""
    draft = monitoring(30)
    draft.deploy.monitor_started_at = "not a time"
    assert deploy.monitor_left(draft, START) is None


def test_the_gate_asks_for_the_whole_window_the_screen_counts_down():
    """The §10 checklist and the merge gate ask for the same window the clock shows: a
    120-minute window ended after 90 minutes is not done (the gate once capped it at 60)."""
    from hotfix_tui.model import monitoring_done, required_monitor_minutes

    draft = monitoring(120)
    assert required_monitor_minutes(draft, 30) == deploy.monitor_minutes(draft) == 120
    draft.deploy.monitor_ended_at = (START + _dt.timedelta(minutes=90)).isoformat()
    assert not monitoring_done(draft, START + _dt.timedelta(minutes=90), 30)
    draft.deploy.monitor_ended_at = (START + _dt.timedelta(minutes=120)).isoformat()
    assert monitoring_done(draft, START + _dt.timedelta(minutes=120), 30)
    assert required_monitor_minutes(monitoring(500), 30) == 240


def test_verdict_from_samples():
    """"pure rules move to `workflow/`": stable / regressed with its evidence, from the samples."""
    calm = [PodHealth(3, [], 2), PodHealth(3, [], 2)]
    assert deploy.verdict(calm, t)[0] == "stable"
    restarted = [PodHealth(3, [], 2), PodHealth(3, [], 5)]
    outcome, evidence = deploy.verdict(restarted, t)
    assert outcome == "regressed" and "restarts=3" in evidence
    assert deploy.verdict([PodHealth(3, ["web-1"], 0)], t)[0] == "regressed"


def test_one_declared_impact_for_the_wizard_and_the_cli():
    """"`fix.declared_impact` and `checks_cli._declared_impact` read different fields and warn
    differently": one function, the one the wizard shows, used by both."""
    from hotfix_tui import checks_cli

    assert checks_cli.declared_impact is plan_review.declared_impact
    assert not hasattr(checks_cli, "_declared_impact")
    draft = Draft()
    draft.backlog.impact = "metallb-config ConfigMap"
    assert plan_review.declared_impact(draft) == "metallb-config ConfigMap"  # the PR's falls back to it, once
    draft.pr.impact = "ingress service"
    assert plan_review.declared_impact(draft) == "metallb-config ConfigMap\ningress service"
    draft.commit.fix = "kubernetes_secret.old_tls"  # not an impact field: the wizard never read it
    assert "old_tls" not in plan_review.declared_impact(draft)


def test_review_lines_and_test_ticks():
    """"`fix.py:plan_review_text`, `tick_test_items`" move: the review's lines are facts (kind, key,
    arguments); a passed check ticks its test items with its result, keeping a note typed by hand."""
    change = SimpleNamespace(destructive=True, line=lambda: "-/+ kubernetes_service.x (replace)")
    outcome = SimpleNamespace(plan=SimpleNamespace(no_changes=False, add=0, change=0, destroy=1),
                              review=SimpleNamespace(destructive=[change], touched=[change]))
    draft = Draft()
    kinds = [line.kind for line in plan_review.review_lines(outcome, draft)]
    assert kinds == ["counts", "destructive", "destructive_note", "no_impact"]
    draft.pr.tests = [PrTestItem(text="terraform plan 결과 확인"), PrTestItem(text="terraform plan", note="mine")]
    plan_review.tick_test_items(draft, "terraform plan", "Plan: 0 to add")
    assert [(i.checked, i.note) for i in draft.pr.tests] == [(True, "Plan: 0 to add"), (True, "mine")]
