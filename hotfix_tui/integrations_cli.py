"""`hotfix jira|git|pr ...`: each remote step of the wizard as a command, for scripts and plain terminals.

Every command loads a draft, performs one step through a service, stores what came
back (key, URL, SHA, PR number, times) in the draft with a timeline event, and saves.
The result is saved the moment it exists: a PR number before its reviewers are
requested, each follow-up key before the next ticket. If another session saved the
draft meanwhile, the result is applied to the fresh copy instead of being dropped; if
the draft cannot be saved at all, draft and result go to a recovery copy (named on
stderr, exit 2) — ``store.save_applying``, shared with ``hotfix check``.

``--dry-run`` prints every request or git command the step would make, and makes none
(no token needed, nothing saved).

Exit codes match the rest of the CLI: 0 done, 1 refused (by a remote, by git, or by a
check such as "not approved yet"), 2 usage, configuration or I/O (including an
unreachable server). Errors are one line on stderr naming the server and what to check.

The steps themselves (what to ask each service, what to store, which timeline event)
live in ``workflow/steps.py``, shared with the wizard; this module is the command-line
half: arguments, printing, exit codes, saving to the draft file.

``cli.py`` wires :func:`add_parsers` and :func:`dispatch`; heavy libraries are only
imported by the services when a request is actually made.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .services import Services  # re-exported: the CLI and the App share it
from .services.errors import Ending, ServiceError, Stopped, redact
from .workflow import outbox, steps

if TYPE_CHECKING:
    from .config import Config
    from .model import Draft
    from .store import DraftStore, LoadedDraft

STATUS_ALIASES = steps.STATUS_ALIASES

# The problems a step refuses with (a usage problem, or a refused precondition).
UsageError = steps.StepError


# -- argument parsing ---------------------------------------------------------------------


def _draft_arg(p: argparse.ArgumentParser, gated: bool = False, queueable: bool = False) -> None:
    p.add_argument("draft", metavar="DRAFT", help="a draft path, id or Jira key")
    p.add_argument("--dry-run", action="store_true",
                   help="print every request or git command this step would make, without making it")
    if queueable:
        p.add_argument("--queue", action="store_true",
                       help="when the server cannot be reached, keep the step in the draft's outbox "
                       "instead (sent in order by `hotfix sync`)")
    if gated:
        p.add_argument("--reason", default="", metavar="TEXT",
                       help="go on although an earlier phase's gate does not hold (checks not passed on "
                       "these files, §5.1 items open, …): recorded as an override with who, when and why")


def add_parsers(subparsers: Any) -> None:
    """Add the ``jira``, ``git`` and ``pr`` command groups to the main parser's subparsers."""
    p_jira = subparsers.add_parser("jira", help="Jira steps: create the ticket, move it, file follow-ups")
    jira = p_jira.add_subparsers(dest="jira_action", metavar="ACTION", required=True)
    p = jira.add_parser("create", help="§2: create the hotfix Bug (reuses one an earlier attempt made)")
    _draft_arg(p, queueable=True)
    p = jira.add_parser("update", help="§2.2: send the description again (once the root cause is written)")
    _draft_arg(p, queueable=True)
    p = jira.add_parser("move", help="move the ticket to a status (by the status's name, not the transition's)")
    _draft_arg(p, gated=True, queueable=True)
    p.add_argument("status", metavar="STATUS",
                   help="in_progress, testing or done ([jira.statuses]), or a literal status name")
    p.add_argument("--field", action="append", default=[], metavar="NAME=VALUE",
                   help="a value for a field of the transition screen (repeatable); "
                   "\"Log Work=2h\" and \"Comment=...\" go as Jira update operations. Without one, "
                   "a required resolution, assignee (you) and Log Work (the time since the move to "
                   "in_progress) are filled")
    p = jira.add_parser("comment", help="§8.1: post the RCA (wiki markup) as a comment on the hotfix ticket")
    _draft_arg(p, queueable=True)
    p.add_argument("what", metavar="WHAT", choices=["rca"], help="what to post: rca")
    p = jira.add_parser("followups", help="§8.2: create the follow-up tickets, linked to the hotfix ticket")
    _draft_arg(p, queueable=True)
    p.add_argument("--issue-type", default="Task", help="issue type of the follow-ups (default: Task)")

    p = subparsers.add_parser("sync", help="send the steps waiting in a draft's outbox (all drafts without "
                              "DRAFT), in order, each once; a ticket moved meanwhile is a conflict, not overwritten")
    p.add_argument("draft", metavar="DRAFT", nargs="?", default=None, help="a draft path, id or Jira key")

    p = subparsers.add_parser("status", help="§8.2: a status message for the team channel (what happened, "
                              "impact, what is being done, next update); --post sends it to the Slack webhook")
    _draft_arg(p)
    p.add_argument("--next", type=int, default=None, metavar="MINUTES",
                   help="when the next update comes, in minutes (default 30)")
    p.add_argument("--queue", action="store_true",
                   help="with --post: when Slack cannot be reached, keep the post in the draft's outbox")
    p.add_argument("--post", action="store_true",
                   help="post it to the Slack webhook ([github] slack_webhook_env) and note it on the timeline")

    p_git = subparsers.add_parser("git", help="git steps: branch, commit, push, clean up")
    git = p_git.add_subparsers(dest="git_action", metavar="ACTION", required=True)
    p = git.add_parser("branch", help="§3.2: update main (fast-forward only) and create the hotfix branch")
    _draft_arg(p)
    p.add_argument("--switch", action="store_true", help="switch to the branch when it already exists")
    p = git.add_parser("commit", help="§4.2: commit what is staged with the draft's message")
    _draft_arg(p, gated=True)
    p = git.add_parser("push", help="§4.4: push the hotfix branch and set its upstream")
    _draft_arg(p, gated=True)
    p = git.add_parser("cleanup", help="§7.2: delete the merged branch locally and on the remote, update main")
    _draft_arg(p)
    p.add_argument("--force", metavar="KEY", default="",
                   help="delete the draft's branch even though no merge could be verified: "
                   "type the draft's Jira key to confirm (never deletes a branch outside the hotfix naming)")

    p_pr = subparsers.add_parser("pr", help="GitHub steps: open the PR, review state, merge")
    pr = p_pr.add_subparsers(dest="pr_action", metavar="ACTION", required=True)
    p = pr.add_parser("create", help="§6: open the PR (reuses an open one), label it, request reviews")
    _draft_arg(p, gated=True, queueable=True)
    p.add_argument("--no-jira-comment", action="store_true", help="do not comment the PR link on the ticket")
    p.add_argument("--no-slack", action="store_true", help="do not post to the Slack webhook")
    p = pr.add_parser("status", help="§7.1: review state and minutes against the 1-hour target")
    _draft_arg(p)
    p = pr.add_parser("merge", help="§7.1: merge the PR and delete its branch on GitHub")
    _draft_arg(p, gated=True)
    p.add_argument("--self-merge", metavar="KEY", default="",
                   help="merge without an approval (§7.1 사후 리뷰): type the draft's Jira key to confirm")
    p.add_argument("--method", choices=["merge", "squash", "rebase"], default=None,
                   help="merge method (default: [github] merge_method)")
    p.add_argument("--keep-branch", action="store_true", help="do not delete the branch on GitHub")


