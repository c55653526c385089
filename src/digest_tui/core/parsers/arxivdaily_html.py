"""arXivDaily pages saved from a browser as HTML: the page's visible text is the arXivDaily text format."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from ..model import Paper, Source
from . import arxivdaily
from .errors import DigestError, one_line
from .hf_html import looks_like_html
from .markup import soup

if TYPE_CHECKING:
    from bs4.element import Tag

NAME = "arxivdaily-html"

_ID_THEN_DATE = re.compile(r"\b\d{4}\.\d{4,5}(?:v\d+)?(?:\s|&nbsp;|<[^<>]*>)*\d{4}-\d\d-\d\d\b")
_SPACE = re.compile(r"[ \t\n\r\f]+")
_SKIP = frozenset(("script", "style", "noscript", "template", "head", "title", "nav", "aside", "select", "svg", "iframe"))
# header/footer are page chrome only outside an article: a card's own <header> holds its id line
_CHROME = frozenset(("header", "footer"))
_CONTENT = frozenset(("article", "main", "section"))
_PAGER_CLASSES = frozenset(("pager", "pagination", "page-nav", "pagenav"))
_BLOCK = frozenset(
    (
        "address", "article", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody",
        "tfoot", "thead", "tr", "ul",
    )
)  # fmt: skip


def sniff(head: str) -> bool:
    if not looks_like_html(head) or "arxivdaily" not in head.casefold():
        return False
    return "英文摘要" in head or "AI中文摘要" in head or _ID_THEN_DATE.search(head) is not None


def _is_navigation(tag: Tag) -> bool:
    """A pager or other navigation that is not a <nav>: after the last abstract it would read as part of it."""
    classes = tag.get("class") or ()
    return tag.get("role") == "navigation" or any(name in _PAGER_CLASSES for name in classes)


def visible_text(root: Tag) -> str:
    """The text a reader sees, in reading order: block elements start new lines, runs of whitespace
    inside a line collapse to one space; scripts, styles, navigation and page header/footer are left out.
    Collapsed (display:none) parts are kept on purpose: a saved page hides its abstracts until clicked."""
    from bs4.element import NavigableString, PreformattedString, Tag

    parts: list[str] = []
    stack = [(iter(root.children), root.name, False)]
    while stack:
        children, name, in_content = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            if name in _BLOCK:
                parts.append("\n")
            continue
        if isinstance(node, Tag):
            tag = node.name
            if tag in _SKIP or (tag in _CHROME and not in_content) or _is_navigation(node):
                continue
            if tag == "br":
                parts.append("\n")
            elif tag in ("td", "th"):
                parts.append(" ")
            if tag in _BLOCK:
                parts.append("\n")
            stack.append((iter(node.children), tag, in_content or tag in _CONTENT))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            # HTML whitespace, newlines included, is one space; only blocks and <br> break lines
            # (comments, the doctype and CDATA are PreformattedStrings and are not text)
            parts.append(_SPACE.sub(" ", node))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line) + "\n"


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    try:
        page = visible_text(soup(text))
        papers, warnings = arxivdaily.parse(page, file, file_date)
    except Exception as error:
        raise DigestError(one_line(f"unreadable arXivDaily page ({type(error).__name__}: {error})")) from None
    if not papers:
        raise DigestError("an arXivDaily page whose visible text lists no papers")
    sources = (Source(file, NAME),)
    return [paper._replace(sources=sources) for paper in papers], warnings
