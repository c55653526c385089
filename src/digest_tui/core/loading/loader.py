"""Turn the paths a user names (files and folders, recursively) into parsed digest files."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..forked import usable_cpus
from ..model import Paper, ParseResult, Problem, texts_of
from ..store import Store
from ..text import one_line
from .cache import (
    CachedFile, EntryWriter, ParseCache, Texts, check_entry, encode_entry, entry_name, head_of, open_entry, read_texts, stamp_of,
)  # fmt: skip

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from ..parsers.batched import Parts
    from .stream import Streamed


@dataclass(slots=True)
class Parsed:
    """One file read as a digest."""

    path: str
    result: ParseResult
    titles: list[str | None] | None = None
    """Each paper's folded title when the cache knew it (saves recomputing it on a warm start)."""
    texts: Callable[[], list[tuple[str | None, ...]]] | None = None
    """When the papers came from a cache entry (and lack their long texts): reads the texts."""

    def add_to(self, store: Store) -> list[int]:
        """Add the papers to a store (their texts to come later when they are still in the cache)."""
        return store.add(self.result.papers, self.titles, None if self.texts is None else (self.path, self.texts))


def _cached(path: str, info: os.stat_result, hit: CachedFile, cache: ParseCache | None) -> Parsed:
    reader = functools.partial(texts_of_file, path, info, hit.texts, len(hit.papers), cache)
    return Parsed(path, ParseResult(hit.papers, hit.format, hit.warnings), hit.titles, reader)


def texts_from_cache(path: str, info: os.stat_result, count: int, cache: ParseCache | None) -> list[tuple[str | None, ...]]:
    """texts_of_file() for a file whose cache entry has not been opened yet (a snapshot's files)."""
    return texts_of_file(path, info, cache.texts(path, info) if cache is not None else None, count, cache)


def texts_of_file(
    path: str, info: os.stat_result, texts: Texts | None, count: int, cache: ParseCache | None
) -> list[tuple[str | None, ...]]:
    """The long texts of a file's `count` papers, from its cache entry; if the entry cannot give
    them back whole (damaged, or replaced since), from the file itself, and the entry is made again."""
    values = None if texts is None else read_texts(texts)
    if values is not None and len(values) == count:
        return values
    result = _parse(path)
    if isinstance(result, str) or len(result.papers) != count:
        return []  # the file changed meanwhile: the folder watcher (if any) reads it again
    if cache is not None:
        cache.put(path, info, result.format, result.warnings, result.papers)
    return [texts_of(paper) for paper in result.papers]


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[str | Problem]:
    """Every regular file under the given paths, in a stable order; a Problem for what cannot be read."""
    for item in _regular_files(paths):
        yield item if isinstance(item, Problem) else item[0]


def _regular_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[str, os.stat_result] | Problem]:
    """(path, stat) of every regular file under the paths. Folders are walked recursively without
    following links into folders (no loops); hidden entries in them are skipped, and so is a
    Maildir's `tmp/` (messages still being delivered); a file named twice (or reached twice) is
    given once."""
    seen: set[tuple[int, int]] = set()
    for path in map(str, paths):
        try:
            info = os.stat(path)
        except OSError as error:
            yield Problem(path, error.strerror or "cannot be read")
            continue
        if stat.S_ISDIR(info.st_mode):
            found = _walk(path)
        elif stat.S_ISREG(info.st_mode):
            found = iter([] if _maildir_tmp(os.path.dirname(path)) else [(path, info)])  # e.g. a change seen by the watcher
        else:
            found = iter([Problem(path, "not a regular file")])
        for item in found:
            if not isinstance(item, Problem):
                identity = (item[1].st_dev, item[1].st_ino)
                if identity in seen:
                    continue
                seen.add(identity)
            yield item


def _walk(folder: str) -> Iterator[tuple[str, os.stat_result] | Problem]:
    """Depth-first, in name order, with a stack rather than recursion (a tree may be deeper
    than Python's recursion limit)."""
    stack: list[Iterator[os.DirEntry]] = []
    listing = _listing(folder)
    if isinstance(listing, Problem):
        yield listing
        return
    stack.append(listing)
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                listing = _listing(entry.path)
                if isinstance(listing, Problem):
                    yield listing
                else:
                    stack.append(listing)
                continue
            info = entry.stat()
        except OSError as error:
            yield Problem(entry.path, error.strerror or "cannot be read")
            continue
        if stat.S_ISREG(info.st_mode):
            yield entry.path, info
        elif not stat.S_ISDIR(info.st_mode):  # a link to a folder is not followed
            yield Problem(entry.path, "not a regular file; skipped")


