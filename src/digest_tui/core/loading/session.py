"""The load session: the one way digests get into a store, for the command line, the reader and the live-folder reload.

A `LoadSession` is made for the paths a user named. `load()` is a generator of progress events, in
batches by time as toolong's `scan_line_breaks(batch_time)`: `FilesFound` once the files are listed,
`FilesRead` now and then while they are read and merged, `LoadDone` at the end. `finish()` is a
second generator for what follows a load: the search-index columns, the load snapshot and the long
texts. The reader's workers iterate both and post what they yield as messages; `dump`, `export` and
the benchmark call `run()` (or `load()`), which iterates the same generators without pauses. The
live-folder reload is `read_changes()` (in the watcher's thread) then `apply()` (in the thread that
draws, so no frame shows a changed file's papers taken away and not yet back).

What a load does, in order (the same for every front end):

1. List the files under the paths (folders recursively, in name order) and read the load snapshot
   for these paths, when the store starts empty (`find_in_background()` starts this in a thread
   before the reader imports Textual), and say `FilesFound`. The text index on disk (when there
   is a cache) is opened in a thread of its own meanwhile, off the way to the first papers; the
   store has it by `LoadDone`. On such a start with a parse cache, that thread finds the first
   file before the others: when its cache entry is there (a warm start has it; on a first start
   the reader's head start, loader.HeadStart, writes it), its papers go in and are reported
   (`FilesRead`) before `FilesFound`, and the others are listed, and the snapshot read, after
   `pause` (the reader's first paint: at a million papers that is ~0.7 s of Python, which would
   take turns with the start's). A snapshot goes in over those papers (it begins with them:
   snapshot.restore). A first file that changed meanwhile is taken out again and read in its turn.
2. Put the snapshot's papers in, a chunk at a time, when its files are the first files found now,
   unchanged; then read the remaining files in order (from the parse cache when unchanged, else
   parsed, by a pool of processes when there are many bytes to parse). The first papers are
   reported at once, then a batch every `batch_seconds` (five times that after the first second).
   `pause`, when given, is called where the reader lets its first paint happen: after the first
   chunk of a snapshot of several, and before parsing processes start (they take every CPU).
   A snapshot chunk found bad as it goes in (crafted: its checksum held) turns the papers already
   in into empty records that the files, all read now, fill again (`Store.forget_rows`).
3. Sort the store by `sort` (so the first view shown after the load does not wait for it), and
   say `LoadDone`.

Problems come in path order, each in the batch of the file it belongs to: a file's (why it could
not be read, or its warnings) with that file, a path that could not be walked (missing, not
a regular file, a folder that cannot be listed) where the walk met it, among the files; a
snapshot's files' problems come back with them. So the command line prints exactly the list
the reader shows, in the order the user named the paths.

`finish()` then makes the search-index columns that need no long texts (fielded and title filters
work from then on), writes the cache entries of the files parsed in the loading thread (a big
listing's entry is not written on the way to its last papers on screen), writes the load snapshot
when the load was not all from one (after those columns: a filter typed right after the load
should not wait for the write; a reader quit before then has a forked copy write it as it ends,
`snapshot_apart()`), brings in the texts
a warm start left in the parse cache, and indexes them. Cyclic garbage collection is paused from
the start of `load()` to the end of `finish()` (or `close()`). A cold load's parsing processes
write most cache entries after the parsing (at the lowest priority: the load does not wait for
them); `finish()` waits for them before it brings texts in from the entries.
"""

from __future__ import annotations

import functools
import gc
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import Problem
from ..index import COLUMNS, TEXT_COLUMNS
from ..store import Store
from ..textindex import TextIndex, TextIndexError, WritesStopped, available
from .cache import ParseCache, stamp_of
from .loader import HEAD_START_BYTES, HeadStart, Parsed, Reading, first_file, list_files, pause_gc, read_file, read_in_order, resume_gc, silence_output, texts_from_cache
from .snapshot import FileRecord, Snapshot, SnapshotDamaged, read_snapshot, restore, text_index_path, write_snapshot
from .watch import FolderWatcher, affected_files, files_to_read, sharing_files

