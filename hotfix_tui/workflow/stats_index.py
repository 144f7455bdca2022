"""Reading every draft's stats record fast: a cache beside the drafts, keyed by each file's stat.

Parsing 1,000 drafts (TOML, then the model) takes about a second on the shared 2-core
machine; ``hotfix stats`` must answer in less. As the drafts list's header index does
(``store.DraftStore.list``), each file's record (``stats.draft_facts``) is kept in
``.hotfix-stats.json`` in the drafts folder under the file's stat (mtime, ctime, size,
inode) and the facts' version, and counts only while both are what they were: a changed,
replaced or touched file is read again, so the cache is never trusted over a file. A draft
that cannot be read is remembered the same way (with why), so it is named, not re-parsed.
A missing, broken or foreign cache is rebuilt; one that cannot be written (a read-only
folder) only makes the next run slower.
"""

from __future__ import annotations

import contextlib
import json
import os
import tomllib
from pathlib import Path
from typing import Any

from ..model import SCHEMA_VERSION, DraftFormatError, from_dict
from ..store import DraftStore, replace_atomically
from .stats import FACTS_VERSION, FIGURES, draft_facts

CACHE_NAME = ".hotfix-stats.json"


def _read_facts(path: Path) -> tuple[dict[str, Any] | None, str]:
    """(record, "") for a draft, or (None, why) for a file that is not one this version reads."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        schema = data.get("schema")
        if not isinstance(schema, int) or isinstance(schema, bool) or not 0 < schema <= SCHEMA_VERSION:
            raise DraftFormatError(f"unsupported schema {schema!r}")
        draft = from_dict(data)
    except (tomllib.TOMLDecodeError, DraftFormatError, UnicodeDecodeError, OSError) as exc:
        return None, str(exc)
    if not draft.id:
        draft.id = path.stem
    return draft_facts(draft), ""


# What a cached record must hold to be used (anything else is read from its file again).
_RECORD_KEYS = frozenset({"id", "key", "phase", "hotfix", "at", "self_merge", "segments", "overrides", *FIGURES})


def _usable(entry: Any, stamp: list[int]) -> bool:
    if not isinstance(entry, dict) or entry.get("stat") != stamp:
        return False
    facts = entry.get("facts")
    return isinstance(entry.get("error"), str) or (isinstance(facts, dict) and _RECORD_KEYS <= facts.keys())


def _load_cache(folder: Path) -> dict[str, Any]:
    try:
        raw = json.loads((folder / CACHE_NAME).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict) or raw.get("version") != FACTS_VERSION or not isinstance(raw.get("drafts"), dict):
        return {}
    return raw["drafts"]


# Below this many drafts to parse, worker processes cost more than they save.
PARALLEL_FROM = 200


def _read_all(paths: list[Path], parallel: bool) -> list[tuple[dict[str, Any] | None, str]]:
    """``_read_facts`` of each path, in order; spread over worker processes when ``parallel``
    (the CLI only: forking a process that runs other threads, as the TUI does, is unsafe)."""
    workers = min(os.cpu_count() or 1, 8)
    if not parallel or workers < 2 or len(paths) < PARALLEL_FROM:
        return [_read_facts(path) for path in paths]
    from concurrent.futures import ProcessPoolExecutor

    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_read_facts, paths, chunksize=max(1, len(paths) // (workers * 4))))
    except OSError:  # no processes to be had (limits): one at a time, as before
        return [_read_facts(path) for path in paths]


def read_records(store: DraftStore, *, parallel: bool = False) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Every draft's record (``stats.draft_facts``) and the drafts that could not be read
    (file name, why), reading only the files that changed since the last call (in worker
    processes when ``parallel`` and there are many)."""
    cache = _load_cache(store.folder)
    fresh: dict[str, Any] = {}
    records: list[dict[str, Any]] = []
    skipped: list[tuple[str, str]] = []
    stamps: dict[str, list[int]] = {}
    stale: list[Path] = []
    for path in store.paths():
        try:
            st = path.stat()
        except OSError:
            continue  # removed meanwhile
        stamp = [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]
        stamps[path.name] = stamp
        if _usable(cache.get(path.name), stamp):
            fresh[path.name] = cache[path.name]
        else:
            fresh[path.name] = None
            stale.append(path)
    for path, (facts, error) in zip(stale, _read_all(stale, parallel)):
        stamp = stamps[path.name]
        fresh[path.name] = {"stat": stamp, "facts": facts} if facts is not None else {"stat": stamp, "error": error}
    for name, entry in fresh.items():
        if isinstance(entry.get("facts"), dict):
            records.append(entry["facts"])
        else:
            skipped.append((name, entry["error"]))
    if fresh != cache:
        data = json.dumps({"version": FACTS_VERSION, "drafts": fresh}, ensure_ascii=False).encode("utf-8")
        with contextlib.suppress(OSError):
            replace_atomically(store.folder / CACHE_NAME, data, 0o600)
    return records, skipped
