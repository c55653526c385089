"""Digest formats: read a file's bytes, detect its format from its content, parse it into Papers."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import stat
import warnings as _warnings  # `warnings` is what every parser calls its list of lines
from types import ModuleType

from ..model import ParseResult as ParseResult  # re-exported: where parsers' results are named
from . import ai_jsonl, arxiv_email, arxiv_feed, arxiv_md, arxiv_table, arxivdaily, arxivdaily_html, hf_html, hf_json, hf_newsletter, hf_text
from . import mailbox
from .errors import DigestError as DigestError  # re-exported: the public name lives here
from .errors import NoPapers, one_line

FORMATS: tuple[ModuleType, ...] = (
    ai_jsonl, hf_json, arxiv_feed, arxivdaily_html, hf_html, mailbox, arxivdaily, arxiv_email, arxiv_table,
    hf_newsletter, arxiv_md, hf_text,
)  # fmt: skip
"""Every format module, in the order they are tried; each has NAME, sniff(text) and parse(...).
JSON, XML and markup first (their sniffs look at the first tag or character), then the text formats; an
arXivDaily page saved as HTML is claimed before the generic HF check, and both before `hf_text`,
whose loose line test would also match a pretty-printed HF page; an mbox or an encoded mail
message before the plain listing e-mail. The arXivDaily page comes first of the text formats: it
is most of a big archive, and its test is strict (a line of id, date and categories, found near
the top) and cheap, where the others' each scan the whole head for a word the page lacks."""

SNIFF_CHARS = 65536


def decode(data: bytes) -> str:
    """Bytes to text with `\\n` line ends: UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030.
    A file cut inside its last character loses that character only (see `decode_cut`)."""
    return decode_cut(data)[0]


