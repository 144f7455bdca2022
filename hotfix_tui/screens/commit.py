"""§4.2–4.4 Commit in the fixed format, push at once, move the ticket to Testing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ..config import Config
from ..model import now_iso
from ..render.artifacts import branch_name
from ..widgets.fields import FieldSpec
from ..widgets.step_panel import RemoteSteps
from ..workflow import steps
from .phase import Artifact, PhaseScreen, rendered

if TYPE_CHECKING:
    from ..services.commands import Commands


def push_commands(draft, ctx, commands: "Commands | None" = None) -> str:
    """§4.2–4.4 as the lines `hotfix git commit` and `hotfix git push` run (configured remote)."""
    from ..i18n import tr
    from ..render import render
    from ..services.commands import Commands  # (here: its git and terraform modules are not
    # needed by a screen that only reads this one's field labels, see phase.declared_by)

    commands = commands or Commands(Config())
    name = branch_name(draft, ctx)
    lines = commands.commit_lines(render(draft, "commit", ctx)) + commands.push_lines(name)
    return f"{tr('cmd.stage_first', ctx.language)}\n" + "".join(f"{line}\n" for line in lines)


class CommitScreen(RemoteSteps, PhaseScreen):
    PHASE = "commit"
    BINDINGS = [Binding("f8", "run_step", "key.run_step")]
    REMOTE_STEPS = [("commit", "rs.commit"), ("push", "rs.push"), ("testing", "rs.testing")]
    INTRO = "intro.commit"
    FIELDS = [
        FieldSpec("commit.summary", "l.commit_summary", follows="backlog.summary"),
        FieldSpec("commit.problem", "l.commit_problem", placeholder="ph.c_problem"),
        FieldSpec("commit.fix", "l.commit_fix", placeholder="ph.c_fix"),
        FieldSpec("commit.impact", "l.commit_impact", placeholder="ph.c_impact"),
        FieldSpec("commit.tests", "l.commit_tests", "lines"),
        FieldSpec("commit.sha", "l.commit_sha"),
    ]
    ARTIFACTS = [
        rendered("commit", "a.commit"),
        Artifact("a.git_commands", push_commands, False, "push-commands"),
    ]

    def artifacts(self) -> list[Artifact]:
        from .fix import commands_of

        commands = commands_of(self.app)
        return [rendered("commit", "a.commit"),
                Artifact("a.git_commands", lambda d, ctx: push_commands(d, ctx, commands), False, "push-commands")]

    def compose_extra(self):
        yield from self.compose_remote()
        yield Static(self.t("manual_hint"), classes="intro", markup=False)
        yield Horizontal(
            Button(compact=True, label=self.t("btn.record_commit"), id="record-commit"),
            Button(compact=True, label=self.t("btn.record_push"), id="record-push"),
            Button(compact=True, label=self.t("btn.record_testing"), id="record-testing"),
            classes="actions",
        )

    @on(Button.Pressed, "#record-commit")
    def hand_record_commit(self) -> None:
        sha = self.draft.commit.sha.strip()
        if not sha:
            self.app.say(self.t("need_value", what=self.t("l.commit_sha")), severity="warning")
            self.query_one("#f-commit--sha").focus()
            return
        self.record(self.t("ev.commit", sha=sha[:12]))

    @on(Button.Pressed, "#record-push")
    def hand_record_push(self) -> None:
        self.draft.commit.pushed_at = now_iso()
        self.record(self.t("ev.push", branch=branch_name(self.draft, self.app.render_context)))

    @on(Button.Pressed, "#record-testing")
    def hand_record_testing(self) -> None:
        self.record_jira_move("testing")

    # -- §4.2-4.4 done by the app ----------------------------------------------------------------

    def step_starts(self) -> dict:
        return {**super().step_starts(), "commit": self.step_commit}

    def step_commit(self) -> None:
        """First the staged diff stat and the composed message, then (confirmed) the commit.

        The commit is prepared once, before the stat: its refusals show at once, and the
        message in the question is the one committed.
        """
        prepared = self.prepare_step("commit", self.step_commit)
        if prepared is None:
            return
        git = self.services.git
        stat = steps.Prepared(["git diff --cached --stat"], lambda _progress: git.staged_diff_stat())
        self.run_prepared("commit", stat, self.step_commit,
                          done=lambda shown: self.confirm_commit(shown, prepared))

    def confirm_commit(self, stat: str, prepared: steps.Prepared) -> None:
        from .modals import ConfirmScreen

        panel = self.panel
        for line in (stat or self.t("rs.nothing_staged")).splitlines():
            panel.log_line(line)
        question = self.t("rs.commit_q", stat=stat or self.t("rs.nothing_staged"), message=prepared.text.rstrip())

        def answer(yes: bool | None) -> None:
            if yes:
                self.run_prepared("commit", prepared, self.step_commit)

        self.app.push_screen(ConfirmScreen(Text(question), self.t("rs.commit"), self.t("no")), answer)

    def show_results(self) -> None:
        self.show_field("commit.sha")
