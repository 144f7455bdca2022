"""§2 Backlog: the Jira Bug from the fixed template, with its key typed back when made by hand."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ..model import SEVERITIES
from ..widgets.fields import FieldSpec
from ..widgets.step_panel import RemoteSteps
from ..workflow.validation import key_pattern
from .phase import Artifact, PhaseScreen, rendered


def jira_ticket(draft, ctx) -> str:
    from ..i18n import tr
    from ..render.artifacts import jira_description, jira_title

    label = tr("ph.title_word", ctx.language)
    return f"{label}: {jira_title(draft, ctx)}\n\n{jira_description(draft, ctx)}"


class BacklogScreen(RemoteSteps, PhaseScreen):
    PHASE = "backlog"
    BINDINGS = [Binding("f8", "run_step", "key.run_step")]
    REMOTE_STEPS = [("jira_create", "rs.jira_create"), ("jira_update", "rs.jira_update")]
    INTRO = "intro.backlog"
    FIELDS = [
        FieldSpec("backlog.summary", "l.summary", placeholder="ph.summary"),
        FieldSpec("backlog.priority", "l.priority", "select", tuple((s, s) for s in SEVERITIES)),
        FieldSpec("backlog.labels", "l.labels", "csv", placeholder="ph.labels"),
        FieldSpec("backlog.components", "l.components", "csv"),
        FieldSpec("backlog.problem", "l.problem", "text", placeholder="ph.problem"),
        FieldSpec("backlog.since", "l.since", placeholder="ph.since"),
        FieldSpec("backlog.impact", "l.impact", "text", placeholder="ph.impact"),
        FieldSpec("backlog.repro_steps", "l.repro_steps", "lines", placeholder="ph.repro"),
        FieldSpec("backlog.expected", "l.expected"),
        FieldSpec("backlog.actual", "l.actual"),
        FieldSpec("backlog.root_cause", "l.root_cause", "text", placeholder="ph.root_cause"),
        FieldSpec("backlog.fix_plan", "l.fix_plan", "lines"),
        FieldSpec("backlog.rollback_plan", "l.rollback_plan", "text", placeholder="ph.rollback"),
        FieldSpec("backlog.jira_key", "l.jira_key", placeholder="ph.jira_key"),
        FieldSpec("backlog.jira_url", "l.jira_url", placeholder="ph.jira_url"),
    ]
    ARTIFACTS = [
        Artifact("a.jira", jira_ticket, True, "jira-ticket"),
        rendered("jira-description", "a.jira_description"),
        rendered("jira-title", "a.jira_title"),
    ]

    def compose_extra(self):
        yield from self.compose_remote()
        yield Static(self.t("manual_hint"), classes="intro", markup=False)
        yield Horizontal(Button(compact=True, label=self.t("btn.record_jira"), id="record-jira"), classes="actions")

    @on(Button.Pressed, "#record-jira")
    def hand_record_jira(self) -> None:
        key = self.draft.backlog.jira_key.strip()
        if not key_pattern(self.app.config.jira.project_key).match(key):
            self.app.say(self.t("need_value", what=self.t("l.jira_key")), severity="warning")
            self.query_one("#f-backlog--jira_key").focus()
            return
        if not self.draft.backlog.jira_url and self.app.config.jira.url:
            self.draft.backlog.jira_url = self.app.config.jira.browse_url(key)
        self.record(self.t("ev.jira", key=key))

    # -- §2 done by the app -------------------------------------------------------------------

    def step_starts(self) -> dict:
        return {**super().step_starts(), "jira_update": self.step_jira_update}

    def step_jira_update(self) -> None:
        if not self.draft.backlog.jira_key.strip():
            self.app.say(self.t("need_value", what=self.t("l.jira_key")), severity="warning")
            return
        self.run_remote("jira_update")

    def show_results(self) -> None:
        self.show_field("backlog.jira_key")
        self.show_field("backlog.jira_url")
