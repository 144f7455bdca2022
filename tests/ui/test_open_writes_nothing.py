"""Opening a draft writes nothing unless the user or a step changed it (issue 12, item 5)."""

from __future__ import annotations

import pytest

from hotfix_tui.model import PHASES

from .helpers import example_at, make_app, settle, until

# The autosave interval never runs out in these tests: each tick is run by hand, so
# "several ticks wrote nothing" is counted, not slept through.
NEVER = 3600.0


async def autosave_ticks(pilot, count: int) -> None:
    """Run ``count`` autosave ticks by hand, each to its end (a write is a thread)."""
    app = pilot.app
    for _ in range(count):
        app._autosave()
        await until(pilot, lambda: not app.saving, "the autosave ends")


@pytest.mark.parametrize("phase", PHASES)
async def test_opening_the_example_at_each_phase_leaves_the_file_alone(drafts_dir, example_path, phase):
    """'Opening a draft writes auto-ticks into the file (opening examples/metallb.toml changes it)'."""
    path = example_at(drafts_dir, example_path, phase)
    before = path.read_bytes()
    app = make_app(drafts_dir, draft_path=path, autosave_seconds=NEVER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the derived views (auto-ticks) have refreshed
        await autosave_ticks(pilot, 6)
        assert app.loaded is not None and app.loaded.draft.phase == phase
        assert not app.dirty
    assert path.read_bytes() == before


async def test_an_edit_after_opening_saves_the_auto_ticks_too(drafts_dir, example_path):
    path = example_at(drafts_dir, example_path, "backlog")
    app = make_app(drafts_dir, draft_path=path, autosave_seconds=NEVER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.loaded.draft.checklist["problem_understood"].checked  # derived, in memory
        app.screen.query_one("#f-backlog--summary").value = "MetalLB IP 풀 충돌 (수정)"
        await settle(pilot)
        await autosave_ticks(pilot, 1)
        saved = path.read_text(encoding="utf-8")  # written by the tick, before the app closes
    assert "MetalLB IP 풀 충돌 (수정)" in saved
    assert "[checklist.problem_understood]" in saved
