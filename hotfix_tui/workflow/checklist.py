"""The §10 checklist (before / during / after), and which items the app can tick itself.

Each item has a rule that looks at the draft's facts and says whether it is done, or
nothing when the app cannot know. ``refresh`` ticks such items automatically (recording
when and why, in the user's language) and unticks auto-ticks whose fact is gone; it
never unticks what the user ticked by hand. Items a fact decides (validate passed, plan
reviewed, applied, monitored long enough, Jira done) cannot be ticked by hand against
that fact without a reason, which is recorded as an override (``tick_against_fact``).

``refresh`` also keeps the §6.2 / §5.1 test items honest: a tick on "terraform
validate 통과" or "terraform plan 검토" whose latest run failed is taken back unless the
user overrode that fact with a reason.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Callable

from ..i18n import tr
from ..model import (
    FAILED,
    MISSING,
    PASSED,
    CheckState,
    Draft,
    check_state,
    fact_overridden,
    item_fact,
    monitoring_done,
    now_iso,
    required_monitor_minutes,
)

BEFORE, DURING, AFTER = "before", "during", "after"
STAGE_LABELS = {
    BEFORE: ("수정 전", "Before the fix"),
    DURING: ("수정 중", "During the fix"),
    AFTER: ("수정 후", "After the fix"),
}


@dataclass(frozen=True)
class Facts:
    """What the rules need besides the draft: the time, ``[monitor] minutes``, the current
    terraform files' fingerprint ("" = not known here, not compared)."""

    now: _dt.datetime | None = None
    minutes: int = 0
    tree: str = ""


def _filled(value) -> bool:
    if isinstance(value, list):
        return any(str(v).strip() for v in value)
    return bool(str(value).strip())


Rule = Callable[[Draft, Facts], "dict | None"]  # → the reason's fields when done, else None


def _when(condition: bool, **fields) -> dict | None:
    return dict(fields) if condition else None


@dataclass(frozen=True)
class Item:
    id: str
    stage: str
    auto: Rule | None = None  # → fields of the catalogue's "cl.<id>" reason when the draft shows it done
    fact: bool = False  # decided by a fact: a hand tick against it needs a reason

    def label(self, language: str) -> str:
        """The seed's words for the item (catalogue ``item.<id>``)."""
        return tr(f"item.{self.id}", language)


def _check(name: str) -> Rule:
    return lambda d, f: _when(check_state(d, name, f.tree) == PASSED)


ITEMS: tuple[Item, ...] = (
    Item("problem_understood", BEFORE,
         lambda d, f: _when(_filled(d.backlog.problem) and _filled(d.backlog.repro_steps))),
    Item("impact_analyzed", BEFORE, lambda d, f: _when(_filled(d.backlog.impact))),
    Item("root_cause", BEFORE,
         lambda d, f: _when(_filled(d.backlog.root_cause))),
    Item("fix_plan", BEFORE, lambda d, f: _when(_filled(d.backlog.fix_plan))),
    Item("rollback_plan", BEFORE,
         lambda d, f: _when(_filled(d.backlog.rollback_plan))),
    Item("minimal_change", DURING, _check("plan"), True),
    Item("local_verified", DURING, _check("validate"), True),
    Item("test_env_verified", DURING),
    Item("commit_message", DURING,
         lambda d, f: _when(_filled(d.commit.sha))),
    Item("pr_description", DURING,
         lambda d, f: _when(bool(d.pr.number or _filled(d.pr.url)), number=d.pr.number or "?")),
    Item("deployed", AFTER,
         lambda d, f: _when(_filled(d.deploy.applied_at)), True),
    Item("monitored", AFTER,
         lambda d, f: _when(monitoring_done(d, f.now, f.minutes), minutes=required_monitor_minutes(d, f.minutes)),
         True),
    Item("resolved", AFTER,
         lambda d, f: _when(d.deploy.outcome == "stable")),
    Item("jira_done", AFTER, lambda d, f: _when(d.jira_moved("done")), True),
    Item("rca_written", AFTER,
         lambda d, f: _when(_filled(d.rca_root_cause) and _filled(d.rca.prevention))),
    Item("followups_created", AFTER,
         lambda d, f: _when(bool(d.followups) and all(_filled(x.key) for x in d.followups))),
    Item("documented", AFTER),
)
BY_ID = {item.id: item for item in ITEMS}


