"""One clock: [ui] timezone for every time typed, stored, shown and rendered (issue 9, item 7).

Every test runs with the process in UTC (TZ=UTC) and the configured zone elsewhere, so a
time taken from the machine instead of the configuration shows up as hours off.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

import pytest

from hotfix_tui import model
from hotfix_tui.cli import main
from hotfix_tui.config import Config, ConfigError, UiConfig, load_config
from hotfix_tui.model import Draft
from hotfix_tui.render import RenderContext, render
from hotfix_tui.store import DraftStore
from hotfix_tui.widgets.context_bar import clock_text
from hotfix_tui.workflow.timeline import parse_typed, to_display

from .ui.helpers import settle, until

SEOUL = ZoneInfo("Asia/Seoul")
BULLET = ("Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine hours off); "
          "the header clock and every automatic time are UTC.")


@pytest.fixture
def utc_process():
    """The machine's zone is UTC for the test; restored (and tzset) afterwards."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.fixture
def seoul(utc_process):
    """[ui] timezone = "Asia/Seoul" on a UTC machine."""
    model.set_timezone(SEOUL)
    yield SEOUL
    model.set_timezone(None)


def test_typed_kst_discovery_time_is_stored_with_its_offset(seoul):
    """Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine
    hours off); the header clock and every automatic time are UTC."""
    assert parse_typed("2026-12-03 02:10 KST") == "2026-12-03T02:10:00+09:00"
    # Without a zone the time is in the configured zone, not the machine's (UTC).
    assert parse_typed("2026-12-03 02:10") == "2026-12-03T02:10:00+09:00"
    # Shown back as typed, in the configured zone.
    assert to_display("2026-12-03T02:10:00+09:00") == "2026-12-03 02:10"
    assert to_display("2026-12-02T17:10:00+00:00") == "2026-12-03 02:10"


def test_typed_forms_offsets_and_abbreviations(seoul):
    """Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine
    hours off); the header clock and every automatic time are UTC."""
    assert parse_typed("2026-12-03 02:10 UTC") == "2026-12-03T02:10:00+00:00"
    assert parse_typed("2026-12-03 02:10+09:00") == "2026-12-03T02:10:00+09:00"
    assert parse_typed("2026-12-03 02:10 +0530") == "2026-12-03T02:10:00+05:30"
    assert parse_typed("2026-12-03T02:10:00-04:00") == "2026-12-03T02:10:00-04:00"
    assert parse_typed("2026-12-03 02:10 kst") == "2026-12-03T02:10:00+09:00"
    # HH:MM is today in the configured zone (Seoul's date, not the UTC machine's).
    before = dt.datetime.now(SEOUL).date()
    stored = dt.datetime.fromisoformat(parse_typed("02:10"))
    after = dt.datetime.now(SEOUL).date()
    assert stored.utcoffset() == dt.timedelta(hours=9)
    assert stored.date() in (before, after) and (stored.hour, stored.minute) == (2, 10)
    # HH:MM edits a stored time: it keeps that row's date, as seen in the zone.
    assert parse_typed("15:00", "2025-10-19T14:30:00+09:00") == "2025-10-19T15:00:00+09:00"
    assert parse_typed("15:00", "2025-10-18T20:30:00+00:00") == "2025-10-19T15:00:00+09:00"


def test_the_configured_zones_own_abbreviation_and_daylight_saving(utc_process):
    """Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine
    hours off); the header clock and every automatic time are UTC."""
    berlin = ZoneInfo("Europe/Berlin")
    assert parse_typed("2026-07-01 10:00 CEST", zone=berlin) == "2026-07-01T10:00:00+02:00"
    assert parse_typed("2026-12-01 10:00 CET", zone=berlin) == "2026-12-01T10:00:00+01:00"
    assert parse_typed("2026-07-01 10:00", zone=berlin) == "2026-07-01T10:00:00+02:00"
    assert parse_typed("2026-12-01 10:00", zone=berlin) == "2026-12-01T10:00:00+01:00"


@pytest.mark.parametrize("text", ["", "tomorrow", "25:00", "14:61", "2026-13-01 10:00", "14:30 XYZ",
                                  "2026-12-03 02:10 +25:00", "14:30 CET", "1430"])
def test_anything_but_a_time_is_refused(seoul, text):
    """Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine
    hours off); the header clock and every automatic time are UTC."""
    with pytest.raises(ValueError):
        parse_typed(text)


def test_automatic_times_are_in_the_configured_zone(seoul):
    """Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine
    hours off); the header clock and every automatic time are UTC."""
    assert model.now_iso().endswith("+09:00")
    draft = Draft()
    assert draft.add_event("x").at.endswith("+09:00")
    model.set_timezone(None)
    assert model.now_iso().endswith("+00:00")  # the machine's zone when none is configured


