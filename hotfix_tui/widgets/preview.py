"""The live preview: exactly the text a phase produces, rendered or raw, never typed-in.

Updated by its screen shortly after a pause in typing (never inside a key handler). While
the text is being edited the Markdown is laid out off the event loop: one thread worker at
a time renders the newest text to terminal segments at the body's width, a result for text
that has since changed is dropped (the newest text wins), and a result equal to what is on
screen is not repainted. What the user asks to see (the preview appearing, another artifact
or format) is rendered at once, so it never shows a blank pane. While hidden (one pane at a
time at 80 columns) the text is only remembered.

Only the first ``PREVIEW_LIMIT`` characters are shown (with a note saying so): copy and
export still take the whole text. Text is shown with control characters made visible
(``textsafe.visible``) before it is rendered on any path: a draft's ESC is never sent to
the terminal.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from rich.console import Group
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Region
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from ..textsafe import visible

if TYPE_CHECKING:
    from rich.markdown import Markdown

MODES = ("rendered", "source", "jira")

PREVIEW_LIMIT = 10_000  # characters: several screens; every re-render after a pause in typing lays out all of it


@cache
def _parser():
    """markdown-it, made on the first Markdown render: a screen whose preview is hidden
    (80 columns) never pays its import at start-up."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["strikethrough", "table"])


def render_markdown(text: str) -> "Markdown":
    """Rich Markdown parsed with HTML off: "<pending>" is text in Jira and GitHub alike,
    and Rich's default parser would silently drop it from the preview."""
    from rich.markdown import Markdown

    md = Markdown("", code_theme="ansi_dark", hyperlinks=False)
    md.markup = text
    md.parsed = _parser().parse(text)
    return md


def build_content(text: str, mode: str, markdown: bool, note: str | None):
    """The renderable for ``text`` (control characters made visible first, cut at the limit)."""
    shown = visible(text[:PREVIEW_LIMIT])
    content = render_markdown(shown) if mode == "rendered" and markdown else Text(shown)
    if note is not None:
        content = Group(content, Text(note, style="bold yellow"))
    return content


class Laid:
    """``content`` already laid out to segments at ``width``: painting it at that width only
    copies the segments; at any other width (a resize, a scrollbar appearing) it is laid out
    again from ``content``, so the picture is always the one ``content`` gives."""

    def __init__(self, content, width: int, segments: list) -> None:
        self.content = content
        self.width = width
        self.segments = segments
        self.lines = [tuple(line) for line in Segment.split_lines(segments)]  # to find the rows that changed

    def __rich_console__(self, console, options):
        if options.max_width == self.width:
            yield from self.segments
        else:
            yield from console.render(self.content, options)

    def __rich_measure__(self, console, options):
        return Measurement.get(console, options, self.content)


def lay_out(console, options, content, width: int):
    """Lay ``content`` out at ``width`` as the preview body would (thread-safe: reads only).
    Plain text stays a ``Text``: Textual shows it as its own content, cheaply."""
    if isinstance(content, Text):
        return content
    return Laid(content, width, list(console.render(content, options.update_width(width))))


class PreviewBody(Static):
    """The preview's text: repainted whole when its height or width changes, otherwise only
    in the rows whose segments changed (rows scrolled out of view send nothing)."""

    _laid = None

    @property
    def content(self):
        return self._laid if self._laid is not None else super().content

    def render(self):
        return self._laid if self._laid is not None else super().render()

    def show(self, laid) -> None:
        old, self._laid = self._laid, laid
        if (isinstance(old, Laid) and isinstance(laid, Laid) and old.width == laid.width > 0
                and laid.width == self.size.width and len(old.lines) == len(laid.lines)):
            rows = [y for y, (a, b) in enumerate(zip(old.lines, laid.lines)) if a != b]
            if rows:
                self.refresh(*(Region(0, y, self.size.width, 1) for y in rows))
            return
        self.refresh(layout=True)


