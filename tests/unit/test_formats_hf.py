"""Hugging Face formats: the API JSON and the HTML pages (listing data, cards, paper page).
Expected values were written by reading the pages and fixtures, not copied from parser output."""

from __future__ import annotations

import datetime as dt
import html
import json

import pytest

from digest_tui.core.model import Source
from digest_tui.core.parsers import DigestError, hf_html, hf_json, parse_file, parse_text

DAY = dt.date(2026, 10, 15)


# ---- the text clean-up both HF formats share ------------------------------------------------


def test_clean_line_collapses_every_kind_of_whitespace():
    assert hf_json.clean_line("MCPMark: A Benchmark for\n  Use\t now ") == "MCPMark: A Benchmark for Use now"
    assert hf_json.clean_line(" \n ") is None
    assert hf_json.clean_line(["not", "text"]) is None


def test_clean_abstract_joins_wrapped_lines_and_keeps_paragraphs():
    raw = "One wrapped\nsentence.\n  An indented line starts a paragraph.\n\n\nA blank line too.\n"
    assert hf_json.clean_abstract(raw) == (
        "One wrapped sentence.\nAn indented line starts a paragraph.\nA blank line too."
    )
    assert hf_json.clean_abstract("$k$-NN with $O(\\log n)$\nlookups") == "$k$-NN with $O(\\log n)$ lookups"


# ---- /api/daily_papers JSON: the real sample ------------------------------------------------


@pytest.fixture
def api_sample(shared_digests):
    return parse_file(str(shared_digests / "hf-api-daily-papers-2026-06-12.json"))


def test_api_json_sample(api_sample):
    assert api_sample.format == "hf-api-json"
    assert api_sample.warnings == []
    papers = {p.id: p for p in api_sample.papers}
    assert len(api_sample.papers) == len(papers) == 30
    first = api_sample.papers[0]
    assert first.id == "2606.00467"
    assert first.title_en == (
        "On the Limits of LLM Adaptability: Impact of Model-Internalized Priors on Annotation Task Performance"
    )
    assert first.authors == ("Etienne Casanova", "Rafal Kocielnik", "R. Michael Alvarez")
    assert first.author_count == 3
    assert first.upvotes == 0
    assert first.comments_count == 2
    assert first.organization == "California institute of technology"
    assert first.date == "2026-06-12"
    assert first.summary_en.startswith("Large language models exhibit limited ability to correct zero-shot errors")
    assert first.abstract_en.startswith("Large Language Models (LLMs) are increasingly used for zero-shot annotation")
    assert first.keywords[0] == "zero-shot annotation" and first.keywords[-1] == "embedding cosine similarity"
    assert len(first.keywords) == 14
    assert first.github_repo is None and first.github_stars is None
    (source,) = first.sources
    assert source.format == "hf-api-json" and source.file.endswith("hf-api-daily-papers-2026-06-12.json")
    assert all(p.sources is first.sources for p in api_sample.papers)  # one shared tuple per file


def test_api_json_sample_repo_stars_and_paragraphs(api_sample):
    papers = {p.id: p for p in api_sample.papers}
    minimax = papers["2606.13392"]
    assert minimax.title_en == "MiniMax Sparse Attention"
    assert (minimax.upvotes, minimax.comments_count) == (103, 4)
    assert minimax.organization == "MiniMax"
    assert (minimax.github_repo, minimax.github_stars) == ("https://github.com/MiniMax-AI/MSA", 251)
    assert len(minimax.authors) == 11
    # "...positioning.\n  Our contributions..." and "...pages.\n  Data and code...": two paragraph breaks
    script = papers["2606.09446"]
    assert script.abstract_en.count("\n") == 2
    assert "deformation, and positioning.\nOur contributions are twofold." in script.abstract_en
    assert "  " not in script.abstract_en
    assert papers["2606.12730"].organization is None
    # an author who hid the paper from their profile is still an author
    assert "Dengyang Jiang" in papers["2606.12575"].authors and len(papers["2606.12575"].authors) == 10
    assert {p.date for p in api_sample.papers} == {"2026-06-12"}


# ---- /api/daily_papers JSON: own fixture ------------------------------------------------------


