"""Reading lists: a TOML file of papers with their stars, tags and notes, written and read back with validation.

A reading list looks like this (keys with no value are left out; TOML has no null):

    version = 1

    [list]
    name = "MoE reading"
    created = 2026-06-18T21:04:05+08:00
    query = "tag:moe score>=80"

    [[papers]]
    id = "2606.18663"
    url = "https://arxiv.org/abs/2606.18663"
    title_en = "RegMix-D: Dynamic Data Mixing via Proxy Training Trajectories"
    title_zh = "RegMix-D: 通过代理训练轨迹实现动态数据混合"
    authors = ["Kaiyan Zhao", "Zhongtao Miao"]
    date = "2026-06-18"
    categories = ["cs.CL"]
    tags = ["moe"]
    starred = true
    note = "..."

Written through tomli_w (which quotes everything); read back with every field checked, and
every problem one ReadingListError line naming the paper and the field.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from ..files import read_regular
from ..library import LibraryError, clean_note, clean_tag
from ..model import ARXIV_ID, Mark, make_paper, strip_version
from ..text import clean, short_repr
from .common import Details, ExportError, Record, now, record_values, safe_records, tidy

READING_LIST_VERSION = 1
MAX_PAPERS = 100_000
MAX_ITEMS = 10_000
"""Authors, categories or tags one paper of a reading list may have."""
MAX_TEXT = 100_000
"""Characters in one string of a reading list (a note included)."""
MAX_FILE_BYTES = 256 * 1024 * 1024


class ReadingListError(ExportError):
    """A reading list file that is not valid; the message names the problem, on one line, with
    control characters from the (untrusted) file made visible."""

    def __init__(self, message: object = "not a valid reading list") -> None:
        super().__init__(clean(" ".join(str(message).split())))


@dataclass(frozen=True, slots=True)
class ReadingList:
    name: str
    created: dt.datetime | None
    query: str
    records: list[Record]



def render(records: list[Record], keys: list[str], details: Details) -> str:
    """The export format `toml`: a reading list (the citation keys are the library's, not the list's)."""
    return reading_list_toml(records, details.name, details.query, details.created or now())


def chunks(records: list[Record], keys: list[str], details: Details, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
    """render()'s text as UTF-8, BATCH papers a piece."""
    stop = len(records) if stop is None else stop
    if start == 0:
        yield _head(details.name, details.query, details.created or now()).encode("utf-8")
    for at in range(start, stop, BATCH):
        yield _entries(records[at : min(at + BATCH, stop)]).encode("utf-8")


BATCH = 256
"""Papers made into one piece of UTF-8 by chunks()."""


def reading_list_toml(records: list[Record], name: str, query: str, created: dt.datetime) -> str:
    """A reading list: a `[list]` table, then one `[[papers]]` table per record."""
    return _head(name, query, created) + _entries(records)


def _head(name: str, query: str, created: dt.datetime) -> str:
    header = {"name": clean(name, newlines=True), "created": created, "query": clean(query, newlines=True)}
    return tomli_w.dumps({"version": READING_LIST_VERSION}) + "\n" + tomli_w.dumps({"list": header})


def _entries(records: list[Record]) -> str:
    # one table at a time: tomli_w would write a short entry as an inline table
    return "".join(["\n[[papers]]\n" + _entry_toml(_list_entry(paper, mark)) for paper, mark in safe_records(records)])


def _entry_toml(entry: dict) -> str:
    """tomli_w.dumps(entry, multiline_strings=True) for a paper's table (strings, lists of strings
    and booleans under bare keys), byte for byte: tomli_w looks at every character of every string
    in Python (~30 µs a paper), where one search tells that a string needs no escape (nearly always)."""
    lines = []
    for key, value in entry.items():
        kind = value.__class__
        if kind is str:
            lines.append(f"{key} = {_toml_string(value)}\n")
        elif kind is bool:
            lines.append(f"{key} = {'true' if value else 'false'}\n")
        elif kind is list and value and all(item.__class__ is str for item in value):
            lines.append(f"{key} = [\n" + "".join(f"    {_toml_string(item)},\n" for item in value) + "]\n")
        else:
            return tomli_w.dumps(entry, multiline_strings=True)
    return "".join(lines)


def _toml_string(text: str) -> str:
    if _TOML_ESCAPED.search(text) is None:
        return '"' + text + '"'
    return tomli_w.dumps({"s": text}, multiline_strings=True)[4:-1]  # `s = ` and the line end off


_TOML_ESCAPED = re.compile(r'["\\\x00-\x08\x0a-\x1f\x7f]')
"""What tomli_w escapes in a basic string (a quote, a backslash, a control but tab), or writes as
a multi-line string (a line break)."""


_ENTRY_FIELDS = ("id", "url", "title_en", "title_zh", "authors", "date", "categories", "tags", "starred", "read", "note")


def _list_entry(paper, mark: Mark) -> dict:
    values = record_values(paper, mark)
    return {key: values[key] for key in _ENTRY_FIELDS if values[key] not in (None, "", [], False)}


_TOP_KEYS = ("version", "list", "papers")
_LIST_KEYS = ("name", "created", "query")
_PAPER_STRINGS = ("id", "url", "title_en", "title_zh", "date", "note")
_PAPER_LISTS = ("authors", "categories", "tags")
_PAPER_FLAGS = ("starred", "read")
_PAPER_KEYS = _PAPER_STRINGS + _PAPER_LISTS + _PAPER_FLAGS