# -- running ------------------------------------------------------------------------------


@dataclass
class _Run:
    args: argparse.Namespace
    config: Config
    store: DraftStore
    services: Services
    recovered: Path | None = None  # the recovery copy the results went to, if any

    @property
    def sc(self) -> steps.StepContext:
        return steps.StepContext(self.services, self.config)

    def load(self) -> LoadedDraft:
        return self.store.load(self.store.resolve(self.args.draft))

    def record(self, loaded: LoadedDraft, apply: Callable[[Draft], None], result: str) -> None:
        """Apply ``apply`` to the draft and save; on a conflict, to the fresh copy.

        When the draft cannot take it (deleted, broken, a full or read-only disk) the
        draft with the result goes to a recovery copy, said once on stderr, and the exit
        code becomes 2 (see :func:`dispatch`). ``result`` (what the remote gave back) is
        printed in the error if not even that can be written, so it can be typed in by
        hand and nothing is lost.
        """
        from .store import DraftError, save_applying

        try:
            saved = save_applying(self.store, loaded, apply)
        except (DraftError, OSError) as exc:
            message = getattr(exc, "strerror", None) or str(exc)
            raise UsageError(f"{message} — the step itself succeeded: {result}; type it into the draft") from None
        if saved.in_recovery and self.recovered is None:
            self.recovered = saved.path
            _error(f"the draft could not be saved ({saved.recovered}); the step's result and the draft "
                   f"were written to {saved.path} — open it with `hotfix open {saved.path}`")

    def gate(self, loaded: LoadedDraft, step: str) -> bool:
        """Refuse ``step`` while an earlier phase's gate does not hold (exit 1, naming what),
        unless ``--reason`` passes it: the override is saved before the step runs (True)."""
        from .model import now
        from .workflow.checklist import Facts
        from .workflow.validation import STEP_GATES, record_override, step_gates

        draft = loaded.draft
        needs_tree = any(phase == "fix" for phase, _codes in STEP_GATES.get(step, ()))
        checks = getattr(self.services, "checks", None)
        tree = checks.tree_fingerprint() if needs_tree and checks is not None else ""
        facts = Facts(now=now(), minutes=self.config.monitor.minutes, tree=tree)
        findings = step_gates(draft, self.sc.rctx, step, facts)
        if not findings:
            return False
        reason = (getattr(self.args, "reason", "") or "").strip()
        if not reason:
            problems = "; ".join(f"[{f.phase}] {f.message}" for f in findings)
            raise UsageError(f"`hotfix {step}` needs the earlier gates first: {problems} — fix that, "
                             "or pass --reason \"why\" to go on (recorded as an override)", Ending.REFUSED)
        by_phase: dict[str, list[Any]] = {}
        for f in findings:
            by_phase.setdefault(f.phase, []).append(f)

        def apply(d: Draft) -> None:
            for phase, found in by_phase.items():
                record_override(d, phase, found, reason, self.config.ui.language)

        self.record(loaded, apply, f"override of {', '.join(by_phase)} recorded")
        _warn(f"gate passed with a reason (recorded): {'; '.join(f.message for f in findings)}")
        return True

    def keep(self, loaded: LoadedDraft, outcome: steps.Outcome) -> None:
        self.record(loaded, outcome.apply, outcome.result)


