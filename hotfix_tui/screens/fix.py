"""§4.1 Fix and local checks: the smallest change, then fmt → init → validate → plan.

Runs are recorded in the draft (command, time, status). Until the runner integration
lands, each check is run by the engineer in their own shell and recorded here by hand;
the record says so ("manual").
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ..model import CheckRun, now_iso
from ..widgets.fields import FieldSpec
from .phase import Artifact, PhaseScreen

CHECKS = (
    ("fmt", "terraform fmt -recursive"),
    ("init", "terraform init -input=false"),
    ("validate", "terraform validate"),
    ("plan", "terraform plan -input=false -out=hotfix.tfplan -detailed-exitcode"),
)


def check_commands(draft, ctx) -> str:
    from ..i18n import tr

    lines = [tr("cmd.local_checks", ctx.language)]
    for name, command in CHECKS:
        runs = [r for r in draft.checks.runs if r.name == name]
        mark = f"  # {runs[-1].status}" if runs else ""
        lines.append(command + mark)
    return "\n".join(lines) + "\n"


class FixScreen(PhaseScreen):
    PHASE = "fix"
    INTRO = "intro.fix"
    FIELDS = [FieldSpec("checks.notes", "l.check_notes", "text")]
    ARTIFACTS = [Artifact("a.checks", check_commands, False, "checks")]
    DEFAULT_CSS = """
    FixScreen .check-row { height: 1; }
    FixScreen .run-line { width: 1fr; }
    FixScreen .check-row Button { width: auto; }
    """

    def compose_extra(self):
        yield Static(self.t("l.checks"), classes="field-label", markup=False)
        for name, _command in CHECKS:
            yield Horizontal(
                Static(id=f"run-{name}", classes="run-line"),
                Button(compact=True, label=self.t("btn.record_check"), id=f"check-{name}"),
                classes="check-row",
            )

    def refresh_extra(self) -> None:
        for name, command in CHECKS:
            runs = [r for r in self.draft.checks.runs if r.name == name]
            text = Text(no_wrap=True, overflow="ellipsis")
            if runs:
                run = runs[-1]
                ok = run.status in ("passed", "manual")
                text.append(("✓ " if ok else "✗ ") + command, style="green" if ok else "red")
                text.append(f"  {run.status} {run.started_at[11:16]} {run.summary}", style="dim")
            else:
                text.append(f"☐ {command}")
            self.query_one(f"#run-{name}", Static).update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        if not bid.startswith("check-"):
            return
        event.stop()
        name = bid[len("check-"):]
        command = dict(CHECKS)[name]
        self.draft.checks.runs.append(
            CheckRun(name=name, command=command, status="manual", started_at=now_iso(), summary="")
        )
        self.record(self.t("ev.check", command=command))
