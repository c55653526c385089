"""Text clean-up shared by the parsers: titles on one line, wrapped abstracts joined into paragraphs."""

from __future__ import annotations

import re

from ..text import without_surrogates

_PARAGRAPH = re.compile(r"\n[ \t\f\v]*\n\s*|\n(?=[ \t])")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
"""A CJK ideograph (the unified ideographs, extension A and the compatibility block)."""


def is_chinese(text: str) -> bool:
    """Mostly Chinese: at least one character in ten is CJK (an English abstract may name a Chinese dataset).
    Judged on the first 200 characters: this runs on both abstracts of every paper."""
    if text.isascii():
        return False
    sample = text[:200]
    # CJK characters take three UTF-8 bytes: the extra bytes count them without a regex pass
    # (accented Latin letters add one byte each, too few to tip an English abstract over)
    return (len(sample.encode("utf-8", "surrogatepass")) - len(sample)) * 5 >= len(sample)


def clean_line(value: object) -> str | None:
    """A title-like string on one line: every run of whitespace (newlines too) becomes one space."""
    if not isinstance(value, str):
        return None
    return without_surrogates(" ".join(value.split())) or None


def clean_abstract(value: object) -> str | None:
    """Wrapped abstract text joined up; real paragraph breaks are kept as single `\\n`."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not ("\n " in value or "\n\t" in value or "\n\n" in value or "\n\f" in value or "\n\v" in value):
        # no line break where _PARAGRAPH could split: one paragraph, without the regex (5x faster)
        return without_surrogates(one_spaced(value)) or None
    paragraphs = (one_spaced(part) for part in _PARAGRAPH.split(value))
    return without_surrogates("\n".join(part for part in paragraphs if part)) or None


def one_spaced(text: str) -> str:
    """`" ".join(text.split())`: every run of whitespace one space, none at the ends. Wrapped ASCII
    text whose only whitespace is single spaces and line breaks (nearly every paragraph of an
    abstract) is joined without splitting it into words (several times faster)."""
    if text.isascii():
        line = text.strip().replace("\n", " ")
        # the other ASCII whitespace (one search each: memchr is many times faster than any() or a regex)
        if not (
            "  " in line or "\t" in line or "\v" in line or "\f" in line or "\r" in line
            or "\x1c" in line or "\x1d" in line or "\x1e" in line or "\x1f" in line
        ):  # fmt: skip
            return line
    return " ".join(text.split())
