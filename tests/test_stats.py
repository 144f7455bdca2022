"""Issue 13 item 5, "The team's numbers": `hotfix stats [--since DATE] [--json]` over all drafts,
from their facts, over a folder of generated drafts whose figures are known."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hotfix_tui.cli import main
from hotfix_tui.model import Draft, Event
from hotfix_tui.store import DraftStore, dumps
from hotfix_tui.workflow import stats_index
from hotfix_tui.workflow.stats import (
    FIGURES,
    SEGMENTS,
    compute,
    draft_facts,
    duration_text,
    median,
    p90,
    parse_since,
)
from hotfix_tui.workflow.stats_index import CACHE_NAME, read_records

KST = "+09:00"


def at(day: int, hhmm: str, month: int = 11) -> str:
    return f"2026-{month:02d}-{day:02d}T{hhmm}:00{KST}"


def _draft(name: str, phase: str, discovered: str = "", **facts: str | bool) -> Draft:
    draft = Draft(id=name, phase=phase, created_at=discovered or facts.pop("created", ""))
    if discovered:
        draft.timeline.append(Event(at=discovered, text="문제 최초 발견", source="auto", milestone=True))
        # A typed "cause identified" row: text, never a fact the figures read.
        later = (dt.datetime.fromisoformat(discovered) + dt.timedelta(minutes=5)).isoformat()
        draft.timeline.append(Event(at=later, text="원인 파악 (IP 충돌)", source="user", milestone=True))
    for path, value in facts.items():
        section, attr = path.split("__")
        setattr(getattr(draft, section), attr, value)
    return draft


def known_drafts() -> list[Draft]:
    """Five drafts whose figures are worked out by hand in the tests below."""
    a = _draft("a", "post", at(2, "10:00"), branch__created_at=at(2, "10:20"), commit__pushed_at=at(2, "10:50"),
               pr__opened_at=at(2, "11:00"), merge__review_requested_at=at(2, "11:00"),
               merge__merged_at=at(2, "11:30"), deploy__applied_at=at(2, "11:40"),
               deploy__monitor_ended_at=at(2, "12:10"), deploy__outcome="stable")
    a.add_override("merge", "g.check_failed,g.not_monitored", "apply ran from the jump host", at=at(2, "11:35"),
                   by="alice")
    # No review request recorded: the wait counts from the PR's opening; a regression has no downtime end.
    b = _draft("b", "post", at(3, "12:00"), pr__opened_at=at(3, "14:00"), merge__merged_at=at(3, "16:00"),
               deploy__applied_at=at(3, "16:30"), deploy__monitor_ended_at=at(3, "17:00"),
               deploy__outcome="regressed")
    b.add_override("fix", "fact.validate", "validate needs the provider mirror", at=at(3, "13:00"), by="bob")
    # A self-merge (§7.1 사후 리뷰) has no review wait, and is not "unknown" either.
    c = _draft("c", "merge", at(5, "08:00"), pr__opened_at=at(5, "08:30"), merge__merged_at=at(5, "08:40"),
               merge__self_merge=True, deploy__applied_at=at(5, "09:00"), deploy__monitor_ended_at=at(5, "09:30"),
               deploy__outcome="stable")
    d = _draft("d", "triage", at(1, "09:00", month=10))
    e = _draft("e", "backlog", created=at(4, "10:00"))  # no discovery row: every figure unknown
    return [a, b, c, d, e]


@pytest.fixture
def folder(tmp_path, drafts_dir):
    drafts_dir.mkdir(parents=True)
    for draft in known_drafts():
        (drafts_dir / f"{draft.id}.toml").write_text(dumps(draft), encoding="utf-8")
    (drafts_dir / "broken.toml").write_text("schema = 1\n[backlog\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text('[ui]\ntimezone = "Asia/Seoul"\nlanguage = "en"\n', encoding="utf-8")
    return drafts_dir, config


def _stats(capsys, config, *args: str) -> dict:
    assert main(["--config", str(config), "stats", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_figures_over_known_drafts_are_exact(folder, capsys):
    """Bullet: "`hotfix stats [--since DATE]` over all drafts: count, time to cause, time to PR,
    review wait against the §7.1 one-hour target, time to deploy, downtime, overrides by gate,
    phases where time goes; ... `--json`"."""
    _drafts, config = folder
    out = _stats(capsys, config)
    assert out["drafts"] == 5 and out["hotfix"] == 5
    assert out["by_phase"] == {"triage": 1, "backlog": 1, "merge": 1, "post": 2}
    f = out["figures"]
    assert f["time_to_pr"] == {"count": 3, "unknown": 2, "median_s": 3600, "p90_s": 7200}
    assert f["review_wait"] == {"count": 2, "unknown": 2, "median_s": 4500, "p90_s": 7200, "target_s": 3600,
                                "within_target": 1, "over_target": 1, "self_merged": 1}
    assert f["time_to_deploy"] == {"count": 3, "unknown": 2, "median_s": 6000, "p90_s": 16200}
    assert f["downtime"] == {"count": 2, "unknown": 3, "median_s": 6600, "p90_s": 7800}
    s = out["segments"]
    assert s["to_branch"] == {"count": 1, "unknown": 4, "median_s": 1200, "p90_s": 1200}
    assert s["review"] == {"count": 3, "unknown": 2, "median_s": 1800, "p90_s": 7200}
    assert s["monitor"] == {"count": 3, "unknown": 2, "median_s": 1800, "p90_s": 1800}
    assert out["overrides"] == {"total": 3, "drafts": 2,
                                "by_gate": {"fact.validate": 1, "g.check_failed": 1, "g.not_monitored": 1}}


