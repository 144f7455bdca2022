"""A real terminal for the app: run a command in a pseudo-terminal, read what it draws, type into it.

Pilot drives the app inside its own event loop, so it can neither measure what a user
waits for nor survive a SIGKILL. Here the app is a separate process whose stdin, stdout
and stderr are the slave side of a pty (its controlling terminal, as under ssh/tmux); a
thread drains the master side continuously (a full pty buffer would block the app's
writes) and timestamps every chunk, so callers can wait for a string, for quiet, or for
the first output after a keystroke. Every wait has a deadline.
"""

from __future__ import annotations

import fcntl
import math
import os
import random
import re
import select
import struct
import subprocess
import sys
import termios
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# CSI / OSC / charset / two-byte escapes: enough to turn Textual's output into text.
_ANSI = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[@-Z\\-_=>78])")


SYNC_QUERY = b"\x1b[?2026$p"  # DECRQM: is synchronized output (mode 2026) supported?
SYNC_REPLY = b"\x1b[?2026;2$y"  # DECRPM: supported, currently reset
SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
_CUP = re.compile(rb"\x1b\[(\d+);(\d+)H")


def strip_ansi(data: bytes) -> str:
    return _ANSI.sub(b"", data).decode("utf-8", "replace")


def base_env(home: Path, **extra: str) -> dict[str, str]:
    """The process environment: a real xterm, and config/data dirs in ``home``.

    XDG_* point platformdirs at ``home`` so a developer's own config and drafts are never
    read or written; HOTFIX_TUI_CONFIG stays unset (the defaults apply).
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TEXTUAL", "HOTFIX_TUI_")) and k not in ("NO_COLOR", "TMUX", "COLUMNS", "LINES")}
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    env.update(extra)
    return env


def _make_controlling_tty() -> None:  # runs in the child, after setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyApp:
    """One process in a pseudo-terminal of ``rows`` x ``cols``."""

    def __init__(self, argv: list[str], env: dict[str, str], *, rows: int = 24, cols: int = 80,
                 cwd: str | os.PathLike | None = None, sync_output: bool = False):
        """``sync_output``: answer Textual's DECRQM query for mode 2026 as a modern terminal
        (kitty, WezTerm, foot, iTerm2, tmux 3.4) does, so every frame the app writes is
        bracketed by ``ESC[?2026h`` … ``ESC[?2026l`` and frames can be told apart."""
        self.argv = argv
        self.sync_output = sync_output
        self._query_scan = 0
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.master = master
        self._lock = threading.Condition()
        self.chunks: list[tuple[float, bytes]] = []  # (perf_counter at arrival, bytes)
        self.buffer = bytearray()
        self.eof = False
        self._stop = threading.Event()
        self.started = time.perf_counter()
        try:
            self.proc = subprocess.Popen(
                argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
                start_new_session=True, preexec_fn=_make_controlling_tty,
            )
        finally:
            os.close(slave)
        self._reader = threading.Thread(target=self._read_loop, name="pty-reader", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    # -- output --------------------------------------------------------------------------

    def _read_loop(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(self.master, 65536)
            except OSError:  # EIO: every slave fd is closed (the app exited)
                data = b""
            now = time.perf_counter()
            with self._lock:
                if not data:
                    break
                self.chunks.append((now, data))
                self.buffer += data
                self._lock.notify_all()
                answer = self.sync_output and SYNC_QUERY in self.buffer[self._query_scan:]
                self._query_scan = max(0, len(self.buffer) - len(SYNC_QUERY))
            if answer:
                self.write(SYNC_REPLY)
        with self._lock:
            self.eof = True
            self._lock.notify_all()

    def size(self) -> int:
        with self._lock:
            return len(self.buffer)

    def text(self, start: int = 0) -> str:
        """Everything drawn since byte ``start``, escapes removed."""
        with self._lock:
            data = bytes(self.buffer[start:])
        return strip_ansi(data)

    def tail(self, chars: int = 600) -> str:
        return self.text()[-chars:]

    def wait_for_text(self, needle: str, timeout: float, start: int = 0) -> float:
        """Wait until ``needle`` appears in the drawn text; return when (perf_counter)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                if needle in strip_ansi(bytes(self.buffer[start:])):
                    return self.chunks[-1][0]
                if self.eof:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._lock.wait(min(remaining, 0.05))
        state = "exited" if self.eof else "still running"
        raise TimeoutError(f"{needle!r} did not appear within {timeout:.1f}s ({self.argv!r}, {state}); "
                           f"last output: {self.tail()!r}")

    def wait_quiet(self, quiet: float, timeout: float) -> float:
        """Wait until no output has arrived for ``quiet`` seconds; return the last arrival."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                last = self.chunks[-1][0] if self.chunks else self.started
                now = time.perf_counter()
                if self.chunks and now - last >= quiet:
                    return last
                if self.eof:
                    return last
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"output did not go quiet for {quiet}s within {timeout:.1f}s; "
                                       f"last output: {self.tail()!r}")
                self._lock.wait(min(remaining, 0.01))

    def wait_output_after(self, index: int, timeout: float) -> tuple[float, int]:
        """Wait for chunk number ``index`` (the first after a write); return (arrival, index)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.chunks) <= index:
                remaining = deadline - time.monotonic()
                if self.eof or remaining <= 0:
                    raise TimeoutError(f"no output within {timeout:.1f}s of the keystroke; "
                                       f"last output: {self.tail()!r}")
                self._lock.wait(remaining)
            return self.chunks[index][0], index

    def chunk_count(self) -> int:
        with self._lock:
            return len(self.chunks)

    # -- input ---------------------------------------------------------------------------

    def write(self, data: bytes | str) -> float:
        """Type ``data``; return perf_counter just before the write."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        t = time.perf_counter()
        view = memoryview(data)
        while view:
            n = os.write(self.master, view)
            view = view[n:]
        return t

    def type_text(self, text: str, delay: float = 0.02) -> None:
        """Type one character at a time (a UTF-8 sequence per write), like a person."""
        for ch in text:
            self.write(ch)
            time.sleep(delay)

    # -- the process ---------------------------------------------------------------------

    def alive(self) -> bool:
        return self.proc.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive():
            os.kill(self.proc.pid, sig)

    def wait_exit(self, timeout: float) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise TimeoutError(f"{self.argv!r} (pid {self.proc.pid}) did not exit within {timeout:.1f}s; "
                               f"last output: {self.tail()!r}") from None

    def peak_rss_kb(self) -> int | None:
        """VmHWM of the process (peak resident set), in kB; None once it has gone."""
        try:
            with open(f"/proc/{self.proc.pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def hangup(self) -> None:
        """Close the terminal, as a dropped SSH session does: the kernel sends SIGHUP."""
        self._stop.set()
        self._reader.join(timeout=5)
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def close(self) -> None:
        """Kill the process if still running (only this one, by pid) and release the pty."""
        if self.alive():
            self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a process that ignores SIGKILL
            pass
        self.hangup()

    def __enter__(self) -> "PtyApp":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def hotfix_argv(*args: str) -> list[str]:
    """``python -m hotfix_tui ARGS`` with this interpreter (the venv's, when run from it)."""
    return [sys.executable, "-m", "hotfix_tui", *args]


__all__ = ["PtyApp", "base_env", "hotfix_argv", "strip_ansi"]


# -- typing into a field and timing the echoes ----------------------------------------------
# (shared by startup_and_typing.py, field_limit.py, preview_typing.py and log_stream.py)


def typed_text(keys: int) -> str:
    words = ("speaker pod restarted after the pool was widened to a slash 27 and the "
             "ingress service got its address back within a minute of the apply ").split()
    out, line = [], 0
    while len("".join(out)) < keys:
        w = words[len(out) % len(words)]
        line += len(w) + 1
        out.append(w + ("\r" if line > 60 else " "))  # Enter now and then, as a person does
        if line > 60:
            line = 0
    return "".join(out)[:keys]


def gaps(keys: int, text: str, seed: int = 7) -> list[float]:
    """Seconds to wait before each key: bursts of 60-140 ms, pauses after some words.

    Pauses of 150-400 ms let the 200 ms preview debounce fire, so some keys land while
    the preview and checklist re-render: the case that makes typing lag.
    """
    rnd = random.Random(seed)
    out = []
    for i in range(keys):
        prev = text[i - 1] if i else ""
        if prev in " \r" and rnd.random() < 0.4:
            out.append(rnd.uniform(0.15, 0.40))
        else:
            out.append(rnd.uniform(0.06, 0.14))
    return out


class Frames:
    """The app's output cut into frames at the synchronized-output brackets.

    Each frame ends by placing the terminal cursor where the focused widget's cursor is,
    so a keystroke's echo is the first frame after it that moves the cursor; frames that
    do not (autosave status, preview, cursor blink) leave it where it was.
    """

    def __init__(self, app: PtyApp):
        self.app = app
        self.seen = 0  # chunks consumed
        self.pending = b""
        self.ends: list[tuple[float, tuple[int, int] | None, int]] = []  # (arrival, cursor, bytes)
        self.last_cursor: tuple[int, int] | None = None

    def scan(self) -> None:
        with self.app._lock:
            new = self.app.chunks[self.seen:]
            self.seen += len(new)
        for when, data in new:
            self.pending += data
            while (end := self.pending.find(SYNC_END)) >= 0:
                frame = self.pending[:end]
                begin = frame.rfind(SYNC_START)
                frame = frame[begin:] if begin >= 0 else frame
                cups = _CUP.findall(frame)
                cursor = (int(cups[-1][0]), int(cups[-1][1])) if cups else None
                self.ends.append((when, cursor, len(frame)))
                if cursor is not None:
                    self.last_cursor = cursor
                self.pending = self.pending[end + len(SYNC_END):]

    def cursor(self) -> tuple[int, int] | None:
        self.scan()
        return self.last_cursor

    def wait_move(self, since: float, before, timeout: float) -> tuple[float, int]:
        """The first frame completed after ``since`` that puts the cursor elsewhere."""
        deadline = time.monotonic() + timeout
        checked = len(self.ends)
        while True:
            self.scan()
            for when, cur, size in self.ends[checked:]:
                if when >= since and cur is not None and cur != before:
                    return when, size
            checked = len(self.ends)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no echo within {timeout}s; last output: {self.app.tail()!r}")
            self.app.wait_output_after(self.seen, remaining)


def go_to_text_end(app: PtyApp, tabs: int, page_downs: int = 120, quiet: float = 0.5) -> None:
    """Tab ``tabs`` times to a text field, then PageDown and End: the cursor at the text's end."""
    app.wait_quiet(quiet, 60)
    for _ in range(tabs):
        app.write("\t")
        time.sleep(0.1)
    for _ in range(page_downs):
        app.write("\x1b[6~")
        time.sleep(0.005)
    app.write("\x1b[F")
    app.wait_quiet(quiet, 60)


@dataclass
class Typed:
    """What :func:`type_and_time` measured: each key's echo latency (ms) and frame size."""

    text: str
    waits: list[float]
    latencies: list[float]
    echo_sizes: list[int]
    first: float  # perf_counter at the first key
    last: float  # perf_counter after the last echo
    start_bytes: int  # the app's output size before the first key


def type_and_time(app: PtyApp, frames: Frames, keys: int, timeout: float = 20) -> Typed:
    """Type ``keys`` keys as a person does (:func:`typed_text` with :func:`gaps`), one key in
    flight at a time; each latency is the key's write to the first frame moving the cursor."""
    if frames.cursor() is None:
        raise SystemExit("no cursor placement in the app's frames; cannot find echoes")
    text = typed_text(keys)
    waits = gaps(keys, text)
    start_bytes = app.size()
    latencies, echo_sizes = [], []
    next_at = time.perf_counter()
    first = next_at
    for ch, gap in zip(text, waits):
        next_at += gap
        now = time.perf_counter()
        if now < next_at:
            time.sleep(next_at - now)
        before = frames.cursor()
        sent = app.write(ch.encode())
        when, size = frames.wait_move(sent, before, timeout=timeout)
        latencies.append((when - sent) * 1000)
        echo_sizes.append(size)
        next_at = max(next_at, time.perf_counter())  # closed loop: one key in flight
    return Typed(text, waits, latencies, echo_sizes, first, time.perf_counter(), start_bytes)


def spread(values: list[float]) -> dict[str, float]:
    """Median, p95, p99 (nearest rank) and max of ``values``; NaN for none."""
    if not values:
        nan = float("nan")
        return {"median": nan, "p95": nan, "p99": nan, "max": nan}
    ordered = sorted(values)

    def rank(q: float) -> float:
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    return {"median": statistics.median(ordered), "p95": rank(0.95), "p99": rank(0.99), "max": ordered[-1]}
