"""The small text facts defined once in the core: telling Chinese from English, quoting a bad value,
lone surrogates, a paper's arXiv page."""

from __future__ import annotations

from digest_tui.core.model import abs_url, make_paper
from digest_tui.core.parsers.text import CJK, clean_abstract, clean_line, is_chinese
from digest_tui.core.text import counted, short_repr, without_surrogates

ZH_ABSTRACT = "我们提出一种动态数据混合方法，利用代理模型的训练轨迹预测最优配比，在多个基准上优于静态混合。"
EN_NAMING_A_DATASET = (
    "We train on the WuDao (悟道) corpus and evaluate on CLUE; the method improves the average score "
    "by two points over static mixtures of the same data."
)


def test_a_chinese_abstract_is_chinese_and_an_english_one_naming_a_chinese_dataset_is_not():
    assert is_chinese(ZH_ABSTRACT)
    assert is_chinese("摘要：" + ZH_ABSTRACT + " RegMix-D, LLaMA-3 8B")  # Latin names inside Chinese text
    assert not is_chinese(EN_NAMING_A_DATASET)
    assert not is_chinese("Müller, Šimůnek and Øster évaluent la méthode à Zürich.")  # accents are not CJK
    assert not is_chinese("")


def test_cjk_finds_ideographs_only():
    assert CJK.search("用于长会议") and not CJK.search("Lexical Anchors (LLM), 2026")
    assert not CJK.search("，。：")  # CJK punctuation alone is not a Chinese title


def test_short_repr_quotes_a_value_and_cuts_it_to_the_limit():
    assert short_repr("abc") == "'abc'"
    long = short_repr("x" * 100)
    assert len(long) == 60 and long.endswith("x…") and long.startswith("'xxx")
    assert short_repr(list(range(3))) == "[0, 1, 2]"
    assert short_repr("\x1b[31m") == "'\\x1b[31m'"  # repr() escapes controls itself
    nested: list = []
    for _ in range(100_000):
        nested = [nested]
    assert short_repr(nested) == "a deeply nested list"


def test_lone_surrogates_become_replacement_characters_in_parsed_text():
    assert without_surrogates("a\ud800b\udfffc") == "a\ufffdb\ufffdc"
    assert without_surrogates("plain") == "plain"
    assert clean_line("Title \ud83d here") == "Title \ufffd here"
    assert clean_abstract("one\n\n\udc00two") == "one\n\ufffdtwo"


def test_a_paper_with_an_id_links_its_arxiv_page():
    assert abs_url("2606.18663") == "https://arxiv.org/abs/2606.18663"
    assert make_paper(id="2606.18663", title_en="T").url == abs_url("2606.18663")
    assert make_paper(title_en="No id").url is None


def _clean_line_by_line(text: str, newlines: bool) -> str:
    """clean() without its quick check: every line through the table and the two patterns."""
    from digest_tui.core.text import _clean_line

    if newlines:
        return "\n".join(_clean_line(line) for line in text.split("\n"))
    return _clean_line(text)


def test_clean_quick_check_skips_only_text_it_would_not_change():
    """clean() returns a text untouched when one search finds nothing it changes; for every
    character (each BMP one, the astral invisible ranges and their neighbours) between others,
    with and without newlines, that equals translating it."""
    from digest_tui.core.text import clean

    astral = [*range(0xE0000, 0xE0081), *range(0x1BC9F, 0x1BCA5), *range(0x1D172, 0x1D17C), 0x1F600]
    for code in [*range(0x10000), *astral]:
        text = f"a{chr(code)}\nb 中\u3000c"
        for newlines in (False, True):
            assert clean(text, newlines=newlines) == _clean_line_by_line(text, newlines), (hex(code), newlines)
    assert clean("Title\x1b[31m\u202e", newlines=True) == "Title␛[31m"
    assert clean("中文\u3000摘要\n第二段", newlines=True) == "中文\u3000摘要\n第二段"


def test_counted_says_one_paper_and_two_papers():
    assert counted(1, "paper") == "1 paper"
    assert [counted(n, "file") for n in (0, 2, 1000)] == ["0 files", "2 files", "1000 files"]
    assert counted(1, "more category", "more categories") == "1 more category"
    assert counted(3, "more category", "more categories") == "3 more categories"
