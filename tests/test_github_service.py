"""GithubService with the real PyGithub client against the loopback GitHub server and a real bare repo."""

from __future__ import annotations

import datetime as _dt

import pytest

from hotfix_tui.services.errors import Ending
from hotfix_tui.config import GithubConfig
from hotfix_tui.services.errors import ServiceError
from hotfix_tui.services.git import GitService
from hotfix_tui.services.github import GithubService, PullRef, minutes_since
from hotfix_tui.services.slack import post_slack

from .servers.github_server import GithubServer, git, make_origin_and_clone, push_from_elsewhere
from .servers.jira_server import LoopbackServer, Request, Response

TOKEN = "gh-secret-P4ss"
BRANCH = "hotfix/TERRAFORM-15-metallb-ip-pool-fix"
TITLE = "[HOTFIX] TERRAFORM-15: MetalLB IP 풀 충돌 수정"
BODY = "## 🚨 긴급 수정 사항\n\n### 문제\nIP 충돌\n"


def _creates(server):
    return [r for r in server.calls("POST") if r.path.endswith("/repos/infra/platform/pulls")]


@pytest.fixture
def repos(tmp_path):
    return make_origin_and_clone(tmp_path / "git")


@pytest.fixture
def pushed(repos):
    """The hotfix branch, committed and pushed with the real GitService."""
    bare, work = repos
    svc = GitService(work)
    svc.create_branch(BRANCH)
    path = work / "metallb.tf"
    path.write_text(path.read_text().replace("192.168.1.200-192.168.1.250", "192.168.1.100-192.168.1.150"))
    git(work, "add", "metallb.tf")
    svc.commit("[TERRAFORM-15] hotfix: MetalLB IP 풀 범위 DHCP 충돌 수정\n")
    return svc.push(BRANCH)


@pytest.fixture
def server(repos):
    with GithubServer(repos[0], token=TOKEN) as srv:
        yield srv


def make(server, monkeypatch, *, token=TOKEN, **overrides) -> GithubService:
    monkeypatch.setenv("GITHUB_TOKEN", token)
    settings = {"repo": "infra/platform", "base_url": server.base_url, "reviewers": ["alice", "infra/sre"],
                "labels": ["hotfix"], "timeout": 5.0, **overrides}
    return GithubService(GithubConfig(**settings), base_branch="main")


def test_open_pr_with_labels_and_reviewers(server, monkeypatch, pushed):
    gh = make(server, monkeypatch)
    opened = []
    ref = gh.open_pr(BRANCH, TITLE, BODY, on_opened=opened.append)
    assert isinstance(ref, PullRef)
    assert (ref.number, ref.reused, ref.head) == (1, False, BRANCH)
    assert ref.url == f"{server.origin}/infra/platform/pull/1"
    assert ref.reviewers == ("alice", "infra/sre")
    assert opened == [PullRef(1, ref.url, False, BRANCH)]
    pr = server.pulls[1]
    assert (pr["title"], pr["body"], pr["head"], pr["base"]) == (TITLE, BODY, BRANCH, "main")
    assert pr["labels"] == ["hotfix"]
    assert pr["requested_users"] == {"alice"} and pr["requested_teams"] == {"sre"}


def test_open_pr_twice_reuses_the_open_pr(server, monkeypatch, pushed):
    gh = make(server, monkeypatch)
    first = gh.open_pr(BRANCH, TITLE, BODY)
    again = gh.open_pr(BRANCH, TITLE, BODY)
    assert again.number == first.number and again.reused
    assert len(server.pulls) == 1 and len(_creates(server)) == 1


def test_502_then_201_gives_exactly_one_pr(server, monkeypatch, pushed):
    gh = make(server, monkeypatch)
    server.fail_next("POST", "/repos/infra/platform/pulls", 502, message="Bad Gateway")
    ref = gh.open_pr(BRANCH, TITLE, BODY)
    assert ref.number == 1 and not ref.reused
    assert len(server.pulls) == 1
    assert len(_creates(server)) == 2


def test_502_after_the_pr_was_made_reuses_it(server, monkeypatch, pushed):
    gh = make(server, monkeypatch)
    server.fail_next("POST", "/repos/infra/platform/pulls", 502, after=True)
    ref = gh.open_pr(BRANCH, TITLE, BODY)
    assert ref.number == 1 and ref.reused
    assert len(server.pulls) == 1


