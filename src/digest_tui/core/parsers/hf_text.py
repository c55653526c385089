"""Hugging Face Daily Papers pages saved as text: title line, abstract line, optional meta lines."""

from __future__ import annotations

import datetime as dt
import re

from ..model import Paper, Source, make_paper

NAME = "hf-text"

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_MONTH = "(?P<month>" + "|".join(_MONTHS) + ")"
PAGE_DATE = re.compile(rf"^{_MONTH} (?P<day>\d{{1,2}})(?:, (?P<year>\d{{4}}))?$")
ENTRY_DATE = re.compile(rf"^{_MONTH} (?P<day>\d{{1,2}})(?:, (?P<year>\d{{4}}))?(?: (?P<upvotes>\d+))?$")
AUTHORS = re.compile(r"^•\s*(\d+)\s+authors?$")
_ABSTRACT_MIN = 200


def sniff(head: str) -> bool:
    lines = [line.strip() for line in head.split("\n", 80)[:80]]
    return "Daily Papers" in lines and any(PAGE_DATE.match(line) or line == "·" for line in lines)


def resolve_date(match: re.Match, reference: dt.date) -> dt.date | None:
    """A `Mon D[, YYYY]` match as a date; without a year, the latest one not after `reference`."""
    month, day = _MONTHS.index(match["month"]) + 1, int(match["day"])
    try:
        if match["year"]:
            return dt.date(int(match["year"]), month, day)
        year = reference.year if (month, day) <= (reference.month, reference.day) else reference.year - 1
        return dt.date(year, month, day)
    except ValueError:
        return None


def _organisation(line: str) -> str:
    """`ReactiveAI Reactive AI` (handle, then display name) -> `Reactive AI`."""
    handle, _, name = line.partition(" ")
    if name and handle.casefold() == name.replace(" ", "").casefold():
        return name
    return line


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    start, page_date = 0, file_date
    for index, line in enumerate(lines[:80]):
        match = PAGE_DATE.match(line)
        if match:
            start, page_date = index + 1, resolve_date(match, file_date) or file_date
            break
    else:
        if "Daily Papers" in lines:
            start = lines.index("Daily Papers") + 1
    sources = (Source(file, NAME),)
    papers: list[Paper] = []
    warnings: list[str] = []
    i = start
    while i < len(lines):
        title = lines[i]
        if i + 1 >= len(lines) or lines[i + 1] == "·" or len(lines[i + 1]) < _ABSTRACT_MIN <= len(title):
            warnings.append(f"line {title[:40]!r}: a title with no abstract; skipped")
            i += 1
            continue
        values: dict = {"title_en": title, "abstract_en": lines[i + 1], "upvotes": 0, "sources": sources}
        i += 2
        meta_at = i
        if i < len(lines) and AUTHORS.match(lines[i]):
            values["author_count"] = int(AUTHORS.match(lines[i]).group(1))
            i += 1
        elif i + 1 < len(lines) and lines[i + 1] == "·":
            values["organization"] = _organisation(lines[i])
            i += 1
        if i < len(lines) and lines[i] == "·":
            i += 1
            match = ENTRY_DATE.match(lines[i]) if i < len(lines) else None
            if match:
                day = resolve_date(match, page_date)
                values["date"] = day.isoformat() if day else None
                values["upvotes"] = int(match["upvotes"] or 0)
                i += 1
        elif i != meta_at:
            warnings.append(f"paper {title[:40]!r}: meta without a date")
        values.setdefault("date", page_date.isoformat())
        papers.append(make_paper(**values))
    return papers, warnings