BATCH_SECONDS = 0.1
"""How often a load reports progress in its first second (then five times as seldom)."""
LIST_REST_WAIT = 1.0
"""Seconds the listing waits, at most, once the first file is found early (see find_in_background)."""
BIG_FILE_BYTES = 2**20
"""A file read in batches this big is reported as each batch comes (more will)."""
TEXT_FILES_PER_STEP = 16
"""Files whose texts `finish()` brings in per step (a step is one chance for a worker to stop)."""

ON_DISK_TOO = ("titles", "authors")
"""Search-index columns a whole text index holds too: `title:`, `author:` and free words are
looked up there, so on a warm start these are made in memory after the filter is ready."""


@dataclass(frozen=True, slots=True)
class FilesFound:
    """The files of a load are listed: how many will be read."""

    files: int


@dataclass(frozen=True, slots=True)
class FilesRead:
    """More files are read and their papers are in the store: how many so far, and the problems met since the last event."""

    files: int
    problems: list[Problem]


@dataclass(frozen=True, slots=True)
class LoadDone:
    """Every file is read and the store is sorted: the file count, and the problems met since the last event."""

    files: int
    problems: list[Problem]


LoadEvent = FilesFound | FilesRead | LoadDone


class Listing(NamedTuple):
    """The files under a load's paths, the paths that could not be walked (each after the number of
    files found before it), and the load snapshot that gives the first of the files (None when
    there is none to use)."""

    files: list[tuple[str, os.stat_result]]
    problems: list[tuple[int, Problem]]
    snapshot: Snapshot | None


@dataclass(slots=True)
class Changes:
    """What changed in a watched folder, read but not yet in the store."""

    stale: set[str]
    """Loaded files whose papers leave the store first (changed or removed)."""
    items: list[Parsed | Problem]
    """The files read now: new and changed ones, and those sharing papers with them."""
    added: list[str]
    """Files that are new."""
    removed: list[str]
    """Loaded files that are gone."""


@dataclass(slots=True)
class Applied:
    """What applying a folder's changes did to the store."""

    new: int
    """Papers that were not in the store before."""
    gone: int
    """Papers no file lists any more."""
    problems: list[Problem] = field(default_factory=list)
    """Every problem of the files read, in file order: why a file could not be read, or its warnings."""
    unreadable: list[Problem] = field(default_factory=list)
    """The files among them that could not be read at all."""


@dataclass(slots=True)
class LoadReport:
    """What a load did: files read, papers seen, and the problems met on the way."""

    files: int = 0
    papers: int = 0
    problems: list[Problem] = field(default_factory=list)


def default_cache() -> ParseCache:
    """The parse cache in the user cache dir (`$XDG_CACHE_HOME/digest-tui` on Linux)."""
    from ..paths import cache_dir

    return ParseCache(cache_dir())


def record_of(item: Parsed | Problem, info: os.stat_result) -> FileRecord:
    """What a load snapshot remembers of one file read."""
    if isinstance(item, Problem):
        return FileRecord(item.path, stamp_of(info), None, None, [item.reason], 0)
    papers = item.result.papers
    source_format = papers[0].sources[0].format if papers and papers[0].sources else item.result.format
    return FileRecord(item.path, stamp_of(info), item.result.format, source_format, list(item.result.warnings), len(papers))


def problems_of(record: FileRecord) -> list[Problem]:
    """What a file said was wrong: why it could not be read, or its warnings."""
    return [Problem(record.path, warning) for warning in record.warnings]


