"""The stepper: every phase in the seed's order, marked done (✓), here (●) or overridden (⚠).

Focusable: left/right move, enter jumps, so the keyboard alone reaches any phase.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ..model import PHASES


class Stepper(Widget, can_focus=True):
    DEFAULT_CSS = """
    Stepper { height: 1; padding: 0 1; background: $surface; }
    Stepper:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("enter", "choose", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    @dataclass
    class Selected(Message):
        """The user chose a phase to jump to."""

        phase: str

    def __init__(self, current: str, **kwargs):
        super().__init__(**kwargs)
        self.current = current
        self.cursor = PHASES.index(current)
        self._spans: list[tuple[int, int]] = []
        self._marks: tuple = ()

    def _state(self) -> tuple:
        draft = self.app.loaded.draft
        return tuple(draft.done_phases), tuple(draft.overridden_phases)

    def refresh_marks(self) -> None:
        """Repaint only when a phase's mark changed (this runs after every pause in typing)."""
        if self.app.loaded is not None and self._state() != self._marks:
            self.refresh()

    def render(self) -> Text:
        app = self.app
        draft = app.loaded.draft
        self._marks = self._state()
        text = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        compact = self.size.width < 100
        for i, phase in enumerate(PHASES):
            if i:
                text.append(" ")
            start = len(text)
            label = f"{i + 1}" if compact and phase != self.current else f"{i + 1} {app.t('phase.' + phase)}"
            if phase in draft.overridden_phases:
                mark, style = "⚠", "yellow"
            elif phase in draft.done_phases:
                mark, style = "✓", "green"
            else:
                mark, style = "", ""
            if phase == self.current:
                mark, style = "●", "bold reverse"
            if self.has_focus and i == self.cursor:
                style += " underline"
            text.append(label + (mark and f" {mark}"), style=style.strip())
            self._spans.append((start, len(text)))
        return text

    def action_move(self, delta: int) -> None:
        self.cursor = (self.cursor + delta) % len(PHASES)

    def action_choose(self) -> None:
        self.post_message(self.Selected(PHASES[self.cursor]))

    def on_click(self, event: events.Click) -> None:
        x = event.x - 1
        for i, (start, end) in enumerate(self._spans):
            if start <= x < end:
                self.cursor = i
                self.post_message(self.Selected(PHASES[i]))
                return
