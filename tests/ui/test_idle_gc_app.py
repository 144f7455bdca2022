"""The app moves full garbage collections to pauses in input (``idle_gc``): a key counts as
input, and closing the app gives Python its own trigger back (tests run many apps). Keys
also tell the command runner someone is typing, from the driver's input thread on."""

from __future__ import annotations

import gc

from hotfix_tui.model import Backlog, Draft
from hotfix_tui.store import DraftStore

from .helpers import focus, make_app, settle, type_text


async def test_typing_counts_as_input_and_closing_restores_pythons_trigger(drafts_dir):
    before = gc.get_threshold()
    loaded = DraftStore(drafts_dir).create(Draft(phase="backlog", backlog=Backlog(summary="요약")))
    app = make_app(drafts_dir, draft_path=loaded.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert gc.get_threshold()[2] > before[2]  # full collections are the app's to start
        await focus(pilot, "f-backlog--problem")
        app.collector.input_at = app.collector.key_at = 0.0
        await type_text(pilot, "풀")
        assert app.collector.input_at > 0.0 and app.collector.key_at > 0.0
    assert gc.get_threshold() == before


def test_the_app_hands_its_input_clock_to_the_command_runner(drafts_dir):
    """Command output yields to keystrokes while someone types (``runner.Pacer``)."""
    from hotfix_tui.config import Config
    from hotfix_tui.services import ConfiguredServices

    services = ConfiguredServices(Config())
    app = make_app(drafts_dir, services=services)
    runner = services.checks.runner
    assert runner.typing == app.collector.typing
    app.collector.input()
    assert runner.typing() is True
    app.collector.key_at -= 5.0
    assert runner.typing() is False


def test_the_app_drives_the_terminal_through_a_driver_that_notes_keys(drafts_dir):
    """The runner hears of a key in the driver's input thread (``app.noting_keys``)."""
    from textual.drivers.linux_driver import LinuxDriver

    from hotfix_tui.app import noting_keys

    app = make_app(drafts_dir)
    assert app.driver_class is noting_keys(LinuxDriver)
    assert issubclass(app.driver_class, LinuxDriver)
