"""A file parsed a batch of papers at a time, and a big listing e-mail cut at its entries into parts other processes read.

A big listing e-mail (a hundred thousand papers, 125 MB) should show its first papers at once and
use every CPU. `BatchedFile` gives a file's papers in batches as the parser reads them; given
`Parts` (plan_parts()), it reads the first part itself and takes the others' papers, in order,
from whoever read them (read_part(), in a parsing process, or here). Either way the batches,
merged by key, are exactly what parse_file() gives for the file, and so are its warnings.

A file is cut only where that cannot change what it says: it is valid UTF-8 throughout (a file
that is not is decoded as a whole, as GB18030), its head holds the mail headers, the section
header and the first entry (unquoted), and each cut is at the start of a line of 78 dashes after
the first entry (a separator line, a line break before it); each later part is told the listing's
date, which the head decides.
"""

from __future__ import annotations

import codecs
import datetime as dt
import gc
import marshal
import warnings as _warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from types import ModuleType

from ..model import Paper, ParseResult, merge
from . import FORMATS, MAX_FILE_BYTES, SNIFF_CHARS, detect, failure, finished, first_warning, in_maildir, lines_warning
from . import cut_warning, library_lines, parse_read, read_text
from . import _COMPLETIONS, _decode_at_most_cut, _decodes
from .errors import DigestError

HEAD_BYTES = 256 * 1024
"""The head read to decide whether and how a file is cut."""
FIRST_PART_BYTES = 2 * 2**20
"""About how much the first part holds: read here before the others, its papers shown first."""
_CUT = b"\n" + b"-" * 78 + b"\n"
_NEW = "\n"


@dataclass(frozen=True, slots=True)
class Parts:
    """Where a file is cut (byte offsets: 0, each cut, the size), its format's name, and what the
    parts after the first need to know of the head (the format's cut_context())."""

    cuts: tuple[int, ...]
    format: str
    context: tuple
    checked: bool = True
    """Whether the file is known to be UTF-8 throughout; if not, its first part is ASCII (which
    reads the same in UTF-8 and GB18030) and the rest is looked at once that part is shown."""

    def __len__(self) -> int:
        return len(self.cuts) - 1


def plan_parts(path: str, size: int, part_bytes: int) -> Parts | None:
    """Where to cut a file of `size` bytes into parts of about `part_bytes` (the first smaller),
    or None when it cannot be cut without changing what it says (see the module's docstring)."""
    if size > MAX_FILE_BYTES or in_maildir(path):
        return None
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
            if len(head) < HEAD_BYTES or b"\x00" in head[:8192] or head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
                return None
            try:
                text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            except UnicodeDecodeError:
                return None
            text = text.replace("\r\n", _NEW).replace("\r", _NEW)
            if len(text) <= SNIFF_CHARS + 1:
                return None
            try:
                module = detect(text)
            except DigestError:
                return None
            context = module.cut_context(text) if hasattr(module, "cut_context") else None
            if context is None:
                return None
            cuts = [0]
            target = max(FIRST_PART_BYTES, HEAD_BYTES)
            while target < size:
                at = _cut_at(handle, target, size)
                if at is None:
                    break
                cuts.append(at)
                target = at + part_bytes
            if len(cuts) < 2:
                return None
            handle.seek(0)
            checked = not handle.read(cuts[1]).isascii()  # a first part that is not ASCII: the whole file looked at now
            if checked and not _all_utf8(handle, 0, size):
                return None
    except OSError:
        return None
    return Parts((*cuts, size), module.NAME, context, checked)


def _all_utf8(handle, start: int, size: int) -> bool:
    """Whether the file from `start` (a line's start) is UTF-8 as decode() reads it (its last
    character may be cut), read a few MB at a time (ASCII, nearly every listing, is seen as such
    without decoding it)."""
    handle.seek(start)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := handle.read(8 * 2**20):
            if not chunk.isascii() or decoder.getstate()[0]:
                decoder.decode(chunk, final=False)
    except UnicodeDecodeError:
        return False
    pending = decoder.getstate()[0]
    return not pending or any(_decodes(pending + end, "utf-8") for end in _COMPLETIONS)


def _rest_utf8(path: str, parts: Parts) -> bool:
    """Whether the file after its first part is UTF-8 (see Parts.checked)."""
    try:
        with open(path, "rb") as handle:
            return _all_utf8(handle, parts.cuts[1], parts.cuts[-1])
    except OSError:
        return False


