"""The drafts list's header index: only changed files are parsed, and the index never wins over a file."""

from __future__ import annotations

import json
import os

import pytest

from hotfix_tui import model, store
from hotfix_tui.model import Backlog, Draft
from hotfix_tui.store import INDEX_NAME, DraftStore


def _make(folder, n: int) -> DraftStore:
    ds = DraftStore(folder)
    for i in range(n):
        ds.create(Draft(id=f"d{i}", phase="backlog", backlog=Backlog(summary=f"요약 {i}", jira_key=f"TERRAFORM-{i + 1}")))
    return ds


@pytest.fixture
def reads(monkeypatch):
    """The drafts each listing parsed from their files (by name)."""
    seen: list[str] = []
    real = store._read_info

    def counting(path, mtime):
        seen.append(path.name)
        return real(path, mtime)

    monkeypatch.setattr(store, "_read_info", counting)
    return seen


def _rows(ds: DraftStore) -> dict[str, tuple[str, str, str]]:
    return {info.path.name: (info.jira_key, info.title, info.phase) for info in ds.list()}


def test_second_listing_parses_only_what_changed(tmp_path, reads):
    """'The drafts list parses every draft fully, twice': the second listing reads the index."""
    ds = _make(tmp_path, 5)
    first = _rows(ds)
    assert len(reads) == 5 and (tmp_path / INDEX_NAME).is_file()
    reads.clear()
    assert _rows(ds) == first
    assert reads == []

    loaded = ds.load(tmp_path / "d2.toml")
    loaded.draft.backlog.summary = "바뀐 요약"
    ds.save(loaded)
    reads.clear()
    rows = _rows(ds)
    assert reads == ["d2.toml"]
    assert rows["d2.toml"][1] == "바뀐 요약"


def test_a_file_rewritten_to_the_same_size_is_read_again(tmp_path, reads):
    ds = _make(tmp_path, 1)
    ds.list()
    path = tmp_path / "d0.toml"
    text = path.read_text(encoding="utf-8")
    assert "요약 0" in text
    path.write_text(text.replace("요약 0", "요약 9"), encoding="utf-8")  # same size, in place
    reads.clear()
    assert _rows(ds)["d0.toml"][1] == "요약 9"
    assert reads == ["d0.toml"]


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"[]", b'{"version": 99, "drafts": {}}',
                                     b'{"version": 1, "drafts": {"d0.toml": {"stat": 1, "info": 2}}}'])
def test_a_broken_or_foreign_index_is_rebuilt(tmp_path, garbage):
    ds = _make(tmp_path, 2)
    expected = _rows(ds)
    (tmp_path / INDEX_NAME).write_bytes(garbage)
    assert _rows(ds) == expected
    assert json.loads((tmp_path / INDEX_NAME).read_bytes())["version"] == store.INDEX_VERSION


def test_an_entry_whose_stat_does_not_match_is_not_believed(tmp_path):
    ds = _make(tmp_path, 1)
    ds.list()
    index = json.loads((tmp_path / INDEX_NAME).read_bytes())
    entry = index["drafts"]["d0.toml"]
    entry["info"]["title"] = "가짜 제목"
    entry["stat"][0] += 1  # a different mtime: this entry is about another version of the file
    (tmp_path / INDEX_NAME).write_text(json.dumps(index), encoding="utf-8")
    assert _rows(ds)["d0.toml"][1] == "요약 0"


def test_deleted_and_broken_drafts_show_as_they_are(tmp_path):
    ds = _make(tmp_path, 3)
    ds.list()
    (tmp_path / "d1.toml").unlink()
    (tmp_path / "d2.toml").write_text("this is = = not toml", encoding="utf-8")
    infos = {info.path.name: info for info in ds.list()}
    assert set(infos) == {"d0.toml", "d2.toml"}
    assert infos["d2.toml"].error
    index = json.loads((tmp_path / INDEX_NAME).read_bytes())["drafts"]
    assert set(index) == {"d0.toml", "d2.toml"}


def test_an_unwritable_index_still_lists(tmp_path, monkeypatch):
    ds = _make(tmp_path, 2)

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "replace_atomically", refuse)
    assert set(_rows(ds)) == {"d0.toml", "d1.toml"}
    assert not (tmp_path / INDEX_NAME).exists()


def test_two_sessions_share_the_index_safely(tmp_path):
    """Concurrent writers: each listing sees every save, whichever session wrote the index last."""
    one, two = _make(tmp_path, 2), DraftStore(tmp_path)
    one.list()
    loaded = two.load(tmp_path / "d0.toml")
    loaded.draft.phase = "branch"
    two.save(loaded)
    assert _rows(one)["d0.toml"][2] == "branch"
    two.create(Draft(id="d9", backlog=Backlog(summary="셋째")))
    assert _rows(two)["d9.toml"][1] == "셋째"
    assert _rows(one)["d9.toml"][1] == "셋째"


def test_the_index_is_private(tmp_path):
    ds = _make(tmp_path, 1)
    ds.list()
    assert os.stat(tmp_path / INDEX_NAME).st_mode & 0o077 == 0


def test_type_hints_are_computed_once_per_class(tmp_path):
    """'model.from_dict calls typing.get_type_hints ~30 times per draft'."""
    ds = _make(tmp_path, 3)
    model.type_hints.cache_clear()
    first, *rest = ds.paths()
    ds.load(first)
    after_one = model.type_hints.cache_info().misses
    for path in rest:
        ds.load(path)
    assert model.type_hints.cache_info().misses == after_one  # the next drafts cost no type-hint work
