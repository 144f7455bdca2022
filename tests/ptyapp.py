"""The app in a real pseudo-terminal, for the tests where the terminal itself matters.

One set-up for them all: the harness (benchmarks/ptyharness.py, loaded once), the bounds a
slow shared 2-core machine needs, a draft made by `hotfix new` and moved to a phase, the
app opened on it and painted, and ``wait_until`` — a condition polled to a bound, never a
fixed sleep.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

from hotfix_tui.store import DraftStore

_NAME = "hotfix_benchmarks_ptyharness"
if _NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        _NAME, Path(__file__).resolve().parent.parent / "benchmarks" / "ptyharness.py")
    sys.modules[_NAME] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[_NAME])
ptyharness = sys.modules[_NAME]

START_TIMEOUT = 30.0  # a cold start on a loaded 2-core CI machine
ECHO_TIMEOUT = 20.0  # generous: other test suites may share the 2 cores
EXIT_TIMEOUT = 20.0
SAVE_TIMEOUT = 20.0  # an autosave (every half second) reaching the disk


def pty_env(tmp_path: Path, **extra: str) -> tuple[dict[str, str], Path]:
    """The environment a pty app runs in (its own home and drafts folder), and that folder."""
    drafts = tmp_path / "pty-drafts"
    return ptyharness.base_env(tmp_path / "pty-home", HOTFIX_TUI_DRAFTS=str(drafts), **extra), drafts


def new_draft(env: dict[str, str], drafts: Path, phase: str, summary: str = "", **fields) -> Path:
    """A draft made by `hotfix new --summary SUMMARY`, moved to ``phase``; ``fields`` set
    more of it by dotted path with ``__`` (``backlog__priority="Critical"``)."""
    made = subprocess.run(ptyharness.hotfix_argv("new", "--summary", summary), env=env,
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, f"hotfix new failed: {made.stderr}"
    path = Path(made.stdout.strip())
    store = DraftStore(drafts)
    loaded = store.load(path)
    loaded.draft.phase = phase
    for name, value in fields.items():
        *parents, attr = name.split("__")
        target = loaded.draft
        for part in parents:
            target = getattr(target, part)
        setattr(target, attr, value)
    store.save(loaded)
    return path


def open_in_pty(path: Path, env: dict[str, str], ready: str, *, rows: int = 24, cols: int = 80):
    """`hotfix open PATH` in a pty, once ``ready`` is on screen and the first paint is done
    (focus has landed); closed again if it never gets there."""
    app = ptyharness.PtyApp(ptyharness.hotfix_argv("open", str(path)), env, rows=rows, cols=cols)
    try:
        app.wait_for_text(ready, START_TIMEOUT)
        app.wait_quiet(0.3, START_TIMEOUT)
    except BaseException:
        app.close()
        raise
    return app


def wait_until(predicate, timeout: float, what: str) -> None:
    """Poll ``predicate`` until it holds; fail saying ``what`` after ``timeout`` seconds (a
    bound for a slow machine, never a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened within {timeout:g} s: {what}")
        time.sleep(0.05)
