"""daily-arXiv / cv-arxiv-daily markdown tables. Expected values were written by reading the README
in ../shared and the fixtures, not copied from parser output."""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from digest_tui.core.parsers import DigestError, arxiv_table, detect, parse_file

DAY = dt.date(2026, 7, 20)


@pytest.fixture(scope="module")
def readme():
    from tests.conftest import SHARED_DIGESTS

    if not SHARED_DIGESTS.is_dir():
        pytest.skip(f"real digest pages not found at {SHARED_DIGESTS} (../shared is absent)")
    return parse_file(str(SHARED_DIGESTS / "cv-arxiv-daily-readme-2026-06-29.md"))


def test_real_readme_rows_ids_and_topics(readme):
    """9,312 rows under six topics, 8,563 distinct ids: a paper listed under several topics is one
    record with the first topic it is listed under."""
    assert readme.format == "arxiv-table-md" and readme.warnings == []
    assert len(readme.papers) == len({p.id for p in readme.papers}) == 8563
    assert readme.papers[0].id == "2605.13741" and readme.papers[-1].id == "2207.13298"
    assert collections.Counter(p.topic for p in readme.papers) == {
        "Visual Localization": 2798, "NeRF": 1760, "SLAM": 1419, "Image Matching": 1098, "SFM": 1004,
        "Keypoint Detection": 484,
    }  # fmt: skip
    assert min(p.date for p in readme.papers) == "2021-08-23"
    assert max(p.date for p in readme.papers) == "2026-05-14"
    # every Authors cell is "First Author et.al.": kept as written, the count unknown
    assert all(len(p.authors) == 1 and p.authors[0].endswith(" et.al.") for p in readme.papers)
    assert all(p.author_count is None for p in readme.papers)
    assert sum(1 for p in readme.papers if p.github_repo) == 1529  # GitHub, GitLab and Bitbucket links
    assert all(p.abstract_en is None and p.categories == () for p in readme.papers)


def test_real_readme_first_last_and_repeated_papers(readme):
    papers = {p.id: p for p in readme.papers}
    first = papers["2605.13741"]
    assert first.title_en == "LEXI-SG: Monocular 3D Scene Graph Mapping with Room-Guided Feed-Forward Reconstruction"
    assert first.authors == ("Christina Kassab et.al.",)
    assert (first.date, first.topic, first.github_repo) == ("2026-05-13", "SLAM", None)
    last = papers["2207.13298"]
    assert (last.title_en, last.authors, last.date, last.topic) == (
        "Is Attention All NeRF Needs?", ("Mukund Varma T et.al.",), "2022-07-27", "NeRF"
    )
    fdnerf = papers["2208.05751"]
    assert fdnerf.github_repo == "https://github.com/fdnerf/fdnerf" and fdnerf.date == "2022-08-11"
    assert papers["2605.12774"].topic == "SLAM"  # also under SFM
    # under SLAM, SFM and Keypoint Detection, dated 2026-02-25 twice and 2026-03-03 once: the earliest
    assert (papers["2602.20630"].topic, papers["2602.20630"].date) == ("SLAM", "2026-02-25")


def test_fixture(fixtures):
    result = parse_file(str(fixtures / "fmt-cv-arxiv-daily.md"))
    assert result.format == "arxiv-table-md" and result.warnings == []
    assert [p.id for p in result.papers] == ["2607.05001", "2607.05002", "2607.05003", "2606.39004"]
    shadows, slc, splats, rain = result.papers
    assert (shadows.title_en, shadows.authors, shadows.date) == (
        "Loop Closure From Shadows", ("Maren Ødegaard et.al.",), "2026-07-03"
    )
    assert slc.title_en == "SLC $^2$ -Map: Shared Latent Codes for Semantic Mapping"  # the tool's maths spacing kept
    assert slc.github_repo == "https://github.com/example/slc2map"
    # under SLAM (no code, 07-01) and NeRF (code, 07-04): one record, first topic, earliest date, the code
    assert (splats.topic, splats.date) == ("SLAM", "2026-07-01")
    assert splats.github_repo == "https://github.com/example/forgetful-splats"
    # a full author list is split and counted
    assert (rain.authors, rain.author_count, rain.topic) == (("Wen Li", "Karim Nassar", "Ola Berg"), 3, "NeRF")
    assert all(p.author_count is None for p in (shadows, slc, splats))


def test_the_web_page_variant(fixtures):
    """docs/index.md: front matter, spaced header cells, `:---` rules, ids with versions, a `|` in a title."""
    result = parse_file(str(fixtures / "fmt-cv-arxiv-daily-web.md"))
    assert result.format == "arxiv-table-md" and result.warnings == []
    corners, blobs = result.papers
    assert (corners.id, corners.date, corners.topic) == ("2305.05001", "2023-05-09", "Keypoint Detection")
    assert blobs.id == "2305.04002" and blobs.title_en == "Is a Keypoint a Point? | A Study of Blobs"
    assert blobs.github_repo == "https://github.com/example/blobs" and blobs.authors == ("Li Na et.al.",)


