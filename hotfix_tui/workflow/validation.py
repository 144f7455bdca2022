"""Validation rules of the workflow, each finding saying what to fix and where.

Errors block a phase (the wizard asks for an explicit, recorded override); warnings only
inform. Rules come from the seed: §1 triage, §2.1 title/priority/labels, §3.1 branch
names (plus git's own ref-name rules), §4.2 commit subject.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..i18n import tr
from ..model import HOTFIX_PRIORITIES, Draft, Triage, oversize_fields
from ..render.artifacts import (
    RenderContext,
    branch_name,
    commit_subject,
    derive_slug,
    effective_slug,
    jira_title,
)
# One definition of a project's issue key, used by requests and here alike (screens
# check a typed-back key with it through this module).
from ..services.jira import key_pattern  # noqa: F401

ERROR = "error"
WARNING = "warning"

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Finding:
    """One problem: which phase and field it belongs to, how bad, and what to do."""

    phase: str
    field: str  # dotted model path, e.g. "backlog.priority"
    level: str  # ERROR | WARNING
    code: str  # the catalogue key, stable for tests and the UI
    message: str


def display_width(text: str) -> int:
    """Terminal columns: Korean and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def ref_name_problem(name: str) -> str:
    """Why git would refuse ``name`` as a branch (``git check-ref-format``), or ""."""
    if not name:
        return "empty"
    if name.startswith("-"):
        return "starts with '-' (git would read it as an option)"
    if name == "@":
        return "is '@'"
    if name.startswith("/") or name.endswith("/") or "//" in name:
        return "has an empty path part ('/' at an end or '//')"
    if name.endswith("."):
        return "ends with '.'"
    if ".." in name:
        return "contains '..'"
    if "@{" in name:
        return "contains '@{'"
    for ch in name:
        if ord(ch) < 0x20 or ord(ch) == 0x7F:
            return "contains a control character"
        if ch in " ~^:?*[\\":
            return f"contains {ch!r}"
    for part in name.split("/"):
        if part.startswith("."):
            return f"part {part!r} starts with '.'"
        if part.endswith(".lock"):
            return f"part {part!r} ends with '.lock'"
    return ""


def triage_verdict(triage: Triage, language: str = "ko") -> tuple[str, list[str]]:
    """§1: ("hotfix" | "bugfix" | "", reasons). Undecided until severity and kind are set."""
    if not triage.severity or not triage.change_kind:
        return "", []
    reasons = []
    if triage.change_kind not in ("bug", "security"):
        reasons.append(tr("v.not_hotfix_kind", language, kind=triage.change_kind))
    if triage.severity not in HOTFIX_PRIORITIES:
        reasons.append(tr("v.not_hotfix_severity", language, severity=triage.severity))
    if not triage.urgent:
        reasons.append(tr("v.not_urgent", language))
    if reasons:
        return "bugfix", reasons
    return "hotfix", [tr("v.is_hotfix", language, severity=triage.severity)]


def _required(phase: str, field: str, value, label_key: str, lang: str, level=ERROR):
    if isinstance(value, list):
        empty = not any(str(v).strip() for v in value)
    else:
        empty = not str(value).strip()
    if empty:
        return [Finding(phase, field, level, "v.required", tr("v.required", lang, field=tr(label_key, lang)))]
    return []


def check_triage(draft: Draft, ctx: RenderContext) -> list[Finding]:
    lang = ctx.language
    t = draft.triage
    out = []
    if not t.severity:
        out.append(Finding("triage", "triage.severity", ERROR, "v.triage_severity", tr("v.triage_severity", lang)))
    if not t.change_kind:
        out.append(Finding("triage", "triage.change_kind", ERROR, "v.triage_kind", tr("v.triage_kind", lang)))
    return out


