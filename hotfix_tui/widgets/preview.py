"""The live preview: exactly the text a phase produces, rendered or raw, never typed-in.

Updated by its screen on a debounce (never inside a key handler), so typing stays fast
however long the description grows.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from rich.markdown import Markdown
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

MODES = ("rendered", "source", "jira")

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

    def show(self, title: str, text: str, mode: str, markdown: bool) -> None:
        if (title, text, mode, markdown) == self._shown:
            return  # same text: no re-render, no re-layout
        self._shown = (title, text, mode, markdown)
        self.border_title = title
        body = self.query_one("#preview-body", Static)
        if mode == "rendered" and markdown:
            body.update(render_markdown(text))
        else:
            body.update(Text(text))
