"""One error type for every remote or git failure, worded so the reader knows what to check.

The wizard and the CLI show ``str(error)`` as a single line: which system and server
answered (or did not), what went wrong, and the one thing to check next (which token
and which environment variable, which project or repository, which URL). The fields
(``system``, ``server``, ``kind``, ``hint``) let the UI pick an icon, offer a retry or
the manual path, and point at the right config key.

Nothing here may ever contain a token: messages are built from status codes, names of
environment variables and server-side error texts, and :func:`redact` (which is
:func:`hotfix_tui.services.secrets.mask`) scrubs what the libraries hand back (a URL with
``user:token@`` in it, an echoed header, ``base64(user:token)``) before it can reach the
screen.

Deliberately free of heavy imports (requests, jira, github, git): the UI imports this
module at start-up to know the error types.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import dataclass

from . import secrets

SYSTEM_LABELS = {"jira": "Jira", "github": "GitHub", "git": "git", "slack": "Slack"}

# What went wrong, as the UI needs to react to it.
AUTH = "auth"  # 401 / bad credentials: fix the token
FORBIDDEN = "forbidden"  # 403 without rate limiting: the token lacks a permission
NOT_FOUND = "not_found"  # 404: wrong project / repository / key / URL
RATE_LIMIT = "rate_limit"  # 429 or GitHub's 403 with no requests left
SERVER = "server"  # 5xx: their side; retry later
TIMEOUT = "timeout"  # no answer in time; the request may or may not have happened
UNREACHABLE = "unreachable"  # connection refused, DNS, TLS: no route from this host
REFUSED = "refused"  # the server or git understood and said no (400/422, dirty tree...)
REJECTED = "rejected"  # a push the remote refused
CONFLICT = "conflict"  # merge conflict / PR not mergeable
CONFIG = "config"  # nothing configured, no token: fix the config before retrying
NOT_API = "not_api"  # a 2xx answer that is not the API's JSON: a login page, a portal, the wrong URL

# Kinds where trying again unchanged can succeed; the UI offers "Retry" for these.
RETRYABLE = frozenset({SERVER, TIMEOUT, UNREACHABLE, RATE_LIMIT})
# This host's or its configuration's problem (a usage ending); every other kind is the other
# side refusing.
IO_KINDS = frozenset({TIMEOUT, UNREACHABLE, CONFIG})


# -- how a command ended ----------------------------------------------------------------


class Ending(enum.Enum):
    """How a command ended, in words; only cli.py turns an ending into an exit code."""

    OK = "ok"
    FAILED = "failed"  # it ran, and what it checked does not hold (a check, a validation)
    REFUSED = "refused"  # a precondition, a gate or the other side said no
    USAGE = "usage"  # the request, the config or this host's I/O is the problem


@dataclass(frozen=True)
class Stopped:
    """A command stopped by a signal (SIGTERM, SIGHUP, SIGINT) after cleaning up."""

    signum: int


class ServiceError(Exception):
    """A failure talking to Jira, GitHub, Slack or git, with one line that helps.

    ``problem`` says what happened, ``hint`` what to check; ``server`` is the URL or
    remote that was involved (without credentials). ``status`` is the HTTP status when
    there was one.
    """

    def __init__(
        self,
        system: str,
        problem: str,
        *,
        server: str = "",
        hint: str = "",
        kind: str = REFUSED,
        status: int | None = None,
    ):
        self.system = system
        self.server = redact_url(server)
        self.problem = problem
        self.hint = hint
        self.kind = kind
        self.status = status
        super().__init__(str(self))

    def __str__(self) -> str:
        label = SYSTEM_LABELS.get(self.system, self.system)
        where = f"{label} ({self.server})" if self.server else label
        text = f"{where}: {self.problem}"
        if self.hint:
            text += f" — {self.hint}"
        return one_line(redact(text))

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE

    @property
    def ending(self) -> Ending:
        """A problem of this host or its configuration, or a refusal by the other side."""
        return Ending.USAGE if self.kind in IO_KINDS else Ending.REFUSED


# -- git refusals the UI reacts to specifically ------------------------------------------


class DirtyTreeError(ServiceError):
    """Uncommitted changes to tracked files; switching branches would carry or lose them."""

    def __init__(self, server: str, files: list[str]):
        shown = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
        super().__init__(
            "git",
            f"the working tree has uncommitted changes ({shown})",
            server=server,
            hint="commit or stash them (`git stash`) first, then retry",
        )
        self.files = files


class DivergedError(ServiceError):
    """Local main and the remote's main each have commits the other lacks."""

    def __init__(self, server: str, main: str, remote: str, ahead: int, behind: int):
        super().__init__(
            "git",
            f"local {main} has diverged from {remote}/{main} "
            f"({ahead} local commit(s) not on {remote}, {behind} new on {remote})",
            server=server,
            hint=f"a hotfix starts from {remote}/{main}: look with "
            f"`git log --oneline {main}...{remote}/{main}`, then push or reset your {main}",
        )
        self.ahead = ahead
        self.behind = behind


