"""Issue 11, item 2 (git's half): every git command that changes something or talks to the
remote runs through ``services/runner.Runner``; GitPython only reads.

Real git with a bare ``origin`` in tmp. A remote that hangs is a fake ``ssh``
(``GIT_SSH_COMMAND``) that records its pid and sleeps; a ``git`` wrapper on PATH records
every call and whether it was started in a process group of its own (the runner's mark).
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from hotfix_tui.config import load_config
from hotfix_tui.services import Services
from hotfix_tui.services.errors import TIMEOUT, ServiceError
from hotfix_tui.services.git import GitService
from hotfix_tui.services.runner import INFO, Runner

from .servers.github_server import git, make_origin_and_clone, push_from_elsewhere

BRANCH = "hotfix/TERRAFORM-15-metallb-ip-pool-fix"
MESSAGE = "[TERRAFORM-15] hotfix: MetalLB IP 풀 범위 DHCP 충돌 수정\n\n문제: IP 충돌\n"

OPENING_BULLET = ("Two ways to run a command. … Git goes through GitPython's `repo.git.execute`, outside the "
                  "runner that streams, cancels and masks.")
ITEM_2 = ("Every external action (git included) runs through `services/runner.Runner` (streaming, "
          "timeout, cancel, masking) … GitPython stays for what it does well: reading repository state "
          "(refs, ancestry, dirty files, upstream) without parsing porcelain.")

# Verbs that change the repository or talk to the remote.
CHANGES = {"fetch", "ls-remote", "checkout", "merge", "commit", "push", "branch"}

GIT_WRAPPER = """#!/bin/sh
# Records each git call and whether it leads its own session (the runner starts every
# command with start_new_session), then runs the real git.
"{python}" -c 'import json,os,sys; open(sys.argv[1],"a").write(json.dumps({{"argv": sys.argv[2:], "cwd": os.getcwd(), "own_session": os.getsid(0) == os.getppid()}})+"\\n")' "$GIT_CALLS" "$@"
exec "{git}" "$@"
"""

HANGING_SSH = """#!/bin/sh
# A remote that never answers: note who we are, then wait forever.
echo $$ >> "$HANG_PIDS"
exec sleep 600
"""

LEAKY_SSH = """#!/bin/sh
# A remote helper that says too much: the token on stderr, then a refusal.
echo "debug: using token $DEPLOY_TOKEN for $1" >&2
echo "fatal: Could not read from remote repository." >&2
exit 128
"""


@pytest.fixture
def repos(tmp_path):
    return make_origin_and_clone(tmp_path / "git")


def _fix(work: Path) -> None:
    path = work / "metallb.tf"
    path.write_text(path.read_text().replace("192.168.1.200-192.168.1.250", "192.168.1.100-192.168.1.150"))
    git(work, "add", "metallb.tf")


def _script(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


def _alive(pid: int) -> bool:
    """Still running (a zombie waiting for its parent does not count)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


