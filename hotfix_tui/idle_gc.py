"""When Python's full garbage collections run: while nobody types, never inside a keystroke.

A full collection walks every object made since start-up was put aside
(``HotfixApp._freeze_heap``): 12-20 ms on the event loop with a 200x50 form and a
20,000-character description, every few seconds while typing, and each one that landed
between a key and its echo made that echo one of the slowest (issue 12,
benchmarks/preview_typing.py). Python starts one after every tenth middle-generation
collection; while the app runs that trigger is moved out of reach, and the app collects
fully once one is due and nothing has been typed or clicked for a second, or after a
minute of uninterrupted work at the latest. Young collections, which free most garbage
and take well under a millisecond, run as always.

The same input clock tells the command runner whether someone is typing
(``IdleCollector.typing``, handed over by ``HotfixApp`` through ``services.pace_with``):
its threads then give way to the keystrokes (``runner.Pacer``). A key is noted the moment
the terminal driver's input thread reads it (``app.noting_keys``), before the event loop can
get to it: the runner's threads stop at their next block while the key is still on its
way to the screen.
"""

from __future__ import annotations

import gc
import time
from typing import Callable

IDLE_SECONDS = 1.0  # no input for this long: the person is reading or thinking
# A key, paste or click this recent: someone is typing, and the command runner gives way to
# it. Longer than the gap between a fast typist's keys, short enough that a log catches up
# at once when they stop.
TYPING_SECONDS = 0.15
LONGEST_WAIT = 60.0  # seconds a due full collection may wait for a pause
_OUT_OF_REACH = 1_000_000  # middle-generation collections before Python would start one itself


class IdleCollector:
    """Full garbage collections moved to pauses in input (see the module's docstring)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.input_at = float("-inf")  # any input, a mouse move too: the person is busy
        self.key_at = float("-inf")  # no key yet: nobody is typing (a command run at start is not paced)
        self.due_since: float | None = None
        self.collections = 0  # full collections run here (for tests)
        self._saved: tuple[int, int, int] | None = None
        self._due_after = 10

    def start(self) -> None:
        """Take over the full collections from Python's trigger."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            self._due_after = max(1, self._saved[2])
            gc.set_threshold(self._saved[0], self._saved[1], _OUT_OF_REACH)

    def stop(self) -> None:
        """Give them back (the process may run other apps: tests run many)."""
        saved, self._saved = self._saved, None
        if saved is not None and gc.get_threshold()[2] == _OUT_OF_REACH:
            gc.set_threshold(*saved)

    def input(self, typed: bool = True) -> None:
        """Input came: the person is busy. ``typed``: a key, a paste or a click, not just
        the mouse moving over the screen (any thread)."""
        now = self.clock()
        self.input_at = now
        if typed:
            self.key_at = now

    def typing(self) -> bool:
        """Whether a key, click or paste came in the last ``TYPING_SECONDS`` (any thread)."""
        return self.clock() - self.key_at < TYPING_SECONDS

    def tick(self) -> bool:
        """Run a due full collection if the person is idle, or it has waited too long."""
        if self._saved is None or not gc.isenabled() or gc.get_count()[2] < self._due_after:
            return False
        now = self.clock()
        if self.due_since is None:
            self.due_since = now
        if now - self.input_at < IDLE_SECONDS and now - self.due_since < LONGEST_WAIT:
            return False
        gc.collect()
        self.due_since = None
        self.collections += 1
        return True
