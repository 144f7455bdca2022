"""The Stats screen: the team's numbers over every draft, as horizontal bars drawn with text.

The figures are ``workflow/stats.py``'s (the ones ``hotfix stats`` prints), read in a thread
through the stat-keyed cache (``workflow/stats_index.py``) so 1,000 drafts do not hold the
screen. Bars are Rich text (full and eighth blocks), sized to the width the screen has,
so they read at 80x24 (the page scrolls) and at 200x50 (it fits). Esc goes back.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..model import PHASES
from ..textsafe import visible_line
from ..widgets.context_bar import ContextBar
from ..widgets.paint import PromptPaint
from ..workflow.stats import FIGURES, SEGMENTS, Stats, duration_text, heading

EIGHTHS = " ▏▎▍▌▋▊▉"
MAX_LABEL = 24  # cells: a longer label (a gate code from a draft) is cut with "…"
MIN_BAR = 8
MAX_BAR = 60  # cells: at 200 columns a longer bar says no more and pushes its figure far away


def bar(value: float, scale: float, cells: int) -> str:
    """``value`` of ``scale`` as ``cells`` wide a bar, to an eighth of a cell; "" for nothing."""
    if cells <= 0 or scale <= 0 or value <= 0:
        return ""
    eighths = max(1, round(min(value / scale, 1.0) * cells * 8))  # a value above 0 always shows
    return "█" * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")


def _fit(label: str, cells: int) -> str:
    """``label`` padded or cut ("…") to exactly ``cells`` terminal cells."""
    if cell_len(label) > cells:
        while label and cell_len(label) > cells - 1:
            label = label[:-1]
        label += "…"
    return label + " " * (cells - cell_len(label))


def chart(title: str, rows: list[tuple[str, float | None, str]], width: int, style: str = "cyan",
          styles: tuple[str, ...] = ()) -> Text:
    """A titled chart: per row its label, a bar (its value against the largest), and a note;
    ``styles`` colour the rows' bars one by one (else all are ``style``)."""
    text = Text(title, style="bold")
    if not rows:
        return text
    rows = [(visible_line(label), value, visible_line(note)) for label, value, note in rows]  # labels may be draft data
    label_cells = min(MAX_LABEL, max(cell_len(label) for label, _, _ in rows))
    note_cells = max(cell_len(note) for _, _, note in rows)
    bar_cells = min(MAX_BAR, max(MIN_BAR, width - label_cells - note_cells - 4))
    scale = max((value for _, value, _ in rows if value), default=0)
    for index, (label, value, note) in enumerate(rows):
        text.append("\n  " + _fit(label, label_cells) + " ")
        drawn = bar(value or 0, scale, bar_cells)
        text.append(drawn, style=styles[index] if index < len(styles) else style)
        text.append(" " * (bar_cells - cell_len(drawn)) + " ")
        text.append(note, style="dim" if value is None else "")
    return text


class StatsScreen(PromptPaint, Screen):
    """Every draft's figures: how long, the §7.1 review target, where time goes, overrides, phases."""

    BINDINGS = [
        Binding("escape", "home", "key.home"),
        Binding("r", "refresh", "key.refresh"),
    ]
    DEFAULT_CSS = """
    StatsScreen #title { height: 1; padding: 0 1; text-style: bold; }
    StatsScreen #stats-page { height: 1fr; padding: 0 1; }
    """

    stats: Stats | None = None

    def compose(self):
        yield ContextBar(id="context")
        yield Static(self.app.t("stats.title"), id="title", markup=False)
        with VerticalScroll(id="stats-page"):
            yield Static(self.app.t("stats.loading"), id="stats-body", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.app.translate_bindings(self)
        self.query_one("#stats-page").focus()  # ↑↓/pgup/pgdn scroll at once
        self.action_refresh()

    def on_resize(self) -> None:
        self._draw()

    def action_home(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, group="stats", description="read the drafts' facts")
    def _read(self) -> None:
        from ..workflow.stats import compute
        from ..workflow.stats_index import read_records

        records, skipped = read_records(self.app.store)
        stats = compute(records, None, skipped)
        self.app.call_from_thread(self._loaded, stats)

    def _loaded(self, stats: Stats) -> None:
        self.stats = stats
        self._draw()

    def _draw(self) -> None:
        if self.stats is None or not self.is_attached:
            return
        page = self.query_one("#stats-page")
        width = max(40, (page.size.width or self.app.size.width) - 3)  # padding and the scrollbar
        self.query_one("#stats-body", Static).update(self.render_stats(self.stats, width))

    def render_stats(self, stats: Stats, width: int) -> Group:
        """The page: the heading, then one chart per figure group (each scaled to its largest)."""
        t = self.app.t
        parts: list[Text] = [Text(heading(stats, self.app.config.ui.language), style="bold")]
        if not stats.drafts:
            parts.append(Text(t("stats.none"), style="dim"))

        def timed(figure) -> str:
            return t("stats.bar_value", median=duration_text(figure.median), p90=duration_text(figure.p90),
                     count=figure.count, unknown=figure.unknown)

        parts.append(Text())
        parts.append(chart(t("stats.figures"), [(t(f"stats.fig.{name}"), stats.figures[name].median,
                                                 timed(stats.figures[name])) for name in FIGURES], width))
        if stats.figures["time_to_cause"].count == 0:
            parts.append(Text("  " + t("stats.no_cause_fact"), style="dim"))
        parts.append(Text())
        total = stats.review_within + stats.review_over
        title = t("stats.review_target", within=stats.review_within, total=total, over=stats.review_over,
                  self_merged=stats.self_merged)
        waits = [(t("stats.review_within"), float(stats.review_within), str(stats.review_within)),
                 (t("stats.review_over"), float(stats.review_over), str(stats.review_over))]
        parts.append(chart(title, waits, width, styles=("green", "red")))
        parts.append(Text())
        parts.append(chart(t("stats.segments"), [(t(f"stats.seg.{name}"), stats.segments[name].median,
                                                  timed(stats.segments[name])) for name in SEGMENTS], width))
        parts.append(Text())
        overrides = [(visible_line(code), float(n), str(n)) for code, n in stats.overrides.items()]
        title = t("stats.overrides", total=sum(stats.overrides.values()), drafts=stats.override_drafts)
        parts.append(chart(title, overrides, width, style="yellow"))
        if not overrides:
            parts.append(Text("  " + t("stats.no_overrides"), style="dim"))
        parts.append(Text())
        phases = [(t(f"phase.{p}") if p in PHASES else visible_line(p), float(n), str(n))
                  for p, n in stats.by_phase.items()]
        parts.append(chart(t("stats.by_phase"), phases, width, style="blue"))
        if stats.skipped:
            parts.append(Text())
            for name, why in stats.skipped:
                parts.append(Text(t("stats.skipped", name=visible_line(name), error=visible_line(why)),
                                  style="yellow", no_wrap=True, overflow="ellipsis"))
        return Group(*parts)
