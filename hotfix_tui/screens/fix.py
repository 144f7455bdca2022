"""§4.1 Fix and local checks: the smallest change, then fmt → init → validate → plan, run here.

The checks run in a thread worker through the app's CheckService and stream into the
command log at the bottom (``CommandLog``); each finished step is recorded in the draft,
on the timeline, and — for validate and plan — ticks the PR's test items. The plan is
reviewed on screen (counts, addresses, destroys/replaces in red, what the declared
impact does not mention) and remembered as the plan §7.3's apply may use.

Without a check service (tests, or a session that has none) or without the binary, the
manual path stays: run the command yourself and record it ("manual").

``CommandScreen`` (screens/command.py) is the shared plumbing (log panel, worker, cancel,
crash handler) that this screen, the Verify screen and the Merge screen use.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from ..config import Config
from ..model import CheckRun, now_iso
from ..services.commands import CHECK_ROWS, Commands
from ..widgets.fields import FieldSpec
from ..workflow.plan_review import record_reviewed_plan, review_lines, seal_line, tick_test_items
from ..i18n import status_word
from ..widgets.command_log import MARKS, STATUS_STYLES
from .command import CommandScreen, Job, step_label  # noqa: F401 (Job, step_label re-exported)
from .phase import Artifact
from ..textsafe import visible_text

# The rows of the screen and the steps each runs; their command lines come from the
# one builder (services/commands.py), never from strings here.
CHECKS = tuple(row for row, _steps in CHECK_ROWS)
ROW_STEPS = dict(CHECK_ROWS)


def commands_of(app) -> Commands:
    """The command builders for this app's config and its pinned kube context."""
    services = getattr(app, "services", None)
    return Commands.of(app.config, getattr(services, "checks", None) if services is not None else None)


def check_commands(draft, ctx, commands: Commands | None = None) -> str:
    """§4.1 as the lines the checks run (the configured binary, the draft's plan file)."""
    from ..i18n import tr

    commands = commands or Commands(Config())
    lines = [tr("cmd.local_checks", ctx.language)]
    from ..services.terraform import plan_file_name

    for step, line in commands.check_lines(plan_file_name(draft.id)):
        runs = [r for r in draft.checks.runs if r.name == step]
        mark = f"  # {runs[-1].status}" if runs else ""
        lines.append(line + mark)
    return "\n".join(lines) + "\n"


def row_command(commands: Commands, draft, row: str) -> str:
    """What a row's manual record stores: its steps' lines as they would run."""
    from ..services.terraform import plan_file_name

    plan_file = plan_file_name(draft.id) if row == "plan" else ""
    return " && ".join(commands.line(step, plan_file=plan_file) for step in ROW_STEPS[row])


# A review line as PlanReview.lines() writes it: "-/+ kubernetes_service.x (replace, …)".
REVIEW_LINE = re.compile(r"^\s*(-/\+|\+|~|-|<=|\.)\s+\S+ \((create|update|delete|replace|read|forget)")


# How the Fix screen paints each kind of plan-review line (the lines come from workflow/plan_review.py).
REVIEW_STYLES = {"no_changes": "bold green", "counts": "bold", "destructive": "bold red", "change": "",
                 "destructive_note": "bold red", "no_impact": "yellow", "outside": "yellow",
                 "sealed": "dim", "unsealed": "bold red"}


def plan_review_text(outcome, draft, t) -> Text:
    """The plan review as styled text: counts, addresses (destroys/replaces first, in red), warnings,
    and what the saved plan was sealed with."""
    text = Text()
    for line in review_lines(outcome, draft):
        prefix = "" if line.kind in ("no_changes", "counts") else "\n"
        text.append(prefix + line.text(t), style=REVIEW_STYLES[line.kind])
    if outcome.plan_file:
        line = seal_line(outcome.seal)
        text.append("\n" + line.text(t), style=REVIEW_STYLES[line.kind])
    return text