def test_api_json_fixture(fixtures):
    result = parse_file(str(fixtures / "fmt-hf-api.json"))
    assert result.format == "hf-api-json" and result.warnings == []
    sparse, tiny, weekend = result.papers
    assert sparse.id == "2607.01111"
    assert sparse.title_en == "Sparse Recall: Retrieval Heads that Remember Less and Find More"
    assert sparse.abstract_en == (
        "Retrieval heads in long-context models attend to a handful of tokens, yet they are trained densely. "
        "We show that pruning them to a sparse budget keeps recall intact.\n"
        "A second paragraph starts indented, as arXiv marks paragraphs.\n"
        "A third one follows a blank line."
    )
    assert sparse.authors == ("Mira Okafor", "Tomás Lindqvist", "Wen-Hsuan Chu")
    assert (sparse.upvotes, sparse.comments_count) == (57, 4)
    assert sparse.organization == "Example Lab"
    assert (sparse.github_repo, sparse.github_stars) == ("https://github.com/example-lab/sparse-recall", 1342)
    assert sparse.keywords == ("retrieval heads", "long context", "pruning")
    assert sparse.date == "2026-07-03"  # submittedOnDailyAt, not the 07-01 publication
    assert tiny.title_en == "A Tiny Benchmark for $k$-hop Reasoning" and tiny.organization is None
    assert tiny.comments_count == 0 and tiny.summary_en is None
    assert weekend.id == "2607.03333"  # the v2 suffix is stripped
    assert weekend.authors == () and weekend.date == "2026-06-28"


def test_api_json_saved_before_2025_is_dated_by_the_listing_day(fixtures):
    """No `submittedOnDailyAt` before 2025: the entry's own `publishedAt` is the day HF listed it;
    `paper.publishedAt` (2024-05-24, 2024-05-23) is the arXiv date, days earlier."""
    result = parse_file(str(fixtures / "fmt-hf-api-2024.json"))
    assert result.format == "hf-api-json" and result.warnings == []
    folded, grokking = result.papers
    assert (folded.id, folded.date) == ("2405.20001", "2024-05-27")
    assert (grokking.id, grokking.date) == ("2405.20002", "2024-05-27")
    assert folded.title_en == "Folded Convolutions as Visual Encoders for Large Multimodal Models"
    assert folded.authors == ("Ines Carvalho", "Oluwaseun Adeyemi")
    assert (folded.upvotes, folded.comments_count, grokking.comments_count) == (32, 3, 0)
    assert folded.abstract_en.startswith("High-resolution multimodal models spend most of their compute on visual tokens.")


def test_listing_day_prefers_the_daily_submission_then_the_entry_then_arxiv():
    entry = {"paper": {"publishedAt": "2024-05-24T17:34:15.000Z"}, "publishedAt": "2024-05-27T03:50:58.348Z"}
    assert hf_json.listing_day(entry) == "2024-05-27"
    entry["paper"]["submittedOnDailyAt"] = "2024-05-28T01:00:00.000Z"
    assert hf_json.listing_day(entry) == "2024-05-28"
    assert hf_json.listing_day({"paper": {"publishedAt": "2024-05-24T17:34:15.000Z"}}) == "2024-05-24"


def test_a_daily_page_dates_every_paper_by_its_own_day():
    entries = [
        {"paper": {"id": "2406.01001", "title": "A", "upvotes": 1}, "publishedAt": "2024-06-03T23:40:00.000Z"},
        {"paper": {"id": "2406.01002", "title": "B", "upvotes": 1, "submittedOnDailyAt": "2024-06-05T01:00:00Z"}},
    ]
    for props in ({"date": "2024-06-04T00:00:00.000Z"}, {"periodType": "day", "dateString": "2024-06-04"}):
        papers, _ = hf_json.parse(json.dumps({**props, "dailyPapers": entries}), "day.json", DAY)
        assert [p.date for p in papers] == ["2024-06-04", "2024-06-04"]
    # a week's page lists papers of several days: each keeps its own
    week = {"periodType": "week", "dateString": "2024-W23", "dailyPapers": entries}
    papers, _ = hf_json.parse(json.dumps(week), "week.json", DAY)
    assert [p.date for p in papers] == ["2024-06-03", "2024-06-05"]


