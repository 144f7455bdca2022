"""The §10 checklist (before / during / after), and which items the app can tick itself.

Each item has a rule that looks at the draft and returns why it is done, or "" when the
app cannot know. ``refresh`` ticks such items automatically (recording when and why) and
never unticks what the user ticked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..model import CheckState, Draft, now_iso

BEFORE, DURING, AFTER = "before", "during", "after"
STAGE_LABELS = {
    BEFORE: ("수정 전", "Before the fix"),
    DURING: ("수정 중", "During the fix"),
    AFTER: ("수정 후", "After the fix"),
}


def _filled(value) -> bool:
    if isinstance(value, list):
        return any(str(v).strip() for v in value)
    return bool(str(value).strip())


def _run_passed(draft: Draft, name: str) -> bool:
    return any(run.name == name and run.status in ("passed", "manual") for run in draft.checks.runs)


@dataclass(frozen=True)
class Item:
    id: str
    stage: str
    ko: str  # the seed's words
    en: str
    auto: Callable[[Draft], str] | None = None  # → reason when the draft shows it is done

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.ko


ITEMS: tuple[Item, ...] = (
    Item("problem_understood", BEFORE, "문제 상황 명확히 파악", "Problem clearly understood",
         lambda d: "문제 상황 작성됨" if _filled(d.backlog.problem) and _filled(d.backlog.repro_steps) else ""),
    Item("impact_analyzed", BEFORE, "영향 범위 분석", "Impact analysed",
         lambda d: "영향 범위 작성됨" if _filled(d.backlog.impact) else ""),
    Item("root_cause", BEFORE, "근본 원인 분석", "Root cause analysed",
         lambda d: "근본 원인 작성됨" if _filled(d.backlog.root_cause) else ""),
    Item("fix_plan", BEFORE, "수정 계획 수립", "Fix plan made",
         lambda d: "수정 계획 작성됨" if _filled(d.backlog.fix_plan) else ""),
    Item("rollback_plan", BEFORE, "롤백 계획 준비", "Rollback plan ready",
         lambda d: "롤백 계획 작성됨" if _filled(d.backlog.rollback_plan) else ""),
    Item("minimal_change", DURING, "최소한의 변경으로 수정", "Fixed with the smallest change",
         lambda d: "terraform plan 검토됨" if _run_passed(d, "plan") else ""),
    Item("local_verified", DURING, "로컬 환경에서 검증", "Verified locally",
         lambda d: "terraform validate 통과" if _run_passed(d, "validate") else ""),
    Item("test_env_verified", DURING, "테스트 환경에서 검증 (가능 시)", "Verified in a test environment (if possible)"),
    Item("commit_message", DURING, "커밋 메시지 상세 작성", "Detailed commit message",
         lambda d: "커밋 생성됨" if _filled(d.commit.sha) else ""),
    Item("pr_description", DURING, "PR 설명 충분히 작성", "PR description complete",
         lambda d: f"PR #{d.pr.number} 생성됨" if d.pr.number or _filled(d.pr.url) else ""),
    Item("deployed", AFTER, "프로덕션 배포", "Deployed to production",
         lambda d: "terraform apply 완료" if _filled(d.deploy.applied_at) else ""),
    Item("monitored", AFTER, "모니터링 (최소 30분)", "Monitored (30 min at least)",
         lambda d: "모니터링 완료" if _filled(d.deploy.monitor_ended_at) else ""),
    Item("resolved", AFTER, "문제 해결 확인", "Problem confirmed solved",
         lambda d: "모니터링 결과 안정" if d.deploy.outcome == "stable" else ""),
    Item("jira_done", AFTER, "JIRA 백로그 완료 처리", "Jira ticket done",
         lambda d: "JIRA 완료 처리됨" if _filled(d.merge.jira_done_at) else ""),
    Item("rca_written", AFTER, "RCA 작성", "RCA written",
         lambda d: "RCA 작성됨" if _filled(d.rca_root_cause) and _filled(d.rca.prevention) else ""),
    Item("followups_created", AFTER, "Follow-up 백로그 생성", "Follow-up tickets created",
         lambda d: "Follow-up 티켓 생성됨" if d.followups and all(_filled(f.key) for f in d.followups) else ""),
    Item("documented", AFTER, "문서화", "Documented"),
)
BY_ID = {item.id: item for item in ITEMS}


def refresh(draft: Draft, at: str | None = None) -> list[str]:
    """Tick what the draft proves done; untick auto-ticks whose proof is gone.

    Returns the ids whose state changed, so the caller can record them on the timeline.
    """
    changed = []
    for item in ITEMS:
        if item.auto is None:
            continue
        reason = item.auto(draft)
        state = draft.checklist.get(item.id)
        if reason and not (state and state.checked):
            draft.checklist[item.id] = CheckState(True, at or now_iso(), "auto", reason)
            changed.append(item.id)
        elif not reason and state and state.checked and state.by == "auto":
            del draft.checklist[item.id]
            changed.append(item.id)
    return changed


def toggle(draft: Draft, item_id: str) -> bool:
    """The user ticks or unticks an item by hand; returns the new state."""
    state = draft.checklist.get(item_id)
    if state and state.checked:
        del draft.checklist[item_id]
        return False
    draft.checklist[item_id] = CheckState(True, now_iso(), "user", "")
    return True


def counts(draft: Draft) -> tuple[int, int]:
    done = sum(1 for item in ITEMS if (s := draft.checklist.get(item.id)) and s.checked)
    return done, len(ITEMS)
