"""Placeholders look like placeholders: an empty field shows an example prefixed "예:" (or a
suggestion from another field prefixed "←"), in this incident's terms, never the seed's MetalLB
text standing in for whatever the incident is.
"""

from __future__ import annotations

import os

from textual.widgets import Input, TextArea

from hotfix_tui.config import Config, JiraConfig, UiConfig
from hotfix_tui.model import PHASES, Draft
from hotfix_tui.store import DraftStore

from .helpers import FIXED_NOW, TEST_ZONE, make_app, picture, settle

# Words of the seed's incident (MetalLB on an ingress controller) that an example must not use.
SEED_WORDS = ("metallb", "loadbalancer", "ingress controller", "ip 할당", "ip allocation", "ip-pool")


def _empty_draft(drafts_dir, phase: str = "triage", **values) -> "os.PathLike":
    draft = Draft(id=f"empty-{phase}")  # a fixed name: the header shows it (create would stamp the wall clock)
    draft.phase = phase
    draft.add_event("장애 발견", source="auto", at=FIXED_NOW.isoformat(), milestone=True)
    for path, value in values.items():
        section, name = path.split(".")
        setattr(getattr(draft, section), name, value)
    path = DraftStore(drafts_dir).create(draft).path
    stamp = FIXED_NOW.timestamp()
    os.utime(path, (stamp, stamp))
    return path


def _shown_placeholder(widget) -> str:
    """What the empty widget draws: its first line on screen."""
    return widget.render_line(0).text.strip()


def _empty_fields(screen):
    for widget in screen.query("#form Input, #form TextArea"):
        if (widget.id or "").startswith("f-") and not (widget.value if isinstance(widget, Input) else widget.text):
            yield widget


async def _placeholders(app, pilot) -> dict[str, str]:
    """Every empty form field's placeholder on every phase: widget id → placeholder."""
    found: dict[str, str] = {}
    for phase in PHASES:
        app.goto_phase(phase)
        await settle(pilot)  # the debounced refresh has run: a phase may set placeholders when it refreshes
        for widget in _empty_fields(app.screen):
            if widget.placeholder:
                found[widget.id] = str(widget.placeholder)
    return found


async def test_empty_fields_show_prefixed_examples_that_are_not_the_seed_incident(drafts_dir):
    """Grey MetalLB placeholders in empty fields read like filled-in values."""
    app = make_app(drafts_dir, draft_path=_empty_draft(drafts_dir, "backlog"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        on_screen = {w.id: _shown_placeholder(w) for w in _empty_fields(app.screen) if w.placeholder}
        assert on_screen, "the empty Backlog shows no placeholder at all"
        for wid, text in on_screen.items():
            assert text.startswith("예: "), (wid, text)  # drawn, prefix first, at 80x24
        placeholders = await _placeholders(app, pilot)
    assert {"f-backlog--summary", "f-backlog--problem", "f-backlog--jira_key", "f-branch--slug"} <= set(placeholders)
    for wid, text in placeholders.items():
        assert text.startswith("예: "), (wid, text)
        assert not any(word in text.lower() for word in SEED_WORDS), (wid, text)


async def test_examples_use_the_incidents_own_terms(drafts_dir):
    """The Jira key and URL examples use the configured project and Jira; "since" the time the
    incident was recorded as discovered."""
    config = Config(ui=UiConfig(timezone=TEST_ZONE), jira=JiraConfig(url="https://jira.corp.test", project_key="OPS"))
    app = make_app(drafts_dir, config, draft_path=_empty_draft(drafts_dir, "backlog"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#f-backlog--jira_key", Input).placeholder == "예: OPS-123"
        assert screen.query_one("#f-backlog--jira_url", Input).placeholder == "예: https://jira.corp.test/browse/OPS-123"
        assert screen.query_one("#f-backlog--since", Input).placeholder == "예: 2025-10-19 14:52경부터 발생"


async def test_a_suggestion_from_another_field_says_where_it_comes_from(drafts_dir):
    """A field that follows another shows that field's text as "← 백로그 문제 상황: …", not as bare
    text that reads as typed; the branch slug shows the one derived from the summary. An incident
    about MetalLB does show MetalLB: the words come from the incident, not from the seed."""
    path = _empty_draft(drafts_dir, "branch", **{"backlog.summary": "MetalLB speaker crash",
                                                 "backlog.problem": "speaker 파드가 재시작을 반복\n둘째 줄"})
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#f-branch--slug", Input).placeholder == \
            "← 백로그 문제 요약: metallb-speaker-crash"
        app.goto_phase("pr")
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#f-pr--summary", Input).placeholder == "← 백로그 문제 요약: MetalLB speaker crash"
        problem = screen.query_one("#f-pr--problem", TextArea)
        assert problem.placeholder == "← 백로그 문제 상황: speaker 파드가 재시작을 반복…"
        assert _shown_placeholder(problem).startswith("← 백로그 문제 상황: ")


async def test_english_examples_say_e_g(drafts_dir):
    """The prefix follows [ui] language."""
    config = Config(ui=UiConfig(timezone=TEST_ZONE, language="en"))
    app = make_app(drafts_dir, config, draft_path=_empty_draft(drafts_dir, "backlog"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        summary = app.screen.query_one("#f-backlog--summary", Input)
        assert summary.placeholder.startswith("e.g. ") and "metallb" not in summary.placeholder.lower()


def test_empty_backlog_80x24(snap_compare, drafts_dir):
    """The picture of an empty Backlog: every empty field's grey text starts with "예:"."""
    path = _empty_draft(drafts_dir, "backlog")

    assert picture(snap_compare, make_app(drafts_dir, draft_path=path))
