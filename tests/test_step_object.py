"""A step is one object (issue 11, item 1): the CLI, the wizard's buttons, F8 and the palette use the same ``Step``s.

"A `Step` knows its command or request (built once, from config: the text to preview,
copy, dry-run and record), how to run it, what fact it establishes in the draft, and
whether that fact already holds. The CLI subcommands, the wizard's buttons and F8 "run
the next step" all use the same `Step`s; `plan_x`/`x` pairs and the CLI's duplicate
checks go."
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import inspect
from pathlib import Path
from types import SimpleNamespace

import pytest

from hotfix_tui import integrations_cli, model
from hotfix_tui.config import Config, JiraConfig, UiConfig
from hotfix_tui.model import Draft
from hotfix_tui.services.errors import ServiceError
from hotfix_tui.services.jira import MoveResult
from hotfix_tui.workflow import steps

PACKAGE = Path(steps.__file__).resolve().parents[1]


def test_no_plan_and_run_pairs_are_left():
    """"`plan_x`/`x` pairs … go": the module has one builder per step, no ``plan_*``."""
    names = [name for name, _ in inspect.getmembers(steps, inspect.isfunction)]
    assert not [n for n in names if n.startswith("plan_")]
    for step in steps.STEPS.values():
        assert isinstance(step, steps.Step) and callable(step.build) and callable(step.holds)


def test_every_cli_step_command_is_a_step_of_the_catalogue():
    """The CLI subcommands use the same Steps: each `hotfix jira|git|pr ACTION` is a Step's command."""
    commands = {step.command for step in steps.STEPS.values()}
    # `hotfix sync` replays queued steps; it is not a step itself.
    assert set(integrations_cli.HANDLERS) - {("sync", None)} == commands


def test_every_wizard_step_is_a_step_of_the_catalogue():
    """The wizard's buttons, F8 and the palette name Steps of the catalogue (REMOTE_STEPS)."""
    import importlib

    from hotfix_tui.widgets.step_panel import RemoteSteps

    named = []
    for phase in model.PHASES:
        module = importlib.import_module(f"hotfix_tui.screens.{phase}")
        for cls in vars(module).values():
            if isinstance(cls, type) and issubclass(cls, RemoteSteps) and cls.__module__ == module.__name__:
                named += [name for name, _key in cls.REMOTE_STEPS]
    assert named and set(named) <= set(steps.STEPS)
    # Every step with a fact to tick is on some screen.
    # The move to a literal status is the CLI's; the status post is the ctrl+o dialog's (every phase).
    assert set(steps.STEPS) - set(named) == {"jira_move", "status_post"}


def test_the_cli_checks_nothing_the_step_checks_again():
    """"the CLI's duplicate checks go": integrations_cli calls no precondition of the steps."""
    tree = ast.parse((PACKAGE / "integrations_cli.py").read_text(encoding="utf-8"))
    preconditions = {"need_key", "need_pr", "need", "check", "cleanup_confirmed", "refuse_placeholders",
                     "owned_branch", "todo_followups"}
    called = {node.attr for node in ast.walk(tree)
              if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "steps"}
    assert not called & preconditions, called & preconditions


def test_holds_is_the_fact_each_step_establishes():
    """Whether a step's fact already holds is the Step's own question (ticks and F8 read it)."""
    d = Draft(id="x")
    assert not any(step.holds(d) for name, step in steps.STEPS.items() if name != "jira_update"
                   and name != "followups")
    assert steps.STEPS["followups"].holds(d)  # nothing to file
    d.backlog.jira_key = "TERRAFORM-16"
    d.backlog.root_cause = "the cause"
    assert steps.STEPS["jira_create"].holds(d) and not steps.STEPS["jira_update"].holds(d)
    d.backlog.root_cause_sent = "the cause"
    assert steps.STEPS["jira_update"].holds(d)
    d.record_jira_move("testing", "Testing", model.now_iso())
    assert steps.STEPS["testing"].holds(d) and not steps.STEPS["done"].holds(d)
    d.commit.sha, d.pr.url, d.merge.merged_at = "abc", "https://github/pr/1", model.now_iso()
    assert all(steps.STEPS[n].holds(d) for n in ("commit", "pr_create", "merge", "review"))


def _jira_sc(record: list):
    config = dataclasses.replace(Config(), ui=UiConfig(language="en"),
                                 jira=dataclasses.replace(JiraConfig(), url="https://jira.example",
                                                          project_key="TERRAFORM"))

    class Jira:
        configured = True
        system = "jira"

        def move(self, key, status, dry_run=False, **values):
            record.append(("dry" if dry_run else "sent", key, status, values))
            if dry_run:
                return [f"POST {key} → {status} {values.get('worklog_default', '')}"]
            return MoveResult(key, status, "Done", changed=True)

    return steps.StepContext(SimpleNamespace(jira=Jira()), config)


def test_what_is_shown_is_what_is_sent_even_when_the_clock_moves(monkeypatch):
    """Built once: the Log Work the dry-run lines show is the value sent, though sent later."""
    record: list = []
    sc = _jira_sc(record)
    draft = Draft(id="tls")
    draft.backlog.summary = "Ingress TLS 인증서 만료"
    draft.backlog.jira_key = "TERRAFORM-16"
    start = dt.datetime(2026, 12, 4, 3, 0, tzinfo=dt.timezone.utc)
    draft.record_jira_move("in_progress", "In Progress", start.isoformat())
    clock = [start + dt.timedelta(minutes=90)]
    monkeypatch.setattr(model, "now", lambda: clock[0])

    prepared = steps.STEPS["done"].prepare(sc, draft)
    clock[0] += dt.timedelta(hours=5)  # the engineer answered a question meanwhile
    prepared.send(lambda _outcome: None)

    (dry, *_), (sent, *_) = record[0], record[1]
    assert (dry, sent) == ("dry", "sent")
    assert record[0][1:] == record[1][1:]  # same key, status and values
    assert record[1][3]["worklog_default"] == "1h 30m"
    assert "1h 30m" in prepared.lines[0]


def test_a_refusal_is_found_when_the_step_is_prepared_before_anything_is_sent():
    """Preconditions that need no server are checked once, when the step is prepared; the
    dry run refuses what the run would refuse."""
    record: list = []
    sc = _jira_sc(record)
    draft = Draft(id="x")  # no Jira key
    with pytest.raises(steps.StepError):
        steps.STEPS["done"].prepare(sc, draft)
    draft.backlog.jira_key = "../../evil?x=1#"
    with pytest.raises(ServiceError):
        steps.STEPS["in_progress"].prepare(sc, draft)
    assert record == []


def test_a_move_by_the_done_status_name_is_the_done_step_with_its_gate():
    """`hotfix jira move DRAFT Done` (the Jira name) is the same step as `done`: §7.2's gate too."""
    sc = _jira_sc([])
    done = sc.config.jira.statuses.done
    assert steps.move_step(sc, done).name == "done" and steps.move_step(sc, done).gate == "jira move done"
    assert steps.move_step(sc, "done").gate == "jira move done"
    other = steps.move_step(sc, "Blocked")
    assert other.name == "jira_move" and other.gate == "" and other.options == {"status": "Blocked"}
