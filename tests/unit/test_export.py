"""Reading lists and exports: content read back with real parsers, hostile text, and validation."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from digest_tui.core import export
from digest_tui.core.export import (
    FORMATS,
    NAMES,
    ExportError,
    ReadingListError,
    citekeys,
    load_reading_list,
    parse_reading_list,
    reading_list_toml,
    readinglist,
    render,
    write,
)
from digest_tui.core.export.csv import COLUMNS as CSV_COLUMNS
from digest_tui.core.model import Mark, make_paper

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
    write(RECORDS, "toml", path, name="MoE week", query="tag:moe", created=CREATED)
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
    tokens = markdown_tokens(render([], "md", query="title:`x` OR ``y"))
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
    monkeypatch.setattr(readinglist, "MAX_PAPERS", 2)
    text = "".join(f'[[papers]]\nid = "2606.0000{n}"\n' for n in range(3))
    with pytest.raises(ReadingListError, match="papers: 3 papers, more than the 2 a reading list may hold"):
        parse_reading_list(text)


def test_the_real_limit_is_a_hundred_thousand():
    assert readinglist.MAX_PAPERS == 100_000


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
    text = render(RECORDS, "md", name="MoE week", query="tag:moe")
    assert text.startswith("# MoE week\n")
    assert "4 papers · query: `tag:moe`" in text
    assert "## 1. RegMix-D: Dynamic Data Mixing via Proxy Training Trajectories" in text
    assert "RegMix-D: 通过代理训练轨迹实现动态数据混合" in text
    assert "Kaiyan Zhao, Zhongtao Miao, Akiko Aizawa, Yoshimasa Tsuruoka" in text
    assert "[arXiv:2606.18663](<https://arxiv.org/abs/2606.18663>)" in text
    assert "- ★ starred #moe #to-read\n" in text  # real tags, not `\#moe`
    assert "cite as `zhao2026regmix`" in text
    assert "> Data mixture selection is critical for LLM pretraining." in text
    assert "> 数据混合选择对于大型语言模型预训练至关重要。" in text
    assert "## 4. 只有中文标题" in text


def test_markdown_tags_are_tags_and_abstract_paragraphs_stay_paragraphs():
    paper = make_paper(id="2606.00001", title_en="T", abstract_en="First part, with ^caret^ and @k.\n\nSecond part ~sub~.")
    text = render([(paper, Mark(tags=("moe", "x_y")))], "md")
    tokens = markdown_tokens(text)
    quoted = [plain(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "paragraph_open" and t.level == 1]  # in a quote
    assert "First part, with ^caret^ and @k." in quoted and "Second part ~sub~." in quoted
    assert "#moe #x\\_y" in text
    # pandoc's extensions are escaped too: no superscript, subscript or citation
    assert "\\^caret\\^" in text and "\\@k" in text and "\\~sub\\~" in text


def test_markdown_structure_survives_hostile_text():
    tokens = markdown_tokens(render(RECORDS, "md", name="Mine"))
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
    assert not inline_types & {"html_inline", "em_open", "s_open", "image"}
    codes = [c.content for t in tokens if t.type == "inline" for c in t.children if c.type == "code_inline"]
    assert codes == ["zhao2026regmix", "muller2026fast", "lopez2025hugging", "zhaozhiyou"]  # the citation keys only
    assert "html_block" not in types and "table_open" not in types
    links = [c for t in tokens if t.type == "inline" for c in t.children if c.type == "link_open"]
    assert [link.attrs["href"] for link in links] == ["https://arxiv.org/abs/2606.18663", "https://arxiv.org/abs/2606.00002"]
    texts = "\n".join(plain(t) for t in tokens if t.type == "inline")
    assert "快速, \"松散\" 第二行" in texts  # the Chinese title stays one line
    for line in RECORDS[1][1].note.split("\n"):
        assert line in texts  # the note comes out as the characters it is


@pytest.mark.parametrize(
    "title",
    ["1. Not a list", "- not a bullet", "+ plus", "> not a quote", "## not a heading", "=====", "|a|b|", "<div>x</div>",
     ": not a definition", "% not a title block"],
)  # fmt: skip
def test_markdown_line_starts_stay_text(title):
    paper = make_paper(title_en="Plain", title_zh=title)
    tokens = markdown_tokens(render([(paper, Mark())], "md"))
    types = [t.type for t in tokens]
    assert types.count("heading_open") == 2
    assert not {"ordered_list_open", "html_block", "table_open"} & set(types)
    assert title in [plain(t) for t in tokens if t.type == "inline"]


# -- CSV and JSON ------------------------------------------------------------------------------


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_csv_reads_back_field_for_field():
    rows = csv_rows(render(RECORDS, "csv"))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 1 + len(RECORDS)
    regmix = dict(zip(CSV_COLUMNS, rows[1]))
    assert regmix == {
        "id": "arXiv:2606.18663",
        "citekey": "zhao2026regmix",
        "url": "https://arxiv.org/abs/2606.18663",
        "title_en": REGMIX.title_en,
        "title_zh": REGMIX.title_zh,
        "authors": "Kaiyan Zhao; Zhongtao Miao; Akiko Aizawa; Yoshimasa Tsuruoka",
        "institutions": "",
        "date": "2026-06-18",
        "categories": "cs.CL cs.AI",
        "score": "90",
        "upvotes": "",
        "starred": "true",
        "read": "true",
        "tags": "moe to-read",
        "note": 'Read §3 "carefully",\nthen the appendix.',
        "abstract_en": REGMIX.abstract_en,
        "abstract_zh": REGMIX.abstract_zh,
    }
    hostile = dict(zip(CSV_COLUMNS, rows[2]))
    assert hostile["title_en"] == HOSTILE
    assert hostile["title_zh"] == '快速, "松散"\n第二行'
    assert hostile["upvotes"] == "7" and hostile["starred"] == "false"
    no_id = dict(zip(CSV_COLUMNS, rows[3]))
    assert no_id["title_en"] == "A Hugging Face Only Paper, With Commas" and no_id["id"] == ""


def test_csv_file_and_stdout_are_the_same_bytes_with_a_bom(tmp_path):
    path = tmp_path / "out.csv"
    write(RECORDS, "csv", path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data == render(RECORDS, "csv").encode("utf-8")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == list(CSV_COLUMNS)


def test_json_is_an_array_of_objects():
    items = json.loads(render(RECORDS, "json"))
    assert isinstance(items, list) and len(items) == len(RECORDS)
    first = items[0]
    assert first["id"] == "2606.18663" and first["authors"] == list(REGMIX.authors)
    assert first["citekey"] == "zhao2026regmix" and first["key"] == "2606.18663"
    assert first["tags"] == ["moe", "to-read"] and first["starred"] is True
    assert first["abstract_zh"] == REGMIX.abstract_zh
    assert items[2]["id"] is None and items[2]["upvotes"] == 12
    assert items[1]["title_en"] == HOSTILE


# -- the registry and writing ----------------------------------------------------------------


def test_the_registry_names_every_format_once_with_its_suffixes():
    assert NAMES == ("bib", "ris", "csl", "obsidian", "md", "csv", "json", "toml")
    assert {f.name: f.suffixes for f in FORMATS} == {
        "bib": (".bib",), "ris": (".ris",), "csl": (".csl.json",), "obsidian": (), "md": (".md", ".markdown"),
        "csv": (".csv",), "json": (".json",), "toml": (".toml",),
    }  # fmt: skip
    assert [f.name for f in FORMATS if f.folder] == ["obsidian"]
    assert export.by_suffix("refs.csl.json").name == "csl"
    assert export.by_suffix("refs.JSON").name == "json"
    assert export.by_suffix("x.ris").name == "ris" and export.by_suffix("notes.markdown").name == "md"
    assert export.by_suffix("x.pdf") is None and export.by_suffix(".bib") is None and export.by_suffix("vault") is None
    assert export.file_name("digest-export", "csl") == "digest-export.csl.json"
    assert str(export.with_format(Path("/t/a.csl.json"), "bib")) == "/t/a.bib"
    assert str(export.with_format(Path("/t/a.bib"), "obsidian")) == "/t/a"
    assert str(export.with_format(Path("/t/vault"), "md")) == "/t/vault.md"


def test_write_makes_every_file_format(tmp_path):
    for form in FORMATS:
        if not form.folder:
            write(RECORDS, form.name, tmp_path / export.file_name("out", form.name), name="Week")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"out{f.suffixes[0]}" for f in FORMATS if f.suffixes)
    listed = tomllib.loads(render(RECORDS, "toml", name="Week", query="x"))
    assert listed["list"]["name"] == "Week" and listed["list"]["created"].tzinfo is not None


def test_unknown_format_is_an_export_error():
    with pytest.raises(ExportError, match="unknown export format 'pdf' \\(known: bib, ris, csl, obsidian"):
        render(RECORDS, "pdf")
    with pytest.raises(ExportError, match="writes a folder of notes"):
        render(RECORDS, "obsidian")


def test_a_missing_folder_is_an_export_error_unless_asked_to_make_it(tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        write(RECORDS, "bib", tmp_path / "missing" / "out.bib")
    with pytest.raises(ExportError, match="does not exist"):
        write(RECORDS, "obsidian", tmp_path / "missing" / "vault")
    assert not (tmp_path / "missing").exists()
    write(RECORDS, "bib", tmp_path / "made" / "out.bib", make_folder=True)
    assert (tmp_path / "made" / "out.bib").is_file()
    with pytest.raises(ExportError, match="is a folder"):
        write(RECORDS, "bib", tmp_path / "made")


def test_a_device_or_fifo_is_never_replaced_by_a_file(tmp_path):
    """`-o /dev/stdout` (a link to a pipe or a terminal) or a FIFO: an atomic write would rename a
    regular file over it (as root, even over a device in /dev); refused, and left as it was."""
    import os
    import stat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match="is not a regular file"):
        write(RECORDS, "bib", fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_write_failure_is_an_export_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="not a folder"):
        write(RECORDS, "bib", blocker / "out.bib")
    with pytest.raises(ExportError, match="cannot write"):
        write(RECORDS, "bib", blocker / "out.bib", make_folder=True)


def test_a_stopped_write_leaves_the_file_as_it_was(tmp_path):
    target = tmp_path / "out.bib"
    target.write_text("% before\n", encoding="utf-8")
    many = RECORDS * 300  # more than one piece
    asked = []

    def stop() -> bool:
        asked.append(True)
        return len(asked) > 1  # the first piece is made, then the write is told to stop

    with pytest.raises(export.ExportStopped, match=f"the export to {target} was stopped: not written"):
        write(many, "bib", target, keys=[f"k{n}" for n in range(len(many))], stop=stop)
    assert target.read_text("utf-8") == "% before\n" and [p.name for p in tmp_path.iterdir()] == ["out.bib"]
    write(many, "bib", target, keys=[f"k{n}" for n in range(len(many))], stop=lambda: False)
    assert target.read_text("utf-8").count("@misc{") == len(many)


def test_a_stopped_vault_keeps_the_notes_it_wrote_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "TEXTS_STEP", 2)
    asked = []
    with pytest.raises(export.ExportStopped, match="was stopped: 2 of 4 notes written"):
        write(RECORDS, "obsidian", tmp_path / "vault", stop=lambda: asked.append(True) or len(asked) > 1)
    notes = sorted((tmp_path / "vault").iterdir())
    assert [p.name for p in notes] == ["muller2026fast.md", "zhao2026regmix.md"]
    assert all(p.read_text("utf-8").startswith("---\n") for p in notes)


def test_texts_are_brought_in_a_batch_at_a_time(monkeypatch):
    """An export of records without their long texts asks for them TEXTS_STEP records at a time
    (so no more than that are in memory at once), and writes what a whole export writes."""
    monkeypatch.setattr(export, "TEXTS_STEP", 2 * export.STEP)
    whole = RECORDS * 400
    bare = [(paper._replace(abstract_en=None, abstract_zh=None), mark) for paper, mark in whole]
    batches = []

    def texts(records):  # (one process makes the whole export below FORK_AT records: in order)
        at = sum(batches)
        batches.append(len(records))
        assert records == bare[at : at + len(records)]
        return whole[at : at + len(records)]

    keys = [f"k{n}" for n in range(len(whole))]
    made = b"".join(export.chunks(bare, "md", keys=keys, created="2026-12-04", texts=texts))
    assert made == b"".join(export.chunks(whole, "md", keys=keys, created="2026-12-04"))
    assert batches == [512, 512, 512, 64]
    assert made != b"".join(export.chunks(bare, "md", keys=keys, created="2026-12-04"))  # the texts are in it


def test_keys_without_a_library_are_made_for_one_export():
    assert citekeys(RECORDS) == ["zhao2026regmix", "muller2026fast", "lopez2025hugging", "zhaozhiyou"]


# -- TeX in BibTeX values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, title, plain",
    [
        ("L$^3$: Large Lookup Layers for LLMs", "L{$^3$}: {Large} {Lookup} {Layers} for {LLM}s", "L$^3$: Large Lookup Layers for LLMs"),
        (r"\textsc{Lethe}: Principled", r"\textsc{Lethe}: {Principled}", r"\textsc{Lethe}: Principled"),
        ("with $\\sim$2$\\times$ fewer", "with {$\\sim$}2{$\\times$} fewer", "with $\\sim$2$\\times$ fewer"),
        ("costs $5-$10 and 100% of R&D #1", "costs \\$5-\\$10 and 100\\% of {R}\\&{D} \\#1", "costs \\$5-\\$10 and 100\\% of R\\&D \\#1"),
        ("TerraDiT-$Ω$: Unified", "{TerraDiT}-{$\\ensuremath{\\Omega}$}: {Unified}", "TerraDiT-$\\ensuremath{\\Omega}$: Unified"),
        ("$50%$ of {BERT} and \\slash x_y", "{$50\\%$} of {BERT} and \\textbackslash{}slash x\\_y",
         "$50\\%$ of {BERT} and \\textbackslash{}slash x\\_y"),
        ("[Re] Revisiting", "[{Re}] {Revisiting}", "[Re] Revisiting"),
        ("Unbalanced }{ braces {", "Unbalanced \\textbraceright{}\\textbraceleft{} braces \\textbraceleft{}",
         "Unbalanced \\textbraceright{}\\textbraceleft{} braces \\textbraceleft{}"),
    ],
)  # fmt: skip
def test_tex_is_kept_where_the_digest_had_tex_and_escaped_elsewhere(text, title, plain):
    from digest_tui.core.export.tex import tex

    assert tex(text, title=True) == title
    assert tex(text) == plain
