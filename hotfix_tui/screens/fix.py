"""§4.1 Fix and local checks: the smallest change, then fmt → init → validate → plan, run here.

The checks run in a thread worker through the app's CheckService and stream into the
command log at the bottom (``LogPanel``); each finished step is recorded in the draft,
on the timeline, and — for validate and plan — ticks the PR's test items. The plan is
reviewed on screen (counts, addresses, destroys/replaces in red, what the declared
impact does not mention) and remembered as the plan §7.3's apply may use.

Without a check service (tests, or a session that has none) or without the binary, the
manual path stays: run the command yourself and record it ("manual").

``CommandScreen`` is the shared plumbing (log panel, worker, cancel, crash handler) that
the Verify screen and the Merge screen's deploy section use too.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState, get_current_worker

from ..config import Config
from ..model import CheckRun, now_iso
from ..services.commands import CHECK_ROWS, Commands
from ..widgets.fields import FieldSpec
from ..widgets.log_panel import MARKS, STATUS_STYLES, LogPanel, status_text
from .phase import Artifact, PhaseScreen
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


@dataclass
class Job:
    """One command for the worker: its step name, the line shown first, and how to run it."""

    step: str
    command: str
    run: Callable  # (on_lines=, cancel=) -> CheckOutcome
    blocks: bool = False  # a failure skips the jobs after it (validate needs init, …)


class CommandScreen(PhaseScreen):
    """A phase screen that runs commands: command log at the bottom, one worker, cancel, re-run."""

    BINDINGS = [
        Binding("f10", "cancel_run", "key.cancel_run"),
        Binding("f12", "toggle_log", "key.log_size", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._cancel: threading.Event | None = None
        self._last_jobs: list[Job] = []
        self._live: dict[str, str] = {}  # step → "running" while it runs
        self._worker: Worker | None = None

    @property
    def checks(self):
        """The CheckService, or None when this session has none (manual path only)."""
        services = getattr(self.app, "services", None)
        return getattr(services, "checks", None) if services is not None else None

    def compose(self):
        # The log spans the screen's width above the status line (SCREENS.md's sketch).
        for widget in super().compose():
            if widget.id == "status" and self.checks is not None:
                yield LogPanel(id="log")
            yield widget

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("run_all", "rerun", "cancel_run", "toggle_log") and self.checks is None:
            return False
        return True

    @property
    def log_panel(self) -> LogPanel | None:
        found = self.query(LogPanel)
        return found.first() if found else None

    @property
    def busy(self) -> bool:
        return self._worker is not None and not self._worker.is_finished

    def start_jobs(self, jobs: list[Job]) -> bool:
        """Run ``jobs`` in order in the checks worker; refused while another run is going."""
        panel = self.log_panel
        if panel is None or not jobs:
            return False
        if self.busy:
            self.app.say(self.t("log.busy"), severity="warning")
            return False
        self._cancel = threading.Event()
        self._last_jobs = jobs
        self._worker = self.run_jobs(jobs, panel, self._cancel)
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="checks", description="checks")
    def run_jobs(self, jobs: list[Job], panel: LogPanel, cancel: threading.Event) -> None:
        """Blocking runs, off the event loop; the panel and the screen hear about them by message."""
        worker = get_current_worker()

        def on_lines(batch) -> None:
            panel.feed(batch)

        for i, job in enumerate(jobs):
            if cancel.is_set() or worker.is_cancelled:
                for rest in jobs[i:]:
                    panel.post_message(LogPanel.Info(self.t("log.skipped", what=rest.command,
                                                            blocked=status_text("cancelled", self.t))))
                return
            panel.post_message(LogPanel.Begin(job.step, job.command))
            outcome = job.run(on_lines=on_lines, cancel=cancel)
            panel.post_message(LogPanel.Finished(job.step, outcome))
            if job.blocks and not outcome.passed:
                for rest in jobs[i + 1:]:
                    panel.post_message(LogPanel.Info(self.t("log.skipped", what=rest.command, blocked=job.command)))
                return

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        """A crashed worker (a bug, not a failing command) becomes one clear line; the app goes on."""
        if event.state != WorkerState.ERROR or event.worker.node is not self:
            return
        if event.worker.group not in ("checks", "monitor"):
            return
        error = event.worker.error
        message = self.t("log.crashed", error=f"{type(error).__name__}: {error}")
        panel = self.log_panel
        if panel is not None:
            panel.post_message(LogPanel.Info(message))
            panel.stopped("error")
        self._live.clear()
        self.app.say(message, severity="error", timeout=10)
        self.refresh_extra()

    @on(LogPanel.Begin)
    def _step_begins(self, event: LogPanel.Begin) -> None:
        self._live = {event.step: "running"}
        self.refresh_extra()

    @on(LogPanel.Finished)
    def _step_finished(self, event: LogPanel.Finished) -> None:
        self._live.pop(event.step, None)
        self.record_outcome(event.outcome)
        self.changed()
        self.refresh_extra()

    def record_outcome(self, outcome) -> None:
        """Store a finished step in the draft (each screen decides where)."""

    def timeline(self, command: str, outcome) -> None:
        self.draft.add_event(self.t("ev.check_run", command=command, status=status_text(outcome.status, self.t),
                                    summary=outcome.summary), source="auto")

    def action_cancel_run(self) -> None:
        if self._cancel is None or not self.busy:
            self.app.say(self.t("log.nothing_running"), timeout=3)
            return
        self._cancel.set()
        if self.log_panel is not None:
            self.log_panel.post_message(LogPanel.Info(self.t("log.cancelling")))

    def action_rerun(self) -> None:
        if self._last_jobs:
            self.start_jobs(list(self._last_jobs))

    def action_toggle_log(self) -> None:
        if self.log_panel is not None:
            self.log_panel.toggle_size()

    def on_unmount(self) -> None:
        # Leaving the screen stops what it started: no command runs on unseen.
        if self._cancel is not None:
            self._cancel.set()


def step_label(service, step: str) -> str:
    """``tofu validate``: the configured binary's name and the step, from the one builder."""
    config = getattr(service, "config", None) or Config()
    try:
        return Commands(config).label(step)
    except KeyError:
        return step


