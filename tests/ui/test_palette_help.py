"""The command palette speaks both languages, and help teaches the wizard (issue 10, items 8-9).

The palette, the footer and the help screen are built from one registry
(hotfix_tui/widgets/commands.py); these tests drive the palette with keys (ctrl+g, typing),
read what it lists, and hold the footer's bindings and the help's key list to the registry.
"""

from __future__ import annotations

import pytest
from textual.command import CommandInput, CommandList, CommandPalette

from hotfix_tui.config import Config, UiConfig
from hotfix_tui.i18n import tr
from hotfix_tui.model import PHASES, Draft
from hotfix_tui.screens.home import HomeScreen
from hotfix_tui.screens.modals import HelpScreen
from hotfix_tui.store import DraftStore
from hotfix_tui.widgets.commands import ACTIONS, BY_NAME, KEY_COLUMN, SECTIONS, TEXTUAL, key_text

from .helpers import FIXED_NOW, TEST_ZONE, make_app, on_top, picture, settle, type_text, workers_done

async def _open(pilot, phase: str = "triage"):
    """A draft at ``phase``, opened from the drafts list with enter."""
    DraftStore(pilot.app.store.folder).create(Draft(phase=phase))
    await settle(pilot)
    await pilot.press("r", "enter")
    await settle(pilot)
    assert pilot.app.loaded is not None and pilot.app.loaded.draft.phase == phase


async def _palette(pilot) -> CommandPalette:
    await pilot.press("ctrl+g")
    await on_top(pilot, CommandPalette)
    assert isinstance(pilot.app.screen, CommandPalette)
    return pilot.app.screen


async def _search(pilot, query: str) -> list[str]:
    """Type ``query`` into the open palette (after clearing it); the titles it lists, in order."""
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    palette.query_one(CommandInput).value = ""
    await settle(pilot)
    await type_text(pilot, query)
    await settle(pilot)
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)
    found = palette.query_one(CommandList)
    titles = []
    for index in range(found.option_count):
        option = found.get_option_at_index(index)
        hit = getattr(option, "hit", None)
        if hit is not None:
            titles.append(hit.text)
    return titles


def _both(key: str) -> tuple[str, str]:
    return tr(key, "ko"), tr(key, "en")


async def test_copy_help_jira_and_each_phase_are_found_in_korean_and_english(drafts_dir):
    """Bullet: "The palette mixes Textual's English entries with Korean ones; 'copy', 'help' and
    'jira' match nothing." — now every app action has a Korean and an English name."""
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "backlog")
        has_undo = hasattr(app.screen, "action_undo_change") or hasattr(app, "action_undo_change")
        await _palette(pilot)
        for key, queries in (("key.copy", ("복사", "copy")), ("key.help", ("도움말", "help")),
                             ("key.export", ("파일로", "export")), ("key.save", ("저장", "save")),
                             ("key.next", ("다음 단계", "next phase")), ("key.quit", ("종료", "quit"))):
            ko, en = _both(key)
            for query in queries:
                titles = await _search(pilot, query)
                assert titles and ko in titles[0] and en in titles[0], (query, titles)
        jira = await _search(pilot, "jira")
        assert jira and all("jira" in title.casefold() for title in jira[:2]), jira
        assert any(tr("rs.jira_create", "ko") in title for title in jira)  # the §2 step itself
        for number, phase in enumerate(PHASES, 1):
            ko, en = _both(f"phase.{phase}")
            for query in (ko, en, str(number)):
                titles = await _search(pilot, query)
                assert titles and titles[0] == f"{number} {ko} · {en} ({SECTIONS[phase]})", (query, titles)
        undo = await _search(pilot, "undo")
        undo_ko = await _search(pilot, "되돌리기")
        if has_undo:  # another change adds alt+z; then the palette finds it in both languages
            assert undo and "Undo last change" in undo[0] and "되돌리기" in undo_ko[0]
        else:  # not on this branch: no entry, not a broken one
            assert not any("undo" in title.casefold() for title in undo + undo_ko)