def test_timezone_config_key(tmp_path, utc_process):
    """Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine
    hours off); the header clock and every automatic time are UTC."""
    good = tmp_path / "good.toml"
    good.write_text('[ui]\ntimezone = "Asia/Seoul"\n', encoding="utf-8")
    assert load_config(good).ui.timezone == "Asia/Seoul"
    assert load_config(good).ui.zone() == SEOUL
    assert Config().ui.timezone == "" and Config().ui.zone() is None  # default: the machine's zone
    bad = tmp_path / "bad.toml"
    bad.write_text('[ui]\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(bad)
    assert "timezone" in str(caught.value) and "IANA" in str(caught.value)


def test_bad_timezone_is_a_config_error_on_the_command_line(tmp_path, capsys, utc_process):
    """Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine
    hours off); the header clock and every automatic time are UTC."""
    bad = tmp_path / "bad.toml"
    bad.write_text('[ui]\ntimezone = "KST"\n', encoding="utf-8")
    assert main(["--config", str(bad), "list"]) == 2
    err = capsys.readouterr().err
    assert "timezone" in err and "Traceback" not in err


def test_new_draft_from_the_cli_records_discovery_in_the_configured_zone(tmp_path, drafts_dir, capsys,
                                                                         utc_process):
    """Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine
    hours off); the header clock and every automatic time are UTC."""
    config = tmp_path / "config.toml"
    config.write_text('[ui]\ntimezone = "Asia/Seoul"\n', encoding="utf-8")
    assert main(["--config", str(config), "new"]) == 0
    (path,) = sorted(drafts_dir.glob("*.toml"))
    draft = DraftStore(drafts_dir).load(path).draft
    assert draft.timeline[0].at.endswith("+09:00")
    assert draft.timeline[0].milestone  # the discovery is the RCA's first milestone


def test_header_clock_names_the_zone(seoul):
    """Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine
    hours off); the header clock and every automatic time are UTC."""
    at = dt.datetime(2026, 12, 2, 17, 10, tzinfo=dt.timezone.utc)
    assert clock_text(at) == "02:10 KST"
    model.set_timezone(None)
    assert clock_text(at) == "17:10 UTC"


def test_rendered_times_follow_the_configured_zone(seoul):
    """Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine
    hours off); the header clock and every automatic time are UTC."""
    draft = Draft()
    draft.add_event("문제 최초 발견", at="2026-12-02T17:10:00+00:00", milestone=True)
    draft.add_event("원인 파악", at="2026-12-03T02:40:00+09:00", milestone=True)
    text = render(draft, "rca", RenderContext(timezone="Asia/Seoul"))
    assert "- 02:10: 문제 최초 발견\n- 02:40: 원인 파악\n" in text


async def test_app_header_clock_and_records_use_the_zone(drafts_dir, utc_process):
    """Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine
    hours off); the header clock and every automatic time are UTC."""
    from hotfix_tui.app import HotfixApp
    from hotfix_tui.widgets.context_bar import ContextBar

    at = dt.datetime(2026, 12, 2, 17, 10, tzinfo=dt.timezone.utc)
    config = Config(ui=UiConfig(timezone="Asia/Seoul"))
    app = HotfixApp(config, DraftStore(drafts_dir), clock=lambda: at)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.now_iso() == "2026-12-03T02:10:00+09:00"
        bar = app.screen.query_one(ContextBar)
        bar.refresh_bar()
        shown = "".join(str(cell) for cell in bar._shown)
        assert "02:10 KST" in shown
    model.set_timezone(None)


async def test_discovery_time_typed_in_kst_on_a_utc_machine(drafts_dir, utc_process):
    """Times: `2026-12-03 02:10 KST` typed as discovery time is stored as 02:10 UTC (nine
    hours off); the header clock and every automatic time are UTC."""
    from hotfix_tui.app import HotfixApp

    app = HotfixApp(Config(), DraftStore(drafts_dir))  # no [ui] timezone: the machine's (UTC)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await until(pilot, lambda: app.loaded is not None, "the new draft to open")
        await settle(pilot)
        draft = app.loaded.draft
        assert draft.timeline[0].milestone and draft.timeline[0].at.endswith("+00:00")
        field = app.screen.query_one("#discovered")
        field.focus()
        await pilot.press("end", "ctrl+u")
        await pilot.press(*"2026-12-03 02:10 KST")
        await settle(pilot)
        assert draft.timeline[0].at == "2026-12-03T02:10:00+09:00"
        assert len(draft.timeline) == 1
