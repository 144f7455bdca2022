"""A command for a screen's worker to run: its step, the line the log shows first, how to run it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass
class Job:
    """One command for the worker: its step name, the line shown first, and how to run it."""

    step: str
    command: str
    run: Callable  # (on_lines=, cancel=) -> CheckOutcome
    blocks: bool = False  # a failure skips the jobs after it (validate needs init, …)
