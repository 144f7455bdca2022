"""A Jira REST v2 server on loopback, enough of it for the real ``jira`` client.

It behaves like real Jira where the wizard depends on it: transitions are named
differently from the statuses they lead to ("Start Progress" → "진행 중"), the
"Resolve" transition's screen requires a resolution (as a Done transition usually
does), issue links show up in ``issuelinks`` on both issues, and a wrong token gets a
401 for basic and bearer auth alike. Search understands just enough JQL (project,
labels, summary ~) for the idempotency check.

:meth:`JiraServer.require_done_screen` gives the Resolve transition the Done screen
common on Jira Data Center: Resolution, Assignee and Log Work required, a Comment
allowed. As in real Jira, a worklog and a comment count only as ``update`` operations
(``{"update": {"worklog": [{"add": {...}}]}}``); the same names under ``fields`` are
refused; worklogs are kept and served by ``GET issue/KEY/worklog``.

Attachments as Jira Server keeps them: ``POST issue/KEY/attachments`` takes a multipart
``file`` and, like Jira's XSRF check, refuses an upload without ``X-Atlassian-Token:
no-check``; the issue lists them under ``fields.attachment`` and ``GET
/secure/attachment/ID/NAME`` serves the bytes (authenticated, as the API).
:meth:`JiraServer.add_attachment` plants one as if someone had uploaded it.

Fault switches: :meth:`JiraServer.timeout_next_create` creates the issue and then
answers too late (the client times out although the ticket exists);
:meth:`JiraServer.fail_next` answers one matching request with a status;
:meth:`JiraServer.echo_authorization` plays a broken proxy in front of Jira that answers
every request with a 500 whose body echoes the request's Authorization header.

:class:`LoopbackServer` (a ThreadingHTTPServer on 127.0.0.1, port 0, with a request log)
is shared with ``github_server``; so is :meth:`LoopbackServer.impersonate`, which makes
either server answer every request like something that is not the API (an SSO login
page, a redirect to one, or JSON of another shape).
"""

from __future__ import annotations

