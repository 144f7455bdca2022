"""When a screen paints: as soon as something changed, at most 60 frames a second on average.

Textual paints a screen from a paused interval timer that the screen resumes whenever a
widget is dirty. After a pause, its timer skips ahead to the tick *after* the next one on
its grid (``count = (now - start) / interval + 1``, then one interval more), so a paint
that followed an unrelated one (a preview row, the header's "saved" mark, a scroll bar)
waited 17-33 ms: on a 200x50 form with the preview on, those were most of the slow
keystroke echoes (issue 12, benchmarks/preview_typing.py). A fixed "one interval after the
last paint" still made a key's echo wait up to a frame behind a paint it had nothing to do
with. ``FrameTimer`` paints the moment it is resumed while it has a frame in hand: frames
come back at the frame rate up to ``BURST`` held, so a burst of two paints goes out at
once and anything busier (a streaming log, a spinner) is paced at the frame rate as before.
"""

from __future__ import annotations

from textual import _time
from textual.screen import UPDATE_PERIOD
from textual.timer import EventTargetGone, Timer

# Module names so a test can drive the timer with its own clock.
get_time = _time.get_time
sleep = _time.sleep


BURST = 2  # frames that may go out back to back after a quiet spell


class FrameTimer(Timer):
    """A pausable timer that ticks as soon as it is resumed while it holds a frame; frames
    come back one per ``interval``, at most ``BURST`` held (Textual's ``Timer`` keeps a
    fixed grid and may skip a tick)."""

    async def _run(self) -> None:
        interval = self._interval
        frames = float(BURST)
        at = get_time()
        count = 0
        while self._repeat is None or count < self._repeat:
            await self._active.wait()
            now = get_time()
            frames, at = min(BURST, frames + (now - at) / interval), now
            if frames < 1:
                await sleep((1 - frames) * interval)
                await self._active.wait()  # paused meanwhile: wait for the next resume
                now = get_time()
                frames, at = min(BURST, frames + (now - at) / interval), now
            frames = max(0.0, frames - 1)
            count += 1
            try:
                await self._tick(next_timer=now, count=count)
            except EventTargetGone:
                break


class PromptPaint:
    """Screen mixin: the screen's paints are timed by ``FrameTimer``. Textual's screen reads
    its update timer through the ``_update_timer`` property alone; this replaces it."""

    _frame_timer: FrameTimer | None = None

    @property
    def _update_timer(self) -> Timer:
        if self._frame_timer is None:
            timer = FrameTimer(self, UPDATE_PERIOD, name="screen_update", callback=self._on_timer_update,
                               pause=True)
            timer._start()
            self._timers.add(timer)  # stopped with the screen's other timers
            self._frame_timer = timer
        return self._frame_timer
