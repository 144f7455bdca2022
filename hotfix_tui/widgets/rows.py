"""An editable list of records (PR test items, follow-ups, timeline events), row by row.

Each row edits one dataclass instance in place; "+" adds a row, "✕" removes one. The
editor posts ``RowsEditor.Changed`` so the screen saves and re-renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from textual import on
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label

from ..textsafe import visible
from ..workflow.timeline import parse_typed, time_order, to_display
from .fields import SafeInput
from .tick import Tick


@dataclass(frozen=True)
class Column:
    attr: str
    kind: str = "input"  # input | bool
    placeholder: str = ""
    width: str = "1fr"


class RowsEditor(Vertical):
    DEFAULT_CSS = """
    RowsEditor { height: auto; }
    RowsEditor .row { height: 1; }
    RowsEditor .row Input { width: 1fr; background: $boost; margin-right: 1; }
    RowsEditor .row Input:focus { background: $accent 25%; }
    RowsEditor .row Tick { width: 5; }
    RowsEditor .row Button { width: 3; min-width: 3; }
    RowsEditor .add-row { width: auto; }
    """

    @dataclass
    class Changed(Message):
        editor: "RowsEditor"
        index: int = -1  # the row edited (-1: rows added or removed)
        attr: str = ""  # the column edited
        item: Any = None  # the row's record, and its value before the edit (alt+z restores it)
        old: Any = None

    def __init__(self, label: str, items: list, factory: Callable[[], Any], columns: list[Column],
                 add_label: str, *, id: str | None = None, converters: dict | None = None):
        super().__init__(id=id, classes="field")
        self.label = label
        self.items = items
        self.factory = factory
        self.columns = columns
        self.add_label = add_label
        # attr → (to_text, from_text) for values stored differently from how they are typed
        self.converters = converters or {}
        self._generation = 0

    def compose(self):
        yield Label(visible(self.label), classes="field-label", markup=False)
        for index, item in enumerate(self.items):
            yield self._row(index, item)
        yield Button(f"+ {self.add_label}", classes="add-row", id=f"{self.id}-add", compact=True)

    def _row(self, index: int, item: Any) -> Horizontal:
        widgets = []
        for col in self.columns:
            value = getattr(item, col.attr)
            name = f"{self.id}-{self._generation}-{index}-{col.attr}"
            if col.kind == "bool":
                w = Tick("", value=bool(value), id=name, compact=True)
            else:
                to_text = self.converters.get(col.attr, (str, str))[0]
                w = SafeInput(to_text(value), placeholder=col.placeholder, id=name, compact=True,
                              field_label=self.label)
                w.styles.width = col.width
            w.row_index = index  # type: ignore[attr-defined]
            w.row_attr = col.attr  # type: ignore[attr-defined]
            w.row_item = item  # type: ignore[attr-defined]
            widgets.append(w)
        remove = Button("✕", id=f"{self.id}-{self._generation}-{index}-remove", classes="remove-row", compact=True)
        remove.row_index = index  # type: ignore[attr-defined]
        remove.row_item = item  # type: ignore[attr-defined]
        widgets.append(remove)
        return Horizontal(*widgets, classes="row")

    def _set(self, widget, value) -> None:
        index = getattr(widget, "row_index", None)
        attr = getattr(widget, "row_attr", None)
        if index is None or attr is None or index >= len(self.items):
            return
        from_text = self.converters.get(attr, (str, str))[1]
        try:
            value = from_text(value) if not isinstance(value, bool) else value
        except ValueError:
            return  # keep the last good value; the screen shows the problem
        item = self.items[index]
        old = getattr(item, attr)
        setattr(item, attr, value)
        self.post_message(self.Changed(self, index, attr, item, old))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._set(event.input, event.value)

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._set(event.checkbox, event.value)

    @on(Button.Pressed)
    async def _button(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.has_class("add-row"):
            self.items.append(self.factory())
        elif event.button.has_class("remove-row"):
            index = getattr(event.button, "row_index", -1)
            if 0 <= index < len(self.items):
                del self.items[index]
        else:
            return
        await self.rebuild()
        self.post_message(self.Changed(self))
        if event.button.has_class("add-row") and self.items:
            # Put the cursor where the new row's first text box is.
            inputs = [w for w in self.query(Input) if getattr(w, "row_index", -1) == len(self.items) - 1]
            if inputs:
                inputs[0].focus()

    def show_value(self, index: int, attr: str, value: Any) -> None:
        """Put ``value`` back into a row's widget (the screen refused an edit)."""
        for widget in self.query(".row > *"):
            if getattr(widget, "row_index", None) == index and getattr(widget, "row_attr", None) == attr:
                with widget.prevent(Checkbox.Changed, Input.Changed):
                    widget.value = value

    def show_item(self, item: Any, attr: str) -> bool:
        """Show ``item.attr`` as stored in its cell (the draft-level undo put it back);
        False when the row is not on screen."""
        for widget in self.query(".row > *"):
            if getattr(widget, "row_item", None) is item and getattr(widget, "row_attr", None) == attr:
                value = getattr(item, attr)
                if not isinstance(widget, Checkbox):
                    value = self.converters.get(attr, (str, str))[0](value)
                with widget.prevent(Checkbox.Changed, Input.Changed):
                    widget.value = value
                return True
        return False

    async def rebuild(self) -> None:
        self._generation += 1
        await self.remove_children()
        await self.mount_all(list(self.compose()))


