"""The git steps of a hotfix (§3.2 branch, §4.2 commit, §4.4 push, §7.2 clean-up) via GitPython.

Every step is a fixed list of git command lines run in order, so the same list is what
``dry_run=True`` returns and what the UI shows before and while it runs (the lazygit
lesson: show the exact command). Checks come first and refuse with guidance instead
of leaving the repository half-way: a dirty tree, a main that diverged from the
remote, a branch that already exists.

GitPython is imported when the first command runs, not when this module is imported,
so building the service at start-up costs nothing.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import (
    AUTH,
    CONFIG,
    REFUSED,
    TIMEOUT,
    UNREACHABLE,
    BranchExistsError,
    DirtyTreeError,
    DivergedError,
    NothingStagedError,
    PushRejectedError,
    ServiceError,
    redact,
    short,
)

if TYPE_CHECKING:
    from ..config import Config

# git must never stop to ask for a password inside a full-screen app: fail and say so.
_NO_PROMPT_ENV = {"GIT_TERMINAL_PROMPT": "0"}


def show(args: list[str]) -> str:
    """One git command as a user would type it."""
    return shlex.join(["git", *args])


@dataclass(frozen=True)
class CleanupResult:
    """What §7.2 did: the updated main and which copies of the branch were deleted."""

    main_sha: str
    local_deleted: bool
    remote_deleted: bool


class GitService:
    """git operations on one working tree, talking to one remote."""

    system = "git"

    def __init__(
        self,
        repo_dir: str | Path = ".",
        *,
        remote: str = "origin",
        main_branch: str = "main",
        network_timeout: float = 120.0,
    ):
        self.repo_dir = Path(repo_dir).expanduser()
        self.remote = remote
        self.main = main_branch
        self.network_timeout = network_timeout
        self._repo_obj: Any = None

    @classmethod
    def from_config(cls, config: Config) -> GitService:
        return cls(config.git.repo_dir, remote=config.git.remote, main_branch=config.git.main_branch)

    # -- plumbing ------------------------------------------------------------------------

    def _repo(self) -> Any:
        if self._repo_obj is None:
            import git

            try:
                self._repo_obj = git.Repo(self.repo_dir, search_parent_directories=True)
            except (git.InvalidGitRepositoryError, git.NoSuchPathError):
                raise ServiceError(
                    "git", f"{self.repo_dir} is not inside a git repository", kind=CONFIG,
                    hint="check [git] repo_dir in the config, or start hotfix inside the repository",
                ) from None
        return self._repo_obj

    @property
    def where(self) -> str:
        """The repository folder, for messages."""
        return str(self.repo_dir)

    def remote_url(self) -> str:
        """The remote's URL without credentials, to show what the step acts on."""
        done = self._git(["remote", "get-url", self.remote], check=False)
        return redact(done[1].strip()) if done[0] == 0 else ""

    def _server(self) -> str:
        return self.remote_url() or self.where

    def _git(
        self, args: list[str], *, check: bool = True, network: bool = False
    ) -> tuple[int, str, str]:
        """Run one git command; (status, stdout, stderr). Raises GitCommandError when check."""
        import git

        repo = self._repo()
        try:
            status, out, err = repo.git.execute(
                ["git", *args],
                with_extended_output=True,
                with_exceptions=check,
                kill_after_timeout=self.network_timeout if network else None,
                env=_NO_PROMPT_ENV,
            )
        except git.GitCommandNotFound:
            raise ServiceError(
                "git", "the git program was not found", kind=CONFIG, hint="install git or fix PATH"
            ) from None
        return status, out, err

    def _run(self, args: list[str], *, network: bool = False) -> str:
        """Run a step that must succeed; turn a failure into a ServiceError that says why."""
        import git

        try:
            return self._git(args, network=network)[1]
        except git.GitCommandError as exc:
            raise self._failure(args, exc, network=network) from None

    def _failure(self, args: list[str], exc: Any, *, network: bool) -> ServiceError:
        stderr = exc.stderr if isinstance(exc.stderr, str) else str(exc.stderr or "")
        text = stderr.strip().removeprefix("stderr:").strip().strip("'").strip()
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        low = text.lower()
        server = self._server() if network else self.where
        reason = short(lines[-1] if lines else f"exit status {exc.status}", 160)
        if network:
            if "authentication failed" in low or "permission denied" in low or "could not read username" in low \
                    or "terminal prompts disabled" in low or "403" in low:
                return ServiceError(
                    "git", f"`{show(args)}` was refused: not authorised", server=server, kind=AUTH,
                    hint="check your git credentials for this remote (SSH key or credential helper)",
                )
            if "could not resolve host" in low or "connection refused" in low or "unable to access" in low \
                    or "could not read from remote repository" in low or "connection timed out" in low:
                return ServiceError(
                    "git", f"`{show(args)}` could not reach the remote: {reason}", server=server,
                    kind=UNREACHABLE, hint=f"check `git remote -v` and the network route to {self.remote}",
                )
            if "does not appear to be a git repository" in low or "no such remote" in low:
                return ServiceError(
                    "git", f"there is no remote named {self.remote}", server=self.where, kind=CONFIG,
                    hint="check [git] remote in the config and `git remote -v`",
                )
            if exc.status == -9 or "timed out" in low or "timeout" in low:
                return ServiceError(
                    "git", f"`{show(args)}` took longer than {self.network_timeout:g} s", server=server,
                    kind=TIMEOUT, hint="retry, or run the command yourself",
                )
        return ServiceError(
            "git", f"`{show(args)}` failed: {reason}", server=server, kind=REFUSED,
            hint="run it in a terminal to see the whole output",
        )

    def _ref_exists(self, ref: str) -> bool:
        return self._git(["rev-parse", "--verify", "--quiet", ref], check=False)[0] == 0

    def _sha(self, ref: str) -> str:
        return self._run(["rev-parse", ref]).strip()

    # -- read-only helpers for the UI --------------------------------------------------------

    def current_branch(self) -> str:
        """The checked-out branch, or "" when HEAD is detached."""
        status, out, _ = self._git(["symbolic-ref", "--quiet", "--short", "HEAD"], check=False)
        return out.strip() if status == 0 else ""

    def dirty_files(self) -> list[str]:
        """Tracked files with uncommitted changes (staged or not).

        Untracked files do not count: they survive a branch switch untouched, and the
        commit step only takes what is staged.
        """
        out = self._run(["status", "--porcelain", "--untracked-files=no"])
        return [line[3:] for line in out.splitlines() if line.strip()]

    def staged_diff_stat(self) -> str:
        """§4.2: ``git diff --cached --stat``, shown beside the commit message; "" when empty."""
        return self._run(["diff", "--cached", "--stat"]).rstrip()

    def branch_exists(self, name: str, *, remote: bool = True) -> tuple[bool, bool]:
        """(exists locally, exists on the remote); the remote check is a network call."""
        local = self._ref_exists(f"refs/heads/{name}")
        on_remote = False
        if remote:
            out = self._run(["ls-remote", "--heads", self.remote, f"refs/heads/{name}"], network=True)
            on_remote = bool(out.strip())
        return local, on_remote

    # -- §3.2 branch ------------------------------------------------------------------------

    def create_branch_commands(self, name: str) -> list[list[str]]:
        r, m = self.remote, self.main
        return [
            ["status", "--porcelain", "--untracked-files=no"],
            ["fetch", r, m],
            ["rev-parse", "--verify", "--quiet", f"refs/heads/{name}"],
            ["ls-remote", "--heads", r, f"refs/heads/{name}"],
            ["rev-list", "--left-right", "--count", f"{m}...{r}/{m}"],
            ["checkout", m],
            # fetch + merge --ff-only is `git pull --ff-only origin main` in two steps,
            # so the divergence check above sees the fetched remote main first.
            ["merge", "--ff-only", f"{r}/{m}"],
            ["checkout", "-b", name],
            ["rev-parse", "HEAD"],
        ]

    def create_branch(self, name: str, *, dry_run: bool = False) -> str | list[str]:
        """§3.2: update main from the remote (fast-forward only) and branch off it.

        Returns the base commit's SHA (or, with ``dry_run``, the git command lines).
        Refuses with DirtyTreeError, BranchExistsError or DivergedError before changing
        anything.
        """
        if dry_run:
            return [show(c) for c in self.create_branch_commands(name)]
        self._refuse_dirty()
        self._run(["fetch", self.remote, self.main], network=True)
        local, remote = self.branch_exists(name)
        if local or remote:
            raise BranchExistsError(self._server(), name, local=local, remote=remote)
        self._update_main()
        self._run(["checkout", "-b", name])
        return self._sha("HEAD")

    def switch_to_existing(self, name: str, *, dry_run: bool = False) -> str | list[str]:
        """Check out a hotfix branch that already exists (locally, else from the remote).

        Returns the branch's base: where it forked from the remote's main.
        """
        r = self.remote
        if dry_run:
            return [
                show(["status", "--porcelain", "--untracked-files=no"]),
                show(["fetch", r, self.main]),
                show(["checkout", name]) + f"   (or: {show(['checkout', '-b', name, '--track', f'{r}/{name}'])})",
                show(["merge-base", "HEAD", f"{r}/{self.main}"]),
            ]
        self._refuse_dirty()
        self._run(["fetch", r, self.main], network=True)
        if self._ref_exists(f"refs/heads/{name}"):
            self._run(["checkout", name])
        else:
            self._run(["fetch", r, f"refs/heads/{name}:refs/remotes/{r}/{name}"], network=True)
            self._run(["checkout", "-b", name, "--track", f"{r}/{name}"])
        return self._run(["merge-base", "HEAD", f"{r}/{self.main}"]).strip()

    def _refuse_dirty(self) -> None:
        files = self.dirty_files()
        if files:
            raise DirtyTreeError(self.where, files)

    def _update_main(self) -> str:
        """Check out main and fast-forward it to the (already fetched) remote main."""
        r, m = self.remote, self.main
        if self._ref_exists(f"refs/heads/{m}"):
            counts = self._run(["rev-list", "--left-right", "--count", f"{m}...{r}/{m}"]).split()
            ahead, behind = int(counts[0]), int(counts[1])
            if ahead:
                # Even "only ahead" is refused: the hotfix would carry unpushed commits.
                raise DivergedError(self._server(), m, r, ahead, behind)
            self._run(["checkout", m])
            self._run(["merge", "--ff-only", f"{r}/{m}"])
        else:
            self._run(["checkout", "-b", m, "--track", f"{r}/{m}"])
        return self._sha("HEAD")

    # -- §4.2 commit ------------------------------------------------------------------------

    def commit(self, message: str, *, dry_run: bool = False) -> str | list[str]:
        """Commit what is staged with ``message``; returns the new commit's SHA."""
        args = ["commit", "-m", message]
        if dry_run:
            return [show(["diff", "--cached", "--quiet"]), show(args), show(["rev-parse", "HEAD"])]
        branch = self.current_branch()
        if not branch:
            raise ServiceError(
                "git", "HEAD is detached: no branch to commit on", server=self.where,
                hint="check out the hotfix branch first (`hotfix git branch --switch`)",
            )
        if branch == self.main:
            raise ServiceError(
                "git", f"you are on {self.main}: a hotfix is committed on its hotfix branch",
                server=self.where, hint="create or switch to the hotfix branch first (`hotfix git branch`)",
            )
        if self._git(["diff", "--cached", "--quiet"], check=False)[0] == 0:
            raise NothingStagedError(self.where, self.dirty_files())
        self._run(args)
        return self._sha("HEAD")

    # -- §4.4 push --------------------------------------------------------------------------

    def push(self, branch: str, *, dry_run: bool = False) -> str | list[str]:
        """Push ``branch`` and set its upstream; returns the pushed commit's SHA."""
        import git

        args = ["push", "--set-upstream", self.remote, f"{branch}:refs/heads/{branch}"]
        if dry_run:
            return [show(args)]
        if not self._ref_exists(f"refs/heads/{branch}"):
            raise ServiceError(
                "git", f"there is no local branch {branch} to push", server=self.where,
                hint="create it first (`hotfix git branch`)",
            )
        try:
            self._git(args, network=True)
        except git.GitCommandError as exc:
            err = exc.stderr if isinstance(exc.stderr, str) else ""
            low = err.lower()
            if "[rejected]" in low or "non-fast-forward" in low or "fetch first" in low \
                    or "[remote rejected]" in low or "hook declined" in low:
                reason = next(
                    (ln.strip() for ln in err.splitlines() if "rejected" in ln.lower() or "declined" in ln.lower()),
                    "rejected",
                )
                raise PushRejectedError(self._server(), branch, short(reason, 160)) from None
            raise self._failure(args, exc, network=True) from None
        return self._sha(f"refs/heads/{branch}")

    # -- §7.2 clean-up ---------------------------------------------------------------------

    def cleanup_commands(self, branch: str, *, force: bool = False) -> list[list[str]]:
        r, m = self.remote, self.main
        return [
            ["status", "--porcelain", "--untracked-files=no"],
            ["fetch", r, m],
            ["checkout", m],
            ["merge", "--ff-only", f"{r}/{m}"],
            ["branch", "-D" if force else "-d", branch],
            ["push", r, "--delete", branch],
        ]

    def cleanup(self, branch: str, *, force: bool = False, dry_run: bool = False) -> CleanupResult | list[str]:
        """§7.2: update main, delete the hotfix branch locally and on the remote.

        ``force`` deletes the local branch even when main does not contain its commits,
        which is normal after a squash or rebase merge; pass it once the PR is known to
        be merged. A branch already gone (GitHub deleted it on merge) is not an error.
        """
        import git

        if dry_run:
            return [show(c) for c in self.cleanup_commands(branch, force=force)]
        if branch == self.main:
            raise ServiceError("git", f"refusing to delete {self.main}", server=self.where)
        self._refuse_dirty()
        self._run(["fetch", self.remote, self.main], network=True)
        main_sha = self._update_main()
        local_deleted = False
        if self._ref_exists(f"refs/heads/{branch}"):
            try:
                self._git(["branch", "-D" if force else "-d", branch])
                local_deleted = True
            except git.GitCommandError as exc:
                if "not fully merged" in str(exc.stderr):
                    raise ServiceError(
                        "git", f"{branch} has commits that {self.main} does not contain", server=self.where,
                        hint="if the PR was squash- or rebase-merged this is expected: "
                        "confirm the merge, then clean up with force",
                    ) from None
                raise self._failure(["branch", "-d", branch], exc, network=False) from None
        remote_deleted = False
        _, on_remote = self.branch_exists(branch)
        if on_remote:
            self._run(["push", self.remote, "--delete", branch], network=True)
            remote_deleted = True
        return CleanupResult(main_sha, local_deleted, remote_deleted)
