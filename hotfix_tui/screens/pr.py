"""§6 Pull request: the fixed title and body; reviewers told at once (§7.1)."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ..model import PrTestItem
from ..widgets.fields import FieldSpec
from ..widgets.rows import CheckRows, test_item_fields
from ..widgets.step_panel import RemoteSteps
from ..workflow import steps
from .phase import PhaseScreen, rendered


class PrScreen(RemoteSteps, PhaseScreen):
    PHASE = "pr"
    BINDINGS = [Binding("f8", "run_step", "key.run_step")]
    REMOTE_STEPS = [("pr_create", "rs.pr_create")]
    INTRO = "intro.pr"
    FIELDS = [
        FieldSpec("pr.summary", "l.pr_summary", follows="commit.summary"),
        FieldSpec("pr.problem", "l.pr_problem", "text", follows="backlog.problem"),
        FieldSpec("pr.root_cause", "l.pr_root_cause", "text", follows="backlog.root_cause"),
        FieldSpec("pr.changes", "l.pr_changes", "lines"),
    ]
    TAIL_FIELDS = [
        FieldSpec("pr.impact", "l.pr_impact", "text", follows="backlog.impact"),
        FieldSpec("pr.rollback", "l.pr_rollback", "text", follows="backlog.rollback_plan"),
        FieldSpec("pr.number", "l.pr_number", "int"),
        FieldSpec("pr.url", "l.pr_url"),
    ]
    ARTIFACTS = [rendered("pr-body", "a.pr_body"), rendered("pr-title", "a.pr_title")]

    def compose_extra(self):
        yield CheckRows(self.t("rows.pr_tests"), self.draft.pr.tests, PrTestItem, test_item_fields(self.t),
                        id="pr-tests", empty=self.t("rows.empty"))
        for spec in self.TAIL_FIELDS:
            yield from self.compose_field(spec)
        yield from self.compose_remote()
        yield Static(self.t("manual_hint"), classes="intro", markup=False)
        yield Horizontal(Button(compact=True, label=self.t("btn.record_pr"), id="record-pr"), classes="actions")

    def placeholder_for(self, spec: FieldSpec) -> str | None:
        if spec.path != "pr.summary":
            return None
        # The commit summary itself may be empty and follow the Jira summary.
        source = "commit.summary" if self.draft.commit.summary else "backlog.summary"
        return self.suggestion(source, self.draft.commit_summary)

    @on(Button.Pressed, "#record-pr")
    def hand_record_pr(self) -> None:
        pr = self.draft.pr
        if not pr.url.strip() and not pr.number:
            self.app.say(self.t("need_value", what=self.t("l.pr_url")), severity="warning")
            self.query_one("#f-pr--url").focus()
            return
        pr.opened_at = pr.opened_at or self.app.now_iso()
        self.record(self.t("ev.pr", url=pr.url.strip() or f"#{pr.number}"))

    # -- §6 done by the app: open the PR, request reviews, tell Jira (and Slack) ---------------------

    def step_starts(self) -> dict:
        # Each result (the PR number before its reviewers, the Jira comment, the Slack
        # message) is stored and saved from inside the step, the moment it exists.
        return {"pr_create": partial(self.run_remote, "pr_create", done=self.done_pr_create)}

    def done_pr_create(self, outcome: steps.Outcome) -> None:
        self.show_results()

    def show_results(self) -> None:
        self.show_field("pr.number")
        self.show_field("pr.url")
