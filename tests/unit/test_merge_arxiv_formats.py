"""One paper seen in a daily-arXiv-ai-enhanced JSON Lines file, arXiv's RSS feed and an arXivDaily
page becomes one record: the Chinese summary of the first, the announcement kind of the second,
the score of the third (issue 13's "Done means"). The three files are written here by hand."""

from __future__ import annotations

import json

import pytest

from digest_tui.cli import main as cli_main
from digest_tui.core.library import Mark
from digest_tui.core.loading.session import load
from digest_tui.widgets.paper_detail import header_text

ID = "2607.03003"
TLDR = "本文把语音分词器的词表压缩一半，识别错误率不变。"

ARXIVDAILY = f"""arXivDaily arXiv每日学术速递 周一至周五更新

语言大模型 / LLM

今日/当前日期收录 1 信号源:cs.CL, eess.AS
{ID} 2026-07-03 eess.AS cs.CL 新提交 87%

Halving Speech Tokeniser Vocabularies

语音分词器词表减半

Ilse Vermeer, Kofi Mensah

专题命中 语音 :语音分词器的词表压缩

详情
英文摘要

We halve the vocabulary of speech tokenisers and keep the error rate.
"""

RSS = f"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>cs.CL updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.CL</link>
    <pubDate>Fri, 03 Jul 2026 00:00:00 -0400</pubDate>
    <item>
      <title>Halving Speech Tokeniser Vocabularies</title>
      <link>https://arxiv.org/abs/{ID}</link>
      <description>arXiv:{ID}v1 Announce Type: cross
Abstract: We halve the vocabulary of speech tokenisers and keep the error rate.</description>
      <guid isPermaLink="false">oai:arXiv.org:{ID}v1</guid>
      <category>eess.AS</category>
      <category>cs.CL</category>
      <pubDate>Fri, 03 Jul 2026 00:00:00 -0400</pubDate>
      <arxiv:announce_type>cross</arxiv:announce_type>
      <dc:creator>Ilse Vermeer, Kofi Mensah</dc:creator>
      <arxiv:DOI>10.1000/speech.2026.7</arxiv:DOI>
    </item>
  </channel>
</rss>
"""

JSONL = {
    "id": ID, "categories": ["eess.AS", "cs.CL"], "pdf": f"https://arxiv.org/pdf/{ID}", "abs": f"https://arxiv.org/abs/{ID}",
    "authors": ["Ilse Vermeer", "Kofi Mensah"], "title": "Halving Speech Tokeniser Vocabularies", "comment": "Interspeech 2026",
    "summary": "We halve the vocabulary of speech tokenisers and keep the error rate.",
    "AI": {"tldr": TLDR, "motivation": "词表太大。", "method": "合并相近的词。", "result": "错误率不变。", "conclusion": "可以更小。"},
}  # fmt: skip


@pytest.fixture
def three(tmp_path):
    (tmp_path / "arxivdaily-2026-07-03.txt").write_text(ARXIVDAILY, encoding="utf-8")
    (tmp_path / "cs.CL-2026-07-03.xml").write_text(RSS, encoding="utf-8")
    (tmp_path / "2026-07-03_AI_enhanced_Chinese.jsonl").write_text(json.dumps(JSONL, ensure_ascii=False) + "\n", encoding="utf-8")
    return tmp_path


def test_one_record_from_the_three_formats(three):
    store, report = load([three])
    assert report.problems == [] and report.files == 3
    (paper,) = store.papers
    assert paper.id == ID
    assert {source.format for source in paper.sources} == {"arxivdaily", "arxiv-feed", "ai-enhanced-jsonl"}
    assert paper.summary_zh == TLDR  # the JSONL's AI.tldr
    assert paper.announce_type == "cross-list"  # the feed's `cross`
    assert paper.score == 87  # arXivDaily's 新提交 87%
    assert paper.doi == "10.1000/speech.2026.7"  # the feed's arxiv:DOI
    assert paper.comments == "Interspeech 2026"  # the JSONL's comment
    assert paper.title_zh == "语音分词器词表减半" and paper.topic == "语音"  # arXivDaily's
    assert paper.categories[:2] == ("eess.AS", "cs.CL")
    assert paper.date == "2026-07-03"


def test_dump_shows_the_merged_record(three, capsys):
    assert cli_main(["dump", str(three)]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert (record["summary_zh"], record["announce_type"], record["score"], record["doi"]) == (
        TLDR, "cross-list", 87, "10.1000/speech.2026.7",
    )  # fmt: skip


def test_detail_pane_shows_the_kind_the_summary_and_the_doi(three):
    store, _ = load([three])
    text = header_text(store.papers[0], Mark(), "zh", False).plain
    assert "relevance 87%" in text and "cross-list" in text
    assert "AI总结: " + TLDR in text
    assert "DOI: 10.1000/speech.2026.7" in text
