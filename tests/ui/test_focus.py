"""Focus and selection respect typed text (issue 10, item 1; item 2 in Pilot).

Focusing a filled field puts the cursor at the end and selects nothing; focus lands in
the form (the first empty required field, else the first field) after a phase change,
F2/F3, a palette jump and a dialog; no key selects a whole field; keys that arrive in the
same burst as Tab go to the field after it. The real-terminal proof of the last point is
tests/test_typeahead_pty.py.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from hotfix_tui.model import Draft
from hotfix_tui.screens.modals import PromptScreen
from hotfix_tui.store import DraftStore
from hotfix_tui.widgets.fields import SafeInput, SafeTextArea

from .helpers import focus, give_reason, make_app, on_top, settle, type_text

SUMMARY = "MetalLB IP 할당 실패로 LoadBalancer 서비스 External-IP Pending"


def backlog_draft(drafts, *, filled: bool = True, phase: str = "backlog"):
    """A draft at ``phase`` whose Backlog has a summary, a priority and labels; with
    ``filled`` every required Backlog text too, so focus lands on the first field."""
    draft = Draft()
    b = draft.backlog
    b.summary, b.priority, b.labels = SUMMARY, "Critical", ["hotfix"]
    if filled:
        b.problem = "IP 풀 소진"
        b.impact = "신규 서비스 외부 노출 불가"
        b.repro_steps = ["kubectl get svc -A | grep LoadBalancer"]
        b.root_cause = "풀 범위 /28"
        b.fix_plan = ["풀 확장"]
        b.rollback_plan = "이전 풀로 되돌림"
        b.since = "2025-10-19 14:30"
    draft.phase = phase
    return DraftStore(drafts).create(draft).path


def selection_of(widget):
    return widget.selection


def assert_cursor_at_end(widget) -> None:
    if isinstance(widget, Input):
        assert widget.selection.is_empty and widget.cursor_position == len(widget.value), widget.selection
    else:
        assert widget.selection.is_empty and widget.selection.end == widget.document.end, widget.selection


async def test_opening_a_draft_and_tabbing_never_selects_so_typing_appends(drafts_dir):
    """Opening a draft focuses the Backlog summary with its text selected; the first key
    typed replaced the whole title, autosaved half a second later; ctrl+z did not bring it
    back. Tabbing into Labels and typing `, ingress-nginx` deleted `hotfix` the same way."""
    path = backlog_draft(drafts_dir)
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        summary = app.screen.query_one("#f-backlog--summary", SafeInput)
        assert app.focused is summary  # nothing is empty: the first field
        assert_cursor_at_end(summary)
        await type_text(pilot, " 긴급")
        assert app.loaded.draft.backlog.summary == SUMMARY + " 긴급"

        await focus(pilot, "f-backlog--labels")
        assert_cursor_at_end(app.focused)
        await type_text(pilot, ", ingress-nginx")
        await settle(pilot)
        assert app.loaded.draft.backlog.labels == ["hotfix", "ingress-nginx"]

        await focus(pilot, "f-backlog--problem")  # a filled text area: the cursor at its end too
        assert_cursor_at_end(app.focused)
        await type_text(pilot, " (/28)")
        assert app.loaded.draft.backlog.problem == "IP 풀 소진 (/28)"

        # Shift+Tab back into the summary: still no selection.
        await focus(pilot, "f-backlog--summary")
        assert_cursor_at_end(app.focused)


async def test_focus_lands_on_the_first_empty_required_field(drafts_dir):
    """Focus lands somewhere useful: the first empty required field of the phase."""
    path = backlog_draft(drafts_dir, filled=False)
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # summary, priority and labels are filled; "problem" is the first empty required one
        assert app.focused is app.screen.query_one("#f-backlog--problem")


async def test_focus_lands_in_the_form_after_f2_f3_a_phase_change_a_palette_jump_and_a_dialog(drafts_dir):
    """After F2, a phase change or a palette jump nothing has focus; a 50-character Korean
    summary typed then was lost without a sign."""
    path = backlog_draft(drafts_dir, filled=False)
    app = make_app(drafts_dir, draft_path=path)
    problem = "MetalLB 주소 풀이 소진되어 새 LoadBalancer 서비스가 외부 IP를 받지 못함"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        landing = "f-backlog--problem"

        await pilot.press("f2")  # the preview pane
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "preview"
        await pilot.press("f2")  # back to the form
        await settle(pilot)
        assert app.focused is not None and app.focused.id == landing

        await pilot.press("f3")  # the checklist pane
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == landing

        await pilot.press("ctrl+t")  # a dialog (a timeline note), closed with escape
        await on_top(pilot, PromptScreen)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == landing

        # A phase change (forward: the gate asks why), then back with ctrl+p.
        await pilot.press("ctrl+n")
        await settle(pilot)
        await give_reason(pilot, "on the call")
        await settle(pilot)
        assert app.loaded.draft.phase == "branch"
        assert app.focused is not None and app.screen.query_one("#form") in app.focused.ancestors
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.loaded.draft.phase == "backlog"
        assert app.focused is not None and app.focused.id == landing

        # A palette jump.
        await pilot.press("ctrl+g")
        await settle(pilot)
        await type_text(pilot, "브랜치")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert app.loaded.draft.phase == "branch"
        assert app.focused is not None and app.screen.query_one("#form") in app.focused.ancestors

        await pilot.press("ctrl+p")
        await settle(pilot)
        # The terminal loses focus (another window) and the person comes back typing.
        app.post_message(events.AppBlur())
        await settle(pilot)
        await type_text(pilot, problem)
        await settle(pilot)
        assert app.loaded.draft.backlog.problem == problem


async def test_no_key_selects_a_whole_field(drafts_dir):
    """F7 inside a text area selected all (Textual's default beat the app's binding); the
    next key wiped the field."""
    path = backlog_draft(drafts_dir)
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await focus(pilot, "f-backlog--problem")
        area = app.focused
        assert isinstance(area, SafeTextArea)
        before = screen.artifact_index
        await pilot.press("f7")  # the app's "next artifact", not Textual's select-all
        await settle(pilot)
        assert area.selection.is_empty
        assert screen.artifact_index == before + 1
        mode = app.preview_mode
        await pilot.press("f6")  # the app's "format", not Textual's select-line
        await settle(pilot)
        assert area.selection.is_empty and app.preview_mode != mode
        await type_text(pilot, "!")
        assert app.loaded.draft.backlog.problem == "IP 풀 소진!"

        await focus(pilot, "f-backlog--summary")
        field = app.focused
        await pilot.press("ctrl+shift+a", "ctrl+a")  # Textual's select-all; ctrl+a is "home" only
        await settle(pilot)
        assert field.selection.is_empty
        await pilot.press("end")
        await type_text(pilot, "!")
        assert app.loaded.draft.backlog.summary == SUMMARY + "!"


def test_every_textual_select_all_binding_is_refused():
    """No binding of Textual's Input or TextArea that selects a whole field is enabled in
    the app's fields (read from Textual's own binding lists, so a new one is caught)."""
    checked = 0
    for safe, base in ((SafeInput(), Input), (SafeTextArea(), TextArea)):
        for binding in base.BINDINGS:
            action = binding.action.split("(")[0]
            if "select" in action and not binding.action.endswith("(True)"):
                assert safe.check_action(action, ()) is False, (base.__name__, binding.key, action)
                checked += 1
    assert checked >= 3  # Input: select_all; TextArea: select_line, select_all


async def _burst(app, keys) -> None:
    """Keys delivered in one read, as a laggy SSH link does: all queued before any is handled."""
    for key in keys:
        character = {"tab": "\t", "shift+tab": None, "enter": "\r", "ctrl+n": None, "ctrl+p": None}.get(key, key)
        event = events.Key(key, character)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_keys_in_a_burst_with_tab_go_to_the_next_field(drafts_dir):
    """Keys sent in the same burst as Tab landed in the previous field (`alphabeta` ended up
    in Labels) — reproduced twice. (Pilot; the real terminal is tests/test_typeahead_pty.py.)"""
    path = backlog_draft(drafts_dir, filled=False)
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await focus(pilot, "f-backlog--problem")
        await _burst(app, ["tab", *"alphabeta"])  # problem → since
        await settle(pilot)
        draft = app.loaded.draft
        assert draft.backlog.since == "alphabeta" and draft.backlog.problem == ""
        await _burst(app, ["shift+tab", "shift+tab", *"gamma"])  # since → problem → components
        await settle(pilot)
        assert draft.backlog.components == ["gamma"] and draft.backlog.problem == ""
        # ctrl+n: the gate asks why (keys go into its prompt); Enter answers it and the
        # next phase opens: the rest of the burst goes to that phase's landing field.
        await _burst(app, ["ctrl+n", *"delta", "enter", *"epsilon"])
        await settle(pilot)
        assert draft.phase == "branch"
        assert [o.reason for o in draft.overrides] == ["delta"]
        assert draft.branch.slug == "epsilon"
        await _burst(app, ["ctrl+p", *"zeta"])  # back: Backlog's landing field
        await settle(pilot)
        assert draft.phase == "backlog"
        assert draft.backlog.problem == "zeta" and draft.branch.slug == "epsilon"


async def test_f2_at_every_width_comes_back_to_a_field(drafts_dir):
    """F2 and back leaves focus in the form at 80, 120 and 200 columns."""
    for size in ((80, 24), (120, 40), (200, 50)):
        path = backlog_draft(drafts_dir, filled=False)
        app = make_app(drafts_dir, draft_path=path)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("f2")
            await settle(pilot)
            await pilot.press("f2")
            await settle(pilot)
            assert app.focused is not None and app.focused.id == "f-backlog--problem", (size, app.focused)