class BranchExistsError(ServiceError):
    """The hotfix branch is already there; the caller may switch to it instead."""

    def __init__(self, server: str, branch: str, *, local: bool, remote: bool):
        where = " and ".join(w for w, yes in (("locally", local), ("on the remote", remote)) if yes)
        super().__init__(
            "git",
            f"branch {branch} already exists {where}",
            server=server,
            hint="switch to the existing branch (switch_to_existing / `hotfix git branch --switch`)"
            " or choose another branch description (slug)",
        )
        self.branch = branch
        self.local = local
        self.remote = remote


class NothingStagedError(ServiceError):
    def __init__(self, server: str, unstaged: list[str]):
        extra = f"; changed but not staged: {', '.join(unstaged[:5])}" if unstaged else ""
        super().__init__(
            "git",
            "nothing is staged for the commit" + extra,
            server=server,
            hint="stage the fix with `git add <files>` (§4.2 uses `git add .`), then retry",
        )
        self.unstaged = unstaged


class PushRejectedError(ServiceError):
    def __init__(self, server: str, branch: str, reason: str):
        super().__init__(
            "git",
            f"the remote rejected the push of {branch}: {reason}",
            server=server,
            hint=f"someone else pushed to {branch} or a hook refused it: "
            f"`git fetch` and `git log {branch}...origin/{branch}`, then integrate and push again",
            kind=REJECTED,
        )
        self.branch = branch


# -- Jira refusals --------------------------------------------------------------------


class MovedMeanwhile(ServiceError):
    """A queued move found the ticket in another status than when it was queued: a conflict,
    shown to the engineer and never overwritten."""

    def __init__(self, key: str, expected: str, current: str, target: str, server: str = ""):
        super().__init__("jira", f"{key} is in '{current}' now, not '{expected}' as when the move to "
                         f"'{target}' was queued", server=server, kind=REFUSED,
                         hint="someone moved it meanwhile: look at the ticket, then move it yourself if still right")
        self.key, self.expected, self.current, self.target = key, expected, current, target


class FieldsRequiredError(ServiceError):
    """A transition's screen requires fields that could not be filled automatically.

    ``fields`` lists ``(field key, display name, allowed values)`` so the UI can ask for
    them and call ``move(..., fields={key: value})`` again.
    """

    def __init__(self, server: str, key: str, transition: str, fields: list[tuple[str, str, list[str]]]):
        names = ", ".join(
            f"{name} ({key_})" + (f" one of {', '.join(allowed[:6])}" if allowed else "")
            for key_, name, allowed in fields
        )
        super().__init__(
            "jira",
            f"transition '{transition}' of {key} requires: {names}",
            server=server,
            hint="give the values (`--field NAME=VALUE`) or do this transition in Jira",
        )
        self.key = key
        self.transition = transition
        self.fields = fields


# -- building messages -----------------------------------------------------------------


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def register_secret(value: str | None) -> None:
    """Remember a secret so :func:`redact` scrubs it (in every encoding) from now on."""
    secrets.register(value)


