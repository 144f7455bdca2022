"""Issue 8 rows 5 and 6 in the wizard: when the draft cannot be saved, leaving it writes
the edits to a recovery copy and says where; nothing is dropped silently.

Two real app instances share one draft (row 5); a full or unwritable disk is injected at
the os.replace / mkstemp boundary (row 6: tests run as root, where chmod stops nothing).
The signal cases run ``hotfix open`` as its own process in a real pseudo-terminal, as
tests/test_resume.py does, because Pilot cannot be sent SIGHUP.
"""

from __future__ import annotations

import errno
import signal
import stat
import tempfile
from pathlib import Path

import pytest

from hotfix_tui.services.errors import Ending
from hotfix_tui.model import Draft
from hotfix_tui.screens.home import HomeScreen
from hotfix_tui.screens.modals import ConfirmScreen
from hotfix_tui.screens.phase import PhaseScreen
from hotfix_tui.store import DraftConflictError, DraftStore
from tests.faults import refuse_writes
from tests.ptyapp import ECHO_TIMEOUT, EXIT_TIMEOUT, new_draft, open_in_pty, pty_env
from tests.ui.helpers import focus, make_app, settle, type_text, until




@pytest.fixture(autouse=True)
def recovery_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "recovery"
    monkeypatch.setenv("HOTFIX_TUI_RECOVERY", str(folder))
    systmp = tmp_path / "systmp"
    systmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(systmp))
    return folder



def record_toasts(app) -> list[tuple[str, str]]:
    """Every toast the app shows, as (severity, message)."""
    shown: list[tuple[str, str]] = []
    real = app.notify

    def notify(message, *args, **kwargs):
        shown.append((kwargs.get("severity", "information"), str(message)))
        return real(message, *args, **kwargs)

    app.notify = notify
    return shown


def only_copy(folder: Path) -> Path:
    copies = list(folder.glob("*.toml"))
    assert len(copies) == 1, f"expected one recovery copy in {folder}, found {copies}"
    return copies[0]


def assert_recovery_copy(copy: Path, original: Path, typed: str) -> None:
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    draft = DraftStore(copy.parent).load(copy).draft
    assert draft.triage.reason == typed, "the typed text is not in the recovery copy"
    assert draft.id == copy.stem and draft.id != original.stem, "the recovery copy needs an id of its own"


async def conflicting_sessions(drafts_dir, first, second, typed: str):
    """The first session saves its typing; the second types, and its save is refused."""
    p1, p2 = first, second
    await focus(p1, "f-triage--reason")
    await type_text(p1, "첫 번째 세션")
    await until(p1, lambda: not p1.app.dirty and not p1.app.saving
                and "첫 번째 세션" in p1.app.loaded.path.read_text(encoding="utf-8"), "the first session's save")
    await focus(p2, "f-triage--reason")
    await type_text(p2, typed)
    await until(p2, lambda: p2.app.banner, "the second session's conflict banner")
    assert "다른 세션" in p2.app.banner
    assert "다른 세션" in str(p2.app.screen.query_one("#status").render())


async def test_row5_second_session_ctrl_q_writes_a_recovery_copy(drafts_dir, recovery_dir):
    """row 5: two wizards on one draft; the second types, sees the conflict banner, then
    ctrl+q — its edits were gone, exit 0. Now: a recovery copy, its path said, exit 2."""
    created = DraftStore(drafts_dir).create(Draft())
    first = make_app(drafts_dir, draft_path=created.path)
    second = make_app(drafts_dir, draft_path=created.path)
    typed = "두 번째 세션의 분석"
    async with first.run_test(size=(80, 24)) as p1:
        async with second.run_test(size=(80, 24)) as p2:
            await conflicting_sessions(drafts_dir, p1, p2, typed)
            await p2.press("ctrl+q")
            await until(p2, lambda: second.return_code is not None, "the second session exits")
    copy = only_copy(recovery_dir)
    assert_recovery_copy(copy, created.path, typed)
    assert second.ending is Ending.USAGE
    assert str(copy) in second.exit_note and "hotfix open" in second.exit_note
    assert DraftStore(drafts_dir).load(created.path).draft.triage.reason == "첫 번째 세션"  # nothing overwritten


async def test_row5_second_session_esc_writes_a_recovery_copy_and_says_where(drafts_dir, recovery_dir):
    """row 5: esc to the drafts list after the conflict banner — the edits were dropped."""
    created = DraftStore(drafts_dir).create(Draft())
    first = make_app(drafts_dir, draft_path=created.path)
    second = make_app(drafts_dir, draft_path=created.path)
    typed = "esc 전에 쓴 내용"
    async with first.run_test(size=(80, 24)) as p1:
        async with second.run_test(size=(80, 24)) as p2:
            await conflicting_sessions(drafts_dir, p1, p2, typed)
            toasts = record_toasts(second)
            await p2.press("escape")
            await until(p2, lambda: isinstance(second.screen, HomeScreen), "the drafts list")
            copy = only_copy(recovery_dir)
            assert_recovery_copy(copy, created.path, typed)
            assert any(str(copy) in message for _, message in toasts), toasts
            assert not second.banner


