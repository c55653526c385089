"""Exports read back by the programs that import them: bibtexparser v2, pybtex, biber, rispy, the CSL
data schema, a YAML parser and pandas. Each field is checked for what it must hold, on hand-made
papers (TeX titles, a journal reference, Chinese names) and on every real paper in ../shared."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import jsonschema
import pandas
import pybtex.database
import pytest
import rispy
import yaml
from pybtex.plugin import find_plugin

from digest_tui.core import export
from digest_tui.core.export import obsidian
from digest_tui.core.model import Mark
from digest_tui.core.loading.session import load
from digest_tui.core.model import make_paper

CSL_SCHEMA = json.loads((Path(__file__).parents[1] / "schemas" / "csl-data.json").read_text(encoding="utf-8"))

LOOKUP = make_paper(
    id="2601.21461",
    title_en="L$^3$: Large Lookup Layers for LLMs",
    title_zh="L$^3$:大型查找层",
    authors=("Albert Tseng", "Ludo van der Maaten"),
    categories=("cs.LG", "cs.CL"),
    date="2026-02-02",  # listed in February, given its id in January
    comments="Preprint; 50% shorter than v1 & with $k$ experts",
    abstract_en="Sparse layers route tokens.\n\nWe introduce L$^3$, which uses 100% static routing.",
    abstract_zh="现代稀疏语言模型。",
)
LETHE = make_paper(
    id="2601.22601",
    title_en=r"\textsc{Lethe}: Principled Dual-Stream Update for Persistent Knowledge Erasure",
    title_zh=r"\textsc{Lethe}: 用于持久知识擦除的双流更新",
    authors=('Tim G\\"uneysu', "赵凯岩"),
    categories=("cs.LG",),
    date="2026-01-30",
)
JOURNAL = make_paper(
    id="2510.13272",
    title_en="LRW-Persian: Lip-reading in the Wild Dataset for Persian Language",
    authors=("Zhongtao Miao",),
    categories=(),
    date="2026-01-23",
    journal_ref="IEEE Access, vol. 14, pp. 81352 - 81365, 2026",
    doi="10.1109/ACCESS.2026.1234567",
)
HF_ONLY = make_paper(title_en="Scaling Agent Learning via Experience Synthesis", authors=("Ana Lopez",), author_count=12,
                     date="2025-11-05", abstract_en="Agents learn.")  # fmt: skip
PAPERS = [LOOKUP, LETHE, JOURNAL, HF_ONLY]
MARKS = [
    Mark(starred=True, tags=("moe", "to-read"), note="Compare with §3 of RegMix;\nthen 100% & #1 of the appendix."),
    Mark(read=True),
    Mark(tags=("speech",)),
    Mark(),
]
RECORDS = list(zip(PAPERS, MARKS))
KEYS = ["tseng2026large", "guneysu2026lethe", "miao2025lrw", "lopez2025scaling"]


def test_the_keys_of_these_papers():
    assert export.citekeys(RECORDS) == KEYS


# -- BibTeX ---------------------------------------------------------------------------------


def bibtexparser_entries(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    assert all(entry.entry_type == "misc" for entry in library.entries)
    return {entry.key: {field.key: field.value for field in entry.fields} for entry in library.entries}


def test_bibtexparser_reads_every_field():
    entries = bibtexparser_entries(export.render(RECORDS, "bib"))
    assert list(entries) == KEYS
    lookup = entries["tseng2026large"]
    assert lookup == {
        "title": "L{$^3$}: {Large} {Lookup} {Layers} for {LLM}s",
        "author": "Albert Tseng and Ludo van der Maaten",
        "year": "2026",
        "month": "jan",  # from the id, not the listing date
        "eprint": "2601.21461",
        "eprinttype": "arxiv",
        "archiveprefix": "arXiv",
        "primaryclass": "cs.LG",
        "url": "https://arxiv.org/abs/2601.21461",
        "doi": "10.48550/arXiv.2601.21461",
        "abstract": "Sparse layers route tokens.\n\nWe introduce L$^3$, which uses 100\\% static routing.",
        "note": "Preprint; 50\\% shorter than v1 \\& with $k$ experts",
        "annote": "Compare with §3 of RegMix;\nthen 100\\% \\& \\#1 of the appendix.",
        "keywords": "moe, to-read",
        "usera": "L$^3$:大型查找层",
    }
    lethe = entries["guneysu2026lethe"]
    assert lethe["title"].startswith(r"\textsc{Lethe}: {Principled} {Dual}-{Stream} {Update}")
    assert lethe["author"] == 'Tim G\\"uneysu and 赵凯岩'
    assert lethe["usera"] == r"\textsc{Lethe}: 用于持久知识擦除的双流更新"
    journal = entries["miao2025lrw"]
    assert journal["title"] == "{LRW}-{Persian}: {Lip}-reading in the {Wild} {Dataset} for {Persian} {Language}"
    assert journal["journal"] == "IEEE Access, vol. 14, pp. 81352 - 81365, 2026"
    assert journal["doi"] == "10.1109/ACCESS.2026.1234567"
    assert journal["year"] == "2026" and "month" not in journal  # the journal's year; its month is unknown
    assert "primaryclass" not in journal and "usera" not in journal
    counted = make_paper(title_en="Counted Authors", author_count=8, date="2025-11-05")
    assert bibtexparser_entries(export.render([(counted, Mark())], "bib"))["counted2025authors"]["author"] == "others"
    hf = entries["lopez2025scaling"]
    assert hf["author"] == "Ana Lopez and others"
    assert (hf["year"], hf["month"]) == ("2025", "nov")
    assert not {"eprint", "eprinttype", "url", "doi"} & set(hf)


def test_pybtex_reads_every_entry_and_formats_it_with_capitals_and_maths_kept():
    data = pybtex.database.parse_string(export.render(RECORDS, "bib"), "bibtex")
    assert list(data.entries) == KEYS
    lookup = data.entries["tseng2026large"]
    assert [str(p) for p in lookup.persons["author"]] == ["Tseng, Albert", "van der Maaten, Ludo"]
    assert lookup.fields["eprinttype"] == "arxiv" and lookup.fields["usera"] == "L$^3$:大型查找层"
    assert [str(p) for p in data.entries["lopez2025scaling"].persons["author"]] == ["Lopez, Ana", "others"]
    style = find_plugin("pybtex.style.formatting", "plain")()
    printed = {entry.key: entry.text.render_as("text") for entry in style.format_bibliography(data)}
    # plain sentence-cases titles: the braced capitals and the maths survive it
    assert "L³: Large Lookup Layers for LLMs. January 2026." in printed["tseng2026large"]
    assert "LRW-Persian: Lip-reading in the Wild Dataset for Persian Language" in printed["miao2025lrw"]


def test_bibtex_as_biber_validates_it():
    biber = shutil.which("biber")
    if biber is None:
        pytest.skip("biber is not installed (apt-get install biber): the biblatex data model check needs it")
    warnings = biber_warnings(biber, export.render(RECORDS, "bib"))
    # the two the entry type makes on purpose (see bib.py): archiveprefix for BibTeX, journal for Zotero
    assert set(warnings) <= {"Field 'archiveprefix' invalid in data model - ignoring",
                             "Invalid field 'journaltitle' for entrytype 'misc'"}  # fmt: skip
    assert warnings.count("Invalid field 'journaltitle' for entrytype 'misc'") == 1  # the one journal paper


def biber_warnings(biber: str, text: str) -> list[str]:
    """biber's data-model warnings for a .bib (without the entry names); any ERROR fails the test."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.bib"
        path.write_text(text, encoding="utf-8")
        done = subprocess.run([biber, "--tool", "--validate-datamodel", str(path)], capture_output=True, text=True,
                              cwd=folder, timeout=600)  # fmt: skip
    log = done.stdout + done.stderr
    assert done.returncode == 0 and "ERROR" not in log, log
    return [re.sub(r"^WARN - Datamodel: Entry '[^']*' \([^)]*\): ", "", line) for line in log.splitlines() if line.startswith("WARN")]


