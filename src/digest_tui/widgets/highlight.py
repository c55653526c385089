"""Mark the words of the current filter in text already made safe to show (spans only, never markup)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rich.style import Style
from rich.text import Text

from ..core.query import trie_pattern


@lru_cache(maxsize=64)
def _pattern(word: str, ignore_case: bool) -> re.Pattern[str] | None:
    parts = word.split()
    if not parts:
        return None
    # a phrase matches across any run of whitespace and joiners (`-` `‐` `_`), as the search does
    # (and across a line break): "mixture of experts" marks `mixture-of-experts`
    return re.compile(r"[\s\-\u2010\u2011_]+".join(map(re.escape, parts)), re.IGNORECASE if ignore_case else 0)


def match_spans(plain: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of every place one of the casefolded `words` occurs in `plain`, case-insensitively.
    Searched in the casefolded text when folding keeps every index (it does unless a character
    grows, like ß → ss); otherwise with a case-insensitive regex on the text itself."""
    if not words or not plain:
        return []
    folded = plain.lower() if plain.isascii() else plain.casefold()
    exact = len(folded) == len(plain)
    haystack = folded if exact else plain
    if len(words) > MANY_WORDS:
        pattern = _many(tuple(words), not exact)
        return [match.span() for match in pattern.finditer(haystack) if match.end() > match.start()]
    spans = []
    for word in words:
        pattern = _pattern(word, not exact)
        if pattern is None:
            continue
        spans.extend(match.span() for match in pattern.finditer(haystack) if match.end() > match.start())
    return spans


MANY_WORDS = 16
"""From this many words on, they are searched as one pattern: a query of 10,000 OR-ed words would
otherwise compile and run 10,000 patterns (past the cache of 64) on every line drawn."""


@lru_cache(maxsize=4)
def _many(words: tuple[str, ...], ignore_case: bool) -> re.Pattern[str]:
    """One pattern for many words: single words as a trie (as the query runs them), phrases as
    _pattern() makes them. Where words overlap, the first match from the left is marked."""
    single = sorted({word for word in words if word and len(word.split()) == 1 and word == word.strip()})
    phrases = [p.pattern for p in (_pattern(word, ignore_case) for word in words if word not in single) if p]
    parts = ([trie_pattern(single)] if single else []) + phrases
    return re.compile("|".join(parts) or "(?!)", re.IGNORECASE if ignore_case else 0)


def mark_words(text: Text, words: Sequence[str], style: Style | str, start: int = 0, end: int | None = None) -> Text:
    """Stylize the matches of `words` in `text` (between `start` and `end` only: a label stays as it is)."""
    if not words:
        return text
    end = len(text) if end is None else end
    for begin, finish in match_spans(text.plain[start:end], words):
        text.stylize(style, start + begin, start + finish)
    return text


def append_marked(text: Text, value: str, style: Style | str | None, words: Sequence[str], mark: Style | str) -> None:
    """text.append(value, style), with the words of the filter marked in it."""
    start = len(text)
    text.append(value, style)
    if words:
        mark_words(text, words, mark, start, start + len(value))
