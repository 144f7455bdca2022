"""``hotfix check DRAFT``: the §4.1 terraform checks and §5.2 kubectl look-up without the TUI.

For CI and for a jump host where a full-screen app is unwelcome. It runs the same
:class:`~hotfix_tui.services.checks.CheckService` steps the wizard runs, prints each
exact command before it starts and one result line after, records every run in the
draft (terraform ones under ``checks.runs``, kubectl ones under ``verify.runs``) with a
timeline event each, and exits 1 when any check failed. ``cli.py`` wires it in with
``add_parser`` and ``run``.

SIGTERM (a CI job cancelled), SIGHUP (the SSH session dropped) and SIGINT (Ctrl-C) stop
the running command's whole process group — SIGTERM, then SIGKILL after the runner's
grace period — so terraform never keeps running under PID 1 holding the state lock; the
run is recorded in the draft with status ``cancelled``, no further check starts, and the
exit code is 128 + the signal number (143, 129, 130).
"""

from __future__ import annotations

import argparse
import copy as _copy
import os
import signal
import sys
import threading
from typing import TextIO

from .config import Config
from .i18n import status_word
from .services.errors import Ending, Stopped
from .services.checks import CHECK_GROUPS, CheckService, blocks_rest, steps_for
from .services.kubectl import KUBECTL_GET
from .services.outcome import CheckOutcome
from .services.terraform import FMT, FMT_CHECK, INIT, PLAN, VALIDATE, plan_file_name, terraform_dir
from .services.plan import outside_declared
from .workflow.plan_review import declared_impact
from .services.runner import Line, Runner
from .workflow.checks import to_check_run

FAILURE_TAIL = 10
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class _StopOnSignal:
    """While active, SIGTERM/SIGHUP/SIGINT cancel the running check instead of killing us.

    Dying on the spot would leave terraform (in its own session) running; the handler
    only sets an event, and the runner's supervising loop stops the process group.
    """

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signum = 0
        self._previous: dict[int, object] = {}

    def __enter__(self) -> _StopOnSignal:
        if threading.current_thread() is threading.main_thread():
            for sig in STOP_SIGNALS:
                try:
                    self._previous[sig] = signal.signal(sig, self._handle)
                except (ValueError, OSError):
                    pass
        return self

    def _handle(self, signum, frame) -> None:
        self.signum = self.signum or signum
        self.event.set()

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum else ""


def _only(value: str) -> list[str]:
    groups = [g.strip() for g in value.split(",") if g.strip()]
    try:
        steps_for(groups)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return groups


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``check DRAFT [--only fmt,init,validate,plan,kubectl]`` to the CLI's subparsers."""
    p = subparsers.add_parser(
        "check",
        help="run terraform fmt/init/validate/plan and kubectl get all, and record the results in the draft",
        description="Run the §4.1 local checks (terraform fmt -check, fmt, init, validate, plan) and the "
        "§5.2 kubectl look-up in order, print each command and its result, record them in the draft, "
        "and exit 1 if any failed.",
    )
    p.add_argument("draft", metavar="DRAFT", help="a draft path, id or Jira key")
    p.add_argument("--only", metavar="CHECKS", type=_only, default=None,
                   help=f"comma-separated subset of {','.join(CHECK_GROUPS)} (default: all, in that order)")
    p.add_argument("--no-write", action="store_true",
                   help="fmt: only run `fmt -check` (rewrite nothing); files that need formatting fail")
    p.add_argument("-v", "--verbose", action="store_true", help="print every output line as it arrives")
    return p


def _label(service: CheckService, step: str) -> str:
    tf = os.path.basename(service.tf.binary)
    kubectl = os.path.basename(service.kc.binary)
    return {
        FMT_CHECK: f"{tf} fmt -check",
        FMT: f"{tf} fmt",
        INIT: f"{tf} init",
        VALIDATE: f"{tf} validate",
        PLAN: f"{tf} plan",
        KUBECTL_GET: f"{kubectl} get all -n {service.kc.namespace}",
    }.get(step, step)


def run(args, config: Config, store, loaded, *, runner: Runner | None = None,
        out: TextIO | None = None) -> Ending | Stopped:
    """Run the checks on ``loaded`` (a LoadedDraft), save after each, return how it ended.

    Each run is appended to the draft and saved at once; if another session saved the
    draft meanwhile it is appended to that newer draft, and if the draft cannot be saved
    at all the draft goes to a recovery copy (named on stderr, exit 2) that later runs
    follow (``store.save_applying``). SIGTERM, SIGHUP and SIGINT cancel the running check.
    """
    with _StopOnSignal() as stop:
        return _run(args, config, store, loaded, runner=runner, out=out, stop=stop)


