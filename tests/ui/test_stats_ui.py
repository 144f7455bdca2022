"""Issue 13 item 5, "The team's numbers": the Stats screen in the wizard, with bar charts, opened
from the drafts list and the command palette; esc goes back."""

from __future__ import annotations

import io
import os

import pytest
from rich.console import Console
from textual.command import CommandInput, CommandPalette, CommandList

from hotfix_tui.config import Config, UiConfig
from hotfix_tui.screens.home import HomeScreen
from hotfix_tui.screens.stats import StatsScreen, bar, chart
from hotfix_tui.store import dumps
from hotfix_tui.widgets.commands import BY_NAME
from tests.test_stats import known_drafts
from tests.ui.helpers import FIXED_NOW, TEST_ZONE, make_app, type_text, until


def _folder(drafts_dir):
    drafts_dir.mkdir(parents=True, exist_ok=True)
    for draft in known_drafts():
        path = drafts_dir / f"{draft.id}.toml"
        path.write_text(dumps(draft), encoding="utf-8")
        os.utime(path, (FIXED_NOW.timestamp(), FIXED_NOW.timestamp()))
    (drafts_dir / "broken.toml").write_text("schema = 1\n[backlog\n", encoding="utf-8")


def _plain(renderable, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


async def _shown(pilot) -> str:
    await until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen), "the Stats screen")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.stats is not None, "the figures read")
    await pilot.pause()
    return _plain(screen.query_one("#stats-body").content, 76)


async def test_s_on_the_drafts_list_opens_stats_and_esc_goes_back(drafts_dir):
    """Bullet: "a Stats screen in the wizard with bar charts: count, time to cause, time to PR,
    review wait against the §7.1 one-hour target, time to deploy, downtime, overrides by gate,
    phases where time goes" — reachable from the home screen; esc goes back."""
    _folder(drafts_dir)
    app = make_app(drafts_dir, Config(ui=UiConfig(language="en", timezone=TEST_ZONE)))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "the drafts list")
        await pilot.press("s")
        text = await _shown(pilot)
        assert "5 drafts (5 hotfix)" in text
        for needle in ("Time to cause", "- (p90 -) · 0, unknown 5",
                       "Time to PR", "1h00m (p90 2h00m) · 3, unknown 2",
                       "Review wait", "1h15m (p90 2h00m) · 2, unknown 2",
                       "Time to deploy", "1h40m (p90 4h30m) · 3, unknown 2",
                       "Downtime", "1h50m (p90 2h10m) · 2, unknown 3",
                       "§7.1 target (1 hour): 1 of 2 within, 1 over, 1 self-merged",
                       "Where time goes", "PR → merge",
                       "Overrides by gate (3 in 2 drafts)", "g.check_failed", "fact.validate",
                       "Drafts by phase", "Post-incident",
                       "Unreadable, not counted: broken.toml"):
            assert needle in text, needle
        assert "█" in text  # the bars
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "back on the drafts list")


@pytest.mark.parametrize("query", ["stats", "지표"])
async def test_the_palette_opens_stats_in_either_language(drafts_dir, query):
    """"reachable from the home screen and the command palette"."""
    _folder(drafts_dir)
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "the drafts list")
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        app.screen.query_one(CommandInput).value = ""
        await type_text(pilot, query)
        await app.workers.wait_for_complete()
        palette = app.screen
        await until(pilot, lambda: palette.query_one(CommandList).option_count > 0, "a palette hit")
        first = str(palette.query_one(CommandList).get_option_at_index(0).prompt)
        assert "지표" in first and "Stats" in first
        await pilot.press("enter")
        text = await _shown(pilot)
        assert "초안 5개 (Hotfix 5개)" in text and "PR까지" in text


def test_the_stats_footer_says_what_the_registry_says():
    """The Stats screen's footer words and keys are the registry's (palette, help, footer agree)."""
    for binding in StatsScreen.BINDINGS + [b for b in HomeScreen.BINDINGS if b.action == "stats"]:
        action = BY_NAME[binding.action]
        assert (action.keys, action.label) == (binding.key, binding.description)


def test_bars_are_eighths_of_a_cell_and_a_value_always_shows():
    assert bar(0, 10, 8) == "" and bar(10, 10, 8) == "█" * 8
    assert bar(5, 10, 8) == "████" and bar(1, 10, 4) == "▍"  # 1/10 of 4 cells: 3.2 eighths → 3
    assert bar(0.001, 10, 8) == "▏"  # above zero is never drawn as nothing
    text = chart("T", [("long gate code from a draft \x1b[31m", 1.0, "1")], 80).plain
    assert "\x1b" not in text and "…" in text


def test_stats_80x24(snap_compare, drafts_dir):
    """The Stats screen at 80x24 over the known drafts (the page scrolls below)."""
    _folder(drafts_dir)
    app = make_app(drafts_dir)

    async def open_stats(pilot):
        await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen), "the drafts list")
        await pilot.press("s")
        await _shown(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_stats)


async def test_no_drafts_says_so_and_r_reads_them_again(drafts_dir):
    """An empty drafts folder says there is nothing to count; r reads the folder again."""
    app = make_app(drafts_dir, Config(ui=UiConfig(language="en", timezone=TEST_ZONE)))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "the drafts list")
        await pilot.press("s")
        text = await _shown(pilot)
        assert "0 drafts (0 hotfix)" in text and "No drafts to count" in text
        _folder(drafts_dir)
        screen = app.screen
        await pilot.press("r")
        await until(pilot, lambda: screen.stats is not None and screen.stats.drafts == 5, "the drafts read again")
        await pilot.pause()
        assert "5 drafts (5 hotfix)" in _plain(screen.query_one("#stats-body").content, 76)
