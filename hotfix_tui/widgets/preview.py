"""The live preview: exactly the text a phase produces, rendered or raw, never typed-in.

Updated by its screen on a debounce (never inside a key handler), so typing stays fast
however long the description grows. Only the first ``PREVIEW_LIMIT`` characters are shown
(with a note saying so): laying out megabytes of Markdown after each pause in typing would
freeze the screen; copy and export still take the whole text. Text is shown with control
characters made visible (``textsafe.visible``): a draft's ESC is never sent to the terminal.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from rich.markdown import Markdown
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..textsafe import visible

MODES = ("rendered", "source", "jira")

PREVIEW_LIMIT = 10_000  # characters: several screens; every re-render after a pause in typing lays out all of it

_PARSER = MarkdownIt("commonmark", {"html": False}).enable(["strikethrough", "table"])


def render_markdown(text: str) -> Markdown:
    """Rich Markdown parsed with HTML off: "<pending>" is text in Jira and GitHub alike,
    and Rich's default parser would silently drop it from the preview."""
    md = Markdown("", code_theme="ansi_dark", hyperlinks=False)
    md.markup = text
    md.parsed = _PARSER.parse(text)
    return md


class Preview(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    Preview { border: round $primary-background; padding: 0 1; }
    Preview:focus { border: round $primary; }
    Preview > Static { width: 100%; }
    """

    def compose(self):
        yield Static(id="preview-body")

    _shown: tuple = ()
    _wanted: tuple = ()

    def show(self, title: str, text: str, mode: str, markdown: bool) -> None:
        """Show ``text``; while the preview is hidden (one pane at a time at 80 columns) it is
        only remembered, and rendered when the preview is shown: typing with the form in
        front never pays for laying out Markdown nobody sees."""
        self._wanted = (title, text, mode, markdown)
        if self.display:
            self._render_wanted()

    def on_show(self) -> None:
        self._render_wanted()

    def _render_wanted(self) -> None:
        if not self._wanted or self._wanted == self._shown:
            return  # same text: no re-render, no re-layout
        title, text, mode, markdown = self._shown = self._wanted
        self.border_title = visible(title)
        body = self.query_one("#preview-body", Static)
        total = len(text)
        shown = visible(text[:PREVIEW_LIMIT])
        if mode == "rendered" and markdown:
            content = render_markdown(shown)
        else:
            content = Text(shown)
        if total > PREVIEW_LIMIT:
            from rich.console import Group

            note = Text(self.app.t("limit.preview_cut", shown=PREVIEW_LIMIT, total=total), style="bold yellow")
            content = Group(content, note)
        body.update(content)
