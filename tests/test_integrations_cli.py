"""`hotfix jira|git|pr ...` end to end: real git, the real jira/PyGithub clients, loopback servers."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from hotfix_tui.cli import exit_code
from hotfix_tui import cli, integrations_cli
from hotfix_tui.config import load_config
from hotfix_tui.store import DraftStore

from .conftest import EXAMPLE
from .servers.github_server import GithubServer, git, make_origin_and_clone
from .servers.jira_server import DONE, IN_PROGRESS, TESTING, JiraServer, LoopbackServer, Request, Response

JIRA_TOKEN = "jira-SECRET-7f3a9c"
GITHUB_TOKEN = "ghp_SECRET_b81d44e0"
SLACK_URL_SECRET = "T0001/B0001/slackSECRETpath"
BRANCH = "hotfix/TERRAFORM-15-metallb-ip-pool-fix"


class SlackHook(LoopbackServer):
    def handle(self, request: Request) -> Response:
        return Response(200, "ok")


@pytest.fixture
def world(tmp_path, monkeypatch):
    """Origin + clone, Jira, GitHub and Slack on loopback, a config file and a fresh draft."""
    bare, work = make_origin_and_clone(tmp_path / "git")
    jira = JiraServer(token=JIRA_TOKEN).start()
    github = GithubServer(bare, token=GITHUB_TOKEN).start()
    slack = SlackHook().start()
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    config_path = config_dir / "config.toml"
    config_path.write_text(f"""
[jira]
url = "{jira.origin}"
user = "oncall@example.com"
timeout = 5

[github]
repo = "infra/platform"
base_url = "{github.base_url}"
reviewers = ["alice", "infra/sre"]
slack_webhook_env = "SLACK_WEBHOOK_URL"
timeout = 5

