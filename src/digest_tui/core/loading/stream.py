"""A file parsed by another process and handed over a batch of papers at a time (the head start's stream, see loader.HeadStart).

The copy parses the file as the loading thread would (parsers.batched.BatchedFile) and sends each
batch as it comes: the batch marshalled into a file in memory both processes hold (a memfd, so a
slow reader never holds the parser up: a pipe holds 64 KB), and where it is there, a record on a
pipe. The messages, in order: ("file", path, stamp), then ("batch", papers, their sources, papers
listed again, theirs) for each batch, then ("done", format, warnings) or ("failed", reason). A
copy that stops sending (it died, or is stuck) is stopped, and the file is parsed here from the
batch after the last one received: a BatchedFile gives the same batches in the same order.
"""

from __future__ import annotations

import marshal
import operator
import os
import select
import struct
from collections.abc import Callable, Iterator

from ..model import Paper, ParseResult, Source, merge

RECORD = struct.Struct("<QQ")
"""A record on the pipe: where a message starts in the shared file, and its length."""
_new_tuple = tuple.__new__
_KEY = operator.itemgetter(0)


def send(path: str, stamp: tuple[int, int, int, int], records: int, shared: int) -> None:
    """In the copy: the papers of the file at `path` (whose stamp is `stamp`), a batch at a time,
    through the pipe `records` and the shared file `shared` (see the module's docstring)."""
    from ..parsers.batched import BatchedFile

    end = 0

    def message(value: tuple) -> None:
        nonlocal end
        data = memoryview(marshal.dumps(value))
        at = 0
        while at < len(data):
            at += os.pwrite(shared, data[at:], end + at)
        os.write(records, RECORD.pack(end, len(data)))  # 16 bytes: written whole (PIPE_BUF)
        end += len(data)

    message(("file", path, stamp))
    reading = BatchedFile(path)
    try:
        for firsts, again in reading:
            message(("batch", *_rows(firsts), *_rows(again)))
    except Exception as error:  # BatchedFile's DigestError; anything else is a parser bug, said in one line
        from .loader import _reason

        message(("failed", _reason(error)))
        return
    message(("done", reading.result.format, reading.result.warnings))


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
    batch (papers listed for the first time, papers listed again), then `result` is the file's
    ParseResult; a failure is a DigestError, raised after the batches before it were given.
    `stop()` ends the copy when it has sent nothing for `wait_seconds`."""

    def __init__(self, path: str, records: int, shared: int, wait_seconds: float, stop: Callable[[], object]) -> None:
        self.path = path
        self.result: ParseResult | None = None
        self._records, self._shared = records, shared
        self._wait_seconds, self._stop = wait_seconds, stop
        self._sources: tuple[tuple, tuple[Source, ...]] = ((), ())
        self._merged: dict[str, Paper] = {}  # by key, as BatchedFile merges them: the result's papers

    @classmethod
    def open(
        cls, records: int, shared: int, path: str, stamp: tuple[int, int, int, int], wait_seconds: float,
        stop: Callable[[], object],
    ) -> Streamed | None:  # fmt: skip
        """The stream of `path` as it is now (`stamp`), when the copy sends that file; else None (it
        sends nothing, or another file or version of it: then it is stopped)."""
        first = _receive(records, shared, wait_seconds)
        if first is None:
            return None
        if first != ("file", path, stamp):
            stop()
            return None
        return cls(path, records, shared, wait_seconds, stop)

    def __iter__(self) -> Iterator[tuple[list[Paper], list[Paper]]]:
        # after the first batch, those already sent when one is taken come with it, as one: a
        # load that the copy is ahead of takes the rest of the file in one step (one store.add)
        given = 0
        firsts: list[Paper] = []
        again: list[Paper] = []
        message = _receive(self._records, self._shared, self._wait_seconds)
        while True:
            kind = message[0] if message is not None else None
            if kind == "batch":
                self._take(message, firsts, again)
                given += 1
                if given == 1 or not _ready(self._records):  # the first alone: on screen at once
                    yield firsts, again
                    firsts, again = [], []
                message = _receive(self._records, self._shared, self._wait_seconds)
                continue
            if firsts or again:
                yield firsts, again
            if kind == "done":
                self.result = ParseResult(list(self._merged.values()), message[1], message[2])
                return
            if kind == "failed":
                from ..parsers.errors import DigestError  # (a load of a file that parses imports no parser here)

                raise DigestError(message[1])
            self._stop()  # the copy died or is stuck: the rest is read here
            yield from self._here(given)
            return

    def _take(self, message: tuple, firsts: list[Paper], again: list[Paper]) -> None:
        """A batch message's papers, onto `firsts` and `again`, and merged into the result's."""
        _kind, first_rows, sources, again_rows, again_sources = message
        new, more = self._papers(first_rows, sources), self._papers(again_rows, again_sources)
        merged = self._merged
        merged.update(zip(map(_KEY, new), new))
        for paper in more:
            merged[paper.key] = merge(merged[paper.key], paper)
        firsts.extend(new)
        again.extend(more)

    def _papers(self, rows: list[tuple], sources: tuple | list[tuple]) -> list[Paper]:
        if sources.__class__ is tuple:
            if sources != self._sources[0]:
                self._sources = (sources, tuple(Source(*source) for source in sources))
            shared = (self._sources[1],)
            papers = [_new_tuple(Paper, row + shared) for row in rows]
        else:
            papers = [_new_tuple(Paper, (*row, tuple(Source(*s) for s in own))) for row, own in zip(rows, sources)]
        return papers

    def _here(self, given: int) -> Iterator[tuple[list[Paper], list[Paper]]]:
        """The batches after the first `given`, parsed here (the file's result too)."""
        from ..parsers.batched import BatchedFile

        reading = BatchedFile(self.path)
        for index, batch in enumerate(reading):
            if index >= given:
                yield batch
        self.result = reading.result


def _receive(records: int, shared: int, wait_seconds: float) -> tuple | None:
    """The next message, or None when the copy sends none within `wait_seconds` (ended or stuck)."""
    record = b""
    while len(record) < RECORD.size:
        ready, _, _ = select.select([records], [], [], wait_seconds)
        if not ready:
            return None
        more = os.read(records, RECORD.size - len(record))
        if not more:
            return None
        record += more
    at, length = RECORD.unpack(record)
    data = os.pread(shared, length, at)
    if len(data) != length:
        return None
    try:
        message = marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None
    return message if message.__class__ is tuple and message else None


def _ready(records: int) -> bool:
    """Whether a record is there to read now."""
    return bool(select.select([records], [], [], 0)[0])
