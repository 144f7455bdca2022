"""Issue 8, rows 9, 11 and 17: what reaches Jira and GitHub is checked, what comes back is checked,
and a token command never outlives its time limit.

Real parts throughout: the real ``jira`` and PyGithub clients against the loopback servers
(tests/servers/, switched into their impostor modes for row 11), real git with a bare
origin, real processes for the token command.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hotfix_tui.services.errors import Ending
from hotfix_tui import cli, integrations_cli
from hotfix_tui.config import ConfigError, GithubConfig, JiraConfig
from hotfix_tui.services import credentials
from hotfix_tui.services.credentials import resolve_token
from hotfix_tui.services.errors import NOT_API, REFUSED, ServiceError, check_answer
from hotfix_tui.services.github import GithubService, check_number
from hotfix_tui.services.jira import JiraService, check_key
from hotfix_tui.store import DraftStore

from .conftest import EXAMPLE
from .servers.github_server import GithubServer, make_origin_and_clone
from .servers.jira_server import JiraServer, LoopbackServer, Request, Response

JIRA_TOKEN = "jira-SECRET-row11"
GITHUB_TOKEN = "ghp_SECRET_row11"
EVIL_KEY = "../../../../evil/path?x=1#"
HTML_MESSAGE = "the server answered with an HTML page: a login or proxy page?"

from hotfix_tui.config import load_config
from hotfix_tui.render import RenderContext
from hotfix_tui.services.checks import CheckService
from hotfix_tui.workflow.checklist import Facts
from hotfix_tui.workflow.validation import gates, record_override


@pytest.fixture
def world(tmp_path, monkeypatch):
    """Origin + clone, Jira and GitHub on loopback, a config file and the MetalLB draft
    with its ticket and PR recorded (the state `pr status`/`merge` and `jira move` need)."""
    bare, work = make_origin_and_clone(tmp_path / "git")
    jira = JiraServer(token=JIRA_TOKEN).start()
    github = GithubServer(bare, token=GITHUB_TOKEN).start()
    config_path = tmp_path / "config.toml"
    config_path.write_text(f"""
[jira]
url = "{jira.origin}"
user = "oncall@example.com"
timeout = 5

[github]
repo = "infra/platform"
base_url = "{github.base_url}"
reviewers = ["alice"]
timeout = 5

