"""A checkbox whose mark is visible without colour: "X" when ticked, blank when not.

Textual's checkbox always draws "X" and shows its state by colour alone, which is lost
with TERM=xterm's 16 colours dimmed or with NO_COLOR.
"""

from __future__ import annotations

from textual.widgets import Checkbox


class Tick(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual's name
        return "X" if self.value else " "
