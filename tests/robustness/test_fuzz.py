"""Fuzzing every parser, decode(), the query language and reading lists: only the documented errors.

The contract checked here: whatever the input, a parser returns papers and one-line warnings or
raises DigestError; parse_query raises only QueryError; parse_reading_list only ReadingListError.
Every message is one line without control characters (it is printed to a terminal).

Bounded for CI: the whole file runs in well under a minute on two cores, with the same examples
every run (derandomized), so CI cannot go red at random. To hunt for bugs locally, run longer and
random: `FUZZ_EXAMPLES=5000 python -m pytest -q tests/robustness/test_fuzz.py` (with `CI` set the examples
stay derandomized). A failure prints the smallest input hypothesis found; add it to the hostile corpus.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest_tui.core.export import ReadingListError, parse_reading_list
from digest_tui.core.library import Library
from digest_tui.core.model import Mark
from digest_tui.core.model import Paper, make_paper
from digest_tui.core.parsers import FORMATS, DigestError, ParseResult, decode, detect, parse_text
from digest_tui.core.index import make_doc
from digest_tui.core.query import QueryError, parse_query

_LONG = "FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0) or None
settings.register_profile(
    "fuzz",
    deadline=None,
    derandomize=not _LONG or bool(os.environ.get("CI")),
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
FUZZ = settings.get_profile("fuzz")


def fuzz(examples: int):
    """The fuzz profile with `examples` cases (FUZZ_EXAMPLES overrides it for longer local runs)."""
    return settings(FUZZ, max_examples=EXAMPLES or examples)


TESTS = Path(__file__).resolve().parents[1]
SEEDS = sorted(
    p
    for folder in (TESTS / "fixtures", TESTS.parent / "src" / "digest_tui" / "demo")
    for p in folder.iterdir()
    if p.is_file() and p.name != "README.md" and p.stat().st_size
)
SEED_BYTES = [p.read_bytes() for p in SEEDS]
TODAY = dt.date(2026, 6, 20)


def _one_line(message: str) -> None:
    assert message, "an empty message"
    hidden = [ch for ch in message if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp")]
    assert not hidden, f"a message with control characters: {message!r}"


def check_result(papers: list, warnings: list) -> None:
    assert isinstance(papers, list) and isinstance(warnings, list)
    for paper in papers:
        assert isinstance(paper, Paper) and paper.key
        for value in paper:
            for text in value if isinstance(value, tuple) else (value,):
                if isinstance(text, str):
                    text.encode("utf-8")  # no lone surrogates: dump, exports and the library can write it
    for warning in warnings:
        _one_line(warning)


def parse_or_digest_error(text: str) -> ParseResult | None:
    try:
        result = parse_text(text, "fuzz.txt", TODAY)
    except DigestError as error:
        _one_line(str(error))
        return None
    assert result.papers or result.warnings  # no papers only with the note saying why (an empty arXiv feed)
    check_result(result.papers, result.warnings)
    return result


# -- decode and detect --------------------------------------------------------------------------


@fuzz(400)
@given(st.binary(max_size=600))
def test_decode_gives_text_without_carriage_returns_or_a_digest_error(data):
    try:
        text = decode(data)
    except DigestError as error:
        _one_line(str(error))
        return
    assert isinstance(text, str) and "\r" not in text
    text.encode("utf-8")  # never a lone surrogate, whatever the bytes


@fuzz(150)
@given(st.sampled_from(["", "\ufeff", "\xff\xfe", "\xfe\xff"]), st.text(max_size=300), st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "gb18030"]))
def test_decode_any_encoding_of_any_text(prefix, text, encoding):
    data = text.encode(encoding, "replace")
    try:
        decode(prefix.encode("latin-1") + data if prefix != "\ufeff" else b"\xef\xbb\xbf" + data)
    except DigestError as error:
        _one_line(str(error))


# -- every parser on arbitrary text ------------------------------------------------------------

# characters that matter to the formats: markup, JSON, labels, Chinese, controls, surrogates
ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    st.sampled_from(list("<>/\"'=[]{}:,.\\-*#【】：（）()·•%\n\n\n\t\r\x1b\x00\u202e\u200b")),
)
TOKENS = st.sampled_from(
    [
        "\n", " ", "2606.18663", "2606.18663v2 2026-06-18 cs.CL 新提交 90%", "2606.18663 2026-06-18 cs.LG",
        "英文摘要", "AI中文摘要", "详情", "发表机构 *", "专题命中", "AI总结", "Comments:", "Journal ref:",
        "Daily Papers", "Jun 18", "Dec 10, 2025 12", "·", "• 3 authors", "arXivDaily",
        "【1】", "**标题**：", "**链接**：https://arxiv.org/abs/2606.18663", "**作者**：", "**摘要**：", "### **LLM(3篇)**",
        "arXiv:2606.18663", "Title: ", "Authors: ", "Categories: cs.CL", "\\\\", "\\\\ ( https://arxiv.org/abs/2606.18663 ,  12kb)",
        "-" * 78, "Date: Thu, 18 Jun 2026", "Content-Transfer-Encoding: quoted-printable", "=E4=B8=AD", "> ",
        "<html>", "<body>", "<div>", "</div>", "<h3><a href=\"/papers/2606.18663\">", "</a></h3>", "<article>",
        "</article>", "<p class=\"line-clamp-2\">", "<script>alert(1)</script>", "<!--", "-->", "<![CDATA[",
        '<div class="SVELTE_HYDRATER" data-target="DailyPapers" data-props="', '<div data-target="PaperContent" data-props=\'',
        "&quot;", "&#x1b;", "&#0;", "&#xd800;", '{"paper": {', '"id": "2606.18663"', '"title": "T"', '"summary": "S"',
        '"upvotes": 3', '"authors": [{"name": 1}]', "}", "]", "[", "{", "null", "1e999", '"\\ud800"',
        "\x1b[31m", "\x1b]8;;http://x\x07", "[bold]", "[/]", "\u202e", "\u200b", "\ufeff", "\r\n", "\r",
    ]
)  # fmt: skip
STRUCTURED = st.lists(st.one_of(TOKENS, st.text(ALPHABET, max_size=8)), max_size=60).map("".join)


def _decodable(text: str) -> str:
    """Text as decode() can give it: never a lone surrogate (those arrive only as JSON `\\ud800`
    escapes, which TOKENS has, and which the JSON parsers must turn into U+FFFD)."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


