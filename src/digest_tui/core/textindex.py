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
even the value's last character, starts one. Such a needle is the OR of the trigrams in the index's
vocabulary that start with it: exact too, and costing one look at the vocabulary and then as much
as a long needle with that many matches.

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
import re
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

FORMAT = "digest-tui text index 3"
"""Bumped when what the file holds or how it is written changes (code_version() hashes it)."""
COLUMNS = ("titles", "authors", "id", "abstract_en", "abstract_zh", "inst")
"""The FTS5 table's columns (index.COLUMNS of those names): what a free word is looked for in, and
the long texts (index.TEXT_COLUMNS). The titles, authors and id are in memory too, for `title:`,
`author:` and `id:`; here a free word is one look-up, not a scan of them."""
PAD = "\n\n"
"""After every non-empty value: so a needle of one or two characters starts a trigram wherever it is."""
_HAS = {"abstract_en": 1, "abstract_zh": 2}
"""A row's flags: which abstracts it has (for `has:en`, `has:zh`)."""
_BIT = {bit: bytes(1 if flags & bit else 0 for flags in range(256)) for bit in _HAS.values()}
"""For bytes.translate(): each flags byte to whether it has that bit."""
CHECK_FRACTION = 0.1
"""A short needle's rows not found in the columns in memory are checked one by one when they are at
most this share of all rows (reading a row's texts costs ~6 µs, a trigram's rows a fraction of that)."""
HASH_BYTES = 64 << 20
"""FTS5's memory for a transaction's rows before it writes them as a segment (1 MB by default): a
batch of rows becomes one segment, not dozens to be merged (the index is written in a third of the time)."""
MERGE_LEVEL = 16
"""Segments of a size FTS5 lets gather before it merges them into one (4 by default): each row's
trigrams are merged fewer times (a third less time again); a look-up reads a few more segments."""
PUT_CHUNK = 512
"""Rows put() writes per hold of the lock (~0.15 s at 1M papers): what a search waits for at most."""
MAX_TERMS = 990
"""Phrases OR-ed in one MATCH (a short needle's trigrams, the values of a long OR); more are asked in several."""


