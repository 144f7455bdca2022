"""Issue 8, rows 1-3: the git steps act on facts checked in the repository and on GitHub, never on the draft.

Real git with a bare ``origin`` in tmp, the real PyGithub client against the loopback
GitHub server (whose merges really merge in the bare repository), the CLI's own entry.
"""

from __future__ import annotations

import pytest

from hotfix_tui.services.errors import Ending
from hotfix_tui.services.errors import ServiceError
from hotfix_tui.services.git import GitService

from .servers.github_server import git, push_from_elsewhere
from .test_integrations_cli import BRANCH, _fix, draft_of, hotfix, world  # noqa: F401  (world is a fixture)

KEY = "TERRAFORM-15"

# These tests are about other refusals: the earlier phases' gates are passed with a reason.
GATE_REASON = ("--reason", "gate passed in this test")


def keyed(world, **branch) -> None:  # noqa: F811
    """Give the fixture's draft its Jira key (and branch fields) without talking to Jira."""
    loaded = world.store.load(world.path)
    loaded.draft.backlog.jira_key = KEY
    for name, value in branch.items():
        setattr(loaded.draft.branch, name, value)
    world.store.save(loaded)


def pushed_branch(world) -> str:  # noqa: F811
    """`hotfix git branch`, a commit, `hotfix git push`; returns the pushed tip."""
    keyed(world)
    assert hotfix("git", "branch", "metallb") == 0
    _fix(world.work)
    assert hotfix("git", "commit", "metallb", *GATE_REASON) == 0
    assert hotfix("git", "push", "metallb", *GATE_REASON) == 0
    return git(world.work, "rev-parse", BRANCH)


def branch_is_everywhere(world, tip: str) -> bool:  # noqa: F811
    return (git(world.work, "rev-parse", "--verify", "--quiet", f"refs/heads/{BRANCH}", check=False) == tip
            and world.github.branch_sha(BRANCH) == tip)


# -- row 1 --------------------------------------------------------------------------------------


def test_row1_cleanup_with_nothing_merged_refuses_and_deletes_nothing(world, capsys):  # noqa: F811
    """row 1: branch, commit, push, then cleanup with nothing merged → exit 1, both copies kept.

    On c6e794a `git branch -d` accepted the branch (merged into its own upstream) and the
    remote copy was deleted too, exit 0.
    """
    tip = pushed_branch(world)
    capsys.readouterr()
    assert hotfix("git", "cleanup", "metallb") == 1
    err = capsys.readouterr().err
    assert f"{BRANCH} is not merged" in err and f"not contained in origin/main" in err
    assert "nothing was deleted" in err and "\n" not in err.strip()
    assert branch_is_everywhere(world, tip)
    assert git(world.work, "symbolic-ref", "--short", "HEAD") == BRANCH  # not even switched away
    assert not draft_of(world).merge.branch_deleted_at


def test_row1_a_merge_recorded_only_in_the_draft_is_not_believed(world, capsys):  # noqa: F811
    """row 1: merged_at typed into the draft (or left by a lost answer) is no proof: refused."""
    tip = pushed_branch(world)
    loaded = world.store.load(world.path)
    loaded.draft.merge.merged_at = "2025-10-19T15:00:00+09:00"
    world.store.save(loaded)
    assert hotfix("git", "cleanup", "metallb") == 1
    assert branch_is_everywhere(world, tip)


def test_row1_an_open_pr_on_github_is_not_a_merge(world, capsys):  # noqa: F811
    """row 1: GitHub is asked at clean-up time; an open PR refuses the clean-up."""
    tip = pushed_branch(world)
    assert hotfix("pr", "create", "metallb", "--no-jira-comment", "--no-slack", *GATE_REASON) == 0
    capsys.readouterr()
    assert hotfix("git", "cleanup", "metallb") == 1
    assert "is not merged" in capsys.readouterr().err
    assert branch_is_everywhere(world, tip)
    assert any(r.path.endswith("/pulls/1") for r in world.github.requests if r.method == "GET")


