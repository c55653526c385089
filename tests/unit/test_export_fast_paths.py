"""The exports' fast paths give what the plain definitions give: tidy, paragraphs, TeX escaping,
capitals protected in titles and BibTeX author lists, for any text (hypothesis) and for the
hostile and real cases written out here."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from digest_tui.core.export import bib, common, tex
from digest_tui.core.model import Mark, make_paper

# the definitions the fast paths stand for (each the code before it had a fast path)

_ESCAPES = str.maketrans(tex._ESCAPES)


def reference_tidy(text):
    return " ".join(text.split()) if text else ""


def reference_paragraphs(text):
    if not text:
        return []
    return [line for line in (reference_tidy(part) for part in re.split(r"\n\s*\n", text)) if line]


def reference_plain(text, state, protect):
    """tex._plain as a loop over every word."""
    if not protect:
        return text.translate(_ESCAPES)
    out, last = [], 0
    for match in re.finditer(r"[^\W_]+", text):
        out.append(text[last : match.start()].translate(_ESCAPES))
        out.append(tex._protect(match[0], state["start"]))
        state["start"] = False
        last = match.end()
    out.append(text[last:].translate(_ESCAPES))
    return "".join(out)


_ORGANISATION = re.compile(
    r"\b(?:and|team|lab|labs|laboratory|research|group|university|institute|inc|ltd|corporation|consortium|"
    r"collaboration|foundation|center|centre|project|community)\b",
    re.I,
)


def reference_split(author):
    """common.split_names' split of one name, as it was made a name at a time."""
    author = reference_tidy(author)
    if "," in author:
        family, given = (part.strip() for part in author.split(",", 1))
        return (family, given) if family and given else None
    if " " not in author or _ORGANISATION.search(author):
        return None
    words = author.split(" ")
    start = len(words) - 1
    while start > 1 and words[start - 1] in common._PARTICLES:
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def reference_authors(paper):
    names = [bib._author(a) for a in paper.authors if a.strip()]
    if not common.authors_known(paper):
        names.append("others")
    return " and ".join(names)


# every kind of character the fast paths look at: specials, each whitespace str.split() knows,
# capitals in and out of ASCII (Ä, Σ, the astral 𝐀), digits and `_` inside words, `and`
PIECES = st.sampled_from(
    ["a", "b", "A", "Z", "LLM", "LLMs", "Ä", "é", "Σ", "ǅ", "𝐀", "中", "1", "_", "and", "AND", "-", ":", "'",
     '"', "$", "\\", "{", "}", "%", "&", "#", "~", "^", "@", " ", "  ", "\n", "\n\n", "\t", "\r", "\x0b", "\x0c",
     "\x1c", "\x1f", "\x85", "\xa0", "\u2003", "\u2028", "\u3000", "textbackslash", "x", "s"]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=40).map("".join) | st.text(max_size=60)
LONG_TEXTS = st.tuples(TEXTS, TEXTS).map(lambda ends: ends[0] + "many plain words " * 8 + "end" + ends[1])
"""Texts past the length where tidy() looks for a quick answer."""


@settings(max_examples=600, deadline=None)
@given(TEXTS | LONG_TEXTS)
def test_tidy_and_paragraphs_are_their_definitions(text):
    assert common.tidy(text) == reference_tidy(text)
    assert common.paragraphs(text) == reference_paragraphs(text)


@settings(max_examples=600, deadline=None)
@given(TEXTS, st.booleans(), st.booleans())
def test_a_plain_run_is_escaped_and_its_capitalised_words_braced_as_word_by_word(text, start, protect):
    ours, theirs = {"start": start}, {"start": start}
    assert tex._plain(text, ours, protect) == reference_plain(text, theirs, protect)
    assert ours == theirs
    assert tex.escape(text) == text.translate(_ESCAPES)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=60) | TEXTS.filter(str.isascii))
def test_an_ascii_title_has_the_capitalised_words_the_unicode_pattern_finds(text):
    assert tex._ASCII_CAPITALISED.split(text) == tex._capitalised_word().split(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(TEXTS, max_size=5), st.sampled_from([None, 0, 9]))
def test_an_author_list_is_each_name_through_tex_and_and_braced(authors, count):
    paper = make_paper(id="2606.00001", title_en="T", authors=tuple(authors), author_count=count)
    [author] = [value for name, value in bib.fields(paper, Mark()) if name == "author"] or ["{}"]
    assert author == "{" + reference_authors(paper) + "}"


NAME_PIECES = st.sampled_from(
    ["Kaiyan", "Zhao", "van", "der", "de", "Maaten", "and", "AND", "Team", "Labs", "lab", "Inc", "İnc", "ınc", "Reſearch",
     "Grou", "group", "Chandra", "Landau", "Centre", "中文", ",", " ", "  ", "\t", "\n", "\u3000", "-", "_", "x"]
)  # fmt: skip
NAMES = st.lists(NAME_PIECES, max_size=8).map("".join) | st.text(max_size=30)


