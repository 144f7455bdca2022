"""Selects save what they show: every select and checkbox a phase declares round-trips through
the draft, and a draft value that is none of a select's choices is shown, not blanked.

The fields are found by reading hotfix_tui/screens/*.py for FieldSpec declarations, so a
select or checkbox added to any phase is covered here without editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from textual.widgets import Select

import hotfix_tui.screens
from hotfix_tui.model import PHASES, Draft
from hotfix_tui.store import DraftStore
from hotfix_tui.widgets.fields import FieldSpec, field_id, get_path, set_path
from hotfix_tui.widgets.tick import Tick

from .helpers import focus, make_app, settle


def declared_fields() -> list[FieldSpec]:
    """Every FieldSpec in hotfix_tui/screens/*.py: module-level lists and class attributes."""
    found: dict[str, FieldSpec] = {}
    for info in pkgutil.iter_modules(hotfix_tui.screens.__path__):
        module = importlib.import_module(f"{hotfix_tui.screens.__name__}.{info.name}")
        values = list(vars(module).values())
        values += [v for cls in list(values) if isinstance(cls, type) for v in vars(cls).values()]
        for value in values:
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(item, FieldSpec):
                    found.setdefault(item.path, item)
    return sorted(found.values(), key=lambda spec: spec.path)


CHOICE_FIELDS = [spec for spec in declared_fields() if spec.kind in ("select", "bool")]
SELECTS = [spec for spec in CHOICE_FIELDS if spec.kind == "select"]


def test_the_enumeration_finds_the_selects_and_checkboxes_the_screens_declare():
    """The parametrisation below is not empty by accident (one of each kind is known)."""
    paths = {spec.path for spec in CHOICE_FIELDS}
    assert {"triage.severity", "triage.urgent", "deploy.outcome", "merge.self_merge"} <= paths


def _draft_file(drafts_dir, **values):
    draft = Draft()
    for path, value in values.items():
        set_path(draft, path, value)
    return DraftStore(drafts_dir).create(draft).path


_PHASE_OF: dict[str, str] = {}  # widget id → the phase found showing it (saves mounting the others)


async def _go_to_field(app, pilot, wid: str):
    """Show the phase whose form has ``#wid`` (phases are tried in order; no gates asked)."""
    known = _PHASE_OF.get(wid)
    for phase in ([known] if known else []) + list(PHASES):
        app.goto_phase(phase)
        await settle(pilot)
        found = app.screen.query(f"#{wid}")
        if found:
            _PHASE_OF[wid] = phase
            return found.first()
    raise AssertionError(f"no phase shows #{wid}")


def _shown(widget) -> str:
    """The text the widget draws for its value (a select's current line, a tick's box)."""
    if isinstance(widget, Select):
        return str(widget.query_one("SelectCurrent #label").render())
    return str(widget.render())


def _label_of(spec: FieldSpec, value: str, app) -> str:
    from hotfix_tui.i18n import has

    label = next(lbl for lbl, val in spec.options if val == value)
    return app.t(label) if has(label) else label


@pytest.mark.parametrize("spec", CHOICE_FIELDS, ids=[spec.path for spec in CHOICE_FIELDS])
async def test_each_select_and_checkbox_round_trips_through_the_draft(drafts_dir, spec):
    """The follow-up type select shows "모니터링 강화" but saves empty — the same promise for
    every select and checkbox a phase declares: what is chosen in the app is what the draft
    file holds and what the next session shows."""
    path = _draft_file(drafts_dir)
    wid = field_id(spec.path)
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await _go_to_field(app, pilot, wid)
        await focus(pilot, wid)
        if spec.kind == "select":
            chosen = spec.options[-1][1]
            await pilot.press("enter", "end", "enter")  # open, last choice, take it
        else:
            chosen = True
            await pilot.press("space")
        await settle(pilot)
        assert widget.value == chosen
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert get_path(DraftStore(drafts_dir).load(path).draft, spec.path) == chosen

    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.screen.query_one(f"#{wid}")
        assert widget.value == chosen
        if spec.kind == "select":
            assert _shown(widget) == _label_of(spec, chosen, app)
        else:
            assert isinstance(widget, Tick) and "X" in _shown(widget)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert get_path(DraftStore(drafts_dir).load(path).draft, spec.path) == chosen


@pytest.mark.parametrize("spec", SELECTS, ids=[spec.path for spec in SELECTS])
async def test_a_value_that_is_not_a_choice_is_shown_and_kept(drafts_dir, spec):
    """Typed text is sacred: a draft value none of the choices has (an older version's, a hand
    edit) is shown, marked, and saved back unchanged, not shown as empty and then written as
    empty on the next save."""
    odd = "P0-older-scheme"
    path = _draft_file(drafts_dir, **{spec.path: odd})
    wid = field_id(spec.path)
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        widget = await _go_to_field(app, pilot, wid)
        assert widget.value == odd
        assert odd in _shown(widget) and "⚠" in _shown(widget)
        assert widget.has_class("-unknown")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The user can still pick a real choice: then that is what is saved.
        await focus(pilot, wid)
        await pilot.press("enter", "home", "down", "enter")
        await settle(pilot)
        first = spec.options[0][1]
        assert widget.value == first
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = DraftStore(drafts_dir).load(path).draft
    assert get_path(saved, spec.path) == first


async def test_every_select_and_checkbox_on_a_phase_is_a_declared_field(drafts_dir):
    """No select or checkbox reaches a form without a FieldSpec the round-trip test covers."""
    declared = {field_id(spec.path) for spec in CHOICE_FIELDS}
    path = _draft_file(drafts_dir)
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        for phase in PHASES:
            app.goto_phase(phase)
            await settle(pilot)
            shown = {w.id for w in app.screen.query("#form Select, #form Tick") if (w.id or "").startswith("f-")}
            assert shown <= declared, (phase, shown - declared)
