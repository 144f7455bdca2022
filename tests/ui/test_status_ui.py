"""The status dialog (issue 13, item 6): ctrl+o shows the team-channel message; p posts it; the post is on the timeline.

"A phase-aware status message … copyable and, when [slack] webhook_url is set, postable,
with the post on the timeline."
"""

from __future__ import annotations

from textual.widgets import Static

from hotfix_tui.screens.status import StatusScreen
from hotfix_tui.workflow import steps

from ..test_integrations_cli import draft_of, world  # noqa: F401  (world is a fixture)
from .helpers import on_top, until, workers_done
from .test_integrations_ui import wizard


async def test_ctrl_o_shows_the_message_p_posts_it_and_the_timeline_says_so(world, drafts_dir):
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.loaded is not None and app.screen.query("#form"), "the draft's phase")
        events = len(app.loaded.draft.timeline)
        await pilot.press("ctrl+o")
        await on_top(pilot, StatusScreen)
        dialog = app.screen
        shown = str(dialog.query_one("#status-text", Static).render())
        expected = steps.status_text(steps.StepContext(app.services, app.config), app.loaded.draft)
        assert shown.splitlines()[1:] == expected.rstrip().splitlines()[1:]
        assert dialog.query("#status-post")  # a webhook is configured
        await pilot.press("c")
        await pilot.press("p")
        await workers_done(pilot)
        await until(pilot, lambda: not isinstance(app.screen, StatusScreen), "the dialog closing after the post")
        (request,) = world.slack.requests
        assert request.json()["text"] == dialog.text
        assert len(app.loaded.draft.timeline) == events + 1
        assert app.loaded.draft.timeline[-1].text == "팀 채널에 진행 상황 공유"
    assert draft_of(world).timeline[-1].text == "팀 채널에 진행 상황 공유"  # saved at once


async def test_without_a_webhook_the_dialog_offers_copy_only(world, drafts_dir, monkeypatch):
    monkeypatch.delenv("SLACK_WEBHOOK_URL")
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.loaded is not None and app.screen.query("#form"), "the draft's phase")
        await pilot.press("ctrl+o")
        await on_top(pilot, StatusScreen)
        assert not app.screen.query("#status-post")
        await pilot.press("p")  # says there is no webhook; nothing is sent
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, StatusScreen), "the dialog closing")
        assert world.slack.requests == []
