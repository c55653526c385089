"""`digest-tui export`: papers from the library to a file, a folder or stdout, without the UI."""

from __future__ import annotations

import csv
import io
import json
import tomllib

import bibtexparser
import pytest
import yaml

from digest_tui.cli import main
from digest_tui.core.library import Library
from digest_tui.core.loading.session import load
from digest_tui.core.paths import config_file, demo_dir, library_file

TERN = "2606.18745"


@pytest.fixture
def library_with_marks():
    """A library (in the private home) with two demo papers starred and one tagged, saved to disk."""
    store, _ = load([demo_dir()])
    papers = {p.id: p for p in store.papers}
    library = Library.load(library_file())
    library.set_starred(papers[TERN], True)
    library.set_starred(papers["2606.19120"], True)
    library.add_tag(papers["2606.17204"], "memory")
    library.set_note(papers["2606.17204"], 'Compare with "ShelfLife", §3')
    library.save()
    return papers


def bib_entries(text: str) -> dict[str, dict[str, str]]:
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks
    return {entry.key: {field.key: field.value for field in entry.fields} for entry in parsed.entries}


def test_export_starred_bibtex_to_stdout(library_with_marks, capsysbinary):
    assert main(["export", "--starred", "--format", "bib"]) == 0
    entries = bib_entries(capsysbinary.readouterr().out.decode("utf-8"))
    assert len(entries) == 2
    titles = {fields["eprint"]: fields["title"] for fields in entries.values()}
    assert all(fields["eprinttype"] == "arxiv" and fields["archiveprefix"] == "arXiv" for fields in entries.values())
    assert titles["2606.19120"] == "[{Re}] {Revisiting} {Loss}-{Spike} {Early} {Warning} in {Small}-{Scale} {Pretraining}"
    assert titles[TERN].startswith("Tern-{VL} {Technical} {Report}: {Open}")


def test_dash_is_stdout_and_the_bytes_are_the_files(library_with_marks, tmp_path, capsysbinary):
    assert main(["export", "--starred", "-f", "csv", "-o", "-"]) == 0
    out = capsysbinary.readouterr().out
    assert not (tmp_path / "-").exists()
    target = tmp_path / "starred.csv"
    assert main(["export", "--starred", "-o", str(target)]) == 0
    assert target.read_bytes() == out and out.startswith(b"\xef\xbb\xbf")


def test_the_format_comes_from_the_option_else_the_suffix_else_an_error(library_with_marks, tmp_path, capsys):
    assert main(["export", "--starred", "-o", str(tmp_path / "refs.ris")]) == 0
    assert (tmp_path / "refs.ris").read_text("utf-8").startswith("TY  - UNPB\n")
    assert main(["export", "--starred", "-o", str(tmp_path / "refs.csl.json")]) == 0
    assert json.loads((tmp_path / "refs.csl.json").read_text("utf-8"))[0]["type"] == "article"
    assert main(["export", "--starred", "-f", "json", "-o", str(tmp_path / "refs.ris2")]) == 0
    assert isinstance(json.loads((tmp_path / "refs.ris2").read_text("utf-8")), list)
    capsys.readouterr()
    for argv in (["-o", str(tmp_path / "refs.pdf")], []):
        with pytest.raises(SystemExit) as raised:
            main(["export", "--starred", *argv])
        assert raised.value.code == 2
        error = capsys.readouterr().err
        assert "say which format" in error and "(known: bib, ris, csl, obsidian, md, csv, json, toml)" in error
    assert not (tmp_path / "refs.pdf").exists()


def test_a_missing_folder_is_an_error(library_with_marks, tmp_path, capsys):
    assert main(["export", "--starred", "-o", str(tmp_path / "nowhere" / "refs.bib")]) == 1
    assert f"{tmp_path / 'nowhere'} does not exist" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()


def test_export_works_from_the_library_alone(library_with_marks, tmp_path, capsys):
    """No digest paths and no config folders: the snapshots in library.toml are enough."""
    target = tmp_path / "tagged.csv"
    assert main(["export", "--tag", "memory", "-o", str(target)]) == 0
    assert f"exported 1 paper to {target} (csv)" in capsys.readouterr().err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["id"] == "arXiv:2606.17204"
    assert rows[0]["tags"] == "memory" and rows[0]["abstract_en"] == ""
    assert rows[0]["note"] == 'Compare with "ShelfLife", §3'