def test_api_json_dict_forms(fixtures):
    entries = json.loads((fixtures / "fmt-hf-api.json").read_text(encoding="utf-8"))
    as_props = json.dumps({"dateString": "2026-07-03", "dailyPapers": entries})
    papers, _ = hf_json.parse(as_props, "props.json", DAY)
    assert [p.id for p in papers] == ["2607.01111", "2607.02222", "2607.03333"]
    single, _ = hf_json.parse(json.dumps(entries[1]), "one.json", DAY)
    assert [p.id for p in single] == ["2607.02222"]


# ---- bad JSON --------------------------------------------------------------------------------


def test_malformed_json_is_a_one_line_error():
    text = '[{"paper": {"id": "2607.01111", "upvotes": 3,\n "title": "cut'
    with pytest.raises(DigestError, match=r"^malformed JSON: ") as caught:
        parse_text(text, "cut.json")
    assert "\n" not in str(caught.value)
    with pytest.raises(DigestError, match="nested too deeply"):
        hf_json.parse("[" * 100_000 + "]" * 100_000, "deep.json", DAY)


@pytest.mark.parametrize(
    "text",
    [
        '{"paper": 1, "upvotes": 2}',
        '[{"paper": "2607.01111", "upvotes": 2}]',
        '[{"paper": {"title": ["not", "a", "string"], "upvotes": 1}}]',
        '{"dailyPapers": "none", "paper": null, "upvotes": 0}',
        '[1, 2, 3, "paper", "upvotes"]',
    ],
)
def test_json_in_the_wrong_shape_is_an_error_not_an_empty_success(text):
    with pytest.raises(DigestError) as caught:
        parse_text(text, "odd.json")
    assert "\n" not in str(caught.value)


def test_unknown_json_gets_a_reason():
    with pytest.raises(DigestError, match="not a digest"):
        parse_text('{"name": "digest-tui", "version": "0.1"}', "package.json")
    with pytest.raises(DigestError, match="not a Hugging Face daily papers listing"):
        hf_json.parse('{"name": "digest-tui", "version": "0.1"}', "package.json", DAY)
    with pytest.raises(DigestError, match="no entries"):
        hf_json.parse("[]", "empty.json", DAY)


def test_entries_without_a_paper_are_skipped_with_a_warning(fixtures):
    entries = json.loads((fixtures / "fmt-hf-api.json").read_text(encoding="utf-8"))
    entries.insert(1, {"title": "an ad, not a paper"})
    papers, warnings = hf_json.parse(json.dumps(entries), "mixed.json", DAY)
    assert len(papers) == 3
    assert warnings == ['1 of 4 entries hold no "paper" object; skipped']


# ---- HTML: the real pages --------------------------------------------------------------------


def test_paper_page_sample(shared_digests):
    result = parse_file(str(shared_digests / "hf-paper-page-2509.24002.html"))
    assert result.format == "hf-html" and result.warnings == []
    (paper,) = result.papers
    assert paper.id == "2509.24002"
    # the JSON title is "...Comprehensive MCP\n  Use"
    assert paper.title_en == "MCPMark: A Benchmark for Stress-Testing Realistic and Comprehensive MCP Use"
    assert paper.authors == (
        "Zijian Wu", "Xiangyan Liu", "Xinyuan Zhang", "Lingjun Chen", "Fanqing Meng", "Lingxiao Du",
        "Yiran Zhao", "Fanshi Zhang", "Yaoqi Ye", "Jiawei Wang", "Zirui Wang", "Jinjie Ni", "Yufan Yang",
        "Arvin Xu", "Michael Qizhe Shieh",
    )  # fmt: skip
    assert paper.upvotes == 118
    assert paper.comments_count == 2
    assert paper.organization == "National University of Singapore"  # the submitter's organisation
    assert (paper.github_repo, paper.github_stars) == ("https://github.com/eval-sys/mcpmark", 182)
    assert paper.date == "2025-10-01"
    assert paper.abstract_en.startswith(
        "MCP standardizes how LLMs interact with external systems, forming the foundation for general agents."
    )
    assert "\n" not in paper.abstract_en  # the abstract's hard wraps are not paragraphs
    assert paper.summary_en.startswith("MCPMark is a comprehensive benchmark for evaluating MCP use")
    assert len(paper.keywords) == 21 and paper.keywords[:2] == ("MCP", "LLMs")


