"""Home: the drafts on this machine; new, resume, delete.

At 80 columns each row shows what tells drafts apart: the Jira key, the phase, how long
ago the file was saved ("3분 전") and the title, cut to the width left. A conflict copy,
a recovery copy or a second draft with the same key gets a second line naming its
file and the second it was saved, so a draft and its copy never look identical.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ..model import in_zone
from ..textsafe import visible_line
from ..widgets.context_bar import ContextBar
from ..widgets.footer import QuietFooter
from ..widgets.paint import PromptPaint

# How a copy's file name says what it is (store.save_copy, store.save_recovery).
_COPY = re.compile(r"-copy-\d{6}(-\d+)?$")
_RECOVERED = re.compile(r"-recovered-\d{8}-\d{6}(-\d+)?$")
# Cells around the title: key, phase and age columns at their widths, 2 cells of padding
# per column, and the scrollbar.
KEY_WIDTH, PHASE_WIDTH, AGE_WIDTH = 14, 10, 9
OTHER_COLUMNS = KEY_WIDTH + PHASE_WIDTH + AGE_WIDTH + 4 * 2 + 2
FIRST_ROWS = 60  # rows in the table before its first frame: more than a 50-line terminal shows


def _cell(value: str, width: int = 200) -> Text:
    """A list cell from draft data: one line, controls visible, never markup, bounded."""
    return Text(visible_line(value[:width]), no_wrap=True, overflow="ellipsis")


def saved_age(seconds: float, t) -> str:
    """How long ago a file was saved, in words: "방금", "3분 전", "2시간 전", "4일 전"."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return t("age.now")
    if seconds < 3600:
        return t("age.minutes", n=seconds // 60)
    if seconds < 86400:
        return t("age.hours", n=seconds // 3600)
    return t("age.days", n=seconds // 86400)


def middle_cut(name: str, room: int) -> str:
    """``name`` in ``room`` cells, cut in the middle: a copy's name differs at its end."""
    if cell_len(name) <= room or room < 8:
        return name
    head = (room - 1) // 2
    tail = room - 1 - head
    return name[:head] + "…" + name[-tail:]


def copy_mark(stem: str, t) -> str:
    """"사본" for a conflict copy, "복구본" for a recovery copy, "" for a draft."""
    if _RECOVERED.search(stem):
        return t("home.recovered")
    if _COPY.search(stem):
        return t("home.copy")
    return ""


class HomeScreen(PromptPaint, Screen):
    BINDINGS = [
        Binding("n", "new", "key.new"),
        Binding("enter", "open", "key.open", show=True),
        Binding("d,delete", "delete", "key.delete"),
        Binding("r", "refresh", "key.refresh"),
        Binding("s", "stats", "key.stats"),
        Binding("q", "app.quit", "key.quit"),
        Binding("question_mark,f1", "help", "key.help"),
    ]
    DEFAULT_CSS = """
    HomeScreen #title { height: 1; padding: 0 1; text-style: bold; }
    HomeScreen #empty { padding: 1 2; color: $text-muted; }
    HomeScreen DataTable { height: 1fr; }
    """

    def compose(self):
        yield ContextBar(id="context")
        yield Static(self.app.t("home.title"), id="title")
        yield DataTable(id="drafts", cursor_type="row", zebra_stripes=True)
        yield Static(self.app.t("home.empty"), id="empty")
        yield QuietFooter()

    _title_width = 0

    _listed = False  # listed since the screen was last current: its first resume need not list again

    def on_mount(self) -> None:
        self.app.translate_bindings(self)
        self.action_refresh()
        self._listed = True

    def on_resize(self) -> None:
        if self._title_width != self._title_room():
            self.action_refresh()

    def _title_room(self) -> int:
        return max(16, self.app.size.width - OTHER_COLUMNS)

    def on_screen_resume(self) -> None:
        if self._listed:  # the resume that follows mounting: the list was just read (1,000 drafts: ~0.4 s)
            self._listed = False
            return
        self.action_refresh()

    def on_screen_suspend(self) -> None:
        self._listed = False  # a draft opened meanwhile may change the list: read it again on return

    def action_refresh(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        t = self.app.t
        self._title_width = width = self._title_room()
        table.clear(columns=True)
        table.add_column(t("home.col.key"), width=KEY_WIDTH, key="key")
        table.add_column(t("home.col.phase"), width=PHASE_WIDTH, key="phase")
        table.add_column(t("home.col.saved"), width=AGE_WIDTH, key="age")
        table.add_column(t("home.col.title"), width=width, key="title")
        now = self.app.clock().timestamp()
        self.infos = self.app.store.list()
        keys = Counter(info.jira_key for info in self.infos if info.jira_key and not info.error)
        self._generation += 1
        # The first screenful goes in before the first frame; the rest right after it (a table
        # measures every cell it holds before painting: 1,000 rows cost ~0.3 s). A cursor
        # further down than the first screenful is put back only with every row present.
        shown = len(self.infos) if row and row >= FIRST_ROWS else FIRST_ROWS
        for cells, kwargs in self._rows(self.infos[:shown], keys, now, width):
            table.add_row(*cells, **kwargs)
        if shown < len(self.infos):
            # After the frame after the first: the first is drawn before the footer's keys
            # are (Textual fills the footer right after it), and the rows would delay those.
            rest = (self.infos[shown:], keys, now, width)
            self.call_after_refresh(self.call_after_refresh, self._add_rows, table, rest, self._generation)
        self.query_one("#empty").display = not self.infos
        table.display = bool(self.infos)
        if self.infos:
            if row:
                table.move_cursor(row=min(row, len(self.infos) - 1))
            table.focus()

    _generation = 0

    def _add_rows(self, table: DataTable, rest: tuple, generation: int) -> None:
        if generation != self._generation or not table.is_attached:
            return  # listed again meanwhile: these rows are stale
        for cells, kwargs in self._rows(*rest):
            table.add_row(*cells, **kwargs)

    def _rows(self, infos, keys: Counter, now: float, width: int) -> list:
        """Each draft's cells and row options, in the list's order."""
        t = self.app.t
        rows = []
        for info in infos:
            age = saved_age(now - info.saved_at, t)
            if info.error:
                rows.append((("-", "-", age, _cell(t("home.unreadable", error=info.error))), {"key": str(info.path)}))
                continue
            phase = t(f"phase.{info.phase}") if info.phase else "-"
            title = _cell(info.title or info.id)
            height = 1
            mark = copy_mark(info.path.stem, t)
            if mark or keys[info.jira_key] > 1:
                # Which is which: the file's name and the second it was saved.
                saved = in_zone(_dt.datetime.fromtimestamp(info.saved_at, _dt.timezone.utc))
                second = Text(no_wrap=True, overflow="ellipsis")
                if mark:
                    second.append(f"[{mark}] ", style="bold yellow")
                today = saved.date() == in_zone(self.app.clock()).date()
                line = t("home.file", name="\0", saved=f"{saved:%H:%M:%S}" if today else f"{saved:%m-%d %H:%M}")
                room = width - second.cell_len - cell_len(line.replace("\0", "")) - 1
                second.append(line.replace("\0", middle_cut(visible_line(info.path.stem), room)), style="dim")
                title = Text("\n", no_wrap=True, overflow="ellipsis").join([title, second])
                height = 2
            rows.append(((_cell(info.jira_key or "-"), phase, age, title), {"key": str(info.path), "height": height}))
        return rows

    def _selected_path(self):
        table = self.query_one(DataTable)
        if not self.infos or table.cursor_row is None or table.cursor_row >= len(self.infos):
            return None
        return self.infos[table.cursor_row].path

    def action_new(self) -> None:
        self.app.new_draft()

    def action_open(self) -> None:
        from ..workflow.validation import oversize_text, read_oversize

        path = self._selected_path()
        if path is None:
            return
        found = read_oversize(path)  # fast; loading such a draft for editing would take minutes
        if found:
            self.app.say(self.app.t("limit.refuse_open", path=path, fields=oversize_text(found)),
                         severity="error", timeout=20)
            return
        self.app.open_draft(path)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    @work
    async def action_delete(self) -> None:
        from .modals import ConfirmScreen

        path = self._selected_path()
        if path is None:
            return
        t = self.app.t
        if await self.app.push_screen_wait(ConfirmScreen(t("home.delete_q", name=visible_line(path.stem)),
                                                         t("yes"), t("no"))):
            try:
                backup = self.app.store.delete(path)
            except OSError as exc:  # a read-only or full drafts folder: say so, keep the draft
                self.app.say(t("home.delete_failed", name=path.stem, error=exc.strerror or exc),
                             severity="error", timeout=15)
                return
            self.app.say(t("home.deleted", path=backup))
            self.action_refresh()

    def action_help(self) -> None:
        self.app.show_help("")

    def action_stats(self) -> None:
        from .stats import StatsScreen

        self.app.push_screen(StatsScreen())
