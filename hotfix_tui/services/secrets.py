"""The one place that hides secrets in text: error messages, command lines and command output.

A credential travels in more than one spelling, and each must be caught:

* the value itself (a token, a password);
* its percent-encoded forms (in a URL or a form body: ``p%40ss``);
* HTTP basic auth: ``base64("user:token")``, with or without ``Basic `` before it, with or
  without padding, URL-safe or not, and percent-encoded;
* URL userinfo: ``postgres://app:pw@db`` becomes ``postgres://app:****@db`` whatever the
  password is (known or not);
* ``Authorization: Basic …`` / ``Bearer …`` and a bare ``Basic <base64>``;
* for command output: the values of environment variables whose names look secret
  (``*PASS*``, ``*PWD*``, ``*SECRET*``, ``*TOKEN*``, ``*CREDENTIAL*``, ``*KEY*``), the
  password of every ``*_URL`` variable carrying userinfo, the values of variables named in
  ``[secrets] env``, and ``NAME=value`` assignments printed by the command whose NAME looks
  secret (``TF_VAR_db_pass=hunter2`` → ``TF_VAR_db_pass=****``).

Tokens the Jira and GitHub services resolve are registered here (:func:`register`,
:func:`register_basic`) and masked from then on in every message and every command's
output. Everything is plain Python (no I/O); ``errors.redact`` and the runner delegate here.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import urllib.parse
from collections.abc import Iterable, Mapping

__all__ = [
    "MASK",
    "MIN_ENV_SECRET_LEN",
    "Masker",
    "encodings",
    "is_secret_name",
    "mask",
    "mask_userinfo",
    "register",
    "register_basic",
    "registered",
    "strip_userinfo",
]

MASK = "****"
# Values shorter than this taken from the environment by a name heuristic are not masked:
# "1", "true" or "abc" would blank out half the output and protect nothing.
MIN_ENV_SECRET_LEN = 6
# A value someone named on purpose ([secrets] env, a resolved token) is masked from here.
MIN_SECRET_LEN = 4

# Names whose values are secret. KEY is for the environment only (API_KEY, AWS_SECRET_…):
# in terraform's output `key = "config"` is an ordinary attribute, not a credential.
_ENV_SECRET_NAME = re.compile(r"PASS|PWD|SECRET|TOKEN|CREDENTIAL|KEY", re.IGNORECASE)
# The words themselves serve a quick test: without one in a line, it has no such name.
_OUTPUT_SECRET_WORDS = ("pass", "pwd", "secret", "token", "credential")
_OUTPUT_SECRET_NAME = re.compile("|".join(_OUTPUT_SECRET_WORDS), re.IGNORECASE)
# The shell's working-directory variables match *PWD* but hold a path everyone can see;
# masking them would blank every path in the output.
_NOT_SECRET = frozenset({"PWD", "OLDPWD"})
_URL_NAME = re.compile(r"_(URL|URI|DSN)$", re.IGNORECASE)

_SCHEME = r"[A-Za-z][A-Za-z0-9+.-]*://"
# scheme://user:password@  (the password may be empty or contain ':')
_USERINFO_PW = re.compile(rf"\b({_SCHEME})([^/@\s:'\"]*):([^/\s'\"]*)@")
# scheme://something@ with no ':' — a token used as the user name (https://ghp_x@github.com)
_USERINFO_ONLY = re.compile(rf"\b({_SCHEME})([^/@\s:'\"]+)@")
# A bare user name (git, deploy, oauth2) is shown; a long one is most likely a token.
_TOKEN_AS_USER_LEN = 16

_AUTH_HEADER = re.compile(
    r"(?i)\b((?:proxy-)?authorization['\"]?\s*[:=]\s*\[?\s*['\"]?)(basic|bearer|token)\s+[^\s'\",}\]]+"
)
# "Basic <base64>" / "Bearer <token>" anywhere (an echoed header in an HTML error page).
# A digit, '+', '/' or '=' in the value tells a credential from prose ("Basic authentication").
_SCHEME_VALUE = re.compile(
    r"\b(Basic|Bearer)(\s+|%20|\+)([A-Za-z0-9+/_.~-]{8,}(?:={1,2}|(?:%3D){1,2})?)", re.IGNORECASE
)
_CREDENTIAL_CHAR = re.compile(r"[0-9+/=%]")
# NAME=value, NAME = "value", NAME='value' printed by a command (env dumps, plan output).
# A backslash ends an unquoted value: masking half of an escaped quote (password=\"x\")
# inside a JSON string would make the JSON unreadable.
_ASSIGNMENT = re.compile(
    r"(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)(?:\"([^\"]*)\"|'([^']*)'|([^\s\"',;&\\]+))"
)

_lock = threading.Lock()
_registered: set[str] = set()  # every encoding of every registered secret
_generation = 0  # bumped on each registration, so Maskers know to refresh


def is_secret_name(name: str, *, output: bool = False) -> bool:
    """Whether an environment variable (or, with ``output``, a printed NAME=) looks secret."""
    if name.upper() in _NOT_SECRET:
        return False
    return bool((_OUTPUT_SECRET_NAME if output else _ENV_SECRET_NAME).search(name))


def _b64_forms(raw: bytes) -> set[str]:
    std = base64.b64encode(raw).decode("ascii")
    url = base64.urlsafe_b64encode(raw).decode("ascii")
    forms = {std, std.rstrip("="), url, url.rstrip("=")}
    forms |= {urllib.parse.quote(f, safe="") for f in forms}
    return forms


def encodings(secret: str, user: str | None = None) -> set[str]:
    """Every spelling of ``secret`` worth masking (and of ``user:secret`` for basic auth)."""
    if not secret:
        return set()
    forms = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret, safe=""),
             urllib.parse.quote(secret, safe="/:")}
    escaped = json.dumps(secret, ensure_ascii=False)[1:-1]  # inside a JSON string
    forms.add(escaped)
    if user is not None:
        pair = f"{user}:{secret}"
        forms.add(pair)
        forms |= _b64_forms(pair.encode("utf-8"))
        forms.add(urllib.parse.quote(pair, safe=""))
    return {f for f in forms if f}


def register(secret: str | None, *, min_len: int = MIN_SECRET_LEN) -> None:
    """Mask ``secret`` (in every encoding) in every message and every output from now on."""
    if not secret or len(secret) < min_len:
        return
    _add(encodings(secret))


def register_basic(user: str, token: str | None) -> None:
    """A basic-auth credential: the token and ``base64(user:token)`` in all its forms."""
    if not token or len(token) < MIN_SECRET_LEN:
        return
    _add(encodings(token, user or ""))


def _add(forms: Iterable[str]) -> None:
    global _generation
    with _lock:
        before = len(_registered)
        _registered.update(forms)
        if len(_registered) != before:
            _generation += 1


def registered() -> frozenset[str]:
    with _lock:
        return frozenset(_registered)


def strip_userinfo(url: str) -> str:
    """A URL without ``user:password@`` at all (for a ``server`` field shown as the place)."""
    url = _USERINFO_PW.sub(r"\1", url or "")
    return _USERINFO_ONLY.sub(r"\1", url)


def mask_userinfo(text: str, replacement: str = MASK) -> str:
    """``scheme://user:pw@host`` → ``scheme://user:****@host``; a long bare user is masked too."""
    if "://" not in text:
        return text
    text = _USERINFO_PW.sub(lambda m: f"{m.group(1)}{m.group(2)}:{replacement if m.group(3) else ''}@", text)

    def bare(m: re.Match[str]) -> str:
        user = m.group(2)
        if len(user) >= _TOKEN_AS_USER_LEN and user != replacement:
            user = replacement
        return f"{m.group(1)}{user}@"

    return _USERINFO_ONLY.sub(bare, text)


