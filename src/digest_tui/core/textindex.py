"""The search index's long-text columns on disk: one SQLite file, FTS5 with trigrams, of the folded texts.

A store with a text index keeps its papers' long texts pending (read when a paper is shown) instead
of in memory, and answers a query's terms on the abstracts and institutions (index.TEXT_COLUMNS)
with the sets of rows this index gives. The texts are those of index.COLUMNS (so folded: a needle
folded the same way is looked for as is, `case_sensitive 1`), one FTS5 row per store row, its
rowid the row number. A needle of three characters or more is a phrase of trigrams, and
`detail=full` keeps their positions, so a phrase match is exactly a substring match (Chinese
included: trigrams are of characters, not words). A shorter needle has no trigram of its own: it is
the start of every trigram that begins where it occurs, and each value is stored with two newlines
after it (no needle holds a newline: fold() makes whitespace one space) so that every occurrence,
even the value's last character, starts one. Such a needle can be the OR of the trigrams in the index's
vocabulary that start with it: exact too, but at a million papers that is hundreds of trigrams
and nearly every row (0.4-0.9 s). So a second FTS5 table, `shorts`, holds each row's texts
with a filler character between every two characters, one filler per column (SHORT_FILLERS):
there a character `c` of a title is the trigram `\x03c\x03` and two characters `ab` the trigram
`a\x03b`, one term each, and the table keeps only which rows have a term (`detail=none`, no
content: its rows are deleted by giving their values again), so a needle of one or two
characters is a look-up of a few terms. Every row starts with SHORT_MARKER, a term of every
row: a needle in most rows is answered as the rows without it (`marker NOT needle`), a few.
A short needle's answer, a byte a row, is kept (MASKS_KEPT): in memory, and in the `masks` table
for the next start, with the rows and the identity it was found for; writing any row forgets them.

The file is trusted only as a whole and only for what it says it is: its format, the fold code it
was made by, and the load snapshot (its checksum and length) whose rows it holds, all in its `meta`
table. A change to any row first clears that identity (in the same transaction), and `seal()` sets
it again once every row is in; a file that cannot be opened, is damaged, was made by other code or
for another snapshot is removed and made again from the store.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import os
import random
import re
import sqlite3
import threading
import zlib
from collections.abc import Iterable
from pathlib import Path

FORMAT = "digest-tui text index 4"
"""Bumped when what the file holds or how it is written changes (code_version() hashes it)."""
COLUMNS = ("titles", "authors", "id", "abstract_en", "abstract_zh", "inst")
"""The FTS5 table's columns (index.COLUMNS of those names): what a free word is looked for in, and
the long texts (index.TEXT_COLUMNS). The titles, authors and id are in memory too, for `title:`,
`author:` and `id:`; here a free word is one look-up, not a scan of them."""
PAD = "\n\n"
"""After every non-empty value: so a needle of one or two characters starts a trigram wherever it is."""
SHORT_FILLERS = ("\x03", "\x04", "\x05", "\x01", "\x01", "\x02")
"""For each of COLUMNS, the character put between every two characters of its values in `shorts`
(the abstracts share one: they are searched together). No needle holds one (see _short_terms);
whatever the texts hold, a trigram `a\x03b` or `\x03c\x03` of printable characters stands in
`shorts` only where a title holds `ab` or `c` (the filler is every other character of a value)."""
SHORT_MARKER = "\x06\x06\x06"
"""The trigram every row of `shorts` starts with (the rows written, for a complement)."""
_HAS = {"abstract_en": 1, "abstract_zh": 2}
"""A row's flags: which abstracts it has (for `has:en`, `has:zh`)."""
_BIT = {bit: bytes(1 if flags & bit else 0 for flags in range(256)) for bit in _HAS.values()}
"""For bytes.translate(): each flags byte to whether it has that bit."""
HASH_BYTES = 64 << 20
"""FTS5's memory for a transaction's rows before it writes them as a segment (1 MB by default): a
batch of rows becomes one segment, not dozens to be merged (the index is written in a third of the time)."""
MERGE_LEVEL = 16
"""Segments of a size FTS5 lets gather before it merges them into one (4 by default): each row's
trigrams are merged fewer times (a third less time again); a look-up reads a few more segments."""
PUT_CHUNK = 512
"""Rows put() writes per hold of the lock (~0.15 s at 1M papers): what a search waits for at most."""
SAMPLE = 256
"""Rows read to judge whether a needle of one or two characters is in most rows (see TextIndex._share)."""
SAMPLE_RUN = 16
"""The sample is runs of this many rows in a row, at random places (not every n-th row: a
corpus may repeat itself every n rows): neighbours share pages of the file, and at a million
rows, on a file not in memory, 256 rows apart take 25-45 ms of CPU and 80-130 ms to read, in
runs 10 and 30-40 (3 ms once read)."""
MASKS_KEPT = 32
"""Answers for needles of one or two characters kept, as a byte a row (in memory) and in the
file's `masks` table (compressed, for the next start): at a million rows `title:m` takes FTS5
70-110 ms (the rows without an `m` against every row's marker), its mask kept a few (and up to
32 MB of memory for all of them). Every write of rows forgets them all, in the same transaction
(see put); a stored one is trusted only for the sealed rows and identity it was made for."""
MAX_TERMS = 990
"""Phrases OR-ed in one MATCH (a short needle's trigrams, the values of a long OR); more are asked in several."""


