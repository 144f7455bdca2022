"""§3 Branch: hotfix/KEY-slug from an updated main, and the ticket moved to In Progress."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ..model import now_iso
from ..render.artifacts import branch_name, derive_slug
from ..widgets.fields import FieldSpec
from .phase import Artifact, PhaseScreen, rendered


def branch_commands(draft, ctx) -> str:
    """§3.2 as the commands to run by hand (the git integration runs them itself)."""
    from ..i18n import tr

    name = branch_name(draft, ctx)
    lang = ctx.language
    return (
        f"{tr('cmd.update_main', lang)}\n"
        "git checkout main\n"
        "git pull --ff-only origin main\n\n"
        f"{tr('cmd.create_branch', lang)}\n"
        f"git checkout -b {name}\n\n"
        f"{tr('cmd.move_in_progress', lang, status=ctx.in_progress)}\n"
    )


class BranchScreen(PhaseScreen):
    PHASE = "branch"
    INTRO = "intro.branch"
    FIELDS = [
        FieldSpec("branch.slug", "l.slug", placeholder="metallb-ip-pool-fix"),
        FieldSpec("branch.name", "l.branch_name"),
        FieldSpec("branch.base", "l.branch_base"),
    ]
    ARTIFACTS = [
        rendered("branch", "a.branch"),
        Artifact("a.git_commands", branch_commands, False, "branch-commands"),
    ]

    def compose_top(self):
        yield Static(id="branch-name", classes="verdict")

    def compose_extra(self):
        yield Static(self.t("manual_hint"), classes="intro", markup=False)
        yield Horizontal(
            Button(compact=True, label=self.t("btn.record_branch"), id="record-branch"),
            Button(compact=True, label=self.t("btn.record_in_progress"), id="record-in-progress"),
            classes="actions",
        )

    def on_mount(self) -> None:
        derived = derive_slug(self.draft.backlog.summary)
        if derived:
            self.query_one("#f-branch--slug").placeholder = derived
        super().on_mount()

    def refresh_extra(self) -> None:
        self.query_one("#branch-name", Static).update(
            Text(branch_name(self.draft, self.app.render_context), style="bold")
        )

    def record_record_branch(self) -> None:
        name = branch_name(self.draft, self.app.render_context)
        self.draft.branch.name = name
        self.draft.branch.created_at = now_iso()
        self.query_one("#f-branch--name").value = name
        self.record(self.t("ev.branch", name=name))

    def record_record_in_progress(self) -> None:
        self.record(self.t("ev.status", status=self.app.config.jira.statuses.in_progress))