def redact_url(url: str) -> str:
    """A URL without ``user:password@`` (git remotes sometimes carry a token there)."""
    return secrets.strip_userinfo(url)


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """``text`` with every known secret and every credential shape masked (see ``secrets``)."""
    return secrets.mask(text, extra)


def short(text: str, limit: int = 200) -> str:
    text = one_line(redact(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def http_error(
    system: str,
    server: str,
    status: int,
    *,
    detail: str = "",
    token_hint: str = "",
    what: str = "",
    not_found_hint: str = "",
    refused_hint: str = "",
    rate_limited: bool = False,
) -> ServiceError:
    """The error for an HTTP answer ``status``; ``what`` names the object asked for.

    ``token_hint`` names where the token came from (an env var or the token command),
    never the token itself.
    """
    detail = short(detail)
    tail = f": {detail}" if detail else ""
    if status == 401:
        return ServiceError(
            system, "rejected the credentials (HTTP 401)", server=server, kind=AUTH, status=status,
            hint=f"check the token in {token_hint}" if token_hint else "check the token",
        )
    if status == 429 or (status == 403 and rate_limited):
        return ServiceError(
            system, f"rate limit reached (HTTP {status}){tail}", server=server, kind=RATE_LIMIT,
            status=status, hint="wait a minute and retry; nothing typed is lost",
        )
    if status == 403:
        return ServiceError(
            system, f"permission denied{' for ' + what if what else ''} (HTTP 403){tail}",
            server=server, kind=FORBIDDEN, status=status,
            hint=f"the token in {token_hint} lacks a permission or scope for this"
            if token_hint else "the account lacks a permission for this",
        )
    if status == 404:
        return ServiceError(
            system, f"{what or 'the resource'} was not found (HTTP 404){tail}", server=server,
            kind=NOT_FOUND, status=status, hint=not_found_hint,
        )
    if status >= 500:
        return ServiceError(
            system, f"server error (HTTP {status}){tail}", server=server, kind=SERVER,
            status=status, hint="the server is having trouble: retry in a minute, or take the manual path",
        )
    return ServiceError(
        system, f"refused the request (HTTP {status}){tail}", server=server, kind=REFUSED,
        status=status, hint=refused_hint,
    )


def network_error(system: str, server: str, exc: BaseException, timeout: float | None) -> ServiceError | None:
    """The error for a ``requests`` transport failure, or None when ``exc`` is not one."""
    try:
        import requests
    except ImportError:  # pragma: no cover - requests comes with jira and PyGithub
        return None
    offline = "check the URL and that this host can reach it (VPN, proxy), or take the manual path"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return ServiceError(
            system, f"could not connect within {timeout:g} s" if timeout else "connection timed out",
            server=server, kind=UNREACHABLE, hint=offline,
        )
    if isinstance(exc, requests.exceptions.Timeout):
        return ServiceError(
            system, f"no answer within {timeout:g} s" if timeout else "the request timed out",
            server=server, kind=TIMEOUT,
            hint="retry: it is safe (the step checks what already exists before creating)",
        )
    if isinstance(exc, requests.exceptions.SSLError):
        return ServiceError(
            system, "TLS handshake failed", server=server, kind=UNREACHABLE,
            hint="check the URL and the certificate (REQUESTS_CA_BUNDLE for a private CA)",
        )
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc)
        if "Connection refused" in text or "Errno 111" in text:
            problem = "connection refused"
        elif "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
            problem = "host name not found"
        elif "Connection aborted" in text or "RemoteDisconnected" in text or "reset by peer" in text:
            problem = "the connection was dropped"
        else:
            problem = "could not connect"
        return ServiceError(system, problem, server=server, kind=UNREACHABLE, hint=offline)
    if isinstance(exc, requests.exceptions.RequestException):
        return ServiceError(system, f"request failed: {short(str(exc), 120)}", server=server, kind=UNREACHABLE, hint=offline)
    return None


# -- answers that are not what the API returns ----------------------------------------------
#
# A single sign-on gateway, a captive portal or a URL pointing at the web site instead of
# the API answers 200 with a page. Read as data, that page becomes "pending" reviews or a
# PR "closed without being merged". Each client has one choke point that hands every
# answer to :func:`check_answer` before the library reads it; a refusal means nothing
# from that answer is used.

SERVICE_URL_SETTING = {"jira": "[jira] url", "github": "[github] base_url"}


def not_api_hint(system: str) -> str:
    setting = SERVICE_URL_SETTING.get(system, "the server URL")
    return (f"check {setting} (the API's address) and that this host reaches it without a browser "
            "login (VPN, SSO, proxy); nothing from this answer was used")


def is_json_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def not_json_error(system: str, server: str, request: str, content_type: str, body: str) -> ServiceError:
    """The error for an answer that is not JSON at all (an HTML page, plain text)."""
    media = content_type.split(";", 1)[0].strip().lower()
    start = body.lstrip()[:200].lower()
    if media in ("text/html", "application/xhtml+xml") or start.startswith(("<!doctype html", "<html")):
        problem = "the server answered with an HTML page: a login or proxy page?"
    else:
        problem = f"the server answered with {media or 'something'} that is not JSON: a proxy or the wrong URL?"
    return ServiceError(system, f"{problem} ({request})", server=server, kind=NOT_API, hint=not_api_hint(system))


def shape_error(system: str, server: str, request: str, problem: str) -> ServiceError:
    """The error for JSON that is not the shape this API returns for ``request``."""
    label = SYSTEM_LABELS.get(system, system)
    return ServiceError(
        system, f"the server's answer to {request} is not what the {label} API returns ({problem}):"
        " the wrong URL, or a proxy?", server=server, kind=NOT_API, hint=not_api_hint(system),
    )


# A shape: the JSON type expected (dict or list) and, for a dict, dotted paths that must
# hold a value of the given type(s). ``None`` in a path's types allows it to be absent.
Shape = tuple[type, dict[str, tuple[type | None, ...]]]

_TYPE_NAMES = {dict: "an object", list: "a list", str: "a string", int: "a number", bool: "true/false",
               float: "a number"}


def shape_problem(data: object, shape: Shape) -> str:
    """What is wrong with ``data`` for ``shape``, or "" when it fits."""
    kind, paths = shape
    if not isinstance(data, kind) or isinstance(data, bool):
        return f"expected {_TYPE_NAMES.get(kind, kind.__name__)}, got {_json_type(data)}"
    for path, types in paths.items():
        value: object = data
        missing = False
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                missing = True
                break
            value = value[part]
        if missing or value is None:
            if None in types:
                continue
            return f"no '{path}'"
        wanted = tuple(t for t in types if t is not None)
        # bool is an int to Python, never to an API: {"number": true} is not a PR number.
        if not isinstance(value, wanted) or (isinstance(value, bool) and bool not in wanted):
            names = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in wanted)
            return f"'{path}' is {_json_type(value)}, not {names}"
    return ""


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    for kind in (bool, dict, list, str, int, float):
        if isinstance(value, kind):
            return _TYPE_NAMES[kind]
    return type(value).__name__


def check_answer(
    system: str,
    server: str,
    request: str,
    *,
    content_type: str,
    body: str | None = None,
    data: object = None,
    shape: Shape | None = None,
) -> None:
    """Refuse an answer that is not the API's JSON (raises :class:`ServiceError`, kind NOT_API).

    ``request`` names the call ("GET /rest/api/2/issue/KEY"). Give ``body`` (the text)
    when the caller has it, else ``data`` (already parsed). ``shape`` is what this
    request returns; None checks only that it is JSON, and lets an empty answer (204) pass.
    """
    if (body is not None and not body.strip()) or (body is None and data is None):
        if shape is not None:
            raise shape_error(system, server, request, "an empty answer")
        return
    if body is not None:
        if not is_json_type(content_type):
            raise not_json_error(system, server, request, content_type, body)
        try:
            data = json.loads(body)
        except ValueError:
            raise not_json_error(system, server, request, "", body) from None
    elif content_type and not is_json_type(content_type):
        raise not_json_error(system, server, request, content_type, str(data))
    if shape is not None:
        problem = shape_problem(data, shape)
        if problem:
            raise shape_error(system, server, request, problem)
