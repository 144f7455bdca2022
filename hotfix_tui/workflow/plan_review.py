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
    key: str = ""
    args: tuple = ()
    literal: str = ""

    def text(self, t) -> str:
        return self.literal if not self.key else t(self.key, **dict(self.args))


def review_lines(outcome, draft) -> list[ReviewLine]:
    """Counts, addresses (destroys/replaces first) and the outside-declared warnings, in order."""
    from ..services.plan import outside_declared

    lines: list[ReviewLine] = []
    counts = outcome.plan
    if counts is not None and counts.no_changes:
        lines.append(ReviewLine("no_changes", "plan.no_changes"))
    elif counts is not None:
        lines.append(ReviewLine("counts", "plan.counts",
                                (("add", counts.add), ("change", counts.change), ("destroy", counts.destroy))))
    review = outcome.review
    if review is None:
        return lines
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