@functools.cache
def code_version() -> str:
    """A hash of what decides what the file holds: the folding (index.py), the format, columns and
    padding. (Not this module's search code: a change there must not cost a 1M-paper archive the
    minutes of writing its index again. A change to what put() writes changes FORMAT.)"""
    digest = hashlib.sha256(repr((FORMAT, COLUMNS, PAD, SHORT_FILLERS, SHORT_MARKER)).encode())
    digest.update((Path(__file__).parent / "index.py").read_bytes())
    return digest.hexdigest()[:16]


def available() -> bool:
    """Whether this Python's SQLite has FTS5 with the trigram tokenizer (3.34 or later) and JSON."""
    try:
        with contextlib.closing(sqlite3.connect(":memory:")) as connection:
            connection.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='trigram case_sensitive 1', detail=full)")
            connection.execute("SELECT value FROM json_each('[1]')")  # _check() hands rows over as JSON
        return True
    except sqlite3.Error:
        return False


class TextIndexError(Exception):
    """The index file could not be read or written (disk full, removed, damaged meanwhile): the
    store searches in memory instead."""


class SearchInterrupted(Exception):
    """A search was stopped by interrupt(): a newer one wants the index (its rows are not known)."""


class WritesStopped(Exception):
    """A write (put, seal) was refused or rolled back half-way: stop_writes() was called (the
    reader quits); the rows it had are written by the next start."""


def phrase(needle: str) -> str:
    """A needle as an FTS5 phrase (a string in double quotes, its own quotes doubled)."""
    return '"' + needle.replace('"', '""') + '"'


