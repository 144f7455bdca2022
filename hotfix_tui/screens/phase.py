"""The phase screen every workflow step shares: context, stepper, form, preview, checklist.

A phase declares its fields (FieldSpec), the artifacts it produces and any extra widgets;
this base class builds the layout, writes every edit into the draft, and re-renders the
preview, validation and checklist on a debounce — never inside the key handler, so typing
does not lag however long the text grows.

Layout follows the terminal: one pane at a time below 100 columns (F2/F3 switch), form
and preview side by side from 100, all three from 150.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import partial
from typing import Callable, ClassVar

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from ..model import FAILED, PASSED, check_state, fact_overridden, field_limit, field_size, item_fact
from ..textsafe import visible, visible_line
from ..render.artifacts import MARKDOWN_ARTIFACTS, render
from ..widgets.checklist_panel import ChecklistPanel
from ..widgets.footer import QuietFooter
from ..widgets.context_bar import ContextBar
from ..widgets.later import Later
from ..widgets.paint import PromptPaint
from ..widgets.fields import (FieldSpec, build_field, field_id, from_widget_value, get_path, incident_terms, oversize,
                              placeholder, set_path, source_label)
from ..widgets.preview import MODES, Preview
from ..widgets.rows import RowsEditor
from ..widgets.stepper import Stepper
from ..workflow import checklist
from ..workflow.validation import ERROR, Finding, gates, validate

PREVIEW_DEBOUNCE = 0.2  # seconds after the last keystroke
PREVIEW_SOON = 0.04  # seconds after the last keystroke: the visible preview's text (laid out off the loop)
NARROW, MEDIUM = 100, 150


@dataclass(frozen=True)
class Artifact:
    """One text a phase produces, shown in the preview and copied/exported as is."""

    label: str  # catalogue key or literal
    produce: Callable  # (draft, ctx) -> str
    markdown: bool = True  # may be shown rendered / converted to Jira wiki
    name: str = ""  # file-name stem for export


def rendered(artifact: str, label: str) -> Artifact:
    """An artifact from render/artifacts.py by its CLI name."""
    return Artifact(label, lambda d, ctx, a=artifact: render(d, a, ctx), artifact in MARKDOWN_ARTIFACTS, artifact)


class FormScroll(VerticalScroll, can_focus=False):
    """The form column; not itself a tab stop, so Tab goes field to field."""


class PhaseScreen(PromptPaint, Screen):
    # No focus from Textual when built: ``land_focus`` puts it where typing goes (the app
    # holds keys until then). Textual's own focused the first field before the form was
    # laid out, and its scroll-on-focus then slid the form by a guess.
    AUTO_FOCUS = ""
    PHASE: ClassVar[str] = ""
    INTRO: ClassVar[str] = ""  # catalogue key of the phase's guidance line
    FIELDS: ClassVar[list[FieldSpec]] = []
    ARTIFACTS: ClassVar[list[Artifact]] = []

    BINDINGS = [
        Binding("ctrl+n", "next_phase", "key.next", priority=True),
        Binding("ctrl+p", "prev_phase", "key.prev", priority=True),
        Binding("ctrl+s", "save", "key.save", priority=True),
        Binding("f2", "toggle_pane", "key.pane"),
        Binding("f3", "show_checklist", "key.checklist"),
        Binding("f4", "copy", "key.copy"),
        Binding("f5", "export", "key.export"),
        Binding("f6", "cycle_format", "key.format"),
        Binding("f7", "next_artifact", "key.artifact"),
        Binding("ctrl+t", "note", "key.note", priority=True),
        Binding("ctrl+o", "status_update", "key.status_update", show=False),
        Binding("escape", "home", "key.home"),
        Binding("question_mark,f1", "help", "key.help"),
    ]

    DEFAULT_CSS = """
    PhaseScreen #body { height: 1fr; }
    PhaseScreen #form { width: 1fr; padding: 0 1; }
    PhaseScreen #preview { width: 1fr; }
    PhaseScreen #checklist { width: 1fr; }
    PhaseScreen.-w3 #form { width: 2fr; }
    PhaseScreen.-w3 #preview { width: 2fr; }
    PhaseScreen #pane-tabs { height: 1; padding: 0 1; background: $surface; }
    PhaseScreen #status { height: auto; max-height: 4; padding: 0 1; background: $panel; }
    PhaseScreen .intro { color: $text-muted; margin-bottom: 1; }
    PhaseScreen .field { height: auto; }
    /* A rule on the field itself for :focus-within: Textual restyles on a focus change only
       the nodes under the outermost ancestor that has such a rule, so without it the label
       below kept the highlight of whichever field had focus when the screen was styled. */
    PhaseScreen .field:focus-within { height: auto; }
    PhaseScreen .field-line { height: 1; }
    PhaseScreen .field-line > .field-label { width: 24; }
    PhaseScreen .field-line > Input, PhaseScreen .field-line > Select { width: 1fr; background: $boost; }
    PhaseScreen .field-block { margin-top: 1; }
    PhaseScreen .field-label { color: $text-muted; }
    PhaseScreen .field:focus-within > .field-label { color: $accent; text-style: bold; }
    PhaseScreen .field-line > Input:focus, PhaseScreen .field-block > TextArea:focus { background: $accent 25%; }
    PhaseScreen .finding { color: $error; height: auto; }
    PhaseScreen .finding.-warning { color: $warning; }
    PhaseScreen .actions { height: auto; margin-bottom: 1; }
    PhaseScreen .actions Button { margin-right: 1; }
    PhaseScreen .verdict { height: auto; padding: 0 1; margin-bottom: 1; border: round $primary; }
    """

    def __init__(self) -> None:
        super().__init__(classes=f"phase-{self.PHASE}")
        self._specs: dict[str, FieldSpec] = {}
        self._editors: dict[str, object] = {}  # field id → its editing widget (no query per field)
        self._locked: dict[str, str] = {}  # path → message: over-limit values not loaded into an editor
        self._shown: dict[str, object] = {}  # what each derived widget displays now
        self._timer: Timer | None = None
        self._terms: dict[str, str] | None = None  # the incident's words for placeholders
        self.pane = "form"
        self.artifact_index = 0
        self.landed = False  # focus has been put in the form once (the app holds keys until then)
        self._built_whole = False  # the whole form has been built and focus put in it once

    # -- building ------------------------------------------------------------------------

    @property
    def draft(self):
        return self.app.loaded.draft

    def t(self, message_id: str, /, **fields) -> str:
        return self.app.t(message_id, **fields)

    def label(self, key: str) -> str:
        """A catalogue key's text, or the literal when it is not a key."""
        from ..i18n import has

        return self.t(key) if has(key) else key

    def compose(self):
        # Each pane is built shown or hidden as the terminal's width has it (``_visible``), so
        # the first frame needs no restyle and a hidden preview renders nothing.
        shown = self._visible()
        self.set_class(self.app.size.width >= MEDIUM, "-w3", update=False)
        yield ContextBar(id="context")
        yield Stepper(self.PHASE, id="stepper")
        yield _built(Static(id="pane-tabs"), self.app.size.width < MEDIUM)
        with Horizontal(id="body"):
            with _built(FormScroll(id="form"), "form" in shown):
                # What fits the first screenful is built before the first frame; the rest
                # right after it (widgets.later), in its place.
                sections = self.form_sections()
                budget, used = self.app.size.height, 0
                for index, (rows, compose) in enumerate(sections):
                    if used >= budget:
                        self.later_pending = True
                        with Later(self._later_mounted):
                            for _rows, rest in sections[index:]:
                                yield from rest()
                        break
                    yield from compose()
                    used += rows
            yield _built(Preview(id="preview"), "preview" in shown)
            yield _built(ChecklistPanel(id="checklist"), "checklist" in shown)
        yield Static(id="status")
        yield QuietFooter()

    def fields(self) -> list[FieldSpec]:
        return list(self.FIELDS)

    def fields_after(self) -> list[FieldSpec]:
        """Fields below ``compose_extra`` (the §8 report under the follow-ups)."""
        return []

    EXTRA_ROWS: ClassVar[int] = 4  # about how many rows ``compose_extra`` takes (to split the form)
    later_pending = False  # part of the form is still to be mounted (right after the first frame)

    def form_sections(self) -> list[tuple[int, Callable]]:
        """The form top to bottom: (about how many rows it takes, what composes it)."""
        sections: list[tuple[int, Callable]] = []
        if self.INTRO:
            sections.append((3, lambda: [Static(self.t(self.INTRO), classes="intro", markup=False)]))
        sections.append((0, self.compose_top))
        sections += [(self.field_rows(spec), partial(self.compose_field, spec)) for spec in self.fields()]
        sections.append((self.EXTRA_ROWS, self.compose_extra))
        sections += [(self.field_rows(spec), partial(self.compose_field, spec)) for spec in self.fields_after()]
        sections.append((0, self.compose_tail))
        return sections

    def field_rows(self, spec: FieldSpec) -> int:
        """About how many rows a field takes: one for a line; a block's label, margin and text
        (as many lines as it holds, between its height limits)."""
        if spec.kind not in ("text", "lines"):
            return 1
        value = get_path(self.draft, spec.path)
        lines = len(value) if isinstance(value, list) else str(value or "").count("\n") + 1
        return 2 + min(max(lines, 2), 12)

    def compose_tail(self):
        """Widgets at the very end of the form (the §8 timeline)."""
        return []

    def _later_mounted(self) -> None:
        """The rest of the form is in place: its findings shown, and focus lands."""
        self.later_pending = False
        if self.app.loaded is None or not self.is_current:
            return  # left meanwhile: showing it again refreshes it (``reshow``)
        self.refresh_derived()
        if not self.landed or not self._focus_useful():
            self.land_focus()

    def compose_top(self):
        """Widgets above the fields (a verdict, a summary of what happened)."""
        return []

    def compose_extra(self):
        """Widgets below the fields (row editors, manual-record buttons)."""
        return []

    def compose_field(self, spec: FieldSpec):
        self._specs[field_id(spec.path)] = spec
        value = get_path(self.draft, spec.path)
        container, widget = build_field(spec, value, self.t, self.placeholder_terms())
        self._editors[field_id(spec.path)] = widget
        if oversize(spec, value):
            self._locked[spec.path] = self.t("limit.oversize_field", field=self.t(spec.label),
                                             size=field_size(value), limit=field_limit(spec.path))
        if isinstance(widget, (Input, TextArea)):
            widget.placeholder = self.placeholder_text(spec)
        yield container
        if spec.path in self._locked:
            yield Label(self._locked[spec.path], classes="finding oversize-note", markup=False)
        yield Label("", id=f"v-{field_id(spec.path)}", classes="finding", markup=False)

    def placeholder_terms(self) -> dict[str, str]:
        """The incident's words the fields' examples are written in (cached per screen)."""
        if self._terms is None:
            config = self.app.config
            self._terms = incident_terms(self.draft, self.t, config.jira.project_key, config.jira.url)
        return self._terms

    def suggestion(self, path: str, text: str) -> str:
        """The placeholder of a field that, while empty, takes ``text`` from the field at ``path``:
        "← 백로그 문제 상황: …", never the bare text (it would read as typed)."""
        declared_by(path)  # its label is its FieldSpec's, declared by another phase's screen
        return placeholder(self.t, text, source=source_label(path, self.t))

    def on_mount(self) -> None:
        self.app.translate_bindings(self)
        self.refresh_derived()
        self._apply_layout()
        # Just styled by its mount: the first showing need not restyle it (see _on_screen_resume).
        self._left_styles = self._style_state()
        if self._locked:
            self.app.say(self.t("limit.oversize_open", fields=", ".join(self._locked)), severity="warning",
                         timeout=15)

    def on_resize(self, event) -> None:
        self._apply_layout()

    # -- kept between phase switches -----------------------------------------------------
    # The app builds each phase screen of the open draft once (app.goto_phase): leaving one
    # calls ``leave``, showing it again ``reshow``, which puts what the draft holds now into
    # every widget that shows it. Values put there by the program never count as edits.

    _paused: list = []  # the timers ``leave`` paused (replaced, never mutated: the class default is shared)

    def can_keep(self) -> bool:
        """Whether this screen may be kept while another phase shows: not while it runs
        something (a remote step), which leaving stops as it always has."""
        from ..widgets.step_panel import StepPanel

        return not any(panel.running for panel in self.query(StepPanel).results(StepPanel))

    def leave(self) -> None:
        """Another phase is shown instead (this screen is kept): nothing of it runs unseen."""
        for timer in (self._timer, self._preview_timer):  # ``reshow`` refreshes anyway
            if timer is not None:
                timer.stop()
        self._timer = self._preview_timer = None
        history = self.app.change_history()
        if history is not None:
            history.close()  # typing here again later is a new "undo last change" entry
        # Timers of the screen and its widgets (the header's clock, a countdown, a sampler)
        # pause until it is shown again. Textual keeps no public list of a node's timers.
        paused = []
        for node in self.walk_children(with_self=True):
            for timer in list(getattr(node, "_timers", ())):
                if timer._active.is_set():
                    timer.pause()
                    paused.append(timer)
        self._paused = paused
        self._left_styles = self._style_state()

    def reshow(self) -> None:
        """Before the kept screen is shown again: every field, row list and derived view
        shows what the draft holds now (a step's result, an undo done elsewhere). A field
        whose value already matches is not touched (its text, cursor and ctrl+z stay)."""
        paused, self._paused = self._paused, []
        for timer in paused:
            timer.resume()
        # A phase change lands focus as on the first showing (the first empty required
        # field); each field keeps its own cursor.
        self.landed = False
        self._terms = None  # the incident's words may have changed meanwhile
        for wid, spec in self._specs.items():
            widget = self._editors.get(wid)
            if spec.path in self._locked or widget is None or not widget.is_attached:
                continue
            if from_widget_value(spec, _value_of(widget)) != get_path(self.draft, spec.path):
                self._put(widget, spec, get_path(self.draft, spec.path))
        self.fill_placeholders()
        for rows in self.query(RowsEditor).results(RowsEditor):
            rows.sync()
        self.reshow_extra()
        self.refresh_derived()

    def reshow_extra(self) -> None:
        """Hook: put the draft's values into the phase's own widgets (not fields, not rows)."""

    def fill_placeholders(self) -> None:
        """The grey text of empty fields that takes another field's value (``follows``), as
        that value is now; a phase adds its own (``placeholder_for``)."""
        for wid, spec in self._specs.items():
            if spec.kind not in ("input", "csv", "int", "text", "lines"):
                continue
            text = self.placeholder_text(spec)
            widget = self._editors.get(wid)
            if widget is not None and widget.placeholder != text:
                widget.placeholder = text

    def placeholder_text(self, spec: FieldSpec) -> str:
        """An empty field's grey text: the phase's own wording (``placeholder_for``), else
        the followed field's value as it is now, else the example in the incident's words."""
        from ..widgets.fields import example_placeholder

        text = self.placeholder_for(spec)
        if text is not None:
            return text
        followed = get_path(self.draft, spec.follows) if spec.follows else ""
        if followed:
            return self.suggestion(spec.follows, str(followed))
        return example_placeholder(spec, self.t, self.placeholder_terms())

    def placeholder_for(self, spec: FieldSpec) -> str | None:
        """Hook: a field's placeholder when the phase words it itself (None: the usual one)."""
        return None

    # -- focus landing -------------------------------------------------------------------

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """The screen is current again (opened, a phase change, a palette jump, a dialog
        closed): focus lands in the form unless it already rests on something visible.

        (Textual calls each class's ``_on_screen_resume`` or else its ``on_screen_resume``,
        subclasses first: this runs before ``Screen``'s own, which restyles every node of
        the screen unless told not to. A kept screen shown again whose styles cannot have
        gone stale — the app's CSS and its classes as when it was left — is not restyled:
        that was a third of a phase switch.)"""
        if self._left_styles is not None and self._left_styles == self._style_state():
            event.refresh_styles = False
        self._left_styles = None
        if not self.landed or not self._focus_useful():
            self.land_focus()

    _left_styles: tuple | None = None  # ``_style_state`` when ``leave`` ran

    def _style_state(self) -> tuple:
        """What Textual's restyle on resume is for: the app's CSS changed (a theme), or the
        app's own classes (focus, dark mode), which rules of a screen may select on."""
        app = self.app
        return app._css_update_count, frozenset(app.get_pseudo_classes()), frozenset(app.classes)

    def _focus_useful(self) -> bool:
        focused = self.focused
        return focused is not None and focused.is_attached and focused.display and focused in self.focus_chain

    def _form_stops(self) -> list:
        """The form's Tab stops in the order the form shows them (its DOM order, which does
        not wait for a layout as the focus chain's sort does)."""
        form = next(iter(self.query("#form")), None)
        if form is None:  # not composed yet
            return []
        return [w for w in form.query("*") if w.focusable
                and all(node.display for node in w.ancestors_with_self if node is not self and node is not self.app)]

    def landing_widget(self):
        """Where focus lands: the first empty required field, else the first field.

        Required means the phase's rules say so now: a field with a "required" finding
        or an error (``validate``).
        """
        stops = self._form_stops()
        if not stops:
            return None
        ctx = self.app.render_context
        required = {f.field for f in validate(self.draft, ctx, [self.PHASE])
                    if f.level == ERROR or f.code == "v.required"}
        for widget in stops:
            spec = self._spec_for(widget)
            if spec is not None and spec.path in required and _empty(widget):
                return widget
        return stops[0]

    def land_focus(self) -> None:
        """Put focus where typing should go (see ``landing_widget``), and show the form
        when it is hidden (one pane at a time below 100 columns)."""
        if self.app.loaded is None or not self.is_attached or not self.query("#form") or self.later_pending:
            return  # (with part of the form still to come, ``_later_mounted`` lands)
        if self.app.size.width < NARROW and self.pane != "form":
            self.pane = "form"
            self._apply_layout()
        target = self.landing_widget()
        if target is not None:
            # Scrolled into view once laid out, and only as far as needed: Textual's own
            # scroll on focus judged a just-built form by its geometry before layout, and
            # slid a field already in view to the middle (frames of animation over SSH).
            self.set_focus(target, scroll_visible=False)
            self.call_after_refresh(self._show_focused)
        if not self._built_whole:
            # The whole form exists now (its later part was built after the first frame):
            # the one moment a new screen is put aside from full garbage collections
            # (``HotfixApp._freeze_heap``). Frozen at its first frame, the later part was
            # left out, and each full collection walked it: 12-20 ms in a keystroke.
            self._built_whole = True
            self.call_after_refresh(self.app._freeze_heap)
        self.landed = True

    def _show_focused(self) -> None:
        focused = self.focused
        if focused is not None and focused.is_attached:
            focused.scroll_visible(animate=False)

    def _apply_layout(self) -> None:
        # The app's size, not the screen's: a screen being mounted (or kept while the terminal
        # was resized) has not been laid out yet, and its first frame must have its layout.
        width = self.app.size.width
        form = self.query_one("#form")
        preview = self.query_one("#preview")
        checks = self.query_one("#checklist")
        tabs = self.query_one("#pane-tabs", Static)
        self.set_class(width >= MEDIUM, "-w3")
        visible = self._visible()
        # Only touch what changes: every style or content change costs a re-layout, and
        # this runs after each pause in typing.
        _show(form, "form" in visible)
        if _show(preview, "preview" in visible) and preview.display:
            # Textual posts Show only when a full re-layout finds it new, not always when
            # a pane built hidden appears: the preview is told here that it is seen.
            preview.render_shown()
        _show(checks, "checklist" in visible)
        done, total = checklist.counts(self.draft)
        line = Text(no_wrap=True, overflow="ellipsis")
        for pane, label in (("form", self.t("pane.form")), ("preview", self.t("pane.preview")),
                            ("checklist", f"{self.t('pane.checklist')} {done}/{total}")):
            shown = pane in visible
            line.append(f"[{label}]" if shown else f" {label} ", style="bold" if shown else "dim")
            line.append(" ")
        line.append(" F2/F3", style="dim")
        self._update(tabs, line)
        _show(tabs, width < MEDIUM)

    def _visible(self) -> set[str]:
        """The panes shown at the terminal's width: all three from ``MEDIUM`` columns, the
        form and one other from ``NARROW``, else only the current one."""
        width = self.app.size.width
        if width >= MEDIUM:
            return {"form", "preview", "checklist"}
        if width >= NARROW:
            return {"form", "checklist" if self.pane == "checklist" else "preview"}
        return {self.pane}

    # -- edits ---------------------------------------------------------------------------

    def _spec_for(self, widget) -> FieldSpec | None:
        return self._specs.get(widget.id or "")

    def _write(self, widget, value) -> None:
        spec = self._spec_for(widget)
        if spec is None or spec.path in self._locked:
            return  # a locked field's value stays exactly as the file has it
        new = from_widget_value(spec, value)
        if get_path(self.draft, spec.path) == new:
            return  # a value set by the app (filling the form), not an edit: nothing to save
        self._remember(widget, spec, new)
        set_path(self.draft, spec.path, new)
        self.on_field_written(spec)
        self.changed()

    def on_field_written(self, spec: FieldSpec) -> None:
        """Hook for a phase whose fields drive others (triage → verdict)."""

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        self._write(event.input, event.value)

    @on(TextArea.Changed)
    def _textarea_changed(self, event: TextArea.Changed) -> None:
        self._write(event.text_area, event.text_area.text)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        self._write(event.select, event.value)

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._write(event.checkbox, event.value)

    @on(RowsEditor.Changed)
    def _rows_changed(self, event: RowsEditor.Changed) -> None:
        if event.attr == "checked" and 0 <= event.index < len(event.editor.items):
            item = event.editor.items[event.index]
            check = item_fact(getattr(item, "text", ""))
            if item.checked and check and check_state(self.draft, check) != PASSED \
                    and not fact_overridden(self.draft, f"fact.{check}"):
                self._item_with_reason(event.editor, event.index, item, check)
        self.changed()

    def _item_with_reason(self, editor: RowsEditor, index: int, item, check: str) -> None:
        """A §6.2/§5.1 test item ticked by hand while its check has not passed: ask why; the
        answer is an override of that fact; no answer takes the tick back."""
        from .modals import PromptScreen

        state = check_state(self.draft, check)
        why = self.t("ov.fact_failed" if state == FAILED else "ov.fact_missing")
        text = item.text.strip()

        def answered(reason: str | None) -> None:
            if self.app.loaded is None:
                return
            if not (reason and reason.strip()):
                if reason is not None:
                    self.app.say(self.t("ov.reason_empty"), severity="warning")
                item.checked = False
                if editor.is_attached:
                    editor.show_value(index, "checked", False)
                self.changed()
                return
            item.checked = True  # a redraw meanwhile may have taken it back
            if editor.is_attached:
                editor.show_value(index, "checked", True)
            override = self.draft.add_override(self.PHASE, f"fact.{check}", reason, what=f"{text}: {why}",
                                               at=self.app.now_iso())
            self.draft.add_event(self.t("ov.tick_event", item=text, reason=override.reason), source="override")
            self.changed()

        self.app.push_screen(PromptScreen(self.t("ov.tick_q", item=text, why=why)), answered)

    def changed(self) -> None:
        """Something in the draft changed: save soon, re-render after a pause in typing."""
        self.app.mark_dirty()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PREVIEW_DEBOUNCE, self.refresh_derived)
        if self._preview_timer is not None:
            self._preview_timer.stop()
        if self.query_one(Preview).display:  # up to date soon after the last key, not after the debounce
            self._preview_timer = self.set_timer(PREVIEW_SOON, self._preview_soon)

    _preview_timer: Timer | None = None

    def _preview_soon(self) -> None:
        self._preview_timer = None
        if self.app.loaded is not None:
            self.refresh_preview()

    @property
    def pending_refresh(self) -> bool:
        """Whether a debounced refresh of the derived views (preview, rules line, §10) is
        still to run; tests wait on it instead of sleeping past the debounce."""
        return self._timer is not None

    def record(self, text: str) -> None:
        """A manual record of a remote step: timeline event, notice, save."""
        self.draft.add_event(text, source="user")
        self.app.say(self.t("recorded", what=text), timeout=4)
        self.changed()

    # -- undo last change (alt+z) -------------------------------------------------------
    # Every field write and row edit is noted in the draft's ChangeHistory (app.change_history)
    # with the value before it; alt+z / the palette puts the newest one back, in the draft
    # and in the widget showing it. Per keystroke this is a few attribute lookups.

    def _remember(self, widget, spec: FieldSpec, new) -> None:
        *parents, attr = spec.path.split(".")
        target = self.draft
        for part in parents:
            target = getattr(target, part)
        self.remember(target, attr, new, spec.label, widget)

    def remember(self, target, attr: str, new, label: str, widget, display=None) -> None:
        """Note that ``target.attr`` is about to become ``new`` (call before storing it), for alt+z.
        A phase's own widgets call this too; ``show_restored`` puts a restored value back in them."""
        history = self.app.change_history()
        if history is not None:
            history.record(target, attr, getattr(target, attr), new, label=label, where=self.PHASE, token=widget,
                           display=display)

    def show_restored(self, change) -> None:
        """Hook: show a restored value in a widget of the phase's own (not a field, not a row)."""

    @on(RowsEditor.Changed)
    def _remember_row(self, event: RowsEditor.Changed) -> None:
        history = self.app.change_history()
        item, attr = event.item, event.attr
        if history is None or item is None or not attr:
            return
        rows = event.editor.items  # the draft's own list: a removed row is not restored
        history.record(item, attr, event.old, getattr(item, attr), label=f"{event.editor.label} #{event.index + 1}",
                       where=self.PHASE, token=event.editor, valid=lambda: any(row is item for row in rows),
                       display=event.editor.display_for(attr))

    @on(events.DescendantBlur)
    def _end_change_burst(self, event) -> None:
        history = self.app.change_history()
        if history is not None:
            history.close()  # editing this field again later is a new entry

    def undo_change(self) -> None:
        """Put the last edited field back as it was before its last burst of edits, and say so."""
        history = self.app.change_history()
        change = history.undo() if history is not None else None
        if change is None:
            self.app.say(self.t("undo.nothing"), timeout=3)
            return
        if change.where == self.PHASE:
            self._show_restored(change)
        value = change.current()
        if change.display is not None:
            value = change.display(value)
        if isinstance(value, bool):
            shown = self.t("undo.ticked" if value else "undo.unticked")
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = str(value)
        shown = visible_line(shown[:60] + ("…" if len(shown) > 60 else "")) or self.t("undo.empty")
        if change.where == self.PHASE:
            message = self.t("undo.restored", field=self.label(change.label), value=shown)
        else:
            message = self.t("undo.restored_in", phase=self.t(f"phase.{change.where}"),
                             field=self.label(change.label), value=shown)
        self.app.say(message, timeout=6)
        self.changed()

    def _show_restored(self, change) -> None:
        """Show a restored value in the widget that edits it (no Changed: the draft has it)."""
        for wid, spec in self._specs.items():
            *parents, attr = spec.path.split(".")
            if attr != change.attr or (get_path(self.draft, ".".join(parents)) if parents else self.draft) \
                    is not change.target:
                continue
            for widget in self.query(f"#{wid}"):
                self._put(widget, spec, change.current())
            self.on_field_written(spec)
            return
        for editor in self.query(RowsEditor).results(RowsEditor):
            if editor.show_item(change.target, change.attr):
                return
        self.show_restored(change)

    def _put(self, widget, spec: FieldSpec, value) -> None:
        from ..widgets.fields import to_widget_value

        shown = to_widget_value(spec, value)
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed, Checkbox.Changed):
            if isinstance(widget, TextArea):
                # An edit, not load_text: the field's own ctrl+z can take the restore back.
                widget.replace(visible(shown), (0, 0), widget.document.end)
            elif isinstance(widget, Input):
                widget.value = visible(shown)
                widget.cursor_position = len(widget.value)
            elif isinstance(widget, Select):
                if value in [v for _, v in spec.options]:
                    widget.value = value
                else:
                    widget.value = Select.NULL
            else:
                widget.value = shown

    # -- derived views -------------------------------------------------------------------

    def refresh_derived(self) -> None:
        self._timer = None
        if self.app.loaded is None:  # the draft was closed (esc) before the debounce ran out
            return
        ctx = self.app.render_context
        # The tree is not read here (this runs after each pause in typing): the gate compares
        # it when the phase is left (app.advance).
        facts = self.app.gate_facts()
        changed = checklist.refresh(self.draft, at=self.app.now_iso(), language=self.app.config.ui.language,
                                    facts=facts)
        if changed:
            self.app.derived_changed()
        if any("[" in what for what in changed):  # a test item's tick taken back: show it
            for editor in self.query(RowsEditor).results(RowsEditor):
                for index, item in enumerate(editor.items):
                    if hasattr(item, "checked"):
                        editor.show_value(index, "checked", item.checked)
        self.query_one(ChecklistPanel).rebuild()
        self._show_findings(validate(self.draft, ctx, [self.PHASE]) + gates(self.draft, ctx, [self.PHASE], facts))
        self.refresh_preview()
        self.query_one(ContextBar).refresh_bar()
        self.query_one(Stepper).refresh_marks()
        self._apply_layout()
        self.refresh_extra()

    def refresh_extra(self) -> None:
        """Hook for phase widgets that show derived state."""

    def _show_findings(self, findings: list[Finding]) -> None:
        by_field: dict[str, list[Finding]] = {}
        for f in findings:
            by_field.setdefault(f.field, []).append(f)
        for label in self.query(".finding").results(Label):
            if label.has_class("oversize-note"):
                continue
            path = (label.id or "")[len("v-f-"):].replace("--", ".")
            mine = by_field.pop(path, [])
            self._update(label, visible("\n".join(("✗ " if f.level == ERROR else "⚠ ") + f.message for f in mine)))
            label.set_class(bool(mine) and all(f.level != ERROR for f in mine), "-warning")
            _show(label, bool(mine))
        errors = sum(1 for f in findings if f.level == ERROR)
        warnings = len(findings) - errors
        status = self.query_one("#status", Static)
        banner = self.app.banner
        if banner:
            line = Text(visible_line(banner), style="bold yellow")
        elif errors:
            first = next(f for f in findings if f.level == ERROR)
            # Wrapped, not cut: the hint at the end ("set [terraform] dir ...") is the point.
            line = Text(f"{self.t('errors_summary', errors=errors, warnings=warnings)} — {visible_line(first.message)}",
                        style="red")
        elif warnings:
            first = findings[0]
            line = Text(f"{self.t('warnings_summary', warnings=warnings)} — {visible_line(first.message)}",
                        style="yellow")
        else:
            line = Text(self.t("all_good"), style="green")
        self._update(status, line)

    def _update(self, widget, content) -> None:
        """``widget.update(content)`` unless it already shows exactly that."""
        key = widget.id or str(id(widget))
        if self._shown.get(key) != content:
            self._shown[key] = content
            widget.update(content)

    def artifacts(self) -> list[Artifact]:
        return list(self.ARTIFACTS)

    def current_artifact(self) -> Artifact | None:
        arts = self.artifacts()
        if not arts:
            return None
        return arts[self.artifact_index % len(arts)]

    def artifact_text(self, art: Artifact) -> str:
        text = art.produce(self.draft, self.app.render_context)
        if self.app.preview_mode == "jira" and art.markdown:
            from ..render.jira_wiki import markdown_to_jira

            text = markdown_to_jira(text)
        return text

    def refresh_preview(self) -> None:
        art = self.current_artifact()
        preview = self.query_one(Preview)
        if art is None:
            preview.show("", "", "source", False)
            return
        arts = self.artifacts()
        mode = self.app.preview_mode
        title = self.label(art.label)
        if len(arts) > 1:
            title += f" ({self.artifact_index % len(arts) + 1}/{len(arts)} F7)"
        title += f" · {mode if art.markdown else 'text'}"
        preview.show(title, self.artifact_text(art), mode, art.markdown)

    # -- actions -------------------------------------------------------------------------

    def action_next_phase(self) -> None:
        self.app.advance(self.PHASE, +1)

    def action_prev_phase(self) -> None:
        self.app.advance(self.PHASE, -1)

    @on(Stepper.Selected)
    def _jump(self, event: Stepper.Selected) -> None:
        if event.phase != self.PHASE:
            self.app.goto_phase(event.phase)

    def action_save(self) -> None:
        # A pending re-derive (ticks, findings) runs first, so what ctrl+s writes is what the
        # typed text proves, not what it proved before the last pause in typing.
        if self._timer is not None:
            self._timer.stop()
            self.refresh_derived()
        self.app.save_now(announce=True)

    def action_toggle_pane(self) -> None:
        width = self.app.size.width
        if width >= MEDIUM:  # every pane shows: F2 moves focus between the form and the preview
            if self.focused is not None and self.focused.id == "preview":
                self.land_focus()
            else:
                self.query_one(Preview).focus()
            return
        if width >= NARROW:
            self.pane = "form" if self.pane != "form" else "preview"
            self._apply_layout()
            if not self._focus_useful():
                self.land_focus()
            return
        self.pane = "preview" if self.pane == "form" else "form"
        self._apply_layout()
        if self.pane == "preview":
            self.query_one(Preview).focus()
        else:
            self.land_focus()

    def action_show_checklist(self) -> None:
        width = self.app.size.width
        if width < MEDIUM:
            self.pane = "form" if self.pane == "checklist" else "checklist"
            self._apply_layout()
        if self.pane == "checklist" or width >= MEDIUM:
            self.query_one(ChecklistPanel).focus()
        elif not self._focus_useful():
            self.land_focus()

    @on(ChecklistPanel.Toggled)
    def _tick(self, event: ChecklistPanel.Toggled) -> None:
        item_id = event.item_id
        state = self.draft.checklist.get(item_id)
        ticking = not (state and state.checked)
        why = checklist.fact_problem(self.draft, item_id, self.app.gate_facts(), self.app.config.ui.language)
        if ticking and why:
            self._tick_with_reason(item_id, why)
            return
        checklist.toggle(self.draft, item_id)
        self.changed()
        self.query_one(ChecklistPanel).rebuild()

    def _tick_with_reason(self, item_id: str, why: str) -> None:
        """A §10 item a fact decides, ticked by hand while the fact does not hold: ask why, and
        record the answer as an override (an empty answer ticks nothing)."""
        from .modals import PromptScreen

        label = checklist.BY_ID[item_id].label(self.app.config.ui.language)

        def answered(reason: str | None) -> None:
            if reason is None or self.app.loaded is None:
                return
            if not reason.strip():
                self.app.say(self.t("ov.reason_empty"), severity="warning")
                return
            draft = self.draft
            checklist.toggle(draft, item_id, reason)
            override = draft.add_override(self.PHASE, checklist.item_gate(item_id), reason,
                                          what=f"{label}: {why}", at=self.app.now_iso())
            draft.add_event(self.t("ov.tick_event", item=label, reason=override.reason), source="override")
            self.changed()
            self.query_one(ChecklistPanel).rebuild()

        self.app.push_screen(PromptScreen(self.t("ov.tick_q", item=label, why=why)), answered)

    def action_copy(self) -> None:
        art = self.current_artifact()
        if art is None:
            return
        text = self.artifact_text(art)
        self.app.copy_to_clipboard(text)
        self.app.say(self.t("copied", what=self.label(art.label), chars=len(text)), timeout=4)

    def action_export(self) -> None:
        art = self.current_artifact()
        if art is None:
            return
        self.app.export_artifact(art.name or self.PHASE, self.artifact_text(art),
                                 ".md" if art.markdown and self.app.preview_mode != "jira" else ".txt")

    def action_cycle_format(self) -> None:
        self.app.preview_mode = MODES[(MODES.index(self.app.preview_mode) + 1) % len(MODES)]
        self.refresh_preview()

    def action_next_artifact(self) -> None:
        self.artifact_index += 1
        self.refresh_preview()

    def action_note(self) -> None:
        self.app.ask_note()

    def action_status_update(self) -> None:
        """§8.2 팀 공유: the status message for the team channel (copy, post to Slack)."""
        import copy

        from ..workflow.steps import StepContext
        from .status import StatusScreen

        app = self.app
        path = app.loaded.path if app.loaded is not None else None
        self.app.push_screen(StatusScreen(StepContext(app.services, app.config), copy.deepcopy(self.draft), path))

    def action_home(self) -> None:
        self.app.go_home()

    def action_help(self) -> None:
        self.app.show_help(self.PHASE)


