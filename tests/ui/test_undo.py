"""Undo in the wizard: ctrl+z / ctrl+y in every text field, alt+z (and the palette) for the
draft's last change, through the keys a user presses (issue 10, item 3)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, TextArea

from hotfix_tui.i18n import tr
from hotfix_tui.model import Draft
from hotfix_tui.store import DraftStore

from .helpers import choose, focus, make_app, settle, type_text, until

TITLE = "MetalLB LoadBalancer IP 할당 실패"


def draft_at(drafts: Path, phase: str) -> Path:
    draft = Draft(id="undo")
    draft.phase = phase
    draft.add_event(tr("event.discovered", "ko"), source="auto", at="2025-10-19T14:30:00+09:00", milestone=True)
    draft.backlog.summary = TITLE
    draft.backlog.labels = ["hotfix"]
    return DraftStore(drafts).create(draft).path


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def saved(pilot, path: Path) -> Draft:
    """What the autosave wrote (its tick, run now, and its writer thread waited for)."""
    app = pilot.app
    app._autosave()
    await until(pilot, lambda: not app.saving, "the autosave's write")
    await settle(pilot)
    return DraftStore(path.parent).load(path).draft


def summary(app) -> Input:
    return app.screen.query_one("#f-backlog--summary", Input)


async def replace_title(pilot, typed: str) -> None:
    """The report's mistake, once the draft is open: the whole title selected (however it
    came to be selected), then ``typed`` typed over it."""
    await settle(pilot)
    await focus(pilot, "f-backlog--summary")
    summary(pilot.app).select_all()
    await type_text(pilot, typed)


async def test_a_replaced_title_comes_back_with_ctrl_z_in_the_field_and_in_the_saved_draft(drafts_dir):
    """Opening list: "the first key typed replaced the whole title, autosaved half a second
    later; ctrl+z did not bring it back" (the undo part: ctrl+z in the field)."""
    path = draft_at(drafts_dir, "backlog")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await replace_title(pilot, "x")
        assert summary(app).value == "x"
        assert (await saved(pilot, path)).backlog.summary == "x"  # the mistake was autosaved
        await pilot.press("ctrl+z")
        assert summary(app).value == TITLE
        assert app.loaded.draft.backlog.summary == TITLE
        assert (await saved(pilot, path)).backlog.summary == TITLE
        await pilot.press("ctrl+y")  # and the mistake can be redone
        assert summary(app).value == "x" and app.loaded.draft.backlog.summary == "x"


async def test_a_replaced_title_comes_back_with_alt_z_after_moving_on(drafts_dir):
    """Opening list: "the first key typed replaced the whole title, autosaved half a second
    later; ctrl+z did not bring it back" (the undo part: alt+z, the draft-level undo, from
    another field)."""
    path = draft_at(drafts_dir, "backlog")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await replace_title(pilot, "xyz")
        await focus(pilot, "f-backlog--components")  # moved on to another field
        assert (await saved(pilot, path)).backlog.summary == "xyz"
        await pilot.press("alt+z")
        await settle(pilot)
        assert app.loaded.draft.backlog.summary == TITLE
        assert summary(app).value == TITLE  # on screen too
        assert app.focused.id == "f-backlog--components" and app.focused.value == ""  # no "z" typed
        assert any(m.startswith("되돌림: 문제 요약 ← MetalLB") for m in messages(app)), messages(app)
        assert (await saved(pilot, path)).backlog.summary == TITLE
        await focus(pilot, "f-backlog--summary")
        await pilot.press("ctrl+z")  # the field's own undo takes the restore back
        assert summary(app).value == "xyz"


async def test_alt_z_walks_back_one_field_burst_at_a_time(drafts_dir):
    path = draft_at(drafts_dir, "backlog")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        draft = app.loaded.draft
        await focus(pilot, "f-backlog--summary")
        await pilot.press("end")
        await type_text(pilot, " (ingress)")
        await focus(pilot, "f-backlog--labels")
        await pilot.press("end")
        await type_text(pilot, ", ingress-nginx")
        await focus(pilot, "f-backlog--problem")
        await type_text(pilot, "pool exhausted\nsecond line")
        assert draft.backlog.labels == ["hotfix", "ingress-nginx"]
        assert draft.backlog.problem == "pool exhausted\nsecond line"
        await pilot.press("alt+z")  # the whole burst in the text area, not its last key
        await settle(pilot)
        assert draft.backlog.problem == ""
        assert app.screen.query_one("#f-backlog--problem", TextArea).text == ""
        await pilot.press("alt+z")
        await settle(pilot)
        assert draft.backlog.labels == ["hotfix"]
        assert app.screen.query_one("#f-backlog--labels", Input).value == "hotfix"
        await pilot.press("alt+z")
        await settle(pilot)
        assert draft.backlog.summary == TITLE
        await pilot.press("alt+z")
        await settle(pilot)
        assert messages(app)[-1] == "되돌릴 변경이 없습니다"


async def test_ctrl_z_and_ctrl_y_work_in_text_and_list_areas(drafts_dir):
    """Textual's TextArea keeps its own history: no binding of the app or the screen shadows it."""
    path = draft_at(drafts_dir, "backlog")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        draft = app.loaded.draft
        for field_id, path_value in (("f-backlog--problem", lambda: draft.backlog.problem),
                                     ("f-backlog--impact", lambda: draft.backlog.impact)):
            area = app.screen.query_one(f"#{field_id}", TextArea)
            before = area.text
            await focus(pilot, field_id)
            await pilot.press("end")
            await type_text(pilot, "typed")
            assert area.text != before
            await pilot.press("ctrl+z")
            assert area.text == before
            await pilot.press("ctrl+y")
            assert area.text.endswith("typed")
            assert "typed" in str(path_value())


