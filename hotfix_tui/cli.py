"""The ``hotfix`` command: the TUI when bare, scriptable subcommands otherwise.

Exit codes (design guide): 0 success, 1 a check or validation failed, 2 usage or I/O
error. Errors are one line on stderr; ``--debug`` adds the traceback. Heavy imports
(Textual, jira, PyGithub, GitPython) happen inside the commands that need them so
``hotfix list`` and friends start fast.
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import time
import traceback
from pathlib import Path

from .services.errors import Ending, Stopped

# The one place endings become exit codes (design guide): 0 success, 1 a check, a
# validation or a precondition failed, 2 usage, configuration or I/O; 128 + N after signal N.
EXIT_CODES = {Ending.OK: 0, Ending.FAILED: 1, Ending.REFUSED: 1, Ending.USAGE: 2}


def exit_code(ending: Ending | Stopped) -> int:
    if isinstance(ending, Stopped):
        return 128 + ending.signum
    return EXIT_CODES[ending]


class CliError(Exception):
    """A user-facing failure: one line; a usage problem unless said otherwise."""

    def __init__(self, message: str, ending: Ending = Ending.USAGE):
        super().__init__(message)
        self.ending = ending


# The commands whose parsers live in modules of their own (checks_cli, handoff_cli,
# integrations_cli; each imports its services): a command line naming none of them is
# parsed without importing them, which was a tenth of the time to the wizard's first frame.
OWN_PARSERS = frozenset({"check", "handoff", "jira", "git", "pr", "status", "sync"})


class _NeedsAllCommands(Exception):
    """The short parser met something it cannot judge alone (an error it would word
    without the other commands): parse again with them."""


class _ShortParser(argparse.ArgumentParser):
    def error(self, message):
        raise _NeedsAllCommands(message)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line, parsed by the parser with every command; without the commands of
    ``OWN_PARSERS`` when no word of it names one (nor asks for help), which gives the same
    result: a bare ``hotfix`` or ``hotfix open`` never needs them."""
    words = sys.argv[1:] if argv is None else argv
    if not any(word in OWN_PARSERS or word in ("-h", "--help") for word in words):
        try:
            return _build_parser(every_command=False).parse_args(words)
        except _NeedsAllCommands:
            pass  # parsed again below, so the message names every command
    return _build_parser().parse_args(words)


