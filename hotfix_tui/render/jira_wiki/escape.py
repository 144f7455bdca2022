"""Jira wiki escaping of user text: which characters Jira would read as markup, in named passes.

The inline layer (``inline.py``) hands over one string as *cells*: each character with
its kind (user text, one of our own phrase delimiters, or opaque markup such as a link
target). ``escape`` returns one output piece per cell: the character, or its escaped form.
The rules and why each exists are in the package docstring; each pass below is one rule.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Cell kinds used by the escaper.
C_TEXT = 0
C_DELIM = 1  # our phrase delimiter: a real partner for user text, so counts for pairing
C_OPAQUE = 2  # link targets, breaks, markers: tokenised by Jira before phrase rendering

_PHRASE_CHARS = "*_-+^~"
_ALWAYS_ESCAPE = "{}[]|"
# Characters Jira's BackslashEscapeRendererComponent consumes after a backslash.
_JIRA_ESCAPABLE = set("-#*_+?^~|%{}[]()!@")
_URL_SCHEMES = ("http://", "https://", "ftp://", "irc://", "mailto:")
_URL_STOP = set("[]{}|<>\"")
# Python's str.splitlines() boundaries; a Jira line-start rule may fire after any of them.
_LINE_BOUNDARIES = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Jira's default emoticons that start with "(" (escaped with a backslash before "(").
_PAREN_EMOTICONS = (
    "(flagoff)",
    "(flag)",
    "(off)",
    "(on)",
    "(*r)",
    "(*g)",
    "(*b)",
    "(*y)",
    "(*)",
    "(y)",
    "(n)",
    "(i)",
    "(/)",
    "(x)",
    "(!)",
    "(+)",
    "(-)",
    "(?)",
)
_FACE_EMOTICONS_PAREN = (":)", ":(", ";)")  # defuse by escaping the parenthesis
_FACE_EMOTICONS_LETTER = (":P", ":D")  # letters cannot be escaped; the colon is encoded


def is_word(ch: str | None) -> bool:
    # Jira's phrase boundaries are \p{L} / \p{Nd}.
    if ch is None:
        return False
    category = unicodedata.category(ch)
    return category[0] == "L" or category == "Nd"


def escape(chars: list[str], kinds: list[int], line_start: bool) -> list[str]:
    """One output piece per cell, line by line (Jira's rules apply within a physical line)."""
    out = list(chars)
    n = len(chars)
    start = 0
    first_line = True
    while start <= n:
        end = start
        while end < n and chars[end] != "\n":
            end += 1
        _escape_line(chars, kinds, out, start, end, line_start or not first_line)
        first_line = False
        start = end + 1
    return out


@dataclass
class _LineCells:
    """One physical line, ``chars[lo:hi]``, whose escaped pieces are written into ``out``."""

    chars: list[str]
    kinds: list[int]
    out: list[str]
    lo: int
    hi: int
    protected: list[bool]  # inside a bare URL: Jira links it before it looks for markup

    def ch(self, i: int) -> str | None:
        return self.chars[i] if self.lo <= i < self.hi else None

    def esc(self, i: int) -> None:
        if self.out[i] == self.chars[i]:
            self.out[i] = "\\" + self.chars[i]

    def free_text(self, i: int) -> bool:
        return self.kinds[i] == C_TEXT and not self.protected[i - self.lo]


def _escape_line(chars: list[str], kinds: list[int], out: list[str], lo: int, hi: int, line_start: bool) -> None:
    line = _LineCells(chars, kinds, out, lo, hi, _bare_urls(chars, kinds, lo, hi))
    _escape_markup_characters(line)
    _escape_paired_markers(line)
    _escape_line_starts(line, line_start)
    _escape_phrase_delimiters(line)
    _escape_backslashes(line)


def _bare_urls(chars: list[str], kinds: list[int], lo: int, hi: int) -> list[bool]:
    """Which cells of the line belong to a bare ``http://``-style URL."""
    protected = [False] * (hi - lo)
    i = lo
    while i < hi:
        if kinds[i] == C_TEXT and not is_word(chars[i - 1] if lo <= i - 1 < hi else None):
            for scheme in _URL_SCHEMES:
                j = i + len(scheme)
                if j <= hi and "".join(chars[i:j]).lower() == scheme and all(
                    k == C_TEXT for k in kinds[i:j]
                ):
                    while (
                        j < hi
                        and kinds[j] == C_TEXT
                        and not chars[j].isspace()
                        and chars[j] not in _URL_STOP
                    ):
                        j += 1
                    for k in range(i, j):
                        protected[k - lo] = True
                    i = j - 1
                    break
        i += 1
    return protected


def _escape_markup_characters(line: _LineCells) -> None:
    """Characters that are markup wherever they appear; dashes, emoticons, entities."""
    chars, kinds, out, lo, hi = line.chars, line.kinds, line.out, line.lo, line.hi
    for i in range(lo, hi):
        if kinds[i] != C_TEXT:
            continue
        c = chars[i]
        if c in _ALWAYS_ESCAPE:
            line.esc(i)
        elif c == "-" and not line.protected[i - lo]:
            # " -- " / " --- " become dashes, "----" a rule.
            prev = line.ch(i - 1)
            if prev is None or prev.isspace():
                j = i
                while j < hi and chars[j] == "-" and kinds[j] == C_TEXT:
                    j += 1
                after = line.ch(j)
                if j - i >= 2 and (after is None or after.isspace()):
                    line.esc(i)
        elif c == "(" and not line.protected[i - lo]:
            for symbol in _PAREN_EMOTICONS:
                if _matches(chars, kinds, i, hi, symbol) and not is_word(line.ch(i + len(symbol))):
                    line.esc(i)
                    break
        elif c in ":;" and not line.protected[i - lo]:
            for symbol in _FACE_EMOTICONS_PAREN:
                if _matches(chars, kinds, i, hi, symbol) and not is_word(line.ch(i + 2)):
                    line.esc(i + 1)
            for symbol in _FACE_EMOTICONS_LETTER:
                if _matches(chars, kinds, i, hi, symbol) and not is_word(line.ch(i + 2)):
                    out[i] = "&#58;"
        elif c == "&" and _entity_like(chars, i, hi):
            out[i] = "&amp;"


def _escape_paired_markers(line: _LineCells) -> None:
    """"??" citations and "!image!" need two occurrences on a line."""
    chars, kinds, lo, hi = line.chars, line.kinds, line.lo, line.hi
    cites = []
    i = lo
    while i < hi - 1:
        if chars[i] == "?" and chars[i + 1] == "?" and kinds[i] != C_OPAQUE:
            cites.append(i)
            i += 2
        else:
            i += 1
    if len(cites) >= 2:
        for i in cites:
            if line.free_text(i):
                line.esc(i)
    bangs = [i for i in range(lo, hi) if chars[i] == "!"]
    if len(bangs) >= 2:
        for i in bangs:
            if line.free_text(i):
                line.esc(i)


def _escape_line_starts(line: _LineCells, line_start: bool) -> None:
    """Line-start structure: lists, rules, headings, quotes."""
    chars, kinds, out, lo, hi = line.chars, line.kinds, line.out, line.lo, line.hi
    starts = [lo] if line_start else []
    starts += [i + 1 for i in range(lo, hi) if chars[i] in _LINE_BOUNDARIES]
    for s in starts:
        j = s
        while (
            j < hi
            and kinds[j] == C_TEXT
            and chars[j].isspace()
            and chars[j] not in _LINE_BOUNDARIES
        ):
            j += 1
        if j >= hi or kinds[j] == C_OPAQUE:
            continue
        c = chars[j]
        if c in "*#-":
            # Our own opening delimiter can be part of the marker run too
            # ("**- x**" -> "*- x*" is a Jira list line), so the run spans
            # delimiter cells and the first user character in it is escaped.
            k = j
            while k < hi and chars[k] in "*#-" and kinds[k] != C_OPAQUE:
                k += 1
            if k >= hi or chars[k].isspace():
                for m in range(j, k):
                    if kinds[m] == C_TEXT:
                        line.esc(m)
                        break
        elif c in "hb" and kinds[j] == C_TEXT:
            word = "".join(chars[j : j + 3])
            if (c == "h" and len(word) == 3 and word[1] in "123456" and word[2] == ".") or (
                word == "bq."
            ):
                # Letters cannot be backslash-escaped; a character reference
                # renders as the same letter but no longer starts the macro.
                out[j] = "&#104;" if c == "h" else "&#98;"


def _escape_phrase_delimiters(line: _LineCells) -> None:
    """Phrase delimiters (* _ - + ^ ~): escape only those that could pair up on this line.

    Jira replaces "\\x" escapes with an inline token *before* matching phrases, and a
    token is valid phrase content, so an escaped neighbour is neutral rather than "the
    delimiter itself"; e.g. literal "**x**" must not become "*\\*x\\**", which Jira still
    bolds. Hence: recompute until no new escape appears.
    """
    chars, kinds, out, lo, hi = line.chars, line.kinds, line.out, line.lo, line.hi
    neutral = "\ufffc"

    def eff(i: int) -> str | None:
        if not lo <= i < hi:
            return None
        return neutral if out[i] != chars[i] else chars[i]

    # Jira's phrase pattern: the opener is not preceded by a letter, digit or
    # backslash and is followed by a character that is neither whitespace nor
    # the delimiter itself; the closer mirrors that.
    def can_open(i: int) -> bool:
        prev, nxt = eff(i - 1), eff(i + 1)
        return (
            not is_word(prev)
            and prev != "\\"
            and nxt is not None
            and not nxt.isspace()
            and nxt != chars[i]
        )

    def can_close(i: int) -> bool:
        prev, nxt = eff(i - 1), eff(i + 1)
        return (
            prev is not None
            and not prev.isspace()
            and prev not in ("\\", chars[i])
            and not is_word(nxt)
        )

    changed = True
    while changed:
        changed = False
        first_open: dict[str, int] = {}
        last_close: dict[str, int] = {}
        for i in range(lo, hi):
            c = chars[i]
            if c in _PHRASE_CHARS and out[i] == c and (kinds[i] == C_DELIM or line.free_text(i)):
                if can_open(i) and c not in first_open:
                    first_open[c] = i
                if can_close(i):
                    last_close[c] = i
        for i in range(lo, hi):
            c = chars[i]
            if c in _PHRASE_CHARS and out[i] == c and line.free_text(i):
                if (can_open(i) and last_close.get(c, -1) > i) or (
                    can_close(i) and first_open.get(c, hi) < i
                ):
                    line.esc(i)
                    changed = True


def _escape_backslashes(line: _LineCells) -> None:
    """Backslashes last: whether one is literal depends on what follows it in the final
    output (including the escapes the passes before added)."""
    chars, kinds, out, hi = line.chars, line.kinds, line.out, line.hi
    for i in range(line.lo, hi):
        if kinds[i] == C_TEXT and chars[i] == "\\" and i + 1 < hi:
            following = out[i + 1][0]
            if following in _JIRA_ESCAPABLE or following in "\\:;&" or kinds[i + 1] != C_TEXT:
                out[i] = "&#92;"


def _matches(chars: list[str], kinds: list[int], i: int, hi: int, symbol: str) -> bool:
    j = i + len(symbol)
    return j <= hi and "".join(chars[i:j]) == symbol and all(k == C_TEXT for k in kinds[i:j])


def _entity_like(chars: list[str], i: int, hi: int) -> bool:
    # "&name;", "&#123;" or "&#x1F;" would be decoded by Jira as an entity.
    j = i + 1
    if j < hi and chars[j] == "#":
        j += 1
        hexa = j < hi and chars[j] in "xX"
        if hexa:
            j += 1
        digits = "0123456789abcdefABCDEF" if hexa else "0123456789"
        k = j
        while k < hi and chars[k] in digits:
            k += 1
        return k > j and k < hi and chars[k] == ";"
    k = j
    while k < hi and chars[k].isascii() and chars[k].isalnum():
        k += 1
    return k > j and chars[j].isalpha() and k < hi and chars[k] == ";"
