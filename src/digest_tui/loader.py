"""Turn the paths a user names (files and folders, recursively) into parsed digest files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .cache import ParseCache
from .parsers import DigestError, ParseResult, parse_file
from .parsers.errors import one_line
from .sanitize import clean
from .store import Store


@dataclass(slots=True)
class Problem:
    """A file (or one part of it) that could not be read, with a one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return one_line(f"{clean(self.path)}: {self.reason}", limit=400)


@dataclass(slots=True)
class Parsed:
    """One file read as a digest."""

    path: str
    result: ParseResult
    titles: list[str | None] | None = None
    """Each paper's folded title when the cache knew it (saves recomputing it on a warm start)."""


@dataclass(slots=True)
class LoadReport:
    """What a load did: files read, papers seen, and the problems met on the way."""

    files: int = 0
    papers: int = 0
    problems: list[Problem] = field(default_factory=list)


def demo_dir() -> Path:
    """The folder of built-in demo digests shipped with the package."""
    return Path(str(resources.files("digest_tui") / "demo"))


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[str | Problem]:
    """Every regular file under the given paths, in a stable order; a Problem for what cannot be read."""
    for item in _regular_files(paths):
        yield item if isinstance(item, Problem) else item[0]


def _regular_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[str, os.stat_result] | Problem]:
    """(path, stat) of every regular file under the paths. Folders are walked recursively without
    following links into folders (no loops); hidden entries in them are skipped; a file named
    twice (or reached twice) is given once."""
    seen: set[tuple[int, int]] = set()
    for path in map(str, paths):
        try:
            info = os.stat(path)
        except OSError as error:
            yield Problem(path, error.strerror or "cannot be read")
            continue
        if stat.S_ISDIR(info.st_mode):
            found = _walk(path)
        elif stat.S_ISREG(info.st_mode):
            found = iter([(path, info)])
        else:
            found = iter([Problem(path, "not a regular file")])
        for item in found:
            if not isinstance(item, Problem):
                identity = (item[1].st_dev, item[1].st_ino)
                if identity in seen:
                    continue
                seen.add(identity)
            yield item


def _walk(folder: str) -> Iterator[tuple[str, os.stat_result] | Problem]:
    """Depth-first, in name order, with a stack rather than recursion (a tree may be deeper
    than Python's recursion limit)."""
    stack: list[Iterator[os.DirEntry]] = []
    listing = _listing(folder)
    if isinstance(listing, Problem):
        yield listing
        return
    stack.append(listing)
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                listing = _listing(entry.path)
                if isinstance(listing, Problem):
                    yield listing
                else:
                    stack.append(listing)
                continue
            info = entry.stat()
        except OSError as error:
            yield Problem(entry.path, error.strerror or "cannot be read")
            continue
        if stat.S_ISREG(info.st_mode):
            yield entry.path, info
        elif not stat.S_ISDIR(info.st_mode):  # a link to a folder is not followed
            yield Problem(entry.path, "not a regular file; skipped")


def _listing(folder: str) -> Iterator[os.DirEntry] | Problem:
    """A folder's visible entries in name order."""
    try:
        with os.scandir(folder) as entries:
            return iter(sorted((e for e in entries if not e.name.startswith(".")), key=lambda e: e.name))
    except OSError as error:
        return Problem(folder, error.strerror or "cannot be read")


def find_files(paths: Iterable[str | os.PathLike]) -> tuple[list[tuple[str, os.stat_result]], list[Problem]]:
    """Every regular file under the paths, with its stat, and the paths that could not be walked."""
    found: list[tuple[str, os.stat_result]] = []
    problems: list[Problem] = []
    for item in _regular_files(paths):
        (problems if isinstance(item, Problem) else found).append(item)
    return found, problems


def read_file(path: str, info: os.stat_result, cache: ParseCache | None = None) -> Parsed | Problem:
    """One file's papers (from the cache when the file is unchanged), or a Problem with the reason."""
    try:
        hit = cache.get(path, info) if cache is not None else None
        if hit is not None:
            return Parsed(path, ParseResult(hit.papers, hit.format, hit.warnings), hit.titles)
        result = parse_file(path)
        if cache is not None:
            cache.put(path, info, result.format, result.warnings, result.papers)
        return Parsed(path, result)
    except OSError as error:
        return Problem(path, error.strerror or "cannot be read")
    except DigestError as error:
        return Problem(path, str(error))
    except Exception as error:  # a parser bug must cost one file, not the whole load
        return Problem(path, one_line(f"could not be parsed ({type(error).__name__}: {error})"))


def read_files(paths: Iterable[str | os.PathLike], cache: ParseCache | None = None) -> Iterator[Parsed | Problem]:
    """Parse every file under the paths (from the cache when the file is unchanged); each yields
    what it gave, or a Problem with the reason."""
    for item in _regular_files(paths):
        yield item if isinstance(item, Problem) else read_file(item[0], item[1], cache)


def default_cache() -> ParseCache:
    """The parse cache in the user cache dir (`$XDG_CACHE_HOME/digest-tui` on Linux)."""
    from .paths import cache_dir

    return ParseCache(cache_dir())


def load(
    paths: Iterable[str | os.PathLike], store: Store | None = None, cache: ParseCache | None = None
) -> tuple[Store, LoadReport]:
    """Load everything under the paths into a store (a new one unless given)."""
    store = store if store is not None else Store()
    report = LoadReport()
    for item in read_files(paths, cache):
        if isinstance(item, Problem):
            report.problems.append(item)
            continue
        report.files += 1
        report.papers += len(item.result.papers)
        store.add(item.result.papers, item.titles)
        report.problems.extend(Problem(item.path, warning) for warning in item.result.warnings)
    return store, report
