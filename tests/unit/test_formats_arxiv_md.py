"""arXiv每日学术速递 markdown posts. Expected values were written by reading the post and the fixture."""

from __future__ import annotations

import datetime as dt

import pytest

from digest_tui.core.parsers import DigestError, arxiv_md, parse_file, parse_text

DAY = dt.date(2026, 7, 20)

LISTED = [
    "2512.15674", "2512.15663", "2512.15649", "2512.15617", "2512.15586", "2512.15550", "2512.15446",
    "2512.15397", "2512.15358", "2512.15353", "2512.15312", "2512.15274", "2512.15163", "2512.15081",
    "2512.15053", "2512.15052", "2512.15000", "2512.14989", "2512.14982", "2512.14954",
]  # fmt: skip


@pytest.fixture
def post(shared_digests):
    return parse_file(str(shared_digests / "arxivdaily-digest-post-2025-12-18-excerpt.md"))


def test_real_post_lists_its_twenty_papers(post):
    assert post.format == "arxiv-md"
    assert post.warnings == []
    assert [p.id for p in post.papers] == LISTED
    # the Huggingface link list before the listing is not a source of papers
    assert "2512.14691" not in {p.id for p in post.papers}
    assert {p.date for p in post.papers} == {"2025-12-18"}  # from "# 2025-12-18科研追新"
    assert {p.categories for p in post.papers} == {("cs.CL",)}
    assert {p.topic for p in post.papers} == {"大模型相关"}
    assert sum(1 for p in post.papers if p.comments) == 10
    assert all(p.title_en and p.title_zh and p.abstract_zh and p.abstract_en for p in post.papers)


def test_real_post_first_entries(post):
    first, second = post.papers[:2]
    assert first.title_en == "Activation Oracles: Training and Evaluating LLMs as General-Purpose Activation Explainers"
    assert first.title_zh == "激活先知：训练和评估法学硕士作为通用激活解释者"
    assert first.authors == (
        "Adam Karvonen", "James Chua", "Clément Dumas", "Kit Fraser-Taliente", "Subhash Kantamneni",
        "Julian Minder", "Euan Ong", "Arnab Sen Sharma", "Daniel Wen", "Owain Evans", "Samuel Marks",
    )  # fmt: skip
    assert first.author_count == 11
    assert first.comments == "36 pages"
    assert first.abstract_zh.startswith("众所周知，大型语言模型（LLM）激活很难理解")
    assert first.abstract_en.startswith("Large language model (LLM) activations are notoriously difficult")
    assert first.abstract_en.endswith("verbalize information about LLM activations.")
    assert second.id == "2512.15663" and second.comments is None
    assert second.authors == ("Chase Walker", "Rickard Ewetz")
    mcp = post.papers[12]
    assert mcp.comments == "Our benchmark is available at https://github.com/xjzzzzzzzz/MCPSafety"


def test_fixture_paper_under_two_subjects_is_one_paper(fixtures):
    result = parse_file(str(fixtures / "fmt-arxiv-md-post.md"))
    assert result.format == "arxiv-md" and result.warnings == []
    assert [p.id for p in result.papers] == ["2607.01111", "2607.04444", "2607.05555", "2607.06666"]
    sparse, twice, ottoman, reward = result.papers
    assert sparse.categories == ("cs.CL", "cs.LG")
    assert sparse.topic == "检索"  # the classified part's topic, not the listing's 大模型相关
    assert sparse.title_zh == "稀疏召回：少记多找的检索头"
    assert sparse.comments == "ACL 2026 Findings"
    assert sparse.authors == ("Mira Okafor", "Tomás Lindqvist", "Wen-Hsuan Chu")
    assert sparse.date == "2026-07-09"
    assert len(sparse.sources) == 1
    assert all(p.sources is sparse.sources for p in result.papers)  # one shared tuple, merge or not
    # no 标题 and no 备注 line; the link carried a version suffix
    assert (twice.title_zh, twice.comments) == (None, None)
    assert twice.title_en == "Say It Twice: Prompt Repetition for Small Models"
    assert ottoman.topic == "其他" and ottoman.categories == ("cs.CL",)
    assert ottoman.abstract_en == (
        "We release a corpus of twenty thousand Ottoman court records.\nIt comes with a transcription guide."
    )
    assert reward.topic == "强化学习" and reward.categories == ("cs.LG",)
    assert reward.abstract_zh == "当奖励模型不确定时让它弃权，可以减少策略的奖励黑客行为。"


