"""GitService against real git: a temporary bare repository as ``origin`` and a working clone."""

from __future__ import annotations

import pytest

from hotfix_tui.services.errors import Ending
from hotfix_tui.services.errors import (
    BranchExistsError,
    DirtyTreeError,
    DivergedError,
    NothingStagedError,
    PushRejectedError,
    ServiceError,
)
from hotfix_tui.services.git import CleanupResult, GitService

from .servers.github_server import git, make_origin_and_clone, push_from_elsewhere

BRANCH = "hotfix/TERRAFORM-15-metallb-ip-pool-fix"
MESSAGE = "[TERRAFORM-15] hotfix: MetalLB IP 풀 범위 DHCP 충돌 수정\n\n문제: IP 충돌\n"


@pytest.fixture
def repos(tmp_path):
    bare, work = make_origin_and_clone(tmp_path / "git")
    return bare, work


@pytest.fixture
def service(repos):
    return GitService(repos[1])


def _fix(work):
    path = work / "metallb.tf"
    path.write_text(path.read_text().replace("192.168.1.200-192.168.1.250", "192.168.1.100-192.168.1.150"))
    git(work, "add", "metallb.tf")


def test_create_branch_updates_main_first_and_returns_the_base(repos, service, tmp_path):
    bare, work = repos
    newer = push_from_elsewhere(bare, tmp_path / "git", "main", "other.txt", "someone's fix\n")
    base = service.create_branch(BRANCH)
    assert base == newer  # main was fast-forwarded to origin/main before branching
    assert git(work, "symbolic-ref", "--short", "HEAD") == BRANCH
    assert git(work, "rev-parse", "main") == newer


def test_dry_run_lists_the_commands_and_runs_none(repos, service):
    _, work = repos
    before = git(work, "for-each-ref")
    lines = service.create_branch(BRANCH, dry_run=True)
    assert "git checkout main" in lines
    assert "git merge --ff-only origin/main" in lines
    assert f"git checkout -b {BRANCH}" in lines
    assert git(work, "for-each-ref") == before
    assert service.push(BRANCH, dry_run=True) == [f"git push --set-upstream origin {BRANCH}:refs/heads/{BRANCH}"]
    assert any(line.startswith("git commit -m") for line in service.commit(MESSAGE, dry_run=True))
    assert any(line.startswith("git push origin --delete " + BRANCH + " '--force-with-lease=")
               for line in service.cleanup(BRANCH, dry_run=True))


def test_dirty_tree_is_refused_with_the_files_named(repos, service):
    _, work = repos
    (work / "metallb.tf").write_text("changed\n")
    with pytest.raises(DirtyTreeError) as info:
        service.create_branch(BRANCH)
    assert "metallb.tf" in str(info.value)
    assert "stash" in str(info.value)
    assert info.value.ending is Ending.REFUSED
    assert git(work, "symbolic-ref", "--short", "HEAD") == "main"


def test_untracked_files_do_not_count_as_dirty(repos, service):
    _, work = repos
    (work / "notes.txt").write_text("scratch\n")
    assert service.create_branch(BRANCH)


def test_existing_local_branch_is_refused_and_can_be_switched_to(repos, service):
    _, work = repos
    git(work, "branch", BRANCH)
    with pytest.raises(BranchExistsError) as info:
        service.create_branch(BRANCH)
    assert info.value.local and not info.value.remote
    assert "switch" in str(info.value)
    base = service.switch_to_existing(BRANCH)
    assert git(work, "symbolic-ref", "--short", "HEAD") == BRANCH
    assert base == git(work, "rev-parse", "origin/main")


def test_existing_remote_branch_is_refused_and_can_be_switched_to(repos, service, tmp_path):
    bare, work = repos
    pushed = push_from_elsewhere(bare, tmp_path / "git", BRANCH, "wip.txt", "started elsewhere\n")
    with pytest.raises(BranchExistsError) as info:
        service.create_branch(BRANCH)
    assert info.value.remote and not info.value.local
    assert "on the remote" in str(info.value)
    service.switch_to_existing(BRANCH)
    assert git(work, "rev-parse", "HEAD") == pushed


def test_diverged_main_is_refused(repos, service, tmp_path):
    bare, work = repos
    push_from_elsewhere(bare, tmp_path / "git", "main", "remote.txt", "remote\n")
    (work / "local.txt").write_text("local\n")
    git(work, "add", "local.txt")
    git(work, "commit", "-q", "-m", "local only")
    with pytest.raises(DivergedError) as info:
        service.create_branch(BRANCH)
    assert (info.value.ahead, info.value.behind) == (1, 1)
    assert "git log --oneline main...origin/main" in str(info.value)
    assert not git(work, "branch", "--list", BRANCH)


