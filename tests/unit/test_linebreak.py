"""The line breaker (core.linebreak) on real Chinese and English digest text: UAX #14 breaks, kinsoku, no early breaks."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len

from digest_tui.core.linebreak import break_points, truncate_at_break, wrap

CLOSING = set(")）]］】」』》〉”’。，、；：！？,.;:!?%…")
"""What no line may start with (kinsoku: closing brackets and quotes, stops and commas)."""
OPENING = set("(（[［【「『《〈“‘")
"""What no line may end with."""
LATIN = re.compile(r"[A-Za-z0-9]")


def lines(text: str, width: int) -> list[str]:
    return [text[start:end] for start, end in wrap(text, width, cell_len)]


def check_rules(text: str, width: int) -> list[str]:
    """Wrap `text` and assert every rule of the issue on the result; return the lines."""
    spans = wrap(text, width, cell_len)
    shown = [text[start:end] for start, end in spans]
    for line in shown:
        assert cell_len(line) <= width, (width, line)
    for (start, end), (next_start, _next_end), line, following in zip(spans, spans[1:], shown, shown[1:]):
        if "\n" in text[end:next_start]:
            continue  # the paragraph ended there
        assert following, (width, line)
        assert following[0] not in CLOSING, f"line starts with closing punctuation at {width}: {line!r} / {following!r}"
        assert line[-1] not in OPENING, f"line ends with opening punctuation at {width}: {line!r} / {following!r}"
        assert following != "。"
        if end == next_start and LATIN.match(text[end - 1]) and LATIN.match(text[next_start]):
            word = re.search(r"[A-Za-z0-9]+$", text[:end])[0] + re.match(r"[A-Za-z0-9]+", text[next_start:])[0]
            assert cell_len(word) > width, f"Latin word split at {width}: {line!r} / {following!r}"
        # no early break: the next line's first piece would not have fitted on this one
        piece_end = next(point for point in break_points(text[next_start:].split("\n")[0]) if point > 0)
        first_piece = text[next_start : next_start + piece_end].rstrip(" \u3000")
        if cell_len(first_piece) <= width:
            assert cell_len(text[start:next_start] + first_piece) > width, \
                f"early break at {width}: {line!r} / {following!r}"
    # nothing lost: the lines hold every visible character, in order
    assert "".join(shown).replace(" ", "") == text.replace("\n", "").replace(" ", "").replace("\u3000", "")
    return shown


# -- the cases in the issue ------------------------------------------------------------------------


def test_a_hyphenated_model_name_is_never_cut_mid_word():
    text = "将DeepSeek-V4-Flash(284B参数)与DeepSeek-V4比较，结果显示其推理速度更快。"
    for width in range(12, 60):
        shown = check_rules(text, width)
        joined = "|".join(shown)
        assert "DeepSe|ek" not in joined and "Flas|h" not in joined and "284|B" not in joined
        assert "(|" not in joined and not any(line.startswith(")") for line in shown)


def test_no_line_of_only_a_full_stop_or_starting_with_a_closing_bracket():
    text = "我们评估了多个大型语言模型(LLMs)语言模型的能力。"
    for width in range(6, 50):
        shown = check_rules(text, width)
        assert "。" not in shown and not any(line.startswith(")") for line in shown)


def test_an_institution_with_its_chinese_name_in_brackets():
    text = "The University of Tokyo(东京大学) National Institute of Informatics(国立信息学研究所)"
    for width in range(14, 70):
        shown = check_rules(text, width)
        assert not any(line.startswith(")") or line.endswith("(") for line in shown)
    assert lines(text, 30) == ["The University of Tokyo(东京大", "学) National Institute of", "Informatics(国立信息学研究所)"]


def test_chinese_and_latin_mixed_fill_the_line():
    text = "在PostTrainBench上，AutoTrainess使用GPT-5.4 (Codex)达到26.94平均分"
    # at 30 cells a breaker that breaks only at spaces ends the first line after "使用GPT-5.4" is impossible
    # (a 33-cell word); ours fills the line up to the last opportunity that fits
    assert lines(text, 30) == ["在PostTrainBench上，", "AutoTrainess使用GPT-5.4", "(Codex)达到26.94平均分"]
    assert lines(text, 41) == ["在PostTrainBench上，AutoTrainess使用", "GPT-5.4 (Codex)达到26.94平均分"]


def test_numbers_stay_whole():
    text = "纯CLI基线为23.21，将得分从12.13提升至19.58，共1,000个样本，准确率提升3.5%。"
    for width in range(8, 40):
        joined = "|".join(check_rules(text, width))
        for number in ("23.21", "12.13", "19.58", "1,000", "3.5%"):
            assert number in joined, (width, joined)


# -- real digests ----------------------------------------------------------------------------------


def _chinese_texts(shared_digests) -> list[str]:
    """Chinese abstracts and AI summaries as the real digests give them."""
    texts = []
    page = (shared_digests / "arxivdaily-2026-06-18-llm.txt").read_text(encoding="utf-8")
    texts += [line for line in page.splitlines() if len(line) > 80 and re.search(r"[\u4e00-\u9fff]{10}", line)]
    for line in (shared_digests / "daily-arxiv-ai-enhanced-2026-07-01.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts += [value for value in record["AI"].values() if isinstance(value, str)]
    newsletter = (shared_digests / "hf-newsletter-zh-2025-01-23.md").read_text(encoding="utf-8")
    texts += [line.removeprefix("**摘要：**") for line in newsletter.splitlines() if line.startswith("**摘要：**")]
    return texts


def test_every_rule_holds_on_the_real_chinese_abstracts(shared_digests):
    texts = _chinese_texts(shared_digests)
    assert len(texts) > 100
    for text in texts[:160]:
        for width in (17, 24, 31, 40, 58, 77):
            check_rules(text, width)


def test_the_real_sentences_named_in_the_issue(shared_digests):
    texts = _chinese_texts(shared_digests)
    flash = next(text for text in texts if "DeepSeek-V4-Flash (OpenCode)" in text)
    llms = next(text for text in texts if "预训练大型语言模型(LLMs)通常" in text)
    for width in range(16, 60):
        for line in check_rules(flash, width):
            assert not line.startswith(("ek", "h ", "h(", ")"))
        for line in check_rules(llms, width):
            assert not line.startswith(")")
    page = (shared_digests / "arxivdaily-2026-06-18-llm.txt").read_text(encoding="utf-8")
    institutions = next(line for line in page.splitlines() if "National Institute of Informatics(" in line)
    for width in range(20, 70):
        check_rules(institutions.removeprefix("发表机构 * "), width)


def test_english_abstracts_break_at_spaces_and_after_hyphens(shared_digests):
    page = (shared_digests / "arxivdaily-2026-06-18-llm.txt").read_text(encoding="utf-8")
    english = [line for line in page.splitlines() if len(line) > 300 and line.isascii()]
    assert len(english) > 10
    for text in english[:20]:
        for width in (30, 47, 76):
            for line in check_rules(text, width):
                assert not line.startswith(" ")


# -- edges -----------------------------------------------------------------------------------------


def test_a_word_wider_than_the_line_is_cut_into_line_wide_pieces():
    assert lines("see https://example.org/averyveryverylongpathwithnobreaks", 12) == [
        "see https://", "example.org/", "averyveryver", "ylongpathwit", "hnobreaks"]
    assert lines("超长" * 3, 3) == ["超", "长", "超", "长", "超", "长"]  # a wide character never split across lines


def test_newlines_end_lines_and_blank_paragraphs_stay():
    assert lines("one two\n\nthree", 20) == ["one two", "", "three"]
    assert lines("", 10) == [""]
    assert lines("trailing   ", 4) == ["trai", "ling"]
    assert lines("word", 0) == ["w", "o", "r", "d"]  # a width below one is taken as one


@pytest.mark.parametrize(("title", "width", "expected"), [
    ("DeepSeek-V4: Towards Highly Efficient Million-Token Context", 24, ("DeepSeek-V4: Towards", True)),
    ("DeepSeek-V4: Towards Highly Efficient Million-Token Context", 60, ("DeepSeek-V4: Towards Highly Efficient Million-Token Context", False)),
    ("Supercalifragilistic", 8, ("Superca", True)),
    ("面向大语言模型的数据混合", 9, ("面向大语", True)),
])
def test_truncation_cuts_at_a_break(title, width, expected):
    assert truncate_at_break(title, width, cell_len) == expected
