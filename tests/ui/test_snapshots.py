"""What the engineer sees, kept from regressing: every phase at 80x24, one at 120x40 and 200x50.

The drafts hold the seed's MetalLB case, so every field shows Korean text.
"""

from __future__ import annotations


import pytest

from hotfix_tui.model import PHASES

from .helpers import example_at, make_app


async def _settle(pilot):
    await pilot.pause(0.3)  # past the preview debounce
    # A blinking cursor would make the picture depend on timing.
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("phase", PHASES)
def test_phase_screen_80x24(snap_compare, drafts_dir, example_path, phase):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, phase))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)


def test_backlog_preview_pane_80x24(snap_compare, drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "backlog"))

    async def show_preview(pilot):
        await _settle(pilot)
        await pilot.press("f2")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=show_preview)


def test_backlog_120x40(snap_compare, drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "backlog"))
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settle)


def test_pr_200x50_all_panes(snap_compare, drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "pr"))
    assert snap_compare(app, terminal_size=(200, 50), run_before=_settle)


def test_home_80x24(snap_compare, drafts_dir, example_path):
    example_at(drafts_dir, example_path, "pr")
    app = make_app(drafts_dir)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)
