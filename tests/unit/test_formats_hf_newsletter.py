"""Hugging Face daily papers as a Chinese newsletter (markdown). Expected values were written by
reading the newsletter in ../shared and the fixture, not copied from parser output."""

from __future__ import annotations

import datetime as dt

import pytest

from digest_tui.core.parsers import detect, hf_newsletter, parse_file

DAY = dt.date(2026, 7, 20)


@pytest.fixture
def newsletter(shared_digests):
    return parse_file(str(shared_digests / "hf-newsletter-zh-2025-01-23.md"))


def test_real_newsletter(newsletter):
    """`总论文数：5` and five `### n.` entries, all of 2025-01-23 (the title's date)."""
    assert newsletter.format == "hf-newsletter-zh" and newsletter.warnings == []
    assert [p.id for p in newsletter.papers] == ["2501.12909", "2501.12948", "2501.13074", "2501.12599", "2501.12570"]
    assert {p.date for p in newsletter.papers} == {"2025-01-23"}
    assert all(p.title_zh and p.title_en and p.abstract_zh and p.abstract_en is None for p in newsletter.papers)
    assert all(p.authors == () and p.upvotes is None and p.categories == () for p in newsletter.papers)  # none given
    film, deepseek, experts, kimi, pruner = newsletter.papers
    assert film.title_zh == "FilmAgent：虚拟3D空间中端到端电影自动化的多智能体框架"
    # arXiv's hard line break in the original title ("...Automation in\n  Virtual 3D Spaces")
    assert film.title_en == "FilmAgent: A Multi-Agent Framework for End-to-End Film Automation in Virtual 3D Spaces"
    assert film.abstract_zh.startswith("虚拟电影制作需要复杂的决策过程，包括剧本创作、虚拟摄影以及精确的演员定位和动作。")
    assert film.abstract_zh.endswith("我们讨论了OpenAI的文本到视频模型Sora与我们的FilmAgent在电影制作中的互补优势和劣势。")
    assert deepseek.title_en == "DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning"
    assert deepseek.title_zh == "DeepSeek-R1：通过强化学习激励大语言模型的推理能力"
    assert (experts.title_zh, experts.title_en) == ("专家自主模型", "Autonomy-of-Experts Models")
    assert kimi.title_en == "Kimi k1.5: Scaling Reinforcement Learning with LLMs"
    assert pruner.title_en == "O1-Pruner: Length-Harmonizing Fine-Tuning for O1-Like Reasoning Pruning"
    assert pruner.abstract_zh.endswith("我们的代码即将发布在https://github.com/StarDewXXX/O1-Pruner。")
    assert "\n" not in pruner.abstract_zh


def test_fixture(fixtures):
    """The 2025-01-08 style: `每日论文速递 DATE` title, an empty link `[]()`, an HF-only link."""
    result = parse_file(str(fixtures / "fmt-hf-newsletter-zh.md"))
    assert result.format == "hf-newsletter-zh" and result.warnings == []
    sparse, tiny, twice = result.papers
    assert {p.date for p in result.papers} == {"2025-01-09"}
    assert sparse.id == "2501.01111"
    assert sparse.title_en == "Sparse Recall: Retrieval Heads that Remember Less and Find More"
    assert sparse.abstract_zh == (
        "长上下文模型中的检索头只关注少数几个词元，却以稠密方式训练。我们表明，把它们剪枝到稀疏预算后召回率保持不变。\n"
        "第二段：代码见https://github.com/example-lab/sparse-recall。"
    )
    # no link at all: keyed by its title, as an HF page's entries are
    assert tiny.id is None and tiny.key == "title:atinybenchmarkforkhopreasoning"
    assert tiny.title_zh == "一个关于k跳推理的小基准"
    assert twice.id == "2501.03333"  # from the HF link, version dropped
    assert twice.abstract_en == "Repeating the prompt twice improves the accuracy of small models."
    assert twice.abstract_zh is None and twice.title_zh == "Say It Twice"


def test_a_newsletter_cut_short_says_so(fixtures):
    text = (fixtures / "fmt-hf-newsletter-zh.md").read_text(encoding="utf-8")
    cut = text[: text.index("### 3.")]
    papers, warnings = hf_newsletter.parse(cut, "2025-01-09_daily_paper.md", DAY)
    assert len(papers) == 2
    assert warnings == ["the newsletter says 3 papers but lists 2 (cut off?)"]
    inside = text[: text.index("**摘要：**\n我们发布了")]
    papers, warnings = hf_newsletter.parse(inside, "x.md", DAY)
    assert [p.id for p in papers] == ["2501.01111", None]
    assert warnings[0] == "entry 2 (line 27) 'A Tiny Benchmark for $k$-hop Reasoning' is cut off (no abstract, no links)"


def test_date_from_the_file_name_when_the_title_has_none():
    text = "# Hugging Face 论文日报\n\n### 1. 标题\n\n**原文标题：** A Title\n\n**摘要：**\n摘要。\n"
    papers, _ = hf_newsletter.parse(text, "newsletters/2025-01-10_daily_paper.md", DAY)
    assert papers[0].date == "2025-01-10"
    papers, _ = hf_newsletter.parse(text, "today.md", DAY)
    assert papers[0].date == "2026-07-20"


def test_detected_by_content(fixtures):
    assert detect((fixtures / "fmt-hf-newsletter-zh.md").read_text(encoding="utf-8")).NAME == "hf-newsletter-zh"
    assert not hf_newsletter.sniff("### 1. 标题\n\n正文\n")
