"""What every export format shares: records, the one clean-up of untrusted text, dates and identifiers.

Every export is made of untrusted text (titles, authors and abstracts from digests, and notes
and tags that may come from someone else's reading list), so every writer first passes every
string through `text.clean` (safe_records): control characters become visible symbols (an ESC
in a title would otherwise drive the terminal of whoever `cat`s the file), bidi and zero-width
characters are dropped and lone surrogates become U+FFFD; line breaks are kept (each format
quotes them). Then each format quotes for itself.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from ..citekey import id_year_month
from ..model import ARXIV_ID, Mark, Paper
from ..text import clean, path_text, printable, printable_texts

Record = tuple[Paper, Mark]


class ExportError(ValueError):
    """An export or reading list that cannot be made or read; the message is one line."""


class ExportStopped(Exception):
    """An export stopped before it was done (write()'s `stop`); the message says what was left."""


@dataclass(frozen=True, slots=True)
class Details:
    """What describes an export as a whole: a reading list's name, the query that chose the
    papers, when it was made. The formats that have no place for them ignore them."""

    name: str = ""
    query: str = ""
    created: dt.datetime | None = None


def now() -> dt.datetime:
    """The local time now, to the second, with its UTC offset."""
    return dt.datetime.now().astimezone().replace(microsecond=0)


def tidy(text: str | None) -> str:
    """One line, single spaces."""
    if not text:
        return ""
    if len(text) > 120 and text.isascii() and text[0] != " " != text[-1] and not any(map(text.__contains__, _UNTIDY_ASCII)):
        return text  # a long text already tidy (most abstracts): a few searches in C, not a split into words
    return " ".join(text.split())


_UNTIDY_ASCII = ("  ", *(chr(code) for code in range(0x80) if chr(code).isspace() and code != 0x20))
"""What tidy() changes in an ASCII text that starts and ends with no space: two spaces, or a
space character str.split() splits at (tab, line breaks, the file/group/record/unit separators)."""


def paragraphs(text: str | None) -> list[str]:
    """The paragraphs of a long text (split at blank lines), each made one line."""
    if not text:
        return []
    if "\n" not in text:  # one paragraph
        line = tidy(text)
        return [line] if line else []
    return [line for line in (tidy(part) for part in re.split(r"\n\s*\n", text)) if line]


def safe_paper(paper: Paper) -> Paper:
    """The paper with every string field through text.clean, line breaks kept (the writers
    that need one line make it); the paper itself when nothing in it is unprintable (nearly
    always: one scan tells)."""
    if printable(paper):
        return paper
    changes = {}
    for name, value in zip(paper._fields, paper):
        if isinstance(value, str):
            cleaned = clean(value, newlines=True)
        elif isinstance(value, tuple) and value and isinstance(value[0], str):
            cleaned = tuple(clean(item, newlines=True) for item in value)
        elif name == "ai_sections" and value:  # (name, text) pairs
            cleaned = tuple((clean(label), clean(part, newlines=True)) for label, part in value)
        else:
            continue
        if cleaned != value:
            changes[name] = cleaned
    return paper._replace(**changes) if changes else paper


def safe_records(records: Iterable[Record]) -> list[Record]:
    """Records ready for any writer: papers through safe_paper, tags and notes cleaned too. A
    batch whose texts are all printable is kept as it is after one look at them all (nearly
    always: 0.5 s against 0.8 s at 100k papers, where each record was looked at by itself)."""
    records = records if isinstance(records, list) else list(records)
    out: list[Record] = []
    for at in range(0, len(records), _LOOKED_AT):
        batch = records[at : at + _LOOKED_AT]
        out += batch if _printable_batch(batch) else map(_safe_record, batch)
    return out


def _safe_record(record: Record) -> Record:
    paper, mark = record
    if not (mark.tags or mark.note) or printable((mark.tags, mark.note)):
        return safe_paper(paper), mark
    tags = tuple(clean(tag, newlines=True) for tag in mark.tags)
    note = clean(mark.note, newlines=True)
    if tags != mark.tags or note != mark.note:
        mark = Mark(mark.starred, mark.read, tags, note)
    return safe_paper(paper), mark


_LOOKED_AT = 256
"""Records whose texts safe_records() looks at in one go."""
_TEXT_FIELDS = (
    "key", "id", "title_en", "title_zh", "institutions_raw", "date", "topic", "topic_reason", "summary_zh", "comments",
    "journal_ref", "doi", "abstract_zh", "abstract_en", "organization", "summary_en", "github_repo", "announce_type",
)  # fmt: skip
_LIST_FIELDS = ("authors", "institutions", "categories", "keywords")
_OTHER_FIELDS = ("author_count", "new_submission", "score", "upvotes", "github_stars", "comments_count", "ai_sections", "sources")
"""No text (ai_sections: (name, text) pairs, looked at by themselves; sources: never cleaned)."""
assert sorted(_TEXT_FIELDS + _LIST_FIELDS + _OTHER_FIELDS) == sorted(Paper._fields), "a Paper field safe_records does not know"
_TEXTS = operator.itemgetter(*map(Paper._fields.index, _TEXT_FIELDS))
_LISTS = operator.itemgetter(*map(Paper._fields.index, _LIST_FIELDS))
_AI_SECTIONS = operator.attrgetter("ai_sections")


def _printable_batch(records: list[Record]) -> bool:
    """Whether no text of these records is one safe_paper or a mark's clean-up would change: their
    strings gathered and looked at in C (text.printable_texts); False says only that one may."""
    papers = [paper for paper, _ in records]
    texts = chain(
        chain.from_iterable(map(_TEXTS, papers)),
        chain.from_iterable(chain.from_iterable(map(_LISTS, papers))),
        chain.from_iterable(chain.from_iterable(map(_AI_SECTIONS, papers))),
        chain.from_iterable(mark.tags for _, mark in records),
        (mark.note for _, mark in records),
    )
    try:
        return printable_texts(filter(None, texts))
    except TypeError:  # something other than a string where a text should be: looked at one by one
        return False


def arxiv_id(paper: Paper) -> str | None:
    """The paper's arXiv id when it is a real one (not a hand-made key)."""
    return paper.id if paper.id and ARXIV_ID.fullmatch(paper.id) else None


def doi(paper: Paper) -> str | None:
    """The published version's DOI when a listing gave one, else the DOI arXiv registers for
    every paper (`10.48550/arXiv.<id>`), else None."""
    if paper.doi:
        return tidy(paper.doi)
    found = arxiv_id(paper)
    return f"10.48550/arXiv.{found}" if found else None


_JOURNAL_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def published(paper: Paper) -> tuple[str | None, int | None]:
    """(year, month) the paper came out: the year a journal reference names, else the month its
    arXiv id was given out, else the listing date's (a Hugging Face paper without an id)."""
    from_id = id_year_month(arxiv_id(paper))
    if paper.journal_ref:
        years = _JOURNAL_YEAR.findall(paper.journal_ref)
        if years and (from_id is None or years[-1] != from_id[0]):
            return years[-1], None
    if from_id:
        return from_id
    if paper.date and re.match(r"\d{4}-(0[1-9]|1[0-2])", paper.date):
        return paper.date[:4], int(paper.date[5:7])
    if paper.date and re.match(r"\d{4}", paper.date):
        return paper.date[:4], None
    return None, None


_ORGANISATION_WORDS = (
    "and", "team", "lab", "labs", "laboratory", "research", "group", "university", "institute", "inc", "ltd", "corporation",
    "consortium", "collaboration", "foundation", "center", "centre", "project", "community",
)  # fmt: skip
"""Words that make an author's name an organisation's (`Barnes and Noble Research`, `Qwen Team`)."""
_ORGANISATION = re.compile(
    "(?=[" + "".join(sorted({word[0] for word in _ORGANISATION_WORDS})) + r"])\b(?:" + "|".join(_ORGANISATION_WORDS) + r")\b", re.I
)
"""One of _ORGANISATION_WORDS, as a word. The look-ahead (the words' first letters) changes no
match; it lets re skip to where one may start: 2.7 µs against 5.6 µs for a paper's authors."""


_PARTICLES = frozenset(["van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "dos", "das", "le", "la", "ter", "ten", "zu"])


def split_names(authors: Iterable[str]) -> list[tuple[str, tuple[str, str] | None]]:
    """Each author's name tidied, and its (family, given) as written (`Kaiyan Zhao`, `Zhao, Kaiyan`):
    None for a one-word name, a name in Chinese and an organisation (`Barnes and Noble Research`,
    `Qwen Team`), which are kept whole. The names are looked at for an organisation's word in one
    search, not one a name (~1 µs each: the most of a split)."""
    names = [tidy(author) for author in authors]
    look = _ORGANISATION.search("\n".join(names)) is not None  # (a word never spans two names)
    return [(name, _split(name, look)) for name in names]


def _split(author: str, look: bool) -> tuple[str, str] | None:
    """A tidy name's (family, given), or None; `look`: whether it may be an organisation's."""
    if "," in author:
        family, given = (part.strip() for part in author.split(",", 1))
        return (family, given) if family and given else None
    if " " not in author or (look and _ORGANISATION.search(author)):
        return None
    words = author.split(" ")
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:  # `van der Maaten`: as BibTeX reads a name
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def authors_known(paper: Paper) -> bool:
    """Whether the author list is complete (a Hugging Face card may give only the first few)."""
    return not (paper.author_count and paper.author_count > len(paper.authors))


def record_values(paper: Paper, mark: Mark, citekey: str | None = None) -> dict:
    """The one mapping of a paper and its mark to plain values (lists for tuples, None where
    unknown), in a fixed order: JSON, CSV, reading lists and notes pick their fields from it."""
    values = paper_values(paper)
    values.update(citekey=citekey, starred=mark.starred, read=mark.read, tags=list(mark.tags), note=mark.note)
    return values


def paper_values(paper: Paper, names: Iterable[str] | None = None) -> dict:
    """A paper's fields as plain values: tuples become lists, sources become {file, format}
    tables (a file name that is not UTF-8 written with `\\xNN`), AI sections a {name: text} table, and `url` is included; `names` picks fields
    (default: all, key first)."""
    out = {}
    for name in names if names is not None else ("key", "id", "url", *Paper._fields[2:]):
        value = getattr(paper, name)
        if name == "sources":
            value = [{"file": path_text(source.file), "format": source.format} for source in value]
        elif name == "ai_sections":  # (name, text) pairs
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out
