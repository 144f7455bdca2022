"""Issue 11 items 4 and 5: the Merge screen composes its deploy and monitor widgets; buttons have handlers by selector."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import hotfix_tui
from hotfix_tui.screens.command import CommandScreen
from hotfix_tui.screens.merge import MergeScreen
from hotfix_tui.widgets.deploy_panel import DeployPanel, MonitorChart

from .helpers import make_app, until
from .test_checks_ui import app_for, config_for, draft_at, press_button

PACKAGE = Path(hotfix_tui.__file__).parent


def test_command_screen_has_its_own_module_and_merge_inherits_no_deploy_section():
    """"Composition. `DeploySection` and the monitoring view become widgets; the base for command
    screens gets its own module"."""
    assert CommandScreen.__module__ == "hotfix_tui.screens.command"
    assert [c.__name__ for c in MergeScreen.__mro__ if c.__name__ in ("DeploySection", "CommandScreen")] == \
        ["CommandScreen"]
    assert not hasattr(MergeScreen, "compose_deploy") and not hasattr(MergeScreen, "_tick_monitor")


async def test_the_merge_screen_composes_the_deploy_and_monitor_widgets(drafts_dir, tf_root):
    """"`DeploySection` and the monitoring view become widgets": the Merge screen holds a DeployPanel
    with a MonitorChart, and the Apply, hand-record and sample buttons live in them."""
    app = app_for(drafts_dir, config_for(tf_root), draft_at(drafts_dir, "merge"))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MergeScreen), "the Merge screen")
        panel = app.screen.query_one(DeployPanel)
        for wid in ("apply", "record-applied", "record-monitor-start", "record-monitor-end", "monitor-sample",
                    "monitor", "apply-target"):
            assert panel.query(f"#{wid}"), wid
        chart = panel.query_one(MonitorChart)
        assert chart.query("#spark-not-ready") and chart.query("#monitor-last")


async def test_buttons_reach_their_handlers_by_selector(drafts_dir):
    """"Handlers by selector (`@on(Button.Pressed, "#record-jira")`)": the Merge screen's own hand
    records and the deploy widget's buttons each reach their handler, once; a 120-minute window
    stays 120 minutes (config accepts up to 240)."""
    path = draft_at(drafts_dir, "merge", deploy__monitor_minutes=120)
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MergeScreen), "the Merge screen")
        draft = app.loaded.draft
        events = len(draft.timeline)
        await press_button(pilot, "record-applied")
        assert draft.deploy.applied_at
        await press_button(pilot, "record-monitor-start")
        assert draft.deploy.monitor_started_at and draft.deploy.monitor_minutes == 120
        await press_button(pilot, "record-review")
        assert draft.merge.review_requested_at
        assert len(draft.timeline) == events + 3  # one event per press: no handler ran twice
        # The countdown shows the whole window (mm:ss with 120-odd minutes), not one capped at 60.
        await until(pilot, lambda: re.search(r"\b1[12]\d:\d\d\b", str(app.screen.query_one("#monitor").render())),
                    "the 120-minute countdown")


def _button_ids() -> set[str]:
    ids = set()
    for path in PACKAGE.rglob("*.py"):
        ids |= set(re.findall(r'\bid=f?"([a-z0-9-]+)', path.read_text(encoding="utf-8")))
    return ids


def test_no_handler_is_found_by_its_name():
    """"Handlers found by name. `PhaseScreen._button` builds `record_<id>`, RemoteSteps
    `step_/done_/failed_<name>` ... found by `getattr`": no method named ``record_<id>`` for a
    widget id remains, no ``getattr(…, f"…")`` builds a handler's name, and the phase screen has
    no catch-all button handler; the step buttons post ``StepPanel.Requested`` and the screen
    starts the step from its ``step_starts()`` table, with the hooks ``run_remote`` was given."""
    ids = {i.replace("-", "_") for i in _button_ids()}
    by_name, built = [], []
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("record_"):
                if node.name[len("record_"):] in ids:
                    by_name.append(f"{path.name}:{node.name}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.JoinedStr)):
                text = ast.unparse(node.args[1])
                if any(word in text for word in ("record_", "step_", "done_", "failed_")):
                    built.append(f"{path.name}:{node.lineno}: {text}")
    assert by_name == [] and built == [], (by_name, built)
    phase = (PACKAGE / "screens" / "phase.py").read_text(encoding="utf-8")
    assert "def _button(" not in phase
    fix = (PACKAGE / "screens" / "fix.py").read_text(encoding="utf-8")
    assert "def on_button_pressed" not in fix  # no second dispatch
