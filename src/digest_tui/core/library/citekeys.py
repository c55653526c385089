"""Citation keys pinned in the library: merged with another instance's, written and read fast.

A key is made (core/citekey.py) the first time a paper is exported and kept in `[citekeys]` for
good, so every later export, from the command line or the reader, uses the same key whatever
else is exported with it; a person may edit one (an ASCII word).

Two instances never give one key to two papers: keys are made under the file's lock, after the
merge; only a key made while the file could not be saved may meet the other instance's key for
another paper, and then it is made again (merge()). A big export pins as many keys as there are
read marks, so the table is written and read as plain lines where it can be, without tomllib.
"""

from __future__ import annotations

import itertools
import re

import tomli_w

from .. import citekey

PLAIN_KEY = re.compile(r'[^"\\\x00-\x1f\x7f]*')
"""A paper key TOML can hold between double quotes as it is (no escapes)."""

_TABLE = re.compile(r'^\[citekeys\]\n((?:"[^"\\\x00-\x1f\x7f]*" = "[A-Za-z0-9][A-Za-z0-9_.+-]*"\n)*)', re.M)


def merge(theirs: dict[str, str], ours: dict[str, str]) -> dict[str, str]:
    """`theirs` (the file's keys, updated in place and returned) plus ours for papers it has none
    for; one of ours that the file gave to another paper meanwhile is made again."""
    taken = set(theirs.values())
    for key, value in ours.items():
        if key in theirs:
            continue
        stem, n = value, 0
        while value in taken:
            value, n = stem + citekey.suffix(n), n + 1
        theirs[key] = value
        taken.add(value)
    return theirs


def dumps(keys: dict[str, str]) -> str:
    """The `[citekeys]` table, a plain line a key where the key and value need no quoting. Keys
    are only ever added to a table (a merge makes a new one), so of the table written last time
    only the lines of the keys added since are made (1M keys: 1 s a save, on the reader's UI
    thread, for each star after a big export)."""
    last, count, text = _last
    if last is not keys or len(keys) < count:
        count, text = 0, ""
    quote, valid = PLAIN_KEY.fullmatch, citekey.VALID.fullmatch
    lines = [f'"{key}" = "{value}"\n' if quote(key) and valid(value) else tomli_w.dumps({key: value})
             for key, value in itertools.islice(keys.items(), count, None)]  # fmt: skip
    text += "".join(lines)
    _last[:] = [keys, len(keys), text]
    return "[citekeys]\n" + text


_last: list = [None, 0, ""]
"""The table dumps() wrote last (kept, so that its identity stays its own), how many keys, their lines."""


def split(text: str) -> tuple[str, dict[str, str]]:
    """`text` with the lines of a [citekeys] table in dumps()'s plain shape taken out (the header
    stays, with any other lines), and those keys; nothing taken where tomllib must decide. Every
    key taken is a non-empty string and every value a valid citation key (citekey.VALID)."""
    match = _TABLE.search(text)
    if match is None or not match.group(1):
        return text, {}
    before = text[: match.start()]
    if '"""' in before or "'''" in before:
        return text, {}  # perhaps inside a multi-line string
    keys = dict(_LINE.findall(match.group(1)))
    if len(keys) != match.group(1).count("\n") or "" in keys:
        return text, {}  # a key written twice, or an empty one: tomllib and parse()'s checks say so
    return text[: match.start()] + "[citekeys]\n" + text[match.end() :], keys


_LINE = re.compile(r'^"([^"\\\x00-\x1f\x7f]*)" = "([A-Za-z0-9][A-Za-z0-9_.+-]*)"$', re.M)
"""One line of _TABLE's plain shape: (key, value), the value a citation key as citekey.VALID has it."""
