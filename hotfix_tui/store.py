"""Drafts on disk: one TOML file per hotfix, saved atomically, never clobbering.

Why each rule exists:
- tomlkit, and saves that *merge* into the parsed document, so a comment or layout a
  human added by hand survives the next save.
- temp file + fsync + ``os.replace``: a crash or a lost SSH session mid-save leaves either
  the old file or the new one, never half of each.
- A file that fails to parse, or was written by a newer schema, is reported and never
  written to (the user's only copy of a 2 a.m. incident record).
- A fingerprint of the bytes we loaded (or last saved) is compared, under a lock, with
  what is on disk before each save: two SSH sessions on one draft must not silently drop
  each other's work, so the second writer is refused with a clear message instead.
- Typed text is never dropped: when a draft cannot be saved (a conflict, a read-only or
  full disk) the caller writes a *recovery copy* (``save_recovery``): a new draft with a
  new id in the recovery folder (``paths.recovery_dir``), the drafts folder, or a private
  folder in the system temp dir — the first that takes it. Appended data (a check run, a
  key a remote step returned) is merged into the newer draft instead (``save_applying``).
- A draft that is a symlink is saved *through* the link: the target is replaced, the link
  stays. Copies, recovery copies and trash backups get names nobody else has (created
  with ``O_EXCL``), and copies get a new ``id`` inside the file too.
"""

from __future__ import annotations

import contextlib
import copy as _copy
import dataclasses
import datetime as _dt
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import tomllib
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table

from .model import SCHEMA_VERSION, Draft, DraftFormatError, from_dict, now, now_iso, type_hints

DRAFT_SUFFIX = ".toml"
LOCK_NAME = ".hotfix-drafts.lock"
TRASH_DIR = ".trash"
# The drafts list's header index (see DraftStore.list); hidden, so never listed as a draft.
INDEX_NAME = ".hotfix-index.json"
INDEX_VERSION = 2  # 2: rows say how many steps wait in the outbox
# An unlocked temp file of a save older than this is a leftover of an interrupted save
# (a kill -9, a power cut); a live writer holds a lock on its temp file (see _atomic_write).
TEMP_GRACE_SECONDS = 120.0
# mkstemp(prefix=".<name>.", suffix=".tmp") of a draft, or of the caches kept beside the
# drafts (the list's header index, the stats' records): what an interrupted write leaves.
_TEMP_NAME = re.compile(r"^\.(?:.+\.toml|\.hotfix-(?:index|stats)\.json)\.[a-z0-9_]+\.tmp$")


class DraftError(Exception):
    """A draft problem with one clear message naming the file and what to do."""

    def __init__(self, message: str, path: Path | None = None):
        super().__init__(message)
        self.path = path


class DraftParseError(DraftError):
    """The file is not valid TOML or does not fit the draft model."""


class DraftSchemaError(DraftError):
    """The file was written by a newer hotfix-tui."""


class DraftConflictError(DraftError):
    """Someone else changed the file since we loaded it."""


class DraftNotFoundError(DraftError):
    """No draft matches what the user named."""


class RecoveryError(DraftError):
    """Not even a recovery copy could be written: the edits exist only in memory."""


@dataclass
class LoadedDraft:
    """A draft plus what is needed to save it back safely."""

    draft: Draft
    path: Path
    doc: tomlkit.TOMLDocument
    fingerprint: str  # sha256 of the bytes on disk when loaded / last saved


@dataclass(frozen=True)
class DraftInfo:
    """One row of the drafts list; ``error`` is set for a file that cannot be opened."""

    id: str
    path: Path
    jira_key: str
    title: str
    phase: str
    saved_at: float  # mtime, seconds since the epoch
    created_at: str
    error: str = ""
    pending: str = ""  # how many steps wait in its outbox ("" when none)


def _fingerprint(data: bytes | None) -> str:
    return "" if data is None else hashlib.sha256(data).hexdigest()


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


# -- model → TOML ----------------------------------------------------------------------


