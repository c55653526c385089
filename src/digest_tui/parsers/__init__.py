"""Digest formats: read a file's bytes, detect its format from its content, parse it into Papers."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from types import ModuleType

from ..model import Paper
from . import arxiv_email, arxiv_md, arxivdaily, arxivdaily_html, hf_html, hf_json, hf_text
from .errors import DigestError as DigestError  # re-exported: the public name lives here

FORMATS: tuple[ModuleType, ...] = (hf_json, arxivdaily_html, hf_html, arxiv_email, arxiv_md, arxivdaily, hf_text)
"""Every format module, in the order they are tried; each has NAME, sniff(text) and parse(...).
Markup and JSON first (their sniffs look at the first character), then the text formats; an
arXivDaily page saved as HTML is claimed before the generic HF check, and both before `hf_text`,
whose loose line test would also match a pretty-printed HF page."""

SNIFF_CHARS = 65536


@dataclass(slots=True)
class ParseResult:
    """What one file gave: its papers, its format's name, and one-line notes on parts skipped."""

    papers: list[Paper]
    format: str
    warnings: list[str] = field(default_factory=list)


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
    """Parse digest text; `file_date` (the file's modification date) dates entries without a year."""
    module = detect(text)
    papers, warnings = module.parse(text, file, file_date or dt.date.today())
    if not papers:
        raise DigestError(f"looks like {module.NAME} but holds no papers")
    return ParseResult(papers, module.NAME, warnings)


def parse_file(path: str) -> ParseResult:
    """Read and parse one file; every failure is a DigestError with a one-line reason."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        mtime = os.stat(path).st_mtime
    except OSError as error:
        raise DigestError(error.strerror or str(error)) from None
    return parse_text(decode(data), path, dt.date.fromtimestamp(mtime))
