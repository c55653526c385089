"""Reading lists and exports: content read back with real parsers, hostile text, and validation."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tomllib

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from bib_support import unescape_bib
from digest_tui.core import export
from digest_tui.core.export import (
    CSV_COLUMNS,
    FORMATS,
    SUFFIXES,
    ExportError,
    ReadingListError,
    bibtex_keys,
    load_reading_list,
    parse_reading_list,
    reading_list_toml,
    render,
    to_bibtex,
    to_csv,
    to_json,
    to_markdown,
    write_export,
)
from digest_tui.core.model import Mark
from digest_tui.core.model import make_paper

HOSTILE = "Fast {and} }loose{ 100% & $x_1$ #1 ~tilde^ back\\slash"
REGMIX = make_paper(
    id="2606.18663",
    title_en="RegMix-D: Dynamic Data Mixing via Proxy Training Trajectories",
    title_zh="RegMix-D: 通过代理训练轨迹实现动态数据混合",
    authors=("Kaiyan Zhao", "Zhongtao Miao", "Akiko Aizawa", "Yoshimasa Tsuruoka"),
    categories=("cs.CL", "cs.AI"),
    date="2026-06-18",
    score=90,
    comments="Work in progress; 12 pages, 50% & more",
    abstract_en="Data mixture selection is critical for LLM pretraining.",
    abstract_zh="数据混合选择对于大型语言模型预训练至关重要。",
)
HOSTILE_PAPER = make_paper(
    id="2606.00002",
    title_en=HOSTILE,
    title_zh="快速, \"松散\"\n第二行",
    authors=("José Müller", "Łukasz Nowak", "Barnes and Noble Research"),
    categories=("cs.LG",),
    date="2026-01-05",
    upvotes=7,
)
NO_ID = make_paper(title_en="A Hugging Face Only Paper, With Commas", authors=("Ana Lopez",), upvotes=12, date="2025-12-10")
ZH_ONLY = make_paper(title_zh="只有中文标题", authors=("赵凯岩",))

RECORDS = [
    (REGMIX, Mark(starred=True, read=True, tags=("moe", "to-read"), note='Read §3 "carefully",\nthen the appendix.')),
    (HOSTILE_PAPER, Mark(tags=("x_y",), note="# not a heading\n- not a list\n1. nor this\n<b>raw html</b> [a](javascript:x)")),
    (NO_ID, Mark(read=True)),
    (ZH_ONLY, Mark()),
]
CREATED = dt.datetime(2026, 6, 18, 21, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))


# -- reading lists ---------------------------------------------------------------------------


def test_reading_list_reads_back_with_tomllib():
    text = reading_list_toml(RECORDS, "MoE week", "tag:moe score>=80", CREATED)
    document = tomllib.loads(text)
    assert document["version"] == 1
    assert document["list"] == {"name": "MoE week", "created": CREATED, "query": "tag:moe score>=80"}
    first = document["papers"][0]
    assert first == {
        "id": "2606.18663",
        "url": "https://arxiv.org/abs/2606.18663",
        "title_en": REGMIX.title_en,
        "title_zh": REGMIX.title_zh,
        "authors": list(REGMIX.authors),
        "date": "2026-06-18",
        "categories": ["cs.CL", "cs.AI"],
        "tags": ["moe", "to-read"],
        "starred": True,
        "read": True,
        "note": 'Read §3 "carefully",\nthen the appendix.',
    }
    assert "id" not in document["papers"][2] and "url" not in document["papers"][2]  # None is left out
    assert document["papers"][3] == {"title_zh": "只有中文标题", "authors": ["赵凯岩"]}
    assert "[[papers]]" in text and "[list]" in text


def test_reading_list_round_trips_through_load(tmp_path):
    path = tmp_path / "moe.toml"
    write_export(path, RECORDS, "toml", name="MoE week", query="tag:moe", created=CREATED)
    loaded = load_reading_list(path)
    assert (loaded.name, loaded.created, loaded.query) == ("MoE week", CREATED, "tag:moe")
    assert len(loaded.records) == len(RECORDS)
    for (paper, mark), (original, original_mark) in zip(loaded.records, RECORDS):
        assert paper.key == original.key
        for name in ("id", "title_en", "title_zh", "authors", "date", "categories"):
            assert getattr(paper, name) == getattr(original, name)
        assert mark == original_mark
    assert loaded.records[1][0].title_en == HOSTILE


def test_empty_reading_list_and_defaults(tmp_path):
    path = tmp_path / "empty.toml"
    path.write_text("", encoding="utf-8")
    loaded = load_reading_list(path)
    assert (loaded.name, loaded.created, loaded.query, loaded.records) == ("empty", None, "", [])
    text = reading_list_toml([], "nothing", "", CREATED)
    assert parse_reading_list(text).records == []


def test_created_may_be_a_string_or_a_date():
    assert parse_reading_list('[list]\ncreated = "2026-06-18T10:00:00"').created == dt.datetime(2026, 6, 18, 10)
    assert parse_reading_list("[list]\ncreated = 2026-06-18").created == dt.datetime(2026, 6, 18)


def test_a_hand_made_list_may_give_only_links():
    text = '[[papers]]\nurl = "https://arxiv.org/abs/2606.18663v2"\n[[papers]]\nurl = "https://arxiv.org/pdf/2606.19036"\n'
    assert [p.id for p, _ in parse_reading_list(text).records] == ["2606.18663", "2606.19036"]
    with pytest.raises(ReadingListError, match="needs an id or a title"):
        parse_reading_list('[[papers]]\nurl = "https://example.com/paper"\n')


def test_markdown_query_with_backticks_stays_one_code_span():
    tokens = markdown_tokens(to_markdown([], query="title:`x` OR ``y"))
    spans = [c.content for t in tokens if t.type == "inline" for c in t.children if c.type == "code_inline"]
    assert spans == ["title:`x` OR ``y"]


def test_a_paper_listed_twice_counts_once():
    text = '[[papers]]\nid = "2606.18663"\n[[papers]]\nid = "2606.18663v2"\nstarred = true\n'
    assert len(parse_reading_list(text).records) == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("this is not toml", "not valid TOML: "),
        ("surprise = 1", "the top level: unknown key 'surprise' (known: version, list, papers)"),
        ("version = 2", "made by a newer digest-tui (reading list version 2; this one reads 1)"),
        ('version = "1"', "version: expected a positive whole number, got '1'"),
        ("list = 3", "list: expected a table ([list])"),
        ("[list]\nname = 3", "list.name: expected a string"),
        ("[list]\nquery = []", "list.query: expected a string"),
        ("[list]\ncolour = 'red'", "list: unknown key 'colour' (known: name, created, query)"),
        ("[list]\ncreated = 'yesterday'", "list.created: expected a date and time, got 'yesterday'"),
        ("papers = 5", "papers: expected an array of tables ([[papers]])"),
        ("papers = [1, 2]", "papers[0]: expected a table, got 1"),
        ('papers = [{id = "2606.18663"}, "x"]', "papers[1]: expected a table, got 'x'"),
        ('[[papers]]\nid = "2606.18663"\nauthors = "Zhao"', "papers[0].authors: expected a list of strings"),
        ('[[papers]]\nid = "2606.18663"\n[[papers]]\nid = "2606.1"\n[[papers]]\nid = "x"\nauthors = [1]',
         "papers[1].id: not an arXiv id: '2606.1'"),
        ('[[papers]]\ntitle_en = "T"\nauthors = ["a", 1]', "papers[0].authors: expected a list of strings"),
        ('[[papers]]\ntitle_en = "T"\ncategories = "cs.CL"', "papers[0].categories: expected a list of strings"),
        ('[[papers]]\ntitle_en = "T"\ntags = [["moe"]]', "papers[0].tags: expected a list of strings"),
        ('[[papers]]\ntitle_en = "T"\ntags = [" "]', "papers[0].tags: a tag is empty"),
        ('[[papers]]\ntitle_en = 3', "papers[0].title_en: expected a string, got 3"),
        ('[[papers]]\ntitle_en = "T"\nnote = false', "papers[0].note: expected a string, got False"),
        ('[[papers]]\ntitle_en = "T"\nstarred = "yes"', "papers[0].starred: expected true or false, got 'yes'"),
        ('[[papers]]\ntitle_en = "T"\nabstract = "x"', "papers[0]: unknown key 'abstract' (known: id, url, title_en"),
        ('[[papers]]\nauthors = ["Zhao"]', "papers[0]: needs an id or a title"),
        ('[[papers]]\ntitle_en = "   "', "papers[0]: needs an id or a title"),
    ],
)
def test_reading_list_validation_messages(text, message):
    with pytest.raises(ReadingListError) as raised:
        parse_reading_list(text)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_too_many_papers(monkeypatch):
    monkeypatch.setattr(export, "MAX_PAPERS", 2)
    text = "".join(f'[[papers]]\nid = "2606.0000{n}"\n' for n in range(3))
    with pytest.raises(ReadingListError, match="papers: 3 papers, more than the 2 a reading list may hold"):
        parse_reading_list(text)


def test_the_real_limit_is_a_hundred_thousand():
    assert export.MAX_PAPERS == 100_000


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(ReadingListError, match="cannot read"):
        load_reading_list(tmp_path / "missing.toml")
    with pytest.raises(ReadingListError, match="cannot read"):
        load_reading_list(tmp_path)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"name = '\xff\xfe'")
    with pytest.raises(ReadingListError, match="not UTF-8"):
        load_reading_list(binary)
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 100_000, encoding="utf-8")
    with pytest.raises(ReadingListError):
        load_reading_list(deep)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_reading_list_or_a_reading_list_error(text):
    try:
        parse_reading_list(text)
    except ReadingListError as error:
        assert "\n" not in str(error)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes_are_a_reading_list_or_a_reading_list_error(tmp_path, data):
    path = tmp_path / "garbage.toml"
    path.write_bytes(data)
    try:
        load_reading_list(path)
    except ReadingListError:
        pass


SCALARS = st.one_of(
    st.text(max_size=12),
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=False),
    st.datetimes(),
    st.dates(),
    st.sampled_from(["2606.18663", "2606.18663v2", "hep-th/9901001", "", " ", "T"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)
PAPER_KEYS = st.sampled_from(
    ["id", "url", "title_en", "title_zh", "authors", "date", "categories", "tags", "starred", "read", "note", "junk"]
)
PAPER_TABLES = st.dictionaries(PAPER_KEYS, st.one_of(VALUES, st.lists(st.text(max_size=8), max_size=3)), max_size=6)
DOCUMENTS = st.fixed_dictionaries(
    {},
    optional={
        "version": st.one_of(st.just(1), VALUES),
        "list": st.one_of(
            st.dictionaries(st.sampled_from(["name", "created", "query", "other"]), VALUES, max_size=3), VALUES
        ),
        "papers": st.one_of(st.lists(st.one_of(PAPER_TABLES, VALUES), max_size=4), VALUES),
        "extra": VALUES,
    },
)


@settings(max_examples=400, deadline=None)
@given(DOCUMENTS)
def test_any_toml_document_is_a_reading_list_or_a_reading_list_error(document):
    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):
        return  # not every generated structure is TOML (e.g. mixed arrays of tables)
    try:
        parse_reading_list(text)
    except ReadingListError as error:
        assert str(error) and "\n" not in str(error)


# -- BibTeX ---------------------------------------------------------------------------------


def parse_bib(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """A tiny BibTeX reader that counts braces the way BibTeX does (escaped or not)."""
    entries, i = [], 0
    while (at := text.find("@", i)) >= 0:
        brace = text.index("{", at)
        kind = text[at + 1 : brace]
        comma = text.index(",", brace)
        key = text[brace + 1 : comma]
        fields, i = {}, comma + 1
        while True:
            while text[i] in " \n,":
                i += 1
            if text[i] == "}":
                i += 1
                break
            equals = text.index("=", i)
            name = text[i:equals].strip()
            i = equals + 1
            while text[i] == " ":
                i += 1
            if text[i] == "{":
                depth, start = 0, i
                while True:
                    if text[i] == "{":
                        depth += 1
                    elif text[i] == "}":
                        depth -= 1
                        if depth == 0:
                            break
                    i += 1
                fields[name] = text[start + 1 : i]
                i += 1
            else:
                start = i
                while text[i] not in ",}":
                    i += 1
                fields[name] = text[start:i].strip()
        entries.append((kind, key, fields))
    return entries


def test_bibtex_entries_have_the_arxiv_fields():
    entries = parse_bib(to_bibtex(RECORDS))
    assert [kind for kind, _, _ in entries] == ["misc"] * 4
    kind, key, fields = entries[0]
    assert key == "zhao2026regmix"
    assert fields["title"] == REGMIX.title_en
    assert fields["author"] == "Kaiyan Zhao and Zhongtao Miao and Akiko Aizawa and Yoshimasa Tsuruoka"
    assert (fields["year"], fields["month"]) == ("2026", "jun")
    assert fields["eprint"] == "2606.18663"
    assert fields["archivePrefix"] == "arXiv"
    assert fields["primaryClass"] == "cs.CL"
    assert fields["url"] == "https://arxiv.org/abs/2606.18663"
    assert unescape_bib(fields["note"]) == REGMIX.comments
    assert unescape_bib(fields["keywords"]) == "moe, to-read"


def test_bibtex_braces_balance_and_hostile_titles_survive():
    text = to_bibtex(RECORDS)
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    entries = parse_bib(text)
    assert len(entries) == len(RECORDS)
    _, key, fields = entries[1]
    assert key == "muller2026fast"
    assert unescape_bib(fields["title"]) == HOSTILE
    for special in "%&#_$":
        assert f"\\{special}" in fields["title"]
    # one author whose name holds "and" stays one author; UTF-8 stays as it is
    assert fields["author"] == "José Müller and Łukasz Nowak and {Barnes and Noble Research}"
    assert unescape_bib(fields["keywords"]) == "x_y"


def test_bibtex_without_an_id_has_no_eprint():
    entries = dict((key, fields) for _, key, fields in parse_bib(to_bibtex(RECORDS)))
    fields = entries["lopez2025hugging"]
    assert "eprint" not in fields and "archivePrefix" not in fields and "url" not in fields
    assert fields["title"] == "A Hugging Face Only Paper, With Commas"
    assert (fields["year"], fields["month"]) == ("2025", "dec")
    assert "anon" in entries  # no Latin letters in the author, no year, no Latin title word
    assert entries["anon"]["title"] == "只有中文标题"


def test_bibtex_keys_are_unique_and_do_not_depend_on_order():
    papers = [
        make_paper(id="2606.00003", title_en="Scaling Laws", authors=("Wei Li",), date="2026-06-01"),
        make_paper(id="2606.00001", title_en="Scaling Agents", authors=("Wei Li",), date="2026-06-02"),
        make_paper(id="2606.00002", title_en="The Scaling of Everything", authors=("Li, Wei",), date="2026-06-03"),
        make_paper(id="2606.00009", title_en="Scaling Laws", authors=("Wei Li",), date="2026-06-01"),
        make_paper(id="2606.00004", title_en="Scalinga", authors=("Wei Li",), date="2026-06-01"),
    ]
    keys = bibtex_keys(papers)
    assert len(set(keys)) == len(keys)
    assert dict(zip((p.id for p in papers), keys)) == {
        "2606.00001": "li2026scalingb",
        "2606.00002": "li2026scalingc",
        "2606.00003": "li2026scalingd",
        "2606.00004": "li2026scalinga",
        "2606.00009": "li2026scalinge",
    }
    backwards = bibtex_keys(papers[::-1])
    assert dict(zip((p.id for p in papers[::-1]), backwards)) == dict(zip((p.id for p in papers), keys))


def test_bibtex_key_parts():
    def key(**values):
        return bibtex_keys([make_paper(**values)])[0]

    assert key(id="2606.1", title_en="On the Müller Effect", authors=("Zoë Ørsted-Straße Jr.",)) == "orstedstrasse2026muller"
    assert key(id="hep-th/9901001", title_en="A Theory", authors=("E. Witten",)) == "witten1999theory"
    assert key(title_en="Untitled") == "anonuntitled"


def test_bibtex_marks_incomplete_author_lists():
    paper = make_paper(title_en="Big Team", authors=("A One", "B Two"), author_count=40)
    [(_, _, fields)] = parse_bib(to_bibtex([(paper, Mark())]))
    assert fields["author"] == "A One and B Two and others"


# -- Markdown ---------------------------------------------------------------------------------


def markdown_tokens(text: str):
    return MarkdownIt("commonmark").enable(["strikethrough", "table"]).parse(text)


def plain(inline) -> str:
    parts = []
    for child in inline.children:
        if child.type in ("text", "text_special"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        else:
            parts.append(f"<{child.type}>")
    return "".join(parts)


def test_markdown_has_both_languages_and_every_part():
    text = to_markdown(RECORDS, title="MoE week", query="tag:moe")
    assert text.startswith("# MoE week\n")
    assert "4 papers · query: `tag:moe`" in text
    assert "## 1. RegMix-D: Dynamic Data Mixing via Proxy Training Trajectories" in text
    assert "RegMix-D: 通过代理训练轨迹实现动态数据混合" in text
    assert "Kaiyan Zhao, Zhongtao Miao, Akiko Aizawa, Yoshimasa Tsuruoka" in text
    assert "[arXiv:2606.18663](<https://arxiv.org/abs/2606.18663>)" in text
    assert "★ starred" in text and "\\#moe" in text
    assert "> Data mixture selection is critical for LLM pretraining." in text
    assert "> 数据混合选择对于大型语言模型预训练至关重要。" in text
    assert "## 4. 只有中文标题" in text


def test_markdown_structure_survives_hostile_text():
    tokens = markdown_tokens(to_markdown(RECORDS, title="Mine"))
    types = [token.type for token in tokens]
    headings = [tokens[i + 1] for i, t in enumerate(types) if t == "heading_open"]
    assert [plain(h) for h in headings] == [
        "Mine",
        f"1. {REGMIX.title_en}",
        f"2. {HOSTILE}",
        "3. A Hugging Face Only Paper, With Commas",
        "4. 只有中文标题",
    ]
    inline_types = {child.type for token in tokens if token.type == "inline" for child in token.children}
    assert not inline_types & {"html_inline", "code_inline", "em_open", "s_open", "image"}
    assert "html_block" not in types and "table_open" not in types
    links = [c for t in tokens if t.type == "inline" for c in t.children if c.type == "link_open"]
    assert [link.attrs["href"] for link in links] == ["https://arxiv.org/abs/2606.18663", "https://arxiv.org/abs/2606.00002"]
    texts = "\n".join(plain(t) for t in tokens if t.type == "inline")
    assert "快速, \"松散\" 第二行" in texts  # the Chinese title stays one line
    for line in RECORDS[1][1].note.split("\n"):
        assert line in texts  # the note comes out as the characters it is


@pytest.mark.parametrize(
    "title",
    ["1. Not a list", "- not a bullet", "+ plus", "> not a quote", "## not a heading", "=====", "|a|b|", "<div>x</div>"],
)
def test_markdown_line_starts_stay_text(title):
    paper = make_paper(title_en="Plain", title_zh=title)
    tokens = markdown_tokens(to_markdown([(paper, Mark())]))
    types = [t.type for t in tokens]
    assert types.count("heading_open") == 2
    assert not {"ordered_list_open", "html_block", "table_open"} & set(types)
    assert title in [plain(t) for t in tokens if t.type == "inline"]


# -- CSV and JSON ------------------------------------------------------------------------------


def test_csv_reads_back_field_for_field():
    rows = list(csv.reader(io.StringIO(to_csv(RECORDS), newline="")))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 1 + len(RECORDS)
    regmix = dict(zip(CSV_COLUMNS, rows[1]))
    assert regmix == {
        "id": "2606.18663",
        "url": "https://arxiv.org/abs/2606.18663",
        "title_en": REGMIX.title_en,
        "title_zh": REGMIX.title_zh,
        "authors": "Kaiyan Zhao; Zhongtao Miao; Akiko Aizawa; Yoshimasa Tsuruoka",
        "date": "2026-06-18",
        "categories": "cs.CL cs.AI",
        "score": "90",
        "upvotes": "",
        "starred": "true",
        "read": "true",
        "tags": "moe to-read",
        "note": 'Read §3 "carefully",\nthen the appendix.',
    }
    hostile = dict(zip(CSV_COLUMNS, rows[2]))
    assert hostile["title_en"] == HOSTILE
    assert hostile["title_zh"] == '快速, "松散"\n第二行'
    assert hostile["upvotes"] == "7" and hostile["starred"] == "false"
    assert dict(zip(CSV_COLUMNS, rows[3]))["title_en"] == "A Hugging Face Only Paper, With Commas"


def test_csv_file_starts_with_a_bom_for_spreadsheets(tmp_path):
    path = tmp_path / "out.csv"
    write_export(path, RECORDS, "csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == list(CSV_COLUMNS)


def test_json_is_an_array_of_objects():
    items = json.loads(to_json(RECORDS))
    assert isinstance(items, list) and len(items) == len(RECORDS)
    first = items[0]
    assert first["id"] == "2606.18663" and first["authors"] == list(REGMIX.authors)
    assert first["tags"] == ["moe", "to-read"] and first["starred"] is True
    assert first["abstract_zh"] == REGMIX.abstract_zh
    assert items[2]["id"] is None and items[2]["upvotes"] == 12
    assert items[1]["title_en"] == HOSTILE


# -- dispatch --------------------------------------------------------------------------------


def test_render_dispatches_on_every_format(tmp_path):
    assert FORMATS == ("toml", "bib", "md", "csv", "json")
    assert SUFFIXES == {"toml": ".toml", "bib": ".bib", "md": ".md", "csv": ".csv", "json": ".json"}
    assert export.suffix("bib") == ".bib"
    assert render(RECORDS, "bib") == to_bibtex(RECORDS)
    assert render(RECORDS, "csv") == to_csv(RECORDS)
    assert render(RECORDS, "json") == to_json(RECORDS)
    assert render(RECORDS, "md", name="Week", query="x") == to_markdown(RECORDS, title="Week", query="x")
    listed = tomllib.loads(render(RECORDS, "toml", name="Week", query="x"))
    assert listed["list"]["name"] == "Week" and listed["list"]["created"].tzinfo is not None
    for fmt in FORMATS:
        write_export(tmp_path / f"out{SUFFIXES[fmt]}", RECORDS, fmt, name="Week")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"out{s}" for s in SUFFIXES.values())


def test_unknown_format_is_an_export_error():
    with pytest.raises(ExportError, match="unknown export format 'pdf'"):
        render(RECORDS, "pdf")
    with pytest.raises(ExportError):
        export.suffix("pdf")


def test_write_export_failure_is_an_export_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="cannot write"):
        write_export(blocker / "out.bib", RECORDS, "bib")
