"""What the engineer sees, kept from regressing: every phase at 80x24, one at 120x40 and 200x50.

The drafts hold the seed's MetalLB case, so every field shows Korean text.
"""

from __future__ import annotations


import pytest

from hotfix_tui.model import PHASES

from .helpers import example_at, make_app, picture


@pytest.mark.parametrize("phase", PHASES)
def test_phase_screen_80x24(snap_compare, drafts_dir, example_path, phase):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, phase))
    assert picture(snap_compare, app)


def test_backlog_preview_pane_80x24(snap_compare, drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "backlog"))

    assert picture(snap_compare, app, "f2")


def test_backlog_120x40(snap_compare, drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "backlog"))
    assert picture(snap_compare, app, size=(120, 40))


def test_pr_200x50_all_panes(snap_compare, drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "pr"))
    assert picture(snap_compare, app, size=(200, 50))


def test_home_80x24(snap_compare, drafts_dir, example_path):
    example_at(drafts_dir, example_path, "pr")
    app = make_app(drafts_dir)
    assert picture(snap_compare, app)
