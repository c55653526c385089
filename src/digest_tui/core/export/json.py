"""JSON (`.json`): every field digest-tui knows about each paper, for scripts (null where unknown).

The bytes are those of `json.dumps(objects, ensure_ascii=False, indent=2)` plus a line end,
made BATCH papers at a time by core.jsonout (msgspec) and handed on in pieces of about a
megabyte: 100k papers are written without the whole text in memory, several times faster.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator

import msgspec

from ..jsonout import Finder, dumps
from ..model import Mark, Paper
from ..text import CLEANED
from .common import Details, Record, safe_records

FIELDS = (
    "key", "citekey", "id", "url", "title_en", "title_zh", "authors", "date", "categories", "score", "upvotes",
    "institutions", "topic", "comments", "journal_ref", "doi", "abstract_en", "abstract_zh",
    "starred", "read", "tags", "note",
)  # fmt: skip
BATCH = 256
"""Papers encoded (and laid out) in one call: a piece of about a megabyte."""


def chunks(records: list[Record], keys: list[str], details: Details, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
    """The JSON array of objects, one per paper with exactly FIELDS, as UTF-8 in pieces. A batch's
    papers are cleaned (common.safe_records, the tags and notes too) only when its JSON holds a
    character clean() changes: one look at the bytes tells (jsonout.Finder), and it nearly never does."""
    stop = len(records) if stop is None else stop
    if not records:
        yield b"[]\n"
        return
    for at in range(start, stop, BATCH):
        batch, batch_keys = records[at : min(at + BATCH, stop)], keys[at : min(at + BATCH, stop)]
        data = dumps([_record(paper, mark, key) for key, (paper, mark) in zip(batch_keys, batch)], indent=2)
        if _CLEANED_FOUND(data):
            data = dumps([_record(paper, mark, key) for key, (paper, mark) in zip(batch_keys, safe_records(batch))], indent=2)
        # the batch as an array at indent 2, without its brackets: its items, laid out as
        # json.dumps lays out those of the whole array
        yield (b"[\n" if at == 0 else b",\n") + data[2:-2]
    if stop == len(records):
        yield b"\n]\n"


_Record = msgspec.defstruct("_Record", [(name, object) for name in FIELDS])
"""A paper and its mark as the export writes them: FIELDS in order, written as a JSON object (a
struct: msgspec lays it out faster than a dict)."""
_PAPER_FIELDS = operator.itemgetter(*[Paper._fields.index(name) for name in FIELDS[4:-4]])
"""The Paper fields between FIELDS' first four (key, citekey, id, url) and the mark's four."""
assert FIELDS[:4] == ("key", "citekey", "id", "url") and FIELDS[-4:] == ("starred", "read", "tags", "note")
_CLEANED_FOUND = Finder(CLEANED)


def _record(paper: Paper, mark: Mark, key: str) -> _Record:
    """FIELDS, in order: record_values' values (tuples are written as the same arrays)."""
    return _Record(paper.key, key, paper.id, paper.url, *_PAPER_FIELDS(paper), mark.starred, mark.read, mark.tags, mark.note)


def render(records: list[Record], keys: list[str], details: Details) -> str:
    """A JSON array of objects, one per paper, with exactly FIELDS."""
    return b"".join(chunks(records, keys, details)).decode("utf-8")
