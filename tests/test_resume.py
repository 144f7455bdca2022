"""Autosave and resume through a real terminal: kill the app mid-typing, reopen the draft.

Pilot runs the app inside the test's own event loop, so it cannot be SIGKILLed or sent a
hangup; here `hotfix open DRAFT` runs as its own process in a pseudo-terminal (the
harness in benchmarks/ptyharness.py), text is typed as UTF-8 bytes, and the draft file
is read back with DraftStore after the process is gone.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from hotfix_tui.store import DraftStore

from .ptyapp import ECHO_TIMEOUT, EXIT_TIMEOUT, SAVE_TIMEOUT, new_draft, open_in_pty, pty_env, wait_until

SUMMARY_LABEL = "문제 요약"  # the Backlog screen's first field label (ko, the default language)


@pytest.fixture
def backlog_draft(tmp_path):
    """A draft made by `hotfix new`, moved to the Backlog phase, and the env to open it."""
    env, drafts = pty_env(tmp_path)
    return DraftStore(drafts), new_draft(env, drafts, "backlog"), env


def open_app(path, env):
    return open_in_pty(path, env, SUMMARY_LABEL)  # the first paint done; the summary Input has focus


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
        wait_until(lambda: summary_on_disk(store, path) == typed, SAVE_TIMEOUT,
                   f"autosave never persisted what was typed ({typed!r}) before the kill")
        app.signal(signal.SIGKILL)
        code = app.wait_exit(EXIT_TIMEOUT)
        assert code == -signal.SIGKILL, f"expected death by SIGKILL, got exit status {code}"
    finally:
        app.close()

    reopened = store.load(path).draft
    assert reopened.backlog.summary == typed, (
        f"after the kill the draft on disk held {reopened.backlog.summary!r}, not what was typed ({typed!r})")
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
        wait_until(lambda: summary_on_disk(store, path) == first, SAVE_TIMEOUT,
                   "autosave did not persist the first part")

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
