"""The outbox for jump hosts (issue 13, item 2): queue a step while its server is out of reach, send it later, once.

"A remote step that cannot reach Jira or GitHub can be queued instead of done by hand: the
request is stored in the draft (what, with which idempotency check), shown as pending on
the screen and in `hotfix list`, and `hotfix sync [DRAFT]` … replays the queue in order,
idempotently (the existing duplicate checks), recording each outcome. Nothing is sent
twice; a conflict (the ticket moved meanwhile) is shown, not overwritten."

Real jira/PyGithub clients against the loopback servers; an outage is a server stopped and
started again on the same port.
"""

from __future__ import annotations

import pytest

from hotfix_tui.cli import main

from .servers.jira_server import DONE, IN_PROGRESS
from .test_integrations_cli import BRANCH, _fix, draft_of, world  # noqa: F401  (world is a fixture)


def hotfix(*argv: str) -> int:
    return main(list(argv))


def _ready_for_a_pr(world) -> None:
    for step in (("jira", "create"), ("git", "branch")):
        assert hotfix(*step, "metallb") == 0
    _fix(world.work)
    assert hotfix("git", "commit", "metallb", "--reason", "checks run by hand") == 0
    assert hotfix("git", "push", "metallb", "--reason", "checks run by hand") == 0


def test_after_an_outage_the_queue_is_sent_in_order_once(world, capsys):
    """One ticket move and one PR queued during an outage; `hotfix sync` sends each once,
    in order; a second sync sends nothing."""
    _ready_for_a_pr(world)
    world.jira.stop()
    world.github.stop()
    assert hotfix("jira", "move", "metallb", "in_progress", "--queue") == 0
    assert hotfix("pr", "create", "metallb", "--queue", "--reason", "verified by hand") == 0
    out = capsys.readouterr()
    assert "queued in the draft's outbox" in out.out and "connection refused" in out.err
    d = draft_of(world)
    assert [(q.step, q.state) for q in d.outbox] == [("in_progress", "pending"), ("pr_create", "pending")]
    assert not d.pr.url and not d.jira_moved("in_progress")
    assert hotfix("list") == 0
    assert "(outbox 2)" in capsys.readouterr().out  # shown as pending in `hotfix list`

    assert hotfix("sync") == 2  # still out of reach: nothing sent, the queue waits in order
    assert [q.state for q in draft_of(world).outbox] == ["pending", "pending"]
    capsys.readouterr()

    world.jira.start()
    world.github.start()
    assert hotfix("sync", "metallb") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[2].split(" ")[0] for line in lines] == ["sent", "sent"]
    d = draft_of(world)
    assert [q.state for q in d.outbox] == ["sent", "sent"] and all(q.done_at for q in d.outbox)
    assert d.jira_moved("in_progress") and world.jira.status_of("TERRAFORM-15") == IN_PROGRESS
    assert len(world.github.pulls) == 1 and d.pr.number == 1
    assert len(world.jira.issues) == 1

    assert hotfix("sync") == 0
    assert capsys.readouterr().out.strip() == "nothing waits in the outbox"
    assert len(world.github.pulls) == 1 and len(world.jira.issues) == 1
    assert hotfix("list") == 0 and "(outbox" not in capsys.readouterr().out


def test_a_queued_create_finds_the_ticket_made_meanwhile_and_makes_no_second(world, capsys):
    """The queued create goes through the create step's own duplicate check: a ticket made
    meanwhile (from another host's copy of the draft) is found and reused — exactly one."""
    world.jira.stop()
    assert hotfix("jira", "create", "metallb", "--queue") == 0
    assert [q.step for q in draft_of(world).outbox] == ["jira_create"]
    world.jira.start()
    elsewhere = world.tmp / "elsewhere.toml"
    elsewhere.write_bytes(world.path.read_bytes())
    assert hotfix("jira", "create", str(elsewhere)) == 0  # the other host got through first
    assert len(world.jira.issues) == 1
    capsys.readouterr()
    assert hotfix("sync", "metallb") == 0
    d = draft_of(world)
    assert d.backlog.jira_key == "TERRAFORM-15" and d.outbox[0].state == "sent"
    assert "reused" in d.outbox[0].result or "TERRAFORM-15" in d.outbox[0].result
    assert len(world.jira.issues) == 1


def test_a_ticket_moved_meanwhile_is_a_conflict_shown_not_overwritten(world, capsys):
    assert hotfix("jira", "create", "metallb") == 0
    assert hotfix("jira", "move", "metallb", "in_progress") == 0
    world.jira.stop()
    assert hotfix("jira", "move", "metallb", "testing", "--queue") == 0
    d = draft_of(world)
    assert d.outbox[0].expect == d.backlog.jira_status == IN_PROGRESS  # what the world looked like
    world.jira.start()
    world.jira.issues["TERRAFORM-15"]["status"] = "10002"  # someone closed it in Jira meanwhile
    capsys.readouterr()
    assert hotfix("sync", "metallb") == 1
    out = capsys.readouterr().out
    assert "conflict" in out and f"is in '{DONE}' now" in out
    d = draft_of(world)
    assert d.outbox[0].state == "conflict" and world.jira.status_of("TERRAFORM-15") == DONE
    assert "Queue conflict" in d.timeline[-1].text or "대기열 충돌" in d.timeline[-1].text


def test_only_an_unreachable_server_queues_and_git_never_does(world, capsys):
    """A refusal (a bad token) is not queued; nor is a git step; without --queue the outage is exit 2."""
    world.jira.stop()
    assert hotfix("jira", "create", "metallb") == 2
    assert draft_of(world).outbox == []
    world.jira.start()
    world.jira.fail_next("POST", "/issue", 401)
    assert hotfix("jira", "create", "metallb", "--queue") == 1
    assert draft_of(world).outbox == []
    with pytest.raises(SystemExit) as exit_:
        hotfix("git", "push", "metallb", "--queue")  # no such option for git
    assert exit_.value.code == 2
