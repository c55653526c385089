"""arXiv's own daily listing e-mail (as mailed, saved with its mail headers, or quoted with `> `):
one entry per `arXiv:ID` block."""

from __future__ import annotations

import datetime as dt
import quopri
import re

from ..model import ARXIV_ID, Paper, Source, make_paper, merge
from .errors import DigestError
from .text import clean_abstract, clean_line

NAME = "arxiv-email"

_ID = rf"(?:{ARXIV_ID.pattern})"
_ID_AFTER = re.compile(_ID, re.ASCII)  # ASCII digits only, here and below: an id is ASCII
_FIRST_ENTRY = re.compile(rf"^((?:>[ \t]?)*)arXiv:{_ID}", re.M | re.ASCII)
_START = re.compile(rf"^arXiv:({_ID})(?:v\d+)?(.*)$", re.ASCII)
_FIELD = re.compile(r"^([A-Z][A-Za-z-]*):[ \t]?(.*)$")
_FIELDS = frozenset(
    ("Date", "Title", "Authors", "Author", "Categories", "Comments", "Journal-ref", "Report-no",
     "MSC-class", "ACM-class", "DOI", "License", "Proxy", "From")
)  # fmt: skip
_SEPARATOR = re.compile(r"^(?:-{20,}|(?:%+-+)+%*)\s*$")  # 78 dashes between entries, `%%--%%--` between sections
_MAIL_HEADER = re.compile(r"^(?:From |[A-Za-z][\w-]*:[ \t])")
# the start of the window is bounded (it is a date): an unbounded `.+?` rescans the rest of the line
# from every "received from", which a hostile file can repeat thousands of times on one line
_WINDOW = re.compile(
    r"received from\s{1,20}[^\n]{1,120}?\s{1,20}to\s{1,20}"
    r"(?:[A-Za-z]{3},?\s{1,20})?(\d{1,2})\s{1,20}([A-Za-z]{3})[a-z]*\s{1,20}(\d{2,4})"
)
_DAY = re.compile(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4}|\d{2})\b")
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def _starts_a_line(head: str, token: str, then: re.Pattern | None = None) -> bool:
    """`token` at the start of some line (after any `> ` quoting), followed by `then` if given.
    str.find keeps this cheap on the 64 KiB head of every other format's files."""
    at = head.find(token)
    while at != -1:
        line_start = head.rfind("\n", 0, at) + 1
        if not head[line_start:at].strip("> \t") and (then is None or then.match(head, at + len(token))):
            return True
        at = head.find(token, at + 1)
    return False


def sniff(head: str) -> bool:
    return _starts_a_line(head, "arXiv:", _ID_AFTER) and _starts_a_line(head, "Title: ") and _starts_a_line(head, "Authors")


def _day(match: re.Match | None) -> str | None:
    if match is None:
        return None
    day, month, year = match.groups()
    try:
        return dt.date(int(year) + (2000 if len(year) == 2 else 0), _MONTHS[month.lower()], int(day)).isoformat()
    except (KeyError, ValueError):
        return None


def _split_headers(text: str) -> tuple[dict[str, str], str]:
    """Mail headers at the top (when the file starts with them) and the body after the first blank line."""
    head, sep, body = text.partition("\n\n")
    lines = head.split("\n")
    if not sep or not _MAIL_HEADER.match(lines[0]):
        return {}, text
    headers: dict[str, str] = {}
    name = None
    for line in lines:
        if line[:1] in (" ", "\t") and name:
            headers[name] += " " + line.strip()
        elif _MAIL_HEADER.match(line):
            name, _, value = line.partition(":") if not line.startswith("From ") else ("from_", "", line)
            name = name.strip().lower()
            headers.setdefault(name, value.strip())
        else:
            return {}, text  # not a header block after all
    if "quoted-printable" in headers.get("content-transfer-encoding", "").lower():
        body = quopri.decodestring(body.encode("utf-8")).decode("utf-8", errors="replace")
    return headers, body


def _unquote(body: str) -> str:
    """Strip the `> ` quoting a reply or forward added, as deep as the first entry is quoted."""
    first = _FIRST_ENTRY.search(body)
    depth = first.group(1).count(">") if first else 0
    if not depth:
        return body
    prefix = re.compile(r"^(?:>[ \t]?){1," + str(depth) + "}")
    return "\n".join(prefix.sub("", line) for line in body.split("\n"))


