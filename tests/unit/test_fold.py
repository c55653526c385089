"""The index's fold: the fast path for full-width forms gives exactly what plain NFKC folding gives."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from digest_tui.core.index import fold

POOL = ([chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xFF00, 0xFF70)]
        + list("\u3000\u0301\u0308\ufb01\u2460\u4e00\u3002\uff0c\u2010\u00a0\u00b2\u2126中文摘要，：（）"))


def reference(text: str) -> str:
    """The fold as its docstring says: NFKC, joiners as spaces, whitespace runs one space, casefolded."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"-": " ", "\u2010": " ", "_": " "}))
    return re.sub(r"\s+", " ", text).strip().casefold()


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=24).map("".join))
def test_fold_equals_plain_nfkc_folding(text):
    assert fold(text) == reference(text)


def test_full_width_chinese_punctuation_and_latin_fold_to_ascii():
    assert fold("混合专家（ＭｏＥ）模型，　mixture-of-experts") == "混合专家(moe)模型, mixture of experts"