def test_classified_section_after_the_listing_adds_no_paper_but_topics(fixtures):
    """`## 2. 归类后数据` re-tells papers as `#### title` entries with a bullet summary: no new paper
    (2607.09999 is only there); a listed paper keeps its own abstract and takes the classified topic."""
    papers = {p.id: p for p in parse_file(str(fixtures / "fmt-arxiv-md-post.md")).papers}
    assert "2607.09999" not in papers
    assert papers["2607.01111"].topic == "检索"
    assert papers["2607.04444"].topic == "大模型相关"  # not classified: the listing's topic stays
    assert papers["2607.01111"].abstract_zh.startswith("长上下文模型中的检索头只关注少数几个词元，却以稠密方式训练")
    assert "*" not in papers["2607.01111"].abstract_zh


def test_post_cut_mid_entry_keeps_the_whole_entries(fixtures):
    text = (fixtures / "fmt-arxiv-md-post.md").read_text(encoding="utf-8")
    cut = text[: text.index("**摘要**：当奖励模型不确定时")]  # the last listing entry loses both abstracts
    papers, warnings = arxiv_md.parse(cut, "cut.md", DAY)
    assert [p.id for p in papers] == ["2607.01111", "2607.04444", "2607.05555"]
    assert len(warnings) == 1
    assert "【1】" in warnings[0] and "Reward Models Should Abstain" in warnings[0] and "cut off" in warnings[0]
    midway = text[: text.index("**摘要**：Letting a reward model")]  # only the Chinese abstract made it
    papers, warnings = arxiv_md.parse(midway, "cut.md", DAY)
    assert "2607.06666" not in {p.id for p in papers} and "cut off" in warnings[0]


def test_entry_without_link_or_title_is_skipped_with_a_warning():
    text = (
        "# 2026-07-09科研追新\n\n**cs.CL 方向，今日共计2篇**\n\n### **其他(2篇)**\n\n"
        "【1】No Link Here\n**作者**：A B\n**摘要**：中文摘要。\n**摘要**：English.\n\n\n"
        "【2】Linked\n**链接**：https://arxiv.org/abs/2607.00001\n**摘要**：English only.\n\n\n"
        "【3】\n**链接**：https://arxiv.org/abs/2607.00002\n**摘要**：English.\n"
    )
    papers, warnings = arxiv_md.parse(text, "x.md", DAY)
    assert [p.id for p in papers] == ["2607.00001"]
    assert papers[0].abstract_en == "English only." and papers[0].abstract_zh is None
    assert len(warnings) == 2
    assert "no arXiv link" in warnings[0] and "no title" in warnings[1]


def test_date_falls_back_to_the_file_date():
    text = "**cs.CL 方向，今日共计1篇**\n\n【1】T\n**链接**：https://arxiv.org/abs/2607.00001\n**摘要**：E.\n"
    papers, _ = arxiv_md.parse(text, "x.md", DAY)
    assert papers[0].date == "2026-07-20"


def test_not_this_format():
    assert not arxiv_md.sniff("# Notes\n\nSome markdown with **bold** and [a link](https://arxiv.org/abs/2607.00001).\n")
    with pytest.raises(DigestError, match="holds no papers"):
        parse_text("# 2026-07-09科研追新\n\n【1】\n**摘要**：\n", "empty.md")