def test_rows_without_a_title_are_skipped_and_counted():
    text = (
        "## SLAM\n\n|Publish Date|Title|Authors|PDF|Code|\n|---|---|---|---|---|\n"
        "|**2026-07-03**|****|A et.al.|[2607.05001](http://arxiv.org/abs/2607.05001)|null|\n"
        "|**2026-07-03**|**Kept**|B et.al.|[2607.05002](http://arxiv.org/abs/2607.05002)|null|\n"
        "|**2026-07-03**|**Short row**|\n"
    )
    papers, warnings = arxiv_table.parse(text, "x.md", DAY)
    assert [p.id for p in papers] == ["2607.05002"]
    assert warnings == ["2 table row(s) without a title or with missing cells: line 5, line 7; skipped"]


def test_detected_by_content(fixtures):
    assert detect((fixtures / "fmt-cv-arxiv-daily.md").read_text(encoding="utf-8")).NAME == "arxiv-table-md"
    assert not arxiv_table.sniff("|Name|Title|\n|---|---|\n|a|b|\n")  # a table, but no arXiv papers
    assert not arxiv_table.sniff("# Notes\n\nSee https://arxiv.org/abs/2607.00001\n")


def test_the_wechat_list_variant(fixtures):
    """docs/wechat.md: the same rows as a list, `Paper:` and `Code:` links with versioned ids."""
    result = parse_file(str(fixtures / "fmt-cv-arxiv-daily-wechat.md"))
    assert result.format == "arxiv-table-md" and result.warnings == []
    shadows, maps, bundle = result.papers
    assert (shadows.id, shadows.date, shadows.topic) == ("2202.09001", "2022-02-22", "SLAM")
    assert shadows.authors == ("Maren Ødegaard et.al.",) and shadows.author_count is None
    assert shadows.github_repo == "https://github.com/example/shadow-loops"
    assert maps.title_en == "Gaussian Maps, Revisited"  # a comma in the title
    assert (maps.topic, maps.date, maps.github_repo) == ("SLAM", "2022-02-17", None)  # also under SFM, earlier there
    assert (bundle.id, bundle.topic, bundle.title_en) == ("2201.08003", "SFM", "Bundle Adjustment on a Budget")


def test_a_fork_with_other_columns_is_read_by_its_header():
    """Forks reorder and add columns; the header says which is which (an Abstract column is the abstract)."""
    text = (
        "## LLM\n\n| Title | Date | Abstract | Authors | Paper | Code |\n|:--|:--|:--|:--|:--|:--|\n"
        "| **Small Models Think Twice** | 2026-07-01 | We make small models reflect. | A. Bee, C. Dee |"
        " [2607.06001v1](https://arxiv.org/abs/2607.06001v1) | [code](https://github.com/x/y) |\n"
    )
    assert arxiv_table.sniff(text)
    (paper,), warnings = arxiv_table.parse(text, "x.md", DAY)
    assert warnings == []
    assert (paper.id, paper.title_en, paper.date, paper.topic) == ("2607.06001", "Small Models Think Twice", "2026-07-01", "LLM")
    assert (paper.abstract_en, paper.authors, paper.github_repo) == (
        "We make small models reflect.", ("A. Bee", "C. Dee"), "https://github.com/x/y"
    )


def test_standard_rows_with_other_author_cells():
    """Rows in the tool's own shape (its fast path) with `et al.` or a full list still read right."""
    text = (
        "## SLAM\n\n|Publish Date|Title|Authors|PDF|Code|\n|---|---|---|---|---|\n"
        "|**2026-07-03**|**One**|Ana Lima et al.|[2607.05001](http://arxiv.org/abs/2607.05001)|null|\n"
        "|**2026-07-03**|**Two**|Ana Lima, Bo Chen|[2607.05002v3](http://arxiv.org/abs/2607.05002v3)|null|\n"
    )
    (one, two), warnings = arxiv_table.parse(text, "x.md", DAY)
    assert warnings == []
    assert (one.authors, one.author_count) == (("Ana Lima et al.",), None)
    assert (two.id, two.authors, two.author_count) == ("2607.05002", ("Ana Lima", "Bo Chen"), 2)


def test_the_tools_json(fixtures):
    """cv-arxiv-daily.json: each topic an object of id -> the markdown row the README is written from."""
    result = parse_file(str(fixtures / "fmt-cv-arxiv-daily.json"))
    assert result.format == "arxiv-table-md" and result.warnings == []
    assert [p.id for p in result.papers] == ["2607.05001", "2607.05003", "2606.39004"]
    shadows, splats, rain = result.papers
    assert shadows.authors == ("Maren Ødegaard et.al.",) and shadows.topic == "SLAM"  # \u-escaped in the file
    assert (splats.topic, splats.date, splats.github_repo) == ("SLAM", "2026-07-01", "https://github.com/example/forgetful-splats")
    assert rain.title_en == "Radiance Fields on $SU(2)\\times R^3$" and rain.topic == "NeRF"
    with pytest.raises(DigestError, match="malformed JSON"):
        arxiv_table.parse('{"SLAM": {"1": "|**2026-', "x.json", DAY)
