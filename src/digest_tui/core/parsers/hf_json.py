"""Hugging Face `/api/daily_papers` JSON saved to a file, and the entry -> fields code the HF HTML pages share."""

from __future__ import annotations

import datetime as dt
import json
import re

from ..model import ARXIV_ID, Paper, Source, make_paper, merge
from .errors import DigestError, one_line
from .text import clean_abstract, clean_line

NAME = "hf-api-json"

_ID = re.compile(rf"(?:{ARXIV_ID.pattern})(?:v\d+)?", re.ASCII)  # `\d` would take any script's digits
_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
# arXiv marks a new paragraph with a blank line or with a line that starts indented; any other
# line break is only the submitter's wrapping.


def sniff(head: str) -> bool:
    start = head.lstrip()[:1]
    if start not in ("[", "{") or '"upvotes"' not in head:
        return False
    return '"paper"' in head or (start == "{" and '"discussionId"' in head)  # `/api/papers/ID`: one paper


def iso_date(value: object) -> str | None:
    """`2026-06-12T00:00:00.000Z` (or any text starting with a date) -> `2026-06-12`."""
    if isinstance(value, str):
        match = _DAY.match(value.strip())
        if match:
            try:
                return dt.date(*map(int, match.groups())).isoformat()
            except ValueError:
                return None
    return None


def as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _organisation(*candidates: object) -> str | None:
    for org in candidates:
        if isinstance(org, dict):
            name = clean_line(org.get("fullname")) or clean_line(org.get("name"))
        else:
            name = clean_line(org)
        if name:
            return name
    return None


def listing_day(entry: dict) -> str | None:
    """The day an entry was listed on Hugging Face: `paper.submittedOnDailyAt` (2025 on), else the
    entry's own `publishedAt` (saved before 2025). `paper.publishedAt` is the arXiv date, days
    earlier: only a last resort, for an entry that has neither."""
    paper = entry["paper"]
    return (
        iso_date(paper.get("submittedOnDailyAt"))
        or iso_date(entry.get("publishedAt"))
        or iso_date(paper.get("publishedAt"))
    )


def entry_values(entry: object) -> dict | None:
    """The Paper fields of one daily-papers entry (`{"paper": {...}, "numComments": ..., ...}`, the shape
    of the API response and of the pages' `data-props`); None when the entry holds no paper object."""
    if not isinstance(entry, dict) or not isinstance(entry.get("paper"), dict):
        return None
    paper: dict = entry["paper"]
    values: dict = {}
    arxiv_id = paper.get("id")
    if isinstance(arxiv_id, str) and _ID.fullmatch(arxiv_id.strip()):
        values["id"] = arxiv_id.strip()
    title = clean_line(paper.get("title")) or clean_line(entry.get("title"))
    if title:
        values["title_en"] = title
    abstract = clean_abstract(paper.get("summary")) or clean_abstract(entry.get("summary"))
    if abstract:
        values["abstract_en"] = abstract
    authors = paper.get("authors")
    if isinstance(authors, list):
        names = tuple(name for a in authors if isinstance(a, dict) and (name := clean_line(a.get("name"))))
        if names:
            values["authors"] = names
            values["author_count"] = len(names)
    for field, value in (
        ("upvotes", as_int(paper.get("upvotes"))),
        ("comments_count", as_int(entry.get("numComments"))),
        ("organization", _organisation(paper.get("organization"), entry.get("organization"))),
        ("summary_en", clean_line(paper.get("ai_summary"))),
        ("github_repo", clean_line(paper.get("githubRepo"))),
        ("github_stars", as_int(paper.get("githubStars"))),
        ("date", listing_day(entry)),
    ):
        if value is not None:
            values[field] = value
    keywords = paper.get("ai_keywords")
    if isinstance(keywords, list):
        words = tuple(dict.fromkeys(w for k in keywords if (w := clean_line(k))))
        if words:
            values["keywords"] = words
    return values


