"""§7.3 deploy and monitor, as a section of the Merge screen: apply, then 30–60 minutes of watching.

A mixin for MergeScreen so the deploy half has a file of its own. Monitoring is stored as
a start time, so the countdown survives a restart of the app.
"""

from __future__ import annotations

import datetime as _dt

from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ..model import now_iso
from ..widgets.fields import FieldSpec

DEPLOY_FIELDS = [
    FieldSpec("deploy.apply_summary", "l.apply_summary",
              placeholder="Apply complete! Resources: 0 added, 1 changed, 0 destroyed."),
    FieldSpec("deploy.monitor_minutes", "l.monitor_minutes", "int"),
    FieldSpec("deploy.outcome", "l.outcome", "select",
              (("outcome.stable", "stable"), ("outcome.regressed", "regressed"))),
    FieldSpec("deploy.notes", "l.deploy_notes", "text"),
]


def monitor_status(draft, now: _dt.datetime, t) -> str:
    started = draft.deploy.monitor_started_at
    if not started or draft.deploy.monitor_ended_at:
        return ""
    try:
        start = _dt.datetime.fromisoformat(started)
    except ValueError:
        return ""
    minutes = draft.deploy.monitor_minutes or 30
    left = start + _dt.timedelta(minutes=minutes) - now.astimezone(start.tzinfo)
    if left.total_seconds() <= 0:
        return t("monitor.over", minutes=minutes)
    mins, secs = divmod(int(left.total_seconds()), 60)
    return t("monitor.left", left=f"{mins:02d}:{secs:02d}", start=start.strftime("%H:%M"))


class DeploySection:
    """Mixed into MergeScreen (a PhaseScreen): widgets, records and the monitoring clock."""

    def compose_deploy(self):
        yield Static(id="monitor", classes="verdict")
        yield Horizontal(
            Button(compact=True, label=self.t("btn.record_applied"), id="record-applied"),
            Button(compact=True, label=self.t("btn.record_monitor_start"), id="record-monitor-start"),
            Button(compact=True, label=self.t("btn.record_monitor_end"), id="record-monitor-end"),
            classes="actions",
        )
        for spec in DEPLOY_FIELDS:
            yield from self.compose_field(spec)

    def start_deploy_clock(self) -> None:
        self.set_interval(1, self._tick_monitor)

    def _tick_monitor(self) -> None:
        text = monitor_status(self.draft, self.app.clock(), self.t)
        box = self.query_one("#monitor", Static)
        box.update(Text(text, style="bold"))
        box.display = bool(text)

    def record_record_applied(self) -> None:
        self.draft.deploy.applied_at = now_iso()
        self.record(self.t("ev.applied"))

    def record_record_monitor_start(self) -> None:
        self.draft.deploy.monitor_started_at = now_iso()
        self.draft.deploy.monitor_ended_at = ""
        self.record(self.t("ev.monitor_start", minutes=self.draft.deploy.monitor_minutes or 30))

    def record_record_monitor_end(self) -> None:
        outcome = self.draft.deploy.outcome
        if not outcome:
            self.app.say(self.t("need_value", what=self.t("l.outcome")), severity="warning")
            self.query_one("#f-deploy--outcome").focus()
            return
        self.draft.deploy.monitor_ended_at = now_iso()
        self.record(self.t("ev.monitor_end", outcome=self.t(f"outcome.{outcome}")))
