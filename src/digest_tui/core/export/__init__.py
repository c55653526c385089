"""Exports: one module per output format, and the registry the command line and the reader both read.

Every format module has `render(records, keys, details) -> str` (the Obsidian vault writes a
folder instead: obsidian.write). `records` are (Paper, Mark) pairs, e.g. from Library.records();
`keys` their citation keys, pinned in the library (citekeys()); `details` the list's name, query
and time. Every format but the vault also has `chunks(...)`, the same text as UTF-8 pieces, a
batch of papers each (no string of the whole export is made), and given a start and a stop,
the pieces of those records as they are within the whole, so that forked copies of the process
can make its parts (forked.py); chunks() gives every format's bytes that way. write() is the
one way an export reaches a file or a folder, from the command line and from the reader's
export dialog alike, and streams the pieces into the file; the command line streams them to
standard output. Records may come without their long texts: texts_from(store) brings them in
a batch at a time as the pieces are made, and lets them go again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import citekey, forked
from ..files import atomic_write
from ..text import counted
from . import bib, csl, csv, json, markdown, obsidian, readinglist, ris
from .common import Details, ExportError, ExportStopped, Record, now, safe_records
from .readinglist import ReadingList, ReadingListError, load_reading_list, parse_reading_list, reading_list_toml


@dataclass(frozen=True, slots=True)
class Format:
    """One output format: its name (`--format`), the file suffixes that select it (the first is
    the one given to new files), what the export dialog calls it, and how it is made."""

    name: str
    suffixes: tuple[str, ...]
    label: str
    render: Callable[[list[Record], list[str], Details], str] | None
    folder: bool = False
    """Writes a folder of files (render is None)."""
    chunks: Callable[..., Iterator[bytes]] | None = None
    """The same as render, as UTF-8 in pieces; given `start` and `stop`, the pieces of those
    records as they are within the whole."""
    cites: bool = True
    """Writes citation keys (a reading list does not: no key is made or pinned for it)."""


FORMATS = (
    Format("bib", (".bib",), "BibTeX (LaTeX, Zotero, JabRef)", bib.render, chunks=bib.chunks),
    Format("ris", (".ris",), "RIS (Zotero, EndNote, Mendeley)", ris.render, chunks=ris.chunks),
    Format("csl", (".csl.json",), "CSL-JSON (Zotero preprints, pandoc, Quarto)", csl.render, chunks=csl.chunks),
    Format("obsidian", (), "Obsidian vault (a folder of notes)", None, folder=True),
    Format("md", (".md", ".markdown"), "Markdown", markdown.render, chunks=markdown.chunks),
    Format("csv", (".csv",), "CSV (spreadsheets, pandas)", csv.render, chunks=csv.chunks),
    Format("json", (".json",), "JSON (every field)", json.render, chunks=json.chunks),
    Format("toml", (".toml",), "Reading list (TOML, loads back)", readinglist.render, chunks=readinglist.chunks, cites=False),
)
NAMES = tuple(f.name for f in FORMATS)
STEP = 256
"""Records at the start of a part of chunks() made by another process are a multiple of this."""
TEXTS_STEP = 16 * STEP
"""Records whose long texts are brought in at once (`texts`) and let go once their pieces are made."""
_BY_NAME = {f.name: f for f in FORMATS}


def get(name: str) -> Format:
    """The format called `name`; ExportError naming the known ones otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ExportError(f"unknown export format {name!r} (known: {', '.join(NAMES)})") from None


def by_suffix(path: str | os.PathLike[str]) -> Format | None:
    """The format a file name asks for (`x.csl.json` is CSL-JSON, `x.json` JSON), or None."""
    name = Path(path).name.lower()
    matches = [(len(s), f) for f in FORMATS for s in f.suffixes if name.endswith(s) and len(name) > len(s)]
    return max(matches, key=lambda match: match[0])[1] if matches else None


def file_name(stem: str, fmt: str) -> str:
    """`stem` with the format's suffix (a folder format: `stem` itself)."""
    suffixes = get(fmt).suffixes
    return stem + (suffixes[0] if suffixes else "")


