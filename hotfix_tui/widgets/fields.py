"""Form fields bound to draft paths: one declaration per field, one change handler per screen.

A FieldSpec names the draft attribute ("backlog.summary") and the kind of editor; the
screen builds the widget, fills it from the draft, and writes every change back through
``set_path``. Lists are edited one item per line, CSV fields as comma-separated text.

Every editor here strips control characters from what is typed or pasted (data is never
terminal code) and refuses text beyond the field's size limit (``model.field_limit``),
saying how many characters were not inserted; nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, TextArea
from textual.widgets.input import Selection
from textual.widgets.text_area import Selection as TextSelection

from ..model import FIELD_LIMIT_LINE, FIELD_LIMIT_TEXT, field_limit, field_size
from ..textsafe import strip_controls, visible
from .tick import Tick

KINDS = ("input", "text", "lines", "csv", "select", "bool", "int")


@dataclass(frozen=True)
class FieldSpec:
    path: str  # attribute path in the draft, e.g. "backlog.problem"
    label: str  # catalogue key of the label
    kind: str = "input"
    options: tuple[tuple[str, str], ...] = ()  # (label, value) for selects
    placeholder: str = ""  # catalogue key or literal guidance
    height: int = 3  # text/lines editors: visible rows
    follows: str = ""  # path whose value shows as the placeholder while this one is empty
    extra: dict = field(default_factory=dict)


def get_path(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def set_path(obj: Any, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        obj = getattr(obj, part)
    setattr(obj, last, value)


def to_widget_value(spec: FieldSpec, value: Any) -> Any:
    if spec.kind == "lines":
        return "\n".join(value)
    if spec.kind == "csv":
        return ", ".join(value)
    if spec.kind == "int":
        return str(value) if value else ""
    return value


def from_widget_value(spec: FieldSpec, value: Any) -> Any:
    if spec.kind == "lines":
        return [line.rstrip() for line in str(value).split("\n") if line.strip()]
    if spec.kind == "csv":
        return [part.strip() for part in str(value).split(",") if part.strip()]
    if spec.kind == "select":
        return "" if value is Select.NULL or value is None else str(value)
    if spec.kind == "bool":
        return bool(value)
    if spec.kind == "int":
        digits = "".join(ch for ch in str(value) if ch.isdigit())
        return int(digits) if digits else 0
    return str(value)


# Textual actions that select a whole field (Input: ctrl+shift+a; TextArea: F7 select all,
# F6 select line, which is all of a one-line text): with a selection, the next key typed
# replaces the field (rule 4). Refused here, so the key goes on to the app's own binding.
SELECT_ALL_ACTIONS = frozenset({"select_all", "select_line"})


def _refuse(widget: Widget, refused: int) -> None:
    """Tell the user that ``refused`` characters did not fit (a toast naming the field)."""
    if refused <= 0:
        return
    from ..i18n import tr

    app = widget.app
    lang = app.config.ui.language if hasattr(app, "config") else "ko"
    message = tr("limit.refused", lang, field=getattr(widget, "field_label", "") or widget.id or "",
                 limit=widget.limit, refused=refused)
    say = getattr(app, "say", None)
    if say is not None:
        say(message, severity="warning", timeout=8)
    else:
        app.notify(message, severity="warning", markup=False)


class SafeInput(Input):
    """A one-line Input that strips controls from typed/pasted text and holds at most ``limit`` characters."""

    def __init__(self, value: str = "", *args, limit: int = FIELD_LIMIT_LINE, field_label: str = "", **kwargs):
        kwargs.setdefault("select_on_focus", False)  # focus never selects the text (rule 4)
        super().__init__(visible(value or ""), *args, **kwargs)
        self.limit = limit
        self.field_label = field_label

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in SELECT_ALL_ACTIONS:
            return False
        return super().check_action(action, parameters)

    def _on_focus(self, event) -> None:
        # Focus puts the cursor at the end, nothing selected; except when the terminal
        # regains focus (the person comes back mid-sentence: the cursor stays put).
        if not event.from_app_focus:
            self.selection = Selection.cursor(len(self.value))

    def replace(self, text: str, start: int, end: int) -> None:
        text = strip_controls(text)
        value = self.value
        start, end = sorted((max(0, start), min(len(value), end)))
        room = self.limit - (len(value) - (end - start))
        if len(text) > room:
            _refuse(self, len(text) - max(room, 0))
            text = text[:max(room, 0)]
            if not text and start == end:
                return
        super().replace(text, start, end)


class SafeTextArea(TextArea):
    """A TextArea that strips controls from typed/pasted text and holds at most ``limit`` characters."""

    limit: int = FIELD_LIMIT_TEXT
    field_label: str = ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in SELECT_ALL_ACTIONS:
            return False  # F6/F7 go on to the screen (format, next artifact)
        return super().check_action(action, parameters)

    def _on_focus(self, event) -> None:
        if not event.from_app_focus:
            self.selection = TextSelection.cursor(self.document.end)

    def _replace_via_keyboard(self, insert: str, start, end):
        insert = strip_controls(insert.replace("\r\n", "\n").replace("\r", "\n"))
        if self.read_only:
            return None
        replaced = len(self.get_text_range(*sorted((start, end)))) if start != end else 0
        room = self.limit - (len(self.text) - replaced)
        if len(insert) > room:
            _refuse(self, len(insert) - max(room, 0))
            insert = insert[:max(room, 0)]
            if not insert and start == end:
                return None
        return super()._replace_via_keyboard(insert, start, end)


class LinesArea(SafeTextArea):
    """A TextArea for a list: one item per line."""

    DEFAULT_CSS = """
    LinesArea { height: auto; min-height: 2; max-height: 10; background: $boost; }
    """


class TextField(SafeTextArea):
    """A multi-line free-text field that grows with its content up to a limit."""

    DEFAULT_CSS = """
    TextField { height: auto; min-height: 2; max-height: 12; background: $boost; }
    """


def field_id(path: str) -> str:
    return "f-" + path.replace(".", "--")


def oversize(spec: FieldSpec, value: Any) -> bool:
    """True when a draft's value is over the field's limit (a hand-edited or hostile file)."""
    return spec.kind in ("input", "csv", "text", "lines") and field_size(value) > field_limit(spec.path)


def build_field(spec: FieldSpec, value: Any, t) -> tuple[Widget, Widget]:
    """(container, the editing widget) for one spec, filled with ``value``.

    A value over the field's limit is not loaded (megabytes in an editor make every key
    slow): the editor is left empty and disabled, and the draft keeps the value untouched.
    """
    wid = field_id(spec.path)
    limit = field_limit(spec.path)
    locked = oversize(spec, value)
    if locked:
        value = [] if spec.kind in ("lines", "csv") else ""
    hint = ""
    if spec.kind == "lines":
        hint = f" ({t('lines_hint')})"
    elif spec.kind == "csv":
        hint = f" ({t('csv_hint')})"
    label = Label(t(spec.label) + hint, classes="field-label", markup=False)
    placeholder = t(spec.placeholder) if spec.placeholder and spec.placeholder in _catalogue() else spec.placeholder
    widget: Widget
    # Compact widgets (no borders) so a form shows many fields at 80x24: one line per
    # single-line field, label on the left as in the screen sketches.
    field_label = t(spec.label)
    if spec.kind in ("input", "csv", "int"):
        widget = SafeInput(to_widget_value(spec, value), placeholder=placeholder, id=wid, compact=True,
                           limit=limit, field_label=field_label)
    elif spec.kind in ("text", "lines"):
        cls = TextField if spec.kind == "text" else LinesArea
        widget = cls(visible(to_widget_value(spec, value)), id=wid, soft_wrap=True, placeholder=placeholder,
                     tab_behavior="focus", compact=True)
        widget.limit, widget.field_label = limit, field_label
    elif spec.kind == "select":
        options = [(t(lbl) if lbl in _catalogue() else lbl, val) for lbl, val in spec.options]
        widget = Select(options, value=value if value in [v for _, v in spec.options] else Select.NULL,
                        id=wid, prompt=placeholder or "-", compact=True)
    elif spec.kind == "bool":
        widget = Tick(Text(t(spec.label)), value=bool(value), id=wid, compact=True)
        return Horizontal(widget, classes="field field-line"), widget
    else:  # pragma: no cover - a bug in a screen's declaration
        raise ValueError(f"unknown field kind {spec.kind!r}")
    if locked:
        widget.disabled = True
        widget.add_class("-oversize")
    if spec.kind in ("text", "lines"):
        return Vertical(label, widget, classes="field field-block"), widget
    return Horizontal(label, widget, classes="field field-line"), widget


def _catalogue():
    from ..i18n import MESSAGES

    return MESSAGES
