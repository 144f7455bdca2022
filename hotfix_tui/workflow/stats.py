"""The team's numbers (issue 13 item 5): figures over many drafts, from their facts only.

Two pure steps, no I/O and no Textual:

- :func:`draft_facts` turns one draft into a small record of plain values (durations in
  seconds, ``None`` where the draft has no fact to measure from). Records are what
  ``workflow/stats_index`` caches per file, so the figures of 1,000 drafts need no parsing.
- :func:`compute` turns records into :class:`Stats`: per figure the count, the drafts that
  lacked its facts, the median and the 90th percentile.

Where each number comes from (nothing is read from typed or display text):

- the incident's start: the discovery event, the one timeline row the app itself records
  as a milestone (``source == "auto"`` and ``milestone``; the user may retime it);
- time to PR / to deploy: start → ``pr.opened_at`` / ``deploy.applied_at``;
- review wait (§7.1, "최대 1시간 내 리뷰 완료 목표"): ``merge.review_requested_at`` (else
  ``pr.opened_at``) → ``merge.merged_at``; a self-merge (§7.1 "사후 리뷰") had no review
  wait and is counted apart;
- downtime: the report's own window (``render.timeline.impact_window``: 발생 시점 or the
  discovery → the end of a stable monitoring);
- time to cause: start → ``backlog.cause_sent_at``, when the ticket first carried the root
  cause (created with it, or the §2.2 update); a "원인 파악" timeline row is typed text and
  does not count, so a draft whose ticket never got the cause is unknown;
- where time goes: the gaps between the facts' milestones, each named by the phases it spans;
- overrides by gate: the gate codes each ``Override`` records.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..model import PHASES, Draft, parse_time, timezone

# Bump when draft_facts changes what it records: cached records of an older version are
# recomputed (workflow/stats_index.py).
FACTS_VERSION = 2  # 2: time to cause from backlog.cause_sent_at

# §7.1: "최대 1시간 내 리뷰 완료 목표".
REVIEW_TARGET_SECONDS = 3600

# The figures, in the order they are shown.
FIGURES = ("time_to_cause", "time_to_pr", "review_wait", "time_to_deploy", "downtime")

# Where time goes: each gap between two facts, named by the phases it spans.
SEGMENTS = ("to_branch", "fix", "to_pr", "review", "deploy", "monitor")


def _start(draft: Draft) -> str:
    """The discovery's time: the app's own milestone row (the user may have retimed it)."""
    found = [e.at for e in draft.timeline if e.source == "auto" and e.milestone and parse_time(e.at)]
    return min(found, key=lambda at: parse_time(at)) if found else ""


def _gap(start: str, end: str) -> int | None:
    """Seconds from ``start`` to ``end`` (stored ISO times), or None when either is unknown
    or the end comes before the start (a record that cannot be measured)."""
    a, b = parse_time(start), parse_time(end)
    if a is None or b is None or b < a:
        return None
    return int((b - a).total_seconds())


def draft_facts(draft: Draft) -> dict[str, Any]:
    """One draft as the plain record the figures are computed from (JSON-serialisable)."""
    from ..render.timeline import impact_window

    start = _start(draft)
    merge, deploy = draft.merge, draft.deploy
    review = None
    if not merge.self_merge:
        review = _gap(merge.review_requested_at or draft.pr.opened_at, merge.merged_at)
    window = impact_window(draft)
    downtime = int((window[1] - window[0]).total_seconds()) if window else None
    marks = (start, draft.branch.created_at, draft.commit.pushed_at, draft.pr.opened_at, merge.merged_at,
             deploy.applied_at, deploy.monitor_ended_at)
    segments = {name: _gap(marks[i], marks[i + 1]) for i, name in enumerate(SEGMENTS)}
    return {
        "id": draft.id,
        "key": draft.backlog.jira_key,
        "phase": draft.phase,
        "hotfix": draft.is_hotfix,
        # When the incident began, for --since: the discovery, else the draft's creation.
        "at": start or draft.created_at,
        "time_to_cause": _gap(start, draft.backlog.cause_sent_at),
        "time_to_pr": _gap(start, draft.pr.opened_at),
        "review_wait": review,
        "self_merge": bool(merge.self_merge and merge.merged_at),
        "time_to_deploy": _gap(start, deploy.applied_at),
        "downtime": downtime,
        "segments": segments,
        "overrides": [code for o in draft.overrides for code in o.gate.split(",") if code.strip()],
    }


# -- figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure over the drafts: how many had it, how many lacked its facts, and its spread."""

    count: int = 0
    unknown: int = 0
    median: float | None = None  # seconds
    p90: float | None = None  # seconds, nearest rank

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "unknown": self.unknown, "median_s": _number(self.median),
                "p90_s": _number(self.p90)}