class RecordingRunner(Runner):
    """The real runner, keeping every result it returned."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.results = []

    def run(self, argv, **kw):
        result = super().run(argv, **kw)
        self.results.append(result)
        return result


# -- one code path ---------------------------------------------------------------------------


def test_every_git_that_changes_something_or_talks_to_the_remote_runs_through_the_runner(
        repos, tmp_path, monkeypatch):
    """Issue 11: "Two ways to run a command. … Git goes through GitPython's `repo.git.execute`,
    outside the runner that streams, cancels and masks." Item 2: "Every external action (git
    included) runs through `services/runner.Runner` … GitPython stays for … reading repository
    state."

    A whole branch → commit → push → clean-up: each fetch, ls-remote, checkout, merge, commit,
    push and branch -D git started in a process group of its own (the runner's), and GitPython's
    calls are all reads. On the start commit every one of them came from GitPython.
    """
    bare, work = repos
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    real_git = subprocess.run(["sh", "-c", "command -v git"], capture_output=True, text=True).stdout.strip()
    _script(bin_dir / "git", GIT_WRAPPER.format(python=sys.executable, git=real_git))
    calls = tmp_path / "git-calls.jsonl"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GIT_CALLS", str(calls))

    service = GitService(work)
    service.create_branch(BRANCH)
    _fix(work)
    service.commit(MESSAGE)
    service.push(BRANCH)
    tip = git(work, "rev-parse", BRANCH)
    push_from_elsewhere(bare, tmp_path / "git", "main", "metallb.tf", (work / "metallb.tf").read_text())
    service.cleanup(BRANCH, merged_head=tip)

    # The service's calls (the test's own set-up runs git in other folders or only adds).
    recorded = [c for c in map(json.loads, calls.read_text().splitlines())
                if c["cwd"] == str(work) and c["argv"][0] != "add"]
    changes = [c for c in recorded if c["argv"][0] in CHANGES]
    verbs = {c["argv"][0] for c in changes}
    assert verbs == CHANGES, verbs  # every kind of change was exercised
    assert all(c["own_session"] for c in changes), [c["argv"] for c in changes if not c["own_session"]]
    reads = [c for c in recorded if not c["own_session"]]
    assert reads and all(c["argv"][0] not in CHANGES for c in reads)
    # Nothing else went through the runner: it runs changes and remote calls only.
    assert all(c["argv"][0] in CHANGES for c in recorded if c["own_session"])


def test_the_lines_shown_before_a_step_are_the_commands_the_runner_ran(repos, tmp_path):
    """Rule 3 with item 2: the dry run's lines (what the screen shows) are made by the same
    builders and display as the commands the runner ran, in the order they ran; the output
    streams to ``on_lines`` with each command line first."""
    bare, work = repos
    runner = RecordingRunner()
    service = GitService(work, runner=runner)
    runs = {"fetch", "ls-remote", "checkout", "merge", "push", "branch"}

    planned = [line for line in service.create_branch(BRANCH, dry_run=True) if line.split()[1] in runs]
    streamed = []
    service.create_branch(BRANCH, on_lines=streamed.extend)
    assert [r.command for r in runner.results] == planned
    assert all(r.ok for r in runner.results)
    assert [text for stream, text in streamed if stream == INFO] == [f"$ {line}" for line in planned]

    _fix(work)
    runner.results.clear()
    service.commit(MESSAGE)
    service.push(BRANCH)
    assert [r.command for r in runner.results] == [service.commit(MESSAGE, dry_run=True)[1],
                                                   *service.push(BRANCH, dry_run=True)]

    tip = git(work, "rev-parse", BRANCH)
    squashed_on_main = push_from_elsewhere(bare, tmp_path / "git", "main", "metallb.tf",
                                           (work / "metallb.tf").read_text())
    runner.results.clear()
    result = service.cleanup(BRANCH, merged_head=tip)
    assert result.main_sha == squashed_on_main
    filled = [service.line(c) for c in service.cleanup_commands(BRANCH, local_tip=tip, remote_tip=tip,
                                                                merged_head=tip)
              if c[0] in runs]
    assert [r.command for r in runner.results] == filled
    shown = [line for line in service.cleanup(BRANCH, dry_run=True) if line.split()[1] in runs]
    # The same argv, the placeholder of the tip the run checks filled in.
    assert ([[w.replace("<remote tip>", tip) for w in shlex.split(line)] for line in shown]
            == [shlex.split(line) for line in filled])


# -- cancel and timeout -----------------------------------------------------------------------


@pytest.fixture
def hanging(repos, tmp_path):
    """A clone whose remote is ssh to a host that never answers; (work, runner env, pid file)."""
    _, work = repos
    pids = tmp_path / "ssh-pids"
    ssh = _script(tmp_path / "hanging-ssh", HANGING_SSH)
    git(work, "remote", "set-url", "origin", "ssh://git@hang.invalid/infra/platform.git")
    git(work, "checkout", "-q", "-b", BRANCH)
    env = {**os.environ, "GIT_SSH_COMMAND": str(ssh), "GIT_SSH_VARIANT": "ssh", "HANG_PIDS": str(pids)}
    return work, env, pids


def _push_in_thread(service: GitService, **kw):
    outcome: dict = {}

    def push() -> None:
        try:
            outcome["value"] = service.push(BRANCH, **kw)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=push, daemon=True)
    thread.start()
    return thread, outcome


def _wait_for_hang(pids: Path, thread: threading.Thread) -> int:
    """The hanging ssh's pid, once git has started it (a condition, not a pause)."""
    deadline = time.monotonic() + 60  # a safety net for a broken build, not a measurement
    while not (pids.exists() and pids.read_text().strip()):
        assert thread.is_alive(), "the push ended before reaching the remote"
        assert time.monotonic() < deadline, "git never started the ssh command"
        time.sleep(0.02)
    return int(pids.read_text().split()[0])


@pytest.mark.parametrize("how", ["event", "service", "app-runner"])
def test_cancel_stops_a_hung_push_and_its_ssh(hanging, tmp_path, monkeypatch, how):
    """Item 2: git runs through the runner's "cancel": a `git push` to a remote that never
    answers is stopped, with its ssh, by the step's cancel event, by ``GitService.cancel()`` or
    by the app's one runner (``cancel_all`` on quit), and the step ends with one clear error.
    On the start commit a hung push could only wait for GitPython's kill_after_timeout."""
    work, env, pids = hanging
    cancel = threading.Event()
    if how == "app-runner":
        config_path = tmp_path / "config.toml"
        config_path.write_text(f'[git]\nrepo_dir = "{work}"\n', encoding="utf-8")
        for name in ("GIT_SSH_COMMAND", "GIT_SSH_VARIANT", "HANG_PIDS"):
            monkeypatch.setenv(name, env[name])
        services = Services.from_config(load_config(config_path))
        service = services.git
        assert service.runner is services.checks.runner  # the runner the app stops on quit
        stop = services.checks.runner.cancel_all
    else:
        service = GitService(work, runner=Runner(env=env))
        stop = cancel.set if how == "event" else service.cancel
    lines = []
    thread, outcome = _push_in_thread(service, on_lines=lines.extend, cancel=cancel)
    ssh_pid = _wait_for_hang(pids, thread)

    stop()
    thread.join()
    error = outcome.get("error")
    assert isinstance(error, ServiceError), outcome
    assert "was cancelled" in str(error) and "git push --set-upstream origin" in str(error)
    assert "ls-remote" in str(error)  # how to see whether the push arrived after all
    assert not _alive(ssh_pid)
    assert lines[0] == (INFO, f"$ git push --set-upstream origin {BRANCH}:refs/heads/{BRANCH}")


def test_a_timeout_ends_a_hung_push_with_a_clear_error(hanging):
    """Item 2: git runs through the runner's "timeout": a push to a remote that never answers
    ends after ``network_timeout`` with a timeout error naming the command, and its ssh is
    stopped with it."""
    work, env, pids = hanging
    service = GitService(work, runner=Runner(env=env, grace=1), network_timeout=1)
    with pytest.raises(ServiceError) as info:
        service.push(BRANCH)
    error = info.value
    assert error.kind == TIMEOUT and error.retryable
    assert f"`git push --set-upstream origin {BRANCH}:refs/heads/{BRANCH}` took longer than 1 s" in str(error)
    assert not _alive(int(pids.read_text().split()[0]))


# -- masking and a missing git ------------------------------------------------------------------


def test_credentials_in_a_remote_url_or_the_environment_are_masked_in_lines_output_and_errors(repos, tmp_path):
    """Item 2: git runs through the runner's "masking": a token in the remote's URL is masked in
    the shown line; a token in the environment that git's helper prints is masked in the
    streamed output and in the error."""
    _, work = repos
    token = "ghp_s3cr3tTokenValue1234567890"
    remote_url = f"https://oncall:{token}@127.0.0.1:1/infra/platform.git"
    service = GitService(work, remote=remote_url)
    shown = service.push(BRANCH, dry_run=True)[0]
    assert token not in shown and "oncall:****@127.0.0.1:1" in shown
    assert all(token not in line for line in service.cleanup(BRANCH, dry_run=True))

    ssh = _script(tmp_path / "leaky-ssh", LEAKY_SSH)
    git(work, "remote", "set-url", "origin", "ssh://git@leaky.invalid/infra/platform.git")
    env = {**os.environ, "GIT_SSH_COMMAND": str(ssh), "GIT_SSH_VARIANT": "ssh", "DEPLOY_TOKEN": token}
    service = GitService(work, runner=Runner(env=env))
    git(work, "checkout", "-q", "-b", BRANCH)
    lines = []
    with pytest.raises(ServiceError) as info:
        service.push(BRANCH, on_lines=lines.extend)
    assert any("debug: using token" in text for _, text in lines)  # the helper's line did arrive
    assert all(token not in text for _, text in lines)
    assert token not in str(info.value)
    assert info.value.kind == "unreachable"


def test_a_git_missing_from_path_is_one_message(repos, tmp_path):
    """Item 2: the runner's clear message for a missing program, for git: a step whose git cannot
    be found says "the git program was not found — install git or fix PATH"."""
    _, work = repos
    git(work, "checkout", "-q", "-b", BRANCH)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    service = GitService(work, runner=Runner(env={**os.environ, "PATH": str(empty)}))
    with pytest.raises(ServiceError) as info:
        service.push(BRANCH)
    assert str(info.value) == "git: the git program was not found — install git or fix PATH"
    assert info.value.kind == "config"


def test_hotfix_git_without_git_installed_prints_one_line(tmp_path):
    """Item 2: "a missing git binary gives one clear message": `hotfix git branch` on a machine
    without git says so in one line (exit 2). On the start commit GitPython's ImportError ended
    it as "unexpected error: ImportError: Failed to initialize: Bad git executable …"."""
    from .conftest import EXAMPLE
    from hotfix_tui.store import DraftStore

    store = DraftStore(tmp_path / "drafts")
    draft = store.load(EXAMPLE).draft
    draft.id = "metallb"
    draft.backlog.jira_key = "TERRAFORM-15"
    draft.branch.name = draft.branch.base = ""
    path = store.create(draft).path
    config_path = tmp_path / "config.toml"
    config_path.write_text(f'[git]\nrepo_dir = "{tmp_path}"\n[jira]\nproject_key = "TERRAFORM"\n', encoding="utf-8")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty), "HOTFIX_TUI_CONFIG": str(config_path),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from hotfix_tui.cli import main; sys.exit(main(sys.argv[1:]))",
         "git", "branch", str(path)],
        env=env, capture_output=True, text=True, cwd=tmp_path,
    )
    assert done.stderr.strip() == "hotfix: git: the git program was not found — install git or fix PATH", done.stderr
    assert done.returncode == 2


