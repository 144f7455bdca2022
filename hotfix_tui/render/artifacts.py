"""Renderers: draft → the exact texts the workflow needs (Jira, branch, commit, PR, RCA, report).

Pure functions of a Draft and a RenderContext. Korean output follows the seed's templates
byte for byte; English keeps the same structure. A field that is still empty is shown with
the template's own ``{...}`` guidance, so a missing part is visible, never silently dropped.
"""

from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass

from ..model import Draft, FollowUp, item_ticked
from . import timeline as _timeline
from .templates import TEMPLATES, Template

HOTFIX_PREFIX = "[HOTFIX]"


@dataclass(frozen=True)
class RenderContext:
    """What rendering needs beyond the draft: language and the Jira project."""

    language: str = "ko"
    project_key: str = "TERRAFORM"
    jira_url: str = ""  # base URL; browse links are built from it when the draft has none
    namespace: str = ""  # kubectl namespace, for the §5.2 commands
    in_progress: str = "진행 중"  # the Jira status §3.2 moves to
    timezone: str = ""  # [ui] timezone for rendered times; "" = each in its stored offset
    # True for the text that leaves the app (the Jira create/update request): a root
    # cause not known yet is then "under analysis", which §2.2 allows, not a {…} slot.
    sending: bool = False

    @property
    def t(self) -> Template:
        return TEMPLATES.get(self.language, TEMPLATES["ko"])

    @classmethod
    def from_config(cls, config) -> "RenderContext":
        return cls(
            language=config.ui.language,
            project_key=config.jira.project_key,
            jira_url=config.jira.url,
            namespace=config.kubectl.namespace,
            in_progress=config.jira.statuses.in_progress,
            timezone=config.ui.timezone,
        )


# -- placeholders ----------------------------------------------------------------------

# While :func:`placeholders` renders, the fields whose template slot was used instead of
# a value; None otherwise. The renderers report each slot where they put it, so the list
# cannot drift from the text.
_SLOTS: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("_SLOTS", default=None)


def _slot(field: str, placeholder):
    """Note that ``field`` is shown as its template placeholder; returns the placeholder."""
    found = _SLOTS.get()
    if found is not None and field and field not in found:
        found.append(field)
    return placeholder


def placeholders(draft: Draft, artifact: str, ctx: "RenderContext") -> list[str]:
    """The draft fields (dotted paths) that ``artifact`` shows as a ``{…}`` template slot.

    Empty when the text is complete. A root cause not known yet is not listed for the
    Jira description: §2.2 itself says it is written after the analysis.
    """
    token = _SLOTS.set([])
    try:
        ARTIFACTS[artifact](draft, ctx)
        return list(_SLOTS.get() or [])
    finally:
        _SLOTS.reset(token)


# Which artifacts leave the app at which step (the placeholder refusal and `validate`).
SENT_ARTIFACTS = {
    "backlog": ("jira-title", "jira-description"),
    "commit": ("commit",),
    "pr": ("pr-title", "pr-body"),
}


# -- small helpers -------------------------------------------------------------------


def _text(value: str, placeholder: str, field: str = "") -> str:
    """A free-text field as typed (trailing blanks trimmed), or its placeholder."""
    value = "\n".join(line.rstrip() for line in value.strip("\n").splitlines()).strip()
    return value if value else _slot(field, placeholder)


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _items(values: list[str]) -> list[str]:
    return [_one_line(v) for v in values if v.strip()]


def _numbered(values: list[str], placeholders: list[str], field: str = "") -> str:
    items = _items(values) or (_slot(field, placeholders) if placeholders else [])
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))


def _bulleted(values: list[str], placeholders: list[str], field: str = "") -> str:
    items = _items(values) or _slot(field, placeholders)
    return "\n".join(f"- {item}" for item in items)


def strip_hotfix_prefix(summary: str) -> str:
    """A summary typed with "[HOTFIX]" in front would double it in every title."""
    summary = _one_line(summary)
    if summary.upper().startswith(HOTFIX_PREFIX):
        summary = summary[len(HOTFIX_PREFIX):].lstrip(" :")
    return summary


def issue_key(draft: Draft, ctx: RenderContext) -> str:
    """The Jira key, or the seed's ``TERRAFORM-XX`` stand-in until it is known."""
    return draft.backlog.jira_key.strip() or _slot("backlog.jira_key", f"{ctx.project_key}-XX")


def jira_link(draft: Draft, ctx: RenderContext) -> str:
    if draft.backlog.jira_url.strip():
        return draft.backlog.jira_url.strip()
    if draft.backlog.jira_key.strip() and ctx.jira_url:
        return f"{ctx.jira_url.rstrip('/')}/browse/{draft.backlog.jira_key.strip()}"
    return _slot("backlog.jira_url", ctx.t.ph_jira_link)