[git]
repo_dir = "{work}"
""", encoding="utf-8")
    monkeypatch.setenv("HOTFIX_TUI_CONFIG", str(config_path))
    monkeypatch.setenv("JIRA_API_TOKEN", JIRA_TOKEN)
    monkeypatch.setenv("GITHUB_TOKEN", GITHUB_TOKEN)
    store = DraftStore(tmp_path / "drafts")
    draft = store.load(EXAMPLE).draft
    draft.id = "metallb"
    draft.timeline = []
    key = jira.add_issue(draft.backlog.summary)
    draft.backlog.jira_key, draft.backlog.jira_url = key, f"{jira.origin}/browse/{key}"
    draft.pr.number, draft.pr.url = 1, f"{github.origin}/infra/platform/pull/1"
    loaded = store.create(draft)
    jira.requests.clear()
    yield argparse.Namespace(bare=bare, work=work, jira=jira, github=github, store=store, path=loaded.path,
                             config_path=config_path, tmp=tmp_path, key=key)
    for server in (jira, github):
        server.stop()


def hotfix(*argv: str) -> int:
    return cli.main(list(argv))


def edit_draft(world, change) -> bytes:
    loaded = world.store.load(world.path)
    change(loaded.draft)
    world.store.save(loaded)
    return world.path.read_bytes()


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err  # one line, no traceback
    return lines[0]


# -- row 9: keys and numbers are checked before any request ----------------------------------


@pytest.mark.parametrize("argv", [
    ("jira", "move", "metallb", "in_progress"),
    ("jira", "move", "metallb", "in_progress", "--dry-run"),
    ("jira", "followups", "metallb"),
    ("pr", "create", "metallb"),
])
def test_row9_a_key_that_is_a_path_is_refused_before_any_request(world, capsys, argv):
    """row 9: a Jira key `../../../../evil/path?x=1#` in a draft, then `hotfix jira move` (and
    every other command that sends the key) → exit 1, one line naming the project, no request."""
    before = edit_draft(world, lambda d: setattr(d.backlog, "jira_key", EVIL_KEY))
    assert hotfix(*argv) == 1
    line = one_line_error(capsys)
    assert "is not an issue key of project TERRAFORM" in line and "no request was made" in line
    assert repr(EVIL_KEY) in line
    assert world.jira.requests == [] and world.github.requests == []
    assert world.path.read_bytes() == before


@pytest.mark.parametrize("key", [
    EVIL_KEY, "OPS-12", "terraform-15", "TERRAFORM-15/../../x", "TERRAFORM-15\n", "TERRAFORM-0",
    "TERRAFORM-15?x=1", "TERRAFORM-", "",
])
def test_row9_the_jira_service_refuses_foreign_keys_at_its_door(world, key):
    """row 9: whatever the caller (CLI, wizard, a future step), the service sends no request
    for a key outside `^TERRAFORM-[1-9][0-9]*$`."""
    jira = JiraService(JiraConfig(url=world.jira.origin, project_key="TERRAFORM"), token=JIRA_TOKEN)
    for call in (lambda: jira.move(key, "진행 중"), lambda: jira.comment(key, "hello"),
                 lambda: jira.link(key, world.key), lambda: jira.link(world.key, key),
                 lambda: jira.linked(key, world.key)):
        with pytest.raises(ServiceError) as caught:
            call()
        assert caught.value.kind == REFUSED and caught.value.ending is Ending.REFUSED
    assert world.jira.requests == []
    assert check_key(world.key, "TERRAFORM") == world.key


def test_row9_dry_run_lines_quote_the_key_as_one_path_segment(world):
    """row 9: path segments are quoted where request lines are built by hand."""
    jira = JiraService(JiraConfig(url=world.jira.origin, project_key="TERRAFORM"))
    lines = jira.move("A/../b?c#", "진행 중", dry_run=True) + jira.comment("A/../b?c#", "x", dry_run=True)
    assert all("A%2F..%2Fb%3Fc%23" in line and "/../" not in line for line in lines)


@pytest.mark.parametrize("number", [-3, 0, True, "1", "../1", 1.5])
def test_row9_the_github_service_refuses_a_pr_number_that_is_not_positive(world, number):
    """row 9: a PR number must be a positive whole number; nothing is sent otherwise."""
    github = GithubService(GithubConfig(repo="infra/platform", base_url=world.github.base_url), token=GITHUB_TOKEN)
    for call in (lambda: github.review_status(number), lambda: github.merge(number), lambda: github.pull(number)):
        with pytest.raises(ServiceError) as caught:
            call()
        assert caught.value.kind == REFUSED and "not a pull request number" in str(caught.value)
    assert world.github.requests == []
    assert check_number(7) == 7


@pytest.mark.parametrize("argv", [("pr", "status", "metallb"), ("pr", "merge", "metallb"),
                                  ("pr", "merge", "metallb", "--dry-run")])
def test_row9_a_negative_pr_number_in_the_draft_is_refused(world, capsys, argv):
    """row 9: `pr.number = -3` in a draft → exit 1, one line, no request."""
    before = edit_draft(world, lambda d: setattr(d.pr, "number", -3))
    assert hotfix(*argv) == 1
    assert "-3 is not a pull request number" in one_line_error(capsys)
    assert world.github.requests == [] and world.path.read_bytes() == before


class KeyForger(LoopbackServer):
    """A "Jira" that files the ticket but answers with a key that is a path."""

    def __init__(self, real: JiraServer):
        super().__init__()
        self.real = real

    def handle(self, request: Request) -> Response:
        if request.method == "POST" and request.path == "/rest/api/2/issue":
            return Response(201, {"id": "1", "key": EVIL_KEY, "self": "x"})
        return self.real.handle(request)


def test_row9_a_key_the_server_answers_is_checked_before_it_is_stored(world, capsys):
    """row 9: the key a create answers goes into the draft and later paths: it is checked too."""
    before = edit_draft(world, lambda d: (setattr(d.backlog, "jira_key", ""), setattr(d.backlog, "jira_url", "")))
    with KeyForger(world.jira) as forger:
        text = world.config_path.read_text().replace(world.jira.origin, forger.origin)
        world.config_path.write_text(text)
        world.jira.requests.clear()
        assert hotfix("jira", "create", "metallb") == 1
    line = one_line_error(capsys)
    assert "is not an issue key of project TERRAFORM" in line and "not what the Jira API returns" in line
    assert world.path.read_bytes() == before


# -- row 11: an answer that is not the API's JSON is an error, and nothing is read from it -----


IMPOSTOR_COMMANDS = [
    ("pr", "status", "metallb"),
    ("pr", "merge", "metallb"),
    ("pr", "merge", "metallb", "--self-merge", "{key}"),
    ("pr", "create", "metallb"),
    ("jira", "create", "metallb"),
    ("jira", "move", "metallb", "in_progress"),
]
IMPOSTOR_IDS = ["pr status", "pr merge", "pr merge --self-merge", "pr create", "jira create", "jira move"]


def _impostor_world(world, mode: str, argv: tuple[str, ...]) -> tuple[bytes, str]:
    """The draft as the command needs it, both servers in ``mode``; (draft bytes, system)."""
    if argv[:2] == ("jira", "create"):
        edit_draft(world, lambda d: (setattr(d.backlog, "jira_key", ""), setattr(d.backlog, "jira_url", "")))
    if argv[:2] == ("pr", "create"):
        def no_pr_yet(d):
            d.pr.number, d.pr.url = 0, ""
            # The earlier phases' gates were passed with a reason (in the wizard, say), so
            # the command gets as far as GitHub and nothing new is written to the draft.
            tree = CheckService(load_config()).tree_fingerprint()  # as the command will see the files
            for phase in ("fix", "verify"):
                found = gates(d, RenderContext(), [phase], Facts(tree=tree))
                if found:
                    record_override(d, phase, found, "checks run by hand", "ko")

        edit_draft(world, no_pr_yet)
    world.jira.impersonate(mode)
    world.github.impersonate(mode)
    return world.path.read_bytes(), "Jira" if argv[0] == "jira" else "GitHub"


@pytest.mark.parametrize("mode", ["html", "sso"])
@pytest.mark.parametrize("argv", IMPOSTOR_COMMANDS, ids=IMPOSTOR_IDS)
def test_row11_an_html_login_page_is_an_error_not_data(world, capsys, mode, argv):
    """row 11: Jira/GitHub URL answering 200 with an HTML page (SSO login), or redirecting to one:
    `pr status`, `pr merge`, `pr create`, `jira create`, `jira move` exit 1 with one line
    naming the server and saying it is an HTML page; the draft is unchanged (before: "pending",
    "closed without being merged", a TypeError)."""
    argv = tuple(a.format(key=world.key) for a in argv)
    before, system = _impostor_world(world, mode, argv)
    assert hotfix(*argv) == 1
    line = one_line_error(capsys)
    assert HTML_MESSAGE in line
    origin = world.jira.origin if system == "Jira" else world.github.base_url
    assert line.startswith(f"hotfix: {system} ({origin}):")
    assert "pending" not in line and "closed without being merged" not in line
    assert world.path.read_bytes() == before


@pytest.mark.parametrize("argv", IMPOSTOR_COMMANDS, ids=IMPOSTOR_IDS)
def test_row11_json_of_another_shape_is_an_error_not_data(world, capsys, argv):
    """row 11 (item 7): JSON that is not what the API returns for the request (a portal, the
    wrong URL) → exit 1, one line naming the server and the request; the draft is unchanged."""
    argv = tuple(a.format(key=world.key) for a in argv)
    before, system = _impostor_world(world, "json", argv)
    assert hotfix(*argv) == 1
    line = one_line_error(capsys)
    assert f"is not what the {system} API returns" in line and "the wrong URL, or a proxy?" in line
    assert world.path.read_bytes() == before


def test_row11_through_the_hotfix_command(world):
    """row 11: the real `hotfix` entry point: exit 1, one line on stderr, nothing on stdout."""
    world.github.impersonate("html")
    before = world.path.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-m", "hotfix_tui", "pr", "status", "metallb"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stdout == "" and HTML_MESSAGE in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert world.path.read_bytes() == before


def test_row11_services_raise_not_api_and_the_real_api_still_works(world):
    """row 11: the checks refuse impostors only: the same calls pass once the server is the API."""
    jira = JiraService(JiraConfig(url=world.jira.origin, user="oncall@example.com"), token=JIRA_TOKEN)
    github = GithubService(GithubConfig(repo="infra/platform", base_url=world.github.base_url), token=GITHUB_TOKEN)
    for mode in ("html", "json"):
        world.jira.impersonate(mode)
        world.github.impersonate(mode)
        for call in (jira.whoami, lambda: jira.move(world.key, "진행 중"), github.whoami,
                     lambda: github.review_status(1)):
            with pytest.raises(ServiceError) as caught:
                call()
            assert caught.value.kind == NOT_API and caught.value.ending is Ending.REFUSED
        jira._client_obj = github._gh = github._repo_obj = None
    world.jira.impersonate(None)
    world.github.impersonate(None)
    assert jira.whoami() == "On-call Engineer" and github.whoami() == "oncall"
    assert jira.move(world.key, "진행 중").changed


@pytest.mark.parametrize(("content_type", "body", "shape", "expected"), [
    ("text/html; charset=utf-8", "<p>hi</p>", None, "an HTML page"),
    ("application/json", "<!DOCTYPE html><html></html>", None, "an HTML page"),  # mislabelled
    ("text/plain", "ok", None, "text/plain that is not JSON"),
    ("application/json", "", (dict, {"key": (str,)}), "an empty answer"),
    ("application/json", "null", (dict, {}), "expected an object, got null"),
    ("application/json", '{"number": true}', (dict, {"number": (int,)}), "'number' is true/false, not a number"),
    ("application/json", '{"head": []}', (dict, {"head.ref": (str,)}), "no 'head.ref'"),
])
def test_row11_what_counts_as_not_the_api(content_type, body, shape, expected):
    """row 11: the one check both clients use, on the answers a proxy or portal gives."""
    with pytest.raises(ServiceError) as caught:
        check_answer("jira", "https://jira.example.com", "GET /x", content_type=content_type, body=body, shape=shape)
    assert expected in str(caught.value) and caught.value.kind == NOT_API
    check_answer("jira", "https://jira.example.com", "POST /x", content_type="", body="", shape=None)  # a 204


def test_row9_a_head_branch_that_is_a_path_is_not_deleted(world):
    """row 9: the head branch GitHub names goes into a DELETE path: a path-like one is refused."""
    github = GithubService(GithubConfig(repo="infra/platform", base_url=world.github.base_url), token=GITHUB_TOKEN)
    for branch in ("../../../../evil", "hotfix/x?y=1", "a//b", "hotfix/\x1b]0;x"):
        with pytest.raises(ServiceError, match="not a plain branch name"):
            github.delete_branch(branch)
    assert world.github.requests == []


# -- row 17: a token command that hangs leaves nothing behind ----------------------------------


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for PID 1 to reap it has stopped running)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _wait_gone(pid: int, limit: float = 10.0) -> bool:
    # The group was signalled before resolve_token returned; the kernel may take a moment to
    # tear the process down. This is a bound on a condition, not a timed assertion.
    deadline = time.monotonic() + limit
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not _alive(pid)


@pytest.mark.parametrize("ignore_term", [False, True], ids=["sleep", "sleep-ignoring-TERM"])
def test_row17_a_hanging_token_command_leaves_no_child_behind(tmp_path, monkeypatch, ignore_term):
    """row 17: `token_command` that hangs → after the limit the whole process group is stopped
    (SIGTERM, then SIGKILL after the grace): its child `sleep` does not survive under PID 1."""
    monkeypatch.setattr(credentials, "TOKEN_COMMAND_TIMEOUT", 0.5)
    monkeypatch.setattr(credentials, "TOKEN_COMMAND_GRACE", 0.3)
    pids = tmp_path / "pids"
    trap = "trap '' TERM; " if ignore_term else ""
    script = f"{trap}sleep 300 & echo $$ $! > {pids}; sleep 300"
    with pytest.raises(ConfigError, match="did not finish within 0.5 s"):
        resolve_token("", f"sh -c {script!r}")
    leader, child = (int(p) for p in pids.read_text().split())
    assert _wait_gone(child), f"the token command's child {child} survived"
    assert _wait_gone(leader)


def test_row17_the_limit_is_a_parameter_and_a_fast_command_still_works(tmp_path):
    """row 17: `timeout=` overrides the 10 s default; a command that answers in time is unaffected."""
    with pytest.raises(ConfigError, match="within 0.2 s"):
        resolve_token("", "sleep 30", timeout=0.2)
    assert resolve_token("", "echo tok-123", timeout=5) == "tok-123"


def test_row17_through_the_jira_service(world, monkeypatch, tmp_path):
    """row 17: the service turns the timeout into one message (exit 2), the child is gone."""
    monkeypatch.setattr(credentials, "TOKEN_COMMAND_TIMEOUT", 0.5)
    monkeypatch.setattr(credentials, "TOKEN_COMMAND_GRACE", 0.3)
    monkeypatch.delenv("JIRA_API_TOKEN")
    pids = tmp_path / "pids"
    command = f"sh -c 'sleep 300 & echo $! > {pids}; wait'"
    jira = JiraService(JiraConfig(url=world.jira.origin, token_command=command))
    with pytest.raises(ServiceError) as caught:
        jira.whoami()
    assert "did not finish within 0.5 s" in str(caught.value) and caught.value.ending is Ending.USAGE
    assert _wait_gone(int(pids.read_text()))
    assert world.jira.requests == []


# -- the wizard runs the same steps: it shows the same one line and sends nothing -------------


async def test_row9_the_wizard_refuses_a_key_that_is_a_path(world, drafts_dir):
    """row 9 in the wizard: the "in progress" step (jira move) with a key that is a path shows
    the refusal in the step log; no request reaches Jira."""
    from .ui.test_integrations_ui import log_text, settle, wizard
    from .ui.test_metallb_walk import press_button

    edit_draft(world, lambda d: (setattr(d.backlog, "jira_key", EVIL_KEY), setattr(d, "phase", "branch")))
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_button(pilot, "step-in-progress")
        await settle(pilot)
        log = log_text(app)
        assert "is not an issue key of project TERRAFORM" in log and "no request was made" in log
        assert app.screen.query_one("#step-panel").has_class("-failed")
    assert world.jira.requests == []


async def test_row11_the_wizard_shows_the_html_page_message(world, drafts_dir):
    """row 11 in the wizard: the review step against an SSO page shows the HTML message, not
    "pending"; nothing is stored."""
    from .ui.test_integrations_ui import log_text, settle, wizard
    from .ui.test_metallb_walk import press_button

    edit_draft(world, lambda d: setattr(d, "phase", "merge"))
    world.github.impersonate("html")
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        before = (app.loaded.draft.merge, len(app.loaded.draft.timeline))
        await press_button(pilot, "step-review")
        await settle(pilot)
        log = log_text(app)
        assert HTML_MESSAGE in log and "pending" not in log
        assert (app.loaded.draft.merge, len(app.loaded.draft.timeline)) == before
