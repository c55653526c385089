"""One paper seen in the new formats and the old: a JSONL line, an arXiv RSS feed and an arXivDaily
page make one record, with the JSONL's Chinese summary and AI sections, the feed's announcement kind
and the page's score; `dump` and the detail pane show the new fields."""

from __future__ import annotations

import json
import shutil

from digest_tui.cli import main
from digest_tui.core.library import Mark
from digest_tui.core.model import Paper, merge
from digest_tui.core.parsers import parse_file
from digest_tui.widgets.paper_detail import header_text

LINE = {
    "id": "2607.07150", "categories": ["eess.AS", "cs.CL"], "authors": ["Ilse Vermeer"],
    "title": "Speech Tokenisers Compared", "comment": None, "summary": "We compare eleven speech tokenisers.",
    "code_url": "https://github.com/example/tokenisers", "code_stars": 5,
    "AI": {"tldr": "本文比较了十一种语音分词器。", "motivation": "语音分词器缺少统一比较。", "method": "在同一基准上评测。",
           "result": "没有一种分词器全面领先。", "conclusion": "选择取决于任务。"},
}  # fmt: skip
PAGE = (
    "arXivDaily\n今日/当前日期收录 1 信号源:eess.AS\n\n"
    "2607.07150 2026-07-09 eess.AS cs.CL 新提交 77%\n\nSpeech Tokenisers Compared\n\n语音分词器比较\n\nIlse Vermeer\n\n"
    "详情\nAI中文摘要\n\n我们比较了十一种语音分词器。\n\n英文摘要\n\nWe compare eleven speech tokenisers.\n"
)


def test_jsonl_feed_and_page_make_one_record(fixtures, tmp_path, capsys):
    (tmp_path / "2026-07-09_AI_enhanced_Chinese.jsonl").write_text(json.dumps(LINE) + "\n", encoding="utf-8")
    shutil.copy(fixtures / "fmt-arxiv-rss2.xml", tmp_path / "cs.CL.xml")
    (tmp_path / "arxivdaily.txt").write_text(PAGE, encoding="utf-8")
    assert main(["dump", str(tmp_path)]) == 0
    papers = {p["id"]: p for p in json.loads(capsys.readouterr().out)}
    paper = papers["2607.07150"]
    assert sorted(s["format"] for s in paper["sources"]) == ["ai-enhanced-jsonl", "arxiv-feed", "arxivdaily"]
    assert paper["summary_zh"] == "本文比较了十一种语音分词器。"
    assert paper["ai_sections"] == {
        "motivation": "语音分词器缺少统一比较。", "method": "在同一基准上评测。",
        "result": "没有一种分词器全面领先。", "conclusion": "选择取决于任务。",
    }  # fmt: skip
    assert paper["score"] == 77 and paper["title_zh"] == "语音分词器比较"
    assert paper["github_repo"] == "https://github.com/example/tokenisers"
    assert paper["categories"] == ["eess.AS", "cs.CL"] and paper["date"] == "2026-07-09"
    # the store merges with model.merge: the feed's announcement kind is kept beside the rest
    records = [next(p for p in parse_file(str(tmp_path / name)).papers if p.id == "2607.07150")
               for name in ("2026-07-09_AI_enhanced_Chinese.jsonl", "cs.CL.xml", "arxivdaily.txt")]
    merged = merge(merge(records[0], records[1]), records[2])
    assert (merged.announce_type, merged.score, merged.summary_zh) == ("cross-list", 77, "本文比较了十一种语音分词器。")
    assert len(merged.ai_sections) == 4
    others = [p for key, p in papers.items() if key != "2607.07150"]
    assert others and all(p["ai_sections"] == {} and p["github_repo"] is None for p in others[:1])


def test_detail_pane_shows_the_ai_sections_under_the_summary():
    paper = Paper(
        key="2607.07150", id="2607.07150", title_en="Speech Tokenisers Compared", summary_zh="本文比较了十一种语音分词器。",
        ai_sections=(("motivation", "语音分词器缺少统一比较。"), ("conclusion", "选择取决于\x1b[31m任务。")),
        github_repo="https://github.com/example/tokenisers", github_stars=5,
    )
    text = header_text(paper, Mark(), "zh", False).plain
    lines = text.splitlines()
    at = lines.index("AI总结: 本文比较了十一种语音分词器。")
    assert lines[at + 1] == "  动机 Motivation: 语音分词器缺少统一比较。"
    assert lines[at + 2] == "  结论 Conclusion: 选择取决于␛[31m任务。"  # untrusted text: the escape made visible
    assert "Code: https://github.com/example/tokenisers (★ 5)" in lines
