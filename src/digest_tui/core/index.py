"""The search index's schema: the columns a query reads, each folded once per paper from its fields."""

from __future__ import annotations

import operator
import re
import sys
import unicodedata
from collections.abc import Callable

from .model import Paper

def _untidy(text: str) -> bool:
    """Whether whitespace other than a doubled space needs collapsing (the callers look for that
    too). Parsers tidy nearly everything, so this cheap test (single-character scans) saves
    splitting every abstract, which would triple the index's build time."""
    return (
        "\n" in text
        or "\t" in text
        or "\r" in text
        or "\xa0" in text
        or "\u3000" in text
        or text[0].isspace()
        or text[-1].isspace()
    )


def fold(text: str | None) -> str:
    """What the index keeps of a text, and what a query looks for in it: NFKC (full-width `ＭｏＥ`
    is `MoE`), casefolded, the joiners `-` `‐` `_` made spaces (so `mixture-of-experts` and
    "mixture of experts" are alike), and whitespace runs made one space."""
    if not text:
        return ""
    if text.isascii():  # O(1); nearly every English text, and lower() is a little faster
        if "-" in text or "_" in text:
            text = text.replace("-", " ").replace("_", " ")
        if _untidy(text) or "  " in text:  # a doubled space, or `a - b` and `--` made one above
            text = " ".join(text.split())  # (every whitespace run one space, none at the ends: 5x a regex's speed)
        return text.lower()
    # Chinese text nearly always has full-width punctuation (，：（）), which is not NFKC: normalizing
    # every abstract took most of the index's time. Those forms and the ideographic space are
    # mapped to ASCII first (exactly as NFKC maps them); only what is still not NFKC is normalized.
    if _WIDE.search(text) is not None:
        text = _WIDE.sub(_narrow, text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    # (NFKC has made the non-breaking hyphen a hyphen, the full-width hyphen-minus a hyphen-minus;
    # three replace()s, as translate() takes 20 times as long on non-ASCII text)
    if "-" in text or "_" in text or "\u2010" in text:
        text = text.replace("-", " ").replace("_", " ").replace("\u2010", " ")
    if _untidy(text) or "  " in text:
        text = " ".join(text.split())
    return text.casefold()


_WIDE = re.compile("[\uff01-\uff5e\u3000]")
"""The full-width forms of ASCII and the ideographic space."""


def _narrow(match: re.Match) -> str:
    char = match.group()
    return " " if char == "\u3000" else chr(ord(char) - 0xFEE0)


def _fold_all(*parts: str | None) -> str:
    """Several values as one string, `\\n` between them."""
    present = [part for part in parts if part]
    if not present:
        return ""
    joined = " ".join(present)
    if not joined.isascii() or "-" in joined or "_" in joined or _untidy(joined) or "  " in joined:
        return "\n".join(folded for folded in map(fold, present) if folded)
    return "\n".join(present).lower()


def _institutions(paper: Paper) -> str:
    # the raw line holds every split-out institution, so search it alone when there is one
    if paper.institutions_raw:
        return _fold_all(paper.institutions_raw, paper.organization)
    return _fold_all(*paper.institutions, paper.organization)


def _same_or(text: str, folded: str) -> str:
    """`folded`, or `text` itself when they are equal: the column shares the paper's string."""
    return text if folded == text else folded


def _categories(paper: Paper) -> str:
    # a few hundred category lists cover most papers: one string for each
    return sys.intern("".join("\n" + category.casefold() for category in paper.categories))


COLUMNS: dict[str, Callable[[Paper], object]] = {
    "key": operator.attrgetter("key"),
    "id": lambda paper: _same_or(paper.id, paper.id.casefold()) if paper.id else "",
    "titles": lambda paper: _fold_all(paper.title_en, paper.title_zh),
    "authors": lambda paper: _fold_all(*paper.authors),
    "abstract_en": lambda paper: fold(paper.abstract_en),
    "abstract_zh": lambda paper: fold(paper.abstract_zh),
    "inst": _institutions,  # institutions_raw (else institutions) and organization
    "topic": lambda paper: sys.intern(fold(paper.topic)),  # a few dozen topics: one string each
    # "\ncs.cl\ncs.ai": `"\n" + value in cat_text` is a prefix test on every category
    "cat_text": _categories,
    "announce": operator.attrgetter("announce_type"),  # new, cross-list, replacement (interned)
    "score": operator.attrgetter("score"),
    "upvotes": operator.attrgetter("upvotes"),
    "date": operator.attrgetter("date"),
}
"""The search index's columns: what queries look at, computed once per paper (by fold()), not per keystroke. A store keeps each as a list with one entry per row, and
a query runs as one list comprehension over the columns it reads: no call per paper, and each
column's strings made one after another, close together in memory (half the time of a call to
a predicate on a per-paper object at 100k papers). The English and Chinese abstracts are separate:
Python stores pure-ASCII strings at one byte a character and skips a CJK needle in them at once.
Multi-valued fields are joined with `\\n`, which no query term contains, so a phrase never matches
across two values."""

TEXT_COLUMNS = frozenset({"abstract_en", "abstract_zh", "inst"})
"""Columns made from a paper's long texts (model.TEXT_FIELDS), which a warm start reads last."""

SearchDoc = dict[str, list]
"""One paper's index: each column with its one entry (what `Query.match` tests)."""


def make_doc(paper: Paper) -> SearchDoc:
    """A one-paper index, for testing a single paper against a query."""
    return {name: [fold(paper)] for name, fold in COLUMNS.items()}