class TextIndex:
    """The folded texts of a store's rows in an SQLite file at `path` (see the module). Safe
    to use from several threads: one connection, one lock, held for one statement or one batch."""

    def __init__(self, path: str, identity: object = None) -> None:
        """Open the file at `path`, trusting the rows in it only if it was sealed for `identity`
        (None: trusted for nothing); anything else in it is thrown away."""
        self.path = path
        self._lock = threading.Lock()
        self._state = threading.Lock()  # guards _searching, so interrupt() never meets a write
        self._searching = False  # a search's statements run (interrupt() stops only those)
        self._writes_stopped = False  # set by stop_writes(): put() and seal() write nothing more
        self.rows = 0
        """Leading rows the file holds that are trusted (0..rows-1): those of the sealed snapshot."""
        self.flags = bytearray()
        """Each row's abstracts (_HAS bits), kept here, a byte a row (for `has:`)."""
        self._sealed = False
        self._gapless = True
        """Whether every row below len(flags) was written (each starts with SHORT_MARKER in `shorts`)."""
        self._sample_rows: list[tuple] | None = None
        """The values of SAMPLE rows of those written, read when first needed (see _share)."""
        self._sample: dict[tuple[str, ...], list[str]] = {}
        """For each set of columns asked for, their values in those rows, joined."""
        self._sample_of = 0
        """How many rows were written when the sample was read."""
        self._masks: dict[tuple[tuple[str, ...], str], bytes] = {}
        """A short needle's rows in some columns, a byte for each row written (see MASKS_KEPT)."""
        self._sealed_as: str | None = None
        """The identity the file is sealed for (meta's), for the masks stored with it."""
        self._connection = self._open(identity)

    def _open(self, identity: object) -> sqlite3.Connection:
        try:
            connection = self._connect()
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorcode", None) in _IN_USE:
                raise TextIndexError(f"{self.path}: in use by another instance") from error
            connection = None
        except sqlite3.Error:
            connection = None
        if connection is not None:
            try:
                found = dict(connection.execute("SELECT key, value FROM meta"))
                if identity is not None and found.get("format") == FORMAT and found.get("identity") == _identity(identity):
                    rows, flags = found["rows"], found["flags"]
                    if rows.__class__ is int and flags.__class__ is bytes and len(flags) == rows:
                        # rows written after the seal (papers added since) are made again
                        _delete(connection, "rowid >= ?", (rows,))
                        self.rows, self.flags, self._sealed = rows, bytearray(flags), True
                        self._sealed_as = found["identity"]
                        with contextlib.suppress(sqlite3.Error):  # (a file from before the table; read-only: none kept)
                            connection.execute(_MASKS_TABLE)
                        marked = connection.execute("SELECT doc FROM short_vocabulary WHERE term = ?", (SHORT_MARKER,)).fetchall()
                        self._gapless = marked == [(rows,)] or rows == 0
                        return connection
            except (sqlite3.Error, KeyError):
                pass
            connection.close()
        return self._create()

    def _connect(self) -> sqlite3.Connection:
        """A connection that holds the file to itself from its first statement on (the lock of
        EXCLUSIVE mode): a second instance of the reader on the same archive is refused it and
        searches in memory, rather than the two writing each other's rows."""
        connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=0.2)
        try:
            connection.execute("PRAGMA locking_mode = EXCLUSIVE")
            connection.execute("PRAGMA journal_mode = TRUNCATE")  # not WAL: every page is written once, not twice
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # takes the lock now
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    def _create(self) -> sqlite3.Connection:
        """An empty index in a new file (whatever was at the path is removed first)."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.path + suffix)
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        connection = self._connect()
        columns = ", ".join(COLUMNS)
        connection.executescript(
            f"""
            BEGIN;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value);
            CREATE VIRTUAL TABLE texts USING fts5({columns}, tokenize='trigram case_sensitive 1', detail=full);
            CREATE VIRTUAL TABLE vocabulary USING fts5vocab(texts, 'row');
            CREATE VIRTUAL TABLE shorts USING fts5(t, tokenize='trigram case_sensitive 1', detail=none, content='');
            CREATE VIRTUAL TABLE short_vocabulary USING fts5vocab(shorts, 'row');
            {_MASKS_TABLE};
            INSERT INTO texts (texts, rank) VALUES ('hashsize', {HASH_BYTES}), ('automerge', {MERGE_LEVEL});
            INSERT INTO shorts (shorts, rank) VALUES ('hashsize', {HASH_BYTES}), ('automerge', {MERGE_LEVEL});
            INSERT INTO meta VALUES ('format', '{FORMAT}'), ('identity', NULL), ('rows', 0), ('flags', x'');
            COMMIT;
            """
        )
        self.rows, self.flags, self._sealed, self._gapless = 0, bytearray(), False, True
        self._sealed_as = None
        return connection

    def close(self) -> None:
        """Close the file (and let another instance have it); safe to call twice."""
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._connection.close()

    # -- writing -------------------------------------------------------------------------------

    def put(self, rows: list[tuple[str | int, ...]]) -> None:
        """Write these rows' folded texts (the row, then a value for each of COLUMNS), replacing
        what they held, in one transaction. A change to a sealed row unseals the file first, in
        the same transaction. The lock is let go every PUT_CHUNK rows, so a search typed meanwhile
        waits for a few hundred rows to be written, not thousands."""
        rows = list({values[0]: values for values in rows}.values())  # a row given twice: its last values
        if not rows:
            return  # (and the masks still hold: Store.sync_texts gives none once all are in)
        connection = self._connection
        try:
            with self._lock:
                connection.execute("BEGIN")
                connection.execute("DELETE FROM masks")  # answers for other rows than these will be
                self._masks.clear()
                if self._sealed and any(values[0] < self.rows for values in rows):
                    connection.execute("UPDATE meta SET value = NULL WHERE key = 'identity'")
                    self.rows, self._sealed, self._sealed_as = 0, False, None
                flags = self.flags
                written = len(flags)  # rows from here on were never written: nothing to replace
                top = max((values[0] for values in rows), default=-1) + 1
                if len(flags) < top:
                    self._gapless = self._gapless and len({values[0] for values in rows if values[0] >= written}) == top - written
                    flags.extend(bytes(top - len(flags)))
                en, zh = COLUMNS.index("abstract_en") + 1, COLUMNS.index("abstract_zh") + 1
                for values in rows:
                    flags[values[0]] = (1 if values[en] else 0) | (2 if values[zh] else 0)
            for start in range(0, len(rows), PUT_CHUNK):
                chunk = rows[start : start + PUT_CHUNK]
                stored = [(values[0], *map(_storable, values[1:])) for values in chunk]
                with self._lock:
                    if self._writes_stopped:
                        raise WritesStopped
                    replaced = [values[0] for values in chunk if values[0] < written]
                    if replaced:
                        _delete(connection, "rowid IN (SELECT value FROM json_each(?))", (json.dumps(replaced),))
                    connection.executemany(_INSERT, [(values[0], *map(_padded, values[1:])) for values in stored])
                    connection.executemany(_INSERT_SHORT, [(values[0], _short_text(values[1:])) for values in stored])
            with self._lock:
                if self._writes_stopped:
                    raise WritesStopped
                connection.execute("COMMIT")
        except sqlite3.Error as error:
            with self._lock, contextlib.suppress(sqlite3.Error):
                self._gapless = False  # (flags may hold rows rolled back)
                connection.execute("ROLLBACK")
            if self._writes_stopped:  # interrupted by stop_writes(), and rolled back with it
                raise WritesStopped from error
            raise TextIndexError(error) from error
        except BaseException:
            with self._lock, contextlib.suppress(sqlite3.Error):
                self._gapless = False
                connection.execute("ROLLBACK")
            raise

    def seal(self, identity: object, rows: int) -> None:
        """Say that the file's first `rows` rows are those of the load snapshot `identity` (all of
        them, or the leading rows written so far: a build cut short goes on from there next time)."""
        with self._lock:
            if self._writes_stopped:
                raise WritesStopped
            if rows > len(self.flags):
                self._gapless = False
                self.flags.extend(bytes(rows - len(self.flags)))
            try:
                connection = self._connection
                connection.execute("BEGIN")
                connection.executemany(
                    "UPDATE meta SET value = ? WHERE key = ?",
                    [(_identity(identity), "identity"), (rows, "rows"), (bytes(self.flags[:rows]), "flags")],
                )
                connection.execute("COMMIT")
            except sqlite3.Error as error:
                with contextlib.suppress(sqlite3.Error):
                    self._connection.execute("ROLLBACK")
                if self._writes_stopped:
                    raise WritesStopped from error
                raise TextIndexError(error) from error
            self.rows, self._sealed, self._sealed_as = rows, True, _identity(identity)

    # -- reading -------------------------------------------------------------------------------

    def search(self, columns: tuple[str, ...], needles: Iterable[str]) -> set[int]:
        """The rows with any of the needles (folded, non-empty) in any of these columns."""
        return set(itertools.compress(itertools.count(), self.mask(columns, needles)))

    def mask(self, columns: tuple[str, ...], needles: Iterable[str], size: int = 0) -> bytearray:
        """search() as a byte for each of (at least) `size` rows, 1 for those found; no needles:
        the rows whose value of the one column (an abstract) is not empty."""
        found = bytearray(max(size, len(self.flags)))
        needles = list(needles)
        if not needles:
            found[: len(self.flags)] = self.flags.translate(_BIT[_HAS[columns[0]]])
            return found
        with self._lock:
            with self._state:
                self._searching = True
            try:
                long = []
                for needle in map(_storable, needles):
                    if len(needle) >= 3:
                        long.append(phrase(needle))
                    else:
                        self._short(columns, needle, found)
                for start in range(0, len(long), MAX_TERMS):  # a 10,000-word OR in a few statements
                    self._match(columns, long[start : start + MAX_TERMS], found)
            except sqlite3.Error as error:
                if getattr(error, "sqlite_errorcode", None) == _INTERRUPTED:
                    raise SearchInterrupted from error
                raise TextIndexError(error) from error
            finally:
                with self._state:
                    self._searching = False
        return found

    def stop_writes(self) -> None:
        """Write nothing more (from another thread, as the reader quits): the put() running now
        is rolled back at once, in the statement it is in (at a million papers one takes seconds,
        most of them in SQLite), and it and every put() or seal() after it raise WritesStopped.
        What was committed stays; the next start writes the rest. Searches go on."""
        self._writes_stopped = True
        self._connection.interrupt()

    def interrupt(self) -> None:
        """Stop the search running now, if one is (from another thread): it raises
        SearchInterrupted. A write (put, seal) is not stopped (see stop_writes())."""
        with self._state:
            if self._searching:
                self._connection.interrupt()

    def _match(self, columns: tuple[str, ...], phrases: list[str], found: bytearray) -> None:
        expression = "{" + " ".join(columns) + "} : (" + " OR ".join(phrases) + ")"
        for row in self._rows("texts", expression):
            found[row] = 1

    def _rows(self, table: str, expression: str) -> list[int]:
        """The rows of `table` (texts or shorts) that match, handed over as one JSON array: a
        row at a time through the cursor costs ~0.3 µs a row, three times FTS5's own finding of it."""
        ((rows,),) = self._connection.execute(f"SELECT json_group_array(rowid) FROM {table} WHERE {table} MATCH ?", (expression,))
        return json.loads(rows)

    def _short(self, columns: tuple[str, ...], needle: str, found: bytearray) -> None:
        """Mark the rows with a needle of one or two characters in these columns: its mask,
        kept (MASKS_KEPT) or looked up now (_short_mask)."""
        key = (columns, needle)
        written = len(self.flags)
        mask = self._masks.get(key)
        if mask is None:
            mask = self._stored_mask(key, written)
            if mask is None:
                mask = self._short_mask(columns, needle, written)
                self._store_mask(key, mask)
            if len(self._masks) >= MASKS_KEPT:
                del self._masks[next(iter(self._masks))]
            self._masks[key] = mask
        if found.find(1) < 0:
            found[:written] = mask
        else:
            found[:written] = (int.from_bytes(mask, "little") | int.from_bytes(found[:written], "little")).to_bytes(written, "little")

    def _short_mask(self, columns: tuple[str, ...], needle: str, written: int) -> bytes:
        """The rows written with the needle (one or two characters) in these columns, a byte a
        row: the terms of `shorts` that stand for it (see the module); for a needle with a control
        character, or one abstract without the other, the OR of the trigrams of `texts` it starts,
        from the vocabulary."""
        mask = bytearray(written)
        terms = _short_terms(columns, needle)
        execute = self._connection.execute
        if terms is None:
            last = needle + "\U0010ffff" * (3 - len(needle))
            starts = [
                phrase(term)
                for (term,) in execute("SELECT term FROM vocabulary WHERE term >= ? AND term <= ?", (needle, last))
                if term.startswith(needle)
            ]
            for start in range(0, len(starts), MAX_TERMS):
                self._match(columns, starts[start : start + MAX_TERMS], mask)
            return bytes(mask)
        wanted = " OR ".join(map(phrase, terms))
        # in most rows: the rows without it are fewer to hand over (when all rows were written)
        if self._gapless and 2 * self._share(columns, needle) > 1:
            mask = bytearray(b"\x01") * written
            for row in self._rows("shorts", f"{phrase(SHORT_MARKER)} NOT ({wanted})"):
                mask[row] = 0
            return bytes(mask)
        for row in self._rows("shorts", wanted):
            mask[row] = 1
        return bytes(mask)

    def _stored_mask(self, key: tuple[tuple[str, ...], str], written: int) -> bytes | None:
        """The mask the file keeps for this needle, if it was stored for the rows it holds now."""
        if not self._sealed or written != self.rows:
            return None
        try:
            found = self._connection.execute(
                "SELECT mask FROM masks WHERE needle = ? AND rows = ? AND identity = ?", (_mask_key(key), written, self._sealed_as)
            ).fetchone()
        except sqlite3.Error:
            return None
        if found is None:
            return None
        try:
            mask = zlib.decompress(found[0])
        except (zlib.error, TypeError):
            return None
        return mask if len(mask) == written and not mask.translate(None, b"\x00\x01") else None

    def _store_mask(self, key: tuple[tuple[str, ...], str], mask: bytes) -> None:
        """Keep the mask in the file for the next start, if the file is sealed for all it holds
        (a mask for rows still being written would be wrong once they are); the oldest go past MASKS_KEPT."""
        if not self._sealed or len(mask) != self.rows:
            return
        execute = self._connection.execute
        try:  # one transaction: one sync of the file
            execute("BEGIN")
            execute(
                "INSERT OR REPLACE INTO masks (needle, rows, identity, mask) VALUES (?, ?, ?, ?)",
                (_mask_key(key), len(mask), self._sealed_as, zlib.compress(mask, 1)),
            )
            execute("DELETE FROM masks WHERE rowid NOT IN (SELECT rowid FROM masks ORDER BY rowid DESC LIMIT ?)", (MASKS_KEPT,))
            execute("COMMIT")
        except sqlite3.Error:  # (a full disk, a read-only file, a search interrupted: kept in memory only)
            with contextlib.suppress(sqlite3.Error):
                execute("ROLLBACK")

    def _share(self, columns: tuple[str, ...], needle: str) -> float:
        """About what share of the rows written hold the needle in any of these columns: that of
        SAMPLE rows among them, whose values are read once (until more rows are written). A
        guess, to choose which rows to hand over: the answer is exact either way. (The
        vocabulary's count of a term's rows reads its whole list: 8-31 ms at a million rows.)"""
        written = len(self.flags)
        if self._sample_of != written:
            self._sample, self._sample_rows, self._sample_of = {}, None, written
        joined = self._sample.get(columns)
        if joined is None:
            if self._sample_rows is None:
                picked = json.dumps(_sample_rows(written))
                statement = f"SELECT {', '.join(COLUMNS)} FROM texts WHERE rowid IN (SELECT value FROM json_each(?))"
                self._sample_rows = self._connection.execute(statement, (picked,)).fetchall()
            at = [COLUMNS.index(name) for name in columns]
            # (a needle never holds the newline that ends each value)
            joined = self._sample[columns] = ["".join(values[i] or "" for i in at) for values in self._sample_rows]
        return sum(needle in values for values in joined) / max(len(joined), 1)

    def having(self, column: str) -> set[int]:
        """The rows whose value of this abstract column is not empty."""
        return self.search((column,), ())


