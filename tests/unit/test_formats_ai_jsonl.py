"""daily-arXiv-ai-enhanced JSON Lines. Expected values were written by reading the sample in
../shared and the fixture, not copied from parser output."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from digest_tui.core.parsers import DigestError, ai_jsonl, detect, parse_file, parse_text

DAY = dt.date(2026, 7, 20)
SAMPLE = "daily-arxiv-ai-enhanced-2026-07-01.jsonl"
FIXTURE = "fmt-ai-enhanced-2026-07-02_AI_enhanced_Chinese.jsonl"


@pytest.fixture
def sample(shared_digests):
    return parse_file(str(shared_digests / SAMPLE))


def test_real_file_counts_and_ends(sample):
    """301 lines, 301 distinct ids; the file's only date is in its name."""
    assert sample.format == "ai-enhanced-jsonl" and sample.warnings == []
    assert len(sample.papers) == 301
    assert sample.papers[0].id == "2606.30776" and sample.papers[-1].id == "2606.32040"
    assert {p.date for p in sample.papers} == {"2026-07-01"}
    assert all(p.title_en and p.abstract_en and p.summary_zh for p in sample.papers)
    assert all(p.title_zh is None and p.abstract_zh is None for p in sample.papers)
    # every line's AI object has all four sections, in the tool's order
    assert {tuple(name for name, _ in p.ai_sections) for p in sample.papers} == {
        ("motivation", "method", "result", "conclusion")
    }
    assert sum(1 for p in sample.papers if p.comments) == 151  # the others have "comment": null
    assert sum(1 for p in sample.papers if p.github_repo) == 56  # lines with a code_url
    assert sum(1 for p in sample.papers if p.github_stars is not None) == 33  # ... and code_stars
    assert sum(1 for p in sample.papers if len(p.categories) > 1) == 115  # 83 + 24 + 6 + 2 cross-listed


def test_real_file_first_paper(sample):
    first = sample.papers[0]
    assert first.title_en == "Optimal Auctions for Constrained Buyers"
    assert first.authors == ("Batya Berzack", "Rotem Oshman", "Inbal Talgam-Cohen") and first.author_count == 3
    assert first.categories == ("cs.GT",) and first.comments is None
    # `\emph{bidding constraints}` is TeX, shown as its text; "\n  " starts arXiv's paragraphs (4 here)
    assert first.abstract_en.startswith(
        "We study multi-unit multi-buyer auctions, where buyers are subject to constraints that affect their"
        " bidding strategy. These may take the form of bidding constraints (e.g., no-overbidding"
    )
    assert first.abstract_en.count("\n") == 3 and "\\emph" not in first.abstract_en
    assert first.abstract_en.endswith("can reveal general insights regarding optimal auction design.")
    assert first.summary_zh.startswith("本文研究受约束（竞标约束或结果约束）的多单位多买家拍卖。")
    sections = dict(first.ai_sections)
    assert sections["motivation"].startswith("经典拍卖理论中的启示原则、包络定理和Myerson引理")
    assert sections["method"].startswith("针对单调约束（限制竞标或支出方式而非总预算）")
    assert sections["result"].startswith("收入对齐目标下，尽管设计空间扩大，Myerson式拍卖仍保持最优性")
    assert sections["conclusion"].startswith("约束条件从根本上重新定义了拍卖设计空间")
    assert first.github_repo is None


def test_real_file_last_and_cross_listed_papers(sample):
    papers = {p.id: p for p in sample.papers}
    last = papers["2606.32040"]
    assert last.title_en == "FaceMoE: Mixture of Experts for Low-Resolution Face Recognition"
    assert last.authors == ("Kartik Narayan", "Vishal M. Patel")
    assert last.comments == "ECCV 2026, Project Page: https://kartik-3004.github.io/FaceMoE/"
    assert (last.github_repo, last.github_stars) == ("https://github.com/Kartik-3004/FaceMoE", 0)
    assert last.abstract_en.endswith("Code: https://github.com/Kartik-3004/FaceMoE")
    assert last.summary_zh.startswith("本文提出FaceMoE，一种基于混合专家（MoE）Transformer架构的低分辨率人脸识别方法。")
    assert dict(last.ai_sections)["conclusion"].startswith("首次将MoE应用于低分辨率人脸识别")
    poly = papers["2606.30673"]
    assert poly.categories == ("cs.GR", "cs.CV") and len(poly.authors) == 12
    assert poly.title_en == "PolyFlow: Continuous Topology Embedding Flow Matching for Artist-style Mesh Generation"
    # maths in a title stays as written
    assert papers["2606.31029"].title_en.startswith("TerraDiT-$Ω$: Unified Spatial Control")
    # a code_url that is a project page, not a repository, is still the paper's code link
    assert papers["2606.30774"].github_repo == "https://j-lojek.github.io/feedback-generation-is-a-bottleneck/"


