"""The in-memory paper store: merges records of one paper, keeps the search index, answers ordered queries."""

from __future__ import annotations

import operator
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from .index import COLUMNS, TEXT_COLUMNS
from .model import SORTS, Paper, folded_title, merge, with_texts, without_texts
from .textindex import COLUMNS as INDEXED_TEXTS, TextIndexError

if TYPE_CHECKING:
    from .model import Mark
    from .query import Query
    from .textindex import TextIndex

TextReader = Callable[[], "list[tuple[str | None, ...]]"]


class PendingTexts(NamedTuple):
    """A file's long texts not yet in its papers: the rows its papers landed on, in file order,
    and how to read the texts (one tuple of TEXT_FIELDS values per paper, same order)."""

    rows: list[int]
    read: TextReader


INDEX_CHUNK = 4096
"""Rows of a search-index column made per hold of the store's lock."""
TEXT_INDEX_CHUNK = 1024
"""Rows whose texts sync_texts() reads per hold of the store's lock."""
KEY_CHUNK = 16384
"""Rows whose keys fill_keys() puts in per hold of the store's lock (a few milliseconds)."""
TEXT_INDEX_BATCH = 8192
"""Rows sync_texts() writes to the text index in one transaction (30% less CPU than 1,024)."""
IN_MEMORY_TEXTS = 200_000
"""Rows up to which a text filter typed while the text index is still being written searches
every text in memory (read in for it: ~5 KB a paper more); above, it searches the rows the index
holds so far (texts_searched() says how many), rather than a million papers' texts coming in."""
LOOKUP_PIECE = 32768
"""Entries of a lookup (other keys, titles, files, the date order) handed to one C call at most
(restore() here, a snapshot's pieces: snapshot.py): a call holds the GIL, and the reader's keys
wait for it (at a million entries one marshal.loads took 0.2 s, one dict.update 0.33 s)."""


def yield_gil() -> None:
    """Let a thread that waits for the GIL or the store's lock (the reader's UI thread) have them
    now, when another thread runs: time.sleep(0), which takes ~90 µs on some machines (a VM's
    timer), 0.3 s of a headless 100k load bringing its texts in file by file, with no one to wait."""
    if threading.active_count() > 1:
        time.sleep(0)


class StoreState(NamedTuple):
    """A store's contents as plain values (what a snapshot keeps): each row's paper values without
    long texts, its title sort key, the keys other than a row's own paper key that lead to it,
    the folded titles that lead to rows, each file's rows in file order, and the date order."""

    papers: list[tuple]
    title_keys: list[str]
    other_keys: list[tuple[str, int]]
    titles: list[tuple[str, int]]
    landed: dict[str, list[int]]
    date_order: list[int] | None


