"""The part of a form below its first screenful, mounted right after the first frame.

A phase screen's first frame waited for every field of the form to be built, styled and
laid out, also those several screens below (the §8 report fields, the timeline), which
no one sees before scrolling. ``Later`` (after Textual's ``Lazy``) takes the widgets
composed into it, shows nothing in the first frame, and mounts them in their place right
after it; then it calls ``then`` so the screen can finish what needs the whole form
(findings of those fields, where focus lands). Until then the app holds typed keys
(``PhaseScreen.landed``), so nothing typed goes to the wrong field.
"""

from __future__ import annotations

from typing import Callable

from textual.containers import Vertical
from textual.widget import Widget


class LaterPart(Vertical):
    """What ``Later`` mounts: the rest of the form, in the form's own layout."""

    DEFAULT_CSS = """
    LaterPart { height: auto; }
    """


class Later(Widget):
    DEFAULT_CSS = """
    Later { display: none; }
    """

    def __init__(self, then: Callable[[], None]) -> None:
        super().__init__()
        self.part = LaterPart()
        self._then = then

    def compose_add_child(self, widget: Widget) -> None:
        self.part.compose_add_child(widget)

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        self.call_after_refresh(self._mount_part)

    async def _mount_part(self) -> None:
        parent = self.parent
        if parent is None or not self.is_attached:
            return  # the screen was closed before its first frame
        try:
            await parent.mount(self.part, after=self)
            await self.remove()
        finally:
            self._then()
