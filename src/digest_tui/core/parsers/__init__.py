"""Digest formats: read a file's bytes, detect its format from its content, parse it into Papers."""

from __future__ import annotations

import datetime as dt
import os
import stat
from types import ModuleType

from ..model import ParseResult as ParseResult  # re-exported: where parsers' results are named
from . import arxiv_email, arxiv_feed, arxiv_md, arxivdaily, arxivdaily_html, hf_html, hf_json, hf_text
from .errors import DigestError as DigestError  # re-exported: the public name lives here
from .errors import NoPapers, one_line

FORMATS: tuple[ModuleType, ...] = (hf_json, arxiv_feed, arxivdaily_html, hf_html, arxiv_email, arxiv_md, arxivdaily, hf_text)
"""Every format module, in the order they are tried; each has NAME, sniff(text) and parse(...).
JSON, XML and markup first (their sniffs look at the first tag or character), then the text formats; an
arXivDaily page saved as HTML is claimed before the generic HF check, and both before `hf_text`,
whose loose line test would also match a pretty-printed HF page."""

SNIFF_CHARS = 65536


def decode(data: bytes) -> str:
    """Bytes to text with `\\n` line ends: UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data[:8192]:
            raise DigestError("binary file, not a digest")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise DigestError("not valid UTF-8 or GB18030 text") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def detect(text: str) -> ModuleType:
    """The format module that claims this text, or DigestError saying why none does."""
    if not text.strip():
        raise DigestError("empty file")
    head = text[:SNIFF_CHARS]
    for module in FORMATS:
        if module.sniff(head):
            return module
    raise DigestError("not a digest in any known format")


def parse_text(text: str, file: str, file_date: dt.date | None = None) -> ParseResult:
    """Parse digest text in the format it is detected as; see parse_as()."""
    return parse_as(detect(text), text, file, file_date)


def parse_as(module: ModuleType, text: str, file: str, file_date: dt.date | None = None) -> ParseResult:
    """Parse digest text as one format; `file_date` (the file's modification date) dates entries
    without a year. Raises nothing but DigestError: a parser bug costs this one file a one-line
    reason, not the caller a traceback (the format modules need no catch-all of their own).
    Warnings come back one line each, control characters made visible."""
    try:
        papers, warnings = module.parse(text, file, file_date or dt.date.today())
    except NoPapers as note:
        return ParseResult([], module.NAME, [str(note)])
    except DigestError:
        raise
    except RecursionError:
        raise DigestError(f"looks like {module.NAME} but is nested too deeply to read") from None
    except MemoryError:
        raise DigestError(f"looks like {module.NAME} but is too big to read") from None
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
        raise DigestError(f"looks like {module.NAME} but could not be parsed ({reason})") from None
    if not papers:
        raise DigestError(f"looks like {module.NAME} but holds no papers")
    if len(warnings) > MAX_WARNINGS:  # a mangled file must not flood the user with lines
        hidden = len(warnings) - (MAX_WARNINGS - 1)
        warnings = warnings[: MAX_WARNINGS - 1] + [f"{hidden:,} more problems like these not shown"]
    return ParseResult(papers, module.NAME, [one_line(warning, limit=300) for warning in warnings])


MAX_WARNINGS = 10
"""Warnings kept per file; beyond that, one line says how many more there were."""


MAX_FILE_BYTES = 256 * 1024 * 1024
"""Larger files are refused unread: a digest page is a few hundred kilobytes, a year of them tens of MB."""

_BINARY_PROBE = 8192


def parse_file(path: str) -> ParseResult:
    """Read and parse one file; every failure is a DigestError with a one-line reason.
    Only regular files are read: a FIFO, socket or device is refused without blocking on it."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise DigestError(error.strerror or str(error)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise DigestError("is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise DigestError("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise DigestError(
                f"too large for a digest ({info.st_size / 2**20:,.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)"
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(_BINARY_PROBE)
            if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise DigestError("binary file, not a digest")  # said before reading the rest of it
            if len(data) == _BINARY_PROBE:
                handle.seek(0)
                data = handle.read()  # one buffer: `head + rest` would hold a big file twice
    except OSError as error:
        raise DigestError(error.strerror or str(error)) from None
    except MemoryError:
        raise DigestError("too large to read into memory") from None
    finally:
        os.close(fd)
    text = decode(data)
    del data  # a big file's bytes need not stay while its text is parsed
    return parse_text(text, path, dt.date.fromtimestamp(info.st_mtime))
