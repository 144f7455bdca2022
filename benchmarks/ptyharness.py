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
import os
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

# CSI / OSC / charset / two-byte escapes: enough to turn Textual's output into text.
_ANSI = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[@-Z\\-_=>78])")


SYNC_QUERY = b"\x1b[?2026$p"  # DECRQM: is synchronized output (mode 2026) supported?
SYNC_REPLY = b"\x1b[?2026;2$y"  # DECRPM: supported, currently reset
SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"


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
