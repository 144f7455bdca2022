"""Issue 8, item 2 at the store and CLI level: no result and no edit is dropped silently.

Rows 8, 16 and 20 of the issue's table, and the pieces the wizard relies on for rows 5
and 6 (recovery copies, ``save_applying``, stale temp files). Faults are real where a
root-run test can make them real (a concurrent writer in another process, a fake
terraform that saves the draft while it runs, a symlink); a full or read-only disk is
injected at the ``os.replace`` / ``mkstemp`` boundary, because chmod does not stop root.
"""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from hotfix_tui import store as store_mod
from hotfix_tui.cli import main
from hotfix_tui.model import Draft
from hotfix_tui.store import (
    DraftConflictError,
    DraftStore,
    RecoveryError,
    TEMP_GRACE_SECONDS,
    save_applying,
)
from tests.fakes import TERRAFORM, executable
from tests.faults import refuse_writes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def recovery_dir(tmp_path, monkeypatch) -> Path:
    """Recovery copies in the test's own folder; the temp-dir fallback too."""
    folder = tmp_path / "recovery"
    monkeypatch.setenv("HOTFIX_TUI_RECOVERY", str(folder))
    systmp = tmp_path / "systmp"
    systmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(systmp))
    return folder


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- row 16: a symlinked draft ---------------------------------------------------------------


def test_row16_symlinked_draft_is_saved_through_to_its_target(drafts_dir, tmp_path):
    """row 16: a save replaced the link by a regular file and the real target went stale."""
    shared = tmp_path / "team-drafts"
    real = DraftStore(shared).create(Draft())
    real.path.chmod(0o640)  # a shared file keeps the mode its owner gave it
    drafts_dir.mkdir()
    link = drafts_dir / "incident.toml"
    link.symlink_to(real.path)
    store = DraftStore(drafts_dir)

    loaded = store.load(link)
    loaded.draft.backlog.summary = "MetalLB IP 풀 충돌"
    store.save(loaded)

    assert link.is_symlink() and os.readlink(link) == str(real.path), "the link was replaced"
    assert store.load(real.path).draft.backlog.summary == "MetalLB IP 풀 충돌", "the target went stale"
    assert mode_of(real.path) == 0o640
    assert not list(shared.glob(".*.tmp")) and not list(drafts_dir.glob(".*.tmp"))
    plain = store.create(Draft())  # a draft that is not a link stays private
    plain.path.chmod(0o644)
    plain.draft.backlog.summary = "x"
    store.save(plain)
    assert mode_of(plain.path) == 0o600

    # Through the link, another session's save to the target is still a conflict.
    other = DraftStore(shared).load(real.path)
    other.draft.backlog.impact = "다른 세션"
    DraftStore(shared).save(other)
    loaded.draft.backlog.problem = "내 변경"
    with pytest.raises(DraftConflictError):
        store.save(loaded)
    assert link.is_symlink()


def test_row16_deleting_a_symlinked_draft_keeps_its_target(drafts_dir, tmp_path):
    """row 16: the trash gets a copy of the linked draft; the shared target is not moved."""
    shared = tmp_path / "team-drafts"
    real = DraftStore(shared).create(Draft())
    drafts_dir.mkdir()
    link = drafts_dir / "incident.toml"
    link.symlink_to(real.path)
    backup = DraftStore(drafts_dir).delete(link)
    assert not link.exists() and not link.is_symlink()
    assert real.path.exists()
    assert not backup.is_symlink() and backup.read_bytes() == real.path.read_bytes()


# -- row 20: trash backups and conflict copies -------------------------------------------------


class _FrozenDatetime(store_mod._dt.datetime):
    """Every "now" in the same second: two deletes within a second, made certain."""

    @classmethod
    def now(cls, tz=None):
        return cls(2025, 10, 19, 14, 52, 7)


