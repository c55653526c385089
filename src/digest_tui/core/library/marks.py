"""The marks in memory: queries, changes, and merging the changes onto another copy's marks.

Each paper's mark by key, snapshots of the papers kept, the tags in use; what changed since the
file was last read or written, and how those changes go onto another copy.

Keys are `Paper.key`: the arXiv id, or `title:` + the normalised title for papers without one.
A starred, tagged or noted paper is *kept*: the library holds a snapshot of it (SNAPSHOT_FIELDS),
so exports work when the digest files are gone. Every change is O(1): nothing big is rebuilt.

Merging (`_take`, under the file's lock, see file.py). Only papers this copy changed are touched;
every other paper takes the other copy's state, so an instance that never looked at paper X
cannot undo another's change to X. A changed paper is merged field by field against its state
when this copy first touched it (or last saved): `starred`, `read` and `note` take this copy's
value only if this copy changed that field, else the other's; tags replay this copy's net
additions and removals onto the other's tags. So a star set here and a tag set there both
survive; the same field changed in both is last-save-wins. The tag order is the other's, then
tags new here. Snapshots: this copy's fields over the other's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType

from ..model import Mark, Paper, make_paper
from ..text import clean

SNAPSHOT_FIELDS = ("id", "title_en", "title_zh", "authors", "date", "categories")
"""Paper fields copied into the library for starred, tagged and noted papers."""

LIST_FIELDS = frozenset(("authors", "categories"))
"""The SNAPSHOT_FIELDS that hold a list of strings."""

NO_MARK = Mark()
READ_MARK = Mark(read=True)
"""Shared by every paper that is only read: years of reading stay small."""


class LibraryError(Exception):
    """A library operation that cannot be done; the message is one line for the user."""


def clean_tag(text: str) -> str:
    """A tag as stored: surrounding space removed, inner runs of whitespace made one `-`
    (so tags stay single words in queries and in space-separated exports)."""
    tag = "-".join(clean(text).split())
    if not tag:
        raise LibraryError("a tag cannot be empty")
    return tag


def clean_note(text: str) -> str:
    """A note as stored: `\\n` line ends, no surrounding blank space, always encodable as UTF-8."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text.encode("utf-8", "replace").decode("utf-8")


def snapshot(paper: Paper) -> dict:
    """The known SNAPSHOT_FIELDS of a paper, control characters made visible (the snapshot ends up
    in the library file and in exports; a raw ESC or a lone surrogate must reach neither)."""
    values = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(paper, name)
        if value:
            values[name] = tuple(clean(v) for v in value) if name in LIST_FIELDS else clean(value)
    return values


def _bare_paper(key: str) -> Paper:
    """A Paper from its key alone, for marks the library has no snapshot of."""
    if key.startswith("title:"):
        return Paper(key=key)
    paper = make_paper(id=key)
    return paper if paper.key == key else paper._replace(key=key)


