"""JSON as the standard library writes it, made by msgspec: the same bytes, several times faster.

`dumps(value)` is `json.dumps(value, ensure_ascii=False).encode()` and `dumps(value, indent=2)`
is the same with `indent=2`, byte for byte, for the values `dump` and the exports write: None,
bools, ints, strings, and lists, tuples and dicts of them. The standard library's encoder is
pure Python as soon as `indent` is given, and even its C path writes a str that must then be
encoded again; msgspec writes UTF-8 once, and its `format` lays the text out with the standard
library's separators (`", "` and `": "` on one line; `","` and a line per item when indented).
Floats are the one thing msgspec writes differently (`1e-05` as `0.00001`, NaN as null): give
none (no field of a paper or a mark is one: scores, upvotes and counts are ints).
"""

from __future__ import annotations

import array
import json
import re
import sys

import msgspec

from .text import without_surrogates

_encoder = msgspec.json.Encoder()
_encode, _encode_into = _encoder.encode, _encoder.encode_into
_format = msgspec.json.format


def dumps(value: object, indent: int | None = None) -> bytes:
    """UTF-8 bytes of `json.dumps(value, ensure_ascii=False, indent=indent)`. What msgspec
    refuses (a lone surrogate, an unknown type) goes through the standard library, and a lone
    surrogate is then written as U+FFFD: the output is always valid UTF-8. A msgspec Struct is
    written as the table of its fields, in order."""
    if indent is not None and indent <= 0:
        raise ValueError("indent must be None (one line) or a positive number of spaces")
    try:
        return _format(_encode(value), indent=indent or 0)
    except (TypeError, ValueError, OverflowError):  # UnicodeEncodeError is a ValueError
        text = json.dumps(value, ensure_ascii=False, indent=indent, default=_fields)
        return without_surrogates(text).encode("utf-8")


def joined(values: list, between: bytes) -> bytes:
    """`between.join(dumps(value) for value in values)`. Each value is encoded into one reused
    buffer and laid out alone: at 100k papers (`dump`, a paper a line) ~0.1 s of CPU less than
    laying out a batch at once and putting the line breaks in by a replace, whose search of
    the text is slow (~1.5 GB/s)."""
    buffer = bytearray()
    try:
        pieces = []
        for value in values:
            _encode_into(value, buffer)
            pieces.append(_format(buffer, indent=0))
        return between.join(pieces)
    except (TypeError, ValueError, OverflowError):  # as dumps() does: the standard library's way
        return between.join([dumps(value) for value in values])


def _fields(value: object) -> dict:
    """A Struct as the standard library is to write it: its fields, in order."""
    if isinstance(value, msgspec.Struct):
        return msgspec.structs.asdict(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class Finder:
    """Whether JSON text as dumps() writes it holds one of a set of characters (`chars`, a pattern
    matching single characters), as a raw character or as the escape JSON writes a C0 control as.

    A look at the bytes, not the strings: each character of the set is found by the first byte of
    its UTF-8 form (memchr) and a match of the rest there; a byte found often in one piece (dense
    Chinese punctuation, say) is left to one regex search from there on. At 100k papers that is
    ~0.04 s for `dump`'s 378 MB and ~0.1 s for the JSON export's 363 MB (its line breaks and
    LaTeX are backslashes to look at), where testing every string of every paper took ~0.4 s.
    Lone surrogates are not looked for: JSON cannot carry one, and dumps() writes U+FFFD instead."""

    LOOKS = 512
    """Finds of one byte tried one by one (~0.15 µs each) in a megabyte, before the rest of it is
    left to one regex search (~0.3 ms a megabyte)."""

    def __init__(self, chars: re.Pattern[str]) -> None:
        self.chars = chars
        self._groups: list[tuple[bytes, re.Pattern[bytes]]] | None = None

    def _made(self) -> list[tuple[bytes, re.Pattern[bytes]]]:
        """(first byte, pattern of the whole form) for each first byte of the set's characters as
        JSON writes them; made at the first look (one search of every code point, ~25 ms)."""
        codes = array.array("I", range(0xD800))
        codes.extend(range(0xE000, 0x110000))
        every = codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
        forms: dict[bytes, list[bytes]] = {}
        for match in self.chars.finditer(every):
            form = dumps(match.group())[1:-1]  # the raw UTF-8, or the escape (b"\\t", b"\\u001b")
            if form in (b"\\\\", b'\\"'):
                raise ValueError("a backslash or a quote cannot be looked for: JSON writes them everywhere")
            forms.setdefault(form[:1], []).append(form)
        return [
            (lead, re.compile(re.escape(lead) + _alternatives([form[1:] for form in found])))
            for lead, found in sorted(forms.items())
        ]

    def __call__(self, data: bytes) -> bool:
        if self._groups is None:
            self._groups = self._made()
        looks = 16 + (len(data) * self.LOOKS >> 20)
        return any(_found(data, lead, pattern, looks) for lead, pattern in self._groups)


def _found(data: bytes, lead: bytes, pattern: re.Pattern[bytes], looks: int) -> bool:
    """Whether `pattern` (a form beginning with the byte `lead`) matches somewhere in `data`: at
    each `lead` found, then, after `looks` finds, by one search of the rest. A backslash starts an
    escape only where it is not the second of an escaped one (`\\\\`): those are looked at one by
    one, however many (~0.3 µs each; a regex that counts backslashes is slower still)."""
    if lead == b"\\":
        at = data.find(lead)
        while at >= 0:
            if data.startswith(lead, at + 1):
                at = data.find(lead, at + 2)
                continue
            if pattern.match(data, at):
                return True
            at = data.find(lead, at + 1)
        return False
    at = data.find(lead)
    while at >= 0:
        if looks == 0:
            return pattern.search(data, at) is not None
        looks -= 1
        if pattern.match(data, at):
            return True
        at = data.find(lead, at + 1)
    return False


def _alternatives(forms: list[bytes]) -> bytes:
    """A regex matching any of `forms` (byte strings of one length or more), as a tree: `u00(?:0[0-8]|1[0-9])`,
    not thirty branches, so that a match failing at a byte costs one look at it."""
    if not forms or forms == [b""]:
        return b""
    by_first: dict[bytes, list[bytes]] = {}
    for form in forms:
        by_first.setdefault(form[:1], []).append(form[1:])
    by_rest: dict[bytes, list[bytes]] = {}
    for first, rests in sorted(by_first.items()):
        by_rest.setdefault(_alternatives(sorted(set(rests))), []).append(first)
    branches = []
    for rest, firsts in by_rest.items():
        head = re.escape(firsts[0]) if len(firsts) == 1 else b"[" + b"".join(re.escape(first) for first in firsts) + b"]"
        branches.append(head + rest)
    return branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
