"""Format detection over every real sample and fixture, and the parsers' promise: any input gives
papers or a one-line DigestError, never another exception."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest_tui.core.parsers import (
    FORMATS,
    DigestError,
    ai_jsonl,
    arxiv_table,
    arxiv_email,
    arxiv_feed,
    mailbox,
    arxiv_md,
    arxivdaily_html,
    decode,
    detect,
    parse_as,
    hf_html,
    hf_json,
    hf_newsletter,
)

SHARED = {
    "arxiv-api-atom-1601.00001.xml": "arxiv-feed",
    "arxiv-listing-email-2026-01-23-cs.txt": "arxiv-email",
    "arxiv-rss-cs.AI-2026-04-27-excerpt.xml": "arxiv-feed",
    "arxiv-listing-email-sample.txt": "arxiv-email",
    "arxivdaily-2026-06-04-tracking.txt": "arxivdaily",
    "arxivdaily-2026-06-18-llm.txt": "arxivdaily",
    "arxivdaily-digest-post-2025-12-18-excerpt.md": "arxiv-md",
    "cv-arxiv-daily-readme-2026-06-29.md": "arxiv-table-md",
    "daily-arxiv-ai-enhanced-2026-07-01.jsonl": "ai-enhanced-jsonl",
    "hf-api-daily-papers-2026-06-12.json": "hf-api-json",
    "hf-daily-papers-search.txt": "hf-text",
    "hf-newsletter-zh-2025-01-23.md": "hf-newsletter-zh",
    "hf-paper-page-2509.24002.html": "hf-html",
    "hf-trending-2026-cards-excerpt.html": "hf-html",
}
OWN = {
    "fmt-ai-enhanced-2026-07-02_AI_enhanced_Chinese.jsonl": "ai-enhanced-jsonl",
    "fmt-arxiv-api.xml": "arxiv-feed",
    "fmt-arxiv-atom.xml": "arxiv-feed",
    "fmt-arxiv-email.txt": "arxiv-email",
    "fmt-arxiv-mailbox.mbox": "mailbox",
    "fmt-arxiv-rss-empty.xml": "arxiv-feed",
    "fmt-arxiv-rss1.xml": "arxiv-feed",
    "fmt-arxiv-rss2.xml": "arxiv-feed",
    "fmt-arxiv-md-post.md": "arxiv-md",
    "fmt-cv-arxiv-daily.md": "arxiv-table-md",
    "fmt-cv-arxiv-daily-web.md": "arxiv-table-md",
    "fmt-cv-arxiv-daily-wechat.md": "arxiv-table-md",
    "fmt-cv-arxiv-daily.json": "arxiv-table-md",
    "fmt-arxiv-md-hugo.md": "arxiv-md",
    "fmt-arxivdaily-page.html": "arxivdaily-html",
    "fmt-hf-api.json": "hf-api-json",
    "fmt-hf-api-2024.json": "hf-api-json",
    "fmt-hf-cards-2026.html": "hf-html",
    "fmt-hf-daily-2024.html": "hf-html",
    "fmt-hf-paper-page.html": "hf-html",
    "fmt-hf-newsletter-zh.md": "hf-newsletter-zh",
}
NEW_PARSERS = (
    hf_json, hf_html, arxiv_md, arxiv_email, arxivdaily_html, arxiv_feed, ai_jsonl, arxiv_table, hf_newsletter, mailbox
)  # fmt: skip
DAY = dt.date(2026, 7, 20)
SHARED_DIGESTS = Path(__file__).resolve().parents[3] / "shared" / "digests"  # read when present


def test_formats_are_registered_once_each():
    names = [module.NAME for module in FORMATS]
    assert len(names) == len(set(names))
    assert {"hf-html", "hf-api-json", "arxiv-md", "arxiv-email", "arxivdaily-html", "arxiv-feed"} <= set(names)


def test_every_shared_sample_is_known(shared_digests):
    """A new file in ../shared must get an expected format here, not slip past this test."""
    assert sorted(path.name for path in shared_digests.iterdir()) == sorted(SHARED)


@pytest.mark.parametrize(("name", "expected"), sorted(SHARED.items()))
def test_real_samples_are_detected_as_their_own_format(shared_digests, name, expected):
    text = decode((shared_digests / name).read_bytes())
    assert expected == detect(text).NAME
    claims = [module.NAME for module in FORMATS if module.sniff(text[:65536])]
    assert claims[0] == expected


@pytest.mark.parametrize(("name", "expected"), sorted(OWN.items()))
def test_own_fixtures_are_detected_as_their_own_format(fixtures, name, expected):
    assert expected == detect(decode((fixtures / name).read_bytes())).NAME


def _texts(directory, names):
    for name in names:
        path = directory / name
        if path.is_file():
            yield name, decode(path.read_bytes())


def _only_digest_errors(module, text):
    try:
        result = parse_as(module, text, "x", DAY)
    except DigestError as error:
        assert str(error) and "\n" not in str(error), f"{module.NAME}: {error!r}"
        return
    # papers, or (a feed with no items) none and a note saying so
    assert result.papers or result.warnings
    assert all(isinstance(w, str) and "\n" not in w for w in result.warnings)


def test_cut_files_give_papers_or_a_digest_error(fixtures):
    """Every new parser on every sample cut at 24 points: the cuts land mid-entry, mid-tag, mid-JSON."""
    files = list(_texts(fixtures, OWN)) + list(_texts(SHARED_DIGESTS, SHARED))
    assert len(files) >= len(OWN)
    for _, text in files:
        for step in range(1, 25):
            cut = text[: len(text) * step // 25]
            for module in NEW_PARSERS:
                _only_digest_errors(module, cut)


PIECES = st.sampled_from(
    [
        "\n", "  ", "\\\\", "\\\\ ( https://arxiv.org/abs/2607.00001 ,  1kb)", "-" * 78, "%%--%%--%%",
        "arXiv:2607.00001", " (*cross-listing*)", "replaced with revised version Thu, 9 Jul 2026",
        "Title: ", "Authors: ", "Categories: cs.CL", "Date: Thu, 9 Jul 2026 10:00:00 GMT",
        "received from  Wed  8 Jul 26 18:00:00 GMT  to  Thu  9 Jul 26 18:00:00 GMT",
        "【1】", "**链接**：https://arxiv.org/abs/2607.00002", "**摘要**：", "**标题**：", "**作者**：a,b",
        "**cs.CL 方向，今日共计1篇**", "### **其他(1篇)**", "# 2026-13-45科研追新", "## 2.", "#### ",
        "<div", ">", "</div>", '<div class="SVELTE_HYDRATER" data-target="DailyPapers" data-props="',
        'data-target="PaperContent" data-props=\'', "&quot;", '"', "'", "<h3><a href=\"/papers/2607.00003\">",
        "</a></h3>", '<div class="font-semibold text-orange-500">', "Published on Feb 30, 2026",
        '{"paper": {"id": "2607.00004", "title": ', '"upvotes": ', "1e999", "null", "[", "]", "{", "}", ",",
        "<!DOCTYPE html><html><body>", "arXivDaily", "2607.00005 2026-07-09 cs.CL 新提交 90%", "英文摘要",
        "AI中文摘要",
        '{"id": "2607.00006", "title": "T", "categories": ["cs.CL"], "summary": "S", "AI": {"tldr": ', '"}}',
        "|Publish Date|Title|Authors|PDF|Code|", "|---|---|---|---|---|", "|**2026-07-09**|**T**|A et.al.|",
        "[2607.00007](http://arxiv.org/abs/2607.00007)|null|", "- 2026-07-09, **T**, A et.al., Paper: ",
        "### 1. 标题", "**原文标题：** ", "**论文链接：** [arXiv](https://arxiv.org/abs/2607.00008)", "总论文数：9",
        "+++", "**cs.AI人工智能，共计2篇**", "## 2. 归类后数据", '{"SLAM": {"2607.00009": "|**2026-07-09**|',
        "<rss>", "<feed>", "<item>", "</item>", "<entry>", "</entry>", "<title>", "</title>",
        "<link>https://arxiv.org/abs/2607.00006</link>", "<arxiv:announce_type>cross</arxiv:announce_type>",
        "<pubDate>Thu, 09 Jul 2026 00:00:00 -0400</pubDate>", "From a@b Tue Jul  7 00:41:02 2026\n", "Content-Transfer-Encoding: base64\n",
        'Content-Type: multipart/alternative; boundary="B"\n', "--B\n", "Content-Transfer-Encoding: quoted-printable\n", "=C3=A9=\n", "<!DOCTYPE x>", "<![CDATA[", "&amp;", "&#0;",
        "Ontol\\'ogico", "$\\'e$", "\\textbf{", "<script>", "<br>", "<!--", "-->", "\x00", "\ud800", "é", "中文",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40))
def test_any_text_gives_papers_or_a_digest_error(pieces):
    text = "".join(pieces)
    for module in NEW_PARSERS:
        _only_digest_errors(module, text)
        module.sniff(text)


def test_valid_hf_json_that_sniffs_is_parsed_or_refused():
    for text in ('{"paper": {}, "upvotes": 1}', '[{"paper": {"id": 7, "title": 7}}, {"upvotes": []}]'):
        assert hf_json.sniff(text)
        with pytest.raises(DigestError):
            hf_json.parse(text, "x.json", DAY)


def _arxivdaily_claims(head: str) -> bool:
    """arxivdaily.sniff as it was written before it skipped to line breaks: the header anywhere."""
    from digest_tui.core.parsers.arxivdaily import HEADER

    return HEADER.search(head) is not None and ("英文摘要" in head or "AI中文摘要" in head or "arXivDaily" in head)


@pytest.mark.parametrize(
    "head",
    [
        "2607.00005 2026-07-09 cs.CL\nTitle\n英文摘要\n",  # the header on the first line
        "arXivDaily\n\n2607.00005 2026-07-09 cs.CL 新提交 90%\n",  # after a line break
        "arXivDaily\n\n\n2607.00005v2 2026-07-09\n",  # no categories, a version
        "arXivDaily x 2607.00005 2026-07-09 cs.CL\n",  # not at a line's start: no header
        "arXivDaily\n 2607.00005 2026-07-09 cs.CL\n",  # indented: no header
        "arXivDaily\n2607.00005 2026-07-09 cs.CL trailing words\n",  # more on the line: no header
        "2607.00005 2026-07-09 cs.CL\n",  # a header but none of the page's words
    ],
)
def test_arxivdaily_sniff_finds_a_header_at_any_line_start_only(head):
    from digest_tui.core.parsers import arxivdaily

    assert arxivdaily.sniff(head) == _arxivdaily_claims(head)


@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arxivdaily_sniff_is_a_search_for_the_header(pieces):
    head = "".join(pieces)
    from digest_tui.core.parsers import arxivdaily

    assert arxivdaily.sniff(head) == _arxivdaily_claims(head)


def test_whitespace_is_an_empty_file_however_long():
    for text in ["", " ", "\n\n\t \u3000\n" * 1000]:
        with pytest.raises(DigestError, match="^empty file$"):
            detect(text)