async def test_choosing_copy_and_a_phase_in_the_palette_runs_them(drafts_dir):
    """Bullet: "The palette mixes Textual's English entries with Korean ones; 'copy', 'help' and
    'jira' match nothing." — "copy" typed and enter copies the previewed text; "verify" jumps there."""
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "backlog")
        await _palette(pilot)
        await _search(pilot, "copy")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert app.clipboard == screen.artifact_text(screen.current_artifact())
        # The toast says what happened (sent to the terminal), not that a clipboard took it.
        said = list(app._notifications)[-1].message
        assert "OSC 52" in said and "F5" in said and "F1" in said
        await _palette(pilot)
        await _search(pilot, "verify")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "VerifyScreen"


async def test_textual_commands_are_translated_and_listed_after_the_apps(drafts_dir):
    """Bullet: "The palette mixes Textual's English entries with Korean ones; 'copy', 'help' and
    'jira' match nothing." — Theme, Keys, Screenshot… carry a Korean name and come after the app's."""
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await _palette(pilot)
        listed = await _search(pilot, "")
        textual_names = {" · ".join(_both(name)) for name, _help in TEXTUAL.values()}
        shown = [i for i, title in enumerate(listed) if title in textual_names]
        assert shown, listed
        assert min(shown) > max(i for i, title in enumerate(listed) if title not in textual_names)
        assert not {"Theme", "Quit", "Keys", "Screenshot", "Maximize"} & set(listed)
        assert [title for title in listed if "Quit" in title] == [" · ".join(_both("key.quit"))]  # one quit
        theme = await _search(pilot, "테마")
        assert theme[0] == "테마 · Theme"
        assert (await _search(pilot, "keys"))[0] == "키 패널 · Keys panel"


async def test_english_ui_puts_english_first_and_korean_still_finds(drafts_dir):
    """Bullet: "The palette mixes Textual's English entries with Korean ones; 'copy', 'help' and
    'jira' match nothing." — in [ui] language = "en" the names read English first; Korean still matches."""
    app = make_app(drafts_dir, Config(ui=UiConfig(language="en", timezone=TEST_ZONE)))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await _palette(pilot)
        assert (await _search(pilot, "copy"))[0] == "Copy · 복사"
        assert (await _search(pilot, "복사"))[0] == "Copy · 복사"
        assert (await _search(pilot, "help"))[0] == "Help · 도움말"


async def test_drafts_list_palette_is_bilingual_too(drafts_dir):
    """Bullet: "The palette mixes Textual's English entries with Korean ones; 'copy', 'help' and
    'jira' match nothing." — on the drafts list: new, open, help, in both languages."""
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _palette(pilot)
        assert (await _search(pilot, "new"))[0] == " · ".join(_both("key.new"))
        assert (await _search(pilot, "도움말"))[0] == " · ".join(_both("key.help"))
        assert not any("(§" in title for title in await _search(pilot, ""))  # no draft: no phases


def _screen_classes():
    from hotfix_tui.app import HotfixApp, phase_screen

    return [HotfixApp, HomeScreen] + [type(phase_screen(phase)) for phase in PHASES]


@pytest.mark.parametrize("screen_class", _screen_classes(), ids=lambda cls: cls.__name__)
def test_the_footer_says_what_the_registry_says(screen_class):
    """The footer (each screen's bindings), the palette and help come from one registry: every
    binding with a footer word is the registry's action under the same word and key."""
    for cls in screen_class.__mro__:
        for binding in cls.__dict__.get("BINDINGS", []):
            if not binding.description.startswith("key.") or binding.action == "command_palette":
                continue
            name = binding.action.removeprefix("app.")
            assert name in BY_NAME, (cls.__name__, binding.action)
            action = BY_NAME[name]
            assert action.label == binding.description, (cls.__name__, binding)
            if not binding.action.startswith("app."):  # the drafts list's q is the app's ctrl+q
                assert action.keys == binding.key, (cls.__name__, binding)


