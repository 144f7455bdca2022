"""Status updates for people outside (issue 13, item 6): rendered from the facts, copyable, postable, on the timeline.

"A phase-aware status message (what happened, impact, what is being done, next update)
rendered from the draft for the team channel (§8.2 팀 공유), copyable and, when [slack]
webhook_url is set, postable, with the post on the timeline." The webhook is the one the
PR announcement uses (`[github] slack_webhook_env` names the variable holding it).
"""

from __future__ import annotations

import datetime as dt

import pytest

from hotfix_tui.cli import main
from hotfix_tui.model import Draft
from hotfix_tui.workflow.status_update import doing, status_update

from .test_integrations_cli import draft_of, world  # noqa: F401  (world is a fixture)

NOW = dt.datetime(2026, 12, 4, 3, 0, tzinfo=dt.timezone.utc)


def hotfix(*argv: str) -> int:
    return main(list(argv))


def _at(minutes: int) -> str:
    return (NOW - dt.timedelta(minutes=minutes)).isoformat()


@pytest.mark.parametrize("facts, expected", [
    ({}, "deciding whether this is a hotfix"),
    ({"backlog.jira_key": "TERRAFORM-16"}, "analysing the cause"),
    ({"backlog.jira_key": "TERRAFORM-16", "backlog.root_cause": "cert expired"}, "the cause is known"),
    ({"branch.created_at": _at(50), "branch.name": "hotfix/TERRAFORM-16-tls"}, "fixing it (branch hotfix/TERRAFORM-16-tls)"),
    ({"commit.pushed_at": _at(30)}, "the fix is pushed; verifying it"),
    ({"pr.number": 7, "merge.review_requested_at": _at(23)}, "PR #7 waiting for review (23 min)"),
    ({"pr.number": 7, "merge.merged_at": _at(5)}, "PR #7 is merged; deploying"),
    ({"deploy.applied_at": _at(12), "deploy.monitor_started_at": _at(12), "deploy.monitor_minutes": 30},
     "deployed; monitoring (12/30 min)"),
    ({"deploy.applied_at": _at(40), "deploy.outcome": "regressed"}, "regressed after the deploy"),
])
def test_what_is_being_done_comes_from_the_furthest_fact(facts, expected):
    """"phase-aware … rendered from the draft": each line from a fact, never from typed text."""
    draft = Draft(id="tls")
    for path, value in facts.items():
        section, name = path.split(".")
        setattr(getattr(draft, section), name, value)
    assert expected in doing(draft, "en", NOW)


def test_the_message_has_what_happened_impact_doing_links_and_the_next_update():
    draft = Draft(id="tls")
    draft.backlog.summary = "Ingress TLS 인증서 만료"
    draft.backlog.problem = "HTTPS 접속 시 인증서 오류\n두 번째 줄"
    draft.backlog.impact = "외부 사용자 전체"
    draft.backlog.jira_key, draft.backlog.jira_url = "TERRAFORM-16", "https://jira/browse/TERRAFORM-16"
    draft.pr.url = "https://github/pr/7"
    draft.phase = "pr"
    text = status_update(draft, "en", NOW, next_minutes=30)
    lines = text.splitlines()
    assert lines[0].startswith("[HOTFIX status] ") and "— Pull request" in lines[0]
    assert lines[1:] == ["What happened: HTTPS 접속 시 인증서 오류", "Impact: 외부 사용자 전체",
                         "Being done: PR #? is waiting for review",
                         "Jira: TERRAFORM-16 https://jira/browse/TERRAFORM-16", "PR: https://github/pr/7",
                         f"Next update: {lines[-1].split(': ')[1]}"]
    assert "\x1b" not in status_update(draft, "ko", NOW)


def test_hotfix_status_prints_and_posts_the_same_text_and_notes_it_on_the_timeline(world, capsys):
    assert hotfix("status", "metallb") == 0
    printed = capsys.readouterr().out
    assert printed.startswith("[HOTFIX 진행 상황] ") and "다음 업데이트: " in printed
    assert world.slack.requests == []
    events = len(draft_of(world).timeline)

    assert hotfix("status", "metallb", "--post") == 0
    (request,) = world.slack.requests
    posted = request.json()["text"]
    assert posted.splitlines()[1:] == printed.splitlines()[1:]  # the title line carries the minute
    d = draft_of(world)
    assert len(d.timeline) == events + 1 and d.timeline[-1].text == "팀 채널에 진행 상황 공유"


def test_bad_next_and_no_webhook_are_one_line_each(world, capsys, monkeypatch):
    assert hotfix("status", "metallb", "--next", "1") == 2
    assert capsys.readouterr().err.count("\n") == 1
    monkeypatch.delenv("SLACK_WEBHOOK_URL")
    assert hotfix("status", "metallb", "--post") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no webhook is configured" in err
    assert world.slack.requests == []
