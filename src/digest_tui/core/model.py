"""Paper records and the small value types around them: plain data, no I/O."""

from __future__ import annotations

import operator
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from .text import clean, one_line, path_text

ARXIV_ID = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})", re.ASCII)
_VERSION = re.compile(r"v\d+$")


class Source(NamedTuple):
    """One file a paper was read from, and the format it was read as."""

    file: str
    format: str


class Paper(NamedTuple):
    """One paper as the digests describe it; every field but the key may be unknown.

    An immutable named tuple rather than a frozen dataclass: building one from cached values is
    a single tuple allocation (0.5 µs) instead of a setattr per field (5 µs), which is a second
    of every warm start at 100k papers. Change one with `paper._replace(...)`."""

    key: str
    id: str | None = None
    title_en: str | None = None
    title_zh: str | None = None
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    institutions: tuple[str, ...] = ()
    institutions_raw: str | None = None
    categories: tuple[str, ...] = ()
    date: str | None = None
    new_submission: bool | None = None
    score: int | None = None
    upvotes: int | None = None
    topic: str | None = None
    topic_reason: str | None = None
    summary_zh: str | None = None
    comments: str | None = None
    journal_ref: str | None = None
    doi: str | None = None  # the published version's DOI, where a listing gives one
    abstract_zh: str | None = None
    abstract_en: str | None = None
    organization: str | None = None
    summary_en: str | None = None
    keywords: tuple[str, ...] = ()
    github_repo: str | None = None
    github_stars: int | None = None
    comments_count: int | None = None
    announce_type: str | None = None  # how arXiv announced it that day: ANNOUNCE_TYPES
    ai_sections: tuple[tuple[str, str], ...] = ()  # an AI summary's labelled parts: AI_SECTIONS names, in order
    sources: tuple[Source, ...] = ()

    @property
    def url(self) -> str | None:
        return abs_url(self.id) if self.id else None

    @property
    def pdf_url(self) -> str | None:
        return f"https://arxiv.org/pdf/{self.id}" if self.id else None

    @property
    def title(self) -> str:
        return self.title_en or self.title_zh or self.id or ""


def abs_url(arxiv_id: str) -> str:
    """A paper's page on arXiv."""
    return f"https://arxiv.org/abs/{arxiv_id}"


SORTS = ("date", "score", "upvotes", "title")
"""Orders the list can take; `date` is the default: newest listing first, then score, then title."""
LANGUAGES = {"en": "EN", "zh": "中文"}
"""The languages papers are shown in (`language` in config.toml, the l key), each with its short label;
side by side (`side_by_side`, the L key) shows the other one's abstract too."""

ANNOUNCE_TYPES = ("new", "cross-list", "replacement")
"""The kinds of announcement in an arXiv listing (e-mail or feed), in the order a day lists them."""

AI_SECTIONS = ("motivation", "method", "result", "conclusion")
"""The parts of an AI summary a digest may give apart from its one-paragraph gist (`ai_sections`)."""

TEXT_FIELDS = ("institutions", "institutions_raw", "topic_reason", "summary_zh", "comments", "abstract_zh", "abstract_en", "summary_en", "ai_sections")
"""The long texts: four fifths of an archive's bytes, and needed only for the paper on show, for
full-text search and for exports. A warm start lists papers without them and fills them in
afterwards (see `Store.add`'s `texts`); nothing that lists, sorts or counts papers reads them."""
TEXT_INDEXES = tuple(Paper._fields.index(name) for name in TEXT_FIELDS)


_TEXT_DEFAULTS = tuple(Paper._field_defaults[name] for name in TEXT_FIELDS)


def without_texts(paper: Paper) -> tuple:
    """The paper's values with every text field unknown (the part of it a warm start reads first).
    A paper whose texts are not in (a warm start's, or one the parsing processes sent) is copied
    as it is: 0.3 µs against 1.9 (the load snapshot of a million papers makes one of each)."""
    if _TEXT_VALUES(paper) == _TEXT_DEFAULTS:
        return tuple(paper)
    values = list(paper)
    for index, default in zip(TEXT_INDEXES, _TEXT_DEFAULTS):
        values[index] = default
    return tuple(values)


_TEXT_VALUES = operator.itemgetter(*TEXT_INDEXES)


def texts_of(paper: Paper) -> tuple[str | None, ...]:
    """The paper's TEXT_FIELDS values, in order (one C call: a cold load takes them from every paper)."""
    return _TEXT_VALUES(paper)


def with_texts(paper: Paper, texts: tuple[str | None, ...]) -> Paper:
    """The paper with the texts of another record of it (TEXT_FIELDS values) merged in exactly as
    merge() would have (merged_value): a paper listed twice gets the same texts whether its
    records met whole (a cold start) or its texts came in afterwards (a warm one). A paper with
    no texts yet (nearly always) takes them as they are: merged_value() gives each text itself
    when the other side is unknown (1.8 µs a paper against 4.5)."""
    if _TEXT_VALUES(paper) == _TEXT_DEFAULTS:
        if not any(texts):
            return paper
        values = list(paper)
        for index, text in zip(TEXT_INDEXES, texts):
            if text:
                values[index] = text
        return tuple.__new__(Paper, values)
    values = None
    for name, index, text in zip(TEXT_FIELDS, TEXT_INDEXES, texts):
        if not text:
            continue
        old = paper[index]
        value = merged_value(name, old, text)
        if value is not old and value != old:
            if values is None:
                values = list(paper)
            values[index] = value
    return paper if values is None else tuple.__new__(Paper, values)


