"""What a terraform or kubectl step returns: plain values shared by both systems.

:class:`CheckOutcome` is one step's result, interpreted (status, a one-line summary and
what was parsed); ``workflow/checks.py`` turns it into the draft's record.
:func:`refused` is the result of a step that was not started, so the log and the draft
still explain it, and :func:`first_error` picks the line that says what went wrong.
:class:`Checks` holds what both systems' checks need: the config and the runner.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from .runner import ERROR, INFO, PASSED, STDERR, OnLines, RunResult, Runner

if TYPE_CHECKING:
    from .kubectl import KubeResource, PodHealth
    from .plan import PlanCounts, PlanReview
    from .terraform import PlanSeal, ValidateReport

_KLOG = re.compile(r"^[EWIF]\d{4} \d\d:\d\d:\d\d")  # kubectl's internal log lines
_TF_ERROR = re.compile(r"^[\s│╷╵]*(Error|Warning): (.+)$")


class Checks:
    """The config and the runner a system's checks run with (tests pass a Runner)."""

    def __init__(self, config: Config, runner: Runner | None = None):
        self.config = config
        self.runner = runner or Runner()
        # [secrets] env: values masked in every command's display and output.
        self.runner.mask_env(config.secrets.env)


@dataclass
class CheckOutcome:
    """One step's result, interpreted: status, a one-line summary and what was parsed."""

    name: str
    result: RunResult
    status: str  # runner statuses: passed | failed | cancelled | timeout | error
    summary: str
    changes: bool = False  # plan has changes / fmt found files to format
    files: list[str] = field(default_factory=list)  # fmt: files listed
    validate: ValidateReport | None = None
    plan: PlanCounts | None = None
    review: PlanReview | None = None
    plan_file: str = ""  # relative to the terraform folder
    fingerprint: str = ""  # terraform_fingerprint of the files the step ran on (plan: at plan time)
    seal: PlanSeal | None = None  # plan: the saved file's sha256 and the state it was made against
    resources: list[KubeResource] = field(default_factory=list)
    pods: PodHealth | None = None

    @property
    def command(self) -> str:
        return self.result.command

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def duration(self) -> float:
        return self.result.duration

    def line(self) -> str:
        """``passed  1.2s  Plan: 1 to add, …`` for a log or a terminal."""
        return f"{self.status}  {self.result.duration:.1f}s  {self.summary}"


def refused(argv: Sequence[str], cwd: Path, message: str, runner: Runner, on_lines: OnLines | None) -> RunResult:
    """A result for a step we did not start, so the log and the draft still explain it."""
    if on_lines:
        on_lines([(INFO, message)])
    # Never started, so no start time: the draft's record is stamped when it is stored.
    return RunResult(list(argv), runner.display(argv), str(cwd), ERROR, None, "", 0.0,
                     [(INFO, message)], 0, message)


def first_error(result: RunResult) -> str:
    """The line that says what went wrong, for a one-line summary."""
    for _, text in result.output:
        match = _TF_ERROR.match(text)
        if match and match.group(1) == "Error":
            return f"Error: {match.group(2).strip()}"
    stderr = [t.strip() for s, t in result.output if s == STDERR and t.strip()]
    plain = [t for t in stderr if not _KLOG.match(t)]
    if plain or stderr:
        return (plain or stderr)[-1]
    return result.error or f"exit code {result.exit_code}"

