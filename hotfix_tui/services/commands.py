"""One builder per command: the argv a step runs and the line shown for it, from config.

The wizard's previews, the F4 copies, the manual records, ``--dry-run`` and the runs
themselves all take their command lines from here (or from the service functions this
delegates to), so what the screen shows is what runs: the configured terraform binary,
git remote and main branch, the draft's plan file, the pinned kube context and the
namespace. Pure functions of config and plain values; no I/O, cheap to call at render
time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from ..config import Config, KubectlConfig, TerraformConfig
from .checks import step_argv
from .git import GitService
from .git import show as show_git_line
from .runner import display_command
from .terraform import APPLY, FMT, FMT_CHECK, INIT, PLAN, VALIDATE

# The fix screen's rows and the steps each runs (fmt runs `fmt -check` first, then `fmt`).
CHECK_ROWS = (("fmt", (FMT_CHECK, FMT)), ("init", (INIT,)), ("validate", (VALIDATE,)), ("plan", (PLAN,)))

# The git lines a person types by hand: the ones that change something. The tool runs
# these very lines, with read-only checks (status, ls-remote, rev-list…) in between.
_ACTION_VERBS = ("fetch", "checkout", "merge", "commit", "push", "branch")


def show(argv: list[str]) -> str:
    """A command line as a user would type it (shell-quoted), as the runner shows it."""
    return display_command(argv)


def show_git(args: list[str]) -> str:
    """A git line as the runner shows it (credentials masked): ``services/git.py`` builds it."""
    return show_git_line(args)


@dataclass(frozen=True)
class Commands:
    """The command builders for one config (and the kube context pinned at start, if any)."""

    config: Config
    pinned_context: str = ""  # kubectl's current context read at start, when config names none

    @classmethod
    def of(cls, config: Config, checks=None) -> "Commands":
        """From config and, when there is one, the CheckService whose pinned context counts."""
        known = getattr(checks, "kube_context_known", None) if checks is not None else None
        return cls(config, getattr(known, "name", "") or "")

    # -- terraform ----------------------------------------------------------------------

    @property
    def tf(self) -> TerraformConfig:
        return self.config.terraform

    @property
    def kc(self) -> KubectlConfig:
        kc = self.config.kubectl
        return kc if kc.context or not self.pinned_context else replace(kc, context=self.pinned_context)

    @property
    def tf_name(self) -> str:
        return os.path.basename(self.tf.binary) or self.tf.binary

    def argv(self, step: str, *, plan_file: str = "", **kw) -> list[str]:
        """The exact argv of a terraform or kubectl step (CheckService runs this same list)."""
        return step_argv(self.tf, self.kc, step, plan_file=plan_file, **kw)

    def line(self, step: str, **kw) -> str:
        return show(self.argv(step, **kw))

    def label(self, step: str) -> str:
        """A short name for a row: ``tofu fmt -check``, ``tofu plan``."""
        words = self.argv(step, plan_file="x")[1:]
        return " ".join([self.tf_name, words[0], *(["-check"] if step == FMT_CHECK else [])])

    def check_lines(self, plan_file: str) -> list[tuple[str, str]]:
        """(step, shown line) for every §4.1 check, in the order they run."""
        return [(step, self.line(step, plan_file=plan_file)) for _row, row_steps in CHECK_ROWS for step in row_steps]

    def apply_line(self, plan_file: str) -> str:
        return self.line(APPLY, plan_file=plan_file)

    # -- git ----------------------------------------------------------------------------

    @property
    def git(self) -> GitService:
        return GitService.from_config(self.config)  # opens nothing until a command runs

    @staticmethod
    def _actions(commands: list[list[str]]) -> list[str]:
        return [show_git(c) for c in commands if c and c[0] in _ACTION_VERBS]

    def branch_lines(self, name: str) -> list[str]:
        """§3.2: the lines of ``hotfix git branch`` that change something, as it runs them."""
        return self._actions(self.git.create_branch_commands(name))

    def commit_lines(self, message: str) -> list[str]:
        return [show_git(self.git.commit_args(message))]

    def push_lines(self, branch: str) -> list[str]:
        return [show_git(self.git.push_args(branch))]

    def cleanup_lines(self, branch: str) -> list[str]:
        """§7.2: the clean-up's lines; the tips it checked are filled in by the run."""
        return self._actions(self.git.cleanup_commands(branch))
