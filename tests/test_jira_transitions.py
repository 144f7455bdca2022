"""Jira transition screens as Jira has them: Log Work and comments as update operations,
Assignee and Log Work filled from facts, and what Jira kept read back (issue 9, item 6).

`hotfix jira move` end to end against the loopback Jira with the Data Center Done
screen (Resolution, Assignee and Log Work required), through the real ``jira`` client.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import re
import urllib.error
import urllib.request

import pytest

from hotfix_tui import cli, integrations_cli
from hotfix_tui.model import in_zone
from hotfix_tui.services.jira import jira_duration
from hotfix_tui.store import DraftStore

from .conftest import EXAMPLE
from .servers.jira_server import ACCOUNT_ID, DONE, JiraServer

TOKEN = "jira-SECRET-transitions"
USER = "oncall@example.com"
SINCE = _dt.timedelta(minutes=85, seconds=20)  # In Progress this long ago: "1h 25m"


def _world(tmp_path, monkeypatch, *, done_screen: bool = True, deployment: str = "Server",
           moved: bool = True):
    jira = JiraServer(token=TOKEN, user=USER, deployment=deployment).start()
    jira.require_done_screen(done_screen)
    key = jira.add_issue("[HOTFIX] MetalLB IP 풀 범위 DHCP 충돌")
    jira.issues[key]["status"] = "3"  # 진행 중
    config = tmp_path / "config.toml"
    config.write_text(f'[jira]\nurl = "{jira.origin}"\nuser = "{USER}"\ntimeout = 5\n', encoding="utf-8")
    monkeypatch.setenv("HOTFIX_TUI_CONFIG", str(config))
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)
    store = DraftStore(tmp_path / "drafts")
    draft = store.load(EXAMPLE).draft
    draft.id = "metallb"
    draft.backlog.jira_key, draft.backlog.jira_url = key, f"{jira.origin}/browse/{key}"
    draft.merge.jira_done_at = ""
    draft.merge.merged_at, draft.merge.merged_per = draft.merge.merged_at or "2025-10-19T15:20:00+09:00", "github"
    started = (_dt.datetime.now().astimezone() - SINCE).replace(microsecond=0)
    draft.backlog.jira_moved_at = {"in_progress": started.isoformat()} if moved else {}
    loaded = store.create(draft)
    return jira, key, store, loaded.path, started


@pytest.fixture
def world(tmp_path, monkeypatch):
    jira, key, store, path, started = _world(tmp_path, monkeypatch)
    yield jira, key, store, path, started
    jira.stop()


def hotfix(*argv: str) -> int:
    return cli.main(list(argv))


def _transition_bodies(jira: JiraServer) -> list[dict]:
    return [r.json() for r in jira.calls("POST", "/transitions")]


def test_done_without_field_logs_work_since_in_progress_and_assigns_me(world, capsys):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    `hotfix jira move DRAFT done` against that screen works without ``--field``: the
    worklog (time since the move to In Progress, from ``backlog.jira_moved_at``) goes as
    an update operation and is on the issue, the assignee is the authenticated user,
    the resolution is filled as before.
    """
    jira, key, store, path, started = world
    assert hotfix("jira", "move", "metallb", "done") == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert jira.status_of(key) == DONE
    assert jira.issues[key]["resolution"]["name"] == "Done"
    assert jira.assignee_of(key)["name"] == USER
    [log] = jira.worklogs[key]
    # Started at the In Progress fact; spent from then until the move (not a fixed value).
    assert _dt.datetime.strptime(log["started"], "%Y-%m-%dT%H:%M:%S.%f%z") == started
    assert 85 * 60 <= log["timeSpentSeconds"] < 24 * 3600
    [body] = _transition_bodies(jira)
    assert "worklog" not in body["fields"] and body["update"]["worklog"][0]["add"]["timeSpent"] == log["timeSpent"]
    assert body["fields"]["assignee"] == {"name": USER}
    assert f"worklog={log['timeSpent']}" in out and f"assignee={USER}" in out
    # The move and what it verified were read back: worklog, then assignee.
    assert jira.calls("GET", f"/issue/{key}/worklog")
    assert store.load(path).draft.merge.jira_done_at