# -- RIS and CSL-JSON ---------------------------------------------------------------------------


def test_rispy_reads_every_field():
    entries = rispy.loads(export.render(RECORDS, "ris"))
    assert [e["id"] for e in entries] == KEYS
    lookup = entries[0]
    assert lookup["type_of_reference"] == "UNPB"
    assert lookup["title"] == LOOKUP.title_en and lookup["translated_title"] == LOOKUP.title_zh
    assert lookup["authors"] == ["Tseng, Albert", "van der Maaten, Ludo"]
    assert (lookup["year"], lookup["date"]) == ("2026", "2026/01//")
    assert lookup["name_of_database"] == "arXiv" and lookup["accession_number"] == "arXiv:2601.21461"
    assert lookup["urls"] == ["https://arxiv.org/abs/2601.21461"] and lookup["doi"] == "10.48550/arXiv.2601.21461"
    assert lookup["abstract"] == "Sparse layers route tokens. We introduce L$^3$, which uses 100% static routing."
    assert lookup["keywords"] == ["moe", "to-read"]
    assert lookup["notes"] == [f"Comments: {LOOKUP.comments}", "Compare with §3 of RegMix; then 100% & #1 of the appendix."]
    assert entries[1]["authors"] == ['G\\"uneysu, Tim', "赵凯岩"]
    assert entries[2]["journal_name"] == JOURNAL.journal_ref and entries[2]["year"] == "2026"
    assert entries[3]["authors"] == ["Lopez, Ana", "et al."] and "accession_number" not in entries[3]


