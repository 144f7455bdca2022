"""Keys a list handles itself, in the order they arrive, so a burst never reorders them.

Textual checks a focused widget's (non-priority) bindings only when its key event has
bubbled up to the app, after the widget's own queue moved on: in a burst such as
"down space" (a laggy SSH link delivers keys together) the space could be handled before
the down, and a tick land on the wrong row. A widget with this mixin runs its own
bindings (its class's and its bases', the same ones the footer shows) from its own key
handler, one key after the other. Keys it does not bind (Tab, ctrl+n…) bubble as before.
"""

from __future__ import annotations

from textual import events


class LocalKeys:
    """Mixin for a focusable widget: run its own bindings in arrival order."""

    def take_key(self, event: events.Key) -> bool:
        """Hook: True when ``event`` was used otherwise (e.g. fed to a dialog that is opening)."""
        return False

    async def on_key(self, event: events.Key) -> None:
        if self.take_key(event):
            event.stop()
            event.prevent_default()
            return
        bindings = self._bindings.key_to_bindings.get(event.key, [])  # type: ignore[attr-defined]
        for binding in bindings:
            event.stop()
            event.prevent_default()
            await self.run_action(binding.action)  # type: ignore[attr-defined]
            return
