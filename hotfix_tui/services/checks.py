"""The checks the wizard and ``hotfix check`` run: terraform and kubectl steps by name.

:class:`CheckService` is both systems' checks for one config (``services/terraform.py``,
``services/kubectl.py``), with what needs both: the step names ``--only`` accepts, the
argv of a step by name (what the screen shows is what runs) and :meth:`run_step`. It
returns plain :class:`~.outcome.CheckOutcome` values; ``workflow/checks.py`` makes the
draft's record of them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from ..config import KubectlConfig, TerraformConfig
from .kubectl import (
    KUBECTL_DESCRIBE,
    KUBECTL_GET,
    KUBECTL_LOGS,
    KUBECTL_PODS,
    KUBECTL_STEPS,
    KubectlChecks,
    kubectl_describe_argv,
    kubectl_get_all_argv,
    kubectl_logs_argv,
    kubectl_pods_argv,
)
from .outcome import CheckOutcome
from .runner import OnLines
from .terraform import (
    APPLY,
    FMT,
    FMT_CHECK,
    INIT,
    PLAN,
    TERRAFORM_STEPS,
    VALIDATE,
    TerraformChecks,
    apply_argv,
    fmt_argv,
    fmt_check_argv,
    init_argv,
    plan_argv,
    plan_file_name,
    validate_argv,
)

# What `--only` accepts, in the order §4.1 runs them, and the steps each one means.
CHECK_GROUPS: dict[str, tuple[str, ...]] = {
    "fmt": (FMT_CHECK, FMT),
    "init": (INIT,),
    "validate": (VALIDATE,),
    "plan": (PLAN,),
    "kubectl": (KUBECTL_GET,),
}


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


class CheckService(TerraformChecks, KubectlChecks):
    """The checks for one config; inject it into the App and the CLI (tests pass a Runner)."""

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

    def run_step(self, step: str, *, plan_file: str | None = None, strict_fmt: bool = False,
                 on_lines: OnLines | None = None, cancel: threading.Event | None = None) -> CheckOutcome:
        """Run one step of :data:`CHECK_GROUPS` (terraform ones carry the files' fingerprint)."""
        if step in TERRAFORM_STEPS:
            return self.terraform_step(step, plan_file=plan_file, strict_fmt=strict_fmt, on_lines=on_lines,
                                       cancel=cancel)
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