def _empty(widget) -> bool:
    """True when an editor holds nothing (a Select on its blank, a text with only spaces)."""
    if isinstance(widget, Input):
        return not widget.value.strip()
    if isinstance(widget, TextArea):
        return not widget.text.strip()
    if isinstance(widget, Select):
        return widget.value is Select.NULL or widget.value in (None, "")
    return False


def _value_of(widget):
    """What an editor holds, as its Changed event would carry it."""
    if isinstance(widget, TextArea):
        return widget.text
    return widget.value


# Each phase's screen: its module in this package and its class.
SCREENS = {
    "triage": ("triage", "TriageScreen"), "backlog": ("backlog", "BacklogScreen"),
    "branch": ("branch", "BranchScreen"), "fix": ("fix", "FixScreen"), "commit": ("commit", "CommitScreen"),
    "verify": ("verify", "VerifyScreen"), "pr": ("pr", "PrScreen"), "merge": ("merge", "MergeScreen"),
    "post": ("post", "PostScreen"),
}


def screen_class(phase: str) -> type[PhaseScreen]:
    """``phase``'s screen class, its module imported now if it was not yet."""
    module, name = SCREENS[phase]
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)


def declared_by(path: str) -> None:
    """Import the screen that declares the field at ``path`` (its FieldSpec, and so its label,
    is known from then on). A field another phase follows lives on the screen of the phase
    its path starts with ("backlog.root_cause"); tests/ui/test_first_frame.py holds every
    ``follows`` to that."""
    phase = path.split(".", 1)[0]
    if phase in SCREENS:
        screen_class(phase)


def _built(widget, visible: bool):
    """``widget``, hidden unless ``visible``, before it is mounted (no restyle, no re-layout)."""
    widget.display = visible
    return widget


def _show(widget, visible: bool) -> bool:
    """Show or hide ``widget``; whether that changed anything."""
    if widget.display != visible:
        widget.display = visible
        return True
    return False
