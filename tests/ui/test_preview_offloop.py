"""The preview lays out edited text off the event loop: the newest text wins, an unchanged
picture is not repainted, only changed rows are, a hidden preview renders nothing (issue 12, item 3)."""

from __future__ import annotations

import threading

from textual.app import App

from hotfix_tui.widgets import preview as preview_module
from hotfix_tui.widgets.preview import Laid, Preview, PreviewBody

from .helpers import count_markdown_renders, settle, until


class PreviewApp(App):
    def compose(self):
        yield Preview(id="preview")


def _painted_text(preview: Preview) -> str:
    laid = preview.query_one(PreviewBody).content
    return "".join(seg.text for seg in laid.segments) if isinstance(laid, Laid) else str(laid)


async def _first(pilot, text: str) -> Preview:
    preview = pilot.app.query_one(Preview)
    await pilot.pause()
    preview.show("T", text, "rendered", True)
    await until(pilot, lambda: preview._shown and preview._shown[1] == text and _painted_text(preview),
                "the first text painted")
    return preview


async def test_latest_text_wins_and_a_stale_render_never_overwrites_it(monkeypatch):
    """'render the Markdown off the event loop (a thread worker with the latest text wins)'."""
    release = threading.Event()
    in_thread = threading.Event()
    real = preview_module.render_markdown
    painted: list[str] = []

    def slow(text):
        if "first edit" in text:
            in_thread.set()
            release.wait(10)
        return real(text)

    real_show = PreviewBody.show

    def recording(self, laid):
        painted.append("".join(seg.text for seg in laid.segments) if isinstance(laid, Laid) else str(laid))
        return real_show(self, laid)

    monkeypatch.setattr(preview_module, "render_markdown", slow)
    monkeypatch.setattr(PreviewBody, "show", recording)
    app = PreviewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        preview = await _first(pilot, "base text")
        preview.show("T", "base text, first edit", "rendered", True)
        # The event loop is free while the first edit is laid out: this runs at once.
        await until(pilot, in_thread.is_set, "the first edit being laid out in a thread")
        preview.show("T", "base text, second edit", "rendered", True)
        release.set()
        await until(pilot, lambda: "second edit" in _painted_text(preview), "the newest text painted")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "second edit" in _painted_text(preview)
        assert not any("first edit" in text for text in painted), painted  # the stale result was dropped


async def test_an_unchanged_picture_is_not_repainted(monkeypatch):
    """'skip the repaint when the rendered text is unchanged'."""
    app = PreviewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        preview = await _first(pilot, "# Title\n\nsame words\n")
        before = preview.renders
        preview.show("T", "# Title\n\nsame words\n\n\n", "rendered", True)  # other text, same picture
        await until(pilot, lambda: preview._shown and preview._shown[1].endswith("\n\n\n"), "the text taken")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert not preview.pending and preview.renders == before


async def test_only_the_rows_that_changed_are_repainted(monkeypatch):
    """'re-sends the whole preview column even when the visible part did not change'."""
    regions = []
    app = PreviewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        text = "\n\n".join(f"paragraph {i}" for i in range(8))
        preview = await _first(pilot, text)
        await settle(pilot)  # the first layout has settled before repaints are counted
        body = preview.query_one(PreviewBody)
        real = body.refresh

        def recording(*args, **kwargs):
            regions.append((args, kwargs))
            return real(*args, **kwargs)

        monkeypatch.setattr(body, "refresh", recording)
        preview.show("T", text.replace("paragraph 3", "paragraph X"), "rendered", True)
        await until(pilot, lambda: "paragraph X" in _painted_text(preview), "the edit painted")
        assert regions, "the body was not repainted at all"
        assert all(not kwargs.get("layout") for _, kwargs in regions), regions
        rows = [region for args, _ in regions for region in args]
        assert [r.height for r in rows] == [1], rows  # one row, not the whole pane


async def test_a_hidden_preview_renders_nothing(monkeypatch):
    """'Render only when the preview is visible'."""
    renders = count_markdown_renders(monkeypatch)
    app = PreviewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        preview = await _first(pilot, "shown text")
        before = len(renders)
        preview.display = False
        for word in ("one", "two", "three"):
            preview.show("T", f"shown text {word}", "rendered", True)
            await pilot.pause()
        await app.workers.wait_for_complete()
        assert len(renders) == before and not list(app.workers)
        preview.display = True
        await until(pilot, lambda: "three" in _painted_text(preview), "the newest text painted when shown")
        assert len(renders) == before + 1


async def test_control_characters_stay_visible_on_the_thread_path():
    """Rule 5: 'control characters from drafts ... are made visible, never written raw'."""
    app = PreviewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        preview = await _first(pilot, "clean")
        preview.show("T", "clean \x1b]0;PWNED\x07 \x1b[2J", "rendered", True)
        await until(pilot, lambda: "PWNED" in _painted_text(preview), "the edit painted")
        painted = _painted_text(preview)
        assert "\x1b" not in painted and "\x07" not in painted
        assert "␛" in painted