def decode_cut(data: bytes) -> tuple[str, bool]:
    """decode(), and whether the file ends inside a character (a download or copy cut short): the
    cut character is dropped and the rest read, rather than the whole file refused or guessed as
    another encoding."""
    cut = False
    if data.startswith(b"\xef\xbb\xbf"):
        text, cut = _decode_at_most_cut(data[3:], "utf-8", "replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, cut = _decode_at_most_cut(data, "utf-16", "replace")
    else:
        if b"\x00" in data[:8192]:
            raise DigestError("binary file, not a digest")
        try:
            text, cut = _decode_at_most_cut(data, "utf-8")
        except UnicodeDecodeError:
            try:
                text, cut = _decode_at_most_cut(data, "gb18030")
            except UnicodeDecodeError:
                raise DigestError("not valid UTF-8 or GB18030 text") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, cut


def _decode_at_most_cut(data: bytes, encoding: str, errors: str = "strict") -> tuple[str, bool]:
    """`data` decoded; if only its last character is cut short, the text before it and True.
    An incremental decoder told the input is not final keeps an incomplete last character back
    instead of failing: what it keeps is the cut (at most 3 bytes in UTF-8, GB18030 or UTF-16)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    text = decoder.decode(data, final=False)
    pending = decoder.getstate()[0]
    if pending and errors == "strict" and not any(_decodes(pending + end, encoding) for end in _COMPLETIONS):
        # not the start of any character (a stray 0xff, say): not a cut, a wrong guess of encoding
        raise UnicodeDecodeError(encoding, data, len(data) - len(pending), len(data), "invalid last bytes")
    return text, bool(pending)


_COMPLETIONS = (b"\x80", b"\x80\x80", b"\x80\x80\x80", b"\x90\x80\x80", b"\xa0\x80", b"\x40", b"\x30\x81\x30", b"\x81\x30", b"\x30")
"""Bytes that complete the start of a UTF-8 or GB18030 character, whichever start it is."""


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def detect(text: str) -> ModuleType:
    """The format module that claims this text, or DigestError saying why none does."""
    if not text or text.isspace():  # not text.strip(): that copies the whole text
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
        # catch_warnings swaps process-wide state: fine while nothing else in the process (the
        # loading thread parses, Textual does not use it) changes warning filters at the same time
        with _warnings.catch_warnings(record=True) as caught:
            _warnings.simplefilter("always")
            papers, warnings = module.parse(text, file, file_date or dt.date.today())
    except NoPapers as note:
        return ParseResult([], module.NAME, [str(note)])
    except Exception as error:
        raise failure(module, error) from None
    return finished(module, papers, warnings, library_warning(caught))


def failure(module: ModuleType, error: Exception) -> DigestError:
    """What a parser's exception says to the user: a DigestError as it is, anything else in one line."""
    if isinstance(error, DigestError):
        return error
    if isinstance(error, RecursionError):
        return DigestError(f"looks like {module.NAME} but is nested too deeply to read")
    if isinstance(error, MemoryError):
        return DigestError(f"looks like {module.NAME} but is too big to read")
    return DigestError(f"looks like {module.NAME} but could not be parsed ({type(error).__name__}: {error})")


def finished(module: ModuleType, papers: list, warnings: list[str], said: str | None) -> ParseResult:
    """A parse's result: its papers, and its warnings with what the libraries `said` (library_warning()),
    at most MAX_WARNINGS, one line each."""
    if not papers:
        raise DigestError(f"looks like {module.NAME} but holds no papers")
    if said:
        warnings = [*warnings, said]
    if len(warnings) > MAX_WARNINGS:  # a mangled file must not flood the user with lines
        hidden = len(warnings) - (MAX_WARNINGS - 1)
        warnings = warnings[: MAX_WARNINGS - 1] + [f"{hidden:,} more problems like these not shown"]
    return ParseResult(papers, module.NAME, [one_line(warning, limit=300) for warning in warnings])


MAX_WARNINGS = 10
"""Warnings kept per file; beyond that, one line says how many more there were."""


def library_warning(caught: list[_warnings.WarningMessage]) -> str | None:
    """What the libraries a parser uses warned about while reading one file (bs4 prints twelve
    lines for a page that starts with `<?xml …?>`), as one line for the file's warnings, or None.
    Nothing a library warns reaches stderr, where it would land on the reader's screen."""
    return lines_warning(library_lines(caught))


def library_lines(caught: list[_warnings.WarningMessage]) -> list[str]:
    """Each different thing the libraries warned about, one line each, in order."""
    lines: list[str] = []
    for message in caught:
        category = message.category.__name__
        if category == "XMLParsedAsHTMLWarning":
            line = "starts like an XML document (<?xml …?>); read as HTML"
        else:
            first = str(message.message).strip().split("\n", 1)[0]
            line = f"the parser warned: {category}: {first}"
        if line not in lines:
            lines.append(line)
    return lines


def lines_warning(lines: list[str]) -> str | None:
    """library_warning() of the lines library_lines() gave (those of a file's parts, put together)."""
    lines = list(dict.fromkeys(lines))
    if not lines:
        return None
    more = f" (+{len(lines) - 1} more from the parser)" if len(lines) > 1 else ""
    return one_line(lines[0], limit=200) + more


IN_PARTS_BYTES = 16 * 2**20
"""parse_file() reads a file this big a part at a time, when it can be cut (batched.parse_in_parts)."""
MAX_FILE_BYTES = 256 * 1024 * 1024
"""Larger files are refused unread: a digest page is a few hundred kilobytes, a year of them tens of MB."""

_BINARY_PROBE = 8192


def read_text(path: str) -> tuple[str, bool, os.stat_result]:
    """A file's text (decode_cut()), whether it ended inside a character, and its stat; every
    failure is a DigestError with a one-line reason. Only regular files are read: a FIFO, socket
    or device is refused without blocking on it."""
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
    text, cut = decode_cut(data)
    return text, cut, info


def parse_file(path: str) -> ParseResult:
    """Read and parse one file; every failure is a DigestError with a one-line reason. A big
    listing e-mail is read and parsed a part at a time (parsers.batched.parse_in_parts)."""
    try:
        info = os.stat(path)
    except OSError:
        info = None  # read_text() says why
    if info is not None and stat.S_ISREG(info.st_mode) and info.st_size >= IN_PARTS_BYTES:
        from .batched import parse_in_parts

        result = parse_in_parts(path, info.st_size)
        if result is not None:
            return result
    text, cut, info = read_text(path)
    return parse_read(path, text, cut, dt.date.fromtimestamp(info.st_mtime))


def parse_read(path: str, text: str, cut: bool, file_date: dt.date) -> ParseResult:
    """parse_file() of a file read_text() read."""
    if in_maildir(path):  # a message of a Maildir: an arXiv listing, or other mail skipped without a word
        try:
            return parse_as(mailbox, text, path, file_date)
        except DigestError:
            return ParseResult([], mailbox.NAME, [])
    result = parse_text(text, path, file_date)
    if cut:
        result.warnings = first_warning(cut_warning(result), result.warnings)
    return result


_MORE = re.compile(r"^([\d,]+) more problems like these not shown$")


def first_warning(warning: str, warnings: list[str]) -> list[str]:
    """`warning` before the others, still at most MAX_WARNINGS lines: the last line counts what is not shown."""
    lines = [warning, *warnings]
    if len(lines) <= MAX_WARNINGS:
        return lines
    summary = _MORE.match(lines[-1])
    body = lines[:-1] if summary else lines
    hidden = len(body) - (MAX_WARNINGS - 1) + (int(summary.group(1).replace(",", "")) if summary else 0)
    return body[: MAX_WARNINGS - 1] + [f"{hidden:,} more problems like these not shown"]


def in_maildir(path: str) -> bool:
    """Whether the file is a message of a Maildir: in its `cur/` or `new/`, beside the other one."""
    folder = os.path.dirname(os.path.abspath(path))
    kind = os.path.basename(folder)
    if kind not in ("cur", "new"):
        return False
    return os.path.isdir(os.path.join(os.path.dirname(folder), "new" if kind == "cur" else "cur"))


def cut_warning(result: ParseResult) -> str:
    """The warning for a file that ends inside a character: it names the last paper read, the one
    a cut at the end goes through, unless the parser already named an entry it found cut off."""
    warning = "the file ends inside a character (cut off?); that character was dropped"
    if any("cut off" in w for w in result.warnings) or not result.papers:
        return warning
    last = result.papers[-1]
    title = (last.title_en or last.title_zh or "")[:60]
    return f"{warning}: the last paper, {last.id or 'untitled'} {title!r}, may be incomplete"