def papers_from_entries(
    entries: list, file: str, name: str, page_date: str | None = None
) -> tuple[list[Paper], list[str]]:
    """Papers from a list of daily-papers entries (one paper listed twice is merged); entries that
    hold no paper, or a paper with no title, are skipped with a warning. `page_date`, the day a
    daily page lists, is every paper's date: the page is that day's listing, whatever each entry says."""
    sources = (Source(file, name),)
    papers: dict[str, Paper] = {}
    warnings: list[str] = []
    no_paper = 0
    for index, entry in enumerate(entries):
        values = entry_values(entry)
        if values is None:
            no_paper += 1
            continue
        if "title_en" not in values:
            warnings.append(f"entry {index + 1} ({values.get('id', 'no id')}) has no title; skipped")
            continue
        if page_date:
            values["date"] = page_date
        paper = make_paper(sources=sources, **values)
        old = papers.get(paper.key)
        papers[paper.key] = paper if old is None else merge(old, paper)
    if no_paper:
        warnings.append(f"{no_paper} of {len(entries)} entries hold no \"paper\" object; skipped")
    return list(papers.values()), warnings


def day_of_page(data: dict) -> str | None:
    """The day a daily page's listing data is for: `dateString` (2025 on) or `date` (2024,
    `2024-08-01T00:00:00.000Z`); None for a week's or a month's page (`periodType`), whose
    papers keep their own days."""
    if data.get("periodType", "day") != "day":
        return None
    return iso_date(data.get("dateString")) or iso_date(data.get("date"))


def load_json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DigestError(one_line(f"malformed JSON: {error}")) from None
    except RecursionError:
        raise DigestError("malformed JSON: nested too deeply") from None


_DECODER = json.JSONDecoder()
_ENTRY_ID = re.compile(r'"id"\s*:\s*"([^"]{1,40})"')


def _is_cut(error: json.JSONDecodeError, text: str) -> bool:
    """Whether JSON failed because its text ends too soon (a download cut short), not because it is
    wrong: the error is at the very end, or a string runs unterminated to the end."""
    return error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")


def whole_entries(text: str) -> tuple[list, str] | None:
    """The entries of a JSON array cut short, and a note naming the cut one; None when the text is
    not an array cut short (then it is malformed, and said so)."""
    at = text.find("[")
    if at < 0 or text[:at].strip():
        return None
    entries: list = []
    at += 1
    while True:
        while at < len(text) and text[at] in " \t\n\r,":
            at += 1
        if at >= len(text) or text[at] == "]":
            return None  # the array is whole: what failed was elsewhere
        try:
            entry, at = _DECODER.raw_decode(text, at)
        except RecursionError:
            return None
        except json.JSONDecodeError as error:
            if not _is_cut(error, text):
                return None
            found = _ENTRY_ID.search(text, at)
            name = f"entry {len(entries) + 1}" + (f" ({found.group(1)})" if found else "")
            return entries, f"the file is cut off inside {name}; kept the {len(entries)} whole entries before it"
        entries.append(entry)


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    try:
        data = load_json(text)
    except DigestError:
        salvage = whole_entries(text)
        if salvage is None or not salvage[0]:
            raise
        papers, warnings = papers_from_entries(salvage[0], file, NAME)
        if not papers:
            raise
        return papers, [salvage[1], *warnings]
    try:
        page_date = None
        if isinstance(data, dict) and isinstance(data.get("dailyPapers"), list):
            entries = data["dailyPapers"]  # a page's data-props saved as it is
            page_date = day_of_page(data)
        elif isinstance(data, dict) and "paper" in data:
            entries = [data]
        elif isinstance(data, dict) and isinstance(data.get("id"), str) and "title" in data:
            entries = [{"paper": data}]  # `/api/papers/ID` saved: the paper object itself
        elif isinstance(data, list):
            entries = data
        else:
            raise DigestError(
                f"JSON {type(data).__name__}, not a Hugging Face daily papers listing "
                '(expected a list of entries with a "paper" object)'
            )
        if not entries:
            raise DigestError("Hugging Face daily papers JSON with no entries")
        papers, warnings = papers_from_entries(entries, file, NAME, page_date)
        if not papers:
            raise DigestError(
                'JSON, but not a Hugging Face daily papers listing: no entry has a "paper" object with a title'
            )
        return papers, warnings
    except DigestError:
        raise
    except Exception as error:  # an odd JSON shape must still end as a one-line reason
        raise DigestError(one_line(f"unexpected Hugging Face JSON ({type(error).__name__}: {error})")) from None
