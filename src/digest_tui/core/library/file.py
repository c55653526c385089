"""Library: the marks of `library.toml` — loaded, saved under a lock merging others' saves.

Saved atomically, merged with what another instance saved; a damaged file is set aside, never
overwritten.

Loading. A missing file is an empty library. A file that cannot be parsed is moved aside to
`library.toml.corrupt-YYYYmmdd-HHMMSS` and never overwritten; a file from a newer version of the
app is opened read-only; an entry with wrong types is skipped (and a copy of the file is kept
next to it before anything is saved over it). `notice` says so in one line.

Saving, and two instances at once. save() takes an exclusive lock (`flock` on
`library.toml.lock`, which is never deleted; without `fcntl` there is no lock), then looks at
the file on disk. If it holds exactly what this library last loaded or saved (same bytes), the
whole library is written: the common case costs one read and a hash. Otherwise another instance
(or a person) changed it, and this session's changes are merged into what is on disk, paper by
paper and field by field (marks.py says how); citation keys as citekeys.py says.

* An unreadable file found at save time is moved aside as at load (and this whole library is
  written); a newer format makes the library read-only and the save is refused; a missing file
  gets this whole library.
* After a save the library holds the merged state, and save() returns the keys whose marks
  changed under it (another instance's work), so a view can redraw them.
* The file is written with atomic_write (temp file, fsync, rename): a writer killed at any
  moment leaves the old or the new file, complete; a temp file such a writer leaves behind is
  removed at the next save. When the file cannot be written, write_copy() and rescue_paths()
  put the whole library somewhere else.

Undo (history.py) is an ordinary change: saved, and merged with another instance's saves, like
any other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from .. import citekey, paths
from ..files import atomic_write, read_regular, remove_stale_temps
from ..model import Mark, Paper
from ..text import clean
from . import citekeys, document
from .document import LIBRARY_VERSION
from .history import History, Step
from .marks import LibraryError, Marks

LOCK_TIMEOUT = 10.0
"""Seconds save() waits for another instance's save before it gives up (a save takes well under one)."""


class Library(Marks):
    """The marks (marks.py) of one file, with their undo history and pinned citation keys."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.path = path
        self.notice: str | None = None
        """One line for the user about what happened at load (moved aside, read-only, skipped)."""
        self.read_only = False
        """Loaded from a file that must not be overwritten; save() refuses and says why."""
        self._read_only_reason = ""
        self.save_notice: str | None = None
        """One line for the user about what the last save() found (a file moved aside...), else None."""
        self._synced: bytes | None = None  # hash of the file as last loaded or saved; None: no file
        self._citekeys: dict[str, str] = {}  # paper key -> its pinned citation key
        self._history = History()

    # -- citation keys -----------------------------------------------------------------

    def citekey(self, key: str) -> str | None:
        """The pinned citation key of a paper (by Paper.key), or None before its first export."""
        return self._citekeys.get(key)

    def citekeys(self, papers: Iterable[Paper], bases: Mapping[str, str] | None = None) -> list[str]:
        """The citation key of each paper, making (and saving) one for each paper that has none:
        the new keys are made under the lock after merging the file, so they are unique among
        every instance's. When they cannot be saved they are still made (in memory, saved with
        the next save) and `save_notice` says why. `bases`: as for citekey.assign()."""
        papers = list(papers)
        pinned = self._citekeys
        missing = [paper for paper in papers if paper.key not in pinned]
        if missing and self.path is not None and not self.read_only:
            try:
                self.save(pin=missing, bases=bases)
            except LibraryError as error:
                citekey.assign(missing, self._citekeys, bases)  # a lock that timed out made none yet
                self.changed = True
                self.save_notice = f"citation keys made but not saved yet: {error}"
        elif missing:
            citekey.assign(missing, self._citekeys, bases)
            self.changed = True
        pinned = self._citekeys  # (save() may have put a new table there)
        return [pinned[paper.key] for paper in papers]

    # -- steps and undo ----------------------------------------------------------------

    def step(self, label: str) -> contextlib.AbstractContextManager[None]:
        """Make the mark changes done inside one step that undo() takes back together. A step
        inside a step is part of the outer one; a step that changed nothing is not kept."""
        return self._history.step(label)

    @property
    def undo_depth(self) -> int:
        """How many steps undo() can take back now."""
        return len(self._history)

    def undo(self) -> Step | None:
        """Put back the marks the newest step changed; returns that step (None: nothing to undo)."""
        step = self._history.pop()
        if step is not None:
            for paper, mark in reversed(step.before):
                self._update(paper, mark)
        return step

    def _update(self, paper: Paper, mark: Mark) -> None:
        old = self.mark(paper.key)
        if mark != old:
            self._history.record(paper, old)
        super()._update(paper, mark)

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
            parsed = document.parse(data)
        except document.Unreadable as error:
            return str(error)
        version = parsed.version
        notices = []
        if version > LIBRARY_VERSION:
            self._make_read_only(f"it is from a newer digest-tui (format {version})")
            notices.append(
                f"{path.name} is from a newer digest-tui (format {version}; this one knows {LIBRARY_VERSION}):"
                " opened read-only, changes will not be saved"
            )
        self._load(parsed.tags, parsed.read, parsed.papers)
        self._citekeys = parsed.citekeys
        problems = parsed.problems
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
        self._synced = _digest(data)
        return None

    def _make_read_only(self, reason: str) -> None:
        self.read_only = True
        self._read_only_reason = reason

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

    def dumps(self) -> str:
        """The whole library as TOML text."""
        return document.dumps(self, self._citekeys)

    def save(self, path: Path | None = None, *, pin: Iterable[Paper] = (), bases: Mapping[str, str] | None = None) -> set[str]:
        """Write the library atomically to `path` (default: where it was loaded from), merging
        with what another instance saved there since (see the module docstring); returns the keys
        whose marks that merge changed in this library (empty when nobody else wrote). Sets
        `save_notice` when the file on disk had to be moved aside or copied. LibraryError when
        the library is read-only, the disk's file is from a newer version, the lock stays taken
        for LOCK_TIMEOUT seconds, or writing fails. Call it from the thread that changes marks:
        the merge replaces this library's state. `pin`: papers to make citation keys for, after
        the merge and before the write (see citekeys()), `bases` their citekey.base() if made already."""
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
                citekey.assign(pin, self._citekeys, bases)
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
            self._settle()
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
        self._citekeys = citekeys.merge(disk._citekeys, self._citekeys)
        self._synced = disk._synced  # memory is now that file plus this session's changes
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
