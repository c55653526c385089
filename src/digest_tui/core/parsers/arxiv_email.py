"""arXiv's own daily listing e-mail (as mailed, saved with its mail headers, or quoted with `> `).

Read by entry, not by line: the body is cut at its separator lines (78 dashes between entries,
`%%--%%` between sections), and an entry is the part after a separator that starts with an
`arXiv:ID` line; its fields come from one pattern over its head, its abstract is the text between
the `\\\\` lines. A line of an abstract that happens to begin with `arXiv:` starts nothing.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import re
import sys
from collections.abc import Iterator

from ..model import ARXIV_ID, Paper, Source, merge
from .errors import DigestError
from .tex import to_unicode
from .text import clean_abstract, one_spaced

NAME = "arxiv-email"
NO_ENTRIES = "an arXiv listing e-mail with no arXiv:ID entries"

_ID = rf"(?:{ARXIV_ID.pattern})"
_ID_AFTER = re.compile(_ID, re.ASCII)  # ASCII digits only, here and below: an id is ASCII
_FIRST_ENTRY = re.compile(rf"^((?:>[ \t]?)*)(?:arXiv:|Paper(?: \(\*cross-listing\*\))?: ?){_ID}", re.M | re.ASCII)
_START = re.compile(rf"^(?:arXiv:|Paper((?: \(\*cross-listing\*\))?): ?)({_ID})(?:v\d+)?([^\n]*)$", re.M | re.ASCII)
"""An entry's first line: `arXiv:ID`, or in listings before 2007 `Paper: ID` (`Paper (*cross-listing*): ID`)."""
_SEPARATOR = re.compile(r"(?:-{20,}|(?:%+-+)+%*)[ \t]*")  # 78 dashes between entries, `%%--%%--` between sections
_FIELD = re.compile(
    r"\n(Date|Title|Authors|Author|Categories|Comments|Journal-ref|Report-no|MSC-class|ACM-class|DOI|License|Proxy|From):"
    r"[ \t]?([^\n]*(?:\n[ \t]+[^\n]*)*)"
)
"""A field and its continuation lines (indented): the fields of an entry's head, in one pass (a
line break starts the pattern, rather than `^` and re.M, so the search skips from line to line)."""
_REPLACED = re.compile(r"^(?:replaced with revised version|(?:figures|part) added)\b[ \t]*([^\n]*)", re.M | re.I)
"""How a listing says an entry is a replacement (arXiv's own listing code knows these three)."""
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
    entry = _starts_a_line(head, "arXiv:", _ID_AFTER) or _starts_a_line(head, "Paper: ", _ID_AFTER)
    return entry and _starts_a_line(head, "Title: ") and _starts_a_line(head, "Authors")


def _day(match: re.Match | None) -> str | None:
    if match is None:
        return None
    day, month, year = match.groups()
    try:
        number = int(year)
        if len(year) == 2:  # `Thu 31 Dec 98`: arXiv began in 1991, so 91-99 are the 1900s
            number += 1900 if number >= 91 else 2000
        return dt.date(number, _MONTHS[month.lower()], int(day)).isoformat()
    except (KeyError, ValueError):
        return None


def split_headers(text: str) -> tuple[dict[str, str], str]:
    """Mail headers at the top (when the file starts with them, names in lower case) and the body
    after the first blank line; else no headers and the text itself. (An encoded body, base64 or
    quoted-printable, is the mailbox module's: it is decoded there.)"""
    headers, at = _body_start(text)
    return headers, text[at:] if at else text


def _body_start(text: str) -> tuple[dict[str, str], int]:
    """split_headers(), with where the body starts rather than a copy of it (a copy of a 100 MB
    listing's text costs its time and its size)."""
    blank = text.find("\n\n")
    if blank == -1 or not _MAIL_HEADER.match(text):
        return {}, 0
    headers: dict[str, str] = {}
    name = None
    for line in text[:blank].split("\n"):
        if line[:1] in (" ", "\t") and name:
            headers[name] += " " + line.strip()
        elif _MAIL_HEADER.match(line):
            name, _, value = line.partition(":") if not line.startswith("From ") else ("from_", "", line)
            name = name.strip().lower()
            headers.setdefault(name, value.strip())
        else:
            return {}, 0  # not a header block after all
    return headers, blank + 2


def _unquote(text: str, at: int = 0) -> str:
    """The body from `at` without the `> ` quoting a reply or forward added, as deep as the first
    entry is quoted; `text` itself when it is not quoted."""
    first = _FIRST_ENTRY.search(text, at)
    depth = first.group(1).count(">") if first else 0
    if not depth:
        return text
    prefix = re.compile(r"^(?:>[ \t]?){1," + str(depth) + "}")
    return "\n".join(prefix.sub("", line) for line in text[at:].split("\n"))


