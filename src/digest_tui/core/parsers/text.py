"""Text clean-up shared by the parsers: titles on one line, wrapped abstracts joined into paragraphs."""

from __future__ import annotations

import re

_PARAGRAPH = re.compile(r"\n[ \t\f\v]*\n\s*|\n(?=[ \t])")
_SURROGATE = re.compile("[\ud800-\udfff]")
def _valid(value: str) -> str:
    """Lone surrogates (JSON's `\\ud800` escapes can make them) become U+FFFD: they are not text,
    and nothing downstream (UTF-8 output, TOML, a terminal) could write them."""
    return value if value.isascii() else _SURROGATE.sub("\ufffd", value)


def clean_line(value: object) -> str | None:
    """A title-like string on one line: every run of whitespace (newlines too) becomes one space."""
    if not isinstance(value, str):
        return None
    return _valid(" ".join(value.split())) or None


def clean_abstract(value: object) -> str | None:
    """Wrapped abstract text joined up; real paragraph breaks are kept as single `\\n`."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not ("\n " in value or "\n\t" in value or "\n\n" in value or "\n\f" in value or "\n\v" in value):
        # no line break where _PARAGRAPH could split: one paragraph, without the regex (5x faster)
        return _valid(" ".join(value.split())) or None
    paragraphs = (" ".join(part.split()) for part in _PARAGRAPH.split(value))
    return _valid("\n".join(part for part in paragraphs if part)) or None
