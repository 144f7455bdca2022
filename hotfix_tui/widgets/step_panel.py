"""The remote-step panel: buttons that do a phase's Jira/git/GitHub steps, and their log.

lazygit style: before a step runs, the log shows every command or request it will make
(the step's dry run); after, what came back (key, URL, SHA) or one clear error with a
Retry. The step runs in a thread worker owned by the panel, on a copy of the draft, so
typing goes on meanwhile and nothing typed is lost when it fails; the worker touches no
widget — the panel's one ``Worker.StateChanged`` handler turns the result into a
``Finished`` or ``Failed`` message for the screen.

:class:`RemoteSteps` is the half a phase screen mixes in: it builds the step context,
starts steps, applies and saves each result the moment it exists (also from inside a
running step, for the PR number before its reviewers and each follow-up key), and puts
the result into the form.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual import on, work
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from ..services.errors import CONFIG, UNREACHABLE, ServiceError, one_line, redact
from ..textsafe import visible
from ..workflow import outbox, steps
from .command_log import FAILED, CommandLog

GROUP = "remote-step"
MAX_LOG_LINES = 40
LINE_LIMIT = 300  # characters of one logged request (a ticket's JSON body runs long)


def describe_error(error: BaseException) -> str:
    """One line for the screen: which server, what went wrong, what to check. No tokens."""
    if isinstance(error, (ServiceError, steps.StepError)):
        return one_line(redact(str(error)))
    return one_line(redact(f"{type(error).__name__}: {error}"))


def offers_manual_path(error: BaseException) -> bool:
    """Jira and GitHub can always be done by hand; git is named by its own hint."""
    if not isinstance(error, ServiceError):
        return False
    return error.system != "git" or error.kind in (UNREACHABLE, CONFIG)


class StepPanel(Vertical):
    """Step buttons over the command log (``CommandLog``: the step's requests, its result, Retry, Cancel)."""

    DEFAULT_CSS = """
    StepPanel { height: auto; border: round $primary; padding: 0 1; margin-bottom: 1; }
    StepPanel > .step-buttons { height: auto; }
    StepPanel > .step-buttons Button { margin-right: 1; }
    StepPanel > CommandLog { border-top: none; background: transparent; max-height: 20; }
    StepPanel > CommandLog .log-head { padding: 0; max-height: 4; }
    StepPanel > CommandLog .log-lines { height: auto; max-height: 12; padding: 0; background: transparent; }
    StepPanel.-failed { border: round $error; }
    StepPanel #step-queue, StepPanel #step-sync { display: none; }
    StepPanel.-queueable #step-queue, StepPanel.-pending #step-sync { display: block; }
    """

    @dataclass
    class Finished(Message):
        panel: "StepPanel"
        name: str
        value: Any

    @dataclass
    class Failed(Message):
        panel: "StepPanel"
        name: str
        error: BaseException

    @dataclass
    class Requested(Message):
        """A step's button was pressed: the screen starts that step."""

        panel: "StepPanel"
        button_id: str

    @dataclass
    class QueueRequested(Message):
        """Queue was pressed after step ``name`` found its server out of reach (``error``)."""

        panel: "StepPanel"
        name: str
        error: BaseException

    @dataclass
    class SyncRequested(Message):
        """Send what waits in the draft's outbox."""

        panel: "StepPanel"

    @dataclass
    class CancelRequested(Message):
        """Cancel was pressed while step ``name`` runs: the screen stops what it can."""

        panel: "StepPanel"
        name: str

    def __init__(self, title: str, buttons: list[tuple[str, str]], retry_label: str, *, id: str | None = None):
        super().__init__(id=id)
        self.border_title = visible(title)
        self.saved: list[str] = []  # results saved while the current step ran
        self.buttons = buttons
        self.retry_label = retry_label
        self.current: tuple[str, str] | None = None  # (name, label) of the running step
        self._restart: Callable[[], None] | None = None
        # The step that may be queued, and the error that said its server was out of reach.
        self.queueable: tuple[str, BaseException] | None = None

    def compose(self):
        t = self.app.t
        with Horizontal(classes="step-buttons"):
            for button_id, label in self.buttons:
                yield Button(label, id=button_id, compact=True, variant="primary", classes="step-start")
            yield Button(t("rs.queue"), id="step-queue", compact=True, variant="warning")
            yield Button(t("rs.sync", n=0), id="step-sync", compact=True, variant="success")
        yield CommandLog(max_lines=MAX_LOG_LINES, prefix="step", retry_label=self.retry_label, hide_idle=True,
                         id="step-log")

    # -- the log ------------------------------------------------------------------------

    @property
    def log(self) -> CommandLog:
        return self.query_one("#step-log", CommandLog)

    @property
    def lines(self) -> list[str]:
        """What the log shows (for tests and copy)."""
        return self.log.lines

    def log_line(self, text: str) -> None:
        """Add a line (made visible, secrets masked, one request at most ``LINE_LIMIT`` long)."""
        text = visible(redact(text))
        if len(text) > LINE_LIMIT:
            text = text[: LINE_LIMIT - 1] + "…"
        if self.is_mounted:
            self.log.add(text)
            self.scroll_visible()

    def clear_log(self) -> None:
        self.saved.clear()
        if self.is_mounted:
            self.log.clear()

    def refused(self, name: str, label: str, restart: Callable[[], None]) -> None:
        """The step was refused before anything was sent: the log shows it as failed."""
        self._restart = restart
        self.clear_log()
        self.add_class("-failed")
        self.log.begin(name, label, title=label, lines=[])

    def ended(self, status: str, summary: str) -> None:
        """The step's status, duration and result (or error) in the log's head."""
        self.set_class(status in FAILED, "-failed")
        self.log.end(status, visible(redact(summary)), line=False)

    @property
    def running(self) -> bool:
        return self.current is not None

    # -- running ------------------------------------------------------------------------

    def start(self, name: str, label: str, plan: list[str], job: Callable[[], Any],
              restart: Callable[[], None], running_text: str) -> bool:
        """Show what will be done, then do it in a worker. False when a step is running."""
        if self.running:
            return False
        self.current = (name, label)
        self._restart = restart
        self.remove_class("-failed")
        self.remove_class("-queueable")
        self.queueable = None
        self.clear_log()  # the log shows the step at hand: what it will do, then what it did
        self.log.begin(name, label, title=label, lines=[])
        for line in plan:
            self.log_line(f"$ {line}")
        self.log_line(running_text)
        self._work(job)
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group=GROUP, description="remote step")
    def _work(self, job: Callable[[], Any]) -> Any:
        return job()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != GROUP or self.current is None:
            return
        name, _label = self.current
        if event.state == WorkerState.SUCCESS:
            self.current = None
            self.post_message(self.Finished(self, name, event.worker.result))
        elif event.state == WorkerState.ERROR:
            self.current = None
            self.add_class("-failed")
            self.post_message(self.Failed(self, name, event.worker.error))
        elif event.state == WorkerState.CANCELLED:
            self.current = None
            self.ended("cancelled", "")

    @on(Button.Pressed, ".step-start")
    def _requested(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Requested(self, event.button.id or ""))

    def offer_queue(self, name: str, error: BaseException) -> None:
        """Step ``name`` could not reach its server (``error``): offer to keep it in the outbox."""
        self.queueable = (name, error)
        self.add_class("-queueable")

    def show_pending(self, count: int) -> None:
        """How many steps wait in the draft's outbox (the Sync button says it; none: hidden)."""
        self.set_class(count > 0, "-pending")
        if count:
            self.query_one("#step-sync", Button).label = self.app.t("rs.sync", n=count)

    @on(Button.Pressed, "#step-queue")
    def _queue(self, event: Button.Pressed) -> None:
        event.stop()
        if self.queueable is not None and not self.running:
            self.post_message(self.QueueRequested(self, *self.queueable))

    @on(Button.Pressed, "#step-sync")
    def _sync(self, event: Button.Pressed) -> None:
        event.stop()
        if not self.running:
            self.post_message(self.SyncRequested(self))

    @on(CommandLog.Retry)
    def _retry(self, event: CommandLog.Retry) -> None:
        event.stop()
        if self._restart is not None and not self.running:
            self._restart()

    @on(CommandLog.Cancel)
    def _cancel(self, event: CommandLog.Cancel) -> None:
        event.stop()
        if self.current is not None:
            self.post_message(self.CancelRequested(self, self.current[0]))


