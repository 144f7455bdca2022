"""Wizard behaviour an on-call engineer relies on: overrides, the bug-fix path, copy/export,
save conflicts, language, deleting drafts, the palette and narrow terminals."""

from __future__ import annotations

import dataclasses

from hotfix_tui.config import Config, UiConfig
from hotfix_tui.model import PHASES, Draft
from hotfix_tui.screens.modals import ConfirmScreen, PromptScreen
from hotfix_tui.store import DraftStore

from .helpers import choose, fill, focus, give_reason, make_app, on_top, settle, type_text, until, workers_done


async def _new(pilot):
    await pilot.press("n")
    await until(pilot, lambda: pilot.app.loaded is not None, "the new draft to open")
    await settle(pilot)
    return pilot.app.loaded.draft


async def test_advancing_with_errors_asks_and_records_the_override(drafts_dir):
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        draft = await _new(pilot)
        await pilot.press("ctrl+n")
        await on_top(pilot, PromptScreen)
        assert isinstance(app.screen, PromptScreen)  # the override asks why
        await pilot.press("escape")  # refuse: stay
        await settle(pilot)
        assert draft.phase == "triage" and draft.overridden_phases == []
        await pilot.press("ctrl+n")
        await settle(pilot)
        await give_reason(pilot, "")  # an empty reason is refused
        assert draft.phase == "triage" and draft.overrides == []
        await pilot.press("ctrl+n")
        await settle(pilot)
        await give_reason(pilot, "severity decided on the call")
        assert draft.phase == "backlog"
        assert draft.overridden_phases == ["triage"]
        assert [o.reason for o in draft.overrides] == ["severity decided on the call"]
        assert draft.timeline[-1].source == "override" and "severity decided on the call" in draft.timeline[-1].text
        stepper = app.screen.query_one("Stepper")
        assert "⚠" in str(stepper.render())


async def test_low_severity_takes_the_regular_bugfix_path(drafts_dir):
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        draft = await _new(pilot)
        await choose(pilot, "f-triage--severity", 3)  # Medium
        await choose(pilot, "f-triage--change_kind", 1)  # bug
        await settle(pilot)
        assert draft.triage.verdict == "bugfix"
        assert app.screen.query_one("#verdict").has_class("-bugfix")
        preview = app.screen.artifact_text(app.screen.current_artifact())
        assert "Hotfix가 아닙니다" in preview and "Medium" in preview
        assert "| 브랜치 | hotfix/* | TERRAFORM-XX-* |" in preview  # §9 comparison shown
        await pilot.press("ctrl+n")
        await settle(pilot)
        await fill(pilot, "f-backlog--summary", "Grafana dashboard typo")
        await fill(pilot, "f-backlog--jira_key", "TERRAFORM-20")
        await settle(pilot)
        assert app.screen.artifact_text(app.screen.artifacts()[2]) == "Grafana dashboard typo\n"
    from hotfix_tui.render import RenderContext, render

    assert render(draft, "branch", RenderContext()) == "TERRAFORM-20-grafana-dashboard-typo\n"


