"""The post screen's timeline rows: add (backdated), edit, remove, mark as milestone (issue 9, item 8)."""

from __future__ import annotations

import os

from textual.widgets import Input, Label

from hotfix_tui.render import RenderContext, render
from hotfix_tui.store import DraftStore
from hotfix_tui.widgets.rows import TimelineEditor

from .helpers import FIXED_NOW, focus, make_app, settle
from .rowkeys import edit_row, fill_dialog, rows_text, to_row

BULLET = ("The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths) where the "
          "seed shows five milestones; downtime is free text, never computed.")


def _post_draft(drafts_dir, example_path):
    drafts_dir.mkdir(exist_ok=True)
    path = drafts_dir / "metallb.toml"
    path.write_text(example_path.read_text(encoding="utf-8"), encoding="utf-8")  # phase = "post"
    stamp = FIXED_NOW.timestamp()
    os.utime(path, (stamp, stamp))
    return path


def _editor(app) -> TimelineEditor:
    return app.screen.query_one("#timeline-rows", TimelineEditor)


async def test_rows_are_added_backdated_edited_marked_and_removed(drafts_dir, example_path):
    """The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths)
    where the seed shows five milestones; downtime is free text, never computed."""
    path = _post_draft(drafts_dir, example_path)
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "PostScreen"
        draft = app.loaded.draft
        editor = _editor(app)
        assert len(draft.timeline) == 5

        # b: a backdated row; the dialog asks for its time (14:40) and its text.
        await focus(pilot, "timeline-rows")
        await pilot.press("b")
        await settle(pilot)
        await fill_dialog(pilot, {"at": "14:40", "text": "DHCP 서버 로그 확인"})
        assert len(draft.timeline) == 6
        assert [e.at[11:16] for e in draft.timeline] == ["14:30", "14:40", "14:45", "15:00", "15:15", "15:30"]
        added = draft.timeline[1]
        assert added.text == "DHCP 서버 로그 확인" and added.at == "2025-10-19T14:40:00+09:00"
        assert added.source == "user"
        assert app.focused is editor and editor.row_index() == 1  # the cursor is on the new row, in its place

        # Only a marked row reaches the RCA; the detail log shows every row. m marks it.
        assert "DHCP 서버 로그 확인" not in render(draft, "rca", RenderContext())
        await pilot.press("m")
        await settle(pilot)
        assert added.milestone
        assert "- 14:30: 문제 최초 발견\n- 14:40: DHCP 서버 로그 확인\n- 14:45:" in render(draft, "rca", RenderContext())

        # A time takes only a time: refused with one message, the dialog keeps what was typed.
        await pilot.press("enter")
        await settle(pilot)
        await fill_dialog(pilot, {"at": "오후 2시"})
        error = app.screen.query_one("#row-error", Label)
        assert error.display and "오후 2시" in str(error.render())
        assert app.screen.query_one("#row-at", Input).value == "오후 2시"
        assert added.at == "2025-10-19T14:40:00+09:00"
        await fill_dialog(pilot, {"at": "2025-10-19 05:41 UTC"})  # = 14:41 KST
        assert added.at == "2025-10-19T05:41:00+00:00"
        assert app.focused is editor
        assert "2025-10-19 14:41" in rows_text(app, "timeline-rows")  # shown in the configured zone

        # Edit the text of a row; remove another (it has text: y/n first).
        await edit_row(pilot, "timeline-rows", 2, {"text": "원인 파악 (DHCP 범위와 IP 충돌)"})
        assert draft.timeline[2].text == "원인 파악 (DHCP 범위와 IP 충돌)"
        await to_row(pilot, "timeline-rows", 1)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [e.text for e in draft.timeline][:2] == ["문제 최초 발견", "원인 파악 (DHCP 범위와 IP 충돌)"]
        assert len(draft.timeline) == 5
        await pilot.press("ctrl+s")
        await settle(pilot)

    saved = DraftStore(drafts_dir).load(path).draft
    assert [e.text for e in saved.timeline] == [e.text for e in draft.timeline]
    assert all(e.milestone for e in saved.timeline)


async def test_downtime_field_shows_what_the_report_will_compute(drafts_dir, example_path):
    """The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths)
    where the seed shows five milestones; downtime is free text, never computed."""
    path = _post_draft(drafts_dir, example_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace('downtime = "약 1시간"', 'downtime = ""')
    text = text.replace('monitor_ended_at = ""', 'monitor_ended_at = "2025-10-19T15:30:00+09:00"')
    text = text.replace('outcome = ""', 'outcome = "stable"')
    path.write_text(text, encoding="utf-8")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        field = app.screen.query_one("#f-report--downtime", Input)
        assert field.value == "" and field.placeholder == "← 타임라인: 약 1시간"
        assert "- 다운타임: 약 1시간\n" in render(app.loaded.draft, "report", RenderContext())


async def test_opening_in_another_zone_keeps_the_stored_times(drafts_dir, example_path):
    """Typed text is sacred: showing `14:30+09:00` as 05:30 in a UTC session must not
    rewrite it as `05:30+00:00` (the RCA renders times in their stored offset)."""
    import dataclasses

    from hotfix_tui.config import Config, UiConfig

    path = _post_draft(drafts_dir, example_path)
    before = [e.at for e in DraftStore(drafts_dir).load(path).draft.timeline]
    app = make_app(drafts_dir, dataclasses.replace(Config(), ui=UiConfig(timezone="UTC")), draft_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "2025-10-19 05:30" in rows_text(app, "timeline-rows")  # shown in the session's zone
        # Opening the row's dialog and saving it as shown writes nothing back either.
        await to_row(pilot, "timeline-rows", 0)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#row-at", Input).value == "2025-10-19 05:30"
        await pilot.press("enter")
        await settle(pilot)
        assert [e.at for e in app.loaded.draft.timeline][-5:] == before[-5:]
        app.save_now()
    assert [e.at for e in DraftStore(drafts_dir).load(path).draft.timeline][-5:] == before[-5:]