import base64
import datetime as _dt
import itertools
import json
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    method: str
    path: str  # without the query string, percent-decoded
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def param(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Response:
    status: int
    payload: Any = None  # dict/list → JSON; bytes/str sent as is; None → empty body
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (to make a client time out)
    content_type: str = ""  # overrides the Content-Type chosen from the payload's type


class _Handler(BaseHTTPRequestHandler):
    server_version = "loopback/1"

    def _dispatch(self) -> None:
        app: LoopbackServer = self.server.app  # type: ignore[attr-defined]
        parts = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(
            self.command,
            urllib.parse.unquote(parts.path),
            urllib.parse.parse_qs(parts.query, keep_blank_values=True),
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        with app.lock:
            app.requests.append(request)
        try:
            response = app.impostor(request) or app.handle(request)
        except Exception as exc:  # a bug in the test server: make it visible
            response = Response(500, {"message": f"test server error: {type(exc).__name__}: {exc}"})
        if response.delay:
            time.sleep(response.delay)
        payload = response.payload
        if isinstance(payload, (dict, list)):
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            content_type = "application/json;charset=UTF-8"
        elif isinstance(payload, str):
            data, content_type = payload.encode("utf-8"), "text/plain;charset=UTF-8"
        else:
            data, content_type = payload or b"", "application/json;charset=UTF-8"
        content_type = response.content_type or content_type
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if data and self.command != "HEAD":
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (that is the timeout fault working)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _dispatch

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        return


LOGIN_PATH = "/sso/login"
LOGIN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Example Corp SSO</title></head>
<body><h1>Sign in to continue</h1>
<form method="post" action="/sso/login"><input name="username"><input name="password" type="password">
<button type="submit">Sign in</button></form></body></html>
"""
# Well-formed JSON, but no Jira or GitHub answer looks like it (a status API, a portal).
OTHER_JSON = {"status": "ok", "results": [], "message": "Welcome to the Example Corp portal"}
IMPOSTOR_MODES = ("html", "sso", "json")


class LoopbackServer:
    """Subclasses implement :meth:`handle`; ``with server:`` starts and stops it."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.requests: list[Request] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.impostor_mode: str | None = None

    def handle(self, request: Request) -> Response:  # pragma: no cover - abstract
        raise NotImplementedError

    def impersonate(self, mode: str | None) -> None:
        """Answer every request, whatever its path, method or token, as something else:

        - ``"html"``: 200 with an SSO login page (``text/html``), like a gateway in front;
        - ``"sso"``: 302 to ``/sso/login``, which answers 200 with that page;
        - ``"json"``: 200 with JSON of a shape neither API uses (``application/json``);
        - ``None``: be the API again.
        """
        if mode is not None and mode not in IMPOSTOR_MODES:
            raise ValueError(f"unknown impostor mode {mode!r}: one of {IMPOSTOR_MODES}")
        with self.lock:
            self.impostor_mode = mode

    def impostor(self, request: Request) -> Response | None:
        """The answer of the impostor mode, or None to let :meth:`handle` answer."""
        mode = self.impostor_mode
        if mode == "html" or (mode == "sso" and request.path == LOGIN_PATH):
            return Response(200, LOGIN_PAGE, content_type="text/html; charset=utf-8")
        if mode == "sso":
            return Response(302, LOGIN_PAGE, {"Location": f"{self.origin}{LOGIN_PATH}"},
                            content_type="text/html; charset=utf-8")
        if mode == "json":
            return Response(200, dict(OTHER_JSON))
        return None

    def start(self) -> LoopbackServer:
        """Serve; after :meth:`stop`, on the same port again (an outage that ends)."""
        httpd = ThreadingHTTPServer(("127.0.0.1", getattr(self, "_last_port", 0)), _Handler)
        self._last_port = httpd.server_address[1]
        httpd.daemon_threads = True
        httpd.app = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=type(self).__name__, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def calls(self, method: str, path_part: str = "") -> list[Request]:
        """Logged requests with this method whose path contains ``path_part``."""
        with self.lock:
            return [r for r in self.requests if r.method == method and path_part in r.path]


# -- Jira ------------------------------------------------------------------------------------

TODO, IN_PROGRESS, TESTING, DONE = "해야 할 일", "진행 중", "테스트 진행중", "완료"
STATUSES = {"1": TODO, "3": IN_PROGRESS, "10001": TESTING, "10002": DONE}
_CATEGORY = {"1": "new", "3": "indeterminate", "10001": "indeterminate", "10002": "done"}
RESOLUTIONS = [
    {"id": "10000", "name": "Done"},
    {"id": "10001", "name": "Won't Do"},
    {"id": "10002", "name": "Duplicate"},
]
# (id, name, target status id, from status ids, fields the screen requires)
TRANSITIONS = [
    ("11", "Start Progress", "3", ("1", "10001"), ()),
    ("21", "Ready for Test", "10001", ("3",), ()),
    ("31", "Resolve", "10002", ("1", "3", "10001"), ("resolution",)),
    ("41", "Stop Progress", "1", ("3",), ()),
    ("51", "Reopen", "1", ("10002",), ()),
]
PRIORITIES = ["Highest", "Critical", "High", "Medium", "Low"]
ISSUE_TYPES = {"Bug": "10004", "Task": "10002", "Story": "10001"}
LINK_TYPES = [
    {"id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
    {"id": "10003", "name": "Relates", "inward": "relates to", "outward": "relates to"},
]
EXTRA_FIELD = {  # switched on by require_extra_field(): a screen field nobody can guess
    "key": "customfield_10050",
    "name": "Root Cause Category",
    "allowed": [{"id": "20001", "value": "Configuration"}, {"id": "20002", "value": "Code"}],
}
KST = _dt.timezone(_dt.timedelta(hours=9))
ACCOUNT_ID = "5b10ac8d82e05b22cc7d4ef5"  # the authenticated user's id, as Jira Cloud names users
# The Done screen's extra fields (require_done_screen), as Jira describes them.
WORKLOG_FIELD = {
    "required": True, "schema": {"type": "array", "items": "worklog", "system": "worklog"},
    "name": "Log Work", "key": "worklog", "hasDefaultValue": False, "operations": ["add"],
}
ASSIGNEE_FIELD = {
    "required": True, "schema": {"type": "user", "system": "assignee"},
    "name": "Assignee", "key": "assignee", "hasDefaultValue": False, "operations": ["set"],
}
COMMENT_FIELD = {
    "required": False, "schema": {"type": "comment", "system": "comment"},
    "name": "Comment", "key": "comment", "hasDefaultValue": False, "operations": ["add"],
}
_SPENT = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhm])")
_UNIT = {"w": 5 * 8 * 3600, "d": 8 * 3600, "h": 3600, "m": 60}


def _spent_seconds(text: str) -> int:
    """Jira's parse of a time spent ("1h 25m"); 0 when it is not one."""
    if not re.fullmatch(r"\s*(?:\d+(?:\.\d+)?\s*[wdhm]\s*)+", text or ""):
        return 0
    return int(sum(float(n) * _UNIT[u] for n, u in _SPENT.findall(text)))


def _spent_text(seconds: int) -> str:
    """How Jira writes a time spent back (hours and minutes)."""
    hours, minutes = divmod(seconds // 60, 60)
    return " ".join(p for p in (f"{hours}h" if hours else "", f"{minutes}m" if minutes else "") if p) or "0m"


def _jira_time(when: _dt.datetime) -> str:
    return when.astimezone(KST).strftime("%Y-%m-%dT%H:%M:%S.000%z")


def _errors(messages: list[str] | None = None, errors: dict[str, str] | None = None) -> dict:
    return {"errorMessages": messages or [], "errors": errors or {}}


class JiraServer(LoopbackServer):
    """One Jira site with projects, issues, a workflow, comments and links, in memory."""

    def __init__(
        self,
        *,
        user: str = "oncall@example.com",
        token: str = "jira-test-token",
        projects: dict[str, list[str]] | None = None,
        first_number: int = 15,
        deployment: str = "Server",
    ):
        super().__init__()
        self.user = user
        self.token = token
        # project key -> component names
        self.projects = projects if projects is not None else {"TERRAFORM": ["metallb", "ingress"]}
        self.deployment = deployment
        self.issues: dict[str, dict] = {}  # key -> stored issue
        self.comments: dict[str, list[dict]] = {}
        self.links: list[dict] = []
        self.edits: list[tuple[str, dict]] = []  # (key, fields) of each PUT /issue/KEY
        self._numbers = {key: itertools.count(first_number) for key in self.projects}
        self._ids = itertools.count(10100)
        self._create_delay = 0.0
        self._failures: list[list] = []  # [method, path part, status, skip]
        self.extra_required = False
        self.echo_auth = False
        self.done_screen = False
        self.worklogs: dict[str, list[dict]] = {}
        self._drop_worklogs = False
        self.attachments: dict[str, list[dict]] = {}  # key -> attachment entries (as listed)
        self.attachment_data: dict[str, bytes] = {}  # attachment id -> bytes

    # -- switches and helpers for tests -------------------------------------------------------

    def timeout_next_create(self, delay: float) -> None:
        """The next create makes the issue, then answers only after ``delay`` seconds."""
        with self.lock:
            self._create_delay = delay

    def fail_next(self, method: str, path_part: str, status: int, *, skip: int = 0) -> None:
        """Answer a ``method`` request whose path contains ``path_part`` with ``status``:
        the next one, or the one after ``skip`` matching requests went through."""
        with self.lock:
            self._failures.append([method, path_part, status, skip])

    def echo_authorization(self, on: bool = True) -> None:
        """Answer everything with a 500 that echoes the Authorization header (a broken proxy):
        the header, the bare credential, its percent-encoded and its decoded form."""
        self.echo_auth = on

    def _echo(self, request: Request) -> Response:
        header = request.headers.get("authorization", "")
        credential = header.partition(" ")[2]
        try:
            decoded = base64.b64decode(credential).decode("utf-8")
        except ValueError:
            decoded = ""
        quoted = urllib.parse.quote(credential, safe="")
        return Response(500, {
            "errorMessages": [f"proxy: upstream failed; credential {credential} ({quoted}) for {decoded}"],
            "errors": {"credential": f"{credential} ({quoted}) for {decoded}",
                       "request": {"headers": {"Authorization": [header]}}},
        })

    def require_extra_field(self, on: bool = True) -> None:
        """Make the Resolve screen also require a custom select field."""
        self.extra_required = on

    def require_done_screen(self, on: bool = True) -> None:
        """Give the Resolve transition the Data Center Done screen: Resolution, Assignee and
        Log Work required (a Comment allowed); a missing one refuses the transition."""
        self.done_screen = on

    def drop_worklogs(self, on: bool = True) -> None:
        """Accept worklogs in transitions and record none (a listener or setting eating them)."""
        self._drop_worklogs = on

    def assignee_of(self, key: str) -> dict | None:
        return self.issues[key].get("assignee")

    def add_issue(self, summary: str, *, project: str = "TERRAFORM", labels: list[str] | None = None,
                  created: _dt.datetime | None = None, issue_type: str = "Bug") -> str:
        """An issue as if someone made it earlier (``created`` may be in the past)."""
        with self.lock:
            return self._store_issue({
                "project": {"key": project}, "issuetype": {"name": issue_type}, "summary": summary,
                "labels": labels if labels is not None else ["hotfix"],
            }, created=created)

    def add_attachment(self, key: str, filename: str, data: bytes, *,
                       created: _dt.datetime | None = None, listed_size: int | None = None) -> str:
        """Attach ``data`` to ``key`` as if uploaded at ``created`` (now); ``listed_size``
        makes the listing claim another size than the bytes served."""
        with self.lock:
            return self._store_attachment(self.issues[key], filename, data, created, listed_size)

    def _store_attachment(self, issue: dict, filename: str, data: bytes,
                          created: _dt.datetime | None = None, listed_size: int | None = None) -> str:
        aid = str(next(self._ids))
        when = created or _dt.datetime.now(_dt.timezone.utc)
        self.attachment_data[aid] = data
        self.attachments.setdefault(issue["key"], []).append({
            "id": aid, "self": f"{self._api}/attachment/{aid}", "filename": filename,
            "author": {"name": self.user, "displayName": "On-call Engineer"},
            "created": _jira_time(when), "size": len(data) if listed_size is None else listed_size,
            "mimeType": "application/octet-stream",
            "content": f"{self.origin}/secure/attachment/{aid}/{urllib.parse.quote(filename)}",
        })
        return aid

    def _upload(self, issue: dict, r: Request) -> Response:
        if r.headers.get("x-atlassian-token", "").lower() != "no-check":
            return Response(403, "XSRF check failed", content_type="text/plain;charset=UTF-8")
        import email.parser
        import email.policy

        head = f"Content-Type: {r.headers.get('content-type', '')}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + r.body)
        stored = []
        for part in message.iter_parts() if message.is_multipart() else []:
            if part.get_param("name", header="content-disposition") != "file":
                continue
            aid = self._store_attachment(issue, part.get_filename() or "", part.get_payload(decode=True) or b"")
            stored.append(next(a for a in self.attachments[issue["key"]] if a["id"] == aid))
        if not stored:
            return Response(400, _errors(["no file in the request"]))
        return Response(200, stored)

    def _content(self, r: Request) -> Response:
        match = re.fullmatch(r"/secure/attachment/([0-9]+)/[^/]*", r.path)
        if r.method != "GET" or not match or match.group(1) not in self.attachment_data:
            return Response(404, "Not found", content_type="text/html;charset=UTF-8")
        return Response(200, self.attachment_data[match.group(1)], content_type="application/octet-stream")

    def status_of(self, key: str) -> str:
        return STATUSES[self.issues[key]["status"]]

    def issues_with_summary(self, summary: str) -> list[str]:
        return [k for k, i in self.issues.items() if i["summary"] == summary]

    # -- HTTP --------------------------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(value).decode("utf-8").partition(":")
            except ValueError:
                return False
            return user == self.user and password == self.token
        if scheme.lower() == "bearer":
            return value == self.token
        return False

    def handle(self, request: Request) -> Response:
        if self.echo_auth:
            return self._echo(request)
        path = request.path
        if path.startswith("/secure/attachment/") and self._authorised(request):
            with self.lock:
                return self._content(request)
        if not path.startswith("/rest/api/2/"):
            return Response(404, _errors([f"null for uri: {self.origin}{path}"]))
        if not self._authorised(request):
            # What Jira sends: no JSON body worth parsing, and a hint in a header.
            return Response(401, "Client must be authenticated to access this resource.",
                            {"X-Seraph-LoginReason": "AUTHENTICATED_FAILED", "WWW-Authenticate": "Basic realm=\"jira\""})
        with self.lock:
            for i, failure in enumerate(self._failures):
                method, part, status, skip = failure
                if method == request.method and part in path:
                    if skip:
                        failure[3] -= 1
                        break
                    del self._failures[i]
                    return Response(status, _errors([f"injected failure {status}"]))
            return self._route(request, path.removeprefix("/rest/api/2/"))

    def _route(self, r: Request, p: str) -> Response:
        m = r.method
        if m == "GET" and p == "serverInfo":
            return Response(200, {
                "baseUrl": self.origin, "version": "9.12.2", "versionNumbers": [9, 12, 2],
                "deploymentType": self.deployment, "buildNumber": 9120002, "serverTitle": "Loopback Jira",
            })
        if m == "GET" and p == "myself":
            return Response(200, {"name": self.user, "key": self.user, "emailAddress": self.user,
                                  "accountId": ACCOUNT_ID, "displayName": "On-call Engineer", "active": True})
        if m == "GET" and p == "field":
            return Response(200, [
                {"id": fid, "key": fid, "name": name, "custom": fid.startswith("customfield"),
                 "clauseNames": [clause], "schema": {"type": kind}}
                for fid, name, clause, kind in (
                    ("summary", "Summary", "summary", "string"), ("created", "Created", "created", "datetime"),
                    ("labels", "Labels", "labels", "array"), ("status", "Status", "status", "status"),
                    ("resolution", "Resolution", "resolution", "resolution"),
                    ("issuelinks", "Linked Issues", "issuelinks", "array"),
                    (EXTRA_FIELD["key"], EXTRA_FIELD["name"], "cf[10050]", "option"),
                )
            ])
        if m == "GET" and p == "priority":
            return Response(200, [{"id": str(i + 1), "name": n, "self": f"{self._api}/priority/{i + 1}"}
                                  for i, n in enumerate(PRIORITIES)])
        if m == "GET" and p == "issueLinkType":
            return Response(200, {"issueLinkTypes": [{**t, "self": f"{self._api}/issueLinkType/{t['id']}"}
                                                     for t in LINK_TYPES]})
        if m == "GET" and p.startswith("project/"):
            key = p.split("/", 1)[1]
            if key not in self.projects:
                return Response(404, _errors([f"No project could be found with key '{key}'."]))
            return Response(200, self._project(key))
        if p in ("search", "search/jql"):
            return self._search(r, p)
        if m == "POST" and p == "issue":
            return self._create(r)
        if m == "POST" and p == "issueLink":
            return self._link(r)
        match = re.fullmatch(r"issue/([^/]+)(/transitions|/comment|/worklog|/attachments)?", p)
        if match:
            key, sub = match.group(1), match.group(2) or ""
            issue = self._find(key)
            if issue is None:
                return Response(404, _errors(["Issue Does Not Exist"]))
            if m == "GET" and not sub:
                return Response(200, self._issue_json(issue, r.param("fields")))
            if m == "PUT" and not sub:
                return self._edit(issue, r.json() or {})
            if m == "GET" and sub == "/transitions":
                return Response(200, self._transitions(issue, "transitions.fields" in r.param("expand")))
            if m == "POST" and sub == "/transitions":
                return self._transition(issue, r.json() or {})
            if m == "POST" and sub == "/comment":
                return self._comment(issue, r.json() or {})
            if m == "POST" and sub == "/attachments":
                return self._upload(issue, r)
            if m == "GET" and sub == "/worklog":
                logs = self.worklogs.get(issue["key"], [])
                return Response(200, {"startAt": 0, "maxResults": len(logs), "total": len(logs), "worklogs": logs})
        return Response(404, _errors([f"null for uri: {self.origin}/rest/api/2/{p}"]))

    def _edit(self, issue: dict, body: dict) -> Response:
        """PUT /issue/KEY: only the description is editable here (what `hotfix jira update` sends)."""
        fields = body.get("fields") or {}
        unknown = [name for name in fields if name != "description"]
        if unknown:
            return Response(400, _errors(errors={name: f"Field '{name}' cannot be set." for name in unknown}))
        if "description" in fields:
            issue["description"] = fields["description"] or ""
        self.edits.append((issue["key"], dict(fields)))
        return Response(204, None)

    @property
    def _api(self) -> str:
        return f"{self.origin}/rest/api/2"

    def _project(self, key: str) -> dict:
        return {"id": str(10000 + list(self.projects).index(key)), "key": key, "name": key.title(),
                "self": f"{self._api}/project/{key}",
                "components": [{"id": str(20000 + i), "name": c} for i, c in enumerate(self.projects[key])]}

    def _find(self, key_or_id: str) -> dict | None:
        if key_or_id in self.issues:
            return self.issues[key_or_id]
        return next((i for i in self.issues.values() if i["id"] == key_or_id), None)

    # -- create ----------------------------------------------------------------------------

    def _validate(self, fields: dict) -> dict[str, str]:
        errors: dict[str, str] = {}
        project = fields.get("project") or {}
        key = project.get("key") if isinstance(project, dict) else None
        if key not in self.projects:
            errors["project"] = "valid project is required"
        issuetype = (fields.get("issuetype") or {}).get("name")
        if issuetype not in ISSUE_TYPES:
            errors["issuetype"] = "valid issue type is required"
        if not str(fields.get("summary") or "").strip():
            errors["summary"] = "You must specify a summary of the issue."
        priority = fields.get("priority")
        if priority is not None and priority.get("name") not in PRIORITIES:
            errors["priority"] = f"Priority name '{priority.get('name')}' is not valid"
        for component in fields.get("components") or []:
            if key in self.projects and component.get("name") not in self.projects[key]:
                errors["components"] = f"Component name '{component.get('name')}' is not valid"
        for label in fields.get("labels") or []:
            if " " in label:
                errors["labels"] = "The label must not contain spaces."
        return errors

    def _store_issue(self, fields: dict, *, created: _dt.datetime | None = None) -> str:
        project = fields["project"]["key"]
        key = f"{project}-{next(self._numbers[project])}"
        issue_id = str(next(self._ids))
        now = created or _dt.datetime.now(_dt.timezone.utc)
        self.issues[key] = {
            "id": issue_id, "key": key, "project": project,
            "summary": fields["summary"], "description": fields.get("description") or "",
            "issuetype": fields["issuetype"]["name"],
            "priority": (fields.get("priority") or {}).get("name", "Medium"),
            "labels": list(fields.get("labels") or []),
            "components": [c["name"] for c in fields.get("components") or []],
            "status": "1", "resolution": None, "created": _jira_time(now), "extra": {},
        }
        self.comments[key] = []
        return key

    def _create(self, r: Request) -> Response:
        fields = (r.json() or {}).get("fields") or {}
        errors = self._validate(fields)
        if errors:
            return Response(400, _errors(errors=errors))
        key = self._store_issue(fields)
        delay, self._create_delay = self._create_delay, 0.0
        issue = self.issues[key]
        return Response(201, {"id": issue["id"], "key": key, "self": f"{self._api}/issue/{issue['id']}"},
                        delay=delay)

    # -- read ------------------------------------------------------------------------------

    def _issue_links(self, key: str) -> list[dict]:
        out = []
        for link in self.links:
            kind = next(t for t in LINK_TYPES if t["name"] == link["type"])
            if link["inward"] == key:
                out.append({"id": link["id"], "type": kind, "outwardIssue": {"key": link["outward"]}})
            elif link["outward"] == key:
                out.append({"id": link["id"], "type": kind, "inwardIssue": {"key": link["inward"]}})
        return out

    def _issue_json(self, issue: dict, wanted: str = "") -> dict:
        status = issue["status"]
        fields = {
            "summary": issue["summary"],
            "description": issue["description"],
            "issuetype": {"id": ISSUE_TYPES[issue["issuetype"]], "name": issue["issuetype"]},
            "project": {"key": issue["project"], "id": self._project(issue["project"])["id"]},
            "priority": {"name": issue["priority"]},
            "labels": issue["labels"],
            "components": [{"name": c} for c in issue["components"]],
            "status": {"id": status, "name": STATUSES[status],
                       "statusCategory": {"key": _CATEGORY[status]}},
            "resolution": issue["resolution"],
            "created": issue["created"],
            "issuelinks": self._issue_links(issue["key"]),
            "comment": {"comments": self.comments[issue["key"]], "total": len(self.comments[issue["key"]])},
            "assignee": issue.get("assignee"),
            "attachment": self.attachments.get(issue["key"], []),
            **issue["extra"],
        }
        names = {n.strip() for n in wanted.split(",") if n.strip()} if wanted else set()
        if names and "*all" not in names:
            fields = {k: v for k, v in fields.items() if k in names}
        return {"id": issue["id"], "key": issue["key"], "self": f"{self._api}/issue/{issue['id']}",
                "fields": fields}

    def _search(self, r: Request, p: str) -> Response:
        jql = r.param("jql") if r.method == "GET" else (r.json() or {}).get("jql", "")
        project = re.search(r'project\s*=\s*"?([A-Z][A-Z0-9_]*)"?', jql)
        if project and project.group(1) not in self.projects:
            return Response(400, _errors([f"The value '{project.group(1)}' does not exist for the field 'project'."]))
        labels = re.findall(r'labels\s*=\s*"((?:[^"\\]|\\.)*)"', jql)
        text = re.search(r'summary\s*~\s*"((?:[^"\\]|\\.)*)"', jql)
        words = text.group(1).replace('\\"', '"').casefold().split() if text else []
        wanted = ",".join(r.query.get("fields", [])) or "*all"
        found = []
        for issue in self.issues.values():
            if project and issue["project"] != project.group(1):
                continue
            if any(label not in issue["labels"] for label in labels):
                continue
            if any(word not in issue["summary"].casefold() for word in words):
                continue
            found.append(issue)
        found.sort(key=lambda i: i["created"], reverse=True)
        issues = [self._issue_json(i, wanted) for i in found]
        if p == "search/jql":
            return Response(200, {"issues": issues, "isLast": True})
        return Response(200, {"startAt": 0, "maxResults": 50, "total": len(issues), "issues": issues})

    # -- workflow ----------------------------------------------------------------------------

    def _screen(self, required: tuple[str, ...]) -> dict:
        fields = {}
        if "resolution" in required:
            fields["resolution"] = {
                "required": True, "schema": {"type": "resolution", "system": "resolution"},
                "name": "Resolution", "key": "resolution", "hasDefaultValue": False,
                "operations": ["set"], "allowedValues": RESOLUTIONS,
            }
            if self.done_screen:
                fields["assignee"] = dict(ASSIGNEE_FIELD)
                fields["worklog"] = dict(WORKLOG_FIELD)
                fields["comment"] = dict(COMMENT_FIELD)
            if self.extra_required:
                fields[EXTRA_FIELD["key"]] = {
                    "required": True, "schema": {"type": "option", "custom": "select"},
                    "name": EXTRA_FIELD["name"], "key": EXTRA_FIELD["key"], "hasDefaultValue": False,
                    "operations": ["set"], "allowedValues": EXTRA_FIELD["allowed"],
                }
        return fields

    def _available(self, issue: dict) -> list[tuple]:
        return [t for t in TRANSITIONS if issue["status"] in t[3]]

    def _transitions(self, issue: dict, expand_fields: bool) -> dict:
        out = []
        for tid, name, to, _from, required in self._available(issue):
            item = {
                "id": tid, "name": name, "hasScreen": bool(required), "isGlobal": False,
                "isInitial": False, "isConditional": False,
                "to": {"id": to, "name": STATUSES[to], "self": f"{self._api}/status/{to}",
                       "statusCategory": {"key": _CATEGORY[to]}},
            }
            if expand_fields:
                item["fields"] = self._screen(required)
            out.append(item)
        return {"expand": "transitions", "transitions": out}

    def _transition(self, issue: dict, body: dict) -> Response:
        tid = str((body.get("transition") or {}).get("id", ""))
        chosen = next((t for t in self._available(issue) if t[0] == tid), None)
        if chosen is None:
            return Response(400, _errors([
                f"It seems that you have tried to perform a workflow operation ({tid}) that is not valid "
                f"for the current state of this issue ({issue['key']})."]))
        given = body.get("fields") or {}
        update = body.get("update") or {}
        screen = self._screen(chosen[4])
        errors = {}
        for fkey in [*given, *update]:
            # Jira: a worklog or comment is only an update operation; nothing off the screen
            # (a comment goes with any transition).
            if (fkey in given and screen.get(fkey, {}).get("operations") == ["add"]) or (
                    fkey not in screen and not (fkey == "comment" and fkey in update)):
                errors[fkey] = f"Field '{fkey}' cannot be set. It is not on the appropriate screen, or unknown."
        worklogs = self._worklog_adds(update.get("worklog"), errors)
        comments = [op["add"] for op in update.get("comment") or []
                    if isinstance(op, dict) and isinstance(op.get("add"), dict)]
        for fkey, meta in screen.items():
            value = given.get(fkey)
            if fkey == "worklog":
                if meta["required"] and not worklogs and "worklog" not in errors:
                    errors["timeLogged"] = "You must indicate the time spent working."
                continue
            if fkey == "comment":
                continue
            if fkey == "assignee":
                ok = isinstance(value, dict) and (value.get("name") == self.user or value.get("accountId") == ACCOUNT_ID)
                if value is not None and not ok:
                    errors[fkey] = f"User '{value}' does not exist."
                elif meta["required"] and value is None:
                    errors[fkey] = "Assignee is required."
                continue
            allowed = meta["allowedValues"]
            ok = isinstance(value, dict) and any(
                str(value.get("id")) == a["id"] or value.get("name") == a.get("name")
                or value.get("value") == a.get("value") for a in allowed)
            if meta["required"] and not ok:
                errors[fkey] = f"{meta['name']} is required."
        if errors:
            return Response(400, _errors(errors=errors))
        issue["status"] = chosen[2]
        if "resolution" in given:
            value = given["resolution"]
            issue["resolution"] = next(a for a in RESOLUTIONS if a["id"] == str(value.get("id")) or a["name"] == value.get("name"))
        for fkey, value in given.items():
            if fkey == "assignee":
                issue["assignee"] = {"name": self.user, "key": self.user, "accountId": ACCOUNT_ID,
                                     "displayName": "On-call Engineer"}
            elif fkey != "resolution":
                issue["extra"][fkey] = value
        if not self._drop_worklogs:
            for add in worklogs:
                self._add_worklog(issue, add)
        for add in comments:
            self._comment(issue, add)
        return Response(204)

    def _worklog_adds(self, ops: Any, errors: dict[str, str]) -> list[dict]:
        """The ``add`` operations of an update's worklog, checked as Jira checks them."""
        adds = []
        for op in ops or []:
            add = op.get("add") if isinstance(op, dict) else None
            if not isinstance(add, dict):
                errors["worklog"] = "Operation not supported: only add."
                continue
            if _spent_seconds(str(add.get("timeSpent") or "")) <= 0:
                errors["timeLogged"] = "Invalid time duration entered."
                continue
            started = add.get("started")
            if started is not None:
                try:
                    _dt.datetime.strptime(str(started), "%Y-%m-%dT%H:%M:%S.%f%z")
                except ValueError:
                    errors["started"] = "Invalid date format. Please enter the date in the format \"d/MMM/yy h:mm a\"."
                    continue
            adds.append(add)
        return adds

    def _add_worklog(self, issue: dict, add: dict) -> None:
        now = _dt.datetime.now(_dt.timezone.utc)
        started = (_dt.datetime.strptime(add["started"], "%Y-%m-%dT%H:%M:%S.%f%z")
                   if add.get("started") else now)
        seconds = _spent_seconds(add["timeSpent"])
        wid = str(next(self._ids))
        self.worklogs.setdefault(issue["key"], []).append({
            "id": wid, "issueId": issue["id"], "self": f"{self._api}/issue/{issue['id']}/worklog/{wid}",
            "author": {"name": self.user, "key": self.user, "accountId": ACCOUNT_ID,
                       "displayName": "On-call Engineer"},
            "comment": str(add.get("comment") or ""), "created": _jira_time(now), "updated": _jira_time(now),
            "started": _jira_time(started), "timeSpent": _spent_text(seconds), "timeSpentSeconds": seconds,
        })

    def _comment(self, issue: dict, body: dict) -> Response:
        comment = {"id": str(next(self._ids)), "body": body.get("body", ""),
                   "author": {"name": self.user, "displayName": "On-call Engineer"},
                   "created": _jira_time(_dt.datetime.now(_dt.timezone.utc))}
        comment["self"] = f"{self._api}/issue/{issue['id']}/comment/{comment['id']}"
        self.comments[issue["key"]].append(comment)
        return Response(201, comment)

    def _link(self, r: Request) -> Response:
        body = r.json() or {}
        kind = (body.get("type") or {}).get("name")
        inward = (body.get("inwardIssue") or {}).get("key")
        outward = (body.get("outwardIssue") or {}).get("key")
        if kind not in {t["name"] for t in LINK_TYPES}:
            return Response(404, _errors([f"No issue link type with name '{kind}' found."]))
        if inward not in self.issues or outward not in self.issues:
            return Response(404, _errors(["Issue Does Not Exist"]))
        self.links.append({"id": str(next(self._ids)), "type": kind, "inward": inward, "outward": outward})
        return Response(201)
