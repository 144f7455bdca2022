"""The command line is parsed without the step commands' modules unless it names one of
them (issue 12: those imports were a tenth of the time to the wizard's first frame), and
the result is the same either way."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from hotfix_tui import cli


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(action.choices)


def test_the_commands_left_out_are_exactly_those_with_parsers_of_their_own():
    every = _commands(cli._build_parser())
    short = _commands(cli._build_parser(every_command=False))
    assert every - short == set(cli.OWN_PARSERS)
    assert set(cli.OWN_PARSERS) <= set(cli.COMMANDS)


@pytest.mark.parametrize("argv", [
    [], ["open", "metallb"], ["open", "TERRAFORM-15", "--fetch"], ["--config", "c.toml", "open", "x"],
    ["--debug"], ["list"], ["new", "--summary", "MetalLB 풀 충돌"], ["render", "d", "jira-description", "--format", "jira"],
    ["export", "d", "--format", "json", "-o", "out.json"], ["validate", "d"], ["stats", "--since", "2025-10-01"],
])
def test_a_command_line_naming_no_step_command_parses_as_with_every_command(argv):
    assert cli.parse_args(argv) == cli._build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", [["jira", "create", "d"], ["check", "d"], ["sync"], ["handoff", "d"],
                                  ["--config", "c.toml", "pr", "create", "d", "--dry-run"]])
def test_a_step_command_is_parsed_with_its_own_parser(argv):
    assert cli.parse_args(argv) == cli._build_parser().parse_args(argv)
    assert cli.parse_args(argv).command == next(word for word in argv if word in cli.OWN_PARSERS)


def test_a_wrong_command_is_told_with_every_command_named(capsys):
    """The short parser never words an error: "invalid choice" lists every command."""
    with pytest.raises(SystemExit) as ended:
        cli.parse_args(["frobnicate"])
    assert ended.value.code == 2
    said = capsys.readouterr().err
    assert "frobnicate" in said and "jira" in said and "handoff" in said and "open" in said


def test_opening_the_wizard_does_not_import_the_step_commands():
    code = ("import sys; from hotfix_tui.cli import parse_args; parse_args(['open', 'x']); parse_args([]);"
            "print(sorted(m for m in ('hotfix_tui.checks_cli', 'hotfix_tui.integrations_cli',"
            " 'hotfix_tui.handoff_cli', 'hotfix_tui.services.checks') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