def test_without_paths_the_records_come_from_the_config_folders(library_with_marks, tmp_path, capsysbinary):
    config = config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'folders = ["{demo_dir()}", "{tmp_path / "gone"}"]\n', encoding="utf-8")
    assert main(["export", "--tag", "memory", "-f", "json"]) == 0
    [record] = json.loads(capsysbinary.readouterr().out)
    assert record["id"] == "2606.17204" and record["abstract_en"]  # the digest's full record
    assert record["note"] == 'Compare with "ShelfLife", §3'


def test_export_query_over_digests_and_library(library_with_marks, capsysbinary):
    assert main(["export", "--query", "score>=90", "--format", "json", "--demo"]) == 0
    records = json.loads(capsysbinary.readouterr().out)
    assert {r["id"] for r in records} == {TERN, "2606.16042", "2606.17204"}


def test_export_reading_list_toml_round_trips(library_with_marks, tmp_path):
    target = tmp_path / "list.toml"
    assert main(["export", "--starred", "-o", str(target), "--name", "Friday"]) == 0
    document = tomllib.loads(target.read_text(encoding="utf-8"))
    assert document["list"]["name"] == "Friday"
    assert [p["id"] for p in document["papers"]] == [TERN, "2606.19120"]
    assert all(p["starred"] for p in document["papers"])


def test_obsidian_needs_a_folder_and_fills_it(library_with_marks, tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["export", "--starred", "-f", "obsidian"])
    assert "give it with -o FOLDER" in capsys.readouterr().err
    vault = tmp_path / "vault"
    assert main(["export", "--starred", "-f", "obsidian", "-o", str(vault), "--demo"]) == 0
    assert "2 new notes" in capsys.readouterr().err
    notes = sorted(vault.glob("*.md"))
    assert len(notes) == 2
    matter = yaml.safe_load(notes[0].read_text("utf-8").split("---\n")[1])
    assert matter["starred"] is True and matter["citekey"] == notes[0].stem


def test_keys_are_pinned_in_the_library_and_reused(library_with_marks, tmp_path, capsysbinary):
    assert main(["export", "--starred", "-f", "bib"]) == 0
    first = set(bib_entries(capsysbinary.readouterr().out.decode()))
    pinned = tomllib.loads(library_file().read_text("utf-8"))["citekeys"]
    assert set(pinned.values()) == first and set(pinned) == {TERN, "2606.19120"}
    assert main(["export", "--query", "score>=90", "-f", "bib", "--demo"]) == 0
    second = bib_entries(capsysbinary.readouterr().out.decode())
    assert {key for key, fields in second.items() if fields["eprint"] == TERN} == {pinned[TERN]}


def test_a_reading_list_makes_and_pins_no_citation_key(library_with_marks, tmp_path, capsysbinary):
    """A TOML reading list writes no key: it leaves library.toml's [citekeys] as it was."""
    before = library_file().read_bytes()
    assert main(["export", "--starred", "-f", "toml"]) == 0
    assert tomllib.loads(capsysbinary.readouterr().out.decode())["papers"]
    assert library_file().read_bytes() == before
    assert "citekeys" not in tomllib.loads(before.decode())
    assert main(["export", "--starred", "-f", "json"]) == 0  # a format that writes keys pins them
    pinned = tomllib.loads(library_file().read_text("utf-8"))["citekeys"]
    assert set(pinned) == {TERN, "2606.19120"}


def test_export_nothing_is_an_error_with_a_reason(capsys):
    assert main(["export", "--starred", "-f", "bib"]) == 1
    assert "nothing to export: no starred papers" in capsys.readouterr().err


def test_export_bad_query_says_what_is_wrong(capsys):
    assert main(["export", "--query", "(cat:cs.CL", "-f", "bib"]) == 2
    assert capsys.readouterr().err.startswith("digest-tui: --query: ")
