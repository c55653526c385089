"""The parse cache: each digest file's papers kept between runs, so a warm start skips parsing.

One entry per digest file, named by a hash of its absolute path, in a folder named by a hash of the
code that parses (a new version never reads an old version's entries). An entry is used only when
the file's size, modification time, change time and inode are exactly those recorded; a changed
file is parsed again, a removed one is simply never asked for; nor is one this process may not
read now (same stamp, but another user, a lost group, an ACL): it is parsed, and fails, now.
Only what parsed is kept: a file that could not be read is never an entry. Entries carry a
checksum of their payload, and their sizes and shapes are checked before anything is read or
made on their word: a truncated, damaged or crafted entry is a miss (and replaced), never an
exception.

An entry holds two marshalled parts, each with its own checksum: the papers without their long
texts (what a warm start reads, a fifth of the bytes), then the texts (`model.TEXT_FIELDS`), read
from the entry only when the list is up (`Store.fill_texts`) or a paper is shown or searched
before that. Texts that cannot be read back whole are taken from the digest file again. The
header says which version of which file an entry was made for (`made_for`), so that the texts of
a snapshot's files are found from the header alone, the papers part neither read nor unmarshalled.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import hashlib
import marshal
import operator
import os
import shutil
import stat
import struct
import sys
import threading
import zlib
from collections.abc import Callable
from typing import BinaryIO, NamedTuple
from pathlib import Path

from ..model import TEXT_FIELDS, Paper, Source, folded_title, texts_of, without_texts


class Texts(NamedTuple):
    """Where one file's papers' long texts are, still marshalled: in memory (`data`), or at
    `offset` in the cache entry `entry`; `checksum` and `length` say what must be found there."""

    data: memoryview | None
    entry: str | None
    offset: int
    length: int
    checksum: int


class CachedFile(NamedTuple):
    """One file's entry: its format, warnings, papers (without their texts), each paper's folded
    title (for merging), and where the papers' texts are (see `read_texts`)."""

    format: str
    warnings: list[str]
    papers: list[Paper]
    titles: list[str | None]
    texts: Texts


class Entry(NamedTuple):
    """An entry's papers part, checksum verified, and where its texts part is."""

    head: memoryview
    texts: Texts


CACHE_FORMAT = 3
MAGIC = b"digest-tui parse cache 3\n"
HEADER = struct.Struct("<IQIQ16s")  # Adler-32 and length of the papers part, then of the texts part; made_for()
START = len(MAGIC) + HEADER.size
FIRST_READ = 64 * 1024  # the header and, for most digest files, the whole papers part
_new_tuple = tuple.__new__