def _build_parser(every_command: bool = True) -> argparse.ArgumentParser:
    from .render.artifacts import ARTIFACTS

    parser = (argparse.ArgumentParser if every_command else _ShortParser)(
        prog="hotfix",
        description="Walk through the production hotfix workflow (triage → Jira → branch → "
        "fix → PR → merge → RCA). Bare `hotfix` opens the full-screen wizard.",
    )
    parser.add_argument("--config", metavar="PATH", help="config file (default: $HOTFIX_TUI_CONFIG or the user config dir)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_new = sub.add_parser("new", help="start a new hotfix draft and print its path")
    p_new.add_argument("--summary", default="", help="problem summary (the Jira title without [HOTFIX])")

    sub.add_parser("list", help="list drafts: id, Jira key, phase, last saved, title")

    p_render = sub.add_parser("render", help="print one artifact of a draft")
    p_render.add_argument("draft", metavar="DRAFT", help="a draft path, id or Jira key")
    p_render.add_argument("artifact", metavar="ARTIFACT", choices=list(ARTIFACTS), help=" ".join(ARTIFACTS))
    p_render.add_argument("--format", choices=["markdown", "jira"], default="markdown",
                          help="markdown (default) or Jira wiki markup")
    p_render.add_argument("--strict", action="store_true",
                          help="exit 1 (the text still printed) when it holds a {…} template placeholder")

    p_export = sub.add_parser("export", help="the whole incident in one document: report, RCA, timeline, "
                              "§10 checklist, overrides, checks, plan review, links, monitoring samples")
    p_export.add_argument("draft", metavar="DRAFT", help="a draft path, id or Jira key")
    p_export.add_argument("--format", choices=["markdown", "html", "json"], default="markdown",
                          help="markdown (default), html (a self-contained page) or json (the facts)")
    p_export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    p_open = sub.add_parser("open", help="open a draft in the full-screen wizard")
    p_open.add_argument("draft", metavar="DRAFT", help="a draft path, id or Jira key")
    p_open.add_argument("--fetch", action="store_true",
                        help="no local draft for this Jira key: fetch the one `hotfix handoff` attached "
                        "to the ticket without asking")

    p_validate = sub.add_parser("validate", help="check a draft against the workflow's rules")
    p_validate.add_argument("draft", metavar="DRAFT", help="a draft path, id or Jira key")

    p_stats = sub.add_parser("stats", help="the team's numbers over all drafts: time to cause, PR, review, "
                             "deploy; downtime; overrides by gate; where time goes")
    p_stats.add_argument("--since", metavar="DATE", help="only incidents discovered on or after DATE "
                         "(YYYY-MM-DD, or 'YYYY-MM-DD HH:MM')")
    p_stats.add_argument("--json", action="store_true", help="print the figures as JSON")

    if every_command:
        from . import checks_cli, handoff_cli, integrations_cli

        checks_cli.add_parser(sub)
        integrations_cli.add_parsers(sub)
        handoff_cli.add_parser(sub)
    return parser


def _config(args):
    from .config import ConfigError, load_config

    from .model import set_timezone

    try:
        if args.config:
            config = load_config(Path(args.config).expanduser(), required=True)
        else:
            config = load_config()
    except ConfigError as exc:
        raise CliError(str(exc)) from None
    set_timezone(config.ui.zone())  # the one clock: every time recorded, parsed or shown
    return config


def _store(config):
    from .paths import drafts_dir
    from .store import DraftStore

    return DraftStore(drafts_dir(config))


def _load(store, ref: str):
    from .store import DraftError

    try:
        return store.load(store.resolve(ref))
    except DraftError as exc:
        raise CliError(str(exc)) from None


def _read(store, ref: str):
    """The draft at ``ref`` for reading only (render, validate): parsed with ``tomllib``,
    which stays fast on a multi-megabyte field where the round-trip parser takes minutes.
    Anything unusual (a parse or schema problem) goes through the store's own load, so
    its message is the same as everywhere else."""
    import tomllib

    from .model import SCHEMA_VERSION, DraftFormatError, from_dict
    from .store import DraftError

    try:
        path = store.resolve(ref)
    except DraftError as exc:
        raise CliError(str(exc)) from None
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        schema = data.get("schema")
        if isinstance(schema, int) and not isinstance(schema, bool) and 0 < schema <= SCHEMA_VERSION:
            return path, from_dict(data)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, DraftFormatError):
        pass
    loaded = _load(store, ref)
    return loaded.path, loaded.draft


def cmd_new(args) -> Ending | Stopped:
    from .i18n import tr
    from .model import Draft

    config = _config(args)
    store = _store(config)
    draft = Draft()
    draft.backlog.summary = args.summary.strip()
    draft.deploy.monitor_minutes = config.monitor.minutes
    # The outage began before the tool was opened; the wizard lets the user edit this.
    draft.add_event(tr("event.discovered", config.ui.language), source="auto", milestone=True)
    try:
        loaded = store.create(draft)
    except OSError as exc:
        raise CliError(f"cannot write a draft in {store.folder}: {exc.strerror or exc}") from None
    print(loaded.path)
    return Ending.OK