@settings(max_examples=600, deadline=None)
@given(st.lists(NAMES, max_size=6))
def test_the_names_of_a_paper_split_as_each_alone(authors):
    """One search for an organisation's word in all of a paper's names (and its look-ahead) finds
    the organisations the search of each name finds."""
    assert common.split_names(authors) == [(reference_tidy(author), reference_split(author)) for author in authors]


def test_the_cases_written_out():
    state = {"start": True}
    assert tex._plain("Regmix is LLMs-Based: ÄÖ élan Été x_Y 𝐀x tri_And and", state, True) == (
        "Regmix is {LLM}s-{Based}: {ÄÖ} élan {Été} x\\_{Y} {𝐀x} tri\\_{And} and"
    )
    assert state == {"start": False}
    assert tex.tex("Large Lookup $x$", title=True) == "Large {Lookup} {$x$}"
    assert common.tidy(" a\tb  c\n") == "a b c" and common.tidy("a\x1fb") == "a b" and common.tidy("a b") == "a b"
    long = " ".join(["word"] * 30)
    assert common.tidy(long + " ") == long and common.tidy("\x1c" + long) == long and common.tidy(long) == long
    assert common.tidy(long.replace(" ", "\t", 1)) == long and common.tidy(long.replace(" ", "  ", 1)) == long
    assert common.tidy(long.replace(" ", "\x1f", 1)) == long
    assert common.paragraphs("One\n \nTwo  words") == ["One", "Two words"]
    paper = make_paper(id="2606.00001", title_en="T", authors=("Barnes and Noble", " Ann  Lee ", "  ", "R&D $x$"))
    assert dict(bib.fields(paper, Mark()))["author"] == "{{Barnes and Noble} and Ann Lee and R\\&D $x$}"
    assert common.split_names(["Kaiyan Zhao", "Qwen Team", "Zhao, Kaiyan", "Laurens van der Maaten", "Chandra Landau", "李明"]) == [
        ("Kaiyan Zhao", ("Zhao", "Kaiyan")), ("Qwen Team", None), ("Zhao, Kaiyan", ("Zhao", "Kaiyan")),
        ("Laurens van der Maaten", ("van der Maaten", "Laurens")), ("Chandra Landau", ("Landau", "Chandra")), ("李明", None),
    ]  # fmt: skip


ENTRY_VALUES = st.one_of(TEXTS, st.booleans(), st.lists(TEXTS, min_size=1, max_size=4), st.just([]), st.integers(0, 99))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "title_en", "authors", "tags", "starred", "note", "a-b_9"]), ENTRY_VALUES))
def test_a_reading_list_entry_is_what_tomli_w_writes(entry):
    """Strings with quotes, backslashes, controls and line breaks (multi-line strings), lists,
    flags, and what the quick writer does not know (a number, an empty list): tomli_w's bytes."""
    import tomli_w

    from digest_tui.core.export import readinglist

    assert readinglist._entry_toml(entry) == tomli_w.dumps(entry, multiline_strings=True)


@settings(max_examples=600, deadline=None)
@given(TEXTS | LONG_TEXTS, st.integers(0, 80))
def test_the_searches_for_specials_find_what_a_class_of_them_finds(text, start):
    assert tex.has_special(text) == (re.search("[" + re.escape(tex.SPECIALS) + "]", text) is not None)
    assert tex.has_special(text, "$") == ("$" in text)
    found = re.compile(r"[$\\{]").search(text, start)
    assert tex._next_start(text, start) == (found.start() if found else -1)


CELLS = st.lists(st.text(alphabet=st.sampled_from(list(',"\r\n \t;=ab中\x00')) | st.characters(), max_size=30) | st.integers() | st.floats(allow_nan=False), min_size=2, max_size=6)
"""Rows of cells (the export's have 17: csv.writer quotes a row of one empty cell, `""`)."""


@settings(max_examples=600, deadline=None)
@given(CELLS)
def test_a_csv_line_is_what_the_csv_module_writes(cells):
    import csv
    import io

    from digest_tui.core.export import csv as csv_export

    expected = io.StringIO()
    csv.writer(expected, quoting=csv.QUOTE_MINIMAL).writerow(cells)
    assert csv_export._line([csv_export._cell(cell) if not isinstance(cell, str) else cell for cell in cells]) == expected.getvalue()


@settings(max_examples=600, deadline=None)
@given(TEXTS | LONG_TEXTS | st.lists(st.sampled_from(list("\\`*_[]<>#|~$&^@ a1-.\n")), min_size=100, max_size=300).map("".join))
def test_markdown_escapes_a_long_text_as_a_short_one(text):
    from digest_tui.core.export import markdown

    old_long = markdown.LONG
    try:
        markdown.LONG = 10**9  # every text through the one sub()
        reference = markdown.escape(text)
    finally:
        markdown.LONG = old_long
    assert markdown.escape(text) == reference
