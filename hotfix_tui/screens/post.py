"""§8 Post-incident: the RCA (fed by the timeline), follow-up tickets and the hotfix report."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding

from textual.widgets import Input

from ..model import Event, FollowUp
from ..render.timeline import downtime_text
from ..widgets.fields import FieldSpec, placeholder
from ..widgets.rows import FollowUpRows, RowsEditor, TimelineEditor, followup_fields
from ..widgets.step_panel import RemoteSteps
from .phase import PhaseScreen, rendered


class PostScreen(RemoteSteps, PhaseScreen):
    PHASE = "post"
    BINDINGS = [Binding("f8", "run_step", "key.run_step")]
    REMOTE_STEPS = [("followups", "rs.followups"), ("rca_comment", "rs.rca_comment")]
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
        # The detail log, every row; the ticked ones (and the facts) make the RCA's timeline.
        yield TimelineEditor(
            self.t("rows.timeline"), self.draft.timeline,
            lambda: Event(at=self.app.now_iso(), text="", source="user"),
            id="timeline-rows", bad_time=self.t("bad_time"), milestone_label=self.t("l.timeline_milestone"),
            placeholder=self.t("rows.ph_time"), empty=self.t("rows.timeline_empty"),
            labels=(self.t("rows.f_time"), self.t("rows.f_event")),
        )

    def refresh_extra(self) -> None:
        # An empty 다운타임 is computed from the facts; show what the report will say.
        computed = downtime_text(self.draft, self.app.render_context.language)
        for widget in self.query("#f-report--downtime").results(Input):
            widget.placeholder = (self.suggestion("timeline", computed) if computed
                                  else placeholder(self.t, self.t("ph.downtime")))
        self.sync_rows()

    def on_screen_resume(self) -> None:
        self.sync_rows()  # a ctrl+t note was added from its prompt

    def sync_rows(self) -> None:
        """Events the app recorded meanwhile (ctrl+t notes, steps), keys a step stored."""
        for rows in self.query("#timeline-rows, #followup-rows").results(RowsEditor):
            rows.sync()

    EXTRA_ROWS = 10  # the follow-up rows and the remote steps

    def compose_extra(self):
        yield FollowUpRows(
            self.t("rows.followups"), self.draft.followups, FollowUp,
            followup_fields(self.t, self.app.render_context.language), id="followup-rows",
            empty=self.t("rows.empty"),
        )
        yield from self.compose_remote()

    def fields_after(self):
        return list(self.REPORT_FIELDS)

    def compose_tail(self):
        # Last: the timeline is mostly recorded by the app; editing it is the rare case.
        yield from self.compose_timeline()

    # -- §8.2 follow-up tickets, made by the app -------------------------------------------------

    def step_starts(self) -> dict:
        # Each key is stored and saved as its ticket is made, before the next request.
        return {"followups": partial(self.run_remote, "followups", done=self.show_new_events),
                "rca_comment": partial(self.run_remote, "rca_comment", done=self.show_new_events)}

    async def show_new_events(self, _value) -> None:
        self.show_results()
        # New events were added to the timeline: show them (once, at the end).
        for editor in self.query("#timeline-rows").results(TimelineEditor):
            await editor.rebuild()

    def show_results(self) -> None:
        """Each new key in its follow-up row (the cursor stays on its row)."""
        for rows in self.query("#followup-rows").results(FollowUpRows):
            rows.show_rows()
