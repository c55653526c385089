"""The library file's format: bytes parsed into checked plain data, the marks written as TOML.

Plain TOML a person can read and edit. No file system here: bytes in, text out (file.py reads
and writes).

    # digest-tui library: stars, tags, notes and read marks
    version = 1
    tags = ["moe", "to-read"]              # every tag in use, in the order first created
    read = ["2606.19036", "title:..."]     # papers that are read and nothing else

    [citekeys]                             # every citation key an export made, pinned
    "2606.18663" = "zhao2026regmix"

    [papers."2606.18663"]                  # starred, tagged or noted papers
    starred = true
    read = true
    tags = ["moe"]
    note = "..."
    id = "2606.18663"                      # a snapshot, so exports work without the digests
    url = "https://arxiv.org/abs/2606.18663"
    title_en = "..."
    title_zh = "..."
    authors = ["Kaiyan Zhao", "..."]
    date = "2026-06-18"
    categories = ["cs.CL"]

Every field of a paper table is optional; a part with wrong types is skipped and named in
`Document.problems`. The read marks are most of a big library (100k keys): they are written and
read back here without tomli_w/tomllib, which take ten times as long. Only the exact shape
_dump_read writes is read this way (plain keys, at the top level); anything else a person wrote
goes through tomllib. The citation keys get the same treatment (citekeys.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass, field

import tomli_w

from .. import citekey
from ..model import Mark, abs_url
from ..text import short_repr
from . import citekeys
from .citekeys import PLAIN_KEY
from .marks import LIST_FIELDS, SNAPSHOT_FIELDS, LibraryError, Marks, clean_note, clean_tag

LIBRARY_VERSION = 1
"""The newest file format this code reads and the one it writes."""

_HEADER = "# digest-tui library: stars, tags, notes and read marks (TOML; safe to edit while the app is closed)\n"


class Unreadable(Exception):
    """The bytes are not a library file at all (not UTF-8, not TOML, no sensible version): one line."""


@dataclass(slots=True)
class Document:
    """What a library file holds, checked: every part of it that is well formed."""

    version: int
    tags: list[str] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    citekeys: dict[str, str] = field(default_factory=dict)
    papers: list[tuple[str, Mark, dict]] = field(default_factory=list)  # key, mark, snapshot fields
    problems: list[str] = field(default_factory=list)  # one line per part skipped


def parse(data: bytes) -> Document:
    """The library in a file's bytes; Unreadable when they are no library at all."""
    try:
        text, read = _split_read(data.decode("utf-8-sig"))  # a BOM: some editors write one
        text, plain_keys = citekeys.split(text)  # valid already: only the others are checked below
        table = tomllib.loads(text)
        if read is not None and table.get("read") == []:
            table["read"] = read
    except UnicodeDecodeError:
        raise Unreadable("not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise Unreadable(f"not valid TOML: {error}") from None
    except RecursionError:
        raise Unreadable("nested too deeply") from None
    except Exception as error:  # tomllib's contract is TOMLDecodeError; ours is one line, never a traceback
        raise Unreadable(f"not valid TOML ({type(error).__name__})") from None
    version = table.get("version", LIBRARY_VERSION)
    if type(version) is not int or version < 1:
        raise Unreadable(f"version is not a positive whole number: {short_repr(version)}")
    document = Document(version)
    problems = document.problems
    tags = table.get("tags", [])
    if _is_str_list(tags):
        for tag in tags:
            try:
                document.tags.append(clean_tag(tag))
            except LibraryError:
                continue
    else:
        problems.append("tags: expected a list of strings")
    read = table.get("read", [])
    if isinstance(read, list):
        for key in read:
            if isinstance(key, str) and key:
                document.read.append(key)
            else:
                problems.append(f"read: expected a paper key, got {short_repr(key)}")
    else:
        problems.append("read: expected a list of paper keys")
    keys = table.get("citekeys", {})
    if not isinstance(keys, dict):  # (not so when split() took lines: the header stays, the table is there)
        problems.append("citekeys: expected a table")
        keys = {}
    document.citekeys = plain_keys
    for key, value in keys.items():  # what tomllib read (quoted or commented by hand), over the plain lines
        if key and isinstance(value, str) and citekey.VALID.fullmatch(value):
            plain_keys[key] = value
        else:
            plain_keys.pop(key, None)
            problems.append(f"citekeys.{_quote_key(key)}: expected a citation key (letters, digits, _.+-), got {short_repr(value)}")
    papers = table.get("papers", {})
    if not isinstance(papers, dict):
        problems.append("papers: expected a table")
        papers = {}
    for key, entry in papers.items():
        where = f"papers.{_quote_key(key)}"
        if not key:
            problems.append(f"{where}: empty key")
            continue
        try:
            mark, values = _read_entry(entry, where)
        except LibraryError as error:
            problems.append(str(error))
            continue
        document.papers.append((key, mark, values))
    return document


def dumps(marks: Marks, pinned: dict[str, str]) -> str:
    """The whole library as TOML text: the marks and the pinned citation keys."""
    table: dict = {"version": LIBRARY_VERSION}
    tags = marks.tags()
    if tags:
        table["tags"] = tags
    by_key, snapshots = marks.marks, marks.snapshots
    read = [key for key, mark in by_key.items() if mark.read and key not in snapshots]
    papers = {}
    for key, values in snapshots.items():
        mark = by_key[key]
        entry: dict = {}
        if mark.starred:
            entry["starred"] = True
        if mark.read:
            entry["read"] = True
        if mark.tags:
            entry["tags"] = list(mark.tags)
        if mark.note:
            entry["note"] = mark.note
        for name in SNAPSHOT_FIELDS:
            value = values.get(name)
            if value:
                entry[name] = list(value) if name in LIST_FIELDS else value
            if name == "id" and value:
                entry["url"] = abs_url(value)
        papers[key] = entry
    chunks = [_HEADER, tomli_w.dumps(table), _dump_read(read)]
    if pinned:
        chunks += ["\n", citekeys.dumps(pinned)]
    if papers:
        chunks += ["\n", tomli_w.dumps({"papers": papers}, multiline_strings=True)]
    return "".join(chunks)


_READ_ARRAY = re.compile(r'^read = \[\n((?:    "[^"\\\x00-\x1f\x7f\n]*",\n)*)\]\n', re.M)


def _dump_read(keys: list[str]) -> str:
    if not keys:
        return "read = []\n"
    quote = PLAIN_KEY.fullmatch
    lines = [f'    "{key}",\n' if quote(key) else f"    {tomli_w.dumps({'k': key})[4:-1]},\n" for key in keys]
    return "read = [\n" + "".join(lines) + "]\n"


def _split_read(text: str) -> tuple[str, list[str] | None]:
    """`text` with a top-level read array in _dump_read's shape emptied, and its keys (else None)."""
    match = _READ_ARRAY.search(text)
    if match is None:
        return text, None
    before = text[: match.start()]
    if before.startswith("[") or "\n[" in before or '"""' in before or "'''" in before:
        return text, None  # inside a table, or perhaps inside a multi-line string: let tomllib decide
    body = match.group(1)
    keys = body[5:-3].split('",\n    "') if body else []
    return text[: match.start()] + "read = []\n" + text[match.end() :], keys


def _read_entry(entry: object, where: str) -> tuple[Mark, dict]:
    """The mark and snapshot in one `[papers."KEY"]` table, or LibraryError naming the bad field."""
    if not isinstance(entry, dict):
        raise LibraryError(f"{where}: expected a table")
    flags = {}
    for name in ("starred", "read"):
        value = entry.get(name, False)
        if not isinstance(value, bool):
            raise LibraryError(f"{where}.{name}: expected true or false")
        flags[name] = value
    tags = entry.get("tags", [])
    if not _is_str_list(tags):
        raise LibraryError(f"{where}.tags: expected a list of strings")
    try:
        tags = tuple(dict.fromkeys(clean_tag(tag) for tag in tags))
    except LibraryError:
        raise LibraryError(f"{where}.tags: a tag is empty") from None
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise LibraryError(f"{where}.note: expected a string")
    values = {}
    for name in SNAPSHOT_FIELDS + ("url",):
        value = entry.get(name)
        if value is None:
            continue
        if name in LIST_FIELDS:
            if not _is_str_list(value):
                raise LibraryError(f"{where}.{name}: expected a list of strings")
            value = tuple(value)
        elif name == "date" and isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()[:10]  # someone wrote a bare TOML date; keep its meaning
        elif not isinstance(value, str):
            raise LibraryError(f"{where}.{name}: expected a string")
        if value and name != "url":  # the url is derived from the id; it is in the file for people
            values[name] = value
    mark = Mark(starred=flags["starred"], read=flags["read"], tags=tags, note=clean_note(note))
    return mark, values


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _quote_key(key: str) -> str:
    """A key as TOML would quote it (JSON string syntax is close enough), shortened for a message."""
    text = json.dumps(key, ensure_ascii=False)
    return text if len(text) <= 40 else text[:36] + '..."'
