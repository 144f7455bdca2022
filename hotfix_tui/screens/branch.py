"""§3 Branch: hotfix/KEY-slug from an updated main, and the ticket moved to In Progress."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ..config import Config
from ..model import now_iso
from ..render.artifacts import branch_name, derive_slug
from ..services.commands import Commands
from ..services.errors import BranchExistsError
from ..widgets.fields import FieldSpec
from ..widgets.step_panel import RemoteSteps
from .phase import Artifact, PhaseScreen, rendered
from ..textsafe import visible


def branch_commands(draft, ctx, commands: Commands | None = None) -> str:
    """§3.2 as the commands to run by hand: the very lines `hotfix git branch` runs
    (configured remote and main branch), without its read-only checks."""
    from ..i18n import tr

    commands = commands or Commands(Config())
    name = branch_name(draft, ctx)
    lines = commands.branch_lines(name)  # update main …, then `git checkout -b NAME`
    lang = ctx.language
    return (
        f"{tr('cmd.update_main', lang)}\n"
        + "".join(f"{line}\n" for line in lines[:-1])
        + f"\n{tr('cmd.create_branch', lang)}\n"
        f"{lines[-1]}\n\n"
        f"{tr('cmd.move_in_progress', lang, status=ctx.in_progress)}\n"
    )


class BranchScreen(RemoteSteps, PhaseScreen):
    PHASE = "branch"
    BINDINGS = [Binding("f8", "run_step", "key.run_step")]
    REMOTE_STEPS = [("branch", "rs.branch"), ("in_progress", "rs.in_progress")]
    INTRO = "intro.branch"
    FIELDS = [
        FieldSpec("branch.slug", "l.slug", placeholder="ph.slug"),
        FieldSpec("branch.name", "l.branch_name"),
        FieldSpec("branch.base", "l.branch_base"),
    ]
    ARTIFACTS = [
        rendered("branch", "a.branch"),
        Artifact("a.git_commands", branch_commands, False, "branch-commands"),
    ]

    def artifacts(self) -> list[Artifact]:
        from .fix import commands_of

        commands = commands_of(self.app)
        return [rendered("branch", "a.branch"),
                Artifact("a.git_commands", lambda d, ctx: branch_commands(d, ctx, commands), False,
                         "branch-commands")]

    def compose_top(self):
        yield Static(id="branch-name", classes="verdict")

    def compose_extra(self):
        yield from self.compose_remote()
        yield Static(self.t("manual_hint"), classes="intro", markup=False)
        yield Horizontal(
            Button(compact=True, label=self.t("btn.record_branch"), id="record-branch"),
            Button(compact=True, label=self.t("btn.record_in_progress"), id="record-in-progress"),
            classes="actions",
        )

    def placeholder_for(self, spec: FieldSpec) -> str | None:
        if spec.path != "branch.slug":
            return None
        derived = derive_slug(self.draft.backlog.summary)
        return self.suggestion("backlog.summary", derived) if derived else None

    def refresh_extra(self) -> None:
        self.refresh_steps()
        self.query_one("#branch-name", Static).update(
            Text(visible(branch_name(self.draft, self.app.render_context)), style="bold")
        )

    @on(Button.Pressed, "#record-branch")
    def hand_record_branch(self) -> None:
        name = branch_name(self.draft, self.app.render_context)
        self.draft.branch.name = name
        self.draft.branch.created_at = now_iso()
        self.query_one("#f-branch--name").value = name
        self.record(self.t("ev.branch", name=name))

    @on(Button.Pressed, "#record-in-progress")
    def hand_record_in_progress(self) -> None:
        self.record_jira_move("in_progress")

    # -- §3.2 done by the app -------------------------------------------------------------------

    def step_starts(self) -> dict:
        return {**super().step_starts(), "branch": self.step_branch}

    def step_branch(self, switch: bool = False) -> None:
        self.run_remote("branch", switch=switch, failed=self.failed_branch)

    def failed_branch(self, error: BaseException) -> bool:
        """The branch exists: offer to switch to it (§3.2 refuses to make a second one)."""
        if not isinstance(error, BranchExistsError):
            return False
        from .modals import ConfirmScreen

        question = self.t("rs.switch_q", branch=error.branch)

        def answer(yes: bool | None) -> None:
            if yes:
                self.step_branch(switch=True)

        self.app.push_screen(ConfirmScreen(Text(question), self.t("rs.switch_yes"), self.t("no")), answer)
        return False

    def show_results(self) -> None:
        self.show_field("branch.name")
        self.show_field("branch.base")
