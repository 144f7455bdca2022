"""The first frame of an opened draft is the whole screen (issue 12, "first usable frame").

Textual mounts an app inside a batch that holds back output; a frame drawn then is dropped
while what it drew counts as sent. Opening a draft, the first frame of it reached the
terminal without the stepper, the pane tabs and the status line (rows 2, 3 and 23 at
80x24), which came frames later, after the whole form was built. Checked in a real pty that
answers the synchronized-output query, so each frame arrives bracketed and the first can be
told apart.
"""

from __future__ import annotations

import re
from pathlib import Path

from .ptyapp import START_TIMEOUT, ptyharness, pty_env

FRAME_START = b"\x1b[?2026h"


def _rows(frame: bytes) -> set[int]:
    """The terminal rows a frame writes to (each row starts with a cursor move)."""
    return {int(row) for row in re.findall(rb"\x1b\[(\d+);\d+H", frame)}


def test_the_first_frame_of_an_opened_draft_draws_every_row(tmp_path):
    env, drafts = pty_env(tmp_path)
    example = Path(__file__).resolve().parent.parent / "examples" / "metallb.toml"
    drafts.mkdir(parents=True)
    path = drafts / "metallb.toml"
    path.write_bytes(example.read_bytes())
    app = ptyharness.PtyApp(ptyharness.hotfix_argv("open", str(path)), env, rows=24, cols=80, sync_output=True)
    with app:
        app.wait_for_text("사후 처리", START_TIMEOUT)
        app.wait_quiet(0.3, START_TIMEOUT)
        # Frames are bracketed once the terminal's answer to the synchronized-output query
        # is in; what comes before the first bracket is a frame too.
        frames = bytes(app.buffer).split(FRAME_START)
    drawn = [frame for frame in frames if _rows(frame)]  # (not the terminal's set-up)
    assert drawn
    first = drawn[0]
    assert _rows(first) == set(range(1, 25)), sorted(_rows(first))
    text = ptyharness.strip_ansi(first)
    assert "사후 처리" in text  # the stepper
    assert "체크리스트" in text  # the pane tabs
