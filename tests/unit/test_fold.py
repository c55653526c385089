"""The index's fold: the fast path for full-width forms gives exactly what plain NFKC folding gives."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from digest_tui.core.index import fold

POOL = ([chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xFF00, 0xFF70)]
        + list("\u3000\u0301\u0308\ufb01\u2460\u4e00\u3002\uff0c\u2010\u00a0\u00b2\u2126中文摘要，：（）"))
SPACES = list(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u2029\u202f\u205f\u3000")
"""Kinds of whitespace a regular expression's `\\s` takes (what fold() collapses them with must take the same)."""


def reference(text: str) -> str:
    """The fold as its docstring says: NFKC, joiners as spaces, whitespace runs one space, casefolded."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"-": " ", "\u2010": " ", "_": " "}))
    return re.sub(r"\s+", " ", text).strip().casefold()


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=24).map("".join))
def test_fold_equals_plain_nfkc_folding(text):
    assert fold(text) == reference(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list(" -_aZ.") + SPACES[:12]), min_size=1, max_size=24).map("".join))
def test_whitespace_runs_collapse_as_the_reference_does(text):
    # a line break makes fold() collapse the whitespace (the cheap test for it looks for the kinds
    # parsers leave, not for every one): then every kind is one space, in ASCII text (its own
    # path) and in other text
    assert fold("\n" + text) == reference(text)
    assert fold("\n" + text + "é") == reference(text + "é")


def test_full_width_chinese_punctuation_and_latin_fold_to_ascii():
    assert fold("混合专家（ＭｏＥ）模型，　mixture-of-experts") == "混合专家(moe)模型, mixture of experts"
