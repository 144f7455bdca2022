"""Run one external command (terraform, kubectl) without a shell, stream it, stop it, record it.

The wizard and ``hotfix check`` share this runner, so both show the same command line,
stop runaway commands the same way and keep the same bounded record. Design points:

* The command is an argument list handed to ``execve`` (``shell=False``): text typed by the
  user (a summary, a slug, a pod name) can never become shell syntax.
* The child gets its own session (``start_new_session=True``), so a timeout or a cancel can
  stop the whole process group — terraform's provider plugins, kubectl's helpers — with
  SIGTERM, then SIGKILL after a grace period, and Ctrl-C in a terminal reaches us, not it.
* Stopping means the whole group: :meth:`Runner.cancel_all` (the wizard quitting, SIGHUP)
  sends SIGTERM to every running command's group at once, waits up to the grace period and
  sends SIGKILL to what is left; ``hotfix check`` turns SIGTERM/SIGHUP/SIGINT into a cancel,
  which the supervising loop carries out the same way. An interpreter-exit hook does the
  same for a command still running in a worker thread when a program exits.
* Output arrives from two reader threads and is handed to a callback in batches (every
  ~50 ms or 500 lines), so a UI can post one message per batch instead of one per line
  and stay responsive while 100,000 lines stream.
* Memory stays bounded: readers read fixed-size blocks (never a whole line), cut a line
  longer than :data:`MAX_LINE_CHARS` into pieces (at a space or punctuation near the
  limit when there is one, so a token is not split across pieces and escapes its mask),
  hand the lines of each block over as one item of a bounded queue (back-pressure on the
  child; one queue operation per block, not per line, so a fast stream costs little CPU
  and the UI thread keeps its turn), and only the last ``max_lines`` lines and at most
  ``max_chars`` characters are kept.
* Secrets are masked by :class:`~hotfix_tui.services.secrets.Masker` in the displayed
  command and in every line delivered or kept, because both end up on screen and in the
  draft: values of secret-looking environment variables and of those named in
  ``[secrets] env``, URL passwords, registered Jira/GitHub tokens in all their encodings,
  and ``NAME=value`` assignments with a secret-looking NAME.
"""

from __future__ import annotations

import atexit
import bisect
import codecs
import datetime as _dt
import itertools
import operator
import os
import queue
import re
import shlex
import shutil
import signal
import subprocess
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .secrets import MASK, Masker

__all__ = [
    "CANCELLED",
    "ERROR",
    "FAILED",
    "INFO",
    "MAX_LINE_CHARS",
    "PASSED",
    "STDERR",
    "STDOUT",
    "TIMEOUT",
    "Line",
    "Masker",
    "RunResult",
    "Runner",
    "display_command",
    "missing_binary_message",
    "split_lines",
    "stop_groups",
]

PASSED = "passed"
FAILED = "failed"
CANCELLED = "cancelled"
TIMEOUT = "timeout"
ERROR = "error"  # the command never ran (missing binary, missing folder, exec failure)
STATUSES = (PASSED, FAILED, CANCELLED, TIMEOUT, ERROR)

STDOUT = "stdout"
STDERR = "stderr"
INFO = "hotfix"  # lines the runner itself adds (why a run stopped), so the log explains itself

_PLACEHOLDER = "HOTFIXMASKED7F3A"  # letters and digits only: shlex.quote leaves it bare