class Marks:
    """Marks by paper key, snapshots of the papers worth keeping, and the tags in use."""

    def __init__(self) -> None:
        self.changed = False
        """True when there are changes that have not been written yet."""
        self._marks: dict[str, Mark] = {}
        self._snapshots: dict[str, dict] = {}  # kept papers, in the order they were first kept
        self._tag_names: dict[str, str] = {}  # casefolded -> spelling, in the order created
        self._tag_counts: dict[str, int] = {}  # casefolded -> papers carrying it
        # what a merge needs: the changes since the file was last read or written
        self._base: dict[str, Mark] = {}  # key -> its mark before it was first changed since
        self._refreshed: set[str] = set()  # keys whose snapshot took new fields since

    # -- reading marks ---------------------------------------------------------------

    def mark(self, key: str) -> Mark:
        return self._marks.get(key, NO_MARK)

    @property
    def marks(self) -> Mapping[str, Mark]:
        """Every paper's mark by key (papers without one are absent), read-only and live:
        for loops over many papers that would otherwise call mark() each time."""
        return MappingProxyType(self._marks)

    @property
    def snapshots(self) -> Mapping[str, Mapping]:
        """The snapshot fields of every kept paper by key, in the order first kept (read-only)."""
        return MappingProxyType(self._snapshots)

    def paper(self, key: str) -> Paper | None:
        """The paper rebuilt from its snapshot, or None when the library keeps none."""
        values = self._snapshots.get(key)
        if values is None:
            return None
        paper = make_paper(**values)
        # the key is the identity the marks hang on, even if the snapshot would derive another
        return paper if paper.key == key else paper._replace(key=key)

    def tags(self) -> list[str]:
        """Every tag in use, in the order the user first created them."""
        counts = self._tag_counts
        return [name for folded, name in self._tag_names.items() if counts.get(folded)]

    def tag_counts(self) -> dict[str, int]:
        """Tag -> number of papers carrying it, in tags() order."""
        counts = self._tag_counts
        return {name: counts[folded] for folded, name in self._tag_names.items() if counts.get(folded)}

    def starred_keys(self) -> list[str]:
        return [key for key in self._snapshots if self._marks[key].starred]

    def kept_keys(self) -> list[str]:
        """Keys of every starred, tagged or noted paper, in the order first kept."""
        return list(self._snapshots)

    def keys_with_tag(self, tag: str) -> list[str]:
        folded = tag.casefold()
        return [key for key in self._snapshots if any(t.casefold() == folded for t in self._marks[key].tags)]

    def records(self, keys: Iterable[str], live: Mapping[str, Paper] | None = None) -> list[tuple[Paper, Mark]]:
        """(paper, mark) for each key, for export. The paper comes from `live` (e.g. the store,
        with abstracts and all) when it has the key, else from the snapshot, else from the key."""
        live_paper, mark_of, out = (live or {}).get, self._marks.get, []
        for key in keys:
            paper = live_paper(key)
            if paper is None:
                paper = self.paper(key) or _bare_paper(key)
            out.append((paper, mark_of(key, NO_MARK)))
        return out

    # -- changing marks ------------------------------------------------------------------

    def set_starred(self, paper: Paper, starred: bool) -> None:
        self._update(paper, replace(self.mark(paper.key), starred=starred))

    def toggle_starred(self, paper: Paper) -> bool:
        """Flip the star; returns whether the paper is starred now."""
        starred = not self.mark(paper.key).starred
        self.set_starred(paper, starred)
        return starred

    def set_read(self, paper: Paper, read: bool) -> None:
        self._update(paper, replace(self.mark(paper.key), read=read))

    def toggle_read(self, paper: Paper) -> bool:
        read = not self.mark(paper.key).read
        self.set_read(paper, read)
        return read

    def add_tag(self, paper: Paper, tag: str) -> None:
        tag = clean_tag(tag)
        mark = self.mark(paper.key)
        if mark.has_tag(tag):
            self.refresh(paper)
            return
        spelling = self._tag_names.get(tag.casefold(), tag)
        self._update(paper, replace(mark, tags=mark.tags + (spelling,)))

    def remove_tag(self, paper: Paper, tag: str) -> None:
        folded = clean_tag(tag).casefold()
        mark = self.mark(paper.key)
        tags = tuple(t for t in mark.tags if t.casefold() != folded)
        if tags != mark.tags:
            self._update(paper, replace(mark, tags=tags))

    def toggle_tag(self, paper: Paper, tag: str) -> bool:
        """Add the tag, or remove it if the paper has it; returns whether it is present now."""
        tag = clean_tag(tag)
        if self.mark(paper.key).has_tag(tag):
            self.remove_tag(paper, tag)
            return False
        self.add_tag(paper, tag)
        return True

    def set_note(self, paper: Paper, text: str) -> None:
        """Set the note; an empty or blank text removes it."""
        self._update(paper, replace(self.mark(paper.key), note=clean_note(text)))

    def absorb(self, paper: Paper, mark: Mark) -> None:
        """Merge a mark from elsewhere (a reading list) without losing anything the user has:
        stars and read marks are OR-ed, tags united, and a different note is appended."""
        old = self.mark(paper.key)
        tags = old.tags
        for tag in mark.tags:
            tag = clean_tag(tag)
            if not Mark(tags=tags).has_tag(tag):
                tags += (self._tag_names.get(tag.casefold(), tag),)
        note, extra = old.note, clean_note(mark.note)
        if extra and extra not in note:
            note = f"{note}\n\n{extra}" if note else extra
        self._update(paper, Mark(old.starred or mark.starred, old.read or mark.read, tags, note))

    def refresh(self, paper: Paper) -> None:
        """Fold fields of a paper seen again into its snapshot (if the library keeps one)."""
        values = self._snapshots.get(paper.key)
        if values is not None:
            fresh = snapshot(paper)
            if any(values.get(name) != value for name, value in fresh.items()):
                values.update(fresh)
                self._refreshed.add(paper.key)
                self.changed = True

    def _update(self, paper: Paper, mark: Mark) -> None:
        key = paper.key
        old = self._marks.get(key, NO_MARK)
        if key not in self._base and mark != old:
            self._base[key] = old
        if old.tags != mark.tags:
            self._count_tags(old.tags, -1)
            self._count_tags(mark.tags, +1)
        if mark == NO_MARK:
            self._marks.pop(key, None)
        else:
            self._marks[key] = READ_MARK if mark == READ_MARK else mark
        if mark.kept:
            if key in self._snapshots:
                self.refresh(paper)
            else:
                self._snapshots[key] = snapshot(paper)
        else:
            self._snapshots.pop(key, None)
        if mark != old:
            self.changed = True

    def _count_tags(self, tags: tuple[str, ...], delta: int) -> None:
        for tag in tags:
            folded = tag.casefold()
            # names stay registered at count 0 so a tag removed and re-added keeps its place this session
            self._tag_names.setdefault(folded, tag)
            self._tag_counts[folded] = self._tag_counts.get(folded, 0) + delta

    # -- filling from a file, and merging onto another copy --------------------------------

    def _load(self, tags: Iterable[str], read: Iterable[str], papers: Iterable[tuple[str, Mark, dict]]) -> None:
        """Fill these (new) marks with what a file holds: the tags in their order, the keys that are
        only read, and each paper table's key, mark and snapshot fields. Nothing counts as changed."""
        for tag in tags:
            self._tag_names.setdefault(tag.casefold(), tag)
        self._marks.update(dict.fromkeys(read, READ_MARK))
        for key, mark, values in papers:
            if key in self._marks and self._marks[key].read:
                mark = replace(mark, read=True)
            self._marks.pop(key, None)
            self._update(Paper(key=key), mark)
            if mark.kept:
                self._snapshots[key] = values
        self._settle()

    def _settle(self) -> None:
        """Memory and the file agree now: nothing is changed, there is nothing to merge."""
        self.changed = False
        self._base.clear()
        self._refreshed.clear()

    def _take(self, other: Marks) -> set[str]:
        """Become `other` plus the changes made here (see the module docstring); returns the keys
        whose marks moved. `other` is used up."""
        before = self._marks
        marks = dict(other._marks)
        snapshots = other._snapshots
        bases: dict[str, Mark] = {}
        for key, base in self._base.items():
            ours = before.get(key, NO_MARK)
            theirs = marks.get(key, NO_MARK)
            bases[key] = theirs  # should the write fail, the next merge starts from the other's state
            removed = {t.casefold() for t in base.tags if not ours.has_tag(t)}
            tags = tuple(t for t in theirs.tags if t.casefold() not in removed)
            for tag in ours.tags:
                if not base.has_tag(tag) and not Mark(tags=tags).has_tag(tag):
                    tags += (tag,)
            merged = Mark(
                starred=ours.starred if ours.starred != base.starred else theirs.starred,
                read=ours.read if ours.read != base.read else theirs.read,
                tags=tags,
                note=ours.note if ours.note != base.note else theirs.note,
            )
            if merged == NO_MARK:
                marks.pop(key, None)
            else:
                marks[key] = READ_MARK if merged == READ_MARK else merged
            if merged.kept:
                values = dict(snapshots.get(key, ()))
                values.update(self._snapshots.get(key, ()))
                snapshots[key] = values
            else:
                snapshots.pop(key, None)
        for key in self._refreshed:
            if key in snapshots and key in self._snapshots:
                snapshots[key].update(self._snapshots[key])
        names = dict(other._tag_names)
        for folded, name in self._tag_names.items():
            names.setdefault(folded, name)
        counts: dict[str, int] = {}
        for key in snapshots:
            for tag in marks[key].tags:
                folded = tag.casefold()
                names.setdefault(folded, tag)
                counts[folded] = counts.get(folded, 0) + 1
        moved = {key for key, mark in marks.items() if before.get(key, NO_MARK) != mark}
        moved.update(key for key in before if key not in marks)
        self._marks, self._snapshots, self._tag_names, self._tag_counts = marks, snapshots, names, counts
        self._base = bases
        return moved
