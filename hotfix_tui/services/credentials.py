"""Where a Jira or GitHub token comes from, how it is masked, and what an HTTP failure means.

Both services hold a :class:`Credentials`: a token given to the app, else the first of
the configured environment variables that is set, else the output of ``token_command``
(:func:`resolve_token`, a subprocess, read at the first request and again after a 401).
A resolved token is registered with :mod:`.secrets` at once, so it is masked in every
message and every command's output from then on. :func:`http_errors` is the one mapping
from a client library's exceptions to one-line :class:`~.errors.ServiceError` values: each
service says only how to read a status and a detail out of its library's exception.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..config import DEFAULT_GITHUB_TOKEN_ENV, ConfigError
from . import secrets
from .errors import AUTH, CONFIG, ServiceError, http_error, network_error, one_line

if TYPE_CHECKING:
    from ..config import Config, GithubConfig

TOKEN_COMMAND_TIMEOUT = 10.0
TOKEN_COMMAND_GRACE = 2.0  # seconds between SIGTERM and SIGKILL for a token command that timed out
# The gh CLI reads GH_TOKEN, so on many machines that is the variable already exported.
GH_CLI_TOKEN_ENV = "GH_TOKEN"
GIVEN = "the token given to the app"


def github_token_env_names(cfg: GithubConfig | Config) -> list[str]:
    """Environment variables to try for the GitHub token, in order.

    With the default ``token_env`` we also accept ``GH_TOKEN``, which the gh CLI uses,
    so a machine already set up for gh needs no extra export. A custom ``token_env``
    is taken literally: whoever chose it does not want a different token picked up.
    """
    github = getattr(cfg, "github", cfg)
    if not github.token_env:
        return []
    if github.token_env == DEFAULT_GITHUB_TOKEN_ENV:
        return [DEFAULT_GITHUB_TOKEN_ENV, GH_CLI_TOKEN_ENV]
    return [github.token_env]


def resolve_token(
    env_name: str, command: str, fallbacks: Iterable[str] = (), *, timeout: float | None = None
) -> str | None:
    """The token from ``env_name`` (then each of ``fallbacks``), else from ``command``.

    Returns None when neither is configured or set, which callers treat as "offline".
    The command runs without a shell (``shlex.split``) so config text cannot smuggle in
    pipes or expansions. Error messages never include the command's output: a command
    that failed halfway may already have printed the secret.

    The command runs in its own session; when it has not finished within ``timeout``
    seconds (default :data:`TOKEN_COMMAND_TIMEOUT`) its whole process group is stopped
    (SIGTERM, then SIGKILL after :data:`TOKEN_COMMAND_GRACE`), so nothing it started
    (a ``sleep``, a password prompt) outlives the attempt under PID 1.
    """
    for name in (env_name, *fallbacks):
        if name:
            value = os.environ.get(name, "").strip()
            if value:
                return value
    if not command.strip():
        return None
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise ConfigError(f"token command is not valid shell-style text: {exc}") from None
    if not argv:
        return None
    program = argv[0]
    limit = TOKEN_COMMAND_TIMEOUT if timeout is None else timeout
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise ConfigError(f"token command {program!r} was not found") from None
    except PermissionError:
        raise ConfigError(f"token command {program!r} is not executable") from None
    except OSError as exc:
        raise ConfigError(f"token command {program!r} could not start: {exc.strerror}") from None
    try:
        stdout, _stderr = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _stop_group(proc)
        raise ConfigError(
            f"token command {program!r} did not finish within {limit:g} s"
            " (is it waiting for a password prompt?)"
        ) from None
    except BaseException:  # Ctrl-C, a cancelled worker: nothing it started may stay behind
        _stop_group(proc)
        raise
    if proc.returncode != 0:
        raise ConfigError(
            f"token command {program!r} exited with status {proc.returncode};"
            " run it in a terminal to see why (its output is not shown here because"
            " it may contain the token)"
        )
    token = stdout.strip()
    if not token:
        raise ConfigError(f"token command {program!r} printed nothing")
    return token


def _stop_group(proc: subprocess.Popen) -> None:
    """Stop ``proc``'s process group: SIGTERM, then SIGKILL to whatever is left after the grace.

    ``proc`` leads its own session (``start_new_session``), so its group id is its pid;
    the group outlives the leader while a child of it runs, and Linux does not reuse a
    pid that is still a group id, so signalling the group cannot hit a stranger.
    """
    import signal
    import time

    def signal_group(sig: int) -> bool:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return False  # the group is gone
        except PermissionError:  # pragma: no cover - a setuid child; the leader at least
            proc.send_signal(sig)
        return True

    if signal_group(signal.SIGTERM):
        deadline = time.monotonic() + TOKEN_COMMAND_GRACE
        while time.monotonic() < deadline:
            proc.poll()  # reap the leader so a zombie does not keep the group "alive"
            if not signal_group(0):
                break
            time.sleep(0.02)
        else:
            signal_group(signal.SIGKILL)
    try:
        proc.communicate(timeout=TOKEN_COMMAND_GRACE)  # reap the leader, close the pipes
    except subprocess.TimeoutExpired:  # pragma: no cover - a child outside the group holds a pipe
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
        proc.wait()


class Credentials:
    """One system's token: where it comes from, resolved once, masked, forgotten after a 401.

    ``env_names`` are tried in order, then ``token_command``; ``section`` (``[jira]``)
    and ``default_env`` name them in hints. ``on_forget`` drops the service's client,
    which holds the rejected token.
    """

    def __init__(self, system: str, section: str, server: str, env_names: Iterable[str], token_command: str, *,
                 token: str | None = None, default_env: str = "", missing: str = "no token is available",
                 on_forget: Callable[[], None] | None = None):
        self.system = system
        self.section = section
        self.server = server
        self.env_names = [n for n in env_names if n]
        self.token_command = token_command
        self.default_env = default_env
        self.missing = missing
        self.on_forget = on_forget
        self._token = token or ""
        self.source = GIVEN if token else ""  # where the token in use came from ("" = not read yet)

    def hint(self) -> str:
        """Where the token comes from (never the token), for "check ..." messages."""
        if self.source:
            return self.source
        names = [f"${n}" for n in self.env_names]
        if self.token_command:
            names.append(f"{self.section} token_command")
        return " or ".join(names) or f"{self.section} token_env"

    def token(self) -> str:
        """The token, read now if need be (may run ``token_command``) and registered for masking."""
        if self._token:
            return self._token
        names = self.env_names
        try:
            token = resolve_token(names[0] if names else "", self.token_command, names[1:])
        except ConfigError as exc:
            raise ServiceError(self.system, f"cannot get the token: {exc}", server=self.server, kind=CONFIG,
                               hint=f"fix {self.section} token_command or export the token") from None
        if not token:
            wanted = " or ".join(names) or self.default_env
            raise ServiceError(
                self.system, self.missing, server=self.server, kind=CONFIG,
                hint=f"export {wanted} (or set {self.section} token_command), or use the manual path",
            )
        used = next((n for n in names if os.environ.get(n, "").strip()), "")
        self.source = f"${used}" if used else f"the output of {self.section} token_command"
        secrets.register(token)
        self._token = token
        return token

    def basic_auth(self, user: str) -> tuple[str, str]:
        """``(user, token)`` for HTTP basic auth, its base64 form masked too (a proxy may echo it)."""
        token = self.token()
        secrets.register_basic(user, token)
        return user, token

    def forget(self) -> None:
        """After a 401, read the token again next time: a Retry after fixing the env var
        or token_command must not reuse the rejected one (a token given to the app stays)."""
        if self.source != GIVEN:
            self._token = ""
            self.source = ""
            if self.on_forget is not None:
                self.on_forget()


@dataclass(frozen=True)
class HttpFailure:
    """What a client library's exception says: the HTTP status (0: no answer) and the server's text."""

    status: int
    detail: str = ""
    rate_limited: bool = False


@contextlib.contextmanager
def http_errors(
    credentials: Credentials,
    library_error: type[BaseException] | tuple[type[BaseException], ...],
    read: Callable[[BaseException], HttpFailure],
    *,
    timeout: float | None,
    what: str = "",
    not_found_hint: str = "",
    refused_hint: str = "",
    quiet_statuses: Iterable[int] = (401,),
    plain_without_status: bool = False,
) -> Iterator[None]:
    """Turn a client library's and ``requests``' exceptions into one-line ServiceErrors.

    ``read`` takes the library's exception apart; the server's text is dropped for
    ``quiet_statuses`` (it may echo the credentials). With ``plain_without_status`` an
    exception with no status is shown as its own text rather than as "HTTP 0". A 401
    forgets the token. The library's exception is never chained: its text can hold the
    request headers.
    """
    quiet = tuple(quiet_statuses)
    system, server = credentials.system, credentials.server
    try:
        yield
    except ServiceError:
        raise
    except library_error as exc:
        failure = read(exc)
        if not failure.status and plain_without_status:
            raise ServiceError(system, one_line(failure.detail or "request failed"), server=server) from None
        err = http_error(
            system, server, failure.status, detail="" if failure.status in quiet else failure.detail,
            token_hint=credentials.hint(), what=what, not_found_hint=not_found_hint,
            refused_hint=refused_hint, rate_limited=failure.rate_limited,
        )
        if err.kind == AUTH:
            credentials.forget()
        raise err from None
    except Exception as exc:
        err = network_error(system, server, exc, timeout)
        if err is None:
            raise
        raise err from None
