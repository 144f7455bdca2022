"""The git steps of a hotfix (§3.2 branch, §4.2 commit, §4.4 push, §7.2 clean-up).

Two ways in, one rule for each:

* Every git command that changes something or talks to the remote (fetch, ls-remote,
  checkout, merge, commit, push, branch -D) runs through
  :class:`~hotfix_tui.services.runner.Runner`, the same runner terraform and kubectl use:
  no shell, its own process group (a cancel or a timeout stops git and its ssh or
  credential helper), output streamed to ``on_lines`` in batches, secrets masked in the
  command line and in every line, a bounded record, a clear message for a missing git.
* Reading repository state (refs, ancestry, dirty files, the HEAD, the remote's URL)
  goes through GitPython's object API (``rev_parse``, ``is_ancestor``, ``iter_commits``,
  ``index.diff``, ``head``, ``remote``): values, not git's text parsed back. Two reads
  still call ``repo.git`` on purpose, each saying why: :meth:`GitService.staged_diff_stat`
  (git's own text, shown as is) and :meth:`GitService._abbreviate` (git's short SHAs).

Each git command line is built once, by the ``*_args`` builders below: the step's
``dry_run`` list, the wizard's previews (``services/commands.py``) and the run itself
take them from there, and :func:`show` / :meth:`GitService.line` turn them into the
text on screen (the lazygit lesson: show the exact command). Checks come first and
refuse with guidance instead of leaving the repository half-way: a dirty tree, a main
that diverged from the remote, a branch that already exists, a merge or rebase in
progress, commits on a detached HEAD that no branch holds.

Nothing is deleted on the word of a draft or of ``git branch -d`` (which accepts a
branch merged into its own upstream): clean-up checks, after a fetch, that each copy of
the branch is contained in the remote's main (or in the PR head GitHub just reported
merged), then deletes with ``-D`` and pushes the deletion leased to the tip it checked.

GitPython is imported when the first read runs, not when this module is imported, so
building the service at start-up costs nothing.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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
from .runner import (
    CANCELLED,
    FAILED,
    INFO,
    PASSED,
    STDERR,
    STDOUT,
    Masker,
    OnLines,
    RunResult,
    Runner,
    display_command,
)
from .runner import TIMEOUT as RUN_TIMEOUT

if TYPE_CHECKING:
    from ..config import Config

GIT = "git"

# git must never stop to ask for a password inside a full-screen app: fail and say so.
# (The runner also gives it no terminal: ssh cannot open /dev/tty to ask either.) Its
# messages in English, because failures are told apart by them.
_RUN_ENV = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "LANGUAGE": "C"}


# Files in the git folder that mean an operation is half-way; switching branches would
# abandon it (and its resolved conflicts or remaining commits).
_IN_PROGRESS = {
    "MERGE_HEAD": "a merge",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase or `git am`",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "BISECT_LOG": "a bisect",
}

# The checks' lines as a user would type them: the dry run lists them; the run reads the
# same facts through GitPython (dirty_files, orphan_commits).
# Commits reachable from HEAD and from no branch, remote branch or tag.
ORPHANS_ARGS = ["log", "--format=%h %s", "HEAD", "--not", "--branches", "--remotes", "--tags"]
_ORPHANS_REVS = ORPHANS_ARGS[2:]
STATUS_ARGS = ["status", "--porcelain", "--untracked-files=no"]

# Placeholders in dry-run lines for values only the run itself reads.
LOCAL_TIP = "<local tip>"
REMOTE_TIP = "<remote tip>"


def show(args: list[str]) -> str:
    """One git command as a user would type it, credentials masked (as the runner shows it)."""
    return display_command([GIT, *args], Masker())


def _quote_path(path: str, *, quote_path: bool = True) -> str:
    """``path`` as ``git status --porcelain`` writes it (git's quote_c_style, spaces quoted).

    The paths ``dirty_files`` returned when it read git's porcelain, kept byte for byte:
    control characters, ``"`` and ``\\`` escaped, bytes above 0x7f in octal while
    ``core.quotePath`` is on, and the whole path in double quotes when anything was escaped
    or it holds a space.
    """
    raw = path.encode("utf-8", "surrogateescape")
    letters = {7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 34: '"', 92: "\\"}
    out: list[str] = []
    escaped = False
    i = 0
    while i < len(raw):
        byte = raw[i]
        if byte in letters:
            out.append("\\" + letters[byte])
            escaped = True
        elif byte < 0x20 or byte == 0x7F or (byte >= 0x80 and quote_path):
            out.append(f"\\{byte:03o}")
            escaped = True
        else:  # a run of bytes that stay as they are (multi-byte UTF-8 when quotePath is off)
            j = i
            while j < len(raw) and not (raw[j] in letters or raw[j] < 0x20 or raw[j] == 0x7F
                                        or (raw[j] >= 0x80 and quote_path)):
                j += 1
            out.append(raw[i:j].decode("utf-8", "surrogateescape"))
            i = j
            continue
        i += 1
    text = "".join(out)
    return f'"{text}"' if escaped or " " in text else text


def _subject(message: str) -> str:
    """A commit's subject as ``git log --format=%s`` prints it: the first paragraph, one line.

    Leading blank lines skipped, each line's trailing white space dropped, lines joined
    with a space (GitPython's ``summary`` is the first line only).
    """
    lines = message.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    subject: list[str] = []
    for line in lines:
        if not line.strip():
            break
        subject.append(line.rstrip())
    return " ".join(subject)


def _config_bool(value: Any) -> bool:
    """A git config value read as git reads a boolean ("copies" for diff.renames is on)."""
    return str(value).strip().lower() not in ("false", "no", "off", "0", "")


def _stderr(exc: Any) -> str:
    return exc.stderr if isinstance(exc.stderr, str) else str(exc.stderr or "")


def _git_not_found() -> ServiceError:
    return ServiceError("git", "the git program was not found", kind=CONFIG, hint="install git or fix PATH")


def _gitpython() -> Any:
    """The ``git`` package; GitPython refuses to import at all when there is no git program."""
    try:
        import git
    except ImportError:
        if shutil.which(GIT) is None:
            raise _git_not_found() from None
        raise
    return git


@dataclass(frozen=True)
class CleanupResult:
    """What §7.2 did: the updated main and which copies of the branch were deleted."""

    main_sha: str
    local_deleted: bool
    remote_deleted: bool


@dataclass
class _Step:
    """The cancel event and output callback of the step running in this thread."""

    cancel: threading.Event
    on_lines: OnLines | None


class GitService:
    """git operations on one working tree, talking to one remote.

    ``runner`` runs every command that changes something or talks to the remote; share
    the app's one runner (``Services.from_config``) so quitting stops git too. Each step
    method takes ``on_lines`` (the command lines and git's output as they come) and
    ``cancel`` (an event that stops the running git's process group and the step);
    :meth:`cancel` stops every step of this service that is running.
    """

    system = "git"

    def __init__(
        self,
        repo_dir: str | Path = ".",
        *,
        remote: str = "origin",
        main_branch: str = "main",
        network_timeout: float = 120.0,
        runner: Runner | None = None,
    ):
        self.repo_dir = Path(repo_dir).expanduser()
        self.remote = remote
        self.main = main_branch
        self.network_timeout = network_timeout
        self.runner = runner or Runner()
        self._repo_obj: Any = None
        self._local = threading.local()
        self._running: set[threading.Event] = set()
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: Config, runner: Runner | None = None) -> GitService:
        runner = runner or Runner()
        runner.mask_env(config.secrets.env)  # [secrets] env: masked in git's lines too
        return cls(config.git.repo_dir, remote=config.git.remote, main_branch=config.git.main_branch,
                   runner=runner)

    # -- the git lines: one builder each (dry runs, previews and runs take them here) --------

    def fetch_main_args(self) -> list[str]:
        return ["fetch", self.remote, self.main]

    def fetch_branch_args(self, name: str) -> list[str]:
        return ["fetch", self.remote, f"refs/heads/{name}:refs/remotes/{self.remote}/{name}"]

    def ls_remote_args(self, name: str) -> list[str]:
        return ["ls-remote", "--heads", self.remote, f"refs/heads/{name}"]

    @staticmethod
    def checkout_args(ref: str) -> list[str]:
        return ["checkout", ref]

    @staticmethod
    def new_branch_args(name: str, track: str = "") -> list[str]:
        return ["checkout", "-b", name, *(["--track", track] if track else [])]

    def fast_forward_main_args(self) -> list[str]:
        # fetch + merge --ff-only is `git pull --ff-only origin main` in two steps, so the
        # divergence check between them sees the fetched remote main first.
        return ["merge", "--ff-only", f"{self.remote}/{self.main}"]

    @staticmethod
    def commit_args(message: str) -> list[str]:
        """§4.2's commit line (shown by the wizard and ``--dry-run``, run by :meth:`commit`)."""
        return ["commit", "-m", message]

    def push_args(self, branch: str) -> list[str]:
        """§4.4's push line (shown by the wizard and ``--dry-run``, run by :meth:`push`)."""
        return ["push", "--set-upstream", self.remote, f"{branch}:refs/heads/{branch}"]

    def delete_remote_args(self, branch: str, remote_tip: str) -> list[str]:
        # Leased to the tip that was checked: a push made since then is not deleted.
        return ["push", self.remote, "--delete", branch, f"--force-with-lease=refs/heads/{branch}:{remote_tip}"]

    @staticmethod
    def delete_local_args(branch: str) -> list[str]:
        return ["branch", "-D", branch]

    def line(self, args: list[str]) -> str:
        """The line the runner shows for ``git args`` (secrets of its environment masked too)."""
        return self.runner.display([GIT, *args], _RUN_ENV)

    # -- plumbing: reads through GitPython -----------------------------------------------

    def _repo(self) -> Any:
        if self._repo_obj is None:
            git = _gitpython()
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
        git = _gitpython()
        with self._reading():
            try:
                # ``urls`` is ``git remote get-url --all``: url.<base>.insteadOf applied, as
                # git will use it; the first is the one fetch and push talk to.
                url = next(iter(self._repo().remote(self.remote).urls), "")
            except (ValueError, git.GitCommandError):  # no such remote
                return ""
        return redact(url.strip())

    def _server(self) -> str:
        return self.remote_url() or self.where

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Around a GitPython read: a git program that went missing says so plainly."""
        git = _gitpython()
        try:
            yield
        except git.GitCommandNotFound:
            raise _git_not_found() from None

    def _object(self, ref: str) -> Any:
        """The object ``ref`` names, or None when it names nothing (``git rev-parse --verify``)."""
        git = _gitpython()
        with self._reading():
            try:
                return self._repo().rev_parse(ref)
            except (git.BadName, git.BadObject, ValueError, IndexError):
                return None

    def _ref_exists(self, ref: str) -> bool:
        return self._object(ref) is not None

    def _sha(self, ref: str) -> str:
        obj = self._object(ref)
        if obj is None:
            raise self._failure(["rev-parse", ref], f"unknown revision {ref}", 128, network=False)
        return obj.hexsha

    def _count(self, revs: str) -> int:
        """How many commits ``git rev-list revs`` lists; a ServiceError when git cannot list them."""
        git = _gitpython()
        with self._reading():
            try:
                return sum(1 for _ in self._repo().iter_commits(revs))
            except git.GitCommandError as exc:
                raise self._failure(["rev-list", "--count", revs], _stderr(exc), exc.status, network=False) from None

    # -- plumbing: changes and the remote through the runner -----------------------------------

    @contextmanager
    def _step(self, on_lines: OnLines | None, cancel: threading.Event | None) -> Iterator[_Step]:
        """One step's context in this thread: every git it runs streams to ``on_lines`` and
        stops on ``cancel`` (or :meth:`cancel`); a cancel between two commands stops the next."""
        step = _Step(cancel if cancel is not None else threading.Event(), on_lines)
        outer = getattr(self._local, "step", None)
        self._local.step = step
        with self._lock:
            self._running.add(step.cancel)
        try:
            yield step
        finally:
            with self._lock:
                self._running.discard(step.cancel)
            self._local.step = outer

    def cancel(self) -> None:
        """Stop every step of this service now running: its git's process group, then the step."""
        with self._lock:
            events = list(self._running)
        for event in events:
            event.set()

    def _exec(self, args: list[str], *, network: bool = False) -> RunResult:
        """Run ``git args`` through the runner; raises for a git that did not run to its end.

        Returns the result of a git that exited (passed or failed); raises ServiceError
        when git is missing, was cancelled or timed out.
        """
        step: _Step | None = getattr(self._local, "step", None)
        if step is None:  # called outside a step method (branch_exists from a screen)
            with self._step(None, None):
                return self._exec(args, network=network)
        env = self.runner.environment(_RUN_ENV)
        if shutil.which(GIT, path=env.get("PATH")) is None:
            raise _git_not_found()
        if step.on_lines:
            step.on_lines([(INFO, f"$ {self.line(args)}")])
        timeout = self.network_timeout if network else None
        result = self.runner.run([GIT, *args], cwd=self._repo().working_dir, env=_RUN_ENV, timeout=timeout,
                                 on_lines=step.on_lines, cancel=step.cancel)
        if result.status in (PASSED, FAILED):
            return result
        server = self._server() if network else self.where
        if result.status == RUN_TIMEOUT:
            raise ServiceError(
                "git", f"`{show(args)}` took longer than {self.network_timeout:g} s", server=server,
                kind=TIMEOUT, hint="retry, or run the command yourself",
            )
        if result.status == CANCELLED:
            if args[0] == "push":
                hint = (f"it may or may not have reached the remote: `git ls-remote {self.remote}` shows "
                        "what is there; run the step again when ready")
            else:
                hint = ("nothing was pushed; `git status` shows where the repository stands; "
                        "run the step again when ready")
            raise ServiceError("git", f"`{show(args)}` was cancelled: git was stopped", server=server,
                               kind=REFUSED, hint=hint)
        # ERROR: it never started (the folder went away, exec failed).
        raise ServiceError("git", f"`{show(args)}` could not start: {result.error}", server=server,
                           kind=CONFIG, hint="check [git] repo_dir and that git runs from a terminal")

    def _run(self, args: list[str], *, network: bool = False) -> str:
        """A change or a remote call that must succeed: git's stdout, or a ServiceError that says why."""
        result = self._exec(args, network=network)
        if not result.ok:
            raise self._failure(args, result.text(STDERR), result.exit_code, network=network)
        return "\n".join(result.lines(STDOUT))

    def _failure(self, args: list[str], stderr: str, status: int | None, *, network: bool) -> ServiceError:
        text = stderr.strip().removeprefix("stderr:").strip().strip("'").strip()
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        low = text.lower()
        server = self._server() if network else self.where
        reason = short(lines[-1] if lines else f"exit status {status}", 160)
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
            if "timed out" in low or "timeout" in low:
                return ServiceError(
                    "git", f"`{show(args)}` took longer than {self.network_timeout:g} s", server=server,
                    kind=TIMEOUT, hint="retry, or run the command yourself",
                )
        return ServiceError(
            "git", f"`{show(args)}` failed: {reason}", server=server, kind=REFUSED,
            hint="run it in a terminal to see the whole output",
        )

    # -- read-only helpers for the UI --------------------------------------------------------

    def current_branch(self) -> str:
        """The checked-out branch, or "" when HEAD is detached."""
        with self._reading():
            head = self._repo().head
            # A branch with no commits yet is still the branch checked out (as symbolic-ref says).
            return "" if head.is_detached else head.reference.name

    def dirty_files(self) -> list[str]:
        """Tracked files with uncommitted changes (staged or not).

        Untracked files do not count: they survive a branch switch untouched, and the
        commit step only takes what is staged.

        Each path as ``git status --porcelain --untracked-files=no`` wrote it (what this
        returned when it read that text): relative to the top of the work tree, quoted as
        git quotes, a staged rename as ``old -> new``, each path once, in git's order.
        """
        repo = self._repo()
        quote = _config_bool(repo.config_reader().get_value("core", "quotepath", True))
        changed: dict[str, str] = {}
        for diff in self._unstaged():
            path = diff.b_path or diff.a_path
            changed[path] = _quote_path(path, quote_path=quote)
        for path, old in self._staged():
            changed[path] = (f"{_quote_path(old, quote_path=quote)} -> " if old else "") + _quote_path(
                path, quote_path=quote)
        return [changed[path] for path in sorted(changed, key=lambda p: p.encode("utf-8", "surrogateescape"))]

    def _staged(self) -> list[tuple[str, str]]:
        """(path, path it was renamed from or "") of each change staged against HEAD."""
        git = _gitpython()
        repo = self._repo()
        with self._reading():
            if self._object("HEAD") is None:
                # No commit yet: everything in the index is staged (git status: "A  path").
                return [(path, "") for path in dict.fromkeys(str(p) for p, _stage in repo.index.entries)]
            # HEAD → index, the direction status reads (index.diff("HEAD") is index → HEAD,
            # which would turn a rename around): the head commit diffed against the index.
            diffs = repo.head.commit.diff(git.IndexFile.Index, **self._rename_option(repo))
            return [(d.rename_to, d.rename_from) if d.renamed_file else (d.b_path or d.a_path, "")
                    for d in diffs]

    def _unstaged(self) -> list[Any]:
        with self._reading():
            return list(self._repo().index.diff(None))

    @staticmethod
    def _rename_option(repo: Any) -> dict[str, bool]:
        # git status finds staged renames unless status.renames (or diff.renames) is false.
        config = repo.config_reader()
        value = config.get_value("status", "renames", config.get_value("diff", "renames", True))
        return {} if _config_bool(value) else {"no_renames": True}

    def staged_diff_stat(self) -> str:
        """§4.2: ``git diff --cached --stat``, shown beside the commit message; "" when empty."""
        # Deliberately git's own text, not GitPython's diff objects: it is shown to the user
        # as is, exactly what `git diff --cached --stat` prints in a terminal.
        git = _gitpython()
        with self._reading():
            try:
                return self._repo().git.diff("--cached", "--stat").rstrip()
            except git.GitCommandError as exc:
                raise self._failure(["diff", "--cached", "--stat"], _stderr(exc), exc.status,
                                    network=False) from None

    def branch_exists(self, name: str, *, remote: bool = True) -> tuple[bool, bool]:
        """(exists locally, exists on the remote); the remote check is a network call."""
        local = self._ref_exists(f"refs/heads/{name}")
        on_remote = False
        if remote:
            out = self._run(self.ls_remote_args(name), network=True)
            on_remote = bool(out.strip())
        return local, on_remote

    # -- §3.2 branch ------------------------------------------------------------------------

    def create_branch_commands(self, name: str) -> list[list[str]]:
        m = self.main
        return [
            STATUS_ARGS,
            ORPHANS_ARGS,
            self.fetch_main_args(),
            ["rev-parse", "--verify", "--quiet", f"refs/heads/{name}"],
            self.ls_remote_args(name),
            ["rev-list", "--left-right", "--count", f"{m}...{self.remote}/{m}"],
            self.checkout_args(m),
            self.fast_forward_main_args(),
            self.new_branch_args(name),
            ["rev-parse", "HEAD"],
        ]

    def create_branch(self, name: str, *, dry_run: bool = False, on_lines: OnLines | None = None,
                      cancel: threading.Event | None = None) -> str | list[str]:
        """§3.2: update main from the remote (fast-forward only) and branch off it.

        Returns the base commit's SHA (or, with ``dry_run``, the git command lines).
        Refuses with DirtyTreeError, BranchExistsError or DivergedError before changing
        anything.
        """
        if dry_run:
            return [self.line(c) for c in self.create_branch_commands(name)]
        with self._step(on_lines, cancel):
            self._refuse_lost_work()
            self._run(self.fetch_main_args(), network=True)
            local, remote = self.branch_exists(name)
            if local or remote:
                raise BranchExistsError(self._server(), name, local=local, remote=remote)
            self._update_main()
            self._run(self.new_branch_args(name))
            return self._sha("HEAD")

    def switch_to_existing(self, name: str, *, dry_run: bool = False, on_lines: OnLines | None = None,
                           cancel: threading.Event | None = None) -> str | list[str]:
        """Check out a hotfix branch that already exists (locally, else from the remote).

        Returns the branch's base: where it forked from the remote's main.
        """
        r = self.remote
        base_args = ["merge-base", "HEAD", f"{r}/{self.main}"]
        if dry_run:
            return [
                self.line(STATUS_ARGS),
                self.line(ORPHANS_ARGS),
                self.line(self.fetch_main_args()),
                self.line(self.checkout_args(name))
                + f"   (or: {self.line(self.new_branch_args(name, f'{r}/{name}'))})",
                self.line(base_args),
            ]
        with self._step(on_lines, cancel):
            self._refuse_lost_work()
            self._run(self.fetch_main_args(), network=True)
            if self._ref_exists(f"refs/heads/{name}"):
                self._run(self.checkout_args(name))
            else:
                self._run(self.fetch_branch_args(name), network=True)
                self._run(self.new_branch_args(name, f"{r}/{name}"))
            return self._merge_base("HEAD", f"{r}/{self.main}", base_args)

    def _merge_base(self, left: str, right: str, args: list[str]) -> str:
        """The best common ancestor's SHA (one, as ``git merge-base`` prints)."""
        git = _gitpython()
        with self._reading():
            try:
                bases = self._repo().merge_base(left, right)
            except git.GitCommandError as exc:
                raise self._failure(args, _stderr(exc), exc.status, network=False) from None
        if not bases:
            raise self._failure(args, "", 1, network=False)
        return bases[0].hexsha

    def _refuse_dirty(self) -> None:
        files = self.dirty_files()
        if files:
            raise DirtyTreeError(self.where, files)

    def operation_in_progress(self) -> str:
        """"a merge", "a rebase"… when one is half-way in this work tree; else ""."""
        git_dir = Path(self._repo().git_dir)
        return next((what for name, what in _IN_PROGRESS.items() if (git_dir / name).exists()), "")

    def orphan_commits(self) -> list[str]:
        """``<short sha> <subject>`` of commits HEAD holds that no branch, remote branch or tag does.

        Non-empty only on a detached HEAD with commits of its own: checking out anything
        else would leave them reachable from the reflog alone.
        """
        git = _gitpython()
        with self._reading():
            try:
                commits = list(self._repo().iter_commits(_ORPHANS_REVS))
            except (git.GitCommandError, ValueError):  # no commit yet: nothing to orphan
                return []
        if not commits:
            return []
        shorts = self._abbreviate([c.hexsha for c in commits])
        return [f"{short_sha} {_subject(c.message)}" for short_sha, c in zip(shorts, commits)]

    def _abbreviate(self, shas: list[str]) -> list[str]:
        """Git's short SHAs (``%h``) for ``shas``.

        Deliberately ``git rev-parse --short``: the length is git's (``core.abbrev``, the
        repository's size, unique among its objects) and GitPython has no equivalent.
        """
        git = _gitpython()
        with self._reading():
            try:
                out = self._repo().git.rev_parse("--short", *shas)
            except git.GitCommandError:
                return [sha[:7] for sha in shas]
        shorts = out.split()
        return shorts if len(shorts) == len(shas) else [sha[:7] for sha in shas]

    def _refuse_lost_work(self) -> None:
        """Before switching branches: nothing half-done, nothing uncommitted, nothing orphaned."""
        doing = self.operation_in_progress()
        if doing:
            raise ServiceError(
                "git", f"{doing} is in progress in {self.where}: switching branches would abandon it",
                server=self.where, kind=REFUSED,
                hint="finish it (`git status` says how) or abort it, then run the step again",
            )
        self._refuse_dirty()
        orphans = self.orphan_commits()
        if orphans:
            listed = "; ".join(orphans[:5]) + (f" (and {len(orphans) - 5} more)" if len(orphans) > 5 else "")
            raise ServiceError(
                "git", f"HEAD is detached and holds {len(orphans)} commit(s) on no branch: {listed}",
                server=self.where, kind=REFUSED,
                hint="keep them on a branch first (`git branch NAME`), or check out a branch if they "
                "are not wanted, then run the step again",
            )

    def _update_main(self) -> str:
        """Check out main and fast-forward it to the (already fetched) remote main."""
        r, m = self.remote, self.main
        if self._ref_exists(f"refs/heads/{m}"):
            # git rev-list --left-right --count m...r/m, as two counts.
            ahead, behind = self._count(f"{r}/{m}..{m}"), self._count(f"{m}..{r}/{m}")
            if ahead:
                # Even "only ahead" is refused: the hotfix would carry unpushed commits.
                raise DivergedError(self._server(), m, r, ahead, behind)
            self._run(self.checkout_args(m))
            self._run(self.fast_forward_main_args())
        else:
            self._run(self.new_branch_args(m, f"{r}/{m}"))
        return self._sha("HEAD")

    # -- §4.2 commit ------------------------------------------------------------------------

    def commit(self, message: str, *, branch: str = "", dry_run: bool = False, on_lines: OnLines | None = None,
               cancel: threading.Event | None = None) -> str | list[str]:
        """Commit what is staged with ``message``; returns the new commit's SHA.

        With ``branch``, refuses unless that branch is the one checked out.
        """
        args = self.commit_args(message)
        if dry_run:
            return [self.line(["diff", "--cached", "--quiet"]), self.line(args), self.line(["rev-parse", "HEAD"])]
        current = self.current_branch()
        if branch and current and current != branch:
            raise ServiceError(
                "git", f"you are on {current}, not on the hotfix branch {branch}", server=self.where,
                kind=REFUSED, hint=f"switch to it first (`git checkout {branch}` or `hotfix git branch --switch`)",
            )
        branch = current
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
        if not self._staged():  # git diff --cached --quiet
            raise NothingStagedError(self.where, self.dirty_files())
        with self._step(on_lines, cancel):
            self._run(args)
        return self._sha("HEAD")

    # -- §4.4 push --------------------------------------------------------------------------

    def push(self, branch: str, *, dry_run: bool = False, on_lines: OnLines | None = None,
             cancel: threading.Event | None = None) -> str | list[str]:
        """Push ``branch`` and set its upstream; returns the pushed commit's SHA."""
        args = self.push_args(branch)
        if dry_run:
            return [self.line(args)]
        if not self._ref_exists(f"refs/heads/{branch}"):
            raise ServiceError(
                "git", f"there is no local branch {branch} to push", server=self.where,
                hint="create it first (`hotfix git branch`)",
            )
        with self._step(on_lines, cancel):
            result = self._exec(args, network=True)
        if not result.ok:
            err = result.text(STDERR)
            low = err.lower()
            if "[rejected]" in low or "non-fast-forward" in low or "fetch first" in low \
                    or "[remote rejected]" in low or "hook declined" in low:
                reason = next(
                    (ln.strip() for ln in err.splitlines() if "rejected" in ln.lower() or "declined" in ln.lower()),
                    "rejected",
                )
                raise PushRejectedError(self._server(), branch, short(reason, 160))
            raise self._failure(args, err, result.exit_code, network=True)
        return self._sha(f"refs/heads/{branch}")

    # -- §7.2 clean-up ---------------------------------------------------------------------

    def cleanup_commands(self, branch: str, *, local_tip: str = LOCAL_TIP, remote_tip: str = REMOTE_TIP,
                         merged_head: str = "") -> list[list[str]]:
        """The clean-up's git lines; the tips are filled in by the run, placeholders in a dry run.

        Each copy of the branch must be an ancestor of the fetched remote main, or (after
        a squash or rebase merge) of the PR head GitHub reported merged, ``merged_head``.
        """
        r, m = self.remote, self.main
        checks = [["merge-base", "--is-ancestor", tip, f"{r}/{m}"] for tip in (local_tip, remote_tip) if tip]
        if merged_head:
            checks += [["merge-base", "--is-ancestor", tip, merged_head] for tip in (local_tip, remote_tip) if tip]
        return [
            STATUS_ARGS,
            ORPHANS_ARGS,
            self.fetch_main_args(),
            ["rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
            self.ls_remote_args(branch),
            *checks,
            self.checkout_args(m),
            self.fast_forward_main_args(),
            # Leased to the tip that was checked: a push made since then is not deleted
            # (and the local copy stays too).
            *([self.delete_remote_args(branch, remote_tip)] if remote_tip else []),
            *([self.delete_local_args(branch)] if local_tip else []),
        ]

    def _is_ancestor(self, tip: str, ref: str) -> bool:
        # "No", and a tip or ref this clone never fetched (git exits 128) is "no" as well.
        git = _gitpython()
        with self._reading():
            try:
                return bool(self._repo().is_ancestor(tip, ref))
            except git.GitCommandError:
                return False

    def _remote_tip(self, branch: str) -> str:
        out = self._run(self.ls_remote_args(branch), network=True)
        return out.split()[0] if out.strip() else ""

    def cleanup(self, branch: str, *, merged_head: str = "", force: bool = False, dry_run: bool = False,
                on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CleanupResult | list[str]:
        """§7.2: update main, delete the hotfix branch locally and on the remote.

        Deletes only what is merged, checked now: after a fetch, every copy of the branch
        (local and remote tip) must be contained in the remote's main, or in
        ``merged_head`` (the head commit of a PR that GitHub reported merged this
        moment, which covers squash and rebase merges). Otherwise it refuses and names
        the tip. ``force`` (the caller has had the Jira key typed) skips the check; the
        remote deletion is still leased to the tip seen here. A branch already gone
        (GitHub deleted it on merge) is not an error.
        """
        if dry_run:
            return [self.line(c) for c in self.cleanup_commands(branch, merged_head=merged_head)]
        if branch in (self.main, f"refs/heads/{self.main}") or not branch.strip():
            raise ServiceError("git", f"refusing to delete {self.main}", server=self.where, kind=REFUSED)
        with self._step(on_lines, cancel):
            return self._cleanup(branch, merged_head=merged_head, force=force)

    def _cleanup(self, branch: str, *, merged_head: str, force: bool) -> CleanupResult:
        self._refuse_lost_work()  # it checks out main
        r, m = self.remote, self.main
        self._run(self.fetch_main_args(), network=True)
        local_tip = self._sha(f"refs/heads/{branch}") if self._ref_exists(f"refs/heads/{branch}") else ""
        remote_tip = self._remote_tip(branch)
        if not force:
            for where, tip in (("local", local_tip), (f"on {r}", remote_tip)):
                if not tip or self._is_ancestor(tip, f"{r}/{m}"):
                    continue
                if merged_head and (tip == merged_head or self._is_ancestor(tip, merged_head)):
                    continue
                found = self._object(tip)
                subject = _subject(found.message).strip() if getattr(found, "type", "") == "commit" else ""
                what = f"{tip[:7]}" + (f" {short(subject, 60)}" if subject else "")
                why = (f"the branch {where} ({what}) has commits that the merged PR head "
                       f"{merged_head[:7]} does not contain" if merged_head else
                       f"the branch {where} ({what}) is not contained in {r}/{m}")
                raise ServiceError(
                    "git", f"{branch} is not merged: {why}; nothing was deleted", server=self.where,
                    kind=REFUSED,
                    hint="merge the PR first (`hotfix pr merge`); a squash or rebase merge is recognised "
                    "when GitHub is configured and the draft has the PR number; or force with the Jira key",
                )
        main_sha = self._update_main()
        local_deleted = remote_deleted = False
        if remote_tip:
            self._push_delete(self.delete_remote_args(branch, remote_tip), branch)
            remote_deleted = True
        if local_tip:
            self._run(self.delete_local_args(branch))
            local_deleted = True
        return CleanupResult(main_sha, local_deleted, remote_deleted)

    def _push_delete(self, args: list[str], branch: str) -> None:
        result = self._exec(args, network=True)
        if result.ok:
            return
        err = result.text(STDERR)
        if "stale info" in err or "[rejected]" in err:
            raise PushRejectedError(
                self._server(), branch,
                "it moved after the merge check (someone pushed to it); nothing was deleted there",
            )
        raise self._failure(args, err, result.exit_code, network=True)
