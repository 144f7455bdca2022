"""Convert Markdown issue text into Atlassian Jira wiki markup for the Jira REST API.

The hotfix templates are written in Markdown (CommonMark plus GFM tables,
strikethrough and ``- [ ]`` task items), but Jira Server/Data Center and the
Cloud REST v2 API store descriptions and comments as *wiki markup*.  This
module walks the markdown-it-py token tree and emits the equivalent wiki
markup; it never rewrites the Markdown source with regular expressions, so
anything Markdown treats as literal text stays literal text in Jira.

Public API: :func:`markdown_to_jira`.

Mapping
-------
* ``#``..``######`` / setext headings -> ``h1. ``..``h6. ``
* paragraphs are separated by one blank line; a soft or hard line break
  inside a paragraph becomes a newline (Jira renders a single newline as a
  line break).  Inside list items, headings and table cells, which must stay
  on one physical line in Jira, a break becomes `` \\\\ `` (Jira's forced
  line break) or, in headings, a space.
* bullet lists -> ``*``, ordered lists -> ``#``, nesting concatenates the
  markers (``**``, ``#*`` ...).  Task items become ``(/) text`` (checked) or
  ``☐ text`` (unchecked).  Ordered-list start numbers are not representable
  in Jira and are dropped.
* fenced code with a language -> ``{code:lang}``; without one (or indented
  code) -> ``{noformat}``.  Content is emitted verbatim.  If the content
  itself contains the closing macro tag, the other macro is used instead;
  if it contains both, ``{noformat`` inside it is defused as ``{ noformat``
  (the only case where code content is altered).
* inline code -> ``{{text}}``.  If the code contains ``{`` or ``}`` it cannot
  be expressed safely inside ``{{ }}`` (Jira ends the span at the first
  ``}}`` and the escaped forms collide with the delimiter), so it falls back
  to *escaped plain text*: every character survives, only the monospace
  styling is lost.
* ``**b**`` -> ``*b*``, ``*e*``/``_e_`` -> ``_e_``, ``~~s~~`` -> ``-s-``.
  Jira only honours these delimiters at word boundaries, so when a
  delimiter touches a letter/digit (e.g. a Korean particle: ```kubectl`로``)
  the brace form ``{*}b{*}`` / ``{{{}code{}}}`` is used instead.  Jira
  phrases cannot span lines, so a phrase containing a paragraph line break
  is closed before the break and reopened after it.
* ``[t](u)`` -> ``[t|u]``; autolinks and links whose text equals the URL ->
  ``[u]``; images -> ``!u!``; ``---`` -> ``----``; blockquotes ->
  ``{quote}``..``{quote}`` (nested quotes are flattened because ``{quote}``
  cannot nest); tables -> ``||h||h||`` / ``|c|c|``.

Escaping rules for ordinary text
--------------------------------
The goal is "escape what Jira would otherwise interpret, leave everything
else readable" (``192.168.1.200-192.168.1.250``, ``metallb-system``,
``<pending>`` all pass through unchanged; Jira HTML-escapes ``<``/``>``
itself).  A backslash is only added where Jira's renderer could act:

* ``{ } [ ] |`` are always escaped (macros, links, table cells).
* ``* _ - + ^ ~`` are escaped only when they could open or close a phrase
  (Jira's rule: an opener is not preceded by a letter/digit and is followed
  by a non-space; a closer follows a non-space and is not followed by a
  letter/digit) *and* a matching partner exists on the same line.
* ``??`` is escaped when a line holds two of them (citation); ``!`` when a
  line holds two of them (image).
* a run of two or more ``-`` surrounded by whitespace would turn into an
  en/em dash or a rule, so its first dash is escaped.
* at the start of a line, ``*``/``#``/``-`` runs followed by whitespace
  (lists, rules) get a backslash on their first user-typed character (the
  run may begin with one of our own delimiters, as in ``*- x*``);
  ``h1.``..``h6.`` and ``bq.`` cannot be
  backslash-escaped, so their first letter is written as an HTML character
  reference (``&#104;`` / ``&#98;``), which Jira renders as the letter.
* emoticons (``(/)``, ``(x)``, ``:)`` ...) are defused with a backslash
  before the parenthesis (``:P``/``:D`` use ``&#58;`` for the colon).
* a literal backslash is kept unless it precedes a character Jira would
  treat as escaped (or another backslash), in which case it is written as
  ``&#92;``; a literal ``&`` that starts an entity-like sequence becomes
  ``&amp;`` so it is not decoded.
* bare ``http://``-style URLs in text are left untouched apart from the
  always-escaped characters, because Jira links them before it looks for
  phrase markup and a backslash would corrupt the link.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

__all__ = ["markdown_to_jira"]

# Built once: the parser is stateless between parse() calls.  html=False makes
# raw HTML (and things like ``<pending>``) plain text, matching what Jira shows.
_MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

# Run kinds produced by the inline walker.
_TEXT = 0  # user text: subject to escaping
_RAW = 1  # our own markup that Jira must not see as phrase delimiters (links, breaks)
_OPEN = 2  # opening phrase delimiter we emit (``*``, ``_``, ``-``, ``{{``)
_CLOSE = 3  # closing phrase delimiter we emit

# Cell kinds used by the escaper.
_C_TEXT = 0
_C_DELIM = 1  # our phrase delimiter: a real partner for user text, so counts for pairing
_C_OPAQUE = 2  # link targets, breaks, markers: tokenised by Jira before phrase rendering

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

_CHECKED = "(/)"  # Jira's "check" emoticon
_UNCHECKED = "\u2610"  # BALLOT BOX; Jira has no unchecked-box emoticon

# Jira's {code} formatter knows a fixed set of names; map common Markdown
# spellings onto them so highlighting works.  Anything else is passed through.
_LANG_ALIASES = {
    "sh": "bash",
    "shell": "bash",
    "zsh": "bash",
    "console": "bash",
    "shell-session": "bash",
    "py": "python",
    "python3": "python",
    "yml": "yaml",
    "js": "javascript",
    "tf": "hcl",
    "terraform": "hcl",
    "golang": "go",
}
_LANG_OK = set("abcdefghijklmnopqrstuvwxyz0123456789#+._-")

_URL_ENCODE = {" ": "%20", "|": "%7C", "[": "%5B", "]": "%5D", "{": "%7B", "}": "%7D"}

_FORCED_BREAK = " \\\\ "


def markdown_to_jira(text: str) -> str:
    """Convert Markdown *text* to Jira wiki markup.

    Returns ``""`` for input that renders to nothing; otherwise the result
    ends with exactly one newline.
    """
    tree = SyntaxTreeNode(_MD.parse(text))
    lines = _Renderer().blocks(tree.children, quote_depth=0)
    return _assemble(lines)


# ---------------------------------------------------------------------------
# Block level
# ---------------------------------------------------------------------------

# A rendered line and whether it is verbatim code content (exempt from the
# trailing-space and blank-line normalisation).
_Line = tuple[str, bool]


def _assemble(lines: list[_Line]) -> str:
    out: list[_Line] = []
    for text, verbatim in lines:
        if not verbatim:
            text = text.rstrip(" \t")
            # Jira ends lists/paragraphs at a blank line; more than one adds
            # nothing but vertical noise, so collapse runs of blank lines.
            if not text and (not out or (not out[-1][0] and not out[-1][1])):
                continue
        out.append((text, verbatim))
    while out and not out[-1][0] and not out[-1][1]:
        out.pop()
    if not out:
        return ""
    return "\n".join(t for t, _ in out) + "\n"


class _Renderer:
    def blocks(self, nodes: list[SyntaxTreeNode], quote_depth: int) -> list[_Line]:
        lines: list[_Line] = []
        for node in nodes:
            block = self.block(node, quote_depth)
            if not block:
                continue
            if lines:
                lines.append(("", False))
            lines.extend(block)
        return lines

    def block(self, node: SyntaxTreeNode, quote_depth: int) -> list[_Line]:
        kind = node.type
        if kind == "heading":
            level = int(node.tag[1]) if node.tag[1:].isdigit() else 1
            body = _inline_of(node, mode="heading")
            return [(f"h{level}. {body}", False)]
        if kind == "paragraph":
            body = _inline_of(node, mode="para")
            return [(line, False) for line in body.split("\n")]
        if kind in ("bullet_list", "ordered_list"):
            return self.list(node, "", quote_depth)
        if kind == "fence":
            return _code_block(node.content, node.info)
        if kind == "code_block":
            return _code_block(node.content, "")
        if kind == "hr":
            return [("----", False)]
        if kind == "blockquote":
            inner = self.blocks(node.children, quote_depth + 1)
            if quote_depth > 0:
                # {quote} does not nest in Jira: an inner {quote} would close
                # the outer one, so nested quotes are flattened.
                return inner
            return [("{quote}", False), *inner, ("{quote}", False)]
        if kind == "table":
            return _table(node)
        if kind == "html_block":
            # Unreachable with html=False, but keep any such content as text.
            runs: list[_Run] = []
            for i, part in enumerate(node.content.rstrip("\n").split("\n")):
                if i:
                    runs.append(_Run(_RAW, "\n"))
                runs.append(_Run(_TEXT, part))
            return [(line, False) for line in _finish(runs, line_start=True).split("\n")]
        if node.children:
            return self.blocks(node.children, quote_depth)
        return []

    def list(self, node: SyntaxTreeNode, prefix: str, quote_depth: int) -> list[_Line]:
        marker = prefix + ("#" if node.type == "ordered_list" else "*")
        lines: list[_Line] = []
        for item in node.children:
            lines.extend(self.list_item(item, marker, quote_depth))
        return lines

    def list_item(self, item: SyntaxTreeNode, marker: str, quote_depth: int) -> list[_Line]:
        # Jira list items are single physical lines, so the leading
        # paragraphs are joined with forced breaks; anything after a nested
        # list or non-paragraph block follows on its own lines.
        head: list[str] = []
        after: list[_Line] = []
        children = item.children
        for index, child in enumerate(children):
            if child.type in ("paragraph", "heading") and not after:
                task = _task_state(child) if index == 0 else None
                head.append(_inline_of(child, mode="item", task=task))
            elif child.type in ("bullet_list", "ordered_list"):
                after.extend(self.list(child, marker, quote_depth))
            else:
                after.extend(self.block(child, quote_depth))
        head = [h for h in head if h.strip()]
        if head:
            first = f"{marker} {_FORCED_BREAK.join(head)}"
        elif children and children[0].type in ("bullet_list", "ordered_list"):
            # "- - foo": Jira accepts a deeper marker without a parent line.
            return after
        else:
            # An empty item needs some content or Jira does not see a list
            # marker at all (it requires whitespace plus text after it).
            first = f"{marker} \\\\"
        return [(first, False), *after]


def _code_block(content: str, info: str) -> list[_Line]:
    if content.endswith("\n"):
        content = content[:-1]
    lang = info.strip().split()[0].lower() if info.strip() else ""
    lang = _LANG_ALIASES.get(lang, lang)
    if lang and not set(lang) <= _LANG_OK:
        # A ":" "|" or "}" in the parameter would corrupt the macro header.
        lang = ""
    lowered = content.lower()
    has_code_tag = "{code" in lowered
    has_noformat_tag = "{noformat" in lowered
    if lang and not has_code_tag:
        open_tag, close_tag = f"{{code:{lang}}}", "{code}"
    elif not has_noformat_tag:
        open_tag, close_tag = "{noformat}", "{noformat}"
    elif not has_code_tag:
        # Body mentions {noformat}; {code:none} is the other verbatim macro.
        open_tag, close_tag = "{code:none}", "{code}"
    else:
        # Both terminators occur: defuse the one that would end our macro.
        open_tag, close_tag = "{noformat}", "{noformat}"
        content = _defuse_tag(content, "{noformat")
    body = [(line, True) for line in content.split("\n")] if content else []
    return [(open_tag, False), *body, (close_tag, False)]


def _defuse_tag(content: str, tag: str) -> str:
    out = []
    i = 0
    lowered = content.lower()
    while True:
        j = lowered.find(tag, i)
        if j < 0:
            out.append(content[i:])
            return "".join(out)
        out.append(content[i:j] + "{ " + content[j + 1 : j + len(tag)])
        i = j + len(tag)


def _table(node: SyntaxTreeNode) -> list[_Line]:
    lines: list[_Line] = []
    for section in node.children:
        for row in section.children:
            cells = []
            header = False
            for cell in row.children:
                header = header or cell.type == "th"
                # An empty cell would produce "||", which Jira reads as a
                # header-cell separator; a single space keeps the cell empty.
                cells.append(_inline_of(cell, mode="cell") or " ")
            sep = "||" if header else "|"
            lines.append((sep + sep.join(cells) + sep, False))
    return lines


def _task_state(paragraph: SyntaxTreeNode) -> bool | None:
    """Return True/False for a ``[x]``/``[ ]`` task paragraph, else None."""
    inline = paragraph.children[0] if paragraph.children else None
    if inline is None or not inline.children:
        return None
    first = inline.children[0]
    if first.type != "text":
        return None
    content = first.content
    if len(content) < 3 or content[0] != "[" or content[2] != "]" or content[1] not in " xX":
        return None
    rest = content[3:]
    if rest and rest[0] not in " \t":
        return None
    if not rest and len(inline.children) > 1 and inline.children[1].type not in (
        "softbreak",
        "hardbreak",
    ):
        return None
    return content[1] != " "


# ---------------------------------------------------------------------------
# Inline level
# ---------------------------------------------------------------------------


@dataclass(eq=False)
class _Pair:
    delim: str
    brace: bool = False


@dataclass
class _Run:
    kind: int
    text: str
    pair: _Pair | None = None


_DELIMS = {"strong": "*", "em": "_", "s": "-"}


def _inline_of(block: SyntaxTreeNode, mode: str, task: bool | None = None) -> str:
    walker = _InlineWalker(mode)
    inline = block.children[0] if block.children else None
    if inline is not None:
        children = list(inline.children)
        if task is not None:
            walker.runs.append(_Run(_RAW, _CHECKED if task else _UNCHECKED))
            rest = children[0].content[3:].lstrip(" \t")
            if rest or len(children) > 1:
                walker.runs.append(_Run(_RAW, " "))
            walker.runs.append(_Run(_TEXT, rest))
            children = children[1:]
            if children and children[0].type in ("softbreak", "hardbreak") and not rest:
                children = children[1:]
        for child in children:
            walker.node(child)
    return _finish(walker.runs, line_start=mode in ("para", "item"))


class _InlineWalker:
    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.runs: list[_Run] = []
        if mode == "para":
            # Jira renders a single newline as <br>, which is what the
            # line-per-sentence templates expect.
            self.soft = self.hard = "\n"
        elif mode == "heading":
            self.soft, self.hard = " ", _FORCED_BREAK
        else:
            # list items and table cells must stay on one physical line.
            self.soft = self.hard = _FORCED_BREAK

    def walk(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            self.node(child)

    def node(self, node: SyntaxTreeNode) -> None:
        kind = node.type
        if kind == "text":
            self.runs.append(_Run(_TEXT, node.content))
        elif kind == "softbreak":
            self.runs.append(_Run(_RAW, self.soft))
        elif kind == "hardbreak":
            self.runs.append(_Run(_RAW, self.hard))
        elif kind == "code_inline":
            self.code(node.content)
        elif kind in _DELIMS:
            pair = _Pair(_DELIMS[kind])
            self.runs.append(_Run(_OPEN, pair.delim, pair))
            self.walk(node)
            self.runs.append(_Run(_CLOSE, pair.delim, pair))
        elif kind == "link":
            self.link(node)
        elif kind == "image":
            self.image(node)
        elif node.children:
            self.walk(node)
        else:
            self.runs.append(_Run(_TEXT, node.content))

    def code(self, content: str) -> None:
        body = content.strip(" ")
        if not body or "{" in body or "}" in body:
            # See module docstring: escaped plain text is the safe fallback.
            self.runs.append(_Run(_TEXT, content))
            return
        lead = content[: len(content) - len(content.lstrip(" "))]
        trail = content[len(content.rstrip(" ")) :]
        pair = _Pair("{{")
        if lead:
            self.runs.append(_Run(_TEXT, lead))
        self.runs.append(_Run(_OPEN, "{{", pair))
        self.runs.append(_Run(_TEXT, body))
        self.runs.append(_Run(_CLOSE, "}}", pair))
        if trail:
            self.runs.append(_Run(_TEXT, trail))

    def link(self, node: SyntaxTreeNode) -> None:
        href = str(node.attrs.get("href", "") or "")
        url = _safe_url(href)
        # Jira's [text|url] cannot span lines, so breaks in the text collapse.
        sub = _InlineWalker(self.mode)
        sub.soft = sub.hard = " "
        sub.walk(node)
        label = "".join(c.content for c in node.children if c.type == "text")
        has_label = any(r.text for r in sub.runs)
        if not url:
            self.runs.extend(sub.runs)
            return
        autolink = node.markup == "autolink" and not href.startswith("mailto:")
        if autolink or not has_label or label in (href, url):
            self.runs.append(_Run(_RAW, f"[{url}]"))
            return
        self.runs.append(_Run(_RAW, "["))
        self.runs.extend(sub.runs)
        self.runs.append(_Run(_RAW, f"|{url}]"))

    def image(self, node: SyntaxTreeNode) -> None:
        src = _safe_url(str(node.attrs.get("src", "") or "")).replace("!", "%21")
        if src:
            self.runs.append(_Run(_RAW, f"!{src}!"))
        else:
            self.walk(node)


def _safe_url(url: str) -> str:
    url = url.replace("\n", "").replace("\r", "").strip()
    return "".join(_URL_ENCODE.get(ch, ch) for ch in url)


# ---------------------------------------------------------------------------
# Escaping and delimiter finishing
# ---------------------------------------------------------------------------


def _is_word(ch: str | None) -> bool:
    # Jira's phrase boundaries are \p{L} / \p{Nd}.
    if ch is None:
        return False
    category = unicodedata.category(ch)
    return category[0] == "L" or category == "Nd"


def _finish(runs: list[_Run], line_start: bool) -> str:
    """Escape user text and pick plain or brace forms for our delimiters."""
    runs = _drop_empty_pairs(_split_pairs_at_newlines(runs))
    chars: list[str] = []
    kinds: list[int] = []
    owner: list[int] = []
    for index, run in enumerate(runs):
        if run.kind == _TEXT:
            kind = _C_TEXT
        elif run.kind in (_OPEN, _CLOSE):
            kind = _C_DELIM
        else:
            kind = _C_OPAQUE
        for ch in run.text:
            chars.append(ch)
            kinds.append(kind)
            owner.append(index)
    escaped = _escape(chars, kinds, line_start)
    parts: list[list[str]] = [[] for _ in runs]
    for i, piece in enumerate(escaped):
        parts[owner[i]].append(piece)
    outputs = ["".join(p) for p in parts]

    for index, run in enumerate(runs):
        if run.pair is None or run.pair.brace:
            continue
        prev = _neighbour(outputs, index, -1)
        nxt = _neighbour(outputs, index, +1)
        if run.kind == _OPEN:
            bad = (prev is not None and (not prev.isascii() or prev.isalnum() or prev == "\\")) or (
                nxt is None or nxt.isspace()
            )
        else:
            bad = (nxt is not None and (not nxt.isascii() or nxt.isalnum())) or (
                prev is None or prev.isspace()
            )
        if bad:
            # Jira (Server and Cloud) accept {*}..{*} where the plain
            # delimiter would touch a letter, digit or non-ASCII character.
            run.pair.brace = True

    result = []
    for index, run in enumerate(runs):
        if run.pair is not None and run.pair.brace:
            if run.text == "{{":
                result.append("{{{}")
            elif run.text == "}}":
                result.append("{}}}")
            else:
                result.append("{" + run.text + "}")
        else:
            result.append(outputs[index])
    return "".join(result)


def _neighbour(outputs: list[str], index: int, step: int) -> str | None:
    i = index + step
    while 0 <= i < len(outputs):
        if outputs[i]:
            return outputs[i][-1] if step < 0 else outputs[i][0]
        i += step
    return None


def _split_pairs_at_newlines(runs: list[_Run]) -> list[_Run]:
    # Jira phrases cannot span lines, so "**a<soft break>b**" is emitted as
    # "*a*" / "*b*": close every open phrase before a newline, reopen after.
    result: list[_Run] = []
    stack: list[_Pair] = []
    current: dict[int, _Pair] = {}  # id(original pair) -> pair currently open
    for run in runs:
        if run.kind == _OPEN and run.pair is not None:
            stack.append(run.pair)
            current[id(run.pair)] = run.pair
            result.append(run)
        elif run.kind == _CLOSE and run.pair is not None:
            pair = current.pop(id(run.pair), run.pair)
            if stack and stack[-1] is run.pair:
                stack.pop()
            result.append(_Run(_CLOSE, run.text, pair))
        elif "\n" in run.text and stack:
            for original in reversed(stack):
                pair = current[id(original)]
                result.append(_Run(_CLOSE, _closing_text(pair.delim), pair))
            result.append(run)
            for original in stack:
                fresh = _Pair(original.delim)
                current[id(original)] = fresh
                result.append(_Run(_OPEN, original.delim, fresh))
        else:
            result.append(run)
    return result


def _closing_text(delim: str) -> str:
    return "}}" if delim == "{{" else delim


def _drop_empty_pairs(runs: list[_Run]) -> list[_Run]:
    # A phrase with no visible content ("**" in Jira) is at best literal
    # asterisks and at worst a list marker, so remove it.
    # Works like bracket matching, so nested empty pairs ("***[](<>)***")
    # collapse completely.
    kept: list[_Run] = []
    for run in runs:
        if run.kind == _CLOSE and kept and kept[-1].kind == _OPEN and kept[-1].pair is run.pair:
            kept.pop()
        elif run.text or run.kind == _OPEN:
            kept.append(run)
    return kept


def _escape(chars: list[str], kinds: list[int], line_start: bool) -> list[str]:
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


def _escape_line(
    chars: list[str], kinds: list[int], out: list[str], lo: int, hi: int, line_start: bool
) -> None:
    def ch(i: int) -> str | None:
        return chars[i] if lo <= i < hi else None

    def esc(i: int) -> None:
        if out[i] == chars[i]:
            out[i] = "\\" + chars[i]

    # Bare URLs: Jira links them before phrase rendering, so leave them alone.
    protected = [False] * (hi - lo)
    i = lo
    while i < hi:
        if kinds[i] == _C_TEXT and not _is_word(ch(i - 1)):
            for scheme in _URL_SCHEMES:
                j = i + len(scheme)
                if j <= hi and "".join(chars[i:j]).lower() == scheme and all(
                    k == _C_TEXT for k in kinds[i:j]
                ):
                    while (
                        j < hi
                        and kinds[j] == _C_TEXT
                        and not chars[j].isspace()
                        and chars[j] not in _URL_STOP
                    ):
                        j += 1
                    for k in range(i, j):
                        protected[k - lo] = True
                    i = j - 1
                    break
        i += 1

    def free_text(i: int) -> bool:
        return kinds[i] == _C_TEXT and not protected[i - lo]

    # 1. Characters that are markup wherever they appear, dashes, emoticons,
    #    entities.
    for i in range(lo, hi):
        if kinds[i] != _C_TEXT:
            continue
        c = chars[i]
        if c in _ALWAYS_ESCAPE:
            esc(i)
        elif c == "-" and not protected[i - lo]:
            # " -- " / " --- " become dashes, "----" a rule.
            prev = ch(i - 1)
            if prev is None or prev.isspace():
                j = i
                while j < hi and chars[j] == "-" and kinds[j] == _C_TEXT:
                    j += 1
                after = ch(j)
                if j - i >= 2 and (after is None or after.isspace()):
                    esc(i)
        elif c == "(" and not protected[i - lo]:
            for symbol in _PAREN_EMOTICONS:
                if _matches(chars, kinds, i, hi, symbol) and not _is_word(ch(i + len(symbol))):
                    esc(i)
                    break
        elif c in ":;" and not protected[i - lo]:
            for symbol in _FACE_EMOTICONS_PAREN:
                if _matches(chars, kinds, i, hi, symbol) and not _is_word(ch(i + 2)):
                    esc(i + 1)
            for symbol in _FACE_EMOTICONS_LETTER:
                if _matches(chars, kinds, i, hi, symbol) and not _is_word(ch(i + 2)):
                    out[i] = "&#58;"
        elif c == "&" and _entity_like(chars, i, hi):
            out[i] = "&amp;"

    # 2. "??" citations and "!image!" need two occurrences on a line.
    cites = []
    i = lo
    while i < hi - 1:
        if chars[i] == "?" and chars[i + 1] == "?" and kinds[i] != _C_OPAQUE:
            cites.append(i)
            i += 2
        else:
            i += 1
    if len(cites) >= 2:
        for i in cites:
            if free_text(i):
                esc(i)
    bangs = [i for i in range(lo, hi) if chars[i] == "!"]
    if len(bangs) >= 2:
        for i in bangs:
            if free_text(i):
                esc(i)

    # 3. Line-start structure: lists, rules, headings, quotes.
    starts = [lo] if line_start else []
    starts += [i + 1 for i in range(lo, hi) if chars[i] in _LINE_BOUNDARIES]
    for s in starts:
        j = s
        while (
            j < hi
            and kinds[j] == _C_TEXT
            and chars[j].isspace()
            and chars[j] not in _LINE_BOUNDARIES
        ):
            j += 1
        if j >= hi or kinds[j] == _C_OPAQUE:
            continue
        c = chars[j]
        if c in "*#-":
            # Our own opening delimiter can be part of the marker run too
            # ("**- x**" -> "*- x*" is a Jira list line), so the run spans
            # delimiter cells and the first user character in it is escaped.
            k = j
            while k < hi and chars[k] in "*#-" and kinds[k] != _C_OPAQUE:
                k += 1
            if k >= hi or chars[k].isspace():
                for m in range(j, k):
                    if kinds[m] == _C_TEXT:
                        esc(m)
                        break
        elif c in "hb" and kinds[j] == _C_TEXT:
            word = "".join(chars[j : j + 3])
            if (c == "h" and len(word) == 3 and word[1] in "123456" and word[2] == ".") or (
                word == "bq."
            ):
                # Letters cannot be backslash-escaped; a character reference
                # renders as the same letter but no longer starts the macro.
                out[j] = "&#104;" if c == "h" else "&#98;"

    # 4. Phrase delimiters (* _ - + ^ ~): escape only those that could pair
    #    up on this line.  Jira replaces "\x" escapes with an inline token
    #    *before* matching phrases, and a token is valid phrase content, so an
    #    escaped neighbour is neutral rather than "the delimiter itself"; e.g.
    #    literal "**x**" must not become "*\*x\**", which Jira still bolds.
    #    Hence: recompute until no new escape appears.
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
            not _is_word(prev)
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
            and not _is_word(nxt)
        )

    changed = True
    while changed:
        changed = False
        first_open: dict[str, int] = {}
        last_close: dict[str, int] = {}
        for i in range(lo, hi):
            c = chars[i]
            if c in _PHRASE_CHARS and out[i] == c and (kinds[i] == _C_DELIM or free_text(i)):
                if can_open(i) and c not in first_open:
                    first_open[c] = i
                if can_close(i):
                    last_close[c] = i
        for i in range(lo, hi):
            c = chars[i]
            if c in _PHRASE_CHARS and out[i] == c and free_text(i):
                if (can_open(i) and last_close.get(c, -1) > i) or (
                    can_close(i) and first_open.get(c, hi) < i
                ):
                    esc(i)
                    changed = True

    # 5. Backslashes last: whether one is literal depends on what follows it
    #    in the final output (including escapes added above).
    for i in range(lo, hi):
        if kinds[i] == _C_TEXT and chars[i] == "\\" and i + 1 < hi:
            following = out[i + 1][0]
            if following in _JIRA_ESCAPABLE or following in "\\:;&" or kinds[i + 1] != _C_TEXT:
                out[i] = "&#92;"


def _matches(chars: list[str], kinds: list[int], i: int, hi: int, symbol: str) -> bool:
    j = i + len(symbol)
    return j <= hi and "".join(chars[i:j]) == symbol and all(k == _C_TEXT for k in kinds[i:j])


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