# -- slug and branch (§3.1) ----------------------------------------------------------

_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
SLUG_MAX_WORDS = 6
SLUG_MAX_LEN = 48


def derive_slug(summary: str) -> str:
    """Lowercase ASCII words of the summary joined by "-"; "" when it has none.

    An all-Korean summary yields "" on purpose: the user is asked for a slug instead of
    getting a transliterated or empty branch name.
    """
    words: list[str] = []
    for word in _ASCII_WORD.findall(strip_hotfix_prefix(summary)):
        candidate = "-".join([*words, word.lower()])
        if len(words) >= SLUG_MAX_WORDS or len(candidate) > SLUG_MAX_LEN:
            break
        words.append(word.lower())
    return "-".join(words)


def effective_slug(draft: Draft) -> str:
    return draft.branch.slug.strip() or derive_slug(draft.backlog.summary)


def branch_name(draft: Draft, ctx: RenderContext) -> str:
    """§3.1 ``hotfix/TERRAFORM-XX-{간단한-설명}``; §9 ``TERRAFORM-XX-*`` for a regular fix."""
    if draft.branch.name.strip():
        return draft.branch.name.strip()
    slug = effective_slug(draft) or _slot("branch.slug", ctx.t.ph_slug)
    name = f"{issue_key(draft, ctx)}-{slug}"
    return f"hotfix/{name}" if draft.is_hotfix else name


# -- §2 Jira -------------------------------------------------------------------------


def jira_title(draft: Draft, ctx: RenderContext) -> str:
    """§2.1 ``[HOTFIX] {문제 요약}``."""
    summary = strip_hotfix_prefix(draft.backlog.summary) or _slot("backlog.summary", ctx.t.ph_summary)
    return f"{HOTFIX_PREFIX} {summary}" if draft.is_hotfix else summary


def _repro(draft: Draft, ctx: RenderContext) -> str:
    t = ctx.t
    b = draft.backlog
    steps = _items(b.repro_steps)
    if not steps:
        return _numbered([], t.ph_repro, "backlog.repro_steps")
    if b.expected.strip() or b.actual.strip():
        steps.append(
            f"{t.expected}: {_one_line(b.expected) or _slot('backlog.expected', t.ph_expected)} / "
            f"{t.actual}: {_one_line(b.actual) or _slot('backlog.actual', t.ph_actual)}"
        )
    return _numbered(steps, [])


def jira_description(draft: Draft, ctx: RenderContext) -> str:
    """§2.2 template, filled (§2.3 is the example)."""
    t = ctx.t
    b = draft.backlog
    if b.root_cause.strip():
        cause_heading, cause = t.h_root_cause, _text(b.root_cause, "")
    else:
        # Not a missing field: §2.2 fills it after the analysis (`hotfix jira update`).
        cause_heading = t.h_root_cause_pending
        cause = t.root_cause_analysing if ctx.sending else t.ph_root_cause
    sections = [
        (t.h_problem, _text(b.problem, t.ph_problem, "backlog.problem")),
        (t.h_since, _text(b.since, t.ph_since, "backlog.since")),
        (t.h_impact, _text(b.impact, t.ph_impact, "backlog.impact")),
        (t.h_repro, _repro(draft, ctx)),
        (cause_heading, cause),
        (t.h_fix_plan, _numbered(b.fix_plan, []) or _slot("backlog.fix_plan", t.ph_fix_plan)),
        (t.h_rollback, _text(b.rollback_plan, t.ph_rollback, "backlog.rollback_plan")),
    ]
    return "\n\n".join(f"## {head}\n{body}" for head, body in sections) + "\n"


# -- the reviewed plan's seal (§4.1 → §7.3) --------------------------------------------


def plan_seal_words(draft: Draft) -> str:
    """``sha256=… serial=… lineage=…`` of the reviewed plan (serial/lineage empty: no state)."""
    d = draft.deploy
    return _one_line(f"sha256={d.plan_sha256} serial={d.plan_state_serial} lineage={d.plan_state_lineage}")


def pr_plan_trailer(draft: Draft) -> str:
    """The PR body's ``<!-- hotfix-plan: sha256=… serial=… lineage=… -->``; "" with no sealed review."""
    if not draft.deploy.plan_sha256:
        return ""
    # "--" cannot close the comment early, even from a draft edited by hand.
    words = plan_seal_words(draft).replace("--", "- -")
    return f"<!-- hotfix-plan: {words} -->"


def commit_plan_trailer(draft: Draft) -> str:
    """The commit's ``Hotfix-Plan: sha256=… serial=… lineage=…`` git trailer; "" with no sealed review."""
    if not draft.deploy.plan_sha256:
        return ""
    return f"Hotfix-Plan: {plan_seal_words(draft)}"


