"""The new formats in the reader: a JSON Lines paper's AI sections under its summary and a table's
code link in the detail pane, on a cold start and on a warm one (texts read back from the cache)."""

from __future__ import annotations

import shutil

import pytest
from support.app_support import current_paper, detail_text, press, started, type_text

from digest_tui.app import DigestApp
from digest_tui.core.paths import cache_dir

JSONL = "fmt-ai-enhanced-2026-07-02_AI_enhanced_Chinese.jsonl"


@pytest.mark.parametrize("start", ["cold", "warm"])
async def test_the_detail_pane_shows_ai_sections_and_the_code_link(fixtures, tmp_path, start):
    shutil.copy(fixtures / JSONL, tmp_path / JSONL)
    shutil.copy(fixtures / "fmt-cv-arxiv-daily.md", tmp_path / "README.md")
    if start == "warm":  # a first run fills the parse cache and the load snapshot
        async with started(DigestApp([str(tmp_path)], mark_read_after=0)):
            pass
        entries = [p for p in cache_dir().rglob("*") if p.is_file()]
        assert len(entries) >= 2  # one entry per digest file (and the snapshot): the next start is warm
    async with started(DigestApp([str(tmp_path)], mark_read_after=0)) as pilot:
        await press(pilot, "slash")
        await type_text(pilot, "title:shorter")
        await press(pilot, "enter")
        assert current_paper(pilot.app).id == "2607.02001"
        text = detail_text(pilot.app)
        assert "AI总结: 本文提出一种学习式打分器来剪枝小模型的提示指令" in text
        assert "  动机 Motivation: 小模型的提示指令往往过长，浪费上下文。" in text
        assert "  结论 Conclusion: 提示指令可以大幅压缩而几乎不损失效果。" in text
        await press(pilot, "escape", "slash")
        await type_text(pilot, "title:splats")
        await press(pilot, "enter")
        paper = current_paper(pilot.app)
        assert (paper.id, paper.topic) == ("2607.05003", "SLAM")
        assert "Code: https://github.com/example/forgetful-splats" in detail_text(pilot.app)