class LoadSession:
    """One load of `paths` into `store` (a new one unless given), through `cache` (None: no parse
    cache and no load snapshot); see the module's docstring for what happens in which order."""

    def __init__(self, paths: Iterable[str | os.PathLike], store: Store | None = None, cache: ParseCache | None = None) -> None:
        self.paths = [os.fspath(path) for path in paths]
        self.store = store if store is not None else Store()
        self.cache = cache
        self.report = LoadReport()
        """What the load did so far: files read, papers seen, every problem in order."""
        self._listing: Future | None = None
        self._first: Future | None = None  # the first file under the paths, found before the others (see _read_first)
        self._list_rest: threading.Event | None = None  # set once the others may be listed
        self._head_start: HeadStart | None = None
        self._texts_opened: Future | None = None  # the text index being opened (see _open_texts)
        self._records: list[FileRecord] = []
        self._snapshot_due = False
        self._stopped = False  # stop() was called: the finishing steps end at once
        self._seal: tuple[tuple[int, int], int] | None = None  # (snapshot identity, store version) the text index may be sealed for
        self._gc_was_on: bool | None = None
        self._writing: list = []  # parsing processes still writing cache entries (see read_in_order)
        self._unwritten: list[Reading] = []  # files parsed here whose cache entries finish() writes

    # -- listing -------------------------------------------------------------------------------

    def find_in_background(self) -> LoadSession:
        """Start listing the files and reading the snapshot now, in a thread; load() takes its
        answer. The reader calls this before it imports Textual: listing 3,600 files and reading a
        40 MB snapshot mostly wait on the system, which the import's ~0.2 s of Python does not;
        and a forked copy parses the first file on the other CPU meanwhile (loader.HeadStart)."""
        future: Future = Future()
        opened: Future = Future()
        first: Future = Future()
        go = self._list_rest = threading.Event()
        if not self.store.papers:  # the first file's parse, meanwhile, by a copy of this process
            self._head_start = HeadStart.start(self.paths, self.cache)

        def run() -> None:
            try:
                found = self._first_to_read()
                first.set_result(found)
                if found is not None:  # listing the rest (Python's work, taking turns with the start's) can wait
                    go.wait(LIST_REST_WAIT)
                listing = self._find(early=found is not None)
            except BaseException as error:
                if not first.done():
                    first.set_result(None)
                future.set_exception(error)
                opened.set_result(None)
                return
            future.set_result(listing)
            self._open_texts(listing.snapshot, opened)  # here, while the load puts the first papers in

        self._listing, self._texts_opened, self._first = future, opened, first
        threading.Thread(target=run, name="digest-tui find", daemon=True).start()
        return self

    def _first_to_read(self) -> tuple[str, os.stat_result] | None:
        """The first file under the paths, when its papers could go in before the rest is listed:
        a start with a parse cache and an empty store, and a file no bigger than the head start
        parses (a big listing e-mail is read in batches, or a snapshot's first chunk goes in first)."""
        if self.cache is None or self.store.papers:
            return None
        found = first_file(self.paths)
        return found if found is not None and found[1].st_size <= HEAD_START_BYTES else None

    def _read_first(self) -> tuple[Parsed, os.stat_result] | None:
        """The first file's papers from the parse cache (where the head start put them), while the
        rest is still to be listed; None when the listing is done (or was not started early), or
        the file is not in the cache (it is read in its turn)."""
        first, self._first = self._first, None
        if first is None or self._listing is None or self._listing.done() or first.result() is None:
            return None
        path, info = first.result()
        if self._head_start is not None:
            if self._head_start.streams(info):
                return None  # its papers come a batch at a time as the copy parses them: read in its turn
            self._head_start.wait()
        item = read_file(path, info, self.cache, batched=True)  # not in the cache: a Reading, left unread
        return (item, info) if isinstance(item, Parsed) else None

    def _find(self, early: bool = False) -> Listing:
        """The files, and the snapshot when the store is empty (or holds the first file's papers
        alone, read `early`: a snapshot starts with them)."""
        files, problems = list_files(self.paths)
        usable = self.cache is not None and (early or not self.store.papers)
        return Listing(files, problems, read_snapshot(self.cache, self.paths, files) if usable else None)

    def _listed(self, early: int) -> Listing:
        listing = self._listing.result() if self._listing is not None else self._find()
        self._listing = None
        if listing.snapshot is not None and len(self.store.papers) > early:  # a reading list went in meanwhile
            listing = listing._replace(snapshot=None)
        return listing

    # -- the load ------------------------------------------------------------------------------

    def load(
        self, batch_seconds: float = BATCH_SECONDS, pause: Callable[[], object] | None = None, sort: str | None = "date"
    ) -> Iterator[LoadEvent]:
        """Read everything into the store, yielding FilesFound, FilesRead batches, then LoadDone."""
        if self._gc_was_on is None:
            self._gc_was_on = pause_gc()
        completed = False
        try:
            yield from self._load(batch_seconds, pause, sort)
            completed = True
        finally:
            if not completed:  # stopped half-way: finish() will not run
                self.close()

    def _load(self, batch_seconds: float, pause: Callable[[], object] | None, sort: str | None) -> Iterator[LoadEvent]:
        store, cache, report = self.store, self.cache, self.report
        # papers from elsewhere (a reading list): this load's text index is not theirs to change
        own_texts = not store.papers and store.texts is None
        early = self._read_first()
        if early is not None:  # the first papers on screen before the rest is even listed
            early[0].add_to(store)
            yield FilesRead(1, [])
            if pause is not None:
                pause()
        if self._list_rest is not None:
            self._list_rest.set()
        files, walk_problems, snapshot = self._listed(len(store.papers) if early is not None else 0)
        if self._texts_opened is None:
            self._texts_opened = Future()
            threading.Thread(target=self._open_texts, args=(snapshot, self._texts_opened), name="digest-tui texts",
                             daemon=True).start()
        take_texts = functools.partial(self._take_texts, own_texts)
        if early is not None:
            path, info = early[0].path, early[1]
            if not files or files[0][0] != path or stamp_of(files[0][1]) != stamp_of(info):
                # the first file changed, or another came before it, while the rest was listed
                store.remove_files([path])
                early = snapshot = None
        yield FilesFound(len(files))
        unwalked = iter(walk_problems)
        next_unwalked = next(unwalked, None)
        met: list[Problem] = []

        def count(record: FileRecord | None, at: int) -> None:
            """Add file number `at` to the report, after the paths not walked before it; its problems to `met`."""
            nonlocal next_unwalked
            while next_unwalked is not None and next_unwalked[0] <= at:
                met.append(next_unwalked[1])
                report.problems.append(next_unwalked[1])
                next_unwalked = next(unwalked, None)
            if record is None:
                return
            problems = problems_of(record)
            met.extend(problems)
            report.problems.extend(problems)
            if record.format is not None:
                report.files += 1
                report.papers += record.count

        started = last = time.monotonic()
        last -= batch_seconds  # the first papers go out at once: on screen as early as possible
        shown = False  # whether any papers were reported yet
        records = self._records = [] if snapshot is None else list(snapshot.files)
        if early is not None and snapshot is None:  # (a snapshot's papers go in over the early ones)
            records.append(record_of(*early))
        if snapshot is not None:
            chunks = len(snapshot.chunks)
            readers = {
                record.path: functools.partial(texts_from_cache, record.path, info, record.count, cache)
                for record, (_path, info) in zip(snapshot.files, files)
                if record.format is not None
            }
            try:
                for chunk, _papers in enumerate(restore(snapshot, store, readers), 1):
                    # a snapshot of a chunk or two is in before a paint would be: no in-between report
                    if chunks > 2 and time.monotonic() - last >= batch_seconds:
                        take_texts(wait=False)
                        yield FilesRead(len(records) * chunk // chunks, met)
                        met, last, shown = [], time.monotonic(), True
                        if chunk == 1 and pause is not None:  # unmarshalling holds the GIL a chunk at a time
                            pause()
            except SnapshotDamaged:  # a crafted chunk: every file is read, into the rows already shown
                store.forget_rows(snapshot.lookups[0], snapshot.lookups[1])
                records = self._records = []
            for at, record in enumerate(records):
                count(record, at)
        elif early is not None:
            count(records[0], 0)
        restored = len(records)
        rest = files[restored:]
        parsed = read_in_order(rest, cache, pause, self._writing.append, self._head_start)
        try:
            for read, (item, (_path, info)) in enumerate(zip(parsed, rest), restored + 1):
                if isinstance(item, Reading):  # a file parsed here a batch at a time: in the store as they come
                    due = False
                    for batch, again, titles in item:
                        # reported once the next batch is read (a small file, of one batch, is reported
                        # once, after it), or at once for a big file (a listing e-mail of many papers)
                        if due:
                            first = not shown
                            yield FilesRead(read - 1, met)
                            met, last, shown = [], time.monotonic(), True
                            if first and pause is not None:  # parsing holds the GIL a batch at a time
                                pause()
                        store.add(batch, titles)
                        if again:
                            store.add(again, lands=False)  # counted among the file's papers once
                        interval = batch_seconds if last - started < 1 else 5 * batch_seconds
                        due = time.monotonic() - last >= interval
                        if due and info.st_size >= BIG_FILE_BYTES:
                            first = not shown
                            yield FilesRead(read - 1, met)
                            met, last, shown, due = [], time.monotonic(), True, False
                            # (no pause when nothing is left to read: the list, whole, comes next)
                            if first and pause is not None and not (item.whole and read == len(files)):
                                pause()
                    if cache is not None and isinstance(item.outcome, Parsed):
                        self._unwritten.append(item)
                    item = item.outcome
                elif isinstance(item, Parsed):
                    item.add_to(store)
                record = record_of(item, info)
                records.append(record)
                count(record, read - 1)
                interval = batch_seconds if last - started < 1 else 5 * batch_seconds
                if time.monotonic() - last >= interval:
                    take_texts(wait=False)
                    yield FilesRead(read, met)
                    met, last, shown = [], time.monotonic(), True
        finally:
            parsed.close()  # every file is read (or the load stopped): the parsing processes, if any, shut down now
        self._end_head_start()
        count(None, len(files))  # the paths not walked after the last file
        self._snapshot_due = cache is not None and (restored < len(files) or (early is not None and snapshot is None))
        if snapshot is not None and not self._snapshot_due:
            self._seal = (snapshot.identity, store.version)
        if sort is not None:
            store.ordered(sort)  # sorted here and now, so the first view after the load finds it done
        take_texts(wait=True)
        yield LoadDone(len(files), met)

    def _open_texts(self, snapshot: Snapshot | None, opened: Future) -> None:
        """Open the text index on disk (textindex.py) for the store, into `opened` (None: none):
        trusted for the snapshot's rows when it was sealed for this snapshot, else made again from
        the store. It runs in a thread of its own, off the way to the first paint (creating the
        file, or clearing a big unsealed one, takes a few tenths of a second); _take_texts() gives
        it to the store."""
        texts = None
        try:
            if self.cache is not None and available():
                texts = TextIndex(text_index_path(self.cache, self.paths), None if snapshot is None else snapshot.identity)
        except (OSError, TextIndexError, sqlite3.Error):
            pass  # no index (a read-only cache, another reader using it): the texts are searched in memory
        finally:
            opened.set_result(texts)

    def _take_texts(self, own: bool, wait: bool) -> None:
        """Give the store the text index once it is open (`wait`: wait for it), when the load
        is `own`: it began with an empty store (not papers from a reading list)."""
        opened = self._texts_opened
        if opened is None or not (wait or opened.done()):
            return
        self._texts_opened = None
        texts = opened.result()
        if texts is None:
            return
        if own and self.store.texts is None:
            self.store.attach_texts(texts)
        else:
            texts.close()

    # -- after the load ------------------------------------------------------------------------

    def finish(self, index: bool = True, texts: bool = True) -> Iterator[str]:
        """The steps after a load, yielding the name of each one done: the search-index columns
        that need no long texts (when `index`), "entries" (the cache entries of the files parsed
        in this process), "snapshot", "cache" (the parsing processes' entries are written), then
        "texts" after every few files' texts, the text columns, and "ready" (when `index`: from
        then on a filter of any kind is answered without a column to make first). With a text
        index on disk, the texts are written there instead (when `index`) and stay out of the
        papers; where it is whole already (a warm start), the titles and authors in memory, which
        only a one-character word still reads, come after "ready". Without `index`, the texts
        come in (for the command line, which writes them all; without `texts` they stay pending,
        for Store.fill_texts_of()), and the index is left alone unless it is whole already.
        After stop(), the step running ends at once (but the wait for the parsing processes'
        cache entries: they are kept), and no other starts. Garbage collection resumes at the end."""
        store, stopped = self.store, self.stopped
        try:
            store.fill_keys(stopped)  # a snapshot's keys, left out of its load (Store.extend)
            later = list(ON_DISK_TOO) if store.texts is not None and store.texts_synced else []
            if index:
                for name in [name for name in COLUMNS if name not in TEXT_COLUMNS and name not in later]:
                    store.index([name], stopped)
                    yield name
            if self._unwritten:
                self._write_entries()
                yield "entries"
            if self._snapshot_due and not stopped():
                self._write_snapshot()
                yield "snapshot"
            if self._writing:
                self._wait_for_entries()
                yield "cache"
            if store.texts is not None and not index and not store.texts_synced:
                store.attach_texts(None)  # writing it would take longer than the command: search in memory
            if store.texts is not None and index and not stopped():
                yield from self._sync_texts()
            if (store.texts is None or not index) and texts:
                while store.texts_pending:
                    store.fill_texts(files=TEXT_FILES_PER_STEP)
                    yield "texts"
            if index and not stopped():
                for name in [*sorted(TEXT_COLUMNS), *later] if store.texts is None else ():
                    store.index([name], stopped)
                    yield name
                yield "ready"
                for name in later if store.texts is not None else ():
                    store.index([name], stopped)
                    yield name
        finally:
            self.close()

    def _write_snapshot(self) -> None:
        """Keep the store as this load's snapshot (once, unless stop() came first), and what the
        text index is sealed for."""
        version = self.store.version
        identity = write_snapshot(self.cache, self.paths, self._records, self.store, self.stopped)
        if identity is None and self._stopped:
            return  # stopped before it was written: still due, for snapshot_apart()
        self._snapshot_due = False
        if identity is not None:
            self._seal = (identity, version)

    def snapshot_apart(self) -> int:
        """For a reader that ends before finish() wrote the load snapshot (its user quit first: at
        a million papers that is ~14 s after the list is up): write it in a forked copy of this
        process that goes on after it ends, in a session of its own with its output silenced, so
        that the next start of the same paths is a warm one (~3.7 s at a million papers against
        ~13 s from the files' cache entries). The copy's pid, or 0 when no snapshot is due or no
        copy can be made: not on Linux, or with another thread running (forking a process with
        threads can deadlock; the reader's workers have ended when it returns)."""
        if not self._snapshot_due or not sys.platform.startswith("linux") or threading.active_count() > 1:
            return 0
        try:
            pid = os.fork()
        except OSError:
            return 0
        if pid:
            self._snapshot_due = False
            return pid
        try:  # the copy: whatever happens, it ends here, without Python's clean-up (the parent's)
            os.setsid()  # not in the terminal's process group: the shell's ^C and hang-up are not for it
            silence_output(stdin=True)
            gc.disable()  # encoding makes no cycles, and a collection would touch (copy) the parent's pages
            self._stopped = False  # (the reader stopped its own write: this is the copy's)
            self._write_snapshot()
        finally:
            os._exit(0)

    def _sync_texts(self) -> Iterator[str]:
        """Write the rows' texts to the text index, then seal it for the snapshot the store now is
        (if it still is); on a failure of the file, the texts are searched in memory."""
        store = self.store
        try:
            while store.sync_texts():
                if self._seal is not None:  # what is written stays written if the reader stops now
                    store.seal_texts(*self._seal)
                yield "texts"
            if self._seal is not None:
                store.seal_texts(*self._seal)
        except WritesStopped:
            return
        except TextIndexError:
            store.attach_texts(None)
        yield "texts"

    def run(self, sort: str | None = "date", texts: bool = True) -> LoadReport:
        """The whole session at once (no batches, no pauses, no search index): for the command
        line; without `texts`, the long texts are left pending (finish())."""
        for _event in self.load(batch_seconds=float("inf"), sort=sort):
            pass
        for _step in self.finish(index=False, texts=texts):
            pass
        return self.report

    def _write_entries(self) -> None:
        """The cache entries of the files parsed here (kept off the load's way: see Reading), in
        the order they were read (a list taken whole: pop(0) of each of the 36,668 files a
        1M-paper archive parses here on one CPU would move the rest every time)."""
        unwritten, self._unwritten = self._unwritten, []
        for reading in unwritten:
            reading.write_entry()

    def _end_head_start(self) -> None:
        if self._head_start is not None:
            self._head_start.wait()
            self._head_start = None

    def _wait_for_entries(self) -> None:
        """Until the parsing processes have written their cache entries (and ended)."""
        while self._writing:
            self._writing.pop().shutdown(wait=True)

    def stop(self) -> None:
        """End the finishing steps soon (from another thread: the reader quits): finish() ends the
        step running (between two of the snapshot's chunks or a few thousand rows of a search
        column; a write of the text index is rolled back in the statement it is in: at a million
        papers one takes seconds; the parsing processes still writing cache entries are waited
        for, up to 256 MB each: those entries make the next start a warm one) and starts no other. A snapshot left unwritten stays due
        (snapshot_apart()); the texts not written are the next start's to write."""
        self._stopped = True
        texts = self.store.texts
        if texts is not None:
            texts.stop_writes()

    def stopped(self) -> bool:
        """Whether stop() was called."""
        return self._stopped

    def close(self) -> None:
        """Write the cache entries of the files parsed here and wait for the parsing processes to
        have written theirs; resume garbage collection if this session paused it (a load stopped
        before finish())."""
        self._end_head_start()
        self._write_entries()
        self._wait_for_entries()
        self._take_texts(False, wait=True)  # a load stopped before the text index was the store's: closed
        if self._gc_was_on is not None:
            resume_gc(self._gc_was_on)
            self._gc_was_on = None

    # -- live folders --------------------------------------------------------------------------

    def watch(self, folders: Iterable[str], on_change: Callable[[set[str]], None], **options) -> FolderWatcher:
        """Start watching folders; `on_change(paths)` is called in the watcher's thread (see FolderWatcher)."""
        return FolderWatcher(folders, on_change, **options).start()

    def read_changes(self, changed: set[str]) -> Changes | None:
        """Read what changed under these paths (and the files that share papers with it, which
        Store.remove_files takes away too), without touching the store; None when nothing loaded
        or readable changed. Safe in a thread other than the one that calls apply()."""
        store, cache = self.store, self.cache
        files = set(store.files())  # one C-level copy: safe while another thread reads on
        stale = affected_files(changed, files)
        fresh = files_to_read(changed)
        fresh_paths = {path for path, _ in fresh}
        others = sharing_files(store.papers[:], stale) - fresh_paths
        items = [read_file(path, info, cache) for path, info in fresh]
        for path in sorted(others):
            try:
                items.append(read_file(path, os.stat(path), cache))
            except OSError:
                continue  # gone as well: its own change follows
        if not stale and not items:
            return None
        return Changes(stale, items, sorted(fresh_paths - files), sorted(stale - fresh_paths))

    def apply(self, changes: Changes) -> Applied:
        """Take the changed files' papers away and add what they say now (and their texts)."""
        store = self.store
        before = len(store)
        read = [item for item in changes.items if isinstance(item, Parsed)]
        known = {paper.key for item in read for paper in item.result.papers if store.row(paper.key) is not None}
        to_reload = store.remove_files(changes.stale) if changes.stale else set()
        missing = to_reload - {item.path for item in changes.items}
        items = list(changes.items)
        for path in sorted(missing):  # files read_changes() could not know to read (a load raced it): rare and few
            try:
                extra = read_file(path, os.stat(path), self.cache)
            except OSError:
                continue
            if isinstance(extra, Parsed):
                items.append(extra)
                read.append(extra)
        new: set[str] = set()
        applied = Applied(0, 0)
        for item in items:
            if isinstance(item, Problem):
                applied.problems.append(item)
                applied.unreadable.append(item)
                continue
            new.update(paper.key for paper in item.result.papers if paper.key not in known)
            item.add_to(store)
            applied.problems.extend(Problem(item.path, warning) for warning in item.result.warnings)
        store.fill_texts(files=len(read))
        applied.new = len(new)
        applied.gone = max(before + len(new) - len(store), 0)
        self.report.problems.extend(applied.problems)
        return applied


def load(
    paths: Iterable[str | os.PathLike], store: Store | None = None, cache: ParseCache | None = None, texts: bool = True
) -> tuple[Store, LoadReport]:
    """A whole LoadSession at once: everything under the paths in a store (a new one unless given),
    every text read in (without `texts`: left pending, see Store.fill_texts_of); the load
    snapshot written when the load was not all from one."""
    session = LoadSession(paths, store, cache)
    return session.store, session.run(texts=texts)
