"""Times as people type them ("14:30", "2026-12-03 02:10 KST") and as drafts store them (ISO).

The one place typed times are read. Every time is in the configured zone
(``[ui] timezone``, see ``model.timezone``) unless the text names another one.
"""

from __future__ import annotations

import datetime as _dt
import re

from .. import model

# "HH:MM", "YYYY-MM-DD HH:MM" (or the ISO "T"), optional seconds, then an optional zone:
# an offset ("+09:00", "+0900", "Z") or an abbreviation ("KST", "UTC").
_TYPED = re.compile(
    r"(?:(?P<date>\d{4}-\d{2}-\d{2})[ T]\s*)?(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<zone>[+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?"
)
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")

# Abbreviations always understood; the configured zone's own (e.g. "CET"/"CEST") is added.
_FIXED_ABBREVIATIONS = {
    "UTC": _dt.timezone.utc,
    "GMT": _dt.timezone.utc,
    "Z": _dt.timezone.utc,
    "KST": _dt.timezone(_dt.timedelta(hours=9), "KST"),
}


def _zone_of(name: str, day: _dt.date, zone: _dt.tzinfo) -> _dt.tzinfo:
    match = _OFFSET.fullmatch(name)
    if match:
        sign, hours, minutes = match.groups()
        delta = _dt.timedelta(hours=int(hours), minutes=int(minutes))
        if delta >= _dt.timedelta(hours=24):
            raise ValueError(f"offset out of range: {name}")
        return _dt.timezone(-delta if sign == "-" else delta)
    upper = name.upper()
    if upper in _FIXED_ABBREVIATIONS:
        return _FIXED_ABBREVIATIONS[upper]
    # The configured zone's abbreviation on that day (either side of a DST change).
    noon = _dt.datetime.combine(day, _dt.time(12), zone)
    for probe in (noon, noon + _dt.timedelta(days=183)):
        if (probe.tzname() or "").upper() == upper:
            return zone
    raise ValueError(f"unknown time zone abbreviation: {name}")


def parse_typed(text: str, reference: str = "", zone: _dt.tzinfo | None = None) -> str:
    """A typed time → ISO 8601 with offset; raises ValueError, and nothing is stored.

    Accepts "HH:MM", "YYYY-MM-DD HH:MM" (seconds optional), each optionally followed by
    an offset ("+09:00") or an abbreviation (KST, UTC, the configured zone's). Without a
    zone the time is in ``zone`` (default: the configured one). "HH:MM" keeps the date
    of ``reference`` (the value being edited) when there is one, else today, both as seen
    in that zone.
    """
    zone = zone or model.timezone()
    match = _TYPED.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a time: {text.strip()!r}")
    hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"] or 0)
    if match["date"]:
        day = _dt.date.fromisoformat(match["date"])
    else:
        day = None
    tz = zone
    if match["zone"]:
        tz = _zone_of(match["zone"], day or _dt.date.today(), zone)
    if day is None:
        base = None
        if reference:
            try:
                base = _dt.datetime.fromisoformat(reference.strip())
            except ValueError:
                base = None
        if base is not None and base.tzinfo is not None:
            day = base.astimezone(tz).date()
        else:
            day = _dt.datetime.now(tz).date()
    when = _dt.datetime.combine(day, _dt.time(hour, minute, second))  # ValueError when out of range
    if isinstance(tz, _dt.timezone):
        when = when.replace(tzinfo=tz)
    else:
        # A named zone: the offset it had on that day (fold=0 picks the first of a repeated hour).
        when = when.replace(tzinfo=tz)
        when = when.replace(tzinfo=_dt.timezone(when.utcoffset() or _dt.timedelta(0)))
    return when.isoformat()


def parse_stored(value: str) -> _dt.datetime | None:
    """A stored ISO time as an aware datetime (a naive one is taken in the configured zone)."""
    try:
        when = _dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=model.timezone())


def time_order(times: list[str]) -> list[int]:
    """Indexes of ``times`` (stored ISO) in time order; ties keep their order, unreadable last."""

    def key(i: int):
        when = parse_stored(times[i])
        return (when is None, when.timestamp() if when else 0.0, i)

    return sorted(range(len(times)), key=key)


def to_display(value: str) -> str:
    """Stored ISO → "YYYY-MM-DD HH:MM" in the configured zone; anything else unchanged."""
    when = parse_stored(value) if value else None
    if when is None:
        return value
    return model.in_zone(when).strftime("%Y-%m-%d %H:%M")


def age_text(seconds: float, *, day_hours: bool = False) -> str:
    """A short age for lists: "45s", "12m", "3h05m", "2d" ("2d03h" with ``day_hours``)."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 86400}d" + (f"{seconds % 86400 // 3600:02d}h" if day_hours else "")