DEFAULT_MAX_LINES = 2000
# What a result keeps at most, in characters (the parsers read validate's JSON from it).
DEFAULT_MAX_CHARS = 2 * 1024 * 1024
FLUSH_INTERVAL = 0.05
FLUSH_LINES = 500
DEFAULT_GRACE = 3.0
# Readers take the pipe in blocks of this size, never a whole line: a 50 MB "line"
# (a binary blob, a minified JSON) must not be held in memory at once.
READ_BYTES = 64 * 1024
# A line longer than this is delivered (shown, kept, stored) as pieces of at most this
# many characters. It is cut after the last space or punctuation in its final
# _CUT_WINDOW characters when there is one, so a secret is not split across two pieces.
MAX_LINE_CHARS = 4096
_CUT_WINDOW = 512
_CUT_AFTER = re.compile(r"[\s,;&\"'{}\[\]()<>|]")
# Readers block when this many blocks (each the lines of one read of at most READ_BYTES)
# wait unread: the child then blocks on its pipe.
QUEUE_BLOCKS = 16
# While someone types (``Runner.typing``: a key, a paste or a click came a moment ago), the
# readers and the masking loop wait between blocks, HOLD_STEP at a time, and the command's
# output waits in its pipe: the keystrokes have the interpreter and the processors to
# themselves. Never longer than HOLD_AT_MOST at a stretch: then one block goes through, so
# the log stays at most about two of those behind (a reader, then the masking loop).
HOLD_STEP = 0.002
HOLD_AT_MOST = 0.25


class Pacer:
    """One runner thread giving way to the keystrokes while someone types.

    A command printing as fast as it can (a 500,000-line plan) kept the reader and masking
    threads busy for the whole stream, and a 2-processor machine busy with it and the
    command: a key's echo took twice its idle time and more, even with the threads working
    only half the time (issue 12, benchmarks/log_stream.py). Each thread calls its pacer
    between blocks; while ``typing()`` says a key came a moment ago, the thread waits (up
    to ``HOLD_AT_MOST``, then lets one block through). The command's output waits in its
    pipe meanwhile, and a command that fills the pipe waits for it; nothing is dropped, and
    with nobody typing nothing waits. Returns whether it waited, so a loop can look at its
    clock (a cancel, a timeout) before its next block.
    """

    def __init__(self, typing: Callable[[], bool] | None, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.typing = typing
        self.clock = clock
        self.sleep = sleep
        self.held = 0.0  # seconds waited (for tests)

    def __call__(self) -> bool:
        if self.typing is None or not self.typing():
            return False
        start = self.clock()
        while True:
            self.sleep(HOLD_STEP)
            waited = self.clock() - start
            if waited >= HOLD_AT_MOST or not self.typing():
                break
        self.held += waited
        return True


Line = tuple[str, str]  # (stream, text): stream is STDOUT, STDERR or INFO
OnLines = Callable[[list[Line]], None]

# CSI / OSC escape sequences and stray C0 controls (tab kept). Output goes to a terminal
# (the CLI) and into a TOML draft: a command's colours or a hostile escape sequence must not
# repaint the user's screen or end up in the record.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte (colours, cursor moves)
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST (titles, hyperlinks, clipboard)
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|[\x00-\x08\x0b-\x1f\x7f]"
)


def _now_iso() -> str:
    return _dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


def display_command(argv: Sequence[str], masker: Masker | None = None) -> str:
    """The command line as a user would type it (shell-quoted), secrets masked.

    Each argument is masked before quoting: quoting first could split a secret that
    contains a quote character, and the split pieces would escape the mask. A shell-safe
    placeholder stands in during quoting so ``--token=****`` is not shown as
    ``'--token=****'`` (``*`` alone would force quotes).
    """
    if not masker:
        return shlex.join(str(a) for a in argv)
    quoted = " ".join(shlex.quote(masker(str(a), _PLACEHOLDER)) for a in argv)
    return quoted.replace(_PLACEHOLDER, MASK)


def missing_binary_message(binary: str, config_section: str = "") -> str:
    """One line that names the program and the setting that would fix it."""
    name = os.path.basename(binary) or binary
    where = f"{binary} does not exist" if os.sep in binary else f"{name} not found on PATH"
    if config_section:
        return f"{where}: install {name} or set [{config_section}] binary in config.toml"
    return f"{where}: install {name} or give its full path"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(text: str) -> str:
    text = text.rstrip("\r\n")
    if _CONTROL.search(text):  # rare: most lines skip the full substitution
        text = _ESCAPES.sub("", text)
    return text