def test_row20_two_deletes_of_one_name_in_the_same_second_keep_both_backups(drafts_dir, monkeypatch):
    """row 20: the second trash backup overwrote the first."""
    monkeypatch.setattr(store_mod._dt, "datetime", _FrozenDatetime)
    store = DraftStore(drafts_dir)
    backups = []
    for text in ("첫 번째 초안", "두 번째 초안"):
        draft = Draft(id="incident")
        draft.backlog.summary = text
        loaded = store.create(draft)
        assert loaded.path.name == "incident.toml"
        backups.append(store.delete(loaded.path))

    assert backups[0] != backups[1]
    assert sorted(p.name for p in (drafts_dir / ".trash").iterdir()) == sorted(p.name for p in backups)
    assert [store.load(p).draft.backlog.summary for p in backups] == ["첫 번째 초안", "두 번째 초안"]


def test_row20_conflict_copy_gets_a_new_id_and_list_shows_distinct_ids(drafts_dir, capsys):
    """row 20: the copy kept the original id, so `hotfix list` showed it twice."""
    store = DraftStore(drafts_dir)
    original = store.create(Draft())
    mine = store.load(original.path)
    other = store.load(original.path)
    other.draft.backlog.impact = "다른 세션"
    store.save(other)
    mine.draft.backlog.impact = "내 변경"
    with pytest.raises(DraftConflictError):
        store.save(mine)

    copy = store.save_copy(mine)
    copied = store.load(copy).draft
    assert copied.id == copy.stem != original.draft.id
    assert f'id = "{copy.stem}"' in copy.read_text(encoding="utf-8")  # the field in the file, not only the name
    assert copied.backlog.impact == "내 변경"
    assert mine.draft.id == original.draft.id  # the session's own draft is unchanged

    assert main(["list"]) == 0
    ids = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert sorted(ids) == sorted([original.draft.id, copy.stem])
    assert len(set(ids)) == len(ids), f"`hotfix list` shows duplicate ids: {ids}"


# -- leftover temp files -------------------------------------------------------------------------


def _old(path: Path) -> None:
    past = time.time() - TEMP_GRACE_SECONDS - 60
    os.utime(path, (past, past))


def test_temp_files_of_interrupted_saves_are_removed_at_the_next_start(drafts_dir, capsys):
    """A kill -9 between mkstemp and rename leaves `.<name>.<random>.tmp`; `hotfix list` clears it."""
    store = DraftStore(drafts_dir)
    loaded = store.create(Draft())
    stale = drafts_dir / f".{loaded.path.name}.k3x9q2ab.tmp"
    stale.write_text("schema = 1\nid = 'half", encoding="utf-8")
    _old(stale)
    fresh = drafts_dir / f".{loaded.path.name}.zz81mmqa.tmp"  # a save that began a moment ago
    fresh.write_text("", encoding="utf-8")
    held = drafts_dir / f".{loaded.path.name}.hh55ww11.tmp"  # an old one whose writer is alive
    held.write_text("", encoding="utf-8")
    _old(held)
    caches = [drafts_dir / "..hotfix-index.json.p0q1r2s3.tmp", drafts_dir / "..hotfix-stats.json.t4u5v6w7.tmp"]
    for cache in caches:  # the list's index and the stats' records are written the same way
        cache.write_text("{", encoding="utf-8")
        _old(cache)
    other = drafts_dir / ".notes.txt.tmp.keep"  # not ours

    other.write_text("x", encoding="utf-8")
    with open(held, "rb") as writer:
        fcntl.flock(writer, fcntl.LOCK_EX)
        assert main(["list"]) == 0
    capsys.readouterr()
    assert not stale.exists() and not any(cache.exists() for cache in caches)
    assert fresh.exists() and held.exists() and other.exists()
    assert store.load(loaded.path).draft.id == loaded.draft.id


