"""Drafts on disk: byte-stable round trips, kept comments, refused clobbers, safe failures."""

from __future__ import annotations

import multiprocessing
import os
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotfix_tui.model import (
    Backlog,
    CheckState,
    Commit,
    Draft,
    Event,
    FollowUp,
    PullRequest,
    PrTestItem,
    Triage,
)
from hotfix_tui.store import (
    DraftConflictError,
    DraftNotFoundError,
    DraftParseError,
    DraftSchemaError,
    DraftStore,
    dumps,
    parse,
)

# Text an on-call engineer really types: Korean, quotes of every kind, backslashes,
# newlines (\r\n from a pasted Windows log too), tabs, emoji, TOML-looking lines.
text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("가나다라마바사한국어 \"'`\\\n\r\t{}[]=#🚨😀 ")),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=24,
)
texts = st.lists(text, max_size=4)

drafts = st.builds(
    Draft,
    id=text,
    created_at=text,
    phase=text,
    done_phases=texts,
    triage=st.builds(Triage, severity=text, change_kind=text, urgent=st.booleans(), verdict=text, reason=text),
    backlog=st.builds(
        Backlog,
        summary=text, priority=text, labels=texts, components=texts, problem=text, since=text,
        impact=text, repro_steps=texts, expected=text, actual=text, root_cause=text,
        fix_plan=texts, rollback_plan=text, jira_key=text, jira_url=text,
    ),
    commit=st.builds(Commit, summary=text, problem=text, fix=text, impact=text, tests=texts, sha=text),
    pr=st.builds(
        PullRequest,
        summary=text, problem=text, changes=texts,
        tests=st.lists(st.builds(PrTestItem, text=text, checked=st.booleans(), note=text), max_size=3),
        number=st.integers(min_value=0, max_value=2**40),
    ),
    followups=st.lists(st.builds(FollowUp, summary=text, description=text, kind=text), max_size=2),
    checklist=st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True),
        st.builds(CheckState, checked=st.booleans(), at=text, by=text, reason=text),
        max_size=3,
    ),
    timeline=st.lists(st.builds(Event, at=text, text=text, source=text), max_size=3),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drafts)
def test_save_load_save_is_byte_identical(draft):
    first = dumps(draft)
    loaded, doc = parse(first)
    assert loaded == draft
    assert dumps(loaded, doc) == first  # merged into the parsed document
    assert dumps(loaded) == first  # and written fresh


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=drafts, after=drafts)
def test_editing_any_draft_into_any_other_loads_back_equal(tmp_path, before, after):
    _, doc = parse(dumps(before))
    text_after = dumps(after, doc)
    loaded, _ = parse(text_after)
    assert loaded == after


def test_hand_comment_survives_a_save(drafts_dir, example_path):
    store = DraftStore(drafts_dir)
    drafts_dir.mkdir()
    path = drafts_dir / "metallb.toml"
    text = example_path.read_text(encoding="utf-8").replace(
        'rollback_plan = "', '# 02:10 확인: state 백업은 s3://tfstate-backup 에 있음\nrollback_plan = "'
    )
    path.write_text(text, encoding="utf-8")
    loaded = store.load(path)
    loaded.draft.backlog.rollback_plan = "state 백업에서 복구"
    loaded.draft.commit.tests.append("kubectl get svc -A 로 EXTERNAL-IP 확인")
    store.save(loaded)
    saved = path.read_text(encoding="utf-8")
    assert "# 02:10 확인: state 백업은 s3://tfstate-backup 에 있음\nrollback_plan = \"state 백업에서 복구\"" in saved
    assert "# The seed's commit summary is more specific" in saved
    assert store.load(path).draft.commit.tests[-1] == "kubectl get svc -A 로 EXTERNAL-IP 확인"


def test_unchanged_draft_saves_byte_identical(drafts_dir, example_path):
    store = DraftStore(drafts_dir)
    drafts_dir.mkdir()
    path = drafts_dir / "m.toml"
    shutil.copy(example_path, path)
    store.save(store.load(path))
    assert path.read_bytes() == example_path.read_bytes()


