"""Streaming that leaves the keyboard alone (issue 12, item 4).

"Coalesce runner batches before they reach the event loop; paint only the visible window."
The panel's side: lines are made visible in the worker's thread, the loop drains at most
once per paint, appends cost what is kept (no measuring of every line, no thread per
paint), the ticking head repaints without a layout. The runner's side: one queue item per
read and masking that looks at a clean batch once, with the same result line by line.
"""

from __future__ import annotations

import re
import threading

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Log

from hotfix_tui.services import runner as runner_module
from hotfix_tui.services.secrets import Masker
from hotfix_tui.widgets import command_log
from hotfix_tui.widgets.command_log import CommandLog

from .helpers import PanelApp, StreamOutcome, settle, until




def _stream(panel: CommandLog, batches: int, line=lambda i: f"line {i}") -> threading.Thread:
    def worker():
        for b in range(batches):
            panel.feed([("stdout", line(b * 2)), ("stdout", line(b * 2 + 1))])
            if b % 250 == 249:  # let the loop take its turn now and then, as a real runner does
                panel.app.call_from_thread(lambda: None)
        panel.post_message(CommandLog.Finished("plan", StreamOutcome()))

    thread = threading.Thread(target=worker, name="stream-worker")
    thread.start()
    return thread


async def _begin(pilot, panel: CommandLog) -> None:
    panel.post_message(CommandLog.Begin("plan", "terraform plan"))
    await settle(pilot)


async def test_batches_reach_the_loop_at_most_once_per_paint(monkeypatch):
    """'Coalesce runner batches before they reach the event loop': however many batches a
    worker feeds, the loop drains once per paint interval (here an hour: one drain for the
    first lines, one when the step ends), and every line arrives, in order."""
    monkeypatch.setattr(command_log, "PAINT_INTERVAL", 3600.0)
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(CommandLog)
        await _begin(pilot, panel)
        drains = 0
        real = panel._drain

        def counting():
            nonlocal drains
            drains += 1
            real()

        panel._drain = counting
        thread = _stream(panel, 5_000)
        await until(pilot, app.finished.is_set, "the Finished message", timeout=60)
        thread.join()
        await until(pilot, lambda: panel.status == "passed", "the step's end")
        assert panel.received == 10_000
        assert panel.lines[-2:] == ["line 9999", "# passed 1.0s done"]
        assert drains <= 3, drains  # before: one drain per Arrived message (22 here)


async def test_the_panel_paints_its_window_and_keeps_every_line_for_scroll_back(monkeypatch):
    """'Paint only the visible window': 10,000 lines through a log that keeps 500 measure
    only the rows on screen (before, every written line was measured again in a thread of
    its own per paint), and all 500 kept lines are there to scroll back to."""
    monkeypatch.setattr(command_log, "PAINT_INTERVAL", 3600.0)
    processed = 0
    real_process = Log._process_line.__func__

    def counting(cls, line):
        nonlocal processed
        processed += 1
        return real_process(cls, line)

    monkeypatch.setattr(Log, "_process_line", classmethod(counting))
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(CommandLog)
        await _begin(pilot, panel)
        processed = 0
        thread = _stream(panel, 5_000)
        await until(pilot, app.finished.is_set, "the Finished message", timeout=60)
        thread.join()
        await until(pilot, lambda: panel.status == "passed", "the step's end")
        await settle(pilot)
        log = panel.log_widget
        assert len(log.lines) == 500 and log.lines[0] == "line 9501" and log.lines[-1].startswith("# passed")
        assert processed < 100, processed  # the visible rows of a few paints, not the 500 kept lines
        assert log.is_vertical_scroll_end  # following the tail…
        log.scroll_home(animate=False, immediate=True)
        await settle(pilot)
        assert log.scroll_offset.y == 0  # …and every kept line is there to scroll back to
        assert log.render_line(0).text.strip() == "line 9501"