def _listing(folder: str) -> Iterator[os.DirEntry] | Problem:
    """A folder's visible entries in name order."""
    try:
        with os.scandir(folder) as entries:
            visible = sorted((e for e in entries if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as error:
        return Problem(folder, error.strerror or "cannot be read")
    if any(e.name == "tmp" for e in visible) and _maildir_tmp(os.path.join(folder, "tmp")):
        visible = [e for e in visible if e.name != "tmp"]
    return iter(visible)


def _maildir_tmp(folder: str) -> bool:
    """Whether a folder is the `tmp/` of a Maildir (beside `cur/` and `new/`): its files are
    messages being written, which the delivery moves to `new/` when whole."""
    if os.path.basename(folder) != "tmp":
        return False
    parent = os.path.dirname(folder)
    return os.path.isdir(os.path.join(parent, "cur")) and os.path.isdir(os.path.join(parent, "new"))


def first_file(paths: Iterable[str | os.PathLike]) -> tuple[str, os.stat_result] | None:
    """The first regular file under the paths, as list_files() would give it first (None if none)."""
    return next((item for item in _regular_files(paths) if not isinstance(item, Problem)), None)


def find_files(paths: Iterable[str | os.PathLike]) -> tuple[list[tuple[str, os.stat_result]], list[Problem]]:
    """Every regular file under the paths, with its stat, and the paths that could not be walked."""
    found: list[tuple[str, os.stat_result]] = []
    problems: list[Problem] = []
    for item in _regular_files(paths):
        (problems if isinstance(item, Problem) else found).append(item)
    return found, problems


def list_files(paths: Iterable[str | os.PathLike]) -> tuple[list[tuple[str, os.stat_result]], list[tuple[int, Problem]]]:
    """find_files(), with each path that could not be walked placed: the number of files found before it."""
    found: list[tuple[str, os.stat_result]] = []
    problems: list[tuple[int, Problem]] = []
    for item in _regular_files(paths):
        if isinstance(item, Problem):
            problems.append((len(found), item))
        else:
            found.append(item)
    return found, problems


class Reading:
    """A file being parsed a batch of papers at a time (parsers.BatchedFile), so that a big listing
    e-mail's first papers are in the store while the rest is read: iterate it for the batches
    (papers listed for the first time, papers listed again, the first ones' folded titles or None
    when they are not known); then `outcome` is the file's Parsed, whose papers were all given,
    or the Problem that stopped it. The cache entry is written by
    write_entry(), once the file is read (a load leaves it to its finishing steps: encoding and
    writing a listing of 10k papers takes a third as long as parsing it)."""

    def __init__(self, path: str, info: os.stat_result, cache: ParseCache | None, streamed: Streamed | None = None) -> None:
        self.path, self.info, self.cache = path, info, cache
        self.outcome: Parsed | Problem | None = None
        self._parts: tuple[Parts, Iterator[bytes]] | None = None
        self._streamed = streamed  # the batches as the head start's copy parses them (HeadStart.take)
        self._started_pool: Callable[[], ProcessPoolExecutor | None] | None = None  # (a streamed file cut: see cut())

    @property
    def whole(self) -> bool:
        """Whether the batch given last was known to be the file's last (the head start's stream knows)."""
        return self._streamed is not None and self._streamed.whole

    def cut(self, started_pool: Callable[[], ProcessPoolExecutor | None]) -> None:
        """Read the file in parts, the first here and the others by the pool `started_pool()` gives
        (when the file can be cut: parsers.batched.plan_parts)."""
        if self._streamed is not None:  # the copy planned the parts and reads the first one
            self._started_pool = started_pool
            return
        from ..parsers.batched import plan_parts

        parts = plan_parts(self.path, self.info.st_size, PART_BYTES)
        if parts is not None:
            self._parts = (parts, _parts_read(self.path, parts, started_pool))

    def __iter__(self) -> Iterator[tuple[list[Paper], list[Paper], list[str | None] | None]]:
        result: list[ParseResult] = []
        try:
            yield from self._batches(result)
        except Exception as error:
            self.outcome = Problem(self.path, _reason(error))
            return
        self.outcome = Parsed(self.path, result[0])

    def _batches(self, result: list[ParseResult]) -> Iterator[tuple[list[Paper], list[Paper], list[str | None] | None]]:
        streamed = self._streamed
        if streamed is not None:
            yield from streamed  # (the parsers are the copy's: not imported here for a file it sends whole)
            if streamed.parts is None:
                result.append(streamed.result)
                return
        from ..parsers.batched import BatchedFile, Parts

        if streamed is not None:  # a cut file, its first part the copy's: the others read as they would be
            parts = Parts(*streamed.parts)
            later = _parts_read(self.path, parts, self._started_pool or (lambda: None))
            reading = BatchedFile(self.path, parts, later, first=streamed.first)
        else:
            reading = BatchedFile(self.path, *self._parts) if self._parts is not None else BatchedFile(self.path)
        for firsts, again in reading:
            yield firsts, again, None
        result.append(reading.result)

    def write_entry(self) -> None:
        """Write the cache entry of the file read (nothing for a Problem, or without a cache)."""
        if self.cache is not None and isinstance(self.outcome, Parsed):
            result = self.outcome.result
            self.cache.put(self.path, self.info, result.format, result.warnings, result.papers)


def read_file(
    path: str, info: os.stat_result, cache: ParseCache | None = None, batched: bool = False
) -> Parsed | Problem | Reading:
    """One file's papers (from the cache when the file is unchanged), or a Problem with the reason;
    with `batched`, a file to parse comes as a Reading."""
    hit = cache.get(path, info) if cache is not None else None
    if hit is not None:
        return _cached(path, info, hit, cache)
    if batched:
        return Reading(path, info, cache)
    result = _parse(path)
    if isinstance(result, str):
        return Problem(path, result)
    if cache is not None:
        cache.put(path, info, result.format, result.warnings, result.papers)
    return Parsed(path, result)


def _parse(path: str) -> ParseResult | str:
    """A file's parse, or why it failed in one line."""
    from ..parsers import parse_file  # not imported at all by a start that finds everything cached

    try:
        return parse_file(path)
    except Exception as error:
        return _reason(error)


def _reason(error: Exception) -> str:
    """Why a file could not be parsed, in one line (a parser bug must cost one file, not the whole load)."""
    from ..parsers import DigestError

    if isinstance(error, OSError):
        return error.strerror or "cannot be read"
    if isinstance(error, DigestError):
        return str(error)
    return one_line(f"could not be parsed ({type(error).__name__}: {error})")


POOL_MIN_BYTES = 16 * 2**20
"""Uncached files adding up to less than this are parsed in the loading thread: starting parsing
processes (a Python each, ~0.3 s) costs more than it saves."""
POOL_MAX_WORKERS = 8
POOL_TASK_BYTES = 4 * 2**20
WRITER_WAITING_BYTES = 256 * 2**20
"""Cache-entry bytes a parsing process keeps waiting to be written (by a thread of the lowest
priority, so that parsing goes first), at most; past that it writes them as it makes them."""


def read_in_order(
    files: list[tuple[str, os.stat_result]],
    cache: ParseCache | None = None,
    before_pool: Callable[[], object] | None = None,
    writing: Callable[[ProcessPoolExecutor], object] | None = None,
    head_start: HeadStart | None = None,
) -> Iterator[Parsed | Problem | Reading]:
    """Each file's papers (or Problem, or for a file parsed here a Reading), in the order given.
    When many bytes are not in the cache, they are parsed by a pool of processes, one per CPU
    (parsing is pure Python: threads would take turns), which write the cache entries too and hand
    the entry bytes back; this thread reads cached files meanwhile, and parses files itself only
    until the pool is up. A big first file (one listing e-mail of many papers) is cut at its entries
    for the pool (parsers.batched), its first part read here; a first file the head start's copy
    parses comes as the Reading of the batches it sends. `before_pool` is called before the
    processes start (the app waits there for its first paint: starting two Pythons takes both CPUs
    for a moment). Once every file is read, the pool is given to `writing` (when given) instead of
    waited for: its processes may still be writing cache entries (see EntryWriter);
    `pool.shutdown()` waits for them. Until then, a text wanted from an entry not written yet is
    read from its digest file. A `head_start` (see HeadStart) is waited for before the first file,
    unless it sends that file's papers."""
    if not files:
        return
    # the first file's entry is in the cache now, most likely, or the copy is parsing it for us
    streamed = head_start.take(*files[0]) if head_start is not None else None
    workers = min(usable_cpus(), POOL_MAX_WORKERS)
    pool: ProcessPoolExecutor | None = None

    def started_pool() -> ProcessPoolExecutor | None:
        nonlocal pool
        if pool is None:
            if before_pool is not None:
                before_pool()
            pool = _start_pool(workers)
        return pool

    completed = False
    try:
        first = Reading(*files[0], cache, streamed) if streamed is not None else read_file(*files[0], cache, batched=True)
        if isinstance(first, Reading) and workers > 1 and files[0][1].st_size >= CUT_MIN_BYTES:
            first.cut(started_pool)
        yield first  # papers on screen first; the pool (if any) starts after
        known = cache.entry_names() if cache is not None else set()
        to_parse = [index for index in range(1, len(files)) if entry_name(files[index][0]) not in known]
        tasks = {}
        if workers > 1 and len(to_parse) > 2 and sum(files[i][1].st_size for i in to_parse) >= POOL_MIN_BYTES:
            started = started_pool()
            tasks = {} if started is None else _submit(started, files, to_parse, cache)
        pool_answered = False
        for index in range(1, len(files)):
            path, info = files[index]
            future, at = tasks.pop(index, (None, 0))
            # a task not started while the pool is still coming up is taken back (cancel()) and
            # its files parsed here, as are files the pool never had
            if future is not None and not future.cancelled() and (pool_answered or future.done() or not future.cancel()):
                pool_answered = True
                yield from_pool(future, at, path, info, cache)
            else:
                yield read_file(path, info, cache, batched=True)
        completed = True
    finally:
        if pool is not None and completed and writing is not None:
            writing(pool)  # idle now, perhaps still writing: shutdown() waits for that
        elif pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)  # at once when done; a cancelled load waits for a task or two


CUT_MIN_BYTES = POOL_MIN_BYTES
"""A first file this big, not in the cache, is cut into parts for the pool."""
PART_BYTES = 8 * 2**20
"""About how much of a cut file one task reads."""


def _parts_read(path: str, parts: Parts, started_pool: Callable[[], ProcessPoolExecutor | None]) -> Iterator[bytes]:
    """read_part() of each part of a cut file after the first, in order: by the pool, started when
    the first is read (so the first papers paint first), or here when a part's task has not
    started yet (the pool is coming up) or the pool failed it."""
    from ..parsers.batched import read_part

    pool = started_pool()
    futures: list[Future | None] = []
    if pool is not None:
        with _stderr_with_descriptor():  # the processes start as tasks are given
            for index in range(1, len(parts)):
                try:
                    futures.append(pool.submit(read_part, path, parts, index))
                except (OSError, ValueError, RuntimeError):  # no processes after all: the rest is read here
                    break
    answered = False
    for index in range(1, len(parts)):
        future = futures[index - 1] if index <= len(futures) else None
        if index <= len(futures):
            futures[index - 1] = None  # its answer is let go once given
        if future is not None and not future.cancelled() and (answered or future.done() or not future.cancel()):
            answered = True
            try:
                answer = future.result()
            except Exception:  # a process that died, say: this part is read here (a parser bug fails here too)
                answer = read_part(path, parts, index)
            yield answer
        else:
            yield read_part(path, parts, index)


def _submit(
    pool: ProcessPoolExecutor, files: list[tuple[str, os.stat_result]], indexes: list[int], cache: ParseCache | None
) -> dict[int, tuple[Future, int]]:
    """Give the pool these files, in tasks of a few MB (one answer per file would keep the pool
    waiting on this process's feeder thread, which gets the GIL only now and then while the
    loading thread merges papers); file index -> (its task, its place in the task's answer)."""
    root = None if cache is None else str(cache.root)
    tasks: dict[int, tuple[Future, int]] = {}
    task: list[int] = []
    size = 0
    with _stderr_with_descriptor():  # the processes start as tasks are given
        for index in [*indexes, None]:
            if index is not None:
                task.append(index)
                size += files[index][1].st_size
            if task and (index is None or size >= POOL_TASK_BYTES):
                items = [(files[i][0], stamp_of(files[i][1])) for i in task]
                try:
                    future = pool.submit(parse_to_entries, items, root)
                except (OSError, ValueError, RuntimeError):  # no processes after all: the rest is parsed here
                    break
                tasks.update((i, (future, at)) for at, i in enumerate(task))
                task, size = [], 0
    return tasks


def parse_to_entries(files: list[tuple[str, tuple[int, int, int, int]]], cache_root: str | None) -> list[bytes | str]:
    """In a parsing process: each (path, stamp)'s parse as cache-entry bytes, or why it could not be
    parsed. Entries are written to the cache too (most of them after the parsing, see EntryWriter),
    and then only their papers part comes back: the texts are read from the entry when wanted."""
    answers: list[bytes | str] = []
    for path, stamp in files:
        result = _parse(path)
        if isinstance(result, str):
            answers.append(result)
            continue
        data = encode_entry(path, stamp, result.format, result.warnings, result.papers)
        if cache_root is not None and _writer_at(cache_root).put(path, data):
            data = head_of(data)
        answers.append(data)
    return answers


@functools.cache
def _writer_at(root: str) -> EntryWriter:
    return EntryWriter(ParseCache(Path(root)), WRITER_WAITING_BYTES)


def from_pool(future: Future, at: int, path: str, info: os.stat_result, cache: ParseCache | None) -> Parsed | Problem:
    try:
        answer = future.result()[at]
    except Exception:
        return read_file(path, info, cache)
    if isinstance(answer, str):
        return Problem(path, answer)
    entry = open_entry(check_entry(answer, None if cache is None else cache.entry_path(path)), path, stamp_of(info))
    if entry is None:
        return read_file(path, info, cache)
    return _cached(path, info, entry, cache)


HEAD_START_BYTES = POOL_TASK_BYTES
"""A first file up to this big is parsed by the head start (a bigger one is read in batches here)."""
HEAD_START_WAIT = 2.0
"""Seconds the load waits, at most, for the head start to end."""


class HeadStart:
    """The first file of a start, parsed by a forked copy of this process while the reader
    imports Textual and starts up: that import is pure Python and keeps one CPU busy, and a thread
    would only take turns with it, but a process has the other CPU. A small file (up to
    HEAD_START_BYTES) the copy writes into the cache (when it is not there yet), so the load finds
    it there and its papers are on screen as soon as the screen is; a bigger one it sends a batch
    of papers at a time as it parses (stream.py), and the load takes them as they come (take()):
    the whole file below CUT_MIN_BYTES, else its first part (the pool reads the others). Linux
    only, from a process with no other thread (forking a process with threads can deadlock), with
    a parse cache and two CPUs; else nothing happens."""

    def __init__(self, pid: int, done: int, records: int = -1, shared: int = -1) -> None:
        self._pid, self._done = pid, done  # `done` reads EOF once the copy has ended
        self._records, self._shared = records, shared  # the stream of a bigger first file (stream.py)

    @classmethod
    def start(cls, paths: Iterable[str | os.PathLike], cache: ParseCache | None) -> HeadStart | None:
        import threading

        if cache is None or not sys.platform.startswith("linux") or threading.active_count() > 1 or usable_cpus() < 2:
            return None
        paths = list(paths)
        done, done_in_copy = os.pipe()
        records, records_in_copy = os.pipe()
        try:
            shared = os.memfd_create("digest-tui head start")
        except (OSError, AttributeError):
            shared = -1
        try:
            pid = os.fork()
        except OSError:
            for descriptor in (done, done_in_copy, records, records_in_copy, shared):
                if descriptor >= 0:
                    os.close(descriptor)
            return None
        if pid == 0:  # the copy: whatever happens, it ends here, without Python's clean-up (the parent's)
            try:
                os.close(done), os.close(records)
                gc.disable()  # a parse makes no cycles, and a collection would touch (copy) the parent's pages
                silence_output()
                _parse_first_file(paths, cache, records_in_copy if shared >= 0 else -1, shared)
            finally:
                os._exit(0)
        os.close(done_in_copy), os.close(records_in_copy)
        return cls(pid, done, records, shared)

    def streams(self, info: os.stat_result) -> bool:
        """Whether the copy may send a file of this size a batch at a time (when it is not in the
        cache: all of it, or a big one's first part), rather than write its cache entry."""
        return self._records >= 0 and self._shared >= 0 and info.st_size > HEAD_START_BYTES

    def take(self, path: str, info: os.stat_result) -> Streamed | None:
        """The papers of the file `path` (as it is now: `info`) a batch at a time as the copy
        parses it, when it does; else None, once the copy has ended (see wait())."""
        from .stream import Streamed

        if self._records >= 0 and self._shared >= 0:
            streamed = Streamed.open(self._records, self._shared, path, stamp_of(info), HEAD_START_WAIT, self._stop)
            if streamed is not None:
                return streamed
        self.wait()
        return None

    def _stop(self) -> None:
        import signal

        with contextlib.suppress(OSError):
            os.kill(self._pid, signal.SIGKILL)  # an entry half written is a temporary file, never read

    def wait(self) -> None:
        """Until the copy has ended (at most HEAD_START_WAIT seconds: then it is stopped)."""
        for descriptor in (self._records, self._shared):
            if descriptor >= 0:
                os.close(descriptor)
        self._records = self._shared = -1
        if self._done < 0:
            return
        import select

        ended, _, _ = select.select([self._done], [], [], HEAD_START_WAIT)
        if not ended:
            self._stop()
        os.close(self._done)
        self._done = -1
        with contextlib.suppress(OSError):
            os.waitpid(self._pid, 0)


def _parse_first_file(paths: list[str | os.PathLike], cache: ParseCache, records: int = -1, shared: int = -1) -> None:
    """In the head start's copy: the cache entry of the first file under the paths, or its stream
    (see HeadStart) to `records` and `shared` when it is bigger; nothing when it is in the cache
    already, too big for either, or not a file."""
    first = next(_regular_files(paths), None)
    if not isinstance(first, tuple):
        return
    path, info = first
    if cache.get(path, info) is not None:
        return
    if info.st_size <= HEAD_START_BYTES:
        parse_to_entries([(path, stamp_of(info))], str(cache.root))  # the first entry is written at once
    elif records >= 0 and info.st_size < CUT_MIN_BYTES:
        from .stream import send

        send(path, stamp_of(info), records, shared)
    elif records >= 0:  # cut for the parsing processes, when it can be: the first part is sent
        from ..parsers.batched import plan_parts
        from .stream import send

        parts = plan_parts(path, info.st_size, PART_BYTES)
        if parts is not None:
            send(path, stamp_of(info), records, shared, parts)


def _start_pool(workers: int) -> ProcessPoolExecutor | None:
    """Parsing processes, started fresh (spawn: forking a process with threads can deadlock)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        with _stderr_with_descriptor():
            return ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=silence_output
            )
    except (OSError, ValueError, ImportError, NotImplementedError):
        return None


@contextlib.contextmanager
def _stderr_with_descriptor() -> Iterator[None]:
    """The real stderr while processes start: multiprocessing hands its helper process the
    descriptor of `sys.stderr`, and in the app that is Textual's capture, which has none."""
    saved = sys.stderr
    if sys.__stderr__ is not None:
        sys.stderr = sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = saved


def silence_output(stdin: bool = False) -> None:
    """In a parsing process (or another copy of the reader's): nothing it might print reaches the
    terminal the app draws on (the app says what went wrong with a file; a process that dies is
    replaced by parsing here); with `stdin`, it does not hold the terminal open either."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for descriptor in (0, 1, 2) if stdin else (1, 2):
        os.dup2(devnull, descriptor)
    os.close(devnull)


def pause_gc() -> bool:
    """Turn cyclic garbage collection off for a load; returns whether it was on. A load makes
    millions of objects and no cycles, and every full collection would walk all papers so far:
    a third of a warm start's time."""
    was_on = gc.isenabled()
    gc.disable()
    return was_on


def resume_gc(was_on: bool) -> None:
    """Turn collection back on after a load, with what was loaded set aside as permanent
    (`gc.freeze`), so later collections do not walk 100k papers each time."""
    gc.freeze()
    if was_on:
        gc.enable()