_INSERT = f"INSERT INTO texts (rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})"
_INSERT_SHORT = "INSERT INTO shorts (rowid, t) VALUES (?, ?)"


def _delete(connection: sqlite3.Connection, where: str, parameters: tuple) -> None:
    """Delete the rows of `texts` that `where` picks, and theirs in `shorts` (which, holding no
    content, is told the values that row had: those of `texts`, unpadded)."""
    old = connection.execute(f"SELECT rowid, {', '.join(COLUMNS)} FROM texts WHERE {where}", parameters).fetchall()
    connection.executemany(
        "INSERT INTO shorts (shorts, rowid, t) VALUES ('delete', ?, ?)",
        [(row, _short_text([value[: -len(PAD)] if value else "" for value in values])) for row, *values in old],
    )
    connection.execute(f"DELETE FROM texts WHERE {where}", parameters)


def _sample_rows(rows: int) -> list[int]:
    """SAMPLE of these rows (all, if no more), in runs of SAMPLE_RUN, the same for the same count."""
    run = min(SAMPLE, SAMPLE_RUN)
    if rows <= SAMPLE:
        return list(range(rows))
    starts = random.Random(rows).sample(range(rows - run + 1), max(1, SAMPLE // run))
    return sorted({start + at for start in starts for at in range(run)})


def _short_text(values: Iterable[str]) -> str:
    """A row's text in `shorts`: SHORT_MARKER, then each non-empty value (storable) with its
    column's filler before, between and after its characters, after a newline."""
    return SHORT_MARKER + "".join("\n" + value.replace("", filler) for value, filler in zip(values, SHORT_FILLERS) if value)


def _short_terms(columns: tuple[str, ...], needle: str) -> list[str] | None:
    """The terms of `shorts` whose rows are those with the needle (one or two characters) in any
    of these columns; None when `shorts` cannot tell (a control character in the needle, which
    a filler could stand for, or one abstract without the other)."""
    if not needle.isprintable() or ("abstract_en" in columns) != ("abstract_zh" in columns):
        return None
    fillers = sorted({SHORT_FILLERS[COLUMNS.index(name)] for name in columns})
    return [filler + needle + filler if len(needle) == 1 else needle[0] + filler + needle[1] for filler in fillers]


_INTERRUPTED = 9
"""SQLITE_INTERRUPT: a statement stopped by Connection.interrupt()."""
_IN_USE = (5, 6)
"""SQLITE_BUSY, SQLITE_LOCKED: another connection holds the file."""


_MASKS_TABLE = "CREATE TABLE IF NOT EXISTS masks (needle TEXT PRIMARY KEY, rows INTEGER, identity TEXT, mask BLOB)"
"""Masks of short needles (MASKS_KEPT), each for the rows and the sealed identity it was made for."""


def _mask_key(key: tuple[tuple[str, ...], str]) -> str:
    columns, needle = key
    return " ".join(columns) + "\n" + needle


def _identity(identity: object) -> str:
    return repr((code_version(), identity))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> str:
    """The text with lone surrogates (which SQLite cannot take as text) made U+FFFD."""
    if text.isascii():
        return text
    try:
        text.encode()
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _padded(value: str) -> str:
    """A storable value as `texts` holds it."""
    return value + PAD if value else ""
