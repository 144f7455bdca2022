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
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from ..model import in_zone
from ..textsafe import visible_line, visible_text


# Between parts: a visible bar, so "TERRAFORM-16" and "저장 안 됨" never run together.
SEPARATOR = " │ "
# Which parts go first when 80 columns are not enough (lowest first); the draft's key,
# its save state and the clock are never dropped, and the kube context only shortened.
KEEP, KUBE, JIRA, GITHUB, BRAND = 100, 80, 50, 40, 10
MIN_KUBE = 12  # "kube: prod-s…": enough to tell production from staging


@dataclass
class Part:
    text: Text
    priority: int
    shrink: bool = False  # may be cut with "…" once every lower part is gone


def fit_parts(left: list[Part], right: list[Part], width: int) -> Text:
    """One header line of ``width`` cells: ``left`` parts, then ``right`` ones flush right,
    all separated by SEPARATOR. Parts are dropped lowest priority first until the line
    fits; a ``shrink`` part is then cut (never below MIN_KUBE); a KEEP part never is."""
    left, right = list(left), list(right)

    def total() -> int:
        parts = left + right
        return sum(p.text.cell_len for p in parts) + len(SEPARATOR) * max(0, len(parts) - 1)

    while total() > width:
        droppable = [p for p in left + right if p.priority < KEEP and not p.shrink]
        if not droppable:
            break
        lowest = min(droppable, key=lambda p: p.priority)
        (left if lowest in left else right).remove(lowest)
    over = total() - width
    for part in left + right:
        if over > 0 and part.shrink:
            keep = max(MIN_KUBE, part.text.cell_len - over)
            if keep < part.text.cell_len:
                over -= part.text.cell_len - keep
                part.text = part.text.copy()
                part.text.truncate(keep, overflow="ellipsis")
    line = Text(no_wrap=True, overflow="ellipsis")
    for i, part in enumerate(left):
        if i:
            line.append(SEPARATOR, style="dim")
        line.append_text(part.text)
    tail = Text(no_wrap=True)
    for i, part in enumerate(right):
        if i:
            tail.append(SEPARATOR, style="dim")
        tail.append_text(part.text)
    gap = width - line.cell_len - tail.cell_len
    if left and right:
        if gap >= len(SEPARATOR):
            line.append(" " * (gap - len(SEPARATOR) + 1))
            line.append(SEPARATOR.strip() + " ", style="dim")
        else:
            line.append(" " * max(1, gap))
    line.append_text(tail)
    line.truncate(max(width, 1), overflow="ellipsis")
    return line


class ContextBar(Static):
    DEFAULT_CSS = """
    ContextBar { width: 1fr; height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    _shown: tuple = ()

    def on_mount(self) -> None:
        self.refresh_bar()
        self.set_interval(30, self.refresh_bar)
        # After the first frame: the check service is built on first use (terraform and
        # kubectl modules), and the first frame need not wait for it.
        self.call_after_refresh(self._start_kube_read)

    def _start_kube_read(self) -> None:
        services = getattr(self.app, "services", None)
        if services is None:
            return
        if services.built("checks"):
            checks = getattr(services, "checks", None)
            if checks is None or checks.kube_context_known is not None:
                return  # no kubectl in this app, or read already
        # The worker builds the check service if need be, off the event loop.
        self.run_worker(self._read_kube_context, thread=True, exclusive=True, exit_on_error=False,
                        group="kube-context", description="kubectl config current-context")

    def on_resize(self) -> None:
        self.refresh_bar()

    def _checks(self):
        services = getattr(self.app, "services", None)
        return getattr(services, "checks", None)

    def _read_kube_context(self) -> None:
        checks = self._checks()
        if checks is None:
            return
        if checks.kube_context_known is None:
            checks.kube_context()
        self.app.call_from_thread(self._kube_context_read)

    def _kube_context_read(self) -> None:
        if self.is_attached:
            self.refresh_bar()

    def _kube(self) -> tuple[str, str]:
        return kube_label(self.app)

    def parts(self) -> tuple[list[Part], list[Part]]:
        """(left, right) parts of the header, each with its priority."""
        app = self.app
        config = app.config
        t = app.t
        left: list[Part] = []
        loaded = getattr(app, "loaded", None)
        if loaded is not None:
            draft = loaded.draft
            left.append(Part(Text(draft.backlog.jira_key or draft.id, style="bold"), KEEP))
        else:
            left.append(Part(Text("hotfix", style="bold"), BRAND))
        kube = Text("kube: ")
        kube.append(*self._kube())
        left.append(Part(kube, KUBE, shrink=True))
        jira = Text(f"jira: {config.jira.project_key}")
        if not config.jira.url:
            jira.append(f" ({t('offline')})", style="dim")
        left.append(Part(jira, JIRA))
        left.append(Part(Text(f"gh: {config.github.repo or '-'}"), GITHUB))
        right: list[Part] = []
        if loaded is not None:
            problem = getattr(app, "save_problem", "")
            if problem:  # the banner says why; the header says it is not on disk
                state = Text(t("hdr.conflict" if problem == "conflict" else "hdr.save_failed"), style="bold red")
            else:
                state = Text(t("unsaved") if app.dirty else t("saved"), style="yellow" if app.dirty else "green")
            right.append(Part(state, KEEP))
        right.append(Part(Text(clock_text(app.clock())), KEEP))
        return left, right

    def refresh_bar(self) -> None:
        left, right = self.parts()
        for part in left + right:  # a key or context from data: controls shown, never sent
            part.text = visible_text(part.text)
        width = self.content_region.width or max(0, self.app.size.width - 2)
        line = fit_parts(left, right, width)
        if (line, width) == self._shown:
            return
        self._shown = (line, width)
        # One row across the screen whatever it says: repainting it needs no layout of the
        # screen (a layout per autosave's "saved" mark delayed the keystroke behind it).
        self.update(line, layout=False)


def kube_label(app) -> tuple[str, str]:
    """(text, style) naming the kube context this session's kubectl commands are pinned to.

    ``[kubectl] context``, else the current context the check service read at start
    (red when it matches ``production_pattern``), else why there is none.
    """
    kc = app.config.kubectl
    services = getattr(app, "services", None)
    # Not built yet (it is right after the first frame): asking here would build it.
    coming = services is not None and not services.built("checks")
    checks = None if services is None or coming else getattr(services, "checks", None)
    known = checks.kube_context_known if checks is not None else None  # a services.kubectl.KubeContext
    if known is None and kc.context:
        from ..services.kubectl import KubeContext  # (here: not needed for the first frame)

        known = KubeContext(kc.context, True, "", _is_production(kc.production_pattern, kc.context))
    if known is None:
        # Without a check service (tests of other screens) this app runs no kubectl at all.
        return (app.t("kube.reading"), "dim") if checks is not None or coming else ("-", "")
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
