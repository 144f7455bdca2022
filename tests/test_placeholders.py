"""No placeholder leaves the app: Jira create, commit, push and PR create refuse while their text holds
a ``{…}`` template slot; ``render --strict`` and ``validate`` name the empty fields; a root
cause not known yet goes to Jira as "under analysis" and is sent once it is written.

Real parts: the loopback Jira and GitHub servers, a real git origin and clone, the CLI.
"""

from __future__ import annotations

import pytest

from hotfix_tui.cli import main as cli_main
from hotfix_tui.model import Draft
from hotfix_tui.render import RenderContext, placeholders, render
from hotfix_tui.store import DraftStore

from .conftest import EXAMPLE
from .servers.github_server import git
from .test_integrations_cli import _fix, draft_of, hotfix, world  # noqa: F401 - the fixture

BULLET = ("The commit that reached git history holds `JIRA: {백로그 링크}`; `hotfix render` exits 0 on a "
          "draft full of `{…}` placeholders.")

# These tests are about other refusals: the earlier phases' gates are passed with a reason.
GATE_REASON = ("--reason", "gate passed in this test")


def _edit(world, **changes) -> None:
    loaded = world.store.load(world.path)
    if "phase" in changes:
        loaded.draft.phase = changes.pop("phase")
    for path, value in changes.items():
        obj = loaded.draft
        *parents, last = path.split("__")
        for name in parents:
            obj = getattr(obj, name)
        setattr(obj, last, value)
    world.store.save(loaded)


def _no_jira_url(world) -> None:
    """The config without [jira] (Jira done by hand): links come only from the draft."""
    path = world.config_dir / "config.toml"
    text = path.read_text()
    start = text.index("[jira]")
    path.write_text(text[:start] + text[text.index("[github]"):])


# -- render --strict, validate --------------------------------------------------------------


def test_render_strict_exits_1_and_names_the_empty_fields(tmp_path, capsys):
    """`hotfix render` exits 0 on a draft full of `{…}` placeholders."""
    store = DraftStore(tmp_path / "drafts")
    path = store.create(Draft(id="empty")).path
    assert cli_main(["render", str(path), "commit"]) == 0  # without --strict: the template, as before
    capsys.readouterr()
    assert cli_main(["render", str(path), "commit", "--strict"]) == 1
    captured = capsys.readouterr()
    assert captured.out.endswith("JIRA: {백로그 링크}\n")  # the text is still printed
    for field in ("commit.problem", "commit.fix", "commit.tests", "backlog.jira_key", "backlog.jira_url"):
        assert field in captured.err
    assert cli_main(["render", str(EXAMPLE), "commit", "--strict"]) == 0
    assert cli_main(["render", str(EXAMPLE), "pr-body", "--strict"]) == 0


def test_validate_lists_the_placeholder_of_a_commit_without_a_ticket_link(tmp_path, capsys):
    """The commit that reached git history holds `JIRA: {백로그 링크}`: `validate` lists it first."""
    store = DraftStore(tmp_path / "drafts")
    draft = store.load(EXAMPLE).draft
    draft.backlog.jira_url = ""
    path = store.create(draft).path
    assert cli_main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "error: [commit] backlog.jira_url:" in out and "{…}" in out
    assert "[pr] backlog.jira_url:" in out


def test_placeholders_are_the_fields_the_renderer_left_as_slots_not_braces_in_the_text():
    """Detection is structural: typed braces are the user's text, an empty field is a slot."""
    ctx = RenderContext()
    d = Draft()
    d.commit.problem = "값이 {그대로} 들어갑니다"
    assert "commit.problem" not in placeholders(d, "commit", ctx)
    assert "commit.fix" in placeholders(d, "commit", ctx)
    # A root cause not known yet is not a missing field of the ticket (§2.2 "분석 후 업데이트").
    assert "backlog.root_cause" not in placeholders(d, "jira-description", ctx)


def test_the_seed_template_still_renders_byte_for_byte_and_sends_under_analysis():
    """The seed's §2.2 template is what an empty draft renders; sent, the pending cause reads 분석 중."""
    ctx = RenderContext()
    text = render(Draft(), "jira-description", ctx)
    assert "## 근본 원인 (분석 후 업데이트)\n{원인 분석 내용}\n" in text
    from dataclasses import replace

    sent = render(Draft(), "jira-description", replace(ctx, sending=True))
    assert "## 근본 원인 (분석 후 업데이트)\n분석 중\n" in sent
    sent_en = render(Draft(), "jira-description", replace(ctx, language="en", sending=True))
    assert "## Root cause (update after analysis)\nunder analysis\n" in sent_en


# -- the steps refuse ------------------------------------------------------------------------


def test_commit_and_push_refuse_a_message_with_the_backlog_link_slot(world, capsys):
    """The commit that reached git history holds `JIRA: {백로그 링크}`."""
    _no_jira_url(world)
    _edit(world, backlog__jira_key="TERRAFORM-15", backlog__jira_url="")
    assert hotfix("git", "branch", "metallb") == 0
    _fix(world.work)
    head = git(world.work, "rev-parse", "HEAD")
    capsys.readouterr()
    assert hotfix("git", "commit", "metallb", *GATE_REASON) == 1
    err = capsys.readouterr().err
    assert "backlog.jira_url" in err
    assert git(world.work, "rev-parse", "HEAD") == head  # nothing reached git history
    assert hotfix("git", "push", "metallb", *GATE_REASON) == 1
    assert "backlog.jira_url" in capsys.readouterr().err
    assert not git(world.bare, "branch", "--list", "hotfix/*")
    # With the link typed, the same commit goes through and its message holds the link.
    _edit(world, backlog__jira_url="https://jira.example.test/browse/TERRAFORM-15")
    assert hotfix("git", "commit", "metallb", *GATE_REASON) == 0
    message = git(world.work, "log", "-1", "--format=%B")
    assert "JIRA: https://jira.example.test/browse/TERRAFORM-15" in message and "{" not in message


