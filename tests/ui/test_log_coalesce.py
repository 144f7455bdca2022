"""The log panel takes a streaming command's output in coalesced drains, not one message per batch."""

from __future__ import annotations

import threading


from hotfix_tui.widgets.command_log import CommandLog

from .helpers import PanelApp, StreamOutcome, settle, until




async def test_a_fast_stream_reaches_the_loop_in_few_messages():
    """'The log panel handles a message per runner batch on the event loop': a worker's
    10,000 batches arrive as far fewer drains, in order, with the status line last."""
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(CommandLog)
        real = panel._drain

        def counting():
            app.drains += 1
            real()

        panel._drain = counting
        panel.post_message(CommandLog.Begin("plan", "terraform plan"))
        await settle(pilot)

        def worker():
            for b in range(10_000):
                panel.feed([("stdout", f"line {b * 2}"), ("stderr", f"line {b * 2 + 1}")])
            panel.post_message(CommandLog.Finished("plan", StreamOutcome()))

        thread = threading.Thread(target=worker)
        thread.start()
        await until(pilot, app.finished.is_set, "the Finished message", timeout=60)
        thread.join()
        await until(pilot, lambda: panel.received == 20_000 and panel.lines[-1].startswith("# passed"),
                    "the last batch drained and the status line written")

        assert panel.received == 20_000
        lines = panel.lines
        assert len(lines) <= 500
        assert lines[-1].startswith("# passed")
        assert lines[-2] == "! line 19999" and lines[-3] == "line 19998"
        # At most one drain message is queued at a time, so the loop drains whatever piled up
        # since the last one (3 drains on a quiet machine); a message per batch would be 10,000.
        assert app.drains <= 1_000
