"""One incident, one document: the whole draft as Markdown, a self-contained HTML page, or JSON facts.

``hotfix export`` (cli.py) calls :func:`export`. The report, the RCA with its milestone
timeline and the links use the renderers every other text uses (render/artifacts.py);
this module adds only what has no renderer yet: the detail log, the §10 checklist with
who/when/why, the checks with their commands and results, the plan review, the
monitoring window and its pod samples (``deploy.samples``).

Draft values are data (rule 5): in Markdown and HTML every control character is made
visible (textsafe.visible); the HTML is rendered from that Markdown with raw HTML off, so
a ``<script>`` typed into a field arrives as text. JSON is the draft's own dict (what its
TOML holds, so no token: the draft never holds one) plus the derived checklist state;
the few characters a terminal would obey are written as ``\\u`` escapes.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import json
import re

from ..i18n import status_word, tr
from ..model import SCHEMA_VERSION, CheckRun, Draft, to_dict
from ..render.artifacts import (RenderContext, branch_name, effective_slug, issue_key, jira_link, override_lines,
                                plan_seal_words, rca, report)
from ..render import timeline as _timeline
from ..textsafe import escape_for_json, visible
from . import checklist
from .checklist import STAGE_LABELS, Facts

FORMATS = ("markdown", "html", "json")
EXPORT_VERSION = 1


# -- small pieces -------------------------------------------------------------------------


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


def _time(value: str, ctx: RenderContext, shape: str = "%Y-%m-%d %H:%M") -> str:
    """A stored ISO time as "2025-10-19 14:55" in the rendering zone; "-" when empty, as typed when malformed."""
    if not value.strip():
        return "-"
    try:
        when = _dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return _one_line(value)
    if when.tzinfo is not None:
        when = _timeline._shown(when, ctx.timezone)
    return when.strftime(shape)


def _code(text: str) -> str:
    """``text`` as inline code, with a fence longer than any backtick run inside it."""
    text = _one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else "-"


def _block(text: str) -> str:
    """``text`` as a fenced code block, its fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text.rstrip()}\n{fence}"


def _cell(text: str) -> str:
    """One Markdown table cell: one line, its pipes escaped."""
    return _one_line(text).replace("\\", "\\\\").replace("|", "\\|") or "-"


def _lang(ctx: RenderContext) -> str:
    return "en" if ctx.language == "en" else "ko"


# -- sections with no renderer elsewhere -------------------------------------------------


def links_section(draft: Draft, ctx: RenderContext) -> str:
    lang = _lang(ctx)
    key = issue_key(draft, ctx)
    lines = [f"- {tr('ex.link.jira', lang)}: [{key}]({jira_link(draft, ctx)})",
             f"- {tr('ex.link.branch', lang)}: {_code(branch_name(draft, ctx))}"]
    if draft.commit.sha.strip():
        lines.append(f"- {tr('ex.link.commit', lang)}: {_code(draft.commit.sha)}")
    if draft.pr.url.strip() or draft.pr.number:
        label = f"#{draft.pr.number}" if draft.pr.number else _one_line(draft.pr.url)
        lines.append(f"- {tr('ex.link.pr', lang)}: [{label}]({_one_line(draft.pr.url)})" if draft.pr.url.strip()
                     else f"- {tr('ex.link.pr', lang)}: {label}")
    if draft.merge.merge_sha.strip():
        lines.append(f"- {tr('ex.link.merge', lang)}: {_code(draft.merge.merge_sha)} ({_time(draft.merge.merged_at, ctx)})")
    for item in draft.followups:
        if item.key.strip():
            where = f"[{_one_line(item.key)}]({_one_line(item.url)})" if item.url.strip() else _one_line(item.key)
            lines.append(f"- {tr('ex.link.followup', lang)}: {where} {_one_line(item.summary)}".rstrip())
    return f"## {tr('ex.links', lang)}\n" + "\n".join(lines)


def detail_log_section(draft: Draft, ctx: RenderContext) -> str:
    """Every timeline event as stored (the RCA shows only the milestones)."""
    lang = _lang(ctx)
    mark = tr("ex.milestone", lang)
    lines = [f"- {_time(e.at, ctx)} [{_one_line(e.source) or '-'}] {_one_line(e.text)}"
             + (f" ({mark})" if e.milestone else "") for e in draft.timeline]
    return f"### {tr('ex.detail_log', lang)}\n" + ("\n".join(lines) or f"- {tr('ex.none', lang)}")


