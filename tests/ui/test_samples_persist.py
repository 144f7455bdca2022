"""Issue 13, item 4: the §7.3 pod samples are facts in the draft, so the chart and the verdict survive a restart."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Sparkline

from hotfix_tui.model import MAX_POD_SAMPLES, PodSample
from hotfix_tui.store import DraftStore, dumps, parse

from .helpers import FIXED_NOW, settle, until
from .test_checks_ui import app_for, config_for, draft_at, monitoring_merge, press_button


def _spark(app) -> list:
    return list(app.screen.query_one("#spark-not-ready", Sparkline).data)


async def test_samples_taken_before_a_restart_are_charted_after_it(drafts_dir, tf_root, tmp_path, monkeypatch):
    """"monitoring samples (kept in the draft so charts survive a restart)": a sample taken
    in one run of the app is saved with the draft; the next run charts it with its own."""
    with monitoring_merge(drafts_dir, tf_root, tmp_path, monkeypatch) as (path, config, _kube):
        app = app_for(drafts_dir, config, path)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await until(pilot, lambda: _spark(app), "the first sample")
            # The sample marks the draft changed: the autosave writes it, no quit needed.
            await until(pilot, lambda: DraftStore(drafts_dir).load(path).draft.deploy.samples, "the sample saved")
        saved = DraftStore(drafts_dir).load(path).draft.deploy.samples
        assert [(s.total, s.not_ready, s.restarts) for s in saved] == [(2, ["speaker-5xk2p"], 3)]
        assert dt.datetime.fromisoformat(saved[0].at) == FIXED_NOW

        app = app_for(drafts_dir, config, path)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await until(pilot, lambda: len(app.loaded.draft.deploy.samples) == 2, "a second sample")
            await until(pilot, lambda: _spark(app) == [1, 1], "both samples charted")
            # The verdict counts the window's samples, the one from before the restart too.
            await press_button(pilot, "record-monitor-end")
            deploy = app.loaded.draft.deploy
            assert deploy.outcome == "regressed" and "speaker-5xk2p" in deploy.notes


async def test_a_window_that_ended_while_away_is_decided_by_its_stored_samples(drafts_dir, tf_root):
    """"monitoring samples (kept in the draft so charts survive a restart)": a window that
    ran out while the app was closed is decided by the samples the draft kept (before,
    the user had to choose, the samples being gone), and they are charted at once."""
    started = (FIXED_NOW - dt.timedelta(minutes=45)).isoformat()
    path = draft_at(drafts_dir, "merge", deploy__monitor_started_at=started, deploy__monitor_minutes=30)
    store = DraftStore(drafts_dir)
    loaded = store.load(path)
    for minute, restarts in ((15, 0), (30, 0), (44, 0)):
        loaded.draft.deploy.add_sample(PodSample((FIXED_NOW - dt.timedelta(minutes=45 - minute)).isoformat(), 3, [],
                                                 restarts))
    store.save(loaded)
    app = app_for(drafts_dir, config_for(tf_root), path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _spark(app) == [0, 0, 0]
        assert "3 pods, 0 not ready, 0 restarts" in str(app.screen.query_one("#monitor-last").render())
        await until(pilot, lambda: app.loaded.draft.deploy.monitor_ended_at, "the window's end")
        deploy = app.loaded.draft.deploy
        assert deploy.outcome == "stable" and "3" in deploy.notes


def test_samples_are_bounded_and_old_drafts_load_without_them(example_path):
    """"monitoring samples … kept in the draft": at most MAX_POD_SAMPLES (the newest), saved
    as TOML tables and read back; a draft written before the field loads with none, and
    saving it does not add the key."""
    text = example_path.read_text(encoding="utf-8")
    draft, doc = parse(text)
    assert draft.deploy.samples == []
    assert "samples" not in dumps(draft, doc)
    for i in range(MAX_POD_SAMPLES + 5):
        draft.deploy.add_sample(PodSample(f"2025-10-19T15:{i // 60:02d}:{i % 60:02d}+09:00", 3, ["web-1"] if i % 2 else [], i))
    assert len(draft.deploy.samples) == MAX_POD_SAMPLES
    assert draft.deploy.samples[0].restarts == 5  # the oldest five went
    again, _ = parse(dumps(draft, doc))
    assert again.deploy.samples == draft.deploy.samples