def test_row1_force_needs_the_key_typed(world, capsys):  # noqa: F811
    """row 1: `--force` without the draft's key typed exactly is refused before anything runs."""
    tip = pushed_branch(world)
    capsys.readouterr()
    assert hotfix("git", "cleanup", "metallb", "--force", "TERRAFORM-16") == 1
    assert "--force needs the draft's Jira key typed exactly (TERRAFORM-15)" in capsys.readouterr().err
    assert branch_is_everywhere(world, tip)
    assert hotfix("git", "cleanup", "metallb", "--force", KEY) == 0
    assert not git(world.work, "branch", "--list", BRANCH)
    assert not world.github.branch_sha(BRANCH)


def test_row1_squash_merged_on_github_is_a_fact_asked_now(world, capsys):  # noqa: F811
    """row 1: after GitHub squash-merges the PR (main lacks the branch's commits), GitHub's
    answer at clean-up time allows the delete; a commit added after the merge refuses it."""
    pushed_branch(world)
    assert hotfix("pr", "create", "metallb", "--no-jira-comment", "--no-slack", *GATE_REASON) == 0
    world.github.add_review(1, "alice", "APPROVED")
    assert hotfix("pr", "merge", "metallb", "--method", "squash", "--keep-branch", *GATE_REASON) == 0
    assert not git(world.bare, "merge-base", "--is-ancestor", BRANCH, "main", check=False)
    # A late commit on the local branch, not in the merged PR: it would be lost.
    (world.work / "late.txt").write_text("late\n")
    git(world.work, "add", "late.txt")
    assert hotfix("git", "commit", "metallb", *GATE_REASON) == 0
    capsys.readouterr()
    assert hotfix("git", "cleanup", "metallb") == 1
    assert "merged PR head" in capsys.readouterr().err
    assert git(world.work, "branch", "--list", BRANCH)
    git(world.work, "reset", "--quiet", "--hard", "HEAD~1")
    assert hotfix("git", "cleanup", "metallb") == 0
    assert not git(world.work, "branch", "--list", BRANCH)
    assert not world.github.branch_sha(BRANCH)
    assert git(world.work, "rev-parse", "main") == git(world.bare, "rev-parse", "main")


def test_row1_merged_into_remote_main_by_ancestry(world, capsys):  # noqa: F811
    """row 1: without GitHub's word, the branch tip contained in the fetched origin/main is the fact."""
    tip = pushed_branch(world)
    git(world.bare, "update-ref", "refs/heads/main", tip)  # merged (fast-forward) elsewhere
    assert hotfix("git", "cleanup", "metallb") == 0
    assert not git(world.work, "branch", "--list", BRANCH) and not world.github.branch_sha(BRANCH)
    assert git(world.work, "rev-parse", "main") == tip


def test_row1_a_push_after_the_check_is_not_deleted(repos_and_service):
    """row 1: the remote deletion is leased to the tip that was checked."""
    bare, work, service = repos_and_service
    service.create_branch(BRANCH)
    (work / "x.txt").write_text("x\n")
    git(work, "add", "x.txt")
    service.commit("[TERRAFORM-15] hotfix: x")
    service.push(BRANCH)
    git(bare, "update-ref", "refs/heads/main", git(work, "rev-parse", BRANCH))
    lines = service.cleanup_commands(BRANCH, local_tip="L", remote_tip="R")
    assert ["push", "origin", "--delete", BRANCH, f"--force-with-lease=refs/heads/{BRANCH}:R"] in lines
    assert ["branch", "-D", BRANCH] in lines and ["branch", "-d", BRANCH] not in lines


@pytest.fixture
def repos_and_service(tmp_path):
    from .servers.github_server import make_origin_and_clone

    bare, work = make_origin_and_clone(tmp_path / "git")
    return bare, work, GitService(work)


