"""The user's stars, tags, read marks and notes: kept in memory, saved to TOML atomically.

The file (`library.toml` in the data folder) is plain TOML a person can read and edit:

    # digest-tui library: stars, tags, notes and read marks
    version = 1
    tags = ["moe", "to-read"]              # every tag in use, in the order first created
    read = ["2606.19036", "title:..."]     # papers that are read and nothing else

    [citekeys]                             # every citation key an export made, pinned
    "2606.18663" = "zhao2026regmix"

    [papers."2606.18663"]                  # starred, tagged or noted papers
    starred = true
    read = true
    tags = ["moe"]
    note = "..."
    id = "2606.18663"                      # a snapshot, so exports work without the digests
    url = "https://arxiv.org/abs/2606.18663"
    title_en = "..."
    title_zh = "..."
    authors = ["Kaiyan Zhao", "..."]
    date = "2026-06-18"
    categories = ["cs.CL"]

Keys are `Paper.key`: the arXiv id, or `title:` + the normalised title for papers without one.
Every field of a paper table is optional. A citation key (citekey.py) is made the first time a
paper is exported and kept here for good: every later export, from the command line or the
reader, uses it, whatever else is exported with it; a person may edit one (an ASCII word). A file that cannot be parsed is moved aside to
`library.toml.corrupt-YYYYmmdd-HHMMSS` and never overwritten; a file from a newer version
of the app is opened read-only; an entry with wrong types is skipped (and a copy of the file
is kept next to it before anything is saved over it).

Saving, and two instances at once. save() takes an exclusive lock (`flock` on
`library.toml.lock`, which is never deleted; without `fcntl` there is no lock), then looks at
the file on disk. If it holds exactly what this library last loaded or saved (same bytes), the
whole library is written: the common case costs one read and a hash. Otherwise another instance
(or a person) changed it, and this session's changes are merged into what is on disk:

* Only papers this session changed are touched; every other paper takes the disk's state, so
  an instance that never looked at paper X cannot undo another's change to X.
* A changed paper is merged field by field against its state when this session first touched
  it (or last saved): `starred`, `read` and `note` take this session's value only if this
  session changed that field, else the disk's; tags replay this session's net additions and
  removals onto the disk's tags. So a star set here and a tag set there both survive; the
  same field changed in both is last-save-wins.
* The tag order is the disk's, then tags new in this session. Snapshots: this session's
  fields over the disk's.
* Citation keys: the disk's, plus this session's for papers the disk has none for. Keys are
  made under the lock, after the merge (`citekeys()`), so two instances never give one key to
  two papers; only a key made while the file could not be saved may meet the disk's key for
  another paper, and then it is made again.
* An unreadable file found at save time is moved aside as at load (and this whole library is
  written); a newer format makes the library read-only and the save is refused; a missing file
  gets this whole library.

Undo. Changes made inside `with library.step(label):` form one step (a key, a bulk action, a
triage decision); `undo()` puts back each paper's mark as it was before the newest step, and
again for the one before, up to UNDO_STEPS back. An undo is itself an ordinary change: saved,
and merged with another instance's saves, like any other. Changes made outside a step (marks
absorbed from a reading list) are not steps.

After a save the library holds the merged state, and save() returns the keys whose marks
changed under it (another instance's work), so a view can redraw them. The file is written
with atomic_write (temp file, fsync, rename): a writer killed at any moment leaves the old or
the new file, complete; a temp file such a writer leaves behind is removed at the next save.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import time
import tomllib
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

import tomli_w

from . import citekey, paths
from .files import atomic_write, read_regular, remove_stale_temps
from .model import Mark, Paper, abs_url, make_paper
from .text import clean, short_repr

LIBRARY_VERSION = 1
"""The newest file format this code reads and the one it writes."""

SNAPSHOT_FIELDS = ("id", "title_en", "title_zh", "authors", "date", "categories")
"""Paper fields copied into the library for starred, tagged and noted papers."""

_HEADER = "# digest-tui library: stars, tags, notes and read marks (TOML; safe to edit while the app is closed)\n"
_LIST_FIELDS = frozenset(("authors", "categories"))
UNDO_STEPS = 1000
"""How many steps undo() can take back (a session's worth of triage)."""
LOCK_TIMEOUT = 10.0
"""Seconds save() waits for another instance's save before it gives up (a save takes well under one)."""


class LibraryError(Exception):
    """A library operation that cannot be done; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Step:
    """One undoable change: what the user did, and each paper it touched with its mark before."""

    label: str
    before: tuple[tuple[Paper, Mark], ...]

    @property
    def keys(self) -> list[str]:
        return [paper.key for paper, _ in self.before]


NO_MARK = Mark()
_READ_ONLY_MARK = Mark(read=True)  # shared by every paper that is only read: years of reading stay small


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
            values[name] = tuple(clean(v) for v in value) if name in _LIST_FIELDS else clean(value)
    return values


def _bare_paper(key: str) -> Paper:
    """A Paper from its key alone, for marks the library has no snapshot of."""
    if key.startswith("title:"):
        return Paper(key=key)
    paper = make_paper(id=key)
    return paper if paper.key == key else paper._replace(key=key)


class Library:
    """Marks by paper key, snapshots of the papers worth keeping, and the tags in use."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.notice: str | None = None
        """One line for the user about what happened at load (moved aside, read-only, skipped)."""
        self.read_only = False
        """Loaded from a file that must not be overwritten; save() refuses and says why."""
        self._read_only_reason = ""
        self.changed = False
        """True when there are changes that save() has not written yet."""
        self._marks: dict[str, Mark] = {}
        self._snapshots: dict[str, dict] = {}  # kept papers, in the order they were first kept
        self._tag_names: dict[str, str] = {}  # casefolded -> spelling, in the order created
        self._tag_counts: dict[str, int] = {}  # casefolded -> papers carrying it
        # what save() needs to merge with another instance's saves:
        self._base: dict[str, Mark] = {}  # key -> its mark before this session first changed it
        self._refreshed: set[str] = set()  # keys whose snapshot took new fields this session
        self._synced: bytes | None = None  # hash of the file as last loaded or saved; None: no file
        self._citekeys: dict[str, str] = {}  # paper key -> its pinned citation key
        self.save_notice: str | None = None
        """One line for the user about what the last save() found (a file moved aside...), else None."""
        self._steps: deque[Step] = deque(maxlen=UNDO_STEPS)
        self._recording: dict[str, tuple[Paper, Mark]] | None = None  # inside step(): key -> (paper, mark before)

    # -- reading marks ---------------------------------------------------------------

    def mark(self, key: str) -> Mark:
        return self._marks.get(key, NO_MARK)

    @property
    def marks(self) -> Mapping[str, Mark]:
        """Every paper's mark by key (papers without one are absent), read-only and live:
        for loops over many papers that would otherwise call mark() each time."""
        return MappingProxyType(self._marks)

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
        out = []
        for key in keys:
            paper = live.get(key) if live is not None else None
            if paper is None:
                paper = self.paper(key) or _bare_paper(key)
            out.append((paper, self.mark(key)))
        return out

    def citekey(self, key: str) -> str | None:
        """The pinned citation key of a paper (by Paper.key), or None before its first export."""
        return self._citekeys.get(key)

    def citekeys(self, papers: Iterable[Paper]) -> list[str]:
        """The citation key of each paper, making (and saving) one for each paper that has none:
        the new keys are made under the lock after merging the file, so they are unique among
        every instance's. When they cannot be saved they are still made (in memory, saved with
        the next save) and `save_notice` says why."""
        papers = list(papers)
        missing = [paper for paper in papers if paper.key not in self._citekeys]
        if missing and self.path is not None and not self.read_only:
            try:
                self.save(pin=missing)
            except LibraryError as error:
                citekey.assign(missing, self._citekeys)  # a lock that timed out made none yet
                self.changed = True
                self.save_notice = f"citation keys made but not saved yet: {error}"
        elif missing:
            citekey.assign(missing, self._citekeys)
            self.changed = True
        return [self._citekeys[paper.key] for paper in papers]

    # -- steps and undo ----------------------------------------------------------------

    @contextlib.contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Make the mark changes done inside one step that undo() takes back together. A step
        inside a step is part of the outer one; a step that changed nothing is not kept."""
        if self._recording is not None:
            yield
            return
        self._recording = {}
        try:
            yield
        finally:
            before, self._recording = self._recording, None
            if before:
                self._steps.append(Step(label, tuple(before.values())))

    @property
    def undo_depth(self) -> int:
        """How many steps undo() can take back now."""
        return len(self._steps)

    def undo(self) -> Step | None:
        """Put back the marks the newest step changed; returns that step (None: nothing to undo)."""
        if not self._steps:
            return None
        step = self._steps.pop()
        for paper, mark in reversed(step.before):
            self._update(paper, mark)
        return step

    # -- changing marks (each is O(1): nothing big is rebuilt) --------------------------

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
        if self._recording is not None and mark != old:
            self._recording.setdefault(key, (paper, old))
        if old.tags != mark.tags:
            self._count_tags(old.tags, -1)
            self._count_tags(mark.tags, +1)
        if mark == NO_MARK:
            self._marks.pop(key, None)
        else:
            self._marks[key] = _READ_ONLY_MARK if mark == _READ_ONLY_MARK else mark
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

    def _make_read_only(self, reason: str) -> None:
        self.read_only = True
        self._read_only_reason = reason

    # -- the file ------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None = None) -> Library:
        """Read the library (default: paths.library_file()); a missing file is an empty library.
        Never raises for bad content, and never leaves bad content where save() would overwrite it."""
        path = Path(path) if path is not None else paths.library_file()
        for _attempt in range(3):
            library = cls(path)
            try:
                data = read_regular(path)
            except FileNotFoundError:
                return library
            except OSError as error:
                library._make_read_only("it could not be read")
                library.notice = clean(f"cannot read {path} ({error.strerror or error}); changes will not be saved")
                return library
            failure = library._fill(data)
            if failure is None:
                return library
            # unreadable: move it aside, under the lock, unless another instance has just replaced it
            with _locked(path):
                try:
                    still = read_regular(path) == data
                except OSError:
                    still = False
                if still:
                    return cls._set_aside(path, failure)
        return cls._set_aside(path, failure)  # rewritten three times while we looked: give up on it

    def _fill(self, data: bytes) -> str | None:
        """Fill this (new) library from the file's bytes and set its notice; returns why the file
        is unreadable instead (then this library is untouched)."""
        path = self.path
        try:
            text, read = _split_read(data.decode("utf-8-sig"))  # a BOM: some editors write one
            text, keys = _split_citekeys(text)
            document = tomllib.loads(text)
            if read is not None and document.get("read") == []:
                document["read"] = read
            if keys:
                document["citekeys"] = keys | document["citekeys"]  # the header stays: the table is there
        except UnicodeDecodeError:
            return "not UTF-8 text"
        except tomllib.TOMLDecodeError as error:
            return f"not valid TOML: {error}"
        except RecursionError:
            return "nested too deeply"
        except Exception as error:  # tomllib's contract is TOMLDecodeError; ours is one line, never a traceback
            return f"not valid TOML ({type(error).__name__})"
        version = document.get("version", LIBRARY_VERSION)
        if type(version) is not int or version < 1:
            return f"version is not a positive whole number: {short_repr(version)}"
        notices = []
        if version > LIBRARY_VERSION:
            self._make_read_only(f"it is from a newer digest-tui (format {version})")
            notices.append(
                f"{path.name} is from a newer digest-tui (format {version}; this one knows {LIBRARY_VERSION}):"
                " opened read-only, changes will not be saved"
            )
        problems = self._read(document)
        if problems:
            skipped = f"skipped {len(problems)} bad part(s) of {path.name} (first: {problems[0]})"
            if self.read_only:
                notices.append(skipped)
            else:
                try:
                    copy = _keep_copy(path, data)
                    notices.append(f"{skipped}; the original is kept at {copy}")
                except OSError as error:
                    self._make_read_only("parts of it were skipped and no copy could be kept")
                    notices.append(f"{skipped}; could not keep a copy ({error.strerror or error}), so opened read-only")
        self.notice = clean("; ".join(notices)) or None
        self.changed = False
        self._base.clear()
        self._refreshed.clear()
        self._synced = _digest(data)
        return None

    @classmethod
    def _set_aside(cls, path: Path, reason: str) -> Library:
        """An empty library, after moving the unreadable file out of save()'s way."""
        library = cls(path)
        reason = " ".join(reason.split())
        try:
            aside = _move_aside(path)
        except OSError as error:
            library._make_read_only("it is unreadable and could not be moved aside")
            library.notice = clean(
                f"{path} is unreadable ({reason}) and could not be moved aside ({error.strerror or error});"
                " changes will not be saved"
            )
            return library
        library.notice = clean(
            f"{path.name} was unreadable ({reason}); moved it to {aside} and started an empty library"
        )
        return library

    def _read(self, document: dict) -> list[str]:
        """Fill this library from a parsed file; returns one line per part skipped."""
        problems: list[str] = []
        tags = document.get("tags", [])
        if _is_str_list(tags):
            for tag in tags:
                try:
                    tag = clean_tag(tag)
                except LibraryError:
                    continue
                self._tag_names.setdefault(tag.casefold(), tag)
        else:
            problems.append("tags: expected a list of strings")
        read = document.get("read", [])
        if isinstance(read, list):
            for key in read:
                if isinstance(key, str) and key:
                    self._marks[key] = _READ_ONLY_MARK
                else:
                    problems.append(f"read: expected a paper key, got {short_repr(key)}")
        else:
            problems.append("read: expected a list of paper keys")
        keys = document.get("citekeys", {})
        if not isinstance(keys, dict):
            problems.append("citekeys: expected a table")
            keys = {}
        for key, value in keys.items():
            if key and isinstance(value, str) and citekey.VALID.fullmatch(value):
                self._citekeys[key] = value
            else:
                problems.append(f"citekeys.{_quote_key(key)}: expected a citation key (letters, digits, _.+-), got {short_repr(value)}")
        papers = document.get("papers", {})
        if not isinstance(papers, dict):
            problems.append("papers: expected a table")
            papers = {}
        for key, entry in papers.items():
            where = f"papers.{_quote_key(key)}"
            if not key:
                problems.append(f"{where}: empty key")
                continue
            try:
                mark, values = _read_entry(entry, where)
            except LibraryError as error:
                problems.append(str(error))
                continue
            if key in self._marks and self._marks[key].read:
                mark = replace(mark, read=True)
            self._marks.pop(key, None)
            self._update(Paper(key=key), mark)
            if mark.kept:
                self._snapshots[key] = values
        return problems

    def dumps(self) -> str:
        """The whole library as TOML text."""
        document: dict = {"version": LIBRARY_VERSION}
        tags = self.tags()
        if tags:
            document["tags"] = tags
        snapshots = self._snapshots
        read = [key for key, mark in self._marks.items() if mark.read and key not in snapshots]
        papers = {}
        for key, values in snapshots.items():
            mark = self._marks[key]
            entry: dict = {}
            if mark.starred:
                entry["starred"] = True
            if mark.read:
                entry["read"] = True
            if mark.tags:
                entry["tags"] = list(mark.tags)
            if mark.note:
                entry["note"] = mark.note
            for name in SNAPSHOT_FIELDS:
                value = values.get(name)
                if value:
                    entry[name] = list(value) if name in _LIST_FIELDS else value
                if name == "id" and value:
                    entry["url"] = abs_url(value)
            papers[key] = entry
        chunks = [_HEADER, tomli_w.dumps(document), _dump_read(read)]
        if self._citekeys:
            chunks += ["\n", _dump_citekeys(self._citekeys)]
        if papers:
            chunks += ["\n", tomli_w.dumps({"papers": papers}, multiline_strings=True)]
        return "".join(chunks)

    def save(self, path: Path | None = None, *, pin: Iterable[Paper] = ()) -> set[str]:
        """Write the library atomically to `path` (default: where it was loaded from), merging
        with what another instance saved there since (see the module docstring); returns the keys
        whose marks that merge changed in this library (empty when nobody else wrote). Sets
        `save_notice` when the file on disk had to be moved aside or copied. LibraryError when
        the library is read-only, the disk's file is from a newer version, the lock stays taken
        for LOCK_TIMEOUT seconds, or writing fails. Call it from the thread that changes marks:
        the merge replaces this library's state. `pin`: papers to make citation keys for, after
        the merge and before the write (see citekeys())."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise LibraryError("the library has no file to save to")
        if self.read_only:
            raise LibraryError(f"not saving {target}: {self._read_only_reason}")
        self.save_notice = None
        own = target == self.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with _locked(target, timeout=LOCK_TIMEOUT):
                remove_stale_temps(target)  # from writers killed mid-save: none is writing now
                changed = self._merge_from_disk(target) if own else set()
                citekey.assign(pin, self._citekeys)
                # "replace": a lone surrogate that got past every cleaner must not cost the save
                data = self.dumps().encode("utf-8", "replace")
                atomic_write(target, data)
        except _LockTimeout:
            raise LibraryError(
                f"not saved: another digest-tui has held {target.name}.lock for {LOCK_TIMEOUT:g} s"
            ) from None
        except OSError as error:
            raise LibraryError(clean(f"cannot save {target}: {error.strerror or error}")) from None
        if own:
            self._synced = _digest(data)
            self._base.clear()
            self._refreshed.clear()
            self.changed = False
        return changed

    def write_copy(self, path: Path) -> None:
        """Write this whole library to another file (atomically, no lock, no merge: a rescue copy
        when its own file cannot be written); it stays unsaved where it belongs. LibraryError if
        that fails too."""
        try:
            atomic_write(path, self.dumps().encode("utf-8", "replace"))
        except OSError as error:
            raise LibraryError(clean(f"cannot write {path}: {error.strerror or error}")) from None

    def _merge_from_disk(self, target: Path) -> set[str]:
        """Bring another instance's saves into this library before it is written (the lock is held)."""
        try:
            data = read_regular(target)
        except FileNotFoundError:
            return set()  # deleted (or never written): this library is all there is
        if self._synced is not None and _digest(data) == self._synced:
            return set()  # nobody else wrote: nothing to merge
        disk = type(self)(target)
        failure = disk._fill(data)
        if failure is not None:
            aside = _move_aside(target)
            self.save_notice = clean(
                f"{target.name} had become unreadable ({' '.join(failure.split())}); moved it to {aside}"
                " and saved this session's library in its place"
            )
            return set()
        if disk.read_only:
            self._make_read_only(disk._read_only_reason)
            raise LibraryError(f"not saving {target}: {disk._read_only_reason}; this library is read-only now")
        if disk.notice:
            self.save_notice = disk.notice  # parts skipped: a copy of the original is kept
        moved = self._take(disk)
        self._synced = disk._synced  # memory is now that file plus this session's changes
        return moved

    def _take(self, disk: Library) -> set[str]:
        """Become `disk` plus this session's changes; returns the keys whose marks moved."""
        before = self._marks
        marks = dict(disk._marks)
        snapshots = disk._snapshots
        bases: dict[str, Mark] = {}
        for key, base in self._base.items():
            ours = before.get(key, NO_MARK)
            theirs = marks.get(key, NO_MARK)
            bases[key] = theirs  # should the write fail, the next merge starts from the disk's state
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
                marks[key] = _READ_ONLY_MARK if merged == _READ_ONLY_MARK else merged
            if merged.kept:
                values = dict(snapshots.get(key, ()))
                values.update(self._snapshots.get(key, ()))
                snapshots[key] = values
            else:
                snapshots.pop(key, None)
        for key in self._refreshed:
            if key in snapshots and key in self._snapshots:
                snapshots[key].update(self._snapshots[key])
        names = dict(disk._tag_names)
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
        keys = disk._citekeys
        taken = set(keys.values())
        for key, value in self._citekeys.items():
            if key in keys:
                continue
            stem, n = value, 0
            while value in taken:  # made while unsaved, and given to another paper meanwhile
                value, n = stem + citekey.suffix(n), n + 1
            keys[key] = value
            taken.add(value)
        self._citekeys = keys
        self._marks, self._snapshots, self._tag_names, self._tag_counts = marks, snapshots, names, counts
        self._base = bases
        return moved


class _LockTimeout(Exception):
    """The library's lock stayed taken for the whole timeout."""


@contextlib.contextmanager
def _locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on `PATH.lock` (created if needed, never deleted: deleting a lock file
    lets two holders in). The kernel drops the lock when its holder dies, so a killed instance
    never leaves the library locked. No lock where there is no `fcntl`, or where the folder
    cannot hold one (then the atomic write itself fails or succeeds on its own)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: saves are still atomic, only not serialised
        yield
        return
    try:
        fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _LockTimeout(path) from None
                time.sleep(0.01)
            except OSError:  # a file system without flock (some NFS): go on unlocked
                break
        yield
    finally:
        os.close(fd)  # releases the lock


# The read marks are most of a big library (100k keys): written and read back here without
# tomli_w/tomllib, which take ten times as long. Only the exact shape _dump_read writes is read
# this way (plain keys, at the top level); anything else a person wrote goes through tomllib.
_PLAIN_KEY = re.compile(r'[^"\\\x00-\x1f\x7f]*')
_READ_ARRAY = re.compile(r'^read = \[\n((?:    "[^"\\\x00-\x1f\x7f\n]*",\n)*)\]\n', re.M)


def _dump_read(keys: list[str]) -> str:
    if not keys:
        return "read = []\n"
    quote = _PLAIN_KEY.fullmatch
    lines = [f'    "{key}",\n' if quote(key) else f"    {tomli_w.dumps({'k': key})[4:-1]},\n" for key in keys]
    return "read = [\n" + "".join(lines) + "]\n"


def _split_read(text: str) -> tuple[str, list[str] | None]:
    """`text` with a top-level read array in _dump_read's shape emptied, and its keys (else None)."""
    match = _READ_ARRAY.search(text)
    if match is None:
        return text, None
    before = text[: match.start()]
    if before.startswith("[") or "\n[" in before or '"""' in before or "'''" in before:
        return text, None  # inside a table, or perhaps inside a multi-line string: let tomllib decide
    body = match.group(1)
    keys = body[5:-3].split('",\n    "') if body else []
    return text[: match.start()] + "read = []\n" + text[match.end() :], keys


# Citation keys can be as many as the read marks (every paper of a big export): the same treatment.
_CITEKEYS = re.compile(r'^\[citekeys\]\n((?:"[^"\\\x00-\x1f\x7f]*" = "[A-Za-z0-9][A-Za-z0-9_.+-]*"\n)*)', re.M)


def _dump_citekeys(keys: dict[str, str]) -> str:
    quote, valid = _PLAIN_KEY.fullmatch, citekey.VALID.fullmatch
    lines = [f'"{key}" = "{value}"\n' if quote(key) and valid(value) else tomli_w.dumps({key: value})
             for key, value in keys.items()]  # fmt: skip
    return "[citekeys]\n" + "".join(lines)


def _split_citekeys(text: str) -> tuple[str, dict[str, str]]:
    """`text` with the lines of a [citekeys] table in _dump_citekeys's plain shape taken out (the
    header stays, with any other lines), and those keys; nothing taken where tomllib must decide."""
    match = _CITEKEYS.search(text)
    if match is None or not match.group(1):
        return text, {}
    before = text[: match.start()]
    if '"""' in before or "'''" in before:
        return text, {}  # perhaps inside a multi-line string
    keys = {}
    for line in match.group(1)[:-1].split("\n"):
        key, value = line[1:-1].split('" = "')
        keys.setdefault(key, value)
    if len(keys) != match.group(1).count("\n"):
        return text, {}  # a key written twice: tomllib says so
    return text[: match.start()] + "[citekeys]\n" + text[match.end() :], keys


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _move_aside(path: Path) -> Path:
    aside = _free_name(path, "corrupt")
    os.replace(path, aside)
    return aside


def _keep_copy(path: Path, data: bytes) -> Path:
    """A copy of the file's bytes (as read) next to it, named like a file moved aside."""
    copy = _free_name(path, "corrupt")
    atomic_write(copy, data)
    return copy


def _read_entry(entry: object, where: str) -> tuple[Mark, dict]:
    """The mark and snapshot in one `[papers."KEY"]` table, or LibraryError naming the bad field."""
    if not isinstance(entry, dict):
        raise LibraryError(f"{where}: expected a table")
    flags = {}
    for name in ("starred", "read"):
        value = entry.get(name, False)
        if not isinstance(value, bool):
            raise LibraryError(f"{where}.{name}: expected true or false")
        flags[name] = value
    tags = entry.get("tags", [])
    if not _is_str_list(tags):
        raise LibraryError(f"{where}.tags: expected a list of strings")
    try:
        tags = tuple(dict.fromkeys(clean_tag(tag) for tag in tags))
    except LibraryError:
        raise LibraryError(f"{where}.tags: a tag is empty") from None
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise LibraryError(f"{where}.note: expected a string")
    values = {}
    for name in SNAPSHOT_FIELDS + ("url",):
        value = entry.get(name)
        if value is None:
            continue
        if name in _LIST_FIELDS:
            if not _is_str_list(value):
                raise LibraryError(f"{where}.{name}: expected a list of strings")
            value = tuple(value)
        elif name == "date" and isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()[:10]  # someone wrote a bare TOML date; keep its meaning
        elif not isinstance(value, str):
            raise LibraryError(f"{where}.{name}: expected a string")
        if value and name != "url":  # the url is derived from the id; it is in the file for people
            values[name] = value
    mark = Mark(starred=flags["starred"], read=flags["read"], tags=tags, note=clean_note(note))
    return mark, values


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _quote_key(key: str) -> str:
    """A key as TOML would quote it (JSON string syntax is close enough), shortened for a message."""
    text = json.dumps(key, ensure_ascii=False)
    return text if len(text) <= 40 else text[:36] + '..."'


def _free_name(path: Path, label: str) -> Path:
    """`NAME.LABEL-YYYYmmdd-HHMMSS` next to `path`, with `-2`, `-3`... if that is taken."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.{label}-{stamp}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{label}-{stamp}-{number}")
        number += 1
    return candidate


def rescue_paths(library_path: Path, size: int = 0) -> list[Path]:
    """Where a library that cannot be saved in place can be written instead, best first: a new
    file in the home folder, the current folder or the temp folder, each writable with `size`
    bytes to spare, those on another file system than the library's first (a full disk or a
    read-only data folder is most often the whole file system)."""
    import shutil
    import tempfile

    name = f"{library_path.stem}-unsaved-{dt.datetime.now():%Y%m%d-%H%M%S}{library_path.suffix}"
    try:
        device = os.stat(library_path.parent).st_dev
    except OSError:
        device = None
    found: list[tuple[bool, Path]] = []
    for folder in (Path.home(), Path.cwd(), Path(tempfile.gettempdir())):
        try:
            folder = folder.resolve()
            info = os.stat(folder)
            if folder == library_path.parent.resolve() or not os.access(folder, os.W_OK):
                continue
            if shutil.disk_usage(folder).free < size + 64 * 1024:
                continue
        except OSError:
            continue
        if all(folder != other.parent for _same, other in found):
            found.append((info.st_dev == device, folder / name))
    return [path for _same, path in sorted(found, key=lambda item: item[0])]