def with_format(path: Path, fmt: str) -> Path:
    """`path` with its format suffix (if any) replaced by `fmt`'s: `x.bib` -> `x.csl.json`, `x.md` -> `x` (a folder)."""
    name, old = path.name, by_suffix(path)
    if old is not None:
        name = name[: len(name) - max(len(s) for s in old.suffixes if name.lower().endswith(s))]
    return path.with_name(file_name(name, fmt))


def citekeys(records: Iterable[Record], library=None, fmt: str | None = None, bases: dict[str, str] | None = None) -> list[str]:
    """The records' citation keys: pinned in (and saved to) `library`, the way every export
    gets them; without a library, keys made for this export alone. For a format `fmt` that
    writes none (a reading list), none are made or pinned. `bases`: made by bases() already."""
    papers = [paper for paper, _ in records]
    if fmt is not None and not get(fmt).cites:
        return [""] * len(papers)
    if library is not None:
        return library.citekeys(papers, bases)
    return citekey.assign(papers, {}, bases)


def bases(records: Iterable[Record], library, fmt: str) -> dict[str, str]:
    """The citekey.base() of each record's paper that has no key pinned in `library` yet, by
    paper key, for citekeys(): nearly all the time a new key takes, made here in a worker
    thread (the reader's library is its UI thread's: only the pinning runs there)."""
    if not get(fmt).cites:
        return {}
    return {paper.key: citekey.base(paper) for paper, _ in records if library.citekey(paper.key) is None}


def render(
    records: list[Record], fmt: str, *, keys: list[str] | None = None, name: str = "", query: str = "", created=None
) -> str:
    """The records as text in `fmt` (not a folder format)."""
    form = get(fmt)
    if form.render is None:
        raise ExportError(f"the {fmt} export writes a folder of notes: give a folder to write to (-o FOLDER)")
    if keys is None:
        keys = citekeys(records, fmt=fmt)
    return form.render(records, keys, Details(name, query, created))


def chunks(
    records: list[Record],
    fmt: str,
    *,
    keys: list[str] | None = None,
    name: str = "",
    query: str = "",
    created=None,
    texts: Callable[[list[Record]], list[Record]] | None = None,
) -> Iterator[bytes]:
    """render() as UTF-8 bytes, in pieces where the format makes them (for standard output and
    files: the whole text need not be in memory at once), made on every CPU (forked.pieces).
    `texts` gives records with their long texts, for records loaded without (texts_from()):
    each part brings them in TEXTS_STEP records at a time, in the process that makes it, and
    lets them go once their pieces are made."""
    form = get(fmt)
    if keys is None:
        keys = citekeys(records, fmt=fmt)
    if form.chunks is not None:
        details = Details(name, query, created)
        if texts is None:
            return forked.pieces(lambda start, stop: form.chunks(records, keys, details, start, stop), len(records), STEP)

        def part(start: int, stop: int) -> Iterator[bytes]:
            here = list(records)  # the records of one batch at a time with their texts
            for at in range(start, stop, TEXTS_STEP):
                end = min(at + TEXTS_STEP, stop)
                here[at:end] = texts(records[at:end])
                yield from form.chunks(here, keys, details, at, end)
                here[at:end] = records[at:end]

        return forked.pieces(part, len(records), STEP)
    if texts is not None:
        records = texts(records)
    return iter([render(records, fmt, keys=keys, name=name, query=query, created=created).encode("utf-8")])