@functools.cache
def code_version() -> str:
    """A hash of what decides what the file holds: the folding (index.py), the format, columns and
    padding. (Not this module's search code: a change there must not cost a 1M-paper archive the
    minutes of writing its index again. A change to what put() writes changes FORMAT.)"""
    digest = hashlib.sha256(repr((FORMAT, COLUMNS, PAD)).encode())
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
        self.rows = 0
        """Leading rows the file holds that are trusted (0..rows-1): those of the sealed snapshot."""
        self.flags = bytearray()
        """Each row's abstracts (_HAS bits), kept here, a byte a row (for `has:`)."""
        self._sealed = False
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
                        connection.execute("DELETE FROM texts WHERE rowid >= ?", (rows,))
                        self.rows, self.flags, self._sealed = rows, bytearray(flags), True
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
            INSERT INTO texts (texts, rank) VALUES ('hashsize', {HASH_BYTES}), ('automerge', {MERGE_LEVEL});
            INSERT INTO meta VALUES ('format', '{FORMAT}'), ('identity', NULL), ('rows', 0), ('flags', x'');
            COMMIT;
            """
        )
        self.rows, self.flags, self._sealed = 0, bytearray(), False
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
        connection = self._connection
        try:
            with self._lock:
                connection.execute("BEGIN")
                if self._sealed and any(values[0] < self.rows for values in rows):
                    connection.execute("UPDATE meta SET value = NULL WHERE key = 'identity'")
                    self.rows, self._sealed = 0, False
                flags = self.flags
                written = len(flags)  # rows from here on were never written: nothing to replace
                top = max((values[0] for values in rows), default=-1) + 1
                if len(flags) < top:
                    flags.extend(bytes(top - len(flags)))
                en, zh = COLUMNS.index("abstract_en") + 1, COLUMNS.index("abstract_zh") + 1
                for values in rows:
                    flags[values[0]] = (1 if values[en] else 0) | (2 if values[zh] else 0)
            for start in range(0, len(rows), PUT_CHUNK):
                chunk = rows[start : start + PUT_CHUNK]
                with self._lock:
                    connection.executemany("DELETE FROM texts WHERE rowid = ?", [(values[0],) for values in chunk if values[0] < written])
                    connection.executemany(_INSERT, [(values[0], *map(_padded, values[1:])) for values in chunk])
            with self._lock:
                connection.execute("COMMIT")
        except sqlite3.Error as error:
            with self._lock, contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise TextIndexError(error) from error
        except BaseException:
            with self._lock, contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise

    def seal(self, identity: object, rows: int) -> None:
        """Say that the file's first `rows` rows are those of the load snapshot `identity` (all of
        them, or the leading rows written so far: a build cut short goes on from there next time)."""
        with self._lock:
            self.flags.extend(bytes(max(0, rows - len(self.flags))))
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
                raise TextIndexError(error) from error
            self.rows, self._sealed = rows, True

    # -- reading -------------------------------------------------------------------------------

    def search(self, columns: tuple[str, ...], needles: Iterable[str], in_memory: dict[str, list] | None = None) -> set[int]:
        """The rows with any of the needles (folded, non-empty) in any of these columns.
        `in_memory` may give some of the columns as the store keeps them (a value per row): a
        short needle is looked for there first (see _short)."""
        found: set[int] = set()
        with self._lock:
            with self._state:
                self._searching = True
            try:
                long = []
                for needle in map(_storable, needles):
                    if len(needle) >= 3:
                        long.append(phrase(needle))
                    else:
                        found.update(self._short(columns, needle, in_memory or {}))
                for start in range(0, len(long), MAX_TERMS):  # a 10,000-word OR in a few statements
                    found.update(self._match(columns, long[start : start + MAX_TERMS]))
            except sqlite3.Error as error:
                if getattr(error, "sqlite_errorcode", None) == _INTERRUPTED:
                    raise SearchInterrupted from error
                raise TextIndexError(error) from error
            finally:
                with self._state:
                    self._searching = False
        return found

    def interrupt(self) -> None:
        """Stop the search running now, if one is (from another thread): it raises
        SearchInterrupted. A write (put, seal) is never stopped."""
        with self._state:
            if self._searching:
                self._connection.interrupt()

    def _match(self, columns: tuple[str, ...], phrases: list[str]) -> list[int]:
        expression = "{" + " ".join(columns) + "} : (" + " OR ".join(phrases) + ")"
        return [row for (row,) in self._connection.execute("SELECT rowid FROM texts WHERE texts MATCH ?", (expression,))]

    def _short(self, columns: tuple[str, ...], needle: str, in_memory: dict[str, list]) -> Iterable[int]:
        """A needle of one or two characters. Where the one column is in memory (`title:`,
        `author:`), it is scanned. For one character, where some of them are (a free word's
        titles, authors, id), those are scanned first: a letter is in nearly
        every title, and when few rows are left, only their texts here are looked at. Otherwise the needle is
        the OR of the trigrams it starts, from the vocabulary (as many as it has: hundreds for a
        letter, and every row they are in)."""
        here = [in_memory[name] for name in columns if name in in_memory]
        if len(here) == 1 == len(columns):  # (`title:m`, `author:zh`) a scan of it is the answer
            return [row for row, value in enumerate(here[0]) if needle in value]
        if here and len(needle) == 1:  # two characters are in too few titles for this to pay
            rest = [row for row, value in enumerate(here[0]) if needle not in value]
            for column in here[1:]:
                rest = [row for row in rest if needle not in column[row]]
            if len(rest) <= len(here[0]) * CHECK_FRACTION:
                found = set(range(len(here[0])))
                found.difference_update(rest)
                return found.union(self._check(tuple(name for name in columns if name not in in_memory), needle, rest))
        last = needle + "\U0010ffff" * (3 - len(needle))
        terms = [
            phrase(term)
            for (term,) in self._connection.execute("SELECT term FROM vocabulary WHERE term >= ? AND term <= ?", (needle, last))
            if term.startswith(needle)
        ]
        rows: list[int] = []
        for start in range(0, len(terms), MAX_TERMS):
            rows.extend(self._match(columns, terms[start : start + MAX_TERMS]))
        return rows

    def _check(self, columns: tuple[str, ...], needle: str, rows: list[int]) -> list[int]:
        """Those of `rows` with the needle in any of these columns, by reading their values."""
        if not rows or not columns:
            return []
        test = " OR ".join(f"instr({name}, ?) > 0" for name in columns)
        statement = f"SELECT rowid FROM texts WHERE rowid IN (SELECT value FROM json_each(?)) AND ({test})"
        return [row for (row,) in self._connection.execute(statement, (json.dumps(rows), *[needle] * len(columns)))]

    def having(self, column: str) -> set[int]:
        """The rows whose value of this abstract column is not empty."""
        bit = _HAS[column]
        return set(itertools.compress(itertools.count(), self.flags.translate(_BIT[bit])))


_INSERT = f"INSERT INTO texts (rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})"


_INTERRUPTED = 9
"""SQLITE_INTERRUPT: a statement stopped by Connection.interrupt()."""
_IN_USE = (5, 6)
"""SQLITE_BUSY, SQLITE_LOCKED: another connection holds the file."""


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
    return _storable(value) + PAD if value else ""