def test_a_figure_without_a_fact_is_unknown_not_guessed(folder, capsys):
    """"where a figure has no fact to come from, show it as '-' (unknown) with the count of
    drafts that lacked it": none of these drafts' tickets got the root cause through the tool
    (``backlog.cause_sent_at``) — a typed "원인 파악" row does not count — so time to cause is
    unknown for every draft."""
    _drafts, config = folder
    out = _stats(capsys, config)
    assert out["figures"]["time_to_cause"] == {"count": 0, "unknown": 5, "median_s": None, "p90_s": None}
    assert main(["--config", str(config), "stats"]) == 0
    table = capsys.readouterr().out
    row = next(line for line in table.splitlines() if line.startswith("Time to cause"))
    assert row.split()[3:] == ["0", "-", "-", "5"]
    assert "no ticket got its root cause through the tool" in table


def test_time_to_cause_comes_from_the_ticket_getting_the_cause():
    """Time to cause is measured from a fact: the discovery → ``backlog.cause_sent_at`` (set by
    the create or §2.2 update step that sent the root cause), never from a typed row."""
    from hotfix_tui.model import Draft, Event
    from hotfix_tui.workflow.stats import draft_facts

    draft = Draft(id="x")
    draft.timeline.append(Event(at="2026-11-03T10:00:00+09:00", text="발견", source="auto", milestone=True))
    draft.timeline.append(Event(at="2026-11-03T10:20:00+09:00", text="원인 파악", source="user", milestone=True))
    assert draft_facts(draft)["time_to_cause"] is None  # the typed row does not count
    draft.backlog.cause_sent_at = "2026-11-03T10:45:00+09:00"
    assert draft_facts(draft)["time_to_cause"] == 45 * 60


