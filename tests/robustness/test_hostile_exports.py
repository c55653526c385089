"""Hostile titles, authors and notes cannot break any export: TOML, CSV, BibTeX, RIS, CSL-JSON, Markdown, JSON.

Every format quotes for itself, and every export is first passed through text.clean: no raw
ESC, bidi override or lone surrogate reaches a file someone may `cat`. What must come back:
TOML, JSON and CSL-JSON give every string back as clean() made it; CSV the same (a cell a
spreadsheet would run as a formula starts with `'`); BibTeX has one entry per paper with
balanced braces that bibtexparser reads whole, and a title with no TeX in it unescapes to the
one-line text; RIS one record per paper; Markdown one heading per paper and nothing else that
starts a block.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bibtexparser
import rispy

from support.bib_support import unescape_bib
from digest_tui.core.export import parse_reading_list, render
from digest_tui.core.model import Mark, make_paper
from digest_tui.core.text import clean

HOSTILE_TITLES = [
    "Closing } brace and { opening",
    "Unbalanced }}} {{",
    "Back\\slash \\} \\{ \\\\ and \\textbf{bold}",
    "100% of % comments",
    "Line one\nline two\r\nline three\rfour",
    'Triple """ double and \'\'\' single quotes',
    "Control \x1b[31mred\x1b[0m \x07 bell \x08 backspace \x00 nul \x7f del \x9b csi",
    "=cmd|' /C calc'!A0",
    "+1 plus, -1 minus, @SUM(A1)",
    "@misc{injected, title={x}}",
    "# Heading\n## Another\n1. list\n- item\n> quote\n---\n===",
    "<script>alert(1)</script> [link](javascript:alert(1)) ![img](x) | table | `code` *em* _u_ ~s~ $x$ & #tag",
    "[[papers]]\nid = \"2601.00001\"\n[list]",
    'Comma, "quoted", and ""doubled""',
    "Bidi \u202eevil\u202c zero\u200bwidth \ufeff bom \U000e0041 tag",
    "Lone \ud800 surrogate",
    "Tabs\tand  spaces   and\u3000ideographic",
    "and and AND",
]


def records(titles=HOSTILE_TITLES):
    out = []
    for n, title in enumerate(titles):
        paper = make_paper(
            id=f"2606.{n + 10000:05d}",
            title_en=title,
            title_zh=f"中文 {title}",
            authors=(title, "Ada Lovelace and Alan Turing", "}{"),
            date="2026-06-18",
            categories=("cs.CL",),
            abstract_en=f"Abstract: {title}",
            comments=title,
        )
        out.append((paper, Mark(starred=True, tags=("moe", "x}y"), note=f"Note:\n{title}")))
    return out


def raw_controls(text: str, allowed: str = "\n") -> list[str]:
    """Characters a terminal would act on (or hide): C0/C1 controls, format characters, surrogates."""
    return [
        ch for ch in text if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp")
    ]  # fmt: skip


def one_line(text: str) -> str:
    return " ".join(clean(text, newlines=True).split())


FILE_FORMATS = ["toml", "bib", "ris", "csl", "md", "csv", "json"]


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_no_export_holds_a_raw_control_character(fmt):
    text = render(records(), fmt, name="List \x1b]0;title\x07", query='tag:moe "\x1b[2J"')
    text = text.removeprefix("\ufeff") if fmt == "csv" else text  # the BOM a CSV starts with, on purpose
    assert not raw_controls(text, allowed="\n\r" if fmt == "csv" else "\n"), fmt
    text.encode("utf-8")  # and no lone surrogate: the file can be written


def test_toml_gives_every_string_back_as_cleaned():
    reading_list = parse_reading_list(render(records(), "toml", name="N\x1b", query="q"))
    assert reading_list.name == "N␛"
    assert len(reading_list.records) == len(HOSTILE_TITLES)
    for (paper, mark), title in zip(reading_list.records, HOSTILE_TITLES):
        assert paper.title_en == clean(title, newlines=True)
        assert paper.authors[0] == clean(title, newlines=True)
        assert mark.note == clean(f"Note:\n{title}", newlines=True).strip()
        assert mark.tags == ("moe", "x}y") and mark.starred


def test_json_gives_every_string_back_as_cleaned():
    rows = json.loads(render(records(), "json"))
    assert [row["title_en"] for row in rows] == [clean(t, newlines=True) for t in HOSTILE_TITLES]
    assert [row["note"] for row in rows] == [clean(f"Note:\n{t}", newlines=True) for t in HOSTILE_TITLES]


def standard_json(recs, keys) -> str:
    """The JSON export as it was first written: record_values' FIELDS through json.dumps."""
    from digest_tui.core.export.common import record_values, safe_records
    from digest_tui.core.export.json import FIELDS

    items = [{name: record_values(paper, mark, key)[name] for name in FIELDS}
             for key, (paper, mark) in zip(keys, safe_records(recs))]  # fmt: skip
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("batch", [1, 2, 256])
def test_json_is_byte_for_byte_what_json_dumps_writes(monkeypatch, batch):
    """msgspec (core.jsonout) writes it, BATCH papers at a time: the bytes stay the standard library's."""
    from digest_tui.core import export
    from digest_tui.core.export import json as json_export

    monkeypatch.setattr(json_export, "BATCH", batch)
    plain = make_paper(id="2606.00001", title_en="Plain", authors=("A B",), abstract_en="One.\n\nTwo.", score=90)
    recs = [*records(), (plain, Mark()), (make_paper(title_en="Only a title"), Mark(read=True))]
    keys = export.citekeys(recs)
    expected = standard_json(recs, keys)
    assert render(recs, "json", keys=keys) == expected
    assert b"".join(export.chunks(recs, "json", keys=keys)) == expected.encode("utf-8")
    assert render([], "json") == "[]\n" == standard_json([], [])


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # the BOM, then plain CSV
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def csv_expected(text: str) -> str:
    text = clean(text, newlines=True)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def test_csv_reads_back_cell_for_cell_and_formulas_stay_text():
    rows = csv_rows(render(records(), "csv"))
    header, body = rows[0], rows[1:]
    assert len(body) == len(HOSTILE_TITLES)
    for row, title in zip(body, HOSTILE_TITLES):
        assert len(row) == len(header)
        cells = dict(zip(header, row))
        assert cells["title_en"] == csv_expected(title)
        assert cells["note"] == csv_expected(f"Note:\n{title}")
    cells = dict(zip(header, body[HOSTILE_TITLES.index("=cmd|' /C calc'!A0")]))
    assert cells["title_en"] == "'=cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in body for cell in row)