def _scalar_item(value: Any) -> Any:
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        return tomlkit.string(value, multiline=True)
    if isinstance(value, list):
        arr = tomlkit.array()
        for v in value:
            arr.append(_scalar_item(v))
        if len(value) > 1 or any(isinstance(v, str) and len(v) > 40 for v in value):
            arr.multiline(True)
        return arr
    return tomlkit.item(value)


def _same(existing: Any, value: Any) -> bool:
    """Equal value *and* type (True == 1 in Python, not in TOML)."""
    current = existing.unwrap() if hasattr(existing, "unwrap") else existing
    if type(current) is not type(value):
        return False
    if isinstance(value, list):
        return len(current) == len(value) and all(
            type(a) is type(b) and a == b for a, b in zip(current, value)
        )
    return current == value


def _new_table(obj: Any, is_super: bool = False) -> Table:
    table = tomlkit.table(is_super_table=is_super)
    _merge(table, obj)
    return table


def _new_aot_table(obj: Any) -> Table:
    table = _new_table(obj)
    table.add(tomlkit.nl())  # a blank line between [[entries]], as a human writes them
    return table


def _new_value(tp: Any, value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return _new_table(value)
    if typing.get_origin(tp) is dict:
        table = tomlkit.table()
        for k, v in value.items():
            table[k] = _new_value(typing.get_args(tp)[1], v)
        return table
    return _scalar_item(value)


def _default_is_empty(f: dataclasses.Field) -> bool:
    if f.default_factory is not dataclasses.MISSING:
        return not f.default_factory()
    return not f.default


def _is_dataclass_type(tp: Any) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def _merge(container: Container | Table, obj: Any) -> None:
    """Write a dataclass into a TOML table, touching only what changed.

    Unknown keys (a newer minor version's, or a human's) are left in place; entries of
    dict-typed fields (the checklist) that the model no longer has are removed.
    """
    hints = type_hints(type(obj))
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        tp = hints[f.name]
        origin = typing.get_origin(tp)
        existing = container.get(f.name)
        if dataclasses.is_dataclass(value):
            if isinstance(existing, Table):
                _merge(existing, value)
            else:
                _set(container, f.name, _new_table(value))
        elif origin is list and _is_dataclass_type(typing.get_args(tp)[0]):
            # Edit the array of tables in place so comments on untouched entries stay.
            if isinstance(existing, AoT):
                for table, item in zip(existing, value):
                    _merge(table, item)
                while len(existing) > len(value):
                    del existing[len(existing) - 1]
                for item in value[len(existing):]:
                    existing.append(_new_aot_table(item))
                if not value:
                    del container[f.name]
                    if not _default_is_empty(f):
                        container.add(f.name, tomlkit.array())
            elif value:
                aot = tomlkit.aot()
                for item in value:
                    aot.append(_new_aot_table(item))
                _set(container, f.name, aot)
            elif _default_is_empty(f):
                if existing is not None and not _same(existing, []):
                    del container[f.name]
            elif existing is None or not _same(existing, []):
                # A list whose default is not empty (the PR's test items) needs an
                # explicit `[]`, or loading would bring the defaults back.
                _set(container, f.name, tomlkit.array())
        elif origin is dict:
            if not isinstance(existing, Table):
                existing = tomlkit.table()
                _set(container, f.name, existing)
            val_tp = typing.get_args(tp)[1]
            for key in [k for k in existing.keys() if k not in value]:
                del existing[key]
            for key, item in value.items():
                current = existing.get(key)
                if dataclasses.is_dataclass(item) and isinstance(current, Table):
                    _merge(current, item)
                else:
                    existing[key] = _new_value(val_tp, item)
        else:
            if existing is None and not value and f.metadata.get("omit_empty"):
                continue  # a field newer than the file: absent until it has a value
            if existing is None or not _same(existing, value):
                _set(container, f.name, _scalar_item(value))


def _set(container: Container | Table, key: str, item: Any) -> None:
    if key in container:
        container[key] = item
    else:
        container.add(key, item)


def new_document(draft: Draft) -> tomlkit.TOMLDocument:
    """A fresh TOML document for a draft: ``schema`` first, then the model's fields."""
    doc = tomlkit.document()
    doc.add("schema", SCHEMA_VERSION)
    _merge(doc, draft)
    return doc


def dumps(draft: Draft, doc: tomlkit.TOMLDocument | None = None) -> str:
    """The draft as TOML text, merged into ``doc`` (kept comments) when given."""
    if doc is None:
        return new_document(draft).as_string()
    _merge(doc, draft)
    return doc.as_string()


def parse(text: str, path: Path | None = None) -> tuple[Draft, tomlkit.TOMLDocument]:
    """Text → (Draft, document); raises DraftParseError / DraftSchemaError."""
    where = str(path) if path else "draft"
    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise DraftParseError(
            f"{where} is not valid TOML ({exc}); it was left untouched — fix it by hand "
            "or restore it from .trash/",
            path,
        ) from None
    data = doc.unwrap()
    schema = data.get("schema")
    if schema is None:
        raise DraftParseError(f"{where} is not a hotfix draft (no `schema = 1` line at the top)", path)
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise DraftParseError(f"{where}: `schema` must be a whole number (got {schema!r})", path)
    if schema > SCHEMA_VERSION:
        raise DraftSchemaError(
            f"{where} was written by a newer hotfix-tui (schema {schema}; this version reads "
            f"{SCHEMA_VERSION}); upgrade hotfix-tui to open it. The file was left untouched.",
            path,
        )
    try:
        draft = from_dict(data)
    except DraftFormatError as exc:
        raise DraftParseError(f"{where}: {exc}; the file was left untouched", path) from None
    return draft, doc


# -- the store -------------------------------------------------------------------------


_ID_SAFE = re.compile(r"[^a-z0-9]+")


class DraftStore:
    """The drafts folder: create, list, find, load, save, delete (with a backup)."""

    def __init__(self, folder: Path, recovery: Path | None = None):
        self.folder = Path(folder)
        self._recovery = Path(recovery) if recovery is not None else None

    @property
    def recovery_folder(self) -> Path:
        """Where recovery copies go first (``$HOTFIX_TUI_RECOVERY`` or the user state dir)."""
        if self._recovery is None:
            from .paths import recovery_dir

            self._recovery = recovery_dir()
        return self._recovery

    # locking: one lock for the folder is enough (saves take milliseconds) and keeps
    # the folder free of a lock file per draft.
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = open(self.folder / LOCK_NAME, "a+b")
        except OSError:
            # A drafts folder that is read-only or full cannot hold a lock file; nothing
            # can be written there either, and the writes that still happen then (a
            # recovery copy, a fresh unique name) do not race with anyone.
            yield
            return
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _unique_path(self, stem: str) -> Path:
        candidate = self.folder / f"{stem}{DRAFT_SUFFIX}"
        n = 2
        while candidate.exists():
            candidate = self.folder / f"{stem}-{n}{DRAFT_SUFFIX}"
            n += 1
        return candidate

    def create(self, draft: Draft) -> LoadedDraft:
        """Write a new draft file; gives the draft an id (its file name) if it has none."""
        with self._locked():
            if draft.id:
                path = self._unique_path(_ID_SAFE.sub("-", draft.id.lower()).strip("-") or "hotfix")
            else:  # named by the one clock ([ui] timezone), as every time the draft records
                stamp = now().strftime("%Y%m%d-%H%M")
                path = self._unique_path(stamp)
            draft.id = path.stem
            if not draft.created_at:
                draft.created_at = now_iso()
            doc = new_document(draft)
            data = doc.as_string().encode("utf-8")
            _atomic_write(path, data)
        return LoadedDraft(draft, path, doc, _fingerprint(data))

    def add_file(self, data: bytes) -> LoadedDraft:
        """Save ``data`` (a whole draft file, e.g. fetched from a ticket) as a new draft, byte for byte.

        It must load as a draft first (DraftParseError/DraftSchemaError otherwise, nothing
        written). The name is the draft's id, or the next free one: the name is reserved
        with ``O_EXCL`` and filled atomically, so no existing file is ever overwritten.
        When the id's name was taken, the file gets the new name as its id (as a copy does).
        """
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise DraftParseError("the file is not UTF-8 text; nothing was written") from None
        draft, doc = parse(text)
        stem = _ID_SAFE.sub("-", (draft.id or "hotfix").lower()).strip("-") or "hotfix"
        with self._locked():
            path = _reserve(self.folder, stem)
            try:
                if path.stem != draft.id:
                    draft.id = path.stem
                    data = dumps(draft, doc).encode("utf-8")
                _atomic_write(path, data)
            except BaseException:
                _unlink_quietly(path)
                raise
        return LoadedDraft(draft, path, doc, _fingerprint(data))

    def load(self, path: Path) -> LoadedDraft:
        path = Path(path)
        data = _read_bytes(path)
        if data is None:
            raise DraftNotFoundError(f"{path} does not exist", path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise DraftParseError(f"{path} is not UTF-8 text; it was left untouched", path) from None
        draft, doc = parse(text, path)
        if not draft.id:
            draft.id = path.stem
        return LoadedDraft(draft, path, doc, _fingerprint(data))

    def save(self, loaded: LoadedDraft) -> None:
        """Merge the draft into its document and replace the file atomically.

        Refused with DraftConflictError when the file on disk is no longer what we
        loaded or last saved: the caller keeps the draft in memory and decides
        (reload, or ``save_copy``).
        """
        with self._locked():
            on_disk = _read_bytes(loaded.path)
            if _fingerprint(on_disk) != loaded.fingerprint:
                what = "deleted" if on_disk is None else "changed"
                raise DraftConflictError(
                    f"{loaded.path.name} was {what} by another hotfix session since it was "
                    "opened here; nothing was overwritten. Your edits are still in this "
                    "session: reload to see the other changes, or save a copy.",
                    loaded.path,
                )
            data = dumps(loaded.draft, loaded.doc).encode("utf-8")
            if data != on_disk:
                _atomic_write(loaded.path, data)
            loaded.fingerprint = _fingerprint(data)

    def save_copy(self, loaded: LoadedDraft) -> Path:
        """Write the in-memory draft beside the original (the way out of a conflict).

        The copy is a draft of its own: its ``id`` is its file name, so the two never
        share an id (nor a plan file, nor a `hotfix list` row). ``loaded`` is not changed.
        """
        stamp = _dt.datetime.now().strftime("%H%M%S")
        with self._locked():
            path = _reserve(self.folder, f"{loaded.path.stem}-copy-{stamp}")
            try:
                _atomic_write(path, _as_new_draft(loaded, path.stem)[2])
            except BaseException:
                _unlink_quietly(path)
                raise
        return path

    def save_recovery(self, loaded: LoadedDraft, reason: str) -> LoadedDraft:
        """Write the in-memory draft as a new draft where a draft can still be written.

        Tried in order: the recovery folder, the drafts folder, then a private folder in
        the system temp dir (a full home disk often leaves /tmp usable). The copy gets
        a new id (its file name), mode 0600, and a comment saying where it came from and
        why. Returns it as a LoadedDraft (further saves may go to it); raises
        RecoveryError naming every place tried when none took it. ``loaded`` is not changed.
        """
        when = _dt.datetime.now()
        stem = f"{loaded.path.stem}-recovered-{when.strftime('%Y%m%d-%H%M%S')}"
        header = (f"# hotfix-tui recovery copy of {loaded.path}, written {when.replace(microsecond=0).isoformat()}"
                  f"\n# because it could not be saved there: {reason}\n")
        header = "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in header)
        problems = []
        for folder, shared_parent in self._recovery_folders():
            try:
                _private_folder(folder, shared_parent)
                path = _reserve(folder, stem)
                try:
                    draft, doc, data = _as_new_draft(loaded, path.stem, header)
                    _atomic_write(path, data)
                except BaseException:
                    _unlink_quietly(path)
                    raise
            except OSError as exc:
                problems.append(f"{folder}: {_os_reason(exc)}")
                continue
            return LoadedDraft(draft, path, doc, _fingerprint(data))
        raise RecoveryError(f"{loaded.path} could not be saved ({reason}), and no recovery copy could be "
                            "written anywhere (" + "; ".join(problems) + ")", loaded.path)

    def _recovery_folders(self) -> list[tuple[Path, bool]]:
        """(folder, lives in a world-writable parent) in the order save_recovery tries them."""
        temp = Path(tempfile.gettempdir()) / f"hotfix-tui-recovery-{os.getuid()}"
        folders: list[tuple[Path, bool]] = []
        for folder, shared in ((self.recovery_folder, False), (self.folder, False), (temp, True)):
            if all(folder != f for f, _ in folders):
                folders.append((folder, shared))
        return folders

    def delete(self, path: Path) -> Path:
        """Move a draft to ``.trash/`` (a backup, not a deletion) and return where.

        Each backup gets a name of its own (two deletes of one name in the same second
        keep both). A symlinked draft leaves the link's target alone: the trash gets a
        copy of what it held, and the link is removed.
        """
        path = Path(path)
        trash = self.folder / TRASH_DIR
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        with self._locked():
            trash.mkdir(parents=True, exist_ok=True)
            target = _reserve(trash, f"{path.stem}-{stamp}")
            try:
                if path.is_symlink() and path.exists():
                    shutil.copyfile(path, target)
                    path.unlink()
                else:
                    try:
                        os.replace(path, target)
                    except OSError as exc:
                        if exc.errno != errno.EXDEV:
                            raise
                        shutil.copy2(path, target)
                        path.unlink()
            except BaseException:
                _unlink_quietly(target)
                raise
        return target

    def remove_stale_temp(self) -> list[Path]:
        """Delete what interrupted saves left in the drafts folder (``.<name>.<random>.tmp``)."""
        return remove_stale_temp(self.folder)

    def paths(self) -> list[Path]:
        return [self.folder / entry.name for entry in self._entries()]

    def _entries(self) -> list[os.DirEntry]:
        """The drafts' directory entries, by name (``os.scandir``: a tenth of what pathlib's
        glob and stat cost per file, which counts over a thousand drafts)."""
        try:
            with os.scandir(self.folder) as found:
                entries = [entry for entry in found
                           if entry.name.endswith(DRAFT_SUFFIX) and not entry.name.startswith(".")]
        except OSError:  # no drafts folder (yet), or not one that can be read: no drafts
            return []
        entries.sort(key=lambda entry: entry.name)
        return entries

    def list(self) -> list[DraftInfo]:
        """Every draft in the folder, newest save first; broken files included, marked.

        Only drafts whose file changed since the last listing are parsed: the rest come
        from the header index (``INDEX_NAME``), whose entries count only while the file's
        stat (mtime, ctime, size, inode) is what it was when the entry was made, so the
        index is never trusted over a file. A missing, broken or foreign index is rebuilt.
        """
        self.remove_stale_temp()
        index = self._read_index()
        fresh: dict[str, dict] = {}
        infos = []
        for found in self._entries():
            try:
                st = found.stat()
            except OSError:
                continue
            path = self.folder / found.name
            stamp = [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]
            entry = index.get(path.name)
            info = None
            if isinstance(entry, dict) and entry.get("stat") == stamp:
                info = _info_from_entry(path, st.st_mtime, entry.get("info"))
            if info is None:
                info = _read_info(path, st.st_mtime)
            fresh[path.name] = {"stat": stamp, "info": _entry_from_info(info)}
            infos.append(info)
        if fresh != index:
            self._write_index(fresh)
        infos.sort(key=lambda info: info.saved_at, reverse=True)
        return infos

    def _read_index(self) -> dict[str, dict]:
        try:
            raw = json.loads((self.folder / INDEX_NAME).read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict) or raw.get("version") != INDEX_VERSION or not isinstance(raw.get("drafts"), dict):
            return {}
        return raw["drafts"]

    def _write_index(self, drafts: dict[str, dict]) -> None:
        # Best effort: a read-only or full drafts folder lists as before, only slower.
        data = json.dumps({"version": INDEX_VERSION, "drafts": drafts}, ensure_ascii=False).encode("utf-8")
        with contextlib.suppress(OSError):
            replace_atomically(self.folder / INDEX_NAME, data, 0o600)

    def resolve(self, ref: str) -> Path:
        """A path, a draft id, or a Jira key → the draft's path."""
        as_path = Path(ref).expanduser()
        if as_path.suffix == DRAFT_SUFFIX or os.sep in ref:
            if as_path.exists():
                return as_path
            raise DraftNotFoundError(f"no draft file at {as_path}", as_path)
        direct = self.folder / f"{ref}{DRAFT_SUFFIX}"
        if direct.exists():
            return direct
        matches = [
            info.path
            for info in self.list()
            if info.jira_key.lower() == ref.lower() or info.id.startswith(ref)
        ]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise DraftNotFoundError(
                f"no draft named {ref!r} in {self.folder} (try `hotfix list`)", None
            )
        names = ", ".join(p.stem for p in matches)
        raise DraftNotFoundError(f"{ref!r} matches several drafts ({names}); name one exactly", None)


# -- the drafts list's header index ---------------------------------------------------------

_INFO_TEXT = ("id", "jira_key", "title", "phase", "created_at", "error", "pending")


def _read_info(path: Path, mtime: float) -> DraftInfo:
    """One drafts-list row read from the file itself (parsed and checked whole)."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        draft = from_dict(data)
        schema = data.get("schema")
        if not isinstance(schema, int) or schema > SCHEMA_VERSION:
            raise DraftFormatError(f"unsupported schema {schema!r}")
    except (tomllib.TOMLDecodeError, DraftFormatError, UnicodeDecodeError, OSError) as exc:
        return DraftInfo(path.stem, path, "", "", "", mtime, "", error=str(exc))
    return DraftInfo(id=draft.id or path.stem, path=path, jira_key=draft.backlog.jira_key,
                     title=draft.backlog.summary, phase=draft.phase, saved_at=mtime,
                     created_at=draft.created_at,
                     pending=str(sum(1 for q in draft.outbox if q.state == "pending") or ""))


def _entry_from_info(info: DraftInfo) -> dict[str, str]:
    return {name: getattr(info, name) for name in _INFO_TEXT}


def _info_from_entry(path: Path, mtime: float, entry: Any) -> DraftInfo | None:
    """A row from an index entry, or None when the entry is not one this version wrote."""
    if not isinstance(entry, dict) or not all(isinstance(entry.get(name), str) for name in _INFO_TEXT):
        return None
    return DraftInfo(path=path, saved_at=mtime, **{name: entry[name] for name in _INFO_TEXT})


# -- saving when the draft cannot be saved ------------------------------------------------


@dataclass(frozen=True)
class Saved:
    """Where ``save_applying`` put the result: the draft, or a recovery copy (and why)."""

    path: Path
    recovered: str = ""  # why the draft itself could not take it; "" when it did

    @property
    def in_recovery(self) -> bool:
        return bool(self.recovered)


CONFLICT_RETRIES = 3


def save_applying(store: DraftStore, loaded: LoadedDraft, apply: Callable[[Draft], None]) -> Saved:
    """Apply ``apply`` (appended data: a check run, a key a remote step returned, with its
    event) to ``loaded``'s draft and save it, losing it to nothing.

    If another session saved the draft meanwhile, the newer draft is loaded, ``apply`` is
    applied to it and that is saved (``loaded`` then holds it). If the draft cannot take
    it at all (deleted, broken by hand, a full or read-only disk), the draft with the
    result goes to a recovery copy and ``loaded`` points there, so the caller's further
    results follow it; the returned :class:`Saved` says so, for the exit code. Raises
    RecoveryError (after applying) when not even a recovery copy could be written.
    """
    apply(loaded.draft)
    best = loaded  # the most complete version of the draft holding the result
    try:
        try:
            store.save(loaded)
            return Saved(loaded.path)
        except DraftConflictError:
            for attempt in range(CONFLICT_RETRIES):
                fresh = store.load(loaded.path)
                apply(fresh.draft)
                best = fresh
                try:
                    store.save(fresh)
                except DraftConflictError:
                    if attempt == CONFLICT_RETRIES - 1:
                        raise
                    continue
                loaded.draft, loaded.doc, loaded.fingerprint = fresh.draft, fresh.doc, fresh.fingerprint
                return Saved(loaded.path)
    except (DraftError, OSError) as exc:
        reason = error_reason(exc)
    copy = store.save_recovery(best, reason)
    loaded.draft, loaded.doc, loaded.path, loaded.fingerprint = copy.draft, copy.doc, copy.path, copy.fingerprint
    return Saved(copy.path, reason)


def error_reason(exc: BaseException) -> str:
    """A save error as the short reason a banner or a stderr line shows."""
    if isinstance(exc, OSError):
        return _os_reason(exc)
    return str(exc)


def _os_reason(exc: OSError) -> str:
    where = exc.filename
    text = exc.strerror or str(exc)
    return f"{text}: {where}" if where and text != str(exc) else text


# -- files ---------------------------------------------------------------------------------


def _as_new_draft(loaded: LoadedDraft, new_id: str, header: str = "") -> tuple[Draft, tomlkit.TOMLDocument, bytes]:
    """``loaded``'s draft under a new id, in a copy of its document (comments kept)."""
    draft = _copy.deepcopy(loaded.draft)
    draft.id = new_id
    doc = tomlkit.parse(loaded.doc.as_string())  # a copy: the session keeps its own document
    text = dumps(draft, doc)
    if header:
        text = header + text
        doc = tomlkit.parse(text)
    return draft, doc, text.encode("utf-8")


def _reserve(folder: Path, stem: str) -> Path:
    """An empty file ``folder/stem[-N].toml`` that did not exist: created with O_EXCL, so
    two writers (two sessions, two deletes in one second) never get the same name."""
    n = 1
    while True:
        candidate = folder / (f"{stem}{DRAFT_SUFFIX}" if n == 1 else f"{stem}-{n}{DRAFT_SUFFIX}")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            n += 1
            continue
        os.close(fd)
        return candidate


def _private_folder(folder: Path, shared_parent: bool) -> None:
    """Create ``folder`` (0700) if needed. In a world-writable parent (the temp dir),
    refuse a folder someone else made (or a link): they could read what we put there."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not shared_parent:
        return
    st = os.lstat(folder)
    if os.path.islink(folder) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise OSError(errno.EPERM, "not a private folder of this user", str(folder))


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _write_target(path: Path) -> Path:
    """The file a save replaces: a symlinked draft is saved through to its target, so
    the link (and whatever else points at that file) stays as it was."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def _atomic_write(path: Path, data: bytes) -> None:
    target = _write_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = None  # mkstemp's 0600: drafts are private
    if target != path:
        with contextlib.suppress(FileNotFoundError):
            mode = os.stat(target).st_mode & 0o777  # a file shared through a link keeps its mode
    replace_atomically(target, data, mode)


def replace_atomically(target: Path, data: bytes, mode: int | None = None) -> None:
    """Replace ``target`` with ``data``: a temp file beside it (mkstemp: 0600 unless ``mode``),
    fsync, ``os.replace``, then the folder fsynced. A failure leaves the old file whole.

    Drafts, recovery copies and exports all write through here.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            # Held until the file is closed: tells remove_stale_temp a writer is alive.
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def remove_stale_temp(folder: Path, grace: float = TEMP_GRACE_SECONDS) -> list[Path]:
    """Delete temp files of interrupted saves in ``folder``; return what was removed.

    A temp file is removed only when it is older than ``grace`` *and* nobody holds its
    lock: a writer in another process holds one for the whole write (``_atomic_write``),
    and the age covers the instant between its creating the file and locking it.
    """
    removed: list[Path] = []
    try:
        candidates = [p for p in folder.glob(".*.tmp") if _TEMP_NAME.match(p.name)]
    except OSError:
        return removed
    now = time.time()
    for tmp in candidates:
        try:
            st = os.lstat(tmp)
            if now - st.st_mtime < grace or not os.path.isfile(tmp) or os.path.islink(tmp):
                continue
            fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a writer is still at it
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
                removed.append(tmp)
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed
