"""The morning ledger: for each listing day and category, how many papers arXiv announced (from
its own feeds and listing e-mails), how many of them the other loaded digests carry, how many the
user has read, and how many are left; and the starred papers arXiv announced again as replaced."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .fetch import ARXIV_FORMATS

from .loading.cache import ParseCache
from .loading.loader import Parsed, read_file
from .model import ANNOUNCE_TYPES, Mark, Paper
from .store import Store

LISTING_FORMATS = ("arxiv-email", *ARXIV_FORMATS)
"""arXiv's own daily listings: what arXiv announced, whole. Every other format is a digest of them."""
ALL = "all"
"""The category of a day's total row."""


@dataclass
class Row:
    """One day and category of the ledger."""

    day: str
    category: str
    new: int = 0
    cross: int = 0
    replacement: int = 0
    in_digests: int = 0  # of those announced: also in a loaded digest that is not an arXiv listing
    read: int = 0

    @property
    def announced(self) -> int:
        return self.new + self.cross + self.replacement

    @property
    def left(self) -> int:
        return self.announced - self.read

    @property
    def done(self) -> bool:
        return self.announced > 0 and self.left == 0


@dataclass
class Ledger:
    """Rows by day (newest first), each day's total row first; `replacements`: every paper arXiv
    announced as a replacement, with the newest such listing day; `replaced`: those the user starred."""

    rows: list[Row]
    replaced: dict[str, str]
    replacements: dict[str, str] = field(default_factory=dict)

    def days(self) -> list[str]:
        return list(dict.fromkeys(row.day for row in self.rows))

    def day(self, day: str) -> list[Row]:
        return [row for row in self.rows if row.day == day]

    def total(self, day: str) -> Row | None:
        return next((row for row in self.rows if row.day == day and row.category == ALL), None)

    def done_days(self) -> set[str]:
        return {row.day for row in self.rows if row.category == ALL and row.done}


def listing_files(store: Store) -> list[str]:
    """The loaded files that are arXiv's own listings, in the order they were loaded."""
    return [file for file, read_as in store.file_formats().items() if read_as in LISTING_FORMATS]


def read_listings(files: Iterable[str], cache: ParseCache | None = None) -> Iterator[tuple[str, list[Paper]]]:
    """Each listing file's own papers, as that file announced them (from the parse cache when it is
    unchanged): the store's merged records keep one announcement kind per paper, a listing has its own."""
    for path in files:
        try:
            info = os.stat(path)
        except OSError:
            continue  # gone since it was loaded: the watcher takes its papers away
        item = read_file(path, info, cache)
        if isinstance(item, Parsed):
            yield path, item.result.papers


def category_of(paper: Paper, subscribed: Iterable[str] = ()) -> str:
    """The row a paper counts in: the first of its categories the user fetches, else its primary one."""
    wanted = set(subscribed)
    for category in paper.categories:
        if category in wanted:
            return category
    return paper.categories[0] if paper.categories else "?"


_FIELD = {"new": "new", "cross-list": "cross", "replacement": "replacement"}


def make_ledger(
    listings: Iterable[tuple[str, list[Paper]]],
    store: Store,
    mark_of: Callable[[str], Mark],
    subscribed: Iterable[str] = (),
) -> Ledger:
    """Count each (day, paper) once, whichever listings of that day name it (a feed and the e-mail of
    one mailing agree); a paper arXiv announces on two days (new, then replaced) counts on both."""
    subscribed = tuple(subscribed)
    seen: dict[tuple[str, str], tuple[str, str]] = {}  # (day, key) -> (category, kind)
    for _path, papers in listings:
        for paper in papers:
            if paper.announce_type not in ANNOUNCE_TYPES or not paper.date:
                continue
            seen.setdefault((paper.date, paper.key), (category_of(paper, subscribed), paper.announce_type))
    rows: dict[tuple[str, str], Row] = {}
    replacements: dict[str, str] = {}
    elsewhere: dict[str, bool] = {}
    for (day, key), (category, kind) in seen.items():
        if key not in elsewhere:
            row = store.row(key)
            sources = store.papers[row].sources if row is not None else ()
            elsewhere[key] = any(source.format not in LISTING_FORMATS for source in sources)
        mark = mark_of(key)
        for name in (ALL, category):
            row_of = rows.get((day, name))
            if row_of is None:
                row_of = rows[(day, name)] = Row(day, name)
            setattr(row_of, _FIELD[kind], getattr(row_of, _FIELD[kind]) + 1)
            row_of.in_digests += elsewhere[key]
            row_of.read += mark.read
        if kind == "replacement" and day > replacements.get(key, ""):
            replacements[key] = day
    replaced = {key: day for key, day in replacements.items() if mark_of(key).starred}
    ordered = sorted(rows.values(), key=lambda r: (_descending(r.day), r.category != ALL, -r.announced, r.category))
    return Ledger(ordered, replaced, replacements)


def _descending(day: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in day)


def ledger_of(store: Store, mark_of: Callable[[str], Mark], subscribed: Iterable[str] = (),
              cache: ParseCache | None = None) -> Ledger:
    """The ledger of everything loaded in `store`."""
    return make_ledger(read_listings(listing_files(store), cache), store, mark_of, subscribed)


HEADER = ("day", "category", "new", "cross", "repl", "announced", "in digests", "read", "left")


def table(ledger: Ledger, day: str | None = None) -> list[tuple[str, ...]]:
    """The ledger as rows of cells (the header first), one day or all; a done day says so."""
    lines = [HEADER]
    for row in ledger.rows:
        if day is not None and row.day != day:
            continue
        left = "done" if row.done else str(row.left)
        lines.append((row.day, row.category, str(row.new), str(row.cross), str(row.replacement), str(row.announced),
                      str(row.in_digests), str(row.read), left))
    return lines


def format_table(cells: list[tuple[str, ...]]) -> str:
    """Cells as aligned text: text columns left, numbers right."""
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))]
    out = []
    for line in cells:
        parts = [cell.ljust(width) if i < 2 else cell.rjust(width) for i, (cell, width) in enumerate(zip(line, widths))]
        out.append("  ".join(parts).rstrip())
    return "\n".join(out) + "\n"