def test_fixture(fixtures):
    result = parse_file(str(fixtures / FIXTURE))
    assert result.format == "ai-enhanced-jsonl" and result.warnings == []
    shorter, depth, warmup = result.papers  # the fourth line repeats the first paper
    assert {p.date for p in result.papers} == {"2026-07-02"}  # from the file name
    assert shorter.title_en == "Shorter Prompts, Same Answers: Pruning Instructions for Small Models"
    assert shorter.authors == ("Saoirse Brennan", "Kwame Asante", "Lucía Ortega")
    assert shorter.categories == ("cs.CL", "cs.AI") and shorter.comments == "ACL 2026 Findings"
    assert shorter.abstract_en == (
        "Instructions for small language models are often longer than they need to be. We prune them with a"
        " learned scorer.\nOn five benchmarks the pruned prompts keep 98% of the accuracy at half the length."
    )
    assert shorter.summary_zh == "本文提出一种学习式打分器来剪枝小模型的提示指令，在五个基准上以一半长度保留98%的准确率。"
    assert shorter.ai_sections == (
        ("motivation", "小模型的提示指令往往过长，浪费上下文。"),
        ("method", "训练一个打分器，为指令中的每个句子打分并删除低分句子。"),
        ("result", "五个基准上平均长度减半，准确率保留98%。"),
        ("conclusion", "提示指令可以大幅压缩而几乎不损失效果。"),
    )
    assert depth.authors == ("Jürgen Müller", "Aiko Tanaka")  # `J\"urgen M\"uller`
    assert (depth.github_repo, depth.github_stars) == ("https://github.com/example/blurdepth", 12)
    # the tool writes empty AI fields when its LLM call failed: no summary, no sections
    assert (warmup.summary_zh, warmup.ai_sections, warmup.comments) == (None, (), "4 pages")
    assert len(shorter.sources) == 1


def test_english_ai_fields_are_the_english_summary():
    line = {"id": "2607.03001", "title": "T", "summary": "A.", "categories": ["cs.CL"],
            "AI": {"tldr": "A short English gist.", "motivation": "Why.", "method": "Error"}}
    papers, warnings = ai_jsonl.parse(json.dumps(line), "2026-07-03_AI_enhanced_English.jsonl", DAY)
    assert warnings == []
    (paper,) = papers
    assert (paper.summary_en, paper.summary_zh) == ("A short English gist.", None)
    assert paper.ai_sections == (("motivation", "Why."),)  # "Error" is the tool's failure value
    assert paper.date == "2026-07-03"


def test_date_falls_back_to_the_file_date():
    line = json.dumps({"id": "2607.03001", "title": "T", "summary": "A.", "categories": []})
    papers, _ = ai_jsonl.parse(line, "papers.jsonl", DAY)
    assert papers[0].date == "2026-07-20"


def test_bad_and_cut_lines_are_skipped_and_named(fixtures):
    text = (fixtures / FIXTURE).read_text(encoding="utf-8")
    lines = text.splitlines()
    broken = "\n".join([lines[0], "not json at all", json.dumps({"id": "2607.09999"}), lines[1], lines[2][:200]])
    papers, warnings = ai_jsonl.parse(broken, "x.jsonl", DAY)
    assert [p.id for p in papers] == ["2607.02001", "2607.02002"]
    assert warnings == [
        "2 line(s) are not a paper object with a title: line 2, line 3 (2607.09999); skipped",
        "line 5 (2607.02003) is cut off (the file ends inside it); skipped",
    ]


def test_detected_by_content_not_name(fixtures):
    text = (fixtures / FIXTURE).read_text(encoding="utf-8")
    assert detect(text).NAME == "ai-enhanced-jsonl"
    assert detect("\n\n" + text).NAME == "ai-enhanced-jsonl"
    assert not ai_jsonl.sniff('{"name": "digest-tui", "version": "0.1"}\n')
    assert not ai_jsonl.sniff('[{"paper": {"id": "2607.01111"}, "upvotes": 1}]')
    with pytest.raises(DigestError, match="holds no papers"):
        parse_text('{"id": "2607.00001", "title": null, "summary": "x", "categories": []}\n', "x.jsonl")


def test_the_parse_cache_and_a_warm_start_give_the_ai_sections_back(fixtures, tmp_path):
    """`ai_sections` is one of the long texts: a cache entry's papers part leaves it out, its texts
    part brings it back whole, as a warm start reads them."""
    from digest_tui.core.loading.cache import check_entry, encode_entry, open_entry, read_texts
    from digest_tui.core.model import TEXT_FIELDS, with_texts

    assert "ai_sections" in TEXT_FIELDS
    path = str(fixtures / FIXTURE)
    papers = parse_file(path).papers
    stamp = (1, 2, 3, 4)
    cached = open_entry(check_entry(encode_entry(path, stamp, NAME, [], papers)), path, stamp)
    assert all(p.ai_sections == () and p.summary_zh is None for p in cached.papers)  # the light part
    texts = read_texts(cached.texts)
    assert [with_texts(light, values) for light, values in zip(cached.papers, texts)] == papers


NAME = "ai-enhanced-jsonl"