async def test_row6_full_disk_one_banner_backoff_and_recovery_on_quit(drafts_dir, recovery_dir, monkeypatch):
    """row 6: disk full; type; ctrl+q — a "save failed" toast every 0.5 s, then exit 0 and
    the text gone. Now: one persistent banner, retries that back off, a recovery copy."""
    created = DraftStore(drafts_dir).create(Draft())
    app = make_app(drafts_dir, draft_path=created.path)
    typed = "디스크가 가득 찬 상태에서 입력"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        toasts = record_toasts(app)
        now = [1000.0]
        app.monotonic = lambda: now[0]  # the backoff's clock, stepped by hand
        disk = refuse_writes(monkeypatch, drafts_dir, err=errno.ENOSPC)
        await focus(pilot, "f-triage--reason")
        await type_text(pilot, typed)
        await until(pilot, lambda: app.banner and not app.saving, "the save-failed banner")
        assert "No space left on device" in app.banner
        assert "No space left on device" in str(app.screen.query_one("#status").render())
        assert len(disk.refused) == 1  # typing on did not retry: the clock has not moved

        # No storm: autosave ticks before the backoff runs out (1 s, then 2 s) write nothing.
        async def tick_at(t: float) -> None:
            now[0] = t
            app._autosave()
            await until(pilot, lambda: not app.saving, "the autosave ends")

        await tick_at(1000.5)
        assert len(disk.refused) == 1
        await tick_at(1001.0)
        assert len(disk.refused) == 2 and app._retry_delay == 2.0
        await tick_at(1002.5)
        assert len(disk.refused) == 2
        await tick_at(1003.0)
        assert len(disk.refused) == 3 and app._retry_delay == 4.0
        assert [t for t in toasts if t[0] == "error"] == [], "a failing autosave must not toast"
        assert "No space left on device" in app.banner  # still shown

        await pilot.press("ctrl+q")
        await until(pilot, lambda: app.return_code is not None, "the app exits")
    copy = only_copy(recovery_dir)
    assert_recovery_copy(copy, created.path, typed)
    assert app.ending is Ending.USAGE
    assert str(copy) in app.exit_note and "No space left on device" in app.exit_note


async def test_row6_nowhere_to_write_quit_asks_and_stay_keeps_the_text(drafts_dir, recovery_dir, monkeypatch):
    """row 6: the drafts folder unwritable and no recovery copy possible either: ctrl+q and
    esc ask (stay is the default); quitting anyway exits non-zero, saying the edits are lost."""
    created = DraftStore(drafts_dir).create(Draft())
    app = make_app(drafts_dir, draft_path=created.path)
    typed = "어디에도 못 쓰는 내용"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        disk = refuse_writes(monkeypatch, drafts_dir, recovery_dir, Path(tempfile.gettempdir()), err=errno.EACCES)
        await focus(pilot, "f-triage--reason")
        await type_text(pilot, typed)
        await until(pilot, lambda: app.banner, "the save-failed banner")
        assert "Permission denied" in app.banner

        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the lose-the-edits question")
        await pilot.press("n")  # stay
        await until(pilot, lambda: isinstance(app.screen, PhaseScreen), "back on the draft")
        assert app.return_code is None and app.loaded.draft.triage.reason == typed

        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "esc asks too")
        await pilot.press("escape")  # esc on the question means stay
        await until(pilot, lambda: isinstance(app.screen, PhaseScreen), "back on the draft")

        # The disk is fixed: ctrl+s saves at once and the banner goes.
        disk.active = False
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not app.banner, "the banner clears after a good save")
        assert DraftStore(drafts_dir).load(created.path).draft.triage.reason == typed

        disk.active = True
        await type_text(pilot, "!")
        await until(pilot, lambda: app.banner, "the banner again")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question again")
        await pilot.press("y")  # quit and lose
        await until(pilot, lambda: app.return_code is not None, "the app exits")
    assert app.ending is Ending.USAGE
    assert "not saved" in app.exit_note or "저장하지 못했습니다" in app.exit_note
    assert not list(recovery_dir.glob("*.toml"))


# -- the signals, through a real terminal ------------------------------------------------------

SUMMARY_LABEL = "문제 요약"


@pytest.fixture
def pty_draft(tmp_path):
    recovery = tmp_path / "pty-recovery"
    env, drafts = pty_env(tmp_path, HOTFIX_TUI_RECOVERY=str(recovery))
    return DraftStore(drafts), new_draft(env, drafts, "backlog"), recovery, env


@pytest.mark.parametrize("how", ["SIGHUP", "SIGTERM", "terminal closed"])
def test_row5_ssh_drop_after_the_conflict_banner_writes_a_recovery_copy(pty_draft, how):
    """row 5: SSH drop (SIGHUP, or the terminal closing) or SIGTERM after the conflict
    banner — the edits were gone. Now: a recovery copy, 0600, a new id, its path on stderr."""
    store, path, recovery, env = pty_draft
    app = open_in_pty(path, env, SUMMARY_LABEL)
    typed = "SSH 끊기기 직전 입력"
    try:
        for _ in range(50):  # another session saves the same draft (again if the app's own save came first)
            other = store.load(path)
            other.draft.backlog.impact = "다른 세션의 영향 범위"
            try:
                store.save(other)
                break
            except DraftConflictError:
                continue
        start = app.size()
        app.type_text(typed, delay=0.02)
        app.wait_for_text(typed[-6:], ECHO_TIMEOUT, start=start)
        app.wait_for_text("다른 세션이", ECHO_TIMEOUT, start=start)  # the conflict banner
        if how == "terminal closed":
            app.hangup()
        else:
            app.signal(getattr(signal, how))
        code = app.wait_exit(EXIT_TIMEOUT)
        if how != "terminal closed":
            copy = only_copy(recovery)
            app.wait_for_text(str(copy), EXIT_TIMEOUT)  # the one stderr line after exit
    finally:
        app.close()
    expected = signal.SIGHUP if how == "terminal closed" else getattr(signal, how)
    assert code == 128 + expected, f"exit status {code}"
    copy = only_copy(recovery)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    recovered = DraftStore(recovery).load(copy).draft
    assert recovered.backlog.summary == typed
    assert recovered.id == copy.stem != path.stem
    assert store.load(path).draft.backlog.impact == "다른 세션의 영향 범위"  # the other session's save stands
