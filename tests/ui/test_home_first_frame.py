"""The drafts list is read once before its first frame, and again on every return to it (issue 12)."""

from __future__ import annotations

from hotfix_tui.screens.home import HomeScreen
from hotfix_tui.store import DraftStore

from .helpers import example_at, make_app, until


async def test_the_drafts_list_is_read_once_when_the_app_starts(drafts_dir, example_path, monkeypatch):
    """'The drafts list parses every draft fully, twice (`HomeScreen.on_mount` and
    `on_screen_resume` both refresh; again on every esc back)': once at start, once per return."""
    example_at(drafts_dir, example_path, "backlog", "one", key="TERRAFORM-1")
    example_at(drafts_dir, example_path, "pr", "two", key="TERRAFORM-2")
    reads = []
    real = DraftStore.list

    def counting(self, *args, **kwargs):
        reads.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(DraftStore, "list", counting)
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and len(app.screen.infos) == 2,
                    "the drafts list")
        await pilot.pause()
        assert len(reads) == 1

        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, HomeScreen), "the draft opened")
        example_at(drafts_dir, example_path, "merge", "three", key="TERRAFORM-3")  # another writer meanwhile
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "back on the drafts list")
        await until(pilot, lambda: len(app.screen.infos) == 3, "the list read again on return")
        assert len(reads) == 2