[git]
repo_dir = "{work}"
""", encoding="utf-8")
    monkeypatch.setenv("HOTFIX_TUI_CONFIG", str(config_path))
    monkeypatch.setenv("JIRA_API_TOKEN", JIRA_TOKEN)
    monkeypatch.setenv("GITHUB_TOKEN", GITHUB_TOKEN)
    monkeypatch.setenv("SLACK_WEBHOOK_URL", f"{slack.origin}/services/{SLACK_URL_SECRET}")
    store = DraftStore(tmp_path / "drafts")
    draft = store.load(EXAMPLE).draft
    draft.id = "metallb"
    draft.backlog.jira_key = draft.backlog.jira_url = ""
    draft.timeline = []
    for item in draft.followups:
        item.key = item.url = ""
    loaded = store.create(draft)
    world = argparse.Namespace(bare=bare, work=work, jira=jira, github=github, slack=slack, store=store,
                               path=loaded.path, config_dir=config_dir, tmp=tmp_path)
    yield world
    for server in (jira, github, slack):
        server.stop()


def hotfix(*argv: str) -> int:
    """Run a command the way `hotfix` will once cli.py wires it in."""
    return cli.main(list(argv))


def draft_of(world):
    return world.store.load(world.path).draft


def _fix(work: Path) -> None:
    path = work / "metallb.tf"
    path.write_text(path.read_text().replace("192.168.1.200-192.168.1.250", "192.168.1.100-192.168.1.150"))
    git(work, "add", "metallb.tf")


def test_metallb_from_ticket_to_cleanup(world, capsys):
    assert hotfix("jira", "create", "metallb") == 0
    assert capsys.readouterr().out.startswith(f"TERRAFORM-15 {world.jira.origin}/browse/TERRAFORM-15")
    assert hotfix("git", "branch", "metallb") == 0
    assert hotfix("jira", "move", "metallb", "in_progress") == 0
    _fix(world.work)
    capsys.readouterr()
    assert hotfix("git", "commit", "metallb") == 1  # the §4.1 gate: no check passed on these files
    assert "pass --reason" in capsys.readouterr().err
    assert hotfix("git", "commit", "metallb", "--reason", "plan checked by hand on the jump host") == 0
    out = capsys.readouterr().out
    assert "metallb.tf" in out  # the staged diff stat is shown before committing
    assert hotfix("git", "push", "metallb") == 0
    assert hotfix("jira", "move", "metallb", "testing") == 0
    assert hotfix("pr", "create", "metallb") == 0
    assert hotfix("pr", "status", "metallb") == 0
    assert "#1 pending" in capsys.readouterr().out

    assert hotfix("pr", "merge", "metallb") == 1  # not approved: refused with the way out
    err = capsys.readouterr().err
    assert "not approved yet" in err and "--self-merge TERRAFORM-15" in err
    world.github.add_review(1, "alice", "APPROVED")
    assert hotfix("pr", "merge", "metallb") == 0
    assert hotfix("jira", "move", "metallb", "done") == 0
    assert hotfix("git", "cleanup", "metallb") == 0
    assert hotfix("jira", "followups", "metallb") == 0

    d = draft_of(world)
    assert (d.backlog.jira_key, d.backlog.jira_url) == ("TERRAFORM-15", f"{world.jira.origin}/browse/TERRAFORM-15")
    assert d.branch.name == BRANCH and d.branch.base and d.branch.created_at
    assert git(world.work, "cat-file", "-t", d.commit.sha) == "commit"
    assert d.commit.pushed_at
    assert (d.pr.number, d.pr.url) == (1, f"{world.github.origin}/infra/platform/pull/1")
    assert [(o.phase, o.reason) for o in d.overrides] == [("fix", "plan checked by hand on the jump host")]
    assert d.merge.reviewers == ["alice", "infra/sre"] and d.merge.review_requested_at
    assert d.merge.merge_sha == git(world.bare, "rev-parse", "main") and d.merge.merged_at
    assert not d.merge.self_merge
    assert d.merge.branch_deleted_at and d.merge.main_updated_at and d.merge.jira_done_at
    assert d.followups[0].key == "TERRAFORM-16"
    texts = [e.text for e in d.timeline]
    override = texts.pop(3)  # the §4.1 gate passed with a reason, recorded where it happened
    assert override.startswith("수정·점검 단계 게이트 예외") and override.endswith(": plan checked by hand on the jump host")
    assert d.timeline[3].source == "override"
    assert texts == [
        "JIRA TERRAFORM-15 백로그 생성",
        f"브랜치 {BRANCH} 생성 (main {d.branch.base[:7]})",
        "JIRA TERRAFORM-15 상태 변경 → 진행 중",
        f"커밋 {d.commit.sha[:7]}: [TERRAFORM-15] hotfix: MetalLB IP 풀 범위 DHCP 충돌 수정",
        f"{BRANCH} 푸시 ({d.commit.sha[:7]})",
        "JIRA TERRAFORM-15 상태 변경 → 테스트 진행중",
        "PR #1 생성 (리뷰 요청: alice, infra/sre)",
        "JIRA TERRAFORM-15에 PR 링크 코멘트",
        "Slack으로 리뷰 요청 알림",
        f"PR #1 머지 (squash, {d.merge.merge_sha[:7]})",
        "JIRA TERRAFORM-15 상태 변경 → 완료",
        f"hotfix 브랜치 정리 및 main 최신화 ({d.merge.merge_sha[:7]})",
        "Follow-up 백로그 TERRAFORM-16 생성: LoadBalancer 서비스 헬스체크 모니터링 추가",
    ]
    assert all(e.source == "auto" for i, e in enumerate(d.timeline) if i != 3)
    times = [e.at for e in d.timeline]
    assert times == sorted(times)

    # What the remote systems now hold.
    assert world.jira.status_of("TERRAFORM-15") == DONE
    assert world.jira.issues["TERRAFORM-15"]["resolution"]["name"] == "Done"
    assert "pull/1" in world.jira.comments["TERRAFORM-15"][0]["body"]
    assert world.jira.links[0]["inward"] == "TERRAFORM-15" and world.jira.links[0]["outward"] == "TERRAFORM-16"
    assert world.github.pulls[1]["merged"] and not git(world.bare, "branch", "--list", BRANCH)
    assert "192.168.1.100-192.168.1.150" in git(world.bare, "show", "main:metallb.tf")
    assert git(world.work, "symbolic-ref", "--short", "HEAD") == "main"
    assert git(world.work, "rev-parse", "main") == d.merge.merge_sha
    assert "리뷰" in world.slack.requests[0].json()["text"]

    # Tokens and the webhook URL appear nowhere: drafts, config folder, output.
    captured = capsys.readouterr()
    _assert_no_secrets(world, captured.out + captured.err)


def _assert_no_secrets(world, output: str) -> None:
    secrets = (JIRA_TOKEN, GITHUB_TOKEN, SLACK_URL_SECRET)
    for folder in (world.store.folder, world.config_dir):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert not any(s.encode() in data for s in secrets), path
    assert not any(s in output for s in secrets)


def test_self_merge_needs_the_key_typed(world, capsys):
    for step in (("jira", "create"), ("git", "branch")):
        assert hotfix(*step, "metallb") == 0
    _fix(world.work)
    assert hotfix("git", "commit", "metallb", "--reason", "checks run by hand") == 0
    for step in (("git", "push"), ("pr", "create")):
        assert hotfix(*step, "metallb") == 0
    capsys.readouterr()
    assert hotfix("pr", "merge", "metallb", "--self-merge", "TERRAFORM-16") == 1
    assert "typed exactly (TERRAFORM-15)" in capsys.readouterr().err
    assert not world.github.pulls[1]["merged"]
    assert hotfix("pr", "merge", "metallb", "--self-merge", "TERRAFORM-15") == 0
    d = draft_of(world)
    assert d.merge.self_merge
    assert d.timeline[-1].text.startswith("PR #1 Self-merge (squash, ") and "사후 리뷰" in d.timeline[-1].text
    # Running it again (a retry after a lost answer) changes nothing and records nothing twice.
    assert hotfix("pr", "merge", "metallb") == 0
    assert "already merged" in capsys.readouterr().out
    assert len(draft_of(world).timeline) == len(d.timeline)


def test_every_command_has_a_dry_run_that_touches_nothing(world, capsys, monkeypatch):
    # Give the draft everything the later steps need, without making any of it.
    loaded = world.store.load(world.path)
    loaded.draft.backlog.jira_key = "TERRAFORM-15"
    loaded.draft.pr.number = 1
    world.store.save(loaded)
    before = world.path.read_bytes()
    refs_before = git(world.work, "for-each-ref")
    monkeypatch.delenv("JIRA_API_TOKEN")  # dry runs need no token
    monkeypatch.delenv("GITHUB_TOKEN")
    commands = [
        ("jira", "move", "metallb", "done"), ("jira", "followups", "metallb"), ("git", "branch", "metallb"),
        ("git", "commit", "metallb"), ("git", "push", "metallb"), ("git", "cleanup", "metallb"),
        ("pr", "create", "metallb"), ("pr", "status", "metallb"), ("pr", "merge", "metallb"),
    ]
    outputs = {}
    for argv in commands:
        assert hotfix(*argv, "--dry-run") == 0, argv
        outputs[argv[:2]] = capsys.readouterr().out
    assert "transitions?expand=transitions.fields" in outputs[("jira", "move")]
    assert "/rest/api/2/issueLink" in outputs[("jira", "followups")]
    assert f"git checkout -b {BRANCH}" in outputs[("git", "branch")]
    assert "git commit -m" in outputs[("git", "commit")]
    assert f"git push --set-upstream origin {BRANCH}" in outputs[("git", "push")]
    assert f"git push origin --delete {BRANCH}" in outputs[("git", "cleanup")]
    assert "/repos/infra/platform/pulls " in outputs[("pr", "create")]
    assert "/rest/api/2/issue/TERRAFORM-15/comment" in outputs[("pr", "create")]
    assert "webhook URL hidden" in outputs[("pr", "create")]
    assert "/pulls/1/merge" in outputs[("pr", "merge")]
    assert world.path.read_bytes() == before
    assert git(world.work, "for-each-ref") == refs_before
    assert world.jira.requests == [] and world.github.requests == [] and world.slack.requests == []
    assert SLACK_URL_SECRET not in "".join(outputs.values())


def test_jira_create_dry_run_on_a_fresh_draft(world, capsys):
    assert hotfix("jira", "create", "metallb", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "POST " in out and "[HOTFIX] MetalLB LoadBalancer IP 할당 실패" in out
    assert world.jira.requests == [] and draft_of(world).backlog.jira_key == ""


def test_bad_token_exit_1_one_line_naming_the_variable(world, capsys, monkeypatch):
    monkeypatch.setenv("JIRA_API_TOKEN", "not-the-token-QQ")
    assert hotfix("jira", "create", "metallb") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("hotfix: Jira (")
    assert "$JIRA_API_TOKEN" in err and "not-the-token-QQ" not in err
    assert draft_of(world).backlog.jira_key == "" and draft_of(world).timeline == []


def test_unreachable_server_exit_2(world, capsys):
    world.jira.stop()
    assert hotfix("jira", "create", "metallb") == 2
    assert "connection refused" in capsys.readouterr().err


def test_usage_and_refusals(world, capsys):
    assert hotfix("jira", "create", "no-such-draft") == 2
    assert "no draft named" in capsys.readouterr().err
    assert hotfix("git", "branch", "metallb") == 1  # no Jira key yet
    assert "hotfix jira create" in capsys.readouterr().err
    assert hotfix("jira", "create", "metallb") == 0
    assert hotfix("jira", "move", "metallb", "done", "--field", "oops") == 2
    (world.work / "metallb.tf").write_text("dirty\n")
    capsys.readouterr()
    assert hotfix("git", "branch", "metallb") == 1
    assert "uncommitted changes (metallb.tf)" in capsys.readouterr().err
    assert hotfix("pr", "merge", "metallb") == 1  # no PR yet
    assert hotfix("jira", "create", "metallb") == 0  # already has a key: nothing to do
    assert "already in the draft" in capsys.readouterr().out
    assert len(world.jira.issues) == 1


def test_branch_exists_offers_switch(world, capsys):
    assert hotfix("jira", "create", "metallb") == 0
    git(world.work, "branch", BRANCH)
    assert hotfix("git", "branch", "metallb") == 1
    assert "--switch" in capsys.readouterr().err
    assert hotfix("git", "branch", "metallb", "--switch") == 0
    d = draft_of(world)
    assert d.branch.name == BRANCH and d.timeline[-1].text == f"기존 브랜치 {BRANCH}로 전환"


def test_required_transition_field_is_asked_for_and_given(world, capsys):
    world.jira.require_extra_field()
    assert hotfix("jira", "create", "metallb") == 0
    assert hotfix("jira", "move", "metallb", "done") == 1  # §7.2: done comes after the merge
    assert "PR 머지가 아직 기록되지 않았습니다" in capsys.readouterr().err
    assert hotfix("jira", "move", "metallb", "done", "--reason", "merged by hand on GitHub") == 1
    assert "Root Cause Category" in capsys.readouterr().err
    assert hotfix("jira", "move", "metallb", DONE, "--field", "Root Cause Category=Configuration") == 0
    assert "resolution=Done" in capsys.readouterr().out
    assert world.jira.status_of("TERRAFORM-15") == DONE


def test_literal_status_and_already_there(world, capsys):
    assert hotfix("jira", "create", "metallb") == 0
    assert hotfix("jira", "move", "metallb", IN_PROGRESS) == 0
    assert hotfix("jira", "move", "metallb", "in_progress") == 0
    assert "already in" in capsys.readouterr().out
    assert hotfix("jira", "move", "metallb", TESTING) == 0
    assert len([e for e in draft_of(world).timeline if "상태 변경" in e.text]) == 2


class _OtherSessionJira(JiraServer):
    """Saves the draft from "another session" while the create request is in flight."""

    draft_path: Path | None = None

    def _create(self, r: Request) -> Response:
        if self.draft_path is not None:
            path, self.draft_path = self.draft_path, None
            store = DraftStore(path.parent)
            other = store.load(path)
            other.draft.backlog.since = "2025-10-19 14:25경부터 발생 (정정)"
            store.save(other)
        return super()._create(r)


def test_a_concurrent_save_keeps_both_edits(tmp_path, monkeypatch, capsys):
    with _OtherSessionJira(token=JIRA_TOKEN) as jira:
        config_path = tmp_path / "config.toml"
        config_path.write_text(f'[jira]\nurl = "{jira.origin}"\nuser = "oncall@example.com"\n', encoding="utf-8")
        monkeypatch.setenv("HOTFIX_TUI_CONFIG", str(config_path))
        monkeypatch.setenv("JIRA_API_TOKEN", JIRA_TOKEN)
        store = DraftStore(tmp_path / "drafts")
        draft = store.load(EXAMPLE).draft
        draft.id, draft.backlog.jira_key, draft.backlog.jira_url = "metallb", "", ""
        path = store.create(draft).path
        jira.draft_path = path
        assert hotfix("jira", "create", "metallb") == 0
        saved = store.load(path).draft
        assert saved.backlog.jira_key == "TERRAFORM-15"
        assert saved.backlog.since.endswith("(정정)")


def test_parsers_and_dispatch_as_cli_py_will_wire_them(world, capsys):
    parser = argparse.ArgumentParser(prog="hotfix")
    sub = parser.add_subparsers(dest="command")
    integrations_cli.add_parsers(sub)
    args = parser.parse_args(["jira", "create", "metallb"])
    assert exit_code(integrations_cli.dispatch(args, load_config(), world.store)) == 0
    assert draft_of(world).backlog.jira_key == "TERRAFORM-15"
    with pytest.raises(SystemExit):
        parser.parse_args(["git", "rebase", "metallb"])


def test_importing_the_commands_loads_no_heavy_library():
    code = (
        "import sys, argparse\n"
        "from hotfix_tui import integrations_cli\n"
        "from hotfix_tui.services import git, jira, github, errors\n"
        "p = argparse.ArgumentParser(); integrations_cli.add_parsers(p.add_subparsers(dest='command'))\n"
        "integrations_cli.Services.from_config(__import__('hotfix_tui.config').config.Config())\n"
        "print(sorted(m for m in ('textual', 'jira', 'github', 'git') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