ANY_TEXT = st.one_of(st.text(ALPHABET, max_size=400), STRUCTURED).map(_decodable)


@pytest.mark.parametrize("module", FORMATS, ids=lambda m: m.NAME)
@fuzz(150)
@given(text=ANY_TEXT)
def test_every_parser_on_any_text(module, text):
    """Each format's parse() directly (whether or not its sniff would claim the text)."""
    try:
        papers, warnings = module.parse(text, "fuzz.txt", TODAY)
    except DigestError as error:
        _one_line(str(error))
        return
    check_result(papers, warnings)


@fuzz(300)
@given(ANY_TEXT)
def test_parse_text_on_any_text(text):
    try:
        detect(text)
    except DigestError as error:
        _one_line(str(error))
    parse_or_digest_error(text)


# -- mutations of real files ------------------------------------------------------------------


def _mutate(data: bytes, draw) -> bytes:
    kind = draw(st.sampled_from(["truncate", "delete", "duplicate", "swap", "insert", "replace", "flip"]))
    if not data:
        return data
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "flip":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    if kind == "insert":
        at = draw(st.integers(0, len(data)))
        junk = draw(st.one_of(st.binary(min_size=1, max_size=16), TOKENS.map(lambda t: t.encode("utf-8", "surrogatepass"))))
        return data[:at] + junk + data[at:]
    lines = data.split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":  # e.g. abstract labels out of order
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines[i] = draw(st.one_of(TOKENS, st.text(ALPHABET, max_size=30))).encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


@st.composite
def mutated_files(draw) -> bytes:
    data = draw(st.sampled_from(SEED_BYTES))
    for _ in range(draw(st.integers(1, 5))):
        data = _mutate(data, draw)
    return data


@fuzz(400)
@given(mutated_files())
def test_mutated_real_files_parse_or_fail_cleanly(data):
    try:
        text = decode(data)
    except DigestError as error:
        _one_line(str(error))
        return
    parse_or_digest_error(text)


@fuzz(100)
@given(st.sampled_from(SEED_BYTES), st.data())
def test_every_truncation_of_a_real_file_keeps_what_is_whole(data, draw):
    """A page cut anywhere: parses (to fewer papers) or says why not, never crashes."""
    cut = data[: draw.draw(st.integers(0, len(data)))]
    try:
        text = decode(cut)
    except DigestError:
        return
    parse_or_digest_error(text)


# -- the HF JSON parser on generated JSON -------------------------------------------------------

JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(ALPHABET, max_size=20),
    st.sampled_from(["2606.18663", "2026-06-12T00:00:00.000Z", "2026-02-30", "99999", " 7 "]),
)  # fmt: skip
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                ["paper", "id", "title", "summary", "authors", "name", "upvotes", "organization", "fullname",
                 "ai_summary", "ai_keywords", "githubRepo", "githubStars", "numComments", "publishedAt",
                 "submittedOnDailyAt", "dailyPapers", "dateString", "x"]
            ),
            inner,
            max_size=6,
        ),
    ),
    max_leaves=25,
)  # fmt: skip


@fuzz(300)
@given(JSON_VALUES)
def test_hf_json_on_generated_json(value):
    import json

    from digest_tui.core.parsers import hf_json

    text = json.dumps({"dailyPapers": value} if isinstance(value, list) else value, ensure_ascii=True)
    try:
        papers, warnings = hf_json.parse(text, "fuzz.json", TODAY)
    except DigestError as error:
        _one_line(str(error))
        return
    check_result(papers, warnings)


# -- the query language ---------------------------------------------------------------------------

