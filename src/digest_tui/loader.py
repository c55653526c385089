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
from .store import Store


@dataclass(slots=True)
class Problem:
    """A file (or one part of it) that could not be read, with a one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


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
    """Every regular file under the given paths, in a stable order; a Problem for what cannot be read.
    Folders are walked recursively without following links (no loops); hidden entries in them are skipped;
    a file named twice (or reached twice) is read once."""
    seen: set[str] = set()
    for item in _iter_files(paths):
        if isinstance(item, str):
            real = os.path.realpath(item)
            if real in seen:
                continue
            seen.add(real)
        yield item


def _iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[str | Problem]:
    for path in map(str, paths):
        try:
            info = os.stat(path)
        except OSError as error:
            yield Problem(path, error.strerror or "cannot be read")
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path)
        elif stat.S_ISREG(info.st_mode):
            yield path
        else:
            yield Problem(path, "not a regular file")


def _walk(folder: str) -> Iterator[str | Problem]:
    problems: list[Problem] = []
    for root, dirs, names in os.walk(folder, onerror=lambda e: problems.append(Problem(e.filename, e.strerror))):
        yield from problems
        problems.clear()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            full = os.path.join(root, name)
            try:
                info = os.stat(full)
            except OSError as error:
                yield Problem(full, error.strerror or "cannot be read")
                continue
            if stat.S_ISREG(info.st_mode):
                yield full
            elif not stat.S_ISDIR(info.st_mode):
                yield Problem(full, "not a regular file; skipped")
    yield from problems


def read_files(paths: Iterable[str | os.PathLike], cache: ParseCache | None = None) -> Iterator[Parsed | Problem]:
    """Parse every file under the paths (from the cache when the file is unchanged); each yields
    what it gave, or a Problem with the reason."""
    for item in iter_files(paths):
        if isinstance(item, Problem):
            yield item
            continue
        try:
            info = os.stat(item) if cache is not None else None
            hit = cache.get(item, info) if cache is not None else None
            if hit is not None:
                yield Parsed(item, ParseResult(hit.papers, hit.format, hit.warnings), hit.titles)
                continue
            result = parse_file(item)
            if cache is not None:
                cache.put(item, info, result.format, result.warnings, result.papers)
            yield Parsed(item, result)
        except OSError as error:
            yield Problem(item, error.strerror or "cannot be read")
        except DigestError as error:
            yield Problem(item, str(error))
        except Exception as error:  # a parser bug must cost one file, not the whole load
            yield Problem(item, f"could not be parsed ({type(error).__name__}: {error})")


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
