"""The Jira steps of a hotfix (§2 ticket, §3.2/§4.4/§7.2 transitions, §8.2 follow-ups) via ``jira``.

Three lessons shape this module:

- A create that timed out may still have created the ticket. Every create first
  searches (project, label, summary, created in the last day) and reuses what it finds,
  and a create that times out searches once more before reporting the timeout, so a
  retry never files a second ticket.
- Transitions are chosen by the *status they lead to* (config ``[jira.statuses]``),
  never by their name: "Start Progress" leads to "진행 중". Their screens may require
  fields (a resolution when resolving), read with ``expand=transitions.fields``; a
  resolution, the assignee (the authenticated user) and Log Work (a default the caller
  passes) are filled automatically, anything else is asked for
  (:class:`FieldsRequiredError`) instead of failing obscurely. Log Work and a comment
  go as ``update`` operations (Jira ignores or refuses them as fields) and are read back
  from the issue afterwards, with the assignee.
- Tokens come from :class:`~.credentials.Credentials` at the first request, are registered for
  redaction, and never appear in a message: ``JIRAError``'s own text includes the
  request headers, so it is never shown or chained.
- Nothing untrusted reaches a URL or the draft unchecked: an issue key must be one of
  the configured project (:func:`check_key`, before any request; a draft is text anyone
  can edit), and every answer passes :func:`~.errors.check_answer` in a response hook
  on the client's session before the library reads it, so a login page answering 200
  is an error instead of an empty ticket.

The ``jira`` library is imported when the first request is made.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from typing import TYPE_CHECKING, Any, ContextManager

from .credentials import Credentials, HttpFailure, http_errors
from .errors import (
    CONFIG,
    REFUSED,
    SERVER,
    TIMEOUT,
    FieldsRequiredError,
    MovedMeanwhile,
    ServiceError,
    Shape,
    check_answer,
    one_line,
    shape_error,
)

if TYPE_CHECKING:
    from ..config import Config, JiraConfig

HOTFIX_LABEL = "hotfix"
FOLLOWUP_LABEL = "hotfix-followup"
RELATES = "Relates"
# How far back a ticket with the same summary counts as "the one a retry already made".
REUSE_WINDOW = _dt.timedelta(days=1)
# Resolution names tried in order when a transition screen requires one.
PREFERRED_RESOLUTIONS = ("Done", "Fixed", "완료", "해결됨", "수정됨")
_JQL_TEXT_SPECIALS = re.compile(r'[+\-&|!(){}\[\]^"~*?:\\/]')
API_PATH = "/rest/api/2/"
# Where an attachment's bytes are served (Server/Data Center, and the REST form): a file,
# not an API answer, so the JSON check of the session's hook does not apply to it.
_CONTENT_PATHS = re.compile(r"/secure/attachment/[0-9]+/[^/]*\Z|/rest/api/[23]/attachment/content/[0-9]+\Z")

# What each request the steps make returns (method, path under /rest/api/2/, shape);
# any other answer only has to be JSON. Checked before the library reads the answer.
_ISSUE_FIELDS: dict[str, tuple[type | None, ...]] = {
    "key": (str,), "fields": (dict,),
    "fields.status": (dict, None), "fields.status.name": (str, None),
    "fields.summary": (str, None), "fields.issuelinks": (list, None),
}
ANSWER_SHAPES: list[tuple[str, re.Pattern[str], Shape]] = [
    ("GET", re.compile(r"serverInfo"), (dict, {"versionNumbers": (list,)})),
    ("GET", re.compile(r"myself"), (dict, {})),
    ("GET", re.compile(r"search(/jql)?"), (dict, {"issues": (list,)})),
    ("POST", re.compile(r"search(/jql)?"), (dict, {"issues": (list,)})),
    ("POST", re.compile(r"issue"), (dict, {"key": (str,), "id": (str,)})),
    ("GET", re.compile(r"issue/[^/]+"), (dict, _ISSUE_FIELDS)),
    ("GET", re.compile(r"issue/[^/]+/transitions"), (dict, {"transitions": (list,)})),
    ("POST", re.compile(r"issue/[^/]+/comment"), (dict, {"id": (str,)})),
    ("GET", re.compile(r"issue/[^/]+/worklog"), (dict, {"worklogs": (list,)})),
    ("POST", re.compile(r"issue/[^/]+/attachments"), (list, {})),
    ("GET", re.compile(r"issueLinkType"), (dict, {"issueLinkTypes": (list,)})),
    ("GET", re.compile(r"field"), (list, {})),
]


def key_pattern(project_key: str) -> re.Pattern[str]:
    """An issue key of ``project_key``: ``PROJECT-<number>``, nothing before or after."""
    # \Z, not $: "$" also matches before a final newline.
    return re.compile(rf"^{re.escape(project_key)}-[1-9][0-9]*\Z")


def check_key(key: object, project_key: str) -> str:
    """``key`` when it is an issue key of ``project_key``; otherwise a refusal, before any request.

    A key goes into request paths (``issue/<key>``): one like ``../../evil?x=1#`` would
    send the token somewhere else. The key is shown with ``repr`` so control characters
    in it stay visible.
    """
    if isinstance(key, str) and key_pattern(project_key).match(key):
        return key
    raise ServiceError(
        "jira", f"{key!r} is not an issue key of project {project_key} ({project_key}-<number>)",
        kind=REFUSED, hint="fix the Jira key in the draft (backlog.jira_key), or [jira] project_key "
        "if the project is another one; no request was made",
    )


def _segment(text: str) -> str:
    """``text`` as one URL path segment (for the request lines shown by ``--dry-run``)."""
    return urllib.parse.quote(text, safe="")


def answer_shape(method: str, path: str) -> Shape | None:
    """The shape of the answer to ``method path`` (path under ``/rest/api/2/``), if known."""
    for want, pattern, shape in ANSWER_SHAPES:
        if want == method and pattern.fullmatch(path):
            return shape
    return None


@dataclass(frozen=True)
class IssueRef:
    """A ticket as the draft stores it; ``reused`` when it already existed."""

    key: str
    url: str
    reused: bool = False


@dataclass(frozen=True)
class NewIssue:
    """A ticket to file, as plain text (the workflow renders it from the draft)."""

    summary: str
    description: str  # Jira wiki markup
    labels: list[str] = field(default_factory=list)
    severity: str = ""  # mapped to a priority by [jira.priorities]; "" = no priority
    components: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Attachment:
    """A file attached to an issue, as Jira lists it (plain values; ``content_url`` serves its bytes)."""

    id: str
    filename: str
    created: str  # Jira's time text, e.g. 2026-12-04T16:20:00.000+0000
    size: int
    content_url: str


@dataclass(frozen=True)
class MoveResult:
    key: str
    status: str  # the status the ticket is in now
    transition: str  # the transition used; "" when it was already there
    changed: bool
    filled: dict[str, str] = field(default_factory=dict)  # field key -> value set on the screen
    # what the transition was to set but the issue does not show afterwards (one line each)
    unverified: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TransitionPlan:
    """What a move sends besides the transition: typed values and the worklog's default."""

    given: dict[str, str]  # field key or display name -> value, as typed
    worklog_default: str = ""  # a Jira duration ("1h 25m"), sent when the screen requires Log Work
    worklog_started: str = ""  # ISO time the work started ("" = now)
    worklog_basis: str = ""  # where the default comes from, shown before it is sent


