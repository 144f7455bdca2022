"""§7.1–7.2 Review, merge, clean up and close the ticket; §7.3 deploy lives in deploy.py."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widgets import Button, Static

from ..model import now_iso
from ..render.artifacts import branch_name
from ..widgets.fields import FieldSpec
from .deploy import DeploySection
from .phase import Artifact, PhaseScreen


def merge_commands(draft, ctx) -> str:
    from ..i18n import tr

    name = branch_name(draft, ctx)
    return (
        f"{tr('cmd.after_merge', ctx.language)}\n"
        f"git branch -d {name}\n"
        f"git push origin --delete {name}\n"
        "git checkout main\n"
        "git pull origin main\n\n"
        f"{tr('cmd.deploy', ctx.language)}\n"
        "terraform apply hotfix.tfplan\n"
    )


class MergeScreen(DeploySection, PhaseScreen):
    PHASE = "merge"
    INTRO = "intro.merge"
    FIELDS = [
        FieldSpec("merge.reviewers", "l.reviewers", "csv"),
        FieldSpec("merge.self_merge", "l.self_merge", "bool"),
        FieldSpec("merge.merge_sha", "l.merge_sha"),
    ]
    ARTIFACTS = [Artifact("a.merge_commands", merge_commands, False, "merge-commands")]

    def compose_top(self):
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
        yield from self.compose_deploy()

    def on_mount(self) -> None:
        super().on_mount()
        self.start_deploy_clock()

    def refresh_extra(self) -> None:
        self._tick_monitor()

    def record_record_review(self) -> None:
        self.draft.merge.review_requested_at = now_iso()
        who = ", ".join(self.draft.merge.reviewers) or "-"
        self.record(self.t("ev.review", who=who))

    def record_record_merged(self) -> None:
        self.draft.merge.merged_at = now_iso()
        how = self.t("ev.self_merge") if self.draft.merge.self_merge else ""
        self.record(self.t("ev.merged", how=how))

    def record_record_branch_deleted(self) -> None:
        self.draft.merge.branch_deleted_at = now_iso()
        self.draft.merge.main_updated_at = self.draft.merge.branch_deleted_at
        self.record(self.t("ev.branch_deleted", name=branch_name(self.draft, self.app.render_context)))

    def record_record_done(self) -> None:
        self.draft.merge.jira_done_at = now_iso()
        self.record(self.t("ev.status", status=self.app.config.jira.statuses.done))