@functools.cache
def code_version() -> str:
    """A hash of everything that decides what a file parsed to: the model and the parsers."""
    digest = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
    core = Path(__file__).parent.parent
    for source in [core / "model.py", *sorted((core / "parsers").glob("*.py"))]:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def stamp_of(info: os.stat_result) -> tuple[int, int, int, int]:
    """What identifies one version of a file: size, modification and change times, inode."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


class ParseCache:
    """Read and write cache entries under one folder (normally the user cache dir)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.folder = self.root / f"parsed-{code_version()}"
        self._folder = str(self.folder)
        self._pruned = False
        self._made: set[str] = set()  # folders known to exist: a mkdir per file costs more than the write

    def entry_path(self, path: str) -> str:
        """Where the entry for a digest file is kept."""
        name = entry_name(path)
        return os.path.join(self._folder, name[:2], name)

    def entry_names(self) -> set[str]:
        """The entry_name() of every entry there is (one scan of the folder: cheaper than a stat
        per digest file)."""
        found: set[str] = set()
        with contextlib.suppress(OSError), os.scandir(self._folder) as shards:
            for shard in shards:
                with contextlib.suppress(OSError), os.scandir(shard.path) as names:
                    found.update(entry.name for entry in names)
        return found

    def get(self, path: str, info: os.stat_result) -> CachedFile | None:
        """What an unchanged file parsed to, else None; None too when this process may not read
        the file now (its stamp is the same, but the user, their groups or an ACL changed):
        the cache never shows what the user can no longer open."""
        if not readable(path):
            return None
        return open_entry(self.read(path), path, stamp_of(info))

    def texts(self, path: str, info: os.stat_result) -> Texts | None:
        """Where an unchanged file's long texts are (get()'s `texts`, but no paper made of its
        rows: a warm start brings in the texts of files whose papers came from the load snapshot).
        Only the entry's header is read: it says which version of which file the entry was made
        for (made_for), and read_texts() checks the texts part itself."""
        if not readable(path):
            return None
        entry = self.entry_path(path)
        try:
            descriptor = os.open(entry, os.O_RDONLY | _NONBLOCK)
            try:
                data = os.read(descriptor, START)
            finally:
                os.close(descriptor)
        except (OSError, OverflowError):
            return None
        if _sizes(data) is None:
            return None
        _head_sum, head_length, texts_sum, texts_length, identity = HEADER.unpack_from(data, len(MAGIC))
        if identity != made_for(path, stamp_of(info)):
            return None
        return Texts(None, entry, START + head_length, texts_length, texts_sum)

    def read(self, path: str) -> Entry | None:
        """The path's entry (its papers part read and checked), or None if missing or corrupt."""
        entry = self.entry_path(path)
        try:  # raw reads, as few as can be: each system call gives up the GIL and waits to get it back
            descriptor = os.open(entry, os.O_RDONLY | _NONBLOCK)
            try:
                data = os.read(descriptor, FIRST_READ)
                sizes = _sizes(data)
                if sizes is None:
                    return None
                head_end = START + sizes[0]
                if len(data) < head_end:
                    # the lengths must add up to the entry's size before anything is read on their word
                    info = os.fstat(descriptor)
                    if not stat.S_ISREG(info.st_mode) or info.st_size != head_end + sizes[1]:
                        return None
                    data += os.read(descriptor, head_end - len(data))
            finally:
                os.close(descriptor)
        except (OSError, OverflowError, MemoryError):
            return None
        return check_entry(data[:head_end], entry) if len(data) >= head_end else None

    def put(self, path: str, info: os.stat_result, fmt: str, warnings: list[str], papers: list[Paper]) -> None:
        """Remember what a file parsed to; failures to write are ignored (the cache is optional).
        The entry is written as it is made (write_entry): a big file's is never held whole."""
        self._write(path, functools.partial(write_entry, path=path, stamp=stamp_of(info), fmt=fmt, warnings=warnings, papers=papers))

    def write(self, path: str, entry_bytes: bytes) -> bool:
        """Store an entry made by encode_entry() for this path; whether it was written."""
        return self._write(path, lambda handle: handle.write(entry_bytes))

    def _write(self, path: str, write: Callable[[BinaryIO], object]) -> bool:
        try:
            entry = self.entry_path(path)
            shard = os.path.dirname(entry)
            if shard not in self._made:
                self._prune_old_versions()
                os.makedirs(shard, exist_ok=True)
                self._made.add(shard)
            temporary = f"{entry}.{os.getpid()}.tmp"
            with open(temporary, "wb") as handle:
                write(handle)
            os.replace(temporary, entry)
            return True
        except (OSError, ValueError):
            return False

    def _prune_old_versions(self) -> None:
        """Remove folders of other code versions, once per run."""
        if self._pruned:
            return
        self._pruned = True
        for folder in self.root.glob("parsed-*"):
            if folder != self.folder:
                shutil.rmtree(folder, ignore_errors=True)