def test_csl_json_is_valid_csl_and_typed_for_zotero_preprints():
    items = json.loads(export.render(RECORDS, "csl"))
    jsonschema.validate(items, CSL_SCHEMA)
    assert [item["id"] for item in items] == KEYS
    lookup = items[0]
    assert lookup["type"] == "article"  # Zotero's CSL import: Preprint
    assert lookup["number"] == "arXiv:2601.21461" and lookup["publisher"] == "arXiv"  # Archive ID, Repository
    assert lookup["citation-key"] == "tseng2026large"
    assert lookup["author"] == [{"family": "Tseng", "given": "Albert"}, {"family": "van der Maaten", "given": "Ludo"}]
    assert lookup["issued"] == {"date-parts": [[2026, 1]]}
    assert lookup["DOI"] == "10.48550/arXiv.2601.21461" and lookup["URL"] == "https://arxiv.org/abs/2601.21461"
    assert lookup["abstract"] == "Sparse layers route tokens.\n\nWe introduce L$^3$, which uses 100% static routing."
    assert lookup["keyword"] == "moe, to-read" and lookup["note"] == LOOKUP.comments and lookup["annote"] == MARKS[0].note
    assert lookup["custom"] == {"title_zh": LOOKUP.title_zh, "tags": ["moe", "to-read"], "categories": ["cs.LG", "cs.CL"]}
    assert items[1]["author"][1] == {"literal": "赵凯岩"}
    assert items[2]["container-title"] == JOURNAL.journal_ref and items[2]["issued"] == {"date-parts": [[2026]]}
    assert items[2]["DOI"] == "10.1109/ACCESS.2026.1234567"
    assert items[3]["author"] == [{"family": "Lopez", "given": "Ana"}, {"literal": "others"}]
    assert "number" not in items[3]


