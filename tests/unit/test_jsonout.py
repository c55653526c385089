"""core.jsonout writes what the standard library's json writes, byte for byte; text.printable's
quick answer never lets through a string that clean() or dump's escapes would change, and
jsonout.Finder finds in JSON bytes exactly the characters it is given."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest_tui import cli
from digest_tui.core import text
from digest_tui.core.jsonout import Finder, dumps, joined
from digest_tui.core.text import CLEANED, clean, printable, without_surrogates

# what digests put in strings, hostile characters included (controls, C1, bidi, zero-width, surrogates)
TEXT = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from(list('"\\/\n\r\t\b\f\x00\x1b\x7f\x9b\u2028\u2029\u202e\u200b\ufeff\u3000\xa0é中\U0001f600')),
    ),
    max_size=30,
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), TEXT)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)


def standard(value, indent=None) -> bytes:
    return without_surrogates(json.dumps(value, ensure_ascii=False, indent=indent)).encode("utf-8")


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_the_same_bytes_as_json_dumps_on_one_line_and_indented(value):
    assert dumps(value) == standard(value)
    assert dumps(value, indent=2) == standard(value, indent=2)
    assert dumps(value, indent=4) == standard(value, indent=4)


def test_the_shapes_exports_write():
    value = [{"a": [], "b": {}, "c": (1, None, True), "d": "x\n\"y\"\\ \u001f\x7f中", "e": [{"file": "f", "format": "g"}]}, []]
    assert dumps(value) == standard(value)
    assert dumps(value, indent=2) == standard(value, indent=2)
    assert dumps([]) == b"[]" and dumps([], indent=2) == b"[]" and dumps({}, indent=2) == b"{}"


def test_a_lone_surrogate_or_a_big_number_goes_through_the_standard_library():
    assert dumps(["a\ud800b"]) == '["a\ufffdb"]'.encode()  # valid UTF-8, the rest as json.dumps writes it
    assert dumps({"n": 2**100}, indent=2) == standard({"n": 2**100}, indent=2)


@settings(max_examples=200, deadline=None)
@given(st.lists(VALUES, max_size=5))
def test_joined_is_each_value_as_dumps_writes_it_between_the_separators(values):
    assert joined(values, b",\n") == b",\n".join(standard(value) for value in values)


def test_joined_after_a_value_msgspec_refuses_is_still_each_value_as_dumps_writes_it():
    values = [{"a": "x" * 600}, ["a\ud800b"], {"n": 2**100}, "中" * 300, []]  # longer and shorter than the last
    assert joined(values, b",\n") == b",\n".join(standard(value) for value in values)
    assert joined([], b",\n") == b""


def test_indent_zero_is_refused():
    """json.dumps(indent=0) puts every item on a line of its own: not what `indent or 0` would give."""
    with pytest.raises(ValueError):
        dumps([1], indent=0)


def test_every_character_clean_changes_or_dump_escapes_is_unprintable():
    changed = [chr(code) for code in text._TABLE if code != ord("\n")]
    changed += [chr(c) for c in (0xD800, 0xDFFF, 0xE0000, 0xE0041, 0xE007F, 0x1BCA0, 0x1D173, 0x1D17A)]
    for char in changed:
        assert not char.isprintable(), repr(char)
    for code in range(0x110000):
        char = chr(code)
        if cli._JSON_UNSAFE.match(char):
            assert not char.isprintable(), hex(code)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(TEXT, st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=2), st.none())))
def test_printable_values_are_left_alone_by_clean_and_by_dump(values):
    strings = []
    for value in values:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, list):
            strings.extend(value)
        elif isinstance(value, dict):
            strings.extend([*value, *value.values()])
    if printable(values):
        for string in strings:
            assert clean(string, newlines=True) == string
            assert cli.json_safe(json.dumps(string, ensure_ascii=False)) == json.dumps(string, ensure_ascii=False)
    if all(s.replace("\n", "").isprintable() for s in strings):
        assert printable(values)


def test_printable_looks_inside_tables_and_named_tuples():
    from digest_tui.core.model import Source

    assert printable(["a\nb", ("c", "d"), {"e": "f"}, [{"file": "g", "format": "h"}], None, 3, True])
    assert not printable([[{"file": "evil\x1b[31m.txt", "format": "x"}]])
    assert not printable([(Source("evil\u202e.txt", "x"),)])
    assert not printable([{"label\x9b": "text"}])
    assert not printable([("ok", None, "bad\x00")])  # not only strings: looked at one by one


def test_printable_ascii_and_other_text_alike():
    assert printable(["plain\nlines", "中文\n第二段", ("Ann", "Bo"), "", None])
    for bad in ("nul\x00", "esc\x1b[2J", "del\x7f", "tab\t", "cr\r", "c1\x9b", "bidi\u202e", "zw\u200b", "ls\u2028"):
        assert not printable(["fine", bad]), repr(bad)
        assert not printable([("fine", bad)]), repr(bad)
        assert not printable([{"k": bad}]), repr(bad)


# -- Finder: the characters clean() changes and those dump escapes, looked for in JSON bytes --------

FINDERS = {"cleaned": CLEANED, "dump's escapes": cli._JSON_UNSAFE}
FOUND = {chars: Finder(chars) for chars in FINDERS.values()}  # each made once: ~25 ms


def every_character() -> list[str]:
    return [chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000]


@pytest.mark.parametrize("name", FINDERS)
def test_finder_finds_each_character_of_its_set_and_nothing_else(name):
    chars = FINDERS[name]
    find = Finder(chars)
    wanted = [char for char in every_character() if chars.match(char)]
    assert len(wanted) > 40
    for char in wanted:
        for value in ([f"a{char}b"], {"k": [1, None, f"中{char}"]}, [f"\\{char}"], [char * 3]):
            assert find(dumps(value)), (hex(ord(char)), value)
            assert find(dumps(value, indent=2)), (hex(ord(char)), value)
    others = "".join(char for char in every_character() if not chars.match(char))
    for start in range(0, len(others), 50_000):  # every other character, in pieces of a chunk's size
        assert not find(dumps([others[start : start + 50_000], "\\t \\u001b \\\\r", "quote\"", "line\nbreak"]))


def test_finder_tells_an_escaped_control_from_a_backslash_before_a_letter():
    """`\\t` in JSON is a tab; `\\\\t` a backslash and a t (LaTeX's \\theta): only the tab is cleaned."""
    find = Finder(CLEANED)
    assert not find(dumps([r"$\theta$ \rho \beta \frac \u00e9 C:\\temp", "\\" * 7 + "t"]))
    assert find(dumps(["\\" * 7 + "\t"])) and find(dumps(["\\\t"])) and find(dumps(["x\r\n"]))
    assert not find(dumps(["x\ny\n", '"quoted"']))  # a line break and a quote are kept as they are


@pytest.mark.parametrize("name", FINDERS)
def test_finder_past_its_quick_looks(name, monkeypatch):
    """A byte found more often than its looks (16 and LOOKS a megabyte) in one piece: the rest
    goes to one regex search."""
    find = Finder(FINDERS[name])
    monkeypatch.setattr(Finder, "LOOKS", 0)
    busy = "“引号” — \\theta \\\\ 5° ±1 · ，" * 20  # first bytes of the set's (\xe2, \xc2, \xef, \\), not it
    assert not find(dumps([busy]))
    for bad in ("\u202e", "\x9b", "\ufeff", "\u2028", "\x7f"):
        assert find(dumps([busy, busy + bad + busy])), repr(bad)
    if name == "cleaned":
        assert find(dumps([busy + "\\\\\t"])) and not find(dumps([busy + "\\\\t"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(VALUES, max_size=4))
def test_finder_agrees_with_a_search_of_every_string(values):
    def strings(value):
        if isinstance(value, str):
            yield without_surrogates(value)  # JSON cannot carry a lone surrogate: dumps writes U+FFFD
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from strings(key)
                yield from strings(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from strings(item)

    for chars in FINDERS.values():
        expected = any(chars.search(string) for string in strings(values))
        assert FOUND[chars](dumps(values)) == expected
        assert FOUND[chars](dumps(values, indent=2)) == expected
