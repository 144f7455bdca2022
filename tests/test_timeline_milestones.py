"""A timeline worth reading: the RCA lists milestones, the draft keeps the detail log (issue 9, item 8)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hotfix_tui import model
from hotfix_tui.model import Draft, from_dict, to_dict
from hotfix_tui.render import RenderContext, render
from hotfix_tui.render.timeline import downtime_text
from hotfix_tui.store import DraftStore
from hotfix_tui.workflow.timeline import parse_typed, time_order

BULLET = ("The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths) where the "
          "seed shows five milestones; downtime is free text, never computed.")

SEED_TIMELINE = (
    "### 타임라인\n"
    "- 14:30: 문제 최초 발견\n"
    "- 14:45: 원인 파악 (IP 충돌)\n"
    "- 15:00: 수정 완료 및 PR 생성\n"
    "- 15:15: PR 리뷰 및 머지\n"
    "- 15:30: 배포 완료 및 정상 동작 확인\n"
)


def noisy_incident() -> Draft:
    """An incident walked in the app: discovery, a marked cause row, the facts, and 30 lines of noise."""
    draft = Draft()
    draft.add_event("문제 최초 발견", source="auto", at="2025-10-19T14:30:00+09:00", milestone=True)
    for i in range(26):
        minute = 31 + i
        draft.add_event(f"단계 완료: 단계 {i}" if i % 2 else
                        f"terraform plan 실패: /home/oncall/infra/modules/metallb/main.tf:{i}",
                        source="auto", at=f"2025-10-19T{14 + minute // 60}:{minute % 60:02d}:00+09:00")
    draft.add_event("원인 파악 (IP 충돌)", at="2025-10-19T14:45:00+09:00", milestone=True)
    draft.add_event("PR 생성: #42", source="auto", at="2025-10-19T15:00:00+09:00")
    draft.add_event("JIRA 상태 → 완료", source="auto", at="2025-10-19T15:16:00+09:00")
    draft.add_event("모니터링 종료: 안정 (문제 해결)", source="auto", at="2025-10-19T15:30:00+09:00")
    draft.pr.number, draft.pr.opened_at = 42, "2025-10-19T15:00:00+09:00"
    draft.merge.merged_at = "2025-10-19T15:15:00+09:00"
    draft.deploy.applied_at = "2025-10-19T15:05:00+09:00"
    draft.deploy.monitor_started_at = "2025-10-19T15:06:00+09:00"
    draft.deploy.monitor_ended_at = "2025-10-19T15:30:00+09:00"
    draft.deploy.outcome = "stable"
    return draft


def test_rca_shows_the_milestones_not_the_noise():
    """The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths)
    where the seed shows five milestones; downtime is free text, never computed."""
    draft = noisy_incident()
    assert len(draft.timeline) == 31
    text = render(draft, "rca", RenderContext())
    assert SEED_TIMELINE + "\n### 근본 원인" in text
    assert "/home/oncall" not in text and "단계 완료" not in text


def test_detail_log_keeps_every_row(drafts_dir):
    """The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths)
    where the seed shows five milestones; downtime is free text, never computed."""
    draft = noisy_incident()
    store = DraftStore(drafts_dir)
    loaded = store.create(draft)
    again = store.load(loaded.path).draft
    assert [(e.at, e.text, e.milestone) for e in again.timeline] == [
        (e.at, e.text, e.milestone) for e in draft.timeline]
    assert sum(e.milestone for e in again.timeline) == 2


def test_downtime_is_computed_when_not_typed():
    """The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths)
    where the seed shows five milestones; downtime is free text, never computed."""
    draft = noisy_incident()
    assert "- 다운타임: 약 1시간\n" in render(draft, "report", RenderContext())
    assert "- Downtime: about 1 hour\n" in render(draft, "report", RenderContext(language="en"))
    # A typed impact start (발생 시점) starts the window before the discovery.
    draft.backlog.since = "2025-10-19 13:50+09:00"
    assert downtime_text(draft) == "약 1시간 40분"
    assert downtime_text(draft, "en") == "about 1 hour 40 minutes"
    # What the user typed wins.
    draft.report.downtime = "약 2시간 (DNS 캐시 포함)"
    assert "- 다운타임: 약 2시간 (DNS 캐시 포함)\n" in render(draft, "report", RenderContext())


def test_downtime_needs_recovery_verified():
    """The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths)
    where the seed shows five milestones; downtime is free text, never computed."""
    draft = noisy_incident()
    draft.deploy.outcome = ""
    assert downtime_text(draft) == ""
    assert "- 다운타임: {약 N시간}\n" in render(draft, "report", RenderContext())
    draft.deploy.outcome = "regressed"
    assert downtime_text(draft) == ""
    text = render(draft, "rca", RenderContext())
    assert "- 15:05: 배포 완료\n- 15:15: PR 리뷰 및 머지\n- 15:30: 배포 후 문제 재발\n" in text


def test_short_outage_and_days_spanned():
    """The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths)
    where the seed shows five milestones; downtime is free text, never computed."""
    draft = Draft()
    draft.add_event("문제 최초 발견", source="auto", at="2026-12-02T23:50:00+09:00", milestone=True)
    draft.deploy.monitor_ended_at = "2026-12-03T00:32:00+09:00"
    draft.deploy.outcome = "stable"
    assert downtime_text(draft) == "약 40분"
    text = render(draft, "rca", RenderContext())
    assert "- 12-02 23:50: 문제 최초 발견\n- 12-03 00:32: 배포 완료 및 정상 동작 확인\n" in text


def test_backdated_row_sorts_into_place_and_a_bad_time_is_refused():
    """The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths)
    where the seed shows five milestones; downtime is free text, never computed."""
    model.set_timezone(ZoneInfo("Asia/Seoul"))  # [ui] timezone; conftest puts it back
    draft = noisy_incident()
    row = draft.add_event("DHCP 서버 로그 확인", milestone=True)  # added now, backdated below
    row.at = parse_typed("14:40", "2025-10-19T14:30:00+09:00")
    assert row.at == "2025-10-19T14:40:00+09:00"
    order = time_order([e.at for e in draft.timeline])
    times = [draft.timeline[i].at for i in order]
    assert times == sorted(times) and draft.timeline[-1] is row  # appended last, sorted into place
    assert [draft.timeline[i] for i in order].index(row) == sum(e.at <= row.at for e in draft.timeline[:-1])
    text = render(draft, "rca", RenderContext())
    assert "- 14:30: 문제 최초 발견\n- 14:40: DHCP 서버 로그 확인\n- 14:45: 원인 파악" in text
    for bad in ("14:4", "오후 2시", "14:40 XYZ"):
        try:
            parse_typed(bad, row.at)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was taken as a time")


def test_old_drafts_without_the_milestone_flag_still_load():
    """The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths)
    where the seed shows five milestones; downtime is free text, never computed."""
    data = to_dict(Draft())
    data["timeline"] = [{"at": "2025-10-19T14:30:00+09:00", "text": "문제 최초 발견", "source": "auto"}]
    draft = from_dict(data)
    assert draft.timeline[0].milestone is False
    assert draft.pr.opened_at == ""


def test_the_seed_example_still_renders_byte_for_byte(example_path):
    """The RCA timeline holds 30 entries (phase-done noise, tool errors with local paths)
    where the seed shows five milestones; downtime is free text, never computed."""
    draft = DraftStore(example_path.parent).load(example_path).draft
    assert SEED_TIMELINE + "\n" in render(draft, "rca", RenderContext())
    assert "- 다운타임: 약 1시간\n" in render(draft, "report", RenderContext())