def dispatch(args: argparse.Namespace, config: Config, store: DraftStore,
             services: Services | None = None) -> Ending | Stopped:
    """Run one ``jira``/``git``/``pr`` command; returns how it ended.

    For ``git``, SIGTERM, SIGHUP and SIGINT stop the running git (in its own process group,
    so a hang-up of the terminal would not reach it) before the command ends, as ``hotfix
    check`` does; Jira and GitHub requests end by their own timeouts or Ctrl-C as before.
    """
    from .checks_cli import _StopOnSignal

    services = services or Services.from_config(config)
    if args.command != "git":
        return _dispatch(args, config, store, services)
    with _StopOnSignal() as stop:
        finished = threading.Event()
        watcher = threading.Thread(target=_cancel_git_on_signal, args=(stop, services, finished),
                                   name="git-stop", daemon=True)
        watcher.start()
        try:
            ending = _dispatch(args, config, store, services)
        finally:
            finished.set()
            watcher.join()
    return Stopped(stop.signum) if stop.signum else ending


def _cancel_git_on_signal(stop, services: Services | None, finished: threading.Event) -> None:
    # A thread, not the signal handler: the handler may land while the main thread holds
    # the git service's lock.
    while not finished.is_set():
        if stop.event.wait(0.05):
            git = getattr(services, "git", None)
            if git is not None:
                git.cancel()
            return


def _dispatch(args: argparse.Namespace, config: Config, store: DraftStore, services: Services) -> Ending:
    from .store import DraftError

    action = getattr(args, f"{args.command}_action", None)
    handler = HANDLERS.get((args.command, action))
    if handler is None:
        _error(f"unknown command: {args.command} {action or ''}".strip())
        return Ending.USAGE
    run = _Run(args, config, store, services)
    try:
        ending = handler(run)
    except (ServiceError, UsageError) as exc:
        _error(str(exc))
        ending = exc.ending
    except DraftError as exc:
        _error(str(exc))
        ending = Ending.USAGE
    # Results kept in a recovery copy are not in the draft: the ending must say so.
    return Ending.USAGE if run.recovered is not None else ending


