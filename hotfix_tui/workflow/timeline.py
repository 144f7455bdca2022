"""Timeline times as people type them ("14:30", "2025-10-19 14:30") and as drafts store them (ISO)."""

from __future__ import annotations

import datetime as _dt


def to_display(value: str) -> str:
    """ISO → "YYYY-MM-DD HH:MM" in the stored offset; anything else unchanged."""
    try:
        return _dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return value


def parse_typed(text: str, reference: str = "") -> str:
    """A typed time → ISO 8601 with offset; raises ValueError with nothing stored.

    "HH:MM" takes its date (and offset) from ``reference`` (another event), else today.
    A time without an offset gets this machine's.
    """
    text = text.strip()
    ref: _dt.datetime | None = None
    if reference:
        try:
            ref = _dt.datetime.fromisoformat(reference)
        except ValueError:
            ref = None
    local_now = _dt.datetime.now().astimezone()
    if len(text) <= 5 and ":" in text:
        clock = _dt.datetime.strptime(text, "%H:%M").time()
        base = ref or local_now
        when = base.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
    else:
        when = _dt.datetime.fromisoformat(text.replace("T", " "))
        if when.tzinfo is None:
            offset = (ref or local_now).tzinfo
            when = when.replace(tzinfo=offset)
    return when.replace(microsecond=0).isoformat()


def age_text(seconds: float) -> str:
    """A short age for lists: "45s", "12m", "3h05m", "2d"."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 86400}d"