def test_cancel_during_the_fetch_stops_the_whole_branch_step(hanging):
    """Item 2: a cancel ends the step, not only the running git: `hotfix git branch` cancelled
    while its fetch hangs leaves the repository as it was (no checkout, no new branch)."""
    work, env, pids = hanging
    git(work, "checkout", "-q", "main")
    service = GitService(work, runner=Runner(env=env))
    outcome: dict = {}

    def branch() -> None:
        try:
            outcome["value"] = service.create_branch(BRANCH + "-new")
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=branch, daemon=True)
    thread.start()
    ssh_pid = _wait_for_hang(pids, thread)
    service.cancel()
    thread.join()
    error = outcome.get("error")
    assert isinstance(error, ServiceError) and "`git fetch origin main` was cancelled" in str(error), outcome
    assert not _alive(ssh_pid)
    assert git(work, "symbolic-ref", "--short", "HEAD") == "main"
    assert not git(work, "branch", "--list", BRANCH + "-new")


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_hang_up_of_hotfix_git_push_stops_the_hung_git(hanging, tmp_path, signum):
    """Item 2's regression, closed: git runs in its own process group, so a terminal's hang-up
    (or a SIGTERM to `hotfix git push`) no longer reaches it; the CLI stops it as `hotfix check`
    stops terraform, and exits 128+N with nothing left running."""
    from hotfix_tui.store import DraftStore

    from .conftest import EXAMPLE

    work, env, pids = hanging
    store = DraftStore(tmp_path / "drafts")
    draft = store.load(EXAMPLE).draft
    draft.id = "metallb"
    draft.branch.name = BRANCH
    path = store.create(draft).path
    config_path = tmp_path / "config.toml"
    config_path.write_text(f'[git]\nrepo_dir = "{work}"\n[jira]\nproject_key = "TERRAFORM"\n', encoding="utf-8")
    env = {**env, "HOTFIX_TUI_CONFIG": str(config_path), "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    cli = subprocess.Popen(
        [sys.executable, "-c", "import sys; from hotfix_tui.cli import main; sys.exit(main(sys.argv[1:]))",
         "git", "push", str(path), "--reason", "the hang-up test"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, start_new_session=True)
    try:
        deadline = time.monotonic() + 60  # a safety net for a broken build, not a measurement
        while not (pids.exists() and pids.read_text().strip()):
            assert cli.poll() is None, cli.communicate()
            assert time.monotonic() < deadline, "git never started the ssh command"
            time.sleep(0.02)
        ssh_pid = int(pids.read_text().split()[0])
        os.kill(cli.pid, signum)
        _, err = cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
    assert cli.returncode == 128 + signum, err
    assert "was cancelled" in err and "ls-remote" in err
    assert not _alive(ssh_pid)