async def test_alt_z_restores_a_select_and_a_tick(drafts_dir):
    path = draft_at(drafts_dir, "triage")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        draft = app.loaded.draft
        await choose(pilot, "f-triage--change_kind", 1)
        await settle(pilot)
        chosen = draft.triage.change_kind
        assert chosen
        await focus(pilot, "f-triage--urgent")
        await pilot.press("space")
        assert draft.triage.urgent is True
        await pilot.press("alt+z")
        await settle(pilot)
        assert draft.triage.urgent is False
        assert app.screen.query_one("#f-triage--urgent").value is False
        assert messages(app)[-1] == "되돌림: 즉시 수정이 필요함 (긴급성) ← 체크 안 함"
        await pilot.press("alt+z")
        await settle(pilot)
        assert draft.triage.change_kind == ""
        assert app.screen.query_one("#f-triage--change_kind", Select).value is Select.NULL


async def test_alt_z_restores_a_row_cell(drafts_dir):
    """A PR test item's note edited in its row dialog comes back with alt+z, in the draft and
    in the list as shown."""
    from .rowkeys import edit_row, rows_text

    path = draft_at(drafts_dir, "pr")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        draft = app.loaded.draft
        first = draft.pr.tests[0]
        before = first.note
        await edit_row(pilot, "pr-tests", 0, {"note": before + "checked on staging"})
        assert first.note == before + "checked on staging"
        assert "checked on staging" in rows_text(app, "pr-tests")
        await focus(pilot, "f-pr--impact")
        await pilot.press("alt+z")
        await settle(pilot)
        assert first.note == before
        assert "checked on staging" not in rows_text(app, "pr-tests")


async def test_alt_z_restores_a_field_of_another_phase_and_says_which(drafts_dir):
    path = draft_at(drafts_dir, "backlog")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await replace_title(pilot, "x")
        await pilot.press("ctrl+p")  # back to triage: no gate on the way back
        await settle(pilot)
        assert app.loaded.draft.phase == "triage"
        await pilot.press("alt+z")
        await settle(pilot)
        assert app.loaded.draft.backlog.summary == TITLE
        assert messages(app)[-1] == f"되돌림 (백로그): 문제 요약 ← {TITLE}"
        await pilot.press("ctrl+n")
        await settle(pilot)
        if app.loaded.draft.phase != "backlog":  # triage's gate asks why: give a reason
            from .helpers import give_reason

            await give_reason(pilot, "undo test")
        assert summary(app).value == TITLE


async def test_the_palette_lists_undo_in_korean_and_english(drafts_dir):
    path = draft_at(drafts_dir, "backlog")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await replace_title(pilot, "x")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "되돌리기 · Undo last change" in titles
        await pilot.press("ctrl+g")
        await settle(pilot)
        await type_text(pilot, "undo last")
        from textual.command import CommandList

        def listed() -> bool:  # the palette searches in a worker: wait for its list
            found = app.screen.query(CommandList)
            return bool(found) and found.first().option_count > 0 and \
                "undo last change" in str(found.first().get_option_at_index(0).prompt).lower()

        await until(pilot, listed, "the palette lists undo last change")
        assert listed()
        if app.screen.query_one(CommandList).highlighted is None:
            await pilot.press("down")
        assert app.screen.query_one(CommandList).highlighted == 0
        await pilot.press("enter")
        await settle(pilot)
        assert app.loaded.draft.backlog.summary == TITLE
        assert summary(app).value == TITLE


async def test_alt_z_in_a_dialog_neither_types_nor_restores_underneath(drafts_dir):
    path = draft_at(drafts_dir, "backlog")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await replace_title(pilot, "x")
        await pilot.press("ctrl+t")  # the timeline note dialog
        await settle(pilot)
        dialog = app.screen
        await pilot.press("alt+z")
        await settle(pilot)
        assert app.screen is dialog and dialog.query_one(Input).value == ""
        assert app.loaded.draft.backlog.summary == "x"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("alt+z")
        await settle(pilot)
        assert app.loaded.draft.backlog.summary == TITLE


async def test_ctrl_z_in_a_text_area_takes_back_a_word_at_a_time(drafts_dir):
    path = draft_at(drafts_dir, "backlog")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await focus(pilot, "f-backlog--problem")
        area = app.screen.query_one("#f-backlog--problem", TextArea)
        await type_text(pilot, "speaker pod restarted")
        await pilot.press("ctrl+z")
        assert area.text == "speaker pod "
        await pilot.press("ctrl+z")
        assert area.text == "speaker "
        await pilot.press("ctrl+y")
        assert area.text == "speaker pod "
        assert app.loaded.draft.backlog.problem == "speaker pod "


async def test_the_discovered_time_on_triage_has_ctrl_z_and_alt_z(drafts_dir):
    path = draft_at(drafts_dir, "triage")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        draft = app.loaded.draft
        field = app.screen.query_one("#discovered", Input)
        shown, stored = field.value, draft.timeline[0].at
        await focus(pilot, "discovered")
        await pilot.press("end", *["backspace"] * 5)  # "HH:MM" gone: not a time, nothing stored
        await type_text(pilot, "09:05")
        assert draft.timeline[0].at != stored
        await pilot.press("ctrl+z")
        await pilot.press("ctrl+z")
        assert field.value == shown and draft.timeline[0].at == stored
        await pilot.press("ctrl+y", "ctrl+y")
        assert field.value.endswith("09:05")
        await focus(pilot, "f-triage--severity")
        await pilot.press("alt+z")
        await settle(pilot)
        assert draft.timeline[0].at == stored and field.value == shown
