"""Reading lists (TOML, read back with validation) and BibTeX, Markdown, CSV and JSON exports.

Every writer takes `records`: a list of (Paper, Mark) pairs, e.g. from Library.records().
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

Every export is made of untrusted text (titles, authors and abstracts from digests, and notes
and tags that may come from someone else's reading list), so every writer first passes every
string through `sanitize.clean`: control characters become visible symbols (an ESC in a title
would otherwise drive the terminal of whoever `cat`s the file), bidi and zero-width characters
are dropped and lone surrogates become U+FFFD; line breaks are kept (each format quotes them).
Then each format quotes for itself: TOML through tomli_w, BibTeX braces made balanced LaTeX
commands, Markdown specials and line-start markers backslashed, CSV quoted by the csv module
(and a text cell starting with `=`, `+`, `-` or `@` gets a leading `'`, so a spreadsheet shows
it rather than running it as a formula), JSON through the json module.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from .files import atomic_write, read_regular
from .library import LibraryError, clean_note, clean_tag
from .model import ARXIV_ID, Mark, Paper, make_paper, strip_version
from .text import clean, short_repr

Record = tuple[Paper, Mark]

FORMATS = ("toml", "bib", "md", "csv", "json")
SUFFIXES = {"toml": ".toml", "bib": ".bib", "md": ".md", "csv": ".csv", "json": ".json"}
ENCODINGS = {"csv": "utf-8-sig"}
"""File encodings that differ from UTF-8: a CSV starts with a BOM, or Excel shows Chinese as mojibake."""

READING_LIST_VERSION = 1
MAX_PAPERS = 100_000
MAX_ITEMS = 10_000
"""Authors, categories or tags one paper of a reading list may have."""
MAX_TEXT = 100_000
"""Characters in one string of a reading list (a note included)."""
MAX_FILE_BYTES = 256 * 1024 * 1024

CSV_COLUMNS = (
    "id", "url", "title_en", "title_zh", "authors", "date", "categories",
    "score", "upvotes", "starred", "read", "tags", "note",
)  # fmt: skip


class ExportError(ValueError):
    """An export or reading list that cannot be made or read; the message is one line."""


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


def suffix(fmt: str) -> str:
    """The file suffix for a format, e.g. `.bib`."""
    _check_format(fmt)
    return SUFFIXES[fmt]


def render(
    records: list[Record],
    fmt: str,
    *,
    name: str = "",
    query: str = "",
    created: dt.datetime | None = None,
) -> str:
    """The records as text in `fmt` (one of FORMATS); `name`/`query`/`created` describe a
    reading list (TOML) or head a Markdown file, the other formats ignore them."""
    _check_format(fmt)
    if fmt == "toml":
        return reading_list_toml(records, name, query, created or now())
    if fmt == "bib":
        return to_bibtex(records)
    if fmt == "md":
        return to_markdown(records, title=name or None, query=query)
    if fmt == "csv":
        return to_csv(records)
    return to_json(records)


def write_export(path: str | os.PathLike[str], records: list[Record], fmt: str, **details) -> None:
    """render() to a file, atomically, in the format's encoding; OSError becomes ExportError."""
    text = render(records, fmt, **details)
    try:
        atomic_write(path, text, encoding=ENCODINGS.get(fmt, "utf-8"))
    except OSError as error:
        raise ExportError(f"cannot write {path}: {error.strerror or error}") from None


def now() -> dt.datetime:
    """The local time now, to the second, with its UTC offset."""
    return dt.datetime.now().astimezone().replace(microsecond=0)


def _check_format(fmt: str) -> None:
    if fmt not in SUFFIXES:
        raise ExportError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")


def _tidy(text: str | None) -> str:
    """One line, single spaces."""
    return " ".join(text.split()) if text else ""


def safe_paper(paper: Paper) -> Paper:
    """The paper with every string field through sanitize.clean, line breaks kept (the writers
    that need one line make it)."""
    changes = {}
    for name, value in zip(paper._fields, paper):
        if isinstance(value, str):
            cleaned = clean(value, newlines=True)  # one-line fields are made one line by each writer
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
    """Records ready for any writer: papers through safe_paper, tags and notes cleaned too."""
    out = []
    for paper, mark in records:
        tags = tuple(clean(tag, newlines=True) for tag in mark.tags)
        note = clean(mark.note, newlines=True)
        if tags != mark.tags or note != mark.note:
            mark = Mark(mark.starred, mark.read, tags, note)
        out.append((safe_paper(paper), mark))
    return out


