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
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import tomllib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table

from .model import SCHEMA_VERSION, Draft, DraftFormatError, from_dict, now_iso

DRAFT_SUFFIX = ".toml"
LOCK_NAME = ".hotfix-drafts.lock"
TRASH_DIR = ".trash"


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
    hints = typing.get_type_hints(type(obj))
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

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    # locking: one lock for the folder is enough (saves take milliseconds) and keeps
    # the folder free of a lock file per draft.
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / LOCK_NAME, "a+b") as lock:
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
            else:
                stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M")
                path = self._unique_path(stamp)
            draft.id = path.stem
            if not draft.created_at:
                draft.created_at = now_iso()
            doc = new_document(draft)
            data = doc.as_string().encode("utf-8")
            _atomic_write(path, data)
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
        """Write the in-memory draft beside the original (the way out of a conflict)."""
        stamp = _dt.datetime.now().strftime("%H%M%S")
        with self._locked():
            path = self._unique_path(f"{loaded.path.stem}-copy-{stamp}")
            data = dumps(loaded.draft, loaded.doc).encode("utf-8")
            _atomic_write(path, data)
        return path

    def delete(self, path: Path) -> Path:
        """Move a draft to ``.trash/`` (a backup, not a deletion) and return where."""
        path = Path(path)
        trash = self.folder / TRASH_DIR
        trash.mkdir(parents=True, exist_ok=True)
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = trash / f"{path.stem}-{stamp}{DRAFT_SUFFIX}"
        with self._locked():
            shutil.move(str(path), target)
        return target

    def paths(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob(f"*{DRAFT_SUFFIX}") if not p.name.startswith("."))

    def list(self) -> list[DraftInfo]:
        """Every draft in the folder, newest save first; broken files included, marked."""
        infos = []
        for path in self.paths():
            try:
                mtime = path.stat().st_mtime
            except FileNotFoundError:
                continue
            try:
                with open(path, "rb") as fh:
                    data = tomllib.load(fh)
                draft = from_dict(data)
                schema = data.get("schema")
                if not isinstance(schema, int) or schema > SCHEMA_VERSION:
                    raise DraftFormatError(f"unsupported schema {schema!r}")
            except (tomllib.TOMLDecodeError, DraftFormatError, UnicodeDecodeError, OSError) as exc:
                infos.append(DraftInfo(path.stem, path, "", "", "", mtime, "", error=str(exc)))
                continue
            infos.append(
                DraftInfo(
                    id=draft.id or path.stem,
                    path=path,
                    jira_key=draft.backlog.jira_key,
                    title=draft.backlog.summary,
                    phase=draft.phase,
                    saved_at=mtime,
                    created_at=draft.created_at,
                )
            )
        infos.sort(key=lambda info: info.saved_at, reverse=True)
        return infos

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


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
