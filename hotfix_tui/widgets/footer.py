"""The key footer, rebuilt only when the keys it shows change.

Textual's Footer recomposes (a dozen FooterKey widgets mounted, styled and laid out)
each time its screen's bindings are refreshed, which happens on every focus change and
every screen switch even when the keys shown are the same; on a phase switch that was
the largest part of the time to the first frame.
"""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class QuietFooter(Footer):
    """A Footer that skips the rebuild when the bindings it would show are those it shows."""

    _composed: tuple | None = None  # what the last compose showed (see ``_keys``)

    def _keys(self) -> tuple:
        """What the footer shows: each active binding's key, label, action, state and tooltip."""
        return tuple((key, binding.key, binding.description, binding.action, binding.show, enabled, tooltip,
                      binding.group)
                     for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items())

    def compose(self):
        self._composed = self._keys() if self._bindings_ready else None
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Born with the ``compact`` Textual gives it once mounted: the footer's for the
                # keys it binds to it, its own default for the palette key. Textual sets it
                # after the mount, which restyled every key twice per build.
                compact = FooterKey.compact._default if widget.has_class("-command-palette") else self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen) -> None:
        if self._composed is not None and self.is_attached and screen is self.screen \
                and self._keys() == self._composed:
            return  # the same keys: nothing to rebuild
        super().bindings_changed(screen)
