"""Hugging Face daily papers as a Chinese newsletter in markdown: `### 1. 中文标题`, `**原文标题：**`, `**摘要：**`, links."""

from __future__ import annotations

import datetime as dt
import os
import re

from ..model import ARXIV_ID, Paper, Source, make_paper, merge
from .text import clean_abstract, clean_line, is_chinese

NAME = "hf-newsletter-zh"

_ENTRY = re.compile(r"^#{2,4}\s*(\d{1,4})\s*[.、．]\s*(.*?)\s*$")
# the colon inside the bold (`**原文标题：**`, as the newsletter writes it) or after it (`**摘要**：`)
_FIELD = re.compile(r"^\*\*\s*(原文标题|英文标题|摘要|论文链接|链接)\s*(?:[：:]\s*\*\*|\*\*\s*[：:])\s*(.*)$")
_ARXIV = re.compile(rf"arxiv\.org/(?:abs|pdf)/({ARXIV_ID.pattern})(?:v\d+)?", re.ASCII)
_HF = re.compile(rf"huggingface\.co/papers/({ARXIV_ID.pattern})(?:v\d+)?", re.ASCII)
_DAY = re.compile(r"(?<!\d)(\d{4})-(\d\d)-(\d\d)(?!\d)")
_ENTRY_START = re.compile(r"^#{2,4}\s*\d{1,4}\s*[.、．]", re.M)
_COUNT = re.compile(r"总论文数\s*[：:]\s*(\d+)")
_FIELDS = {"原文标题": "title_en", "英文标题": "title_en", "摘要": "abstract", "论文链接": "links", "链接": "links"}


def sniff(head: str) -> bool:
    return "原文标题" in head and _ENTRY_START.search(head) is not None


def _day(text: str) -> str | None:
    for match in _DAY.finditer(text):
        try:
            return dt.date(*map(int, match.groups())).isoformat()
        except ValueError:
            continue
    return None


def _newsletter_day(lines: list[str], file: str, file_date: dt.date) -> str:
    """The day in the newsletter's `# … Hugging Face 2025-01-23 论文日报` title, else in the file's
    name (`2025-01-23_daily_paper.md`), else the file's date."""
    for line in lines[:20]:
        if line.startswith("#") and not line.startswith("##") and (day := _day(line)):
            return day
    return _day(os.path.basename(file)) or file_date.isoformat()


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    lines = text.split("\n")
    date = _newsletter_day(lines, file, file_date)
    sources = (Source(file, NAME),)
    papers: dict[str, Paper] = {}
    warnings: list[str] = []
    entry: dict[str, list[str]] | None = None
    current: list[str] | None = None
    label = ""
    entries = 0

    def finish() -> None:
        nonlocal entry, current
        if entry is not None:
            _finish(entry, label, date, sources, papers, warnings)
        entry = current = None

    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        match = _ENTRY.match(line)
        if match:
            finish()
            entries += 1
            entry = {"title_zh": [match.group(2).strip("* ")]}  # `### 1. **标题**` in some issues
            label = f"entry {match.group(1)} (line {number})"
            continue
        if entry is None:
            continue
        if line.startswith("---") or line.startswith("## ") or line.startswith("# "):
            finish()
            continue
        field = _FIELD.match(line)
        if field:
            name, value = field.groups()
            current = entry.setdefault(_FIELDS[name], [])
            if value.strip():
                current.append(value.strip())
            continue
        if current is not None:
            current.append(line)
    finish()
    stated = _COUNT.search(text, 0, 4096)
    if stated and int(stated.group(1)) > entries:
        warnings.append(f"the newsletter says {stated.group(1)} papers but lists {entries} (cut off?)")
    return list(papers.values()), warnings


def _finish(entry: dict[str, list[str]], label: str, date: str, sources: tuple, papers: dict, warnings: list[str]) -> None:
    title_zh = clean_line(" ".join(entry.get("title_zh", ())))
    title_en = clean_line(" ".join(entry.get("title_en", ())))
    links = " ".join(entry.get("links", ()))
    found = _ARXIV.search(links) or _HF.search(links)
    if not (title_en or title_zh):
        warnings.append(f"{label} has no title; skipped")
        return
    values: dict = {"date": date, "sources": sources}
    if found:
        values["id"] = found.group(1)
    if title_en:
        values["title_en"] = title_en
    if title_zh and title_zh != title_en:
        values["title_zh"] = title_zh
    abstract = clean_abstract("\n".join(entry.get("abstract", ())))
    if abstract:
        values["abstract_zh" if is_chinese(abstract) else "abstract_en"] = abstract
    elif "links" not in entry:
        warnings.append(f"{label} {(title_en or title_zh or '')[:40]!r} is cut off (no abstract, no links)")
    paper = make_paper(**values)
    old = papers.get(paper.key)
    papers[paper.key] = paper if old is None else merge(old, paper)
