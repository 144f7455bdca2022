"""The RCA's timeline (§8.1) and the report's downtime (§8.3), derived from the draft's facts.

The draft's ``timeline`` is the detail log (every phase done, check run, tool error…),
shown in the wizard. The RCA lists only milestones, as the seed does: those the facts
establish (PR opened, merged, deployed and verified) and the events marked
``milestone`` (the discovery, and any row the user marks, such as "cause identified").
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ..model import Draft, timezone

# The seed's words for the milestones the facts establish (§8.1 example), per language.
WORDS = {
    "ko": {
        "pushed": "수정 완료",
        "pr_opened": "수정 완료 및 PR 생성",
        "merged": "PR 리뷰 및 머지",
        "applied": "배포 완료",
        "verified": "배포 완료 및 정상 동작 확인",
        "regressed": "배포 후 문제 재발",
    },
    "en": {
        "pushed": "Fix done",
        "pr_opened": "Fix done and PR opened",
        "merged": "PR reviewed and merged",
        "applied": "Deployed",
        "verified": "Deployed and verified working",
        "regressed": "Problem came back after the deploy",
    },
}


@dataclass(frozen=True)
class Milestone:
    at: _dt.datetime | None  # None: a row whose time does not parse (shown as typed)
    raw: str  # the stored time
    text: str


def _parse(value: str) -> _dt.datetime | None:
    try:
        when = _dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone())


def _zone(name: str) -> _dt.tzinfo | None:
    if not name:
        return None  # each time in the offset it was stored with
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ValueError, OSError, LookupError):
        return None


def _shown(when: _dt.datetime, zone_name: str) -> _dt.datetime:
    zone = _zone(zone_name)
    return when.astimezone(zone) if zone is not None else when


def _one_line(value: str) -> str:
    return " ".join(value.split())


def milestones(draft: Draft, language: str = "ko") -> list[Milestone]:
    """The RCA's rows in time order: marked events plus the facts' milestones."""
    words = WORDS.get(language, WORDS["ko"])
    rows = [Milestone(_parse(e.at), e.at, _one_line(e.text))
            for e in draft.timeline if e.milestone and e.text.strip()]
    facts: list[tuple[str, str]] = []
    if draft.pr.opened_at:
        facts.append((draft.pr.opened_at, words["pr_opened"]))
    elif draft.commit.pushed_at:
        facts.append((draft.commit.pushed_at, words["pushed"]))
    if draft.merge.merged_at:
        facts.append((draft.merge.merged_at, words["merged"]))
    deploy = draft.deploy
    if deploy.outcome == "stable" and deploy.monitor_ended_at:
        facts.append((deploy.monitor_ended_at, words["verified"]))
    elif deploy.applied_at:
        facts.append((deploy.applied_at, words["applied"]))
        if deploy.outcome == "regressed" and deploy.monitor_ended_at:
            facts.append((deploy.monitor_ended_at, words["regressed"]))
    for at, text in facts:
        when = _parse(at)
        if when is not None:
            rows.append(Milestone(when, at, text))
    rows.sort(key=lambda m: (m.at is None, m.at.timestamp() if m.at else 0))
    return rows


def timeline_lines(draft: Draft, language: str = "ko", zone: str = "") -> list[str]:
    """``- 14:30: text`` per milestone; ``- 10-19 23:50: text`` once the days differ."""
    rows = milestones(draft, language)
    shown = [(_shown(m.at, zone) if m.at else None, m) for m in rows]
    days = {when.date() for when, _ in shown if when is not None}
    lines = []
    for when, m in shown:
        if when is None:
            stamp = m.raw.strip() or "??:??"
        elif len(days) > 1:
            stamp = when.strftime("%m-%d %H:%M")
        else:
            stamp = when.strftime("%H:%M")
        lines.append(f"- {stamp}: {m.text}")
    return lines


def impact_window(draft: Draft) -> tuple[_dt.datetime, _dt.datetime] | None:
    """(impact start, recovery verified), when both are known.

    The start is the typed 발생 시점 (``backlog.since``) when it is a time, else the
    first milestone (the discovery); the end is the monitoring's end with a stable outcome.
    """
    deploy = draft.deploy
    if deploy.outcome != "stable" or not deploy.monitor_ended_at:
        return None
    end = _parse(deploy.monitor_ended_at)
    start = _since(draft)
    if start is None:
        marked = [m.at for m in milestones(draft) if m.at is not None]
        start = min(marked) if marked else None
    if end is None or start is None or end < start:
        return None
    return start, end


def _since(draft: Draft) -> _dt.datetime | None:
    text = draft.backlog.since.strip()
    if not text:
        return None
    # The typed-time parser lives in workflow (above this layer); a stored ISO time or
    # "YYYY-MM-DD HH:MM[±HH:MM]" is what the wizard writes, so plain ISO is read here.
    return _parse(text.replace(" ", "T", 1)) if len(text) >= 16 else None


def downtime_text(draft: Draft, language: str = "ko") -> str:
    """The report's 다운타임 computed from the facts, in the seed's form ("약 1시간"); "" when unknown."""
    window = impact_window(draft)
    if window is None:
        return ""
    start, end = window
    minutes = int((end - start).total_seconds() // 60)
    if minutes >= 10:
        minutes = int(5 * round(minutes / 5))  # "about": to the nearest five minutes
    minutes = max(minutes, 1)
    hours, rest = divmod(minutes, 60)
    if language == "en":
        parts = []
        if hours:
            parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
        if rest:
            parts.append(f"{rest} minute" + ("s" if rest != 1 else ""))
        return "about " + " ".join(parts)
    parts = []
    if hours:
        parts.append(f"{hours}시간")
    if rest:
        parts.append(f"{rest}분")
    return "약 " + " ".join(parts)
