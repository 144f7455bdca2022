"""One builder per command: what the screens show, ``--dry-run`` and ``hotfix check`` print, and
what really runs are the same lines, with non-default config (tofu, upstream, master, a
kube context, a namespace).

Real parts: a real git origin and clone (remote ``upstream``, main ``master``) with every
git call recorded by a ``git`` wrapper on PATH that then runs the real git; the fake
terraform installed as ``tofu`` on PATH logging each argv; ``echo-argv`` as kubectl.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hotfix_tui import cli, integrations_cli
from hotfix_tui.cli import main as cli_main
from hotfix_tui.config import load_config
from hotfix_tui.render import RenderContext
from hotfix_tui.screens.branch import branch_commands
from hotfix_tui.screens.commit import push_commands
from hotfix_tui.screens.fix import check_commands, row_command
from hotfix_tui.screens.merge import merge_commands
from hotfix_tui.screens.verify import verify_markdown
from hotfix_tui.services.checks import CheckService
from hotfix_tui.services.terraform import terraform_fingerprint
from hotfix_tui.services.commands import Commands
from hotfix_tui.store import DraftStore
from tests.fakes import ECHO_ARGV, TERRAFORM, executable

from .conftest import EXAMPLE

BULLET = ("Previews, F4 copies and hand records show commands that differ from what runs: with "
          '`[terraform] binary = "tofu"`, `[git] remote = "upstream"`, `main_branch = "master"`, the service '
          "runs `tofu plan … -out=.terraform/hotfix-<id>.tfplan`, but the screen shows "
          "`terraform plan … -out=hotfix.tfplan`, `git pull --ff-only origin main`, "
          "`terraform apply hotfix.tfplan` (screens/fix.py, branch.py, commit.py, merge.py build their own strings).")

KEY = "TERRAFORM-15"
BRANCH = "hotfix/TERRAFORM-15-metallb-ip-pool-fix"
CONTEXT = "stage-east"
NS = "metallb-system"

GIT_WRAPPER = """#!/bin/sh
# Records each git call (one JSON argv per line), then runs the real git.
"{python}" -c 'import json,sys; open(sys.argv[1],"a").write(json.dumps(sys.argv[2:])+"\\n")' "$GIT_CALLS" "$@"
exec "{git}" "$@"
"""


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def git_lines(log: Path) -> list[str]:
    """Every git call as the command line a user would type."""
    if not log.exists():
        return []
    return [shlex.join(["git", *json.loads(line)]) for line in log.read_text().splitlines()]


def tofu_lines(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [shlex.join(["tofu", *json.loads(line)["argv"]]) for line in log.read_text().splitlines()]


def body_lines(text: str) -> list[str]:
    """The command lines of a preview (comments, blanks, §5.1 items and `  # passed` marks left out)."""
    return [line.split("  # ", 1)[0] for line in text.splitlines()
            if line.strip() and not line.startswith(("#", "- [", "```"))]


@pytest.fixture
def world(tmp_path, monkeypatch, tf_root):
    """An ``upstream`` remote whose main is ``master``, tofu and a recording git on PATH, a config, a draft."""
    real_git = shutil.which("git")
    bare, seed, work = tmp_path / "origin.git", tmp_path / "seed", tmp_path / "work"
    subprocess.run([real_git, "init", "-q", "--bare", "--initial-branch=master", str(bare)], check=True)
    subprocess.run([real_git, "init", "-q", "--initial-branch=master", str(seed)], check=True)
    (seed / "metallb.tf").write_text('resource "kubernetes_config_map" "metallb_config" {}\n')
    for args in (["-c", "user.name=x", "-c", "user.email=x@x", "add", "."],
                 ["-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "initial"],
                 ["push", "-q", str(bare), "master:master"]):
        subprocess.run([real_git, *args], cwd=seed, check=True)
    subprocess.run([real_git, "clone", "-q", "-o", "upstream", str(bare), str(work)], check=True)
    subprocess.run([real_git, "config", "user.name", "On-call"], cwd=work, check=True)
    subprocess.run([real_git, "config", "user.email", "oncall@example.com"], cwd=work, check=True)

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "tofu").symlink_to(executable(TERRAFORM))
    wrapper = bin_dir / "git"
    wrapper.write_text(GIT_WRAPPER.format(python=sys.executable, git=real_git))
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GIT_CALLS", str(tmp_path / "git-calls.jsonl"))
    monkeypatch.setenv("FAKE_TERRAFORM_LOG", str(tmp_path / "tofu-calls.jsonl"))

    config_path = tmp_path / "config.toml"
    config_path.write_text(f"""
