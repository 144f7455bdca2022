"""The wizard's Done step against the Data Center Done screen (issue 9, item 6).

The merge phase's "Jira → 완료" step, through the real ``jira`` client and the loopback
Jira whose Resolve screen requires Resolution, Assignee and Log Work: the step's log
shows the Log Work value before the transition is sent, and the server then has it.
"""

from __future__ import annotations

import datetime as _dt
import re

from hotfix_tui.config import Config, JiraConfig
from hotfix_tui.model import Draft, in_zone
from hotfix_tui.services import Services
from hotfix_tui.store import DraftStore

from ..servers.jira_server import DONE, JiraServer
from .helpers import make_app, settle, workers_done

TOKEN = "jira-SECRET-wizard"
USER = "oncall@example.com"


def _log(app) -> list[str]:
    screen = next(s for s in reversed(app.screen_stack) if s.query("#step-panel"))
    return list(screen.query_one("#step-panel").lines)


def _world(drafts_dir, jira: JiraServer, moved: str):
    jira.require_done_screen()
    key = jira.add_issue("[HOTFIX] MetalLB IP 풀 범위 DHCP 충돌")
    jira.issues[key]["status"] = "3"  # 진행 중
    draft = Draft(id="metallb")
    draft.phase = "merge"
    draft.backlog.jira_key = key
    draft.backlog.jira_moved_at = {"in_progress": moved} if moved else {}
    draft.merge.merged_at = draft.merge.main_updated_at = _dt.datetime.now().astimezone().isoformat()
    path = DraftStore(drafts_dir).create(draft).path
    config = Config(jira=JiraConfig(url=jira.origin, user=USER, timeout=5))
    return key, make_app(drafts_dir, config, services=Services.from_config(config), draft_path=path)


async def test_done_step_shows_log_work_before_sending_and_the_worklog_is_recorded(tmp_path, drafts_dir,
                                                                                  monkeypatch):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    In the wizard, F8 on the merge phase runs the Done step: its log shows
    "Log Work = 1h 25m (since 진행 중 at HH:MM)" before the transition request reaches
    Jira (read at the moment the server receives it), and afterwards the issue has the
    worklog, the authenticated user as assignee and the resolution.
    """
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)
    with JiraServer(token=TOKEN, user=USER) as jira:
        started = (_dt.datetime.now().astimezone() - _dt.timedelta(minutes=85, seconds=20)).replace(microsecond=0)
        key, app = _world(drafts_dir, jira, started.isoformat())

        seen_when_sent: list[list[str]] = []
        transition = jira._transition

        def watched(issue: dict, body: dict):
            seen_when_sent.append(_log(app))  # what the screen showed when the request arrived
            return transition(issue, body)

        jira._transition = watched
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.screen.next_remote_step() == "done"
            await pilot.press("f8")
            await workers_done(pilot)
            after = _log(app)
            done_at = app.loaded.draft.merge.jira_done_at

        [shown] = seen_when_sent
        [log] = jira.worklogs[key]
        # Exactly the value then sent (computed once for the log and the request).
        want = f"Log Work = {log['timeSpent']} (since 진행 중 at {in_zone(started).strftime('%H:%M')})"
        assert any(want in line for line in shown), shown
        assert re.fullmatch(r"\d+h \d+m", log["timeSpent"])
        assert log["timeSpentSeconds"] >= 85 * 60
        assert _dt.datetime.strptime(log["started"], "%Y-%m-%dT%H:%M:%S.%f%z") == started
        assert jira.assignee_of(key)["name"] == USER
        assert jira.status_of(key) == DONE and jira.issues[key]["resolution"]["name"] == "Done"
        assert done_at and any(f"worklog={log['timeSpent']}" in line for line in after), after


async def test_done_step_without_the_in_progress_fact_asks_for_log_work(drafts_dir, monkeypatch):
    """Bullet: A Jira Done screen that requires Log Work, Assignee and Resolution (common on Jira
    Data Center): `hotfix jira move DRAFT done --field "Log Work=1h"` reports the field as
    filled, but no worklog is recorded (it is sent as a plain field; Jira takes worklogs
    and comments as `update` operations).

    Without the In Progress fact there is no default: the wizard asks for Log Work, and
    the typed "1h" is then on the issue as a worklog (the assignee filled as before).
    """
    from hotfix_tui.screens.modals import PromptScreen

    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)
    with JiraServer(token=TOKEN, user=USER) as jira:
        key, app = _world(drafts_dir, jira, "")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f8")
            await workers_done(pilot)
            assert isinstance(app.screen, PromptScreen)
            assert "Log Work" in app.screen.prompt
            assert not jira.calls("POST", "/transitions")
            await pilot.press("ctrl+u", *"1h", "enter")
            await workers_done(pilot)
            assert app.loaded.draft.merge.jira_done_at
        assert [w["timeSpent"] for w in jira.worklogs[key]] == ["1h"]
        assert jira.assignee_of(key)["name"] == USER and jira.status_of(key) == DONE