@dataclass
class RunResult:
    """What one command did. ``output`` holds only the last lines (see ``line_count``)."""

    argv: list[str]
    command: str  # display form, secrets masked
    cwd: str
    status: str  # one of STATUSES
    exit_code: int | None  # None: it never started; negative: killed by that signal
    started_at: str  # ISO 8601 with offset
    duration: float  # seconds
    output: list[Line] = field(default_factory=list)
    line_count: int = 0  # lines the command printed, including those no longer kept
    error: str = ""  # why it did not pass, for errors/timeouts/cancels; "" otherwise

    @property
    def ok(self) -> bool:
        return self.status == PASSED

    @property
    def duration_ms(self) -> int:
        return int(round(self.duration * 1000))

    def lines(self, stream: str | None = None) -> list[str]:
        return [text for s, text in self.output if stream is None or s == stream]

    def text(self, stream: str | None = None) -> str:
        return "\n".join(self.lines(stream))

    def tail(self, n: int = 20) -> list[str]:
        return [text for _, text in self.output[-n:]] if n > 0 else []


class Runner:
    """Runs commands; one instance can serve many worker threads at once.

    ``env`` replaces ``os.environ`` as the base environment when given (tests); per-run
    ``env`` entries are added on top, and an entry whose value is None removes a variable.
    ``secret_names`` are environment variables whose values are masked whatever their
    names look like (``[secrets] env`` in config).
    """

    def __init__(
        self,
        *,
        env: Mapping[str, str] | None = None,
        max_lines: int = DEFAULT_MAX_LINES,
        max_chars: int = DEFAULT_MAX_CHARS,
        grace: float = DEFAULT_GRACE,
        flush_interval: float = FLUSH_INTERVAL,
        flush_lines: int = FLUSH_LINES,
        secret_names: Iterable[str] = (),
    ):
        self._env = None if env is None else dict(env)
        self.max_lines = max_lines
        self.max_chars = max_chars
        self.grace = grace
        self.flush_interval = flush_interval
        self.flush_lines = flush_lines
        self.secret_names: frozenset[str] = frozenset(secret_names)
        # Whether someone is typing now (the app's input clock): the runner's threads then
        # give way to the keystrokes (``Pacer``).
        self.typing: Callable[[], bool] | None = None
        # cancel event -> the running process (None until it has started)
        self._active: dict[threading.Event, subprocess.Popen | None] = {}
        self._killed: set[int] = set()  # pids cancel_all had to SIGKILL, for their records
        self._lock = threading.Lock()
        _RUNNERS.add(self)

    def mask_env(self, names: Iterable[str]) -> None:
        """Also mask the values of these environment variables (``[secrets] env``)."""
        self.secret_names = self.secret_names | frozenset(n for n in names if n)

    # -- helpers the UI uses before a run starts ------------------------------------

    def environment(self, env: Mapping[str, str | None] | None = None) -> dict[str, str]:
        base = dict(os.environ if self._env is None else self._env)
        for name, value in (env or {}).items():
            if value is None:
                base.pop(name, None)
            else:
                base[name] = value
        return base

    def masker(self, env: Mapping[str, str | None] | None = None) -> Masker:
        return Masker.from_env(self.environment(env), self.secret_names)

    def display(self, argv: Sequence[str], env: Mapping[str, str | None] | None = None) -> str:
        """The masked command line that ``run`` will show, for a "running…" header."""
        return display_command(argv, self.masker(env))

    def cancel_all(self, grace: float | None = None) -> None:
        """Stop every command this runner is running (the app is closing), and wait for it.

        Each command's whole process group gets SIGTERM now, and SIGKILL if anything of
        it is still there after ``grace`` seconds (default: the runner's). Blocks until
        the groups are gone or killed, because the caller is usually about to exit and
        nothing must be left holding a terraform state lock. The runs themselves end as
        ``cancelled`` in the threads that supervise them.
        """
        with self._lock:
            events = list(self._active.items())
        for event, _ in events:
            event.set()

        def note_kills(procs: list[subprocess.Popen]) -> None:
            # Before the SIGKILL: the supervising thread must know when it writes the record.
            with self._lock:
                self._killed.update(proc.pid for proc in procs)

        stop_groups([proc for _, proc in events if proc is not None],
                    self.grace if grace is None else grace, before_kill=note_kills)

    # -- the run itself -------------------------------------------------------------

    def run(
        self,
        argv: Sequence[str | os.PathLike[str]],
        *,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str | None] | None = None,
        timeout: float | None = None,
        on_lines: OnLines | None = None,
        cancel: threading.Event | None = None,
        ok_codes: Iterable[int] = (0,),
        config_section: str = "",
    ) -> RunResult:
        """Run ``argv`` to the end, a timeout or a cancel; never raises for the command's sake.

        Blocking: call it from a worker thread. ``on_lines`` is called from this thread
        with batches of ``(stream, line)``. ``config_section`` (``"terraform"``) lets
        messages name the setting that fixes a missing binary or a too-short timeout.
        """
        args = [os.fspath(a) for a in argv]
        if not args:
            raise ValueError("empty command")
        full_env = self.environment(env)
        mask = Masker.from_env(full_env, self.secret_names)
        command = display_command(args, mask)
        workdir = os.fspath(cwd) if cwd is not None else os.getcwd()
        started_at = _now_iso()
        t0 = time.monotonic()
        kept = _Tail(self.max_lines, self.max_chars)

        def not_started(message: str, status: str = ERROR) -> RunResult:
            kept.append((INFO, message))
            if on_lines:
                on_lines([(INFO, message)])
            return RunResult(args, command, workdir, status, None, started_at,
                             time.monotonic() - t0, list(kept), 0, message)

        if not os.path.isdir(workdir):
            hint = f" (set [{config_section}] dir in config.toml)" if config_section == "terraform" else ""
            return not_started(f"working directory {workdir} does not exist{hint}")
        executable = _resolve(args[0], full_env.get("PATH"))
        if executable is None:
            return not_started(missing_binary_message(args[0], config_section))

        event = cancel if cancel is not None else threading.Event()
        if event.is_set():  # cancelled while queued: do not start it at all
            return not_started("cancelled before it started", CANCELLED)
        with self._lock:
            self._active[event] = None
        try:
            try:
                proc = subprocess.Popen(
                    args,
                    executable=executable,
                    cwd=workdir,
                    env=full_env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    shell=False,
                    start_new_session=True,
                    close_fds=True,
                )
            except OSError as exc:
                return not_started(f"cannot start {args[0]}: {exc.strerror or exc}")
            with self._lock:
                self._active[event] = proc
            return self._supervise(
                proc, args, command, workdir, started_at, t0, kept, mask, timeout,
                on_lines, event, frozenset(ok_codes), config_section,
            )
        finally:
            with self._lock:
                self._active.pop(event, None)

    def _supervise(
        self,
        proc: subprocess.Popen,
        args: list[str],
        command: str,
        workdir: str,
        started_at: str,
        t0: float,
        kept: _Tail,
        mask: Masker,
        timeout: float | None,
        on_lines: OnLines | None,
        cancel: threading.Event,
        ok_codes: frozenset[int],
        config_section: str,
    ) -> RunResult:
        lines: queue.Queue[tuple[str, list[str] | None]] = queue.Queue(maxsize=QUEUE_BLOCKS)
        readers = [
            threading.Thread(target=_pump, args=(proc.stdout, STDOUT, lines, self.typing), daemon=True,
                             name=f"runner-{STDOUT}-{proc.pid}"),
            threading.Thread(target=_pump, args=(proc.stderr, STDERR, lines, self.typing), daemon=True,
                             name=f"runner-{STDERR}-{proc.pid}"),
        ]
        for reader in readers:
            reader.start()

        deadline = t0 + timeout if timeout else None
        pace = Pacer(self.typing)
        open_streams = 2
        count = 0
        batch: list[Line] = []
        last_flush = time.monotonic()
        stop_reason = ""  # TIMEOUT | CANCELLED once we decided to stop it
        stop_at = 0.0
        killed_at = 0.0
        exited_at = 0.0
        notes: list[str] = []

        def flush() -> None:
            nonlocal batch, last_flush
            if batch and on_lines:
                on_lines(batch)
            batch = []
            last_flush = time.monotonic()

        finished = False
        try:
            while True:
                exited = proc.poll() is not None  # poll every turn: it also reaps the child
                if exited and not open_streams:
                    break
                now = time.monotonic()
                if not stop_reason:
                    if cancel.is_set():
                        stop_reason, stop_at = CANCELLED, now
                    elif deadline is not None and now >= deadline:
                        stop_reason, stop_at = TIMEOUT, now
                    if stop_reason:
                        _signal_group(proc, signal.SIGTERM)
                elif not killed_at and now - stop_at >= self.grace:
                    _signal_group(proc, signal.SIGKILL)
                    killed_at = now
                    notes.append(f"still running {self.grace:g}s after SIGTERM: sent SIGKILL")
                elif killed_at and now - killed_at >= max(self.grace, 1.0):
                    break  # unkillable (D state): give up waiting rather than hang the app
                if not stop_reason and exited and open_streams:
                    # The command exited but something it started still holds the output
                    # open; a check must not leave processes behind.
                    exited_at = exited_at or now
                    if now - exited_at >= self.grace and not killed_at:
                        _signal_group(proc, signal.SIGKILL)
                        killed_at = now
                        notes.append("stopped child processes left running by the command")

                wait = max(0.005, min(self.flush_interval, self.flush_interval - (now - last_flush)))
                try:
                    stream, texts = lines.get(timeout=wait)
                except queue.Empty:
                    pass
                else:
                    while True:
                        if texts is None:
                            open_streams -= 1
                        else:
                            items = list(zip(itertools.repeat(stream), mask.lines(texts) if mask else texts))
                            kept.extend(items)
                            count += len(items)
                            while items:  # batches of at most flush_lines, as they fill
                                room = self.flush_lines - len(batch)
                                batch.extend(items[:room])
                                items = items[room:]
                                if len(batch) >= self.flush_lines:
                                    flush()
                        if pace():  # per block: a queue full of blocks is many milliseconds of work
                            break  # it waited: see to a cancel or a timeout before the next block
                        try:
                            stream, texts = lines.get_nowait()
                        except queue.Empty:
                            break
                if batch and time.monotonic() - last_flush >= self.flush_interval:
                    flush()
            finished = True
        finally:
            if not finished:
                # An exception (KeyboardInterrupt, a failing callback): never leave the
                # command running behind our back.
                _signal_group(proc, signal.SIGKILL)
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass

        try:
            proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
        if stop_reason and _group_alive(proc):
            # Output closed, but a member that let go of the pipes is still there: it gets
            # the rest of the grace period, then SIGKILL, like everything else in the group.
            stop_groups([proc], max(0.0, stop_at + self.grace - time.monotonic()))
        exit_code = proc.returncode
        with self._lock:
            killed_by_cancel_all = proc.pid in self._killed
            self._killed.discard(proc.pid)
        if killed_by_cancel_all and not killed_at:
            notes.append(f"still running {self.grace:g}s after SIGTERM: sent SIGKILL")
        if not stop_reason and cancel.is_set() and (exit_code is None or exit_code < 0):
            # cancel_all stopped the group itself before this loop saw the cancel.
            stop_reason = CANCELLED
        duration = time.monotonic() - t0
        name = os.path.basename(args[0])
        error = ""
        if stop_reason == CANCELLED:
            status = CANCELLED
            error = f"cancelled after {duration:.1f}s: stopped {name} and its child processes"
        elif stop_reason == TIMEOUT:
            status = TIMEOUT
            error = f"timed out after {timeout:g}s: stopped {name} and its child processes"
            if config_section:
                error += f" (raise [{config_section}] timeout in config.toml if it needs longer)"
        elif exit_code is not None and exit_code in ok_codes:
            status = PASSED
        else:
            status = FAILED
            if exit_code is None:
                error = f"{name} did not exit"
            elif exit_code < 0:
                error = f"{name} was killed by {_signal_name(-exit_code)}"
            else:
                error = f"{name} exited with code {exit_code}"
        info = [(INFO, mask(n)) for n in notes]
        if error and status != FAILED:
            info.append((INFO, mask(error)))
        for item in info:
            kept.append(item)
            batch.append(item)
        flush()
        return RunResult(args, command, workdir, status, exit_code, started_at, duration,
                         list(kept), count, error)


