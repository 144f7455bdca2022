"""Typeahead through a real terminal: keys read in one burst with Tab, shift+Tab, Enter,
ctrl+n or ctrl+p go to the field focused after that key (issue 10, item 2).

A laggy SSH link delivers what was typed in one read. Here `hotfix open DRAFT` runs in a
pseudo-terminal at 80x24 (benchmarks/ptyharness.py), each burst is ONE os.write, the app
is quit with ctrl+q (it saves), and the draft's TOML file is read back from disk.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from .ptyapp import ECHO_TIMEOUT, EXIT_TIMEOUT, new_draft, open_in_pty, pty_env

TAB, SHIFT_TAB, ENTER = "\t", "\x1b[Z", "\r"
CTRL_N, CTRL_P, CTRL_Q, CTRL_T = "\x0e", "\x10", "\x11", "\x14"


@pytest.fixture
def make_draft(tmp_path):
    """make_draft(phase) -> (path, env): a draft made by `hotfix new` whose Backlog has a
    summary and a priority (so focus lands on "problem", the first empty required field)."""
    env, drafts = pty_env(tmp_path)

    def make(phase: str):
        return new_draft(env, drafts, phase, "MetalLB IP 할당 실패", backlog__priority="Critical"), env

    return make


def start(path: Path, env: dict, ready: str):
    return open_in_pty(path, env, ready)  # the first paint done; focus has landed


def burst(app, data: str, shows: str) -> None:
    """Write ``data`` in ONE write; wait until the screen shows ``shows`` (its last key handled)."""
    mark = app.size()
    app.write(data)
    app.wait_for_text(shows, ECHO_TIMEOUT, start=mark)


def quit_and_read(app, path: Path) -> dict:
    """ctrl+q (saves, exits 0); the draft as the TOML file on disk has it."""
    try:
        app.write(CTRL_Q)
        code = app.wait_exit(EXIT_TIMEOUT)
    finally:
        app.close()
    assert code == 0, f"ctrl+q exited {code}; last output: {app.tail()!r}"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_keys_in_the_same_read_as_tab_go_to_the_next_field(make_draft):
    """Keys sent in the same burst as Tab landed in the previous field (`alphabeta` ended up
    in Labels) — reproduced twice."""
    path, env = make_draft("backlog")
    app = start(path, env, "문제 상황")
    burst(app, TAB + "alphabeta 알파베타", "알파베타")  # problem → since
    burst(app, SHIFT_TAB + SHIFT_TAB + "gamma 감마", "감마")  # since → problem → components
    draft = quit_and_read(app, path)
    backlog = draft["backlog"]
    assert backlog.get("since") == "alphabeta 알파베타", backlog
    assert backlog.get("components") == ["gamma 감마"], backlog
    assert not backlog.get("problem"), f"keys typed with Tab went to the previous field: {backlog}"


def test_keys_after_enter_and_ctrl_n_go_to_the_new_phase(make_draft):
    """ctrl+n asks why (the gate): the reason goes into its prompt; Enter answers it and the
    next phase opens; the rest of the same read goes to that phase's first empty field."""
    path, env = make_draft("backlog")
    app = start(path, env, "문제 상황")
    burst(app, CTRL_N + "on the call" + ENTER + "metallb-pool", "metallb-pool")
    draft = quit_and_read(app, path)
    assert draft["phase"] == "branch"
    assert [o["reason"] for o in draft.get("overrides", [])] == ["on the call"], draft.get("overrides")
    assert draft["branch"].get("slug") == "metallb-pool", draft["branch"]
    assert not draft["backlog"].get("problem"), draft["backlog"]


def test_keys_after_a_dialog_closes_and_after_ctrl_p(make_draft):
    """Enter closes the note dialog: the rest of the read goes to the form; ctrl+p opens the
    previous phase: the rest goes to its first empty required field."""
    path, env = make_draft("branch")
    app = start(path, env, "slug")
    burst(app, CTRL_P + "IP 풀 소진", "IP 풀 소진")  # Backlog: "problem" is the first empty required field
    app.write(CTRL_T)
    app.wait_for_text("타임라인에 남길 메모", ECHO_TIMEOUT)
    burst(app, "메모" + ENTER + " (/28)", "(/28)")
    draft = quit_and_read(app, path)
    assert draft["phase"] == "backlog"
    assert draft["backlog"].get("problem") == "IP 풀 소진 (/28)", draft["backlog"]
    assert not draft["branch"].get("slug"), draft["branch"]
    assert any(event.get("text") == "메모" for event in draft.get("timeline", [])), draft.get("timeline")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


def test_an_editing_key_in_a_burst_acts_where_it_was_typed(make_draft):
    """A backspace (a binding, resolved once the key has bubbled back to the app) typed in one
    read with letters after it acts before them: "alphx⌫a" saves "alpha", not "alphx" minus its x."""
    path, env = make_draft("backlog")
    app = start(path, env, "문제 상황")
    burst(app, TAB + "alphx\x7fa 알", "알")  # problem → since
    burst(app, "\x7f\x7f" + "!", "alpha!")
    draft = quit_and_read(app, path)
    assert draft["backlog"].get("since") == "alpha!", draft["backlog"]
