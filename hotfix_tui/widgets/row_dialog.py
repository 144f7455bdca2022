"""The small dialog that edits one row of a row list: a few labelled fields, Save and Cancel.

A row list (widgets/rows.py) opens it with the row's values; what comes back is a dict of
the values as typed (a Select's value as it shows it, "" for its blank). A ``check``
function may refuse them: the dialog then shows its one error under the fields and keeps
everything typed, so nothing is lost to a typo in a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from textual import events, on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from ..textsafe import visible, visible_line
from .fields import SafeInput
from .paint import PromptPaint


@dataclass(frozen=True)
class RowField:
    """One field of a row as its dialog edits it."""

    attr: str  # the row's attribute
    label: str  # shown left of the field
    kind: str = "input"  # input | select
    placeholder: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (label, value) for a select


Check = Callable[[dict], "tuple[str, str] | None"]  # values → (attr, message) when refused


class RowDialog(PromptPaint, ModalScreen["dict | None"]):
    """Edit one row. Enter in a text field or Save keeps; Escape or Cancel drops."""

    DEFAULT_CSS = """
    RowDialog { align: center middle; }
    RowDialog > Vertical { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    RowDialog #row-title { text-style: bold; margin-bottom: 1; }
    RowDialog .row-field { height: 1; margin-bottom: 1; }
    RowDialog .row-field > Label { width: 12; color: $text-muted; }
    RowDialog .row-field:focus-within > Label { color: $accent; text-style: bold; }
    RowDialog .row-field:focus-within { height: 1; }  /* restyled on focus changes (see PhaseScreen .field) */
    RowDialog .row-field > Input, RowDialog .row-field > Select { width: 1fr; background: $boost; }
    RowDialog .row-field > Input:focus { background: $accent 25%; }
    RowDialog #row-error { color: $error; height: auto; width: 1fr; }
    RowDialog #row-buttons { height: 1; margin-top: 1; }
    RowDialog #row-buttons Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, fields: list[RowField], values: dict, *, save: str, cancel: str,
                 check: Check | None = None, focus: str = ""):
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.values = values
        self.save_label, self.cancel_label = save, cancel
        self.check = check
        self.focus_attr = focus or (fields[0].attr if fields else "")
        self._early: list[tuple[str, str | None]] | None = []  # keys fed before a field had focus
        self.closed = False

    def compose(self):
        with Vertical():
            yield Label(visible_line(self.title_text), id="row-title", markup=False)
            for spec in self.fields:
                value = self.values.get(spec.attr, "")
                if spec.kind == "select":
                    options = list(spec.options)
                    if value and value not in [v for _, v in options]:
                        options.insert(0, (value, value))  # a kind typed before: shown and kept as is
                    widget = Select([(visible_line(lbl), v) for lbl, v in options], value=value or Select.NULL,
                                    prompt="-", id=f"row-{spec.attr}", compact=True)
                else:
                    widget = SafeInput(str(value), placeholder=spec.placeholder, id=f"row-{spec.attr}",
                                       compact=True, select_on_focus=False, field_label=spec.label)
                yield Horizontal(Label(visible_line(spec.label), markup=False), widget, classes="row-field")
            error = Label("", id="row-error", markup=False)
            error.display = False
            yield error
            with Horizontal(id="row-buttons"):
                yield Button(f"{self.save_label} (enter)", id="row-save", variant="primary", compact=True)
                yield Button(f"{self.cancel_label} (esc)", id="row-cancel", compact=True)

    def on_mount(self) -> None:
        for widget in self.query(f"#row-{self.focus_attr}"):
            self.set_focus(widget)  # now, not later: the keys held back go to this field next
            if isinstance(widget, Input):
                widget.cursor_position = len(widget.value)  # the cursor at the end, nothing selected
        early, self._early = self._early or [], None
        for key, character in early:
            self.feed(key, character)

    def on_unmount(self) -> None:
        self.closed = True

    def feed(self, key: str, character: str | None) -> None:
        """A key typed for this dialog that reached another widget first (the list, in the
        burst that opened the dialog): applied to the focused field, in order."""
        if self._early is not None:
            self._early.append((key, character))  # not mounted yet: applied once a field has focus
            return
        field = self.focused
        if key == "escape":
            self.action_cancel()
        elif key == "enter":
            self.action_save()
        elif key == "tab":
            self.focus_next()
        elif key == "shift+tab":
            self.focus_previous()
        elif isinstance(field, Input):
            if key == "backspace":
                field.action_delete_left()
            elif character and character.isprintable():
                field.insert_text_at_cursor(character)

    def on_key(self, event: events.Key) -> None:
        # Keys typed in the same burst as the one that opened the dialog reach it before any
        # field has focus (a laggy SSH link delivers them together): they are held, in
        # order, for the field focused first. Later, a focused Input consumes its own
        # printable keys, so a printable key seen here never came from it.
        if self._early is not None:
            event.stop()
            event.prevent_default()
            self._early.append((event.key, event.character))
        elif event.is_printable and event.character and isinstance(self.focused, Input):
            event.stop()
            event.prevent_default()
            self.focused.insert_text_at_cursor(event.character)

    def typed(self) -> dict:
        """The fields' values as they show now."""
        values = {}
        for spec in self.fields:
            widget = self.query_one(f"#row-{spec.attr}")
            if isinstance(widget, Select):
                values[spec.attr] = "" if widget.value is Select.NULL or widget.value is None else str(widget.value)
            else:
                values[spec.attr] = widget.value
        return values

    def show_error(self, attr: str, message: str) -> None:
        error = self.query_one("#row-error", Label)
        error.update(visible(message))
        error.display = bool(message)
        if attr:
            self.query_one(f"#row-{attr}").focus()

    def action_save(self) -> None:
        values = self.typed()
        refused = self.check(values) if self.check else None
        if refused:
            self.show_error(*refused)  # what was typed stays in the fields
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#row-save")
    def _save(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#row-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()
