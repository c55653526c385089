"""arXiv每日学术速递 daily posts in markdown: `【n】` entries with bold-labelled fields, under subject and topic headings."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys

from ..model import ARXIV_ID, Paper, Source, make_paper, merge, strip_version
from .text import clean_abstract, clean_line, is_chinese

NAME = "arxiv-md"

_ENTRY = re.compile(r"^【\s*(\d+)\s*】\s*(.*)$")
_ENTRY_ANYWHERE = re.compile(r"^【\s*\d+\s*】", re.M)
# the colon sits outside the bold in the listing (`**链接**：`) and inside it elsewhere (`**From：**`): take both
# (and not bold at all in the account's own posts saved as text: `标题：…`)
_FIELD = re.compile(r"^(?:\*\*\s*)?(标题|链接|作者|备注|摘要)\s*(?:\*\*\s*[：:]|[：:]\s*\*\*|[：:])\s*(.*)$")
# every subject header names its category first: `**cs.CL 方向，今日共计60篇**`, `**cs.AI人工智能，共计142篇**`
_SUBJECT = re.compile(
    r"^(?:\*\*)?\s*([a-z][a-z-]*(?:\.[A-Za-z-]+)?)(?![A-Za-z.-])[^*，,\n]{0,40}[，,]\s*(?:今日)?\s*共计\s*\d+\s*篇\s*(?:\*\*)?$",
    re.ASCII | re.IGNORECASE,
)
_CURATED = re.compile(r"^#{1,3}\s*(?:\d+(?:\.\d+)*\.?\s*)?归类")  # `## 2. 归类后数据`: the post's own classification
_FRONT_MATTER = {"+++": "+++", "---": "---"}
# possessive quantifiers: a long run of spaces in a heading must not cost time quadratic in its length
_TOPIC = re.compile(r"^#{1,6}\s*+(?:\*\*)?+(.+)[（(]\s*+\d++\s*+篇\s*+[)）]\s*+(?:\*\*)?+\s*+$")
_PLAIN_TOPIC = re.compile(r"^(?:\*\*)?([^#【*\s。，,.:：][^。，,.:：]{0,29}?)\s*[（(]\s*\d+\s*篇\s*[)）](?:\*\*)?$")
"""A topic line that is not a heading (`大模型相关(28篇)`), as in a post saved from the account as text."""
_HEADING = re.compile(r"^(#{1,6})\s")
_POST_DATE = re.compile(r"""^(?:#+\s*|title\s*[=:]\s*['"]?|date\s*[=:]\s*['"]?)(\d{4})-(\d\d)-(\d\d)""", re.M)
_LINK = re.compile(rf"arxiv\.org/(?:abs|pdf)/({ARXIV_ID.pattern})(?:v\d+)?", re.ASCII)


def sniff(head: str) -> bool:
    if "】" not in head or not ("**链接**" in head or "**摘要**" in head or "共计" in head):
        return False  # the cheap test first: every other format's files end here
    return _ENTRY_ANYWHERE.search(head) is not None


class _Entry:
    __slots__ = ("label", "title", "fields", "abstracts", "current", "category", "topic")

    def __init__(self, label: str, title: str, category: str | None, topic: str | None) -> None:
        self.label, self.title, self.category, self.topic = label, title, category, topic
        self.fields: dict[str, list[str]] = {}
        self.abstracts: list[list[str]] = []
        self.current: list[str] | None = None


def _front_matter(lines: list[str]) -> int:
    """How many lines Hugo front matter (`+++ … +++` TOML or `--- … ---` YAML) takes at the start; 0 without."""
    first = next((index for index, line in enumerate(lines[:5]) if line.strip()), None)
    if first is None or lines[first].strip() not in _FRONT_MATTER:
        return 0
    fence = lines[first].strip()
    for index in range(first + 1, min(len(lines), first + 200)):
        if lines[index].strip() == fence:
            return index + 1
    return 0


_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
_FRONT_DATE = re.compile(r"""^\s*(date|title)\s*[=:]\s*(.*)$""")


def _post_date(text: str, front: list[str], file: str, file_date: dt.date) -> str:
    """The post's own date: front matter's `date`, else a date in its `title`, else the post's
    `# 2025-12-18科研追新` heading, else the file's name (`2025-12-18.md`), else the file's date."""
    found: dict[str, str] = {}
    for line in front:
        match = _FRONT_DATE.match(line)
        day = _DAY.search(match.group(2)) if match else None
        if day and _valid_day(day):
            found.setdefault(match.group(1), _valid_day(day))
    if found:
        return found.get("date") or found["title"]
    for match in _POST_DATE.finditer(text, 0, 4096):
        if _valid_day(match):
            return _valid_day(match)
    for match in _DAY.finditer(os.path.basename(file)):  # `updates/2025-12-18.md`
        if _valid_day(match):
            return _valid_day(match)
    return file_date.isoformat()


def _valid_day(match: re.Match) -> str | None:
    try:
        return dt.date(*map(int, match.groups()[-3:])).isoformat()
    except ValueError:
        return None


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    """Only `【n】` entries make papers; the HF/media link lists before them are skipped (a heading
    ends the current entry, and lines outside an entry are ignored). The classified part after the
    listing (`## 2. 归类后数据`: `### topic` headings over `#### title` entries that re-tell listed
    papers with a bullet summary) adds no paper: it gives the papers it links their topic."""
    lines = text.split("\n")
    skip = _front_matter(lines)
    date = _post_date(text, lines[:skip], file, file_date)
    sources = (Source(file, NAME),)
    papers: dict[str, Paper] = {}
    warnings: list[str] = []
    category: str | None = None
    topic: str | None = None
    entry: _Entry | None = None
    curated: dict[str, str] | None = None  # id -> topic, once the classified part has begun

    def finish(cut: bool = False) -> None:
        nonlocal entry
        if entry is not None:
            _finish(entry, cut, date, sources, papers, warnings)
        entry = None

    for number, raw in enumerate(lines[skip:], skip + 1):
        line = raw.strip()
        if curated is not None:
            if line.startswith("###") and not line.startswith("####"):
                counted = _TOPIC.match(line)  # `### 强化学习` or, like the listing's, `### **强化学习(3篇)**`
                topic = clean_line((counted.group(1) if counted else line.lstrip("#")).strip().strip("* "))
            elif line.startswith("**") and topic and (link := _LINK.search(line)) and _FIELD.match(line):
                curated.setdefault(strip_version(link.group(1)), topic)
            continue
        if not line:
            if entry is not None and entry.current and entry.current[-1]:
                entry.current.append("")  # a paragraph break inside a field
            continue
        match = _ENTRY.match(line)
        if match:
            finish()
            entry = _Entry(f"entry 【{match.group(1)}】 (line {number})", match.group(2), category, topic)
            continue
        match = _FIELD.match(line)
        if match and entry is not None:
            name, value = match.groups()
            if name == "摘要":
                entry.abstracts.append([])
                entry.current = entry.abstracts[-1]
            else:
                entry.current = entry.fields.setdefault(name, [])
            if value.strip():
                entry.current.append(value.strip())
            continue
        match = _SUBJECT.match(line)
        if match:
            finish()
            category, topic = match.group(1), None
            continue
        match = (_TOPIC.match(line) or _PLAIN_TOPIC.match(line)) if "篇" in line else None
        if match:
            finish()
            topic = clean_line(match.group(1).strip().strip("* "))
            continue
        heading = _HEADING.match(line)
        if heading and _CURATED.match(line):
            finish()
            curated, topic = {}, None
            continue
        if heading or line.startswith((">", "---")):
            finish()
            if heading and len(heading.group(1)) <= 2:
                category = topic = None
            continue
        if entry is not None and entry.current is not None:
            entry.current.append(line)
    finish(cut=True)
    if curated:
        for key, curated_topic in curated.items():
            if key in papers:
                papers[key] = papers[key]._replace(topic=sys.intern(curated_topic))
    return list(papers.values()), warnings


def _finish(
    entry: _Entry, at_end: bool, date: str, sources: tuple, papers: dict[str, Paper], warnings: list[str]
) -> None:
    fields = entry.fields
    title_en = clean_line(entry.title)
    title_zh = clean_line(" ".join(fields.get("标题", ())))
    label = entry.label
    name = f"{label} {(title_en or title_zh or '')[:40]!r}"
    link = _LINK.search(" ".join(fields.get("链接", ())))
    if not (title_en or title_zh):
        warnings.append(f"{label} has no title; skipped")
        return
    if link is None:
        warnings.append(f"{name} has no arXiv link; skipped")
        return
    values: dict = {"id": link.group(1), "date": date, "sources": sources}
    if title_en:
        values["title_en"] = title_en
    if title_zh:
        values["title_zh"] = title_zh
    authors = tuple(a for part in re.split(r"[,，]", " ".join(fields.get("作者", ()))) if (a := clean_line(part)))
    if authors:
        values["authors"], values["author_count"] = authors, len(authors)
    comments = clean_line(" ".join(fields.get("备注", ())))
    if comments:
        values["comments"] = comments
    for lines in entry.abstracts:
        abstract = clean_abstract("\n".join(lines))
        if abstract:
            values.setdefault("abstract_zh" if is_chinese(abstract) else "abstract_en", abstract)
    if entry.category:
        values["categories"] = (entry.category,)
    if entry.topic:
        values["topic"] = entry.topic
    if at_end and "abstract_en" not in values:
        warnings.append(f"{name} is cut off (the post ends before its English abstract); skipped")
        return
    if "abstract_en" not in values and "abstract_zh" not in values:
        warnings.append(f"{name} has no abstract")
    paper = make_paper(**values)
    old = papers.get(paper.key)
    papers[paper.key] = paper if old is None else merge(old, paper)