QUERY_TOKENS = st.sampled_from(
    ["(", ")", "AND", "or", "NOT", "-", '"', " ", "cat:", "tag:", "author:", "is:", "has:", "id:", "score",
     "upvotes", "date", ">=", "<=", ">", "<", "=", ":", "80", "-1", "1e999", ".5", "2026-06", "starred", "zh",
     "moe", "title:", '"data mixing"', "abstract:", "inst:", "topic:", "预训练", "unknown:", "\x1b", "\u202e"]
)  # fmt: skip
QUERIES = st.one_of(st.text(ALPHABET, max_size=60), st.lists(QUERY_TOKENS, max_size=15).map("".join))
DOCS = [
    make_doc(make_paper(id="2606.18663", title_en="Data Mixing", abstract_zh="预训练", score=80, date="2026-06-18")),
    make_doc(make_paper(title_en="Only A Title", upvotes=3)),
    make_doc(Paper(key="title:")),
]
MARKS = [Mark(), Mark(starred=True, read=True, tags=("moe",), note="n")]


@fuzz(600)
@given(QUERIES)
def test_parse_query_raises_only_query_error_and_its_match_never_raises(text):
    try:
        query = parse_query(text)
    except QueryError as error:
        _one_line(str(error))
        return
    for doc in DOCS:
        for mark in MARKS:
            assert query.match(doc, mark) in (True, False)


# -- reading lists --------------------------------------------------------------------------------

TOML_TOKENS = st.sampled_from(
    ["\n", " = ", "[list]", "[[papers]]", "[papers]", "version", "name", "created", "query", "id", "url", "title_en",
     "title_zh", "authors", "categories", "tags", "starred", "read", "note", "date", '"2606.18663"', '"T"', "true",
     "1", "1979-05-27T07:32:00Z", "1979-05-27", "[", "]", "{", "}", ",", '"""', "'''", "x.y", "inf", "nan", '"\\u0000"']
)  # fmt: skip
TOMLISH = st.one_of(st.text(ALPHABET, max_size=200), st.lists(TOML_TOKENS, max_size=40).map("".join))


@fuzz(400)
@given(TOMLISH)
def test_reading_list_from_any_tomlish_text(text):
    try:
        reading_list = parse_reading_list(text)
    except ReadingListError as error:
        _one_line(str(error))
        return
    for paper, mark in reading_list.records:
        assert isinstance(paper, Paper) and isinstance(mark, Mark)


SCALARS = st.one_of(
    st.text(ALPHABET, max_size=12), st.integers(-(2**63), 2**63 - 1), st.booleans(), st.floats(), st.datetimes(),
    st.dates(), st.times(), st.sampled_from(["2606.18663", "hep-th/9901001", "https://arxiv.org/abs/2606.18663v3", "", " "]),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8,
)
PAPER_TABLES = st.dictionaries(
    st.sampled_from(
        ["id", "url", "title_en", "title_zh", "authors", "date", "categories", "tags", "starred", "read", "note", "x"]
    ),
    st.one_of(VALUES, st.lists(st.text(ALPHABET, max_size=8), max_size=3)),
    max_size=7,
)
DOCUMENTS = st.fixed_dictionaries(
    {},
    optional={
        "version": st.one_of(st.just(1), VALUES),
        "list": st.one_of(st.dictionaries(st.sampled_from(["name", "created", "query", "x"]), VALUES, max_size=3), VALUES),
        "papers": st.one_of(st.lists(st.one_of(PAPER_TABLES, VALUES), max_size=5), VALUES),
        "x": VALUES,
    },
)


@fuzz(400)
@given(DOCUMENTS)
def test_reading_list_from_generated_documents_of_wrong_types(document):
    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):
        return  # not every structure is TOML
    try:
        parse_reading_list(text)
    except ReadingListError as error:
        _one_line(str(error))


# -- the library file, hand-mangled -----------------------------------------------------------------

LIBRARY_DOCUMENTS = st.fixed_dictionaries(
    {},
    optional={
        "version": st.one_of(st.just(1), st.just(2), VALUES),
        "tags": st.one_of(st.lists(st.text(ALPHABET, max_size=6), max_size=4), VALUES),
        "read": st.one_of(st.lists(st.text(ALPHABET, max_size=12), max_size=4), VALUES),
        "papers": st.one_of(st.dictionaries(st.text(ALPHABET, max_size=12), st.one_of(PAPER_TABLES, VALUES), max_size=3), VALUES),
    },
)


@fuzz(200)
@given(st.one_of(TOMLISH, LIBRARY_DOCUMENTS.map(lambda d: _toml_or_empty(d))), st.booleans())
def test_library_load_and_save_survive_any_file(tmp_path_factory, text, then_save):
    """A library.toml someone mangled: load never raises, and a save never overwrites bad content."""
    folder = tmp_path_factory.mktemp("lib")
    path = folder / "library.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # a lone surrogate makes it not UTF-8
    library = Library.load(path)
    if library.notice:
        _one_line(library.notice)
    if then_save and not library.read_only:
        library.set_starred(make_paper(id="2606.18663", title_en="T"), True)
        library.save()
        assert Library.load(path).mark("2606.18663").starred


def _toml_or_empty(document: dict) -> str:
    try:
        return tomli_w.dumps(document)
    except (TypeError, ValueError):
        return ""
