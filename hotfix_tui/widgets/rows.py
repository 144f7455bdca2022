"""Row lists the user edits, not tabs through: §5.1 / §6.2 test items, follow-ups, the timeline.

Each list is ONE Tab stop. Up/down move the cursor between rows; the keys act on the
row under it: **space** ticks (a tick never touches the row's text), **enter** edits the
row in a small dialog (widgets/row_dialog.py), **a** adds, **delete** removes (asking
first when the row has text). The timeline adds **b** (a backdated row: the dialog asks
for its time) and **m** (mark the row as an RCA milestone), and keeps its rows in time
order. Each row is the draft's own dataclass instance, edited in place (an event keeps
its source and the offset its time was recorded with); the list posts
``RowsEditor.Changed`` so the screen saves and re-renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..textsafe import visible_line
from ..workflow.timeline import parse_typed, time_order, to_display
from .localkeys import LocalKeys
from .row_dialog import RowDialog, RowField

__all__ = ["RowField", "RowsEditor", "CheckRows", "FollowUpRows", "TimelineEditor", "FOLLOWUP_KINDS",
           "test_item_fields", "followup_fields"]


class RowsEditor(LocalKeys, OptionList):
    """A list of records, one Tab stop: enter edits the highlighted row, a adds, delete removes."""

    DEFAULT_CSS = """
    RowsEditor { height: auto; max-height: 14; border: round $primary-background; background: $surface;
        padding: 0 0; margin-top: 1; }
    RowsEditor:focus { border: round $accent; }
    """
    # Each kind of list names its keys (in the footer's order); Enter (OptionList's key) comes first.
    BINDINGS = [Binding("enter", "edit", "key.row_edit")]
    ADD_REMOVE = [Binding("a", "add", "key.row_add"), Binding("delete", "remove", "key.row_remove")]
    TEXT_ATTRS: tuple[str, ...] = ("text", "note")  # a row with any of these is asked about before removal
    # Keys that open a dialog (or a confirm): the app holds the keys typed after them until
    # it has focus (HotfixApp._route_key), so a burst goes into the dialog in order.
    SETTLE_KEYS = frozenset({"enter", "a", "b", "delete"})

    @dataclass
    class Changed(Message):
        editor: "RowsEditor"
        index: int = -1  # the row edited (-1: rows added, removed or moved)
        attr: str = ""  # the attribute edited
        item: Any = None  # the row's record, and its value before the edit (alt+z restores it)
        old: Any = None

        @property
        def control(self) -> "RowsEditor":
            return self.editor

    def __init__(self, label: str, items: list, factory: Callable[[], Any], fields: list[RowField], *,
                 id: str | None = None, empty: str = "", title: str = ""):
        super().__init__(id=id, classes="field rows")
        self.label = label
        self.items = items
        self.factory = factory
        self.fields = fields
        self.empty = empty  # shown when there is no row
        self.dialog_title = title or label
        self.border_title = visible_line(label)
        self._dialog: RowDialog | None = None  # open (or opening) from this list
        self._shown: tuple = ()  # the rows as last shown (see sync)

    # -- showing -------------------------------------------------------------------------

    def on_mount(self) -> None:
        translate = getattr(self.app, "translate_bindings", None)
        if translate is not None:
            translate(self)
        self.show_rows()

    def line(self, item: Any) -> Any:
        """How one row reads (a Rich renderable; wrapped lines keep their indent)."""
        return Text(visible_line(str(getattr(item, self.fields[0].attr, ""))))

    def header(self) -> Any | None:
        """A heading row above the rows (not selectable), or None."""
        return None

    def show_rows(self, keep: Any = None) -> None:
        """Redraw every row; the cursor stays on ``keep`` (an item) or where it was."""
        index = self.row_index() if keep is None else next(
            (i for i, item in enumerate(self.items) if item is keep), None)
        options: list[Option] = []
        head = self.header()
        if head is not None:
            options.append(Option(head, disabled=True))
        for i, item in enumerate(self.items):
            options.append(Option(self.line(item), id=f"row-{i}"))
        if not self.items:
            options.append(Option(Text(self.empty, style="dim"), disabled=True))
        self.clear_options()
        self.add_options(options)
        self._shown = self._signature()
        if self.items:
            index = 0 if index is None else max(0, min(index, len(self.items) - 1))
            self.highlighted = self.get_option_index(f"row-{index}")

    def _signature(self) -> tuple:
        return tuple((id(item), tuple(repr(getattr(item, f.attr, None)) for f in self.fields),
                      repr(getattr(item, "checked", None)), repr(getattr(item, "milestone", None)))
                     for item in self.items)

    def sync(self) -> None:
        """Show the rows again if the draft's list changed from elsewhere (an event the app
        recorded, a key a step stored); nothing is redrawn when it did not."""
        if self._signature() != self._shown:
            self.show_rows()

    def show_value(self, index: int, attr: str, value: Any) -> None:
        """A row's value was set from outside (a tick taken back): show the rows again."""
        self.show_rows()

    def row_index(self) -> int | None:
        """The index in ``items`` of the row under the cursor (None when there is none)."""
        if self.highlighted is None or not self.option_count:
            return None
        option = self.get_option_at_index(self.highlighted)
        if not option.id or not option.id.startswith("row-"):
            return None
        index = int(option.id[4:])
        return index if index < len(self.items) else None

    def _changed(self, index: int = -1, attr: str = "", item: Any = None, old: Any = None) -> None:
        self.post_message(self.Changed(self, index, attr, item, old))

    def display_for(self, attr: str) -> Callable[[Any], str] | None:
        """How a stored value of ``attr`` reads when "undo last change" names it (None: as is)."""
        return None

    def show_item(self, item: Any, attr: str) -> bool:
        """A value of ``item`` was restored from outside (alt+z): show it; False when the row
        is not in this list."""
        if not any(row is item for row in self.items):
            return False
        self.show_rows(keep=item)
        return True

    # -- editing ---------------------------------------------------------------------------

    def t(self, message_id: str, /, **fields) -> str:
        return self.app.t(message_id, **fields)

    def values_of(self, item: Any) -> dict:
        return {f.attr: getattr(item, f.attr) for f in self.fields}

    def check(self, item: Any | None, values: dict) -> tuple[str, str] | None:
        """(attr, message) when the typed values cannot be stored; None when they can."""
        return None

    def store(self, item: Any, values: dict) -> list[str]:
        """Write the dialog's values into ``item``; the attributes that changed."""
        changed = []
        for attr, value in values.items():
            if getattr(item, attr) != value:
                setattr(item, attr, value)
                changed.append(attr)
        return changed

    def open_dialog(self, item: Any | None, values: dict, done: Callable[[dict], None], *, title: str,
                    focus: str = "") -> None:
        dialog = RowDialog(title, self.fields, values, save=self.t("rows.save"), cancel=self.t("rows.cancel"),
                           check=lambda typed: self.check(item, typed), focus=focus)

        def answered(typed: dict | None) -> None:
            self._dialog = None
            if typed is not None and self.is_attached:
                done(typed)
            if self.is_attached:
                self.focus()

        self._dialog = dialog
        self.app.push_screen(dialog, answered)

    def take_key(self, event) -> bool:
        # A key that reached the list while its dialog was opening was typed for the dialog
        # (in the same burst as Enter or a): it goes there, in order.
        if self._dialog is not None and self._dialog.closed:
            self._dialog = None  # gone without an answer (the app closed the draft)
        if self._dialog is None:
            return False
        self._dialog.feed(event.key, event.character)
        return True

    def action_edit(self) -> None:
        index = self.row_index()
        if index is None:
            return
        item = self.items[index]

        def done(typed: dict) -> None:
            before = {attr: getattr(item, attr) for attr in typed}
            changed = self.store(item, typed)
            self.show_rows(keep=item)
            for attr in changed:
                self._changed(self.items.index(item) if item in self.items else -1, attr, item, before.get(attr))

        self.open_dialog(item, self.values_of(item), done, title=f"{self.dialog_title} · {self.t('rows.edit')}")

    def action_select(self) -> None:
        # A click on a row (OptionList's "select") edits it, as Enter does.
        self.action_edit()

    def action_add(self) -> None:
        item = self.factory()

        def done(typed: dict) -> None:
            if not any(str(v).strip() for v in typed.values()):
                return  # nothing typed: no empty row
            self.store(item, typed)
            self.items.append(item)
            self.show_rows(keep=item)
            self._changed()

        self.open_dialog(None, self.values_of(item), done, title=f"{self.dialog_title} · {self.t('rows.add')}")

    def action_remove(self) -> None:
        index = self.row_index()
        if index is None:
            return
        item = self.items[index]

        def remove(yes: bool | None = True) -> None:
            if not yes or item not in self.items:
                if self.is_attached:
                    self.focus()
                return
            self.items.remove(item)
            self.show_rows()
            self._changed()
            self.focus()

        text = " · ".join(str(getattr(item, a, "")).strip() for a in self.TEXT_ATTRS
                          if str(getattr(item, a, "")).strip())
        if not text:
            remove()
            return
        question = self.t("rows.remove_q", row=visible_line(text[:200]))
        self.app.confirm(question, self.t("rows.remove_yes"), self.t("no"), remove)