def check_backlog(draft: Draft, ctx: RenderContext) -> list[Finding]:
    lang = ctx.language
    b = draft.backlog
    out: list[Finding] = []
    if not b.summary.strip():
        out.append(Finding("backlog", "backlog.summary", ERROR, "v.summary_missing", tr("v.summary_missing", lang)))
    if draft.is_hotfix:
        title = jira_title(draft, ctx)
        if not title.startswith("[HOTFIX] "):
            out.append(Finding("backlog", "backlog.summary", ERROR, "v.title_prefix", tr("v.title_prefix", lang, title=_short(title))))
        if not b.priority:
            out.append(Finding("backlog", "backlog.priority", ERROR, "v.priority_missing", tr("v.priority_missing", lang)))
        elif b.priority not in HOTFIX_PRIORITIES:
            out.append(
                Finding("backlog", "backlog.priority", ERROR, "v.priority_not_hotfix",
                        tr("v.priority_not_hotfix", lang, priority=b.priority))
            )
        if "hotfix" not in [label.strip().lower() for label in b.labels]:
            out.append(Finding("backlog", "backlog.labels", ERROR, "v.label_missing", tr("v.label_missing", lang)))
    out += _required("backlog", "backlog.problem", b.problem, "f.problem", lang)
    out += _required("backlog", "backlog.since", b.since, "f.since", lang, WARNING)
    out += _required("backlog", "backlog.impact", b.impact, "f.impact", lang)
    out += _required("backlog", "backlog.repro_steps", b.repro_steps, "f.repro_steps", lang)
    out += _required("backlog", "backlog.root_cause", b.root_cause, "f.root_cause", lang, WARNING)
    out += _required("backlog", "backlog.fix_plan", b.fix_plan, "f.fix_plan", lang)
    out += _required("backlog", "backlog.rollback_plan", b.rollback_plan, "f.rollback_plan", lang)
    out += check_key(draft, ctx)
    return out


def check_key(draft: Draft, ctx: RenderContext) -> list[Finding]:
    key = draft.backlog.jira_key.strip()
    lang = ctx.language
    if not key:
        return [Finding("backlog", "backlog.jira_key", WARNING, "v.key_missing",
                        tr("v.key_missing", lang, project=ctx.project_key))]
    if not key_pattern(ctx.project_key).match(key):
        return [Finding("backlog", "backlog.jira_key", ERROR, "v.key_format",
                        tr("v.key_format", lang, key=key, project=ctx.project_key))]
    return []


def check_slug(slug: str, summary: str, language: str) -> list[Finding]:
    slug = slug.strip()
    if not slug:
        if derive_slug(summary):
            return []
        return [Finding("branch", "branch.slug", ERROR, "v.slug_needed", tr("v.slug_needed", language))]
    if not SLUG_RE.match(slug):
        return [Finding("branch", "branch.slug", ERROR, "v.slug_format", tr("v.slug_format", language, slug=slug))]
    return []


def check_branch(draft: Draft, ctx: RenderContext) -> list[Finding]:
    lang = ctx.language
    if not draft.branch.name.strip():
        out = check_slug(draft.branch.slug, draft.backlog.summary, lang)
        if out:
            return out
    else:
        out = []
    name = branch_name(draft, ctx)
    why = ref_name_problem(name)
    if why:
        return [Finding("branch", "branch.name", ERROR, "v.branch_ref", tr("v.branch_ref", lang, branch=name, why=why))]
    key = draft.backlog.jira_key.strip()
    if key:
        prefix = "hotfix/" if draft.is_hotfix else ""
        expected = f"{prefix}{key}-{effective_slug(draft) or '{slug}'}"
        pattern = re.compile(rf"^{re.escape(prefix)}{re.escape(key)}-[a-z0-9]+(?:-[a-z0-9]+)*$")
        if not pattern.match(name):
            out.append(Finding("branch", "branch.name", ERROR, "v.branch_format",
                               tr("v.branch_format", lang, branch=name, expected=expected)))
    return out


def check_commit(draft: Draft, ctx: RenderContext) -> list[Finding]:
    lang = ctx.language
    c = draft.commit
    out: list[Finding] = []
    subject = commit_subject(draft, ctx)
    key = draft.backlog.jira_key.strip() or f"{ctx.project_key}-XX"
    kind = "hotfix" if draft.is_hotfix else "fix"
    pattern = re.compile(rf"^\[{re.escape(key)}\] {kind}: \S.*$")
    if not draft.commit_summary.strip() or not pattern.match(subject):
        out.append(Finding("commit", "commit.summary", ERROR, "v.commit_subject",
                           tr("v.commit_subject", lang, subject=subject, key=key)))
    elif display_width(subject) > 72:
        out.append(Finding("commit", "commit.summary", WARNING, "v.commit_subject_long",
                           tr("v.commit_subject_long", lang, width=display_width(subject))))
    out += _required("commit", "commit.problem", c.problem, "f.commit_problem", lang)
    out += _required("commit", "commit.fix", c.fix, "f.commit_fix", lang)
    out += _required("commit", "commit.impact", c.impact, "f.commit_impact", lang)
    out += _required("commit", "commit.tests", c.tests, "f.commit_tests", lang)
    return out


