"""Undo histories, free of any UI: a one-line field's edits grouped into words, and the draft's last changes.

``LineHistory`` is what ctrl+z / ctrl+y walk in a one-line field (Textual's Input has no
undo of its own; its TextArea has). Typed characters are grouped as an editor groups
them: a word and the space after it are one step, a run of Backspaces is one step, and a
paste, a cut or a typed key that replaces a selection is a step of its own, so undoing
a mistaken replace brings the whole previous text back in one key.

``ChangeHistory`` is the draft-level "undo last change" (alt+z): the last few edits of any
field (text, list, select, tick, a row's cell), one entry per burst of edits to one field,
each restoring the value the field had before the burst, even after the user has moved
to another field or phase.

Both are bounded and cost O(1) per keystroke: values are kept by reference (strings are
immutable; a list is copied once, when its burst starts), nothing deep-copies the draft.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Callable

LINE_STEPS = 100  # ctrl+z steps kept per one-line field (each holds at most the field's limit)
DRAFT_CHANGES = 20  # alt+z entries kept per open draft


# -- one-line fields (ctrl+z / ctrl+y) -----------------------------------------------------


@dataclass
class _Step:
    before: str  # the field's value before the step
    cursor: int  # where the cursor was before it
    after: str = ""  # its value after the step (filled when the step is undone)
    after_cursor: int = 0


class LineHistory:
    """Undo/redo for one line of text, fed with every edit as ``(start, end, text)``.

    ``edit`` is called after each replacement of ``value[start:end]`` by ``text``. A value
    set by the program in between (not through ``edit``) is noticed at the next edit or
    undo and becomes a step of its own, so it can be undone too.
    """

    def __init__(self, value: str = "", limit: int = LINE_STEPS):
        self._undo: deque[_Step] = deque(maxlen=limit)
        self._redo: list[_Step] = []
        self._value = value  # the value after the last recorded edit
        self._kind = ""  # the open step's kind: "insert" | "delete" | "" (closed)
        self._pos = -1  # insert: where the next typed character continues the step; delete: its left edge
        self._last = ""  # the last character typed into the open step

    def close(self) -> None:
        """The next edit starts a new step (the cursor moved, the field lost focus)."""
        self._kind = ""

    def _sync(self, value: str, cursor: int) -> None:
        if value is not self._value and value != self._value:
            self._undo.append(_Step(self._value, min(cursor, len(self._value))))
            self._redo.clear()
            self._value = value
            self._kind = ""

    def edit(self, before: str, cursor: int, start: int, end: int, text: str, after: str) -> None:
        """``before[start:end]`` became ``text`` (giving ``after``); ``cursor`` was where it stood."""
        if after == before:
            return
        self._sync(before, cursor)
        if start == end and len(text) == 1:
            kind = "insert"
        elif not text and end - start == 1:
            kind = "delete"
        else:
            kind = "replace"
        if not self._continues(kind, start, end, text):
            self._undo.append(_Step(before, cursor))
        self._redo.clear()
        self._value = after
        if kind == "insert":
            self._kind, self._pos, self._last = kind, start + 1, text
        elif kind == "delete":
            self._kind, self._pos = kind, start
        else:
            self._kind = ""  # a paste or a replaced selection is a step of its own

    def _continues(self, kind: str, start: int, end: int, text: str) -> bool:
        if not self._undo or kind != self._kind:
            return False
        if kind == "insert":
            # A word and the spaces after it are one step; the next word starts a new one.
            return start == self._pos and not (self._last.isspace() and not text.isspace())
        # Backspace (its end is the step's left edge) or Delete (same start), contiguous.
        return end == self._pos or start == self._pos

    def undo(self, value: str, cursor: int) -> tuple[str, int] | None:
        """The value and cursor to show after ctrl+z, or None when there is nothing to undo."""
        self._sync(value, cursor)
        if not self._undo:
            return None
        step = self._undo.pop()
        step.after, step.after_cursor = value, cursor
        self._redo.append(step)
        self._value, self._kind = step.before, ""
        return step.before, step.cursor

    def redo(self, value: str, cursor: int) -> tuple[str, int] | None:
        """The value and cursor to show after ctrl+y, or None when nothing was undone."""
        if value != self._value or not self._redo:
            self._redo.clear()  # the text changed since the undo: redoing would drop that edit
            return None
        step = self._redo.pop()
        self._undo.append(step)
        self._value, self._kind = step.after, ""
        return step.after, step.after_cursor

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)


# -- the draft (alt+z) ---------------------------------------------------------------------


@dataclass
class Change:
    """One burst of edits to one field: ``target.attr`` was ``old`` before it, ``new`` after."""

    target: Any  # the object holding the value (draft.backlog, a timeline row, …)
    attr: str
    old: Any
    new: Any
    label: str  # the field's name as the user knows it
    where: str = ""  # the phase it was made in
    token: Any = None  # the editing widget: a burst continues only in the same one
    valid: Callable[[], bool] | None = None  # False once the target is gone (a removed row)
    display: Callable[[Any], str] | None = None  # how the field shows a value (a timeline time)

    def current(self) -> Any:
        return getattr(self.target, self.attr)


def _kept(value: Any) -> Any:
    """``value`` as the history keeps it: lists are copied (they may be changed in place)."""
    return list(value) if isinstance(value, list) else value


class ChangeHistory:
    """The last ``limit`` field edits of one open draft, newest last.

    ``record`` is called on every write of a field, before or after the value is stored
    (``old`` is passed explicitly); consecutive writes to the same field through the same
    widget are one entry until ``close`` (focus left the field, an undo happened).
    ``undo`` puts the newest entry's old value back into its target and returns it;
    entries whose value is already back, or whose target is gone, are skipped.
    """

    def __init__(self, owner: Any = None, limit: int = DRAFT_CHANGES):
        self.owner = owner  # the draft this history belongs to
        self._entries: deque[Change] = deque(maxlen=limit)
        self._open = False

    def __len__(self) -> int:
        return len(self._entries)

    def close(self) -> None:
        self._open = False

    def record(self, target: Any, attr: str, old: Any, new: Any, *, label: str, where: str = "",
               token: Any = None, valid: Callable[[], bool] | None = None,
               display: Callable[[Any], str] | None = None) -> None:
        last = self._entries[-1] if self._entries else None
        if (self._open and last is not None and last.target is target and last.attr == attr
                and last.token is token):
            last.new = new  # the same burst: only its end moves
            return
        if old is new or old == new:
            return  # a program putting the stored value back into its widget: no edit
        self._entries.append(Change(target, attr, _kept(old), new, label, where, token, valid, display))
        self._open = True

    def undo(self) -> Change | None:
        """Restore the newest change that still changes something; None when there is none."""
        self._open = False
        while self._entries:
            change = self._entries.pop()
            if change.valid is not None and not change.valid():
                continue
            if change.current() == change.old:
                continue  # edited back by hand already: nothing to restore
            change.new = _kept(change.current())
            setattr(change.target, change.attr, _kept(change.old))
            return change
        return None
