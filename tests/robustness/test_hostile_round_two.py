"""Issue 19's hostile cases that are about files and output: undecodable file names in `dump`,
library warnings, a library or reading list saved with a BOM (the inputs, the config, the caches,
the failed save and the query have their own test_hostile_*.py files)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from digest_tui.core.export import load_reading_list
from digest_tui.core.library import Library
from digest_tui.core.loading.session import load
from digest_tui.core.parsers import library_warning, parse_file
from digest_tui.core.text import path_text

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"


def dump(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "digest_tui", "dump", *args], capture_output=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_dump_output_is_valid_utf8_when_a_file_name_is_not(tmp_path):
    folder = os.fsencode(tmp_path) + b"/names"
    os.mkdir(folder)
    bad = folder + b"/bad\xff\xfe-\xc3.txt"
    shutil.copyfile(HOSTILE / "encoding-utf8.txt", bad)
    missing = folder + b"/gone\xff.txt"
    for encoding in ({}, {"PYTHONIOENCODING": "utf-8"}):  # the default (surrogateescape) and a strict stdout
        run = dump(os.fsdecode(folder), os.fsdecode(missing), env=encoding)
        assert run.returncode == 0, run.stderr
        papers = json.loads(run.stdout.decode("utf-8"))  # raises on invalid UTF-8
        files = {source["file"] for paper in papers for source in paper["sources"]}
        assert files == {f"{tmp_path}/names/bad\\xff\\xfe-\\xc3.txt"}
        assert run.stderr.decode("utf-8") == (
            f"digest-tui: {tmp_path}/names/gone\\xff.txt: No such file or directory\n"
        )


def test_path_text_escapes_only_what_is_not_utf8():
    assert path_text("plain/päth.txt") == "plain/päth.txt"
    assert path_text(os.fsdecode(b"a\xffb\xe4\xb8")) == "a\\xffb\\xe4\\xb8"
    assert path_text("lone \ud800") == "lone \ufffd"


def test_an_xml_declaration_gives_one_warning_line_and_nothing_of_bs4_on_stderr(tmp_path):
    run = dump(str(HOSTILE / "html-xml-declaration.html"), env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert run.returncode == 0
    assert run.stderr.decode("utf-8").splitlines() == [
        f"digest-tui: {HOSTILE}/html-xml-declaration.html: starts like an XML document (<?xml …?>); read as HTML"
    ]
    again = dump(str(HOSTILE / "html-xml-declaration.html"), env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert again.stderr == run.stderr  # the same line from the cache


def test_any_library_warning_while_parsing_is_one_line_of_the_file(monkeypatch):
    from digest_tui.core.parsers import hf_html

    real = hf_html.parse

    def noisy(*args):
        warnings.warn("first line\nsecond line\nthird", UserWarning, stacklevel=1)
        warnings.warn("another", DeprecationWarning, stacklevel=1)
        return real(*args)

    monkeypatch.setattr(hf_html, "parse", noisy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # would raise if one escaped parse_as
        result = parse_file(str(HOSTILE / "html-broken-nesting.html"))
    assert result.warnings == ["the parser warned: UserWarning: first line (+1 more from the parser)"]
    assert library_warning([]) is None


def test_a_library_saved_with_a_bom_is_read(tmp_path):
    path = tmp_path / "library.toml"
    path.write_bytes(b'\xef\xbb\xbfversion = 1\ntags = ["moe"]\n\n[papers."2606.18663"]\nstarred = true\ntags = ["moe"]\n'
                     b'title_en = "RegMix-D"\n')
    library = Library.load(path)
    assert library.notice is None and not library.read_only
    assert library.mark("2606.18663").starred and library.tags() == ["moe"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.toml"]  # nothing moved aside
    library.set_read(library.paper("2606.18663"), True)
    library.save()
    again = Library.load(path)
    assert again.mark("2606.18663").read and again.mark("2606.18663").starred


def test_a_reading_list_saved_with_a_bom_is_read(tmp_path):
    path = tmp_path / "list.toml"
    path.write_bytes(b'\xef\xbb\xbfversion = 1\n[list]\nname = "bom"\n[[papers]]\nid = "2606.18663"\nstarred = true\n')
    reading_list = load_reading_list(path)
    assert reading_list.name == "bom" and [paper.key for paper, _mark in reading_list.records] == ["2606.18663"]


@pytest.mark.parametrize("name", ["html-xml-declaration.html"])
def test_the_loader_reports_the_warning_once(name):
    _store, report = load([HOSTILE / name])
    assert [problem.reason for problem in report.problems] == ["starts like an XML document (<?xml …?>); read as HTML"]


def test_a_paper_listed_twice_merges_the_same_cold_and_warm(tmp_path):
    """Cold: both records meet whole in Store.add; warm: the texts come in afterwards (with_texts),
    from the parse cache or after the load snapshot. merged_value() is the one rule for both."""
    from digest_tui.core.loading.cache import ParseCache
    from digest_tui.core.loading.snapshot import snapshot_path

    folder = tmp_path / "digests"
    folder.mkdir()
    shutil.copyfile(HOSTILE / "duplicate-id-institutions.txt", folder / "twice.txt")
    shutil.copyfile(HOSTILE / "duplicate-ids.txt", folder / "ids.txt")
    cold, _ = load([folder])
    by_id = {paper.id: paper for paper in cold.papers}
    assert by_id["2606.38101"].institutions == (
        "Harbourview University(港景大学)", "Quayside Institute(码头研究所)", "Old Mill College(旧磨坊学院)")
    assert by_id["2606.38102"].institutions == ("Quayside Institute(码头研究所)", "Old Mill College(旧磨坊学院)")
    assert by_id["2606.38102"].institutions_raw == "Quayside Institute(码头研究所)\nOld Mill College(旧磨坊学院)"
    cache = ParseCache(tmp_path / "cache")
    first, _ = load([folder], cache=cache)  # cold, filling the cache and writing the snapshot
    from_snapshot, _ = load([folder], cache=cache)
    os.remove(snapshot_path(cache, [str(folder)]))
    from_entries, _ = load([folder], cache=cache)
    assert first.papers == cold.papers == from_snapshot.papers == from_entries.papers
    expected = [cold.papers[row] for row in cold.ordered("date")]
    for store in (from_snapshot, from_entries):
        assert [store.paper(row) for row in store.ordered("date")] == expected