class FixScreen(CommandScreen):
    PHASE = "fix"
    INTRO = "intro.fix"
    FIELDS = [FieldSpec("checks.notes", "l.check_notes", "text")]
    ARTIFACTS = [Artifact("a.checks", check_commands, False, "checks")]
    BINDINGS = [
        Binding("f8", "run_all", "key.run_checks"),
        Binding("f9", "rerun", "key.rerun"),
    ]
    DEFAULT_CSS = """
    FixScreen .check-row { height: auto; }
    FixScreen .run-line { width: 1fr; height: auto; max-height: 4; }
    FixScreen .check-row Button { width: auto; min-width: 0; margin-left: 1; }
    FixScreen #plan-review { height: auto; margin-top: 1; }
    FixScreen #run-actions { height: 1; margin-top: 1; }
    FixScreen #run-actions Button { width: auto; min-width: 0; margin-right: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._plan_outcome = None

    def artifacts(self) -> list[Artifact]:
        commands = commands_of(self.app)
        return [Artifact("a.checks", lambda d, ctx: check_commands(d, ctx, commands), False, "checks")]

    def compose_extra(self):
        yield Static(self.t("l.check_rows" if self.checks is not None else "l.checks"),
                     classes="field-label", markup=False)
        for name in CHECKS:
            row = [Static(id=f"st-{name}", classes="run-line")]
            if self.checks is not None:
                row.append(Button(compact=True, label=self.t("btn.run"), id=f"go-{name}"))
            row.append(Button(compact=True, label=self.t("btn.record_check"), id=f"check-{name}"))
            yield Horizontal(*row, classes="check-row")
        if self.checks is not None:
            yield Horizontal(
                Button(compact=True, label=self.t("btn.run_all"), id="run-all"),
                Button(compact=True, label=self.t("btn.cancel_run"), id="cancel-run"),
                id="run-actions",
            )
        else:
            yield Static(self.t("log.no_service"), classes="intro", markup=False)
        yield Static(id="plan-review")

    # -- running -----------------------------------------------------------------------

    def jobs(self, rows: list[str]) -> list[Job]:
        service = self.checks
        plan_file = self.plan_file()
        jobs = []
        for row in rows:
            for step in ROW_STEPS[row]:
                jobs.append(Job(step, service.display(step, plan_file=plan_file),
                                lambda step=step, **kw: service.run_step(step, plan_file=plan_file, **kw),
                                blocks=True))
        return jobs

    def plan_file(self) -> str:
        from ..services.terraform import plan_file_name

        return plan_file_name(self.draft.id)

    def action_run_all(self) -> None:
        if self.checks is not None:
            self.start_jobs(self.jobs(list(CHECKS)))

    @on(Button.Pressed, "#run-all")
    def _run_all_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_run_all()

    @on(Button.Pressed, "#cancel-run")
    def _cancel_run_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel_run()

    @on(Button.Pressed, ".check-row Button")
    def _check_row_pressed(self, event: Button.Pressed) -> None:
        """A row's Run (``go-<row>``) or manual record (``check-<row>``)."""
        bid = event.button.id or ""
        if bid.startswith("go-") and self.checks is not None:
            event.stop()
            self.start_jobs(self.jobs([bid[len("go-"):]]))
            return
        if not bid.startswith("check-"):
            return
        event.stop()
        name = bid[len("check-"):]
        command = row_command(commands_of(self.app), self.draft, name)
        # A hand record vouches for the files as they are now (the gate compares them on leaving).
        tree = self.checks.tree_fingerprint() if self.checks is not None else ""
        self.draft.checks.add_run(
            CheckRun(name=name, command=command, status="manual", started_at=now_iso(), summary="", fingerprint=tree)
        )
        self.record(self.t("ev.check", command=command))

    # -- recording ---------------------------------------------------------------------

    def record_outcome(self, outcome) -> None:
        from ..workflow.checks import to_check_run

        run = to_check_run(outcome)
        extra = []
        if outcome.validate is not None:
            extra += [d.text() for d in outcome.validate.diagnostics]
        if outcome.review is not None:
            extra += outcome.review.lines()
        if extra:
            run.output_tail = "\n".join(filter(None, [run.output_tail, *extra]))
        self.draft.checks.add_run(run)
        self.timeline(step_label(self.checks, outcome.name), outcome)
        if not outcome.passed:
            return
        if outcome.name == "validate":
            tick_test_items(self.draft, "terraform validate", outcome.summary)
        elif outcome.name == "plan":
            self._plan_outcome = outcome
            record_reviewed_plan(self.draft, outcome, self.app.now_iso())
            counts = outcome.plan.summary() if outcome.plan is not None else outcome.summary
            tick_test_items(self.draft, "terraform plan", counts)

    # -- display -----------------------------------------------------------------------

    def refresh_extra(self) -> None:
        commands = commands_of(self.app)
        for name in CHECKS:
            steps = ROW_STEPS[name]
            runs = [r for r in self.draft.checks.runs if r.name in steps]
            text = Text()  # wraps: a failed run's summary carries the hint that fixes it
            live = next((s for s in steps if s in self._live), None)
            # The row is narrow: binary and subcommand; the log has the full line.
            command = commands.label(steps[-1])
            if live is not None:
                status = "running"
                text.append(f"{MARKS[status]} {command}  ", style=STATUS_STYLES[status])
                text.append(status_word(status, self.t), style=STATUS_STYLES[status])
            elif runs:
                run = runs[-1]
                status = run.status
                text.append(f"{MARKS.get(status, '?')} {command}", style=STATUS_STYLES.get(status, ""))
                seconds = f" {run.duration_ms / 1000:.1f}s" if run.duration_ms else ""
                text.append(f"  {status_word(status, self.t)}{seconds} {run.started_at[11:16]} {run.summary}",
                            style="dim")
            else:
                text.append(f"{MARKS['pending']} {command}  ")
                text.append(status_word("pending", self.t), style="dim")
            self.query_one(f"#st-{name}", Static).update(visible_text(text))
        review = self.query_one("#plan-review", Static)
        if self._plan_outcome is not None:
            review.update(visible_text(Text(self.t("l.plan_review") + "\n", style="bold") + plan_review_text(
                self._plan_outcome, self.draft, self.t)))
            review.display = True
            return
        last_plan = next((r for r in reversed(self.draft.checks.runs) if r.name == "plan" and r.summary), None)
        review.display = last_plan is not None
        if last_plan is not None:
            text = Text(self.t("plan.reopened", summary=last_plan.summary), style="dim")
            for line in last_plan.output_tail.splitlines():
                if REVIEW_LINE.match(line):  # the review lines stored with the run, destroys first
                    text.append("\n" + line, style="bold red" if line.lstrip().startswith("-") else "")
            review.update(visible_text(text))