class CheckRows(RowsEditor):
    """§5.1 verify items and §6.2 PR tests: a tick, the item's text and a note."""

    BINDINGS = [Binding("space", "tick", "key.row_tick"), *RowsEditor.ADD_REMOVE]
    # A tick may be asked about (§6.2's test items of a failed check): keys after it wait.
    SETTLE_KEYS = RowsEditor.SETTLE_KEYS | {"space"}
    TICK = "checked"

    def line(self, item: Any) -> Any:
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=3, no_wrap=True)
        grid.add_column(ratio=1)
        ticked = bool(getattr(item, self.TICK))
        mark = Text("[x]" if ticked else "[ ]", style="green" if ticked else "")
        body = Text(visible_line(item.text) or "—")
        if item.note.strip():
            body.append(f" ({visible_line(item.note)})", style="dim")
        grid.add_row(mark, body)
        return grid

    def action_tick(self) -> None:
        index = self.row_index()
        if index is None:
            return
        item = self.items[index]
        old = getattr(item, self.TICK)
        setattr(item, self.TICK, not old)  # only the tick: the text is not touched
        self.show_rows(keep=item)
        self._changed(index, self.TICK, item, old)


# -- follow-ups (§8.2) -------------------------------------------------------------------------

# What a follow-up is (§8.2's 유형): the value stored is the term the report prints.
FOLLOWUP_KINDS = {
    "ko": ("테스트 자동화", "모니터링 강화", "문서화"),
    "en": ("test automation", "monitoring", "documentation"),
}


