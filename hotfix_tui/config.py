"""User settings: how to reach Jira, GitHub, git, terraform and kubectl, read from TOML.

The app must work with no config file at all (offline, on a fresh jump host), so every
setting has a default and a missing file means "all defaults". A file that exists is
checked strictly: a typo in a key or a wrong value stops the app with a message naming
the file and the key, because a silently ignored ``[jira] projct_key`` would send a
production ticket to the wrong project.

Secrets never live here: the config names the environment variable or the command that
yields a token, and :func:`hotfix_tui.services.credentials.resolve_token` reads it at the
moment it is needed.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import re
import shlex
import tomllib
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import paths
from .model import MONITOR_MINUTES, SEVERITIES

__all__ = [
    "Config",
    "ConfigError",
    "DraftsConfig",
    "GitConfig",
    "GithubConfig",
    "JiraConfig",
    "JiraStatuses",
    "KubectlConfig",
    "MonitorConfig",
    "SecretsConfig",
    "TerraformConfig",
    "UiConfig",
    "load_config",
]

AUTH_MODES = ("auto", "basic", "bearer")
MERGE_METHODS = ("merge", "squash", "rebase")
LANGUAGES = ("ko", "en")
MONITOR_INTERVAL_SECONDS = (5, 600)

DEFAULT_GITHUB_TOKEN_ENV = "GITHUB_TOKEN"


class ConfigError(Exception):
    """A config problem the user must fix; ``str()`` is the whole one-line message.

    ``path`` is the file (None when no file is involved, e.g. a token command) and
    ``key`` the dotted setting such as ``"jira.project_key"`` (None for file-level
    problems), so the UI can point at the exact line to edit.
    """

    def __init__(self, message: str, *, path: Path | None = None, key: str | None = None):
        super().__init__(message)
        self.path = path
        self.key = key


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class JiraStatuses:
    """Target *status* names, not transition names: transitions differ per workflow and
    are looked up by the status they lead to."""

    in_progress: str = "진행 중"
    testing: str = "테스트 진행중"
    done: str = "완료"


def _default_priorities() -> dict[str, str]:
    return {"Critical": "Critical", "High": "High"}


@dataclass(frozen=True)
class JiraConfig:
    url: str = ""  # no trailing slash; empty means "no Jira, use the manual path"
    project_key: str = "TERRAFORM"
    user: str = ""
    token_env: str = "JIRA_API_TOKEN"
    token_command: str = ""
    # auto: Jira Cloud wants basic auth (user + API token) while Server/Data Center
    # personal access tokens are bearer tokens; a configured user tells them apart.
    auth: str = "auto"
    issue_type: str = "Bug"
    statuses: JiraStatuses = field(default_factory=JiraStatuses)
    # severity -> the priority name this instance uses (some call them Highest/High).
    priorities: dict[str, str] = field(default_factory=_default_priorities)
    timeout: float = 20.0

    @property
    def auth_mode(self) -> str:
        """``"basic"`` or ``"bearer"``: what ``auth = "auto"`` means for this config."""
        if self.auth != "auto":
            return self.auth
        return "basic" if self.user else "bearer"

    def browse_url(self, key: str) -> str:
        """The issue's web page, or "" when no Jira is configured (offline mode)."""
        return f"{self.url}/browse/{key}" if self.url else ""

    def priority_for(self, severity: str) -> str:
        """The instance's priority name for a severity; unmapped ones pass through."""
        return self.priorities.get(severity, severity)


@dataclass(frozen=True)
class GithubConfig:
    repo: str = ""  # "owner/name"; empty means "no GitHub, use the manual path"
    base_url: str = "https://api.github.com"  # GitHub Enterprise: https://host/api/v3
    token_env: str = DEFAULT_GITHUB_TOKEN_ENV
    token_command: str = ""
    merge_method: str = "squash"
    reviewers: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=lambda: ["hotfix"])
    slack_webhook_env: str = ""  # the webhook URL is a secret too, so only its env name
    timeout: float = 20.0


@dataclass(frozen=True)
class GitConfig:
    remote: str = "origin"
    main_branch: str = "main"
    repo_dir: str = "."


@dataclass(frozen=True)
class TerraformConfig:
    binary: str = "terraform"  # or "tofu", or a path to either
    dir: str = "."
    timeout: float = 900.0  # a plan against a big state can take many minutes


