"""The base of the phase screens that run commands: the command log, one worker, cancel and re-run.

The Fix and Verify screens and the Merge screen (whose deploy widget starts apply here)
are ``CommandScreen``s; each says where a finished step goes (``record_outcome``).
"""

from __future__ import annotations

import threading

from textual import on, work
from textual.binding import Binding
from textual.worker import Worker, WorkerState, get_current_worker

from ..config import Config
from ..services.commands import Commands
from ..i18n import status_word
from ..widgets.command_log import CommandLog
from ..workflow.jobs import Job
from .phase import PhaseScreen


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
                yield CommandLog(id="log")
            yield widget

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("run_all", "rerun", "cancel_run", "toggle_log") and self.checks is None:
            return False
        return True

    @property
    def log_panel(self) -> CommandLog | None:
        found = self.query("#log")
        return found.first(CommandLog) if found else None

    @property
    def busy(self) -> bool:
        return self._worker is not None and not self._worker.is_finished

    def can_keep(self) -> bool:
        # A running command is stopped by leaving (on_unmount): the screen is not kept then.
        return super().can_keep() and not self.busy

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
    def run_jobs(self, jobs: list[Job], panel: CommandLog, cancel: threading.Event) -> None:
        """Blocking runs, off the event loop; the panel and the screen hear about them by message."""
        worker = get_current_worker()

        def on_lines(batch) -> None:
            panel.feed(batch)

        for i, job in enumerate(jobs):
            if cancel.is_set() or worker.is_cancelled:
                for rest in jobs[i:]:
                    panel.post_message(CommandLog.Info(self.t("log.skipped", what=rest.command,
                                                            blocked=status_word("cancelled", self.t))))
                return
            panel.post_message(CommandLog.Begin(job.step, job.command))
            outcome = job.run(on_lines=on_lines, cancel=cancel)
            panel.post_message(CommandLog.Finished(job.step, outcome))
            if job.blocks and not outcome.passed:
                for rest in jobs[i + 1:]:
                    panel.post_message(CommandLog.Info(self.t("log.skipped", what=rest.command, blocked=job.command)))
                return

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        """A crashed worker (a bug, not a failing command) becomes one clear line; the app goes on."""
        if event.state != WorkerState.ERROR or event.worker.node is not self:
            return
        if event.worker.group not in ("checks", "monitor"):
            return
        self.worker_crashed(event.worker.error)

    def worker_crashed(self, error: BaseException) -> None:
        """Say that a worker of this screen (or of a widget on it) crashed, in the log and a toast."""
        message = self.t("log.crashed", error=f"{type(error).__name__}: {error}")
        panel = self.log_panel
        if panel is not None:
            panel.post_message(CommandLog.Info(message))
            panel.stopped("error")
        self._live.clear()
        self.app.say(message, severity="error", timeout=10)
        self.refresh_extra()

    @on(CommandLog.Begin)
    def _step_begins(self, event: CommandLog.Begin) -> None:
        self._live = {event.step: "running"}
        self.refresh_extra()

    @on(CommandLog.Finished)
    def _step_finished(self, event: CommandLog.Finished) -> None:
        self._live.pop(event.step, None)
        self.record_outcome(event.outcome)
        self.changed()
        self.refresh_extra()

    def ask(self, question: str, answered, value: str = "", placeholder: str = "") -> None:
        """Ask for a typed answer (widgets on this screen, below the modals' layer, ask here)."""
        from .modals import PromptScreen

        self.app.push_screen(PromptScreen(question, value, placeholder), answered)

    def record_outcome(self, outcome) -> None:
        """Store a finished step in the draft (each screen decides where)."""

    def timeline(self, command: str, outcome) -> None:
        self.draft.add_event(self.t("ev.check_run", command=command, status=status_word(outcome.status, self.t),
                                    summary=outcome.summary), source="auto")

    @on(CommandLog.Retry)
    def _retry_pressed(self, event: CommandLog.Retry) -> None:
        event.stop()
        self.action_rerun()

    @on(CommandLog.Cancel)
    def _cancel_pressed(self, event: CommandLog.Cancel) -> None:
        event.stop()
        self.action_cancel_run()

    def action_cancel_run(self) -> None:
        if self._cancel is None or not self.busy:
            self.app.say(self.t("log.nothing_running"), timeout=3)
            return
        self._cancel.set()
        if self.log_panel is not None:
            self.log_panel.post_message(CommandLog.Info(self.t("log.cancelling")))

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
