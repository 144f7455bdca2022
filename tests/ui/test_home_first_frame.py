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


async def test_a_long_list_shows_every_draft_in_order_and_keeps_the_cursor(drafts_dir, example_path):
    """'drafts list usable frame over 1,000 drafts': the first screenful goes in before the
    first frame, the rest right after; every draft is listed, in order, and a cursor further
    down than the first screenful stays where it was when the list is read again."""
    from hotfix_tui.screens.home import FIRST_ROWS

    count = FIRST_ROWS + 7
    for i in range(count):
        example_at(drafts_dir, example_path, "pr", f"d{i:03}", key=f"TERRAFORM-{100 + i}", age_seconds=i)
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "the drafts list")
        table = app.screen.query_one("DataTable")
        await until(pilot, lambda: table.row_count == count, "every draft listed")
        assert [row.key.value for row in table.ordered_rows] == [str(info.path) for info in app.screen.infos]
        table.move_cursor(row=FIRST_ROWS + 3)
        await pilot.press("r")
        await until(pilot, lambda: table.row_count == count, "every draft listed again")
        assert table.cursor_row == FIRST_ROWS + 3
