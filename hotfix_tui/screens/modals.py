"""Small modal screens that return typed results: confirm, one-line prompt, help.

Every dialog fits 80x24: the message wraps and scrolls in the rows the terminal has left
after the dialog's frame and foot, and the buttons, each naming its key ("y/enter 커밋",
"n/esc 아니요"), stay docked at the bottom however long the message is.
"""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ..i18n import tr
from ..textsafe import visible, visible_text
from ..widgets.fields import SafeInput
from ..widgets.paint import PromptPaint

# Shared by every dialog: a box no taller than the screen, a message that scrolls, and
# one line of compact buttons that never leaves the bottom of the box.
_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > .dialog {{ width: {width}; max-width: 100%; height: auto; max-height: 100%;
    border: thick {border}; background: $surface; padding: 0 1; }}
{name} .message {{ height: auto; }}
{name} .dialog-foot {{ dock: bottom; height: auto; }}
{name} .dialog-buttons {{ height: 1; margin-top: 1; }}
{name} .dialog-buttons Button {{ width: auto; min-width: 0; margin-right: 2; }}
{name} .dialog-hint {{ width: auto; color: $text-muted; }}
"""


def _t(screen, message_id: str) -> str:
    t = getattr(screen.app, "t", None)
    return t(message_id) if t is not None else tr(message_id)


def key_label(keys: str, label: str) -> str:
    """A button's text: its key first, then what it does ("y/enter 커밋")."""
    return f"{keys} {label}"


class _Dialog(PromptPaint, ModalScreen):
    """A dialog whose message gets the rows the screen has left after its frame and foot.

    The limit is set in cells on mount and on every resize: a container of auto height
    sizes itself by its message's whole text when that message is capped in vh units,
    which pushed the buttons below the screen.
    """

    # Rows around the message: border (2), the foot with its margin, one free row above
    # and below the box.
    FRAME_ROWS = 6

    def on_mount(self) -> None:
        self._fit(self.app.size.height)

    def on_resize(self, event) -> None:
        self._fit(event.size.height)

    def action_scroll_message(self, direction: str) -> None:
        """↑↓ and PgUp/PgDn read a long message while the focus stays on the buttons."""
        message = self.query_one(".message", VerticalScroll)
        getattr(message, f"scroll_{direction}")(animate=False)

    def _fit(self, height: int) -> None:
        for message in self.query(".message"):
            message.styles.max_height = max(3, height - self.FRAME_ROWS)


class ConfirmScreen(_Dialog, ModalScreen[bool]):
    """Yes/no. y answers yes, n and Escape answer no; Enter gives ``default`` (yes unless
    the caller makes staying the safe answer, as the lose-your-edits question does)."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="ConfirmScreen", width=76, border="$warning")
    BINDINGS = [Binding("escape", "cancel", show=False), Binding("y", "yes", show=False),
                Binding("n", "cancel", show=False), Binding("enter", "default", show=False),
                Binding("up", "scroll_message('up')", show=False),
                Binding("down", "scroll_message('down')", show=False),
                Binding("pageup", "scroll_message('page_up')", show=False),
                Binding("pagedown", "scroll_message('page_down')", show=False)]

    def __init__(self, question, yes: str, no: str, *, default: bool = True):
        super().__init__()
        self.question, self.yes, self.no, self.default = question, yes, no, default

    def compose(self):
        yes_keys = _t(self, "dlg.key_yes" if self.default else "dlg.key_yes_only")
        no_keys = _t(self, "dlg.key_no" if self.default else "dlg.key_no_default")
        with Vertical(classes="dialog"):
            with VerticalScroll(id="question", classes="message"):
                yield Static(_shown(self.question), markup=False)
            with Horizontal(classes="dialog-buttons dialog-foot"):
                yield Button(key_label(yes_keys, self.yes), id="yes", variant="warning", compact=True)
                yield Button(key_label(no_keys, self.no), id="no", variant="primary", compact=True)
                yield Static(_t(self, "dlg.scroll_hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#yes" if self.default else "#no", Button).focus()
        self.call_after_refresh(self._hint_scroll)

    def _hint_scroll(self) -> None:
        """"↑↓ 스크롤" only when the message is longer than its box."""
        self.query_one(".dialog-hint").display = self.query_one(".message", VerticalScroll).max_scroll_y > 0

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_default(self) -> None:
        self.dismiss(self.default)


class PromptScreen(_Dialog, ModalScreen[str | None]):
    """One line of text; Enter returns it, Escape returns None. A long question (the
    blocking problems of a phase) scrolls above the field; field and keys stay."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="PromptScreen", width=76, border="$primary") + """
    PromptScreen .message Label { width: 100%; }  /* a Label is as wide as its text: wrap it */
    PromptScreen #answer { margin-top: 1; }
    PromptScreen .dialog-foot .dialog-buttons { margin-top: 0; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, prompt, value: str = "", placeholder: str = ""):
        super().__init__()
        self.prompt, self.value, self.placeholder = prompt, value, placeholder

    def compose(self):
        with Vertical(classes="dialog"):
            with VerticalScroll(classes="message"):
                yield Label(_shown(self.prompt), markup=False)
            with Vertical(classes="dialog-foot"):
                yield SafeInput(self.value, placeholder=self.placeholder, id="answer")
                with Horizontal(classes="dialog-buttons"):
                    yield Button(_t(self, "dlg.submit"), id="ok", variant="primary", compact=True)
                    yield Button(_t(self, "dlg.cancel"), id="cancel", compact=True)

    FRAME_ROWS = 10  # the field (3 rows and a margin) sits in the foot too

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#answer", SafeInput).focus()

    @on(SafeInput.Submitted)
    def _submitted(self, event: SafeInput.Submitted) -> None:
        self.dismiss(event.value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.dismiss(self.query_one("#answer", SafeInput).value)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(_Dialog, ModalScreen[None]):
    """Keys and what the current phase is for; the text scrolls, the close key stays shown."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="HelpScreen", width=90, border="$primary") + """
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", show=False)]

    def __init__(self, text):
        super().__init__()
        self.text = text

    def compose(self):
        with Vertical(classes="dialog"):
            with VerticalScroll(id="help-text", classes="message"):
                yield Static(_shown(self.text), markup=False)
            with Horizontal(classes="dialog-buttons dialog-foot"):
                yield Button(_t(self, "dlg.close"), id="close", variant="primary", compact=True)
                yield Static(_t(self, "dlg.scroll_hint"), classes="dialog-hint")

    FRAME_ROWS = 4  # help may take the whole height

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#help-text").focus()  # ↑↓/pgup/pgdn scroll the text at once

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def _shown(content):
    """A question or text as shown: str or Rich Text, with controls from data made visible."""
    return visible(content) if isinstance(content, str) else visible_text(content)
