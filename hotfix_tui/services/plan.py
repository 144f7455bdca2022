"""Plan review (§4.1 "변경 최소화"): what a terraform plan would do, and what it touches that nobody declared.

Atlantis and tfcmt taught the shape of a reviewable plan: add/change/destroy counts, the
list of resource addresses with their actions, destroys and replaces called out. The
counts come from the plan's text ("Plan: 1 to add, 2 to change, 1 to destroy." or
"No changes."); the addresses come from ``terraform show -json PLANFILE``, Terraform's
documented, versioned JSON plan representation, which is safer to parse than the text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

__all__ = [
    "PlanCounts",
    "PlanParseError",
    "PlanReview",
    "ResourceChange",
    "outside_declared",
    "parse_plan_text",
    "parse_show_json",
    "undeclared_changes",
]

CREATE = "create"
UPDATE = "update"
DELETE = "delete"
REPLACE = "replace"  # ["delete", "create"] or, with create_before_destroy, ["create", "delete"]
READ = "read"
NO_OP = "no-op"
FORGET = "forget"  # removed from state without destroying (Terraform 1.7 `removed` blocks)

# What a reviewer sees in front of each address; the same symbols terraform prints.
SYMBOLS = {CREATE: "+", UPDATE: "~", DELETE: "-", REPLACE: "-/+", READ: "<=", NO_OP: " ", FORGET: "."}

_PLAN_LINE = re.compile(
    r"Plan:\s+(?:(?P<import>\d+) to import,\s+)?(?P<add>\d+) to add,\s+(?P<change>\d+) to change,\s+"
    r"(?P<destroy>\d+) to destroy"
)
# Terraform ≥ 0.15 says "No changes. Your infrastructure matches the configuration.";
# older versions and OpenTofu word the rest differently, but all start with "No changes."
_NO_CHANGES = re.compile(r"^\s*No changes\.", re.MULTILINE)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class PlanCounts:
    """The plan's one-line verdict."""

    add: int = 0
    change: int = 0
    destroy: int = 0
    imports: int = 0
    no_changes: bool = False

    @property
    def has_changes(self) -> bool:
        return not self.no_changes and any((self.add, self.change, self.destroy, self.imports))

    def summary(self) -> str:
        if self.no_changes:
            return "No changes."
        head = f"{self.imports} to import, " if self.imports else ""
        return f"Plan: {head}{self.add} to add, {self.change} to change, {self.destroy} to destroy."


def parse_plan_text(text: str) -> PlanCounts | None:
    """Counts from ``terraform plan`` output; None when neither verdict line is there."""
    text = _ANSI.sub("", text)
    match = None
    for match in _PLAN_LINE.finditer(text):
        pass  # the last one is the verdict (earlier ones could be echoed config or docs)
    if match:
        return PlanCounts(
            add=int(match["add"]),
            change=int(match["change"]),
            destroy=int(match["destroy"]),
            imports=int(match["import"] or 0),
        )
    if _NO_CHANGES.search(text):
        return PlanCounts(no_changes=True)
    return None


@dataclass(frozen=True)
class ResourceChange:
    """One resource instance the plan would act on."""

    address: str  # module.ingress.kubernetes_service.nginx["public"]
    type: str
    name: str
    action: str  # CREATE | UPDATE | DELETE | REPLACE | READ | NO_OP | FORGET
    actions: tuple[str, ...] = ()  # terraform's raw list, e.g. ("delete", "create")
    module: str = ""  # module_address; "" for the root module
    mode: str = "managed"  # or "data"
    reason: str = ""  # action_reason, e.g. replace_because_cannot_update

    @property
    def destructive(self) -> bool:
        return self.action in (DELETE, REPLACE)

    @property
    def changes_something(self) -> bool:
        return self.action not in (NO_OP, READ)

    def line(self) -> str:
        """``-/+ kubernetes_service.ingress (replace)``: one row of the review list."""
        why = f", {self.reason.replace('_', ' ')}" if self.reason else ""
        return f"{SYMBOLS.get(self.action, '?'):>3} {self.address} ({self.action}{why})"