# -- §4 commit -----------------------------------------------------------------------


def commit_subject(draft: Draft, ctx: RenderContext) -> str:
    """§4.2 ``[TERRAFORM-XX] hotfix: {문제 요약}``."""
    summary = strip_hotfix_prefix(draft.commit_summary) or _slot("commit.summary", ctx.t.ph_summary)
    kind = "hotfix" if draft.is_hotfix else "fix"
    return f"[{issue_key(draft, ctx)}] {kind}: {summary}"


def commit_message(draft: Draft, ctx: RenderContext) -> str:
    """§4.2 template, filled (§4.3 is the example)."""
    t = ctx.t
    c = draft.commit
    lines = [
        commit_subject(draft, ctx),
        "",
        f"{t.c_problem}: {_text(c.problem, t.ph_c_problem, 'commit.problem')}",
        f"{t.c_fix}: {_text(c.fix, t.ph_c_fix, 'commit.fix')}",
        f"{t.c_impact}: {_text(c.impact, t.ph_c_impact, 'commit.impact')}",
        "",
        f"{t.c_tests}:",
        _bulleted(c.tests, t.ph_c_tests, "commit.tests"),
        "",
        f"JIRA: {jira_link(draft, ctx)}",
    ]
    trailer = commit_plan_trailer(draft)
    if trailer:
        lines.append(trailer)  # in the last paragraph, beside JIRA:, so git reads both as trailers
    return "\n".join(lines) + "\n"


# -- §6 pull request -----------------------------------------------------------------


def pr_title(draft: Draft, ctx: RenderContext) -> str:
    """§6.1 ``[HOTFIX] TERRAFORM-XX: {문제 요약}``."""
    summary = strip_hotfix_prefix(draft.pr_summary) or _slot("pr.summary", ctx.t.ph_summary)
    head = f"{issue_key(draft, ctx)}: {summary}"
    return f"{HOTFIX_PREFIX} {head}" if draft.is_hotfix else head


def _test_results(draft: Draft, ctx: RenderContext) -> str:
    lines = []
    for item in draft.pr.tests:
        text = _one_line(item.text)
        if not text:
            continue
        note = _one_line(item.note)
        mark = "x" if item_ticked(draft, item) else " "  # never a tick a failed check contradicts
        lines.append(f"- [{mark}] {text}" + (f" ({note})" if note else ""))
    return "\n".join(lines) or f"- [ ] {_slot('pr.tests', ctx.t.ph_test_item)}"


def pr_body(draft: Draft, ctx: RenderContext) -> str:
    """§6.2 template, filled (§6.3 is the example)."""
    t = ctx.t
    key = issue_key(draft, ctx)
    parts = [
        f"## {t.pr_banner if draft.is_hotfix else t.pr_banner_bugfix}",
        f"### {t.pr_problem}\n{_text(draft.pr_problem, t.ph_problem, 'pr.problem')}",
        f"### {t.pr_root_cause}\n{_text(draft.pr_root_cause, t.ph_pr_root_cause, 'pr.root_cause')}",
        f"### {t.pr_changes}\n{_bulleted(draft.pr.changes, t.ph_changes, 'pr.changes')}",
        f"### {t.pr_tests}\n{_test_results(draft, ctx)}",
        f"### {t.pr_impact}\n{_text(draft.pr_impact, t.ph_pr_impact, 'pr.impact')}",
        f"### {t.pr_rollback}\n{_text(draft.pr_rollback, t.ph_pr_rollback, 'pr.rollback')}",
        f"### {t.pr_related}\n- JIRA: [{key}]({jira_link(draft, ctx)})",
    ]
    body = "\n\n".join(parts) + "\n"
    if draft.is_hotfix:
        body += f"\n---\n**{t.pr_fast_review}**\n"
    trailer = pr_plan_trailer(draft)
    if trailer:
        body += f"\n{trailer}\n"
    return body


# -- §8 post-incident ----------------------------------------------------------------


def timeline_lines(draft: Draft, ctx: RenderContext | None = None) -> list[str]:
    """The RCA's milestone rows (render/timeline.py): ``- 14:30: text``, dated when days differ."""
    ctx = ctx or RenderContext()
    return _timeline.timeline_lines(draft, ctx.language, ctx.timezone)