class JiraService:
    """One Jira site and project, as configured in ``[jira]``."""

    system = "jira"

    def __init__(
        self,
        config: JiraConfig,
        *,
        token: str | None = None,
        max_retries: int = 0,
    ):
        # max_retries=0: the library's own retry sleeps up to a minute per attempt,
        # inside a worker the user is waiting on; the UI offers "Retry" instead.
        self.cfg = config
        self.credentials = Credentials(
            "jira", "[jira]", config.url, [config.token_env], config.token_command, token=token,
            default_env="JIRA_API_TOKEN", missing="no API token is available", on_forget=self._drop_client,
        )
        self.max_retries = max_retries
        self._client_obj: Any = None

    @classmethod
    def from_config(cls, config: Config) -> JiraService:
        return cls(config.jira)

    @property
    def configured(self) -> bool:
        """False when ``[jira] url`` is empty: the UI offers only the manual path."""
        return bool(self.cfg.url)

    @property
    def api(self) -> str:
        return f"{self.cfg.url}/rest/api/2"

    def browse_url(self, key: str) -> str:
        return self.cfg.browse_url(key)

    def check_key(self, key: object) -> str:
        """``key`` if it is an issue key of the configured project; else a refusal (no request)."""
        return check_key(key, self.cfg.project_key)

    def _answered_key(self, key: object, request: str) -> str:
        """A key the server gave back: it goes into the draft and into later request paths."""
        if isinstance(key, str) and key_pattern(self.cfg.project_key).match(key):
            return key
        raise shape_error("jira", self.cfg.url, request,
                          f"the key {key!r} is not an issue key of project {self.cfg.project_key}")

    # -- connection --------------------------------------------------------------------

    def token_hint(self) -> str:
        """Where the token comes from (never the token), for "check ..." messages."""
        source = self.credentials.hint()
        if self.cfg.auth_mode == "basic":
            return f"{source} (basic auth as {self.cfg.user}: an API token for that account)"
        return f"{source} (bearer: a personal access token)"

    def _drop_client(self) -> None:
        self._client_obj = None

    def _client(self) -> Any:
        if self._client_obj is not None:
            return self._client_obj
        if not self.cfg.url:
            raise ServiceError(
                "jira", "no Jira site is configured ([jira] url is empty)", kind=CONFIG,
                hint="set [jira] url, or copy the ticket text and type the key back (manual path)",
            )
        from jira import JIRA

        kwargs: dict[str, Any] = {
            "server": self.cfg.url,
            "timeout": self.cfg.timeout,
            "max_retries": self.max_retries,
            "options": {"check_update": False},
        }
        # Masked from here on in every message, in every encoding it travels in: a proxy
        # that echoes the Authorization header shows base64("user:token"), not the token.
        if self.cfg.auth_mode == "basic":
            kwargs["basic_auth"] = self.credentials.basic_auth(self.cfg.user)
        else:
            kwargs["token_auth"] = self.credentials.token()
        with self._call(what="the Jira REST API", not_found_hint="check [jira] url: the site's base URL, without /rest"):
            # No request in the constructor: the answer check goes on the session first,
            # then the server info the library would have fetched is fetched through it.
            client = JIRA(**kwargs, get_server_info=False)
            client._session.hooks["response"].append(self._check_answer)
            info = client.server_info()
            client._version = tuple(info["versionNumbers"])
            client.deploymentType = info.get("deploymentType")
        self._client_obj = client
        return client

    def _check_answer(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        """The session's response hook: a 2xx answer must be the JSON this request returns.

        Error statuses are left to the library (they become :func:`~.credentials.http_errors` messages).
        """
        if not 200 <= response.status_code < 300:
            return response
        method = (response.request.method or "GET").upper()
        path = urllib.parse.urlsplit(response.request.url).path
        if method == "GET" and _CONTENT_PATHS.search(path):
            return response  # a file's bytes (streamed, size-capped by download())
        sub = path.split(API_PATH, 1)[1] if API_PATH in path else ""
        check_answer(
            "jira", self.cfg.url, f"{method} {path}",
            content_type=response.headers.get("Content-Type", ""), body=response.text,
            shape=answer_shape(method, sub) if sub else None,
        )
        return response

    def _call(self, *, what: str = "", not_found_hint: str = "", refused_hint: str = "") -> ContextManager[None]:
        """Turn the library's and requests' exceptions into one-line ServiceErrors."""
        from jira.exceptions import JIRAError

        return http_errors(
            self.credentials, JIRAError, _jira_failure, timeout=self.cfg.timeout, what=what,
            not_found_hint=not_found_hint, refused_hint=refused_hint, quiet_statuses=(401, 403),
            plain_without_status=True,
        )

    def whoami(self) -> str:
        """Check the connection and the token; the account's display name."""
        client = self._client()
        with self._call(what="the current user"):
            me = client.myself()
        return str(me.get("displayName") or me.get("name") or me.get("accountId") or "")

    # -- §2 the hotfix ticket -----------------------------------------------------------------

    def issue_fields(self, issue: NewIssue, issue_type: str = "") -> dict[str, Any]:
        """The create request's fields (shown by ``--dry-run``); ``issue_type`` "" = ``[jira] issue_type``."""
        fields: dict[str, Any] = {
            "project": {"key": self.cfg.project_key},
            "issuetype": {"name": issue_type or self.cfg.issue_type},
            "summary": issue.summary,
            "description": issue.description,
            "labels": _labels(issue.labels),
        }
        if issue.severity:
            fields["priority"] = {"name": self.cfg.priority_for(issue.severity)}
        components = [c.strip() for c in issue.components if c.strip()]
        if components:
            fields["components"] = [{"name": c} for c in components]
        return fields

    def create_issue(self, issue: NewIssue, *, dry_run: bool = False) -> IssueRef | list[str]:
        """§2: file the Bug, or reuse the one a timed-out attempt already filed."""
        fields = self.issue_fields(issue)
        label = HOTFIX_LABEL if HOTFIX_LABEL in fields["labels"] else ""
        return self._create(fields, label, dry_run=dry_run)

    def _create(self, fields: dict[str, Any], label: str, *, dry_run: bool) -> IssueRef | list[str]:
        summary = fields["summary"]
        if dry_run:
            return [
                # The JQL unencoded: the line is for a person to read.
                f"GET {self.api}/search jql={self.reuse_jql(summary, label)}"
                "  (reuse a ticket with this summary from the last day)",
                f"POST {self.api}/issue {json.dumps({'fields': fields}, ensure_ascii=False)}",
            ]
        existing = self.find_recent(summary, label)
        if existing:
            return existing
        client = self._client()
        refused = (f"check [jira] project_key = {self.cfg.project_key}, issue_type = {self.cfg.issue_type},"
                   " [jira.priorities] and the components exist in that project")
        try:
            with self._call(what=f"project {self.cfg.project_key}", refused_hint=refused,
                            not_found_hint=f"check [jira] project_key = {self.cfg.project_key}"):
                issue = client.create_issue(fields=fields, prefetch=False)
        except ServiceError as err:
            if err.kind not in (TIMEOUT, SERVER):
                raise
            # The request may have reached Jira before the answer was lost: look again.
            with contextlib.suppress(ServiceError):
                existing = self.find_recent(summary, label)
                if existing:
                    return existing
            raise
        key = self._answered_key(issue.key, f"POST {API_PATH}issue")
        return IssueRef(key, self.browse_url(key))

    def reuse_jql(self, summary: str, label: str = HOTFIX_LABEL) -> str:
        clauses = [f"project = {_jql_string(self.cfg.project_key)}"]
        if label:
            clauses.append(f"labels = {_jql_string(label)}")
        # Text search chokes on Lucene operators ("[HOTFIX]", "-"): search the words and
        # compare the exact summary afterwards.
        words = " ".join(_JQL_TEXT_SPECIALS.sub(" ", summary).split())
        if words:
            clauses.append(f"summary ~ {_jql_string(words)}")
        clauses.append("created >= -1d")
        return " AND ".join(clauses) + " ORDER BY created DESC"

    def find_recent(self, summary: str, label: str = HOTFIX_LABEL) -> IssueRef | None:
        """A ticket in the project with exactly this summary, created in the last day."""
        client = self._client()
        with self._call(what=f"project {self.cfg.project_key}",
                        not_found_hint=f"check [jira] project_key = {self.cfg.project_key}",
                        refused_hint=f"check [jira] project_key = {self.cfg.project_key}"):
            found = client.search_issues(
                self.reuse_jql(summary, label), maxResults=20, fields="summary,created", json_result=True
            )
        want = one_line(summary)
        now = _dt.datetime.now(_dt.timezone.utc)
        for issue in found.get("issues", []):
            f = (issue.get("fields") if isinstance(issue, dict) else None) or {}
            if not isinstance(f, dict) or one_line(str(f.get("summary") or "")) != want:
                continue
            created = _parse_jira_time(str(f.get("created") or ""))
            if created is not None and now - created > REUSE_WINDOW:
                continue
            key = self._answered_key(issue.get("key"), f"GET {API_PATH}search")
            return IssueRef(key, self.browse_url(key), reused=True)
        return None

    # -- transitions ------------------------------------------------------------------------

    def move(
        self,
        key: str,
        target_status: str,
        *,
        fields: dict[str, str] | None = None,
        dry_run: bool = False,
        worklog_default: str = "",
        worklog_started: str = "",
        worklog_basis: str = "",
        expect_from: str = "",
    ) -> MoveResult | list[str]:
        """Move ``key`` to the status named ``target_status`` by whichever transition leads there.

        ``fields`` fills a transition screen's fields by key or display name (values
        are matched against the allowed values). Already being in the status is success.

        Jira takes a worklog ("Log Work") and a comment only as ``update`` operations, so
        they go there, never in ``fields``. What a required field gets when ``fields``
        has no value for it: a resolution from :data:`PREFERRED_RESOLUTIONS`, the
        authenticated user as assignee, and ``worklog_default`` (a Jira duration such as
        ``1h 25m``, started at ``worklog_started``, an ISO time; ``worklog_basis`` says
        where it came from, for the dry-run lines). After the transition the worklog,
        assignee and comment are read back; what is not on the issue is in
        :attr:`MoveResult.unverified`.

        ``expect_from`` (a queued move: the status the ticket had when it was queued): in
        any other status but the target, nothing is sent and :class:`MovedMeanwhile` says so.
        """
        plan = TransitionPlan(fields or {}, worklog_default, worklog_started, worklog_basis)
        if dry_run:
            lines = self._move_lines(key, target_status, plan)
            if expect_from:
                lines[0] += f"  (must still be '{expect_from}', as when the move was queued)"
            return lines
        self.check_key(key)
        client = self._client()
        not_found = f"check the key {key} (project {self.cfg.project_key})"
        with self._call(what=f"issue {key}", not_found_hint=not_found):
            issue = client.issue(key, fields="status")
        current = ((issue.raw.get("fields") or {}).get("status") or {}).get("name", "")
        if _same(current, target_status):
            return MoveResult(key, current, "", False)
        if expect_from and not _same(current, expect_from):
            raise MovedMeanwhile(key, expect_from, current, target_status, self.cfg.url)
        with self._call(what=f"issue {key}", not_found_hint=not_found):
            transitions = [t for t in client.transitions(key, expand="transitions.fields") if isinstance(t, dict)]
        chosen = _pick_transition(transitions, target_status)
        if chosen is None:
            options = ", ".join(f"{t.get('name')} → {(t.get('to') or {}).get('name')}" for t in transitions)
            raise ServiceError(
                "jira", f"{key} is in '{current}' and no transition leads to '{target_status}'",
                server=self.cfg.url,
                hint=f"available: {options or 'none'}; check [jira.statuses] (status names, not transition names)",
            )
        body, filled, sent = self._fill(key, chosen, plan)
        with self._call(what=f"issue {key}", not_found_hint=not_found,
                        refused_hint="a field on the transition screen was refused: check the values"):
            # Not client.transition_issue: it cannot send a worklog's start time.
            client._session.post(client._get_url(f"issue/{key}/transitions"), data=json.dumps(body))
        unverified = self._verify(key, sent) if sent else []
        return MoveResult(key, (chosen.get("to") or {}).get("name", target_status), chosen.get("name", ""), True,
                          filled, unverified)

    def _move_lines(self, key: str, target_status: str, plan: TransitionPlan) -> list[str]:
        """The requests of :meth:`move` and the values it would send, for ``--dry-run`` and the wizard.

        Which fields the screen has is only known from the transitions request, so each
        value is shown with the condition under which it is sent.
        """
        seg = _segment(key)
        lines = [
            f"GET {self.api}/issue/{seg}?fields=status",
            f"GET {self.api}/issue/{seg}/transitions?expand=transitions.fields",
            f"POST {self.api}/issue/{seg}/transitions  (the transition leading to '{target_status}'; "
            "a required resolution, and assignee (you, GET /myself), filled automatically; "
            "what it sets is read back afterwards)",
        ]
        typed_worklog = any(_names_worklog(name) for name in plan.given)
        if plan.worklog_default and not typed_worklog:
            basis = f" ({plan.worklog_basis})" if plan.worklog_basis else ""
            lines.append(f"  Log Work = {plan.worklog_default}{basis}  (worklog add, if the screen requires Log Work)")
        for name, value in plan.given.items():
            how = "  (worklog add)" if _names_worklog(name) else "  (comment add)" if _names_comment(name) else ""
            lines.append(f"  {one_line(name)} = {one_line(value)}{how}")
        return lines

    def _fill(self, key: str, transition: dict, plan: TransitionPlan) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
        """The transition request's body, what it fills (field key → value) and what to check afterwards.

        Given values, then automatic ones for required fields (resolution, assignee,
        worklog); anything else required is a :class:`FieldsRequiredError`. A given name
        that is not on the screen is refused (it would be dropped silently), except a
        comment: Jira takes a comment with any transition.
        """
        given = dict(plan.given)
        given_cf = {k.casefold(): k for k in given}
        payload: dict[str, Any] = {}
        update: dict[str, list[dict[str, Any]]] = {}
        filled: dict[str, str] = {}
        sent: dict[str, Any] = {}
        missing: list[tuple[str, str, list[str]]] = []
        screen = transition.get("fields") or {}
        for fkey, meta in screen.items():
            if not isinstance(meta, dict):
                continue
            name = meta.get("name") or fkey
            allowed = meta.get("allowedValues") or []
            schema = meta.get("schema") or {}
            role = _role(fkey, schema)
            typed = given_cf.get(fkey.casefold()) or given_cf.get(name.casefold())
            if typed is None and role == "worklog":
                typed = next((k for k in given if _names_worklog(k)), None)
            value = given.pop(typed) if typed is not None else None
            if typed is not None:
                given_cf.pop(typed.casefold(), None)
            required = bool(meta.get("required")) and not meta.get("hasDefaultValue")
            if role == "worklog":
                if value is None and required and plan.worklog_default:
                    value = plan.worklog_default
                if value is not None:
                    spent = _duration(value, name)
                    update[fkey] = [{"add": {"timeSpent": spent, "started": _jira_started(plan.worklog_started)}}]
                    filled[fkey] = spent
                    sent["worklog"] = (spent, plan.worklog_started)
                    continue
            elif role == "comment":
                if value is not None and value.strip():
                    update[fkey] = [{"add": {"body": value}}]
                    filled[fkey] = value
                    sent["comment"] = value
                    continue
            elif value is not None:
                payload[fkey], filled[fkey] = self._field_value(key, fkey, name, meta, value)
                if role == "assignee":
                    sent["assignee"] = payload[fkey]
                continue
            elif required and role == "assignee":
                payload[fkey] = self._me()
                filled[fkey] = _user_label(payload[fkey])
                sent["assignee"] = payload[fkey]
                continue
            elif required and role == "resolution":
                choice = _preferred(allowed)
                if choice is not None:
                    payload[fkey] = {"id": str(choice["id"])} if "id" in choice else {"name": _label(choice)}
                    filled[fkey] = _label(choice)
                    continue
            if required:
                missing.append((fkey, name, [_label(a) for a in allowed]))
        for typed, value in given.items():
            if _names_comment(typed) and value.strip():
                update["comment"] = [{"add": {"body": value}}]
                filled["comment"] = value
                sent["comment"] = value
                continue
            names = ", ".join(str((m or {}).get("name") or k) for k, m in screen.items()) or "none"
            raise ServiceError(
                "jira", f"'{typed}' is not a field of the '{transition.get('name', '')}' screen of {key}",
                server=self.cfg.url, kind=REFUSED,
                hint=f"fields on that screen: {names}; nothing was sent",
            )
        if missing:
            raise FieldsRequiredError(self.cfg.url, key, transition.get("name", ""), missing)
        body: dict[str, Any] = {"transition": {"id": str(transition["id"])}}
        if payload:
            body["fields"] = payload
        if update:
            body["update"] = update
        return body, filled, sent

    def _me(self) -> dict[str, str]:
        """The authenticated user as a user field's value: by account id on Cloud, by name elsewhere."""
        client = self._client()
        with self._call(what="the current user"):
            me = client.myself()
        if getattr(client, "_is_cloud", False):
            account = str(me.get("accountId") or "")
            if account:
                return {"accountId": account}
        name = str(me.get("name") or me.get("key") or "")
        if not name:
            raise shape_error("jira", self.cfg.url, f"GET {API_PATH}myself", "the answer names no user")
        return {"name": name}

    def _verify(self, key: str, sent: dict[str, Any]) -> list[str]:
        """What the transition was to set but the issue does not show: one line each.

        Jira may accept a transition and drop a worklog (a time-tracking setting, a
        listener): the move is done, so this is reported rather than raised, and so is a
        read-back that failed (the move must still be recorded).
        """
        client = self._client()
        problems: list[str] = []
        if "worklog" in sent:
            spent, started = sent["worklog"]
            want = _parse_iso(started) if started else None
            want = want.replace(microsecond=0) if want else None
            try:
                with self._call(what=f"the worklogs of {key}"):
                    answer = client._get_json(f"issue/{key}/worklog")
            except ServiceError as err:
                problems.append(f"could not check the worklog {spent} on {key}: {one_line(str(err))}")
            else:
                logs = [w for w in (answer.get("worklogs") or []) if isinstance(w, dict)]
                if not any((want is None or _parse_jira_time(str(w.get("started") or "")) == want)
                           and _seconds(str(w.get("timeSpent") or "")) == _seconds(spent) for w in logs):
                    problems.append(f"the worklog {spent} is not on {key}: Jira accepted the transition but "
                                    "did not record it; log the work on the ticket by hand")
        if "assignee" in sent or "comment" in sent:
            try:
                with self._call(what=f"issue {key}"):
                    issue = client.issue(key, fields="assignee,comment")
            except ServiceError as err:
                problems.append(f"could not check the assignee and comment of {key}: {one_line(str(err))}")
                return problems
            fields = issue.raw.get("fields") or {}
            if "assignee" in sent:
                want_user = sent["assignee"]
                have = fields.get("assignee") or {}
                if not (isinstance(have, dict) and any(have.get(k) == v for k, v in want_user.items())):
                    problems.append(f"{key} is not assigned to {_user_label(want_user)} after the transition; "
                                    "assign it by hand")
            if "comment" in sent:
                comments = (fields.get("comment") or {}).get("comments") or []
                body = sent["comment"].strip()
                if not any(isinstance(c, dict) and str(c.get("body") or "").strip() == body for c in comments):
                    problems.append(f"the comment is not on {key} after the transition; add it by hand")
        return problems

    def _field_value(self, key: str, fkey: str, name: str, meta: dict, value: str) -> tuple[Any, str]:
        allowed = meta.get("allowedValues") or []
        if allowed:
            for option in allowed:
                if any(_same(str(option.get(k, "")), value) for k in ("name", "value", "id")):
                    return ({"id": str(option["id"])} if "id" in option else {"name": _label(option)}), _label(option)
            raise ServiceError(
                "jira", f"'{value}' is not allowed for {name} on {key}", server=self.cfg.url,
                hint="allowed: " + ", ".join(_label(a) for a in allowed),
            )
        kind = (meta.get("schema") or {}).get("type", "string")
        if kind == "number":
            try:
                return float(value), value
            except ValueError:
                raise ServiceError("jira", f"{name} must be a number, not '{value}'", server=self.cfg.url) from None
        if kind == "array":
            return [v.strip() for v in value.split(",") if v.strip()], value
        if kind == "user":
            client = self._client()
            return ({"accountId": value} if getattr(client, "_is_cloud", False) else {"name": value}), value
        if kind in ("priority", "resolution", "version", "component"):
            return {"name": value}, value
        return value, value

    # -- comments and follow-ups ------------------------------------------------------------

    def update_description(self, key: str, description: str, *, dry_run: bool = False) -> str | list[str]:
        """Replace ``key``'s description (wiki markup), e.g. once §2.2's root cause is known.

        Returns the key; with ``dry_run`` the request line. The answer is checked by
        reading the description back, so a silently ignored edit is not reported done.
        """
        body = {"fields": {"description": description}}
        if dry_run:
            return [f"PUT {self.api}/issue/{_segment(key)} {json.dumps(body, ensure_ascii=False)}"]
        self.check_key(key)
        client = self._client()
        with self._call(what=f"issue {key}", not_found_hint=f"check the key {key}",
                        refused_hint="the account may not edit this issue's description"):
            client._session.put(f"{self.api}/issue/{_segment(key)}", data=json.dumps(body))
            issue = client.issue(key, fields="description")
        now = str(getattr(issue.fields, "description", "") or "")
        if now.replace("\r\n", "\n").strip() != description.replace("\r\n", "\n").strip():
            raise ServiceError("jira", f"{key}'s description did not change", server=self.cfg.url, kind=REFUSED,
                               hint="the issue screen may not allow editing the description")
        return key

    def comment(self, key: str, text: str, *, dry_run: bool = False) -> str | list[str]:
        """Add a comment (wiki markup) to ``key``; returns the comment's id."""
        if dry_run:
            return [f"POST {self.api}/issue/{_segment(key)}/comment {json.dumps({'body': text}, ensure_ascii=False)}"]
        self.check_key(key)
        client = self._client()
        with self._call(what=f"issue {key}", not_found_hint=f"check the key {key}"):
            created = client.add_comment(key, text)
        return str(getattr(created, "id", ""))

    # -- attachments (hand-off) ----------------------------------------------------------------

    def attach(self, key: str, filename: str, data: bytes, *, dry_run: bool = False) -> str | list[str]:
        """Attach ``data`` as ``filename`` to ``key``; returns the attachment's id.

        ``POST issue/KEY/attachments`` as multipart with ``X-Atlassian-Token: no-check``
        (Jira refuses an upload without it as a cross-site request), via the library's
        ``add_attachment``.
        """
        if dry_run:
            return [f"POST {self.api}/issue/{_segment(key)}/attachments  (X-Atlassian-Token: no-check; "
                    f"multipart file={filename!r}, {len(data)} bytes)"]
        self.check_key(key)
        client = self._client()
        with self._call(what=f"issue {key}", not_found_hint=f"check the key {key}",
                        refused_hint="the account may not attach files to this issue, or attachments are off"):
            created = client.add_attachment(key, attachment=io.BytesIO(data), filename=filename)
        return str(getattr(created, "id", ""))

    def attachments(self, key: str) -> list[Attachment]:
        """The files attached to ``key``, as the server lists them (entries of another shape are skipped)."""
        self.check_key(key)
        client = self._client()
        with self._call(what=f"issue {key}", not_found_hint=f"check the key {key}"):
            issue = client.issue(key, fields="attachment")
        found: list[Attachment] = []
        for entry in (issue.raw.get("fields") or {}).get("attachment") or []:
            if not isinstance(entry, dict):
                continue
            size = entry.get("size")
            found.append(Attachment(
                id=str(entry.get("id") or ""), filename=str(entry.get("filename") or ""),
                created=str(entry.get("created") or ""),
                size=size if isinstance(size, int) and not isinstance(size, bool) else -1,
                content_url=str(entry.get("content") or ""),
            ))
        return found

    def download(self, attachment: Attachment, max_bytes: int) -> bytes:
        """The bytes of ``attachment``, at most ``max_bytes`` (more is refused while reading).

        Only from the configured site: the token goes with the request, so a content URL
        that points elsewhere (another host, a different scheme or port) is refused before
        any request.
        """
        base = urllib.parse.urlsplit(self.cfg.url)
        url = urllib.parse.urlsplit(attachment.content_url)
        if (url.scheme, url.netloc) != (base.scheme, base.netloc) or not _CONTENT_PATHS.search(url.path):
            raise ServiceError("jira", f"attachment {attachment.id} is served from {attachment.content_url!r}, "
                               "not from the configured Jira site", server=self.cfg.url, kind=REFUSED,
                               hint="nothing was downloaded; fetch the file by hand if you trust it")
        client = self._client()
        with self._call(what=f"attachment {attachment.id}"):
            response = client._session.get(attachment.content_url, stream=True)
            try:
                chunks: list[bytes] = []
                total = 0
                for chunk in response.iter_content(64 * 1024):
                    total += len(chunk)
                    if total > max_bytes:
                        raise ServiceError("jira", f"attachment {attachment.id} is larger than {max_bytes} bytes",
                                           server=self.cfg.url, kind=REFUSED,
                                           hint="a hotfix draft is far smaller; nothing was written")
                    chunks.append(chunk)
            finally:
                response.close()
        return b"".join(chunks)

    def create_followups(
        self,
        hotfix_key: str,
        issues: list[NewIssue],
        *,
        issue_type: str = "Task",
        dry_run: bool = False,
        on_created: Callable[[int, IssueRef], None] | None = None,
    ) -> list[IssueRef] | list[str]:
        """§8.2: one ticket per follow-up (``FOLLOWUP_LABEL`` is added), linked "Relates" to the hotfix.

        ``on_created(index, ref)`` runs after each ticket (``index`` into ``issues``) so the
        caller can save the key before the next request: a failure half-way loses nothing.
        """
        self.check_key(hotfix_key)
        todo = [_replace(issue, labels=[*issue.labels, FOLLOWUP_LABEL]) for issue in issues]
        if dry_run:
            lines: list[str] = []
            for issue in todo:
                lines += self._create(self.issue_fields(issue, issue_type), FOLLOWUP_LABEL, dry_run=True)
                lines.append(f"POST {self.api}/issueLink "
                             + json.dumps({"type": {"name": RELATES}, "inwardIssue": {"key": hotfix_key},
                                           "outwardIssue": {"key": "<new key>"}}))
            return lines
        refs: list[IssueRef] = []
        for index, issue in enumerate(todo):
            ref = self._create(self.issue_fields(issue, issue_type), FOLLOWUP_LABEL, dry_run=False)
            assert isinstance(ref, IssueRef)
            if not (ref.reused and self.linked(ref.key, hotfix_key)):
                self.link(hotfix_key, ref.key)
            refs.append(ref)
            if on_created is not None:
                on_created(index, ref)
        return refs

    def link(self, hotfix_key: str, other_key: str, link_type: str = RELATES) -> None:
        self.check_key(hotfix_key)
        self.check_key(other_key)
        client = self._client()
        with self._call(what=f"issue {hotfix_key} or {other_key}",
                        refused_hint=f"check that the link type '{link_type}' exists"):
            client.create_issue_link(link_type, hotfix_key, other_key)

    def linked(self, key: str, other_key: str) -> bool:
        self.check_key(key)
        client = self._client()
        with self._call(what=f"issue {key}"):
            issue = client.issue(key, fields="issuelinks")
        for link in (issue.raw.get("fields") or {}).get("issuelinks") or []:
            for side in ("inwardIssue", "outwardIssue"):
                if isinstance(link, dict) and isinstance(link.get(side), dict) and link[side].get("key") == other_key:
                    return True
        return False


# -- helpers ----------------------------------------------------------------------------------


def _jira_failure(exc: BaseException) -> HttpFailure:
    """The status and text of a ``JIRAError`` (its text is dropped for 401/403 by the caller)."""
    return HttpFailure(getattr(exc, "status_code", 0) or 0, getattr(exc, "text", "") or "")


def _same(a: str, b: str) -> bool:
    return one_line(a).casefold() == one_line(b).casefold()


def _labels(values: list[str]) -> list[str]:
    """Jira labels cannot contain spaces; keep order, drop duplicates and blanks."""
    out: list[str] = []
    for value in values:
        label = "-".join(value.split())
        if label and label not in out:
            out.append(label)
    return out


def _jql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _parse_jira_time(text: str) -> _dt.datetime | None:
    """Jira's ``2025-10-19T14:30:00.000+0900`` (also without millis, or with a colon)."""
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return _dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


_DURATION = re.compile(r"\s*(?:\d+(?:\.\d+)?\s*[wdhm]\s*)+\Z")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhm])")
# Jira's default time-tracking units (a day of 8 hours, a week of 5 days).
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 8 * 3600, "w": 5 * 8 * 3600}


