"""Texts taken from the seed (hotfix-workflow.ko.md) itself, for byte-exact tests.

The seed is kept in the repository as ``docs/hotfix-workflow.ko.md`` (the README links it),
so a standalone clone tests and reads it; the team's original is ``../shared/seed`` beside
the project. ``SEED_SHA256`` pins the copy's bytes, and where ``../shared`` is present a test
holds the copy equal to it too (tests/test_render_seed.py).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "docs" / "hotfix-workflow.ko.md"
SHARED_SEED = ROOT.parent / "shared" / "seed" / "hotfix-workflow.ko.md"
SEED_SHA256 = "93524543508e1728a476f58b2722b4752b80bdb8552dbabf25f0215c51f40d31"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


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
