"""Keyboard-only helpers for Pilot tests: move focus with Tab, type like a person."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

from textual import events
from textual.app import App

from hotfix_tui.app import HotfixApp
from hotfix_tui.config import Config, UiConfig
from hotfix_tui.store import DraftStore

FIXED_NOW = dt.datetime(2025, 10, 19, 14, 52, tzinfo=dt.timezone(dt.timedelta(hours=9)))


# The seed's incident is in Korea (KST), as FIXED_NOW is: tests see the times it shows
# whatever this machine's zone is.
TEST_ZONE = "Asia/Seoul"


def make_app(drafts: Path, config: Config | None = None, **kwargs) -> HotfixApp:
    kwargs.setdefault("clock", lambda: FIXED_NOW)
    return HotfixApp(config or Config(ui=UiConfig(timezone=TEST_ZONE)), DraftStore(drafts), **kwargs)


def example_at(drafts_dir: Path, example_path: Path, phase: str, name: str = "metallb", *, key: str = "",
               age_seconds: float = 0) -> Path:
    """The seed's MetalLB draft at ``phase`` as ``name``.toml (its Jira key ``key`` when given),
    saved ``age_seconds`` before FIXED_NOW, so pictures and ages do not follow the wall clock."""
    drafts_dir.mkdir(parents=True, exist_ok=True)
    path = drafts_dir / f"{name}.toml"
    text = example_path.read_text(encoding="utf-8").replace('phase = "post"', f'phase = "{phase}"', 1)
    if key:
        text = text.replace('jira_key = "TERRAFORM-15"', f'jira_key = "{key}"')
    path.write_text(text, encoding="utf-8")
    stamp = FIXED_NOW.timestamp() - age_seconds
    os.utime(path, (stamp, stamp))
    return path


def count_markdown_renders(monkeypatch) -> list[str]:
    """Every text the preview lays out as Markdown from now on, in order."""
    from hotfix_tui.widgets import preview as preview_module

    renders: list[str] = []
    real = preview_module.render_markdown

    def counting(text):
        renders.append(text)
        return real(text)

    monkeypatch.setattr(preview_module, "render_markdown", counting)
    return renders


async def until(pilot, predicate, what="the condition", timeout: float = 20.0) -> None:
    """Let the app run until ``predicate()`` holds; fail naming ``what`` (a string, or a
    callable that says what is still pending) after ``timeout`` seconds (a bound for a slow,
    shared machine, never a timing assertion)."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"never happened within {timeout:g} s: {said}")
        await pilot.pause(0.01)


def busy(app) -> str:
    """What the app is still doing that a test waits for, "" when it is quiet: keys held
    until focus lands, a phase screen whose focus has not landed or whose debounced refresh
    (preview, rules line, §10 checklist) has not run, messages queued or in hand, a worker
    not started yet, a preview render owed, a phase change under way (as ``HotfixApp._settled`` counts it). Running
    workers are not counted: a test waits for those itself (``workers_done``)."""
    from hotfix_tui.app import _pump_idle

    from textual.screen import ModalScreen
    from textual.worker import WorkerState

    if getattr(app, "keys_pending", False):
        return "keys held until focus lands"
    for worker in app.workers:
        if worker.state is WorkerState.PENDING:
            return f"the worker {worker.name} to start"
    try:
        screen = app.screen
    except Exception:  # no screen yet, or the app is closing
        return ""
    if not isinstance(screen, ModalScreen) and any(
            w.group == "advance" and w.state is WorkerState.RUNNING for w in app.workers):
        return "the phase change (it may still ask why)"
    if not getattr(screen, "landed", True):
        return f"focus landing on {type(screen).__name__}"
    if getattr(screen, "pending_refresh", False):
        return f"the debounced refresh of {type(screen).__name__}"
    for preview in screen.query("Preview"):
        if getattr(preview, "pending", False):
            return "the preview's render (a thread)"
    for node in (app, *screen.walk_children(with_self=True)):
        if not _pump_idle(node):
            return f"messages for {node!r}"
    return ""


async def settle(pilot, timeout: float = 20.0) -> None:
    """Wait until what the last keys or calls set going has run (see ``busy``): the event to
    wait on after typing, instead of a pause "past the debounce"."""
    app = pilot.app
    await pilot.pause()
    await until(pilot, lambda: not busy(app), lambda: f"the app to settle; still {busy(app)}", timeout)
    await pilot.pause()


async def still(pilot) -> None:
    """Settled, with no blinking cursor: a picture that does not depend on timing."""
    await settle(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await settle(pilot)


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
    await settle(pilot)


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


async def give_reason(pilot, reason: str) -> None:
    """Answer a gate's "why go on anyway?" prompt (issue 9: an override needs a reason)."""
    from hotfix_tui.screens.modals import PromptScreen

    await on_top(pilot, PromptScreen, "the prompt asking why")
    if reason:
        await paste(pilot, reason)
    await pilot.press("enter")
    await settle(pilot)


async def on_top(pilot, screen_type, what: str = "") -> None:
    """Wait until a ``screen_type`` screen is the current one (pushed by a key, a worker or a
    callback), then until it has settled."""
    await until(pilot, lambda: isinstance(pilot.app.screen, screen_type),
                what or f"a {screen_type.__name__} on top (now {type(pilot.app.screen).__name__})")
    await settle(pilot)


async def workers_done(pilot, group: str | None = None) -> None:
    """Wait until what was set going has started its workers, until every worker (of
    ``group`` when given; those started meanwhile included) has finished, then settle."""
    app = pilot.app

    def running() -> list[str]:
        return [w.name for w in app.workers if (group is None or w.group == group) and not w.is_finished]

    await settle(pilot)
    await until(pilot, lambda: not running(), lambda: f"the workers {running()} to finish")
    await settle(pilot)


def picture(snap_compare, app, *steps, size: tuple[int, int] = (80, 24)) -> bool:
    """``snap_compare`` of ``app`` at ``size`` after ``steps``: keys to press, or callables
    taking the pilot (plain or async); settled with no blinking cursor before the first
    step and after each (the one set-up every snapshot test shares)."""
    import inspect

    async def run_before(pilot) -> None:
        await still(pilot)
        for step in steps:
            if isinstance(step, str):
                await pilot.press(step)
            else:
                result = step(pilot)
                if inspect.isawaitable(result):
                    await result
            await still(pilot)

    return snap_compare(app, terminal_size=size, run_before=run_before)


class StreamOutcome:
    """What a finished command reports to the log panel (for the streaming tests)."""

    status, duration, summary = "passed", 1.0, "done"


class PanelApp(App):
    """An app holding one command log (max 500 lines): the streaming tests' bench."""

    def __init__(self):
        super().__init__()
        self.finished = threading.Event()
        self.drains = 0

    def compose(self):
        from hotfix_tui.widgets.command_log import CommandLog

        yield CommandLog(max_lines=500, id="log")

    def t(self, key, **kwargs):  # the panel's head asks the app for words
        return key

    def on_command_log_finished(self, event) -> None:
        self.finished.set()
