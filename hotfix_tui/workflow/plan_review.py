"""§4.1 plan review without a screen: what the fix declares it touches, the review's lines, test ticks.

One ``declared_impact`` serves the wizard and ``hotfix checks`` alike, so both warn about
the same plan changes; the Fix screen styles ``review_lines`` (widgets do the colour).
"""

from __future__ import annotations

from dataclasses import dataclass


def declared_impact(draft) -> str:
    """What the user said the fix touches: the Jira 영향 범위 and the PR's 영향 범위."""
    parts = [draft.backlog.impact, draft.pr_impact]
    return "\n".join(dict.fromkeys(p for p in parts if p and p.strip()))


@dataclass(frozen=True)
class ReviewLine:
    """One line of the plan review: its catalogue key and arguments (or a literal), and its kind."""

    kind: str  # "no_changes" | "counts" | "destructive" | "change" | "destructive_note" | "no_impact" | "outside"
    # | "sealed" | "unsealed"
    key: str = ""
    args: tuple = ()
    literal: str = ""

    def text(self, t) -> str:
        return self.literal if not self.key else t(self.key, **dict(self.args))


def review_lines(outcome, draft) -> list[ReviewLine]:
    """Counts, addresses (destroys/replaces first) and the outside-declared warnings, in order."""
    lines: list[ReviewLine] = []
    counts = outcome.plan
    if counts is not None and counts.no_changes:
        lines.append(ReviewLine("no_changes", "plan.no_changes"))
    elif counts is not None:
        lines.append(ReviewLine("counts", "plan.counts",
                                (("add", counts.add), ("change", counts.change), ("destroy", counts.destroy))))
    review = outcome.review
    if review is not None:
        lines += _change_lines(review, draft)
    return lines


def seal_line(seal) -> ReviewLine:
    """What a saved plan was sealed with (file hash, state serial/lineage), or that it was not;
    the Fix screen shows it under the review lines."""
    if seal is None:
        return ReviewLine("unsealed", "plan.unsealed")
    if not seal.lineage:
        return ReviewLine("sealed", "plan.sealed_no_state", (("sha", seal.sha256[:12]),))
    return ReviewLine("sealed", "plan.sealed",
                      (("sha", seal.sha256[:12]), ("serial", seal.serial), ("lineage", seal.lineage)))


def _change_lines(review, draft) -> list[ReviewLine]:
    from ..services.plan import outside_declared

    lines: list[ReviewLine] = []
    for change in review.destructive:
        lines.append(ReviewLine("destructive", literal=change.line()))
    for change in review.touched:
        if not change.destructive:
            lines.append(ReviewLine("change", literal=change.line()))
    if review.destructive:
        lines.append(ReviewLine("destructive_note", "plan.destructive"))
    declared = declared_impact(draft)
    if not declared:
        if review.touched:
            lines.append(ReviewLine("no_impact", "plan.no_impact"))
    else:
        for warning in outside_declared(review, declared):
            lines.append(ReviewLine("outside", "plan.outside", (("what", warning),)))
    return lines


AUTOMATIC_NOTES = ("Plan:", "No changes.", "The configuration is valid")


def tick_test_items(draft, prefix: str, note: str) -> None:
    """A passed check ticks its §6.2 PR test item (and the same §5.1 item) with its result as note."""
    for items in (draft.pr.tests, draft.verify.items):
        for item in items:
            if item.text.startswith(prefix):
                item.checked = True
                if not item.note.strip() or item.note.startswith(AUTOMATIC_NOTES):
                    item.note = note


def record_reviewed_plan(draft, outcome, at: str) -> None:
    """A passed plan becomes the reviewed plan §7.3 may apply: its file, the files' fingerprint,
    when, and its seal (the file's SHA-256, the state serial/lineage), as read from the world.

    A plan that could not be sealed leaves the hash empty, so apply refuses it."""
    deploy = draft.deploy
    deploy.plan_file = outcome.plan_file
    deploy.plan_fingerprint = outcome.fingerprint
    deploy.plan_reviewed_at = at
    seal = outcome.seal
    deploy.plan_sha256 = seal.sha256 if seal is not None else ""
    deploy.plan_state_serial = seal.serial if seal is not None else ""
    deploy.plan_state_lineage = seal.lineage if seal is not None else ""


def reviewed_seal(draft):
    """The reviewed plan's seal as the draft records it, for apply to check the world against."""
    from ..services.terraform import PlanSeal

    deploy = draft.deploy
    return PlanSeal(deploy.plan_sha256, deploy.plan_state_serial, deploy.plan_state_lineage)
