"""Full garbage collections wait for a pause in input (issue 12, echo p99): never while
someone types, at the latest after a minute, and Python's own trigger is given back. The
same clock says when someone is typing, for the command runner (echo while a plan streams)."""

from __future__ import annotations

import gc

import pytest

from hotfix_tui.idle_gc import IDLE_SECONDS, LONGEST_WAIT, TYPING_SECONDS, IdleCollector


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def collector():
    clock = Clock()
    before = gc.get_threshold()
    made = IdleCollector(clock)
    made.start()
    try:
        yield made, clock
    finally:
        made.stop()
        assert gc.get_threshold() == before


def _make_due(collector: IdleCollector) -> None:
    """As many middle-generation collections as Python waits for before a full one."""
    for _ in range(collector._due_after):
        gc.collect(1)
    assert gc.get_count()[2] >= collector._due_after


def test_python_would_not_start_a_full_collection_itself(collector):
    made, _clock = collector
    assert gc.get_threshold()[2] > 10_000


def test_a_due_collection_waits_while_someone_types_and_runs_in_the_pause(collector):
    made, clock = collector
    _make_due(made)
    for _ in range(20):  # typing: a key every 200 ms for 4 s
        clock.now += 0.2
        made.input()
        assert made.tick() is False
    assert made.collections == 0
    clock.now += IDLE_SECONDS  # the person stops to read
    assert made.tick() is True
    assert made.collections == 1 and gc.get_count()[2] == 0


def test_nothing_runs_when_nothing_is_due(collector):
    made, clock = collector
    gc.collect()
    clock.now += 10 * IDLE_SECONDS
    assert made.tick() is False and made.collections == 0


def test_a_collection_waits_a_minute_at_most(collector):
    made, clock = collector
    _make_due(made)
    made.input()
    assert made.tick() is False  # due from now
    while clock.now < 1000.0 + LONGEST_WAIT - 0.5:
        clock.now += 0.5
        made.input()
        assert made.tick() is False
    clock.now += 1.0
    made.input()
    assert made.tick() is True  # typed without a pause for a minute: collected anyway


def test_stop_gives_pythons_trigger_back():
    before = gc.get_threshold()
    made = IdleCollector()
    made.start()
    made.start()  # twice: still one saved setting
    made.stop()
    assert gc.get_threshold() == before
    made.stop()
    assert gc.get_threshold() == before


def test_nobody_is_typing_until_the_first_key_and_for_a_moment_after_each():
    """A command the app runs at start is not held (``runner.Pacer``): typing means a key,
    a paste or a click, and a log catches up as soon as the typist stops."""
    clock = Clock()
    made = IdleCollector(clock)
    assert made.typing() is False
    made.input()
    assert made.typing() is True
    clock.now += TYPING_SECONDS / 2
    assert made.typing() is True
    clock.now += TYPING_SECONDS
    assert made.typing() is False


def test_the_mouse_moving_is_input_but_not_typing():
    clock = Clock()
    made = IdleCollector(clock)
    clock.now = 5.0
    made.input(typed=False)
    assert made.input_at == 5.0  # a full collection still waits for the person to pause
    assert made.typing() is False  # command output need not wait for a mouse move