def declared_impact(draft) -> str:
    """What the user said the fix touches: the Jira 영향 범위 and the PR's 영향 범위."""
    parts = [draft.backlog.impact, draft.pr_impact]
    return "\n".join(dict.fromkeys(p for p in parts if p and p.strip()))


def plan_review_text(outcome, draft, t) -> Text:
    """Counts, addresses (destroys/replaces first, in red) and the outside-declared warnings."""
    from ..services.plan import outside_declared

    text = Text()
    counts = outcome.plan
    if counts is not None and counts.no_changes:
        text.append(t("plan.no_changes"), style="bold green")
    elif counts is not None:
        text.append(t("plan.counts", add=counts.add, change=counts.change, destroy=counts.destroy), style="bold")
    review = outcome.review
    if review is None:
        return text
    for change in review.destructive:
        text.append("\n" + change.line(), style="bold red")
    for change in review.touched:
        if not change.destructive:
            text.append("\n" + change.line())
    if review.destructive:
        text.append("\n" + t("plan.destructive"), style="bold red")
    declared = declared_impact(draft)
    if not declared:
        if review.touched:
            text.append("\n" + t("plan.no_impact"), style="yellow")
    else:
        for warning in outside_declared(review, declared):
            text.append("\n" + t("plan.outside", what=warning), style="yellow")
    return text


def tick_test_items(draft, prefix: str, note: str) -> None:
    """A passed check ticks its §6.2 PR test item (and the same §5.1 item) with its result as note."""
    automatic = ("Plan:", "No changes.", "The configuration is valid")
    for items in (draft.pr.tests, draft.verify.items):
        for item in items:
            if item.text.startswith(prefix):
                item.checked = True
                if not item.note.strip() or item.note.startswith(automatic):
                    item.note = note


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

    def record_run_all(self) -> None:
        self.action_run_all()

    def record_cancel_run(self) -> None:
        self.action_cancel_run()

    def on_button_pressed(self, event: Button.Pressed) -> None:
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
            deploy = self.draft.deploy
            deploy.plan_file = outcome.plan_file
            deploy.plan_fingerprint = outcome.fingerprint
            deploy.plan_reviewed_at = self.app.now_iso()
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
                text.append(status_text(status, self.t), style=STATUS_STYLES[status])
            elif runs:
                run = runs[-1]
                status = run.status
                text.append(f"{MARKS.get(status, '?')} {command}", style=STATUS_STYLES.get(status, ""))
                seconds = f" {run.duration_ms / 1000:.1f}s" if run.duration_ms else ""
                text.append(f"  {status_text(status, self.t)}{seconds} {run.started_at[11:16]} {run.summary}",
                            style="dim")
            else:
                text.append(f"{MARKS['pending']} {command}  ")
                text.append(status_text("pending", self.t), style="dim")
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
