"""§5 Verify: the required test items, and kubectl against the real resources.

``kubectl get all -n NS`` runs in the checks worker; its rows fill a picker, and the
picked pod or resource can be looked at with ``logs`` or ``describe``. Every run is
recorded under ``verify.runs`` with a timeline event; an unreachable cluster is one clear
line in the command log and the app goes on.
"""

from __future__ import annotations

import os

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Select, Static

from ..model import PrTestItem
from ..widgets.fields import FieldSpec
from ..widgets.rows import CheckRows, test_item_fields
from .command import CommandScreen, Job
from .phase import Artifact
from ..textsafe import visible


def verify_markdown(draft, ctx, commands=None) -> str:
    """§5.1 items and §5.2's commands, as the checks and kubectl look-ups run them."""
    from ..config import Config
    from ..services.commands import Commands

    commands = commands or Commands(Config())
    items = "\n".join(
        f"- [{'x' if i.checked else ' '}] {i.text}" + (f" ({i.note})" if i.note.strip() else "")
        for i in draft.verify.items if i.text.strip()
    )
    from ..services.terraform import plan_file_name

    terraform = [line for step, line in commands.check_lines(plan_file_name(draft.id))
                 if step in ("init", "validate", "plan")]
    kubectl = [commands.line("kubectl-get"), commands.line("kubectl-logs", pod="POD"),
               commands.line("kubectl-describe", kind="TYPE", name="NAME")]
    return f"{items}\n\n```bash\n" + "\n".join(terraform) + "\n\n" + "\n".join(kubectl) + "\n```\n"