@dataclass
class PlanReview:
    """The reviewable plan: every resource change and the counts terraform would print."""

    changes: list[ResourceChange] = field(default_factory=list)
    format_version: str = ""
    terraform_version: str = ""

    @property
    def counts(self) -> dict[str, int]:
        """Resources per action (replace counted once, as a replace)."""
        return dict(Counter(c.action for c in self.changes))

    @property
    def plan_counts(self) -> PlanCounts:
        """The "Plan: N to add, …" verdict terraform derives: a replace adds and destroys."""
        tally = Counter(c.action for c in self.changes)
        add = tally[CREATE] + tally[REPLACE]
        destroy = tally[DELETE] + tally[REPLACE]
        change = tally[UPDATE]
        return PlanCounts(add=add, change=change, destroy=destroy, no_changes=not (add or change or destroy))

    @property
    def touched(self) -> list[ResourceChange]:
        return [c for c in self.changes if c.changes_something]

    @property
    def destroys(self) -> list[ResourceChange]:
        return [c for c in self.changes if c.action == DELETE]

    @property
    def replaces(self) -> list[ResourceChange]:
        return [c for c in self.changes if c.action == REPLACE]

    @property
    def destructive(self) -> list[ResourceChange]:
        return [c for c in self.changes if c.destructive]

    def lines(self) -> list[str]:
        """Destructive changes first (they are what a reviewer must not miss), then the rest."""
        ordered = self.destructive + [c for c in self.touched if not c.destructive]
        return [c.line() for c in ordered]


def _action(actions: list[str]) -> str:
    acts = tuple(actions)
    if acts in ((DELETE, CREATE), (CREATE, DELETE)):
        return REPLACE
    if len(acts) == 1 and acts[0] in (CREATE, UPDATE, DELETE, READ, NO_OP, FORGET):
        return acts[0]
    return "+".join(acts) or NO_OP


class PlanParseError(ValueError):
    """``terraform show -json`` output we cannot read; the message says why."""


def parse_show_json(text: str) -> PlanReview:
    """The JSON plan representation → PlanReview; raises PlanParseError on anything else."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanParseError(f"terraform show -json did not print JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise PlanParseError("terraform show -json printed JSON that is not an object")
    version = str(data.get("format_version", ""))
    if version and not version.startswith(("0.", "1.")):
        # The format promises: a new major version is not backward compatible.
        raise PlanParseError(f"unsupported plan JSON format_version {version}")
    if "resource_changes" not in data and "planned_values" not in data:
        raise PlanParseError("this JSON is not a plan (no resource_changes): was a state file shown?")
    changes = []
    for rc in data.get("resource_changes") or []:
        if not isinstance(rc, dict):
            continue
        actions = [str(a) for a in (rc.get("change") or {}).get("actions") or []]
        changes.append(
            ResourceChange(
                address=str(rc.get("address", "")),
                type=str(rc.get("type", "")),
                name=str(rc.get("name", "")),
                action=_action(actions),
                actions=tuple(actions),
                module=str(rc.get("module_address", "") or ""),
                mode=str(rc.get("mode", "managed")),
                reason=str(rc.get("action_reason", "") or ""),
            )
        )
    return PlanReview(changes, version, str(data.get("terraform_version", "")))


# -- declared impact -----------------------------------------------------------------


def _norm(text: str) -> str:
    # "metallb_config", "metallb-config" and "MetalLB config" all name the same thing.
    return re.sub(r"[\s_\-]+", " ", text.lower()).strip()


def _candidates(change: ResourceChange) -> set[str]:
    bare = re.sub(r"\[[^\]]*\]", "", change.address)  # drop instance keys: web[0] → web
    names = {change.address, bare, change.type, change.name}
    if change.module:
        names.add(change.module)
        names.update(part for part in change.module.split(".") if part != "module")
    # Very short or generic names ("this", "main") appear in any prose; they prove nothing.
    return {_norm(n) for n in names if len(n) >= 3 and n not in ("this", "main", "default")}


def undeclared_changes(review: PlanReview, declared_text: str) -> list[ResourceChange]:
    """Changed resources whose address, type and name all go unmentioned in the text."""
    declared = _norm(declared_text)
    return [c for c in review.touched if not any(n and n in declared for n in _candidates(c))]


def outside_declared(review: PlanReview, declared_text: str) -> list[str]:
    """Warnings for what the plan changes beyond the user's impact text (§4.1, §6.2 영향 범위)."""
    warnings = []
    for change in undeclared_changes(review, declared_text):
        loud = " — destructive" if change.destructive else ""
        warnings.append(
            f"plan will {change.action} {change.address}{loud}, which the declared impact does not mention"
        )
    return warnings