class EntryWriter:
    """Writes cache entries in a thread of its own, at the lowest CPU priority where the system
    has one per thread (Linux), so a parsing process gets on with the next file: on a machine
    whose every CPU parses, the entries are written when the parsing is done. At most `limit`
    bytes wait; beyond that put() writes at once, as it does until one entry was written (a cache
    that cannot be written is known at once, not after the load). The thread is not a daemon and
    ends when nothing waits (a later put() starts another), so a process exits only once
    everything given to it is written."""

    def __init__(self, cache: ParseCache, limit: int) -> None:
        self.cache = cache
        self.limit = limit
        self._waiting: collections.deque[tuple[str, bytes]] = collections.deque()
        self._bytes = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._written = False

    def put(self, path: str, entry_bytes: bytes) -> bool:
        """Have an entry made by encode_entry() written for this path, now or soon; False if
        it was tried now and could not be written."""
        with self._lock:
            waits = self._written and self._bytes + len(entry_bytes) <= self.limit
            if waits:
                self._waiting.append((path, entry_bytes))
                self._bytes += len(entry_bytes)
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="digest-tui cache writer")
                    self._thread.start()
        if waits:
            return True
        written = self.cache.write(path, entry_bytes)
        self._written = self._written or written
        return written

    def join(self) -> None:
        """Wait until everything given so far is written."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        _lowest_priority()
        while True:
            with self._lock:
                if not self._waiting:
                    self._thread = None
                    return
                path, entry_bytes = self._waiting.popleft()
            self.cache.write(path, entry_bytes)
            with self._lock:
                self._bytes -= len(entry_bytes)


def _lowest_priority() -> None:
    """The calling thread (only it: Linux keeps a nice value per thread) to the lowest CPU priority."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def entry_name(path: str) -> str:
    """The name of a digest file's entry: a hash of its absolute path."""
    return hashlib.blake2b(os.path.abspath(path).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def encode_entry(path: str, stamp: tuple[int, int, int, int], fmt: str, warnings: list[str], papers: list[Paper]) -> bytes:
    """One file's parse as cache-entry bytes (also how a parsing process hands its result back)."""
    head = _head_part(path, stamp, fmt, warnings, papers)
    texts = marshal.dumps([texts_of(paper) for paper in papers])
    header = HEADER.pack(zlib.adler32(head), len(head), zlib.adler32(texts), len(texts), made_for(path, stamp))
    return b"".join((MAGIC, header, head, texts))


def made_for(path: str, stamp: tuple[int, int, int, int]) -> bytes:
    """What an entry's header says it was made for: a hash of the file's absolute path and stamp."""
    return hashlib.blake2b(f"{os.path.abspath(path)}\0{stamp}".encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _head_part(path: str, stamp: tuple[int, int, int, int], fmt: str, warnings: list[str], papers: list[Paper]) -> bytes:
    real = os.path.abspath(path)
    source_format = papers[0].sources[0].format if papers and papers[0].sources else fmt
    rows = [without_texts(paper)[:-1] for paper in papers]
    titles = [folded_title(paper) for paper in papers]
    return marshal.dumps((real, stamp, fmt, source_format, warnings, rows, titles))


TEXTS_PER_PIECE = 1024
"""Papers whose texts write_entry() marshals at a time, for a file of more than PIECES_FROM papers."""
PIECES_FROM = 16384


def write_entry(
    handle: BinaryIO, path: str, stamp: tuple[int, int, int, int], fmt: str, warnings: list[str], papers: list[Paper]
) -> None:  # fmt: skip
    """encode_entry() written to an open file as it is made, the header with the parts' checksums
    and lengths last. A big file's texts part (a marshalled list) is made a piece of the list at a
    time (marshal's version 0 for each piece, which refers back to nothing, so the pieces make one
    list), so it is never held whole; a smaller file's in one go, whose strings that repeat (an
    institution named by several papers) load back as one."""
    head = _head_part(path, stamp, fmt, warnings, papers)
    handle.write(MAGIC)
    handle.write(bytes(HEADER.size))
    handle.write(head)
    if len(papers) <= PIECES_FROM:
        texts = marshal.dumps([texts_of(paper) for paper in papers])
        handle.write(texts)
        handle.seek(len(MAGIC))
        handle.write(HEADER.pack(zlib.adler32(head), len(head), zlib.adler32(texts), len(texts), made_for(path, stamp)))
        return
    texts_sum, texts_length = zlib.adler32(b""), 0
    for start in range(0, len(papers), TEXTS_PER_PIECE):
        piece = marshal.dumps([texts_of(paper) for paper in papers[start : start + TEXTS_PER_PIECE]], 0)
        if start:  # a list is `[`, its length, its items: the first piece's length becomes the whole list's
            piece = piece[5:]
        else:
            piece = b"[" + struct.pack("<i", len(papers)) + piece[5:]
        handle.write(piece)
        texts_sum, texts_length = zlib.adler32(piece, texts_sum), texts_length + len(piece)
    handle.seek(len(MAGIC))
    handle.write(HEADER.pack(zlib.adler32(head), len(head), texts_sum, texts_length, made_for(path, stamp)))


def readable(path: str) -> bool:
    """Whether this process may open the file for reading now (one access() call: 1 µs)."""
    try:
        return os.access(path, os.R_OK)
    except (OSError, ValueError):
        return False


MAX_PART = 1 << 31
"""Bytes a part of an entry may say it has: more is damage (a digest file is at most 256 MB)."""
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # an entry replaced by a FIFO is not waited on


def _sizes(data: bytes) -> tuple[int, int] | None:
    """The lengths of an entry's two parts from its header, if it has one and they are sane."""
    if len(data) < START or not data.startswith(MAGIC):
        return None
    _head_sum, head_length, _texts_sum, texts_length, _made_for = HEADER.unpack_from(data, len(MAGIC))
    if head_length > MAX_PART or texts_length > MAX_PART:
        return None
    return head_length, texts_length


def head_of(entry_bytes: bytes) -> bytes:
    """Entry bytes without the texts part (which stays in the written entry)."""
    return entry_bytes[: START + HEADER.unpack_from(entry_bytes, len(MAGIC))[1]]


def check_entry(data: bytes, entry: str | None = None) -> Entry | None:
    """The parts of entry bytes, if the papers part is whole and its checksum holds. The texts
    part is in `data` too, or else (bytes from `head_of`) in the entry file `entry`."""
    if _sizes(data) is None:
        return None
    head_sum, head_length, texts_sum, texts_length, _made_for = HEADER.unpack_from(data, len(MAGIC))
    view = memoryview(data)
    head = view[START : START + head_length]
    if len(head) != head_length or zlib.adler32(head) != head_sum:
        return None
    rest = view[START + head_length :]
    if len(rest) == texts_length:
        return Entry(head, Texts(rest, None, 0, texts_length, texts_sum))
    if not rest and entry is not None:
        return Entry(head, Texts(None, entry, START + head_length, texts_length, texts_sum))
    return None


def open_entry(entry: Entry | None, path: str, stamp: tuple[int, int, int, int]) -> CachedFile | None:
    """The papers in a checked entry made for this path and stamp; None if it is for another file
    or another version of it (or cannot be read)."""
    head = _head(entry, path, stamp)
    if head is None:
        return None
    try:
        fmt, source_format, warnings, rows, titles = head
        if not _is_entry_shape(fmt, source_format, warnings, rows, titles):
            return None
        sources = (Source(path, source_format),)
        papers = [_new_tuple(Paper, row + (sources,)) for row in rows]
        return CachedFile(fmt, list(warnings), papers, titles, entry.texts)  # type: ignore[union-attr]
    except Exception:  # a TypeError, for a crafted entry
        return None


def _head(entry: Entry | None, path: str, stamp: tuple[int, int, int, int]) -> tuple | None:
    """A checked entry's head (format, source format, warnings, rows, titles) if it was made
    for this path and stamp, else None."""
    if entry is None:
        return None
    try:
        head = marshal.loads(entry.head)
        if head.__class__ is not tuple or len(head) != 7:
            return None
        stored_path, stored_stamp, *rest = head
        if stored_path != os.path.abspath(path) or stored_stamp.__class__ is not tuple or stored_stamp != stamp:
            return None
        return tuple(rest)
    except Exception:  # marshal's ValueError, EOFError, TypeError; MemoryError for a crafted size
        return None


ROW_LENGTH = len(Paper._fields) - 1
"""Values in a cached row: a Paper's fields without its sources (a new code version changes
code_version(), so a row of another length is damage or a crafted entry)."""
TEXTS_LENGTH = len(TEXT_FIELDS)


_FIRST = operator.itemgetter(0)
_NONE = type(None)


def _kinds(values) -> set[type]:
    return set(map(type, values))


def _is_entry_shape(fmt: object, source_format: object, warnings: object, rows: object, titles: object) -> bool:
    """Whether an entry's parts are what encode_entry() writes: strings, a list of strings, rows
    that are tuples of ROW_LENGTH values, one title (a string or None) per row. Checked before a
    Paper is made of any row: a short row would give an IndexError far from here, a long one a
    Paper with a stray field. Field types are not checked one by one (a warm start reads 100k rows;
    the checksum already stands for them); a row's key is, since everything looks papers up by it."""
    if fmt.__class__ is not str or source_format.__class__ is not str:
        return False
    if warnings.__class__ is not list or not all(w.__class__ is str for w in warnings):
        return False
    if rows.__class__ is not list or titles.__class__ is not list or len(titles) != len(rows):
        return False
    if not rows:
        return True
    # a column at a time, in C (`map`, `set`): a cold load checks every row it is handed
    if _kinds(rows) != {tuple} or set(map(len, rows)) != {ROW_LENGTH} or _kinds(map(_FIRST, rows)) != {str}:
        return False
    return _kinds(titles) <= {str, _NONE}


def read_texts(texts: Texts) -> list[tuple[str | None, ...]] | None:
    """Each paper's TEXT_FIELDS values, or None if they cannot be read back exactly as written
    (the entry was removed, replaced or damaged since its papers part was read)."""
    data = texts.data
    try:
        if data is None:
            if texts.length > MAX_PART:
                return None
            with open(texts.entry, "rb") as handle:  # type: ignore[arg-type]
                if os.fstat(handle.fileno()).st_size != texts.offset + texts.length:
                    return None  # replaced since (or damaged): not read on the old header's word
                handle.seek(texts.offset)
                data = handle.read(texts.length + 1)
        if len(data) != texts.length or zlib.adler32(data) != texts.checksum:
            return None
        values = marshal.loads(data)
        if values.__class__ is not list:
            return None
        if values and (_kinds(values) != {tuple} or set(map(len, values)) != {TEXTS_LENGTH}):
            return None
        return values
    except Exception:
        return None