def test_trending_cards_excerpt(shared_digests):
    """The excerpt holds the mobile half of the Zep card and the whole FrameMorrow card, whose two
    renderings (desktop and mobile) must give one paper."""
    result = parse_file(str(shared_digests / "hf-trending-2026-cards-excerpt.html"))
    assert result.format == "hf-html" and result.warnings == []
    assert [p.id for p in result.papers] == ["2501.13956", "2609.38839"]
    zep, frame = result.papers
    assert zep.title_en == "Zep: A Temporal Knowledge Graph Architecture for Agent Memory"
    assert zep.upvotes == 17
    assert zep.author_count == 5
    assert zep.date == "2025-01-20"
    assert (zep.github_repo, zep.github_stars) == ("https://github.com/getzep/graphiti", 31500)
    assert zep.summary_en.startswith("Zep, a memory layer service, outperforms MemGPT")
    assert zep.abstract_en is None and zep.organization is None
    assert frame.title_en == (
        "FrameMorrow: Future-guided Frame Selection with Prospective Tokens for Long-Horizon Video Generation"
    )
    assert frame.upvotes == 98
    assert frame.organization == "National University of Singapore"
    assert frame.date == "2026-09-30"
    assert (frame.github_repo, frame.github_stars) == ("https://github.com/YinBo0927/FrameMorrow", 26)
    assert frame.abstract_en.startswith("Long-horizon video generation requires models to effectively leverage")
    assert frame.abstract_en.endswith("action alignment across diverse generation settings.")
    assert frame.summary_en is None


# ---- HTML: own fixtures ----------------------------------------------------------------------


def test_daily_page_reads_the_embedded_listing(fixtures):
    """A 2024 page: the listing JSON has the page's `"date"`, entries have no `submittedOnDailyAt`,
    and the first was submitted the evening before (UTC): the page's day is every paper's date."""
    result = parse_file(str(fixtures / "fmt-hf-daily-2024.html"))
    assert result.format == "hf-html" and result.warnings == []
    engines, compilers = result.papers
    assert engines.id == "2406.01001"
    assert engines.title_en == "Analytical Engines Are Few-Shot Learners"
    # &amp; and &lt;...&gt; in the attribute come back as the characters
    assert engines.abstract_en == "We revisit the analytical engine & show it learns from a few punched cards <really>."
    assert engines.authors == ("Ada Lovelace", "Charles Babbage")  # in the listing's order, unlike the avatars
    assert (engines.upvotes, engines.comments_count) == (42, 3)
    assert engines.organization == "The Royal Society"
    assert engines.summary_en == "Punched cards suffice for few-shot learning."
    assert engines.keywords == ("analytical engine", "few-shot")
    assert engines.date == compilers.date == "2024-06-04"
    assert (compilers.github_repo, compilers.github_stars) == ("https://github.com/example/cadw", 88)


def test_daily_page_falls_back_to_cards_when_the_listing_is_not_json(fixtures):
    page = (fixtures / "fmt-hf-daily-2024.html").read_text(encoding="utf-8")
    start = page.index('data-props="') + len('data-props="')
    end = page.index('"', start)
    broken = page[:start] + html.escape("{dailyPapers: [oops", quote=True) + page[end:]
    papers, warnings = hf_html.parse(broken, "broken.html", dt.date(2024, 6, 20))
    assert len(warnings) == 1
    assert warnings[0].startswith("the DailyPapers data-props is not valid JSON")
    assert warnings[0].endswith("read the rendered cards instead")
    engines, compilers = papers
    assert engines.id == "2406.01001" and engines.title_en == "Analytical Engines Are Few-Shot Learners"
    assert (engines.upvotes, engines.author_count, engines.comments_count) == (42, 2, 3)
    assert (compilers.upvotes, compilers.author_count, compilers.comments_count) == (7, 1, 0)
    # the cards carry no listing day; the page's own address (og:url `papers?date=2024-06-04`) does
    assert engines.date == compilers.date == "2024-06-04"