def test_unpushed_branch_is_refused_with_guidance(server, monkeypatch, repos):
    gh = make(server, monkeypatch)
    with pytest.raises(ServiceError) as info:
        gh.open_pr(BRANCH, TITLE, BODY)
    text = str(info.value)
    assert "422" in text and "hotfix git push" in text and info.value.ending is Ending.REFUSED


def test_the_author_is_not_asked_to_review(server, monkeypatch, pushed):
    gh = make(server, monkeypatch, reviewers=["oncall", "bob"])
    ref = gh.open_pr(BRANCH, TITLE, BODY)
    assert ref.reviewers == ("bob",)


def test_a_bad_reviewer_fails_after_the_pr_number_was_handed_over(server, monkeypatch, pushed):
    gh = make(server, monkeypatch, reviewers=["mallory"])
    opened = []
    with pytest.raises(ServiceError) as info:
        gh.open_pr(BRANCH, TITLE, BODY, on_opened=opened.append)
    assert "[github] reviewers" in str(info.value)
    assert [r.number for r in opened] == [1]


def test_review_state_and_the_one_hour_target(server, monkeypatch, pushed):
    gh = make(server, monkeypatch)
    gh.open_pr(BRANCH, TITLE, BODY)
    asked = (_dt.datetime.now().astimezone() - _dt.timedelta(minutes=25)).isoformat()
    status = gh.review_status(1, requested_at=asked)
    assert status.state == "pending" and not status.approved
    assert status.pending == ("alice", "infra/sre")
    assert status.minutes_waiting == 25 and status.minutes_left == 35
    server.add_review(1, "bob", "COMMENTED")
    assert gh.review_status(1).state == "commented"
    server.add_review(1, "alice", "APPROVED")
    server.add_review(1, "alice", "COMMENTED")  # a later comment keeps the approval
    status = gh.review_status(1)
    assert status.approved and status.reviews["alice"] == "APPROVED"
    assert status.pending == ("infra/sre",)
    server.add_review(1, "bob", "CHANGES_REQUESTED")
    assert gh.review_status(1).state == "changes_requested"


def test_squash_merge_really_merges_and_deletes_the_branch(server, monkeypatch, repos, pushed):
    bare, _ = repos
    old_main = git(bare, "rev-parse", "main")
    gh = make(server, monkeypatch)
    gh.open_pr(BRANCH, TITLE, BODY)
    result = gh.merge(1)
    assert result.method == "squash" and result.branch_deleted and not result.already
    assert git(bare, "rev-parse", "main") == result.sha
    assert git(bare, "rev-list", "--parents", "-n1", "main").split()[1:] == [old_main]
    assert "192.168.1.100-192.168.1.150" in git(bare, "show", "main:metallb.tf")
    assert git(bare, "log", "-1", "--format=%s", "main") == f"{TITLE} (#1)"
    assert not git(bare, "branch", "--list", BRANCH)
    again = gh.merge(1)
    assert again.already and again.sha == result.sha and not again.branch_deleted


def test_merge_commit_method(server, monkeypatch, repos, pushed):
    bare, _ = repos
    gh = make(server, monkeypatch, merge_method="merge")
    gh.open_pr(BRANCH, TITLE, BODY)
    result = gh.merge(1, delete_branch=False)
    parents = git(bare, "rev-list", "--parents", "-n1", "main").split()[1:]
    assert parents[1] == pushed and result.sha == git(bare, "rev-parse", "main")
    assert git(bare, "branch", "--list", BRANCH)


def test_merge_conflict_says_what_to_do(server, monkeypatch, repos, pushed, tmp_path):
    bare, _ = repos
    push_from_elsewhere(bare, tmp_path / "git", "main", "metallb.tf", "someone else's version\n")
    gh = make(server, monkeypatch)
    gh.open_pr(BRANCH, TITLE, BODY)
    with pytest.raises(ServiceError) as info:
        gh.merge(1)
    assert info.value.kind == "conflict" and "resolve the conflicts" in str(info.value)
    assert git(bare, "branch", "--list", BRANCH)


def test_bad_token_names_the_env_var(server, monkeypatch, pushed):
    gh = make(server, monkeypatch, token="nope-Tt5")
    with pytest.raises(ServiceError) as info:
        gh.open_pr(BRANCH, TITLE, BODY)
    text = str(info.value)
    assert "401" in text and "$GITHUB_TOKEN" in text and server.base_url in text
    assert "nope-Tt5" not in text and info.value.kind == "auth"


