"""daily-arXiv / cv-arxiv-daily markdown: `|Publish Date|Title|Authors|PDF|Code|` tables under topic
headings, or the same rows as a list (`- DATE, **Title**, Author et.al., Paper: [url](url), Code: …`),
or the tool's JSON that they are written from (`{"SLAM": {"2110.07546": "|**2021-10-14**|…|\\n"}}`)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sys

from ..model import ARXIV_ID, Paper, Source, make_paper, merge
from .errors import DigestError, one_line
from .text import clean_line

NAME = "arxiv-table-md"

_HEADER = re.compile(r"^\|[^\n]*\bTitle\b[^\n]*\|\s*(?:PDF|Paper|Link)s?\s*\|", re.IGNORECASE | re.MULTILINE)
_ITEM = re.compile(
    r"^[-*]\s+(\d{4}-\d\d-\d\d),\s+\*\*(.+?)\*\*,\s+(.*?),?\s+Paper:\s+\[[^\]]*\]\(([^)\s]+)\)"
    r"(?:,\s+Code:\s+\**\[[^\]]*\]\(([^)\s]+)\)\**)?"
)
"""A row as the tool writes it for WeChat (docs/wechat.md)."""
_STANDARD = {"date": 0, "title": 1, "authors": 2, "pdf": 3, "code": 4}
_STANDARD_ROW = re.compile(
    r"^\|\*\*(\d{4}-\d\d-\d\d)\*\*\|\*\*([^|*][^|]*?)\*\*\|([^|*\[]+?)\|"
    rf"\[[^\]|]*\]\(https?://arxiv\.org/abs/({ARXIV_ID.pattern})(?:v\d+)?\)\|"
    r"(?:null|\*\*\[[^\]|]*\]\((https?://[^)\s|]+)\)\*\*)\|$",
    re.ASCII,
)
"""A row exactly as the tool writes it, under its own five-column header (the general path reads the rest)."""
_JSON_ROW = re.compile(r'^\{\s*"[^"\n]{1,80}"\s*:\s*\{\s*"[^"\n]{1,40}"\s*:\s*"(?:\|\*\*\d{4}-|- \d{4}-)')
"""The tool's JSON: topics, each an object of id -> its markdown row (or list item)."""
_RULE = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+\s*$")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_NOT_A_TOPIC = re.compile(r"^(?:updated on\b|table of contents\b|usage\b|contents\b)", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]*)\]\(\s*(<?[^)\s>]+>?)\s*\)")
_ID = re.compile(rf"(?<![\w.])({ARXIV_ID.pattern})(?:v\d+)?(?![\w])", re.ASCII)
_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
_ET_AL = re.compile(r"\bet\.?\s*al\.?$", re.IGNORECASE)
_COLUMNS = {
    "date": ("publish date", "date", "update date", "updated", "published"),
    "title": ("title",),
    "authors": ("authors", "author", "first author"),
    "pdf": ("pdf", "paper", "link", "links", "arxiv"),
    "code": ("code", "repo", "github"),
    "abstract": ("abstract", "summary"),
}


def sniff(head: str) -> bool:
    if "arxiv.org/abs/" not in head:
        return False
    if head.lstrip()[:1] == "{":
        return _JSON_ROW.search(head) is not None
    return _HEADER.search(head) is not None or re.search(r"^[-*] [^\n]*, Paper: \[https?://arxiv\.org/abs/", head, re.M) is not None