async def test_control_characters_are_made_visible_in_the_workers_thread(monkeypatch):
    """Rule 5 holds while streaming, and the work is off the loop: a line's ESC and C1
    controls show as ␛ and \\x9b, made visible in the thread that feeds them."""
    threads = set()
    real_visible = command_log.visible

    def recording(text):
        threads.add(threading.current_thread().name)
        return real_visible(text)

    monkeypatch.setattr(command_log, "visible", recording)
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(CommandLog)
        await _begin(pilot, panel)
        threads.clear()
        thread = _stream(panel, 3, line=lambda i: f"{i}\x1b]0;PWNED\x07 \x9b2J")
        await until(pilot, app.finished.is_set, "the Finished message")
        thread.join()
        await until(pilot, lambda: panel.status == "passed", "the step's end")
        assert panel.lines[1:7] == [f"{i}␛]0;PWNED␇ \\x9b2J" for i in range(6)]
        assert not any("\x1b" in line or "\x9b" in line for line in panel.log_widget.lines)
        assert "stream-worker" in threads
        # the loop made only its own status line visible (written by end())
        assert threads <= {"stream-worker", threading.main_thread().name}


async def test_the_ticking_head_repaints_without_a_layout():
    """The head's seconds tick every 0.5 s while a step runs: a tick that changes only
    digits repaints the head alone; a new status or a longer time lays the screen out."""
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(CommandLog)
        await _begin(pilot, panel)
        head = panel.query_one(".log-head")
        layouts = []
        real_update = head.update

        def recording(content="", *, layout=True):
            layouts.append(layout)
            real_update(content, layout=layout)

        head.update = recording
        panel.started -= 1.0  # "1.0s" …
        panel._show_head()
        panel._show_head()  # … and the same length again
        panel.started -= 10.0  # "11.0s": one character more, the head may wrap differently
        panel._show_head()
        panel.end("passed", "done", 11.0)
        assert layouts[1] is False
        assert layouts[2] is True and layouts[-1] is True


# -- the runner's side ---------------------------------------------------------------------

_PIECES = ["pass", "token", "TOKEN", "Bearer ", "basic ", "://", "u:pw@", "=", " = ", '"', "'", "id",
           "db_password", "hunter22", "abc", " ", "x", ".", "\t", "é", "ſ", "[", "]", "/", "%40"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), max_size=8))
def test_masking_a_batch_equals_masking_each_line(texts):
    """The runner masks a block's lines at once: the result is what each line masked alone gives."""
    masker = Masker(["hunter22", "s3cr3t-value"])
    assert masker.lines(texts) == [masker(text) for text in texts]
    assert masker.lines(["s3cr3t-value in a line", "clean"]) == ["**** in a line", "clean"]


def _split_lines_before(buffer: str, final: bool = False):
    """split_lines as it was before the fast path (the reference)."""
    limit_chars, window = runner_module.MAX_LINE_CHARS, runner_module._CUT_WINDOW
    pieces, start, size = [], 0, len(buffer)
    while start < size:
        end = buffer.find("\n", start, start + limit_chars + 1)
        if end >= 0:
            pieces.append(buffer[start:end])
            start = end + 1
        elif size - start > limit_chars:
            limit = start + limit_chars
            cut = limit
            for match in runner_module._CUT_AFTER.finditer(buffer, limit - window, limit):
                cut = match.end()
            pieces.append(buffer[start:cut])
            start = cut
        else:
            break
    rest = buffer[start:]
    if final and rest:
        pieces.append(rest)
        rest = ""
    return pieces, rest


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["\n", "a", " ", "ab" * 700, "x" * 4096, "y" * 4097]), max_size=10).map("".join),
       st.booleans())
def test_the_line_splitter_gives_the_same_pieces(buffer, final):
    """The reader splits a block with one str.split when no line needs cutting: same pieces."""
    assert runner_module.split_lines(buffer, final) == _split_lines_before(buffer, final)


def test_a_streamed_command_is_kept_and_delivered_whole(tmp_path):
    """Lines handed over a block at a time: every line delivered once, in order, batches of
    at most flush_lines, the tail kept, controls removed as before."""
    script = tmp_path / "many.py"
    script.write_text("import sys\nfor i in range(30000):\n    sys.stdout.write(f'n{i} \\x1b[1mb\\x1b[0m\\n' if i % 7000 == 0 else f'n{i}\\n')\n")
    batches = []
    result = runner_module.Runner(max_lines=100).run(["python3", str(script)], on_lines=batches.append)
    assert result.status == "passed" and result.line_count == 30000
    delivered = [text for batch in batches for _, text in batch]
    assert delivered == [f"n{i} b" if i % 7000 == 0 else f"n{i}" for i in range(30000)]
    assert max(len(batch) for batch in batches) <= runner_module.FLUSH_LINES
    assert [text for _, text in result.output] == delivered[-100:]
    assert not any(re.search(r"[\x00-\x1f]", text) for text in delivered)
