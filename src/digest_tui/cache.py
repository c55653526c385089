"""The parse cache: each digest file's papers kept between runs, so a warm start skips parsing.

One entry per digest file, named by a hash of its absolute path, in a folder named by a hash of the
code that parses (a new version never reads an old version's entries). An entry is used only when
the file's size, modification time, change time and inode are exactly those recorded; a changed
file is parsed again, a removed one is simply never asked for. Entries carry a checksum of their payload:
a truncated or corrupt entry is ignored (and replaced), never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import shutil
import struct
import zlib
from typing import NamedTuple
from pathlib import Path

from .model import Paper, Source, folded_title


class CachedFile(NamedTuple):
    """One file's entry: its format, warnings, papers, and each paper's folded title (for merging)."""

    format: str
    warnings: list[str]
    papers: list[Paper]
    titles: list[str | None]

CACHE_FORMAT = 1
_MAGIC = b"digest-tui parse cache\n"
_HEADER = struct.Struct("<IQ")  # Adler-32 and length of the marshalled payload
_new_tuple = tuple.__new__


@functools.cache
def code_version() -> str:
    """A hash of everything that decides what a file parses to: the model and the parsers."""
    digest = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
    here = Path(__file__).parent
    for source in [here / "model.py", *sorted((here / "parsers").glob("*.py"))]:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _stamp(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


class ParseCache:
    """Read and write cache entries under one folder (normally the user cache dir)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.folder = self.root / f"parsed-{code_version()}"
        self._pruned = False
        self._made: set[Path] = set()  # folders known to exist: a mkdir per file costs more than the write

    def _entry(self, real: str) -> Path:
        name = hashlib.blake2b(real.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        return self.folder / name[:2] / name

    def get(self, path: str, info: os.stat_result) -> CachedFile | None:
        """What an unchanged file parsed to, else None."""
        real = os.path.abspath(path)
        try:
            data = self._entry(real).read_bytes()
            start = len(_MAGIC) + _HEADER.size
            if not data.startswith(_MAGIC):
                return None
            crc, length = _HEADER.unpack_from(data, len(_MAGIC))
            payload = memoryview(data)[start:]
            if len(payload) != length or zlib.adler32(payload) != crc:
                return None
            stored_path, stamp, fmt, source_format, warnings, rows, titles = marshal.loads(payload)
            if stored_path != real or tuple(stamp) != _stamp(info):
                return None
            sources = (Source(path, source_format),)
            return CachedFile(fmt, list(warnings), [_new_tuple(Paper, row + (sources,)) for row in rows], titles)
        except Exception:  # noqa: BLE001 — anything wrong with an entry means "not cached"
            return None

    def put(self, path: str, info: os.stat_result, fmt: str, warnings: list[str], papers: list[Paper]) -> None:
        """Remember what a file parsed to; failures to write are ignored (the cache is optional)."""
        real = os.path.abspath(path)
        source_format = papers[0].sources[0].format if papers and papers[0].sources else fmt
        rows = [tuple(paper)[:-1] for paper in papers]
        titles = [folded_title(paper) for paper in papers]
        try:
            payload = marshal.dumps((real, _stamp(info), fmt, source_format, warnings, rows, titles))
            entry = self._entry(real)
            if entry.parent not in self._made:
                self._prune_old_versions()
                entry.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(entry.parent)
            temporary = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
            with open(temporary, "wb") as handle:
                handle.write(_MAGIC + _HEADER.pack(zlib.adler32(payload), len(payload)) + payload)
            os.replace(temporary, entry)
        except (OSError, ValueError):
            pass

    def _prune_old_versions(self) -> None:
        """Remove folders of other code versions, once per run."""
        if self._pruned:
            return
        self._pruned = True
        for folder in self.root.glob("parsed-*"):
            if folder != self.folder:
                shutil.rmtree(folder, ignore_errors=True)