def test_jira_create_refuses_a_ticket_with_empty_template_fields(world, capsys):
    """`hotfix render` exits 0 on a draft full of `{…}` placeholders — and Jira create sent them."""
    _edit(world, backlog__rollback_plan="", backlog__impact="")
    assert hotfix("jira", "create", "metallb") == 1
    err = capsys.readouterr().err
    assert "backlog.impact" in err and "backlog.rollback_plan" in err
    assert world.jira.issues == {}


def test_pr_create_refuses_a_body_with_the_root_cause_slot(world, capsys):
    """No `{…}` placeholder leaves the app in a PR body."""
    assert hotfix("jira", "create", "metallb") == 0
    assert hotfix("git", "branch", "metallb") == 0
    _fix(world.work)
    assert hotfix("git", "commit", "metallb", *GATE_REASON) == 0
    assert hotfix("git", "push", "metallb", *GATE_REASON) == 0
    _edit(world, backlog__root_cause="", pr__root_cause="")
    capsys.readouterr()
    assert hotfix("pr", "create", "metallb", *GATE_REASON) == 1
    assert "pr.root_cause" in capsys.readouterr().err
    assert world.github.pulls == {}


def test_ticket_made_before_the_cause_is_known_says_under_analysis_then_is_updated(world, capsys):
    """What the seed allows to be unknown is not a placeholder: the Bug is created with
    `## 근본 원인 (분석 후 업데이트)` and "분석 중", and updated once the cause is written."""
    cause = "MetalLB IP 풀 범위가 DHCP 범위와 겹침"
    _edit(world, backlog__root_cause="")
    assert hotfix("jira", "create", "metallb") == 0
    description = world.jira.issues["TERRAFORM-15"]["description"]
    assert "h2. 근본 원인 (분석 후 업데이트)\n\n분석 중\n" in description
    assert "{" not in description
    assert draft_of(world).backlog.root_cause_sent == ""

    _edit(world, backlog__root_cause=cause)
    capsys.readouterr()
    assert hotfix("jira", "update", "metallb", "--dry-run") == 0
    assert "PUT " in capsys.readouterr().out and world.jira.edits == []
    assert hotfix("jira", "update", "metallb") == 0
    description = world.jira.issues["TERRAFORM-15"]["description"]
    assert f"h2. 근본 원인\n\n{cause}\n" in description and "분석 중" not in description
    d = draft_of(world)
    assert d.backlog.root_cause_sent == cause
    assert d.timeline[-1].text == "JIRA TERRAFORM-15 설명 업데이트 (근본 원인)"


@pytest.mark.parametrize("language, line", [("en", "under analysis")])
def test_english_ticket_says_under_analysis(world, language, line):
    """The "under analysis" line follows [ui] language."""
    path = world.config_dir / "config.toml"
    path.write_text(path.read_text() + f'\n[ui]\nlanguage = "{language}"\n')
    _edit(world, backlog__root_cause="")
    assert hotfix("jira", "create", "metallb") == 0
    assert f"h2. Root cause (update after analysis)\n\n{line}\n" in world.jira.issues["TERRAFORM-15"]["description"]


# -- the wizard ------------------------------------------------------------------------------


async def test_wizard_refuses_naming_the_field_then_updates_the_ticket_with_the_cause(world, drafts_dir):
    """The commit that reached git history holds `JIRA: {백로그 링크}` — in the wizard the step is
    refused with the empty field named; and the ticket made before the cause is known is
    updated from the Backlog screen (F8) once the cause is typed."""
    from hotfix_tui.config import load_config
    from hotfix_tui.services import Services

    from .ui.helpers import make_app
    from .ui.test_integrations_ui import f8, log_text

    _edit(world, backlog__root_cause="", backlog__rollback_plan="", phase="backlog")
    config = load_config()
    app = make_app(drafts_dir, config=config, services=Services.from_config(config), draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        draft = app.loaded.draft
        await f8(pilot)  # Jira create: refused, the empty field named, nothing sent
        assert "backlog.rollback_plan" in log_text(app)
        assert world.jira.issues == {}
        draft.backlog.rollback_plan = "Terraform state 백업 후 이전 설정으로 복구"
        await f8(pilot)
        assert draft.backlog.jira_key == "TERRAFORM-15"
        assert "분석 중" in world.jira.issues["TERRAFORM-15"]["description"]
        assert app.screen.next_remote_step() is None  # nothing due while the cause is unknown
        draft.backlog.root_cause = "MetalLB IP 풀이 DHCP 범위와 겹침"
        assert app.screen.next_remote_step() == "jira_update"
        await f8(pilot)
        assert "MetalLB IP 풀이 DHCP 범위와 겹침" in world.jira.issues["TERRAFORM-15"]["description"]
        assert draft.backlog.root_cause_sent == draft.backlog.root_cause
        assert app.screen.next_remote_step() is None