class _Tail:
    """The last lines of a run: at most ``max_lines`` lines and ``max_chars`` characters
    (and at least one line, however long).

    Kept as the blocks they came in, each with its character count: a streaming command's
    lines are counted and dropped a block at a time, in C (``map``, ``accumulate``), not one
    by one in Python; that was 40 % of the masking loop's time at 500,000 lines a second,
    time the keystrokes waited for (issue 12). ``tests/test_runner_tail.py`` holds it equal
    to a line-by-line tail.
    """

    def __init__(self, max_lines: int, max_chars: int):
        self._blocks: deque[list[Line]] = deque()
        self._sizes: deque[int] = deque()  # characters in each block
        self._count = 0
        self._chars = 0
        self.max_lines = max(1, max_lines)
        self.max_chars = max(1, max_chars)

    def append(self, item: Line) -> None:
        self.extend((item,))

    def extend(self, items: Sequence[Line]) -> None:
        block = list(items)
        if not block:
            return
        size = _chars(block)
        self._blocks.append(block)
        self._sizes.append(size)
        self._count += len(block)
        self._chars += size
        if self._count > self.max_lines:  # whole lines first
            self._drop(self._count - self.max_lines)
        while self._count > 1 and self._chars > self.max_chars:
            first, first_size = self._blocks[0], self._sizes[0]
            if len(first) < self._count and self._chars - first_size > self.max_chars:
                self._drop(len(first))  # every line of it would go
                continue
            # The cut is in this block: the fewest lines whose characters bring it down.
            over = self._chars - self.max_chars
            upto = bisect.bisect_left(list(itertools.accumulate(_lengths(first))), over) + 1
            self._drop(min(upto, len(first), self._count - 1))
            break

    def _drop(self, n: int) -> None:
        """Drop the first ``n`` lines."""
        while n > 0:
            first = self._blocks[0]
            if len(first) <= n:
                self._blocks.popleft()
                self._chars -= self._sizes.popleft()
                self._count -= len(first)
                n -= len(first)
            else:
                gone = _chars(first[:n])
                self._blocks[0] = first[n:]
                self._sizes[0] -= gone
                self._chars -= gone
                self._count -= n
                n = 0

    def __iter__(self):
        return itertools.chain.from_iterable(self._blocks)

    def __len__(self) -> int:
        return self._count


