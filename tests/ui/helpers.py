"""Keyboard-only helpers for Pilot tests: move focus with Tab, type like a person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import events

from hotfix_tui.app import HotfixApp
from hotfix_tui.config import Config, UiConfig
from hotfix_tui.store import DraftStore

FIXED_NOW = dt.datetime(2025, 10, 19, 14, 52, tzinfo=dt.timezone(dt.timedelta(hours=9)))


# The seed's incident is in Korea (KST), as FIXED_NOW is: tests see the times it shows
# whatever this machine's zone is.
TEST_ZONE = "Asia/Seoul"


def make_app(drafts: Path, config: Config | None = None, **kwargs) -> HotfixApp:
    config = config or Config(ui=UiConfig(timezone=TEST_ZONE))
    return HotfixApp(config, DraftStore(drafts), clock=lambda: FIXED_NOW, **kwargs)


async def focus(pilot, widget_id: str, limit: int = 150) -> None:
    """Press Tab until the widget with ``widget_id`` has focus (keyboard only)."""
    app = pilot.app
    for _ in range(limit):
        if app.focused is not None and app.focused.id == widget_id:
            return
        await pilot.press("tab")
    if app.focused is not None and app.focused.id == widget_id:
        return
    raise AssertionError(f"Tab never reached #{widget_id}; focus is on {app.focused!r}")


def _key(ch: str) -> str:
    return "enter" if ch == "\n" else ch


async def type_text(pilot, text: str) -> None:
    """Key presses, one per character (Korean included); newline is Enter."""
    await pilot.press(*[_key(ch) for ch in text])


async def paste(pilot, text: str) -> None:
    """A terminal bracketed paste into the focused widget (how long notes arrive)."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def clear_input(pilot) -> None:
    await pilot.press("end", "ctrl+u")


async def fill(pilot, widget_id: str, text: str, *, replace: bool = False, use_paste: bool = False) -> None:
    await focus(pilot, widget_id)
    if replace:
        await clear_input(pilot)
    if use_paste:
        await paste(pilot, text)
    else:
        await type_text(pilot, text)


async def choose(pilot, widget_id: str, downs: int) -> None:
    """Open a Select with Enter, move down ``downs`` options past the blank one, Enter."""
    await focus(pilot, widget_id)
    await pilot.press("enter")
    await pilot.press(*(["down"] * downs), "enter")