def cmd_list(args) -> Ending | Stopped:
    from .i18n import tr
    from .workflow.timeline import age_text as _age

    config = _config(args)
    infos = _store(config).list()
    if not infos:
        print(tr("cli.no_drafts", config.ui.language), file=sys.stderr)
        return Ending.OK
    now = time.time()
    rows = [("ID", "KEY", "PHASE", "SAVED", "TITLE")]
    for info in infos:
        if info.error:
            rows.append((info.id, "-", "-", _age(now - info.saved_at), f"(unreadable: {info.error})"))
        else:
            # Steps waiting for their server show beside the phase (`hotfix sync` sends them).
            phase = f"{info.phase} (outbox {info.pending})" if info.pending else info.phase
            rows.append((info.id, info.jira_key or "-", phase, _age(now - info.saved_at), info.title or "-"))
    # Titles are draft data: their controls are shown, never obeyed, to a terminal and to
    # a pipe alike (`hotfix list | less -R` reaches a terminal too), and a newline in a
    # title cannot split a row.
    from .textsafe import visible_line

    rows = [tuple(visible_line(cell) for cell in row) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
    return Ending.OK


def cmd_render(args) -> Ending | Stopped:
    from .render import RenderContext, placeholders, render

    config = _config(args)
    _path, draft = _read(_store(config), args.draft)
    ctx = RenderContext.from_config(config)
    text = render(draft, args.artifact, ctx, args.format)
    empty = placeholders(draft, args.artifact, ctx) if getattr(args, "strict", False) else []
    if sys.stdout.isatty():
        # To a terminal the text is read, so controls are shown (␛), never obeyed; to a
        # pipe or file it is the exact text (byte for byte) for the tool that reads it.
        from .textsafe import visible

        text = visible(text)
    sys.stdout.write(text)
    if empty:
        sys.stdout.flush()
        print(f"hotfix: {args.artifact} still holds template placeholders for: {', '.join(empty)} "
              "(fill these fields in the draft)", file=sys.stderr)
        return Ending.FAILED
    return Ending.OK


def cmd_export(args) -> Ending | Stopped:
    from .i18n import tr
    from .render import RenderContext
    from .workflow.checklist import Facts
    from .workflow.export import export

    config = _config(args)
    _path, draft = _read(_store(config), args.draft)
    # The record as it stands: no terraform files are read (their fingerprint is not compared).
    text = export(draft, args.format, RenderContext.from_config(config), Facts(minutes=config.monitor.minutes))
    if not args.output:
        sys.stdout.write(text)  # markdown and html show controls already; json escapes them
        return Ending.OK
    from .store import replace_atomically

    target = Path(args.output).expanduser()
    try:
        replace_atomically(target, text.encode("utf-8"), 0o600)  # as the wizard writes its exports
    except OSError as exc:
        raise CliError(tr("export_failed", config.ui.language, path=target, error=exc.strerror or exc)) from None
    print(tr("exported", config.ui.language, path=target), file=sys.stderr)
    return Ending.OK


def cmd_validate(args) -> Ending | Stopped:
    from .i18n import tr
    from .render import RenderContext
    from .workflow.validation import ERROR

    config = _config(args)
    path, draft = _read(_store(config), args.draft)
    lang = config.ui.language
    # The gates of the phases the draft has passed, on the terraform files as they are now.
    from .services.checks import CheckService
    from .workflow.checklist import Facts
    from .workflow.validation import draft_report

    tree = CheckService(config).tree_fingerprint()
    findings = draft_report(draft, RenderContext.from_config(config),
                            Facts(minutes=config.monitor.minutes, tree=tree))
    for f in findings:
        print(f"{path}: {f.level}: [{f.phase}] {f.field}: {f.message}")
    for o in draft.overrides:
        print(f"{path}: " + tr("ov.cli_line", lang, phase=o.phase, what=o.what or o.gate, reason=o.reason,
                              at=o.at, by=o.by or "?"))
    errors = sum(1 for f in findings if f.level == ERROR)
    if not findings:
        print(tr("cli.valid", lang, path=path))
    else:
        print(tr("cli.summary", lang, errors=errors, warnings=len(findings) - errors))
    return Ending.FAILED if errors else Ending.OK


def cmd_stats(args) -> Ending | Stopped:
    from .i18n import tr
    from .workflow.stats import compute, json_text, parse_since, table_lines
    from .workflow.stats_index import read_records

    config = _config(args)
    lang = config.ui.language
    since = None
    if args.since is not None:
        try:
            since = parse_since(args.since)
        except ValueError:
            raise CliError(tr("stats.bad_since", lang, value=args.since)) from None
    records, skipped = read_records(_store(config), parallel=True)
    stats = compute(records, since, skipped)
    if args.json:
        print(json_text(stats))
    else:
        print("\n".join(table_lines(stats, lang)))
    return Ending.OK


def cmd_check(args) -> Ending | Stopped:
    from . import checks_cli

    config = _config(args)
    store = _store(config)
    return checks_cli.run(args, config, store, _load(store, args.draft))


def cmd_integration(args) -> Ending | Stopped:
    from . import integrations_cli

    config = _config(args)
    return integrations_cli.dispatch(args, config, _store(config))


def cmd_handoff(args) -> Ending | Stopped:
    from . import handoff_cli

    config = _config(args)
    return handoff_cli.run(args, config, _store(config))


def _fetched(args, config, store):
    """``hotfix open KEY`` with no local draft for KEY (a key of the configured project, on a
    host with Jira configured): the draft fetched from the ticket, else None (resolve as usual).
    Raises :class:`CliError` with the ending when the fetch was refused or failed (its message
    already said why)."""
    from .services.jira import key_pattern
    from .store import DraftNotFoundError

    ref = getattr(args, "draft", None)
    if not ref or not config.jira.url or not key_pattern(config.jira.project_key).match(ref):
        return None
    try:
        store.resolve(ref)
        return None
    except DraftNotFoundError as exc:
        # Only when nothing here is that ticket's draft (several matches are resolve's to say).
        if exc.path is not None or any(info.jira_key.lower() == ref.lower() or info.id.startswith(ref)
                                       for info in store.list()):
            raise CliError(str(exc)) from None
    from . import handoff_cli

    ending, path = handoff_cli.fetch_for_open(ref, getattr(args, "fetch", False), config, store)
    if path is None:
        raise _Said(ending)
    return path


class _Said(Exception):
    """A command that already printed its message ends with ``ending``."""

    def __init__(self, ending: Ending):
        super().__init__("")
        self.ending = ending


def cmd_tui(args) -> Ending | Stopped:
    from .i18n import tr

    config = _config(args)
    store = _store(config)
    try:
        fetched = _fetched(args, config, store)
    except _Said as said:
        return said.ending
    if fetched is not None and not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(fetched)  # fetched for a script (`--fetch` without a terminal): the path, as `hotfix new`
        return Ending.OK
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal the wizard can neither read keys nor draw (it would spin
        # forever on a closed stdin): say which commands work without one.
        raise CliError(tr("cli.no_tty", config.ui.language))
    path = loaded = None
    if getattr(args, "draft", None):
        from .store import DraftError
        from .workflow.validation import oversize_text, read_oversize

        try:
            path = store.resolve(args.draft)
        except DraftError as exc:
            raise CliError(str(exc)) from None
        # Over-limit fields first, with the fast parser: loading such a draft for editing
        # takes minutes (row 13 of issue 8), and no editor could hold the text anyway.
        found = read_oversize(path)
        if found:
            raise CliError(tr("limit.refuse_open", config.ui.language, path=path, fields=oversize_text(found)))
        try:
            loaded = store.load(path)  # refuse a broken draft here, in one line, before the screen opens
        except DraftError as exc:
            raise CliError(str(exc)) from None
    # Starting the wizard makes a few hundred thousand objects and hardly any garbage: a
    # collection every 700 of them was over a tenth of the time to the first frame. The
    # app turns collections back on once its first screen is up (``_first_screen``).
    gc.disable()
    # The wizard lays out the preview, masks command output and reads git in worker threads;
    # a key's echo needs the interpreter lock three times (input thread, event loop, writer
    # thread). With Python's default 5 ms switch interval each wait could cost 5 ms while a
    # worker runs: a millisecond keeps the slowest echoes close to the rest.
    sys.setswitchinterval(0.001)
    try:
        from .app import HotfixApp
        from .services import Services

        app = HotfixApp(config, store, services=Services.from_config(config), draft_path=path, draft=loaded)
        app.run()
    finally:
        gc.enable()
    if app.return_code:  # Textual's own: the app crashed
        return Ending.USAGE
    return Stopped(app.stopped_by) if app.stopped_by else app.ending


COMMANDS = {
    None: cmd_tui,
    "open": cmd_tui,
    "new": cmd_new,
    "list": cmd_list,
    "render": cmd_render,
    "export": cmd_export,
    "validate": cmd_validate,
    "stats": cmd_stats,
    "handoff": cmd_handoff,
    "check": cmd_check,
    "jira": cmd_integration,
    "git": cmd_integration,
    "pr": cmd_integration,
    "status": cmd_integration,
    "sync": cmd_integration,
}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return exit_code(COMMANDS[args.command](args))
    except CliError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"hotfix: {exc}", file=sys.stderr)
        return exit_code(exc.ending)
    except KeyboardInterrupt:
        print("hotfix: interrupted", file=sys.stderr)
        return exit_code(Stopped(signal.SIGINT))
    except BrokenPipeError:
        return exit_code(Ending.OK)
    except Exception as exc:  # the promise: no tracebacks for users
        if args.debug:
            traceback.print_exc()
        print(f"hotfix: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return exit_code(Ending.USAGE)


if __name__ == "__main__":
    sys.exit(main())