def test_temp_cleanup_leaves_a_concurrent_writers_temp_file_alone(drafts_dir):
    """A writer in another process, stopped half-way through a save (its temp file made
    old on purpose): the clean-up sees its lock and keeps the file; the save completes."""
    store = DraftStore(drafts_dir)
    loaded = store.create(Draft())
    release = drafts_dir.parent / "release"
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import os, sys, time
            sys.path.insert(0, {str(ROOT)!r})
            from hotfix_tui import store
            real_fsync = os.fsync
            def slow_fsync(fd):
                while not os.path.exists({str(release)!r}):
                    time.sleep(0.01)
                real_fsync(fd)
            os.fsync = slow_fsync
            store._atomic_write(store.Path({str(loaded.path)!r}), b"schema = 1\\nid = 'written'\\n")
        """)],
    )
    try:
        pattern = f".{loaded.path.name}.*.tmp"
        deadline = time.monotonic() + 30
        while not list(drafts_dir.glob(pattern)):
            assert writer.poll() is None and time.monotonic() < deadline, "the writer never made its temp file"
            time.sleep(0.01)
        (temp,) = drafts_dir.glob(pattern)
        _old(temp)
        assert store.remove_stale_temp() == []
        assert temp.exists()
    finally:
        release.touch()
        assert writer.wait(30) == 0
    assert loaded.path.read_text(encoding="utf-8") == "schema = 1\nid = 'written'\n"
    assert not list(drafts_dir.glob(pattern))


# -- recovery copies and save_applying -----------------------------------------------------------


def test_recovery_copy_is_a_new_private_draft_naming_its_origin(drafts_dir, recovery_dir):
    store = DraftStore(drafts_dir)
    loaded = store.create(Draft())
    loaded.draft.backlog.summary = "인증서 만료"
    copy = store.save_recovery(loaded, "No space left on device")
    assert copy.path.parent == recovery_dir
    assert mode_of(copy.path) == 0o600
    assert copy.draft.id == copy.path.stem != loaded.draft.id
    text = copy.path.read_text(encoding="utf-8")
    assert str(loaded.path) in text.splitlines()[0] and "No space left on device" in text.splitlines()[1]
    reread = DraftStore(recovery_dir).load(copy.path).draft
    assert reread.backlog.summary == "인증서 만료" and reread.id == copy.path.stem
    assert loaded.draft.id == loaded.path.stem  # the session's draft is untouched


def test_recovery_falls_back_to_the_drafts_folder_then_a_private_temp_folder(drafts_dir, recovery_dir, monkeypatch):
    store = DraftStore(drafts_dir)
    loaded = store.create(Draft())
    refuse_writes(monkeypatch, recovery_dir)
    assert store.save_recovery(loaded, "x").path.parent == drafts_dir
    refuse_writes(monkeypatch, recovery_dir, drafts_dir)
    path = store.save_recovery(loaded, "x").path
    assert path.parent == Path(tempfile.gettempdir()) / f"hotfix-tui-recovery-{os.getuid()}"
    assert mode_of(path.parent) == 0o700 and mode_of(path) == 0o600


def test_save_applying_merges_into_the_newer_draft(drafts_dir):
    store = DraftStore(drafts_dir)
    created = store.create(Draft())
    mine = store.load(created.path)
    other = store.load(created.path)
    other.draft.triage.reason = "다른 세션"
    store.save(other)

    saved = save_applying(store, mine, lambda d: d.add_event("plan 통과", source="auto"))
    assert saved.path == created.path and not saved.in_recovery
    on_disk = store.load(created.path).draft
    assert on_disk.triage.reason == "다른 세션"
    assert [e.text for e in on_disk.timeline][-1] == "plan 통과"
    assert mine.draft.triage.reason == "다른 세션"  # the caller now holds the newer draft


def test_save_applying_on_a_full_disk_writes_the_recovery_copy_and_follows_it(drafts_dir, recovery_dir,
                                                                            monkeypatch):
    store = DraftStore(drafts_dir)
    created = store.create(Draft())
    loaded = store.load(created.path)
    refuse_writes(monkeypatch, drafts_dir)
    saved = save_applying(store, loaded, lambda d: d.add_event("first", source="auto"))
    assert saved.in_recovery and "No space left on device" in saved.recovered
    assert saved.path.parent == recovery_dir and loaded.path == saved.path
    again = save_applying(store, loaded, lambda d: d.add_event("second", source="auto"))
    assert again.path == saved.path and not again.in_recovery  # later results follow the copy
    assert [e.text for e in DraftStore(recovery_dir).load(saved.path).draft.timeline][-2:] == ["first", "second"]


def test_save_applying_raises_when_nothing_can_be_written(drafts_dir, recovery_dir, monkeypatch):
    store = DraftStore(drafts_dir)
    loaded = store.load(store.create(Draft()).path)
    refuse_writes(monkeypatch, drafts_dir, recovery_dir, Path(tempfile.gettempdir()))
    with pytest.raises(RecoveryError, match="No space left on device"):
        save_applying(store, loaded, lambda d: d.add_event("lost?", source="auto"))


# -- row 8: `hotfix check` while the draft is saved elsewhere ---------------------------------------


@pytest.fixture
def check_world(tmp_path, monkeypatch):
    """A config whose terraform is the fake, wrapped: during `plan` "another session"
    (a real process with its own DraftStore) saves or deletes the draft being checked."""
    root = tmp_path / "platform" / "environments" / "prod"
    root.mkdir(parents=True)
    (root / "main.tf").write_text('resource "kubernetes_config_map" "metallb_config" {}\n')
    (tmp_path / "bin").mkdir()
    wrapper = tmp_path / "bin" / "terraform"
    wrapper.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        if sys.argv[1:2] == ["plan"]:
            from hotfix_tui.store import DraftStore
            path = os.environ["SAFETY_CHECKED_DRAFT"]
            what = os.environ.get("SAFETY_OTHER_SESSION", "edit")
            if what == "delete":
                os.unlink(path)
            elif what == "edit":
                store = DraftStore(os.path.dirname(path))
                other = store.load(path)
                other.draft.triage.reason = "다른 세션이 plan 도중 저장"
                store.save(other)
        os.execv(sys.executable, [sys.executable, {executable(TERRAFORM)!r}, *sys.argv[1:]])
        """), encoding="utf-8")
    wrapper.chmod(0o755)
    config = tmp_path / "config.toml"
    config.write_text(
        "[git]\n"
        f'repo_dir = "{tmp_path / "platform"}"\n'
        "[terraform]\n"
        f'binary = "{wrapper}"\n'
        'dir = "environments/prod"\n'
        "timeout = 30.0\n",
        encoding="utf-8",
    )
    store = DraftStore(tmp_path / "drafts")
    draft = Draft()
    draft.backlog.impact = "metallb-system 네임스페이스의 metallb-config ConfigMap"
    loaded = store.create(draft)
    monkeypatch.setenv("SAFETY_CHECKED_DRAFT", str(loaded.path))
    return store, loaded.path, config