# -- reading lists -------------------------------------------------------------------------


def reading_list_toml(records: list[Record], name: str, query: str, created: dt.datetime) -> str:
    """A reading list: a `[list]` table, then one `[[papers]]` table per record."""
    records = safe_records(records)
    header = {"name": clean(name, newlines=True), "created": created, "query": clean(query, newlines=True)}
    chunks = [tomli_w.dumps({"version": READING_LIST_VERSION}), "\n", tomli_w.dumps({"list": header})]
    for paper, mark in records:
        # one table at a time: tomli_w would write a short entry as an inline table
        chunks.append("\n[[papers]]\n")
        chunks.append(tomli_w.dumps(_list_entry(paper, mark), multiline_strings=True))
    return "".join(chunks)


def _list_entry(paper: Paper, mark: Mark) -> dict:
    entry = {
        "id": paper.id,
        "url": paper.url,
        "title_en": paper.title_en,
        "title_zh": paper.title_zh,
        "authors": list(paper.authors),
        "date": paper.date,
        "categories": list(paper.categories),
        "tags": list(mark.tags),
        "starred": mark.starred,
        "read": mark.read,
        "note": mark.note,
    }
    return {key: value for key, value in entry.items() if value not in (None, "", [], False)}


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
        raise ReadingListError(f"not valid TOML: {_tidy(str(error))}") from None
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
    if not (arxiv_id or _tidy(values["title_en"]) or _tidy(values["title_zh"])):
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


# -- BibTeX --------------------------------------------------------------------------------

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# BibTeX counts every brace, escaped or not, to find where a value ends: `\{` alone would
# unbalance the file, so braces become LaTeX commands whose own braces are balanced.
_BIB_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "%": r"\%",
        "&": r"\&",
        "#": r"\#",
        "_": r"\_",
        "$": r"\$",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
_ASCII_EXTRA = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                              "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ı": "i"})  # fmt: skip
_NAME_SUFFIXES = frozenset(("jr", "jr.", "sr", "sr.", "ii", "iii", "iv"))
_STOP_WORDS = frozenset(
    ["a", "an", "the", "on", "of", "in", "for", "to", "and", "or", "with", "via", "by", "from", "at", "as", "is", "are", "be", "do", "does", "can", "what", "when", "how", "why", "which", "we", "our", "your", "its", "not", "into", "about", "over", "under", "through", "toward", "towards", "beyond"]
)
_AND_WORD = re.compile(r"\band\b", re.I)


def bib_escape(text: str) -> str:
    """Text for a braced BibTeX value: one line, every brace and LaTeX special made literal."""
    return _tidy(text).translate(_BIB_ESCAPES)


def _ascii_fold(text: str) -> str:
    """Lowercase ASCII letters and digits only: `Müller` -> `muller`, `赵` -> ``."""
    text = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA))
    return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode("ascii").lower())


def _last_name(author: str) -> str:
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0]
    parts = author.split()
    while len(parts) > 1 and parts[-1].casefold() in _NAME_SUFFIXES:
        parts.pop()
    return parts[-1] if parts else ""


def _year(paper: Paper) -> str:
    if paper.date and re.match(r"\d{4}", paper.date):
        return paper.date[:4]
    if paper.id:
        # new-style ids start YYMM, old-style ones end /YYMMNNN
        digits = re.match(r"(\d\d)\d\d\.", paper.id) or re.search(r"/(\d\d)\d{5}$", paper.id)
        if digits:
            yy = int(digits[1])
            return str(1900 + yy if yy >= 91 else 2000 + yy)
    return ""


def _key_base(paper: Paper) -> str:
    author = _ascii_fold(_last_name(paper.authors[0])) if paper.authors else ""
    word = ""
    for candidate in re.findall(r"[A-Za-z0-9]+", _ascii_title(paper.title_en or paper.title_zh or "")):
        if candidate.lower() not in _STOP_WORDS:
            word = candidate.lower()
            break
    return (author or "anon") + _year(paper) + word


