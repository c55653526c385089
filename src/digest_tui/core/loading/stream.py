"""A file parsed by another process and handed over a batch of papers at a time (the head start's stream, see loader.HeadStart).

The copy parses the file as the loading thread would (parsers.batched.BatchedFile) and sends each
batch as it comes: the batch marshalled into a file in memory both processes hold (a memfd, so a
slow reader never holds the parser up: a pipe holds 64 KB), and where it is there, a record on a
pipe. The messages, in order: ("file", path, stamp, parts), then ("batch", papers, their
sources, papers listed again, theirs, the papers' folded titles) for each batch (what the store
merges by is worked out there, on the copy's CPU), then ("done", format, warnings) or ("failed",
reason). A big file cut into parts for the parsing processes (parsers.batched) is sent as far as
its first part, the parts as the copy planned them in the first message: then the last message is
("part", warnings, what the libraries warned, whether the file is UTF-8 throughout), and the load
reads the other parts. A
copy that stops sending (it died, or is stuck) is stopped, and the file is parsed here from the
batch after the last one received: a BatchedFile gives the same batches in the same order.
"""

from __future__ import annotations

import collections
import marshal
import operator
import os
import select
import struct
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..model import Paper, ParseResult, Source, folded_title, merge

if TYPE_CHECKING:
    from ..parsers.batched import Parts

RECORD = struct.Struct("<QQ?")
"""A record on the pipe: where a message starts in the shared file, its length, and whether it
is the last ("done" or "failed": a reader can tell the whole file is there without loading it)."""
_new_tuple = tuple.__new__
_KEY = operator.itemgetter(0)
_LAST = ("done", "part", "failed")


def send(path: str, stamp: tuple[int, int, int, int], records: int, shared: int, parts: Parts | None = None) -> None:
    """In the copy: the papers of the file at `path` (whose stamp is `stamp`), a batch at a time,
    through the pipe `records` and the shared file `shared` (see the module's docstring); with
    `parts` (a big file cut for the parsing processes), those of its first part only."""
    from dataclasses import replace

    from ..parsers import DigestError
    from ..parsers.batched import BatchedFile

    end = 0

    def message(value: tuple) -> None:
        nonlocal end
        data = memoryview(marshal.dumps(value))
        at = 0
        while at < len(data):
            at += os.pwrite(shared, data[at:], end + at)
        os.write(records, RECORD.pack(end, len(data), value[0] in _LAST))  # written whole (PIPE_BUF)
        end += len(data)

    plan = None if parts is None else (parts.cuts, parts.format, parts.context, parts.checked)
    message(("file", path, stamp, plan))
    # the first part alone, the rest of the file unlooked at: the load checks it, with the parts as planned
    reading = BatchedFile(path) if parts is None else BatchedFile(path, replace(parts, checked=True))
    try:
        for firsts, again in reading:
            message(("batch", *_rows(firsts), *_rows(again), list(map(folded_title, firsts))))
    except DigestError as error:  # BatchedFile's every failure (anything else ends the copy: the load then reads the file)
        message(("failed", str(error)))
        return
    if parts is None:
        message(("done", reading.result.format, reading.result.warnings))
    else:  # and whether the rest is UTF-8 (when the first part is ASCII), which the load need not look at then
        from ..parsers.batched import _rest_utf8

        _papers, warnings, said = reading.first
        message(("part", warnings, said, parts.checked or _rest_utf8(path, parts)))


def _rows(papers: list[Paper]) -> tuple[list[tuple], tuple | list[tuple]]:
    """Papers as marshal can write them: their values without their sources, and the sources, once
    when they all have the same (a listing's papers all come from one file), else one per paper."""
    rows = [paper[:-1] for paper in papers]
    first = papers[0][-1] if papers else ()
    if all(paper[-1] == first for paper in papers):
        return rows, tuple(map(tuple, first))
    return rows, [tuple(map(tuple, paper[-1])) for paper in papers]