class Preview(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    Preview { border: round $primary-background; padding: 0 1; }
    Preview:focus { border: round $primary; }
    Preview > Static { width: 100%; }
    """

    def compose(self):
        yield PreviewBody(id="preview-body")

    _shown: tuple = ()     # what the body shows (title, text, mode, markdown)
    _wanted: tuple = ()    # the newest text the screen asked for
    _painted = None  # the body's laid-out segments (or Text) and width, to skip an identical repaint
    _busy: Worker | None = None  # the one render in flight
    renders = 0  # body repaints (for tests and benchmarks)

    @property
    def pending(self) -> bool:
        """Whether the preview, while shown, still owes a newer text than the one it shows
        (a render in flight or about to start): what "settled" waits for in tests."""
        return bool(self.display) and (self._busy is not None or (bool(self._wanted) and self._wanted != self._shown))

    def show(self, title: str, text: str, mode: str, markdown: bool) -> None:
        """Show ``text``; while the preview is hidden it is only remembered, and rendered
        when the preview is shown. An edit of the text shown is laid out off the event loop."""
        self._wanted = (title, text, mode, markdown)
        if not self.display:
            return
        shown = self._shown
        if shown and shown[0] == title and shown[2:] == (mode, markdown) and self._body_width() > 0:
            self._render_later()
        else:
            self._render_now()

    def on_show(self) -> None:
        self.render_shown()

    def render_shown(self) -> None:
        """The preview has just been made visible: show the newest text at once."""
        self._render_now()

    def _body_width(self) -> int:
        return self.query_one(PreviewBody).size.width

    def _job(self) -> tuple:
        """What a render needs, read on the event loop: the wanted text, its note, the width."""
        title, text, mode, markdown = self._wanted
        note = None
        if len(text) > PREVIEW_LIMIT:
            note = self.app.t("limit.preview_cut", shown=PREVIEW_LIMIT, total=len(text))
        width = self._body_width()
        options = self.app.console_options.update(highlight=False, width=width or 1)
        return self._wanted, (text, mode, markdown, note), width, options

    def _render_now(self) -> None:
        if not self._wanted or self._wanted == self._shown:
            return  # same text: no re-render, no re-layout
        wanted, args, width, options = self._job()
        content = build_content(*args)
        if width > 0 or isinstance(content, Text):
            self._apply(wanted, lay_out(self.app.console, options, content, width))
        else:  # not laid out yet: the body lays it out when it is
            self._apply(wanted, Laid(content, -1, []))

    def _render_later(self) -> None:
        """Start the one render thread unless one is running (it starts the next when done)."""
        if not self._wanted or self._wanted == self._shown or self._busy is not None:
            return
        wanted, args, width, options = self._job()
        console = self.app.console

        def render() -> tuple:
            return wanted, lay_out(console, options, build_content(*args), width)

        self._busy = self.run_worker(render, thread=True, group="preview-render", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._busy or event.state not in (
                WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        self._busy = None
        if event.state == WorkerState.SUCCESS:
            wanted, laid = event.worker.result
            if wanted == self._wanted and self.display:  # a result for older text is dropped
                self._apply(wanted, laid)
        elif event.state == WorkerState.ERROR:  # never leave the preview stale: lay out here
            self._shown = ()
            self._render_now()
            return
        self._render_later()  # the text changed meanwhile: render the newest

    def _apply(self, wanted: tuple, laid) -> None:
        self._shown = wanted
        title = visible(wanted[0])
        if self.border_title != title:  # setting it, even to the same title, repaints the whole pane
            self.border_title = title
        painted = (laid, None) if isinstance(laid, Text) else (laid.segments, laid.width)
        if painted == self._painted and (painted[1] is None or painted[1] > 0):
            return  # the same picture: nothing to repaint
        self._painted = painted
        self.renders += 1
        self.query_one(PreviewBody).show(laid)