def test_page_day_is_the_pages_own_address_not_its_links():
    assert hf_html.page_day('<meta property="og:url" content="https://huggingface.co/papers?date=2024-06-04">') == "2024-06-04"
    assert hf_html.page_day('<link rel="canonical" href="https://huggingface.co/papers/date/2025-03-05"/>') == "2025-03-05"
    assert hf_html.page_day('<link rel="canonical" href="https://huggingface.co/papers/trending"/>') is None
    assert hf_html.page_day('<a href="https://huggingface.co/papers?date=2025-10-01">prev</a>') is None


def test_listing_that_is_not_json_and_no_cards_is_an_error():
    page = (
        '<!doctype html><html><body><div class="SVELTE_HYDRATER contents" data-target="DailyPapers" '
        'data-props="{not json"></div><p>Daily Papers on huggingface.co/papers</p></body></html>'
    )
    with pytest.raises(DigestError, match="DailyPapers data-props is not valid JSON"):
        parse_text(page, "broken.html")


def test_2026_cards_render_twice_but_count_once(fixtures):
    result = parse_file(str(fixtures / "fmt-hf-cards-2026.html"))
    assert result.format == "hf-html" and result.warnings == []
    assert [p.id for p in result.papers] == ["2609.40001", "2609.40002", "2609.40003"]
    assert all(p.sources == (Source(str(fixtures / "fmt-hf-cards-2026.html"), "hf-html"),) for p in result.papers)
    selfdraft, agents, audit = result.papers
    assert selfdraft.title_en == "SelfDraft: Early-Exit Drafting for Speculative Decoding"
    assert selfdraft.abstract_en.startswith("Speculative decoding drafts several tokens and verifies them in one pass.")
    assert "  " not in selfdraft.abstract_en and "\n" not in selfdraft.abstract_en
    assert (selfdraft.upvotes, selfdraft.organization, selfdraft.date) == (214, "Example Research", "2026-09-28")
    assert (selfdraft.github_repo, selfdraft.github_stars) == ("https://github.com/example-research/selfdraft", 1200)
    # only the mobile half of this card carries a date: the two halves complete each other
    assert agents.date == "2026-09-29"
    assert agents.summary_en == "Tool-using agents that consult documentation before acting make 40% fewer invalid calls."
    assert (agents.author_count, agents.upvotes, agents.github_repo) == (3, 87, None)
    assert (audit.organization, audit.github_stars, audit.upvotes) == ("University X", 9, 5)


def test_paper_page_fixture(fixtures):
    result = parse_file(str(fixtures / "fmt-hf-paper-page.html"))
    (paper,) = result.papers
    assert paper.id == "2608.05555"
    assert paper.title_en == "Quiet Gradients: Noise-Free Training of Tiny Language Models"
    assert paper.abstract_en == (
        "Gradient noise dominates the training of tiny language models. We propose Quiet Gradients, "
        "which averages over a learned basis. It halves the steps to a target loss."
    )
    assert paper.authors == ("Sofia Marin", "Kenji Watanabe", "Priya Raman")
    assert (paper.upvotes, paper.comments_count, paper.organization) == (64, 3, "Quiet Lab")
    assert paper.date == "2026-08-01"


def test_html_that_is_not_a_digest():
    page = "<!DOCTYPE html><html><head><title>Recipes</title></head><body><h3>Soup</h3><p>Boil.</p></body></html>"
    with pytest.raises(DigestError, match="not a digest"):
        parse_text(page, "recipes.html")
    with pytest.raises(DigestError, match="no Hugging Face papers"):
        hf_html.parse(page, "recipes.html", DAY)
    odd = '<html><body><div class="SVELTE_HYDRATER" data-target="PaperContent" data-props="[1, 2]"></div></body></html>'
    with pytest.raises(DigestError, match="PaperContent data has no paper object"):
        hf_html.parse(odd, "odd.html", DAY)


def test_sniff_is_specific():
    assert hf_json.sniff('  [{"paper": {"id": "2607.01111", "upvotes": 3}}]')
    assert not hf_json.sniff('{"name": "x", "upvotes": 1}')
    assert not hf_json.sniff('see "paper" and "upvotes" in [brackets]')
    assert hf_html.sniff('<!doctype html><html><div data-target="DailyPapers" data-props="{}"></div>')
    assert not hf_html.sniff("<!doctype html><html><body><p>Hello</p></body></html>")
    assert not hf_html.sniff('Daily Papers\n<a href="https://huggingface.co/papers/2607.01111">x</a>')