def test_the_csl_schema_rejects_what_it_must():
    """The vendored schema is the real one: a field CSL does not have, or a wrong type, fails."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "x", "type": "article", "title_zh": "中文"}], CSL_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "x", "type": "preprint"}], CSL_SCHEMA)


# -- Obsidian ----------------------------------------------------------------------------------


def front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end])


def test_obsidian_notes_have_front_matter_yaml_reads(tmp_path):
    summary = export.write(RECORDS, "obsidian", tmp_path)
    assert summary == f"4 papers to {tmp_path}/ (4 new notes, 0 updated, 0 unchanged)"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{key}.md" for key in KEYS)
    note = (tmp_path / "tseng2026large.md").read_text(encoding="utf-8")
    assert front_matter(note) == {
        "title": LOOKUP.title_en,
        "title_zh": LOOKUP.title_zh,
        "authors": ["Albert Tseng", "Ludo van der Maaten"],
        "year": 2026,
        "arxiv": "2601.21461",
        "url": "https://arxiv.org/abs/2601.21461",
        "citekey": "tseng2026large",
        "tags": ["moe", "to-read"],
        "starred": True,
        "read": False,
    }
    assert "## Abstract\n\n> Sparse layers route tokens.\n>\n> We introduce L\\$\\^3\\$" in note
    assert "## 摘要\n\n> 现代稀疏语言模型。" in note
    assert "## Note\n\nCompare with §3 of RegMix;  \nthen 100% \\& \\#1 of the appendix." in note
    assert note.endswith(obsidian.MARKER + "\n")
    assert front_matter((tmp_path / "lopez2025scaling.md").read_text("utf-8"))["tags"] == []


def test_obsidian_export_again_updates_the_front_matter_and_keeps_what_the_user_wrote(tmp_path):
    export.write(RECORDS, "obsidian", tmp_path)
    path = tmp_path / "tseng2026large.md"
    mine = "\n## My thoughts\n\nThe routing table is the trick. #idea\n"
    path.write_text(path.read_text("utf-8") + mine, encoding="utf-8")
    lost = tmp_path / "miao2025lrw.md"
    lost.write_text("I deleted the marker and wrote this.\n", encoding="utf-8")
    changed = [(LOOKUP, Mark(starred=False, read=True, tags=("moe",), note="Read it.")), *RECORDS[1:]]
    summary = export.write(changed, "obsidian", tmp_path)
    assert "(0 new notes, 2 updated, 2 unchanged)" in summary
    text = path.read_text("utf-8")
    assert front_matter(text)["tags"] == ["moe"] and front_matter(text)["read"] is True
    assert "## Note\n\nRead it." in text and "Compare with §3" not in text
    assert text.endswith(obsidian.MARKER + "\n" + mine)
    assert lost.read_text("utf-8").endswith(obsidian.MARKER + "\n\nI deleted the marker and wrote this.\n")
    export.write(changed, "obsidian", tmp_path)
    assert path.read_text("utf-8") == text  # a third export changes nothing


def test_obsidian_front_matter_holds_any_text_exactly(tmp_path):
    nasty = 'Quote " back\\slash: colon # hash\n- dash \u0085 nel \uffff non-char {braces} [list] &anchor *alias ---'
    paper = make_paper(id="2606.00001", title_en=nasty, title_zh="中文: 标题", authors=("Yes", "No", "null", "~"))
    export.write([(paper, Mark(tags=("yes", "1.5", "@at")))], "obsidian", tmp_path, keys=["k"])
    matter = front_matter((tmp_path / "k.md").read_text("utf-8"))
    assert matter["title"] == " ".join(nasty.replace("\u0085", "\ufffd").split())
    assert matter["authors"] == ["Yes", "No", "null", "~"] and matter["tags"] == ["yes", "1.5", "@at"]


# -- CSV ---------------------------------------------------------------------------------------


ZERO_ENDED = make_paper(id="2606.18650", title_en="An id that ends in zero", date="2026-06-18")


def test_csv_ids_stay_text_in_pandas_and_csv(tmp_path):
    path = tmp_path / "out.csv"
    records = [*RECORDS, (ZERO_ENDED, Mark())]
    export.write(records, "csv", path)
    frame = pandas.read_csv(path)  # default settings, as an analyst would
    assert list(frame["id"].fillna("")) == ["arXiv:2601.21461", "arXiv:2601.22601", "arXiv:2510.13272", "", "arXiv:2606.18650"]
    assert list(frame["citekey"]) == [*KEYS, "id2026that"]  # no author: the title's first words
    assert frame["abstract_en"][0] == LOOKUP.abstract_en and frame["title_zh"][0] == LOOKUP.title_zh
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows][-1] == "arXiv:2606.18650"
    assert rows[0]["note"] == MARKS[0].note and rows[1]["authors"] == 'Tim G\\"uneysu; 赵凯岩'


# -- every real paper in ../shared ----------------------------------------------------------------


@pytest.fixture(scope="module")
def real_records(request):
    from conftest import SHARED_DIGESTS

    if not SHARED_DIGESTS.is_dir():
        pytest.skip(f"real digest pages not found at {SHARED_DIGESTS} (../shared is absent)")
    # every sample but the 9,000-row README table of titles, which would only make this slow
    store, _ = load([path for path in sorted(SHARED_DIGESTS.iterdir()) if not path.name.startswith("cv-arxiv-daily")])
    papers = store.papers
    assert len(papers) >= 200 and sum(1 for p in papers if p.title_zh) >= 50
    return [(paper, Mark(starred=n % 3 == 0, tags=("moe",) if n % 5 == 0 else (), note="ok" if n % 7 == 0 else ""))
            for n, paper in enumerate(papers)]  # fmt: skip


def test_every_real_paper_reads_back_in_every_importer(real_records, tmp_path):
    keys = export.citekeys(real_records)
    count, with_id = len(real_records), sum(1 for p, _ in real_records if p.id)
    assert len(set(keys)) == count
    assert all(re.fullmatch(r"[a-z][a-z0-9]*", key) for key in keys)
    assert not [key for key in keys if key.startswith(("anon", "paper"))]
    bib = export.render(real_records, "bib", keys=keys)
    entries = bibtexparser_entries(bib)
    assert len(entries) == count
    assert sum(entries[k].get("eprinttype") == "arxiv" for k in entries) == with_id
    assert sum("primaryclass" in e for e in entries.values()) == sum(1 for p, _ in real_records if p.id and p.categories)
    assert sum("abstract" in e for e in entries.values()) == sum(1 for p, _ in real_records if (p.abstract_en or "").strip())
    assert sum("usera" in e for e in entries.values()) == sum(1 for p, _ in real_records if p.title_en and p.title_zh)
    assert len(pybtex.database.parse_string(bib, "bibtex").entries) == count
    assert len(rispy.loads(export.render(real_records, "ris", keys=keys))) == count
    items = json.loads(export.render(real_records, "csl", keys=keys))
    jsonschema.validate(items, CSL_SCHEMA)
    assert sum(item.get("number", "").startswith("arXiv:") for item in items) == with_id
    export.write(real_records, "csv", tmp_path / "all.csv", keys=keys)
    frame = pandas.read_csv(tmp_path / "all.csv")
    assert list(frame["id"].fillna("")) == [f"arXiv:{p.id}" if p.id else "" for p, _ in real_records]
    vault = tmp_path / "vault"
    vault.mkdir()
    export.write(real_records, "obsidian", vault, keys=keys)
    for key, (paper, _) in zip(keys, real_records):
        matter = front_matter((vault / f"{key}.md").read_text("utf-8"))
        assert matter["citekey"] == key and matter["title"] == " ".join((paper.title_en or paper.title_zh).split())


def test_real_papers_through_biber(real_records):
    biber = shutil.which("biber")
    if biber is None:
        pytest.skip("biber is not installed (apt-get install biber): the biblatex data model check needs it")
    warnings = biber_warnings(biber, export.render(real_records, "bib"))
    assert set(warnings) <= {"Field 'archiveprefix' invalid in data model - ignoring",
                             "Invalid field 'journaltitle' for entrytype 'misc'"}  # fmt: skip


def test_csv_reader_and_csv_writer_agree_on_real_papers(real_records):
    text = export.render(real_records, "csv")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert len(rows) == 1 + len(real_records)


# -- pandoc, when it is installed -----------------------------------------------------------------


def pandoc_kinds(text: str, reader: str) -> dict[str, int]:
    """How many of each element pandoc's reader makes of `text` (its JSON AST, walked)."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        pytest.skip("pandoc is not installed (apt-get install pandoc): the pandoc checks need it")
    done = subprocess.run([pandoc, "-f", reader, "-t", "json"], input=text, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    kinds: dict[str, int] = {}

    def walk(node) -> None:
        if isinstance(node, dict):
            if "t" in node:
                kinds[node["t"]] = kinds.get(node["t"], 0) + 1
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(done.stdout)["blocks"])
    return kinds