class Store:
    """Papers by row number; a row keeps its number for the life of the store, so views can hold rows."""

    def __init__(self) -> None:
        self.papers: list[Paper] = []
        self._index: dict[str, list] = {}  # search columns (index.COLUMNS) by name, built when first asked for
        self._stale: set[int] = set()  # rows changed since their index entries were made
        self._stale_texts: set[int] = set()  # rows whose texts came in since their text columns were made
        self._title_keys: list[str] = []  # each row's title_sort_key(), kept up to date by add()
        self._row_of_key: dict[str, int] = {}  # complete only through _keys(): see extend()
        self._unkeyed = range(0)  # rows extend() put in whose own keys _keys() has still to add
        self._row_of_title: dict[str, int] = {}
        self._orders: dict[str, tuple[int, list[int]]] = {}
        self._expected: tuple[str, list[int]] | None = None  # see expect()
        self._landed: dict[str, list[int]] = {}  # by file: the rows its papers landed on, in file order
        self._gone: set[int] = set()  # rows whose every source file was taken away
        self._pending: OrderedDict[str, PendingTexts] = OrderedDict()  # by file, oldest first: see fill_texts()
        self._last_read: tuple[str, list] | None = None  # the pending file read last (show, search)
        self._lock = threading.RLock()  # changes come from the UI thread and from fill/search workers
        self.texts: TextIndex | None = None
        """The long-text columns on disk (attach_texts()); None: they are made in memory, by index()."""
        self._texts_synced = 0  # rows below this are in the text index, unless in _texts_dirty
        self._texts_dirty: set[int] = set()  # rows whose texts may have changed since they were indexed
        self._texts_syncing = threading.Lock()
        self.version = 0
        """Bumped by every change; an order computed at an older version is never served."""

    def __len__(self) -> int:
        return len(self.papers) - len(self._gone)

    def row(self, key: str) -> int | None:
        """The row holding the paper with this key (arXiv id or normalised-title key)."""
        if self._unkeyed:
            with self._lock:
                self._keys()
        row = self._row_of_key.get(key)
        return None if row in self._gone else row

    def files(self) -> list[str]:
        """Every file papers were read from."""
        return list(self._landed)

    def file_formats(self) -> dict[str, str]:
        """Every file papers were read from, in the order they were read, and the format they were
        read as (from the first of its papers: one look a file, not a pass over every paper)."""
        with self._lock:
            landed = [(file, rows[0]) for file, rows in self._landed.items() if rows]
            papers = self.papers
        return {file: source.format for file, row in landed for source in papers[row].sources if source.file == file}

    def remove_files(self, files: Iterable[str]) -> set[str]:
        """Take away what these files said. Their papers leave the store; a paper that other files
        also list leaves too, and the returned files (those others) must be added again to bring
        it back with only what they say. Rows keep their numbers."""
        with self._lock:
            return self._remove_files(set(files))

    def _remove_files(self, removed: set[str]) -> set[str]:
        self._expected = None
        to_reload: set[str] = set()
        self._last_read = None
        for file in removed:
            self._pending.pop(file, None)
            for row in set(self._landed.pop(file, ())):
                if row in self._gone:
                    continue
                paper = self.papers[row]
                self._gone.add(row)
                self._stale.add(row)
                self._texts_dirty.add(row)
                to_reload.update(s.file for s in paper.sources if s.file not in removed)
                # an empty record under the same key: a later add() of the other files refills it
                self.papers[row] = Paper(key=paper.key, id=paper.id)
                self._title_keys[row] = title_sort_key(self.papers[row])
        self.version += 1
        return to_reload

    def add(
        self,
        papers: Iterable[Paper],
        titles: Iterable[str | None] | None = None,
        texts: tuple[str, TextReader] | None = None,
        lands: bool = True,
    ) -> list[int]:
        """Add or merge papers; returns the rows that are new or changed. `titles` may give each
        paper's folded_title() when it is already known (the parse cache keeps it). `texts` =
        (file, reader) says the papers come without their long texts, all from that one file,
        and how to read them later; until fill_texts() or paper() brings them in, `papers[row]`
        lacks them, and `paper(row)` and the search docs read them on demand. `lands` False: the
        papers are ones their file gave before (a listing read in batches lists a paper again),
        merged in but not counted again among the file's."""
        with self._lock:
            return self._add(papers, titles, texts, lands)

    def _add(self, papers, titles, texts, lands=True) -> list[int]:
        self._expected = None  # rows may change: an order expected for them no longer holds
        touched: list[int] = []
        landed: list[int] = []
        title_keys = self._title_keys
        pending = self._pending
        rows, by_key, by_title = self.papers, self._keys(), self._row_of_title
        by_file, gone = self._landed, self._gone
        titles = iter(titles) if titles is not None else None
        for paper in papers:
            key = paper.key
            row = by_key.get(key)
            folded = next(titles) if titles is not None else None
            if row is None:
                if titles is None:
                    folded = folded_title(paper)
                if folded is not None:
                    other = by_title.get(folded)
                    # one side without an id: the same title is the same paper; two ids are two papers
                    if other is not None and (paper.id is None or rows[other].id is None):
                        row = other
            if row is None:
                row = len(rows)
                # papers last: a worker reading the store never sees a row without its sort key
                title_keys.append(title_sort_key(paper))
                rows.append(paper)
                by_key[key] = row
                if folded is not None:
                    by_title.setdefault(folded, row)
                changed = True
            else:
                # a paper with its texts meets one whose earlier files' texts are still pending:
                # bring those in first, so the first file's text wins as it would have
                old = rows[row] if texts is not None or not pending else self._paper(row)
                gone.discard(row)  # a placeholder left by remove_files() comes back
                self._texts_dirty.add(row)  # its texts may come from this file too now
                merged = merge(old, paper)
                if old.id is None and paper.id is not None:
                    merged = merged._replace(key=key, id=paper.id)
                    by_key[key] = row
                changed = merged is not old
                if changed:
                    rows[row] = merged
                    title_keys[row] = title_sort_key(merged)
                    self._stale.add(row)
            for source in paper.sources:
                if lands:
                    by_file.setdefault(source.file, []).append(row)
            if changed:
                touched.append(row)
            landed.append(row)
        if texts is not None:
            file, read = texts
            pending.pop(file, None)  # a file read again goes last, as its papers did
            pending[file] = PendingTexts(landed, read)
            self._last_read = None
        if touched:
            self.version += 1
        return touched

    def state(self) -> StoreState | None:
        """What the store holds, without long texts, for a snapshot (snapshot.py); None once
        papers were taken away (rows of removed files are not worth keeping)."""
        with self._lock:  # copies in C, held ~10 ms at 100k papers: the UI thread asks for it (row(), paper())
            if self._gone:
                return None
            by_key = dict(self._keys())
            papers = self.papers[:]
            cached = self._orders.get("date")
            title_keys, titles, landed = self._title_keys[: len(papers)], list(self._row_of_title.items()), dict(self._landed)
            date_order = cached[1] if cached is not None and cached[0] == self.version else None
        # made of the copies, without the lock: ~150 ms at 100k papers (~1.5 s at 1M) that a
        # filter's answer (row()) or the paper shown (paper()) would otherwise wait for
        return StoreState(
            [without_texts(paper) for paper in papers],
            title_keys,
            [(key, row) for key, row in by_key.items() if papers[row].key != key],
            titles,
            landed,
            date_order,
        )

    def expect(self, sort: str, order: list[int]) -> None:
        """Rows are about to come in by extend(), from row 0, and will be in this order once all
        are in (a snapshot's date order): until then ordered(sort) is this order without the rows
        not in yet, a pass over a list rather than a sort of the rows so far (at a million papers,
        each re-sort of a growing list while a warm start shows it took the best part of a second).
        Those rows' sort keys never change meanwhile, so it is the order a sort would give.
        Dropped by any other change (add(), remove_files(), restore())."""
        with self._lock:
            if not self.papers:
                self._expected = (sort, order)

    def start_over(self, papers: list[Paper], title_keys: list[str], expected: tuple[str, list[int]] | None) -> None:
        """Drop every row and put these in, as extend() into an empty store would, with `expected`
        as expect() would have it, in one hold of the lock: a warm start's first snapshot chunk in
        place of the first file's papers read early (LoadSession._read_first), whose rows the chunk
        begins with, so a view of them stays valid. `papers` is a new list: a reader holding the
        old one keeps reading the rows it had."""
        with self._lock:
            self._index = {}
            self._stale, self._stale_texts, self._gone = set(), set(), set()
            self._row_of_key, self._row_of_title = {}, {}
            self._orders, self._landed, self._pending, self._last_read = {}, {}, OrderedDict(), None
            self._texts_synced, self._texts_dirty = 0, set()
            self._expected = expected
            self._title_keys, self.papers = list(title_keys), list(papers)
            self._unkeyed = range(len(self.papers))
            self.version += 1

    def extend(self, papers: list[Paper], title_keys: list[str]) -> None:
        """Append papers known to be distinct from every paper here and from each other (a
        snapshot's rows); `title_keys` are their title_sort_key()s. Call restore() once all are in.
        Their keys go into the key lookup when it is first used (row(), add(), fill_keys()): at a
        million papers that dictionary takes a third of a second, which the list need not wait for."""
        with self._lock:
            start = len(self.papers)
            if self._unkeyed and self._unkeyed.stop != start:
                self._keys()
            self._title_keys.extend(title_keys)
            self.papers.extend(papers)
            self._unkeyed = range(self._unkeyed.start if self._unkeyed else start, start + len(papers))
            self.version += 1

    def fill_keys(self, stop: Callable[[], bool] | None = None) -> None:
        """Put the keys of the rows extend() put in into the key lookup now, KEY_CHUNK rows per
        hold of the lock and of the GIL (LoadSession.finish() does, in its worker, so that no key
        typed or clicked waits for it, nor for a million keys put in at once); `stop()`, when
        given, is asked between those (the rest are put in when a key is first looked up)."""
        while self._unkeyed and (stop is None or not stop()):
            with self._lock:
                self._add_keys(KEY_CHUNK)
            yield_gil()  # the UI thread, if it waits for the lock or the GIL, gets them now

    def _keys(self) -> dict[str, int]:
        """The key lookup with the own key of every row in it (call with the lock held)."""
        while self._unkeyed:
            self._add_keys(len(self._unkeyed))
        return self._row_of_key

    def _add_keys(self, count: int) -> None:
        """The own keys of the next `count` rows extend() left out (call with the lock held). A key
        put in since (a snapshot's other keys) keeps its row, as when it came after them."""
        rows = self._unkeyed
        if not rows:
            return
        done = range(rows.start, min(rows.stop, rows.start + count))
        own = dict(zip(map(_KEY, self.papers[done.start : done.stop]), done))
        by_key = self._row_of_key
        kept = {key: by_key[key] for key in own.keys() & by_key.keys()}
        by_key.update(own)
        by_key.update(kept)
        self._unkeyed = range(done.stop, rows.stop)

    def forget_rows(self, other_keys: list[tuple[str, int]], titles: list[tuple[str, int]]) -> None:
        """After extend() of a snapshot's first rows, when the rest of it cannot be used: every row
        becomes an empty record under its key, as remove_files() leaves it, gone until a paper
        with one of the keys or titles that lead to it (its own; `other_keys` and `titles`, the
        snapshot's, for the rows in) is added again. Adding the snapshot's files again, in order,
        then refills the same rows and puts the others after them, as a load file by file would
        have; rows keep their numbers, so a view holding them stays valid meanwhile."""
        with self._lock:
            self._expected = None
            count = len(self.papers)
            self._keys().update((key, row) for key, row in other_keys if row < count)
            for title, row in titles:
                if row < count:
                    self._row_of_title.setdefault(title, row)
            for row in range(count):
                paper = self.papers[row]
                self.papers[row] = Paper(key=paper.key, id=paper.id)
                self._title_keys[row] = title_sort_key(self.papers[row])
            self._gone.update(range(count))
            self._stale.update(range(count))
            # the text index was trusted for this snapshot's rows: every row is written again
            self._texts_dirty.update(range(count))
            self._texts_synced = min(self._texts_synced, count)
            self.version += 1

    def restore(self, state: StoreState, texts: dict[str, TextReader]) -> None:
        """The rest of a snapshot after its papers went in with extend(): the keys and titles
        that lead to rows, each file's rows, and how to read each file's texts (`texts` in file
        order: the order they fill in, as in a load file by file)."""
        with self._lock:
            for start in range(0, len(state.other_keys), LOOKUP_PIECE):
                self._row_of_key.update(state.other_keys[start : start + LOOKUP_PIECE])
            for title, row in state.titles:
                self._row_of_title.setdefault(title, row)
            for file, rows in state.landed.items():
                self._landed.setdefault(file, []).extend(rows)
            for file, read in texts.items():
                rows = state.landed.get(file)
                if rows:
                    self._pending.pop(file, None)
                    self._pending[file] = PendingTexts(rows, read)
            self.version += 1
            self._expected = None
            if state.date_order is not None and len(state.date_order) == len(self.papers):
                self._orders["date"] = (self.version, state.date_order)

    def paper(self, row: int) -> Paper:
        """The paper in a row with its long texts (read now if still pending)."""
        paper = self.papers[row]
        if not self._pending or not any(source.file in self._pending for source in paper.sources):
            return paper
        with self._lock:
            return self._paper(row)

    def _paper(self, row: int) -> Paper:
        for source in self.papers[row].sources:
            pending = self._pending.get(source.file)
            if pending is not None:
                for other, values in zip(pending.rows, self._read(source.file, pending)):
                    if other == row:
                        self._fill(row, values)
        return self.papers[row]

    def _read(self, file: str, pending: PendingTexts) -> list[tuple[str | None, ...]]:
        """A pending file's texts (a reader that failed gives []); the last file read is kept,
        as the paper shown next is most often from the same file."""
        if self._last_read is None or self._last_read[0] != file:
            self._last_read = (file, pending.read())
        return self._last_read[1]

    def _fill(self, row: int, values: tuple[str | None, ...]) -> None:
        paper = self.papers[row]
        filled = with_texts(paper, values)
        if filled is not paper:
            self.papers[row] = filled
            self._stale_texts.add(row)

    def fill_texts(self, files: int = 1) -> bool:
        """Bring pending texts into the papers, up to `files` files of them, oldest first;
        whether any remain. Safe in a worker thread: a file's texts are read without the lock (a
        few milliseconds of reading and unmarshalling, a parse if the cache cannot give them, that
        the load's batches and the paper shown would wait for) and filled in under it, unless the
        file was filled, taken away or read again meanwhile."""
        for _ in range(files):
            with self._lock:
                if not self._pending:
                    return False
                file = next(iter(self._pending))  # an OrderedDict: a plain dict's iteration steps over every deleted slot before
                pending, last = self._pending[file], self._last_read
            values = last[1] if last is not None and last[0] == file else pending.read()
            with self._lock:
                if self._pending.get(file) is pending:
                    self._fill_file(file, values)
            yield_gil()  # as in index()
        return bool(self._pending)

    def fill_texts_of(self, rows: Iterable[int]) -> None:
        """Bring in the pending texts of the files these rows' papers come from, each file once,
        in the order fill_texts() would (a paper read from two files gets the same texts): for
        `dump` and `export`, whose forked copies each read the texts of the papers they write."""
        pending, papers = self._pending, self.papers
        if not pending:
            return
        wanted = {source.file for row in rows for source in papers[row].sources}
        for file in [file for file in pending if file in wanted]:
            with self._lock:
                if file in self._pending:
                    self._fill_file(file)

    def _fill_file(self, file: str, values: list[tuple[str | None, ...]] | None = None) -> None:
        """Fill a pending file's papers in with its texts (`values`: as read already; call with the lock held)."""
        pending = self._pending[file]
        for row, texts in zip(pending.rows, self._read(file, pending) if values is None else values):
            self._fill(row, texts)
        del self._pending[file]
        self._last_read = None

    @property
    def texts_pending(self) -> bool:
        """Whether some papers still lack texts that fill_texts() would bring in."""
        return bool(self._pending)

    # -- the text index on disk ----------------------------------------------------------------

    def attach_texts(self, texts: TextIndex | None) -> None:
        """Search the long texts through this index from now on (its first `texts.rows` rows hold
        the texts of the rows a snapshot is about to restore, or has); sync_texts() writes the
        rest. None: search them in memory again (index()). An index replaced is closed."""
        with self._lock:
            if self.texts is not None and self.texts is not texts:
                self.texts.close()  # and its lock on the file with it
            self.texts = texts
            self._texts_synced = 0 if texts is None else texts.rows

    def sync_texts(self, rows: int | None = None) -> bool:
        """Write up to `rows` rows' texts (TEXT_INDEX_BATCH) to the text index, those changed first, then those it
        has not had; whether any remain. The papers keep their texts pending: each file's are
        read, merged as fill_texts() would merge them, folded, and let go. Safe in a worker
        thread: the store's lock is held while TEXT_INDEX_CHUNK rows' texts are read, not while
        they are folded nor while they are written (in one transaction, which costs less per row
        than several smaller)."""
        texts = self.texts
        if texts is None:
            return False
        rows = TEXT_INDEX_BATCH if rows is None else rows
        with self._texts_syncing:
            values: list[tuple] = []
            taken: list[int] = []
            while len(taken) < rows:
                with self._lock:
                    dirty, start = self._texts_dirty, self._texts_synced
                    todo = []
                    while dirty and len(todo) < min(TEXT_INDEX_CHUNK, rows - len(taken)):
                        row = dirty.pop()
                        if row < start:  # (a row not written yet will be, as it is then)
                            todo.append(row)
                    end = max(start, min(len(self.papers), start + min(TEXT_INDEX_CHUNK, rows - len(taken)) - len(todo)))
                    todo.extend(range(start, end))
                    self._texts_synced = end
                    if not todo:
                        break
                    taken.extend(todo)
                    chunk = sorted(set(todo))
                    papers = self._whole(chunk)
                # folded without the lock (~0.1 s a chunk: a filter's answer or the paper shown would wait for it)
                values.extend(_indexed_texts(chunk, papers))
                yield_gil()  # the UI thread, if it waits for the lock (a paper to show), gets it now
            try:
                texts.put(values)
            except BaseException:
                with self._lock:
                    self._texts_dirty.update(taken)
                raise
            with self._lock:
                return bool(self._texts_dirty) or self._texts_synced < len(self.papers)

    def _whole(self, rows: Iterable[int]) -> list[Paper]:
        """The papers in these rows with their pending texts merged in, in the order fill_texts()
        would bring them, without keeping them in the store (call with the lock held). Each
        pending file is read once for all of its papers among the rows (by paper, a paper listed
        on two days, between papers of one of them, read that file again: the 100k archive's
        papers in date order, 1,024 at a time, made 10,348 reads of its 3,668 files, now 8,946)."""
        pending = self._pending
        if not pending:
            return [self.papers[row] for row in rows]
        rows = list(rows)
        papers = [self.papers[row] for row in rows]
        wanted: dict[str, list[int]] = {}  # pending file -> the places in `rows` of papers it has texts of
        several = False
        for at, paper in enumerate(papers):
            files = dict.fromkeys(source.file for source in paper.sources if source.file in pending)
            several = several or len(files) > 1
            for file in files:
                wanted.setdefault(file, []).append(at)
        files = list(wanted)
        if several:  # a paper's texts from several files are merged in the order fill_texts() reads them
            order = {file: at for at, file in enumerate(pending)}
            files.sort(key=order.__getitem__)
        for file in files:
            file_texts = self._read(file, pending[file])
            places: dict[int, list[int]] = {}  # row -> its places in the file's texts
            for place, other in enumerate(pending[file].rows):
                places.setdefault(other, []).append(place)
            for at in wanted[file]:
                for place in places.get(rows[at], ()):
                    if place < len(file_texts):
                        papers[at] = with_texts(papers[at], file_texts[place])
        return papers

    def papers_with_texts(self, rows: Iterable[int]) -> list[Paper]:
        """paper() of each row, without keeping the texts read in the store: for exporting or
        triaging many papers, whose texts a store with a text index leaves in the parse cache."""
        rows = list(rows)
        papers: list[Paper] = []
        for start in range(0, len(rows), TEXT_INDEX_CHUNK):
            with self._lock:
                papers.extend(self._whole(rows[start : start + TEXT_INDEX_CHUNK]))
        return papers

    def whole_papers(self) -> Iterator[Paper]:
        """Every row's paper with its long texts, a chunk at a time, read from the parse cache
        where pending and let go again (so counting over every paper's institutions does not
        bring every text into memory). Safe in a worker thread."""
        start = 0
        while start < len(self.papers):
            with self._lock:
                end = min(start + TEXT_INDEX_CHUNK, len(self.papers))
                chunk = self._whole(range(start, end))
            yield from chunk
            start = end

    def _text_rows(self, texts: TextIndex, columns: tuple[str, ...], needles: tuple[str, ...]) -> bytearray:
        """The rows a text test of a query selects (see Query.texts), from the text index: a
        byte for each row, 1 for those."""
        size = len(self.papers)
        if "" in needles:  # (`inst:-`: the fold of joiners alone) in every value, empty ones too
            return bytearray(b"\x01") * size
        return texts.mask(columns, needles, size)

    def seal_texts(self, identity: object, version: int) -> None:
        """Seal the text index for the load snapshot `identity` (textindex.TextIndex.seal), if the
        store is still the version that snapshot was made of: for the leading rows it holds as
        they are now (every row, once sync_texts() is done). No write runs meanwhile."""
        texts = self.texts
        if texts is None:
            return
        with self._texts_syncing:
            with self._lock:
                if self.version != version:
                    return
                rows = min(self._texts_synced, len(self.papers), min(self._texts_dirty, default=len(self.papers)))
            texts.seal(identity, rows)

    def texts_searched(self, query: Query | None) -> int | None:
        """The percentage of rows whose texts a select() of this query searches now, when not
        all (the text index is still being written, on an archive past IN_MEMORY_TEXTS); None
        when it searches them all."""
        if query is None or not query.texts or self.texts is None or len(self.papers) <= IN_MEMORY_TEXTS:
            return None
        unsynced = self.texts_unsynced()
        if unsynced <= TEXT_INDEX_BATCH:
            return None
        return (len(self.papers) - unsynced) * 100 // len(self.papers)

    def interrupt_search(self) -> None:
        """Stop a select() running in another thread on the text index: it raises
        textindex.SearchInterrupted (a newer query has made its answer moot)."""
        texts = self.texts
        if texts is not None:
            texts.interrupt()

    @property
    def texts_synced(self) -> bool:
        """Whether the text index (if any) holds every row's texts as they are now."""
        return self.texts is None or (not self._texts_dirty and self._texts_synced >= len(self.papers))

    def texts_unsynced(self) -> int:
        """Rows whose texts the text index (if any) does not hold as they are now."""
        if self.texts is None:
            return 0
        with self._lock:
            return len(self._texts_dirty) + max(0, len(self.papers) - self._texts_synced)

    def index(self, names: Iterable[str], stop: Callable[[], bool] | None = None) -> list[list]:
        """These search-index columns (index.COLUMNS), each with an entry for every row: made or
        brought up to date now. A column made from long texts first brings in every paper's
        pending texts. Safe in a worker thread: the lock is held for one file's texts or a few
        thousand rows of a column at a time, so the UI thread never waits long for it. `stop()`,
        when given, is asked between those: once it says so, the columns are left part-made
        (a later call goes on from there) and those made whole are returned."""
        names = list(names)
        if not TEXT_COLUMNS.isdisjoint(names):
            while self.fill_texts(files=16):
                if stop is not None and stop():
                    return []
        columns = []
        for name in names:
            fold = COLUMNS[name]
            while True:
                if stop is not None and stop():
                    return columns
                with self._lock:
                    self._refresh_index()
                    column = self._index.setdefault(name, [])
                    start, papers = len(column), self.papers
                    if start >= len(papers):
                        break
                    column.extend(map(fold, papers[start : start + INDEX_CHUNK]))
                yield_gil()  # a thread waiting for the lock (a filter wanting another column) gets it now
            columns.append(column)
        return columns

    def _refresh_index(self) -> None:
        """Make again the index entries of rows changed since they were made."""
        index, papers = self._index, self.papers
        for rows, names in ((self._stale, index.keys()), (self._stale_texts, index.keys() & TEXT_COLUMNS)):
            if rows:
                for name in names:
                    column, fold = index[name], COLUMNS[name]
                    for row in rows:
                        if row < len(column):
                            column[row] = fold(papers[row])
                rows.clear()

    def ordered(self, sort: str = "date") -> list[int]:
        """Every row in the given order (cached until the store changes; safe to call from a worker
        thread while the UI thread adds papers: a stale order is never cached as current)."""
        version = self.version
        cached = self._orders.get(sort)
        if cached is not None and cached[0] == version:
            return cached[1]
        expected = self._expected
        if expected is not None and expected[0] == sort:
            present = len(self.papers)  # rows below this are in, whatever comes in meanwhile
            order = expected[1] if present == len(expected[1]) else [row for row in expected[1] if row < present]
        else:
            order = sort_rows(self.papers, sort, self._title_keys)
        if self._gone:
            gone = self._gone
            order = [row for row in order if row not in gone]
        self._orders[sort] = (version, order)
        return order

    def select(self, query: Query | None, mark_of: Callable[[str], Mark], sort: str = "date") -> list[int]:
        """Rows matching the query, in the given order; `mark_of(key)` supplies the user's marks."""
        order = self.ordered(sort)
        if query is None or query.matches_all:
            return order
        texts = self.texts
        # while the text index is still being written (a first start: minutes at 1M papers), the
        # texts are searched in memory as without one, rather than the filter waiting for it all;
        # past IN_MEMORY_TEXTS rows, in the rows the index holds so far. An index that holds a
        # load's rows (sealed) and lacks a few (papers added since) gets them first, once: rows a
        # load adds meanwhile are not chased (a filter typed early in a first start's load wrote
        # the whole index, minutes, before its answer), they are searched in memory
        whole = texts is not None and bool(query.texts) and texts.rows > 0 and self.texts_unsynced() <= TEXT_INDEX_BATCH
        if texts is not None and query.texts and (whole or len(self.papers) > IN_MEMORY_TEXTS):
            try:
                if whole:
                    self.sync_texts()
                    whole = self.texts_unsynced() == 0
                found = [self._text_rows(texts, columns, needles) for columns, needles in query.texts] \
                    if whole or len(self.papers) > IN_MEMORY_TEXTS else None
            except TextIndexError:  # the file failed us: searched in memory from now on
                self.attach_texts(None)
            else:
                if found is not None:
                    return query.select_indexed(order, self.index(query.indexed_columns), found, mark_of)
        return query.select(order, self.index(query.columns), mark_of)


