"""What repaints after a pause in typing: only what changed (hidden preview, stepper marks)."""

from __future__ import annotations

from hotfix_tui.model import Backlog, Draft
from hotfix_tui.store import DraftStore
from hotfix_tui.widgets.preview import Preview
from hotfix_tui.widgets.stepper import Stepper

from .helpers import count_markdown_renders, focus, make_app, settle, type_text, until


def _plain(widget) -> str:
    from rich.console import Console

    console = Console(width=76, color_system=None, record=True)
    with console.capture() as capture:
        console.print(widget.query_one("#preview-body").content)
    return capture.get()


async def test_hidden_preview_is_not_rendered_while_typing(drafts_dir, monkeypatch):
    """'The preview re-renders the whole Markdown document on the event loop at every pause,
    even at 80x24 where it is hidden'."""
    loaded = DraftStore(drafts_dir).create(Draft(phase="backlog", backlog=Backlog(summary="요약")))
    renders = count_markdown_renders(monkeypatch)
    app = make_app(drafts_dir, draft_path=loaded.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        preview = app.screen.query_one(Preview)
        assert not preview.display  # 80 columns: the form is in front
        before = len(renders)
        await focus(pilot, "f-backlog--problem")
        for word in ("MetalLB ", "IP ", "풀 ", "충돌"):
            await type_text(pilot, word)
            await settle(pilot)  # the debounced refresh of the derived views has run
        assert len(renders) == before

        await pilot.press("f2")
        await settle(pilot)
        assert preview.display
        assert len(renders) == before + 1
        assert "MetalLB IP 풀 충돌" in _plain(preview)


async def test_stepper_repaints_only_when_a_mark_changes(drafts_dir, monkeypatch):
    """'the stepper refreshes unconditionally'."""
    loaded = DraftStore(drafts_dir).create(Draft(phase="backlog", backlog=Backlog(summary="요약")))
    renders = []
    real = Stepper.render

    def counting(self):
        renders.append(1)
        return real(self)

    monkeypatch.setattr(Stepper, "render", counting)
    app = make_app(drafts_dir, draft_path=loaded.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = len(renders)
        await focus(pilot, "f-backlog--problem")
        for word in ("MetalLB ", "IP ", "충돌"):
            await type_text(pilot, word)
            await settle(pilot)
        assert len(renders) == before

        app.loaded.draft.done_phases.append("triage")
        app.screen.changed()
        await settle(pilot)
        assert len(renders) > before
        assert "1 ✓" in str(app.screen.query_one(Stepper).render())


async def test_the_headers_saved_mark_repaints_without_a_layout(drafts_dir, monkeypatch):
    """Each autosave turns "unsaved" into "saved" in the header: a layout of the whole screen
    each time (5-15 ms at 200x50) that held the next keystroke's echo back."""
    from hotfix_tui.widgets.context_bar import ContextBar

    loaded = DraftStore(drafts_dir).create(Draft(phase="backlog", backlog=Backlog(summary="요약")))
    app = make_app(drafts_dir, draft_path=loaded.path)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(ContextBar)
        calls = []
        real = bar.refresh

        def recording(*args, **kwargs):
            calls.append(kwargs)
            return real(*args, **kwargs)

        monkeypatch.setattr(bar, "refresh", recording)
        await focus(pilot, "f-backlog--problem")
        await type_text(pilot, "풀")
        await until(pilot, lambda: not app.dirty and not app.saving, "the autosave written")
        await settle(pilot)
        assert calls, "the header was not repainted"  # "unsaved", then "saved"
        assert not any(kwargs.get("layout") for kwargs in calls), calls