def test_row1_dry_run_shows_the_checks_it_runs(world, capsys):  # noqa: F811
    """row 1: the dry run lists the ancestry checks and the -D / leased delete, and runs none."""
    keyed(world)
    before = git(world.work, "for-each-ref")
    assert hotfix("git", "cleanup", "metallb", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "git merge-base --is-ancestor '<local tip>' origin/main" in out
    assert f"git push origin --delete {BRANCH} '--force-with-lease=refs/heads/{BRANCH}:<remote tip>'" in out
    assert f"git branch -D {BRANCH}" in out and "branch -d" not in out
    assert git(world.work, "for-each-ref") == before


# -- row 2 --------------------------------------------------------------------------------------


def test_row2_a_draft_naming_release_never_deletes_it(world, capsys):  # noqa: F811
    """row 2: `[branch] name = "release"`, then cleanup → exit 1; `release` survives locally and on origin,
    even with `--force KEY`; commit and push on it are refused too."""
    release = push_from_elsewhere(world.bare, world.tmp / "git", "release", "r.txt", "release\n")
    git(world.work, "fetch", "--quiet", "origin")
    git(world.work, "branch", "release", "origin/release")
    git(world.bare, "update-ref", "refs/heads/main", release)  # even "merged" it is not ours
    keyed(world, name="release")
    capsys.readouterr()
    for argv in (("git", "cleanup", "metallb"), ("git", "cleanup", "metallb", "--force", KEY),
                 ("git", "cleanup", "metallb", "--dry-run")):
        assert hotfix(*argv) == 1, argv
        err = capsys.readouterr().err
        assert "'release' is not this draft's branch (hotfix/TERRAFORM-15-<slug>)" in err
    assert git(world.work, "rev-parse", "release") == release
    assert world.github.branch_sha("release") == release
    git(world.work, "checkout", "--quiet", "release")
    (world.work / "r.txt").write_text("changed\n")
    git(world.work, "add", "r.txt")
    assert hotfix("git", "commit", "metallb", *GATE_REASON) == 1
    assert hotfix("git", "push", "metallb", *GATE_REASON) == 1
    assert git(world.work, "rev-parse", "release") == release


@pytest.mark.parametrize("name", ["main", "hotfix/TERRAFORM-99-other-ticket", "TERRAFORM-15-regular-path"])
def test_row2_other_names_are_refused_too(world, capsys, name):  # noqa: F811
    """row 2: main, another ticket's hotfix branch, or the regular path's name on a hotfix draft."""
    keyed(world, name=name)
    assert hotfix("git", "cleanup", "metallb", "--force", KEY) == 1
    assert hotfix("git", "push", "metallb", *GATE_REASON) == 1
    assert "is not this draft's branch" in capsys.readouterr().err
    assert git(world.bare, "rev-parse", "main")


def test_row2_the_regular_path_owns_key_slug(world, capsys):  # noqa: F811
    """row 2: on the regular bug-fix path (triage verdict "bugfix") the branch is KEY-slug."""
    loaded = world.store.load(world.path)
    loaded.draft.triage.verdict = "bugfix"
    world.store.save(loaded)
    keyed(world, name="TERRAFORM-15-metallb-ip-pool-fix")
    assert hotfix("git", "push", "metallb", "--dry-run") == 0
    keyed(world, name=BRANCH)
    assert hotfix("git", "push", "metallb", "--dry-run") == 1


def test_row2_commit_only_on_the_drafts_branch(world, capsys):  # noqa: F811
    """row 2: the commit step refuses when another branch is checked out."""
    pushed_branch(world)
    git(world.work, "checkout", "--quiet", "-b", "scratch")
    (world.work / "s.txt").write_text("s\n")
    git(world.work, "add", "s.txt")
    capsys.readouterr()
    assert hotfix("git", "commit", "metallb", *GATE_REASON) == 1
    assert f"you are on scratch, not on the hotfix branch {BRANCH}" in capsys.readouterr().err


# -- row 3 --------------------------------------------------------------------------------------


def test_row3_detached_head_with_its_own_commit_is_refused_and_named(world, capsys):  # noqa: F811
    """row 3: a detached HEAD holding a new commit, then `hotfix git branch` → exit 1 naming the commit;
    on c6e794a it exited 0 and the commit became unreachable."""
    keyed(world)
    git(world.work, "checkout", "--quiet", "--detach")
    (world.work / "wip.txt").write_text("wip\n")
    git(world.work, "add", "wip.txt")
    git(world.work, "commit", "--quiet", "-m", "debug the IP pool by hand")
    head = git(world.work, "rev-parse", "HEAD")
    capsys.readouterr()
    assert hotfix("git", "branch", "metallb") == 1
    err = capsys.readouterr().err
    assert f"{head[:7]} debug the IP pool by hand" in err and "on no branch" in err
    assert git(world.work, "rev-parse", "HEAD") == head
    assert not git(world.work, "symbolic-ref", "--quiet", "HEAD", check=False)  # still detached there
    assert not git(world.work, "branch", "--list", BRANCH)
    assert hotfix("git", "branch", "metallb", "--switch") == 1
    # Once the commit is on a branch, nothing is lost by switching.
    git(world.work, "branch", "keep-wip")
    assert hotfix("git", "branch", "metallb") == 0


def test_row3_a_detached_head_on_a_known_commit_is_fine(world):  # noqa: F811
    """row 3: detached at a commit that origin/main holds loses nothing: allowed."""
    keyed(world)
    git(world.work, "checkout", "--quiet", "--detach", "origin/main")
    assert hotfix("git", "branch", "metallb") == 0


def test_row3_a_merge_in_progress_is_refused(world, capsys):  # noqa: F811
    """row 3: a merge half-way (conflicts resolved, not committed) would be abandoned: refused."""
    keyed(world)
    git(world.work, "checkout", "--quiet", "-b", "side")
    (world.work / "README.md").write_text("side\n")
    git(world.work, "commit", "--quiet", "-am", "side")
    git(world.work, "checkout", "--quiet", "main")
    (world.work / "README.md").write_text("main\n")
    git(world.work, "commit", "--quiet", "-am", "main")
    git(world.work, "merge", "side", check=False)
    (world.work / "README.md").write_text("both\n")
    git(world.work, "add", "README.md")
    capsys.readouterr()
    assert hotfix("git", "branch", "metallb") == 1
    assert "a merge is in progress" in capsys.readouterr().err
    assert not git(world.work, "branch", "--list", BRANCH)


def test_row3_service_reports_orphans_directly(repos_and_service):
    """row 3: GitService.orphan_commits names short sha and subject; empty on a branch."""
    _, work, service = repos_and_service
    assert service.orphan_commits() == []
    git(work, "checkout", "--quiet", "--detach")
    git(work, "commit", "--quiet", "--allow-empty", "-m", "lonely")
    sha = git(work, "rev-parse", "--short", "HEAD")
    assert service.orphan_commits() == [f"{sha} lonely"]
    with pytest.raises(ServiceError) as info:
        service.create_branch(BRANCH)
    assert info.value.ending is Ending.REFUSED and f"{sha} lonely" in str(info.value)


# -- the wizard's clean-up button goes through the same check ----------------------------------


async def test_row1_wizard_cleanup_refuses_an_unmerged_branch(world, capsys):  # noqa: F811
    """row 1: the wizard's clean-up (F8 on §7, key typed) refuses when the merge is only in the draft."""
    from .ui.test_integrations_ui import log_text, settle, wizard

    tip = pushed_branch(world)
    loaded = world.store.load(world.path)
    loaded.draft.phase = "merge"
    loaded.draft.merge.merged_at = "2025-10-19T15:00:00+09:00"  # the draft says merged; git and GitHub do not
    world.store.save(loaded)
    app = wizard(world, world.store.folder, draft_path=world.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f8")  # clean-up asks for the key first
        await settle(pilot)
        await pilot.press(*KEY, "enter")
        await settle(pilot)
        assert "is not merged" in log_text(app)
    assert branch_is_everywhere(world, tip)
    assert not draft_of(world).merge.branch_deleted_at