def test_since_keeps_incidents_discovered_on_or_after_the_date(folder, capsys):
    """Bullet: "`hotfix stats [--since DATE]`": only incidents discovered on or after DATE (a
    draft without a discovery row is dated by its creation)."""
    _drafts, config = folder
    out = _stats(capsys, config, "--since", "2026-11-03")
    assert out["drafts"] == 3 and out["since"] == "2026-11-03T00:00:00+09:00"
    assert out["by_phase"] == {"backlog": 1, "merge": 1, "post": 1}
    assert out["figures"]["time_to_pr"] == {"count": 2, "unknown": 1, "median_s": 4500, "p90_s": 7200}
    out = _stats(capsys, config, "--since", "2026-11-05 08:00")
    assert out["drafts"] == 1 and out["by_phase"] == {"merge": 1}


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", "2026-11-31", "11/03/2026", ""])
def test_a_bad_since_is_one_clear_line_and_a_usage_exit(folder, capsys, bad):
    """"bad `--since` gets one clear message, exit as other usage errors do" (2)."""
    _drafts, config = folder
    assert main(["--config", str(config), "stats", "--since", bad]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "is not a date" in captured.err and "YYYY-MM-DD" in captured.err


def test_a_broken_draft_is_skipped_and_named(folder, capsys):
    """"a broken draft is skipped and named": not counted, listed with why, in the table and the JSON."""
    drafts, config = folder
    out = _stats(capsys, config)
    assert [s["file"] for s in out["skipped"]] == ["broken.toml"]
    assert out["skipped"][0]["error"]
    assert main(["--config", str(config), "stats"]) == 0
    assert "Unreadable, not counted: broken.toml — " in capsys.readouterr().out


def test_json_shape(folder, capsys):
    """The `--json` document's shape (README.md, "hotfix stats")."""
    _drafts, config = folder
    out = _stats(capsys, config)
    assert set(out) == {"drafts", "since", "hotfix", "undated", "by_phase", "figures", "segments", "overrides",
                        "skipped"}
    assert list(out["figures"]) == list(FIGURES) and list(out["segments"]) == list(SEGMENTS)
    for name in FIGURES:
        assert {"count", "unknown", "median_s", "p90_s"} <= set(out["figures"][name])
    assert set(out["overrides"]) == {"total", "drafts", "by_gate"}


def test_korean_table_is_the_default_language(folder, capsys, tmp_path):
    drafts, _config = folder
    assert main(["stats"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("초안 5개 (Hotfix 5개)")
    assert "PR까지" in table and "§7.1 리뷰 목표(1시간) 이내 1/2건, 초과 1건, self-merge 1건" in table


def test_the_cache_is_keyed_by_each_files_stat(folder, monkeypatch):
    """"cache what you need keyed by file stat (the index pattern)": a second run reads no
    draft; a changed draft is read again, and a cache from another facts version is rebuilt."""
    drafts, _config = folder
    store = DraftStore(drafts)
    first = read_records(store)
    assert (drafts / CACHE_NAME).exists()
    calls = []
    real = stats_index._read_facts
    monkeypatch.setattr(stats_index, "_read_facts", lambda path: calls.append(path.name) or real(path))
    assert read_records(store) == first and calls == []
    d = drafts / "d.toml"
    d.write_text(d.read_text(encoding="utf-8").replace('phase = "triage"', 'phase = "backlog"'), encoding="utf-8")
    records, _skipped = read_records(store)
    assert calls == ["d.toml"]
    assert next(r for r in records if r["id"] == "d")["phase"] == "backlog"
    cache = json.loads((drafts / CACHE_NAME).read_text(encoding="utf-8"))
    cache["version"] = -1
    (drafts / CACHE_NAME).write_text(json.dumps(cache), encoding="utf-8")
    calls.clear()
    read_records(store)
    assert sorted(calls) == ["a.toml", "b.toml", "broken.toml", "c.toml", "d.toml", "e.toml"]


def test_a_cache_that_cannot_be_written_or_read_only_costs_time(folder, capsys, monkeypatch):
    """A read-only or full drafts folder, a cache broken by hand or holding a record of
    another shape: the figures are the same, read from the drafts."""
    drafts, config = folder
    expected = _stats(capsys, config)

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as m:
        m.setattr(stats_index, "replace_atomically", refuse)
        (drafts / CACHE_NAME).unlink()
        assert _stats(capsys, config) == expected
        assert not (drafts / CACHE_NAME).exists()
    _stats(capsys, config)
    (drafts / CACHE_NAME).write_text("{not json", encoding="utf-8")
    assert _stats(capsys, config) == expected
    cache = json.loads((drafts / CACHE_NAME).read_text(encoding="utf-8"))
    cache["drafts"]["a.toml"]["facts"] = {"id": "a"}  # not a record this version wrote
    (drafts / CACHE_NAME).write_text(json.dumps(cache), encoding="utf-8")
    assert _stats(capsys, config) == expected


def test_the_figures_read_facts_not_typed_text():
    """Rule 1: a draft whose typed fields say everything but whose facts are empty has no figures."""
    draft = Draft(id="typed")
    draft.backlog.root_cause = "IP 충돌"
    draft.report.downtime = "약 1시간"
    draft.timeline.append(Event(at=at(2, "10:00"), text="PR 생성", source="user", milestone=True))
    record = draft_facts(draft)
    assert all(record[name] is None for name in FIGURES)
    assert all(value is None for value in record["segments"].values())
    assert compute([record]).figures["downtime"].unknown == 1


def test_median_p90_and_durations():
    assert median([3, 1, 2]) == 2 and median([1, 2, 3, 10]) == 2.5 and median([]) is None
    assert p90(list(range(1, 11))) == 9 and p90([5]) == 5 and p90([]) is None
    assert [duration_text(s) for s in (None, 45, 720, 3900, 183600)] == ["-", "45s", "12m", "1h05m", "2d03h"]


def test_parse_since_forms():
    assert parse_since("2026-11-03 08:30 +09:00").isoformat() == "2026-11-03T08:30:00+09:00"
    with pytest.raises(ValueError):
        parse_since("08:30")  # a time without a date is not a --since


def test_controls_in_a_draft_never_reach_the_terminal(folder, capsys):
    """Rule 5: a gate code holding ESC, CSI (0x9b) or a bidi override is shown, never obeyed —
    made visible in the table, escaped in the JSON (which still reads back to the same text)."""
    drafts, config = folder
    evil = "g.x\x1b]52;c;aGk=\x07\x9b31m\u202e"
    draft = _draft("evil", "post", at(6, "09:00"))
    draft.add_override("fix", evil, "test", at=at(6, "09:30"), by="mallory")
    (drafts / "evil.toml").write_text(dumps(draft), encoding="utf-8")
    assert main(["--config", str(config), "stats"]) == 0
    table = capsys.readouterr().out
    assert "\x1b" not in table and "\x9b" not in table and "\u202e" not in table and "\x07" not in table
    assert "g.x␛]52;c;aGk=␇\\x9b31m⟨U+202E⟩" in table
    assert main(["--config", str(config), "stats", "--json"]) == 0
    text = capsys.readouterr().out
    assert not any(ch in text for ch in "\x1b\x9b\u202e\x07")
    assert evil in json.loads(text)["overrides"]["by_gate"]


def test_many_drafts_are_read_in_worker_processes_with_the_same_records(folder, drafts_dir, monkeypatch):
    """The CLI reads a cold folder in worker processes (issue 13: 1,000 drafts under 1 s);
    the records are the ones read one by one, in the same order, broken drafts included."""
    from hotfix_tui.store import DraftStore
    from hotfix_tui.workflow import stats_index

    (drafts_dir / "broken.toml").write_text("schema = [", encoding="utf-8")
    serial = stats_index.read_records(DraftStore(drafts_dir))
    (drafts_dir / stats_index.CACHE_NAME).unlink()
    monkeypatch.setattr(stats_index, "PARALLEL_FROM", 1)
    monkeypatch.setattr(stats_index.os, "cpu_count", lambda: 2)
    parallel = stats_index.read_records(DraftStore(drafts_dir), parallel=True)
    assert parallel == serial and len(serial[0]) == 5 and [name for name, _ in serial[1]] == ["broken.toml"]
