"""Make text from data safe to show on a terminal: controls and bidi overrides become visible.

Rule 5 of the project: text from a draft, a server or command output is data, never
terminal code. A summary holding ``ESC ]52;c;…BEL`` must not set the clipboard, and
``U+202E`` must not reverse what the reader sees. Rich and Textual pass ESC through, so
every widget, title, toast, list and CLI output to a terminal goes through ``visible``.

Plain Python (no Textual), so the CLI, the app and the tests share one definition.
"""

from __future__ import annotations

import re

# C0 controls (except tab and newline), DEL, C1 controls; bidi embeddings, overrides and
# isolates (they reorder what follows them on screen); line/paragraph separators.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f\u061c]")
# Stripped from typed and pasted field text: the same set, minus nothing (a field is data).
_STRIP = _UNSAFE


def _picture(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 control pictures: ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return f"\\x{code:02x}"  # C1 (CSI 0x9b, OSC 0x9d...) have no control picture
    return f"⟨U+{code:04X}⟩"


def visible(text: str) -> str:
    """``text`` with every control (except newline and tab) and bidi control made visible."""
    if not text or not _UNSAFE.search(text):
        return text  # the common case: clean text, returned as is (byte-exact)
    return _UNSAFE.sub(_picture, text)


def visible_line(text: str) -> str:
    """Like ``visible`` for one-line places (list cells, titles, toasts' heads): newlines shown as ⏎."""
    return visible(text).replace("\r\n", "⏎").replace("\n", "⏎")


def escape_for_json(text: str) -> str:
    """JSON text with every control and bidi control written as a ``\\uXXXX`` escape: the
    same data for a JSON reader, nothing a terminal obeys (``json`` escapes only C0)."""
    if not text or not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def strip_controls(text: str) -> str:
    """Typed or pasted field text without controls (newline and tab kept)."""
    if not text or not _STRIP.search(text):
        return text
    return _STRIP.sub("", text)


def has_controls(text: str) -> bool:
    return bool(text) and _UNSAFE.search(text) is not None



def visible_text(text):
    """A Rich ``Text`` with its plain text made visible, each styled run keeping its style.

    Duck-typed (this module imports neither Rich nor Textual); clean text is returned as is.
    """
    plain = text.plain
    if not has_controls(plain):
        return text
    out = text.blank_copy()
    # Piece by piece between span edges: a picture may be longer than the control it
    # shows, so styles are re-applied to each piece's new extent.
    cuts = sorted({0, len(plain), *(s.start for s in text.spans), *(s.end for s in text.spans)})
    for start, end in zip(cuts, cuts[1:]):
        piece = text[start:end]
        shown = visible(piece.plain)
        begin = len(out.plain)
        out.append(shown)
        for span in piece.spans:
            out.stylize(span.style, begin, begin + len(shown))
    return out