def _error(message: str) -> None:
    print(f"hotfix: {redact(message)}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"hotfix: warning: {redact(message)}", file=sys.stderr)


def _out(lines: list[str] | str) -> Ending:
    for line in [lines] if isinstance(lines, str) else lines:
        print(line)
    return Ending.OK


# -- the steps ---------------------------------------------------------------------------


def _step(run: _Run, step: steps.Step, *, before: Callable[[], None] | None = None,
          progress: Callable[[steps.Outcome, Callable[[steps.Outcome], None]], None] | None = None,
          **options: Any) -> Any:
    """Load the draft; do ``step`` once (or, with ``--dry-run``, print its lines).

    A step that is never done twice says so while its fact holds. Otherwise its gate is
    checked (``--reason`` passes it), the step prepared — every check that needs no server
    and every value built once — and sent. ``before`` shows what is about to be sent;
    results that arrive before the step ends are saved as they come (``progress`` gets
    each with the function that saves it, to show it too). Returns the outcome or value, or the :class:`Ending` printed instead.
    """
    loaded = run.load()
    if step.already is not None and step.holds(loaded.draft):
        return _out(step.already(loaded.draft))
    if run.args.dry_run:
        return _out(step.prepare(run.sc, loaded.draft, **options).lines)
    prepared = step.prepare(run.sc, loaded.draft, **options)  # refused before any gate is passed
    if step.gate and run.gate(loaded, step.gate):
        # An override was recorded (it may be in what is sent, e.g. the PR body).
        prepared = step.prepare(run.sc, loaded.draft, **options)
    if before is not None:
        before()

    def keep(outcome: steps.Outcome) -> None:
        run.keep(loaded, outcome)

    try:
        value = prepared.send(keep if progress is None else (lambda outcome: progress(outcome, keep)))
    except ServiceError as exc:
        if not (getattr(run.args, "queue", False) and outbox.can_queue(step.name, exc)):
            raise
        error = exc
        run.record(loaded, lambda d: outbox.queue(run.sc, d, step.name, error), f"{step.name} queued")
        _warn(str(exc))
        return _out(f"queued in the draft's outbox: {outbox.label(run.sc, step.name)} — "
                    "`hotfix sync DRAFT` sends it when the server can be reached")
    if isinstance(value, steps.Outcome):
        run.keep(loaded, value)
    return value


def _done(value: Any, show: Callable[[Any], str] = lambda outcome: outcome.result) -> Ending:
    """Print a step's result (an Ending means it printed already)."""
    return value if isinstance(value, Ending) else _out(show(value))


# -- jira ------------------------------------------------------------------------------------


def jira_create(run: _Run) -> Ending:
    return _done(_step(run, steps.STEPS["jira_create"]),
                 lambda o: o.result + ("  (reused: an earlier attempt created it)" if o.data.reused else ""))


def jira_update(run: _Run) -> Ending:
    return _done(_step(run, steps.STEPS["jira_update"]))


def _fields(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--field must look like NAME=VALUE, not {pair!r}")
        out[name.strip()] = value.strip()
    return out


def jira_move(run: _Run) -> Ending:
    outcome = _step(run, steps.move_step(run.sc, run.args.status), fields=_fields(run.args.field))
    if isinstance(outcome, Ending):
        return outcome
    _out(outcome.result)
    # The move happened and is recorded; what Jira did not keep is a failed check.
    for warning in outcome.warnings:
        _warn(warning)
    return Ending.FAILED if outcome.warnings else Ending.OK


def jira_followups(run: _Run) -> Ending:
    def saved(outcome: steps.Outcome, keep: Callable[[steps.Outcome], None]) -> None:
        keep(outcome)
        print(outcome.result)

    value = _step(run, steps.STEPS["followups"], issue_type=run.args.issue_type, progress=saved)
    return value if isinstance(value, Ending) else Ending.OK


def jira_comment(run: _Run) -> Ending:
    return _done(_step(run, steps.STEPS["rca_comment"]))


# -- the outbox -----------------------------------------------------------------------------


def sync(run: _Run) -> Ending:
    """Send what waits in one draft's outbox, or every draft's; one line per step."""
    store = run.store
    if run.args.draft:
        paths = [store.resolve(run.args.draft)]
    else:
        paths = [info.path for info in store.list() if not info.error and info.pending]
    ending, sent_any = Ending.OK, False
    for path in paths:
        loaded = store.load(path)
        if not outbox.pending(loaded.draft):
            continue
        for sent in outbox.sync(run.sc, lambda: loaded.draft, lambda outcome: run.keep(loaded, outcome)):
            sent_any = True
            print(f"{loaded.draft.id}: {outbox.label(run.sc, sent.step)}: {sent.state} — {redact(sent.result)}")
            if sent.state == "waiting":
                ending = Ending.USAGE  # still out of reach: as an unreachable server always ends
            elif sent.state in ("conflict", "failed") and ending is Ending.OK:
                ending = Ending.FAILED
    if not sent_any:
        return _out("nothing waits in the outbox")
    return ending


# -- status --------------------------------------------------------------------------------


def status(run: _Run) -> Ending:
    """Print the status message; with --post, the ``status_post`` step sends that same text."""
    if run.args.post or run.args.dry_run:
        value = _step(run, steps.STEPS["status_post"], next_minutes=run.args.next)
        if isinstance(value, Ending):
            return value
        return _out([value.data.rstrip(), "", value.result])
    return _out(steps.status_text(run.sc, run.load().draft, run.args.next).rstrip())


# -- git -------------------------------------------------------------------------------------


def git_branch(run: _Run) -> Ending:
    return _done(_step(run, steps.STEPS["branch"], switch=run.args.switch))


def git_commit(run: _Run) -> Ending:
    def stat() -> None:
        shown = run.services.git.staged_diff_stat()
        if shown:
            print(shown)
            print()

    return _done(_step(run, steps.STEPS["commit"], before=stat))


def git_push(run: _Run) -> Ending:
    return _done(_step(run, steps.STEPS["push"]))


def git_cleanup(run: _Run) -> Ending:
    return _done(_step(run, steps.STEPS["cleanup"], confirm=run.args.force))


# -- pr ---------------------------------------------------------------------------------------


def pr_create(run: _Run) -> Ending:
    outcome = _step(run, steps.STEPS["pr_create"], jira_comment=not run.args.no_jira_comment,
                    slack=not run.args.no_slack)
    if isinstance(outcome, Ending):
        return outcome
    for warning in outcome.warnings:
        _warn(warning)
    return _out(outcome.result)


def pr_status(run: _Run) -> Ending:
    return _done(_step(run, steps.STEPS["review"]), _review_line)


def _review_line(status: Any) -> str:
    from .services.github import REVIEW_TARGET_MINUTES

    state = "merged" if status.merged else status.state
    parts = [f"#{status.number} {state}"]
    if status.reviews:
        parts.append("reviews: " + ", ".join(f"{k} {v.lower()}" for k, v in status.reviews.items()))
    if status.pending:
        parts.append("waiting for: " + ", ".join(status.pending))
    if status.minutes_waiting is not None and not status.merged:
        left = status.minutes_left or 0
        due = f"{left} min left" if left >= 0 else f"{-left} min over"
        parts.append(f"{status.minutes_waiting} min since review was requested ({due} of {REVIEW_TARGET_MINUTES})")
    return "; ".join(parts)


def pr_merge(run: _Run) -> Ending:
    return _done(_step(run, steps.STEPS["merge"], confirm=run.args.self_merge, method=run.args.method,
                       delete_branch=not run.args.keep_branch))


HANDLERS: dict[tuple[str, str | None], Callable[[_Run], int]] = {
    ("jira", "create"): jira_create,
    ("jira", "move"): jira_move,
    ("jira", "update"): jira_update,
    ("jira", "followups"): jira_followups,
    ("jira", "comment"): jira_comment,
    ("status", None): status,
    ("sync", None): sync,
    ("git", "branch"): git_branch,
    ("git", "commit"): git_commit,
    ("git", "push"): git_push,
    ("git", "cleanup"): git_cleanup,
    ("pr", "create"): pr_create,
    ("pr", "status"): pr_status,
    ("pr", "merge"): pr_merge,
}
