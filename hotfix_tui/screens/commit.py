"""§4.2–4.4 Commit in the fixed format, push at once, move the ticket to Testing."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widgets import Button, Static

from ..model import now_iso
from ..render.artifacts import branch_name
from ..widgets.fields import FieldSpec
from .phase import Artifact, PhaseScreen, rendered


def push_commands(draft, ctx) -> str:
    from ..i18n import tr

    name = branch_name(draft, ctx)
    return (
        "git add .\n"
        f"{tr('cmd.commit_file', ctx.language)}\n"
        "git commit -F hotfix-commit-message.txt\n"
        f"git push -u origin {name}\n"
    )


class CommitScreen(PhaseScreen):
    PHASE = "commit"
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

    def compose_extra(self):
        yield Static(self.t("manual_hint"), classes="intro", markup=False)
        yield Horizontal(
            Button(compact=True, label=self.t("btn.record_commit"), id="record-commit"),
            Button(compact=True, label=self.t("btn.record_push"), id="record-push"),
            Button(compact=True, label=self.t("btn.record_testing"), id="record-testing"),
            classes="actions",
        )

    def record_record_commit(self) -> None:
        sha = self.draft.commit.sha.strip()
        if not sha:
            self.app.say(self.t("need_value", what=self.t("l.commit_sha")), severity="warning")
            self.query_one("#f-commit--sha").focus()
            return
        self.record(self.t("ev.commit", sha=sha[:12]))

    def record_record_push(self) -> None:
        self.draft.commit.pushed_at = now_iso()
        self.record(self.t("ev.push", branch=branch_name(self.draft, self.app.render_context)))

    def record_record_testing(self) -> None:
        self.record(self.t("ev.status", status=self.app.config.jira.statuses.testing))
