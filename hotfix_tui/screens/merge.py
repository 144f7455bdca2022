"""§7.1–7.2 Review, merge, clean up and close the ticket; §7.3 deploy is a composed widget.

The deploy and monitoring view is ``DeployPanel`` (widgets/deploy_panel.py) with the
fields of screens/deploy.py below it; its Apply runs in this screen's command log.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ..config import Config
from ..model import now_iso
from ..render.artifacts import branch_name
from ..services.commands import Commands
from ..services.errors import FieldsRequiredError
from ..widgets.fields import FieldSpec
from ..widgets.step_panel import RemoteSteps
from ..workflow import steps
from ..widgets.deploy_panel import DeployPanel
from .command import CommandScreen, step_label
from .deploy import DEPLOY_FIELDS
from .phase import Artifact
from ..textsafe import visible


def merge_commands(draft, ctx, commands: Commands | None = None) -> str:
    """§7.2 as `hotfix git cleanup` runs it (the tips it checked filled in by the run),
    and §7.3's apply of the draft's reviewed plan, with the configured binary."""
    from ..i18n import tr
    from ..services.terraform import plan_file_name

    commands = commands or Commands(Config())
    name = branch_name(draft, ctx)
    # The reviewed plan once a plan ran (what the Apply button applies), else where it will go.
    return (
        f"{tr('cmd.after_merge', ctx.language)}\n"
        + "".join(f"{line}\n" for line in commands.cleanup_lines(name))
        + f"\n{tr('cmd.deploy', ctx.language)}\n"
        f"{commands.apply_line(draft.deploy.plan_file.strip() or plan_file_name(draft.id))}\n"
    )


class MergeScreen(RemoteSteps, CommandScreen):
    PHASE = "merge"
    BINDINGS = [Binding("f8", "run_step", "key.run_step")]
    REMOTE_STEPS = [("review", "rs.review"), ("merge", "rs.merge"), ("cleanup", "rs.cleanup"), ("done", "rs.done")]
    INTRO = "intro.merge"
    FIELDS = [
        FieldSpec("merge.reviewers", "l.reviewers", "csv"),
        FieldSpec("merge.self_merge", "l.self_merge", "bool"),
        FieldSpec("merge.merge_sha", "l.merge_sha"),
    ]
    ARTIFACTS = [Artifact("a.merge_commands", merge_commands, False, "merge-commands")]

    def __init__(self) -> None:
        super().__init__()
        self.review = None  # the last ReviewStatus GitHub gave
        self.done_fields: dict[str, str] = {}  # values typed for the Done transition's screen

    def artifacts(self) -> list[Artifact]:
        from .fix import commands_of

        commands = commands_of(self.app)
        return [Artifact("a.merge_commands", lambda d, ctx: merge_commands(d, ctx, commands), False,
                         "merge-commands")]

    def compose_top(self):
        yield from self.compose_remote()
        yield Static(id="review-state", markup=False)
        yield Static(self.t("manual_hint"), classes="intro", markup=False)
        yield Horizontal(
            Button(compact=True, label=self.t("btn.record_review"), id="record-review"),
            Button(compact=True, label=self.t("btn.record_merged"), id="record-merged"),
            classes="actions",
        )
        yield Horizontal(
            Button(compact=True, label=self.t("btn.record_branch_deleted"), id="record-branch-deleted"),
            Button(compact=True, label=self.t("btn.record_done"), id="record-done"),
            classes="actions",
        )

    def compose_extra(self):
        yield DeployPanel(self.checks, self.t)
        for spec in DEPLOY_FIELDS:
            yield from self.compose_field(spec)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DeployPanel).start_clock()
        self.set_interval(15, self.show_review)

    def reshow_extra(self) -> None:
        # As on first showing: a monitoring window samples at once, not after an interval.
        self.query_one(DeployPanel).sample_if_monitoring()

    def refresh_extra(self) -> None:
        self.query_one(DeployPanel).tick()
        self.refresh_steps()
        self.show_review()

    @on(Button.Pressed, "#record-review")
    def hand_record_review(self) -> None:
        self.draft.merge.review_requested_at = now_iso()
        who = ", ".join(self.draft.merge.reviewers) or "-"
        self.record(self.t("ev.review", who=who))

    @on(Button.Pressed, "#record-merged")
    def hand_record_merged(self) -> None:
        self.draft.merge.merged_at = now_iso()
        self.draft.merge.merged_per = "hand"
        how = self.t("ev.self_merge") if self.draft.merge.self_merge else ""
        self.record(self.t("ev.merged", how=how))

    @on(Button.Pressed, "#record-branch-deleted")
    def hand_record_branch_deleted(self) -> None:
        self.draft.merge.branch_deleted_at = now_iso()
        self.draft.merge.main_updated_at = self.draft.merge.branch_deleted_at
        self.record(self.t("ev.branch_deleted", name=branch_name(self.draft, self.app.render_context)))

    @on(Button.Pressed, "#record-done")
    def hand_record_done(self) -> None:
        self.record_jira_move("done")

    def record_outcome(self, outcome) -> None:
        self.query_one(DeployPanel).record_outcome(outcome, step_label(self.checks, "apply"))

    # -- §7.1-7.2 done by the app ---------------------------------------------------------------

    def remote_done(self, name: str) -> bool:
        # An approval GitHub gave this session also ends the review step (it is not stored).
        approved = name == "review" and self.review is not None and self.review.approved
        return approved or super().remote_done(name)

    # review state and the countdown against the 60-minute target

    def step_starts(self) -> dict:
        return {"review": self.step_review, "merge": self.step_merge, "cleanup": self.step_cleanup, "done": self.step_done}

    def step_review(self) -> None:
        self.run_remote("review", done=self.done_review)

    def done_review(self, status) -> None:
        self.review = status
        self.show_review()

    def show_review(self) -> None:
        """The last review state GitHub gave, and the minutes against §7.1's one hour."""
        from ..services.github import REVIEW_TARGET_MINUTES, minutes_since

        box = self.query_one("#review-state", Static)
        status = self.review
        lines = []
        if status is not None:
            state = "merged" if status.merged else status.state
            who = ", ".join(f"{k} {v.lower()}" for k, v in status.reviews.items())
            waiting = self.t("rs.review_waiting", names=", ".join(status.pending)) if status.pending else ""
            lines.append(self.t("rs.review_line", number=self.draft.pr.number,
                                state=self.t(f"rs.state.{state}"), who=(f" ({who})" if who else "") + waiting))
        requested = self.draft.merge.review_requested_at
        if requested and not self.draft.merge.merged_at:
            waited = minutes_since(requested, self.app.clock())
            if waited is not None:
                left = REVIEW_TARGET_MINUTES - waited
                lines.append(self.t("rs.review_left", waiting=waited, left=left) if left >= 0
                             else self.t("rs.review_over", waiting=waited, over=-left))
        box.update(Text(visible("\n".join(lines)), style="bold"))
        box.display = bool(lines)

    # merge; without an approval only as a self-merge, confirmed by typing the Jira key

    def step_merge(self, confirm: str = "") -> None:
        self.run_remote("merge", confirm=confirm, failed=self.not_approved)

    def not_approved(self, error: BaseException) -> bool:
        """No approval yet: show the review state and ask for the key (a self-merge, §7.1)."""
        if not isinstance(error, steps.NotApproved):
            return False
        from .modals import PromptScreen

        self.review = error.review
        self.show_review()
        key = self.draft.backlog.jira_key.strip()
        question = self.t("rs.self_merge_q", number=self.draft.pr.number,
                          state=self.t(f"rs.state.{error.review.state}"), key=key or "?")

        def answer(typed: str | None) -> None:
            if typed is None:
                return
            if not key or typed.strip() != key:
                self.app.say(self.t("rs.key_mismatch", key=key or "?"), severity="warning")
                return
            self.step_merge(confirm=key)

        self.app.push_screen(PromptScreen(question, placeholder=key), answer)
        return True

    def step_cleanup(self) -> None:
        """Deleting the branch locally and on the remote is dangerous: type the key first."""
        from ..render.artifacts import branch_name
        from .modals import PromptScreen

        key = self.draft.backlog.jira_key.strip() or self.draft.id
        question = self.t("rs.cleanup_q", branch=branch_name(self.draft, self.app.render_context), key=key)

        def answer(typed: str | None) -> None:
            if typed is None:
                return
            if typed.strip() != key:
                self.app.say(self.t("rs.key_mismatch", key=key), severity="warning")
                return
            self.run_remote("cleanup")

        self.app.push_screen(PromptScreen(question, placeholder=key), answer)

    # Jira to Done; a transition screen's required fields are asked for

    def step_done(self) -> None:
        # The values (Log Work since In Progress) are computed once, when the move is
        # prepared: the log shows what is sent; a Retry prepares them again.
        self.run_remote("done", fields=dict(self.done_fields), restart=self.step_done, failed=self.failed_done)

    def failed_done(self, error: BaseException) -> bool:
        if not isinstance(error, FieldsRequiredError):
            return False
        from .modals import PromptScreen

        missing = [f for f in error.fields if f[0] not in self.done_fields]
        if not missing:
            return False
        field_key, name, allowed = missing[0]
        extra = self.t("rs.allowed", values=", ".join(allowed[:8])) if allowed else ""
        question = self.t("rs.field_q", transition=error.transition, name=name, allowed=extra)

        def answer(value: str | None) -> None:
            if value and value.strip():
                self.done_fields[field_key] = value.strip()
                self.step_done()

        self.app.push_screen(PromptScreen(question, allowed[0] if allowed else ""), answer)
        return False

    def show_results(self) -> None:
        for path in ("merge.merge_sha", "merge.self_merge", "merge.reviewers"):
            self.show_field(path)