class VerifyScreen(CommandScreen):
    PHASE = "verify"
    INTRO = "intro.verify"
    FIELDS = [FieldSpec("verify.notes", "l.verify_notes", "text")]
    # The §5.1 items come first on this screen: the cursor starts on them (space ticks).
    AUTO_FOCUS = "#verify-items, " + CommandScreen.AUTO_FOCUS
    ARTIFACTS = [Artifact("a.verify", verify_markdown, True, "verify")]
    BINDINGS = [
        Binding("f8", "run_all", "key.run_checks"),
        Binding("f9", "rerun", "key.rerun"),
    ]
    DEFAULT_CSS = """
    VerifyScreen #kube-head { height: auto; margin-top: 1; }
    VerifyScreen #kube-actions { height: 1; }
    VerifyScreen #kube-actions Button { margin-right: 1; }
    VerifyScreen #kube-pick { width: 1fr; }
    VerifyScreen #kube-last { height: auto; max-height: 4; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.resources = []  # KubeResource rows of the last `get all` (restored from the draft)

    def on_mount(self) -> None:
        super().on_mount()
        if self.checks is not None and not self.resources:
            self._show_resources(restored_resources(self.draft))

    def artifacts(self) -> list[Artifact]:
        from .fix import commands_of

        commands = commands_of(self.app)
        return [Artifact("a.verify", lambda d, ctx: verify_markdown(d, ctx, commands), True, "verify")]

    def compose_top(self):
        yield CheckRows(self.t("rows.verify_items"), self.draft.verify.items, PrTestItem, test_item_fields(self.t),
                        id="verify-items", empty=self.t("rows.empty"))

    def compose_extra(self):
        if self.checks is None:
            return
        from ..widgets.context_bar import kube_label

        kc = self.app.config.kubectl
        context, style = kube_label(self.app)  # the context kubectl is pinned to, as in the header
        head = Text(self.t("l.kube"))
        head.append(f"context {context}", style=style or "bold")
        head.append(f", namespace {kc.namespace}")
        yield Static(head, id="kube-head")
        yield Horizontal(
            Button(compact=True, label=self.t("btn.kube_get"), id="kube-get"),
            Button(compact=True, label=self.t("btn.kube_logs"), id="kube-logs"),
            Button(compact=True, label=self.t("btn.kube_describe"), id="kube-describe"),
            id="kube-actions",
        )
        yield Select([], prompt=self.t("l.kube_pick"), id="kube-pick", compact=True)
        yield Static(id="kube-last")

    # -- running -----------------------------------------------------------------------

    def action_run_all(self) -> None:
        self.run_kube_get()

    @on(Button.Pressed, "#kube-get")
    def run_kube_get(self) -> None:
        service = self.checks
        if service is None:
            return
        self.start_jobs([Job("kubectl-get", service.display("kubectl-get"), service.kubectl_get_all)])

    def _picked(self):
        if not self.resources:
            self.app.say(self.t("kube.need_get"), severity="warning")
            return None
        value = self.query_one("#kube-pick", Select).value
        match = next((r for r in self.resources if r.ref == value), None)
        if match is None:
            self.app.say(self.t("kube.need_pick"), severity="warning")
            self.query_one("#kube-pick", Select).focus()
        return match

    @on(Button.Pressed, "#kube-logs")
    def run_kube_logs(self) -> None:
        service, picked = self.checks, self._picked()
        if service is None or picked is None:
            return
        if not picked.is_pod:
            self.app.say(self.t("kube.logs_pods_only"), severity="warning")
            return
        self.start_jobs([Job("kubectl-logs", service.display("kubectl-logs", pod=picked.name),
                             lambda **kw: service.kubectl_logs(picked.name, **kw))])

    @on(Button.Pressed, "#kube-describe")
    def run_kube_describe(self) -> None:
        service, picked = self.checks, self._picked()
        if service is None or picked is None:
            return
        self.start_jobs([Job("kubectl-describe", service.display("kubectl-describe", kind=picked.kind,
                                                                  name=picked.name),
                             lambda **kw: service.kubectl_describe(picked.kind, picked.name, **kw))])

    # -- recording ---------------------------------------------------------------------

    def record_outcome(self, outcome) -> None:
        from ..workflow.checks import to_check_run

        run = to_check_run(outcome)
        if outcome.resources:
            run.output_tail = "\n".join(filter(None, [run.output_tail, RESOURCES_PREFIX + " ".join(
                r.ref for r in outcome.resources)]))
        self.draft.verify.add_run(run)
        self.timeline(short_command(outcome), outcome)
        if outcome.name == "kubectl-get" and outcome.passed:
            self._show_resources(list(outcome.resources))

    def _show_resources(self, resources: list) -> None:
        self.resources = resources
        if not resources:
            return
        pick = self.query_one("#kube-pick", Select)
        pick.set_options([(r.ref, r.ref) for r in resources])
        first_pod = next((r for r in resources if r.is_pod), None)
        if first_pod is not None:
            pick.value = first_pod.ref

    def refresh_extra(self) -> None:
        if self.checks is None:
            return
        last = self.draft.verify.runs[-1] if self.draft.verify.runs else None
        box = self.query_one("#kube-last", Static)
        box.display = last is not None or bool(self._live)
        if self._live:
            box.update(Text(visible(next(iter(self._live))) + " …", style="bold yellow"))
        elif last is not None:
            ok = last.status == "passed"
            box.update(Text(visible(f"{'✓' if ok else '✗'} {last.command}  {last.status}  {last.summary}"),
                            style="green" if ok else "red"))


RESOURCES_PREFIX = "resources: "


def restored_resources(draft) -> list:
    """The rows of the last passed ``get all``, from its record (so a reopened draft can pick)."""
    from ..services.kubectl import KubeResource

    run = next((r for r in reversed(draft.verify.runs) if r.name == "kubectl-get" and r.status == "passed"), None)
    line = next((ln for ln in reversed((run.output_tail if run else "").splitlines())
                 if ln.startswith(RESOURCES_PREFIX)), "")
    refs = [ref.partition("/") for ref in line[len(RESOURCES_PREFIX):].split()]
    return [KubeResource(kind, name) for kind, _, name in refs if kind and name]


def short_command(outcome) -> str:
    """The command as the timeline tells it: the program's name, not its install path."""
    command, binary = outcome.command, outcome.result.argv[0] if outcome.result.argv else ""
    if binary and command.startswith(binary):
        return os.path.basename(binary) + command[len(binary):]
    return command
