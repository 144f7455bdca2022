"""A terraform or kubectl step's outcome as the draft records it (``CheckRun``).

The services return plain :class:`~hotfix_tui.services.outcome.CheckOutcome` values; this
is the one place that turns them into the draft's record, so the wizard and ``hotfix
check`` store the same thing.
"""

from __future__ import annotations

from ..model import CheckRun, bound_output, now_iso
from ..services.outcome import CheckOutcome
from ..services.runner import CANCELLED, PASSED, RunResult

TAIL_LINES = 20


def check_run(name: str, result: RunResult, summary: str = "", *, status: str | None = None,
              tail: int = TAIL_LINES) -> CheckRun:
    """The draft's record of a run: masked command, summary, the last ``tail`` lines.

    The draft knows passed / failed / cancelled: a timeout or a command that could not
    start is a failure there, and its summary says which. The stored tail is bounded in
    bytes (``model.MAX_OUTPUT_TAIL_BYTES``); its lines are already masked and cut to
    ``runner.MAX_LINE_CHARS`` by the runner. A step that was refused before it started
    has no start time of its own: it is recorded at the moment it is stored.
    """
    status = status or result.status
    stored = {PASSED: "passed", CANCELLED: "cancelled"}.get(status, "failed")
    return CheckRun(
        name=name,
        command=result.command,
        status=stored,
        started_at=result.started_at or now_iso(),
        duration_ms=result.duration_ms,
        exit_code=-1 if result.exit_code is None else result.exit_code,
        summary=summary or result.error or status,
        output_tail=bound_output("\n".join(result.tail(tail))),
    )


def to_check_run(outcome: CheckOutcome) -> CheckRun:
    """The record of a step's outcome, with the fingerprint of the files it ran on."""
    run = check_run(outcome.name, outcome.result, summary=outcome.summary, status=outcome.status)
    run.fingerprint = outcome.fingerprint
    return run