def _cells(line: str, width: int = 0, title_at: int = 0) -> list[str]:
    """A row's cells; with more than `width` of them, a `|` was inside the title: it takes the extra ones."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    cells = inner.split("|")
    extra = len(cells) - width
    if width and extra > 0:
        cells[title_at : title_at + extra + 1] = ["|".join(cells[title_at : title_at + extra + 1])]
    return [cell.strip() for cell in cells]


def _columns(header: list[str]) -> dict[str, int]:
    names = [" ".join(cell.strip("* ").split()).casefold() for cell in header]
    found: dict[str, int] = {}
    for field, spellings in _COLUMNS.items():
        for index, name in enumerate(names):
            if name in spellings and index not in found.values():
                found[field] = index
                break
    return found


def _bare(cell: str) -> str:
    """A cell without the bold the tool wraps dates and titles in."""
    text = cell.strip()
    while len(text) >= 4 and text.startswith("**") and text.endswith("**"):
        text = text[2:-2].strip()
    return text


@functools.lru_cache(maxsize=4096)  # a table repeats a few hundred dates thousands of times
def _day(cell: str) -> str | None:
    match = _DAY.search(cell)
    if match:
        try:
            return sys.intern(dt.date(*map(int, match.groups())).isoformat())
        except ValueError:
            return None
    return None


def _authors(cell: str) -> dict:
    """`Christina Kassab et.al.`: only the first author is named, so the cell is kept as written and
    the count stays unknown; a full list (`A, B, C`) is split and counted."""
    text = clean_line(_bare(cell))
    if not text or text.casefold() in ("null", "none"):
        return {}
    if _ET_AL.search(text):
        return {"authors": (text,)}
    names = tuple(name for part in text.split(",") if (name := part.strip()))
    return {"authors": names, "author_count": len(names)}


def _code(cell: str) -> str | None:
    for _, target in _LINK.findall(cell):
        target = target.strip("<>")
        if target.startswith(("https://", "http://")):
            return target
    return None


def _arxiv_id(cell: str) -> str | None:
    for _label, target in _LINK.findall(cell):
        if "arxiv.org" in target and (match := _ID.search(target)):
            return match.group(1)
    match = _ID.search(cell)
    return match.group(1) if match else None


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    """Every table whose header names a title and a PDF column; a row's topic is the heading above
    its table. One paper under several topics (the tool lists it in each) is one record with the
    first topic; its earliest date is kept, as for any paper seen twice."""
    if text.lstrip()[:1] == "{":
        text = _rows_of_json(text)
    sources = (Source(file, NAME),)
    papers: dict[str, Paper] = {}
    skipped: list[str] = []
    topic: str | None = None
    columns: dict[str, int] | None = None
    width = 0
    standard = False
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if line[:1] in "-*" and (item := _ITEM.match(line)):
            columns = None
            _add(papers, _item_values(item, topic, sources))
            continue
        if not line.startswith("|"):
            heading = _HEADING.match(line) if line.startswith("#") else None
            if heading:
                name = clean_line(_bare(heading.group(1)))
                topic = None if name is None or _NOT_A_TOPIC.match(name) else sys.intern(name)
                columns = None
            elif line:
                columns = None  # a table ends at the first line that is not a row
            continue
        if columns is None:
            if _HEADER.match(line):
                header = _cells(line)
                columns, width = _columns(header), len(header)
                standard = columns == _STANDARD
                if "title" not in columns or "pdf" not in columns:
                    columns = None
            continue
        if standard and (row := _STANDARD_ROW.match(line)):  # nearly every row: one match, no cell splitting
            day, title, authors, arxiv_id, code = row.groups()
            if authors.endswith("et.al."):
                people, count = (authors,), None
            else:
                named = _authors(authors)
                people, count = named.get("authors", ()), named.get("author_count")
            # built directly (what make_paper would do, minus its work: the id has no version, the
            # date and topic strings are shared): 9,000 rows are a third faster so
            paper = Paper(
                key=arxiv_id, id=arxiv_id, title_en=" ".join(title.split()), authors=people, author_count=count,
                date=_day(day), topic=topic, github_repo=code, sources=sources,
            )
            old = papers.get(arxiv_id)
            papers[arxiv_id] = paper if old is None else merge(old, paper)
            continue
        if _RULE.match(line):
            continue
        cells = _cells(line, width, columns["title"])
        if len(cells) < width:
            skipped.append(f"line {number}")
            continue
        arxiv_id = _arxiv_id(cells[columns["pdf"]])
        title = clean_line(_bare(cells[columns["title"]]))
        if not title:
            skipped.append(f"line {number}")
            continue
        values: dict = {"title_en": title, "sources": sources}
        if arxiv_id:
            values["id"] = arxiv_id
        if topic:
            values["topic"] = topic
        if "date" in columns and (day := _day(cells[columns["date"]])):
            values["date"] = day
        else:
            values["date"] = file_date.isoformat()
        if "authors" in columns:
            values.update(_authors(cells[columns["authors"]]))
        if "code" in columns and (code := _code(cells[columns["code"]])):
            values["github_repo"] = code
        if "abstract" in columns and (abstract := clean_line(_bare(cells[columns["abstract"]]))):
            values["abstract_en"] = abstract
        _add(papers, values)
    warnings = []
    if skipped:
        shown = ", ".join(skipped[:3]) + (f" and {len(skipped) - 3} more" if len(skipped) > 3 else "")
        warnings.append(f"{len(skipped)} table row(s) without a title or with missing cells: {shown}; skipped")
    return list(papers.values()), warnings


def _add(papers: dict[str, Paper], values: dict) -> None:
    paper = make_paper(**values)
    old = papers.get(paper.key)
    papers[paper.key] = paper if old is None else merge(old, paper)


def _item_values(item: re.Match, topic: str | None, sources: tuple) -> dict:
    day, title, authors, link, code = item.groups()
    values: dict = {"title_en": clean_line(title), "sources": sources, "date": _day(day) or None}
    if (found := _ID.search(link)) and "arxiv.org" in link:
        values["id"] = found.group(1)
    if topic:
        values["topic"] = topic
    values.update(_authors(authors))
    if code and code.startswith(("https://", "http://")):
        values["github_repo"] = code
    return values


def _rows_of_json(text: str) -> str:
    """The tool's JSON as the markdown it writes from it: a heading and a table (or list) per topic."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise DigestError(one_line(f"malformed JSON: {error}")) from None
    if not isinstance(data, dict):
        raise DigestError("JSON, but not a cv-arxiv-daily topic listing (expected an object of topics)")
    parts: list[str] = []
    for topic, rows in data.items():
        if not isinstance(rows, dict):
            continue
        lines = [row.strip() for row in rows.values() if isinstance(row, str) and row.strip()]
        parts.append(f"## {' '.join(str(topic).split())}\n\n|Publish Date|Title|Authors|PDF|Code|\n|---|---|---|---|---|")
        parts.extend(lines)
        parts.append("")
    return "\n".join(parts)
