"""Jira wiki block markup: headings, paragraphs, lists, code, quotes and tables, line by line.

``BlockRenderer`` walks markdown-it's block tree and returns lines (text, verbatim?);
``assemble`` joins them, collapsing blank-line runs outside code. Inline content of each
block is rendered by ``inline.inline_of``.
"""

from __future__ import annotations

from markdown_it.tree import SyntaxTreeNode

from .inline import FORCED_BREAK, RAW, TEXT, Run, finish, inline_of

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


# A rendered line and whether it is verbatim code content (exempt from the
# trailing-space and blank-line normalisation).
_Line = tuple[str, bool]


def assemble(lines: list[_Line]) -> str:
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


class BlockRenderer:
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
            body = inline_of(node, mode="heading")
            return [(f"h{level}. {body}", False)]
        if kind == "paragraph":
            body = inline_of(node, mode="para")
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
            runs: list[Run] = []
            for i, part in enumerate(node.content.rstrip("\n").split("\n")):
                if i:
                    runs.append(Run(RAW, "\n"))
                runs.append(Run(TEXT, part))
            return [(line, False) for line in finish(runs, line_start=True).split("\n")]
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
                head.append(inline_of(child, mode="item", task=task))
            elif child.type in ("bullet_list", "ordered_list"):
                after.extend(self.list(child, marker, quote_depth))
            else:
                after.extend(self.block(child, quote_depth))
        head = [h for h in head if h.strip()]
        if head:
            first = f"{marker} {FORCED_BREAK.join(head)}"
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
                cells.append(inline_of(cell, mode="cell") or " ")
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


