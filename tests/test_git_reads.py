"""Issue 11, item 2 (the reading half): GitService reads repository state through
GitPython's object API, and what it reads is what it read when it parsed git's text.

Real git in tmp (a bare ``origin`` and a clone, or a fresh ``git init``). Each read is
compared with the git command it replaced, run by the test on the same repository: the
old parse is the oracle, so "behaviour kept" is checked, not assumed.
"""

from __future__ import annotations

import ast
import inspect
import os
import subprocess
from pathlib import Path

import pytest

from hotfix_tui.services import git as git_module
from hotfix_tui.services.errors import DivergedError
from hotfix_tui.services.git import ORPHANS_ARGS, STATUS_ARGS, GitService

from .servers.github_server import GIT_IDENTITY, git, make_origin_and_clone

ITEM_2 = ("GitPython stays for what it does well: reading repository state (refs, ancestry, dirty "
          "files, upstream) without parsing porcelain.")

# The only places services/git.py may call ``repo.git`` (git's text) for a read, and why:
DELIBERATE_TEXT_READS = {
    "staged_diff_stat": "git's `diff --cached --stat` is shown to the user as git prints it",
    "_abbreviate": "git's short SHAs (%h): the length is git's, GitPython has no equivalent",
}


@pytest.fixture
def repos(tmp_path):
    return make_origin_and_clone(tmp_path / "git")


def porcelain_paths(work: Path) -> list[str]:
    """What dirty_files returned on the start commit: porcelain lines, ``line[3:]``."""
    env = {**os.environ, **GIT_IDENTITY, "LC_ALL": "C"}
    out = subprocess.run(["git", *STATUS_ARGS], cwd=work, env=env, capture_output=True, text=True,
                         check=True).stdout  # not stripped: a line may start with a space
    return [line[3:] for line in out.splitlines() if line.strip()]


def old_orphans(work: Path) -> list[str]:
    out = git(work, *ORPHANS_ARGS, check=False)
    return [line for line in out.splitlines() if line.strip()]


def test_no_git_text_is_parsed_except_where_named():
    """Item 2: "GitPython stays for what it does well: reading repository state (refs,
    ancestry, dirty files, upstream) without parsing porcelain."

    services/git.py reaches ``.git`` (GitPython's command wrapper) or ``.execute`` only in
    the functions named in DELIBERATE_TEXT_READS; every change and remote call goes through
    the runner. On the start commit ``_git`` called ``repo.git.execute`` for every read.
    """
    tree = ast.parse(inspect.getsource(git_module))
    where: dict[str, set[str]] = {}
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            # ``repo.git`` / ``self._repo().git`` and any ``execute`` (config.git is the config).
            if isinstance(node, ast.Attribute) and (
                    node.attr == "execute"
                    or (node.attr == "git" and not (isinstance(node.value, ast.Name) and node.value.id == "config"))):
                where.setdefault(func.name, set()).add(node.attr)
    assert set(where) == set(DELIBERATE_TEXT_READS), where
    for name in DELIBERATE_TEXT_READS:
        source = inspect.getsource(getattr(GitService, name))
        assert "Deliberately" in source, f"{name} does not say why it reads git's text"


def test_current_branch_and_a_detached_head(repos):
    """Item 2 (refs): the branch checked out, "" on a detached HEAD, as symbolic-ref said."""
    _, work = repos
    service = GitService(work)
    assert service.current_branch() == "main"
    git(work, "checkout", "-q", "-b", "hotfix/TERRAFORM-15-x")
    assert service.current_branch() == "hotfix/TERRAFORM-15-x"
    git(work, "checkout", "-q", "--detach")
    assert service.current_branch() == ""
    assert git(work, "symbolic-ref", "--quiet", "--short", "HEAD", check=False) == ""