def test_a_single_paper_from_the_papers_api():
    """`https://huggingface.co/api/papers/ID` gives the paper object itself, not an entry around it."""
    paper = {
        "id": "2509.24002", "authors": [{"_id": "a1", "name": "Zijian Wu", "hidden": False}],
        "publishedAt": "2025-09-28T13:43:24.000Z", "submittedOnDailyAt": "2025-10-01T00:21:46.263Z",
        "title": "MCPMark: A Benchmark for Stress-Testing Realistic and Comprehensive MCP\n  Use",
        "summary": "MCP standardizes how LLMs interact with external systems.", "upvotes": 118,
        "discussionId": "68dc8f2e", "githubRepo": "https://github.com/eval-sys/mcpmark", "githubStars": 182,
    }  # fmt: skip
    text = json.dumps(paper, indent=2)
    assert hf_json.sniff(text)
    result = parse_text(text, "2509.24002.json")
    assert result.format == "hf-api-json"
    (read,) = result.papers
    assert (read.id, read.date, read.upvotes, read.authors) == ("2509.24002", "2025-10-01", 118, ("Zijian Wu",))
    assert read.title_en == "MCPMark: A Benchmark for Stress-Testing Realistic and Comprehensive MCP Use"
    assert (read.github_repo, read.github_stars) == ("https://github.com/eval-sys/mcpmark", 182)


def test_api_json_cut_short_keeps_the_whole_entries(fixtures):
    """A download cut off inside the third entry: the two before it are read, the cut one named."""
    text = (fixtures / "fmt-hf-api.json").read_text(encoding="utf-8")
    third = text.index('"2607.03333')
    papers, warnings = hf_json.parse(text[: third + 40], "cut.json", DAY)
    assert [p.id for p in papers] == ["2607.01111", "2607.02222"]
    assert warnings == ["the file is cut off inside entry 3 (2607.03333v2); kept the 2 whole entries before it"]
    # a file that is wrong, not short, is still refused
    with pytest.raises(DigestError, match="malformed JSON"):
        hf_json.parse(text.replace('"upvotes"', "upvotes", 1), "bad.json", DAY)


def test_a_cut_inside_a_character_of_api_json(fixtures, tmp_path):
    """Saved raw (not \\u-escaped) and cut one byte into the `Ü` of the third entry's summary."""
    entries = json.loads((fixtures / "fmt-hf-api.json").read_text(encoding="utf-8"))
    entries[2]["paper"]["summary"] = "Eine Übersicht der Wochenend-Papiere."
    data = json.dumps(entries, ensure_ascii=False, indent=2).encode("utf-8")
    cut = data.index("Ü".encode()) + 1
    (tmp_path / "cut.json").write_bytes(data[:cut])
    result = parse_file(str(tmp_path / "cut.json"))
    assert [p.id for p in result.papers] == ["2607.01111", "2607.02222"]
    assert result.warnings == [
        "the file ends inside a character (cut off?); that character was dropped",
        "the file is cut off inside entry 3 (2607.03333v2); kept the 2 whole entries before it",
    ]


def test_a_2023_daily_page_with_the_props_before_the_target():
    """2023 pages put `data-props` before `data-target` and date the listing with `"date"`."""
    props = {
        "dailyPapers": [
            {"paper": {"id": "2310.10001", "title": "Old Page Paper", "summary": "An abstract.", "upvotes": 5,
                       "publishedAt": "2023-10-13T17:59:59.000Z", "authors": [{"name": "Ann Old"}]},
             "publishedAt": "2023-10-16T01:02:03.000Z", "numComments": 1},
        ],
        "date": "2023-10-16T00:00:00.000Z",
    }  # fmt: skip
    page = (
        '<!doctype html><html><body><div class="SVELTE_HYDRATER contents" data-props="'
        + html.escape(json.dumps(props), quote=True)
        + '" data-target="DailyPapers"></div></body></html>'
    )
    assert hf_html.sniff(page)
    (paper,), warnings = hf_html.parse(page, "2023-10-16.html", DAY)
    assert warnings == []
    assert (paper.id, paper.date, paper.authors, paper.comments_count) == ("2310.10001", "2023-10-16", ("Ann Old",), 1)
