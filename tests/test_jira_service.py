"""JiraService with the real ``jira`` client over HTTP against the loopback Jira server."""

from __future__ import annotations

import datetime as _dt
import shlex
import sys

import pytest

from hotfix_tui.services.errors import Ending
from hotfix_tui.config import JiraConfig
from hotfix_tui.model import FollowUp
from hotfix_tui.render import RenderContext
from hotfix_tui.services.errors import FieldsRequiredError, ServiceError
from hotfix_tui.services.jira import IssueRef, JiraService
from hotfix_tui.store import DraftStore
from hotfix_tui.workflow.steps import followup_issues, hotfix_issue

from .conftest import EXAMPLE
from .servers.jira_server import DONE, IN_PROGRESS, TESTING, JiraServer

TOKEN = "jira-secret-Qx7v"
USER = "oncall@example.com"
TITLE = "[HOTFIX] MetalLB LoadBalancer IP 할당 실패"


@pytest.fixture
def server():
    with JiraServer(user=USER, token=TOKEN) as srv:
        yield srv


@pytest.fixture
def draft(tmp_path):
    d = DraftStore(tmp_path / "d").load(EXAMPLE).draft
    d.backlog.jira_key = d.backlog.jira_url = ""
    return d


def make(server, monkeypatch, *, token=TOKEN, **overrides) -> JiraService:
    monkeypatch.setenv("JIRA_API_TOKEN", token)
    settings = {"url": server.origin, "user": USER, "auth": "basic", "timeout": 5.0, **overrides}
    return JiraService(JiraConfig(**settings))


def render_ctx(jira: JiraService) -> RenderContext:
    return RenderContext(project_key=jira.cfg.project_key, jira_url=jira.cfg.url)


def create(jira: JiraService, draft, **kw):
    """§2's Bug as the workflow renders it, filed by the service."""
    return jira.create_issue(hotfix_issue(draft, render_ctx(jira)), **kw)


def create_followups(jira: JiraService, draft, on_created=None):
    hotfix_key, todo, issues = followup_issues(draft, render_ctx(jira))
    return jira.create_followups(hotfix_key, issues, on_created=on_created and (
        lambda i, ref: on_created(draft.followups[todo[i]], ref)))


def test_create_files_the_bug_with_every_field(server, monkeypatch, draft):
    jira = make(server, monkeypatch)
    ref = create(jira, draft)
    assert ref == IssueRef("TERRAFORM-15", f"{server.origin}/browse/TERRAFORM-15", reused=False)
    issue = server.issues["TERRAFORM-15"]
    assert issue["summary"] == TITLE
    assert issue["issuetype"] == "Bug"
    assert issue["priority"] == "Critical"
    assert issue["labels"] == ["hotfix", "metallb"]
    assert issue["components"] == ["metallb"]
    assert issue["description"].startswith("h2. 문제 상황\n")  # wiki markup, not Markdown
    assert "## " not in issue["description"]


def test_priority_follows_the_configured_mapping(server, monkeypatch, draft):
    jira = make(server, monkeypatch, priorities={"Critical": "Highest", "High": "High"})
    create(jira, draft)
    assert server.issues["TERRAFORM-15"]["priority"] == "Highest"


def test_create_twice_reuses_the_ticket(server, monkeypatch, draft):
    jira = make(server, monkeypatch)
    first = create(jira, draft)
    second = create(jira, draft)
    assert second.key == first.key and second.reused
    assert server.issues_with_summary(TITLE) == [first.key]
    assert len(server.calls("POST", "/rest/api/2/issue")) == 1


def test_create_that_times_out_after_the_server_created_it_yields_one_ticket(server, monkeypatch, draft):
    jira = make(server, monkeypatch, timeout=1.0)
    server.timeout_next_create(delay=3.0)
    ref = create(jira, draft)
    assert ref.key == "TERRAFORM-15" and ref.reused
    assert server.issues_with_summary(TITLE) == ["TERRAFORM-15"]
    assert len(server.calls("POST", "/rest/api/2/issue")) == 1


def test_retry_after_a_reported_timeout_finds_the_ticket(server, monkeypatch, draft):
    jira = make(server, monkeypatch, timeout=1.0)
    server.timeout_next_create(delay=3.0)
    server.fail_next("GET", "/search", 503, skip=1)  # the look after the timeout fails too
    with pytest.raises(ServiceError) as info:
        create(jira, draft)
    assert info.value.kind == "timeout" and info.value.retryable
    assert "retry" in str(info.value) and server.origin in str(info.value)
    ref = create(jira, draft)  # the user presses Retry
    assert ref.reused and server.issues_with_summary(TITLE) == [ref.key]
    assert len(server.issues) == 1