def test_hugo_post_every_subject_header_names_its_category(fixtures):
    """TOML front matter; `**cs.AI人工智能，共计2篇**` and `**stat.ML统计机器学习，今日共计1篇**` name their
    categories as `**cs.CL 方向，今日共计2篇**` does; a paper under two subjects gets both; the
    classified part gives 2607.11003 the topic 规划 (its link there has a version suffix)."""
    result = parse_file(str(fixtures / "fmt-arxiv-md-hugo.md"))
    assert result.format == "arxiv-md" and result.warnings == []
    assert [p.id for p in result.papers] == ["2607.11001", "2607.11002", "2607.11003"]
    manual, tokens, planning = result.papers
    assert {p.date for p in result.papers} == {"2026-07-10"}  # from the front matter's date
    assert manual.categories == ("cs.CL", "cs.AI") and manual.topic == "智能体"
    assert tokens.categories == ("cs.CL",) and tokens.topic == "智能体"
    assert planning.categories == ("cs.AI", "stat.ML") and planning.topic == "规划"
    assert planning.title_zh == "在不确定地图上规划" and planning.comments == "9 pages"
    assert planning.authors == ("Zhou Lan", "Amelia Brandt", "Kofi Mensah")
    assert planning.abstract_en == "We let the planner explore first when its map is uncertain."
    assert "*" not in planning.abstract_zh  # the classified part's bullets are not its abstract
    assert manual.sources == tokens.sources and len(manual.sources) == 1


@pytest.mark.parametrize(
    ("header", "category"),
    [
        ("**cs.CL 方向，今日共计60篇**", "cs.CL"),
        ("**cs.AI人工智能，共计142篇**", "cs.AI"),
        ("**cs.CV计算机视觉与模式识别，共计201篇**", "cs.CV"),
        ("**eess.AS 音频处理，今日共计12篇**", "eess.AS"),
        ("**q-bio.NC神经元与认知，共计3篇**", "q-bio.NC"),
        ("**cs.LG 方向, 今日共计 88 篇**", "cs.LG"),
    ],
)
def test_subject_headers_of_the_family(header, category):
    text = f"# 2026-07-11科研追新\n\n{header}\n\n【1】T\n**链接**：https://arxiv.org/abs/2607.00001\n**摘要**：E.\n"
    assert arxiv_md.sniff(text)
    papers, warnings = arxiv_md.parse(text, "x.md", DAY)
    assert warnings == [] and papers[0].categories == (category,)


def test_yaml_front_matter_and_its_date():
    text = (
        '---\ntitle: "arXiv每日学术速递 2026-07-12"\ntags: [arxiv, 【每日】]\n---\n\n'
        "**cs.CL 方向，今日共计1篇**\n\n【1】T\n**链接**：https://arxiv.org/abs/2607.00001\n**摘要**：E.\n"
    )
    papers, warnings = arxiv_md.parse(text, "x.md", DAY)
    assert warnings == [] and papers[0].date == "2026-07-12"  # the title's date: there is no `date` key


def test_a_post_saved_as_plain_text_without_bold_or_headings():
    """The account's own post copied as text: no `**`, no `#`; the same fields and headers."""
    text = (
        "arXiv每日学术速递\n2026-07-13\n\ncs.CL 方向，今日共计2篇\n\n大模型相关(1篇)\n\n"
        "【1】Sparse Recall: Retrieval Heads that Remember Less\n标题：稀疏召回\n链接：https://arxiv.org/abs/2607.01111\n\n"
        "作者：Mira Okafor,Wen-Hsuan Chu\n备注：ACL 2026 Findings\n摘要：检索头只关注少数几个词元（共3类）。\n"
        "摘要：Retrieval heads attend to a handful of tokens.\n\n\n"
        "其他(1篇)\n\n【1】A Corpus\n链接：https://arxiv.org/abs/2607.05555\n\n作者：Elif Şahin\n摘要：语料库。\n摘要：A corpus.\n"
    )
    assert arxiv_md.sniff(text)
    papers, warnings = arxiv_md.parse(text, "updates/2026-07-13.md", DAY)
    assert warnings == []
    sparse, corpus = papers
    assert {p.date for p in papers} == {"2026-07-13"}  # from the file's name: no dated heading
    assert (sparse.id, sparse.title_zh, sparse.comments) == ("2607.01111", "稀疏召回", "ACL 2026 Findings")
    assert sparse.authors == ("Mira Okafor", "Wen-Hsuan Chu")
    assert (sparse.categories, sparse.topic) == (("cs.CL",), "大模型相关")
    assert sparse.abstract_zh == "检索头只关注少数几个词元（共3类）。"
    assert sparse.abstract_en == "Retrieval heads attend to a handful of tokens."
    assert (corpus.topic, corpus.categories, corpus.abstract_en) == ("其他", ("cs.CL",), "A corpus.")