def bib_entries(text: str) -> list[str]:
    """Entries split where a line starts with `@`; each must have balanced braces, never below zero."""
    entries = re.split(r"(?m)^(?=@)", text)
    entries = [entry for entry in entries if entry.strip()]
    for entry in entries:
        depth = 0
        for ch in entry:
            depth += {"{": 1, "}": -1}.get(ch, 0)
            assert depth >= 0, entry
        assert depth == 0, entry
    return entries


def bib_field(entry: str, name: str) -> str:
    start = entry.index(f"  {name} = {{") + len(f"  {name} = {{")
    depth, i = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(entry[i], 0)
        i += 1
    return entry[start : i - 1]


def test_bibtex_has_one_balanced_entry_per_paper_that_bibtexparser_reads():
    text = render(records(), "bib")
    entries = bib_entries(text)
    assert len(entries) == len(HOSTILE_TITLES)
    assert all(entry.startswith("@misc{") for entry in entries)
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks and len(parsed.entries) == len(HOSTILE_TITLES)
    for entry, title in zip(entries, HOSTILE_TITLES):
        if not re.search(r"[\\${}A-Z]", title):  # no TeX and no capitals to protect: plain escaping only
            assert unescape_bib(bib_field(entry, "title")) == one_line(title)
        # a name with "and" in it stays one name: braced
        assert "{Ada Lovelace and Alan Turing}" in bib_field(entry, "author")
        for line in entry.strip().splitlines()[1:-1]:
            if line.startswith("  "):
                assert line.endswith(",") or not line.startswith("  title"), line
    # the plain-text fields (tags, the note) are escaped whatever they hold
    first = entries[0]
    assert bib_field(first, "keywords") == r"moe, x\textbraceright{}y"


def test_ris_has_one_record_per_paper_that_rispy_reads():
    entries = rispy.loads(render(records(), "ris"))
    assert len(entries) == len(HOSTILE_TITLES)
    assert [e["title"] for e in entries] == [one_line(t) for t in HOSTILE_TITLES]


def test_csl_gives_every_title_back_as_one_cleaned_line():
    items = json.loads(render(records(), "csl"))
    assert [item["title"] for item in items] == [one_line(t) for t in HOSTILE_TITLES]
    assert [item["annote"] for item in items] == [clean(f"Note:\n{t}", newlines=True) for t in HOSTILE_TITLES]


def test_markdown_has_one_heading_per_paper_and_nothing_else_starts_a_block():
    text = render(records(), "md", name="# Not\na heading", query="q")
    lines = text.split("\n")
    headings = [line for line in lines if line.startswith("## ")]
    assert len(headings) == len(HOSTILE_TITLES)
    assert [line for line in lines if line.startswith("#")] == [lines[0], *headings]
    assert lines[0] == "# \\# Not a heading"
    for line in lines:
        stripped = line.lstrip()
        if not stripped or line.startswith(("#", "- ", "  > ", "> ", "**")) or line in ("  >",):
            continue
        # any other line is running text: no list, quote, rule or setext marker at its start
        assert not re.match(r"([-+*>=|]|\d+[.)])", stripped), line
    # no raw HTML and no link: every `<` and every `](` is escaped (the one real link is to arXiv)
    assert not re.search(r"(?<!\\)<(?!https://arxiv\.org/)", text)
    assert all(link.startswith("](<https://arxiv.org/abs/") for link in re.findall(r"(?<!\\)\]\(.{26}", text))


HOSTILE_CHARS = st.one_of(
    st.sampled_from(list("{}\\%$&#_^~`*[]()<>|!\"'@=+-\n\r\t\x1b\x07\x00\x9b\u202e\u200b\ud800,;")),
    st.characters(codec="utf-8"),
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.text(HOSTILE_CHARS, min_size=1, max_size=40), min_size=1, max_size=4))
def test_any_titles_keep_every_format_whole(titles):
    recs = records(titles)
    bib = render(recs, "bib")
    assert len(bib_entries(bib)) == len(titles)
    assert len(bibtexparser.parse_string(bib).entries) == len(titles)
    rows = csv_rows(render(recs, "csv"))
    assert [row[3] for row in rows[1:]] == [csv_expected(t) for t in titles]
    assert [row["title_en"] for row in json.loads(render(recs, "json"))] == [clean(t, newlines=True) for t in titles]
    assert len(rispy.loads(render(recs, "ris"))) == len(titles)
    markdown = render(recs, "md")
    assert sum(line.startswith("## ") for line in markdown.split("\n")) == len(titles)
    listed = parse_reading_list(render(recs, "toml"))
    assert [p.title_en for p, _ in listed.records] == [clean(t, newlines=True) or None for t in titles]
    for fmt in FILE_FORMATS:
        assert not raw_controls(render(recs, fmt).removeprefix("\ufeff"), allowed="\n\r" if fmt == "csv" else "\n")
