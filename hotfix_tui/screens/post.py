"""§8 Post-incident: the RCA (fed by the timeline), follow-up tickets and the hotfix report."""

from __future__ import annotations

from textual.binding import Binding

from ..model import Event, FollowUp, now_iso
from ..widgets.fields import FieldSpec
from ..widgets.rows import Column, RowsEditor
from ..widgets.step_panel import RemoteSteps
from ..workflow import steps
from ..workflow.timeline import parse_typed, to_display
from .phase import PhaseScreen, rendered


class PostScreen(RemoteSteps, PhaseScreen):
    PHASE = "post"
    BINDINGS = [Binding("f8", "run_step", "key.run_step")]
    REMOTE_STEPS = [("followups", "jira", "rs.followups")]
    INTRO = "intro.post"
    FIELDS = [
        FieldSpec("rca.root_cause", "l.rca_root_cause", "text", follows="backlog.root_cause"),
        FieldSpec("rca.prevention", "l.rca_prevention", "lines"),
        FieldSpec("rca.process_improvement", "l.process_improvement", "text"),
    ]
    REPORT_FIELDS = [
        FieldSpec("report.summary", "l.report_summary"),
        FieldSpec("report.details", "l.report_details", "text", follows="backlog.problem"),
        FieldSpec("report.resolution", "l.report_resolution", "text", follows="commit.fix"),
        FieldSpec("report.downtime", "l.downtime", placeholder="ph.downtime"),
        FieldSpec("report.affected_services", "l.affected_services"),
        FieldSpec("report.user_impact", "l.user_impact"),
        FieldSpec("report.lessons", "l.lessons", "lines"),
        FieldSpec("report.prevention", "l.report_prevention", "lines"),
    ]
    ARTIFACTS = [
        rendered("rca", "a.rca"),
        rendered("followups", "a.followups"),
        rendered("report", "a.report"),
    ]

    def compose_timeline(self):
        reference = self.draft.timeline[0].at if self.draft.timeline else ""
        yield RowsEditor(
            self.t("l.timeline"), self.draft.timeline,
            lambda: Event(at=now_iso(), text="", source="user"),
            [Column("at", placeholder="14:30", width="18"), Column("text")],
            self.t("key.add_row"), id="timeline-rows",
            converters={"at": (to_display, lambda s: parse_typed(s, reference))},
        )

    def compose_extra(self):
        yield RowsEditor(
            self.t("l.followups"), self.draft.followups, FollowUp,
            [Column("summary", placeholder=self.t("ph.fu_summary")),
             Column("kind", placeholder=self.t("ph.fu_kind"), width="16"),
             Column("description", placeholder=self.t("ph.fu_description")),
             Column("key", placeholder=self.t("ph.key"), width="14")],
            self.t("key.add_row"), id="followup-rows",
        )
        yield from self.compose_remote()
        for spec in self.REPORT_FIELDS:
            yield from self.compose_field(spec)
        # Last: the timeline is mostly recorded by the app; editing it is the rare case.
        yield from self.compose_timeline()

    # -- §8.2 follow-up tickets, made by the app -------------------------------------------------

    def remote_done(self, name: str) -> bool:
        return not steps.todo_followups(self.draft)

    def record_step_followups(self) -> None:
        self.step_followups()

    def step_followups(self) -> None:
        if not steps.todo_followups(self.draft):
            self.app.say(self.t("rs.nothing_next"))
            return
        # Each key is stored and saved as its ticket is made, before the next request.
        self.run_remote("followups", steps.plan_followups,
                        lambda sc, d: steps.followups(sc, d, self.keep_from_thread))

    async def done_followups(self, outcomes) -> None:
        self.show_results()
        # New events were added to the timeline: show them (once, at the end).
        for editor in self.query("#timeline-rows").results(RowsEditor):
            await editor.rebuild()

    def show_results(self) -> None:
        """Each new key into its follow-up row, in place (the row keeps focus and typing)."""
        from textual.widgets import Input

        for widget in self.query("#followup-rows Input").results(Input):
            index = getattr(widget, "row_index", -1)
            if getattr(widget, "row_attr", "") == "key" and 0 <= index < len(self.draft.followups):
                key = self.draft.followups[index].key
                if widget.value != key:
                    widget.value = key
