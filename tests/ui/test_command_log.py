"""One command log, one Retry and one Cancel for every kind of step (issue 11, item 2).

"One job runner and one command log. … one `CommandLog` widget shows every step's command,
live output and result, with the same Retry and cancel everywhere." Before, remote steps
had a log of their own (a Static inside the step panel) with a Retry and no cancel: a
`git push` to a remote that never answers could only be waited out or quit.
"""

from __future__ import annotations

import os

from textual.widgets import Button

from hotfix_tui.cli import main as hotfix
from hotfix_tui.widgets.command_log import CommandLog
from hotfix_tui.widgets.step_panel import StepPanel

from ..servers.github_server import git
from ..test_git_runner import HANGING_SSH, _alive, _script
from ..test_integrations_cli import BRANCH, _fix, world  # noqa: F401  (world is a fixture)
from .helpers import until, workers_done
from .test_integrations_ui import log_text, wizard
from .test_metallb_walk import press_button


def _at_phase(world, phase: str) -> None:
    loaded = world.store.load(world.path)
    loaded.draft.phase = phase
    world.store.save(loaded)


async def test_both_kinds_of_step_show_in_one_kind_of_log(world, drafts_dir):
    """The Merge screen runs remote steps and `terraform apply`: both logs are CommandLogs,
    the remote step's inside its panel, each with its own Retry and Cancel."""
    assert hotfix(["jira", "create", "metallb"]) == 0
    _at_phase(world, "merge")
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query("#step-panel"), "the merge screen")
        logs = list(app.screen.query(CommandLog))
        assert {log.id for log in logs} == {"step-log", "log"}
        step_log = app.screen.query_one("#step-panel", StepPanel).log
        assert step_log in logs and step_log.has_class("-idle")  # out of the layout until a step runs
        for prefix in ("step", "log"):
            assert app.screen.query_one(f"#{prefix}-retry") and app.screen.query_one(f"#{prefix}-cancel")


async def test_a_failed_remote_step_shows_its_status_and_retry_in_the_log_head(world, drafts_dir):
    """A refused request: the log's head says failed (as a failed check's does), Retry shows."""
    world.jira.stop()
    _at_phase(world, "backlog")
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        await workers_done(pilot)
        log = app.screen.query_one("#step-panel", StepPanel).log
        assert log.status == "failed" and "connection refused" in log.summary
        assert app.screen.query_one("#step-retry").display and not app.screen.query_one("#step-cancel").display
        assert "connection refused" in log_text(app)


async def test_cancel_stops_a_hung_push_from_the_wizard(world, drafts_dir, tmp_path, monkeypatch):
    """"the wizard has no cancel button for a hung push": now Cancel stops the push and its
    ssh at once; the step fails with one clear line, nothing is recorded as pushed, Retry shows."""
    for step in (("jira", "create"), ("git", "branch")):
        assert hotfix([*step, "metallb"]) == 0
    _fix(world.work)
    assert hotfix(["git", "commit", "metallb", "--reason", "checks run by hand"]) == 0
    pids = tmp_path / "ssh-pids"
    ssh = _script(tmp_path / "hanging-ssh", HANGING_SSH)
    git(world.work, "remote", "set-url", "origin", "ssh://git@hang.invalid/infra/platform.git")
    for name, value in (("GIT_SSH_COMMAND", str(ssh)), ("GIT_SSH_VARIANT", "ssh"), ("HANG_PIDS", str(pids))):
        monkeypatch.setenv(name, value)
    _at_phase(world, "commit")
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_button(pilot, "step-push")
        await until(pilot, lambda: pids.exists() and pids.read_text().strip(), "git reaching the hung remote")
        ssh_pid = int(pids.read_text().split()[0])
        panel = app.screen.query_one("#step-panel", StepPanel)
        assert panel.running and panel.log.status == "running"
        assert app.screen.query_one("#step-cancel").display and not app.screen.query_one("#step-retry").display
        await press_button(pilot, "step-cancel")
        await workers_done(pilot)
        assert not panel.running and panel.log.status == "failed"
        assert "was cancelled" in log_text(app)
        assert not _alive(ssh_pid)
        assert not app.loaded.draft.commit.pushed_at
        assert app.screen.query_one("#step-retry").display
    assert os.environ["HANG_PIDS"] == str(pids)


async def test_cancel_of_a_request_says_it_ends_by_its_timeout_and_keeps_the_result(world, drafts_dir):
    """Jira and GitHub requests cannot be called back: Cancel says so (with the timeout), and
    what comes back is still stored, once."""
    world.jira.timeout_next_create(2.5)  # Jira is slow to answer (its timeout is 5 s)
    _at_phase(world, "backlog")
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        panel = app.screen.query_one("#step-panel", StepPanel)
        await until(pilot, lambda: panel.running, "the create step running")
        app.screen.query_one("#step-cancel", Button).press()
        await until(pilot, lambda: "5" in log_text(app).rsplit("\n", 1)[-1], "the cancel's answer")
        assert "5 s" in log_text(app) or "5초" in log_text(app)  # [jira] timeout = 5
        await workers_done(pilot)
        await until(pilot, lambda: app.loaded.draft.backlog.jira_key, "the key stored all the same")
        assert app.loaded.draft.backlog.jira_key == "TERRAFORM-15" and len(world.jira.issues) == 1
