"""The outbox: remote steps queued while Jira, GitHub or Slack could not be reached, sent in order later.

A jump host often has no route to Jira or GitHub for a while. A step that fails as
unreachable can be *queued* instead of done by hand: the draft keeps the step's name,
when and why, and what the world looked like then (``Queued.expect``: a move's status
before it). ``hotfix sync [DRAFT]`` and the wizard send the queue in order. Each step is
prepared from the draft as it is at that moment and goes through its own duplicate
checks (a ticket or PR an earlier, lost attempt made is found and reused; a move to the
status the ticket is already in changes nothing), so nothing is sent twice; a ticket that
was moved meanwhile is a *conflict*, recorded and shown, never overwritten. Every outcome
is stored as it comes (the step's fact and event, then the queue entry's state).

No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..i18n import tr
from ..model import Queued, now_iso
from ..services.errors import TIMEOUT, UNREACHABLE, MovedMeanwhile, ServiceError, one_line, redact
from . import steps

if TYPE_CHECKING:
    from ..model import Draft

# The steps that may wait: requests to a server that an earlier attempt's lost answer
# cannot double (their duplicate checks), taking no option but those they are bound to.
QUEUEABLE = ("jira_create", "jira_update", "in_progress", "testing", "done", "followups", "rca_comment",
             "pr_create", "status_post")
MOVES = ("in_progress", "testing", "done")
WAITING = (UNREACHABLE, TIMEOUT)  # the server is still out of reach: the queue waits


def can_queue(step: str, error: BaseException | None = None) -> bool:
    """Whether ``step`` may be queued (after ``error``: only when its server was out of reach)."""
    if step not in QUEUEABLE:
        return False
    return error is None or (isinstance(error, ServiceError) and error.kind in WAITING)


def pending(draft: Draft) -> list[int]:
    return [i for i, item in enumerate(draft.outbox) if item.state == "pending"]


def queue(sc: steps.StepContext, draft: Draft, step: str, error: BaseException, at: str | None = None) -> Queued:
    """Put ``step`` in the outbox, ``error`` (its server out of reach) as the reason; once:
    an entry already pending for it is returned."""
    if step not in QUEUEABLE:
        raise steps.StepError(f"{step} cannot be queued; do it when the server is reachable, or by hand")
    for index in pending(draft):
        if draft.outbox[index].step == step:
            return draft.outbox[index]
    expect = draft.backlog.jira_status.strip() if step in MOVES else ""
    item = Queued(step=step, queued_at=at or now_iso(), reason=one_line(redact(str(error))), expect=expect)
    draft.outbox.append(item)
    draft.add_event(tr("outbox.queued_event", sc.lang, step=label(sc, step)), source="auto", at=item.queued_at)
    return item


def label(sc: steps.StepContext, step: str) -> str:
    """The step's name as its button says it ("Jira → Testing")."""
    return tr(f"rs.{step}", sc.lang, status=sc.status(step) if step in MOVES else "")


def _mark(sc: steps.StepContext, index: int, state: str, result: str) -> steps.Outcome:
    def apply(d: Draft) -> None:
        if index >= len(d.outbox) or d.outbox[index].state != "pending":
            return  # another session settled it meanwhile
        item = d.outbox[index]
        item.state, item.result, item.done_at = state, result, now_iso()
        d.add_event(tr(f"outbox.{state}_event", sc.lang, step=label(sc, item.step), result=result), source="auto")

    return steps.Outcome(apply, f"{state}: {result}")


@dataclass
class Sent:
    """One queue entry's outcome: its step, ``sent`` | ``conflict`` | ``failed`` | ``waiting``, and what came back."""

    step: str
    state: str
    result: str


def sync(sc: steps.StepContext, current: Callable[[], Draft], keep: Callable[[steps.Outcome], None]) -> list[Sent]:
    """Send the draft's pending steps in order; ``current()`` is the draft as it is now (the
    caller's, which ``keep`` applies each outcome to and saves).

    Stops at the first step whose server is still out of reach (the rest keep their
    order); a refused step is recorded as failed, a move whose ticket moved meanwhile as a
    conflict, and the queue goes on.
    """
    done: list[Sent] = []
    for index in pending(current()):
        draft = current()
        item = draft.outbox[index]
        step = steps.STEPS[item.step]
        if step.already is not None and step.holds(draft):
            result = step.already(draft)
            keep(_mark(sc, index, "sent", result))
            done.append(Sent(item.step, "sent", result))
            continue
        options = {"expect_from": item.expect} if item.step in MOVES and item.expect else {}
        try:
            value = step.prepare(sc, draft, **options).send(keep)
        except MovedMeanwhile as exc:
            keep(_mark(sc, index, "conflict", str(exc)))
            done.append(Sent(item.step, "conflict", str(exc)))
            continue
        except ServiceError as exc:
            if exc.kind in WAITING:
                done.append(Sent(item.step, "waiting", str(exc)))
                break
            keep(_mark(sc, index, "failed", str(exc)))
            done.append(Sent(item.step, "failed", str(exc)))
            continue
        except steps.StepError as exc:
            keep(_mark(sc, index, "failed", str(exc)))
            done.append(Sent(item.step, "failed", str(exc)))
            continue
        result = value.result if isinstance(value, steps.Outcome) else label(sc, item.step)
        if isinstance(value, steps.Outcome):
            keep(value)
        keep(_mark(sc, index, "sent", result))
        done.append(Sent(item.step, "sent", result))
    return done
