"""Untrusted strings: sanitize.clean leaves nothing a terminal acts on; the library and reading
lists take hostile text (and hostile files) without crashing or writing anything unreadable."""

from __future__ import annotations

import os
import tomllib
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest_tui.core import export
from digest_tui.core.export import ReadingListError, parse_reading_list
from digest_tui.core.library import Library, LibraryError, clean_tag
from digest_tui.core.model import make_paper
from digest_tui.core.query import QueryError, parse_query
from digest_tui.core.text import clean, is_clean

HIDDEN = ("Cc", "Cf", "Cs", "Zl", "Zp")
ANY = st.text(
    st.one_of(
        st.characters(),  # every code point, surrogates included
        st.sampled_from(list("\x1b\x07\x08\r\n\t\x00\x7f\x9b\u202e\u2066\u200b\u200d\ufeff\u2028\u2029\U000e0041")),
    ),
    max_size=60,
)


def hidden(text: str, allowed: str = "") -> list[str]:
    return [ch for ch in text if ch not in allowed and unicodedata.category(ch) in HIDDEN]


@settings(max_examples=500, deadline=None, derandomize=True)
@given(ANY)
def test_clean_leaves_nothing_a_terminal_would_act_on(text):
    one = clean(text)
    assert not hidden(one)
    kept = clean(text, newlines=True)
    assert not hidden(kept, allowed="\n")
    assert kept.count("\n") == text.count("\n")
    assert clean(one) == one and clean(kept, newlines=True) == kept  # idempotent
    assert is_clean(one) and is_clean(kept, newlines=True)
    one.encode("utf-8")


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("\x1b[31mred\x1b[0m", "␛[31mred␛[0m"),
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "␛]8;;http://x␛\\link␛]8;;␛\\"),
        ("\x1b]52;c;Zm9v\x07", "␛]52;c;Zm9v␇"),
        ("ab\x08\x08XY\rZ", "ab␈␈XY␍Z"),
        ("tab\there", "tab here"),
        ("\x9b31m C1", "\ufffd31m C1"),
        ("r\u202eevil\u202c \u2066iso\u2069", "revil iso"),
        ("zero\u200bwidth\u200d\ufeff\u00ad", "zerowidth"),
        ("smuggled\U000e0041\U000e0042", "smuggled"),
        ("lone \ud800 \udfff", "lone \ufffd \ufffd"),
        ("line\u2028break\u2029para", "line break para"),
        ("[bold]markup[/] stays", "[bold]markup[/] stays"),
        ("中文　全角空格", "中文　全角空格"),
        ("emoji 👍🏽 and é", "emoji 👍🏽 and é"),
    ],
)
def test_clean_examples(raw, shown):
    assert clean(raw) == shown


def test_clean_keeps_newlines_only_when_asked():
    assert clean("a\nb") == "a␊b"
    assert clean("a\nb\x1b", newlines=True) == "a\nb␛"
    assert clean("a\r\nb", newlines=True) == "a␍\nb"


# -- the library with hostile text ---------------------------------------------------------------


def test_hostile_fields_go_through_save_and_load(tmp_path):
    path = tmp_path / "library.toml"
    library = Library(path)
    paper = make_paper(
        id="2606.18663",
        title_en="Evil \x1b]52;c;Zm9v\x07 \u202etitle\ud800",
        authors=("A \x1b[2J", "B\u200b"),
        categories=("cs.CL\x00",),
    )
    library.set_starred(paper, True)
    library.add_tag(paper, "tag\x1b[31m")
    library.set_note(paper, "note \ud800 with\r\nlines and \x1b")
    library.save()
    raw = path.read_text(encoding="utf-8")
    assert not hidden(raw, allowed="\n")  # `cat library.toml` is safe
    tomllib.loads(raw)
    loaded = Library.load(path)
    assert loaded.notice is None
    assert loaded.paper("2606.18663").title_en == "Evil ␛]52;c;Zm9v␇ title\ufffd"
    assert loaded.mark("2606.18663").tags == ("tag␛[31m",)
    assert loaded.mark("2606.18663").note == "note ? with\nlines and \x1b"  # the user's own text, escaped by TOML
    assert "\x1b" not in raw


def test_a_tag_of_only_invisible_characters_is_empty():
    with pytest.raises(LibraryError):
        clean_tag("\u200b\u200d\ufeff")


@pytest.mark.parametrize(
    "text",
    [
        "",  # empty file: an empty library, not corrupt
        "version = 1\n" + "read = [" * 5000,
        "version = 1\nread = [\n" + '    "x",\n' * 10 + "]\nread = []\n",  # a key twice
        'version = 1\nread = [\n    "a",\n]\n[papers."k"]\nread = [\n    "b",\n]\n',  # a read array in a table
        'x = """\nread = [\n    "a",\n]\n"""\n',  # a read array in a string
        "\ufeffversion = 1\n",
    ],
)
def test_hand_mangled_libraries_never_crash_the_load(tmp_path, text):
    path = tmp_path / "library.toml"
    path.write_text(text, encoding="utf-8")
    library = Library.load(path)
    assert library.notice is None or "\n" not in library.notice
    if library.notice and "moved it to" in library.notice:
        assert not path.exists()