def load_reading_list(path: str | os.PathLike[str]) -> ReadingList:
    """Read and check a reading list; every problem is a ReadingListError with one line."""
    path = Path(path)
    try:
        data = read_regular(path, limit=MAX_FILE_BYTES)
    except OSError as error:
        if error.errno == errno.EFBIG:
            raise ReadingListError(f"{path.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB") from None
        raise ReadingListError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")  # a BOM: some editors write one
    except UnicodeDecodeError as error:
        raise ReadingListError(f"{path.name} is not UTF-8 text (byte {error.start})") from None
    return parse_reading_list(text, default_name=path.stem)


def parse_reading_list(text: str, default_name: str = "") -> ReadingList:
    """The reading list in TOML text (see load_reading_list). Paper positions in messages
    count from 0, as in `papers[3]` for the fourth `[[papers]]` table."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ReadingListError(f"not valid TOML: {tidy(str(error))}") from None
    except RecursionError:
        raise ReadingListError("not valid TOML: nested too deeply") from None
    except Exception as error:  # tomllib's contract is TOMLDecodeError; ours is never anything else
        raise ReadingListError(f"not valid TOML: {type(error).__name__}") from None
    _no_unknown_keys(document, _TOP_KEYS, "the top level")
    version = document.get("version", READING_LIST_VERSION)
    if type(version) is not int or version < 1:
        raise ReadingListError(f"version: expected a positive whole number, got {short_repr(version)}")
    if version > READING_LIST_VERSION:
        raise ReadingListError(
            f"made by a newer digest-tui (reading list version {version}; this one reads {READING_LIST_VERSION})"
        )
    header = document.get("list", {})
    if not isinstance(header, dict):
        raise ReadingListError("list: expected a table ([list])")
    _no_unknown_keys(header, _LIST_KEYS, "list")
    name = header.get("name", default_name)
    if not isinstance(name, str):
        raise ReadingListError("list.name: expected a string")
    query = header.get("query", "")
    if not isinstance(query, str):
        raise ReadingListError("list.query: expected a string")
    for key, value in (("name", name), ("query", query)):
        if len(value) > MAX_TEXT:
            raise ReadingListError(f"list.{key}: {len(value):,} characters, more than the {MAX_TEXT:,} allowed")
    created = _created(header.get("created"))
    papers = document.get("papers", [])
    if not isinstance(papers, list):
        raise ReadingListError("papers: expected an array of tables ([[papers]])")
    if len(papers) > MAX_PAPERS:
        raise ReadingListError(f"papers: {len(papers):,} papers, more than the {MAX_PAPERS:,} a reading list may hold")
    records: list[Record] = []
    seen: set[str] = set()
    for index, entry in enumerate(papers):
        paper, mark = _read_paper(entry, f"papers[{index}]")
        if paper.key not in seen:  # a paper listed twice counts once
            seen.add(paper.key)
            records.append((paper, mark))
    return ReadingList(name=name, created=created, query=query, records=records)


def _created(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ReadingListError(f"list.created: expected a date and time, got {short_repr(value)}")


def _read_paper(entry: object, where: str) -> Record:
    if not isinstance(entry, dict):
        raise ReadingListError(f"{where}: expected a table, got {short_repr(entry)}")
    _no_unknown_keys(entry, _PAPER_KEYS, where)
    values: dict = {}
    for key in _PAPER_STRINGS:
        value = entry.get(key)
        if key == "date" and isinstance(value, dt.date):
            value = value.isoformat()[:10]  # a bare TOML date means the same as the string
        if value is not None and not isinstance(value, str):
            raise ReadingListError(f"{where}.{key}: expected a string, got {short_repr(value)}")
        if value is not None and len(value) > MAX_TEXT:
            raise ReadingListError(f"{where}.{key}: {len(value):,} characters, more than the {MAX_TEXT:,} allowed")
        values[key] = value
    for key in _PAPER_LISTS:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ReadingListError(f"{where}.{key}: expected a list of strings")
        if len(value) > MAX_ITEMS:
            raise ReadingListError(f"{where}.{key}: {len(value):,} items, more than the {MAX_ITEMS:,} allowed")
        if any(len(item) > MAX_TEXT for item in value):
            raise ReadingListError(f"{where}.{key}: an item longer than {MAX_TEXT:,} characters")
        values[key] = tuple(value)
    for key in _PAPER_FLAGS:
        value = entry.get(key, False)
        if not isinstance(value, bool):
            raise ReadingListError(f"{where}.{key}: expected true or false, got {short_repr(value)}")
        values[key] = value
    arxiv_id = values["id"]
    if not arxiv_id and values["url"]:
        # a hand-made list may give only the link
        found = _ARXIV_URL.match(values["url"].strip())
        arxiv_id = found[1] if found else None
    if arxiv_id:
        arxiv_id = strip_version(arxiv_id)
        if not (arxiv_id.isascii() and ARXIV_ID.fullmatch(arxiv_id)):
            raise ReadingListError(f"{where}.id: not an arXiv id: {short_repr(values['id'])}")
    if not (arxiv_id or tidy(values["title_en"]) or tidy(values["title_zh"])):
        raise ReadingListError(f"{where}: needs an id or a title")
    try:
        tags = tuple(dict.fromkeys(clean_tag(tag) for tag in values["tags"]))
    except LibraryError:
        raise ReadingListError(f"{where}.tags: a tag is empty") from None
    paper = make_paper(
        id=arxiv_id or None,
        title_en=values["title_en"] or None,
        title_zh=values["title_zh"] or None,
        authors=values["authors"],
        date=values["date"] or None,
        categories=values["categories"],
    )
    mark = Mark(starred=values["starred"], read=values["read"], tags=tags, note=clean_note(values["note"] or ""))
    return paper, mark


_ARXIV_URL = re.compile(r"https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/([^?#\s]+?)(?:\.pdf)?/?$")


def _no_unknown_keys(table: dict, known: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in known:
            raise ReadingListError(f"{where}: unknown key {short_repr(key)} (known: {', '.join(known)})")
