"""The app moves full garbage collections to pauses in input (``idle_gc``): a key counts as
input, and closing the app gives Python its own trigger back (tests run many apps). Keys
also tell the command runner someone is typing, from the driver's input thread on."""

from __future__ import annotations

import gc

from textual import events
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.geometry import Size

from hotfix_tui.app import noting_keys, typed
from hotfix_tui.idle_gc import IdleCollector
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
    app = make_app(drafts_dir)
    assert app.driver_class is noting_keys(LinuxDriver)
    assert issubclass(app.driver_class, LinuxDriver)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_keys_pastes_clicks_and_scrolls_are_typed_mouse_moves_are_not():
    assert typed(events.Key("a", "a"))
    assert typed(events.Paste("풀"))
    mouse = dict(widget=None, x=1, y=1, delta_x=0, delta_y=0, button=1, shift=False, meta=False, ctrl=False)
    assert typed(events.MouseDown(**mouse))
    assert typed(events.MouseScrollDown(**mouse))
    assert not typed(events.MouseMove(**mouse))
    assert not typed(events.Resize(Size(80, 24), Size(80, 24)))


async def test_the_driver_notes_a_key_in_its_input_thread_before_passing_it_on():
    """``noting_keys`` wraps Textual's terminal driver: the runner hears of a key before the
    event loop handles it."""
    passed: list[object] = []

    class Base(Driver):  # stands in for LinuxDriver: records what it would send on
        def process_message(self, message) -> None:
            passed.append(message)

        def write(self, data: str) -> None: ...
        def start_application_mode(self) -> None: ...
        def disable_input(self) -> None: ...
        def stop_application_mode(self) -> None: ...

    class FakeApp:
        def __init__(self) -> None:
            self.collector = IdleCollector(clock)

    clock = Clock()
    app = FakeApp()
    driver = noting_keys(Base)(app)  # type: ignore[arg-type]
    assert noting_keys(Base) is type(driver)  # one class per driver, made once
    clock.now = 7.0
    key = events.Key("x", "x")
    driver.process_message(key)
    assert passed == [key] and app.collector.key_at == 7.0
    clock.now = 9.0
    resize = events.Resize(Size(80, 24), Size(80, 24))
    driver.process_message(resize)
    assert passed == [key, resize] and app.collector.key_at == 7.0  # not typing: not noted
