"""The context bar: which Jira project, GitHub repo and kube context this draft acts on.

Always on line one, never scrolled away (k9s and lazygit teach this): an engineer must
see at a glance that the kube context is production before anything runs.
"""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ..textsafe import visible_text


class ContextBar(Static):
    DEFAULT_CSS = """
    ContextBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    _shown: tuple = ()

    def on_mount(self) -> None:
        self.refresh_bar()
        self.set_interval(30, self.refresh_bar)

    def refresh_bar(self) -> None:
        app = self.app
        config = app.config
        t = app.t
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("hotfix", style="bold")
        text.append(f" · {config.jira.project_key}")
        if not config.jira.url:
            text.append(f" ({t('offline')})", style="dim")
        text.append(f" · gh: {config.github.repo or '-'}")
        context = config.kubectl.context or "-"
        text.append(" · kube: ")
        production = bool(config.kubectl.context) and _is_production(config.kubectl.production_pattern, context)
        text.append(context, style="bold reverse red" if production else "")
        right = Text(no_wrap=True)
        loaded = getattr(app, "loaded", None)
        if loaded is not None:
            draft = loaded.draft
            text.append(f" · {draft.backlog.jira_key or draft.id}", style="bold")
            state = t("unsaved") if app.dirty else t("saved")
            right.append(f"{state} ", style="yellow" if app.dirty else "green")
        right.append(app.clock().strftime("%H:%M"))
        # The clock and save state stay visible however long the left side gets.
        if (text, right) == self._shown:
            return
        self._shown = (text, right)
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(visible_text(text), right)  # a key or context from data: controls shown, never sent
        self.update(grid)


def _is_production(pattern: str, context: str) -> bool:
    try:
        return bool(re.search(pattern, context))
    except re.error:
        return False
