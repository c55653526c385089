"""Load snapshots: a whole load's merged papers in one file, so an unchanged archive starts from one read.

A warm start from the per-file parse cache still reads, checks and merges one entry per digest file
(~0.6 s at 100k papers). After a load that was not all from a snapshot, the store's papers (without
their long texts, which stay in the per-file entries), its lookups and its date order are written to
one file, named by the paths asked for and the code that merges. The next load of the same paths
uses it when its files are, in order, the first files found now, each with the same size, times and
inode; the files after them are read and merged as usual (a new daily digest sorts last). Anything
else (a file changed, removed or put in between, a damaged or older snapshot) means the snapshot is
not used, and the load runs file by file. Texts are read from the per-file entries when needed, and
from the digest file itself when an entry cannot give them back.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import struct
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from ..files import STALE_AFTER, atomic_write
from .cache import ParseCache, stamp_of
from ..model import Paper, Source
from ..store import Store, StoreState, TextReader

_MAGIC = b"digest-tui load snapshot 1\n"
_HEADER = struct.Struct("<IQ")  # Adler-32 and length of the payload
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
    chunks: list[bytes]  # each marshals (rows, title keys) of up to CHUNK_ROWS papers
    lookups: bytes  # marshals the rest of a StoreState: read once the papers are in


@functools.cache
def _code_version() -> str:
    """A hash of the code that decides what a snapshot holds: merging, sorting and this format."""
    digest = hashlib.sha256(_MAGIC)
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
    """The snapshot for these paths if it is whole and its files are the first of `files`, unchanged."""
    try:
        with open(snapshot_path(cache, paths), "rb") as handle:
            data = handle.read()
        if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + _HEADER.size:
            return None
        checksum, length = _HEADER.unpack_from(data, len(_MAGIC))
        payload = memoryview(data)[len(_MAGIC) + _HEADER.size :]
        if len(payload) != length or zlib.adler32(payload) != checksum:
            return None
        records, chunks, lookups = marshal.loads(payload)
        records = [FileRecord(path, tuple(stamp), *rest) for path, stamp, *rest in records]
    except Exception:
        return None
    if len(records) > len(files) or not records:
        return None
    for record, (path, info) in zip(records, files):
        if record.path != path or record.stamp != stamp_of(info):
            return None
    return Snapshot(records, chunks, lookups)


def restore(snapshot: Snapshot, store: Store, readers: dict[str, TextReader]) -> Iterator[int]:
    """Put a snapshot's papers into an empty store, a chunk at a time (yielding the papers in so
    far after each), then its lookups; `readers` reads each file's texts (from its cache entry)."""
    sources = [(Source(record.path, record.source_format or ""),) for record in snapshot.files]
    many: dict[tuple[int, ...], tuple[Source, ...]] = {}
    done = 0
    for chunk in snapshot.chunks:
        rows, title_keys = marshal.loads(chunk)
        papers = []
        append = papers.append
        for row in rows:
            spec = row[-1]
            if spec.__class__ is int:
                append(_new_tuple(Paper, row[:-1] + (sources[spec],)))
            else:
                found = many.get(spec)
                if found is None:
                    found = many[spec] = tuple(source for index in spec for source in sources[index])
                append(_new_tuple(Paper, row[:-1] + (found,)))
        store.extend(papers, title_keys)
        done += len(papers)
        yield done
    store.restore(StoreState([], [], *marshal.loads(snapshot.lookups)), readers)


def write_snapshot(cache: ParseCache, paths: list[str], files: list[FileRecord], store: Store) -> bool:
    """Keep what the store holds as the snapshot of a load of `paths` that read `files`, in order;
    whether it was written (not when the store holds papers from elsewhere or lost some)."""
    state = store.state()
    if state is None or not files:
        return False
    if any(len(state.landed.get(record.path, ())) != record.count for record in files):
        return False  # a file added twice, or changed since it was read: the rows are not the load's
    index_of = {record.path: index for index, record in enumerate(files)}
    rows = []
    for values in state.papers:
        try:
            spec = [index_of[source.file] for source in values[-1]]
        except KeyError:  # a paper from a reading list or a file not in this load
            return False
        if not spec:
            return False
        rows.append(values[:-1] + (spec[0] if len(spec) == 1 else tuple(spec),))
    chunks = [
        marshal.dumps((rows[start : start + CHUNK_ROWS], state.title_keys[start : start + CHUNK_ROWS]))
        for start in range(0, len(rows), CHUNK_ROWS)
    ]
    lookups = marshal.dumps((state.other_keys, state.titles, state.landed, state.date_order))
    payload = marshal.dumps(([tuple(record) for record in files], chunks, lookups))
    path = snapshot_path(cache, paths)
    try:
        atomic_write(path, b"".join((_MAGIC, _HEADER.pack(zlib.adler32(payload), len(payload)), payload)))
    except (OSError, ValueError):
        return False
    _prune(os.path.dirname(path))
    return True


KEEP = 4
"""Snapshots kept (of different path sets, or of older code): the most recently written."""


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
