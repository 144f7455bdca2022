"""The status-update dialog (§8.2 팀 공유): the message for the team channel, to copy or post to Slack.

The text is ``workflow.steps.status_text`` (the one builder ``hotfix status`` prints);
posting is the ``status_post`` step, sent from a thread worker, its timeline line stored
in the open draft and saved the moment it is done. ``c`` copies, ``p`` posts (only when a
webhook is configured), Escape closes.
"""

from __future__ import annotations

from textual import on, work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from ..services.errors import ServiceError
from ..textsafe import visible
from ..workflow import steps
from ..widgets.step_panel import describe_error
from .modals import _DIALOG_CSS, _Dialog, key_label


class StatusScreen(_Dialog, ModalScreen[None]):
    """The status message, Copy, Post to Slack (with a webhook), Close."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="StatusScreen", width=78, border="$primary")
    BINDINGS = [Binding("escape", "close", show=False), Binding("c", "copy", show=False),
                Binding("p", "post", show=False),
                Binding("up", "scroll_message('up')", show=False),
                Binding("down", "scroll_message('down')", show=False)]

    def __init__(self, sc: steps.StepContext, draft, draft_path=None) -> None:
        super().__init__()
        self.sc, self.draft, self.draft_path = sc, draft, draft_path
        self.text = steps.status_text(sc, draft)
        self.posting = False

    def compose(self):
        t = self.app.t
        with Vertical(classes="dialog"):
            yield Static(t("su.dialog_title"), classes="dialog-title", markup=False)
            with VerticalScroll(classes="message"):
                yield Static(visible(self.text.rstrip()), id="status-text", markup=False)
            with Horizontal(classes="dialog-buttons dialog-foot"):
                yield Button(key_label("c", t("su.copy")), id="status-copy", variant="primary", compact=True)
                if self.sc.webhook:
                    yield Button(key_label("p", t("su.post")), id="status-post", variant="warning", compact=True)
                yield Button(key_label("esc", t("su.close")), id="status-close", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#status-copy", Button).focus()

    @on(Button.Pressed, "#status-copy")
    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.app.say(self.app.t("su.copied"), timeout=4)

    @on(Button.Pressed, "#status-post")
    def action_post(self) -> None:
        if not self.sc.webhook:
            self.app.say(self.app.t("su.no_webhook"), severity="warning", timeout=8)
            return
        if self.posting:
            return
        try:
            prepared = steps.STEPS["status_post"].prepare(self.sc, self.draft)
        except (ServiceError, steps.StepError) as exc:
            self.app.say(describe_error(exc), severity="error", timeout=10)
            return
        self.text = prepared.text  # what is posted is what the dialog shows
        self.query_one("#status-text", Static).update(visible(self.text.rstrip()))
        self.posting = True
        self._post(prepared)

    @work(thread=True, exit_on_error=False, group="status-post")
    def _post(self, prepared: steps.Prepared) -> steps.Outcome:
        return prepared.send(lambda _outcome: None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "status-post":
            return
        if event.state == WorkerState.SUCCESS:
            self.posting = False
            self.app.keep_outcome(event.worker.result, self.draft_path)
            self.app.say(self.app.t("su.posted"), timeout=5)
            self.dismiss(None)
        elif event.state == WorkerState.ERROR:
            self.posting = False
            self.app.say(describe_error(event.worker.error), severity="error", timeout=15)

    @on(Button.Pressed, "#status-close")
    def action_close(self) -> None:
        self.dismiss(None)
