"""Make untrusted digest text safe to show: control characters visible, invisible format characters gone.

Used for everything a digest (or a file name, or an error message quoting either) puts on a
screen or into an exported file: a raw ESC, CSI or OSC sequence would drive the terminal of
whoever reads it (`cat`, a pager, the reader itself), a bidi override would reorder what they
see, and zero-width or tag characters would hide text from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import filterfalse

_TABLE: dict[int, str | None] = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟
_TABLE[0x7F] = "\u2421"  # ␡
_TABLE.update({code: "\ufffd" for code in range(0x80, 0xA0)})  # C1 controls, CSI among them
_TABLE[ord("\t")] = " "
_TABLE[0x2028] = _TABLE[0x2029] = " "  # line and paragraph separators: some terminals break the line
_INVISIBLE = (
    0x00AD,  # soft hyphen
    0x061C,  # Arabic letter mark (bidi)
    0x180E,  # Mongolian vowel separator
    *range(0x200B, 0x2010),  # zero-width space, non-joiner, joiner; LRM, RLM
    *range(0x202A, 0x202F),  # bidi embeddings and overrides
    *range(0x2060, 0x2065),  # word joiner, invisible operators
    *range(0x2066, 0x2070),  # bidi isolates, deprecated format controls
    0xFEFF,  # zero-width no-break space (BOM)
    *range(0xFFF9, 0xFFFC),  # interlinear annotation controls
)
for _code in _INVISIBLE:
    _TABLE[_code] = None  # removed
# lone surrogates (from JSON `\ud800` escapes), tag characters (invisible "ASCII smuggling"),
# shorthand and musical format controls: outside the BMP, so a regex rather than the table
_SURROGATE = re.compile("[\ud800-\udfff]")
_ASTRAL_INVISIBLE = re.compile("[\U000e0000-\U000e007f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a]")
_ASTRAL_RANGES = r"\U000e0000-\U000e007f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
_CHANGED = re.compile("[" + "".join(f"\\u{code:04x}" for code in sorted(_TABLE)) + r"\ud800-\udfff" + _ASTRAL_RANGES + "]")
_CHANGED_LINES = re.compile(_CHANGED.pattern.replace("\\u000a", ""))
"""Any character clean() changes (with `newlines`, other than `\\n`): one search of a text that
has none, such as an abstract with line breaks, is much faster than translating it line by line."""
CLEANED = _CHANGED_LINES
"""Any character clean(newlines=True) changes: what an export looks for before it cleans a record."""


def clean(text: str, *, newlines: bool = False) -> str:
    """`text` with controls shown as visible symbols (␛ for ESC), zero-width/bidi/tag characters
    removed and lone surrogates replaced by U+FFFD; with `newlines`, `\\n` line breaks are kept
    (a `\\r` never is: it would move the cursor back over the line)."""
    if text.isprintable() or (_CHANGED_LINES if newlines else _CHANGED).search(text) is None:
        return text
    if newlines:
        return "\n".join(_clean_line(line) for line in text.split("\n"))
    return _clean_line(text)


def printable(values: Iterable[object]) -> bool:
    """Whether every string in `values` (and in the lists, tuples and dicts among them, keys too)
    is printable but for `\\n` line breaks. Every character clean() changes is unprintable, so
    True means it changes nothing: the quick answer for a whole record (a paper, a row of an
    export), a scan in C of its strings joined. False says only that one of them may."""
    texts = _joined(values)
    if texts is None:
        return _printable_deep(values)
    return _printable_parts(*texts)


def printable_texts(texts: Iterable[str]) -> bool:
    """printable() for strings alone, each looked at in C (a batch of records' texts: no Python
    runs for each); TypeError for something in `texts` that is not a string."""
    texts = texts if isinstance(texts, list) else list(texts)
    return _printable_parts("".join(filter(str.isascii, texts)), "".join(filterfalse(str.isascii, texts)))


def _printable_parts(ascii: str, other: str) -> bool:
    """Whether an ASCII string and another are printable but for `\n` line breaks."""
    data = ascii.encode("ascii")
    if len(data.translate(None, _ASCII_UNPRINTABLE)) != len(data):  # twice as fast as isprintable()
        return False
    return other.isprintable() or other.replace("\n", " ").isprintable()


def _joined(values: Iterable[object]) -> tuple[str, str] | None:
    """The ASCII strings of a record joined, and the others joined (ASCII needs a cheaper look);
    None when something other than a string sits where strings were expected."""
    strings: list = []
    ascii: list[str] = []
    add, extend, add_ascii = strings.append, strings.extend, ascii.append
    for value in values:  # two levels deep, the shape of a record: a list of tables at most
        kind = value.__class__
        if kind is str:
            (add_ascii if value.isascii() else add)(value)
        elif kind is tuple or kind is list:
            if value and value[0].__class__ is str:
                try:
                    joined = "".join(value)  # authors, categories: one string
                except TypeError:
                    return None
                (add_ascii if joined.isascii() else add)(joined)
                continue
            for item in value:
                if isinstance(item, dict):
                    extend(item)
                    extend(item.values())
                else:
                    extend(item)  # a tuple (a Source, an AI section's pair); anything else fails the join
        elif kind is dict:
            extend(value)
            extend(value.values())
        elif not (value is None or kind is int or kind is bool):
            return None
    try:
        return "".join(ascii), "".join(strings)
    except TypeError:
        return None


_ASCII_UNPRINTABLE = bytes(range(0x20)).replace(b"\n", b"") + b"\x7f"


def _printable_deep(values: Iterable[object]) -> bool:
    for value in values:
        if isinstance(value, str):
            if not (value.isprintable() or value.replace("\n", " ").isprintable()):
                return False
        elif isinstance(value, dict):
            if not (_printable_deep(value) and _printable_deep(value.values())):
                return False
        elif isinstance(value, (tuple, list)) and not _printable_deep(value):
            return False
    return True


def _clean_line(line: str) -> str:
    line = line.translate(_TABLE)
    if not line.isascii():
        line = _SURROGATE.sub("\ufffd", line)
        line = _ASTRAL_INVISIBLE.sub("", line)
    return line


def without_surrogates(text: str) -> str:
    """`text` with lone surrogates (JSON's `\\ud800` escapes can make them) replaced by U+FFFD:
    they are not text, and nothing downstream (UTF-8 output, TOML, a terminal) could write them."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def is_clean(text: str, *, newlines: bool = False) -> bool:
    """Whether `text` is already what clean() would make of it."""
    return clean(text, newlines=newlines) == text


def short_repr(value: object, limit: int = 60) -> str:
    """repr() of a value for a message, cut to `limit` characters (a value can be huge or deep),
    control characters made visible (the value comes from a file the user did not write)."""
    try:
        text = repr(value)
    except Exception:  # RecursionError for a deeply nested value
        text = f"a deeply nested {type(value).__name__}"
    return clean(text if len(text) <= limit else text[: limit - 1] + "…")


def one_line(text: object, limit: int = 160) -> str:
    """Any message (an exception's text, say) squeezed onto one short line for the user, with
    control characters made visible: messages quote file content and go to a terminal."""
    line = clean(" ".join(str(text).split()))
    return line if len(line) <= limit else line[: limit - 1] + "…"


def path_text(path: str) -> str:
    """A file path as valid Unicode text: the bytes of a name that were not UTF-8 (which Python
    carries as lone surrogates, U+DC80–U+DCFF) written as `\\xNN`, e.g. `bad\\xff.txt`; any other
    lone surrogate as U+FFFD. Everything else is left as it is (clean() it to show it)."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", path)
    return raw.decode("utf-8", "backslashreplace")


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`1 paper`, `2 papers` (`plural` for a noun that is not made plural with an `s`)."""
    return f"{count} {noun}" if count == 1 else f"{count} {plural or noun + 's'}"