def reason(item: Item, draft: Draft, facts: Facts, language: str = "ko") -> str:
    """Why the app would tick ``item`` now, in ``language``; "" when the draft does not show it."""
    if item.auto is None:
        return ""
    fields = item.auto(draft, facts)
    return "" if fields is None else tr(f"cl.{item.id}", language, **fields)


def refresh(draft: Draft, at: str | None = None, *, language: str = "ko", facts: Facts | None = None) -> list[str]:
    """Tick what the draft proves done; untick auto-ticks whose proof is gone; take back
    test-item ticks a failed check contradicts (see the module's docstring).

    Returns the ids whose state changed, so the caller can record them on the timeline.
    """
    facts = facts or Facts()
    changed = []
    for item in ITEMS:
        if item.auto is None:
            continue
        why = reason(item, draft, facts, language)
        state = draft.checklist.get(item.id)
        if why and not (state and state.checked):
            draft.checklist[item.id] = CheckState(True, at or now_iso(), "auto", why)
            changed.append(item.id)
        elif not why and state and state.checked and state.by == "auto":
            del draft.checklist[item.id]
            changed.append(item.id)
    changed += sync_test_items(draft)
    return changed


AUTOMATIC_NOTES = ("Plan:", "No changes.", "The configuration is valid", "Success!")


def sync_test_items(draft: Draft) -> list[str]:
    """Untick §6.2 / §5.1 test items a failed latest check contradicts (no override)."""
    changed = []
    for where, items in (("pr.tests", draft.pr.tests), ("verify.items", draft.verify.items)):
        for index, item in enumerate(items):
            check = item_fact(item.text)
            if not (item.checked and check):
                continue
            if check_state(draft, check) == FAILED and not fact_overridden(draft, f"fact.{check}"):
                item.checked = False
                if item.note.startswith(AUTOMATIC_NOTES):
                    item.note = ""
                changed.append(f"{where}[{index}]")
    return changed


def fact_problem(draft: Draft, item_id: str, facts: Facts | None = None, language: str = "ko") -> str:
    """Why ticking ``item_id`` by hand would contradict the record ("" when it would not)."""
    item = BY_ID.get(item_id)
    if item is None or not item.fact or reason(item, draft, facts or Facts(), language):
        return ""
    if item_id in ("local_verified", "minimal_change"):
        state = check_state(draft, "validate" if item_id == "local_verified" else "plan", (facts or Facts()).tree)
        if state == FAILED:
            return tr("ov.fact_failed", language)
        if state != MISSING:
            return tr("g.check_stale", language, check="validate" if item_id == "local_verified" else "plan")
    return tr("ov.fact_missing", language)


def item_gate(item_id: str) -> str:
    """The override name a hand tick of ``item_id`` against its fact is recorded under."""
    return {"local_verified": "fact.validate", "minimal_change": "fact.plan"}.get(item_id, f"checklist.{item_id}")


def toggle(draft: Draft, item_id: str, reason_text: str = "") -> bool:
    """The user ticks or unticks an item by hand; returns the new state. A tick against the
    record carries its reason (the caller asked for it and records the override)."""
    state = draft.checklist.get(item_id)
    if state and state.checked:
        del draft.checklist[item_id]
        return False
    draft.checklist[item_id] = CheckState(True, now_iso(), "user", reason_text.strip())
    return True


def counts(draft: Draft) -> tuple[int, int]:
    done = sum(1 for item in ITEMS if (s := draft.checklist.get(item.id)) and s.checked)
    return done, len(ITEMS)
