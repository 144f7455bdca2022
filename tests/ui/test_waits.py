"""Tests wait on events, not on time (issue 11, item 9): no fixed pause is left in the tests,
and the hooks they wait on say truly whether something is still pending."""

from __future__ import annotations

import re
from pathlib import Path

from hotfix_tui.model import Backlog, Draft
from hotfix_tui.store import DraftStore

from .helpers import busy, focus, make_app, settle

TESTS = Path(__file__).resolve().parent.parent
# ``until`` polls its condition with the shortest pause: the one number allowed.
FIXED_PAUSE = re.compile(r"\.pause\(\s*[0-9]")


def test_no_test_waits_a_fixed_time():
    """'Tests wait with fixed `pause(0.3/1.2)` in ten places' — "Tests wait on events, not on
    time (`pilot.wait_for_scheduled_animations`, `app.workers.wait_for_complete`, a condition
    helper)": the only numbered pause left is the poll inside ``helpers.until``."""
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if path == Path(__file__):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FIXED_PAUSE.search(line):
                found.append(f"{path.relative_to(TESTS)}:{number}: {line.strip()}")
    assert [line.split(":", 2)[0::2] for line in found] == [["ui/helpers.py", " await pilot.pause(0.01)"]], found
    helpers = (TESTS / "ui" / "helpers.py").read_text(encoding="utf-8")
    until = helpers[helpers.index("async def until("):helpers.index("\ndef busy(")]
    assert "await pilot.pause(0.01)" in until


async def test_the_debounced_refresh_is_visible_to_tests_and_settle_waits_for_it(drafts_dir):
    """The screen says a debounced refresh is pending (``PhaseScreen.pending_refresh``) from a
    change until the refresh has run, and ``settle`` returns only after it ran."""
    loaded = DraftStore(drafts_dir).create(Draft(phase="backlog", backlog=Backlog(summary="요약")))
    app = make_app(drafts_dir, draft_path=loaded.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert not screen.pending_refresh and not app.keys_pending and busy(app) == ""
        runs = []
        real = screen.refresh_derived

        def counting() -> None:
            runs.append(1)
            real()

        screen.refresh_derived = counting
        screen.changed()  # what a keystroke in a field calls
        assert screen.pending_refresh and "debounced refresh" in busy(app)
        await settle(pilot)
        assert runs == [1] and not screen.pending_refresh and busy(app) == ""


async def test_keys_held_until_focus_lands_are_visible_to_tests(drafts_dir):
    """``HotfixApp.keys_pending`` is true while keys read in one burst wait for focus to land,
    and ``settle`` returns once they have all gone where they were typed."""
    from textual import events

    loaded = DraftStore(drafts_dir).create(Draft(phase="backlog", backlog=Backlog(summary="요약")))
    app = make_app(drafts_dir, draft_path=loaded.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await focus(pilot, "f-backlog--problem")
        for key, character in [("tab", "\t"), *[(c, c) for c in "abc"]]:  # one read: Tab, then text
            event = events.Key(key, character)
            event.set_sender(app)
            app._driver.send_message(event)
        await settle(pilot)
        assert not app.keys_pending
        assert app.focused is not None and app.focused.id != "f-backlog--problem"
        assert app.loaded.draft.backlog.problem == ""  # nothing typed after Tab went to the field before
