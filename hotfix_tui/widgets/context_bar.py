"""The context bar: which Jira project, GitHub repo and kube context this draft acts on.

Always on line one, never scrolled away (k9s and lazygit teach this): an engineer must
see at a glance that the kube context is production before anything runs.

With ``[kubectl] context`` empty, the context shown is kubectl's current one, read once
at start in a thread worker; the check service pins every kubectl command to it, so what
the header says is where the commands go. When it cannot be read the header says why,
never a bare "-".
"""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ..model import in_zone
from ..services.kubectl import KubeContext
from ..textsafe import visible_line, visible_text


class ContextBar(Static):
    DEFAULT_CSS = """
    ContextBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    _shown: tuple = ()

    def on_mount(self) -> None:
        self.refresh_bar()
        self.set_interval(30, self.refresh_bar)
        checks = self._checks()
        if checks is not None and checks.kube_context_known is None:
            self.run_worker(self._read_kube_context, thread=True, exclusive=True, exit_on_error=False,
                            group="kube-context", description="kubectl config current-context")

    def _checks(self):
        services = getattr(self.app, "services", None)
        return getattr(services, "checks", None)

    def _read_kube_context(self) -> None:
        checks = self._checks()
        if checks is None:
            return
        checks.kube_context()
        self.app.call_from_thread(self._kube_context_read)

    def _kube_context_read(self) -> None:
        if self.is_attached:
            self.refresh_bar()

    def _kube(self) -> tuple[str, str]:
        return kube_label(self.app)

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
        text.append(" · kube: ")
        text.append(*self._kube())
        right = Text(no_wrap=True)
        loaded = getattr(app, "loaded", None)
        if loaded is not None:
            draft = loaded.draft
            text.append(f" · {draft.backlog.jira_key or draft.id}", style="bold")
            state = t("unsaved") if app.dirty else t("saved")
            right.append(f"{state} ", style="yellow" if app.dirty else "green")
        right.append(clock_text(app.clock()))
        # The clock and save state stay visible however long the left side gets.
        if (text, right) == self._shown:
            return
        self._shown = (text, right)
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(visible_text(text), right)  # a key or context from data: controls shown, never sent
        self.update(grid)


def kube_label(app) -> tuple[str, str]:
    """(text, style) naming the kube context this session's kubectl commands are pinned to.

    ``[kubectl] context``, else the current context the check service read at start
    (red when it matches ``production_pattern``), else why there is none.
    """
    kc = app.config.kubectl
    services = getattr(app, "services", None)
    checks = getattr(services, "checks", None)
    known: KubeContext | None = checks.kube_context_known if checks is not None else None
    if known is None and kc.context:
        known = KubeContext(kc.context, True, "", _is_production(kc.production_pattern, kc.context))
    if known is None:
        # Without a check service (tests of other screens) this app runs no kubectl at all.
        return (app.t("kube.reading"), "dim") if checks is not None else ("-", "")
    if known.name:
        return visible_line(known.name), "bold reverse red" if known.production else ""
    problem = {"no current context": "kube.no_context", "kubectl not found": "kube.missing"}.get(known.problem)
    text = app.t(problem) if problem else app.t("kube.unknown", problem=visible_line(known.problem))
    return text, "yellow"


def _is_production(pattern: str, context: str) -> bool:
    try:
        return bool(re.search(pattern, context))
    except re.error:
        return False


def clock_text(when) -> str:
    """The header clock: "02:10 KST", in the configured zone ([ui] timezone), named."""
    shown = in_zone(when)
    return f"{shown:%H:%M} {shown.tzname() or shown.strftime('%z')}"
