"""§4.2–4.4 Commit in the fixed format, push at once, move the ticket to Testing."""

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
from ..widgets.fields import FieldSpec
from ..widgets.step_panel import RemoteSteps
from ..workflow import steps
from .phase import Artifact, PhaseScreen, rendered


def push_commands(draft, ctx, commands: Commands | None = None) -> str:
    """§4.2–4.4 as the lines `hotfix git commit` and `hotfix git push` run (configured remote)."""
    from ..i18n import tr
    from ..render import render

    commands = commands or Commands(Config())
    name = branch_name(draft, ctx)
    lines = commands.commit_lines(render(draft, "commit", ctx)) + commands.push_lines(name)
    return f"{tr('cmd.stage_first', ctx.language)}\n" + "".join(f"{line}\n" for line in lines)


class CommitScreen(RemoteSteps, PhaseScreen):
    PHASE = "commit"
    BINDINGS = [Binding("f8", "run_step", "key.run_step")]
    REMOTE_STEPS = [("commit", "git", "rs.commit"), ("push", "git", "rs.push"),
                    ("testing", "jira", "rs.testing")]
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

    def remote_done(self, name: str) -> bool:
        if name == "commit":
            return bool(self.draft.commit.sha.strip())
        if name == "push":
            return bool(self.draft.commit.pushed_at)
        return self.moved_to("testing")

    def step_starts(self) -> dict:
        return {"commit": self.step_commit, "push": self.step_push, "testing": self.step_testing}

    def step_commit(self) -> None:
        """First the staged diff stat and the composed message, then (confirmed) the commit."""

        def stat(sc, draft):
            steps.need_key(draft, sc)
            steps.check(sc, draft, "commit")
            return ("stat", sc.services.git.staged_diff_stat(), steps.commit_message(sc, draft))

        self.run_remote("commit", lambda sc, d: ["git diff --cached --stat"], stat, restart=self.step_commit,
                        done=self.done_commit)

    def done_commit(self, value) -> None:
        if isinstance(value, steps.Outcome):
            return  # stored and shown already
        from .modals import ConfirmScreen

        _tag, stat, message = value
        panel = self.panel
        for line in (stat or self.t("rs.nothing_staged")).splitlines():
            panel.log_line(line)
        question = self.t("rs.commit_q", stat=stat or self.t("rs.nothing_staged"), message=message.rstrip())

        def answer(yes: bool | None) -> None:
            if yes:
                self.run_remote("commit", steps.plan_git_commit, steps.git_commit, restart=self.step_commit)

        self.app.push_screen(ConfirmScreen(Text(question), self.t("rs.commit"), self.t("no")), answer)

    def step_push(self) -> None:
        self.run_remote("push", steps.plan_git_push, steps.git_push)

    def step_testing(self) -> None:
        self.run_remote("testing",
                        lambda sc, d: steps.plan_jira_move(sc, d, "testing"),
                        lambda sc, d: steps.jira_move(sc, d, "testing"))

    def show_results(self) -> None:
        self.show_field("commit.sha")
