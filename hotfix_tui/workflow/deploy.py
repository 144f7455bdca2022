"""§7.3 deploy rules without a screen: the monitoring window, its countdown and the verdict.

The Merge screen's deploy and monitor widgets show these; tests call them directly. The
window's bounds are config's ``[monitor] minutes`` bounds (``model.MONITOR_MINUTES``), so
a window the config accepts is the window that runs.
"""

from __future__ import annotations

import datetime as _dt

from ..model import MONITOR_MINUTES, PodSample, in_zone

DEFAULT_MONITOR_MINUTES = 30  # §7.3 "최소 30분 ~ 1시간"


def monitor_start(draft) -> _dt.datetime | None:
    """When the running monitoring window started; None when none runs (not started, ended, malformed)."""
    started = draft.deploy.monitor_started_at
    if not started or draft.deploy.monitor_ended_at:
        return None
    try:
        return _dt.datetime.fromisoformat(started)
    except ValueError:
        return None


def monitor_minutes(draft) -> int:
    """The window's length: the draft's minutes (30 when unset), within config's bounds."""
    low, high = MONITOR_MINUTES
    return max(low, min(draft.deploy.monitor_minutes or DEFAULT_MONITOR_MINUTES, high))


def monitor_left(draft, now: _dt.datetime) -> float | None:
    """Seconds left in the monitoring window (≤ 0: over); None when not monitoring."""
    start = monitor_start(draft)
    if start is None:
        return None
    end = start + _dt.timedelta(minutes=monitor_minutes(draft))
    return (end - now.astimezone(start.tzinfo)).total_seconds()


def monitor_status(draft, now: _dt.datetime, t) -> str:
    """The countdown line ("" when not monitoring); ``t`` is the caller's catalogue lookup."""
    left = monitor_left(draft, now)
    if left is None:
        return ""
    if left <= 0:
        return t("monitor.over", minutes=monitor_minutes(draft))
    mins, secs = divmod(int(left), 60)
    return t("monitor.left", left=f"{mins:02d}:{secs:02d}", start=in_zone(monitor_start(draft)).strftime("%H:%M"))


def pod_sample(health, at: str) -> PodSample:
    """The draft's record of one kubectl answer (a ``PodHealth``) taken at ``at`` (ISO time)."""
    return PodSample(at=at, total=health.total, not_ready=list(health.not_ready), restarts=health.restarts)


def verdict(samples: list, t) -> tuple[str, str]:
    """(stable | regressed, evidence) from pod samples (``deploy.samples``): the last one and
    restarts since the first."""
    first, last = samples[0], samples[-1]
    grew = max(0, last.restarts - first.restarts)
    if last.not_ready or grew:
        return "regressed", t("monitor.regressed_evidence", not_ready=len(last.not_ready),
                              names=", ".join(last.not_ready) or "-", restarts=grew, last=last.summary())
    return "stable", t("monitor.stable_evidence", n=len(samples), last=last.summary())