def _without_parens(text: str) -> str:
    """Text with every balanced `( ... )` group removed, nested ones too, in one pass (removing the
    innermost groups again and again takes time quadratic in the nesting). An unclosed `(` stays."""
    if "(" not in text:
        return text
    out: list[str] = []
    opened: list[int] = []  # where in `out` each open group started
    for char in text:
        if char == "(":
            opened.append(len(out))
            out.append(char)
        elif char == ")" and opened:
            del out[opened.pop() :]
        else:
            out.append(char)
    return "".join(out)


def split_authors(raw: str) -> tuple[str, ...]:
    """`A, B (MIT), C and D` -> (A, B, C, D): affiliations in parentheses are dropped."""
    raw = _without_parens(raw)
    names = []
    for part in raw.split(","):
        names.extend(p for p in re.split(r"\s+and\s+", part))
    return tuple(name for part in names if (name := clean_line(part)))


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    headers, body = _split_headers(text)
    body = _unquote(body)
    lines = body.split("\n")
    starts = [index for index, line in enumerate(lines) if _START.match(line)]
    if not starts:
        raise DigestError("an arXiv listing e-mail with no arXiv:ID entries")
    # the listing's date: the end of the submission window in its section header, else the mail's own date
    listing_date = _day(_WINDOW.search("\n".join(lines[: starts[0]]))) or _day(_DAY.search(headers.get("date", "")))
    sources = (Source(file, NAME),)
    papers: dict[str, Paper] = {}
    warnings: list[str] = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        values, note = _entry(lines, start, end)
        if values is None:
            warnings.append(note)
            continue
        if note:
            warnings.append(note)
        values["date"] = listing_date or values.get("date")
        paper = make_paper(sources=sources, **values)
        old = papers.get(paper.key)
        papers[paper.key] = paper if old is None else merge(old, paper)
    return list(papers.values()), warnings


def _entry(lines: list[str], start: int, end: int) -> tuple[dict | None, str | None]:
    """One entry's fields from its `arXiv:` line up to the next entry, and a warning if it looks cut."""
    match = _START.match(lines[start])
    arxiv_id, rest = match.group(1), match.group(2)
    values: dict = {"id": arxiv_id}
    announce = "cross-list" if "cross-list" in rest else "new"
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    abstract: list[str] = []
    state = "head"
    for line in lines[start + 1 : end]:
        if state == "done" or _SEPARATOR.match(line):
            break
        if line.startswith("\\\\ ("):
            state = "done"
        elif state == "abstract":
            abstract.append(line)
        elif line.strip() == "\\\\":
            state = "abstract"
        elif line.startswith("replaced with revised version"):
            announce = "replacement"
            values["date"] = _day(_DAY.search(line))
            current = None
        else:
            field = _FIELD.match(line)
            if field and field.group(1) in _FIELDS:
                current = fields.setdefault(field.group(1), [])
                current.append(field.group(2).strip())
            elif line[:1] in (" ", "\t") and current is not None:
                current.append(line.strip())
            elif not line.strip():
                current = None
    values["announce_type"] = announce
    title = clean_line(" ".join(fields.get("Title", ())))
    if not title:
        return None, f"entry arXiv:{arxiv_id} has no title; skipped"
    values["title_en"] = title
    authors = split_authors(" ".join(fields.get("Authors", fields.get("Author", ()))))
    if authors:
        values["authors"], values["author_count"] = authors, len(authors)
    categories = " ".join(fields.get("Categories", ())).split()
    if categories:
        values["categories"] = tuple(dict.fromkeys(categories))
    for label, key in (("Comments", "comments"), ("Journal-ref", "journal_ref")):
        value = clean_line(" ".join(fields.get(label, ())))
        if value:
            values[key] = value
    if "date" not in values or values["date"] is None:
        values["date"] = _day(_DAY.search(" ".join(fields.get("Date", ()))))
    text = clean_abstract("\n".join(abstract))
    if text:
        values["abstract_en"] = text
    if state != "done" and announce != "replacement":
        return values, f"entry arXiv:{arxiv_id} is cut off (no closing \\\\ line)"
    return values, None