def _tricky_tree(work: Path) -> None:
    """Every kind of change porcelain v1 reports for tracked files, and names git quotes."""
    names = ["plain.tf", "a b.tf", "한글.tf", 'q"t.tf', "tab\there.tf", "back\\slash.tf", "gone.tf",
             "both.tf", "moved.tf", "sub/deep.tf"]
    for name in names:
        path = work / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("".join(f"line {i} of {name}\n" for i in range(20)))
    (work / ".gitignore").write_text("*.log\n")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "tricky names")
    for name in ("plain.tf", "a b.tf", "tab\there.tf", "sub/deep.tf"):  # unstaged
        (work / name).write_text("changed\n")
    for name in ("한글.tf", 'q"t.tf'):  # staged
        (work / name).write_text("staged\n")
        git(work, "add", name)
    (work / "both.tf").write_text("staged\n")
    git(work, "add", "both.tf")
    (work / "both.tf").write_text("and unstaged\n")
    (work / "gone.tf").unlink()  # deleted, not staged
    git(work, "rm", "-q", "back\\slash.tf")  # deletion staged
    git(work, "mv", "moved.tf", "renamed with space.tf")  # staged rename
    (work / "new.tf").write_text("untracked\n")  # untracked: not counted
    (work / "debug.log").write_text("ignored\n")  # ignored: not counted
    (work / "added.tf").write_text("new and staged\n")
    git(work, "add", "added.tf")


def test_dirty_files_are_the_paths_porcelain_gave(repos):
    """Item 2 (dirty files): staged, unstaged, both, deleted, a staged rename (``old -> new``),
    names with spaces, quotes, tabs, backslashes and Korean (quoted as git quotes them),
    untracked and ignored files left out: the same list, in the same order, as the start
    commit's ``line[3:]`` of ``git status --porcelain --untracked-files=no``."""
    _, work = repos
    _tricky_tree(work)
    expected = porcelain_paths(work)
    assert "moved.tf -> \"renamed with space.tf\"" in expected  # the fixture does what it says
    assert '"\\355\\225\\234\\352\\270\\200.tf"' in expected
    assert not any("new.tf" in p or "debug.log" in p for p in expected)
    assert GitService(work).dirty_files() == expected


@pytest.mark.parametrize("setting", [("core.quotePath", "false"), ("status.renames", "false"),
                                     ("diff.renames", "false")])
def test_dirty_files_follow_the_config_porcelain_followed(repos, setting):
    """Item 2 (dirty files): core.quotePath off keeps Korean names as they are; renames off
    lists a rename as a deletion and an addition, as status did."""
    _, work = repos
    _tricky_tree(work)
    git(work, "config", *setting)
    assert GitService(work).dirty_files() == porcelain_paths(work)


def test_a_repository_with_no_commits_yet(tmp_path):
    """Item 2 (refs, dirty files): before the first commit the branch is named, everything
    staged is dirty (porcelain's "A  path"), no ref resolves, nothing is orphaned."""
    work = tmp_path / "fresh"
    git(tmp_path, "init", "-q", "--initial-branch=main", str(work))
    service = GitService(work)
    assert service.current_branch() == "main"
    assert service.dirty_files() == [] == porcelain_paths(work)
    (work / "b.tf").write_text("b\n")
    (work / "a b.tf").write_text("a\n")
    git(work, "add", ".")
    (work / "b.tf").write_text("b changed\n")
    assert service.dirty_files() == porcelain_paths(work) == ['"a b.tf"', "b.tf"]
    assert not service._ref_exists("HEAD")
    assert service.orphan_commits() == [] == old_orphans(work)
    env = {**os.environ, **GIT_IDENTITY}
    stat = subprocess.run(["git", "diff", "--cached", "--stat"], cwd=work, env=env, capture_output=True,
                          text=True, check=True).stdout
    assert service.staged_diff_stat() == stat.rstrip()


def test_ahead_and_behind_are_counted_as_rev_list_counted(repos, tmp_path):
    """Item 2 (upstream): local main with 2 commits of its own and 3 new on the remote is
    refused with those counts (git rev-list --left-right --count main...origin/main)."""
    bare, work = repos
    for i in range(2):
        (work / f"local{i}.tf").write_text(f"{i}\n")
        git(work, "add", ".")
        git(work, "commit", "-q", "-m", f"local {i}")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(bare), str(other))
    for i in range(3):
        (other / f"remote{i}.tf").write_text(f"{i}\n")
        git(other, "add", ".")
        git(other, "commit", "-q", "-m", f"remote {i}")
    git(other, "push", "-q", "origin", "main")
    git(work, "fetch", "-q", "origin", "main")
    counts = git(work, "rev-list", "--left-right", "--count", "main...origin/main").split()
    assert counts == ["2", "3"]
    with pytest.raises(DivergedError) as info:
        GitService(work).create_branch("hotfix/TERRAFORM-15-x")
    assert (info.value.ahead, info.value.behind) == (2, 3)


