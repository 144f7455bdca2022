"""Jira wiki inline markup: a block's inline Markdown tokens → runs → one escaped line of text.

The walker turns markdown-it's inline nodes into *runs*: user text, our own raw markup
(link brackets, breaks), and phrase delimiters we emit in open/close pairs. ``finish``
hands the runs to the escaper (``escape.py``) as cells and then picks, for each of our
delimiter pairs, the plain form (``*b*``) or the brace form (``{*}b{*}``) Jira needs
where a delimiter touches a letter.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.tree import SyntaxTreeNode

from .escape import C_DELIM, C_OPAQUE, C_TEXT, escape

# Run kinds produced by the inline walker.
TEXT = 0  # user text: subject to escaping
RAW = 1  # our own markup that Jira must not see as phrase delimiters (links, breaks)
OPEN = 2  # opening phrase delimiter we emit (``*``, ``_``, ``-``, ``{{``)
CLOSE = 3  # closing phrase delimiter we emit

_CHECKED = "(/)"  # Jira's "check" emoticon
_UNCHECKED = "\u2610"  # BALLOT BOX; Jira has no unchecked-box emoticon

_URL_ENCODE = {" ": "%20", "|": "%7C", "[": "%5B", "]": "%5D", "{": "%7B", "}": "%7D"}

FORCED_BREAK = " \\\\ "  # Jira's forced line break, for lines that must stay one physical line


@dataclass(eq=False)
class Pair:
    delim: str
    brace: bool = False


@dataclass
class Run:
    kind: int
    text: str
    pair: Pair | None = None


_DELIMS = {"strong": "*", "em": "_", "s": "-"}


def inline_of(block: SyntaxTreeNode, mode: str, task: bool | None = None) -> str:
    walker = _InlineWalker(mode)
    inline = block.children[0] if block.children else None
    if inline is not None:
        children = list(inline.children)
        if task is not None:
            walker.runs.append(Run(RAW, _CHECKED if task else _UNCHECKED))
            rest = children[0].content[3:].lstrip(" \t")
            if rest or len(children) > 1:
                walker.runs.append(Run(RAW, " "))
            walker.runs.append(Run(TEXT, rest))
            children = children[1:]
            if children and children[0].type in ("softbreak", "hardbreak") and not rest:
                children = children[1:]
        for child in children:
            walker.node(child)
    return finish(walker.runs, line_start=mode in ("para", "item"))


class _InlineWalker:
    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.runs: list[Run] = []
        if mode == "para":
            # Jira renders a single newline as <br>, which is what the
            # line-per-sentence templates expect.
            self.soft = self.hard = "\n"
        elif mode == "heading":
            self.soft, self.hard = " ", FORCED_BREAK
        else:
            # list items and table cells must stay on one physical line.
            self.soft = self.hard = FORCED_BREAK

    def walk(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            self.node(child)

    def node(self, node: SyntaxTreeNode) -> None:
        kind = node.type
        if kind == "text":
            self.runs.append(Run(TEXT, node.content))
        elif kind == "softbreak":
            self.runs.append(Run(RAW, self.soft))
        elif kind == "hardbreak":
            self.runs.append(Run(RAW, self.hard))
        elif kind == "code_inline":
            self.code(node.content)
        elif kind in _DELIMS:
            pair = Pair(_DELIMS[kind])
            self.runs.append(Run(OPEN, pair.delim, pair))
            self.walk(node)
            self.runs.append(Run(CLOSE, pair.delim, pair))
        elif kind == "link":
            self.link(node)
        elif kind == "image":
            self.image(node)
        elif node.children:
            self.walk(node)
        else:
            self.runs.append(Run(TEXT, node.content))

    def code(self, content: str) -> None:
        body = content.strip(" ")
        if not body or "{" in body or "}" in body:
            # See module docstring: escaped plain text is the safe fallback.
            self.runs.append(Run(TEXT, content))
            return
        lead = content[: len(content) - len(content.lstrip(" "))]
        trail = content[len(content.rstrip(" ")) :]
        pair = Pair("{{")
        if lead:
            self.runs.append(Run(TEXT, lead))
        self.runs.append(Run(OPEN, "{{", pair))
        self.runs.append(Run(TEXT, body))
        self.runs.append(Run(CLOSE, "}}", pair))
        if trail:
            self.runs.append(Run(TEXT, trail))

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
            self.runs.append(Run(RAW, f"[{url}]"))
            return
        self.runs.append(Run(RAW, "["))
        self.runs.extend(sub.runs)
        self.runs.append(Run(RAW, f"|{url}]"))

    def image(self, node: SyntaxTreeNode) -> None:
        src = _safe_url(str(node.attrs.get("src", "") or "")).replace("!", "%21")
        if src:
            self.runs.append(Run(RAW, f"!{src}!"))
        else:
            self.walk(node)


def _safe_url(url: str) -> str:
    url = url.replace("\n", "").replace("\r", "").strip()
    return "".join(_URL_ENCODE.get(ch, ch) for ch in url)


def finish(runs: list[Run], line_start: bool) -> str:
    """Escape user text and pick plain or brace forms for our delimiters."""
    runs = _drop_empty_pairs(_split_pairs_at_newlines(runs))
    chars: list[str] = []
    kinds: list[int] = []
    owner: list[int] = []
    for index, run in enumerate(runs):
        if run.kind == TEXT:
            kind = C_TEXT
        elif run.kind in (OPEN, CLOSE):
            kind = C_DELIM
        else:
            kind = C_OPAQUE
        for ch in run.text:
            chars.append(ch)
            kinds.append(kind)
            owner.append(index)
    escaped = escape(chars, kinds, line_start)
    parts: list[list[str]] = [[] for _ in runs]
    for i, piece in enumerate(escaped):
        parts[owner[i]].append(piece)
    outputs = ["".join(p) for p in parts]

    for index, run in enumerate(runs):
        if run.pair is None or run.pair.brace:
            continue
        prev = _neighbour(outputs, index, -1)
        nxt = _neighbour(outputs, index, +1)
        if run.kind == OPEN:
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


def _split_pairs_at_newlines(runs: list[Run]) -> list[Run]:
    # Jira phrases cannot span lines, so "**a<soft break>b**" is emitted as
    # "*a*" / "*b*": close every open phrase before a newline, reopen after.
    result: list[Run] = []
    stack: list[Pair] = []
    current: dict[int, Pair] = {}  # id(original pair) -> pair currently open
    for run in runs:
        if run.kind == OPEN and run.pair is not None:
            stack.append(run.pair)
            current[id(run.pair)] = run.pair
            result.append(run)
        elif run.kind == CLOSE and run.pair is not None:
            pair = current.pop(id(run.pair), run.pair)
            if stack and stack[-1] is run.pair:
                stack.pop()
            result.append(Run(CLOSE, run.text, pair))
        elif "\n" in run.text and stack:
            for original in reversed(stack):
                pair = current[id(original)]
                result.append(Run(CLOSE, _closing_text(pair.delim), pair))
            result.append(run)
            for original in stack:
                fresh = Pair(original.delim)
                current[id(original)] = fresh
                result.append(Run(OPEN, original.delim, fresh))
        else:
            result.append(run)
    return result


def _closing_text(delim: str) -> str:
    return "}}" if delim == "{{" else delim


def _drop_empty_pairs(runs: list[Run]) -> list[Run]:
    # A phrase with no visible content ("**" in Jira) is at best literal
    # asterisks and at worst a list marker, so remove it.
    # Works like bracket matching, so nested empty pairs ("***[](<>)***")
    # collapse completely.
    kept: list[Run] = []
    for run in runs:
        if run.kind == CLOSE and kept and kept[-1].kind == OPEN and kept[-1].pair is run.pair:
            kept.pop()
        elif run.text or run.kind == OPEN:
            kept.append(run)
    return kept