def test_an_old_ticket_with_the_same_summary_is_not_reused(server, monkeypatch, draft):
    old = server.add_issue(TITLE, created=_dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(days=3))
    jira = make(server, monkeypatch)
    ref = create(jira, draft)
    assert ref.key != old and not ref.reused


def test_move_by_target_status_and_fill_the_resolution(server, monkeypatch, draft):
    jira = make(server, monkeypatch)
    key = create(jira, draft).key
    first = jira.move(key, IN_PROGRESS)
    assert (first.transition, first.status, first.changed) == ("Start Progress", IN_PROGRESS, True)
    assert jira.move(key, TESTING).transition == "Ready for Test"
    done = jira.move(key, DONE)
    assert done.transition == "Resolve" and done.filled == {"resolution": "Done"}
    assert server.status_of(key) == DONE
    assert server.issues[key]["resolution"]["name"] == "Done"
    assert not jira.move(key, DONE).changed  # already there: success, no request
    transitions = server.calls("GET", f"/issue/{key}/transitions")
    assert all("transitions.fields" in r.param("expand") for r in transitions)


def test_move_to_a_status_no_transition_reaches(server, monkeypatch, draft):
    jira = make(server, monkeypatch)
    key = create(jira, draft).key
    with pytest.raises(ServiceError) as info:
        jira.move(key, "Closed")
    text = str(info.value)
    assert "no transition leads to 'Closed'" in text
    assert "Start Progress → 진행 중" in text and "[jira.statuses]" in text


def test_required_fields_that_cannot_be_guessed_are_asked_for(server, monkeypatch, draft):
    server.require_extra_field()
    jira = make(server, monkeypatch)
    key = create(jira, draft).key
    with pytest.raises(FieldsRequiredError) as info:
        jira.move(key, DONE)
    assert info.value.fields == [("customfield_10050", "Root Cause Category", ["Configuration", "Code"])]
    assert "Root Cause Category" in str(info.value)
    assert server.status_of(key) != DONE
    result = jira.move(key, DONE, fields={"root cause category": "Configuration"})
    assert result.filled == {"customfield_10050": "Configuration", "resolution": "Done"}
    assert server.status_of(key) == DONE
    with pytest.raises(ServiceError):
        jira.move(server.add_issue("other"), DONE, fields={"Root Cause Category": "Nope"})


def test_comment(server, monkeypatch, draft):
    jira = make(server, monkeypatch)
    key = create(jira, draft).key
    comment_id = jira.comment(key, "PR: [#1|http://example/pull/1]")
    assert server.comments[key][0]["id"] == comment_id
    assert server.comments[key][0]["body"] == "PR: [#1|http://example/pull/1]"


def test_followups_are_created_and_linked_once(server, monkeypatch, draft):
    jira = make(server, monkeypatch)
    draft.backlog.jira_key = create(jira, draft).key
    draft.followups.append(FollowUp(summary="IP 범위 할당 체크리스트 작성", kind="문서화"))
    seen = []
    refs = create_followups(jira, draft, on_created=lambda item, ref: seen.append((item.summary, ref.key)))
    assert [r.key for r in refs] == ["TERRAFORM-16", "TERRAFORM-17"]
    assert [s for s, _ in seen] == [f.summary for f in draft.followups]
    for ref in refs:
        issue = server.issues[ref.key]
        assert issue["issuetype"] == "Task" and issue["labels"] == ["hotfix-followup"]
        assert "TERRAFORM-15" in issue["description"]
    assert [(link["type"], link["inward"], link["outward"]) for link in server.links] == [
        ("Relates", "TERRAFORM-15", "TERRAFORM-16"), ("Relates", "TERRAFORM-15", "TERRAFORM-17")]
    assert jira.linked("TERRAFORM-16", "TERRAFORM-15")
    # A retry that lost the keys finds both tickets again and links nothing twice.
    again = create_followups(jira, draft)
    assert [r.key for r in again] == ["TERRAFORM-16", "TERRAFORM-17"] and all(r.reused for r in again)
    assert len(server.links) == 2 and len(server.issues) == 3


def test_followups_need_the_hotfix_key(server, monkeypatch, draft):
    with pytest.raises(ServiceError) as info:
        create_followups(make(server, monkeypatch), draft)
    assert "create the hotfix ticket first" in str(info.value)


def test_bearer_personal_access_token(server, monkeypatch, draft):
    jira = make(server, monkeypatch, user="", auth="auto")
    assert jira.cfg.auth_mode == "bearer"
    assert jira.whoami() == "On-call Engineer"
    assert server.requests[-1].headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("auth", ["basic", "bearer"])