def _without_parens(text: str) -> str:
    """Text with every balanced `( ... )` group removed, nested ones too, in one pass (removing the
    innermost groups again and again takes time quadratic in the nesting). An unclosed `(` stays."""
    if "(" not in text:
        return text
    text = _GROUP.sub("", text)  # the usual case, `Name (MIT)`: groups with none inside, at C speed
    if "(" not in text or ")" not in text:
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


_HIDDEN = re.compile(r"\((\d{1,6})\s+additional\s+authors?\s+not\s+shown\)")
_GROUP = re.compile(r"\([^()]*\)")


def _one_line(value: str) -> str:
    """`" ".join(value.split())` of a field's value, faster for the usual one: a value's continuation
    lines are indented by two spaces, and one_spaced() is quicker on single spaces (turning one
    run of spaces into another changes no word)."""
    return one_spaced(value.replace("\n  ", " ") if "\n  " in value else value)


def split_authors(raw: str) -> tuple[str, ...]:
    """`A, B (MIT), C and D` -> (A, B, C, D): affiliations in parentheses are dropped."""
    if "(" in raw:
        raw = _without_parens(raw)
    raw = _one_line(raw)
    if " and " in raw:
        raw = raw.replace(" and ", ", ")  # (`, ` as a comma is written: the split below takes it as `,`)
    # single spaces only now: a name's own spaces are those next to a comma
    if " ," not in raw and raw.count(",") == raw.count(", "):  # the usual `A, B, C`: split at once
        return tuple(filter(None, raw.split(", ")))
    return tuple(filter(None, raw.replace(", ", ",").replace(" ,", ",").split(",")))


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    return parse_listing(text, file)


Batch = tuple[list[Paper], list[str]]
"""Papers of consecutive entries, in file order, and the warnings met on the way. A paper listed
twice comes in each batch it is listed in: merged, the batches give what parse_listing() does."""
BATCH_ENTRIES = 1000
"""Entries per batch (about 1.2 MB of a listing: a few milliseconds)."""


def parse_listing(
    text: str, file: str, mail_date: str | None = None, sources: tuple[Source, ...] | None = None
) -> tuple[list[Paper], list[str]]:
    """One listing e-mail's papers: `text` with or without its mail headers; `mail_date` the day
    it was mailed when the caller has read the headers itself (a mailbox); `sources` for them all.

    The listing's date is the day it was mailed: the mail's `Date:` (in UTC), else the weekday
    after the end of the submission window its section header names, else each entry's own date."""
    papers: dict[str, Paper] = {}
    warnings: list[str] = []
    for batch, notes in parse_batches(text, file, mail_date, sources):
        warnings.extend(notes)
        add_batch(papers, batch)
    if not papers and not warnings:
        raise DigestError(NO_ENTRIES)
    return list(papers.values()), warnings


def add_batch(papers: dict[str, Paper], batch: list[Paper]) -> None:
    """A batch's papers into `papers` (by key, in file order), a paper listed again merged with its first listing."""
    for paper in batch:
        old = papers.get(paper.key)
        papers[paper.key] = paper if old is None else merge(old, paper)


def parse_batches(
    text: str, file: str, mail_date: str | None = None, sources: tuple[Source, ...] | None = None,
    size: int | None = None,
) -> Iterator[Batch]:  # fmt: skip
    """parse_listing() a batch of `size` entries at a time (BATCH_ENTRIES by default), as they
    are read (see Batch); raises nothing for a listing with no entries (parse_listing() does)."""
    headers, at = _body_start(text)
    body = _unquote(text, at)
    if body is not text:
        at = 0
    listing_date = mail_date or mail_day(headers.get("date", ""))
    listing_date = sys.intern(listing_date) if listing_date else None
    sources = sources or (Source(file, NAME),)
    return _batches(body, at, listing_date, listing_date is not None, sources, size or BATCH_ENTRIES)