def rca(draft: Draft, ctx: RenderContext) -> str:
    """§8.1 RCA: timeline, root cause, prevention, process improvement."""
    t = ctx.t
    timeline = "\n".join(timeline_lines(draft, ctx)) or _slot("timeline", t.ph_timeline)
    parts = [
        f"## {t.rca_title}",
        f"### {t.rca_timeline}\n{timeline}",
        f"### {t.rca_root_cause}\n{_text(draft.rca_root_cause, t.ph_rca_root_cause, 'rca.root_cause')}",
        f"### {t.rca_prevention}\n{_numbered(draft.rca.prevention, t.ph_prevention, 'rca.prevention')}",
        f"### {t.rca_process}\n{_text(draft.rca.process_improvement, t.ph_process, 'rca.process_improvement')}",
    ]
    return "\n\n".join(parts) + "\n"


def followup(draft: Draft, item: FollowUp, ctx: RenderContext) -> str:
    """§8.2 one follow-up ticket: title, kind, description, link to the hotfix."""
    t = ctx.t
    key = issue_key(draft, ctx)
    lines = [
        f"{t.fu_title}: {_one_line(item.summary) or _slot('followups.summary', t.ph_fu_summary)}",
        f"{t.fu_kind}: {_one_line(item.kind) or _slot('followups.kind', t.ph_fu_kind)}",
        "",
        _text(item.description, t.ph_fu_description, "followups.description"),
        "",
        f"{t.fu_related}: [{key}]({jira_link(draft, ctx)})",
    ]
    if item.key.strip():
        lines.insert(0, f"{item.key.strip()}")
    return "\n".join(lines) + "\n"


def followups(draft: Draft, ctx: RenderContext) -> str:
    """All follow-up tickets, separated by rules; the guidance when there are none."""
    if not draft.followups:
        return followup(draft, FollowUp(), ctx)
    return "\n---\n\n".join(followup(draft, item, ctx) for item in draft.followups)


def report(draft: Draft, ctx: RenderContext) -> str:
    """§8.3 hotfix report."""
    t = ctx.t
    r = draft.report
    # Typed downtime wins; else computed from the facts (discovery → recovery verified).
    downtime = (_one_line(r.downtime) or _timeline.downtime_text(draft, ctx.language)
                or _slot("report.downtime", t.ph_downtime))
    impact = "\n".join(
        [
            f"- {t.rp_downtime}: {downtime}",
            f"- {t.rp_services}: {_one_line(r.affected_services) or _slot('report.affected_services', t.ph_services)}",
            f"- {t.rp_users}: {_one_line(r.user_impact) or _slot('report.user_impact', t.ph_users)}",
        ]
    )
    parts = [
        f"# {t.rp_title}: {issue_key(draft, ctx)}",
        f"## {t.rp_summary}\n{_text(r.summary, t.ph_rp_summary, 'report.summary')}",
        f"## {t.rp_details}\n{_text(draft.report_details, t.ph_rp_details, 'report.details')}",
        f"## {t.rp_resolution}\n{_text(draft.report_resolution, t.ph_rp_resolution, 'report.resolution')}",
        f"## {t.rp_impact}\n{impact}",
        f"## {t.rp_lessons}\n{_numbered(r.lessons, t.ph_lessons, 'report.lessons')}",
        f"## {t.rp_prevention}\n{_numbered(draft.report_prevention, t.ph_prevention, 'report.prevention')}",
    ]
    if draft.overrides:  # only when there is one: the seed's report has no such section
        parts.append(f"## {t.rp_overrides}\n" + "\n".join(override_lines(draft)))
    return "\n\n".join(parts) + "\n"


def override_lines(draft: Draft) -> list[str]:
    """One line per gate passed with a reason: "- [fix] what did not hold — why (when, who)"."""
    lines = []
    for o in draft.overrides:
        when = o.at[:16].replace("T", " ")
        who = _one_line(o.by) or "?"
        lines.append(f"- [{o.phase}] {_one_line(o.what or o.gate)} — {_one_line(o.reason)} ({when}, {who})")
    return lines


# -- the artifact table the CLI and the wizard share -----------------------------------

ARTIFACTS = {
    "jira-title": jira_title,
    "jira-description": jira_description,
    "branch": branch_name,
    "commit": commit_message,
    "pr-title": pr_title,
    "pr-body": pr_body,
    "rca": rca,
    "report": report,
    "followups": followups,
}
# Artifacts that are Markdown documents (the rest are one line or a commit message,
# where Jira wiki markup means nothing).
MARKDOWN_ARTIFACTS = {"jira-description", "pr-body", "rca", "report", "followups"}


def render(draft: Draft, artifact: str, ctx: RenderContext, fmt: str = "markdown") -> str:
    """One artifact as text ending in a newline; ``fmt="jira"`` gives Jira wiki markup."""
    text = ARTIFACTS[artifact](draft, ctx)
    if not text.endswith("\n"):
        text += "\n"
    if fmt == "jira" and artifact in MARKDOWN_ARTIFACTS:
        from .jira_wiki import markdown_to_jira

        text = markdown_to_jira(text)
    return text
