"""Closing the app waits for an autosave already writing; a tick that may ask a question holds
the keys typed after it (the two races a CI run caught)."""

from __future__ import annotations

import threading

from textual import events

from hotfix_tui.screens.modals import PromptScreen
from hotfix_tui.store import DraftStore

from .helpers import example_at, focus, make_app, type_text, until


async def test_closing_waits_for_the_autosave_that_is_writing(drafts_dir, example_path, monkeypatch):
    """CI: a test read the draft right after the app closed, an autosave thread wrote behind it,
    and the next save was refused as "changed by another session"."""
    path = example_at(drafts_dir, example_path, "backlog")
    app = make_app(drafts_dir, draft_path=path, autosave_seconds=3600)  # the tick is run by hand
    store_save = DraftStore.save
    writing = threading.Event()
    release = threading.Event()

    def slow_save(store, loaded):
        writing.set()
        release.wait(5)  # the write is still going when the app is asked to close
        store_save(store, loaded)

    async with app.run_test(size=(80, 24)) as pilot:
        await focus(pilot, "f-backlog--summary")
        await pilot.press("end")
        await type_text(pilot, " 닫기 전")
        monkeypatch.setattr(DraftStore, "save", slow_save)
        app._autosave()
        await until(pilot, writing.is_set, "the autosave thread starts writing")
        assert app.saving
        threading.Timer(0.3, release.set).start()
    # The app has closed: what the thread was writing is on disk, and no writer is left.
    assert not app.saving
    assert "닫기 전" in DraftStore(drafts_dir).load(path).draft.backlog.summary


async def test_escape_typed_right_after_a_questioned_tick_answers_the_question(drafts_dir, example_path):
    """Space on a §6.2 test item whose check failed asks why; an Escape typed in the same
    burst goes to that question (cancel: unticked), not to the phase screen behind it."""
    from hotfix_tui.model import CheckRun

    path = example_at(drafts_dir, example_path, "pr")
    loaded = DraftStore(drafts_dir).load(path)
    for item in loaded.draft.pr.tests:
        item.checked = False
    loaded.draft.checks.runs.append(CheckRun(name="validate", status="failed", started_at="2025-10-19T14:50:00+09:00", exit_code=1))
    DraftStore(drafts_dir).save(loaded)
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await focus(pilot, "pr-tests")
        rows = app.focused
        index = next(i for i, item in enumerate(rows.items) if "validate" in item.text)
        for _ in range(index):
            await pilot.press("down")
        # One read from the terminal: both keys are queued before either is handled (Pilot's
        # press() would wait for the app between them).
        app.post_message(events.Key("space", " "))
        app.post_message(events.Key("escape", None))
        await until(pilot, lambda: not isinstance(app.screen, PromptScreen) and not app._holding,
                    "the question is answered")
        assert type(app.screen).__name__ == "PrScreen"  # the Escape did not leave the phase
        assert not app.loaded.draft.pr.tests[index].checked
