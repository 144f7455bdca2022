"""First contact: the README's two commands work on a jump host, CI runs the same test line,
and every link resolves in a standalone clone (issue 10, item 10)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CI = ROOT / ".ci" / "run"


def _setup_commands() -> list[str]:
    """The README's opening code block: the set-up commands, one a line."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"\A# [^\n]+\n\n```sh\n(.*?)\n```\n", text, re.S)
    assert match, "the README opens with its title, then one ```sh block"
    return match.group(1).splitlines()


def test_the_readme_opens_with_two_commands_that_install_into_a_venv_not_the_system():
    """Issue 10 item 10: "The README's first command fails on a stock Debian/Ubuntu Python
    (`externally-managed-environment`, PEP 668)" — neither command runs pip on the system
    interpreter: each makes a virtual environment and uses that environment's pip."""
    commands = _setup_commands()
    assert len(commands) == 2, commands
    for command in commands:
        steps = [shlex.split(step) for step in command.split("&&")]
        assert steps[0] == ["python3", "-m", "venv", ".venv"], command
        for words in steps[1:]:
            assert words[0].startswith(".venv/bin/"), command  # never python3/pip of the system
        assert not re.search(r"(?<![/\w])(pip3?|python3? -m pip) install", command), command
    install, test = commands
    assert install.endswith("&& .venv/bin/hotfix")  # installs, then opens the app
    assert test.endswith("&& .venv/bin/python -m pytest")  # self-contained: makes its own venv


def test_ci_runs_the_readmes_test_command_verbatim():
    """`.ci/run` runs exactly the README's second command (one line, the same bytes)."""
    lines = CI.read_text(encoding="utf-8").splitlines()
    marker = lines.index("# The README's second command, verbatim.")
    ran = [line for line in lines[marker + 1:] if line and not line.startswith(("set ", "#"))][0]
    assert ran == _setup_commands()[1]


def test_every_relative_link_in_the_readme_resolves_inside_the_repository():
    """The README's link to the workflow document pointed at ../shared, outside a clone: every
    relative link (and every path in `code` that names a document) now resolves in the repo."""
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert "docs/hotfix-workflow.ko.md" in links
    for target in links:
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a URL or an anchor in the page
        path = (ROOT / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT) and path.exists(), target
    assert "../" not in text  # nothing points outside the repository
    for span in re.findall(r"`([^`\n]+\.md)`", text):
        assert (ROOT / span).exists(), span
