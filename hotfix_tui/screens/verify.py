"""§5 Verify: the required test items, and kubectl against the real resources."""

from __future__ import annotations

from ..model import PrTestItem
from ..widgets.fields import FieldSpec
from ..widgets.rows import Column, RowsEditor
from .phase import Artifact, PhaseScreen


def verify_markdown(draft, ctx) -> str:
    ns = ctx_namespace(ctx)
    items = "\n".join(
        f"- [{'x' if i.checked else ' '}] {i.text}" + (f" ({i.note})" if i.note.strip() else "")
        for i in draft.verify.items if i.text.strip()
    )
    return (
        f"{items}\n\n"
        "```bash\n"
        "terraform init\nterraform validate\nterraform plan\n\n"
        f"kubectl get all -n {ns}\n"
        f"kubectl logs -n {ns} {{pod-name}}\n"
        "kubectl describe {resource-type} {resource-name}\n"
        "```\n"
    )


def ctx_namespace(ctx) -> str:
    return getattr(ctx, "namespace", "") or "{namespace}"


class VerifyScreen(PhaseScreen):
    PHASE = "verify"
    INTRO = "intro.verify"
    FIELDS = [FieldSpec("verify.notes", "l.verify_notes", "text")]
    ARTIFACTS = [Artifact("a.verify", verify_markdown, True, "verify")]

    def compose_top(self):
        yield RowsEditor(
            self.t("l.verify_items"), self.draft.verify.items, PrTestItem,
            [Column("checked", "bool"), Column("text"), Column("note", placeholder=self.t("ph.note"))],
            self.t("key.add_row"), id="verify-items",
        )