def check(config: Path, path: Path) -> int:
    return main(["--config", str(config), "check", str(path), "--only", "init,validate,plan"])


def test_row8_check_result_is_merged_into_a_draft_saved_meanwhile(check_world, capsys):
    """row 8: the check passed, then "conflict", exit 2, result not recorded."""
    store, path, config = check_world
    code = check(config, path)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    draft = store.load(path).draft
    assert draft.triage.reason == "다른 세션이 plan 도중 저장"  # the other session's save survives
    assert [(r.name, r.status) for r in draft.checks.runs] == [
        ("init", "passed"), ("validate", "passed"), ("plan", "passed")]
    assert draft.timeline[-1].text.startswith("terraform plan 통과")
    assert out.splitlines()[-1] == f"OK: 3 check(s), results saved in {path}"


def test_row8_check_result_goes_to_a_recovery_copy_when_the_draft_is_gone(check_world, recovery_dir,
                                                                          capsys, monkeypatch):
    """row 8: the draft deleted by another session mid-check: results kept, exit 2, path on stderr."""
    store, path, config = check_world
    monkeypatch.setenv("SAFETY_OTHER_SESSION", "delete")
    code = check(config, path)
    out, err = capsys.readouterr()
    assert code == 2
    (copy,) = recovery_dir.glob("*.toml")
    assert err.count("\n") == 1 and str(copy) in err and "hotfix open" in err
    assert mode_of(copy) == 0o600
    draft = DraftStore(recovery_dir).load(copy).draft
    assert draft.id == copy.stem
    assert [(r.name, r.status) for r in draft.checks.runs] == [
        ("init", "passed"), ("validate", "passed"), ("plan", "passed")]
    assert out.splitlines()[-1] == f"OK: 3 check(s), results saved in {copy}"