def test_the_fast_read_path_reads_exactly_what_tomllib_would(tmp_path):
    path = tmp_path / "library.toml"
    library = Library(path)
    keys = ["2601.00001", "title:ünïcode", 'title:quote"d', "title:back\\slash", "title:tab\there"]
    for key in keys:
        library.set_read(make_paper(id="2601.00001")._replace(key=key), True)
    library.save()
    assert tomllib.loads(path.read_text(encoding="utf-8"))["read"] == keys
    assert [k for k, m in Library.load(path).marks.items() if m.read] == keys


# -- reading lists from untrusted files ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("[[papers]]\ntitle_en = 'T'\nauthors = [" + "'a', " * 10_001 + "]",
         "papers[0].authors: 10,001 items, more than the 10,000 allowed"),
        ("[[papers]]\ntitle_en = '" + "x" * 100_001 + "'", "papers[0].title_en: 100,001 characters, more than the 100,000 allowed"),
        ("[[papers]]\ntitle_en = 'T'\ntags = ['" + "x" * 100_001 + "']", "papers[0].tags: an item longer than 100,000 characters"),
        ("[list]\nname = '" + "n" * 100_001 + "'", "list.name: 100,001 characters, more than the 100,000 allowed"),
        ("[[papers]]\nid = '２６０６.１８６６３'", "papers[0].id: not an arXiv id: '２６０６.１８６６３'"),
        ("[[papers]]\nid = '٢٦٠٦.١٨٦٦٣'", "papers[0].id: not an arXiv id"),
        ("[[papers]]\ntitle_en = 'T'\n\"\\u001b[2J\" = 1", "papers[0]: unknown key '\\x1b[2J'"),
        ("x = " + "[" * 50_000, "not valid TOML"),
        ("[[papers]]\ntitle_en = 'T'\ntags = ['\u200b']", "papers[0].tags: a tag is empty"),
    ],
)  # fmt: skip
def test_hostile_reading_lists_get_a_clear_message(text, message):
    with pytest.raises(ReadingListError) as raised:
        parse_reading_list(text)
    assert message in str(raised.value)
    assert str(raised.value).isprintable()


def test_a_huge_number_of_papers_is_refused(monkeypatch):
    monkeypatch.setattr(export.readinglist, "MAX_PAPERS", 3)
    text = "".join(f"[[papers]]\nid = '2606.0000{n}'\n" for n in range(4))
    with pytest.raises(ReadingListError, match="papers: 4 papers, more than the 3"):
        parse_reading_list(text)


def test_error_messages_quoting_hostile_text_are_one_clean_line():
    with pytest.raises(ReadingListError) as raised:
        parse_reading_list('[list]\ncreated = "\\u001b]52;c;x\\u0007"')
    assert str(raised.value) == r"list.created: expected a date and time, got '\x1b]52;c;x\x07'"
    with pytest.raises(QueryError) as raised_query:
        parse_query("title:ok score>=\x1b[2J")
    assert str(raised_query.value).isprintable() and "␛" in str(raised_query.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_place_of_a_reading_list_or_the_library_does_not_hang(tmp_path):
    fifo = tmp_path / "list.toml"
    os.mkfifo(fifo)
    with pytest.raises(ReadingListError, match="not a regular file"):
        export.load_reading_list(fifo)
    library_fifo = tmp_path / "library.toml"
    os.mkfifo(library_fifo)
    library = Library.load(library_fifo)
    assert library.read_only and "not a regular file" in library.notice
    big = tmp_path / "big.toml"
    with open(big, "wb") as handle:
        handle.truncate(export.readinglist.MAX_FILE_BYTES + 1)
    with pytest.raises(ReadingListError, match="big.toml is larger than 256 MB"):
        export.load_reading_list(big)


@pytest.mark.parametrize(
    "text",
    ["(" * 5000 + "a" + ")" * 5000, "NOT " * 5000 + "a", "-" * 5000 + "a", "(" * 65 + "a" + ")" * 65, "(-" * 40 + "a" + ")" * 40],
)
def test_queries_nested_too_deeply_are_a_query_error(text):
    with pytest.raises(QueryError, match="nested too deeply"):
        parse_query(text)


def test_queries_nested_within_the_limit_and_very_long_ones_work():
    from digest_tui.core.model import Mark
    from digest_tui.core.index import make_doc

    doc = make_doc(make_paper(id="2606.18663", title_en="Data Mixing"))
    assert parse_query("(" * 64 + "mixing" + ")" * 64).match(doc, Mark())
    assert parse_query("NOT " * 64 + "mixing").match(doc, Mark())  # an even number of NOTs
    assert parse_query(" ".join(["data"] * 50_000)).match(doc, Mark())
    assert not parse_query(" OR ".join(["absent"] * 50_000)).match(doc, Mark())