def test_pandoc_reads_the_markdown_as_text_with_tags_not_maths_or_citations():
    hostile = make_paper(id="2606.00009", title_en="x^2^ and H~2~O cite @k or [@k] $x$ <b>b</b> *e*",
                         abstract_en="First ^paragraph^.\n\n: not a definition\n\nThird @paper.")  # fmt: skip
    records = [*RECORDS, (hostile, Mark(tags=("moe",)))]
    kinds = pandoc_kinds(export.render(records, "md", name="List"), "markdown")
    assert kinds["Header"] == 1 + len(records)
    assert kinds["Link"] == sum(1 for paper in PAPERS if paper.id) + 1
    assert not {"Math", "Superscript", "Subscript", "Cite", "RawInline", "RawBlock", "Emph", "DefinitionList"} & set(kinds)


def test_pandoc_citeproc_reads_the_csl_json_and_the_bib():
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        pytest.skip("pandoc is not installed (apt-get install pandoc): the pandoc checks need it")
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        printed = {}
        for fmt in ("csl", "bib"):
            path = Path(folder) / export.file_name("refs", fmt)
            export.write(RECORDS, fmt, path)
            done = subprocess.run([pandoc, "--citeproc", "--bibliography", str(path), "-t", "plain"],
                                  input="---\nnocite: '@*'\n---\n", capture_output=True, text=True, timeout=120)  # fmt: skip
            assert done.returncode == 0 and not done.stderr, done.stderr
            printed[fmt] = [" ".join(entry.split()) for entry in done.stdout.split("\n\n") if entry.strip()]
    for fmt, entries in printed.items():
        assert len(entries) == len(RECORDS), (fmt, entries)
        lookup = next(entry for entry in entries if "Lookup" in entry)
        assert "Tseng, Albert" in lookup and "2026" in lookup and "LLMs" in lookup, (fmt, lookup)
    assert any("LRW-Persian" in entry and "Persian Language" in entry for entry in printed["bib"])
