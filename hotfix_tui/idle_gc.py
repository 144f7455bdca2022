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
its threads then leave the interpreter to the keystrokes half the time (``runner.Pacer``).
"""

from __future__ import annotations

import gc
import time
from typing import Callable

IDLE_SECONDS = 1.0  # no input for this long: the person is reading or thinking
TYPING_SECONDS = 1.0  # input this recent: someone is typing (the command runner yields to it)
LONGEST_WAIT = 60.0  # seconds a due full collection may wait for a pause
_OUT_OF_REACH = 1_000_000  # middle-generation collections before Python would start one itself


class IdleCollector:
    """Full garbage collections moved to pauses in input (see the module's docstring)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.input_at = float("-inf")  # no input yet: nobody is typing (a command run at start is not paced)
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

    def input(self) -> None:
        """A key, a click or a paste: the person is busy."""
        self.input_at = self.clock()

    def typing(self) -> bool:
        """Whether a key, click or paste came in the last ``TYPING_SECONDS`` (any thread)."""
        return self.clock() - self.input_at < TYPING_SECONDS

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
