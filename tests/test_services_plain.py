"""Issue 11 items 3 and 6: services speak plain values; one module per system, one plumbing."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from hotfix_tui import config
from hotfix_tui.config import GithubConfig, JiraConfig
from hotfix_tui.services import github, jira
from hotfix_tui.services.checks import CheckService
from hotfix_tui.services.credentials import Credentials, HttpFailure, http_errors
from hotfix_tui.services.errors import AUTH, NOT_FOUND, ServiceError
from hotfix_tui.services.outcome import CheckOutcome

SERVICES = Path(jira.__file__).parent


def _annotations(cls) -> str:
    return " ".join(str(p.annotation) for _name, member in inspect.getmembers(cls, inspect.isfunction)
                    for p in inspect.signature(member).parameters.values())


def test_jira_takes_plain_values_not_a_draft():
    """"`services/jira.py` imports `render.artifacts` and takes a `Draft`" — no longer: its
    methods take strings and :class:`~hotfix_tui.services.jira.NewIssue`, the workflow renders."""
    text = _annotations(jira.JiraService)
    assert "Draft" not in text and "FollowUp" not in text and "RenderContext" not in text
    assert "NewIssue" in str(inspect.signature(jira.JiraService.create_issue).parameters["issue"].annotation)


def test_checks_return_plain_outcomes_not_a_check_run():
    """"`services/checks.py` returns a `model.CheckRun`" — no longer: the outcome is a services
    dataclass and the draft's record is made in ``workflow/checks.py``."""
    assert inspect.signature(CheckService.run_step).return_annotation == "CheckOutcome"
    assert not hasattr(CheckOutcome, "to_check_run")
    from hotfix_tui.workflow.checks import to_check_run

    assert "CheckRun" in str(inspect.signature(to_check_run).return_annotation)


def test_one_module_per_system():
    """"`services/checks.py` (terraform and kubectl, 705 lines), `post_slack` inside `github.py`,
    token resolution (a subprocess) inside `config.py`" — each system has its own module."""
    for name in ("terraform.py", "kubectl.py", "slack.py", "credentials.py", "outcome.py"):
        assert (SERVICES / name).is_file(), name
    assert not hasattr(github, "post_slack")
    assert not hasattr(config, "resolve_token") and "subprocess" not in Path(config.__file__).read_text()
    checks_text = (SERVICES / "checks.py").read_text()
    assert "def kubectl_get_all_argv" not in checks_text and "def fmt_argv" not in checks_text


def test_jira_and_github_share_one_credential_plumbing():
    """"Jira and GitHub each carry their own copy of token/credential/error plumbing" — both hold
    a :class:`Credentials` and map HTTP failures through :func:`http_errors`."""
    j = jira.JiraService(JiraConfig(url="https://jira.example.test"))
    g = github.GithubService(GithubConfig(repo="infra/platform"))
    assert isinstance(j.credentials, Credentials) and isinstance(g.credentials, Credentials)
    for cls in (jira.JiraService, github.GithubService):
        assert not {"_resolve_token", "_forget_credentials"} & set(vars(cls))


class _LibraryError(Exception):
    def __init__(self, status: int, text: str):
        super().__init__(text)
        self.status, self.text = status, text


def _read(exc: BaseException) -> HttpFailure:
    assert isinstance(exc, _LibraryError)
    return HttpFailure(exc.status, exc.text)


def test_http_errors_maps_statuses_and_forgets_a_rejected_token(monkeypatch):
    """The one mapping: a 401 names where the token came from and forgets it (a Retry reads it
    again), its server text is never shown; a 404 keeps the server's words."""
    monkeypatch.setenv("HOTFIX_TEST_TOKEN", "tok-123456")
    dropped = []
    creds = Credentials("jira", "[jira]", "https://jira.example.test", ["HOTFIX_TEST_TOKEN"], "",
                        on_forget=lambda: dropped.append(True))
    assert creds.token() == "tok-123456" and creds.hint() == "$HOTFIX_TEST_TOKEN"
    with pytest.raises(ServiceError) as caught:
        with http_errors(creds, _LibraryError, _read, timeout=5):
            raise _LibraryError(401, "Authorization: Bearer tok-123456")
    assert caught.value.kind == AUTH and "tok-123456" not in str(caught.value)
    assert "$HOTFIX_TEST_TOKEN" in caught.value.hint and dropped == [True] and creds.source == ""
    with pytest.raises(ServiceError) as caught:
        with http_errors(creds, _LibraryError, _read, timeout=5, what="issue X-1"):
            raise _LibraryError(404, "Issue does not exist")
    assert caught.value.kind == NOT_FOUND and "Issue does not exist" in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_token_given_to_the_app_is_kept_after_a_401():
    creds = Credentials("github", "[github]", "https://api.github.test", [], "", token="given-token")
    creds.forget()
    assert creds.token() == "given-token"