def _number(seconds: float | None) -> float | int | None:
    """Whole seconds as an int in JSON ("3600", not "3600.0")."""
    return int(seconds) if seconds is not None and float(seconds).is_integer() else seconds


def median(values: list[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def p90(values: list[float]) -> float | None:
    """The 90th percentile by nearest rank (a value that occurred); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)])


def figure(values: list[float | None], skip: int = 0) -> Figure:
    """The figure of ``values`` (None: a draft that lacked the facts); ``skip`` drafts are in
    neither column (a self-merge has no review wait to lack)."""
    known = [v for v in values if v is not None]
    return Figure(count=len(known), unknown=len(values) - len(known) - skip, median=median(known), p90=p90(known))


@dataclass
class Stats:
    """Everything ``hotfix stats`` and the Stats screen show."""

    drafts: int = 0
    since: str = ""  # ISO, "" = all drafts
    hotfix: int = 0  # on the hotfix path (the rest are regular bug fixes, §1.2)
    undated: int = 0  # left out by --since: no discovery and no creation time
    by_phase: dict[str, int] = field(default_factory=dict)  # where each draft is, in PHASES order
    figures: dict[str, Figure] = field(default_factory=dict)  # FIGURES
    review_within: int = 0  # review waits within REVIEW_TARGET_SECONDS
    review_over: int = 0
    self_merged: int = 0
    segments: dict[str, Figure] = field(default_factory=dict)  # SEGMENTS
    overrides: dict[str, int] = field(default_factory=dict)  # gate code → times passed, most first
    override_drafts: int = 0  # drafts with at least one override
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, why) not counted

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` document (its shape is documented in README.md, "hotfix stats")."""
        review = self.figures["review_wait"].to_json() | {
            "target_s": REVIEW_TARGET_SECONDS, "within_target": self.review_within,
            "over_target": self.review_over, "self_merged": self.self_merged}
        return {
            "drafts": self.drafts,
            "since": self.since or None,
            "hotfix": self.hotfix,
            "undated": self.undated,
            "by_phase": dict(self.by_phase),
            "figures": {name: (review if name == "review_wait" else self.figures[name].to_json())
                        for name in FIGURES},
            "segments": {name: self.segments[name].to_json() for name in SEGMENTS},
            "overrides": {"total": sum(self.overrides.values()), "drafts": self.override_drafts,
                          "by_gate": dict(self.overrides)},
            "skipped": [{"file": name, "error": why} for name, why in self.skipped],
        }


def compute(records: list[dict[str, Any]], since: _dt.datetime | None = None,
            skipped: list[tuple[str, str]] | None = None) -> Stats:
    """The figures over ``records`` (from :func:`draft_facts`) whose incident began at or
    after ``since`` (all when None); ``skipped`` are the drafts that could not be read."""
    undated = 0
    if since is not None:
        kept = []
        for record in records:
            at = parse_time(record.get("at") or "")
            if at is None:
                undated += 1
            elif at >= since:
                kept.append(record)
        records = kept
    phases = Counter(r["phase"] for r in records)
    by_phase = {p: phases[p] for p in PHASES if phases[p]}
    by_phase.update({p: n for p, n in phases.items() if p not in by_phase})  # a phase a newer version wrote
    self_merged = sum(1 for r in records if r["self_merge"])
    figures = {name: figure([r[name] for r in records], self_merged if name == "review_wait" else 0)
               for name in FIGURES}
    waits = [r["review_wait"] for r in records if r["review_wait"] is not None]
    gates = Counter(code for r in records for code in r["overrides"])
    return Stats(
        drafts=len(records),
        since=since.isoformat() if since is not None else "",
        hotfix=sum(1 for r in records if r["hotfix"]),
        undated=undated,
        by_phase=by_phase,
        figures=figures,
        review_within=sum(1 for w in waits if w <= REVIEW_TARGET_SECONDS),
        review_over=sum(1 for w in waits if w > REVIEW_TARGET_SECONDS),
        self_merged=self_merged,
        segments={name: figure([r["segments"].get(name) for r in records]) for name in SEGMENTS},
        overrides=dict(sorted(gates.items(), key=lambda item: (-item[1], item[0]))),
        override_drafts=sum(1 for r in records if r["overrides"]),
        skipped=list(skipped or []),
    )


# Characters json.dumps(ensure_ascii=False) leaves raw that a terminal obeys or that reorder
# what it shows (C0 it escapes itself): written as \uXXXX, the same data to a JSON reader.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f\u061c]")


def json_text(stats: Stats) -> str:
    """``hotfix stats --json``: the document, Korean kept readable, controls from drafts escaped (rule 5)."""
    import json

    text = json.dumps(stats.to_json(), ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# -- words ---------------------------------------------------------------------------------


def parse_since(text: str) -> _dt.datetime:
    """``--since``: "YYYY-MM-DD" (midnight in the configured zone) or a date with a time
    ("YYYY-MM-DD HH:MM", optionally a zone); raises ValueError."""
    value = text.strip()
    try:
        day = _dt.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is not None and len(value) == 10:
        return _dt.datetime.combine(day, _dt.time(), tzinfo=timezone())
    if len(value) < 16 or not value[:4].isdigit():
        raise ValueError(f"not a date: {value!r}")
    from .timeline import parse_typed

    parsed = parse_time(parse_typed(value))
    if parsed is None:  # parse_typed always gives an offset; kept for the type checker
        raise ValueError(f"not a date: {value!r}")
    return parsed


def duration_text(seconds: float | None) -> str:
    """A duration for the table and the bars: "45s", "12m", "1h05m", "2d03h"; "-" when unknown."""
    from .timeline import age_text

    return "-" if seconds is None else age_text(round(seconds), day_hours=True)


def width(text: str) -> int:
    """Terminal cells ``text`` takes (a Korean syllable takes two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - width(text))


def since_text(stats: Stats) -> str:
    """``--since`` as given back: the date, and the time when it is not midnight."""
    when = parse_time(stats.since)
    if when is None:
        return ""
    return when.strftime("%Y-%m-%d" if when.time() == _dt.time() else "%Y-%m-%d %H:%M")


def heading(stats: Stats, language: str) -> str:
    """The first line: how many drafts, since when, how many were left out."""
    from ..i18n import tr

    parts = [tr("stats.header", language, drafts=stats.drafts, hotfix=stats.hotfix)]
    if stats.since:
        parts.append(tr("stats.since", language, date=since_text(stats)))
    if stats.undated:
        parts.append(tr("stats.undated", language, n=stats.undated))
    return " · ".join(parts)


def table_lines(stats: Stats, language: str = "ko") -> list[str]:
    """``hotfix stats`` as text: the figures, where time goes, overrides by gate, drafts by
    phase, and the drafts not counted. Gate codes and file names are draft data: their
    controls are made visible."""
    from ..i18n import tr
    from ..textsafe import visible_line

    t = lambda key, **kw: tr(key, language, **kw)  # noqa: E731
    columns = ["", t("stats.col.n"), t("stats.col.median"), t("stats.col.p90"),
               t("stats.col.unknown")]

    def block(title: str, rows: list[tuple[str, Figure]]) -> list[str]:
        cells = [[title, *columns[1:]]]
        cells += [[label, str(f.count), duration_text(f.median), duration_text(f.p90), str(f.unknown)]
                  for label, f in rows]
        widths = [max(width(row[i]) for row in cells) for i in range(len(columns))]
        return ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in cells]

    lines = [heading(stats, language), ""]
    lines += block(t("stats.figures"), [(t(f"stats.fig.{name}"), stats.figures[name]) for name in FIGURES])
    total = stats.review_within + stats.review_over
    lines.append("  " + t("stats.review_target", within=stats.review_within, total=total, over=stats.review_over,
                          self_merged=stats.self_merged))
    if stats.figures["time_to_cause"].count == 0:
        lines.append("  " + t("stats.no_cause_fact"))
    lines.append("")
    lines += block(t("stats.segments"), [(t(f"stats.seg.{name}"), stats.segments[name]) for name in SEGMENTS])
    lines.append("")
    total_overrides = sum(stats.overrides.values())
    lines.append(t("stats.overrides", total=total_overrides, drafts=stats.override_drafts))
    if not stats.overrides:
        lines.append("  " + t("stats.no_overrides"))
    gate_width = max((width(visible_line(code)) for code in stats.overrides), default=0)
    lines += [f"  {_pad(visible_line(code), gate_width)}  {n}" for code, n in stats.overrides.items()]
    lines.append("")
    lines.append(t("stats.by_phase"))
    names = {phase: tr(f"phase.{phase}", language) if phase in PHASES else visible_line(phase)
             for phase in stats.by_phase}
    name_width = max((width(name) for name in names.values()), default=0)
    lines += [f"  {_pad(names[phase], name_width)}  {n}" for phase, n in stats.by_phase.items()]
    if stats.skipped:
        lines.append("")
        lines += [t("stats.skipped", name=visible_line(name), error=visible_line(why)) for name, why in stats.skipped]
    return lines