def check_pr(draft: Draft, ctx: RenderContext) -> list[Finding]:
    lang = ctx.language
    out = _required("pr", "pr.changes", draft.pr.changes, "f.pr_changes", lang)
    unchecked = sum(1 for item in draft.pr.tests if item.text.strip() and not item.checked)
    if unchecked:
        out.append(Finding("pr", "pr.tests", WARNING, "v.pr_tests_unchecked",
                           tr("v.pr_tests_unchecked", lang, count=unchecked)))
    return out


def check_post(draft: Draft, ctx: RenderContext) -> list[Finding]:
    lang = ctx.language
    level = ERROR if draft.is_hotfix else WARNING  # §9: RCA is required for a hotfix only
    out = _required("post", "rca.root_cause", draft.rca_root_cause, "f.root_cause", lang, level)
    out += _required("post", "rca.prevention", draft.rca.prevention, "f.rca_prevention", lang, level)
    out += _required("post", "rca.process_improvement", draft.rca.process_improvement,
                     "f.process_improvement", lang, WARNING)
    out += _required("post", "report.summary", draft.report.summary, "f.report_summary", lang, WARNING)
    return out


# The phase whose screen holds each draft section's fields (for over-limit findings).
SECTION_PHASE = {
    "triage": "triage", "backlog": "backlog", "branch": "branch", "checks": "fix", "commit": "commit",
    "verify": "verify", "pr": "pr", "merge": "merge", "deploy": "merge", "rca": "post", "report": "post",
    "timeline": "post", "followups": "post",
}


def check_limits(draft: Draft, ctx: RenderContext) -> list[Finding]:
    """Fields over their size limit (docs/draft-format.md "Limits"): a hand-edited or
    hostile draft; the wizard locks such a field rather than load it into an editor."""
    return [Finding(SECTION_PHASE.get(path.split(".")[0].split("[")[0], "post"), path, ERROR, "limit.validate",
                    tr("limit.validate", ctx.language, size=size, limit=limit))
            for path, size, limit in oversize_fields(draft)]


def read_oversize(path) -> list[tuple[str, int, int]]:
    """(field, size, limit) for every over-limit field of the draft file at ``path``.

    Read with ``tomllib`` (about 0.2 s per MB), not with the round-trip parser the store
    uses to keep comments, which takes minutes on a multi-megabyte text full of quotes:
    the wizard asks this before it opens a draft. A file that does not parse gives [],
    so the normal load reports its problem in its own words.
    """
    import tomllib

    from ..model import DraftFormatError, from_dict

    try:
        with open(path, "rb") as fh:
            return oversize_fields(from_dict(tomllib.load(fh)))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, DraftFormatError):
        return []


def oversize_text(found: list[tuple[str, int, int]]) -> str:
    """"backlog.problem 5,000,000 > 50,000" for each over-limit field."""
    return ", ".join(f"{path} {size:,} > {limit:,}" for path, size, limit in found)


def _short(text: str, width: int = 120) -> str:
    """A value quoted in a message: bounded, so a megabyte field does not become a megabyte line."""
    return text if len(text) <= width else text[:width] + "…"


PHASE_CHECKS = {
    "triage": check_triage,
    "backlog": check_backlog,
    "branch": check_branch,
    "commit": check_commit,
    "pr": check_pr,
    "post": check_post,
}


def validate(draft: Draft, ctx: RenderContext, phases: list[str] | None = None) -> list[Finding]:
    """All findings for the given phases (all of them by default), in workflow order."""
    out: list[Finding] = []
    for phase, check in PHASE_CHECKS.items():
        if phases is None or phase in phases:
            out += check(draft, ctx)
    out += [f for f in check_limits(draft, ctx) if phases is None or f.phase in phases]
    slots = check_placeholders(draft, ctx, phases, already=out)
    # "Fill in X" as a warning says less than "X would leave a {…} slot": one line per field.
    superseded = {(f.phase, f.field) for f in slots}
    out = [f for f in out if not (f.level == WARNING and f.code == "v.required" and (f.phase, f.field) in superseded)]
    return out + slots


