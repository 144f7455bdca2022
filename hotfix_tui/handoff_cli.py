"""`hotfix handoff DRAFT` and the fetch in `hotfix open KEY`: a draft handed over through its Jira ticket.

``hotfix handoff`` attaches the draft file as saved to its ticket with a status comment
(phase, what is done, what is next; workflow/handoff.py renders it in ``[ui] language``).
``--dry-run`` prints both requests and sends nothing. ``hotfix open KEY`` on a host with no
local draft for KEY offers to fetch the newest ``hotfix-draft-*.toml`` attachment: a y/N
question on a terminal; without one it prints what would be fetched and the command to
confirm (``--fetch``), exit 1. A fetched draft is validated, then saved as a new local
draft (``DraftStore.add_file``: never over an existing file, written atomically).

Exit codes as the other commands: 0 done, 1 refused (no key, a token in the draft, no or a
bad attachment, not confirmed), 2 usage, configuration or an unreachable server.
``cli.py`` wires :func:`add_parser`, :func:`run` and :func:`fetch_for_open`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .services.errors import Ending, ServiceError, redact
from .textsafe import visible_line

if TYPE_CHECKING:
    from .config import Config
    from .services import Services
    from .store import DraftStore


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("handoff", help="attach the draft to its Jira ticket with a comment saying "
                              "where it stands (fetch it elsewhere with `hotfix open KEY`)")
    p.add_argument("draft", metavar="DRAFT", help="a draft path, id or Jira key")
    p.add_argument("--dry-run", action="store_true", help="print the requests, send nothing")


def _say(message: str) -> None:
    print(f"hotfix: {visible_line(redact(message))}", file=sys.stderr)


def configured_tokens(config: Config, services: Services | None) -> dict[str, str]:
    """The tokens this host is configured with, by where they come from (never printed)."""
    from .services.credentials import github_token_env_names

    names = [config.jira.token_env or "JIRA_API_TOKEN", "JIRA_API_TOKEN", *github_token_env_names(config)]
    if config.github.slack_webhook_env:
        names.append(config.github.slack_webhook_env)
    tokens = {name: os.environ.get(name, "") for name in dict.fromkeys(names)}
    if services is not None and config.jira.token_command:
        # The Jira request needs the token anyway; one from a command is compared too.
        try:
            tokens["[jira] token_command"] = services.jira.credentials.token()
        except ServiceError:
            pass
    return {name: value for name, value in tokens.items() if value}


def run(args: argparse.Namespace, config: Config, store: DraftStore,
        services: Services | None = None) -> Ending:
    """``hotfix handoff DRAFT [--dry-run]``."""
    from .i18n import tr
    from .store import DraftError
    from .workflow.handoff import attachment_name, status_comment, token_fields

    lang = config.ui.language
    try:
        path = store.resolve(args.draft)
        loaded = store.load(path)
        data = path.read_bytes()  # the file as saved: what the other host will open
    except (DraftError, OSError) as exc:
        _say(getattr(exc, "strerror", None) or str(exc))
        return Ending.USAGE
    draft = loaded.draft
    key = draft.backlog.jira_key
    if not key:
        _say(tr("handoff.no_key", lang, path=path))
        return Ending.REFUSED
    if services is None:
        from .services import Services

        services = Services.from_config(config)
    jira = services.jira
    fields, names = token_fields(draft, configured_tokens(config, None if args.dry_run else services),
                                 data.decode("utf-8", "replace"))
    if fields:
        _say(tr("handoff.token", lang, path=path, fields=", ".join(fields), names=", ".join(names)))
        return Ending.REFUSED
    filename = attachment_name(key)
    comment = status_comment(draft, filename, lang)
    try:
        jira.check_key(key)
        if args.dry_run:
            for line in [*jira.attach(key, filename, data, dry_run=True), *jira.comment(key, comment, dry_run=True)]:
                print(visible_line(line))
            return Ending.OK
        jira.attach(key, filename, data)
        jira.comment(key, comment)
    except ServiceError as exc:
        _say(str(exc))
        return exc.ending
    print(visible_line(tr("handoff.done", lang, key=key, file=filename, url=jira.browse_url(key))))
    return Ending.OK


def fetch_for_open(ref: str, fetch: bool, config: Config, store: DraftStore,
                   services: Services | None = None) -> tuple[Ending, Path | None]:
    """``hotfix open KEY`` with no local draft for KEY: offer the ticket's draft attachment.

    Returns (ending, path of the saved draft or None). Asks y/N when stdin is a terminal and
    ``fetch`` is not given; without a terminal, says what would be fetched and how to confirm.
    """
    from .i18n import tr
    from .store import DraftError
    from .workflow.handoff import MAX_DRAFT_BYTES, HandoffError, load_attachment, newest_draft_attachment

    lang = config.ui.language
    if services is None:
        from .services import Services

        services = Services.from_config(config)
    jira = services.jira
    try:
        found = newest_draft_attachment(jira.attachments(ref))
    except ServiceError as exc:
        _say(str(exc))
        return exc.ending, None
    if found is None:
        _say(tr("handoff.no_attachment", lang, key=ref))
        return Ending.REFUSED, None
    if not fetch:
        _say(tr("handoff.found", lang, key=ref, file=found.filename, size=found.size, created=found.created))
        if not sys.stdin.isatty():
            _say(tr("handoff.confirm", lang, command=f"hotfix open {ref} --fetch"))
            return Ending.REFUSED, None
        offer = tr("handoff.offer", lang, folder=store.folder)
        print(visible_line(offer) + " [y/N] ", end="", file=sys.stderr, flush=True)
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes", "예", "네"):
            _say(tr("handoff.declined", lang))
            return Ending.REFUSED, None
    if 0 <= MAX_DRAFT_BYTES < found.size:
        _say(tr("handoff.bad", lang, key=ref, file=found.filename,
                why=tr("handoff.bad.size", lang, limit=MAX_DRAFT_BYTES)))
        return Ending.REFUSED, None
    try:
        data = jira.download(found, MAX_DRAFT_BYTES)
        load_attachment(data, ref, lang)
        saved = store.add_file(data)
    except ServiceError as exc:
        if exc.kind == "refused":
            _say(tr("handoff.bad", lang, key=ref, file=found.filename, why=exc.problem))
        else:
            _say(str(exc))
        return exc.ending, None
    except HandoffError as exc:
        _say(tr("handoff.bad", lang, key=ref, file=found.filename, why=str(exc)))
        return Ending.REFUSED, None
    except (DraftError, OSError) as exc:
        _say(getattr(exc, "strerror", None) or str(exc))
        return Ending.USAGE, None
    print(visible_line(tr("handoff.fetched", lang, key=ref, path=saved.path, file=found.filename)), file=sys.stderr)
    return Ending.OK, saved.path
