"""The §4.1 terraform checks and §7.3 apply: exact commands from config, readable results.

One place decides the argument lists (so the wizard, ``hotfix check`` and the report all
show the same command), runs them through :class:`~hotfix_tui.services.runner.Runner`,
and interprets what came back: ``-detailed-exitcode`` 2 is "changes", not failure;
``fmt -check`` exit 3 is "would reformat these files"; ``validate -json`` and
``show -json`` are parsed rather than scraped. Apply is refused when the files changed
since the reviewed plan (:func:`terraform_fingerprint`), when the saved plan file is not
the one reviewed, or when the state moved on since that plan was made (:class:`PlanSeal`,
read from the file and from ``terraform state pull`` at that moment).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config, TerraformConfig
from .outcome import CheckOutcome, Checks, first_error, refused
from .plan import PlanCounts, PlanParseError, parse_plan_text, parse_show_json
from .runner import CANCELLED, ERROR, FAILED, INFO, PASSED, STDOUT, TIMEOUT, Line, OnLines, RunResult

# Step names, as stored in CheckRun.name.
FMT_CHECK = "fmt-check"
FMT = "fmt"
INIT = "init"
VALIDATE = "validate"
PLAN = "plan"
APPLY = "apply"
TERRAFORM_STEPS = (FMT_CHECK, FMT, INIT, VALIDATE, PLAN)

# Terraform's own exit codes: fmt -check says 3 when files need formatting; plan with
# -detailed-exitcode says 2 when there are changes (1 is always an error).
FMT_NEEDS_FORMAT = 3
PLAN_CHANGES = 2

_TF_FILES = (".tf", ".tf.json")
_LINEAGE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._:-]{0,127}")


# -- where and what ------------------------------------------------------------------


def terraform_dir(config: Config) -> Path:
    """``[terraform] dir`` taken from ``[git] repo_dir`` (itself from the current folder)."""
    repo = Path(os.path.expanduser(config.git.repo_dir or "."))
    folder = Path(os.path.expanduser(config.terraform.dir or "."))
    return (repo / folder).absolute()


def terraform_root_problem(folder: Path) -> str:
    """Why ``folder`` cannot be checked ("" when it is a terraform root module)."""
    if not folder.is_dir():
        return f"terraform folder {folder} does not exist: set [terraform] dir in config.toml"
    try:
        has_tf = any(p.is_file() and p.name.endswith(_TF_FILES) for p in folder.iterdir())
    except OSError as exc:
        return f"cannot read terraform folder {folder}: {exc.strerror or exc}"
    if not has_tf:
        return (
            f"{folder} is not a terraform root (no *.tf files there): "
            "set [terraform] dir in config.toml to the folder you run terraform in"
        )
    return ""


def terraform_fingerprint(folder: Path) -> str:
    """A hash of the configuration a plan was made from (apply is refused when it changes).

    Every .tf/.tfvars/.tf.json/.hcl file below ``folder`` counts, except what terraform
    itself writes under ``.terraform/``.
    """
    digest = hashlib.sha256()
    found = []
    for top, dirs, files in os.walk(folder):
        # Provider binaries and the repository's history are not configuration.
        dirs[:] = [d for d in dirs if d not in (".terraform", ".git")]
        found += [Path(top) / f for f in files if f.endswith((".tf", ".tfvars", ".tf.json", ".tfvars.json", ".hcl"))]
    for path in sorted(found):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class PlanSeal:
    """What a reviewed plan is: its saved file's SHA-256 and the state it was made against.

    ``serial`` and ``lineage`` are the state snapshot's (``""`` both when the plan was made
    against no state — a fact too: apply then needs there to be no state still).
    """

    sha256: str
    serial: str = ""
    lineage: str = ""


class PlanSealError(ValueError):
    """The saved plan file or the state could not be read as terraform writes them."""


def plan_file_sha256(path: Path) -> str:
    """The SHA-256 of the saved plan file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def state_identity(data: object) -> tuple[str, str]:
    """(serial, lineage) of a state file document; ("", "") for no state (empty lineage)."""
    if not isinstance(data, dict) or "serial" not in data or "lineage" not in data:
        raise PlanSealError("not a terraform state (no serial and lineage)")
    lineage = str(data.get("lineage") or "")
    if not lineage:
        return "", ""
    if not _LINEAGE.fullmatch(lineage):
        # Terraform writes a UUID; anything else would travel into a PR body and a commit.
        raise PlanSealError(f"state lineage {lineage[:40]!r} is not a terraform lineage")
    try:
        return str(int(data["serial"])), lineage
    except (TypeError, ValueError):
        raise PlanSealError(f"state serial {data['serial']!r} is not a number") from None