def test_row8_check_on_a_full_disk_keeps_every_result_in_one_recovery_copy(check_world, recovery_dir,
                                                                           capsys, monkeypatch):
    store, path, config = check_world
    monkeypatch.setenv("SAFETY_OTHER_SESSION", "none")
    refuse_writes(monkeypatch, path.parent)
    code = check(config, path)
    _, err = capsys.readouterr()
    assert code == 2
    (copy,) = recovery_dir.glob("*.toml")
    assert "No space left on device" in err and str(copy) in err and err.count("\n") == 1
    runs = DraftStore(recovery_dir).load(copy).draft.checks.runs
    assert [r.name for r in runs] == ["init", "validate", "plan"]


def test_row8_check_with_nowhere_to_write_says_the_result_is_not_recorded(check_world, recovery_dir,
                                                                          capsys, monkeypatch):
    store, path, config = check_world
    refuse_writes(monkeypatch, path.parent, recovery_dir, Path(tempfile.gettempdir()))
    code = check(config, path)
    _, err = capsys.readouterr()
    assert code == 2
    assert "not recorded" in err and "No space left on device" in err and err.count("\n") == 1


# -- the remote steps share save_applying ------------------------------------------------------


def test_row8_remote_step_result_goes_to_a_recovery_copy_when_the_draft_is_deleted(tmp_path, monkeypatch,
                                                                                  recovery_dir, capsys):
    """row 8's rule for `hotfix jira|git|pr`: the ticket exists once Jira answers; if the
    draft was deleted meanwhile, the key goes to a recovery copy, and the exit code says so."""
    from hotfix_tui import cli, integrations_cli
    from tests.conftest import EXAMPLE
    from tests.servers.jira_server import JiraServer, Request, Response

    token = "jira-SECRET-safety"

    class DeletingJira(JiraServer):
        draft_path: Path | None = None

        def _create(self, r: Request) -> Response:
            if self.draft_path is not None:
                os.unlink(self.draft_path)  # another session deleted the draft
                self.draft_path = None
            return super()._create(r)

    with DeletingJira(token=token) as jira:
        config_path = tmp_path / "config.toml"
        config_path.write_text(f'[jira]\nurl = "{jira.origin}"\nuser = "oncall@example.com"\n', encoding="utf-8")
        monkeypatch.setenv("HOTFIX_TUI_CONFIG", str(config_path))
        monkeypatch.setenv("JIRA_API_TOKEN", token)
        store = DraftStore(tmp_path / "drafts")
        draft = store.load(EXAMPLE).draft
        draft.id, draft.backlog.jira_key, draft.backlog.jira_url = "metallb", "", ""
        path = store.create(draft).path
        jira.draft_path = path
        code = cli.main(["jira", "create", "metallb"])
    out, err = capsys.readouterr()
    assert code == 2
    (copy,) = recovery_dir.glob("*.toml")
    assert str(copy) in err and err.count("\n") == 1
    assert "TERRAFORM-15" in out
    recovered = DraftStore(recovery_dir).load(copy).draft
    assert recovered.backlog.jira_key == "TERRAFORM-15" and recovered.id == copy.stem
