"""Small modal screens that return typed results: confirm, one-line prompt, help."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ..textsafe import visible, visible_text
from ..widgets.fields import SafeInput


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no; Escape means no. Used for overrides and deletes."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 70; max-width: 95%; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 1 2; }
    ConfirmScreen #question { height: auto; max-height: 16; }
    ConfirmScreen Horizontal { height: auto; margin-top: 1; }
    ConfirmScreen Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False), Binding("y", "yes", show=False),
                Binding("n", "cancel", show=False)]

    def __init__(self, question: str, yes: str, no: str):
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self):
        with Vertical():
            with VerticalScroll(id="question"):
                yield Static(_shown(self.question), markup=False)
            with Horizontal():
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button(f"{self.no} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class PromptScreen(ModalScreen[str | None]):
    """One line of text; Enter returns it, Escape returns None."""

    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen > Vertical { width: 76; max-width: 95%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, prompt: str, value: str = "", placeholder: str = ""):
        super().__init__()
        self.prompt, self.value, self.placeholder = prompt, value, placeholder

    def compose(self):
        with Vertical():
            yield Label(_shown(self.prompt), markup=False)
            yield SafeInput(self.value, placeholder=self.placeholder, id="answer")

    @on(SafeInput.Submitted)
    def _submitted(self, event: SafeInput.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Keys and what the current phase is for."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", show=False)]

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def compose(self):
        with VerticalScroll():
            yield Static(_shown(self.text), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


def _shown(content):
    """A question or text as shown: str or Rich Text, with controls from data made visible."""
    return visible(content) if isinstance(content, str) else visible_text(content)
