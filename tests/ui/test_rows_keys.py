"""Lists and tables that are edited, not tabbed through (issue 10, item 4).

§5.1 verify items, §6.2 PR tests and §8.2 follow-ups are row lists, each ONE Tab stop:
up/down move, space ticks, enter edits the row in a small dialog, a adds, delete removes
(y/n first when the row has text). The timeline is a table with a/b/enter/m/delete, kept
in time order; a time takes only a time. The §10 checklist pane has f3, up/down, space
and esc. Every key shows in the footer while its list has focus.
"""

from __future__ import annotations


from textual.widgets import Input, Label, Select

from hotfix_tui.i18n import tr
from hotfix_tui.model import Draft
from hotfix_tui.render import RenderContext, render
from hotfix_tui.screens.modals import ConfirmScreen, PromptScreen
from hotfix_tui.store import DraftStore
from hotfix_tui.widgets.checklist_panel import ChecklistPanel

from .helpers import example_at, focus, make_app, on_top, picture, settle, type_text
from .rowkeys import fill_dialog, rows_text, to_row

ITEM = "다른 기능에 영향을 주지 않는가?"


def _new_draft(drafts_dir, phase: str):
    return DraftStore(drafts_dir).create(Draft(id="rows", phase=phase)).path


async def _tab_stops(pilot) -> list[str]:
    """Every widget Tab lands on, once round the screen."""
    app = pilot.app
    first = app.focused
    stops = []
    for _ in range(200):
        await pilot.press("tab")
        focused = app.focused
        stops.append(f"{type(focused).__name__}#{focused.id}")
        if focused is first:
            return stops
    raise AssertionError("Tab never came round")


def _footer_keys(app) -> dict[str, str]:
    return {key: b.binding.description for key, b in app.screen.active_bindings.items() if b.binding.show}


# -- §5.1 / §6.2 test items ---------------------------------------------------------------------


