"""The two text formats against the real seed pages; expected values were written by reading the pages."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from digest_tui.core.parsers import DigestError, decode, parse_file, parse_text


def test_arxivdaily_llm_page(shared_digests):
    result = parse_file(str(shared_digests / "arxivdaily-2026-06-18-llm.txt"))
    assert result.format == "arxivdaily"
    assert result.warnings == []
    papers = result.papers
    assert len(papers) == 12
    first, last = papers[0], papers[-1]
    assert first.id == "2606.18663"
    assert first.url == "https://arxiv.org/abs/2606.18663"
    assert first.date == "2026-06-18"
    assert first.categories == ("cs.CL",)
    assert first.new_submission is True
    assert first.score == 90
    assert first.title_en == "RegMix-D: Dynamic Data Mixing via Proxy Training Trajectories"
    assert first.title_zh == "RegMix-D: 通过代理训练轨迹实现动态数据混合"
    assert first.authors == ("Kaiyan Zhao", "Zhongtao Miao", "Akiko Aizawa", "Yoshimasa Tsuruoka")
    assert first.author_count == 4
    assert first.institutions_raw == "The University of Tokyo(东京大学) National Institute of Informatics(国立信息学研究所)"
    assert first.institutions == ("The University of Tokyo(东京大学)", "National Institute of Informatics(国立信息学研究所)")
    assert first.topic == "预训练"
    assert first.topic_reason == "LLM预训练动态数据混合方法"
    assert first.summary_zh.startswith("提出RegMix-D,通过代理训练轨迹预测多阶段最优混合比例")
    assert first.comments == "Work in progress"
    assert first.journal_ref is None
    assert first.abstract_zh.startswith("数据混合选择对于大型语言模型预训练至关重要。")
    assert first.abstract_zh.endswith("它也超越了RegMix。")
    assert first.abstract_en.startswith("Data mixture selection is critical for Large Language Model pretraining.")
    assert first.abstract_en.endswith("(25% of RegMix's proxy compute budget).")
    assert last.id == "2606.18324"
    assert last.categories == ("cs.LG", "cs.AI")
    assert last.score == 60
    assert last.title_en == (
        "Why SWAVE May Not Be All You Need:A Concept-Evolution Retrospective on "
        "Complex-Valued Recurrent Language Models"
    )
    assert [p.score for p in papers] == [90, 85, 85, 80, 80, 80, 80, 75, 70, 70, 60, 60]


def test_arxivdaily_optional_lines_absent(shared_digests):
    papers = {p.id: p for p in parse_file(str(shared_digests / "arxivdaily-2026-06-18-llm.txt")).papers}
    sumi = papers["2606.19005"]  # no Comments line on the page
    assert sumi.comments is None
    assert sumi.title_en == "Sumi: Open Uniform Diffusion Language Model from Scratch"
    assert sumi.institutions == ("Tohoku University(东北大学)",)
    fomoe = papers["2606.19025"]  # five categories, an institution without a Chinese name
    assert fomoe.categories == ("cs.LG", "cs.AI", "cs.DC", "cs.SY", "eess.SY")
    assert fomoe.institutions == ("DeepSeek-AI",)


def test_arxivdaily_tracking_page(shared_digests):
    result = parse_file(str(shared_digests / "arxivdaily-2026-06-04-tracking.txt"))
    papers = result.papers
    assert len(papers) == 30
    assert all(p.new_submission is None and p.score is None and p.topic is None for p in papers)
    assert papers[0].id == "2506.06006"
    assert papers[0].categories == ("cs.CV", "cs.AI", "cs.CL")
    assert papers[-1].id == "2601.22601"
    assert papers[-1].title_en.startswith("\\textsc{Lethe}: Principled Dual-Stream Update")
    clust = next(p for p in papers if p.id == "2509.25289")
    assert clust.comments == "Published in IEEE Access"
    assert clust.journal_ref == "IEEE Access, vol. 14, pp. 81352 - 81365, 2026"
    assert clust.authors == (
        "Mohammadreza Bakhtyari", "Bogdan Mazoure", "Renato Cordeiro de Amorim",
        "Guillaume Rabusseau", "Vladimir Makarenkov",
    )  # fmt: skip
    assert clust.institutions == (
        "Département d’Informatique, Université du Québec à Montréal(魁北克大学蒙特利尔分校计算机科学系)",
        "Mila - Quebec AI Institute(魁北克人工智能研究所)",
        "School of Computer Science and EE, University of Essex(埃塞克斯大学计算机科学与电子工程学院)",
        "Department of Computer Science and Operations Research, Université de Montréal(蒙特利尔大学计算机科学与运筹学系)",
    )
    # ids from several months keep their own numbers
    assert {p.id[:4] for p in papers} == {"2506", "2509", "2510", "2511", "2512", "2601", "2602"}


@pytest.fixture
def hf_page(shared_digests, tmp_path):
    """The HF text page with a known modification date (2026-11-21), since the page has no year."""
    copy = tmp_path / "hf.txt"
    shutil.copy(shared_digests / "hf-daily-papers-search.txt", copy)
    stamp = dt.datetime(2026, 11, 21, 12).timestamp()
    os.utime(copy, (stamp, stamp))
    return copy


def test_hf_text_page(hf_page):
    result = parse_file(str(hf_page))
    assert result.format == "hf-text"
    papers = result.papers
    assert len(papers) == 23
    assert all(p.id is None and p.url is None for p in papers)
    first = papers[0]
    assert first.title_en == "Utilizing Wavelet Transform in the Analysis of Scaling Dynamics for Milk Quality Evaluation"
    assert first.abstract_en.startswith("Food safety and quality are paramount concerns worldwide")
    assert first.author_count == 2
    assert first.date == "2023-12-15"
    assert first.upvotes == 0
    rxt = papers[1]
    assert rxt.title_en.startswith("Reactive Transformer (RxT)")
    assert rxt.organization == "Reactive AI"
    assert rxt.author_count is None
    assert rxt.upvotes == 2
    # "Oct 3" has no year; the page date "Dec 10" has none either, so both come from the file's
    # date (2026-11-21): the page is Dec 10, 2025 and Oct 3 is the Oct 3 before it
    assert rxt.date == "2025-10-03"
    assert papers[-1].title_en.startswith("One Life to Learn: Inferring Symbolic World Models")
    assert papers[-1].date == "2025-10-13"
    assert papers[-1].upvotes == 2


def test_hf_text_entries_without_meta(hf_page):
    papers = {p.title_en: p for p in parse_file(str(hf_page)).papers}
    emergent = papers["Emergent Hierarchical Reasoning in LLMs through Reinforcement Learning"]
    assert emergent.upvotes == 0 and emergent.author_count is None and emergent.organization is None
    assert emergent.date == "2025-12-10"  # no meta: the page's own date
    law = papers["Scaling Law with Learning Rate Annealing"]
    assert (law.date, law.upvotes, law.author_count) == ("2024-08-20", 1, 3)


def test_not_a_digest_gets_a_reason():
    with pytest.raises(DigestError, match="not a digest"):
        parse_text("Dear colleagues,\nplease find the minutes attached.\n", "minutes.txt")
    with pytest.raises(DigestError, match="empty"):
        parse_text("\n \n", "blank.txt")


def test_decode_handles_boms_line_ends_and_gb18030():
    text = "2606.18663 2026-06-18 cs.CL\r\n标题\r\n"
    assert decode(text.encode("utf-8-sig")) == "2606.18663 2026-06-18 cs.CL\n标题\n"
    assert decode(text.encode("utf-16")) == "2606.18663 2026-06-18 cs.CL\n标题\n"
    assert decode(text.replace("\r\n", "\r").encode()) == "2606.18663 2026-06-18 cs.CL\n标题\n"
    assert decode("中文摘要".encode("gb18030")) == "中文摘要"
    with pytest.raises(DigestError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