@dataclass(frozen=True, slots=True)
class Mark:
    """What the user has said about one paper."""

    starred: bool = False
    read: bool = False
    tags: tuple[str, ...] = ()
    note: str = ""

    @property
    def kept(self) -> bool:
        """Starred, tagged or noted: the library keeps a snapshot of the paper."""
        return self.starred or bool(self.tags) or bool(self.note)

    def has_tag(self, tag: str) -> bool:
        folded = tag.casefold()
        return any(t.casefold() == folded for t in self.tags)


@dataclass(slots=True)
class Problem:
    """A file (or one part of it) that could not be read, with a one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return one_line(f"{clean(path_text(self.path))}: {self.reason}", limit=400)


@dataclass(slots=True)
class ParseResult:
    """What one file gave: its papers, its format's name, and one-line notes on parts skipped."""

    papers: list[Paper]
    format: str
    warnings: list[str] = field(default_factory=list)


def strip_version(arxiv_id: str) -> str:
    """`2606.18663v2` -> `2606.18663`."""
    return _VERSION.sub("", arxiv_id.strip())


_ASCII_PUNCTUATION = bytes(c for c in range(128) if not chr(c).isalnum())
_NON_ALNUM = re.compile(r"[\W_]+")


def normalise_title(title: str) -> str:
    """Fold case, width, whitespace and punctuation so one title read twice compares equal."""
    if title.isascii():  # the common case, as bytes: ten times faster than the general one (and str.translate)
        return title.encode().lower().translate(None, _ASCII_PUNCTUATION).decode()
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", title).casefold())


def folded_title(paper: Paper) -> str | None:
    """The normalised title a paper merges by (None without a title)."""
    if paper.id is None:
        return paper.key[6:]  # the key is "title:" + exactly this
    title = paper.title_en or paper.title_zh
    return normalise_title(title) if title else None


def paper_key(arxiv_id: str | None, title: str | None) -> str:
    """The identity used to merge papers: the arXiv id, else `title:` + the normalised title."""
    if arxiv_id:
        return arxiv_id
    return "title:" + normalise_title(title or "")


def make_paper(**values) -> Paper:
    """Build a Paper, deriving the key from its id or title."""
    if values.get("id"):
        values["id"] = strip_version(values["id"])
    key = paper_key(values.get("id"), values.get("title_en") or values.get("title_zh"))
    # values that repeat across thousands of papers are shared, not copied (memory at 100k papers)
    for name in ("date", "topic", "announce_type"):
        if values.get(name):
            values[name] = sys.intern(values[name])
    if values.get("categories"):
        values["categories"] = tuple(map(sys.intern, values["categories"]))
    if values.get("institutions"):  # a lab's papers name it again and again
        values["institutions"] = institutions = tuple(map(sys.intern, values["institutions"]))
        if len(institutions) == 1 and values.get("institutions_raw") == institutions[0]:
            values["institutions_raw"] = institutions[0]  # the line is the one institution: kept once
    return Paper(key=key, **values)


_UNION = ("categories", "sources", "institutions", "keywords")
"""Lists united in merge(): the first record's items, then the other's new ones."""
_LONGER = ("authors", "ai_sections")
"""Lists of which merge() keeps the longer (the first when as long): sites shorten author lists
("et al.") and spell names their own way, and a paper's AI sections come whole from one site."""
_MAX = ("score", "upvotes", "author_count", "github_stars", "comments_count")
_MERGE_FIELDS = tuple(name for name in Paper._fields if name != "key")


def merged_value(name: str, a: object, b: object) -> object:
    """Field `name` of a paper whose records say `a` (the one seen first) and `b`: known values win
    over unknown, lists in _UNION are united and in _LONGER the longer kept, counts take the larger,
    the listing date is the earliest. The one rule for duplicates, wherever they meet: merge(), and
    with_texts() when a warm start fills in the texts of a paper listed twice."""
    if name in _UNION:
        return a + tuple(x for x in b if x not in a) if b else a
    if name in _LONGER:
        return a if len(a) >= len(b) else b
    if name in _MAX:
        return b if a is None else a if b is None else max(a, b)
    if name == "date":
        return b if a is None else a if b is None else min(a, b)
    if name == "institutions_raw" and a and b:  # the lines the institutions were split from: each once
        lines = a.split("\n")
        return "\n".join(lines + [line for line in b.split("\n") if line not in lines])
    return a if a not in (None, "") else b


def merge(old: Paper, new: Paper) -> Paper:
    """Combine two records of one paper, field by field with merged_value()."""
    changes = {}
    for name in _MERGE_FIELDS:
        a = getattr(old, name)
        value = merged_value(name, a, getattr(new, name))
        if value is not a and value != a:
            changes[name] = value
    return old._replace(**changes) if changes else old