@pytest.mark.parametrize(
    "content",
    [
        b"schema = 1\n[backlog\nsummary = ",  # truncated mid-table
        b"\x89PNG\r\n\x1a\n\x00\x00garbage",  # not text at all
        b'schema = 1\n[backlog]\nsummary = """MetalLB',  # cut inside a multi-line string
        b"schema = 1\n[backlog]\nlabels = \"hotfix\"\n",  # wrong type
        b"id = 'no schema line'\n",
    ],
)
def test_broken_draft_is_reported_and_never_overwritten(drafts_dir, content):
    store = DraftStore(drafts_dir)
    drafts_dir.mkdir()
    path = drafts_dir / "broken.toml"
    path.write_bytes(content)
    with pytest.raises(DraftParseError) as err:
        store.load(path)
    assert "broken.toml" in str(err.value)
    assert path.read_bytes() == content
    [info] = store.list()
    assert info.error and info.path == path
    assert path.read_bytes() == content


def test_truncated_real_draft_is_reported(drafts_dir, example_path):
    drafts_dir.mkdir()
    data = example_path.read_bytes()
    cut = data[: data.index("MetalLB가".encode())]  # inside the problem's """ string
    path = drafts_dir / "cut.toml"
    path.write_bytes(cut)
    with pytest.raises(DraftParseError):
        DraftStore(drafts_dir).load(path)
    assert path.read_bytes() == cut


def test_newer_schema_is_refused_and_untouched(drafts_dir):
    drafts_dir.mkdir()
    path = drafts_dir / "future.toml"
    path.write_text("schema = 2\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(DraftSchemaError, match="newer hotfix-tui"):
        DraftStore(drafts_dir).load(path)
    assert path.read_text(encoding="utf-8") == "schema = 2\nid = 'x'\n"


def test_second_writer_is_refused_and_keeps_its_edits(drafts_dir):
    store = DraftStore(drafts_dir)
    created = store.create(Draft())
    session_a = store.load(created.path)
    session_b = store.load(created.path)
    session_a.draft.backlog.problem = "A: MetalLB IP 할당 실패"
    store.save(session_a)
    session_b.draft.backlog.impact = "B: 외부 접근 불가"
    with pytest.raises(DraftConflictError, match="another hotfix session"):
        store.save(session_b)
    on_disk = store.load(created.path).draft
    assert on_disk.backlog.problem == "A: MetalLB IP 할당 실패"
    assert session_b.draft.backlog.impact == "B: 외부 접근 불가"  # nothing typed is lost
    copy = store.save_copy(session_b)
    assert store.load(copy).draft.backlog.impact == "B: 외부 접근 불가"
    # The way forward: reload, re-apply, save.
    fresh = store.load(created.path)
    fresh.draft.backlog.impact = session_b.draft.backlog.impact
    store.save(fresh)
    final = store.load(created.path).draft
    assert (final.backlog.problem, final.backlog.impact) == ("A: MetalLB IP 할당 실패", "B: 외부 접근 불가")


def test_save_after_the_file_was_deleted_is_refused(drafts_dir):
    store = DraftStore(drafts_dir)
    loaded = store.create(Draft())
    os.unlink(loaded.path)
    with pytest.raises(DraftConflictError, match="deleted"):
        store.save(loaded)


def _append_events(folder: str, path: str, worker: int, count: int) -> None:
    store = DraftStore(folder)
    done = 0
    while done < count:
        loaded = store.load(path)
        loaded.draft.add_event(f"worker {worker} event {done}")
        try:
            store.save(loaded)
        except DraftConflictError:
            continue  # someone else saved first: reload and re-apply, as the app does
        done += 1


def test_concurrent_writers_lose_no_update(drafts_dir):
    store = DraftStore(drafts_dir)
    path = store.create(Draft()).path
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_events, args=(str(drafts_dir), str(path), w, 15)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    texts = [e.text for e in store.load(path).draft.timeline]
    assert len(texts) == 60
    assert sorted(texts) == sorted(f"worker {w} event {i}" for w in range(4) for i in range(15))


def test_create_list_resolve_delete(drafts_dir):
    store = DraftStore(drafts_dir)
    a = store.create(Draft())
    b = store.create(Draft())
    assert a.path != b.path
    b.draft.backlog.jira_key = "TERRAFORM-15"
    b.draft.backlog.summary = "MetalLB IP 할당 실패"
    store.save(b)
    infos = {info.id: info for info in store.list()}
    assert infos[b.draft.id].jira_key == "TERRAFORM-15"
    assert infos[b.draft.id].title == "MetalLB IP 할당 실패"
    assert store.resolve("terraform-15") == b.path
    assert store.resolve(a.draft.id) == a.path
    assert store.resolve(str(a.path)) == a.path
    with pytest.raises(DraftNotFoundError):
        store.resolve("TERRAFORM-99")
    backup = store.delete(a.path)
    assert not a.path.exists() and backup.exists()
    assert backup.parent.name == ".trash"
    assert [info.id for info in store.list()] == [b.draft.id]