def _run(args, config: Config, store, loaded, *, runner: Runner | None, out: TextIO | None,
         stop: _StopOnSignal) -> Ending | Stopped:
    from .store import DraftError, error_reason, save_applying

    out = out or sys.stdout
    # Timeline words come from the catalogue: the timeline feeds the Korean RCA (§8.1)
    # unless [ui] language = "en".
    lang = config.ui.language
    service = CheckService(config, runner)
    draft = loaded.draft
    steps = steps_for(getattr(args, "only", None), fmt_write=not getattr(args, "no_write", False))
    strict_fmt = bool(getattr(args, "no_write", False))
    verbose = bool(getattr(args, "verbose", False))
    plan_file = plan_file_name(draft.id)

    quiet = False

    def say(text: str = "") -> None:
        # After SIGHUP the terminal is gone (EIO) and a CI log pipe may be closed: the
        # checks must still stop cleanly and be recorded, so writing just stops.
        nonlocal quiet
        if quiet:
            return
        try:
            print(text, file=out, flush=True)
        except (OSError, ValueError):
            quiet = True

    def stream(batch: list[Line]) -> None:
        for source, text in batch:
            say(f"  {'!' if source == 'stderr' else '|'} {text}")

    if any(s != KUBECTL_GET for s in steps):
        say(f"# terraform folder: {terraform_dir(config)}")
    if KUBECTL_GET in steps:
        # Read once and pinned: every kubectl line below carries this --context.
        kube = service.kube_context()
        context = kube.name or f"? ({kube.problem})"
        prod = " — PRODUCTION" if kube.production else ""
        say(f"# kubectl context: {context}{prod}, namespace: {config.kubectl.namespace}")

    failed = False
    recovered = ""
    blocked_by = ""
    for step in steps:
        if stop.event.is_set():
            break
        if blocked_by and step != KUBECTL_GET:
            say(f"- {_label(service, step)}: skipped ({blocked_by} did not pass)")
            continue
        say(f"$ {service.display(step, plan_file=plan_file)}")
        outcome = service.run_step(step, plan_file=plan_file, strict_fmt=strict_fmt,
                                   on_lines=stream if verbose else None, cancel=stop.event)
        if stop.signum and outcome.status == "cancelled":
            outcome.summary = f"{stop.name}: {outcome.summary}"
        say(f"  {outcome.line()}")
        extra = _explain(outcome, draft)
        for line in extra:
            say(f"  {line}")
        if not outcome.passed:
            failed = True
            if not verbose:
                for text in outcome.result.tail(FAILURE_TAIL):
                    say(f"  | {text}")
            if blocks_rest(outcome):
                blocked_by = _label(service, step)
        record = to_check_run(outcome)
        if extra:
            record.output_tail = "\n".join(filter(None, [record.output_tail, *extra]))
        event = f"{_label(service, step)} {status_word(outcome.status, lang)}: {outcome.summary}"
        try:
            saved = save_applying(store, loaded, _recorder(step, record, event))
        except (DraftError, OSError) as exc:
            print(f"hotfix: {error_reason(exc)} — the {_label(service, step)} result is not recorded",
                  file=sys.stderr)
            return Ending.USAGE
        if saved.in_recovery and not recovered:
            recovered = saved.recovered
            print(f"hotfix: the draft could not be saved ({saved.recovered}); the check results and the "
                  f"draft were written to {saved.path} — open it with `hotfix open {saved.path}`",
                  file=sys.stderr)
        draft = loaded.draft  # the newer draft when another session saved it meanwhile

    if stop.signum:
        try:
            print(f"hotfix: stopped by {stop.name}: the running check and its child processes were stopped; "
                  f"recorded as cancelled in {loaded.path}", file=sys.stderr, flush=True)
        except (OSError, ValueError):
            pass  # no terminal left to tell (SIGHUP)
        return Stopped(stop.signum)
    say(f"{'FAILED' if failed else 'OK'}: {len(steps)} check(s), results saved in {loaded.path}")
    if recovered:
        return Ending.USAGE  # the results are safe, but not in the draft that was named
    return Ending.FAILED if failed else Ending.OK


def _recorder(step: str, record, event: str):
    """The run as appended data: added to whichever draft is saved (ours, or a newer one)."""

    def apply(draft) -> None:
        (draft.verify if step == KUBECTL_GET else draft.checks).add_run(_copy.deepcopy(record))
        draft.add_event(event, source="auto")

    return apply


def _explain(outcome: CheckOutcome, draft) -> list[str]:
    """Extra lines a reviewer needs: the plan's resources and what nobody declared."""
    lines: list[str] = []
    if outcome.validate is not None:
        lines += [d.text() for d in outcome.validate.diagnostics]
    if outcome.review is not None:
        lines += outcome.review.lines()
        declared = declared_impact(draft)
        if not declared.strip():
            if outcome.review.touched:
                lines.append("warning: the draft declares no impact (영향 범위), so the plan cannot be "
                             "compared with it")
        else:
            lines += [f"warning: {w}" for w in outside_declared(outcome.review, declared)]
    if outcome.resources:
        lines.append("resources: " + " ".join(r.ref for r in outcome.resources))
    return lines
