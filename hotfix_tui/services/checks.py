"""The §4.1 terraform checks and §5.2 kubectl look-ups: exact commands from config, readable results.

One place decides the argument lists (so the wizard, ``hotfix check`` and the report all
show the same command), runs them through :class:`~hotfix_tui.services.runner.Runner`,
and interprets what came back: ``-detailed-exitcode`` 2 is "changes", not failure;
``fmt -check`` exit 3 is "would reformat these files"; ``validate -json`` and
``show -json`` are parsed rather than scraped. :func:`check_run` turns a result into the
draft's :class:`~hotfix_tui.model.CheckRun`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import Config, KubectlConfig, TerraformConfig
from ..model import CheckRun, bound_output, now_iso
from .plan import PlanCounts, PlanParseError, PlanReview, parse_plan_text, parse_show_json
from .runner import (
    CANCELLED,
    ERROR,
    FAILED,
    INFO,
    PASSED,
    STDERR,
    STDOUT,
    TIMEOUT,
    Line,
    OnLines,
    RunResult,
    Runner,
)

__all__ = [
    "APPLY",
    "CHECK_GROUPS",
    "FMT",
    "FMT_CHECK",
    "INIT",
    "KUBECTL_DESCRIBE",
    "KUBECTL_GET",
    "KUBECTL_LOGS",
    "KUBECTL_PODS",
    "PLAN",
    "TERRAFORM_STEPS",
    "VALIDATE",
    "blocks_rest",
    "steps_for",
    "CheckOutcome",
    "CheckService",
    "Diagnostic",
    "KubeContext",
    "KubeResource",
    "PodHealth",
    "ValidateReport",
    "apply_argv",
    "check_run",
    "fmt_argv",
    "fmt_check_argv",
    "init_argv",
    "kubectl_describe_argv",
    "kubectl_get_all_argv",
    "kubectl_logs_argv",
    "kubectl_pods_argv",
    "parse_get_all",
    "parse_pods_json",
    "parse_validate_json",
    "plan_argv",
    "plan_file_name",
    "show_json_argv",
    "step_argv",
    "terraform_dir",
    "terraform_fingerprint",
    "terraform_root_problem",
    "validate_argv",
]

# Step names, as stored in CheckRun.name.
FMT_CHECK = "fmt-check"
FMT = "fmt"
INIT = "init"
VALIDATE = "validate"
PLAN = "plan"
APPLY = "apply"
KUBECTL_GET = "kubectl-get"
KUBECTL_LOGS = "kubectl-logs"
KUBECTL_DESCRIBE = "kubectl-describe"
KUBECTL_PODS = "kubectl-pods"

# What `--only` accepts, in the order §4.1 runs them, and the steps each one means.
CHECK_GROUPS: dict[str, tuple[str, ...]] = {
    "fmt": (FMT_CHECK, FMT),
    "init": (INIT,),
    "validate": (VALIDATE,),
    "plan": (PLAN,),
    "kubectl": (KUBECTL_GET,),
}
TERRAFORM_STEPS = (FMT_CHECK, FMT, INIT, VALIDATE, PLAN)
KUBECTL_STEPS = (KUBECTL_GET, KUBECTL_LOGS, KUBECTL_DESCRIBE, KUBECTL_PODS)

# Terraform's own exit codes: fmt -check says 3 when files need formatting; plan with
# -detailed-exitcode says 2 when there are changes (1 is always an error).
FMT_NEEDS_FORMAT = 3
PLAN_CHANGES = 2

TAIL_LINES = 20
_K8S_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
_KLOG = re.compile(r"^[EWIF]\d{4} \d\d:\d\d:\d\d")  # kubectl's internal log lines
_TF_ERROR = re.compile(r"^[\s│╷╵]*(Error|Warning): (.+)$")
_TF_FILES = (".tf", ".tf.json")


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


def apply_argv(tf: TerraformConfig, plan_file: str) -> list[str]:
    # A saved plan applies exactly what was reviewed, without asking again (§7.3).
    return [tf.binary, "apply", "-input=false", "-no-color", plan_file]


def current_context_argv(kc: KubectlConfig) -> list[str]:
    """Which context kubectl would use now; read once, then pinned with ``--context``."""
    return [kc.binary, "config", "current-context"]


@dataclass(frozen=True)
class KubeContext:
    """The kube context this session acts on, as the header shows it.

    ``name`` is what every kubectl command pins with ``--context``: ``[kubectl] context``,
    or kubectl's current context read once at start. When it could not be read,
    ``problem`` says why ("kubectl not found", "no current context") and ``name`` is "".
    """

    name: str
    configured: bool = False
    problem: str = ""
    production: bool = False


def _kubectl(kc: KubectlConfig) -> list[str]:
    return [kc.binary, *(["--context", kc.context] if kc.context else [])]


def _k8s_name(value: str, what: str) -> str:
    # A name starting with "-" would be read as an option; Kubernetes never makes one.
    if not value or value.startswith("-"):
        raise ValueError(f"{what} {value!r} is not a Kubernetes name")
    return value


def kubectl_get_all_argv(kc: KubectlConfig, namespace: str | None = None) -> list[str]:
    return [*_kubectl(kc), "get", "all", "-n", _k8s_name(namespace or kc.namespace, "namespace")]


def kubectl_logs_argv(kc: KubectlConfig, pod: str, *, tail: int = 200, namespace: str | None = None) -> list[str]:
    ns = _k8s_name(namespace or kc.namespace, "namespace")
    return [*_kubectl(kc), "logs", "-n", ns, _k8s_name(pod, "pod"), f"--tail={int(tail)}"]


def kubectl_describe_argv(kc: KubectlConfig, kind: str, name: str, namespace: str | None = None) -> list[str]:
    ns = _k8s_name(namespace or kc.namespace, "namespace")
    return [*_kubectl(kc), "describe", "-n", ns, _k8s_name(kind, "resource type"), _k8s_name(name, "name")]


def kubectl_pods_argv(kc: KubectlConfig, namespace: str | None = None) -> list[str]:
    """For §7.3 monitoring: JSON, so readiness and restarts are read, not guessed from columns."""
    return [*_kubectl(kc), "get", "pods", "-n", _k8s_name(namespace or kc.namespace, "namespace"), "-o", "json"]


def step_argv(tf: TerraformConfig, kc: KubectlConfig, step: str, *, plan_file: str = "", **kw) -> list[str]:
    """The argv of one step by name: what CheckService runs and what every screen shows."""
    builders: dict[str, Callable[[], list[str]]] = {
        FMT_CHECK: lambda: fmt_check_argv(tf),
        FMT: lambda: fmt_argv(tf),
        INIT: lambda: init_argv(tf),
        VALIDATE: lambda: validate_argv(tf),
        PLAN: lambda: plan_argv(tf, plan_file or plan_file_name()),
        APPLY: lambda: apply_argv(tf, plan_file or plan_file_name()),
        KUBECTL_GET: lambda: kubectl_get_all_argv(kc, kw.get("namespace")),
        KUBECTL_PODS: lambda: kubectl_pods_argv(kc, kw.get("namespace")),
        KUBECTL_LOGS: lambda: kubectl_logs_argv(kc, kw["pod"], tail=kw.get("tail", 200),
                                                namespace=kw.get("namespace")),
        KUBECTL_DESCRIBE: lambda: kubectl_describe_argv(kc, kw["kind"], kw["name"],
                                                        namespace=kw.get("namespace")),
    }
    return builders[step]()


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


@dataclass(frozen=True)
class KubeResource:
    """One row of ``kubectl get all``: what the user can pick for logs or describe."""

    kind: str  # as kubectl prints it: pod, service, deployment.apps
    name: str

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name}"

    @property
    def is_pod(self) -> bool:
        return self.kind == "pod"


def parse_get_all(text: str) -> list[KubeResource]:
    """Rows of ``kubectl get all`` (each table's NAME column is ``kind/name``)."""
    found = []
    for line in text.splitlines():
        first = line.split(maxsplit=1)[0] if line.strip() else ""
        if "/" in first and first != "NAME":
            kind, _, name = first.partition("/")
            if kind and name:
                found.append(KubeResource(kind, name))
    return found


@dataclass
class PodHealth:
    """One sample for §7.3 monitoring."""

    total: int = 0
    not_ready: list[str] = field(default_factory=list)
    restarts: int = 0

    def summary(self) -> str:
        return f"{self.total} pods, {len(self.not_ready)} not ready, {self.restarts} restarts"


def parse_pods_json(text: str) -> PodHealth | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    health = PodHealth()
    for pod in data.get("items") or []:
        name = (pod.get("metadata") or {}).get("name", "?")
        status = pod.get("status") or {}
        health.total += 1
        containers = status.get("containerStatuses") or []
        health.restarts += sum(int(c.get("restartCount", 0) or 0) for c in containers)
        ready = status.get("phase") == "Succeeded" or (
            bool(containers) and all(c.get("ready") for c in containers)
        )
        if not ready:
            health.not_ready.append(name)
    return health


def _first_error(result: RunResult) -> str:
    """The line that says what went wrong, for a one-line summary."""
    for _, text in result.output:
        match = _TF_ERROR.match(text)
        if match and match.group(1) == "Error":
            return f"Error: {match.group(2).strip()}"
    stderr = [t.strip() for s, t in result.output if s == STDERR and t.strip()]
    plain = [t for t in stderr if not _KLOG.match(t)]
    if plain or stderr:
        return (plain or stderr)[-1]
    return result.error or f"exit code {result.exit_code}"


# -- outcomes ------------------------------------------------------------------------


@dataclass
class CheckOutcome:
    """One step's result, interpreted: status, a one-line summary and what was parsed."""

    name: str
    result: RunResult
    status: str  # runner statuses: passed | failed | cancelled | timeout | error
    summary: str
    changes: bool = False  # plan has changes / fmt found files to format
    files: list[str] = field(default_factory=list)  # fmt: files listed
    validate: ValidateReport | None = None
    plan: PlanCounts | None = None
    review: PlanReview | None = None
    plan_file: str = ""  # relative to the terraform folder
    fingerprint: str = ""  # terraform_fingerprint of the files the step ran on (plan: at plan time)
    resources: list[KubeResource] = field(default_factory=list)
    pods: PodHealth | None = None

    @property
    def command(self) -> str:
        return self.result.command

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def duration(self) -> float:
        return self.result.duration

    def line(self) -> str:
        """``passed  1.2s  Plan: 1 to add, …`` for a log or a terminal."""
        return f"{self.status}  {self.result.duration:.1f}s  {self.summary}"

    def to_check_run(self) -> CheckRun:
        run = check_run(self.name, self.result, summary=self.summary, status=self.status)
        run.fingerprint = self.fingerprint
        return run


def check_run(name: str, result: RunResult, summary: str = "", *, status: str | None = None,
              tail: int = TAIL_LINES) -> CheckRun:
    """The draft's record of a run: masked command, summary, the last ``tail`` lines.

    The draft knows passed / failed / cancelled: a timeout or a command that could not
    start is a failure there, and its summary says which. The stored tail is bounded in
    bytes (``model.MAX_OUTPUT_TAIL_BYTES``); its lines are already masked and cut to
    ``runner.MAX_LINE_CHARS`` by the runner.
    """
    status = status or result.status
    stored = {PASSED: "passed", CANCELLED: "cancelled"}.get(status, "failed")
    return CheckRun(
        name=name,
        command=result.command,
        status=stored,
        started_at=result.started_at,
        duration_ms=result.duration_ms,
        exit_code=-1 if result.exit_code is None else result.exit_code,
        summary=summary or result.error or status,
        output_tail=bound_output("\n".join(result.tail(tail))),
    )


def _refused(argv: Sequence[str], cwd: Path, message: str, runner: Runner, on_lines: OnLines | None) -> RunResult:
    """A result for a step we did not start, so the log and the draft still explain it."""
    if on_lines:
        on_lines([(INFO, message)])
    return RunResult(list(argv), runner.display(argv), str(cwd), ERROR, None, now_iso(), 0.0,
                     [(INFO, message)], 0, message)


class CheckService:
    """The checks for one config; inject it into the App and the CLI (tests pass a Runner)."""

    TERRAFORM_ENV = {
        # Tells terraform no human reads its "next steps" hints and it must never prompt.
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
    }

    def __init__(self, config: Config, runner: Runner | None = None):
        self.config = config
        self.runner = runner or Runner()
        # [secrets] env: values masked in every command's display and output.
        self.runner.mask_env(config.secrets.env)
        self._kube_lock = threading.Lock()
        self._kube_context: KubeContext | None = None

    @property
    def tf(self) -> TerraformConfig:
        return self.config.terraform

    @property
    def kc(self) -> KubectlConfig:
        """``[kubectl]``, its context pinned to the one read at start when the config names none."""
        kc = self.config.kubectl
        pinned = self._kube_context
        if not kc.context and pinned is not None and pinned.name:
            return replace(kc, context=pinned.name)
        return kc

    # -- which cluster -----------------------------------------------------------------

    @property
    def kube_context_known(self) -> KubeContext | None:
        """The context as read so far (no I/O); None until :meth:`kube_context` has run."""
        configured = self.config.kubectl.context
        if configured:
            return KubeContext(configured, True, "", self._is_production(configured))
        return self._kube_context

    def _is_production(self, name: str) -> bool:
        try:
            return bool(name) and self.config.kubectl.is_production(name)
        except re.error:
            return False

    def kube_context(self) -> KubeContext:
        """The context every kubectl command pins; reads kubectl's current context once.

        Blocking (runs ``kubectl config current-context``): call it from a worker thread.
        A context once read is kept for the session, so a ``kubectl config use-context``
        in another terminal cannot redirect it; a failed read is tried again next time.
        """
        known = self.kube_context_known
        if known is not None and (known.configured or known.name):
            return known
        with self._kube_lock:
            if self._kube_context is not None and self._kube_context.name:
                return self._kube_context
            result = self.runner.run(current_context_argv(self.config.kubectl), timeout=self.kc.timeout,
                                     config_section="kubectl")
            name = next((t.strip() for t in result.lines(STDOUT) if t.strip()), "")
            if result.status == PASSED and name:
                found = KubeContext(name, False, "", self._is_production(name))
            elif result.status == ERROR and result.exit_code is None \
                    and ("not found" in result.error or "does not exist" in result.error):
                found = KubeContext("", False, "kubectl not found")
            elif result.status == FAILED:
                found = KubeContext("", False, "no current context")
            else:
                found = KubeContext("", False, result.error or result.status)
            self._kube_context = found
            return found

    @property
    def tf_dir(self) -> Path:
        return terraform_dir(self.config)

    # -- what would run --------------------------------------------------------------

    def argv(self, step: str, *, plan_file: str = "", **kw) -> list[str]:
        """The exact argument list of a step (for the "about to run" line)."""
        return step_argv(self.tf, self.kc, step, plan_file=plan_file, **kw)

    def display(self, step: str, **kw) -> str:
        if step in KUBECTL_STEPS:
            # Normally read already by the header's start-up worker; the pinned
            # --context must be in the line shown, since it is in the line run.
            self.kube_context()
        env = self.TERRAFORM_ENV if step in TERRAFORM_STEPS or step == APPLY else None
        return self.runner.display(self.argv(step, **kw), env)

    # -- terraform -------------------------------------------------------------------

    def _terraform(self, step: str, argv: list[str], on_lines: OnLines | None,
                   cancel: threading.Event | None, ok_codes: Iterable[int] = (0,)) -> RunResult:
        folder = self.tf_dir
        problem = terraform_root_problem(folder)
        if problem:
            return _refused(argv, folder, problem, self.runner, on_lines)
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
                       if result.exit_code == FMT_NEEDS_FORMAT and files else _first_error(result))
            return CheckOutcome(FMT_CHECK, result, result.status, summary, changes=bool(files), files=files)
        summary = (f"{len(files)} file(s) need formatting: {', '.join(files)}" if files
                   else "all files are formatted")
        return CheckOutcome(FMT_CHECK, result, PASSED, summary, changes=bool(files), files=files)

    def fmt(self, *, on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CheckOutcome:
        """``fmt -recursive``: rewrites files and lists the ones it changed."""
        result = self._terraform(FMT, fmt_argv(self.tf), on_lines, cancel)
        files = _listed_files(result)
        if result.status != PASSED:
            return CheckOutcome(FMT, result, result.status, _first_error(result), files=files)
        summary = f"formatted {len(files)} file(s): {', '.join(files)}" if files else "nothing to format"
        return CheckOutcome(FMT, result, PASSED, summary, changes=bool(files), files=files)

    def init(self, *, on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CheckOutcome:
        result = self._terraform(INIT, init_argv(self.tf), on_lines, cancel)
        if result.status != PASSED:
            return CheckOutcome(INIT, result, result.status, _first_error(result))
        done = next((t.strip() for t in result.lines(STDOUT) if "successfully initialized" in t), "")
        return CheckOutcome(INIT, result, PASSED, done or "initialized")

    def validate(self, *, on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CheckOutcome:
        result = self._terraform(VALIDATE, validate_argv(self.tf), on_lines, cancel)
        report = parse_validate_json(result.text(STDOUT)) if result.exit_code is not None else None
        if result.status in (CANCELLED, TIMEOUT, ERROR):
            return CheckOutcome(VALIDATE, result, result.status, result.error, validate=report)
        if report is None:
            return CheckOutcome(VALIDATE, result, FAILED, _first_error(result))
        status = PASSED if result.status == PASSED and report.valid else FAILED
        return CheckOutcome(VALIDATE, result, status, report.summary(), validate=report)

    def plan(self, plan_file: str | None = None, *, review: bool = True, on_lines: OnLines | None = None,
             cancel: threading.Event | None = None) -> CheckOutcome:
        """``plan -detailed-exitcode`` (2 = changes, still a pass), then the JSON review."""
        plan_file = plan_file or plan_file_name()
        fingerprint = terraform_fingerprint(self.tf_dir) if self.tf_dir.is_dir() else ""
        result = self._terraform(PLAN, plan_argv(self.tf, plan_file), on_lines, cancel, (0, PLAN_CHANGES))
        if result.status != PASSED:
            summary = result.error if result.status != FAILED else _first_error(result)
            return CheckOutcome(PLAN, result, result.status, summary, plan_file=plan_file)
        counts = parse_plan_text(result.text(STDOUT))
        changes = result.exit_code == PLAN_CHANGES
        if counts is None:
            counts = PlanCounts(no_changes=not changes)
        outcome = CheckOutcome(PLAN, result, PASSED, counts.summary(), changes=changes, plan=counts,
                               plan_file=plan_file, fingerprint=fingerprint)
        if changes and review:
            self._review(outcome, on_lines, cancel)
        return outcome

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
            notes.append((INFO, f"plan review unavailable: {_first_error(shown)}"))
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

    def apply(self, plan_file: str, *, reviewed_fingerprint: str, on_lines: OnLines | None = None,
              cancel: threading.Event | None = None) -> CheckOutcome:
        """``apply PLANFILE``, refused when the configuration changed since that plan (§7.3)."""
        argv = apply_argv(self.tf, plan_file)
        folder = self.tf_dir
        if not (folder / plan_file).is_file():
            result = _refused(argv, folder, f"no saved plan at {folder / plan_file}: run the plan check first",
                              self.runner, on_lines)
            return CheckOutcome(APPLY, result, ERROR, result.error)
        if terraform_fingerprint(folder) != reviewed_fingerprint:
            result = _refused(argv, folder, "the terraform files changed since the reviewed plan: "
                              "plan and review again before applying", self.runner, on_lines)
            return CheckOutcome(APPLY, result, ERROR, result.error)
        result = self._terraform(APPLY, argv, on_lines, cancel)
        if result.status != PASSED:
            return CheckOutcome(APPLY, result, result.status, result.error if result.status != FAILED
                                else _first_error(result))
        done = next((t.strip() for t in reversed(result.lines(STDOUT)) if t.startswith("Apply complete!")), "")
        return CheckOutcome(APPLY, result, PASSED, done or "applied")

    # -- kubectl ---------------------------------------------------------------------

    def _kubectl(self, build: Callable[[], list[str]], on_lines: OnLines | None,
                 cancel: threading.Event | None) -> RunResult:
        """Run a kubectl command pinned to the session's context (read first if need be).

        Refused when kubectl is there but has no current context: run unpinned, a
        context set later in another terminal would silently become the target.
        """
        context = self.kube_context()
        argv = build()
        if not context.name and context.problem == "no current context":
            return _refused(argv, Path.cwd(), "kubectl has no current context: set one "
                            "(`kubectl config use-context NAME`) or [kubectl] context in config.toml, "
                            "then restart hotfix", self.runner, on_lines)
        return self.runner.run(argv, timeout=self.kc.timeout, on_lines=on_lines, cancel=cancel,
                               config_section="kubectl")

    def _kube_outcome(self, name: str, result: RunResult) -> CheckOutcome | None:
        if result.status == PASSED:
            return None
        summary = result.error if result.status != FAILED else _first_error(result)
        return CheckOutcome(name, result, result.status, summary)

    def kubectl_get_all(self, namespace: str | None = None, *, on_lines: OnLines | None = None,
                        cancel: threading.Event | None = None) -> CheckOutcome:
        result = self._kubectl(lambda: kubectl_get_all_argv(self.kc, namespace), on_lines, cancel)
        failed = self._kube_outcome(KUBECTL_GET, result)
        if failed:
            return failed
        resources = parse_get_all(result.text(STDOUT))
        if resources:
            kinds = Counter(r.kind.split(".")[0] for r in resources)
            summary = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind, n in kinds.items())
        else:
            summary = next((t for t in result.lines(STDERR) if t.startswith("No resources")), "no resources")
        return CheckOutcome(KUBECTL_GET, result, PASSED, summary, resources=resources)

    def kubectl_logs(self, pod: str, *, tail: int = 200, namespace: str | None = None,
                     on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CheckOutcome:
        result = self._kubectl(lambda: kubectl_logs_argv(self.kc, pod, tail=tail, namespace=namespace), on_lines,
                               cancel)
        failed = self._kube_outcome(KUBECTL_LOGS, result)
        if failed:
            return failed
        n = len(result.lines(STDOUT))
        return CheckOutcome(KUBECTL_LOGS, result, PASSED, f"{n} log line{'s' * (n != 1)} from pod {pod}")

    def kubectl_describe(self, kind: str, name: str, *, namespace: str | None = None,
                         on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CheckOutcome:
        result = self._kubectl(lambda: kubectl_describe_argv(self.kc, kind, name, namespace), on_lines, cancel)
        failed = self._kube_outcome(KUBECTL_DESCRIBE, result)
        if failed:
            return failed
        status = next((t.split(":", 1)[1].strip() for t in result.lines(STDOUT)
                       if t.startswith("Status:")), "")
        summary = f"described {kind}/{name}" + (f" (Status: {status})" if status else "")
        return CheckOutcome(KUBECTL_DESCRIBE, result, PASSED, summary)

    def kubectl_pods(self, namespace: str | None = None, *, cancel: threading.Event | None = None) -> CheckOutcome:
        """One monitoring sample; the JSON is not streamed to the log."""
        result = self._kubectl(lambda: kubectl_pods_argv(self.kc, namespace), None, cancel)
        failed = self._kube_outcome(KUBECTL_PODS, result)
        if failed:
            return failed
        health = parse_pods_json(result.text(STDOUT))
        if health is None:
            return CheckOutcome(KUBECTL_PODS, result, FAILED, "kubectl did not print pod JSON")
        return CheckOutcome(KUBECTL_PODS, result, PASSED, health.summary(), pods=health)

    # -- a sequence, as §4.1 runs it -------------------------------------------------

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

    def run_step(self, step: str, *, plan_file: str | None = None, strict_fmt: bool = False,
                 on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CheckOutcome:
        """Run one step; a terraform step's outcome carries the fingerprint of the files it ran on
        (taken before the run; after it for ``fmt``, which rewrites them), so the draft can tell
        a check that passed on the current files from one that passed on older ones."""
        if step in TERRAFORM_STEPS:
            before = "" if step == FMT else self.tree_fingerprint()
            outcome = self._terraform_step(step, plan_file, strict_fmt, on_lines, cancel)
            outcome.fingerprint = outcome.fingerprint or before or (self.tree_fingerprint() if step == FMT else "")
            return outcome
        if step == KUBECTL_GET:
            return self.kubectl_get_all(on_lines=on_lines, cancel=cancel)
        raise ValueError(f"unknown check step {step!r}")


def steps_for(only: Iterable[str] | None = None, *, fmt_write: bool = True) -> list[str]:
    """The steps for ``--only fmt,plan`` (all when None), in §4.1's order.

    Raises ValueError naming an unknown group. ``fmt_write=False`` keeps ``fmt`` to its
    ``-check`` step (nothing in the repository is rewritten).
    """
    groups = list(CHECK_GROUPS) if only is None else [g.strip() for g in only if g.strip()]
    unknown = [g for g in groups if g not in CHECK_GROUPS]
    if unknown:
        raise ValueError(f"unknown check {unknown[0]!r}: choose from {', '.join(CHECK_GROUPS)}")
    steps = [s for g in CHECK_GROUPS if g in groups for s in CHECK_GROUPS[g]]
    return [s for s in steps if fmt_write or s != FMT]


def blocks_rest(outcome: CheckOutcome) -> bool:
    """A failed terraform step makes the later ones meaningless (validate needs init, …)."""
    return outcome.name in TERRAFORM_STEPS and not outcome.passed


def _listed_files(result: RunResult) -> list[str]:
    return [t.strip() for t in result.lines(STDOUT)
            if t.strip().endswith((".tf", ".tfvars", ".hcl")) and " " not in t.strip()]