class FollowUpRows(RowsEditor):
    """§8.2 follow-up tickets: key, summary and kind on one line; enter edits all of it."""

    BINDINGS = RowsEditor.ADD_REMOVE
    TEXT_ATTRS = ("summary", "description", "key")

    def line(self, item: Any) -> Any:
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=14, no_wrap=True, overflow="ellipsis")
        grid.add_column(ratio=1)
        key = Text(visible_line(item.key) or "—", style="bold" if item.key else "dim")
        body = Text(visible_line(item.summary) or "—")
        if item.kind.strip():
            body.append(f" [{visible_line(item.kind)}]", style="cyan")
        grid.add_row(key, body)
        if item.description.strip():
            grid.add_row(Text(""), Text(visible_line(item.description), style="dim", no_wrap=True,
                                        overflow="ellipsis"))
        return grid


# -- the timeline (§8.1's detail log and milestones) ---------------------------------------


class TimelineEditor(RowsEditor):
    """The draft's timeline as a table (time, milestone mark, event), kept in time order.

    A time takes only a time (``workflow.timeline.parse_typed``: "14:30",
    "2026-12-03 02:10 KST", "…+09:00"): anything else keeps the dialog open with one error
    and what was typed. "HH:MM" keeps the row's own date (today's for a new row). A time
    shown in the session's zone and left as shown is not written back: the event keeps the
    offset it was recorded with. The ✓ column marks a row as a milestone of the RCA.
    """

    BINDINGS = [
        Binding("a", "add", "key.tl_add"),
        Binding("b", "backdate", "key.tl_backdate"),
        Binding("m", "milestone", "key.tl_milestone"),
        Binding("delete", "remove", "key.row_remove"),
    ]
    TEXT_ATTRS = ("text",)

    def __init__(self, label: str, items: list, factory: Callable[[], Any], *, id: str | None = None,
                 bad_time: str = "", milestone_label: str = "", placeholder: str = "14:30", empty: str = "",
                 labels: tuple[str, str] = ("", "")):
        time_label, text_label = labels
        fields = [RowField("at", time_label or "time", placeholder=placeholder), RowField("text", text_label or "event")]
        super().__init__(label, items, factory, fields, id=id, empty=empty)
        self.bad_time = bad_time or "not a time"
        self.milestone_label = milestone_label
        if milestone_label:
            self.border_subtitle = visible_line(f"✓ {milestone_label}")

    def header(self) -> Any:
        grid = self._grid()
        grid.add_row(Text(self.fields[0].label, style="dim"), Text("✓", style="dim"),
                     Text(self.fields[1].label, style="dim"))
        return grid

    @staticmethod
    def _grid() -> Table:
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=16, no_wrap=True)
        grid.add_column(width=1, no_wrap=True)
        grid.add_column(ratio=1)
        return grid

    def line(self, item: Any) -> Any:
        grid = self._grid()
        grid.add_row(Text(visible_line(to_display(item.at))), Text("✓" if item.milestone else " ", style="green"),
                     Text(visible_line(item.text)))
        return grid

    def values_of(self, item: Any) -> dict:
        return {"at": to_display(item.at), "text": item.text}

    def _when(self, item: Any | None, typed: str) -> str | None:
        """The time to store for ``typed``; None to keep the row's own (shown unchanged).
        Raises ValueError for what is not a time."""
        stored = item.at if item is not None else ""
        if item is not None and typed.strip() == to_display(stored).strip():
            return None
        return parse_typed(typed, stored or self.app.now_iso())

    def check(self, item: Any | None, values: dict) -> tuple[str, str] | None:
        try:
            self._when(item, values["at"])
        except ValueError:
            return "at", f"✗ {self.bad_time}: {values['at'].strip()}"
        return None

    def store(self, item: Any, values: dict) -> list[str]:
        changed = []
        when = self._when(item if item.at else None, values["at"])
        if when is not None and when != item.at:
            item.at = when
            changed.append("at")
        if values["text"] != item.text:
            item.text = values["text"]
            changed.append("text")
        return changed

    def resort(self) -> None:
        """Put the rows in time order (ties keep their order; unreadable times go last)."""
        order = time_order([item.at for item in self.items])
        if order != list(range(len(self.items))):
            self.items[:] = [self.items[i] for i in order]

    def _added(self, item: Any, typed: dict) -> None:
        if not typed["text"].strip():
            return  # nothing typed: no empty row
        self.store(item, typed)
        self.items.append(item)
        self.resort()
        self.show_rows(keep=item)
        self._changed()

    def action_add(self) -> None:
        item = self.factory()  # at: now, by the app's clock
        item.at = item.at or self.app.now_iso()
        values = {"at": to_display(item.at), "text": ""}
        self.open_dialog(item, values, lambda typed: self._added(item, typed),
                         title=f"{self.dialog_title} · {self.t('rows.add_now')}", focus="text")

    def action_backdate(self) -> None:
        item = self.factory()
        item.at = ""  # asked for: "HH:MM" is on today's date

        def done(typed: dict) -> None:
            item.at = parse_typed(typed["at"], self.app.now_iso())
            typed = {**typed, "at": to_display(item.at)}
            self._added(item, typed)

        self.open_dialog(None, {"at": "", "text": ""}, done,
                         title=f"{self.dialog_title} · {self.t('rows.add_backdated')}", focus="at")

    def action_edit(self) -> None:
        index = self.row_index()
        if index is None:
            return
        item = self.items[index]

        def done(typed: dict) -> None:
            before = {"at": item.at, "text": item.text}
            changed = self.store(item, typed)
            if "at" in changed:
                self.resort()
            self.show_rows(keep=item)
            for attr in changed:
                self._changed(self.items.index(item), attr, item, before[attr])

        self.open_dialog(item, self.values_of(item), done, title=f"{self.dialog_title} · {self.t('rows.edit')}")

    def action_milestone(self) -> None:
        index = self.row_index()
        if index is None:
            return
        item = self.items[index]
        old = item.milestone
        item.milestone = not old
        self.show_rows(keep=item)
        self._changed(index, "milestone", item, old)

    def display_for(self, attr: str) -> Callable[[Any], str] | None:
        return to_display if attr == "at" else None

    def show_item(self, item: Any, attr: str) -> bool:
        if not any(row is item for row in self.items):
            return False
        if attr == "at":
            self.resort()  # a restored time goes back to its place
        self.show_rows(keep=item)
        return True

    async def rebuild(self) -> None:
        """Show the rows again after the app added events (kept in the order they were added)."""
        self.show_rows()


def test_item_fields(t: Callable[[str], str]) -> list[RowField]:
    """The dialog's fields for a §5.1 / §6.2 test item: its text and its note (the tick is space)."""
    return [RowField("text", t("rows.f_text")), RowField("note", t("rows.f_note"))]


def followup_fields(t: Callable[[str], str], language: str) -> list[RowField]:
    """The dialog's fields for a §8.2 follow-up; its kind is a Select of §8.2's kinds."""
    kinds = FOLLOWUP_KINDS.get(language, FOLLOWUP_KINDS["ko"])
    return [
        RowField("summary", t("rows.f_summary")),
        RowField("kind", t("rows.f_kind"), "select", options=tuple((k, k) for k in kinds)),
        RowField("description", t("rows.f_description")),
        RowField("key", t("rows.f_key"), placeholder="TERRAFORM-16"),
    ]
