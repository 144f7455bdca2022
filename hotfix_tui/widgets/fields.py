"""Form fields bound to draft paths: one declaration per field, one change handler per screen.

A FieldSpec names the draft attribute ("backlog.summary") and the kind of editor; the
screen builds the widget, fills it from the draft, and writes every change back through
``set_path``. Lists are edited one item per line, CSV fields as comma-separated text.

Every editor here strips control characters from what is typed or pasted (data is never
terminal code) and refuses text beyond the field's size limit (``model.field_limit``),
saying how many characters were not inserted; nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, TextArea
from textual.widgets.input import Selection
from textual.widgets.text_area import Selection as TextSelection

from ..model import FIELD_LIMIT_LINE, FIELD_LIMIT_TEXT, field_limit, field_size
from ..textsafe import strip_controls, visible, visible_line
from ..workflow.undo import LineHistory
from .tick import Tick

@dataclass(frozen=True)
class FieldSpec:
    path: str  # attribute path in the draft, e.g. "backlog.problem"
    label: str  # catalogue key of the label
    kind: str = "input"
    options: tuple[tuple[str, str], ...] = ()  # (label, value) for selects
    placeholder: str = ""  # catalogue key or literal guidance
    follows: str = ""  # path whose value shows as the placeholder while this one is empty

    def __post_init__(self) -> None:
        # Every declared field by path: a ``follows`` names its source by the source's label.
        SPECS.setdefault(self.path, self)


SPECS: dict[str, FieldSpec] = {}
PLACEHOLDER_CHARS = 120  # a placeholder is a hint, not a copy of the text it suggests


def placeholder(t, text: str, source: str = "") -> str:
    """The one way an empty field's grey text is written, so it cannot be read as content.

    An example is prefixed "예: " / "e.g. "; a value another field suggests (``source``, e.g.
    "백로그 문제 상황") is prefixed "← {source}: ". One line, controls made visible, shortened;
    "" when there is nothing to show.
    """
    lines = [line.strip() for line in str(text or "").split("\n") if line.strip()]
    if not lines:
        return ""
    line = visible_line(lines[0])
    if len(line) > PLACEHOLDER_CHARS or len(lines) > 1:
        line = line[:PLACEHOLDER_CHARS].rstrip() + "…"
    return t("ph.from", field=source, text=line) if source else t("ph.example", text=line)


def source_label(path: str, t) -> str:
    """How a placeholder names the field it takes its suggestion from: "백로그 문제 상황"."""
    from ..i18n import has

    spec = SPECS.get(path)
    key = spec.label if spec is not None else f"rows.{path}"  # "timeline" → the timeline list's label
    label = t(key) if has(key) else path
    label = label.split(" (")[0]  # "근본 원인 (분석 후 업데이트)": the hint is not needed here
    phase = f"phase.{path.split('.')[0]}"
    return f"{t(phase)} {label}" if has(phase) else label


def incident_terms(draft, t, project_key: str = "TERRAFORM", jira_url: str = "") -> dict[str, str]:
    """The words examples are written in: this incident's project key, Jira, discovery time
    and components where the draft has them, neutral words where it does not."""
    from ..workflow.timeline import to_display

    components = list(getattr(getattr(draft, "backlog", None), "components", None) or [])
    timeline = list(getattr(draft, "timeline", None) or [])
    since = to_display(timeline[0].at) if timeline and timeline[0].at else "YYYY-MM-DD HH:MM"
    return {
        "project": project_key or "PROJ",
        "jira": (jira_url or "https://jira.example.com").rstrip("/"),
        "since": since,
        "component": components[0] if components else t("ph.component"),
    }


def example_placeholder(spec: FieldSpec, t, terms: dict[str, str] | None = None) -> str:
    """``spec``'s example (a catalogue key filled with the incident's terms, or a literal), prefixed."""
    if not spec.placeholder:
        return ""
    if spec.placeholder in _catalogue():
        text = t(spec.placeholder, **(terms or incident_terms(None, t)))
    else:
        text = spec.placeholder
    return placeholder(t, text)


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
    """A one-line Input that strips controls from typed/pasted text and holds at most ``limit`` characters.

    ctrl+z / ctrl+y undo and redo its edits a word at a time (``workflow.undo.LineHistory``;
    Textual's Input keeps no history of its own).
    """

    BINDINGS = [
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("ctrl+y", "redo", "Redo", show=False),
    ]

    def __init__(self, value: str = "", *args, limit: int = FIELD_LIMIT_LINE, field_label: str = "", **kwargs):
        kwargs.setdefault("select_on_focus", False)  # focus never selects the text (rule 4)
        super().__init__(visible(value or ""), *args, **kwargs)
        self.limit = limit
        self.field_label = field_label
        self._history: LineHistory | None = None  # made at the first edit: most fields are never typed in

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
        before, cursor = value, self.cursor_position
        super().replace(text, start, end)
        self._remember(before, cursor, start, end, text)

    # -- undo (ctrl+z / ctrl+y) ------------------------------------------------------------

    def _remember(self, before: str, cursor: int, start: int, end: int, text: str) -> None:
        if self._history is None:
            self._history = LineHistory(before)
        self._history.edit(before, cursor, start, end, text, self.value)

    def _restore(self, state: tuple[str, int] | None) -> None:
        if state is None:
            return
        value, cursor = state
        self.value = value  # posts Changed: the screen writes it to the draft as any edit
        self.cursor_position = min(cursor, len(value))

    def action_undo(self) -> None:
        if self._history is not None:
            self._restore(self._history.undo(self.value, self.cursor_position))

    def action_redo(self) -> None:
        if self._history is not None:
            self._restore(self._history.redo(self.value, self.cursor_position))

    def on_blur(self, event) -> None:
        # Textual calls each class's blur handler in turn (Input's own runs too).
        if self._history is not None:
            self._history.close()


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
        self._word_step(insert, start, end)
        return super()._replace_via_keyboard(insert, start, end)

    def _word_step(self, insert: str, start, end) -> None:
        """ctrl+z takes back a word at a time, as in a one-line field: a typed character that
        starts a word (after a space) begins a new undo step. Textual's own history cuts only
        at pauses, line breaks and 100 characters."""
        row, column = start
        if start == end and len(insert) == 1 and not insert.isspace() and column > 0:
            if self.document.get_line(row)[column - 1:column].isspace():
                self.history.checkpoint()


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


def select_options(spec: FieldSpec, value: Any, t) -> list[tuple[Text, str]]:
    """A select's choices; a draft value that is none of them is one more choice, marked ⚠,
    so the select shows it and keeps it instead of showing a blank the next save would write."""
    options = [(Text(t(lbl) if lbl in _catalogue() else lbl), val) for lbl, val in spec.options]
    if value and value not in [val for _, val in spec.options]:
        options.append((Text(t("ph.select_unknown", value=visible_line(str(value))), style="bold"), value))
    return options


def build_field(spec: FieldSpec, value: Any, t, terms: dict[str, str] | None = None) -> tuple[Widget, Widget]:
    """(container, the editing widget) for one spec, filled with ``value``; ``terms`` are the
    incident's words its example placeholder is written in (``incident_terms``).

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
    example = example_placeholder(spec, t, terms)
    widget: Widget
    # Compact widgets (no borders) so a form shows many fields at 80x24: one line per
    # single-line field, label on the left as in the screen sketches.
    field_label = t(spec.label)
    if spec.kind in ("input", "csv", "int"):
        widget = SafeInput(to_widget_value(spec, value), placeholder=example, id=wid, compact=True,
                           limit=limit, field_label=field_label)
    elif spec.kind in ("text", "lines"):
        cls = TextField if spec.kind == "text" else LinesArea
        widget = cls(visible(to_widget_value(spec, value)), id=wid, soft_wrap=True, placeholder=example,
                     tab_behavior="focus", compact=True)
        widget.limit, widget.field_label = limit, field_label
    elif spec.kind == "select":
        options = select_options(spec, value, t)
        widget = Select(options, value=value if value else Select.NULL, id=wid, prompt=example or "-",
                        compact=True)
        widget.set_class(bool(value) and value not in [v for _, v in spec.options], "-unknown")
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
