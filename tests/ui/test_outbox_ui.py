"""The outbox in the wizard (issue 13, item 2): queue a step whose server is out of reach, see it pending, send it.

"… shown as pending on the screen …, and `hotfix sync [DRAFT]` (and the wizard, when the
server is reachable again) replays the queue in order, idempotently."
"""

from __future__ import annotations

from textual.widgets import Button

from ..test_integrations_cli import draft_of, world  # noqa: F401  (world is a fixture)
from .helpers import until, workers_done
from .test_integrations_ui import log_text, wizard


def _at_phase(world, phase: str) -> None:
    loaded = world.store.load(world.path)
    loaded.draft.phase = phase
    world.store.save(loaded)


async def test_a_step_queued_while_jira_is_down_is_sent_by_f8_once_it_is_back(world, drafts_dir):
    world.jira.stop()
    _at_phase(world, "backlog")
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")  # create the ticket: connection refused
        await workers_done(pilot)
        queue = app.screen.query_one("#step-queue", Button)
        assert queue.display and "Queue" in log_text(app) or "대기열" in log_text(app)
        queue.press()
        await until(pilot, lambda: app.loaded.draft.outbox, "the step in the outbox")
        assert [(q.step, q.state) for q in app.loaded.draft.outbox] == [("jira_create", "pending")]
        assert draft_of(world).outbox and not queue.display  # saved at once; offered once
        create = app.screen.query_one("#step-jira-create", Button)
        assert str(create.label).startswith("⏳ ")  # shown as pending
        sync = app.screen.query_one("#step-sync", Button)
        assert sync.display and "(1)" in str(sync.label)

        await pilot.press("f8")  # still down: the queue waits, nothing is lost
        await workers_done(pilot)
        assert app.loaded.draft.outbox[0].state == "pending"

        world.jira.start()
        await pilot.press("f8")  # back: F8 sends what waits first
        await workers_done(pilot)
        await until(pilot, lambda: app.loaded.draft.backlog.jira_key, "the key from the queued create")
        assert app.loaded.draft.outbox[0].state == "sent" and len(world.jira.issues) == 1
        assert str(create.label).startswith("✓ ") and not sync.display
    d = draft_of(world)
    assert d.backlog.jira_key == "TERRAFORM-15" and d.outbox[0].state == "sent"