def test_gh_token_is_used_when_github_token_is_unset(server, monkeypatch, pushed):
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    gh = GithubService(GithubConfig(repo="infra/platform", base_url=server.base_url))
    assert gh.whoami() == "oncall"
    monkeypatch.setenv("GH_TOKEN", "stale")
    with pytest.raises(ServiceError) as info:
        GithubService(GithubConfig(repo="infra/platform", base_url=server.base_url)).whoami()
    assert "$GH_TOKEN" in str(info.value)


def test_unknown_repo_is_named(server, monkeypatch, pushed):
    gh = make(server, monkeypatch, repo="infra/nope")
    with pytest.raises(ServiceError) as info:
        gh.open_pr(BRANCH, TITLE, BODY)
    text = str(info.value)
    assert "404" in text and "infra/nope" in text and "[github] base_url" in text
    assert info.value.kind == "not_found"


def test_server_error_and_rate_limit(server, monkeypatch, pushed):
    gh = make(server, monkeypatch)
    server.fail_next("GET", "/repos/infra/platform", 500)
    with pytest.raises(ServiceError) as info:
        gh.open_pr(BRANCH, TITLE, BODY)
    assert "HTTP 500" in str(info.value) and info.value.retryable
    server.fail_next("GET", "/repos/infra/platform", 403, message="API rate limit exceeded for user ID 1.",
                     headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "5000",
                              "X-RateLimit-Reset": "4102444800"})
    with pytest.raises(ServiceError) as info:
        gh.open_pr(BRANCH, TITLE, BODY)
    assert info.value.kind == "rate_limit" and "rate limit" in str(info.value)
    assert gh.open_pr(BRANCH, TITLE, BODY).number == 1  # a retry later works


def test_connection_refused(repos, monkeypatch):
    with GithubServer(repos[0]) as gone:
        url = gone.base_url
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    gh = GithubService(GithubConfig(repo="infra/platform", base_url=url, timeout=2.0))
    with pytest.raises(ServiceError) as info:
        gh.open_pr(BRANCH, TITLE, BODY)
    assert "connection refused" in str(info.value) and info.value.ending is Ending.USAGE


def test_not_configured_and_dry_run(server, monkeypatch):
    assert not GithubService(GithubConfig()).configured
    with pytest.raises(ServiceError) as info:
        GithubService(GithubConfig()).open_pr(BRANCH, TITLE, BODY)
    assert "[github] repo" in str(info.value)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    gh = GithubService(GithubConfig(repo="infra/platform", base_url=server.base_url, reviewers=["alice"]))
    lines = gh.open_pr(BRANCH, TITLE, BODY, dry_run=True)
    assert lines[2].startswith(f"POST {server.base_url}/repos/infra/platform/pulls ") and TITLE in lines[2]
    assert any("requested_reviewers" in line for line in lines)
    assert gh.merge(3, dry_run=True)[1].startswith(f"PUT {server.base_url}/repos/infra/platform/pulls/3/merge")
    assert server.requests == []


def test_minutes_since():
    now = _dt.datetime(2025, 10, 19, 6, 30, tzinfo=_dt.timezone.utc)
    assert minutes_since("2025-10-19T15:00:00+09:00", now) == 30
    assert minutes_since("not a time", now) is None


class _Webhook(LoopbackServer):
    status = 200

    def handle(self, request: Request) -> Response:
        return Response(self.status, "ok" if self.status == 200 else "no_service")


def test_slack_webhook_posts_one_line_and_never_shows_the_url():
    with _Webhook() as hook:
        url = f"{hook.origin}/services/T000/B000/secretpart123"
        post_slack(url, "🚨 Hotfix 리뷰 요청: #1")
        assert hook.requests[0].json() == {"text": "🚨 Hotfix 리뷰 요청: #1"}
        assert post_slack(url, "x", dry_run=True)[0].startswith("POST http://127.0.0.1/… (webhook URL hidden)")
        hook.status = 404
        with pytest.raises(ServiceError) as info:
            post_slack(url, "again", env_name="SLACK_WEBHOOK_URL")
    text = str(info.value)
    assert "404" in text and "$SLACK_WEBHOOK_URL" in text and "secretpart123" not in text


def test_retry_after_fixing_the_token_uses_the_new_one(server, monkeypatch, pushed):
    gh = make(server, monkeypatch, token="nope-Tt5")
    with pytest.raises(ServiceError):
        gh.open_pr(BRANCH, TITLE, BODY)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    assert gh.open_pr(BRANCH, TITLE, BODY).number == 1