def _cut_at(handle, target: int, size: int) -> int | None:
    """The start of the first line of 78 dashes at or after `target`; None if there is none."""
    window = 2**20
    at = target
    while at < size:
        handle.seek(at - 1)
        data = handle.read(window + len(_CUT))
        found = data.find(_CUT)
        if found != -1:
            return at - 1 + found + 1
        at += window
    return None


def _module(name: str) -> ModuleType:
    return next(module for module in FORMATS if name == module.NAME)


def _read_bytes(path: str, start: int, end: int) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    if len(data) != end - start:
        raise DigestError("changed while it was read")
    return data


def _part_text(path: str, parts: Parts, index: int) -> tuple[str, bool]:
    """A part's text as decode() makes it, and (for the last) whether the file ends inside a character."""
    data = _read_bytes(path, parts.cuts[index], parts.cuts[index + 1])
    if index + 1 == len(parts):
        text, cut = _decode_at_most_cut(data, "utf-8")
    else:
        text, cut = data.decode("utf-8"), False
    del data
    if "\r" in text:
        text = text.replace("\r\n", _NEW).replace("\r", _NEW)
    return text, cut


def read_part(path: str, parts: Parts, index: int) -> bytes:
    """In a parsing process (or here): part `index` (from 1) of a cut file, parsed, as marshalled
    (papers without their sources, warnings, what the libraries warned, whether the file ends inside a character)."""
    was_on = gc.isenabled()
    gc.disable()  # a part makes tens of thousands of objects and no cycles
    try:
        papers, warnings, lines, cut = parse_part(path, parts, index)
        return marshal.dumps(([paper[:-1] for paper in papers], warnings, lines, cut))
    finally:
        if was_on:
            gc.enable()


def parse_part(path: str, parts: Parts, index: int) -> tuple[list[Paper], list[str], list[str], bool]:
    """Part `index` (from 1) of a cut file, parsed: its papers, warnings, what the libraries warned,
    and whether the file ends inside a character."""
    module = _module(parts.format)
    text, cut = _part_text(path, parts, index)
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        papers, warnings = module.parse_part(text, path, parts.context)
    return papers, warnings, library_lines(caught), cut


PART_BYTES = 8 * 2**20
"""About how much one part of a file parse_in_parts() reads holds."""


def parse_in_parts(path: str, size: int) -> ParseResult | None:
    """parse_file() of a big file that can be cut (plan_parts()), read and parsed a part at a time
    here: the same result, with a part's text in memory at a time rather than the whole file's text
    and bytes (a 125 MB listing peaks a third lower, and its memory is touched for the first time
    half as often); None when the file cannot be cut."""
    parts = plan_parts(path, size, PART_BYTES)
    if parts is None:
        return None
    not_utf8: list[int] = []

    def later() -> Iterator[tuple[list[Paper], list[str], list[str], bool]]:
        for index in range(1, len(parts)):
            try:
                yield parse_part(path, parts, index)
            except UnicodeDecodeError:
                not_utf8.append(index)
                raise

    # each part is decoded as UTF-8 as it comes (the rest of a file with an ASCII first part is not
    # read an extra time beforehand): a part that is not means the whole file is read as decode() reads it
    reading = BatchedFile(path, replace(parts, checked=True), later())
    try:
        for _batch in reading:
            pass
    except DigestError:
        if not_utf8:
            return None
        raise
    return reading.result


def _split(papers: dict[str, Paper], batch: list[Paper]) -> tuple[list[Paper], list[Paper]]:
    """A batch's papers whose key comes for the first time, and those listed again; all merged into `papers`."""
    firsts: list[Paper] = []
    again: list[Paper] = []
    for paper in batch:
        old = papers.get(paper.key)
        if old is None:
            papers[paper.key] = paper
            firsts.append(paper)
        else:
            papers[paper.key] = merge(old, paper)
            again.append(paper)
    return firsts, again