def test_field_log_work_is_an_update_and_overrides_the_default(world, capsys):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    ``--field "Log Work=2h"`` overrides the default and is recorded as a worklog.
    """
    jira, key, _store, _path, _started = world
    assert hotfix("jira", "move", "metallb", "done", "--field", "Log Work=2h") == 0, capsys.readouterr().err
    [log] = jira.worklogs[key]
    assert log["timeSpentSeconds"] == 2 * 3600
    [body] = _transition_bodies(jira)
    assert body["update"]["worklog"] == [{"add": {"timeSpent": "2h", "started": log_started(body)}}]
    assert "worklog" not in body["fields"]
    assert "worklog=2h" in capsys.readouterr().out


def log_started(body: dict) -> str:
    return body["update"]["worklog"][0]["add"]["started"]


def test_field_comment_goes_as_a_comment_update(world, capsys):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    ``--field "Comment=..."`` is sent as a comment update and is on the issue afterwards.
    """
    jira, key, _store, _path, _started = world
    text = "배포 후 30분 모니터링 완료"
    assert hotfix("jira", "move", "metallb", "done", "--field", f"Comment={text}") == 0, capsys.readouterr().err
    [body] = _transition_bodies(jira)
    assert body["update"]["comment"] == [{"add": {"body": text}}] and "comment" not in body["fields"]
    assert [c["body"] for c in jira.comments[key]] == [text]


def test_plain_field_screen_still_works(tmp_path, monkeypatch, capsys):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    A screen with only a resolution (today's loopback screen) still works: nothing is
    logged or assigned that the screen did not ask for, and nothing needs reading back.
    """
    jira, key, store, path, _started = _world(tmp_path, monkeypatch, done_screen=False)
    try:
        assert hotfix("jira", "move", "metallb", "done") == 0, capsys.readouterr().err
        assert jira.status_of(key) == DONE and jira.issues[key]["resolution"]["name"] == "Done"
        assert not jira.worklogs.get(key) and jira.assignee_of(key) is None
        [body] = _transition_bodies(jira)
        assert body == {"transition": {"id": "31"}, "fields": {"resolution": {"id": "10000"}}}
        assert not jira.calls("GET", "/worklog") and not jira.calls("GET", "/myself")
    finally:
        jira.stop()


def test_dry_run_shows_the_log_work_value_before_it_is_sent(world, capsys):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    The Log Work default is shown before it is sent: ``--dry-run`` prints it with where
    it comes from ("since 진행 중 at HH:MM") and makes no request.
    """
    jira, _key, _store, _path, started = world
    assert hotfix("jira", "move", "metallb", "done", "--dry-run") == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "Log Work" in line)
    assert re.search(rf"Log Work = \d+h \d+m \(since 진행 중 at {in_zone(started).strftime('%H:%M')}\)", line), line
    assert "assignee (you" in out
    assert not jira.requests
    assert hotfix("jira", "move", "metallb", "done", "--dry-run", "--field", "Log Work=2h") == 0
    out = capsys.readouterr().out
    assert "Log Work = 2h" in out and "since" not in out


def test_worklog_dropped_by_jira_is_reported(world, capsys):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    The worklog is verified on the issue afterwards: one that Jira accepted with the
    transition but did not record is reported (exit 1), while the move itself, which did
    happen, is recorded in the draft.
    """
    jira, key, store, path, _started = world
    jira.drop_worklogs()
    assert hotfix("jira", "move", "metallb", "done") == 1
    err = capsys.readouterr().err
    assert "worklog" in err and key in err and "not on" in err
    assert jira.status_of(key) == DONE and not jira.worklogs.get(key)
    assert store.load(path).draft.merge.jira_done_at


def test_without_the_in_progress_fact_log_work_is_asked_for(tmp_path, monkeypatch, capsys):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    No default is invented without the In Progress fact: the screen's Log Work is named
    as required (nothing sent), and ``--field "Log Work=1h"`` then records the worklog.
    """
    jira, key, _store, _path, _started = _world(tmp_path, monkeypatch, moved=False)
    try:
        assert hotfix("jira", "move", "metallb", "done") == 1
        assert "Log Work (worklog)" in capsys.readouterr().err
        assert not jira.calls("POST", "/transitions")
        assert hotfix("jira", "move", "metallb", "done", "--field", "Log Work=1h") == 0
        assert [w["timeSpent"] for w in jira.worklogs[key]] == ["1h"]
        assert jira.assignee_of(key)["name"] == USER
    finally:
        jira.stop()


