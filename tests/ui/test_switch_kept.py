"""Phase switches keep the open draft's screens (issue 12, item 2 "Phase switches at the floor").

ctrl+n / ctrl+p show the screen built the first time, refreshed from the draft, instead
of composing 48-99 widgets again; a value the program puts into a field never counts as
an edit; opening another draft starts with fresh screens.
"""

from __future__ import annotations

from textual.widgets import Input, TextArea

from hotfix_tui.screens.phase import PhaseScreen
from hotfix_tui.widgets.checklist_panel import ChecklistPanel

from .helpers import example_at, make_app, settle, until

NEVER = 3600.0


async def switch(pilot, key: str, phase: str) -> PhaseScreen:
    await pilot.press(key)
    await until(pilot, lambda: getattr(pilot.app.screen, "PHASE", "") == phase, f"the {phase} screen")
    await settle(pilot)
    return pilot.app.screen


async def jump(pilot, phase: str) -> PhaseScreen:
    """A jump to ``phase`` as the stepper and the palette make it."""
    pilot.app.goto_phase(phase)
    await until(pilot, lambda: getattr(pilot.app.screen, "PHASE", "") == phase, f"the {phase} screen")
    await settle(pilot)
    return pilot.app.screen


def count_saves(app) -> list:
    """Every write of the draft file (autosave thread or not), in order."""
    saves: list = []
    real = app.store.save

    def counting(loaded, *args, **kwargs):
        saves.append(loaded.draft.phase)
        return real(loaded, *args, **kwargs)

    app.store.save = counting
    return saves


