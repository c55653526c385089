"""JSON (`.json`): every field digest-tui knows about each paper, for scripts (null where unknown)."""

from __future__ import annotations

import json

from .common import Details, Record, record_values, safe_records

FIELDS = (
    "key", "citekey", "id", "url", "title_en", "title_zh", "authors", "date", "categories", "score", "upvotes",
    "institutions", "topic", "comments", "journal_ref", "doi", "abstract_en", "abstract_zh",
    "starred", "read", "tags", "note",
)  # fmt: skip


def render(records: list[Record], keys: list[str], details: Details) -> str:
    """A JSON array of objects, one per paper, with exactly FIELDS."""
    items = []
    for key, (paper, mark) in zip(keys, safe_records(records)):
        values = record_values(paper, mark, key)
        items.append({name: values[name] for name in FIELDS})
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
