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

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from .blocks import BlockRenderer, assemble

__all__ = ["markdown_to_jira"]

# Built once: the parser is stateless between parse() calls.  html=False makes
# raw HTML (and things like ``<pending>``) plain text, matching what Jira shows.
_MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def markdown_to_jira(text: str) -> str:
    """Convert Markdown *text* to Jira wiki markup.

    Returns ``""`` for input that renders to nothing; otherwise the result
    ends with exactly one newline.
    """
    tree = SyntaxTreeNode(_MD.parse(text))
    lines = BlockRenderer().blocks(tree.children, quote_depth=0)
    return assemble(lines)