def test_cloud_assigns_by_account_id(tmp_path, monkeypatch, capsys):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    Assignee defaults to the authenticated user as the site names users: by account id on
    Jira Cloud (``deploymentType`` Cloud), by name on Data Center.
    """
    jira, key, _store, _path, _started = _world(tmp_path, monkeypatch, deployment="Cloud")
    try:
        assert hotfix("jira", "move", "metallb", "done") == 0, capsys.readouterr().err
        [body] = _transition_bodies(jira)
        assert body["fields"]["assignee"] == {"accountId": ACCOUNT_ID}
        assert jira.assignee_of(key)["accountId"] == ACCOUNT_ID
    finally:
        jira.stop()


def test_bad_or_unknown_field_is_refused_before_sending(world, capsys):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    A field is never reported as filled when it was not sent as Jira takes it: a time
    spent Jira cannot read, or a name that is not on the screen, is refused before the
    transition is sent.
    """
    jira, _key, _store, _path, _started = world
    assert hotfix("jira", "move", "metallb", "done", "--field", "Log Work=an hour") == 1
    assert "time spent" in capsys.readouterr().err
    assert hotfix("jira", "move", "metallb", "done", "--field", "Time Sheet=1h") == 1
    assert "not a field" in capsys.readouterr().err
    assert not jira.calls("POST", "/transitions")


def test_server_refuses_the_plain_field_worklog_like_jira(world):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    The loopback Done screen refuses, as Jira does, a transition missing Log Work,
    Assignee or Resolution, and a worklog sent as a plain field.
    """
    jira, key, _store, _path, _started = world
    auth = "Basic " + base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()

    def post(body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(f"{jira.origin}/rest/api/2/issue/{key}/transitions",
                                         data=json.dumps(body).encode(), method="POST",
                                         headers={"Authorization": auth, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status, {}
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    status, answer = post({"transition": {"id": "31"}, "fields": {"resolution": {"id": "10000"}, "worklog": "1h"}})
    assert status == 400 and set(answer["errors"]) == {"worklog", "assignee"}
    status, answer = post({"transition": {"id": "31"}, "fields": {"assignee": {"name": USER}}})
    assert status == 400 and set(answer["errors"]) == {"resolution", "timeLogged"}
    assert jira.status_of(key) != DONE and not jira.worklogs.get(key)


def test_jira_duration():
    """Log Work is written as a Jira duration: hours and minutes, at least 1m."""
    assert jira_duration(85 * 60 + 20) == "1h 25m"
    assert jira_duration(20) == "1m"
    assert jira_duration(2 * 3600) == "2h"
    assert jira_duration(26 * 3600 + 5 * 60) == "26h 5m"


def test_a_failed_read_back_is_reported_and_the_move_still_recorded(world, capsys):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    When the worklog cannot be read back (403 on the worklog list), that is said (exit 1)
    rather than claimed either way, and the move, which happened, is still in the draft.
    """
    jira, key, store, path, _started = world
    jira.fail_next("GET", "/worklog", 403)
    assert hotfix("jira", "move", "metallb", "done") == 1
    err = capsys.readouterr().err
    assert "could not check the worklog" in err and key in err
    assert jira.status_of(key) == DONE and jira.worklogs[key]
    assert store.load(path).draft.merge.jira_done_at
