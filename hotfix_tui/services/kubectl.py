"""The §5.2 kubectl look-ups and §7.3 monitoring samples, pinned to one kube context.

The argument lists come from config (``[kubectl]``), every command carries
``--context`` (the configured one, or kubectl's current context read once at start and
kept for the session), and names that kubectl would read as options are refused. ``get
all`` and ``get pods -o json`` are parsed into plain values.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import Config, KubectlConfig
from .outcome import CheckOutcome, Checks, first_error, refused
from .runner import ERROR, FAILED, PASSED, STDERR, STDOUT, OnLines, RunResult, Runner

# Step names, as stored in CheckRun.name.
KUBECTL_GET = "kubectl-get"
KUBECTL_LOGS = "kubectl-logs"
KUBECTL_DESCRIBE = "kubectl-describe"
KUBECTL_PODS = "kubectl-pods"
KUBECTL_STEPS = (KUBECTL_GET, KUBECTL_LOGS, KUBECTL_DESCRIBE, KUBECTL_PODS)


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



# -- parsing -------------------------------------------------------------------------


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



class KubectlChecks(Checks):
    """The kubectl look-ups for one config; the context is read once and then pinned."""

    def __init__(self, config: Config, runner: Runner | None = None):
        super().__init__(config, runner)
        self._kube_lock = threading.Lock()
        self._kube_context: KubeContext | None = None

    @property
    def kc(self) -> KubectlConfig:
        """``[kubectl]``, its context pinned to the one read at start when the config names none."""
        kc = self.config.kubectl
        pinned = self._kube_context
        if not kc.context and pinned is not None and pinned.name:
            return replace(kc, context=pinned.name)
        return kc

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

    def _kubectl(self, build: Callable[[], list[str]], on_lines: OnLines | None,
                 cancel: threading.Event | None) -> RunResult:
        """Run a kubectl command pinned to the session's context (read first if need be).

        Refused when kubectl is there but has no current context: run unpinned, a
        context set later in another terminal would silently become the target.
        """
        context = self.kube_context()
        argv = build()
        if not context.name and context.problem == "no current context":
            return refused(argv, Path.cwd(), "kubectl has no current context: set one "
                            "(`kubectl config use-context NAME`) or [kubectl] context in config.toml, "
                            "then restart hotfix", self.runner, on_lines)
        return self.runner.run(argv, timeout=self.kc.timeout, on_lines=on_lines, cancel=cancel,
                               config_section="kubectl")

    def _kube_outcome(self, name: str, result: RunResult) -> CheckOutcome | None:
        if result.status == PASSED:
            return None
        summary = result.error if result.status != FAILED else first_error(result)
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