async def test_switching_away_and_back_keeps_the_screen_its_text_and_cursors(drafts_dir, example_path):
    """'Screens (or their form widgets) are kept and refreshed, not recomposed': ctrl+p and
    ctrl+n back give the same screen object, with the typed text and both cursors where they were."""
    path = example_at(drafts_dir, example_path, "pr")
    app = make_app(drafts_dir, draft_path=path, autosave_seconds=NEVER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pr = app.screen
        summary = pr.query_one("#f-pr--summary", Input)
        summary.focus()
        await settle(pilot)
        await pilot.press("end", "space", "x", "y", "left")
        await settle(pilot)
        assert summary.value.endswith(" xy") and summary.cursor_position == len(summary.value) - 1
        problem = pr.query_one("#f-pr--problem", TextArea)
        problem.move_cursor((0, 3))
        summary.focus()
        await settle(pilot)

        verify = await switch(pilot, "ctrl+p", "verify")
        assert verify is not pr
        back = await switch(pilot, "ctrl+n", "pr")
        assert back is pr, "the PR screen was composed again"
        assert back.query_one("#f-pr--summary", Input) is summary
        assert summary.value.endswith(" xy") and summary.cursor_position == len(summary.value) - 1
        assert problem.cursor_location == (0, 3)
        assert app.loaded.draft.pr.summary == summary.value
        again = await switch(pilot, "ctrl+p", "verify")
        assert again is verify


async def test_a_result_stored_while_away_shows_when_the_screen_comes_back(drafts_dir, example_path):
    """'refreshed, not recomposed': a fact a step stores while the PR screen is away (its URL and
    number), a placeholder's source edited elsewhere, and the §10 checklist show when it is back."""
    path = example_at(drafts_dir, example_path, "pr")
    app = make_app(drafts_dir, draft_path=path, autosave_seconds=NEVER)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        pr = app.screen
        await switch(pilot, "ctrl+p", "verify")
        draft = app.loaded.draft
        draft.pr.url = "https://github.com/example/infra/pull/4242"  # what the PR step's Outcome applies
        draft.pr.number = 4242
        draft.pr.rollback = ""  # empty now: its placeholder follows the backlog's rollback plan
        draft.backlog.rollback_plan = "helm rollback metallb 7"
        draft.checklist.clear()  # the §10 ticks are derived again from the facts
        back = await switch(pilot, "ctrl+n", "pr")
        assert back is pr
        assert pr.query_one("#f-pr--url", Input).value == "https://github.com/example/infra/pull/4242"
        assert pr.query_one("#f-pr--number", Input).value == "4242"
        rollback = pr.query_one("#f-pr--rollback", TextArea)
        assert rollback.text == "" and "helm rollback metallb 7" in str(rollback.placeholder)
        assert draft.checklist, "the §10 checklist was not derived again"
        done = sum(1 for state in draft.checklist.values() if state.checked)
        assert done > 0 and f" {done}/" in str(pr.query_one(ChecklistPanel).border_title)


async def test_switching_neither_marks_dirty_nor_saves(drafts_dir, example_path):
    """'programmatic value changes never count as edits (no dirty mark, no autosave, no extra
    refresh)': six switches write nothing; the position is written when the draft is left."""
    path = example_at(drafts_dir, example_path, "pr")
    before = path.read_bytes()
    app = make_app(drafts_dir, draft_path=path, autosave_seconds=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        saves = count_saves(app)
        await settle(pilot)
        for key, phase in [("ctrl+p", "verify"), ("ctrl+n", "pr")] * 3:
            await switch(pilot, key, phase)
            assert not app.dirty, f"switching to {phase} marked the draft dirty"
        assert saves == [], "a switch was autosaved"
        refreshes = []
        screen = app.screen
        real = screen.refresh_derived
        screen.refresh_derived = lambda: (refreshes.append(1), real())[1]
        await switch(pilot, "ctrl+p", "verify")
        await switch(pilot, "ctrl+n", "pr")
        assert refreshes == [1], "showing a kept screen refreshed it more than once"
        await switch(pilot, "ctrl+p", "verify")
        ticks = app.autosave_ticks
        await until(pilot, lambda: app.autosave_ticks >= ticks + 4, "four autosave ticks meanwhile")
        assert saves == [] and not app.dirty
        assert path.read_bytes() == before
        await pilot.press("escape")  # back to the drafts list: where the user stood is written
        await until(pilot, lambda: app.loaded is None, "the drafts list")
    assert saves == ["verify"]
    assert 'phase = "verify"' in path.read_text(encoding="utf-8")


async def test_opening_another_draft_gives_fresh_screens(drafts_dir, example_path):
    """'Screens ... are kept' per open draft: another draft (or the same file opened again)
    gets screens of its own; the kept ones are removed."""
    first = example_at(drafts_dir, example_path, "pr", "first")
    second = example_at(drafts_dir, example_path, "pr", "second")
    app = make_app(drafts_dir, draft_path=first, autosave_seconds=NEVER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pr = app.screen
        verify = await switch(pilot, "ctrl+p", "verify")
        await switch(pilot, "ctrl+n", "pr")
        await pilot.press("escape")
        await until(pilot, lambda: app.loaded is None, "the drafts list")
        app.open_draft(second)
        await until(pilot, lambda: getattr(app.screen, "PHASE", "") == "pr", "the second draft's PR screen")
        await settle(pilot)
        assert app.screen is not pr
        other = await switch(pilot, "ctrl+p", "verify")
        assert other is not verify
        await until(pilot, lambda: not pr.is_attached and not verify.is_attached, "the first draft's screens removed")
        assert app.screen.draft is app.loaded.draft and app.loaded.path == second


async def test_undo_done_on_another_phase_shows_when_the_field_comes_back(drafts_dir, example_path):
    """'programmatic value changes never count as edits': alt+z on Verify undoes a PR edit;
    back on PR the field shows the restored text, and showing it recorded no new change."""
    path = example_at(drafts_dir, example_path, "pr")
    app = make_app(drafts_dir, draft_path=path, autosave_seconds=NEVER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        summary = app.screen.query_one("#f-pr--summary", Input)
        original = summary.value
        summary.focus()
        await settle(pilot)
        await pilot.press("end", "space", "z", "z")
        await settle(pilot)
        assert app.loaded.draft.pr.summary == original + " zz"
        await switch(pilot, "ctrl+p", "verify")
        await pilot.press("alt+z")
        await settle(pilot)
        assert app.loaded.draft.pr.summary == original
        entries = len(app.change_history())
        await switch(pilot, "ctrl+n", "pr")
        assert summary.value == original
        assert len(app.change_history()) == entries
        assert app.loaded.draft.pr.summary == original


def active_timers(screen) -> list:
    """The screen's and its widgets' timers that would fire (Textual lists them per node)."""
    return [timer for node in screen.walk_children(with_self=True) for timer in node._timers
            if timer._active.is_set()]


async def test_a_kept_screen_runs_nothing_while_away(drafts_dir, example_path):
    """'Screens ... are kept': the Merge screen's clocks (countdown, review timer, the header's
    refresh) pause while another phase shows and go on when it is back; a screen running a
    command is not kept (leaving stops the command, as it always has)."""
    import threading
    from types import SimpleNamespace

    path = example_at(drafts_dir, example_path, "merge")
    app = make_app(drafts_dir, draft_path=path, autosave_seconds=NEVER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        merge = app.screen
        running = active_timers(merge)
        assert running, "the Merge screen has no clock to pause"
        await switch(pilot, "ctrl+p", "pr")
        assert active_timers(merge) == []
        back = await jump(pilot, "merge")  # (ctrl+n would ask why the PR gate is passed)
        assert back is merge and set(active_timers(merge)) >= set(running)

        merge._worker = SimpleNamespace(is_finished=False)  # a command under way
        merge._cancel = cancel = threading.Event()
        await switch(pilot, "ctrl+p", "pr")
        await until(pilot, lambda: not merge.is_attached, "the busy Merge screen removed")
        assert cancel.is_set(), "leaving did not stop the command"
        fresh = await jump(pilot, "merge")
        assert fresh is not merge


async def test_full_collections_leave_the_built_screens_alone(drafts_dir, example_path):
    """'Echo p99 ≤ 3× the TextArea floor at 200x50 with a 20k description': Python's full
    collections walked every widget of the kept screens (75-105 ms on the event loop, the
    slowest echoes). What a draft's screens are built from is frozen out of them once built,
    and given back when the draft is left (and when the app ends)."""
    import gc

    path = example_at(drafts_dir, example_path, "pr")
    app = make_app(drafts_dir, draft_path=path, autosave_seconds=NEVER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: gc.get_freeze_count() > 0, "the built screens frozen out of full collections")
        pr = app.screen
        await pilot.press("escape")
        await until(pilot, lambda: app.loaded is None, "the drafts list")
        assert gc.get_freeze_count() == 0, "the left draft's screens stay frozen (never collected)"
        await until(pilot, lambda: not pr.is_attached, "the PR screen removed")
    assert gc.get_freeze_count() == 0