def _ascii_title(title: str) -> str:
    return unicodedata.normalize("NFKD", title.translate(_ASCII_EXTRA)).encode("ascii", "ignore").decode("ascii")


def _letters(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: suffixes that never run out."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(97 + r) + out
    return out


def bibtex_keys(papers: list[Paper]) -> list[str]:
    """A citation key per paper: last name + year + first meaningful title word, e.g.
    `zhao2026regmix`; papers sharing one get `a`, `b`... in order of their id (then key), so
    the keys do not depend on the order the papers are listed in."""
    bases = [_key_base(paper) for paper in papers]
    groups: dict[str, list[int]] = {}
    for index, base in enumerate(bases):
        groups.setdefault(base, []).append(index)
    keys = list(bases)
    used = {base for base, members in groups.items() if len(members) == 1}
    for base in sorted(groups):
        members = groups[base]
        if len(members) == 1:
            continue
        members.sort(key=lambda i: (papers[i].id or "", papers[i].key, i))
        n = 0
        for index in members:
            while (candidate := base + _letters(n)) in used:
                n += 1
            keys[index] = candidate
            used.add(candidate)
            n += 1
    return keys


def _bib_author(name: str) -> str:
    name = bib_escape(name)
    # "and" inside one name would split it in two; braces make it one unit
    return "{" + name + "}" if _AND_WORD.search(name) else name


def to_bibtex(records: list[Record]) -> str:
    """`@misc` entries Zotero and JabRef import (arXiv eprint fields when there is an id)."""
    records = safe_records(records)
    papers = [paper for paper, _ in records]
    entries = []
    for key, (paper, mark) in zip(bibtex_keys(papers), records):
        fields: list[tuple[str, str]] = []
        title = paper.title_en or paper.title_zh or paper.id or paper.key
        fields.append(("title", "{" + bib_escape(title) + "}"))
        if paper.authors:
            authors = " and ".join(_bib_author(a) for a in paper.authors if a.strip())
            if paper.author_count and paper.author_count > len(paper.authors):
                authors += " and others"
            fields.append(("author", "{" + authors + "}"))
        year = _year(paper)
        if year:
            fields.append(("year", "{" + year + "}"))
        if paper.date and re.match(r"\d{4}-(0[1-9]|1[0-2])", paper.date):
            fields.append(("month", _MONTHS[int(paper.date[5:7]) - 1]))
        if paper.id:
            fields.append(("eprint", "{" + bib_escape(paper.id) + "}"))
            fields.append(("archivePrefix", "{arXiv}"))
            if paper.categories:
                fields.append(("primaryClass", "{" + bib_escape(paper.categories[0]) + "}"))
            fields.append(("url", "{" + bib_escape(paper.url or "") + "}"))
        if paper.comments:
            fields.append(("note", "{" + bib_escape(paper.comments) + "}"))
        if mark.tags:
            fields.append(("keywords", "{" + bib_escape(", ".join(mark.tags)) + "}"))
        body = "".join(f"  {name} = {value},\n" for name, value in fields)
        entries.append(f"@misc{{{key},\n{body}}}\n")
    return "\n".join(entries)


# -- Markdown -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$&])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+(?=[.)]))")


def md_escape(text: str) -> str:
    """One line of untrusted text made inert in Markdown: emphasis, links, HTML, code,
    headings, math and list markers all print as the characters they are."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    match = _MD_LINE_START.match(text)
    if match:
        if match[2][0].isdigit():  # `1. ` starts a list: escape the dot or paren after the number
            end = match.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = text[: match.start(2)] + "\\" + text[match.start(2) :]
    return text


def to_markdown(records: list[Record], title: str | None = None, query: str = "") -> str:
    """A readable list: both titles, authors, link, tags, note and both abstracts."""
    records = safe_records(records)
    title, query = clean(title or "", newlines=True), clean(query, newlines=True)
    lines = [f"# {md_escape(_tidy(title) or 'Reading list')}", ""]
    count = f"{len(records)} paper" + ("" if len(records) == 1 else "s")
    lines += [count + (f" · query: {_code_span(query)}" if query.strip() else ""), ""]
    for number, (paper, mark) in enumerate(records, 1):
        heading = _tidy(paper.title_en) or _tidy(paper.title_zh) or paper.id or paper.key
        lines.append(f"## {number}. {md_escape(heading)}")
        lines.append("")
        if paper.title_en and paper.title_zh:
            lines += [md_escape(_tidy(paper.title_zh)), ""]
        facts = []
        if paper.authors:
            authors = ", ".join(_tidy(a) for a in paper.authors)
            if paper.author_count and paper.author_count > len(paper.authors):
                authors += " et al."
            facts.append(f"- **Authors:** {md_escape(authors)}")
        where = []
        if paper.id and ARXIV_ID.fullmatch(paper.id):
            where.append(f"[arXiv:{paper.id}](<{paper.url}>)")
        elif paper.id:
            where.append(md_escape(paper.id))
        if paper.categories:
            where.append(md_escape(" ".join(paper.categories)))
        if paper.date:
            where.append(md_escape(paper.date))
        if where:
            facts.append("- " + " · ".join(where))
        if mark.starred or mark.tags:
            flags = (["★ starred"] if mark.starred else []) + [md_escape(f"#{tag}") for tag in mark.tags]
            facts.append("- " + " ".join(flags))
        if paper.comments:
            facts.append(f"- **Comments:** {md_escape(_tidy(paper.comments))}")
        if mark.note:
            facts.append("- **Note:**")
            facts += ["  > " + md_escape(line) + "  " if line.strip() else "  >" for line in mark.note.split("\n")]
        if facts:
            lines += facts + [""]
        for label, abstract in (("Abstract", paper.abstract_en), ("摘要", paper.abstract_zh)):
            if abstract and abstract.strip():
                lines += [f"**{label}**", "", "> " + md_escape(_tidy(abstract)), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _code_span(text: str) -> str:
    """A one-line code span around any text: the fence is longer than any backtick run inside."""
    text = _tidy(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# -- CSV and JSON ----------------------------------------------------------------------------


def _flag(value: bool) -> str:
    return "true" if value else "false"


def to_csv(records: list[Record]) -> str:
    """A header row and a row per paper (CSV_COLUMNS); lists joined with `; ` or spaces.
    Text cells that a spreadsheet would run as a formula start with `'` (see the module docstring)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for paper, mark in safe_records(records):
        writer.writerow(
            (
                _cell(paper.id),
                _cell(paper.url),
                _cell(paper.title_en),
                _cell(paper.title_zh),
                _cell("; ".join(paper.authors)),
                _cell(paper.date),
                _cell(" ".join(paper.categories)),
                "" if paper.score is None else paper.score,
                "" if paper.upvotes is None else paper.upvotes,
                _flag(mark.starred),
                _flag(mark.read),
                _cell(" ".join(mark.tags)),
                _cell(mark.note),
            )
        )
    return out.getvalue()


_FORMULA_START = ("=", "+", "-", "@")


def _cell(text: str | None) -> str:
    """A text cell a spreadsheet shows as text: `=HYPERLINK(...)` would otherwise be a formula."""
    if not text:
        return ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _json_record(paper: Paper, mark: Mark) -> dict:
    return {
        "key": paper.key,
        "id": paper.id,
        "url": paper.url,
        "title_en": paper.title_en,
        "title_zh": paper.title_zh,
        "authors": list(paper.authors),
        "date": paper.date,
        "categories": list(paper.categories),
        "score": paper.score,
        "upvotes": paper.upvotes,
        "institutions": list(paper.institutions),
        "topic": paper.topic,
        "comments": paper.comments,
        "abstract_en": paper.abstract_en,
        "abstract_zh": paper.abstract_zh,
        "starred": mark.starred,
        "read": mark.read,
        "tags": list(mark.tags),
        "note": mark.note,
    }


def to_json(records: Iterable[Record]) -> str:
    """A JSON array of objects, one per paper (null for unknown values)."""
    return json.dumps([_json_record(p, m) for p, m in safe_records(records)], ensure_ascii=False, indent=2) + "\n"
