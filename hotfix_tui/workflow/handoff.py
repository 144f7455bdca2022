"""The hand-off of a draft through its Jira ticket (issue 13, item 3): what is attached, what the
status comment says, which attachment is the draft to fetch, and whether its bytes are a draft.

The team's shared state stays in Jira, the system of record: ``hotfix handoff`` attaches the
draft file exactly as saved (``hotfix-draft-<KEY>-<time>.toml``) with a comment saying where
the incident stands, and ``hotfix open <KEY>`` on a host without that draft fetches the newest
such attachment. The rules here are the ones both sides rely on:

- Tokens never travel: drafts never hold one, and :func:`token_fields` finds a value equal to
  a configured token anyway (someone pasted it into the problem text) so the upload is refused.
- An attachment is untrusted bytes: :func:`load_attachment` refuses one that is too large, not
  UTF-8, holds raw control characters (rule 5: data is never terminal code), is not a draft
  the store can load, or belongs to another ticket — one message, nothing written.
- The comment is rendered from facts (phase, done phases, branch, PR, overrides), never from
  typed text.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from collections.abc import Iterable

from ..i18n import tr
from ..model import PHASES, Draft, now, os_user
from ..services.jira import Attachment
from ..store import DraftError, parse

# A draft of a real incident is tens of kilobytes; field limits keep it far below this.
MAX_DRAFT_BYTES = 4 * 1024 * 1024
ATTACHMENT_PREFIX = "hotfix-draft-"
_ATTACHMENT_NAME = re.compile(r"^hotfix-draft-[A-Za-z0-9_.-]*\.toml\Z")
# Raw control characters a saved draft never holds (the store writes them escaped):
# C0 except tab, LF and CR, DEL, C1, and the bidirectional overrides.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")
# Shorter values are not treated as tokens: a short one would match ordinary words.
MIN_TOKEN_LENGTH = 8


class HandoffError(Exception):
    """A hand-off refused, with one message for the user."""


def attachment_name(key: str, at: _dt.datetime | None = None) -> str:
    """The file name a hand-off attaches: recognisable, and sorted by time within a ticket."""
    return f"{ATTACHMENT_PREFIX}{key}-{(at or now()).strftime('%Y%m%d-%H%M%S')}.toml"


def is_draft_attachment(filename: str) -> bool:
    return bool(_ATTACHMENT_NAME.match(filename))


def newest_draft_attachment(attachments: Iterable[Attachment]) -> Attachment | None:
    """The newest attachment named like a hand-off draft (by Jira's upload time, then id)."""
    candidates = [a for a in attachments if is_draft_attachment(a.filename)]
    if not candidates:
        return None
    return max(candidates, key=lambda a: (_jira_time(a.created), _number(a.id)))


def _jira_time(text: str) -> _dt.datetime:
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return _dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return _dt.datetime.min.replace(tzinfo=_dt.timezone.utc)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else -1


def token_fields(draft: Draft, tokens: dict[str, str], file_text: str = "") -> tuple[list[str], list[str]]:
    """(draft fields, token names) where a field's text contains a configured token's value.

    ``tokens`` maps where a token comes from (``JIRA_API_TOKEN``) to its value; values
    shorter than :data:`MIN_TOKEN_LENGTH` are ignored. ``file_text`` (the file as it would be
    attached) is searched too: a token in a comment someone wrote into the file is found
    and named as ``(file text)``.
    """
    wanted = {name: value for name, value in tokens.items() if value and len(value) >= MIN_TOKEN_LENGTH}
    fields: list[str] = []
    names: list[str] = []
    for where, text in _texts(dataclasses.asdict(draft), ""):
        for name, value in wanted.items():
            if value in text:
                if where not in fields:
                    fields.append(where)
                if name not in names:
                    names.append(name)
    for name, value in wanted.items():
        if value in file_text and name not in names:
            fields.append("(file text)")
            names.append(name)
    return fields, names


def _texts(value: object, where: str) -> Iterable[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _texts(v, f"{where}[{i}]")


def status_comment(draft: Draft, filename: str, language: str) -> str:
    """The comment posted with the attachment: where the incident stands, from the draft's facts."""
    def phase_name(phase: str) -> str:
        return tr(f"phase.{phase}", language) if phase in PHASES else phase

    done = [p for p in PHASES if p in draft.done_phases]
    remaining = [p for p in PHASES if p not in draft.done_phases]
    current = draft.phase if draft.phase in PHASES else (remaining[0] if remaining else "")
    after = [p for p in remaining if PHASES.index(p) > PHASES.index(current)] if current else []
    lines = [
        tr("handoff.comment.title", language, file=filename),
        "",
        "* " + tr("handoff.comment.phase", language, phase=phase_name(current) if current else "-"),
        "* " + tr("handoff.comment.done", language,
                  phases=", ".join(phase_name(p) for p in done) or tr("handoff.comment.none", language)),
        "* " + tr("handoff.comment.next", language,
                  phase=(phase_name(after[0]) if after else tr("handoff.comment.finished", language))),
    ]
    if draft.branch.name:
        lines.append("* " + tr("handoff.comment.branch", language, branch=draft.branch.name))
    if draft.pr.url:
        lines.append("* " + tr("handoff.comment.pr", language, url=draft.pr.url))
    if draft.overrides:
        lines.append("* " + tr("handoff.comment.overrides", language, n=len(draft.overrides)))
    lines += ["", tr("handoff.comment.how", language, key=draft.backlog.jira_key),
              tr("handoff.comment.by", language, by=os_user(), at=now().strftime("%Y-%m-%d %H:%M %z"))]
    return "\n".join(lines)


def load_attachment(data: bytes, key: str, language: str) -> Draft:
    """The draft in an attachment's bytes, or :class:`HandoffError` saying why not (one line)."""
    if len(data) > MAX_DRAFT_BYTES:
        raise HandoffError(tr("handoff.bad.size", language, limit=MAX_DRAFT_BYTES))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise HandoffError(tr("handoff.bad.utf8", language)) from None
    bad = _RAW_CONTROL.search(text)
    if bad:
        raise HandoffError(tr("handoff.bad.control", language, char=f"U+{ord(bad.group()):04X}",
                              offset=len(text[:bad.start()].encode("utf-8"))))
    try:
        draft, _doc = parse(text)
    except DraftError as exc:
        # The store's advice ("fix it by hand or restore it from .trash/") is for a local
        # file; an attachment is simply not taken.
        raise HandoffError(" ".join(str(exc).split()).split("; it was left untouched")[0]
                           .split("; the file was left untouched")[0]) from None
    if draft.backlog.jira_key and draft.backlog.jira_key != key:
        raise HandoffError(tr("handoff.bad.other_key", language, other=draft.backlog.jira_key))
    return draft