def placeholder_fields(draft: Draft, ctx: RenderContext, phase: str) -> list[tuple[str, str]]:
    """(artifact, field) for each ``{…}`` slot in the texts ``phase`` sends out of the app."""
    from ..render.artifacts import SENT_ARTIFACTS, placeholders

    return [(artifact, field) for artifact in SENT_ARTIFACTS.get(phase, ())
            for field in placeholders(draft, artifact, ctx)]


def check_placeholders(draft: Draft, ctx: RenderContext, phases: list[str] | None = None,
                       already: list[Finding] = ()) -> list[Finding]:
    """An error per empty field that would leave a ``{…}`` slot in a text the phase sends
    (Jira ticket, commit, PR); a field some rule above already flags as an error is not
    repeated, so each field shows one line on the screen."""
    from ..render.artifacts import SENT_ARTIFACTS

    flagged = {(f.phase, f.field) for f in already if f.level == ERROR}
    out: list[Finding] = []
    for phase in SENT_ARTIFACTS:
        if phases is not None and phase not in phases:
            continue
        for artifact, field in placeholder_fields(draft, ctx, phase):
            if (phase, field) in flagged:
                continue
            flagged.add((phase, field))
            out.append(Finding(phase, field, ERROR, "v.placeholder",
                               tr("v.placeholder", ctx.language, artifact=artifact, field=field)))
    return out


# -- gates ---------------------------------------------------------------------------------
#
# What must be true, as facts, before a phase is left forward (issue 9): the wizard's
# rules line shows them, ``app.advance`` asks for a reason to pass one that does not
# hold, and ``hotfix validate`` reports them for the phases the draft has passed. Gates
# read facts only (check runs and their fingerprints, recorded moves, times); the tree's
# fingerprint is computed by the caller at the moment of evaluation (``Facts.tree``), so
# nothing here touches the filesystem per keystroke.

from ..model import PASSED as _PASSED  # noqa: E402
from ..model import check_state, item_fact, item_ticked, monitoring_done, required_monitor_minutes  # noqa: E402
from .checklist import Facts  # noqa: E402

GATE_CHECKS = ("fmt", "init", "validate", "plan")
# Findings that say the record contradicts itself (a claim against a failed fact): errors
# in `hotfix validate` wherever the draft is. Other gate findings of a passed phase are
# errors only when they are failures, not facts still missing from a hand-kept record.
CONTRADICTIONS = ("g.pr_item_contradicts",)
HARD_GATES = ("g.check_failed", *CONTRADICTIONS)


def gate_fix(draft: Draft, ctx: RenderContext, facts: Facts) -> list[Finding]:
    """§4.1: fmt, init, validate passed and a plan run (changes or none) on the current files."""
    out = []
    for check in GATE_CHECKS:
        state = check_state(draft, check, facts.tree)
        if state != _PASSED:
            code = f"g.check_{state}"
            out.append(Finding("fix", "checks.runs", ERROR, code, tr(code, ctx.language, check=check)))
    return out


def gate_verify(draft: Draft, ctx: RenderContext, facts: Facts) -> list[Finding]:
    """§5.1: every required test item ticked."""
    open_items = [item.text.strip() for item in draft.verify.items if item.text.strip() and not item.checked]
    if not open_items:
        return []
    return [Finding("verify", "verify.items", ERROR, "g.verify_items",
                    tr("g.verify_items", ctx.language, count=len(open_items),
                       items=", ".join(_short(t, 40) for t in open_items)))]


def gate_pr(draft: Draft, ctx: RenderContext, facts: Facts) -> list[Finding]:
    """§6: the PR exists (number or URL); no §6.2 item claims a check whose latest run failed."""
    out = []
    if not draft.pr.number and not draft.pr.url.strip():
        out.append(Finding("pr", "pr.number", ERROR, "g.pr_missing", tr("g.pr_missing", ctx.language)))
    for item in draft.pr.tests:
        if item.checked and not item_ticked(draft, item):
            check = item_fact(item.text)
            out.append(Finding("pr", "pr.tests", ERROR, "g.pr_item_contradicts",
                               tr("g.pr_item_contradicts", ctx.language, item=_short(item.text.strip(), 60),
                                  check=check)))
    return out


