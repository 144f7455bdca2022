"""The one command log: every step's command or requests, its status and duration, its output as it streams, Retry and Cancel.

Both kinds of step use it: terraform/kubectl on the command screens (the log at the
bottom, ``screens/command.py``) and the remote Jira/git/GitHub steps (inside
``widgets/step_panel.StepPanel``). Its Retry and Cancel buttons (shown while a step
runs / after one failed; F9 and F10 on the command screens) post ``Retry``/``Cancel``
for the owner to act on.

lazygit's command log is the model: the command is shown before it runs and stays on
screen while it runs; output arrives in line batches from a thread worker (the worker
never touches a widget: it posts ``CommandLog.Begin`` / ``Finished`` messages, which
``post_message`` makes thread-safe, and hands its lines to ``feed``). Memory is bounded:
the log keeps at most ``max_lines`` lines, older ones scroll away. Collapsed to a few
lines so an 80x24 form stays usable; F-key or ``toggle_size`` makes it taller.

A stream costs the event loop little, whatever its rate (keys typed meanwhile must echo
at once): ``feed`` makes the lines visible (rule 5) in the worker's thread and wakes the
loop at most once per paint; the loop drains what piled up at most every
``PAINT_INTERVAL``; ``OutputLines`` appends the kept lines without a thread or a
measurement per line and repaints only its visible window; the head's ticking seconds
repaint the head alone, without a layout of the screen.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Button, Log, Static

from ..i18n import status_word
from ..textsafe import has_controls, visible, visible_line

MAX_LINES = 2000
# Lines are drained and painted at most this often: a 100,000-line stream costs ten paints
# a second instead of one per batch, so keys keep their turn on the event loop.
PAINT_INTERVAL = 0.1
STATUS_STYLES = {
    "pending": "dim", "running": "bold yellow", "passed": "bold green", "failed": "bold red",
    "cancelled": "bold magenta", "timeout": "bold red", "error": "bold red", "manual": "green",
    "skipped": "dim", "done": "bold green", "asking": "bold yellow",
}
MARKS = {"pending": "☐", "running": "…", "passed": "✓", "failed": "✗", "cancelled": "⊘", "timeout": "✗",
         "error": "✗", "manual": "✓", "skipped": "-",
         "done": "✓", "asking": "?"}



FAILED = ("failed", "timeout", "error", "cancelled")


class OutputLines(Log):
    """The kept output lines: a ``Log`` whose appends cost what it keeps, not what streams by.

    Textual's ``Log.write_lines`` starts a thread worker per call to measure every new
    line's width and refreshes each new line's region. Here a plain ASCII line's width is
    its length (measured inline, no thread), only the last ``max_lines`` of a batch are
    taken, and what is repainted is the visible window: when the view follows the tail,
    the window; when the user has scrolled back, nothing unless kept lines dropped off the
    top under the view. Scroll-back holds every kept line, as before.
    """

    def write_lines(self, lines, scroll_end: bool | None = None):
        is_end = self.is_vertical_scroll_end
        auto_scroll = self.auto_scroll if scroll_end is None else scroll_end
        new: list[str] = []
        for line in lines:
            new.extend(line.splitlines())  # as Log does (an empty line adds nothing)
        if not new:
            return self
        if self.max_lines is not None and len(new) > self.max_lines:
            new = new[-self.max_lines:]  # older ones would be pruned unseen
        kept = len(self._lines) + len(new)
        self._lines.extend(new)
        dropped = self.max_lines is not None and kept > self.max_lines
        if dropped:
            self._prune_max_lines()
        joined = "".join(new)
        if joined.isascii() and "\t" not in joined:
            widest = max(map(len, new))  # ASCII without tabs: one cell per character
        else:
            process = self._process_line
            widest = max(cell_len(process(line)) for line in new)
        self._width = max(self._width, widest)
        self.virtual_size = Size(self._width, len(self._lines))
        if auto_scroll and not self.is_vertical_scrollbar_grabbed and is_end:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
            self.refresh()  # the window shows the new tail (the scroll may not have moved)
        elif dropped:
            self._render_line_cache.clear()
            self.refresh()  # the lines under the view moved up
        return self


class CommandLog(Vertical):
    """Header (``$ command · status · duration``, Retry, Cancel) over a bounded ``Log`` of the output."""

    DEFAULT_CSS = """
    CommandLog { height: auto; max-height: 50%; background: $surface; border-top: solid $primary; }
    CommandLog.-idle { display: none; }
    CommandLog > .log-top { height: auto; }
    CommandLog .log-head { width: 1fr; height: auto; max-height: 3; padding: 0 1; }
    CommandLog .log-top Button { display: none; margin-left: 1; }
    CommandLog.-running .log-cancel { display: block; }
    CommandLog.-failed .log-retry { display: block; }
    CommandLog Log { height: 4; background: $surface; padding: 0 1; scrollbar-size-horizontal: 0; }
    CommandLog.-collapsed Log { display: none; }
    CommandLog.-tall Log { height: 14; }
    """

    @dataclass
    class Begin(Message):
        """A command is about to run (shown before any output)."""

        step: str
        command: str

    @dataclass
    class Batch(Message):
        """Lines from the running command: ``(stream, text)`` pairs."""

        lines: list
        bubble = False

    class Arrived(Message):
        """Lines are waiting in the inbox (``feed``); at most one of these is queued at a time."""

        bubble = False

    @dataclass
    class Info(Message):
        """A line the app itself adds (skipped, refused, crashed)."""

        text: str
        bubble = False

    @dataclass
    class Finished(Message):
        """A step ended; ``outcome`` is the service's CheckOutcome (the screen records it)."""

        step: str
        outcome: object

    @dataclass
    class Retry(Message):
        """The Retry button: the owner runs the last step again."""

        log: "CommandLog"

    @dataclass
    class Cancel(Message):
        """The Cancel button: the owner stops the running step."""

        log: "CommandLog"

    def __init__(self, *, max_lines: int = MAX_LINES, prefix: str = "log", retry_label: str = "",
                 cancel_label: str = "", hide_idle: bool = False, id: str | None = None,
                 classes: str | None = None):
        """``prefix`` starts the ids of its parts (``#log-head``, ``#log-lines``, ``#log-retry``,
        ``#log-cancel``: a step panel's are ``#step-…``); ``hide_idle``
        keeps the log out of the layout until a step begins (inside a step panel)."""
        super().__init__(id=id, classes=classes)
        self.max_lines = max_lines
        self.prefix = prefix
        self.retry_label, self.cancel_label = retry_label, cancel_label
        self.hide_idle = hide_idle
        self.title = ""  # shown in the head instead of ``$ command`` (a remote step's name)
        self.command = ""
        self.status = ""
        self.step = ""
        self.started = 0.0
        self.duration = 0.0
        self.summary = ""
        self.received = 0  # lines since the current command began (all of them, not only those kept)
        self._ticker = None
        self._head_key: tuple = ()  # what the head showed, for a repaint without a layout
        self._paint_timer = None
        self._painted_at = 0.0
        # Lines handed over by a worker thread (``feed``), already made visible. However
        # fast a command prints, the event loop gets one message per drain and drains at
        # most once per PAINT_INTERVAL, so keys typed meanwhile keep their turn.
        self._inbox_lock = threading.Lock()
        self._inbox: deque[str] = deque(maxlen=max_lines)  # older ones would scroll away unseen
        self._inbox_count = 0  # lines fed since the last drain, dropped ones included
        self._inbox_signalled = False

    def compose(self):
        t = self.app.t
        with Horizontal(classes="log-top"):
            yield Static(id=f"{self.prefix}-head", classes="log-head")
            yield Button(self.retry_label or t("rs.retry"), id=f"{self.prefix}-retry", compact=True,
                         variant="warning", classes="log-retry")
            yield Button(self.cancel_label or t("log.cancel_button"), id=f"{self.prefix}-cancel", compact=True,
                         variant="error", classes="log-cancel")
        yield OutputLines(max_lines=self.max_lines, id=f"{self.prefix}-lines", classes="log-lines")

    def on_mount(self) -> None:
        self.set_class(True, "-collapsed")
        self.set_class(self.hide_idle, "-idle")
        self._ticker = self.set_interval(0.5, self._show_head, pause=True)
        self._show_head()

    @property
    def log_widget(self) -> Log:
        return self.query_one(".log-lines", Log)

    @on(Button.Pressed, ".log-retry")
    def _retry_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Retry(self))

    @on(Button.Pressed, ".log-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Cancel(self))

    # -- messages from the worker ------------------------------------------------------

    def feed(self, lines: list) -> None:
        """Hand ``(stream, text)`` lines over from any thread (the runner's callback).

        The lines are made visible here, in the caller's thread, and only those the log
        can keep; the loop is woken only when it has not been told yet since its last drain."""
        texts = [text if stream == "stdout" else f"! {text}" if stream == "stderr" else f"# {text}"
                 if stream == "hotfix" else text for stream, text in lines[-self.max_lines:]]
        if has_controls("\n".join(texts)):  # rare: a clean batch is looked at once, not per line
            texts = [visible(text) for text in texts]
        with self._inbox_lock:
            self._inbox.extend(texts)
            self._inbox_count += len(lines)
            if self._inbox_signalled:
                return
            self._inbox_signalled = True
        self.post_message(self.Arrived())

    def _drain(self) -> None:
        """Write what the worker fed since the last drain into the log (on the loop)."""
        with self._inbox_lock:
            lines, count = list(self._inbox), self._inbox_count
            self._inbox.clear()
            self._inbox_count = 0
            self._inbox_signalled = False
        if count:
            self.received += count
            if lines:
                self.log_widget.write_lines(lines)

    @on(Arrived)
    def _arrived(self, event: Arrived) -> None:
        # Drain now if the last paint is PAINT_INTERVAL old, else when it will be; until
        # then the worker posts nothing more (the inbox stays signalled).
        if self._paint_timer is not None:
            return
        wait = self._painted_at + PAINT_INTERVAL - time.monotonic()
        if wait <= 0:
            self._paint()
        else:
            self._paint_timer = self.set_timer(wait, self._paint)

    @on(Begin)
    def _begin(self, event: Begin) -> None:
        self.begin(event.step, event.command)

    def begin(self, step: str, command: str, *, title: str = "", lines: list[str] | None = None) -> None:
        """A step starts: its command (or, for a remote step, ``title`` and its request ``lines``)."""
        self.step, self.command, self.status, self.summary = step, command, "running", ""
        self.title = title
        self.started, self.duration, self.received = time.monotonic(), 0.0, 0
        self.set_classes_for("running")
        self._write([f"$ {command}"] if lines is None else lines)
        self._ticker.resume()
        self._show_head()

    def set_classes_for(self, status: str) -> None:
        self.set_class(False, "-collapsed")
        self.set_class(False, "-idle")
        self.set_class(status == "running", "-running")
        self.set_class(status in FAILED, "-failed")

    @on(Batch)
    def _batch(self, event: Batch) -> None:
        self.feed(event.lines)

    @on(Info)
    def _info(self, event: Info) -> None:
        self.note(event.text)

    def note(self, text: str) -> None:
        """A line the app adds (``# text``), after any output still waiting."""
        self.add(f"# {text}")

    def add(self, text: str) -> None:
        """A line as given (made visible), after any output still waiting."""
        self._drain()
        self.set_class(False, "-collapsed")
        self.set_class(False, "-idle")
        self._write([text])

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        outcome = event.outcome
        self.end(getattr(outcome, "status", "error"), getattr(outcome, "summary", ""),
                 getattr(outcome, "duration", None))
        # bubbles on to the screen, which records the outcome in the draft

    def end(self, status: str, summary: str = "", duration: float | None = None, *, line: bool = True) -> None:
        """The step ended: its status, duration and summary in the head (and, with ``line``, the log)."""
        self._drain()  # the command's last lines come before its status line
        self.status = status
        self.duration = duration if duration is not None else time.monotonic() - self.started
        self.summary = summary
        if line:
            self._write([f"# {self.status} {self.duration:.1f}s {self.summary}"])
        self.set_classes_for(status)
        self._ticker.pause()
        self._show_head()

    def clear(self) -> None:
        """Empty the log (a step panel shows the step at hand only)."""
        self._drain()
        self.log_widget.clear()

    # -- display -----------------------------------------------------------------------

    def _paint(self) -> None:
        if self._paint_timer is not None:
            self._paint_timer.stop()
            self._paint_timer = None
        self._painted_at = time.monotonic()
        self._drain()

    def _write(self, lines: list[str]) -> None:
        """Lines the app adds, written at once (the output drained before them is in the log)."""
        self.log_widget.write_lines([visible(line) for line in lines])

    @property
    def lines(self) -> list[str]:
        """What the log holds, including lines fed and not drained yet (for tests and copy)."""
        with self._inbox_lock:
            waiting = list(self._inbox)
        kept = [*self.log_widget.lines, *waiting]
        return kept[-self.max_lines:] if len(kept) > self.max_lines else kept

    def _show_head(self) -> None:
        head = self.query_one(".log-head", Static)
        t = self.app.t
        if not self.command:
            head.update(Text(t("log.idle"), style="dim", no_wrap=True, overflow="ellipsis"))
            self._head_key = ()
            return
        seconds = time.monotonic() - self.started if self.status == "running" else self.duration
        elapsed = f"{seconds:.1f}s"
        word = status_word(self.status, t)
        line = Text()  # wraps (up to 3 lines): the summary often says what to fix
        line.append(f"{MARKS.get(self.status, '?')} {word} {elapsed} ", style=STATUS_STYLES.get(self.status, ""))
        line.append(visible_line(self.title or f"$ {self.command}"), style="bold")
        if self.summary:
            line.append(visible_line(f"  {self.summary}"), style="dim")
        # The ticker changes only digits, in place: same length, same wrapping, same height,
        # so the head is repainted without a layout of the whole screen (~30 ms at 80x24).
        key = (self.status, word, self.title, self.command, self.summary, len(elapsed))
        head.update(line, layout=key != self._head_key)
        self._head_key = key

    def stopped(self, status: str = "error") -> None:
        """The worker died without a Finished (a crash): the head must not say "running" forever."""
        if self.status == "running":
            self.status = status
            self.duration = time.monotonic() - self.started
        self.set_classes_for(self.status)
        self._ticker.pause()
        self._show_head()

    def toggle_size(self) -> None:
        """Collapsed (head only) → normal (4 lines) → tall (14 lines) → collapsed."""
        if self.has_class("-collapsed"):
            self.set_class(False, "-collapsed")
        elif not self.has_class("-tall"):
            self.set_class(True, "-tall")
        else:
            self.set_class(False, "-tall")
            self.set_class(True, "-collapsed")

    @property
    def running(self) -> bool:
        return self.status == "running"

