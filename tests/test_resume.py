"""Autosave and resume through a real terminal: kill the app mid-typing, reopen the draft.

Pilot runs the app inside the test's own event loop, so it cannot be SIGKILLed or sent a
hangup; here `hotfix open DRAFT` runs as its own process in a pseudo-terminal (the
harness in benchmarks/ptyharness.py), text is typed as UTF-8 bytes, and the draft file
is read back with DraftStore after the process is gone.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hotfix_tui.app import AUTOSAVE_SECONDS
from hotfix_tui.store import DraftStore

_HARNESS = Path(__file__).resolve().parent.parent / "benchmarks" / "ptyharness.py"
_spec = importlib.util.spec_from_file_location("hotfix_benchmarks_ptyharness", _HARNESS)
ptyharness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ptyharness)

SUMMARY_LABEL = "문제 요약"  # the Backlog screen's first field label (ko, the default language)
START_TIMEOUT = 30.0  # a cold start on a loaded 2-core CI machine
ECHO_TIMEOUT = 20.0  # generous: other test suites may share the 2 cores
EXIT_TIMEOUT = 20.0
SETTLE = 3 * AUTOSAVE_SECONDS  # longer than the autosave interval, with room for the save itself


@pytest.fixture
def backlog_draft(tmp_path):
    """A draft made by `hotfix new`, moved to the Backlog phase, and the env to open it."""
    home = tmp_path / "pty-home"
    drafts = tmp_path / "pty-drafts"
    env = ptyharness.base_env(home, HOTFIX_TUI_DRAFTS=str(drafts))
    made = subprocess.run(ptyharness.hotfix_argv("new", "--summary", ""), env=env,
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, f"hotfix new failed: {made.stderr}"
    path = Path(made.stdout.strip())
    store = DraftStore(drafts)
    loaded = store.load(path)
    loaded.draft.phase = "backlog"
    store.save(loaded)
    return store, path, env


def open_app(path: Path, env: dict) -> "ptyharness.PtyApp":
    app = ptyharness.PtyApp(ptyharness.hotfix_argv("open", str(path)), env, rows=24, cols=80)
    try:
        app.wait_for_text(SUMMARY_LABEL, START_TIMEOUT)
        app.wait_quiet(0.3, START_TIMEOUT)  # the first paint is done; the summary Input has focus
    except BaseException:
        app.close()
        raise
    return app


def type_and_see(app, text: str, value: str) -> None:
    """Type ``text`` a character at a time; wait until the field shows ``value``'s end."""
    start = app.size()
    app.type_text(text, delay=0.02)
    # The Input repaints its whole value on each key, so its last characters, typed
    # last, appear together only once every key has been handled.
    app.wait_for_text(value[-8:], ECHO_TIMEOUT, start=start)


def summary_on_disk(store: DraftStore, path: Path) -> str:
    return store.load(path).draft.backlog.summary


def test_sigkill_after_autosave_keeps_typing(backlog_draft):
    store, path, env = backlog_draft
    typed = "MetalLB IP 할당 실패 긴급"
    app = open_app(path, env)
    try:
        type_and_see(app, typed, typed)
        time.sleep(SETTLE)  # bounded: three autosave intervals after the last echo
        app.signal(signal.SIGKILL)
        code = app.wait_exit(EXIT_TIMEOUT)
        assert code == -signal.SIGKILL, f"expected death by SIGKILL, got exit status {code}"
    finally:
        app.close()

    reopened = store.load(path).draft
    assert reopened.backlog.summary == typed, (
        f"{SETTLE}s after the last keystroke the draft on disk held {reopened.backlog.summary!r}, "
        f"not what was typed ({typed!r}): autosave did not persist it before the kill")
    assert reopened.phase == "backlog"
    assert not list(path.parent.glob(f".{path.name}.*.tmp")), "a half-written temp file was left behind"

    # Reopening in the app returns to the same phase with the text in the field.
    again = open_app(path, env)
    try:
        again.wait_for_text(typed[-8:], ECHO_TIMEOUT)
    finally:
        again.close()


def test_sighup_saves_what_was_just_typed(backlog_draft):
    store, path, env = backlog_draft
    first = "metallb 장애 "
    app = open_app(path, env)
    try:
        type_and_see(app, first, first)
        time.sleep(SETTLE)
        assert summary_on_disk(store, path) == first, "autosave did not persist the first part"

        # Type more and hang up at once, before autosave can run. If an autosave tick
        # happens to land between the echo and the check, type again: the proof needs a
        # draft on disk that lacks the last words when the signal is sent.
        typed = first
        for more in ["IP 할당 실패", " 긴급", " 재시도", " 끝", " 마지막"]:
            typed += more
            type_and_see(app, more, typed)
            if summary_on_disk(store, path) != typed:
                app.signal(signal.SIGHUP)
                break
        else:
            pytest.fail("every attempt was autosaved before SIGHUP could be sent; cannot prove the handler saves")
        code = app.wait_exit(EXIT_TIMEOUT)
    finally:
        app.close()

    assert code >= 0, f"the app died of signal {-code} instead of handling SIGHUP (save, then exit)"
    assert summary_on_disk(store, path) == typed, (
        f"after SIGHUP the draft holds {summary_on_disk(store, path)!r}, typed {typed!r}")
    assert store.load(path).draft.phase == "backlog"


def test_closing_the_terminal_saves(backlog_draft):
    """A dropped SSH session closes the pty: the kernel hangs up the app's session."""
    store, path, env = backlog_draft
    typed = "터미널 끊김 test"
    app = open_app(path, env)
    try:
        type_and_see(app, typed, typed)
        app.hangup()  # the terminal goes away; the kernel sends the session SIGHUP
        code = app.wait_exit(EXIT_TIMEOUT)
    finally:
        app.close()
    assert code >= 0, f"the app died of signal {-code} instead of saving on hangup"
    on_disk = summary_on_disk(store, path)
    assert on_disk == typed, f"after the terminal closed the draft holds {on_disk!r}, typed {typed!r}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
