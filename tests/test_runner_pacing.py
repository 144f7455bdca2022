"""While someone types, the runner's threads give way to the keystrokes: they wait between
blocks, never longer than ``HOLD_AT_MOST`` at a stretch (issue 12, echo while a plan
streams). Nothing is dropped, a cancel is still seen at once, and with nobody typing
nothing waits."""

from __future__ import annotations

import sys
import threading
import time

from hotfix_tui.config import Config
from hotfix_tui.services import ConfiguredServices
from hotfix_tui.services import runner as runner_module
from hotfix_tui.services.runner import HOLD_AT_MOST, HOLD_STEP, STDOUT, Pacer, Runner

LINES = 150_000
PRINT_FAST = [sys.executable, "-c",
              f"import sys\nw = sys.stdout.write\nfor i in range({LINES}):\n    w('Refreshing state... [id=r-%d]\\n' % i)"]
PRINT_FOREVER = [sys.executable, "-c", "import sys\nw = sys.stdout.write\nwhile True:\n    w('Refreshing state...\\n')"]


class Clock:
    """A clock that moves only when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps = 0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sleeps += 1


def test_a_pacer_waits_while_someone_types_and_never_longer_than_its_bound():
    clock = Clock()
    pace = Pacer(lambda: True, clock=clock, sleep=clock.sleep)
    assert pace() is True
    assert HOLD_AT_MOST <= pace.held < HOLD_AT_MOST + 2 * HOLD_STEP  # then one block goes through
    assert round(HOLD_AT_MOST / HOLD_STEP) <= clock.sleeps <= round(HOLD_AT_MOST / HOLD_STEP) + 1  # (float sums)


def test_a_pacer_stops_waiting_as_soon_as_the_typing_stops():
    clock = Clock()
    answers = iter([True, True, True, False])  # typing at the first look and two steps more
    pace = Pacer(lambda: next(answers), clock=clock, sleep=clock.sleep)
    assert pace() is True
    assert clock.sleeps == 3 and abs(pace.held - 3 * HOLD_STEP) < 1e-9


def test_with_nobody_typing_or_no_input_clock_a_pacer_never_waits():
    clock = Clock()
    for pace in (Pacer(lambda: False, clock=clock, sleep=clock.sleep), Pacer(None, clock=clock, sleep=clock.sleep)):
        assert pace() is False
        assert pace.held == 0 and clock.sleeps == 0


def _run_recording(monkeypatch, tmp_path, typing):
    made: list[Pacer] = []

    class Recording(Pacer):
        def __init__(self, typing) -> None:
            super().__init__(typing)
            made.append(self)

    monkeypatch.setattr(runner_module, "Pacer", Recording)
    runner = Runner()
    runner.typing = typing
    seen = []
    result = runner.run(PRINT_FAST, cwd=tmp_path, on_lines=lambda batch: seen.extend(
        text for stream, text in batch if stream == STDOUT))
    return result, seen, made


def test_a_fast_stream_gives_way_while_someone_types_and_loses_no_line(monkeypatch, tmp_path):
    monkeypatch.setattr(runner_module, "HOLD_AT_MOST", 0.005)  # a block every 5 ms: the test stays short
    result, seen, made = _run_recording(monkeypatch, tmp_path, lambda: True)
    assert result.status == "passed"
    assert len(seen) == LINES and seen[-1] == f"Refreshing state... [id=r-{LINES - 1}]"
    assert result.line_count == LINES
    assert len(made) == 3  # both readers and the masking loop
    assert all(p.held > 0 for p in made)


def test_with_nobody_typing_the_stream_never_waits(monkeypatch, tmp_path):
    result, seen, made = _run_recording(monkeypatch, tmp_path, lambda: False)
    assert result.status == "passed" and len(seen) == LINES
    assert sum(p.held for p in made) == 0


def test_a_cancel_while_someone_types_stops_the_command_at_once(tmp_path):
    """The masking loop looks at its cancel after every wait, not only once its queue is
    empty: with someone typing, a block arrives during each wait and it never would be."""
    typing = [True]
    runner = Runner(grace=0.5)
    runner.typing = lambda: typing[0]
    cancel = threading.Event()
    seen = threading.Event()
    results = []
    worker = threading.Thread(target=lambda: results.append(runner.run(
        PRINT_FOREVER, cwd=tmp_path, cancel=cancel, on_lines=lambda batch: seen.set())))
    worker.start()
    time.sleep(0.3)
    cancel.set()
    cancelled_at = time.monotonic()
    # A wait of at most HOLD_AT_MOST, then SIGTERM: generous for a shared machine.
    worker.join(runner.grace + 8 * HOLD_AT_MOST)
    took = time.monotonic() - cancelled_at
    typing[0] = False  # lets a loop that missed the cancel finish, so the test ends either way
    worker.join(30)
    assert took < runner.grace + 8 * HOLD_AT_MOST, "the cancel was not seen while someone typed"
    assert results and results[0].status == "cancelled" and seen.is_set()


def test_the_services_hand_the_input_clock_to_the_runner_before_and_after_it_is_built():
    typing = lambda: True  # noqa: E731
    early = ConfiguredServices(Config())
    early.pace_with(typing)
    assert not early.built("checks")
    assert early.checks.runner.typing is typing
    late = ConfiguredServices(Config())
    late.checks  # built first (the header's kube read)
    late.pace_with(typing)
    assert late.checks.runner.typing is typing