def jira_duration(seconds: float) -> str:
    """``seconds`` as a Jira duration: ``1h 25m``, ``26h``, at least ``1m`` (no days: their length is configurable)."""
    minutes = max(1, int(seconds // 60))
    hours, minutes = divmod(minutes, 60)
    return " ".join(part for part in (f"{hours}h" if hours else "", f"{minutes}m" if minutes else "") if part)


def _duration(value: str, name: str) -> str:
    """A typed time spent, checked: Jira answers a bad one with a 400 that names no field."""
    text = " ".join(value.split())
    if not _DURATION.match(text) or _seconds(text) <= 0:
        raise ServiceError("jira", f"{name} must be a time spent such as 1h 30m, not {value!r}", kind=REFUSED,
                           hint="units: w, d, h, m; nothing was sent")
    return text


def _seconds(duration: str) -> float:
    return sum(float(n) * _UNIT_SECONDS[u] for n, u in _DURATION_PART.findall(duration))


def _parse_iso(text: str) -> _dt.datetime | None:
    try:
        when = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.astimezone()


def _jira_started(iso: str) -> str:
    """A worklog's start in the form Jira's REST API takes (``2026-12-04T02:10:00.000+0900``)."""
    when = (_parse_iso(iso) if iso else None) or _dt.datetime.now().astimezone()
    return when.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S.000%z")


def _names_worklog(name: str) -> bool:
    return name.strip().casefold() in ("worklog", "log work")


def _names_comment(name: str) -> bool:
    return name.strip().casefold() == "comment"


def _role(fkey: str, schema: dict) -> str:
    """What a screen field is, for the fields Jira treats specially (by key or by schema)."""
    for role in ("worklog", "comment", "assignee", "resolution"):
        if fkey == role or schema.get("system") == role or schema.get("items") == role or schema.get("type") == role:
            return role
    return ""


def _user_label(value: dict) -> str:
    return str(value.get("name") or value.get("accountId") or "")


def _pick_transition(transitions: list[dict], target: str) -> dict | None:
    """The transition whose target status is ``target``; by name only as a fallback,
    since people sometimes type the button label ("Resolve") instead of the status."""
    for t in transitions:
        if _same((t.get("to") or {}).get("name", ""), target):
            return t
    for t in transitions:
        if _same(t.get("name", ""), target):
            return t
    return None


def _label(option: dict) -> str:
    return str(option.get("name") or option.get("value") or option.get("id") or "")


def _preferred(allowed: list[dict]) -> dict | None:
    for wanted in PREFERRED_RESOLUTIONS:
        for option in allowed:
            if _same(_label(option), wanted):
                return option
    return allowed[0] if allowed else None