def cut_context(head: str) -> tuple[str | None] | None:
    """What the parts of a listing after its first entry need to be read apart from its head (see
    parsers.batched): (the listing's date,) as parse_batches() decides it, when `head`, the start
    of the text, holds the mail headers, the first entry and all before it, unquoted; else None."""
    if _MAIL_HEADER.match(head) and "\n\n" not in head:
        return None  # the headers may go on past the head
    headers, at = _body_start(head)
    first = _FIRST_ENTRY.search(head, at)
    start = _START.search(head, at)
    if first is None or first.group(1) or start is None or start.end() > len(head) - 4096:
        return None
    listing_date = mail_day(headers.get("date", ""))
    if listing_date is None:
        end = _day(_WINDOW.search(head, at, start.start()))
        listing_date = announcement_day(end) if end else None
    return (sys.intern(listing_date) if listing_date else None,)


def parse_part(text: str, file: str, context: tuple[str | None]) -> Batch:
    """The papers and warnings of a part of a listing cut at a separator line after its first entry
    (see cut_context()), as the whole listing's parse_batches() gives them (not merged)."""
    papers: list[Paper] = []
    warnings: list[str] = []
    for batch, notes in _batches(text, 0, context[0], True, (Source(file, NAME),), sys.maxsize):
        papers.extend(batch)
        warnings.extend(notes)
    return papers, warnings