[git]
repo_dir = "{work}"
remote = "upstream"
main_branch = "master"

[terraform]
binary = "tofu"
dir = "{tf_root}"

[kubectl]
binary = "{executable(ECHO_ARGV)}"
context = "{CONTEXT}"
namespace = "{NS}"
""", encoding="utf-8")
    monkeypatch.setenv("HOTFIX_TUI_CONFIG", str(config_path))
    store = DraftStore(tmp_path / "drafts")
    draft = store.load(EXAMPLE).draft
    draft.id = "metallb"
    draft.branch.name = draft.branch.base = draft.branch.created_at = ""
    draft.commit.sha = draft.commit.pushed_at = ""
    draft.deploy.plan_file = ""
    draft.timeline = []
    path = store.create(draft).path

    class World:
        pass

    w = World()
    w.work, w.bare, w.store, w.path, w.tf_root = work, bare, store, path, tf_root
    w.git_log, w.tofu_log = tmp_path / "git-calls.jsonl", tmp_path / "tofu-calls.jsonl"
    w.config = load_config(config_path)
    return w


def draft_of(world):
    return world.store.load(world.path).draft


def dry_run(capsys, *argv: str) -> list[str]:
    assert cli.main([*argv, "--dry-run"]) == 0
    return capsys.readouterr().out.splitlines()


def test_checks_preview_hand_record_and_hotfix_check_show_what_tofu_receives(world, capsys):
    """Previews, F4 copies and hand records show commands that differ from what runs: with
    `[terraform] binary = "tofu"` … the service runs `tofu plan … -out=.terraform/hotfix-<id>.tfplan`,
    but the screen shows `terraform plan … -out=hotfix.tfplan` (screens/fix.py … build their own strings)."""
    commands = Commands(world.config)
    ctx = RenderContext.from_config(world.config)
    draft = draft_of(world)
    shown = body_lines(check_commands(draft, ctx, commands))
    assert shown[-1] == ("tofu plan -input=false -no-color -out=.terraform/hotfix-metallb.tfplan "
                         "-detailed-exitcode")
    assert not any(line.startswith("terraform ") for line in shown)

    assert cli_main(["check", str(world.path), "--only", "fmt,init,validate,plan"]) == 0
    printed = [line[2:] for line in capsys.readouterr().out.splitlines() if line.startswith("$ ")]
    ran = [line for line in tofu_lines(world.tofu_log) if " show -json " not in line]
    assert shown == printed == ran

    # A hand record stores the row's lines as they run (fmt: -check, then the rewrite).
    assert row_command(commands, draft, "plan") == ran[-1]
    assert row_command(commands, draft, "fmt") == f"{ran[0]} && {ran[1]}"

    # §5.2 in the Verify preview: the same terraform lines, kubectl with the context and namespace.
    verify = body_lines(verify_markdown(draft, ctx, commands))
    assert verify[:3] == ran[2:5]
    assert verify[3] == f"{shlex.quote(str(ECHO_ARGV))} --context {CONTEXT} get all -n {NS}"


def test_kubectl_line_shown_is_the_argv_kubectl_receives(world, capsys):
    """Previews … show commands that differ from what runs (the context and namespace of kubectl)."""
    commands = Commands(world.config)
    shown = commands.line("kubectl-get")
    assert cli_main(["check", str(world.path), "--only", "kubectl", "-v"]) in (0, 1)
    out = capsys.readouterr().out.splitlines()
    assert f"$ {shown}" in out
    received = next(json.loads(line.split("| ", 1)[1]) for line in out if "| [" in line)
    assert shlex.join([str(ECHO_ARGV), *received]) == shown


def test_git_previews_match_dry_run_and_the_git_that_runs(world, capsys):
    """Previews, F4 copies and hand records show commands that differ from what runs: with
    `[git] remote = "upstream"`, `main_branch = "master"` … the screen shows
    `git pull --ff-only origin main` (screens/branch.py, commit.py, merge.py build their own strings)."""
    commands = Commands(world.config)
    ctx = RenderContext.from_config(world.config)
    draft = draft_of(world)

    # §3.2 branch
    shown = body_lines(branch_commands(draft, ctx, commands))
    assert shown == ["git fetch upstream master", "git checkout master", "git merge --ff-only upstream/master",
                     f"git checkout -b {BRANCH}"]
    planned = dry_run(capsys, "git", "branch", str(world.path))
    assert all(line in planned for line in shown)
    assert cli.main(["git", "branch", str(world.path)]) == 0
    capsys.readouterr()
    ran = git_lines(world.git_log)
    assert all(line in ran for line in shown), (shown, ran)
    assert not any("origin" in line or " main" in line for line in ran)

    # §4.2 commit and §4.4 push
    (world.work / "metallb.tf").write_text('resource "kubernetes_config_map" "metallb_config" { }\n')
    git(world.work, "add", ".")
    draft = draft_of(world)
    shown = body_lines(push_commands(draft, ctx, commands))
    commit_line = shown[0] + "\n" + "\n".join(  # the message spans lines inside its quotes
        line for line in push_commands(draft, ctx, commands).splitlines()[2:] if line != shown[-1]).rstrip("\n")
    planned = "\n".join(dry_run(capsys, "git", "commit", str(world.path)))
    assert commit_line in planned
    world.git_log.unlink()
    assert cli.main(["git", "commit", str(world.path), "--reason", "checks run above"]) == 0
    capsys.readouterr()
    assert commit_line in git_lines(world.git_log)
    push_line = shown[-1]
    assert push_line == f"git push --set-upstream upstream {BRANCH}:refs/heads/{BRANCH}"
    assert push_line in dry_run(capsys, "git", "push", str(world.path))
    assert cli.main(["git", "push", str(world.path), "--reason", "checks run above"]) == 0
    capsys.readouterr()
    assert push_line in git_lines(world.git_log)

    # §7.2 clean-up: the same lines, the tips the run checked filled in.
    draft = draft_of(world)
    shown = body_lines(merge_commands(draft, ctx, commands))[:-1]
    planned = dry_run(capsys, "git", "cleanup", str(world.path))
    assert all(line in planned for line in shown)
    world.git_log.unlink()
    assert cli.main(["git", "cleanup", str(world.path), "--force", KEY]) == 0
    capsys.readouterr()
    ran = [shlex.split(line) for line in git_lines(world.git_log)]

    def same(shown_argv: list[str], run_argv: list[str]) -> bool:
        patterns = [re.escape(a).replace(re.escape("<remote tip>"), "[0-9a-f]{40}") for a in shown_argv]
        return len(patterns) == len(run_argv) and all(re.fullmatch(p, a) for p, a in zip(patterns, run_argv))

    for line in shown:
        assert any(same(shlex.split(line), r) for r in ran), (line, ran)


def test_apply_preview_is_the_apply_that_runs(world, capsys):
    """… the screen shows `terraform apply hotfix.tfplan` (screens/merge.py builds its own string)."""
    commands = Commands(world.config)
    service = CheckService(world.config)
    draft = draft_of(world)
    outcome = service.plan(".terraform/hotfix-metallb.tfplan")
    draft.deploy.plan_file = outcome.plan_file
    shown = body_lines(merge_commands(draft, RenderContext.from_config(world.config), commands))[-1]
    assert shown == "tofu apply -input=false -no-color .terraform/hotfix-metallb.tfplan"
    service.apply(draft.deploy.plan_file, reviewed_fingerprint=terraform_fingerprint(world.tf_root))
    assert tofu_lines(world.tofu_log)[-1] == shown


def test_default_config_keeps_the_terraform_and_origin_main_words():
    """The defaults still read as the seed's commands: terraform, origin, main."""
    from hotfix_tui.config import Config
    from hotfix_tui.model import Draft

    ctx = RenderContext()
    text = branch_commands(Draft(id="x"), ctx) + merge_commands(Draft(id="x"), ctx) + check_commands(Draft(id="x"), ctx)
    assert "git merge --ff-only origin/main" in text and "terraform apply" in text
    assert "upstream" not in text and "tofu" not in text
    assert Commands(Config()).label("validate") == "terraform validate"
