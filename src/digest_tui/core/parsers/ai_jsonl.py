"""daily-arXiv-ai-enhanced JSON Lines: one arXiv paper a line, with an LLM's summary of it in `AI`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re

from ..model import AI_SECTIONS, ARXIV_ID, Paper, Source, make_paper, merge
from .tex import to_unicode
from .text import clean_abstract, clean_line, is_chinese

NAME = "ai-enhanced-jsonl"

_ID = re.compile(rf"(?:{ARXIV_ID.pattern})(?:v\d+)?", re.ASCII)
_ID_IN_LINE = re.compile(r'"id"\s*:\s*"([^"]{1,40})"')
_FILE_DAY = re.compile(r"(?<!\d)(\d{4})-(\d\d)-(\d\d)(?!\d)")
_FAILED = frozenset({"", "error", "none", "null", "n/a"})  # what the tool writes when the LLM call failed


def sniff(head: str) -> bool:
    head = head.lstrip()  # a blank first line is still JSON Lines
    if head[:1] != "{":
        return False
    first, _, rest = head.partition("\n")
    if not rest.strip() and len(head) >= 65536:
        return False  # one huge line: not JSON Lines
    try:
        record = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return (
        isinstance(record, dict)
        and isinstance(record.get("id"), str)
        and "title" in record
        and ("AI" in record or ("summary" in record and "categories" in record))
    )


def file_day(file: str, file_date: dt.date) -> str:
    """The listing day the tool named the file by (`2026-07-01_AI_enhanced_Chinese.jsonl`), else the file's date."""
    for match in _FILE_DAY.finditer(os.path.basename(file)):
        try:
            return dt.date(*map(int, match.groups())).isoformat()
        except ValueError:
            continue
    return file_date.isoformat()


def _text(value: object) -> str | None:
    text = clean_abstract(value)
    return None if text is None or text.casefold() in _FAILED else text


def _tex(value: object) -> object:
    return to_unicode(value) if isinstance(value, str) else value


def record_values(record: dict) -> dict:
    """The Paper fields of one line's object (no date, no sources). The title, authors, comment and
    abstract are arXiv's metadata as the tool fetched it: TeX, shown as Unicode like arXiv's own formats."""
    values: dict = {}
    arxiv_id = record.get("id")
    if isinstance(arxiv_id, str) and _ID.fullmatch(arxiv_id.strip()):
        values["id"] = arxiv_id.strip()
    if title := clean_line(_tex(record.get("title"))):
        values["title_en"] = title
    authors = record.get("authors")
    if isinstance(authors, list):
        names = tuple(name for a in authors if (name := clean_line(_tex(a))))
        if names:
            values["authors"], values["author_count"] = names, len(names)
    categories = record.get("categories")
    if isinstance(categories, list):
        values["categories"] = tuple(dict.fromkeys(c for item in categories if (c := clean_line(item))))
    if comments := clean_line(_tex(record.get("comment"))):
        values["comments"] = comments
    if abstract := clean_abstract(_tex(record.get("summary"))):
        values["abstract_en"] = abstract
    code = clean_line(record.get("code_url"))
    if code and code.startswith(("https://", "http://")):
        values["github_repo"] = code
        stars = record.get("code_stars")
        if isinstance(stars, int) and not isinstance(stars, bool) and stars >= 0:
            values["github_stars"] = stars
    ai = record.get("AI")
    if isinstance(ai, dict):
        gist = _text(ai.get("tldr"))
        if gist:
            values["summary_zh" if is_chinese(gist) else "summary_en"] = gist  # the tool writes the language asked for
        sections = tuple((name, text) for name in AI_SECTIONS if (text := _text(ai.get(name))))
        if sections:
            values["ai_sections"] = sections
    return values


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    date = file_day(file, file_date)
    sources = (Source(file, NAME),)
    papers: dict[str, Paper] = {}
    warnings: list[str] = []
    bad: list[str] = []
    lines = text.split("\n")
    last = max((index for index, line in enumerate(lines) if line.strip()), default=-1)
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            found = _ID_IN_LINE.search(line)
            name = f"line {index + 1}" + (f" ({found.group(1)})" if found else "")
            if index == last:
                warnings.append(f"{name} is cut off (the file ends inside it); skipped")
            else:
                bad.append(name)
            continue
        values = record_values(record) if isinstance(record, dict) else {}
        if "title_en" not in values:
            bad.append(f"line {index + 1}" + (f" ({values['id']})" if "id" in values else ""))
            continue
        paper = make_paper(date=date, sources=sources, **values)
        old = papers.get(paper.key)
        papers[paper.key] = paper if old is None else merge(old, paper)
    if bad:
        shown = ", ".join(bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
        warnings.insert(0, f"{len(bad)} line(s) are not a paper object with a title: {shown}; skipped")
    return list(papers.values()), warnings