class Streamed:
    """The papers of a file a copy sends, iterated as a parsers.batched.BatchedFile is: each
    batch (papers listed for the first time, papers listed again, and the first ones' folded
    titles, or None when they are not known), then `result` is the file's ParseResult; a failure
    is a DigestError, raised after the batches before it were given. The first batch comes alone
    (on screen at once), unless the whole file is there already (not a cut file's first part,
    which the other parts follow); after it, the batches sent by
    the time one is taken come as one (a load the copy is ahead of takes the rest in one step).
    `whole` says whether the batch given last was the file's last. `stop()` ends the copy when it
    has sent nothing for `wait_seconds`."""

    def __init__(
        self, path: str, parts: tuple | None, records: _Records, wait_seconds: float, stop: Callable[[], object],
    ) -> None:  # fmt: skip
        self.path = path
        self.parts = parts
        """A cut file's parts (Parts' fields) when only its first part is sent (once it is, `checked`
        says whether the whole file is UTF-8); None for a whole file."""
        self.result: ParseResult | None = None
        """The whole file's, once its last batch is given."""
        self.first: tuple[dict[str, Paper], list[str], list[str]] | None = None
        """A cut file's first part, once its last batch is given: BatchedFile's `first`."""
        self.whole = False
        self._records, self._wait_seconds, self._stop = records, wait_seconds, stop
        self._sources: tuple[tuple, tuple[Source, ...]] = ((), ())
        self._merged: dict[str, Paper] = {}  # by key, as BatchedFile merges them: the result's papers

    @classmethod
    def open(
        cls, records: int, shared: int, path: str, stamp: tuple[int, int, int, int], wait_seconds: float,
        stop: Callable[[], object],
    ) -> Streamed | None:  # fmt: skip
        """The stream of `path` as it is now (`stamp`), when the copy sends that file; else None (it
        sends nothing, or another file or version of it: then it is stopped)."""
        reader = _Records(records, shared)
        if not reader.fill(wait_seconds):
            if not reader.ended:
                stop()  # stuck before it began
            return None
        first = reader.take()
        if first is None or first[:3] != ("file", path, stamp) or len(first) != 4:
            stop()
            return None
        return cls(path, first[3], reader, wait_seconds, stop)

    def __iter__(self) -> Iterator[tuple[list[Paper], list[Paper], list[str | None] | None]]:
        records = self._records
        given = 0
        while True:
            if not records.pending and not records.fill(self._wait_seconds):
                self._stop()  # the copy died or is stuck: the rest is read here
                yield from self._here(given)
                return
            records.fill(0.0)  # and whatever else is there now
            if records.last():
                message = records.take()
                if message is None:
                    continue  # (unreadable: as if the copy had stopped)
                if message[0] == "done":
                    self.result = ParseResult(list(self._merged.values()), message[1], message[2])
                    return
                if message[0] == "part":
                    self.first = (self._merged, message[1], message[2])
                    self.parts = (*self.parts[:3], message[3])
                    return
                from ..parsers.errors import DigestError  # (a load of a file that parses imports no parser here)

                raise DigestError(message[1])
            count = len(records.pending) - records.ends()
            if given == 0 and (not records.ends() or self.parts is not None):
                count = 1  # the first alone: on screen at once (unless it is all there is)
            firsts: list[Paper] = []
            again: list[Paper] = []
            titles: list[str | None] = []
            for _ in range(count):
                message = records.take()
                if message is None or message[0] != "batch":
                    records.pending.clear()
                    records.ended = True  # (unreadable: as if the copy had stopped)
                    break
                self._take(message, firsts, again, titles)
                given += 1
            self.whole = bool(records.ends()) and self.parts is None
            if firsts or again:
                yield firsts, again, titles

    def _take(self, message: tuple, firsts: list[Paper], again: list[Paper], titles: list[str | None]) -> None:
        """A batch message's papers, onto `firsts` and `again` (and the titles), and merged into the result's."""
        _kind, first_rows, sources, again_rows, again_sources, first_titles = message
        new, more = self._papers(first_rows, sources), self._papers(again_rows, again_sources)
        merged = self._merged
        merged.update(zip(map(_KEY, new), new))
        for paper in more:
            merged[paper.key] = merge(merged[paper.key], paper)
        firsts.extend(new)
        again.extend(more)
        titles.extend(first_titles)

    def _papers(self, rows: list[tuple], sources: tuple | list[tuple]) -> list[Paper]:
        if sources.__class__ is tuple:
            if sources != self._sources[0]:
                self._sources = (sources, tuple(Source(*source) for source in sources))
            shared = (self._sources[1],)
            return [_new_tuple(Paper, row + shared) for row in rows]
        return [_new_tuple(Paper, (*row, tuple(Source(*s) for s in own))) for row, own in zip(rows, sources)]

    def _here(self, given: int) -> Iterator[tuple[list[Paper], list[Paper], None]]:
        """The batches after the first `given`, parsed here (the file's result too, or its first part's `first`)."""
        from ..parsers.batched import BatchedFile, Parts

        # (a cut file's first part with the rest unlooked at, as the copy read it)
        reading = BatchedFile(self.path) if self.parts is None else BatchedFile(self.path, Parts(*self.parts[:3], True))
        for index, (firsts, again) in enumerate(reading):
            if index >= given:
                self.whole = False
                yield firsts, again, None
        self.result, self.first = reading.result, reading.first


class _Records:
    """The records come so far on the pipe, not yet taken, and their messages in the shared file."""

    def __init__(self, records: int, shared: int) -> None:
        self.records, self.shared = records, shared
        self.pending: collections.deque[tuple[int, int, bool]] = collections.deque()
        self._bytes = b""  # a record read in part
        self.ended = False
        """Whether no more records can come (the pipe is closed: the copy has ended)."""

    def fill(self, wait_seconds: float) -> bool:
        """Read the records there are (waiting up to `wait_seconds` for one when there are none);
        whether any is pending now."""
        while not self.ended:
            ready, _, _ = select.select([self.records], [], [], wait_seconds if not self.pending else 0.0)
            if not ready:
                break
            data = os.read(self.records, 1 << 16)
            if not data:
                self.ended = True
                break
            data = self._bytes + data
            whole = len(data) - len(data) % RECORD.size
            self.pending.extend(RECORD.iter_unpack(data[:whole]))
            self._bytes = data[whole:]
        return bool(self.pending)

    def last(self) -> bool:
        """Whether the next record is the last message."""
        return bool(self.pending) and self.pending[0][2]

    def ends(self) -> int:
        """1 when the last message is among the pending records (it is the last of them), else 0."""
        return int(bool(self.pending) and self.pending[-1][2])

    def take(self) -> tuple | None:
        """The next pending record's message (None if it cannot be read back: then none follows)."""
        at, length, _last = self.pending.popleft()
        data = os.pread(self.shared, length, at)
        try:
            message = marshal.loads(data) if len(data) == length else None
        except (ValueError, EOFError, TypeError):
            message = None
        if message.__class__ is not tuple or not message:
            self.pending.clear()
            self.ended = True  # nothing after it is taken: the rest is read from the file
            return None
        return message