def gate_merge(draft: Draft, ctx: RenderContext, facts: Facts) -> list[Finding]:
    """§7: merged (a fact from GitHub or a marked manual record), branch cleaned, Jira done;
    §7.3: applied, and monitored for at least ``[monitor] minutes``."""
    lang = ctx.language
    out = []
    m = draft.merge
    if not m.merged_at.strip():
        out.append(Finding("merge", "merge.merged_at", ERROR, "g.not_merged", tr("g.not_merged", lang)))
    if not (m.branch_deleted_at.strip() or m.main_updated_at.strip()):
        out.append(Finding("merge", "merge.branch_deleted_at", ERROR, "g.branch_not_cleaned",
                           tr("g.branch_not_cleaned", lang)))
    if not draft.jira_moved("done"):
        out.append(Finding("merge", "backlog.jira_status", ERROR, "g.jira_not_done",
                           tr("g.jira_not_done", lang)))
    if not draft.deploy.applied_at.strip():
        out.append(Finding("merge", "deploy.applied_at", ERROR, "g.not_applied", tr("g.not_applied", lang)))
    if not monitoring_done(draft, facts.now, facts.minutes):
        out.append(Finding("merge", "deploy.monitor_ended_at", ERROR, "g.not_monitored",
                           tr("g.not_monitored", lang, minutes=required_monitor_minutes(draft, facts.minutes))))
    return out


GATES = {"fix": gate_fix, "verify": gate_verify, "pr": gate_pr, "merge": gate_merge}


def gates(draft: Draft, ctx: RenderContext, phases: list[str] | None = None,
          facts: Facts | None = None) -> list[Finding]:
    """The gate findings of the given phases (all by default): each an ERROR that blocks leaving."""
    facts = facts or Facts()
    out: list[Finding] = []
    for phase, gate in GATES.items():
        if phases is None or phase in phases:
            out += gate(draft, ctx, facts)
    return out


def overridden_codes(draft: Draft, phase: str) -> set[str]:
    """The gate codes the user passed ``phase`` with, giving a reason."""
    return {code for o in draft.overrides if o.phase == phase for code in o.gate.split(",") if code}


def draft_report(draft: Draft, ctx: RenderContext, facts: Facts | None = None) -> list[Finding]:
    """What `hotfix validate` lists: the rules of every phase, plus the gates of the phases
    the draft has passed. A gate passed with a recorded override is a warning (the override
    is listed with its reason); a failed check or a claim against a failed fact is an error;
    a fact merely missing from a passed phase is a warning."""
    out = validate(draft, ctx)
    passed = [p for p in draft.done_phases if p in GATES]
    for f in gates(draft, ctx, None, facts):
        if f.code in CONTRADICTIONS or f.phase in passed:
            level = ERROR if f.code in HARD_GATES and f.code not in overridden_codes(draft, f.phase) else WARNING
            out.append(Finding(f.phase, f.field, level, f.code, f.message))
    return out


# Which gates a command-line step needs before it acts (issue 9: gates are enforced by the
# CLI steps too). A phase's gate counts as passed when it holds, or when the draft already
# records an override of those gates with a reason (given in the wizard or with --reason).
STEP_GATES: dict[str, tuple[tuple[str, tuple[str, ...] | None], ...]] = {
    "git commit": (("fix", None),),
    "git push": (("fix", None),),
    "pr create": (("fix", None), ("verify", None)),
    "pr merge": (("verify", None), ("pr", None)),
    # §7.2 order: the PR merged, then Jira done, then the branch deleted; apply and
    # monitoring (§7.3) come after.
    "jira move done": (("merge", ("g.not_merged",)),),
}


def step_gates(draft: Draft, ctx: RenderContext, step: str, facts: Facts | None = None) -> list[Finding]:
    """The findings that keep ``step`` from running: its gates that do not hold and were not
    passed with a reason before."""
    out: list[Finding] = []
    for phase, codes in STEP_GATES.get(step, ()):
        passed = overridden_codes(draft, phase)
        out += [f for f in gates(draft, ctx, [phase], facts)
                if (codes is None or f.code in codes) and f.code not in passed]
    return out


def record_override(draft: Draft, phase: str, findings: list[Finding], reason: str, language: str,
                    at: str | None = None) -> None:
    """Pass ``phase``'s gate although ``findings`` hold, with ``reason``: who, when, why and
    what go into ``draft.overrides`` and onto the timeline (the report lists them)."""
    what = "; ".join(f.message for f in findings)
    codes = ",".join(dict.fromkeys(f.code for f in findings))
    override = draft.add_override(phase, codes, reason, what=what, at=at)
    draft.add_event(tr("ov.event", language, phase=tr(f"phase.{phase}", language), what=what,
                       reason=override.reason), source="override", at=override.at)
