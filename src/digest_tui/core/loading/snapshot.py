"""Load snapshots: a whole load's merged papers in one file, so an unchanged archive starts from one read.

A warm start from the per-file parse cache still reads, checks and merges one entry per digest file
(~0.6 s at 100k papers). After a load that was not all from a snapshot, the store's papers (without
their long texts, which stay in the per-file entries), its lookups and its date order are written to
one file, named by the paths asked for and the code that merges. The next load of the same paths
uses it when its files are, in order, the first files found now, each with the same size, times and
inode; the files after them are read and merged as usual (a new daily digest sorts last). Anything
else (a file changed, removed, put in between or not readable now, a damaged, crafted or older
snapshot) means the snapshot is not used, and the load runs file by file. A file that could not be
read when the snapshot was written is read again each time: a problem is never served from here. Texts are read from the per-file entries when needed, and
from the digest file itself when an entry cannot give them back.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import itertools
import marshal
import operator
import os
import struct
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from ..files import STALE_AFTER, atomic_write, read_regular
from .cache import ParseCache, readable, stamp_of
from .loader import _parse
from ..model import Paper, Source
from ..store import LOOKUP_PIECE, Store, StoreState, TextReader, yield_gil

MAGIC = b"digest-tui load snapshot 5\n"
HEADER = struct.Struct("<IQ")  # Adler-32 and length of the payload
INDEX_LENGTH = struct.Struct("<Q")
"""The payload: the length of its index (the file records, the lookups, each chunk's length and
row count, the sets of files papers came from, marshalled), the index, then the chunks one after
another, each unmarshalled straight from the bytes read (not first copied out of a marshalled list
of them: 400 MB at a million papers), and only as it goes in (restore()): the first papers are on
screen before the rest of a big snapshot is decoded. A chunk is column by column (each field of its
papers in one list, equal values one object: see _shared), so one C call makes its papers."""
CHUNK_ROWS = 8192
"""Papers per marshalled chunk: the first chunk is in the store (and on screen) while the rest load."""
_new_tuple = tuple.__new__


class FileRecord(NamedTuple):
    """One file of a load as a snapshot remembers it: its stamp (cache.stamp_of), the format it was
    read as and that of its papers' sources, its warnings and paper count; or, when `format` is
    None, why it could not be read (`warnings[0]`)."""

    path: str
    stamp: tuple[int, int, int, int]
    format: str | None
    source_format: str | None
    warnings: list[str]
    count: int


class Snapshot(NamedTuple):
    """A snapshot read back and checked against the files found now: the first `len(files)` of them."""

    files: list[FileRecord]
    chunks: list[tuple[memoryview, int]]  # each chunk still marshalled, and how many rows it says it has
    lookups: tuple  # the rest of a StoreState: other keys, titles, each file's rows, the date order
    combos: list[tuple[int, ...]] = []  # the files of papers from several, each a source set past the files'
    identity: tuple[int, int] = (0, 0)  # the payload's checksum and length: what a text index is sealed for


class SnapshotDamaged(Exception):
    """A chunk of a snapshot is not what write_snapshot() writes (found by restore(), before any of
    it goes in): the load goes on file by file (see Store.forget_rows)."""


@functools.cache
def _code_version() -> str:
    """A hash of the code that decides what a snapshot holds: merging, sorting and this format."""
    digest = hashlib.sha256(MAGIC)
    here = Path(__file__)
    for source in (here.parent.parent / "store.py", here):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def snapshot_path(cache: ParseCache, paths: list[str]) -> str:
    """Where the snapshot of a load of these paths is kept (inside the parse cache's versioned folder)."""
    key = "\0".join(os.path.abspath(path) for path in paths) + "\0" + _code_version()
    name = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return os.path.join(str(cache.folder), "loads", name)


def read_snapshot(cache: ParseCache, paths: list[str], files: list[tuple[str, os.stat_result]]) -> Snapshot | None:
    """The snapshot for these paths if it is whole and its files are the first of `files`, unchanged
    and readable now. Everything in it is checked before anything is made of it (sizes first, then
    the shape of every record, row and lookup): a damaged or crafted snapshot is None, never an
    exception in restore(). A file it remembers as unreadable is read again now: if it gives papers
    now, the snapshot is not used (the load reads it); if not, the problem is today's reason."""
    try:
        data = read_regular(snapshot_path(cache, paths), limit=MAX_SNAPSHOT_BYTES)
        if not data.startswith(MAGIC) or len(data) < len(MAGIC) + HEADER.size:
            return None
        checksum, length = HEADER.unpack_from(data, len(MAGIC))
        payload = memoryview(data)[len(MAGIC) + HEADER.size :]
        if len(payload) != length or zlib.adler32(payload) != checksum or length < INDEX_LENGTH.size:
            return None
        (index_length,) = INDEX_LENGTH.unpack_from(payload)
        index_end = INDEX_LENGTH.size + index_length
        if index_end > length:
            return None
        collecting = gc.isenabled()
        gc.disable()  # unmarshalling makes ~30 objects a paper and no cycles: collections would only walk them
        try:
            snapshot = _checked(marshal.loads(payload[INDEX_LENGTH.size : index_end]), payload[index_end:])
            if snapshot is not None:
                snapshot = snapshot._replace(identity=(checksum, length))
        finally:
            if collecting:
                gc.enable()
    except Exception:  # OSError, marshal's ValueError/EOFError, MemoryError for a crafted size
        return None
    if snapshot is None or len(snapshot.files) > len(files):
        return None
    for record, (path, info) in zip(snapshot.files, files):
        if record.path != path or record.stamp != stamp_of(info):
            return None
    records = []
    for record in snapshot.files:
        if record.format is None:  # a problem is never served from here: what does the file say now?
            now = _parse(record.path)
            if not isinstance(now, str):
                return None
            record = record._replace(warnings=[now])
        elif not readable(record.path):
            return None  # this process may not read it now: the load says so
        records.append(record)
    return snapshot._replace(files=records)


MAX_SNAPSHOT_BYTES = 1 << 32
"""A snapshot file larger than this is not read (100k papers make ~40 MB)."""
CHUNK_COLUMNS = len(Paper._fields)
"""Columns of a snapshot chunk: a Paper's fields without its sources, then each paper's source set
(a file's index, or len(files) + the index of a combination of files)."""


def _checked(index: object, chunk_bytes: memoryview) -> Snapshot | None:
    """The unmarshalled index and the chunks after it as a Snapshot, if every part has the shape
    write_snapshot() gives it."""
    records, lookups, lengths, counts, combos = index if index.__class__ is tuple and len(index) == 5 else (None,) * 5
    if records.__class__ is not list or not records or lengths.__class__ is not list or counts.__class__ is not list:
        return None
    if len(counts) != len(lengths) or (lengths and (_kinds(lengths) | _kinds(counts) != {int} or min(lengths) < 0)):
        return None
    if sum(lengths) != len(chunk_bytes) or (counts and min(counts) < 1):
        return None
    files = _records(records)
    if files is None or not _combos_shape(combos, len(files)):
        return None
    chunks = []
    start = 0
    for length, count in zip(lengths, counts):
        chunks.append((chunk_bytes[start : start + length], count))
        start += length
    lookups = decode_lookups(lookups, sum(counts), files)
    if lookups is None:
        return None
    return Snapshot(files, chunks, lookups, combos)  # type: ignore[arg-type]


def _combos_shape(combos: object, files: int) -> bool:
    """Whether each combination of files is a tuple of two or more file indexes below `files`."""
    if combos.__class__ is not list:
        return False
    if combos and (_kinds(combos) != {tuple} or min(map(len, combos)) < 2):
        return False
    return _row_numbers(list(itertools.chain.from_iterable(combos)), files)


def _records(records: list) -> list[FileRecord] | None:
    """The file records, if each is a FileRecord's values of the right types: a path, a stamp of
    four whole numbers, a format and a source format (strings, or None for a file that could not be
    read, which then has no papers and its reason as its one warning), warnings, a count. Checked
    a column at a time in C (`map`, `set`), as chunks are: a million papers come in 36k files."""
    if _kinds(records) != {tuple} or set(map(len, records)) != {len(FileRecord._fields)}:
        return None
    paths, stamps, formats, source_formats, warnings, counts = zip(*records)
    if _kinds(paths) != {str} or _kinds(stamps) != {tuple} or set(map(len, stamps)) != {4}:
        return None
    if _kinds(itertools.chain.from_iterable(stamps)) != {int} or _kinds(counts) != {int} or min(counts) < 0:
        return None
    if not _kinds(formats) | _kinds(source_formats) <= {str, type(None)}:
        return None
    if _kinds(warnings) != {list} or not _kinds(itertools.chain.from_iterable(warnings)) <= {str}:
        return None
    for fmt, warning, count in zip(formats, warnings, counts):
        if fmt is None and (count or not warning):
            return None
    return [_new_tuple(FileRecord, record) for record in records]


def decode_chunk(chunk: object, sources: int) -> tuple[list, list] | tuple[None, None]:
    """A chunk's columns and title keys, if there are CHUNK_COLUMNS columns, each a list of one
    value a row, the keys and the title keys strings, and the last column source sets below
    `sources`. The checks run over whole columns in C (`map`, `set`, `min`): a warm start checks
    a million rows."""
    decoded = marshal.loads(chunk)
    if decoded.__class__ is not tuple or len(decoded) != 2:
        return None, None
    columns, title_keys = decoded
    if columns.__class__ is not list or len(columns) != CHUNK_COLUMNS or title_keys.__class__ is not list or not title_keys:
        return None, None
    if _kinds(columns) != {list} or set(map(len, columns)) != {len(title_keys)}:
        return None, None
    if _kinds(columns[0]) != {str} or _kinds(title_keys) != {str}:
        return None, None
    specs = columns[-1]
    if _kinds(specs) != {int} or min(specs) < 0 or max(specs) >= sources:
        return None, None
    return columns, title_keys


_FIRST, _LAST = operator.itemgetter(0), operator.itemgetter(-1)


def _kinds(values: Iterable[object]) -> set[type]:
    return set(map(type, values))


def _row_numbers(values: list, rows: int) -> bool:
    """Whether `values` are all whole numbers below `rows` (and not below 0)."""
    return not values or (_kinds(values) == {int} and min(values) >= 0 and max(values) < rows)


def encode_lookups(other_keys: list, titles: list, landed: dict, date_order: list | None) -> tuple:
    """A snapshot's lookups (StoreState without papers and title keys) as four lists of marshalled
    pieces of LOOKUP_PIECE entries (the files' rows as (path, rows) pairs; no date order: None)."""

    def pieces(values: list) -> list[bytes]:
        return [marshal.dumps(values[start : start + LOOKUP_PIECE]) for start in range(0, len(values), LOOKUP_PIECE)]

    return (pieces(other_keys), pieces(titles), pieces(list(landed.items())), None if date_order is None else pieces(date_order))


def decode_lookups(parts: object, rows: int, files: list[FileRecord]) -> tuple | None:
    """The lookups encode_lookups() wrote, if every piece has the shape it gives them and they
    point only at the snapshot's `rows` rows, with each file's rows as many as its record says;
    else None. Each piece is unmarshalled and checked in its own few C calls (see LOOKUP_PIECE)."""
    if parts.__class__ is not tuple or len(parts) != 4:
        return None
    if _kinds(parts[:3]) != {list} or not (parts[3] is None or parts[3].__class__ is list):
        return None
    decoded = []
    for index, pieces in enumerate(parts):
        if pieces is None:
            decoded.append(None)
            continue
        if pieces and _kinds(pieces) != {bytes}:
            return None
        values: list = []
        for piece in pieces:
            piece = marshal.loads(piece)
            if piece.__class__ is not list or not piece:
                return None
            if index == 3:  # the date order: row numbers
                if not _row_numbers(piece, rows):
                    return None
            else:  # (key, row), (title, row), (path, rows)
                if _kinds(piece) != {tuple} or set(map(len, piece)) != {2} or _kinds(map(_FIRST, piece)) != {str}:
                    return None
                if index < 2 and not _row_numbers(list(map(_LAST, piece)), rows):
                    return None
                if index == 2 and (_kinds(map(_LAST, piece)) != {list} or not all(
                        _row_numbers(rows_of, rows) for rows_of in map(_LAST, piece))):  # fmt: skip
                    return None
            values.extend(piece)
            yield_gil()  # the UI thread, if it waits for the GIL, has it now
        decoded.append(values)
    other_keys, titles, landed_pairs, date_order = decoded
    landed = dict(landed_pairs)
    if len(landed) != len(landed_pairs):
        return None
    counts = {record.path: record.count for record in files if record.format is not None}
    if list(map(len, landed.values())) != list(map(counts.get, landed)):
        return None
    if len(landed) != sum(1 for count in counts.values() if count):  # and no file that gave papers left out
        return None
    if date_order is not None:
        if len(date_order) != rows:
            return None
        seen: set[int] = set()
        for start in range(0, rows, LOOKUP_PIECE):  # each row once
            seen.update(date_order[start : start + LOOKUP_PIECE])
        if len(seen) != rows:
            return None
    return other_keys, titles, landed, date_order


def restore(snapshot: Snapshot, store: Store, readers: dict[str, TextReader]) -> Iterator[int]:
    """Put a snapshot's papers into an empty store, a chunk at a time (yielding the papers in so
    far after each), then its lookups; `readers` reads each file's texts (from its cache entry).
    A store holding the papers of the snapshot's first file alone (read early, into an empty
    store: the rows the snapshot begins with) has them replaced by the first chunks in one step
    (Store.start_over), once those hold as many rows. Each chunk is decoded and checked here,
    before any of it goes in: one that is not what write_snapshot() wrote (a crafted file: the
    checksum holds) raises SnapshotDamaged, with the chunks before it in the store. Nothing else
    can fail on the snapshot's content: read_snapshot() checked the rest."""
    sources = [(Source(record.path, record.source_format or ""),) for record in snapshot.files]
    sources += [tuple(sources[index][0] for index in combo) for combo in snapshot.combos]
    date_order = snapshot.lookups[3]
    # the list shown while the chunks come in needs no sort
    expected = None if date_order is None else ("date", date_order)
    early = len(store.papers)
    if not early and expected is not None:
        store.expect(*expected)
    waiting: tuple[list[Paper], list[str]] = ([], [])
    done = 0
    for chunk, count in snapshot.chunks:
        try:
            columns, title_keys = decode_chunk(chunk, len(sources))
        except Exception:  # marshal's ValueError, EOFError, TypeError; MemoryError for a crafted size
            columns = title_keys = None
        if columns is None or len(title_keys) != count:
            raise SnapshotDamaged
        papers = papers_of(columns, sources)
        del columns
        done += len(papers)
        if early:
            waiting[0].extend(papers)
            waiting[1].extend(title_keys)
            if done < early:
                continue
            store.start_over(*waiting, expected)
            early, waiting = 0, ([], [])
        else:
            store.extend(papers, title_keys)
        yield done
    if early:  # fewer rows in the whole snapshot than read early: not this load's snapshot after all
        raise SnapshotDamaged
    store.restore(StoreState([], [], *snapshot.lookups), readers)


def papers_of(columns: list[list], sources: list[tuple[Source, ...]]) -> list[Paper]:
    """The papers of a chunk's columns (checked by decode_chunk), each with the sources of its set."""
    columns[-1] = list(map(sources.__getitem__, columns[-1]))
    return list(map(_new_tuple, itertools.repeat(Paper), zip(*columns)))  # in C: one tuple a paper


def encode_chunk(papers: list[tuple], specs: list[int], title_keys: list[str]) -> bytes:
    """A chunk of papers (their values without long texts), each's source set and title key."""
    columns, keys = _shared([*zip(*papers)][:-1], title_keys)  # without the sources
    columns.append(specs)
    return marshal.dumps((columns, keys))


def write_snapshot(
    cache: ParseCache, paths: list[str], files: list[FileRecord], store: Store, stop: Callable[[], bool] | None = None
) -> tuple[int, int] | None:
    """Keep what the store holds as the snapshot of a load of `paths` that read `files`, in order;
    its identity (Snapshot.identity) if it was written (not when the store holds papers from
    elsewhere or lost some, or `stop()` said so between two chunks: nothing is written then),
    else None."""
    state = store.state()
    if state is None or not files:
        return None
    if any(len(state.landed.get(record.path, ())) != record.count for record in files):
        return None  # a file added twice, or changed since it was read: the rows are not the load's
    index_of = {record.path: index for index, record in enumerate(files)}
    combos: dict[tuple[int, ...], int] = {}
    specs = []
    for values in state.papers:
        try:
            spec = tuple([index_of[source.file] for source in values[-1]])
        except KeyError:  # a paper from a reading list or a file not in this load
            return None
        if not spec:
            return None
        specs.append(spec[0] if len(spec) == 1 else combos.setdefault(spec, len(files) + len(combos)))
    papers, title_keys = state.papers, state.title_keys
    state = state._replace(papers=None)
    chunks, counts = [], []
    for start in range(0, len(papers), CHUNK_ROWS):
        if stop is not None and stop():
            return None
        end = start + CHUNK_ROWS
        chunks.append(encode_chunk(papers[start:end], specs[start:end], title_keys[start:end]))
        counts.append(min(CHUNK_ROWS, len(papers) - start))
    del papers, specs
    lookups = encode_lookups(state.other_keys, state.titles, state.landed, state.date_order)
    index = marshal.dumps(
        ([tuple(record) for record in files], lookups, [len(chunk) for chunk in chunks], counts, list(combos))
    )
    parts = [INDEX_LENGTH.pack(len(index)), index, *chunks]
    checksum = 1  # Adler-32 of nothing
    for part in parts:
        checksum = zlib.adler32(part, checksum)
    identity = (checksum, sum(map(len, parts)))
    header = HEADER.pack(*identity)
    path = snapshot_path(cache, paths)
    try:
        atomic_write(path, b"".join((MAGIC, header, *parts)))
    except (OSError, ValueError):
        return None
    _prune(os.path.dirname(path))
    _prune_text_indexes(os.path.dirname(path))
    return identity


def _shared(columns: list[tuple], title_keys: list[str]) -> tuple[list[list], list[str]]:
    """A chunk's columns and title keys as lists, equal strings among them one object, as equal
    tuples are (marshal writes an object seen before as a reference to it: one paper's key and
    id, the days, categories, topics and institutions of a chunk's papers, each decoded once and
    held once in memory). Columns of other values (numbers, flags: 1 == True) are left as they are."""
    strings: dict[str, str] = {}
    tuples: dict[tuple, tuple] = {}
    shared = []
    for column in columns:
        kinds = _kinds(column)
        if kinds <= {str, type(None)}:
            shared.append(list(map(strings.setdefault, column, column)))
        elif kinds <= {tuple}:  # of strings (authors, categories, …), as the model has them
            try:
                shared.append(list(map(tuples.setdefault, column, column)))
            except TypeError:  # one holds a list (not the model's): written as it is
                shared.append(list(column))
        else:
            shared.append(list(column))
    return shared, list(map(strings.setdefault, title_keys, title_keys))


KEEP = 4
"""Snapshots kept (of different path sets, or of older code): the most recently written."""
KEEP_TEXT_INDEXES = 2
"""Text indexes kept: those of the newest snapshots (a few times the archive's texts each)."""


STALE_TEMPORARY_NS = int(STALE_AFTER * 10**9)
"""A half-written snapshot (`.tmp`: its writer quit or died) older than this is removed
(atomic_write removes its own target's; this takes those of other path sets too)."""


def _prune(folder: str) -> None:
    """Keep the KEEP newest snapshots; remove older ones and stale half-written ones."""
    try:
        with os.scandir(folder) as entries:
            found = sorted(((entry.stat().st_mtime_ns, entry.path) for entry in entries), reverse=True)
        snapshots = [path for _mtime, path in found if not path.endswith(".tmp")]
        now = time.time_ns()
        stale = [path for mtime, path in found if path.endswith(".tmp") and now - mtime > STALE_TEMPORARY_NS]
        for path in snapshots[KEEP:] + stale:
            os.remove(path)
    except OSError:
        pass


def text_index_path(cache: ParseCache, paths: list[str]) -> str:
    """Where the text index (textindex.py) of a load of these paths is kept: beside its snapshot,
    under the same name, in a folder of its own (so _prune() counts snapshots only)."""
    snapshot = snapshot_path(cache, paths)
    return os.path.join(os.path.dirname(os.path.dirname(snapshot)), "texts", os.path.basename(snapshot))


def _prune_text_indexes(loads: str) -> None:
    """Keep the text indexes (and their SQLite companions) of the KEEP_TEXT_INDEXES newest
    snapshots only: each is a few times as big as its archive's texts (13 GB at 1M papers), and
    a new version of the snapshot code starts a new one. (A reader still using one keeps its
    open file.)"""
    texts = os.path.join(os.path.dirname(loads), "texts")
    try:
        with os.scandir(loads) as entries:
            found = sorted(((entry.stat().st_mtime_ns, entry.name) for entry in entries if not entry.name.endswith(".tmp")), reverse=True)
        kept = {name for _mtime, name in found[:KEEP_TEXT_INDEXES]}
        with os.scandir(texts) as entries:
            for entry in entries:
                if entry.name.split("-", 1)[0] not in kept:
                    os.remove(entry.path)
    except OSError:
        pass