def write(
    records: list[Record],
    fmt: str,
    target: str | os.PathLike[str],
    *,
    keys: list[str] | None = None,
    make_folder: bool = False,
    name: str = "",
    query: str = "",
    created=None,
    texts: Callable[[list[Record]], list[Record]] | None = None,
    stop: Callable[[], bool] | None = None,
) -> str:
    """Write the export to the file (or, for a folder format, the folder) `target`, atomically
    per file; returns what was done, as one line. A missing folder is an ExportError unless
    `make_folder` (the dialog's lists folder); so is every OSError, with the path in it. `texts`:
    as for chunks(). `stop` is asked between pieces (between batches of notes): once it says so,
    the write ends with ExportStopped, the file as it was before (the notes written so far
    whole)."""
    form = get(fmt)
    target = Path(target)
    if keys is None:
        keys = citekeys(records, fmt=fmt)
    details = Details(name, query, created)
    count = counted(len(records), "paper")
    if form.folder:
        _need_folder(target.parent, make_folder)
        try:
            target.mkdir(parents=make_folder, exist_ok=True)
        except OSError as error:
            raise ExportError(f"cannot make the folder {target}: {error.strerror or error}") from None
        new = updated = 0
        for at in range(0, len(records), TEXTS_STEP):
            if stop is not None and stop():
                raise ExportStopped(f"the export to {target}/ was stopped: {at:,} of {len(records):,} notes written")
            batch = records[at : at + TEXTS_STEP]
            done = obsidian.write(target, batch if texts is None else texts(batch), keys[at : at + TEXTS_STEP], details)
            new, updated = new + done[0], updated + done[1]
        return f"{count} to {target}/ ({new} new notes, {updated} updated, {len(records) - new - updated} unchanged)"
    _need_folder(target.parent, make_folder)
    if target.is_dir():
        raise ExportError(f"{target} is a folder; the {fmt} export is one file")
    if target.exists() and not target.is_file():  # a device, a FIFO: never replaced by a file
        raise ExportError(f"{target} is not a regular file; an export replaces only files (standard output: -o -)")
    data = chunks(records, fmt, keys=keys, texts=texts, **details_dict(details))
    try:
        atomic_write(target, data if stop is None else _until(stop, data, f"the export to {target} was stopped: not written"))
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error.strerror or error}") from None
    return f"{count} to {target} ({'reading list' if fmt == 'toml' else fmt})"


def _until(stop: Callable[[], bool], pieces: Iterator[bytes], why: str) -> Iterator[bytes]:
    """The pieces, until `stop` says so: then ExportStopped(why)."""
    for piece in pieces:
        if stop():
            close = getattr(pieces, "close", None)
            if close is not None:  # forked.pieces: its copies killed now, not when it is collected
                close()
            raise ExportStopped(why)
        yield piece


def texts_from(store) -> Callable[[list[Record]], list[Record]]:
    """`texts` for chunks() and write() from the reader: the records with the long texts of the
    papers `store` holds under their keys, read for the moment (Store.papers_with_texts: not
    kept in the store, whose memory they would fill at a million papers); records of papers the
    store does not hold, as they are. Safe in a worker thread. (The command line's export, a
    process that ends once it is written, keeps them: each file is read once, ~0.5 s less at
    100k papers.)"""

    def texts(records: list[Record]) -> list[Record]:
        rows = [store.row(paper.key) for paper, _ in records]
        found = iter(store.papers_with_texts([row for row in rows if row is not None]))
        out = []
        for (paper, mark), row in zip(records, rows):
            whole = paper if row is None else next(found)
            out.append((whole if whole.key == paper.key else paper, mark))
        return out

    return texts


def details_dict(details: Details) -> dict:
    return {"name": details.name, "query": details.query, "created": details.created}


def _need_folder(folder: Path, make: bool) -> None:
    if not make and not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ExportError(f"{folder} {what}")


# -- what to export: the starred papers, a tag's, or those shown now ----------------------------

SCOPES = {"starred": "Starred papers", "tag": "Papers with a tag", "view": "The papers shown now"}


def scope_keys(library, scope: str, tag: str | None = None) -> list[str]:
    """The library's keys for `starred` or `tag` (the `view` is the caller's: the rows shown)."""
    return library.starred_keys() if scope == "starred" else library.keys_with_tag(tag or "")


def scope_query(scope: str, tag: str | None = None, view: str = "") -> str:
    """The filter query that chooses the same papers, as written into reading lists and Markdown."""
    return {"starred": "is:starred", "tag": f"tag:{tag}"}.get(scope, view)


def scope_label(scope: str, tag: str | None = None, view: str = "") -> str:
    """`starred papers`, `papers tagged 'moe'`, `papers matching 'x'`: for messages."""
    if scope == "starred":
        return "starred papers"
    if scope == "tag":
        return f"papers tagged {tag!r}"
    return f"papers matching {view!r}" if view else "papers shown"


__all__ = [
    "FORMATS", "NAMES", "SCOPES", "Details", "ExportError", "ExportStopped", "Format", "ReadingList", "ReadingListError", "Record",
    "bases", "by_suffix", "chunks", "citekeys", "file_name", "get", "with_format", "load_reading_list", "now", "parse_reading_list",
    "reading_list_toml", "render", "safe_records", "scope_keys", "scope_label", "scope_query", "texts_from", "write",
]  # fmt: skip
