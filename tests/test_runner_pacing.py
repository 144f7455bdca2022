"""While someone types, the runner's threads leave the interpreter to the keystrokes half
the time (issue 12, echo while a plan streams); nothing is dropped, and with nobody typing
nothing changes."""

from __future__ import annotations

import sys
import time

from hotfix_tui.config import Config
from hotfix_tui.services import ConfiguredServices
from hotfix_tui.services import runner as runner_module
from hotfix_tui.services.runner import PACE_SLICE, STDOUT, Pacer, Runner

LINES = 150_000
PRINT_FAST = [sys.executable, "-c",
              f"import sys\nw = sys.stdout.write\nfor i in range({LINES}):\n    w('Refreshing state... [id=r-%d]\\n' % i)"]


def _burn(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_a_pacer_sleeps_as_long_as_its_thread_worked_only_while_someone_types():
    typing = [True]
    pace = Pacer(lambda: typing[0])
    _burn(2 * PACE_SLICE)
    pace()
    assert pace.slept >= 2 * PACE_SLICE
    typing[0] = False
    slept = pace.slept
    _burn(2 * PACE_SLICE)
    pace()
    assert pace.slept == slept  # nobody typing: no pause


def test_without_an_input_clock_a_pacer_never_sleeps():
    pace = Pacer(None)
    _burn(2 * PACE_SLICE)
    pace()
    assert pace.slept == 0


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


def test_a_fast_stream_yields_while_someone_types_and_loses_no_line(monkeypatch, tmp_path):
    result, seen, made = _run_recording(monkeypatch, tmp_path, lambda: True)
    assert result.status == "passed"
    assert len(seen) == LINES and seen[-1] == f"Refreshing state... [id=r-{LINES - 1}]"
    assert len(made) == 3  # both readers and the masking loop
    assert sum(p.slept for p in made) > 0


def test_with_nobody_typing_the_stream_never_waits(monkeypatch, tmp_path):
    result, seen, made = _run_recording(monkeypatch, tmp_path, lambda: False)
    assert result.status == "passed" and len(seen) == LINES
    assert sum(p.slept for p in made) == 0


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