def seal_plan(path: Path) -> PlanSeal:
    """The plan file's hash and the state snapshot terraform embedded in it (the ``tfstate``
    entry of the saved plan's zip: the state that plan was made against)."""
    sha = plan_file_sha256(path)
    try:
        with zipfile.ZipFile(path) as zf:
            embedded = json.loads(zf.read("tfstate"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PlanSealError(f"{path.name} is not a saved terraform plan with its state ({exc})") from None
    serial, lineage = state_identity(embedded)
    return PlanSeal(sha, serial, lineage)


def parse_state_pull(text: str) -> tuple[str, str]:
    """(serial, lineage) from ``terraform state pull`` output: nothing printed means no state."""
    if not text.strip():
        return "", ""
    try:
        return state_identity(json.loads(text))
    except json.JSONDecodeError:
        raise PlanSealError("terraform state pull did not print a state") from None


def changed_since_review(reviewed: PlanSeal, sha256: str, serial: str, lineage: str) -> list[str]:
    """What differs between the reviewed plan and the world now, one phrase each ([] = the same)."""
    changed = []
    if sha256 != reviewed.sha256:
        changed.append(f"the saved plan file (sha256 {reviewed.sha256[:12] or '-'} reviewed, {sha256[:12]} now)")
    if lineage != reviewed.lineage:
        changed.append(f"the state lineage ({reviewed.lineage or 'no state'} reviewed, {lineage or 'no state'} now)")
    elif serial != reviewed.serial:
        changed.append(f"the state serial ({reviewed.serial or '-'} reviewed, {serial or '-'} now)")
    return changed


def plan_file_name(draft_id: str = "") -> str:
    """Where the reviewed plan is saved, relative to the terraform folder.

    Inside ``.terraform/`` because terraform repositories ignore that folder: a plan file
    can hold secrets and must never be committed by a ``git add .`` (§4.2).
    """
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", draft_id).strip("-.")
    return f".terraform/hotfix-{safe or 'plan'}.tfplan"


def fmt_check_argv(tf: TerraformConfig) -> list[str]:
    return [tf.binary, "fmt", "-check", "-recursive", "-list=true"]


def fmt_argv(tf: TerraformConfig) -> list[str]:
    # -list is on by default: terraform prints each file it rewrote.
    return [tf.binary, "fmt", "-recursive"]


def init_argv(tf: TerraformConfig) -> list[str]:
    # -no-color: the output is parsed and stored; colour codes would only get in the way.
    return [tf.binary, "init", "-input=false", "-no-color"]


def validate_argv(tf: TerraformConfig) -> list[str]:
    return [tf.binary, "validate", "-json"]


def plan_argv(tf: TerraformConfig, plan_file: str) -> list[str]:
    return [tf.binary, "plan", "-input=false", "-no-color", f"-out={plan_file}", "-detailed-exitcode"]


def show_json_argv(tf: TerraformConfig, plan_file: str) -> list[str]:
    return [tf.binary, "show", "-json", plan_file]


def state_pull_argv(tf: TerraformConfig) -> list[str]:
    # Reads the current state from the configured backend; changes nothing.
    return [tf.binary, "state", "pull"]


def apply_argv(tf: TerraformConfig, plan_file: str) -> list[str]:
    # A saved plan applies exactly what was reviewed, without asking again (§7.3).
    return [tf.binary, "apply", "-input=false", "-no-color", plan_file]



# -- parsing -------------------------------------------------------------------------


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    summary: str
    detail: str = ""
    filename: str = ""
    line: int = 0

    def text(self) -> str:
        where = f" ({self.filename}:{self.line})" if self.filename else ""
        return f"{self.severity}: {self.summary}{where}"


@dataclass
class ValidateReport:
    """``terraform validate -json``: the documented format (format_version 1.x)."""

    valid: bool
    error_count: int = 0
    warning_count: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def summary(self) -> str:
        counts = f"{self.error_count} error{'s' * (self.error_count != 1)}, " \
                 f"{self.warning_count} warning{'s' * (self.warning_count != 1)}"
        if self.valid:
            return "The configuration is valid." + (f" ({counts})" if self.warning_count else "")
        first = next((d for d in self.diagnostics if d.severity == "error"), None)
        return f"invalid: {counts}" + (f" — {first.text()}" if first else "")


def parse_validate_json(text: str) -> ValidateReport | None:
    """None when the text is not validate's JSON (terraform can fail before it starts)."""
    start = text.find("{")
    if start < 0:
        return None
    try:
        data = json.loads(text[start:])
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or "valid" not in data:
        return None
    diags = []
    for d in data.get("diagnostics") or []:
        rng = d.get("range") or {}
        diags.append(Diagnostic(
            severity=str(d.get("severity", "")),
            summary=str(d.get("summary", "")),
            detail=str(d.get("detail", "")),
            filename=str(rng.get("filename", "")),
            line=int((rng.get("start") or {}).get("line", 0) or 0),
        ))
    return ValidateReport(
        valid=bool(data.get("valid")),
        error_count=int(data.get("error_count", sum(d.severity == "error" for d in diags))),
        warning_count=int(data.get("warning_count", sum(d.severity == "warning" for d in diags))),
        diagnostics=diags,
    )


def _listed_files(result: RunResult) -> list[str]:
    return [t.strip() for t in result.lines(STDOUT)
            if t.strip().endswith((".tf", ".tfvars", ".hcl")) and " " not in t.strip()]



class TerraformChecks(Checks):
    """The terraform steps for one config, run in ``[terraform] dir``."""

    TERRAFORM_ENV = {
        # Tells terraform no human reads its "next steps" hints and it must never prompt.
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
    }

    @property
    def tf(self) -> TerraformConfig:
        return self.config.terraform

    @property
    def tf_dir(self) -> Path:
        return terraform_dir(self.config)

    def _terraform(self, step: str, argv: list[str], on_lines: OnLines | None,
                   cancel: threading.Event | None, ok_codes: Iterable[int] = (0,)) -> RunResult:
        folder = self.tf_dir
        problem = terraform_root_problem(folder)
        if problem:
            return refused(argv, folder, problem, self.runner, on_lines)
        return self.runner.run(
            argv, cwd=folder, env=self.TERRAFORM_ENV, timeout=self.tf.timeout,
            on_lines=on_lines, cancel=cancel, ok_codes=ok_codes, config_section="terraform",
        )

    def fmt_check(self, *, strict: bool = False, on_lines: OnLines | None = None,
                  cancel: threading.Event | None = None) -> CheckOutcome:
        """Which files ``fmt`` would rewrite. With ``strict`` (CI), any such file fails."""
        ok = (0,) if strict else (0, FMT_NEEDS_FORMAT)
        result = self._terraform(FMT_CHECK, fmt_check_argv(self.tf), on_lines, cancel, ok)
        files = _listed_files(result)
        if result.status != PASSED:
            summary = (f"{len(files)} file(s) need formatting: {', '.join(files)}"
                       if result.exit_code == FMT_NEEDS_FORMAT and files else first_error(result))
            return CheckOutcome(FMT_CHECK, result, result.status, summary, changes=bool(files), files=files)
        summary = (f"{len(files)} file(s) need formatting: {', '.join(files)}" if files
                   else "all files are formatted")
        return CheckOutcome(FMT_CHECK, result, PASSED, summary, changes=bool(files), files=files)

    def fmt(self, *, on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CheckOutcome:
        """``fmt -recursive``: rewrites files and lists the ones it changed."""
        result = self._terraform(FMT, fmt_argv(self.tf), on_lines, cancel)
        files = _listed_files(result)
        if result.status != PASSED:
            return CheckOutcome(FMT, result, result.status, first_error(result), files=files)
        summary = f"formatted {len(files)} file(s): {', '.join(files)}" if files else "nothing to format"
        return CheckOutcome(FMT, result, PASSED, summary, changes=bool(files), files=files)

    def init(self, *, on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CheckOutcome:
        result = self._terraform(INIT, init_argv(self.tf), on_lines, cancel)
        if result.status != PASSED:
            return CheckOutcome(INIT, result, result.status, first_error(result))
        done = next((t.strip() for t in result.lines(STDOUT) if "successfully initialized" in t), "")
        return CheckOutcome(INIT, result, PASSED, done or "initialized")

    def validate(self, *, on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CheckOutcome:
        result = self._terraform(VALIDATE, validate_argv(self.tf), on_lines, cancel)
        report = parse_validate_json(result.text(STDOUT)) if result.exit_code is not None else None
        if result.status in (CANCELLED, TIMEOUT, ERROR):
            return CheckOutcome(VALIDATE, result, result.status, result.error, validate=report)
        if report is None:
            return CheckOutcome(VALIDATE, result, FAILED, first_error(result))
        status = PASSED if result.status == PASSED and report.valid else FAILED
        return CheckOutcome(VALIDATE, result, status, report.summary(), validate=report)

    def plan(self, plan_file: str | None = None, *, review: bool = True, on_lines: OnLines | None = None,
             cancel: threading.Event | None = None) -> CheckOutcome:
        """``plan -detailed-exitcode`` (2 = changes, still a pass), then the JSON review."""
        plan_file = plan_file or plan_file_name()
        fingerprint = terraform_fingerprint(self.tf_dir) if self.tf_dir.is_dir() else ""
        result = self._terraform(PLAN, plan_argv(self.tf, plan_file), on_lines, cancel, (0, PLAN_CHANGES))
        if result.status != PASSED:
            summary = result.error if result.status != FAILED else first_error(result)
            return CheckOutcome(PLAN, result, result.status, summary, plan_file=plan_file)
        counts = parse_plan_text(result.text(STDOUT))
        changes = result.exit_code == PLAN_CHANGES
        if counts is None:
            counts = PlanCounts(no_changes=not changes)
        outcome = CheckOutcome(PLAN, result, PASSED, counts.summary(), changes=changes, plan=counts,
                               plan_file=plan_file, fingerprint=fingerprint)
        if changes and review:
            self._review(outcome, on_lines, cancel)
        self._seal(outcome, on_lines)
        return outcome

    def _seal(self, outcome: CheckOutcome, on_lines: OnLines | None) -> None:
        """The saved plan's hash and the state it was made against, read from the file itself."""
        path = self.tf_dir / outcome.plan_file
        if not path.is_file():
            return  # terraform wrote no plan (a stand-in binary): nothing to seal, nothing to apply
        try:
            outcome.seal = seal_plan(path)
        except (OSError, PlanSealError) as exc:
            note = (INFO, f"plan not sealed (apply will be refused): {exc}")
        else:
            seal = outcome.seal
            state = f"serial {seal.serial}, lineage {seal.lineage}" if seal.lineage else "no state"
            note = (INFO, f"plan sha256 {seal.sha256}, made against {state}")
        if on_lines:  # the log shows it; the draft keeps the seal as facts, not as a line
            on_lines([note])

    def current_state(self, cancel: threading.Event | None = None,
                      on_lines: OnLines | None = None) -> tuple[str, str]:
        """(serial, lineage) of the state now, from ``terraform state pull`` (PlanSealError when unread).

        The log is told the command (``on_lines``), never the state itself: it can hold secrets."""
        # All of stdout, not the result's kept tail: a big state is longer than that. Pieces are
        # joined with nothing: JSON has no newline inside a token, and a long line's pieces
        # (the runner cuts them) go back together.
        pieces: list[str] = []

        def collect(batch: list[Line]) -> None:
            pieces.extend(text for stream, text in batch if stream == STDOUT)

        argv = state_pull_argv(self.tf)
        if on_lines:
            on_lines([(INFO, f"$ {self.runner.display(argv)}")])
        result = self._terraform(APPLY, argv, collect, cancel)
        if result.status != PASSED:
            raise PlanSealError(f"cannot read the current state ({result.command}): "
                                f"{result.error if result.status != FAILED else first_error(result)}")
        return parse_state_pull("".join(pieces))

    def _changed_since_review(self, plan_file: str, reviewed_fingerprint: str, reviewed_plan: PlanSeal | None,
                              on_lines: OnLines | None, cancel: threading.Event | None) -> str:
        """Why the plan on disk is not the reviewed one ("" when it is), seen in the world now:
        the terraform files, the saved plan file's bytes, the state's serial and lineage."""
        folder = self.tf_dir
        changed = []
        if terraform_fingerprint(folder) != reviewed_fingerprint:
            changed.append("the terraform files")
        if reviewed_plan is not None:
            if not reviewed_plan.sha256:
                return ("the reviewed plan has no recorded sha256 (reviewed before plans were sealed, or its "
                        "file could not be read): plan and review again before applying")
            try:
                sha = plan_file_sha256(folder / plan_file)
                serial, lineage = self.current_state(cancel, on_lines)
            except (OSError, PlanSealError) as exc:
                return f"cannot check the plan against the reviewed one: {exc}"
            changed += changed_since_review(reviewed_plan, sha, serial, lineage)
        if not changed:
            return ""
        what = changed[0] if len(changed) == 1 else ", ".join(changed[:-1]) + " and " + changed[-1]
        return f"{what} changed since the reviewed plan: plan and review again before applying"

    def _review(self, outcome: CheckOutcome, on_lines: OnLines | None, cancel: threading.Event | None) -> None:
        argv = show_json_argv(self.tf, outcome.plan_file)
        # The JSON is one long line, cut into pieces of MAX_LINE_CHARS by the runner: collect all of
        # them (the kept tail could drop the start of a big plan) and keep it off the log.
        pieces: list[str] = []

        def collect(batch: list[Line]) -> None:
            pieces.extend(text for stream, text in batch if stream == STDOUT)

        shown = self.runner.run(argv, cwd=self.tf_dir, env=self.TERRAFORM_ENV, timeout=self.tf.timeout,
                                cancel=cancel, config_section="terraform", on_lines=collect)
        notes: list[Line] = [(INFO, f"$ {shown.command}")]
        if shown.status == PASSED:
            try:
                outcome.review = parse_show_json("".join(pieces))
            except PlanParseError as exc:
                notes.append((INFO, f"plan review unavailable: {exc}"))
        else:
            notes.append((INFO, f"plan review unavailable: {first_error(shown)}"))
        review = outcome.review
        if review is not None:
            notes += [(INFO, line) for line in review.lines()]
            if review.replaces:
                outcome.summary += " Replaces: " + ", ".join(c.address for c in review.replaces) + "."
            if review.destroys:
                outcome.summary += " Destroys: " + ", ".join(c.address for c in review.destroys) + "."
        outcome.result.output.extend(notes)
        if on_lines:
            on_lines(notes)

    def apply(self, plan_file: str, *, reviewed_fingerprint: str, reviewed_plan: PlanSeal | None = None,
              on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CheckOutcome:
        """``apply PLANFILE``, refused when the configuration changed since that plan (§7.3), and,
        given the reviewed plan's seal, when the plan file or the state is not the reviewed one."""
        argv = apply_argv(self.tf, plan_file)
        folder = self.tf_dir
        if not (folder / plan_file).is_file():
            result = refused(argv, folder, f"no saved plan at {folder / plan_file}: run the plan check first",
                              self.runner, on_lines)
            return CheckOutcome(APPLY, result, ERROR, result.error)
        why = self._changed_since_review(plan_file, reviewed_fingerprint, reviewed_plan, on_lines, cancel)
        if why:
            result = refused(argv, folder, why, self.runner, on_lines)
            return CheckOutcome(APPLY, result, ERROR, result.error)
        result = self._terraform(APPLY, argv, on_lines, cancel)
        if result.status != PASSED:
            return CheckOutcome(APPLY, result, result.status, result.error if result.status != FAILED
                                else first_error(result))
        done = next((t.strip() for t in reversed(result.lines(STDOUT)) if t.startswith("Apply complete!")), "")
        return CheckOutcome(APPLY, result, PASSED, done or "applied")

    def tree_fingerprint(self) -> str:
        """The terraform files' fingerprint now ("" when the folder is not a terraform root)."""
        folder = self.tf_dir
        try:
            return "" if terraform_root_problem(folder) else terraform_fingerprint(folder)
        except OSError:
            return ""

    def _terraform_step(self, step: str, plan_file: str | None, strict_fmt: bool, on_lines: OnLines | None,
                        cancel: threading.Event | None) -> CheckOutcome:
        if step == FMT_CHECK:
            return self.fmt_check(strict=strict_fmt, on_lines=on_lines, cancel=cancel)
        if step == FMT:
            return self.fmt(on_lines=on_lines, cancel=cancel)
        if step == INIT:
            return self.init(on_lines=on_lines, cancel=cancel)
        if step == VALIDATE:
            return self.validate(on_lines=on_lines, cancel=cancel)
        return self.plan(plan_file, on_lines=on_lines, cancel=cancel)

    def terraform_step(self, step: str, *, plan_file: str | None = None, strict_fmt: bool = False,
                       on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CheckOutcome:
        """Run one of :data:`TERRAFORM_STEPS`; the outcome carries the fingerprint of the files it
        ran on (taken before the run; after it for ``fmt``, which rewrites them), so the draft can
        tell a check that passed on the current files from one that passed on older ones."""
        before = "" if step == FMT else self.tree_fingerprint()
        outcome = self._terraform_step(step, plan_file, strict_fmt, on_lines, cancel)
        outcome.fingerprint = outcome.fingerprint or before or (self.tree_fingerprint() if step == FMT else "")
        return outcome