def _batches(
    body: str, at: int, listing_date: str | None, window_searched: bool, sources: tuple[Source, ...], size: int
) -> Iterator[Batch]:
    """The entries of `body` from `at`, cut at its separator lines, in batches of `size` (the first
    a quarter of that: the first papers of a big listing go on screen sooner)."""
    full, size = size, max(size // 4, 1)
    batch: list[Paper] = []
    notes: list[str] = []
    chunk_start = at
    for separator_start, separator_end in _separators(body, at):
        # an entry as arXiv writes it, `\\\\` then `arXiv:ID` right after the separator: its first
        # line matched where it is (the search would find it there, no line before it can match)
        start = _START.match(body, chunk_start + 4, separator_start) if body.startswith(_ENTRY, chunk_start) else None
        start = start or _START.search(body, chunk_start, separator_start)
        chunk_start = separator_end
        if start is None:
            continue
        if not window_searched:  # the section header before the first entry names the window
            window_searched = True
            end = _day(_WINDOW.search(body, at, start.start()))
            listing_date = announcement_day(end) if end else None
            listing_date = sys.intern(listing_date) if listing_date else None
        paper, note = _entry(body, start, separator_start, listing_date, sources)
        if note:
            notes.append(note)
        if paper is not None:
            batch.append(paper)
            if len(batch) >= size:
                yield batch, notes
                batch, notes, size = [], [], full
    if batch or notes:
        yield batch, notes


def _separators(body: str, at: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) of each separator line from `at` (the start of a line), then of the end of the
    text. Found with str.find, which is many times faster than a multi-line regular expression
    trying every line of a 100 MB body; a line starting with `%` is found by its `%` (one character
    is looked for many times faster than two)."""
    line_end = body.find("\n", at)
    if _SEPARATOR.fullmatch(body, at, max(line_end, at)):
        yield at, max(line_end, at)
    dash, percent = _dashes(body, at), _percent_line(body, at)
    while dash != -1 or percent != -1:
        at = dash if percent == -1 or (dash != -1 and dash < percent) else percent
        line_end = body.find("\n", at + 1)
        line_end = len(body) if line_end == -1 else line_end
        if _SEPARATOR.fullmatch(body, at + 1, line_end):
            yield at + 1, line_end
        if at == dash:
            dash = _dashes(body, line_end)
        if at == percent or percent < line_end:
            percent = _percent_line(body, line_end) if percent != -1 else -1
    yield len(body), len(body)


def _percent_line(body: str, at: int) -> int:
    """body.find("\\n%", at), by looking for the `%` alone."""
    percent = body.find("%", at + 1)
    while percent != -1 and body[percent - 1] != "\n":
        percent = body.find("%", percent + 1)
    return percent - 1 if percent != -1 else -1


def _dashes(body: str, at: int) -> int:
    """body.find(_DASHES, at), looked for a window at a time: over the rest of a big body, str.find
    prepares its search for a long text (two-way) on every call, which costs more than searching
    the entry the separator ends."""
    end = len(body)
    while at < end:
        window_end = at + _DASHES_WINDOW
        found = body.find(_DASHES, at, window_end + len(_DASHES) - 1)
        if found != -1 or window_end >= end:
            return found
        at = window_end
    return -1


_DASHES = "\n" + "-" * 20
_ENTRY = "\n\\\\\narXiv:"  # after a separator line (from its line break)
_DASHES_WINDOW = 16384


def mail_day(value: str) -> str | None:
    """The UTC day of a mail `Date:` header (`Fri, 23 Jan 2026 01:12:40 +0000`): the mailing day."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return _day(_DAY.search(value))
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return when.date().isoformat()


def announcement_day(window_end: str) -> str:
    """The day a listing whose submission window ends on `window_end` is mailed: the next weekday
    (arXiv announces Sunday to Thursday evenings, New York time, and mails after midnight GMT), so
    a window ending on a Friday is Monday's listing. Holidays are not known here."""
    day = dt.date.fromisoformat(window_end)
    step = {4: 3, 5: 2}.get(day.weekday(), 1)
    return (day + dt.timedelta(days=step)).isoformat()


_ENTRY_FIELDS = (
    "key", "id", "title_en", "title_zh", "authors", "author_count", "institutions", "institutions_raw", "categories",
    "date", "new_submission", "score", "upvotes", "topic", "topic_reason", "summary_zh", "comments", "journal_ref",
    "doi", "abstract_zh", "abstract_en", "organization", "summary_en", "keywords", "github_repo", "github_stars",
    "comments_count", "announce_type", "ai_sections", "sources",
)  # fmt: skip
"""Paper's fields in order, as _entry() writes a paper: one tuple of every field, made into a Paper
in one step (a keyword call per paper is a tenth of a 100 MB listing's time, setting the fields of
a list of defaults a twentieth); a test holds this to Paper._fields."""


@functools.lru_cache(maxsize=4096)
def _categories(raw: str) -> tuple[str, ...]:
    """`cs.CL cs.AI` -> ('cs.CL', 'cs.AI'), interned; a listing repeats the same few lines."""
    return tuple(map(sys.intern, dict.fromkeys(raw.split())))


def _marks(body: str, at: int, end: int) -> tuple[int, int]:
    """Where the `\\\\` line that opens the abstract starts, and where the closing
    `\\\\ ( https://arxiv.org/abs/ID , 12kb)` line starts (the last one: an abstract's line may
    start with a TeX `\\\\`), in the entry body[at:end]; `end` for a mark that is not there."""
    closer = body.rfind("\n\\\\ (", at, end)
    opener = body.find("\n\\\\\n", at, closer) if closer != -1 else -1
    if opener != -1:  # the usual entry, found with two searches
        return opener, closer
    if closer != -1 and body.find("\n\\\\", at, closer) == -1:
        return end, closer  # no abstract, the closing line right after the head (a replacement)
    return _marks_line_by_line(body, at, end)


def _marks_line_by_line(body: str, at: int, end: int) -> tuple[int, int]:
    """_marks() for the rest: no abstract (a replacement), a cut entry, spaces after a `\\\\`."""
    opener = closer = end
    mark = body.find("\n\\\\", at, end)
    while mark != -1:
        line_end = body.find("\n", mark + 1, end)
        rest = body[mark + 3 : line_end if line_end != -1 else end].strip()
        if not rest:
            opener = mark
            break
        if rest.startswith("("):
            return opener, mark  # no abstract (a replacement)
        mark = body.find("\n\\\\", mark + 1, end)
    if opener < end:
        last = body.rfind("\n\\\\ (", opener, end)
        closer = last if last != -1 else end
    return opener, closer


def joined(abstract: str) -> str | None:
    """The abstract's lines joined: arXiv wraps one paragraph at 80 columns with single spaces, so
    a line break becomes a space; indented lines (new paragraphs) and runs of spaces or tabs go
    through clean_abstract. Other Unicode spaces are kept as they are (clean_abstract would make
    them plain spaces): the price of not splitting every abstract into words."""
    abstract = abstract.strip()
    joined = abstract.replace("\n", " ")
    if "  " in joined or "\t" in joined:  # an indented line, a blank line, a run of spaces (or a tab)
        return clean_abstract(abstract)
    return joined or None


def _entry(
    body: str, start: re.Match, end: int, listing_date: str | None, sources: tuple[Source, ...]
) -> tuple[Paper | None, str | None]:  # fmt: skip
    """One entry's paper, from its `arXiv:` line (`start`) to the separator after it (at `end`), and
    a warning if it looks cut. Read in place: the entry is not copied out of the body. Built here,
    in one function, rather than by make_paper(): this is the loop of a 100 MB file."""
    at = start.end()
    closer = body.rfind("\n\\\\ (", at, end)
    opener = body.find("\n\\\\\n", at, closer) if closer != -1 else -1
    if opener != -1:  # the usual entry: its abstract right after the `\\\\` line
        first = opener + 4
        if body.startswith("  ", first) and first + 2 < closer and not body[first + 2].isspace():
            first += 2  # its first line's indent, which joined() would strip: one copy of the abstract the less
        abstract = body[first:closer]
    else:
        opener, closer = _marks(body, at, end)
        abstract = None
        if opener < closer:  # the abstract, between the `\\\\` line and the closing `\\\\ (...)` line
            line_end = body.find("\n", opener + 1, closer)
            abstract = body[line_end + 1 : closer] if line_end != -1 else ""  # an entry cut right after its `\\\\`
    head_end = min(opener, closer)
    head = _HEAD.fullmatch(body, at, head_end)
    date, replaced, title, authors, categories, comments, journal_ref, doi = (
        head.groups() if head is not None else _fields(body[at:head_end])
    )
    paper_cross, arxiv_id, rest = start.group(1, 2, 3)
    title = _one_line(title) if title else None
    if not title:
        return None, f"entry arXiv:{arxiv_id} has no title; skipped"
    if "\\" in title:
        title = to_unicode(title)
    if replaced is not None:
        kind = "replacement"
        date = listing_date or _day(_DAY.search(replaced))
    else:
        kind = "cross-list" if paper_cross or "cross-list" in rest else "new"
        date = listing_date or _day(_DAY.search(date or ""))
    count = None
    if authors:
        hidden = _HIDDEN.search(authors) if "not shown" in authors else None  # `et al. (17 additional authors not shown)`
        authors = split_authors(to_unicode(authors) if "\\" in authors else authors)
        if hidden:
            authors = tuple(name for name in authors if name not in ("et al.", "et al"))
            count = len(authors) + int(hidden.group(1))
        else:
            count = len(authors) or None
    else:
        authors = ()
    categories = _categories(categories) if categories else ()
    comments = to_unicode(" ".join(comments.split())) or None if comments else None
    journal_ref = to_unicode(" ".join(journal_ref.split())) or None if journal_ref else None
    doi = " ".join(doi.split()) or None if doi else None
    if abstract is not None:
        abstract = joined(to_unicode(abstract) if "\\" in abstract else abstract)
    paper = tuple.__new__(Paper, (  # in _ENTRY_FIELDS' order
        arxiv_id, arxiv_id, title, None, authors, count, (), None, categories, date, None, None, None, None, None, None,
        comments, journal_ref, doi, None, abstract, None, None, (), None, None, None, kind, (), sources,
    ))  # fmt: skip
    if closer == end and replaced is None:  # no closing `\\\\ (...)` line
        return paper, f"entry arXiv:{arxiv_id} is cut off (no closing \\\\ line)"
    return paper, None


# a field's value and its continuation lines (indented), possessive: a line given back would
# never let what follows match (it starts with a field's name or ends the head)
_VALUE = r"[ \t]?([^\n]*+(?:\n[ \t][^\n]*+)*+)"
_SKIPPED = _VALUE.replace("(", "(?:", 1)
_HEAD = re.compile(
    rf"\n(?:Date:{_VALUE}|replaced with revised version\b[ \t]*([^\n]*))\n++Title:{_VALUE}\n++Authors?:{_VALUE}"
    rf"\n++Categories:{_VALUE}(?:\n++Comments:{_VALUE})?(?:\n++Report-no:{_SKIPPED})?(?:\n++MSC-class:{_SKIPPED})?"
    rf"(?:\n++ACM-class:{_SKIPPED})?(?:\n++Journal-ref:{_VALUE})?(?:\n++DOI:{_VALUE})?(?:\n++License:{_SKIPPED})?\n*"
)
"""An entry's head as arXiv writes it, its fields in arXiv's order, each once (nearly every entry):
matched in place, it gives what _fields() would, without the head's copy, a list and a dict.
Between its lines only blank ones: a head with any other line (or field) is _fields()'s."""

Fields = tuple[str | None, str | None, str | None, str | None, str | None, str | None, str | None, str | None]
"""An entry's raw fields: Date, what follows `replaced with revised version` (on a replacement's
line; None for an entry that is not one), Title, Authors (or Author), Categories, Comments,
Journal-ref, DOI; None for a field not there."""


def _fields(head: str) -> Fields:
    """The Fields of any head: each field found where it is (the last of a field given twice)."""
    fields = dict(_FIELD.findall(head))
    replaced = _REPLACED.search(head) if "replaced with" in head or " added" in head else None
    return (
        fields.get("Date"), replaced.group(1) if replaced else None, fields.get("Title"),
        fields.get("Authors") or fields.get("Author"), fields.get("Categories"), fields.get("Comments"),
        fields.get("Journal-ref"), fields.get("DOI"),
    )  # fmt: skip
