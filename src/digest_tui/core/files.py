"""Write a file so that readers see either the old or the new content, never half of one; and read
a user's file without hanging on a FIFO or a device someone put in its place."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

STALE_AFTER = 15 * 60
"""Seconds after which a temp file of ours is taken for the leftover of a writer that was killed."""


def temp_name(target: Path) -> str:
    """`.NAME.<8 hex digits>.tmp`: hidden, next to the target, recognisably ours (see remove_stale_temps)."""
    return f".{target.name}.{secrets.token_hex(4)}.tmp"


def atomic_write(path: str | os.PathLike[str], text: str | bytes | Iterable[bytes], encoding: str = "utf-8") -> None:
    """Replace `path` with `text` (or bytes, or pieces of bytes written as they come): write a temp
    file in the same folder, flush and fsync it, then `os.replace` it over the target. Creates the
    folder if needed. On any failure the temp file is removed and the old file is left as it was.
    Line ends are written as given. A process killed part way leaves the old file and at most one
    temp file, which the next write of the same file removes once it is STALE_AFTER old (library
    saves, which hold a lock, remove it at once)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target, older_than=STALE_AFTER)
    _replace(target, text, encoding)
    _fsync_folder(target.parent)


@contextlib.contextmanager
def atomic_writes(folder: str | os.PathLike[str]) -> Iterator[Callable[[str, str | bytes], None]]:
    """atomic_write for many files of one existing folder (an Obsidian vault's notes): yields
    `write(name, text)`. The folder's stale temp files are looked for once, not once a file (a
    scan of the whole folder each time made 100k notes quadratic), and the renames are made
    durable by one sync of the folder at the end. Each file is still fsynced before its rename:
    whenever the writer stops, every note is its old text or its new one, complete."""
    folder = Path(folder)
    remove_stale_temps(folder / "*", older_than=STALE_AFTER)
    try:
        yield lambda name, text: _replace(folder / name, text, "utf-8")
    finally:
        _fsync_folder(folder)


def _replace(target: Path, text: str | bytes | Iterable[bytes], encoding: str) -> None:
    """Write a temp file next to `target`, fsync it and rename it over `target` (see atomic_write)."""
    folder = target.parent
    data = text.encode(encoding) if isinstance(text, str) else text
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        temp = folder / temp_name(target)
        try:
            # 0o666 so the new file gets the user's umask, as a plain open() would
            fd = os.open(temp, flags, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, (bytes, bytearray, memoryview)):
                handle.write(data)
            else:
                for piece in data:
                    handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = os.stat(target).st_mode
        except FileNotFoundError:
            pass
        else:
            # keep a file the user made private (or public) the way it was
            os.chmod(temp, mode & 0o7777)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def remove_stale_temps(path: str | os.PathLike[str], older_than: float = 0.0) -> list[Path]:
    """Remove the temp files atomic_write made for `path` that are at least `older_than` seconds
    old (leftovers of a writer killed mid-write); returns what was removed. `FOLDER/*`: those of
    every file in FOLDER. Best effort: a file that cannot be listed or removed is left alone."""
    target = Path(path)
    name = ".+" if target.name == "*" else re.escape(target.name)
    pattern = re.compile(r"\." + name + r"\.[0-9a-f]{8}\.tmp")
    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            if older_than and now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def read_regular(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of a regular file. OSError for anything else (a FIFO or device is refused without
    waiting on it: EINVAL "not a regular file") and for a file over `limit` bytes (EFBIG)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if limit is not None and info.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit // 2**20:,} MB", str(path))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (POSIX); best effort."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
