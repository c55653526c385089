"""JSON (`.json`): every field digest-tui knows about each paper, for scripts (null where unknown).

The bytes are those of `json.dumps(objects, ensure_ascii=False, indent=2)` plus a line end,
made BATCH papers at a time by core.jsonout (msgspec) and handed on in pieces of about a
megabyte: 100k papers are written without the whole text in memory, several times faster.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..jsonout import dumps
from ..model import Mark, Paper
from ..text import printable
from .common import Details, Record, safe_records

FIELDS = (
    "key", "citekey", "id", "url", "title_en", "title_zh", "authors", "date", "categories", "score", "upvotes",
    "institutions", "topic", "comments", "journal_ref", "doi", "abstract_en", "abstract_zh",
    "starred", "read", "tags", "note",
)  # fmt: skip
BATCH = 256
"""Papers encoded (and laid out) in one call: a piece of about a megabyte."""


def chunks(records: list[Record], keys: list[str], details: Details) -> Iterator[bytes]:
    """The JSON array of objects, one per paper with exactly FIELDS, as UTF-8 in pieces. Each
    paper's values are cleaned (common.safe_paper, the tags and note too) only when one of the
    strings written is not printable: one scan of them tells, and it nearly never is."""
    if not records:
        yield b"[]\n"
        return
    for start in range(0, len(records), BATCH):
        batch = []
        for key, (paper, mark) in zip(keys[start : start + BATCH], records[start : start + BATCH]):
            values = _values(paper, mark, key)
            if not printable(values.values()):
                [(paper, mark)] = safe_records([(paper, mark)])
                values = _values(paper, mark, key)
            batch.append(values)
        # the batch as an array at indent 2, without its brackets: its items, laid out as
        # json.dumps lays out those of the whole array
        yield (b"[\n" if start == 0 else b",\n") + dumps(batch, indent=2)[2:-2]
    yield b"\n]\n"


def _values(paper: Paper, mark: Mark, key: str) -> dict:
    """FIELDS, in order: record_values' values (tuples are written as the same arrays)."""
    return {
        "key": paper.key, "citekey": key, "id": paper.id, "url": paper.url, "title_en": paper.title_en,
        "title_zh": paper.title_zh, "authors": paper.authors, "date": paper.date, "categories": paper.categories,
        "score": paper.score, "upvotes": paper.upvotes, "institutions": paper.institutions, "topic": paper.topic,
        "comments": paper.comments, "journal_ref": paper.journal_ref, "doi": paper.doi,
        "abstract_en": paper.abstract_en, "abstract_zh": paper.abstract_zh, "starred": mark.starred,
        "read": mark.read, "tags": mark.tags, "note": mark.note,
    }  # fmt: skip


def render(records: list[Record], keys: list[str], details: Details) -> str:
    """A JSON array of objects, one per paper, with exactly FIELDS."""
    return b"".join(chunks(records, keys, details)).decode("utf-8")