class RemoteSteps:
    """Mixed into a PhaseScreen: run its remote steps (``workflow.steps.STEPS``) through ``app.services``.

    A screen lists ``REMOTE_STEPS`` as (step name, catalogue key of its button).
    ``step_starts()`` gives the callable that starts each — by default the step itself; a
    screen replaces the entries that ask something first (a confirmation, a typed key) —
    and the buttons, F8 and the palette all go through :meth:`start_step`.
    ``next_remote_step()`` names the first one whose fact does not hold yet (F8 runs it).
    """

    REMOTE_STEPS: list[tuple[str, str]] = []
    # Each started step's (done, failed) hooks, by name; replaced, never mutated in place,
    # so this class-level empty table is never shared.
    _step_hooks: dict[str, tuple] = {}

    # -- what is available --------------------------------------------------------------

    @property
    def services(self):
        return self.app.services

    def system_ready(self, system: str) -> bool:
        services = self.services
        if services is None:
            return False
        if system == "git":
            return services.git is not None
        service = getattr(services, system, None)
        return service is not None and bool(service.configured)

    def ready_steps(self) -> list[tuple[str, str]]:
        return [s for s in self.REMOTE_STEPS if self.system_ready(steps.STEPS[s[0]].system)]

    def step_starts(self) -> dict[str, Callable[[], None]]:
        """Each step's start by its ``REMOTE_STEPS`` name: the step itself unless the screen
        asks something first (it returns its own entries on top of these)."""
        return {name: partial(self.run_remote, name) for name, _key in self.REMOTE_STEPS}

    def start_step(self, name: str) -> None:
        step = steps.STEPS[name]
        if step.already is not None and step.holds(self.draft):
            self.app.say(self.t("rs.nothing_next"))  # never a second ticket or follow-up
            return
        start = self.step_starts().get(name)
        if start is not None:
            start()

    @staticmethod
    def step_button_id(name: str) -> str:
        return f"step-{name.replace('_', '-')}"

    def step_label(self, name: str) -> str:
        for step, key in self.REMOTE_STEPS:
            if step == name:
                return self.t(key, status=self.status_name(name))
        return name

    def status_name(self, name: str) -> str:
        statuses = self.app.config.jira.statuses
        return getattr(statuses, name, "") if name in steps.STATUS_ALIASES else ""

    @property
    def sc(self) -> steps.StepContext:
        return steps.StepContext(self.services, self.app.config)

    def compose_remote(self):
        """The panel (only when some step's system is configured) and what is not."""
        if self.services is None:
            return
        ready = self.ready_steps()
        systems = [steps.STEPS[name].system for name, _k in self.REMOTE_STEPS]
        for system in sorted({system for system in systems if not self.system_ready(system)}):
            which = {"jira": "[jira] url", "github": "[github] repo"}.get(system, system)
            label = {"jira": "Jira", "github": "GitHub"}.get(system, system)
            yield Static(self.t("rs.not_configured", system=label, which=which), classes="intro", markup=False)
        if not ready:
            return
        where = " · ".join(dict.fromkeys(self._where(steps.STEPS[name].system) for name, _k in ready))
        buttons = [(self.step_button_id(name), f"{self.step_label(name)}") for name, _k in ready]
        panel = StepPanel(self.t("rs.title", where=where), buttons, self.t("rs.retry"), id="step-panel")
        panel.border_subtitle = self.t("rs.f8_hint")
        yield panel

    def _where(self, system: str) -> str:
        services = self.services
        if system == "jira":
            return services.jira.cfg.project_key or "Jira"
        if system == "github":
            return services.github.cfg.repo
        git = services.git
        return f"git {git.remote}/{git.main}"

    @property
    def panel(self) -> StepPanel | None:
        found = self.query("#step-panel")
        return found.first(StepPanel) if found else None

    # -- running -------------------------------------------------------------------------

    def run_remote(self, name: str, *, restart: Callable[[], None] | None = None,
                   done: Callable[[Any], Any] | None = None,
                   failed: Callable[[BaseException], bool] | None = None, **options: Any) -> None:
        """Prepare step ``name`` on a copy of the draft, show its lines, send it in the panel's
        worker; then ``done(value)`` (may be async) or ``failed(error)`` (True: handled, no
        failure shown). A refusal found while preparing is shown at once, nothing sent."""
        restart = restart or (lambda: self.run_remote(name, done=done, failed=failed, **options))
        prepared = self.prepare_step(name, restart, **options)
        if prepared is not None:
            self.run_prepared(name, prepared, restart, done=done, failed=failed)

    def prepare_step(self, name: str, restart: Callable[[], None], **options: Any) -> steps.Prepared | None:
        """Step ``name`` prepared on a copy of the draft, or None (refused and shown, or busy)."""
        panel = self.panel
        if panel is None:
            return None
        if panel.running:
            self.app.say(self.t("rs.busy"), severity="warning")
            return None
        try:
            return steps.STEPS[name].prepare(self.sc, copy.deepcopy(self.draft), **options)
        except (ServiceError, steps.StepError) as exc:
            panel.refused(name, self.step_label(name), restart)
            self._failed(panel, name, exc)
            return None

    def run_prepared(self, name: str, prepared: steps.Prepared, restart: Callable[[], None], *,
                     done: Callable[[Any], Any] | None = None,
                     failed: Callable[[BaseException], bool] | None = None, label: str = "") -> None:
        """Show ``prepared.lines`` and send exactly that in the panel's worker."""
        panel = self.panel
        if panel is None:
            return
        if panel.running:
            self.app.say(self.t("rs.busy"), severity="warning")
            return
        app = self.app
        self.step_draft_path = app.loaded.path if app.loaded is not None else None
        self._step_hooks = {**self._step_hooks, name: (done, failed)}

        def work() -> Any:
            value = prepared.send(self.keep_from_thread)
            if isinstance(value, steps.Outcome):
                # Stored from here, not by the screen's message handler: saved even if
                # the engineer has moved to another phase meanwhile.
                app.call_from_thread(self.keep, value)
            return value

        label = label or self.step_label(name)
        panel.start(name, label, prepared.lines, work, restart, self.t("rs.running", what=label))

    def keep(self, outcome: steps.Outcome, show: bool = False) -> None:
        """Store a step's result in the open draft (with its event), save at once, show it."""
        if not self.app.keep_outcome(outcome, getattr(self, "step_draft_path", None)):
            return  # another draft is open now: the result was said, to be typed in
        if not self.is_attached:
            return
        self.changed()
        self.show_results()
        self.refresh_steps()
        panel = self.panel
        if show and panel is not None and outcome.result not in panel.saved:
            panel.saved.append(outcome.result)
            panel.log_line(self.t("rs.saved_result", result=outcome.result))

    def keep_from_thread(self, outcome: steps.Outcome) -> None:
        """For a step's intermediate results: store them before the step goes on."""
        self.app.call_from_thread(self.keep, outcome, True)

    def refresh_extra(self) -> None:
        self.refresh_steps()

    def refresh_steps(self) -> None:
        """Tick the buttons of the steps already done (by the app or recorded by hand)."""
        panel = self.panel
        if panel is None:
            return
        pending = outbox.pending(self.draft)
        waiting = {self.draft.outbox[i].step for i in pending}
        for name, _key in self.ready_steps():
            found = panel.query(f"#{self.step_button_id(name)}")
            if found:
                mark = "✓ " if self.remote_done(name) else "⏳ " if name in waiting else ""
                found.first(Button).label = mark + self.step_label(name)
        panel.show_pending(len(pending))

    def show_results(self) -> None:
        """Hook: put values a step stored into the form's widgets."""

    def show_field(self, path: str) -> None:
        from .fields import field_id, get_path, to_widget_value

        spec = self._specs.get(field_id(path))
        found = self.query(f"#{field_id(path)}")
        if spec is None or not found:
            return
        widget = found.first()
        value = to_widget_value(spec, get_path(self.draft, path))
        if hasattr(widget, "load_text"):
            if widget.text != value:
                widget.load_text(value)
        elif widget.value != value:
            widget.value = value

    def action_run_step(self) -> None:
        if outbox.pending(self.draft):
            self.sync_outbox()  # what waits goes first, in its order
            return
        name = self.next_remote_step()
        if name is None:
            self.app.say(self.t("rs.nothing_next"))
            return
        self.start_step(name)

    def next_remote_step(self) -> str | None:
        for name, _key in self.ready_steps():
            if not self.remote_done(name):
                return name
        return None

    def remote_done(self, name: str) -> bool:
        """Whether the fact step ``name`` establishes is in the draft (by the app or by hand)."""
        return steps.STEPS[name].holds(self.draft)

    def record_jira_move(self, alias: str) -> None:
        """A manual record of a Jira move: the fact, then the timeline line (display only)."""
        status = self.status_name(alias) or alias
        self.draft.record_jira_move(alias, status, self.app.now_iso())
        self.record(self.t("ev.status", status=status))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "run_step":
            return bool(self.ready_steps())
        return True

    # -- messages ------------------------------------------------------------------------

    def on_step_panel_requested(self, event: StepPanel.Requested) -> None:
        event.stop()
        by_button = {self.step_button_id(name): name for name, _key in self.REMOTE_STEPS}
        name = by_button.get(event.button_id)
        if name is not None:
            self.start_step(name)

    def _hooks(self, name: str) -> tuple:
        return self._step_hooks.get(name, (None, None))

    async def on_step_panel_finished(self, event: StepPanel.Finished) -> None:
        event.stop()
        handler = self._hooks(event.name)[0]
        value = event.value
        if handler is not None:  # an Outcome is stored already (see run_remote)
            result = handler(value)
            if inspect.isawaitable(result):
                await result
        if isinstance(value, steps.Outcome):
            label = self.step_label(event.name)
            event.panel.log_line(self.t("rs.done_line", what=label, result=value.result))
            for warning in value.warnings:
                event.panel.log_line(self.t("rs.warning_line", warning=warning))
                self.app.say(redact(warning), severity="warning", timeout=10)
            event.panel.ended("done", value.result)
        elif not event.panel.running:
            event.panel.ended("done", "")

    def on_step_panel_failed(self, event: StepPanel.Failed) -> None:
        event.stop()
        handler = self._hooks(event.name)[1]
        if handler is not None and handler(event.error):
            event.panel.ended("asking", "")  # handled: the screen asks its question
            return
        self._failed(event.panel, event.name, event.error)

    def _failed(self, panel: StepPanel, name: str, error: BaseException) -> None:
        message = describe_error(error)
        panel.log_line(self.t("rs.failed_line", what=self.step_label(name), error=message))
        panel.log_line(self.t("rs.retry_hint"))
        if offers_manual_path(error):
            panel.log_line(self.t("rs.manual_path"))
        if outbox.can_queue(name, error):
            panel.offer_queue(name, error)
            panel.log_line(self.t("rs.queue_hint"))
        panel.ended("failed", message)
        self.app.say(message, severity="error", timeout=15)

    def on_step_panel_queue_requested(self, event: StepPanel.QueueRequested) -> None:
        """Keep the step in the draft's outbox; `hotfix sync`, F8 or Sync sends it later."""
        event.stop()
        item = outbox.queue(self.sc, self.draft, event.name, event.error)
        event.panel.remove_class("-queueable")
        event.panel.queueable = None
        event.panel.log_line(self.t("rs.queued", what=self.step_label(item.step)))
        self.app.mark_dirty()
        self.app.save_now()
        self.changed()
        self.refresh_steps()

    def on_step_panel_sync_requested(self, event: StepPanel.SyncRequested) -> None:
        event.stop()
        self.sync_outbox()

    def sync_outbox(self) -> None:
        """Send the outbox in the panel's worker, on a copy of the draft; each outcome is
        applied to the copy (the next step is prepared from it) and to the open draft."""
        if self.panel is None:
            return
        snapshot = copy.deepcopy(self.draft)
        sc = self.sc
        lines = [f"{self.t('rs.sync_line', what=self.step_label(snapshot.outbox[i].step))}"
                 for i in outbox.pending(snapshot)]

        def send(keep: steps.Progress) -> list:
            def both(outcome: steps.Outcome) -> None:
                outcome.apply(snapshot)
                keep(outcome)

            return outbox.sync(sc, lambda: snapshot, both)

        self.run_prepared("sync", steps.Prepared(lines, send), self.sync_outbox, done=self.synced,
                          label=self.t("rs.sync", n=len(lines)))

    def synced(self, sent: list) -> None:
        panel = self.panel
        for item in sent:
            line = self.t(f"rs.synced.{item.state}", what=self.step_label(item.step), result=item.result)
            if panel is not None:
                panel.log_line(line)
            if item.state in ("conflict", "failed"):
                self.app.say(line, severity="warning", timeout=15)
        self.show_results()
        self.refresh_steps()

    def on_step_panel_cancel_requested(self, event: StepPanel.CancelRequested) -> None:
        """Cancel: a git step stops now (its process group); a request to Jira or GitHub
        cannot be called back and ends by its timeout, its result still stored."""
        event.stop()
        step = steps.STEPS.get(event.name)  # None for the outbox's sync: Jira/GitHub requests
        system = step.system if step is not None else ""
        services = self.services
        if system == "git" and services is not None and services.git is not None:
            services.git.cancel()
            event.panel.log_line(self.t("log.cancelling"))
            return
        service = getattr(services, system, None) if system else None
        seconds = getattr(getattr(service, "cfg", None), "timeout", 20)
        message = self.t("log.cancel_request", what=self.step_label(event.name), seconds=f"{seconds:g}")
        event.panel.log_line(message)
        self.app.say(message, severity="warning", timeout=10)