async def test_space_ticks_a_verify_item_and_never_touches_its_text(drafts_dir):
    """Each §5.1 / PR test item's label is an editable field in the Tab order: Space to tick it
    erased "다른 기능에 영향을 주지 않는가?"."""
    app = make_app(drafts_dir, draft_path=_new_draft(drafts_dir, "verify"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        items = app.loaded.draft.verify.items
        index = [i.text for i in items].index(ITEM)
        stops = await _tab_stops(pilot)
        assert stops.count("CheckRows#verify-items") == 1
        assert not any("verify-items-" in stop for stop in stops)  # no cell of a row is a Tab stop

        await to_row(pilot, "verify-items", index)
        await pilot.press("space")
        await settle(pilot)
        assert items[index].checked and items[index].text == ITEM
        await type_text(pilot, "xyz한글")  # letters on the list are not text in a row
        await pilot.press("space", "backspace")
        await settle(pilot)
        assert not items[index].checked and items[index].text == ITEM
        assert [i.text for i in items].count(ITEM) == 1

        # Enter edits the row's text and note in a dialog; the tick stays as it was.
        await pilot.press("space")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "RowDialog"
        assert app.screen.query_one("#row-text", Input).value == ITEM
        await fill_dialog(pilot, {"note": "ingress-nginx만 영향"})
        assert items[index].checked and items[index].text == ITEM and items[index].note == "ingress-nginx만 영향"
        assert f"[x] {ITEM} (ingress-nginx만 영향)" in rows_text(app, "verify-items")
        assert _footer_keys(app).items() >= {"space": "체크", "enter": "편집", "a": "추가", "delete": "삭제"}.items()


async def test_pr_test_items_add_edit_and_remove_by_key(drafts_dir):
    """Each §5.1 / PR test item's label is an editable field in the Tab order: Space to tick it
    erased "다른 기능에 영향을 주지 않는가?"."""
    app = make_app(drafts_dir, draft_path=_new_draft(drafts_dir, "pr"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tests = app.loaded.draft.pr.tests
        texts = [t.text for t in tests]
        await to_row(pilot, "pr-tests", 0)
        await pilot.press("space")
        await settle(pilot)
        assert tests[0].checked and [t.text for t in tests] == texts

        # a: a new row, typed in its dialog; an empty dialog adds nothing.
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert len(tests) == 5 and app.focused.id == "pr-tests"
        await pilot.press("a")
        await settle(pilot)
        await fill_dialog(pilot, {"text": ITEM})
        assert len(tests) == 6 and tests[5].text == ITEM and not tests[5].checked
        assert app.focused.row_index() == 5

        # delete: a row with text asks first; n keeps it, y removes it.
        await pilot.press("delete")
        await on_top(pilot, ConfirmScreen)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert len(tests) == 6
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [t.text for t in tests] == texts
        assert "- [x] 문제 재현 및 수정 확인" in render(app.loaded.draft, "pr-body", RenderContext())


async def test_ticking_a_test_item_against_a_failed_check_asks_why(drafts_dir, example_path):
    """A tick by space on an item a check decides (terraform validate) still asks for the
    override's reason as the cells did; no answer takes the tick back, the text stays."""
    path = example_at(drafts_dir, example_path, "pr")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tests = app.loaded.draft.pr.tests
        index = next(i for i, t in enumerate(tests) if "validate" in t.text)
        before = tests[index].text
        app.loaded.draft.checks.runs = [r for r in app.loaded.draft.checks.runs if r.name != "validate"]
        tests[index].checked = False
        await to_row(pilot, "pr-tests", index)
        await pilot.press("space")
        await on_top(pilot, PromptScreen)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not tests[index].checked and tests[index].text == before
        assert f"[ ] {before}" in rows_text(app, "pr-tests")


# -- the timeline and the §10 pane --------------------------------------------------------------


async def test_timeline_is_one_tab_stop_and_a_time_takes_only_a_time(drafts_dir, example_path):
    """A timeline time field accepted text in place of a timestamp without an error; each
    timeline row is three Tab stops (about 110 Tabs to cross the Post-incident screen); the
    §10 checklist is reachable only through the palette."""
    path = example_at(drafts_dir, example_path, "post")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        draft = app.loaded.draft
        stops = await _tab_stops(pilot)
        assert stops.count("TimelineEditor#timeline-rows") == 1
        assert len(stops) <= 16, stops  # the whole Post-incident screen, round once

        # a: a row at now (the app's clock, 14:52), its text typed in the dialog.
        await focus(pilot, "timeline-rows")
        assert _footer_keys(app).items() >= {"a": "지금 추가", "b": "시각 지정 추가", "enter": "편집",
                                              "m": "RCA 표시", "delete": "삭제"}.items()
        await pilot.press("a")
        await settle(pilot)
        assert app.screen.query_one("#row-at", Input).value == "2025-10-19 14:52"
        assert app.focused.id == "row-text"
        await type_text(pilot, "롤백 검토")
        await pilot.press("enter")
        await settle(pilot)
        added = next(e for e in draft.timeline if e.text == "롤백 검토")
        assert [e.at[11:16] for e in draft.timeline] == ["14:30", "14:45", "14:52", "15:00", "15:15", "15:30"]
        assert app.focused.row_index() == 2  # the cursor on the new row, in its place
        assert (added.at, added.text, added.source) == ("2025-10-19T14:52:00+09:00", "롤백 검토", "user")

        # b: backdated; text in place of a time is refused with one error, and kept.
        await pilot.press("b")
        await settle(pilot)
        assert app.focused.id == "row-at"
        await type_text(pilot, "어제 저녁")
        await focus(pilot, "row-text", limit=5)
        await type_text(pilot, "알림 첫 수신")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "RowDialog"
        errors = [label for label in app.screen.query("#row-error").results(Label) if label.display]
        assert len(errors) == 1 and "어제 저녁" in str(errors[0].render())
        assert app.focused.id == "row-at"
        assert app.screen.query_one("#row-at", Input).value == "어제 저녁"
        assert app.screen.query_one("#row-text", Input).value == "알림 첫 수신"
        assert len(draft.timeline) == 6
        await pilot.press("end", "ctrl+u", *"14:20", "enter")
        await settle(pilot)
        assert len(draft.timeline) == 7 and draft.timeline[0].text == "알림 첫 수신"  # sorted: first
        assert draft.timeline[0].at == "2025-10-19T14:20:00+09:00"
        assert app.focused.row_index() == 0

        # m marks (only the mark changes); delete without text removes at once.
        await pilot.press("m")
        await settle(pilot)
        assert draft.timeline[0].milestone and draft.timeline[0].text == "알림 첫 수신"
        assert "- 14:20: 알림 첫 수신" in render(draft, "rca", RenderContext())


async def test_the_checklist_pane_has_keys_of_its_own(drafts_dir, example_path):
    """A timeline time field accepted text in place of a timestamp without an error; each
    timeline row is three Tab stops (about 110 Tabs to cross the Post-incident screen); the
    §10 checklist is reachable only through the palette."""
    path = example_at(drafts_dir, example_path, "post")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        draft = app.loaded.draft
        await focus(pilot, "f-rca--prevention")
        await pilot.press("f3")
        await settle(pilot)
        panel = app.screen.query_one(ChecklistPanel)
        assert panel.display and app.focused is panel
        assert _footer_keys(app).items() >= {"space": "체크", "escape": "입력으로"}.items()

        # An item the app ticked says why.
        auto = next(k for k, v in draft.checklist.items() if v.checked and v.by == "auto")
        shown = str(panel.get_option(auto).prompt)
        assert "자동" in shown and draft.checklist[auto].reason in shown

        # Down to the first manual item not ticked yet; space ticks it, space again unticks.
        manual = next(o.id for o in panel._options if o.id and o.id not in draft.checklist
                      and not _needs_reason(app, o.id))
        for _ in range(panel.option_count):
            if panel.get_option_at_index(panel.highlighted).id == manual:
                break
            await pilot.press("down")
        await pilot.press("space")
        await settle(pilot)
        assert draft.checklist[manual].checked and draft.checklist[manual].by == "user"
        await pilot.press("space")
        await settle(pilot)
        assert manual not in draft.checklist

        # esc: back to the form, where the cursor was.
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#form").display and not panel.display
        assert app.focused.id == "f-rca--prevention"
        assert type(app.screen).__name__ == "PostScreen"  # esc on the pane does not leave the draft


def _needs_reason(app, item_id: str) -> bool:
    from hotfix_tui.workflow import checklist

    return bool(checklist.fact_problem(app.loaded.draft, item_id, app.gate_facts()))


# -- follow-ups -------------------------------------------------------------------------------


async def _choose_in_dialog(pilot, attr: str, downs: int) -> None:
    await focus(pilot, f"row-{attr}", limit=10)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press(*(["down"] * downs), "enter")
    await settle(pilot)


async def test_the_follow_up_kind_saves_what_it_shows(drafts_dir):
    """The follow-up type select shows "모니터링 강화" but saves empty (the report renders
    `유형: {테스트 자동화 / 모니터링 강화 / 문서화}`)."""
    path = _new_draft(drafts_dir, "post")
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        draft = app.loaded.draft
        await focus(pilot, "followup-rows")
        assert _footer_keys(app).items() >= {"enter": "편집", "a": "추가", "delete": "삭제"}.items()
        await pilot.press("a")
        await settle(pilot)
        kind = app.screen.query_one("#row-kind", Select)
        assert kind.value is Select.NULL  # empty shows as empty ("-"), not as a value
        await type_text(pilot, "LB 헬스체크 알림")
        await _choose_in_dialog(pilot, "kind", 2)  # past the blank: 테스트 자동화, 모니터링 강화
        assert str(app.screen.query_one("#row-kind", Select).value) == "모니터링 강화"
        await fill_dialog(pilot, {"summary": "LoadBalancer 헬스체크 알림"})
        [item] = draft.followups
        assert (item.summary, item.kind) == ("LoadBalancer 헬스체크 알림", "모니터링 강화")
        text = render(draft, "followups", RenderContext())
        assert "유형: 모니터링 강화" in text and "{테스트 자동화" not in text
        assert "[모니터링 강화]" in rows_text(app, "followup-rows")
        await pilot.press("ctrl+s")
        await settle(pilot)

    store = DraftStore(drafts_dir)
    loaded = store.load(path)
    assert loaded.draft.followups[0].kind == "모니터링 강화"
    for kind in ("모니터링 강화", "보안 점검"):  # as saved; a kind written by hand elsewhere is kept too
        loaded = store.load(path)
        loaded.draft.followups[0].kind = kind
        store.save(loaded)
        app = make_app(drafts_dir, draft_path=path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            draft = app.loaded.draft
            await focus(pilot, "followup-rows")
            await pilot.press("enter")
            await settle(pilot)
            assert str(app.screen.query_one("#row-kind", Select).value) == kind  # the dialog shows it
            await fill_dialog(pilot, {"key": "TERRAFORM-16"})
            assert draft.followups[0].kind == kind and draft.followups[0].key == "TERRAFORM-16"


def test_dialog_labels_are_in_the_catalogue():
    for key in ("key.row_tick", "key.row_edit", "key.row_add", "key.row_remove", "key.tl_add", "key.tl_backdate",
                "key.tl_milestone", "key.cl_tick", "key.cl_back"):
        assert tr(key, "ko") and tr(key, "en")


# -- at 80x24, as the engineer sees them -----------------------------------------------------


def test_timeline_dialog_refusing_a_time_80x24(snap_compare, drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "post"))

    assert picture(snap_compare, app, lambda p: focus(p, "timeline-rows"), "b", lambda p: type_text(p, "어제 저녁"), "enter")


def test_follow_up_dialog_80x24(snap_compare, drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "post"))

    assert picture(snap_compare, app, lambda p: focus(p, "followup-rows"), "enter")


def test_checklist_pane_focused_80x24(snap_compare, drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "post"))

    assert picture(snap_compare, app, "f3")


async def test_keys_in_the_same_burst_as_a_or_enter_land_in_the_dialog(drafts_dir, example_path):
    """Typed text is sacred: what arrives in one read with the key that opens a row's dialog
    (a laggy SSH link) goes into the dialog's field, in order, and no key is taken as a list
    key (m does not mark a row)."""
    from textual import events

    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "post"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        draft = app.loaded.draft
        await focus(pilot, "timeline-rows")
        marks = [e.milestone for e in draft.timeline]
        burst = [("a", "a"), *[(c, c) for c in "mb 한"], ("backspace", None), ("x", "x"), ("enter", "\r")]
        for key, character in burst:
            app.post_message(events.Key("space" if key == " " else key, character))
        await settle(pilot)
        assert type(app.screen).__name__ == "PostScreen"
        assert "mb x" in [e.text for e in draft.timeline]
        assert [e.milestone for e in draft.timeline if e.text != "mb x"] == marks

        # b, then the time, Tab, the text and Enter, all in one read.
        burst = [("b", "b"), *[(c, c) for c in "14:41"], ("tab", "\t"), *[(c, c) for c in "ok"], ("enter", "\r")]
        for key, character in burst:
            app.post_message(events.Key(key, character))
        await settle(pilot)
        added = next(e for e in draft.timeline if e.text == "ok")
        assert added.at == "2025-10-19T14:41:00+09:00"


async def test_a_note_taken_with_ctrl_t_shows_in_the_timeline_table(drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "post"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        await type_text(pilot, "DHCP 로그 확인")
        await pilot.press("enter")
        await settle(pilot)  # the debounced refresh has run
        assert "DHCP 로그 확인" in rows_text(app, "timeline-rows")
