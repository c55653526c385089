"""`digest-tui export`: papers from the library to a file or stdout, without the UI."""

from __future__ import annotations

import csv
import io
import json
import tomllib

import pytest

from digest_tui.cli import main
from digest_tui.core.library import Library
from digest_tui.core.loading.session import load
from digest_tui.core.paths import demo_dir
from digest_tui.core.paths import library_file

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


def test_export_starred_bibtex_to_stdout(library_with_marks, capsys):
    assert main(["export", "--starred"]) == 0
    out = capsys.readouterr().out
    assert out.count("@misc{") == 2
    assert "eprint = {2606.18745}" in out and "archivePrefix = {arXiv}" in out
    assert "title = {[Re] Revisiting Loss-Spike Early Warning in Small-Scale Pretraining}" in out


def test_export_works_from_the_library_alone(library_with_marks, tmp_path, capsys):
    """No digest paths: the snapshots in library.toml are enough."""
    target = tmp_path / "tagged.csv"
    assert main(["export", "--tag", "memory", "-o", str(target)]) == 0
    assert "exported 1 papers tagged 'memory'" in capsys.readouterr().err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["id"] == "2606.17204"
    assert rows[0]["tags"] == "memory"
    assert rows[0]["note"] == 'Compare with "ShelfLife", §3'


def test_export_query_over_digests_and_library(library_with_marks, capsys):
    assert main(["export", "--query", "score>=90", "--format", "json", "--demo"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in records} == {TERN, "2606.16042", "2606.17204"}


def test_export_reading_list_toml_round_trips(library_with_marks, tmp_path):
    target = tmp_path / "list.toml"
    assert main(["export", "--starred", "-o", str(target), "--name", "Friday"]) == 0
    document = tomllib.loads(target.read_text(encoding="utf-8"))
    assert document["list"]["name"] == "Friday"
    assert [p["id"] for p in document["papers"]] == [TERN, "2606.19120"]
    assert all(p["starred"] for p in document["papers"])


def test_export_nothing_is_an_error_with_a_reason(capsys):
    assert main(["export", "--starred"]) == 1
    assert "nothing to export: no starred papers" in capsys.readouterr().err


def test_export_bad_query_says_what_is_wrong(capsys):
    assert main(["export", "--query", "(cat:cs.CL"]) == 2
    assert capsys.readouterr().err.startswith("digest-tui: --query: ")