_text_of = operator.itemgetter(1)  # a Line's text


def _lengths(lines: Sequence[Line]) -> Iterable[int]:
    """The characters in each line's text, counted in C."""
    return map(len, map(_text_of, lines))


def _chars(lines: Sequence[Line]) -> int:
    """The characters in all the lines' texts."""
    return sum(_lengths(lines))


def split_lines(buffer: str, final: bool = False) -> tuple[list[str], str]:
    """Complete lines of ``buffer`` (newline removed), long ones cut, and the unfinished rest.

    No piece is longer than :data:`MAX_LINE_CHARS`; with ``final`` the rest is a piece too.
    """
    lines = buffer.split("\n")
    rest = lines.pop()
    if len(rest) <= MAX_LINE_CHARS and (not lines or max(map(len, lines)) <= MAX_LINE_CHARS):
        # The common case: no line to cut, so the pieces are the lines as they are.
        if final and rest:
            lines.append(rest)
            rest = ""
        return lines, rest
    pieces: list[str] = []
    start, size = 0, len(buffer)
    while start < size:
        end = buffer.find("\n", start, start + MAX_LINE_CHARS + 1)
        if end >= 0:
            pieces.append(buffer[start:end])
            start = end + 1
        elif size - start > MAX_LINE_CHARS:
            limit = start + MAX_LINE_CHARS
            cut = limit
            for match in _CUT_AFTER.finditer(buffer, limit - _CUT_WINDOW, limit):
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