def test_commit_needs_something_staged_and_the_hotfix_branch(repos, service):
    _, work = repos
    with pytest.raises(ServiceError) as on_main:
        service.commit(MESSAGE)
    assert "you are on main" in str(on_main.value)
    service.create_branch(BRANCH)
    (work / "metallb.tf").write_text("unstaged change\n")
    with pytest.raises(NothingStagedError) as info:
        service.commit(MESSAGE)
    assert "git add" in str(info.value) and "metallb.tf" in str(info.value)


def test_commit_and_push(repos, service):
    bare, work = repos
    service.create_branch(BRANCH)
    _fix(work)
    stat = service.staged_diff_stat()
    assert "metallb.tf" in stat and "1 file changed" in stat
    sha = service.commit(MESSAGE)
    assert git(work, "log", "-1", "--format=%B").startswith("[TERRAFORM-15] hotfix: MetalLB")
    assert service.push(BRANCH) == sha
    assert git(bare, "rev-parse", f"refs/heads/{BRANCH}") == sha
    assert git(work, "rev-parse", "--abbrev-ref", f"{BRANCH}@{{upstream}}") == f"origin/{BRANCH}"


def test_push_rejected_says_so(repos, service, tmp_path):
    bare, work = repos
    service.create_branch(BRANCH)
    _fix(work)
    service.commit(MESSAGE)
    push_from_elsewhere(bare, tmp_path / "git", BRANCH, "theirs.txt", "theirs\n")
    with pytest.raises(PushRejectedError) as info:
        service.push(BRANCH)
    text = str(info.value)
    assert "rejected" in text and BRANCH in text and "git fetch" in text
    assert info.value.ending is Ending.REFUSED


def test_unreachable_remote(repos, service, tmp_path):
    _, work = repos
    git(work, "remote", "set-url", "origin", str(tmp_path / "nowhere.git"))
    with pytest.raises(ServiceError) as info:
        service.create_branch(BRANCH)
    assert info.value.kind in ("unreachable", "config")
    assert "git" in str(info.value)


def test_remote_url_credentials_never_shown(repos, service, tmp_path):
    _, work = repos
    git(work, "remote", "set-url", "origin", "https://oncall:s3cr3t-token@127.0.0.1:1/infra/platform.git")
    assert "s3cr3t-token" not in service.remote_url()
    with pytest.raises(ServiceError) as info:
        service.push("main")
    assert "s3cr3t-token" not in str(info.value)


def test_cleanup_after_a_squash_merge(repos, service, tmp_path):
    bare, work = repos
    service.create_branch(BRANCH)
    _fix(work)
    service.commit(MESSAGE)
    service.push(BRANCH)
    tip = git(work, "rev-parse", BRANCH)
    # GitHub squash-merges: main gets a new commit with the same tree, not the branch's.
    squashed = push_from_elsewhere(bare, tmp_path / "git", "main", "metallb.tf",
                                   (work / "metallb.tf").read_text())
    # Issue 8 row 1: git's -d would accept it (merged into its own upstream); the service
    # does not: main does not contain it, and no merged PR head vouches for it.
    with pytest.raises(ServiceError) as info:
        service.cleanup(BRANCH)
    assert "is not merged" in str(info.value) and info.value.ending is Ending.REFUSED
    assert git(work, "branch", "--list", BRANCH)
    # GitHub's word, asked by the caller at clean-up time: the merged PR head is the tip.
    result = service.cleanup(BRANCH, merged_head=tip)
    assert result == CleanupResult(main_sha=squashed, local_deleted=True, remote_deleted=True)
    assert git(work, "symbolic-ref", "--short", "HEAD") == "main"
    assert not git(work, "branch", "--list", BRANCH)
    assert not git(bare, "branch", "--list", BRANCH)
    # Running it again is harmless: nothing left to delete.
    again = service.cleanup(BRANCH)
    assert again == CleanupResult(main_sha=squashed, local_deleted=False, remote_deleted=False)


def test_cleanup_refuses_to_lose_unpushed_commits_unless_forced(repos, service):
    _, work = repos
    service.create_branch(BRANCH)
    _fix(work)
    service.commit(MESSAGE)
    with pytest.raises(ServiceError) as info:
        service.cleanup(BRANCH)
    assert "not contained in origin/main" in str(info.value) and "force" in str(info.value)
    assert git(work, "branch", "--list", BRANCH)
    result = service.cleanup(BRANCH, force=True)
    assert result.local_deleted and not result.remote_deleted


def test_not_a_repository(tmp_path):
    with pytest.raises(ServiceError) as info:
        GitService(tmp_path).create_branch(BRANCH)
    assert "repo_dir" in str(info.value)
    assert info.value.ending is Ending.USAGE
