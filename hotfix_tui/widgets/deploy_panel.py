"""§7.3 deploy and monitor, as widgets the Merge screen composes: apply, then 30–60 minutes of watching.

``DeployPanel`` holds apply and the monitoring clock; ``MonitorChart`` inside it samples
pods and draws them. They run commands through the screen they sit on (a
``CommandScreen``: its command log, worker and cancel) and write the draft through it
(``record``, ``changed``); the rules (window, countdown, verdict) are workflow/deploy.py's.

Apply runs only the reviewed saved plan (``deploy.plan_file``) and only after the user
typed the Jira key (the draft id when there is none) — friction proportional to danger;
the service refuses it when the terraform files changed since that plan, when the plan
file's SHA-256 or the state's serial/lineage is not the reviewed one (the draft's seal,
checked against the file and ``terraform state pull`` at that moment), and that refusal
is shown as is. The kube context is painted red when it looks like production.

Monitoring is stored as a start time, so the countdown survives a restart of the app.
While it runs, ``kubectl get pods -o json`` is sampled every ``[monitor]
interval_seconds`` in a thread worker; each sample is a fact in the draft
(``deploy.samples``, the newest ``MAX_POD_SAMPLES``), so after a restart the chart and the
verdict read the window's samples back; two sparklines show not-ready pods and restarts
over the window, and the outcome (stable / regressed, with the evidence line) goes on
the timeline and into ``deploy.outcome`` / ``deploy.notes`` when the window ends or the
user ends it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Select, Sparkline, Static
from textual.worker import Worker, WorkerState

from ..model import in_zone
from ..textsafe import visible, visible_text
from ..workflow.deploy import monitor_left, monitor_minutes, monitor_status, pod_sample, verdict
from ..workflow.jobs import Job
from ..workflow.plan_review import reviewed_seal


class MonitorChart(Vertical):
    """The pod samples of the monitoring window: taken in a worker, drawn as two sparklines."""

    DEFAULT_CSS = """
    MonitorChart { height: auto; }
    MonitorChart .spark-row { height: 1; }
    MonitorChart .spark-row Static { width: 14; }
    MonitorChart .spark-row Sparkline { width: 1fr; }
    MonitorChart #monitor-last { height: auto; color: $text-muted; }
    """

    @dataclass
    class Sampled(Message):
        """One ``kubectl get pods`` sample from the monitor worker."""

        outcome: object
        at: str  # ISO time with offset, as the draft stores it

    def __init__(self, t, **kwargs) -> None:
        super().__init__(**kwargs)
        self.t = t
        self.cancel = threading.Event()

    @property
    def samples(self) -> list:
        """The window's samples: the draft's facts, so they outlive the screen and the app."""
        return self.screen.draft.deploy.samples

    def compose(self):
        yield Static(id="monitor-chart-label", classes="field-label")
        yield Horizontal(Static(self.t("l.spark_not_ready")), Sparkline([], id="spark-not-ready", summary_function=max),
                         classes="spark-row", id="row-not-ready")
        yield Horizontal(Static(self.t("l.spark_restarts")), Sparkline([], id="spark-restarts", summary_function=max),
                         classes="spark-row", id="row-restarts")
        yield Static(id="monitor-last")

    def on_mount(self) -> None:
        # A reopened draft's window: its stored samples are drawn at once, with the last one.
        samples = self.samples
        if samples:
            last = samples[-1]
            self.query_one("#monitor-last", Static).update(
                Text(visible(self.t("monitor.sample", summary=last.summary(), at=last.at[11:19]))))
        self.show()

    def restart(self) -> None:
        """A new window: no samples yet, and a cancel of its own."""
        self.screen.draft.deploy.samples = []
        self.cancel = threading.Event()

    def sample_if_monitoring(self, checks, monitoring: bool) -> None:
        if checks is None or not monitoring:
            return
        if any(w.group == "monitor" and not w.is_finished for w in self.app.workers if w.node is self):
            return
        self.sample_pods(checks, self.cancel)

    @work(thread=True, exclusive=True, exit_on_error=False, group="monitor", description="kubectl get pods")
    def sample_pods(self, checks, cancel: threading.Event) -> None:
        outcome = checks.kubectl_pods(cancel=cancel)
        self.post_message(self.Sampled(outcome, in_zone(self.app.clock()).isoformat(timespec="seconds")))

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        # A crashed sampler (a bug, not a failing kubectl) is told where the screen tells its own.
        if event.state == WorkerState.ERROR and event.worker.node is self and event.worker.group == "monitor":
            self.screen.worker_crashed(event.worker.error)

    @on(Sampled)
    def _sampled(self, event: Sampled) -> None:
        outcome = event.outcome
        last = self.query_one("#monitor-last", Static)
        if not outcome.passed or outcome.pods is None:
            last.update(Text(visible(self.t("monitor.sample_failed", summary=outcome.summary)), style="red"))
            return
        sample = self.screen.draft.deploy.add_sample(pod_sample(outcome.pods, event.at))
        last.update(Text(visible(self.t("monitor.sample", summary=sample.summary(), at=event.at[11:19]))))
        self.screen.changed()  # saved with the draft: the chart survives a restart
        self.show()

    def show(self) -> None:
        shown = bool(self.samples)
        for wid in ("#monitor-chart-label", "#row-not-ready", "#row-restarts"):
            self.query_one(wid).display = shown
        if not shown:
            return
        base = self.samples[0].restarts
        self.query_one("#spark-not-ready", Sparkline).data = [len(s.not_ready) for s in self.samples]
        self.query_one("#spark-restarts", Sparkline).data = [max(0, s.restarts - base) for s in self.samples]
        self.query_one("#monitor-chart-label", Static).update(self.t("l.monitor_chart", n=len(self.samples)))

    def on_unmount(self) -> None:
        self.cancel.set()


class DeployPanel(Vertical):
    """The Merge screen's §7.3 part: apply with guard rails, the monitoring clock, the hand records.

    ``checks`` is the screen's CheckService, or None (manual path: no Apply, no samples).
    """

    DEFAULT_CSS = """
    DeployPanel { height: auto; }
    DeployPanel #apply-target { height: auto; }
    """

    def __init__(self, checks, t, **kwargs) -> None:
        super().__init__(**kwargs)
        self.checks = checks
        self.t = t

    def compose(self):
        t = self.t
        if self.checks is not None:
            yield Static(id="apply-target")
        yield Static(id="monitor", classes="verdict")
        buttons = [Button(compact=True, label=t("btn.apply"), id="apply", variant="error")] \
            if self.checks is not None else []
        yield Horizontal(
            *buttons,
            Button(compact=True, label=t("btn.record_applied"), id="record-applied"),
            classes="actions",
        )
        yield Horizontal(
            Button(compact=True, label=t("btn.record_monitor_start"), id="record-monitor-start"),
            Button(compact=True, label=t("btn.record_monitor_end"), id="record-monitor-end"),
            *([Button(compact=True, label=t("btn.monitor_sample"), id="monitor-sample")]
              if self.checks is not None else []),
            classes="actions",
        )
        if self.checks is not None:
            yield MonitorChart(t)

    @property
    def draft(self):
        return self.screen.draft

    @property
    def chart(self) -> MonitorChart | None:
        found = self.query(MonitorChart)
        return found.first() if found else None

    def start_clock(self) -> None:
        """The countdown each second and, with a check service, a pod sample each interval."""
        self.set_interval(1, self.tick)
        if self.checks is not None:
            self.set_interval(max(1, self.app.config.monitor.interval_seconds), self.sample_if_monitoring)
            self.sample_if_monitoring()  # a restored window samples at once, not after N seconds

    # -- apply -------------------------------------------------------------------------

    def _context_text(self) -> Text:
        from .context_bar import kube_label

        # The context kubectl is pinned to (configured, or read at start), as the header shows it.
        context, style = kube_label(self.app)
        return Text(context, style=style or "bold")

    def _show_apply_target(self) -> None:
        if self.checks is None:
            return
        from ..services.terraform import terraform_dir

        deploy = self.draft.deploy
        text = Text(no_wrap=False)
        parts = self.t("l.apply_target", dir=terraform_dir(self.app.config), plan=deploy.plan_file or "-",
                       context="\0").split("\0")
        text.append(parts[0])
        text.append_text(self._context_text())
        text.append(parts[1] if len(parts) > 1 else "")
        if not deploy.plan_file:
            text.append("\n" + self.t("apply.no_plan"), style="yellow")
        self.query_one("#apply-target", Static).update(visible_text(text))

    def _reviewed_text(self) -> str:
        """When the plan was reviewed and, when sealed, the hash and state apply will check."""
        deploy = self.draft.deploy
        at = deploy.plan_reviewed_at or "-"
        if not deploy.plan_sha256:
            return at
        state = (self.t("apply.seal_state", serial=deploy.plan_state_serial, lineage=deploy.plan_state_lineage)
                 if deploy.plan_state_lineage else self.t("apply.seal_no_state"))
        return self.t("apply.reviewed_seal", at=at, sha=deploy.plan_sha256[:12], state=state)

    @on(Button.Pressed, "#apply")
    def apply_reviewed_plan(self) -> None:
        service = self.checks
        if service is None:
            return
        screen = self.screen
        deploy = self.draft.deploy
        if not deploy.plan_file:
            self.app.say(self.t("apply.no_plan"), severity="warning", timeout=8)
            return
        if screen.busy:
            self.app.say(self.t("log.busy"), severity="warning")
            return
        key = self.draft.backlog.jira_key or self.draft.id
        question = self.t("apply.prompt", plan=deploy.plan_file, reviewed=self._reviewed_text(),
                          context=self._context_text().plain, key=key)
        plan_file, fingerprint, seal = deploy.plan_file, deploy.plan_fingerprint, reviewed_seal(self.draft)

        def confirmed(typed: str | None) -> None:
            if typed is None:
                return
            if typed.strip() != key:
                self.app.say(self.t("apply.mismatch", key=key), severity="warning", timeout=6)
                return
            screen.start_jobs([Job("apply", service.display("apply", plan_file=plan_file),
                                   lambda **kw: service.apply(plan_file, reviewed_fingerprint=fingerprint,
                                                              reviewed_plan=seal, **kw))])

        screen.ask(question, confirmed, placeholder=key)

    def record_outcome(self, outcome, label: str) -> None:
        """A finished apply (``label``: the command as the timeline names it) goes into the draft."""
        if outcome.name != "apply":
            return
        from ..workflow.checks import to_check_run

        self.draft.checks.add_run(to_check_run(outcome))
        self.screen.timeline(label, outcome)
        if outcome.passed:
            self.draft.deploy.applied_at = self.app.now_iso()
            self.draft.deploy.apply_summary = outcome.summary
            field = self.screen.query("#f-deploy--apply_summary")
            if field:
                field.first().value = outcome.summary
        else:
            self.app.say(self.t("apply.refused", why=outcome.summary), severity="error", timeout=10)

    # -- monitoring --------------------------------------------------------------------

    def _monitoring(self) -> bool:
        left = monitor_left(self.draft, self.app.clock())
        return left is not None and left > 0

    def sample_if_monitoring(self) -> None:
        chart = self.chart
        if chart is not None:
            chart.sample_if_monitoring(self.checks, self._monitoring())

    @property
    def samples(self) -> list:
        chart = self.chart
        return chart.samples if chart is not None else []

    @on(Button.Pressed, "#monitor-sample")
    def sample_pods_now(self) -> None:
        self.sample_if_monitoring()

    def tick(self) -> None:
        """The countdown; a window that ran out with samples ends with their verdict."""
        text = monitor_status(self.draft, self.app.clock(), self.t)
        box = self.query_one("#monitor", Static)
        box.update(Text(text, style="bold"))
        box.display = bool(text)
        left = monitor_left(self.draft, self.app.clock())
        if left is not None and left <= 0 and self.samples:
            outcome, evidence = verdict(self.samples, self.t)
            self._end_monitoring(outcome, evidence)
            self.app.say(self.t("monitor.auto_end", outcome=self.t(f"outcome.{outcome}")), timeout=10)
        self._show_apply_target()
        if self.chart is not None:
            self.chart.show()

    def _end_monitoring(self, outcome: str, evidence: str) -> None:
        deploy = self.draft.deploy
        deploy.outcome = outcome
        deploy.monitor_ended_at = self.app.now_iso()
        if evidence:
            deploy.notes = "\n".join(filter(None, [deploy.notes.rstrip(), evidence]))
            for widget in self.screen.query("#f-deploy--notes"):
                widget.text = deploy.notes
            self.draft.add_event(self.t("ev.monitor_evidence", evidence=evidence), source="auto")
        for widget in self.screen.query("#f-deploy--outcome").results(Select):
            widget.value = outcome
        if self.chart is not None:
            self.chart.cancel.set()
        self.screen.record(self.t("ev.monitor_end", outcome=self.t(f"outcome.{outcome}")))

    @on(Button.Pressed, "#record-applied")
    def hand_record_applied(self) -> None:
        self.draft.deploy.applied_at = self.app.now_iso()
        self.screen.record(self.t("ev.applied"))

    @on(Button.Pressed, "#record-monitor-start")
    def start_monitoring(self) -> None:
        deploy = self.draft.deploy
        deploy.monitor_started_at = self.app.now_iso()
        deploy.monitor_ended_at = ""
        deploy.monitor_minutes = monitor_minutes(self.draft)
        if self.chart is not None:
            self.chart.restart()
        self.screen.record(self.t("ev.monitor_start", minutes=deploy.monitor_minutes))
        self.sample_if_monitoring()

    @on(Button.Pressed, "#record-monitor-end")
    def end_monitoring(self) -> None:
        outcome = self.draft.deploy.outcome
        evidence = ""
        if self.samples:
            measured, evidence = verdict(self.samples, self.t)
            outcome = outcome or measured
        if not outcome:
            self.app.say(self.t("need_value", what=self.t("l.outcome")), severity="warning")
            self.screen.query_one("#f-deploy--outcome").focus()
            return
        self._end_monitoring(outcome, evidence)