def _pump(pipe, stream: str, lines: queue.Queue, typing: Callable[[], bool] | None = None) -> None:
    # One queue item per read: the (clean) lines of the block. Fixed-size reads and an
    # incremental decoder: memory stays bounded however long a line is, and a multi-byte
    # character cut by a read is decoded whole.
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    rest = ""
    pace = Pacer(typing)
    try:
        while True:
            pace()
            block = pipe.read1(READ_BYTES)
            text = rest + decoder.decode(block, final=not block)
            pieces, rest = split_lines(text, final=not block)
            if pieces:
                if _CONTROL.search(text):  # rare: most blocks need no cleaning at all
                    pieces = [_clean(piece) for piece in pieces]
                lines.put((stream, pieces))
            if not block:
                break
    except (OSError, ValueError):
        pass  # the pipe was closed under us; EOF is reported below either way
    finally:
        lines.put((stream, None))
        try:
            pipe.close()
        except OSError:
            pass


def _resolve(binary: str, path: str | None) -> str | None:
    if os.sep in binary:
        full = os.path.abspath(os.path.expanduser(binary))
        return full if os.path.isfile(full) and os.access(full, os.X_OK) else None
    return shutil.which(binary, path=path)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    # The child leads its own session, so its pid is the group id of everything it started.
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _group_alive(proc: subprocess.Popen) -> bool:
    proc.poll()  # reap the leader if it is done, or it would count as a member forever
    try:
        os.killpg(proc.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_groups(procs: Sequence[subprocess.Popen], grace: float,
                before_kill: Callable[[list[subprocess.Popen]], None] | None = None) -> list[subprocess.Popen]:
    """SIGTERM to each process group, SIGKILL to those still there after ``grace`` seconds.

    ``before_kill`` is told which processes' groups are about to get SIGKILL; they are
    also returned.
    """
    procs = [p for p in procs if _group_alive(p)]
    for proc in procs:
        _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while procs and time.monotonic() < deadline:
        time.sleep(0.02)
        procs = [p for p in procs if _group_alive(p)]
    killed = list(procs)
    if killed and before_kill is not None:
        before_kill(killed)
    for proc in killed:
        _signal_group(proc, signal.SIGKILL)
    deadline = time.monotonic() + 1.0
    while procs and time.monotonic() < deadline:  # let the kernel finish; never hang here
        time.sleep(0.02)
        procs = [p for p in procs if _group_alive(p)]
    return killed


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


_RUNNERS: weakref.WeakSet[Runner] = weakref.WeakSet()


def _stop_everything() -> None:
    # The last line of defence: a program that exits (sys.exit, an unhandled exception)
    # while a worker thread still runs terraform must not leave it behind.
    for runner in list(_RUNNERS):
        runner.cancel_all(grace=min(runner.grace, 1.0))


# Plain atexit runs only after every non-daemon thread has finished, and a thread blocked
# in run() would never finish: register where concurrent.futures does, before threads are
# joined. Its own hook (which joins executor threads) is registered on import; importing
# it first makes ours run before it (these hooks run last registered, first run).
# asyncio.run waits for its executor before the interpreter exits at all, so the wizard
# does not rely on this: it calls cancel_all itself on quit, SIGHUP and SIGTERM.
import concurrent.futures.thread  # noqa: E402,F401

getattr(threading, "_register_atexit", atexit.register)(_stop_everything)
