"""§7 Review, merge, clean up, deploy and monitor — each step recorded with its time.

Monitoring is stored as a start time, so the countdown survives a restart of the app.
"""

from __future__ import annotations

import datetime as _dt

from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ..model import now_iso
from ..render.artifacts import branch_name
from ..widgets.fields import FieldSpec
from .phase import Artifact, PhaseScreen


def merge_commands(draft, ctx) -> str:
    from ..i18n import tr

    name = branch_name(draft, ctx)
    return (
        f"{tr('cmd.after_merge', ctx.language)}\n"
        f"git branch -d {name}\n"
        f"git push origin --delete {name}\n"
        "git checkout main\n"
        "git pull origin main\n\n"
        f"{tr('cmd.deploy', ctx.language)}\n"
        "terraform apply hotfix.tfplan\n"
    )


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


class MergeScreen(PhaseScreen):
    PHASE = "merge"
    INTRO = "intro.merge"
    FIELDS = [
        FieldSpec("merge.reviewers", "l.reviewers", "csv"),
        FieldSpec("merge.self_merge", "l.self_merge", "bool"),
        FieldSpec("merge.merge_sha", "l.merge_sha"),
        FieldSpec("deploy.apply_summary", "l.apply_summary", placeholder="Apply complete! Resources: 0 added, 1 changed, 0 destroyed."),
        FieldSpec("deploy.monitor_minutes", "l.monitor_minutes", "int"),
        FieldSpec("deploy.outcome", "l.outcome", "select",
                  (("outcome.stable", "stable"), ("outcome.regressed", "regressed"))),
        FieldSpec("deploy.notes", "l.deploy_notes", "text"),
    ]
    ARTIFACTS = [Artifact("a.merge_commands", merge_commands, False, "merge-commands")]

    def compose_top(self):
        yield Static(id="monitor", classes="verdict")
        yield Static(self.t("manual_hint"), classes="intro", markup=False)
        yield Horizontal(
            Button(compact=True, label=self.t("btn.record_review"), id="record-review"),
            Button(compact=True, label=self.t("btn.record_merged"), id="record-merged"),
            Button(compact=True, label=self.t("btn.record_branch_deleted"), id="record-branch-deleted"),
            classes="actions",
        )
        yield Horizontal(
            Button(compact=True, label=self.t("btn.record_done"), id="record-done"),
            Button(compact=True, label=self.t("btn.record_applied"), id="record-applied"),
            classes="actions",
        )
        yield Horizontal(
            Button(compact=True, label=self.t("btn.record_monitor_start"), id="record-monitor-start"),
            Button(compact=True, label=self.t("btn.record_monitor_end"), id="record-monitor-end"),
            classes="actions",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1, self._tick_monitor)

    def _tick_monitor(self) -> None:
        text = monitor_status(self.draft, self.app.clock(), self.t)
        box = self.query_one("#monitor", Static)
        box.update(Text(text, style="bold"))
        box.display = bool(text)

    def refresh_extra(self) -> None:
        self._tick_monitor()

    def record_record_review(self) -> None:
        self.draft.merge.review_requested_at = now_iso()
        who = ", ".join(self.draft.merge.reviewers) or "-"
        self.record(self.t("ev.review", who=who))

    def record_record_merged(self) -> None:
        self.draft.merge.merged_at = now_iso()
        how = self.t("ev.self_merge") if self.draft.merge.self_merge else ""
        self.record(self.t("ev.merged", how=how))

    def record_record_branch_deleted(self) -> None:
        self.draft.merge.branch_deleted_at = now_iso()
        self.draft.merge.main_updated_at = self.draft.merge.branch_deleted_at
        self.record(self.t("ev.branch_deleted", name=branch_name(self.draft, self.app.render_context)))

    def record_record_done(self) -> None:
        self.draft.merge.jira_done_at = now_iso()
        self.record(self.t("ev.status", status=self.app.config.jira.statuses.done))

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
