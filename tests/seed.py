"""Texts taken from the seed (hotfix-workflow.ko.md) itself, for byte-exact tests.

The seed lives in ``../shared/seed`` beside the project; a copy is kept in
``tests/data`` so a clone without ``shared/`` still tests (a test keeps the two equal).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEED = ROOT.parent / "shared" / "seed" / "hotfix-workflow.ko.md"
VENDORED_SEED = ROOT / "tests" / "data" / "hotfix-workflow.ko.md"


def seed_text() -> str:
    path = SHARED_SEED if SHARED_SEED.exists() else VENDORED_SEED
    return path.read_text(encoding="utf-8")


def fenced_block(heading: str) -> str:
    """The first fenced code block after the heading line that starts with ``heading``."""
    lines = seed_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    open_at = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
    close_at = next(i for i in range(open_at + 1, len(lines)) if lines[i].startswith("```"))
    return "\n".join(lines[open_at + 1 : close_at]) + "\n"


def jira_example() -> tuple[str, str]:
    """§2.3: (title, description body)."""
    block = fenced_block("### 2.3 ")
    first, rest = block.split("\n", 1)
    assert first.startswith("제목: ")
    return first[len("제목: "):], rest.lstrip("\n")


def commit_example() -> str:
    """§4.3: the message inside ``git commit -m "..."``."""
    block = fenced_block("### 4.3 ")
    match = re.search(r'git commit -m "(.*)"\s*$', block, re.S)
    assert match
    return match.group(1) + "\n"


def pr_title_example() -> str:
    """§6.1: the line after "예시:"."""
    lines = fenced_block("### 6.1 ").splitlines()
    return lines[lines.index("예시:") + 1]


def pr_body_example() -> str:
    """§6.3: the whole body."""
    return fenced_block("### 6.3 ")


def branch_example() -> str:
    """§3.1: the first example branch name."""
    lines = fenced_block("### 3.1 ").splitlines()
    return lines[lines.index("예시:") + 1]
