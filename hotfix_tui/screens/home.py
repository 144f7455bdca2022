"""Home: the drafts on this machine (Jira key, title, phase, last saved, age); new, resume, delete."""

from __future__ import annotations

import datetime as _dt

from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ..model import in_zone
from ..textsafe import visible_line
from ..widgets.context_bar import ContextBar
from ..workflow.timeline import age_text


def _cell(value: str, width: int = 200) -> Text:
    """A list cell from draft data: one line, controls visible, never markup, bounded."""
    return Text(visible_line(value[:width]), no_wrap=True, overflow="ellipsis")


class HomeScreen(Screen):
    BINDINGS = [
        Binding("n", "new", "key.new"),
        Binding("enter", "open", "key.open", show=True),
        Binding("d,delete", "delete", "key.delete"),
        Binding("r", "refresh", "key.refresh"),
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
        yield Footer()

    def on_mount(self) -> None:
        self.app.translate_bindings(self)
        table = self.query_one(DataTable)
        t = self.app.t
        table.add_columns(t("home.col.key"), t("home.col.title"), t("home.col.phase"),
                          t("home.col.saved"), t("home.col.age"))
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        now = self.app.clock().timestamp()
        t = self.app.t
        self.infos = self.app.store.list()
        for info in self.infos:
            saved = in_zone(_dt.datetime.fromtimestamp(info.saved_at, _dt.timezone.utc)).strftime("%m-%d %H:%M")
            if info.error:
                table.add_row("-", _cell(t("home.unreadable", error=info.error)), "-", saved, "-", key=str(info.path))
                continue
            try:
                created = _dt.datetime.fromisoformat(info.created_at).timestamp()
                age = age_text(now - created)
            except ValueError:
                age = "-"
            phase = t(f"phase.{info.phase}") if info.phase else "-"
            table.add_row(_cell(info.jira_key or "-"), _cell(info.title or info.id), phase, saved, age,
                          key=str(info.path))
        self.query_one("#empty").display = not self.infos
        table.display = bool(self.infos)
        if self.infos:
            table.focus()

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