def test_bad_token_is_a_401_naming_the_env_var(server, monkeypatch, draft, auth):
    jira = make(server, monkeypatch, token="wrong-token-Zz9", auth=auth)
    with pytest.raises(ServiceError) as info:
        create(jira, draft)
    text = str(info.value)
    assert "401" in text and "$JIRA_API_TOKEN" in text and server.origin in text
    assert "wrong-token-Zz9" not in text and TOKEN not in text
    assert info.value.kind == "auth" and info.value.ending is Ending.REFUSED
    assert "\n" not in text


def test_token_from_command_is_named_when_refused(server, monkeypatch, draft):
    monkeypatch.delenv("JIRA_API_TOKEN", raising=False)
    command = shlex.join([sys.executable, "-c", "print('from-command-Kk2')"])
    jira = JiraService(JiraConfig(url=server.origin, user=USER, auth="basic", token_command=command))
    with pytest.raises(ServiceError) as info:
        jira.whoami()
    assert "[jira] token_command" in str(info.value) and "from-command-Kk2" not in str(info.value)


def test_no_token_at_all(server, monkeypatch, draft):
    monkeypatch.delenv("JIRA_API_TOKEN", raising=False)
    jira = JiraService(JiraConfig(url=server.origin, user=USER))
    with pytest.raises(ServiceError) as info:
        create(jira, draft)
    assert "JIRA_API_TOKEN" in str(info.value) and info.value.ending is Ending.USAGE
    assert server.requests == []


def test_unknown_project_is_named(server, monkeypatch, draft):
    jira = make(server, monkeypatch, project_key="NOPE")
    with pytest.raises(ServiceError) as info:
        create(jira, draft)
    assert "NOPE" in str(info.value) and "project_key" in str(info.value)


def test_404_names_the_issue_and_project(server, monkeypatch):
    jira = make(server, monkeypatch)
    with pytest.raises(ServiceError) as info:
        jira.move("TERRAFORM-999", DONE)
    text = str(info.value)
    assert "404" in text and "TERRAFORM-999" in text and "TERRAFORM" in text
    assert info.value.kind == "not_found"


def test_wrong_base_url_is_a_404_pointing_at_the_url_setting(server, monkeypatch, draft):
    jira = make(server, monkeypatch, url=server.origin + "/jira")
    with pytest.raises(ServiceError) as info:
        create(jira, draft)
    assert "404" in str(info.value) and "[jira] url" in str(info.value)


def test_server_error(server, monkeypatch, draft):
    jira = make(server, monkeypatch)
    server.fail_next("POST", "/issue", 500)
    with pytest.raises(ServiceError) as info:
        create(jira, draft)
    assert "HTTP 500" in str(info.value) and info.value.retryable and info.value.ending is Ending.REFUSED
    assert create(jira, draft).key == "TERRAFORM-15"  # retry works, nothing was made twice
    assert len(server.issues) == 1


def test_connection_refused(monkeypatch, draft):
    with JiraServer() as gone:
        url = gone.origin
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)
    jira = JiraService(JiraConfig(url=url, user=USER, timeout=2.0))
    with pytest.raises(ServiceError) as info:
        create(jira, draft)
    text = str(info.value)
    assert "connection refused" in text and url in text and "manual path" in text
    assert info.value.kind == "unreachable" and info.value.ending is Ending.USAGE


def test_no_jira_configured(draft):
    jira = JiraService(JiraConfig(url=""))
    assert not jira.configured
    with pytest.raises(ServiceError) as info:
        create(jira, draft)
    assert "[jira] url" in str(info.value) and "manual path" in str(info.value)


def test_dry_run_makes_no_request_and_needs_no_token(server, monkeypatch, draft):
    monkeypatch.delenv("JIRA_API_TOKEN", raising=False)
    jira = JiraService(JiraConfig(url=server.origin, user=USER))
    lines = create(jira, draft, dry_run=True)
    assert lines[0].startswith(f"GET {server.origin}/rest/api/2/search jql=project = \"TERRAFORM\" AND labels")
    assert lines[1].startswith(f"POST {server.origin}/rest/api/2/issue ")
    assert TITLE in lines[1]
    assert len(jira.move("TERRAFORM-15", DONE, dry_run=True)) == 3
    assert server.requests == []


def test_cloud_sites_use_the_new_search_endpoint(monkeypatch, draft):
    with JiraServer(user=USER, token=TOKEN, deployment="Cloud") as srv:
        jira = make(srv, monkeypatch)
        first = create(jira, draft)
        assert create(jira, draft).key == first.key
        assert srv.calls("GET", "/rest/api/2/search/jql")


def test_retry_after_fixing_the_token_uses_the_new_one(server, monkeypatch, draft):
    jira = make(server, monkeypatch, token="wrong-token-Zz9")
    with pytest.raises(ServiceError):
        create(jira, draft)
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)  # the engineer fixes the env var and retries
    assert create(jira, draft).key == "TERRAFORM-15"