_KEY = operator.itemgetter(0)  # a Paper's key


def _indexed_texts(rows: list[int], papers: list[Paper]) -> list[tuple]:
    """Each row's text-index values (textindex.COLUMNS, folded), from its paper with its texts."""
    folds = [COLUMNS[name] for name in INDEXED_TEXTS]
    return [(row, *(fold(paper) for fold in folds)) for row, paper in zip(rows, papers)]


_LEADING_PUNCTUATION = "[]()<>{}\"'“”‘’《》【】「」 \\$"


def title_sort_key(paper: Paper) -> str:
    """How a title sorts: without case or leading brackets and quotes."""
    return (paper.title_en or paper.title_zh or paper.id or "").lstrip(_LEADING_PUNCTUATION).casefold()


def sort_rows(papers: list[Paper], sort: str, title_keys: list[str] | None = None) -> list[int]:
    """Row numbers in `sort` order; ties fall back to date (newest first), score, then title, then
    row. Titles compare without case or leading brackets ("[Re] Revisiting" files under R). The
    rows are grouped by the first key (the day, say), each group by the next, and only groups of
    at most SORT_GROUP_ROWS are sorted, by precomputed key lists in C: one sort of a million rows
    holds the GIL for a tenth of a second at a time (no key typed meanwhile shows), grouping is
    Python that hands it over every millisecond, and the result is the same as sorting every row
    by the keys in turn (stable sorts, the last key applied first)."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r} (known: {', '.join(SORTS)})")
    papers = papers[:]  # a snapshot: the loading thread may append while a worker sorts
    # the store's keys (appended before their papers, so at least as many) or made here
    titles = title_keys[: len(papers)] if title_keys is not None else list(map(title_sort_key, papers))
    if sort == "title":  # by the first two characters, then the whole key
        return _sorted_rows(range(len(papers)), [([key[:2] for key in titles], False)], titles)
    scores = [-1 if p.score is None else p.score for p in papers]
    dates = [p.date or "" for p in papers]
    levels = [(dates, True), (scores, True)]
    if sort == "score":
        levels = [(scores, True), (dates, True)]
    elif sort == "upvotes":
        levels = [([-1 if p.upvotes is None else p.upvotes for p in papers], True), *levels]
    return _sorted_rows(range(len(papers)), levels, titles)


SORT_GROUP_ROWS = 4096
"""Rows sorted in one C call at most, unless they tie on every key but the title (see sort_rows)."""


def _sorted_rows(rows: list[int] | range, levels: list[tuple[list, bool]], titles: list[str]) -> list[int]:
    """`rows` (in row order) by each level's values in turn (descending where its flag says),
    then by title: groups of equal values, recursively, until a group is small. (A range is not
    made a list unless it is sorted whole: a million numbers at once hold the GIL too.)"""
    if len(rows) <= SORT_GROUP_ROWS or not levels:
        rows = list(rows)
        rows.sort(key=titles.__getitem__)
        for values, descending in reversed(levels):
            rows.sort(key=values.__getitem__, reverse=descending)
        return rows
    (values, descending), rest = levels[0], levels[1:]
    groups: dict = {}
    for row in rows:
        value = values[row]
        group = groups.get(value)
        if group is None:
            groups[value] = [row]
        else:
            group.append(row)
    ordered: list[int] = []
    for value in sorted(groups, reverse=descending):
        ordered += _sorted_rows(groups[value], rest, titles)
    return ordered
