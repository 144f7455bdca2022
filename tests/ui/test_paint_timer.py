"""When a screen paints (issue 12, echo p99): at once after an unrelated paint, paced at the
frame rate under steady change, never while paused; every screen of the app uses it."""

from __future__ import annotations

import asyncio

import pytest

from hotfix_tui.model import Backlog, Draft
from hotfix_tui.store import DraftStore
from hotfix_tui.widgets import paint
from hotfix_tui.widgets.paint import BURST, FrameTimer

from .helpers import make_app, settle

INTERVAL = 1 / 60


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


class Target:
    """What a timer needs of its target: to be referenced weakly."""


class RecordingTimer(FrameTimer):
    """Records the clock at each tick and pauses itself, as a screen's update does."""

    def __init__(self, clock: Clock, target: Target) -> None:
        super().__init__(target, INTERVAL, pause=True)
        self.clock = clock
        self.ticks: list[float] = []

    async def _tick(self, *, next_timer: float, count: int) -> None:
        self.ticks.append(self.clock.now)
        self.pause()


async def _turns(n: int = 20) -> None:
    for _ in range(n):
        await asyncio.sleep(0)


@pytest.fixture
async def timed(monkeypatch):
    """A started ``RecordingTimer`` on a fake clock, and the clock; stopped after the test."""
    clock = Clock()
    monkeypatch.setattr(paint, "get_time", lambda: clock.now)
    monkeypatch.setattr(paint, "sleep", clock.sleep)
    target = Target()  # held here: the timer refers to it weakly
    timer = RecordingTimer(clock, target)
    timer._start()
    await _turns()
    yield clock, timer
    timer.stop()


async def test_a_paint_right_after_an_unrelated_one_is_not_held_back(timed):
    """Textual's timer held the paint after an unrelated one (a preview row, the header's
    "saved" mark) 17-33 ms: most of the slowest echoes at 200x50 with the preview on."""
    clock, timer = timed
    assert timer.ticks == []  # paused: nothing is painted
    timer.resume()  # the preview's row changed
    await _turns()
    clock.now += 0.003
    timer.resume()  # a key, 3 ms later
    await _turns()
    assert timer.ticks == [100.0, 100.003]


async def test_steady_change_is_paced_at_the_frame_rate(timed):
    """A log streaming or a spinner: after the burst, one paint per frame interval."""
    clock, timer = timed
    for _ in range(40):
        timer.resume()
        await _turns()
    ticks = timer.ticks
    assert len(ticks) == 40
    assert ticks[:BURST] == [100.0] * BURST
    gaps = [b - a for a, b in zip(ticks[BURST:], ticks[BURST + 1:])]
    assert all(abs(gap - INTERVAL) < 0.001 for gap in gaps), gaps


async def test_a_paused_timer_never_paints_and_frames_come_back_with_time(timed):
    clock, timer = timed
    for _ in range(10):
        timer.resume()
        await _turns()
    painted = len(timer.ticks)
    clock.now += 5.0
    await _turns()
    assert len(timer.ticks) == painted  # nothing dirty: nothing painted however long
    start = clock.now
    for _ in range(BURST):
        timer.resume()
        await _turns()
    assert timer.ticks[-BURST:] == [start] * BURST  # a quiet spell gives the burst back


async def test_every_screen_of_the_app_paints_with_the_frame_timer(drafts_dir):
    loaded = DraftStore(drafts_dir).create(Draft(phase="backlog", backlog=Backlog(summary="요약")))
    app = make_app(drafts_dir, draft_path=loaded.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "BacklogScreen"
        assert isinstance(app.screen._update_timer, FrameTimer)
        await pilot.press("f1")  # help: a modal
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        assert isinstance(app.screen._update_timer, FrameTimer)
        await pilot.press("escape")
        app.go_home()
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"
        assert isinstance(app.screen._update_timer, FrameTimer)
