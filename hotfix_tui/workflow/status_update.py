"""A status update for people outside the fix (§8.2 팀 공유): what happened, impact, what is being done, next update.

Rendered from the draft's facts, never from text shown elsewhere: the phase, the ticket,
the checks, the PR and its review, the merge, the apply and the monitoring window. The
same text is printed by `hotfix status DRAFT`, shown (and copied) in the wizard's status
dialog, and posted to the team channel by the ``status_post`` step when a Slack webhook is
configured; the post goes on the timeline.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..i18n import tr
from ..model import check_state, in_zone, parse_time, required_monitor_minutes

if TYPE_CHECKING:
    from ..model import Draft

NEXT_UPDATE_MINUTES = 30  # the default gap before the next update
NEXT_UPDATE_RANGE = (5, 240)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _minutes_since(stamp: str, now: _dt.datetime) -> int | None:
    when = parse_time(stamp) if stamp else None
    return None if when is None else max(0, int((now - when).total_seconds() // 60))


def _words(language: str) -> Callable[..., str]:
    """``tr`` in ``language``: ``t("su.impact", text=…)``."""
    def t(message_id: str, /, **values: object) -> str:
        return tr(message_id, language, **values)

    return t


def doing(draft: Draft, language: str, now: _dt.datetime, config_minutes: int = 0) -> str:
    """What is being done now, from the latest fact that holds (the furthest step first)."""
    t = _words(language)

    d = draft
    if d.phase == "post" and d.deploy.outcome != "regressed":
        return t("su.doing.post")
    if d.deploy.applied_at:
        window = required_monitor_minutes(d, config_minutes)
        if d.deploy.outcome:
            return t(f"su.doing.outcome.{d.deploy.outcome}")
        watched = _minutes_since(d.deploy.monitor_started_at or d.deploy.applied_at, now)
        return t("su.doing.monitoring", minutes=watched if watched is not None else 0, window=window)
    if d.merge.merged_at:
        return t("su.doing.merged", number=d.pr.number or "?")
    if d.pr.number or d.pr.url.strip():
        waited = _minutes_since(d.merge.review_requested_at, now)
        if waited is not None:
            return t("su.doing.review_wait", number=d.pr.number or "?", minutes=waited)
        return t("su.doing.pr_open", number=d.pr.number or "?")
    if d.commit.pushed_at:
        return t("su.doing.verifying")
    plan = check_state(d, "plan")
    if d.branch.created_at or d.branch.base:
        if plan == "passed":
            return t("su.doing.plan_passed")
        return t("su.doing.fixing", branch=d.branch.name or "?")
    if d.backlog.jira_key.strip():
        cause = d.backlog.root_cause.strip()
        return t("su.doing.cause_known") if cause else t("su.doing.analysing")
    return t("su.doing.triage")


def status_update(draft: Draft, language: str, now: _dt.datetime, next_minutes: int = NEXT_UPDATE_MINUTES,
                  config_minutes: int = 0) -> str:
    """The message: a title line, what happened, impact, what is being done, the links, the next update."""
    t = _words(language)

    d = draft
    title = d.title() or d.backlog.summary.strip() or d.id
    happened = _first_line(d.backlog.problem) or d.backlog.summary.strip() or t("su.unknown")
    impact = _first_line(d.report.user_impact) or _first_line(d.backlog.impact) or t("su.unknown")
    next_at = in_zone(now + _dt.timedelta(minutes=next_minutes)).strftime("%H:%M")
    lines = [
        t("su.title", title=title, phase=t(f"phase.{d.phase}"), at=in_zone(now).strftime("%H:%M")),
        t("su.happened", text=happened),
        t("su.impact", text=impact),
        t("su.doing", text=doing(d, language, now, config_minutes)),
    ]
    if d.backlog.jira_key.strip():
        lines.append(t("su.ticket", key=d.backlog.jira_key.strip(), url=d.backlog.jira_url.strip()).rstrip())
    if d.pr.url.strip():
        lines.append(t("su.pr", url=d.pr.url.strip()))
    if d.deploy.outcome == "stable" or d.phase == "post":
        lines.append(t("su.next_final"))
    else:
        lines.append(t("su.next", at=next_at))
    return "\n".join(lines) + "\n"


def check_next_minutes(value: int) -> int:
    low, high = NEXT_UPDATE_RANGE
    if not low <= value <= high:
        raise ValueError(f"the next update must be {low}–{high} minutes away, not {value}")
    return value