class BatchedFile:
    """One file parsed a batch of papers at a time. Iterate it for the batches: each is (papers
    listed for the first time, papers listed again), in file order; the first of each batch merged
    with the second, all by key, are the file's papers, and once it is exhausted `result` is
    exactly what parse_file() gives. A format that cannot read in batches (it has no
    parse_batches()) comes as one batch. With `parts`, the first part is read here and `later`
    gives read_part() (or parse_part()) of each other part, in order; without `later`, only the
    first part is read (no `result`). Once the first part is read, `first` is what the rest of
    the file needs of it (its papers by key, its warnings, what the libraries warned); given
    `first`, the first part is not read here (another process read it) and the batches are those
    of the other parts. Every failure is a DigestError, as in parse_file(); one raised after some
    batches leaves those given."""

    def __init__(
        self, path: str, parts: Parts | None = None, later: Iterator[bytes] | None = None,
        first: tuple[dict[str, Paper], list[str], list[str]] | None = None,
    ) -> None:  # fmt: skip
        self.path = path
        self.parts, self.later = parts, later
        self.first = first
        self.result: ParseResult | None = None

    def __iter__(self) -> Iterator[tuple[list[Paper], list[Paper]]]:
        path, parts = self.path, self.parts
        if parts is None:
            text, cut, info = read_text(path)
            module = None if in_maildir(path) else detect(text)
            if module is None or not hasattr(module, "parse_batches"):
                self.result = parse_read(path, text, cut, dt.date.fromtimestamp(info.st_mtime))
                del text
                if self.result.papers:
                    yield self.result.papers, []
                return
        elif self.first is None:
            module = _module(parts.format)
            try:
                text, cut = _part_text(path, parts, 0)
            except (OSError, UnicodeDecodeError) as error:
                raise failure(module, error) from None
        else:
            module, text, cut = _module(parts.format), None, False
        if text is not None:
            yield from self._read_first(module, text)
            del text
        papers, warnings, said = self.first
        if parts is not None and self.later is None:
            return  # the first part only
        if parts is not None and not parts.checked and not _rest_utf8(path, parts):
            # not UTF-8 after the (ASCII) first part: the file reads as GB18030, as decode() reads a
            # whole file, and the rest is parsed here in one piece (the parts' tasks never start)
            if self.later is not None:
                self.later.close()
            self.later = None
            try:
                data = _read_bytes(path, parts.cuts[1], parts.cuts[-1])
                text, cut = _decode_at_most_cut(data, "gb18030")
            except (OSError, UnicodeDecodeError):
                raise DigestError("not valid UTF-8 or GB18030 text") from None
            del data
            if "\r" in text:
                text = text.replace("\r\n", _NEW).replace("\r", _NEW)
            try:
                with _warnings.catch_warnings(record=True) as caught:
                    _warnings.simplefilter("always")
                    batch, notes = module.parse_part(text, path, parts.context)
            except Exception as error:
                raise failure(module, error) from None
            del text
            said.extend(library_lines(caught))
            warnings.extend(notes)
            if batch:
                yield _split(papers, batch)
        if parts is not None and self.later is not None:
            sources = next(iter(papers.values())).sources if papers else None
            for _index in range(1, len(parts)):
                try:
                    answer = next(self.later)
                    if isinstance(answer, bytes):  # read_part()'s, from a parsing process
                        rows, notes, lines, cut = marshal.loads(answer)
                        batch = None
                    else:  # parse_part()'s, read here
                        batch, notes, lines, cut = answer
                except Exception as error:
                    raise failure(module, error) from None
                if sources is None:
                    from ..model import Source

                    sources = (Source(path, module.NAME),)
                if batch is None:
                    batch = [tuple.__new__(Paper, (*row, sources)) for row in rows]
                warnings.extend(notes)
                said.extend(lines)
                if batch:
                    yield _split(papers, batch)
        if not papers and not warnings:
            raise DigestError(module.NO_ENTRIES)
        self.result = finished(module, list(papers.values()), warnings, lines_warning(said))
        if cut:
            self.result.warnings = first_warning(cut_warning(self.result), self.result.warnings)

    def _read_first(self, module: ModuleType, text: str) -> Iterator[tuple[list[Paper], list[Paper]]]:
        """The batches of the text read here (the file's, or its first part's); then `first` is set."""
        batches = module.parse_batches(text, self.path)
        del text  # the batches hold it while they are read
        papers: dict[str, Paper] = {}
        warnings: list[str] = []
        said: list[str] = []
        while True:
            try:
                with _warnings.catch_warnings(record=True) as caught:  # only while the parser runs (see parse_as)
                    _warnings.simplefilter("always")
                    batch, notes = next(batches, (None, None))
            except Exception as error:
                raise failure(module, error) from None
            said.extend(library_lines(caught))
            if batch is None:
                break
            warnings.extend(notes)
            if batch:
                yield _split(papers, batch)
        self.first = (papers, warnings, said)