def checklist_rows(draft: Draft, facts: Facts, language: str) -> list[dict]:
    """The §10 items with their recorded state and what the facts would tick now (derived)."""
    rows = []
    for item in checklist.ITEMS:
        state = draft.checklist.get(item.id)
        rows.append({
            "id": item.id,
            "stage": item.stage,
            "label": item.label(language),
            "checked": bool(state and state.checked),
            "at": state.at if state else "",
            "by": state.by if state else "",
            "reason": state.reason if state else "",
            "decided_by_fact": item.fact,
            "auto_reason": checklist.reason(item, draft, facts, language),
        })
    return rows


def checklist_section(draft: Draft, ctx: RenderContext, facts: Facts) -> str:
    lang = _lang(ctx)
    rows = checklist_rows(draft, facts, lang)
    done = sum(1 for r in rows if r["checked"])
    parts = [f"## {tr('ex.checklist', lang, done=done, total=len(rows))}"]
    for stage, labels in STAGE_LABELS.items():
        lines = []
        for row in (r for r in rows if r["stage"] == stage):
            line = f"- [{'x' if row['checked'] else ' '}] {row['label']}"
            if row["checked"] and row["by"] == "auto":
                line += " — " + tr("ex.tick.auto", lang, at=_time(row["at"], ctx), reason=_one_line(row["reason"]))
            elif row["checked"]:
                line += " — " + tr("ex.tick.user", lang, at=_time(row["at"], ctx))
                if row["reason"].strip():
                    line += "; " + tr("ex.tick.why", lang, reason=_one_line(row["reason"]))
            lines.append(line)
        parts.append(f"### {labels[1] if lang == 'en' else labels[0]}\n" + "\n".join(lines))
    return "\n\n".join(parts)


def overrides_section(draft: Draft, ctx: RenderContext) -> str:
    """The report carries the overrides when there are some; the document says so when none."""
    lang = _lang(ctx)
    return f"## {tr('ex.overrides', lang)}\n" + ("\n".join(override_lines(draft)) or f"- {tr('ex.none', lang)}")


def _run(run: CheckRun, ctx: RenderContext) -> str:
    lang = _lang(ctx)
    head = tr("ex.run", lang, name=_one_line(run.name) or "?", status=status_word(run.status, lang),
              code=run.exit_code, seconds=f"{run.duration_ms / 1000:.1f}", at=_time(run.started_at, ctx))
    lines = [f"- {head}", f"  - {_code(run.command)}"]
    if run.summary.strip():
        lines.append(f"  - {_one_line(run.summary)}")
    text = "\n".join(lines)
    if run.output_tail.strip():
        indented = "\n".join(("  " + line) if line else "" for line in _block(run.output_tail).splitlines())
        text += f"\n\n  {tr('ex.run_output', lang)}:\n\n{indented}"
    return text


def checks_section(draft: Draft, ctx: RenderContext) -> str:
    lang = _lang(ctx)
    runs = [*draft.checks.runs, *draft.verify.runs]
    body = "\n".join(_run(r, ctx) for r in runs) or f"- {tr('ex.none', lang)}"
    return f"## {tr('ex.checks', lang)}\n{body}"


def plan_review_section(draft: Draft, ctx: RenderContext) -> str:
    lang = _lang(ctx)
    deploy = draft.deploy
    plan = next((r for r in reversed(draft.checks.runs) if r.name == "plan"), None)
    rows = [
        ("ex.plan.summary", _one_line(plan.summary) if plan and plan.summary.strip() else "-"),
        ("ex.plan.file", _code(deploy.plan_file) if deploy.plan_file.strip() else "-"),
        ("ex.plan.reviewed_at", _time(deploy.plan_reviewed_at, ctx)),
        ("ex.plan.fingerprint", _code(deploy.plan_fingerprint) if deploy.plan_fingerprint.strip() else "-"),
        ("ex.plan.seal", _code(plan_seal_words(draft)) if deploy.plan_sha256.strip() else "-"),
        ("ex.plan.applied_at", _time(deploy.applied_at, ctx)),
        ("ex.plan.apply_summary", _one_line(deploy.apply_summary) or "-"),
    ]
    return f"## {tr('ex.plan_review', lang)}\n" + "\n".join(f"- {tr(k, lang)}: {v}" for k, v in rows)