async def _help_text(pilot) -> str:
    await pilot.press("f1")
    await on_top(pilot, HelpScreen)
    assert isinstance(pilot.app.screen, HelpScreen)
    text = pilot.app.screen.text
    await pilot.press("escape")
    await settle(pilot)
    return text


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_help_teaches_tab_gates_rows_timeline_pane_dialogs_undo_and_copy(drafts_dir, language):
    """Issue 10 item 9: help names Tab, the gates and how to pass or override one, the checklist
    row and timeline keys, the §10 pane keys, y/n in dialogs, undo, and copy over SSH."""
    app = make_app(drafts_dir, Config(ui=UiConfig(language=language, timezone=TEST_ZONE)))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "fix")
        text = await _help_text(pilot)
    t = lambda key: tr(key, language)  # noqa: E731
    for needle in (
        "tab / shift+tab", "ctrl+n / ctrl+p", "ctrl+g",  # moving
        t("help.gates_title"), "--reason", "override" if language == "en" else "사유",  # gates
        "space", "enter", " a ", "delete", "y/n",  # checklist rows
        " b ", " m ",  # timeline: backdate, milestone
        "F3", "esc",  # §10 pane
        "y " if language == "ko" else "y or enter", "n " if language == "ko" else "n or esc",  # dialogs
        "ctrl+z", "ctrl+y", "alt+z",  # undo
        "OSC 52", "set -g set-clipboard on", "F5",  # copy over SSH and the fallback
    ):
        assert needle in text, needle
    for title in ("help.move_title", "help.gates_title", "help.lists_title", "help.timeline_title",
                  "help.pane_title", "help.dialogs_title", "help.undo_title", "help.copy_title"):
        assert t(title) in text
    # The key list is the registry's, in the footer's words.
    for name in ("next_phase", "copy", "export", "run_all", "note", "help"):
        action = BY_NAME[name]
        assert f"{key_text(action.keys):<{KEY_COLUMN}} {t(action.label)} — {t(action.help)}" in text, name


async def test_help_lists_only_the_keys_this_screen_binds(drafts_dir):
    """Merge & deploy runs commands (F10 cancels) but has no F9 re-run: help lists F10, not F9."""
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "merge")
        text = await _help_text(pilot)
    listed = text.split(f"— {tr('help.keys_title', 'ko')} —\n", 1)[1].split("\n\n", 1)[0]
    keys = [line.split()[0] for line in listed.splitlines()]
    assert "F10" in keys and "F8" in keys and "F9" not in keys


async def test_drafts_list_help_names_its_keys(drafts_dir):
    """The drafts list's help: its own keys, dialogs, and the palette."""
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = await _help_text(pilot)
    assert tr("help.home", "ko") in text and tr("help.dialogs", "ko") in text
    for name in ("new", "open", "delete", "quit"):
        assert tr(BY_NAME[name].label, "ko") in text


def test_every_registry_entry_has_both_languages():
    for action in ACTIONS:
        for key in (action.label, action.help):
            ko, en = _both(key)
            assert ko and en, key


# -- what it looks like at 80x24 -------------------------------------------------------------


def test_help_80x24(snap_compare, drafts_dir):
    """The help screen at 80x24 on the Fix phase: the phase, then how the wizard is driven."""
    DraftStore(drafts_dir).create(Draft(id="demo", phase="fix", created_at=FIXED_NOW.isoformat()))
    app = make_app(drafts_dir)

    assert picture(snap_compare, app, "enter", "f1")


def test_palette_copy_80x24(snap_compare, drafts_dir):
    """The palette at 80x24 with "copy" typed: the Korean-and-English names, keys and help."""
    DraftStore(drafts_dir).create(Draft(id="demo", phase="backlog", created_at=FIXED_NOW.isoformat()))
    app = make_app(drafts_dir)

    # The palette searches in a worker: the picture waits for its list.
    assert picture(snap_compare, app, "enter", "ctrl+g", lambda pilot: type_text(pilot, "copy"), workers_done)
