"""§1 Triage: is this a hotfix at all? The answer picks the path, it never blocks the user."""

from __future__ import annotations

from textual import on
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from ..i18n import LANGUAGES, tr
from ..model import CHANGE_KINDS, SEVERITIES, parse_time
from ..workflow.timeline import parse_typed, to_display
from ..workflow.validation import triage_verdict
from ..widgets.fields import FieldSpec, SafeInput, placeholder
from .phase import Artifact, PhaseScreen
from ..textsafe import visible

COMPARISON_KO = """| 구분 | Hotfix | 일반 Bug Fix |
|------|--------|-------------|
| 긴급도 | Critical/High | Medium/Low |
| 브랜치 | hotfix/* | TERRAFORM-XX-* |
| 리뷰 시간 | 최대 1시간 | 24시간 이내 |
| 테스트 범위 | 최소 필수 테스트 | 전체 테스트 |
| 머지 기준 | 문제 해결 우선 | 코드 품질 중시 |
| 사후 처리 | RCA 필수 | 선택 사항 |"""

COMPARISON_EN = """| | Hotfix | Regular bug fix |
|------|--------|-------------|
| Urgency | Critical/High | Medium/Low |
| Branch | hotfix/* | TERRAFORM-XX-* |
| Review time | 1 hour at most | within 24 hours |
| Tests | minimum required | full suite |
| Merge bar | solve the problem first | code quality |
| Afterwards | RCA required | optional |"""


def verdict_markdown(draft, ctx) -> str:
    lang = ctx.language
    verdict, reasons = triage_verdict(draft.triage, lang)
    chosen = draft.triage.verdict or verdict
    if not chosen:
        return tr("undecided", lang) + "\n"
    title = tr("is_hotfix_title", lang) if chosen == "hotfix" else tr("not_hotfix_title", lang)
    lines = [f"## {title}", ""]
    lines += [f"- {r}" for r in reasons]
    if draft.triage.reason.strip():
        lines += ["", draft.triage.reason.strip()]
    table = COMPARISON_EN if lang == "en" else COMPARISON_KO
    lines += ["", table.replace("TERRAFORM", ctx.project_key)]
    return "\n".join(lines) + "\n"


class TriageScreen(PhaseScreen):
    PHASE = "triage"
    INTRO = "intro.triage"
    FIELDS = [
        FieldSpec("triage.severity", "l.severity", "select", tuple((s, s) for s in SEVERITIES)),
        FieldSpec("triage.change_kind", "l.change_kind", "select", tuple((f"kind.{k}", k) for k in CHANGE_KINDS)),
        FieldSpec("triage.urgent", "l.urgent", "bool"),
        FieldSpec("triage.verdict", "l.verdict", "select",
                  (("verdict.hotfix", "hotfix"), ("verdict.bugfix", "bugfix"))),
        FieldSpec("triage.reason", "l.reason"),
    ]
    ARTIFACTS = [Artifact("l.verdict", verdict_markdown, True, "triage")]

    def compose_top(self):
        yield Static(id="verdict", classes="verdict")
        event = self._discovered_event()
        with Horizontal(classes="field field-line"):
            yield Label(self.t("l.discovered_short"), classes="field-label", markup=False)
            yield SafeInput(to_display(event.at) if event else "", id="discovered", compact=True,
                            placeholder=placeholder(self.t, to_display(self.app.now_iso())))
        yield Label("", id="discovered-error", classes="finding", markup=False)

    def _discovered_event(self):
        for event in self.draft.timeline:
            if event.source == "auto" and event.text in {tr("event.discovered", lang) for lang in LANGUAGES}:
                return event
        return self.draft.timeline[0] if self.draft.timeline else None

    @on(Input.Changed, "#discovered")
    def _discovered_changed(self, event: Input.Changed) -> None:
        event.stop()
        error = self.query_one("#discovered-error", Label)
        target = self._discovered_event()
        try:
            when = parse_typed(event.value, target.at if target else "")
        except ValueError:
            error.update("✗ " + self.t("bad_time"))
            error.display = True
            return
        error.display = False
        if target is None:
            self.draft.add_event(self.t("event.discovered"), source="auto", at=when, milestone=True)
        elif parse_time(target.at) == parse_time(when):
            return  # the stored time as shown in the session's zone: not an edit, its offset stays
        else:
            self.remember(target, "at", when, "l.discovered_short", event.input, display=to_display)
            target.at = when
        self.changed()

    def reshow_extra(self) -> None:
        """The discovery time as the timeline holds it now (its row may have been edited on
        the Post screen). A time typed here that means the same moment stays as typed, and so
        does one that is not a time yet (it is not in the draft: only the field holds it)."""
        field = self.query_one("#discovered", Input)
        event = self._discovered_event()
        stored = event.at if event else ""
        if not field.value.strip():
            same = not stored
        else:
            try:
                same = bool(stored) and parse_time(parse_typed(field.value, stored)) == parse_time(stored)
            except ValueError:
                return
        if not same:
            with self.prevent(Input.Changed):
                field.value = to_display(stored) if stored else ""
            self.query_one("#discovered-error", Label).display = False

    def show_restored(self, change) -> None:
        if change.attr == "at" and change.target is self._discovered_event():
            field = self.query_one("#discovered", Input)
            with self.prevent(Input.Changed):
                field.value = to_display(change.target.at)
            self.query_one("#discovered-error", Label).display = False

    def on_field_written(self, spec: FieldSpec) -> None:
        if spec.path not in ("triage.severity", "triage.change_kind", "triage.urgent"):
            return
        verdict, _ = triage_verdict(self.draft.triage, self.app.config.ui.language)
        if verdict and verdict != self.draft.triage.verdict:
            self.draft.triage.verdict = verdict
            self.query_one("#f-triage--verdict", Select).value = verdict
        severity = self.draft.triage.severity
        if severity and not self.draft.backlog.priority:
            self.draft.backlog.priority = severity

    def refresh_extra(self) -> None:
        from rich.markdown import Markdown

        verdict = self.draft.triage.verdict
        box = self.query_one("#verdict", Static)
        if not verdict:
            box.update(self.t("undecided"))
        else:
            title = self.t("is_hotfix_title") if verdict == "hotfix" else self.t("not_hotfix_title")
            _, reasons = triage_verdict(self.draft.triage, self.app.config.ui.language)
            box.update(Markdown(visible(f"**{title}**\n\n" + "\n".join(f"- {r}" for r in reasons))))
        box.set_class(verdict == "bugfix", "-bugfix")