def test_orphan_commits_on_a_detached_head_read_as_git_log_printed_them(repos):
    """Item 2 (refs, ancestry): commits only a detached HEAD holds, newest first, as
    ``git log --format='%h %s'`` printed them: git's short SHA, the subject's first
    paragraph on one line (not only its first line), an empty subject kept."""
    _, work = repos
    service = GitService(work)
    git(work, "checkout", "-q", "--detach")
    assert service.orphan_commits() == []
    (work / "x.tf").write_text("x\n")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "a subject\nthat wraps  \n\nand a body")
    (work / "y.tf").write_text("y\n")
    git(work, "add", ".")
    git(work, "commit", "-q", "--allow-empty-message", "-m", "")
    (work / "z.tf").write_text("z\n")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "\n\n  second  \n")
    expected = old_orphans(work)
    assert len(expected) == 3 and expected[2].endswith(" a subject that wraps")
    assert service.orphan_commits() == expected
    git(work, "tag", "keep")
    assert service.orphan_commits() == [] == old_orphans(work)


def test_ancestry_with_a_missing_object_is_no(repos):
    """Item 2 (ancestry): an ancestor is "yes"; a commit that is not, and a SHA this clone
    never fetched (git exits 128), are "no", as merge-base --is-ancestor's status said."""
    _, work = repos
    service = GitService(work)
    first = git(work, "rev-parse", "HEAD")
    (work / "x.tf").write_text("x\n")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "ahead")
    assert service._is_ancestor(first, "HEAD")
    assert not service._is_ancestor(git(work, "rev-parse", "HEAD"), "origin/main")
    assert not service._is_ancestor("0123456789abcdef0123456789abcdef01234567", "origin/main")
    assert not service._is_ancestor(first, "0123456789abcdef0123456789abcdef01234567")


def test_refs_resolve_as_rev_parse_verify_did(repos):
    """Item 2 (refs): a branch, a remote branch, HEAD and a SHA resolve to git's SHA; a name
    that names nothing does not exist."""
    _, work = repos
    service = GitService(work)
    for ref in ("refs/heads/main", "origin/main", "HEAD", git(work, "rev-parse", "HEAD")):
        assert service._ref_exists(ref)
        assert service._sha(ref) == git(work, "rev-parse", ref)
    assert not service._ref_exists("refs/heads/hotfix/none")
    assert git(work, "rev-parse", "--verify", "--quiet", "refs/heads/hotfix/none", check=False) == ""


def test_the_remote_url_is_git_s_with_credentials_redacted(repos):
    """Item 2 (upstream): the remote's URL as git uses it (insteadOf applied), the token
    and user never shown; a remote that does not exist is ""."""
    _, work = repos
    git(work, "remote", "set-url", "origin", "https://oncall:s3cr3t-token@git.example.com/infra/platform.git")
    url = GitService(work).remote_url()
    assert "s3cr3t-token" not in url
    assert url.endswith("git.example.com/infra/platform.git")
    git(work, "remote", "set-url", "origin", "corp:infra/platform.git")
    git(work, "config", "url.https://git.corp.example/.insteadOf", "corp:")
    assert GitService(work).remote_url() == git(work, "remote", "get-url", "origin")
    assert GitService(work, remote="nowhere").remote_url() == ""


def test_dirty_files_during_a_merge_conflict(repos):
    """Item 2 (dirty files): a conflicted path (porcelain's "UU") is listed once, beside an
    unstaged change, as porcelain listed them."""
    _, work = repos
    git(work, "checkout", "-q", "-b", "other")
    (work / "README.md").write_text("theirs\n")
    git(work, "commit", "-q", "-am", "theirs")
    git(work, "checkout", "-q", "main")
    (work / "README.md").write_text("ours\n")
    git(work, "commit", "-q", "-am", "ours")
    git(work, "merge", "-q", "other", check=False)
    (work / "metallb.tf").write_text("unstaged\n")
    assert GitService(work).dirty_files() == porcelain_paths(work) == ["README.md", "metallb.tf"]