def _mask_structure(text: str, replacement: str) -> str:
    """What is a credential by its shape, known or not: userinfo and auth headers."""
    text = mask_userinfo(text, replacement)
    lowered = text.lower()
    if "basic" in lowered or "bearer" in lowered or "token" in lowered:
        text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)} {replacement}", text)
        text = _SCHEME_VALUE.sub(
            lambda m: f"{m.group(1)}{m.group(2)}{replacement}" if _CREDENTIAL_CHAR.search(m.group(3))
            else m.group(0), text)
    return text


def _mask_assignments(text: str, replacement: str) -> str:
    if "=" not in text:
        return text
    # A secret NAME (ASCII, see _ASSIGNMENT) is part of the text: without one of the
    # secret words anywhere in the line there is nothing to mask. The common case, e.g.
    # terraform's "[id=…]" lines: a substring test costs ~20x less than the assignment scan.
    lowered = text.lower()
    if not any(word in lowered for word in _OUTPUT_SECRET_WORDS):
        return text

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if not is_secret_name(name.rsplit(".", 1)[-1], output=True):
            return m.group(0)
        value = next(v for v in m.group(3, 4, 5) if v is not None)
        # terraform's own placeholders say there is nothing to hide.
        if not value or value.startswith("(") or value == replacement:
            return m.group(0)
        quote = '"' if m.group(3) is not None else "'" if m.group(4) is not None else ""
        return f"{name}{m.group(2)}{quote}{replacement}{quote}"

    return _ASSIGNMENT.sub(one, text)