# -- the timeline (§8.1's detail log and milestones) ----------------------------------------


class TimelineEditor(RowsEditor):
    """The draft's timeline, row by row, kept in time order.

    A time cell takes only a time (``workflow.timeline.parse_typed``: "14:30",
    "2026-12-03 02:10 KST", "…+09:00"): anything else is refused with a message under
    the rows and nothing is stored. "HH:MM" keeps the row's own date. Rows are re-sorted
    when the cursor leaves a time cell (or Enter), so a backdated row moves to its place
    without moving under the cursor while it is typed. The ✓ column marks a row as a
    milestone of the RCA; the other rows stay in the detail log.
    """

    DEFAULT_CSS = """
    TimelineEditor .row-error { color: $error; height: auto; }
    """

    def __init__(self, label: str, items: list, factory: Callable[[], Any], add_label: str, *,
                 id: str | None = None, bad_time: str = "", milestone_label: str = "", placeholder: str = "14:30"):
        columns = [Column("at", placeholder=placeholder, width="18"), Column("text"),
                   Column("milestone", kind="bool")]
        super().__init__(label, items, factory, columns, add_label, id=id, converters={"at": (to_display, str)})
        self.bad_time = bad_time or "not a time"
        self.milestone_label = milestone_label

    def compose(self):
        label = self.label + (f"  (✓ {self.milestone_label})" if self.milestone_label else "")
        yield Label(visible(label), classes="field-label", markup=False)
        for index, item in enumerate(self.items):
            yield self._row(index, item)
        error = Label("", id=f"{self.id}-error", classes="row-error", markup=False)
        error.display = False
        yield error
        yield Button(f"+ {self.add_label}", classes="add-row", id=f"{self.id}-add", compact=True)

    def _error(self, message: str) -> None:
        for label in self.query(f"#{self.id}-error").results(Label):
            label.update(visible(message))
            label.display = bool(message)

    def _index_of(self, widget) -> int | None:
        """The row ``widget`` edits now: rows move when sorted, and a message from a row's
        old widgets may arrive after the move, so the row is found by identity, not position."""
        item = getattr(widget, "row_item", None)
        for index, candidate in enumerate(self.items):
            if candidate is item:
                return index
        return None

    def _set(self, widget, value) -> None:
        index = self._index_of(widget)
        if index is None:
            return  # a removed row's widget
        widget.row_index = index  # type: ignore[attr-defined]
        if getattr(widget, "row_attr", None) != "at":
            super()._set(widget, value)
            return
        stored = self.items[index].at
        if value.strip() == to_display(stored).strip():
            # The row's own time as shown (the cell was filled, or retyped unchanged): the
            # stored value keeps the offset it was recorded with, so opening writes nothing.
            self._error("")
            return
        try:
            when = parse_typed(value, stored)
        except ValueError:
            self._error(f"✗ {self.bad_time}: {value.strip()}")
            return  # nothing stored: the row keeps its last good time
        self._error("")
        item = self.items[index]
        if when != item.at:
            old, item.at = item.at, when
            self.post_message(self.Changed(self, index, "at", item, old))

    def sorted_order(self) -> list[int]:
        """The rows' indexes in time order (rows whose time does not parse go last)."""
        return time_order([item.at for item in self.items])

    async def resort(self) -> None:
        """Put the rows in time order; a cursor inside the rows stays on the same row and cell."""
        order = self.sorted_order()
        if order == list(range(len(self.items))):
            return
        focused = self.app.focused
        keep = None
        if focused is not None and self in focused.ancestors and hasattr(focused, "row_index"):
            index = getattr(focused, "row_index", -1)
            if 0 <= index < len(self.items):
                keep = (self.items[index], getattr(focused, "row_attr", "at"))
        self.items[:] = [self.items[i] for i in order]
        await self.rebuild()
        self.post_message(self.Changed(self))
        if keep is not None:
            item, attr = keep
            for index, candidate in enumerate(self.items):
                if candidate is item:
                    self._focus_cell(index, attr)

    def _focus_cell(self, index: int, attr: str) -> None:
        for w in self.query("Input, Checkbox, Button"):
            if getattr(w, "row_index", -1) == index and (getattr(w, "row_attr", "") == attr or attr is None):
                w.focus()
                return

    async def _left_time_cell(self, widget) -> None:
        index = self._index_of(widget)
        if getattr(widget, "row_attr", "") != "at" or index is None or not widget.is_attached:
            return
        error = self.query(f"#{self.id}-error").first(Label)
        if not error.display:
            shown = to_display(self.items[index].at)
            if widget.value != shown:
                widget.value = shown  # the stored time, as every row shows it
        await self.resort()

    @on(Input.Blurred)
    async def _time_blurred(self, event: Input.Blurred) -> None:
        await self._left_time_cell(event.input)

    @on(Input.Submitted)
    async def _time_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self._left_time_cell(event.input)

    def show_item(self, item: Any, attr: str) -> bool:
        shown = super().show_item(item, attr)
        if shown and attr == "at":
            self._error("")
            self.call_later(self.resort)  # a time put back moves its row to its place
        return shown

    async def rebuild(self) -> None:
        await super().rebuild()
        self._error("")
