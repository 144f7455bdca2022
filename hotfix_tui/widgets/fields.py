"""Form fields bound to draft paths: one declaration per field, one change handler per screen.

A FieldSpec names the draft attribute ("backlog.summary") and the kind of editor; the
screen builds the widget, fills it from the draft, and writes every change back through
``set_path``. Lists are edited one item per line, CSV fields as comma-separated text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, TextArea

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


class LinesArea(TextArea):
    """A TextArea for a list: one item per line."""

    DEFAULT_CSS = """
    LinesArea { height: auto; min-height: 2; max-height: 10; background: $boost; }
    """


class TextField(TextArea):
    """A multi-line free-text field that grows with its content up to a limit."""

    DEFAULT_CSS = """
    TextField { height: auto; min-height: 2; max-height: 12; background: $boost; }
    """


def field_id(path: str) -> str:
    return "f-" + path.replace(".", "--")


def build_field(spec: FieldSpec, value: Any, t) -> tuple[Widget, Widget]:
    """(container, the editing widget) for one spec, filled with ``value``."""
    wid = field_id(spec.path)
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
    if spec.kind in ("input", "csv", "int"):
        widget = Input(to_widget_value(spec, value), placeholder=placeholder, id=wid, compact=True)
    elif spec.kind == "text":
        widget = TextField(value, id=wid, soft_wrap=True, placeholder=placeholder, tab_behavior="focus",
                           compact=True)
    elif spec.kind == "lines":
        widget = LinesArea(to_widget_value(spec, value), id=wid, soft_wrap=True, placeholder=placeholder,
                           tab_behavior="focus", compact=True)
    elif spec.kind == "select":
        options = [(t(lbl) if lbl in _catalogue() else lbl, val) for lbl, val in spec.options]
        widget = Select(options, value=value if value in [v for _, v in spec.options] else Select.NULL,
                        id=wid, prompt=placeholder or "-", compact=True)
    elif spec.kind == "bool":
        widget = Tick(Text(t(spec.label)), value=bool(value), id=wid, compact=True)
        return Horizontal(widget, classes="field field-line"), widget
    else:  # pragma: no cover - a bug in a screen's declaration
        raise ValueError(f"unknown field kind {spec.kind!r}")
    if spec.kind in ("text", "lines"):
        return Vertical(label, widget, classes="field field-block"), widget
    return Horizontal(label, widget, classes="field field-line"), widget


def _catalogue():
    from ..i18n import MESSAGES

    return MESSAGES
