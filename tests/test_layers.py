"""The design's layering: nothing below the UI imports Textual, and start-up stays light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "hotfix_tui"
UI = {"app.py", "screens", "widgets"}
HEAVY = ("textual", "jira", "github", "git")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_textual_below_the_ui_layer():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in UI or rel.name == "cli.py":
            continue
        if "textual" in _imports(path):
            offenders.append(str(rel))
    assert offenders == []


def test_cli_commands_do_not_import_heavy_libraries():
    code = (
        "import sys; from hotfix_tui.cli import main; main(['list']);"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