def _replace_all(text: str, forms: Iterable[str], replacement: str) -> str:
    for form in forms:
        if form in text:
            text = text.replace(form, replacement)
    return text


def _longest_first(forms: Iterable[str]) -> list[str]:
    # A secret containing another is masked whole; the MASK itself is never a "secret".
    return sorted({f for f in forms if f and f != MASK}, key=len, reverse=True)


def mask(text: str, secrets: Iterable[str] = (), *, replacement: str = MASK) -> str:
    """``text`` with registered secrets, ``secrets`` and credential shapes masked (messages).

    The same rules as a :class:`Masker` without environment: known values in every
    encoding, URL passwords, auth headers, and secret-looking ``NAME=value``.
    """
    if not text:
        return text
    extra = set()
    for s in secrets:
        if s and len(s) >= MIN_SECRET_LEN:
            extra |= encodings(s)
    text = _replace_all(text, _longest_first(registered() | extra), replacement)
    return _mask_assignments(_mask_structure(text, replacement), replacement)


class Masker:
    """Masks one command's secrets in its display and in every line of its output.

    ``secrets`` are masked in all their encodings; registered tokens (Jira, GitHub) are
    always included. ``assignments`` also masks ``NAME=value`` with a secret-looking NAME.
    """

    def __init__(self, secrets: Iterable[str] = (), *, assignments: bool = True):
        forms: set[str] = set()
        for s in secrets:
            if s:
                forms |= encodings(s)
        self._own = forms
        self._assignments = assignments
        self._generation = -1
        self._forms: list[str] = []
        self._refresh()

    @classmethod
    def from_env(cls, env: Mapping[str, str], names: Iterable[str] = (), *, assignments: bool = True) -> Masker:
        """Secrets of an environment: secret-looking names, ``*_URL`` passwords, ``names``."""
        return cls(env_secrets(env, names), assignments=assignments)

    def _refresh(self) -> None:
        with _lock:
            generation, shared = _generation, set(_registered)
        if generation != self._generation:
            self._forms = _longest_first(self._own | shared)
            self._generation = generation

    def __bool__(self) -> bool:
        # Structure and assignments are always checked, so a masker always has work.
        return True

    def lines(self, texts: list[str]) -> list[str]:
        """Each of ``texts`` masked as ``self(text)`` would: the same list when none of them
        holds anything a rule could mask (one look at the joined text, not one per line).

        Every rule needs a marker in the line it masks (a known form, ``://``, an auth word,
        ``=`` and a secret word), and a marker in a line is in the joined text; a marker
        only there (across a line break) just sends the batch the slow way."""
        if self._generation != _generation:
            self._refresh()
        joined = "\n".join(texts)
        lowered = joined.lower()
        if ("://" in joined or "basic" in lowered or "bearer" in lowered or "token" in lowered
                or any(form in joined for form in self._forms)
                or (self._assignments and "=" in joined
                    and any(word in lowered for word in _OUTPUT_SECRET_WORDS))):
            return [self(text) for text in texts]
        return texts

    def __call__(self, text: str, replacement: str = MASK) -> str:
        if not text:
            return text
        if self._generation != _generation:
            self._refresh()
        text = _replace_all(text, self._forms, replacement)
        text = _mask_structure(text, replacement)
        if self._assignments:
            text = _mask_assignments(text, replacement)
        return text


def env_secrets(env: Mapping[str, str], names: Iterable[str] = ()) -> list[str]:
    """The values in ``env`` that must never be shown (see the module docstring)."""
    named = {n for n in names if n}
    found: list[str] = []
    for name, value in env.items():
        if not value:
            continue
        if name in named:
            if len(value) >= MIN_SECRET_LEN:
                found.append(value)
            continue
        if is_secret_name(name) and len(value) >= MIN_ENV_SECRET_LEN:
            found.append(value)
        if _URL_NAME.search(name) and "://" in value:
            match = _USERINFO_PW.search(value)
            password = match.group(3) if match else ""
            if password and len(password) >= MIN_SECRET_LEN:
                found.append(password)
                unquoted = urllib.parse.unquote(password)
                if unquoted != password:
                    found.append(unquoted)
    return found
