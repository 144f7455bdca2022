"""The run's kept tail, kept as blocks (issue 12: counted in C, not line by line), holds
exactly the lines a line-by-line tail would: at most ``max_lines`` lines and
``max_chars`` characters, at least one line."""

from __future__ import annotations

from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st

from hotfix_tui.services.runner import STDERR, STDOUT, _Tail


class LineByLine:
    """The reference: the tail as it was kept before, one line at a time."""

    def __init__(self, max_lines: int, max_chars: int):
        self.lines: deque = deque()
        self.chars = 0
        self.max_lines, self.max_chars = max(1, max_lines), max(1, max_chars)

    def extend(self, items) -> None:
        for item in items:
            self.lines.append(item)
            self.chars += len(item[1])
        while len(self.lines) > self.max_lines:
            self.chars -= len(self.lines.popleft()[1])
        while len(self.lines) > 1 and self.chars > self.max_chars:
            self.chars -= len(self.lines.popleft()[1])


lines = st.tuples(st.sampled_from([STDOUT, STDERR]), st.text(alphabet="ab풀\n ", max_size=12))
blocks = st.lists(st.lists(lines, max_size=9), max_size=12)


@settings(max_examples=400, deadline=None)
@given(blocks=blocks, max_lines=st.integers(0, 12), max_chars=st.integers(0, 40))
def test_the_block_tail_keeps_what_a_line_by_line_tail_keeps(blocks, max_lines, max_chars):
    tail, reference = _Tail(max_lines, max_chars), LineByLine(max_lines, max_chars)
    for block in blocks:
        tail.extend(block)
        reference.extend(block)
        assert list(tail) == list(reference.lines)
        assert len(tail) == len(reference.lines)


def test_a_huge_stream_keeps_its_last_lines_and_characters():
    tail = _Tail(2000, 50_000)
    for start in range(0, 500_000, 1300):
        tail.extend([(STDOUT, f"line {i}") for i in range(start, min(start + 1300, 500_000))])
    kept = list(tail)
    assert len(kept) == 2000 and kept[-1] == (STDOUT, "line 499999") and kept[0] == (STDOUT, "line 498000")
    one = _Tail(5, 10)
    one.extend([(STDOUT, "x" * 100)])
    assert list(one) == [(STDOUT, "x" * 100)]  # one line is kept however long