async def test_copy_uses_osc52_and_export_writes_the_file(drafts_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _new(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await give_reason(pilot, "triage later")
        await fill(pilot, "f-backlog--summary", "인증서 만료")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert app.clipboard.startswith("제목: [HOTFIX] 인증서 만료\n\n## 문제 상황\n")
        await pilot.press("f5")
        await on_top(pilot, PromptScreen)
        assert isinstance(app.screen, PromptScreen)
        target = tmp_path / "ticket.md"
        await pilot.press("ctrl+u")
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await workers_done(pilot, "export")
        assert target.read_text(encoding="utf-8") == app.clipboard
        # F6 switches the preview to Jira wiki markup; copy follows what is shown.
        await pilot.press("f6", "f6")
        await pilot.press("f4")
        await settle(pilot)
        assert "h2. 문제 상황" in app.clipboard and "## " not in app.clipboard


async def test_save_conflict_keeps_typed_text_and_offers_reload(drafts_dir):
    store = DraftStore(drafts_dir)
    created = store.create(Draft())
    app = make_app(drafts_dir, draft_path=created.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Another SSH session saves the same draft meanwhile.
        other = store.load(created.path)
        other.draft.backlog.impact = "다른 세션의 영향 범위"
        store.save(other)
        await focus(pilot, "f-triage--reason")
        await type_text(pilot, "내가 쓴 내용")
        await until(pilot, lambda: app.banner and not app.saving, "the autosave to run and be refused")
        assert app.banner and "다른 세션" in app.banner
        status = str(app.screen.query_one("#status").render())
        assert "ctrl+r" in status
        assert app.loaded.draft.triage.reason == "내가 쓴 내용"  # nothing typed is lost
        assert store.load(created.path).draft.backlog.impact == "다른 세션의 영향 범위"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not app.banner
        assert app.loaded.draft.backlog.impact == "다른 세션의 영향 범위"
    copies = [p for p in drafts_dir.glob("*-copy-*.toml")]
    assert len(copies) == 1 and store.load(copies[0]).draft.triage.reason == "내가 쓴 내용"


async def test_english_ui_and_artifacts(drafts_dir):
    config = dataclasses.replace(Config(), ui=UiConfig(language="en"))
    app = make_app(drafts_dir, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await _new(pilot)
        screen_text = " ".join(str(w.render()) for w in app.screen.query("Static, Label"))
        assert "Severity" in screen_text and "심각도" not in screen_text
        await pilot.press("ctrl+n")
        await settle(pilot)
        await give_reason(pilot, "triage later")
        await settle(pilot)
        assert app.screen.artifact_text(app.screen.artifacts()[1]).startswith("## Problem\n{what exactly is broken}")


async def test_delete_asks_and_keeps_a_backup(drafts_dir):
    store = DraftStore(drafts_dir)
    created = store.create(Draft())
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await on_top(pilot, ConfirmScreen)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
    assert not created.path.exists()
    assert list((drafts_dir / ".trash").glob("*.toml"))


async def test_resume_returns_to_the_saved_phase(drafts_dir):
    store = DraftStore(drafts_dir)
    created = store.create(Draft(phase="commit"))
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "CommitScreen", "the CommitScreen")
        await settle(pilot)
        assert type(app.screen).__name__ == "CommitScreen"
        assert app.loaded.path == created.path


async def test_palette_lists_every_phase_action(drafts_dir):
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _new(pilot)
        titles = [cmd.title for cmd in app.get_system_commands(app.screen)]
        for key in ("key.next", "key.prev", "key.copy", "key.export", "key.save", "key.note"):
            assert any(title.startswith(app.t(key) + " · ") for title in titles), key
        assert all(any(app.t(f"phase.{phase}") in title for title in titles) for phase in PHASES)
        await pilot.press("ctrl+g")
        await until(pilot, lambda: type(app.screen).__name__ == "CommandPalette", "the CommandPalette")
        await settle(pilot)
        assert type(app.screen).__name__ == "CommandPalette"


async def test_narrow_terminal_toggles_panes_and_checklist(drafts_dir):
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _new(pilot)
        screen = app.screen
        assert screen.query_one("#form").display and not screen.query_one("#preview").display
        await pilot.press("f2")
        assert screen.query_one("#preview").display and not screen.query_one("#form").display
        await pilot.press("f3")
        assert screen.query_one("#checklist").display
        await pilot.press("enter")  # tick the highlighted item by hand
        await settle(pilot)
        ticked = [k for k, v in app.loaded.draft.checklist.items() if v.checked and v.by == "user"]
        assert len(ticked) == 1
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert all(screen.query_one(f"#{pane}").display for pane in ("form", "preview", "checklist"))


async def test_help_and_timeline_note(drafts_dir):
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        draft = await _new(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen", "the HelpScreen")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("ctrl+t")
        await settle(pilot)
        await type_text(pilot, "14:40 DHCP 서버 로그 확인")
        await pilot.press("enter")
        await settle(pilot)
        assert draft.timeline[-1].text == "14:40 DHCP 서버 로그 확인"


async def test_an_english_app_does_not_turn_a_later_korean_apps_footer_english(drafts_dir):
    """Textual shares binding lists between a class and its instances: translating the
    footer must replace them, or the first app's language sticks to every later one."""
    english = make_app(drafts_dir, dataclasses.replace(Config(), ui=UiConfig(language="en")))
    async with english.run_test(size=(80, 24)) as pilot:
        await _new(pilot)
        descriptions = {b.description for b in english.screen._bindings.key_to_bindings.get("ctrl+n", [])}
        assert descriptions and all(not d.startswith("key.") for d in descriptions)
        english_next = descriptions
    korean = make_app(drafts_dir)
    async with korean.run_test(size=(80, 24)) as pilot:
        await _new(pilot)
        descriptions = {b.description for b in korean.screen._bindings.key_to_bindings.get("ctrl+n", [])}
        assert descriptions and descriptions.isdisjoint(english_next)
