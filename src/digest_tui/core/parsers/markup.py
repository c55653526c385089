"""Parse a whole HTML page with bs4's html.parser, in time linear in its size whatever the markup.

Python's html.parser (before the 2025 fixes, e.g. 3.11.7) takes time quadratic in the size of
the text after a construct it cannot close, such as an attribute quote that is never closed: at
the end of input it rescans the rest of the page from every later `<`. A hostile 1 MB page then
takes minutes. Here, what the parser could not consume as markup is handed over as plain text
instead, which is what HTML makes of it anyway (an unclosed quote runs to the end of the file).
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

_TAIL = 4096
"""An unconsumed tail up to this size is left to html.parser: rescanning it costs little."""

_builder = None


def soup(text: str) -> BeautifulSoup:
    """`BeautifulSoup(text, "html.parser")`, safe from html.parser's quadratic end-of-input scan."""
    from bs4 import BeautifulSoup

    builder = _make_builder()
    if builder is None:  # a bs4 without the hook: the plain parser
        return BeautifulSoup(text, "html.parser")
    return BeautifulSoup(text, builder=builder())


def _make_builder():
    global _builder
    if _builder is not None:
        return _builder or None
    try:
        from bs4.builder._htmlparser import BeautifulSoupHTMLParser, HTMLParserTreeBuilder
    except ImportError:
        _builder = False
        return None
    if "_parser_class" not in inspect.signature(HTMLParserTreeBuilder.feed).parameters:
        _builder = False
        return None

    class Parser(BeautifulSoupHTMLParser):
        def close(self) -> None:
            tail = getattr(self, "rawdata", "")
            if len(tail) > _TAIL:
                self.rawdata = ""
                self.handle_data(tail)
            super().close()

    class Builder(HTMLParserTreeBuilder):
        def feed(self, markup, _parser_class=Parser) -> None:  # type: ignore[override]
            super().feed(markup, _parser_class=_parser_class)

    _builder = Builder
    return Builder
