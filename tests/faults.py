"""Injected disk faults for tests that run as root (where chmod 0500 stops nothing).

A full disk or a read-only folder is simulated at the boundary where the OS would refuse:
creating a file (``os.open`` with O_CREAT, ``tempfile.mkstemp``) and renaming a temp file
into place (``os.replace``). Only paths inside the named folders are refused.
"""

from __future__ import annotations

import errno
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RefusedWrites:
    """What was refused (for "it stopped retrying" assertions); ``active = False`` frees
    the disk again."""

    folders: list[Path]
    err: int
    active: bool = True
    refused: list[str] = field(default_factory=list)

    def blocks(self, path) -> bool:
        if not self.active:
            return False
        target = Path(os.fspath(path)).resolve()
        return any(target == f or target.is_relative_to(f) for f in self.folders)

    def fail(self, path) -> None:
        self.refused.append(str(path))
        raise OSError(self.err, os.strerror(self.err), str(path))


def refuse_writes(monkeypatch, *folders: Path, err: int = errno.ENOSPC) -> RefusedWrites:
    """Make every save into ``folders`` fail with ``err`` (ENOSPC: disk full; EACCES or
    EROFS: a folder that cannot be written)."""
    state = RefusedWrites([Path(f).resolve() for f in folders], err)
    real_replace, real_mkstemp, real_open = os.replace, tempfile.mkstemp, os.open

    def replace(src, dst, *args, **kwargs):
        if state.blocks(dst):
            state.fail(dst)
        return real_replace(src, dst, *args, **kwargs)

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and state.blocks(dir):
            state.fail(dir)
        return real_mkstemp(*args, dir=dir, **kwargs)

    def open_(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and state.blocks(path):
            state.fail(path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(os, "open", open_)
    return state
