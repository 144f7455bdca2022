"""The design's layering: imports point down, nothing below the UI imports Textual, and start-up stays light.

The layer order (an import-linter "layers" contract, checked with ``ast`` so it needs no
extra tool): cli → app/screens → widgets → workflow → services → render/store/model/config.
A module may import its own layer and the layers below it, never one above. Services
speak plain values: from this package they import only other services and ``config``
(never ``render``, ``model``, ``store`` or ``workflow``), and no UI library. Every import
counts, including the ones inside functions and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "hotfix_tui"
UI = {"app.py", "screens", "widgets"}
HEAVY = ("textual", "jira", "github", "git")


# Highest first. Each name is a module or package right under hotfix_tui/; anything not
# named here (render/, store, model, config, paths, textsafe, i18n*) is the bottom layer.
LAYERS = [
    ("cli", {"cli", "checks_cli", "integrations_cli", "handoff_cli", "__main__"}),
    ("app/screens", {"app", "screens"}),
    ("widgets", {"widgets"}),
    ("workflow", {"workflow"}),
    ("services", {"services"}),
]
BOTTOM = "render/store/model/config"
# What a service may import from this package besides other services.
SERVICES_MAY_IMPORT = {"config"}
UI_LIBRARIES = ("textual", "rich")


def _layer(module: str) -> str:
    """The layer of ``hotfix_tui.x.y`` (by ``x``)."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else ""
    return next((name for name, tops in LAYERS if top in tops), BOTTOM)


def _depth(layer: str) -> int:
    """0 for the top layer (cli), growing downwards."""
    names = [name for name, _tops in LAYERS] + [BOTTOM]
    return names.index(layer)


def _module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(rel[:-1] if rel[-1] == "__init__" else rel)


def _package_imports(path: Path, root: Path) -> set[str]:
    """The modules of the package at ``root`` that ``path`` imports (relative imports resolved)."""
    module = _module_name(path, root)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                found.add(".".join([*base, node.module]))
            else:  # from . import secrets
                found |= {".".join([*base, alias.name]) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == root.name:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == root.name}
    return found


def _modules():
    return sorted(PACKAGE.rglob("*.py"))


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


def upward_imports(paths, root: Path = PACKAGE) -> list[str]:
    """``a -> b (layer A imports layer B above it)`` for every import against the layer order."""
    found = []
    for path in paths:
        module = _module_name(path, root)
        for target in sorted(_package_imports(path, root)):
            if _depth(_layer(target)) < _depth(_layer(module)):
                found.append(f"{module} -> {target} ({_layer(module)} imports {_layer(target)})")
    return found


def service_reaches(paths, root: Path = PACKAGE) -> list[str]:
    """What a service imports besides other services, ``config``, the standard library and its clients."""
    found = []
    for path in paths:
        module = _module_name(path, root)
        if _layer(module) != "services":
            continue
        for target in sorted(_package_imports(path, root)):
            top = target.split(".")[1] if "." in target else ""
            if top != "services" and top not in SERVICES_MAY_IMPORT:
                found.append(f"{module} -> {target}")
        found += [f"{module} -> {lib}" for lib in UI_LIBRARIES if lib in _imports(path)]
    return found


def test_imports_point_down_the_layers():
    """cli → app/screens → widgets → workflow → services → render/store/model/config, nothing upward."""
    assert upward_imports(_modules()) == []


def test_services_import_no_render_model_workflow_or_ui():
    """Services take and return plain values: no ``render``, ``model``, ``store``, ``workflow``,
    ``textual`` or ``rich`` in any service module (issue 11: "the layer test fails when a
    service imports render, model or Textual")."""
    assert service_reaches(_modules()) == []


@pytest.mark.parametrize("line", [
    "from ..render.artifacts import render",
    "from ..model import Draft",
    "from ..workflow import steps",
    "import textual",
    "from hotfix_tui.model import CheckRun",
    "from .. import model",
])
def test_the_layer_checks_catch_a_service_reaching_up(tmp_path, line):
    """The checks themselves: a service module with one bad import (even a lazy one) is reported."""
    services = tmp_path / PACKAGE.name / "services"
    services.mkdir(parents=True)
    bad = services / "bad.py"
    bad.write_text(f"def later():\n    {line}\n", encoding="utf-8")
    root = tmp_path / PACKAGE.name
    assert service_reaches([bad], root), line
    if "workflow" in line:
        assert upward_imports([bad], root) == [
            "hotfix_tui.services.bad -> hotfix_tui.workflow (services imports workflow)"]


def test_exit_codes_are_made_only_in_cli():
    """'Exit codes leak down: EXIT_* is defined in four files; StepError(code=…) and
    ServiceError.exit_code carry CLI codes into the workflow and services.'"""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if str(rel) == "cli.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id.startswith("EXIT_"):
                offenders.append(f"{rel}:{node.lineno} {node.id}")
            elif isinstance(node, ast.keyword) and node.arg == "return_code":
                offenders.append(f"{rel}:{node.value.lineno} return_code=")
            elif isinstance(node, ast.FunctionDef) and node.name == "exit_code":
                offenders.append(f"{rel}:{node.lineno} def exit_code")
    assert offenders == []
    from hotfix_tui.cli import EXIT_CODES
    from hotfix_tui.services.errors import Ending

    assert set(EXIT_CODES) == set(Ending)  # every ending has its one code