def monitoring_section(draft: Draft, ctx: RenderContext) -> str:
    lang = _lang(ctx)
    deploy = draft.deploy
    outcome = tr(f"outcome.{deploy.outcome}", lang) if deploy.outcome in ("stable", "regressed") else "-"
    lines = [
        f"- {tr('ex.mon.window', lang)}: {tr('ex.mon.minutes', lang, n=deploy.monitor_minutes)}",
        f"- {tr('ex.mon.started', lang)}: {_time(deploy.monitor_started_at, ctx)}",
        f"- {tr('ex.mon.ended', lang)}: {_time(deploy.monitor_ended_at, ctx)}",
        f"- {tr('ex.mon.outcome', lang)}: {outcome}",
    ]
    notes = [n for n in (_one_line(line) for line in deploy.notes.splitlines()) if n]
    if notes:
        lines.append(f"- {tr('ex.mon.notes', lang)}:")
        lines += [f"  - {n}" for n in notes]
    parts = [f"## {tr('ex.monitoring', lang)}\n" + "\n".join(lines)]
    samples = deploy.samples
    head = f"### {tr('ex.samples', lang, n=len(samples))}"
    if not samples:
        parts.append(f"{head}\n- {tr('ex.none', lang)}")
    else:
        cols = [tr(k, lang) for k in ("ex.col.time", "ex.col.pods", "ex.col.not_ready", "ex.col.restarts",
                                      "ex.col.names")]
        table = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        # Seconds: samples come every [monitor] interval_seconds, often several a minute.
        table += [f"| {_cell(_time(s.at, ctx, '%Y-%m-%d %H:%M:%S'))} | {s.total} | {len(s.not_ready)} | {s.restarts} | "
                  f"{_cell(', '.join(s.not_ready))} |" for s in samples]
        parts.append(head + "\n" + "\n".join(table))
    return "\n\n".join(parts)


# -- the three formats ----------------------------------------------------------------------


def markdown(draft: Draft, ctx: RenderContext, facts: Facts | None = None) -> str:
    """The whole incident as one Markdown document, every control character made visible."""
    facts = facts or Facts()
    parts = [
        report(draft, ctx).rstrip("\n"),
        links_section(draft, ctx),
        rca(draft, ctx).rstrip("\n"),
        detail_log_section(draft, ctx),
        checklist_section(draft, ctx, facts),
    ]
    if not draft.overrides:  # else the report above lists them
        parts.append(overrides_section(draft, ctx))
    parts += [plan_review_section(draft, ctx), checks_section(draft, ctx), monitoring_section(draft, ctx)]
    return visible("\n\n".join(parts) + "\n")


HTML_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
code, pre { font-family: ui-monospace, monospace; background: #f4f4f4; }
pre { padding: .5rem; overflow-x: auto; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: .2rem .5rem; }
""".strip()


def html_page(draft: Draft, ctx: RenderContext, facts: Facts | None = None) -> str:
    """A self-contained page rendered from :func:`markdown` with raw HTML off: no draft value
    becomes markup (markdown-it escapes text, and refuses javascript: and data: links)."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown(draft, ctx, facts))
    title = _html.escape(visible(_one_line(f"{issue_key(draft, ctx)} {draft.title()}")))
    lang = _lang(ctx)
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n<style>\n{HTML_STYLE}\n</style>\n</head>\n<body>\n{body}</body>\n</html>\n")


def facts_dict(draft: Draft, ctx: RenderContext, facts: Facts | None = None) -> dict:
    """The incident as data: the draft's dict (as its TOML holds it) plus the derived state."""
    facts = facts or Facts()
    lang = _lang(ctx)
    rows = checklist_rows(draft, facts, lang)
    return {
        "export_version": EXPORT_VERSION,
        "schema": SCHEMA_VERSION,
        # Facts only: "" where the Markdown shows the template's {…} stand-in.
        "jira_key": draft.backlog.jira_key.strip(),
        "jira_url": jira_link(draft, ctx) if draft.backlog.jira_url.strip() or (
            draft.backlog.jira_key.strip() and ctx.jira_url) else "",
        "branch": branch_name(draft, ctx) if draft.branch.name.strip() or (
            draft.backlog.jira_key.strip() and effective_slug(draft)) else "",
        "downtime": _one_line(draft.report.downtime) or _timeline.downtime_text(draft, lang),
        "checklist": {"done": sum(1 for r in rows if r["checked"]), "total": len(rows), "items": rows},
        "draft": to_dict(draft),
    }


def json_text(draft: Draft, ctx: RenderContext, facts: Facts | None = None) -> str:
    text = json.dumps(facts_dict(draft, ctx, facts), ensure_ascii=False, indent=2)
    return escape_for_json(text) + "\n"


def export(draft: Draft, fmt: str, ctx: RenderContext, facts: Facts | None = None) -> str:
    """The document in ``fmt`` (one of FORMATS)."""
    if fmt == "markdown":
        return markdown(draft, ctx, facts)
    if fmt == "html":
        return html_page(draft, ctx, facts)
    if fmt == "json":
        return json_text(draft, ctx, facts)
    raise ValueError(tr("ex.format_bad", _lang(ctx), fmt=fmt))
