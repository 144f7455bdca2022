"""`hotfix jira comment DRAFT rca` (issue 13, item 4): the RCA posted to the ticket in wiki markup, as a fact.

"`hotfix jira comment DRAFT rca` posts the RCA (wiki markup) to the ticket." It is one more
`Step` of the catalogue: the same text for `--dry-run`, the Post screen's button and the
request; when and which text was posted are facts in the draft.
"""

from __future__ import annotations

import hashlib
import json

from hotfix_tui.cli import main
from hotfix_tui.config import load_config
from hotfix_tui.services import Services
from hotfix_tui.workflow import steps

from .test_integrations_cli import EXAMPLE, draft_of, world  # noqa: F401  (world is a fixture)
from .test_placeholders import _edit


def hotfix(*argv: str) -> int:
    return main(list(argv))


def _with_the_example_timeline(world) -> None:
    """The world's draft starts with an empty timeline: give the RCA the example's."""
    _edit(world, timeline=world.store.load(EXAMPLE).draft.timeline)


def test_the_rca_goes_to_the_ticket_as_wiki_markup_once_per_text(world, capsys):
    assert hotfix("jira", "create", "metallb") == 0
    _with_the_example_timeline(world)
    capsys.readouterr()
    assert hotfix("jira", "comment", "metallb", "rca", "--dry-run") == 0
    planned = capsys.readouterr().out
    assert planned.startswith("POST ") and "/issue/TERRAFORM-15/comment" in planned
    assert world.jira.comments["TERRAFORM-15"] == []

    assert hotfix("jira", "comment", "metallb", "rca") == 0
    (comment,) = world.jira.comments["TERRAFORM-15"]
    body = comment["body"]
    assert body.startswith("h2. ") and "##" not in body  # wiki markup, not Markdown
    # The dry run showed exactly the text that was sent.
    assert json.loads(planned.split(" ", 2)[2])["body"] == body
    d = draft_of(world)
    assert d.rca.commented_at and d.rca.commented_sha256 == hashlib.sha256(body.encode()).hexdigest()
    assert d.timeline[-1].text == "JIRA TERRAFORM-15에 RCA 코멘트 등록"
    assert "h3. 타임라인\n\n* 14:30: 문제 최초 발견" in body and "# 네트워크 설정 문서화" in body
    sc = steps.StepContext(Services.from_config(load_config()), load_config())
    assert steps.STEPS["rca_comment"].holds(d)
    assert steps.rca_text(sc, d) == body


def test_no_ticket_or_an_unfilled_rca_is_refused_before_any_request(world, capsys):
    assert hotfix("jira", "comment", "metallb", "rca") == 1
    assert "no Jira key yet" in capsys.readouterr().err
    assert hotfix("jira", "create", "metallb") == 0
    _with_the_example_timeline(world)
    _edit(world, rca__process_improvement="")
    capsys.readouterr()
    assert hotfix("jira", "comment", "metallb", "rca", "--dry-run") == 1
    err = capsys.readouterr().err
    assert "the RCA would still hold template placeholders" in err and "rca.process_improvement" in err
    assert world.jira.comments["TERRAFORM-15"] == [] and not draft_of(world).rca.commented_at