@dataclass(frozen=True)
class KubectlConfig:
    binary: str = "kubectl"
    context: str = ""  # empty: kubectl's current context
    namespace: str = "default"
    # A regex searched in context names; matches are painted red so nobody mistakes
    # production for staging.
    production_pattern: str = "prod"
    timeout: float = 60.0

    def is_production(self, context: str) -> bool:
        return re.search(self.production_pattern, context) is not None


@dataclass(frozen=True)
class MonitorConfig:
    minutes: int = 30  # §7.3: watch for at least 30 minutes, up to an hour
    interval_seconds: int = 30


@dataclass(frozen=True)
class UiConfig:
    language: str = "ko"  # language of artifacts and UI text
    timezone: str = ""  # IANA name ("Asia/Seoul") for every time; "" = the machine's local zone

    def zone(self):
        """The configured zone as a tzinfo, or None for the machine's local zone."""
        return _zoneinfo(self.timezone) if self.timezone else None


@dataclass(frozen=True)
class DraftsConfig:
    dir: str = ""  # empty: the default; see paths.drafts_dir for precedence


@dataclass(frozen=True)
class SecretsConfig:
    # Environment variables whose values are masked in command output (terraform, kubectl)
    # whatever their names look like, e.g. ["TF_VAR_admin", "DB_CONN"]. Names that look
    # secret (*PASS*, *PWD*, *SECRET*, *TOKEN*, *CREDENTIAL*, *KEY*) are masked anyway.
    env: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    jira: JiraConfig = field(default_factory=JiraConfig)
    github: GithubConfig = field(default_factory=GithubConfig)
    git: GitConfig = field(default_factory=GitConfig)
    terraform: TerraformConfig = field(default_factory=TerraformConfig)
    kubectl: KubectlConfig = field(default_factory=KubectlConfig)
    monitor: MonitorConfig = field(default_factory=MonitorConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    drafts: DraftsConfig = field(default_factory=DraftsConfig)
    secrets: SecretsConfig = field(default_factory=SecretsConfig)
    path: Path | None = None  # the file this came from; None when it is all defaults


# ------------------------------------------------------------------------- validation


class _Invalid(Exception):
    """A value's problem, phrased as what was expected; the loader adds file and key."""

    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected


_Rule = Callable[[Any], Any]

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PROJECT_KEY = re.compile(r"[A-Z][A-Z0-9_]*")
_GITHUB_REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/(?!\.\.?$)[A-Za-z0-9._-]+")
_GITHUB_REVIEWER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?")
_REMOTE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_K8S_NAMESPACE = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _text(*, expected: str = "a string", nonempty: bool = False) -> _Rule:
    def rule(value: Any) -> str:
        if not isinstance(value, str) or (nonempty and not value.strip()):
            raise _Invalid(expected)
        return value

    return rule


def _matching(pattern: re.Pattern[str], expected: str, *, allow_empty: bool = False) -> _Rule:
    def rule(value: Any) -> str:
        if not isinstance(value, str):
            raise _Invalid(expected)
        if allow_empty and value == "":
            return value
        if not pattern.fullmatch(value):
            raise _Invalid(expected)
        return value

    return rule


def _choice(*options: str) -> _Rule:
    expected = "one of " + ", ".join(f'"{o}"' for o in options)

    def rule(value: Any) -> str:
        if value not in options:
            raise _Invalid(expected)
        return value

    return rule


def _url(*, allow_empty: bool, example: str) -> _Rule:
    expected = f'an http(s) URL like "{example}"' + (' or ""' if allow_empty else "")

    def rule(value: Any) -> str:
        if not isinstance(value, str):
            raise _Invalid(expected)
        value = value.strip()
        if allow_empty and not value:
            return ""
        parts = urllib.parse.urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
            raise _Invalid(expected)
        # Paths are built as f"{url}/browse/KEY"; a trailing slash would double it.
        return value.rstrip("/")

    return rule


def _env_name(*, allow_empty: bool) -> _Rule:
    expected = 'an environment variable name like "JIRA_API_TOKEN"' + (
        ' or ""' if allow_empty else ""
    )
    return _matching(_ENV_NAME, expected, allow_empty=allow_empty)


def _command(value: Any) -> str:
    expected = 'a command line like "op read op://vault/jira/token" or ""'
    if not isinstance(value, str):
        raise _Invalid(expected)
    try:
        shlex.split(value)
    except ValueError as exc:  # unbalanced quotes: better caught now than mid-incident
        raise _Invalid(f"{expected}, but it cannot be split into words: {exc}") from None
    return value


def _seconds(value: Any) -> float:
    expected = "a positive number of seconds (at most 86400)"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(expected)
    if not 0 < value <= 86400:
        raise _Invalid(expected)
    return float(value)


def _int_range(low: int, high: int, unit: str) -> _Rule:
    expected = f"a whole number of {unit} from {low} to {high}"

    def rule(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _Invalid(expected)
        return value

    return rule


def _path_text(example: str) -> _Rule:
    expected = f'a non-empty path like "{example}"'

    def rule(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise _Invalid(expected)
        return os.path.expanduser(value)

    return rule


def _program(example: str) -> _Rule:
    expected = f'a program name or path like "{example}"'

    def rule(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise _Invalid(expected)
        return os.path.expanduser(value)

    return rule


def _git_branch(value: Any) -> str:
    # The subset of git-check-ref-format rules that a typo can plausibly break.
    expected = 'a git branch name like "main"'
    if not isinstance(value, str) or not value:
        raise _Invalid(expected)
    bad = (
        value.startswith(("-", "/", "."))
        or value.endswith(("/", ".", ".lock"))
        or ".." in value
        or "//" in value
        or "@{" in value
        or any(c.isspace() or c in "~^:?*[\\" or ord(c) < 32 for c in value)
    )
    if bad:
        raise _Invalid(expected)
    return value


def _regex(value: Any) -> str:
    expected = 'a regular expression like "prod"'
    if not isinstance(value, str):
        raise _Invalid(expected)
    try:
        re.compile(value)
    except re.error as exc:
        raise _Invalid(f"{expected}, but it does not compile: {exc}") from None
    return value


def _string_list(item: _Rule, expected: str, *, strip_at: bool = False) -> _Rule:
    def rule(value: Any) -> list[str]:
        if not isinstance(value, list):
            raise _Invalid(expected)
        out = []
        for entry in value:
            if strip_at and isinstance(entry, str):
                entry = entry.removeprefix("@")  # people copy handles as "@alice"
            try:
                out.append(item(entry))
            except _Invalid:
                raise _Invalid(f"{expected}; {_show(entry)} is not one") from None
        return out

    return rule


_JIRA_RULES: dict[str, _Rule] = {
    "url": _url(allow_empty=True, example="https://example.atlassian.net"),
    "project_key": _matching(_PROJECT_KEY, 'upper-case letters/digits like "TERRAFORM"'),
    "user": _text(),
    "token_env": _env_name(allow_empty=True),
    "token_command": _command,
    "auth": _choice(*AUTH_MODES),
    "issue_type": _text(expected='a Jira issue type name like "Bug"', nonempty=True),
    "timeout": _seconds,
}
_STATUS_RULES: dict[str, _Rule] = {
    name: _text(expected=f'a Jira status name like "{default}"', nonempty=True)
    for name, default in dataclasses.asdict(JiraStatuses()).items()
}
_GITHUB_RULES: dict[str, _Rule] = {
    "repo": _matching(_GITHUB_REPO, '"owner/name" like "infra/platform"', allow_empty=True),
    "base_url": _url(allow_empty=False, example="https://api.github.com"),
    "token_env": _env_name(allow_empty=True),
    "token_command": _command,
    "merge_method": _choice(*MERGE_METHODS),
    "reviewers": _string_list(
        _matching(_GITHUB_REVIEWER, ""),
        'a list of GitHub logins or "org/team" names like ["alice", "infra/sre"]',
        strip_at=True,
    ),
    "labels": _string_list(
        _text(nonempty=True), 'a list of label names like ["hotfix"]'
    ),
    "slack_webhook_env": _env_name(allow_empty=True),
    "timeout": _seconds,
}
_GIT_RULES: dict[str, _Rule] = {
    "remote": _matching(_REMOTE_NAME, 'a git remote name like "origin"'),
    "main_branch": _git_branch,
    "repo_dir": _path_text("~/src/platform"),
}
_TERRAFORM_RULES: dict[str, _Rule] = {
    "binary": _program("terraform"),
    "dir": _path_text("environments/prod"),
    "timeout": _seconds,
}
_KUBECTL_RULES: dict[str, _Rule] = {
    "binary": _program("kubectl"),
    "context": _text(),
    "namespace": _matching(_K8S_NAMESPACE, 'a Kubernetes namespace name like "default"'),
    "production_pattern": _regex,
    "timeout": _seconds,
}
_MONITOR_RULES: dict[str, _Rule] = {
    "minutes": _int_range(*MONITOR_MINUTES, "minutes"),
    "interval_seconds": _int_range(*MONITOR_INTERVAL_SECONDS, "seconds"),
}
def _zoneinfo(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _timezone(value: Any) -> str:
    """An IANA zone name the system knows ("Asia/Seoul", "UTC"), or "" for the local zone."""
    expected = 'an IANA time zone name like "Asia/Seoul" or "UTC" (empty: this machine\'s zone)'
    name = _text(expected=expected)(value).strip()
    if not name:
        return ""
    try:
        _zoneinfo(name)
    except (ValueError, OSError, LookupError):  # ZoneInfoNotFoundError is a KeyError
        raise _Invalid(expected) from None
    return name


_UI_RULES: dict[str, _Rule] = {"language": _choice(*LANGUAGES), "timezone": _timezone}
_DRAFTS_RULES: dict[str, _Rule] = {"dir": _text()}


def _env_names(value: Any) -> tuple[str, ...]:
    names = _string_list(_env_name(allow_empty=False),
                         'a list of environment variable names like ["TF_VAR_admin_password"]')(value)
    return tuple(dict.fromkeys(names))


_SECRETS_RULES: dict[str, _Rule] = {"env": _env_names}


# Every section but [jira], whose sub-tables need their own loaders.
_SECTIONS: dict[str, tuple[type, dict[str, _Rule]]] = {
    "github": (GithubConfig, _GITHUB_RULES),
    "git": (GitConfig, _GIT_RULES),
    "terraform": (TerraformConfig, _TERRAFORM_RULES),
    "kubectl": (KubectlConfig, _KUBECTL_RULES),
    "monitor": (MonitorConfig, _MONITOR_RULES),
    "ui": (UiConfig, _UI_RULES),
    "drafts": (DraftsConfig, _DRAFTS_RULES),
    "secrets": (SecretsConfig, _SECRETS_RULES),
}
_SECTION_KEYS: dict[str, list[str]] = {
    "jira": [*_JIRA_RULES, "statuses", "priorities"],
    "jira.statuses": list(_STATUS_RULES),
    **{name: list(rules) for name, (_, rules) in _SECTIONS.items()},
}


def _section_of(name: str) -> tuple[str, str] | None:
    """The (section, key) a stray top-level key most likely belongs to."""
    for section, keys in _SECTION_KEYS.items():
        if name in keys:
            return section, name
    for section, keys in _SECTION_KEYS.items():
        guess = _closest(name, keys)
        if guess:
            return section, guess
    return None


def _where(key: str) -> str:
    """``jira.statuses.done`` -> ``[jira.statuses] done``: how it looks in the file."""
    section, _, leaf = key.rpartition(".")
    return f"[{section}] {leaf}" if section else f"[{leaf}]"


def _closest(name: str, options: Sequence[str]) -> str | None:
    folded = {o.casefold(): o for o in options}
    if name.casefold() in folded:
        return folded[name.casefold()]
    hits = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[hits[0]] if hits else None


class _Loader:
    """Turns the parsed TOML into a Config, raising the first problem found."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str | None, message: str) -> ConfigError:
        return ConfigError(f"{self.path}: {message}", path=self.path, key=key)

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            message = f"[{key}] must be a table (a [{key}] section), got {_show(value)}"
            raise self.fail(key, message)
        return value

    def reject_unknown(self, table: Mapping[str, Any], allowed: Sequence[str], key: str) -> None:
        for name in table:
            if name in allowed:
                continue
            dotted = f"{key}.{name}" if key else name
            if key:
                what = f"[{key}] has unknown key {json.dumps(name, ensure_ascii=False)}"
                guess = _closest(name, allowed)
                hint = f'did you mean "{guess}"?' if guess else "valid keys: " + ", ".join(allowed)
            elif isinstance(table[name], dict):
                what = f"unknown section [{name}]"
                guess = _closest(name, allowed)
                hint = (
                    f"did you mean [{guess}]?"
                    if guess
                    else "valid sections: " + ", ".join(f"[{a}]" for a in allowed)
                )
            else:
                # A bare key at the top is almost always a setting written above its
                # section header, so point at the section where that setting lives.
                what = f"unknown key {json.dumps(name, ensure_ascii=False)} outside any section"
                home = _section_of(name)
                hint = (
                    f'did you mean "{home[1]}" under [{home[0]}]?'
                    if home
                    else "settings go in sections: " + ", ".join(f"[{a}]" for a in allowed)
                )
            raise self.fail(dotted, f"{what} ({hint})")

    def value(self, rule: _Rule, value: Any, key: str) -> Any:
        try:
            return rule(value)
        except _Invalid as bad:
            message = f"{_where(key)} must be {bad.expected} (got {_show(value)})"
            raise self.fail(key, message) from None

    def section(
        self,
        value: Any,
        key: str,
        cls: type,
        rules: Mapping[str, _Rule],
        nested: Mapping[str, Callable[[Any, str], Any]] | None = None,
    ) -> Any:
        """One [section] as its dataclass; absent sections and keys keep defaults."""
        if value is None:
            return cls()
        nested = nested or {}
        table = self.table(value, key)
        self.reject_unknown(table, [*rules, *nested], key)
        kwargs = {
            name: self.value(rule, table[name], f"{key}.{name}")
            for name, rule in rules.items()
            if name in table
        }
        for name, build in nested.items():
            if name in table:
                kwargs[name] = build(table[name], f"{key}.{name}")
        return cls(**kwargs)

    def statuses(self, value: Any, key: str) -> JiraStatuses:
        return self.section(value, key, JiraStatuses, _STATUS_RULES)

    def priorities(self, value: Any, key: str) -> dict[str, str]:
        table = self.table(value, key)
        self.reject_unknown(table, list(SEVERITIES), key)
        rule = _text(expected='the Jira priority name, like "Highest"', nonempty=True)
        given = {name: self.value(rule, v, f"{key}.{name}") for name, v in table.items()}
        # Merged over the defaults so mapping only Critical keeps High working.
        merged = {**_default_priorities(), **given}
        return {s: merged[s] for s in SEVERITIES if s in merged}

    def config(self, raw: Mapping[str, Any]) -> Config:
        sections = [f.name for f in dataclasses.fields(Config) if f.name != "path"]
        self.reject_unknown(raw, sections, "")
        jira = self.section(
            raw.get("jira"),
            "jira",
            JiraConfig,
            _JIRA_RULES,
            {"statuses": self.statuses, "priorities": self.priorities},
        )
        if jira.auth == "basic" and not jira.user:
            raise self.fail(
                "jira.user",
                '[jira] user must be set when auth = "basic" (Jira Cloud: your e-mail)',
            )
        others = {
            name: self.section(raw.get(name), name, cls, rules)
            for name, (cls, rules) in _SECTIONS.items()
        }
        return Config(jira=jira, **others, path=self.path)


def load_config(path: Path | None = None, *, required: bool | None = None) -> Config:
    """Read and check the config file; a missing file gives all defaults.

    ``path`` defaults to :func:`paths.config_path`. A missing file is an error only when
    someone named it on purpose: through ``HOTFIX_TUI_CONFIG``, or with
    ``required=True`` (for a ``--config`` flag), since then the user believes settings
    are in effect that are not.
    """
    if path is None:
        path = paths.config_path()
        from_env = paths.config_path_from_env()
    else:
        path = Path(path).expanduser()
        from_env = False
    if required is None:
        required = from_env
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if from_env:
            raise ConfigError(
                f"{paths.CONFIG_ENV} names {path}, which does not exist", path=path
            ) from None
        if required:
            raise ConfigError(f"{path}: config file does not exist", path=path) from None
        return Config()
    except OSError as exc:
        message = f"{path}: cannot read the config file: {exc.strerror}"
        raise ConfigError(message, path=path) from None
    try:
        # utf-8-sig: Windows editors like to prepend a BOM, which TOML itself forbids.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})", path=path) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The message already ends with "(at line N, column M)".
        raise ConfigError(f"{path}: not valid TOML: {exc}", path=path) from None
    return _Loader(path).config(raw)
