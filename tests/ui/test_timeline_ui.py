"""The post screen's timeline rows: add (backdated), edit, remove, mark as milestone (issue 9, item 8)."""

from __future__ import annotations

import os

from textual.widgets import Input, Label

from hotfix_tui.render import RenderContext, render
from hotfix_tui.store import DraftStore
from hotfix_tui.widgets.rows import TimelineEditor

from .helpers import FIXED_NOW, make_app, type_text

BULLET = ("The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths) where the "
          "seed shows five milestones; downtime is free text, never computed.")


def _post_draft(drafts_dir, example_path):
    drafts_dir.mkdir(exist_ok=True)
    path = drafts_dir / "metallb.toml"
    path.write_text(example_path.read_text(encoding="utf-8"), encoding="utf-8")  # phase = "post"
    stamp = FIXED_NOW.timestamp()
    os.utime(path, (stamp, stamp))
    return path


def _cell(app, index: int, attr: str):
    editor = app.screen.query_one("#timeline-rows", TimelineEditor)
    for widget in editor.query("Input, Checkbox"):
        if getattr(widget, "row_index", -1) == index and getattr(widget, "row_attr", "") == attr:
            return widget
    raise AssertionError(f"no {attr} cell in row {index}")


async def _retype(pilot, widget, text: str) -> None:
    widget.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)
    await pilot.pause()


async def test_rows_are_added_backdated_edited_marked_and_removed(drafts_dir, example_path):
    """The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths)
    where the seed shows five milestones; downtime is free text, never computed."""
    path = _post_draft(drafts_dir, example_path)
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "PostScreen"
        draft = app.loaded.draft
        editor = app.screen.query_one("#timeline-rows", TimelineEditor)
        assert len(draft.timeline) == 5

        # Add a row: it starts at now (14:52) with the cursor on its time; backdate it to 14:40.
        add = editor.query_one("#timeline-rows-add")
        add.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert len(draft.timeline) == 6 and draft.timeline[5].at == "2025-10-19T14:52:00+09:00"
        added = draft.timeline[5]
        assert app.focused is _cell(app, 5, "at")
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "14:40")
        await pilot.press("enter")  # leaving the time cell puts the row in its place
        await pilot.pause()
        assert [e.at[11:16] for e in draft.timeline] == ["14:30", "14:40", "14:45", "15:00", "15:15", "15:30"]
        assert draft.timeline[1] is added and added.at == "2025-10-19T14:40:00+09:00"
        assert app.focused is _cell(app, 1, "at")  # the cursor moved with its row
        await _retype(pilot, _cell(app, 1, "text"), "DHCP 서버 로그 확인")
        assert added.text == "DHCP 서버 로그 확인"
        moved = added

        # Only a marked row reaches the RCA; the detail log shows every row.
        assert "DHCP 서버 로그 확인" not in render(draft, "rca", RenderContext())
        tick = _cell(app, 1, "milestone")
        tick.focus()
        await pilot.press("space")
        await pilot.pause()
        assert moved.milestone
        assert "- 14:30: 문제 최초 발견\n- 14:40: DHCP 서버 로그 확인\n- 14:45:" in render(draft, "rca", RenderContext())

        # A time cell takes only a time: refused with a message, nothing stored.
        await _retype(pilot, _cell(app, 1, "at"), "오후 2시")
        error = editor.query_one("#timeline-rows-error", Label)
        assert error.display and "오후 2시" in str(error.render())
        assert moved.at == "2025-10-19T14:40:00+09:00"
        await _retype(pilot, _cell(app, 1, "at"), "2025-10-19 05:41 UTC")  # = 14:41 KST
        assert not error.display
        assert moved.at == "2025-10-19T05:41:00+00:00"
        await pilot.press("enter")
        await pilot.pause()
        assert _cell(app, 1, "at").value == "2025-10-19 14:41"  # shown in the configured zone

        # Edit the text of a row; remove another.
        await _retype(pilot, _cell(app, 2, "text"), "원인 파악 (DHCP 범위와 IP 충돌)")
        assert draft.timeline[2].text == "원인 파악 (DHCP 범위와 IP 충돌)"
        remove = next(b for b in editor.query("Button.remove-row") if getattr(b, "row_index", -1) == 1)
        remove.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert [e.text for e in draft.timeline][:2] == ["문제 최초 발견", "원인 파악 (DHCP 범위와 IP 충돌)"]
        assert len(draft.timeline) == 5
        await pilot.press("ctrl+s")
        await pilot.pause()

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
        await pilot.pause(0.4)
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
        await pilot.pause(0.5)
        assert _cell(app, 0, "at").value == "2025-10-19 05:30"  # shown in the session's zone
        assert [e.at for e in app.loaded.draft.timeline][-5:] == before[-5:]
        app.save_now()
    assert [e.at for e in DraftStore(drafts_dir).load(path).draft.timeline][-5:] == before[-5:]
