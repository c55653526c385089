"""`digest-tui dump`, `--version` and `python -m digest_tui`, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from digest_tui.cli import DUMP_KEYS, main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "digest_tui", *args], capture_output=True, text=True, timeout=120)


def test_version():
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("digest-tui 0.")


def test_dump_seed_pages(shared_digests, capsys):
    assert main(["dump", str(shared_digests / "arxivdaily-2026-06-18-llm.txt")]) == 0
    papers = json.loads(capsys.readouterr().out)
    assert len(papers) == 12
    assert all(tuple(p) == DUMP_KEYS for p in papers)
    first = papers[0]
    assert first["id"] == "2606.18663"
    assert first["url"] == "https://arxiv.org/abs/2606.18663"
    assert first["date"] == "2026-06-18"
    assert first["institutions"] == ["The University of Tokyo(东京大学)", "National Institute of Informatics(国立信息学研究所)"]
    assert first["upvotes"] is None and first["organization"] is None and first["journal_ref"] is None
    assert first["sources"] == [{"file": str(shared_digests / "arxivdaily-2026-06-18-llm.txt"), "format": "arxivdaily"}]


def test_dump_keeps_paragraph_breaks(tmp_path, capsys):
    page = tmp_path / "day.txt"
    page.write_text(
        "2606.00001 2026-06-18 cs.CL\n\nA Title\n\nAnn Author, Bo Author\n\n详情\nAI中文摘要\n\n第一段。\n\n第二段。\n\n"
        "英文摘要\n\nFirst paragraph.\n\nSecond paragraph.\n",
        encoding="utf-8",
    )
    assert main(["dump", str(page)]) == 0
    [paper] = json.loads(capsys.readouterr().out)
    assert paper["abstract_en"] == "First paragraph.\nSecond paragraph."
    assert paper["abstract_zh"] == "第一段。\n第二段。"
    assert paper["title_zh"] is None
    assert paper["authors"] == ["Ann Author", "Bo Author"]
    assert paper["score"] is None and paper["topic"] is None


def test_dump_reports_bad_files_and_keeps_the_rest(shared_digests, tmp_path):
    bad = tmp_path / "minutes.txt"
    bad.write_text("Meeting minutes\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    done = run("dump", str(bad), str(shared_digests / "arxivdaily-2026-06-18-llm.txt"), str(empty), str(tmp_path / "nope"))
    assert done.returncode == 0
    assert len(json.loads(done.stdout)) == 12
    lines = done.stderr.splitlines()
    assert f"digest-tui: {bad}: not a digest in any known format" in lines
    assert f"digest-tui: {empty}: empty file" in lines
    assert f"digest-tui: {tmp_path / 'nope'}: No such file or directory" in lines
    assert "Traceback" not in done.stderr


def test_dump_fails_only_when_nothing_could_be_read(tmp_path):
    bad = tmp_path / "photo.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    done = run("dump", str(bad))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [f"digest-tui: {bad}: binary file, not a digest", "digest-tui: no papers could be read"]


def test_dump_demo():
    done = run("dump", "--demo")
    assert done.returncode == 0, done.stderr
    papers = json.loads(done.stdout)
    assert len(papers) > 20
    assert any(p["title_zh"] for p in papers) and any(p["upvotes"] for p in papers)
    assert any(p["score"] is not None and p["upvotes"] is not None for p in papers), "a paper on both sites"
    assert done.stderr == ""


def test_dump_without_paths_is_a_usage_error():
    done = run("dump")
    assert done.returncode == 2
    assert "give at least one PATH, or --demo" in done.stderr


def test_dump_query_and_sort(capsys):
    assert main(["dump", "--demo", "--query", "cat:cs.CV", "--sort", "title"]) == 0
    papers = json.loads(capsys.readouterr().out)
    titles = [p["title_en"] for p in papers]
    assert titles == sorted(titles, key=str.casefold)
    assert all(any(c.startswith("cs.CV") for c in p["categories"]) for p in papers)
    assert "2606.18745" in {p["id"] for p in papers}  # cs.CV as its second category


def test_a_query_starting_with_a_dash_is_the_query_not_an_option():
    everything = json.loads(run("dump", "--demo").stdout)
    not_lg = [p["title_en"] for p in everything if not any(c.startswith("cs.LG") for c in p["categories"])]
    assert 0 < len(not_lg) < len(everything)
    for args in (["--query", "-cat:cs.LG"], ["-q", "-cat:cs.LG"], ["--query=-cat:cs.LG"], ["-q", "NOT cat:cs.LG"]):
        done = run("dump", "--demo", *args)
        assert done.returncode == 0, (args, done.stderr)
        assert [p["title_en"] for p in json.loads(done.stdout)] == not_lg, args
    done = run("dump", "--demo", "-q", "-cat:cs.LG", "--sort", "title")  # options after it still work
    assert done.returncode == 0 and sorted(p["title_en"] for p in json.loads(done.stdout)) == sorted(not_lg)
    done = run("export", "--query", "-cat:cs.LG", "--format", "json", "--demo")
    assert "expected one argument" not in done.stderr


def test_dump_bad_query_is_reported(capsys):
    assert main(["dump", "--demo", "--query", "score>=high"]) == 2
    assert "score needs a number" in capsys.readouterr().err


def test_dump_fills_and_uses_the_parse_cache(private_home, capsys):
    assert main(["dump", "--demo"]) == 0
    first = json.loads(capsys.readouterr().out)
    files = [p for p in (private_home / "xdg_cache_home" / "digest-tui").rglob("*") if p.is_file()]
    snapshots = [p for p in files if p.parent.name == "loads"]
    texts = [p for p in files if p.parent.name == "texts"]  # the text index (its SQLite files)
    assert len(files) - len(snapshots) - len(texts) == 6  # an entry per demo file
    assert len(snapshots) == 1  # and the load snapshot
    assert main(["dump", "--demo"]) == 0  # from the snapshot (texts from the entries)
    assert json.loads(capsys.readouterr().out) == first
    snapshots[0].unlink()
    assert main(["dump", "--demo"]) == 0  # from the entries, file by file
    assert json.loads(capsys.readouterr().out) == first


def test_the_reader_without_a_terminal_says_so_and_exits():
    for stdin in (subprocess.DEVNULL, None):  # no terminal at all; a terminal for input (pytest's) but not output
        done = subprocess.run([sys.executable, "-m", "digest_tui", "--demo"], stdin=stdin, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 2
        assert done.stdout == ""
        assert done.stderr.startswith("digest-tui: the reader needs a terminal, and standard ")
        assert "not one; without a terminal use 'digest-tui dump' or 'digest-tui export'" in done.stderr


def test_the_reader_with_a_terminal_for_output_only_still_says_so():
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "digest_tui", "--demo"], stdin=subprocess.DEVNULL,
                              stdout=follower, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert "standard input is not one" in done.stderr


def test_dump_escapes_what_a_terminal_acts_on(tmp_path, capsys):
    """C1 controls (CSI), bidi overrides, zero-width and line-separator characters reach the JSON
    as \\uXXXX escapes: the same data, but nothing a terminal showing the output acts on."""
    page = tmp_path / "day.txt"
    title = "Evil \x9b31m \u202eRLO\u202c zero\u200bwidth \ufeffbom \u2028line \u2066isolate\u2069 Title"
    page.write_text(
        f"2606.00001 2026-06-18 cs.CL\n\n{title}\n\nAnn Author\n\n详情\nAI中文摘要\n\n中文。\n\n英文摘要\n\nPlain.\n",
        encoding="utf-8",
    )
    assert main(["dump", str(page)]) == 0
    out = capsys.readouterr().out
    for raw in ("\x9b", "\u202e", "\u202c", "\u200b", "\ufeff", "\u2028", "\u2066", "\u2069"):
        assert raw not in out
    assert "\\u009b31m \\u202eRLO\\u202c zero\\u200bwidth \\ufeffbom \\u2028line \\u2066isolate\\u2069" in out
    [paper] = json.loads(out)
    assert paper["title_en"] == title
    assert paper["abstract_en"] == "Plain."


def test_dump_is_byte_for_byte_what_the_standard_library_writes(tmp_path, capsysbinary, monkeypatch):
    """msgspec (core.jsonout) writes it, in pieces: the bytes stay json.dumps(ensure_ascii=False)'s,
    through json_safe, for plain papers and hostile ones alike."""
    from digest_tui import cli
    from digest_tui.core.loading.session import load
    from digest_tui.core.paths import demo_dir

    page = tmp_path / "day.txt"
    page.write_text(
        "2606.00001 2026-06-18 cs.CL\n\nEvil \x9b31m \u202eRLO\u202c \x7f \"quoted\" back\\slash\n\nAnn Author\n\n"
        "详情\nAI中文摘要\n\n第一段。\n\n第二段\u2028。\n\n英文摘要\n\nFirst.\n\nSecond.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(cli, "BATCH", 3)  # many pieces
    assert main(["dump", "--demo", str(page)]) == 0
    out = capsysbinary.readouterr().out
    store, _ = load([str(page), str(demo_dir())])
    encode = json.JSONEncoder(ensure_ascii=False).encode
    objects = [cli.json_safe(encode(cli.paper_json(store.papers[row]))) for row in store.ordered("date")]
    assert len(objects) > 20 and any("\\u202e" in obj for obj in objects)
    assert out == ("[\n" + ",\n".join(objects) + "\n]\n").encode("utf-8")


def test_dump_of_nothing_matching_is_an_empty_array(capsys):
    assert main(["dump", "--demo", "--query", "title:nosuchwordanywhere"]) == 0
    assert capsys.readouterr().out == "[]\n"


def test_a_failed_write_to_standard_output_is_one_line_not_a_traceback():
    import os

    if not os.path.exists("/dev/full"):
        import pytest

        pytest.skip("no /dev/full on this system to fill standard output")
    for args in (["dump", "--demo"], ["export", "-q", "date>=1900", "-f", "json", "--demo"],
                 ["export", "-q", "date>=1900", "-f", "bib", "--demo"]):  # fmt: skip
        with open("/dev/full", "wb") as full:
            done = subprocess.run([sys.executable, "-m", "digest_tui", *args], stdout=full, stderr=subprocess.PIPE,
                                  text=True, timeout=120)
        assert done.returncode == 1, args
        assert done.stderr.splitlines()[-1] == "digest-tui: cannot write to standard output: No space left on device"
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_dump_of_every_fixture_format_and_a_hostile_file_name_is_the_reference_bytes(tmp_path, capsysbinary, monkeypatch):
    """Every format the fixtures hold (AI sections, several sources a paper, no id), and a file
    whose name carries a bidi override and a CSI, through chunks small enough that some hold an
    escape and some none: the bytes are paper_json's through json.dumps and json_safe, paper by paper."""
    import shutil

    from digest_tui import cli
    from digest_tui.core.loading.session import load

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    folder = tmp_path / "digests"
    shutil.copytree(fixtures, folder)
    hostile = folder / "ai\u202eevil\x9b[2J-2026-07-02_AI_enhanced_Chinese.jsonl"
    shutil.copy(fixtures / "fmt-ai-enhanced-2026-07-02_AI_enhanced_Chinese.jsonl", hostile)
    monkeypatch.setattr(cli, "BATCH", 2)
    assert main(["dump", str(folder)]) == 0
    out = capsysbinary.readouterr().out
    store, _ = load([str(folder)])
    encode = json.JSONEncoder(ensure_ascii=False).encode
    objects = [cli.json_safe(encode(cli.paper_json(store.papers[row]))) for row in store.ordered("date")]
    assert len(objects) > 50
    assert any(paper.ai_sections for paper in store.papers) and any(len(paper.sources) > 1 for paper in store.papers)
    assert sum("\\u202eevil\\u009b[2J" in obj for obj in objects) >= 1 and sum("\\u" in obj for obj in objects) < len(objects)
    assert out == ("[\n" + ",\n".join(objects) + "\n]\n").encode("utf-8")
    assert [paper["id"] for paper in json.loads(out)] == [store.papers[row].id for row in store.ordered("date")]


def test_the_program_writes_what_main_writes_then_ends_at_once(capsysbinary):
    """Run as the program, `dump` and `export` end the process once the output is flushed
    (cli.end_at_once): every byte is out, and the exit status is main()'s."""
    for args in (["dump", "--demo"], ["export", "-q", "date>=1900", "-f", "json", "--demo"],
                 ["export", "-q", "date>=1900", "-f", "bib", "--demo"]):  # fmt: skip
        assert main(args) == 0
        expected = capsysbinary.readouterr().out
        done = subprocess.run([sys.executable, "-m", "digest_tui", *args], capture_output=True, timeout=120)
        assert done.returncode == 0 and done.stderr == b"", args
        assert done.stdout == expected and len(expected) > 10_000, args
    done = subprocess.run([sys.executable, "-m", "digest_tui", "export", "-q", "title:nosuchword", "-f", "json", "--demo"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 1 and done.stderr.startswith("digest-tui: nothing to export")


def test_a_reader_that_stops_early_is_no_error(tmp_path):
    """`digest-tui dump | head -c 100`: the pipe closes under the writer; the status stays 0, no traceback."""
    script = f"{sys.executable} -m digest_tui dump --demo | head -c 100 > {tmp_path / 'head'}; echo ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "0" and done.stderr == ""
    assert (tmp_path / "head").read_bytes().startswith(b'[\n{"id": ')


def test_main_called_from_code_holds_no_store_afterwards_and_keeps_collecting(capsys):
    """The program keeps what dump and export loaded until it ends at once (and collects no
    cycles meanwhile); main() called with arguments, as here, lets go of it and changes no setting."""
    import gc

    from digest_tui import cli

    for args in (["dump", "--demo"], ["export", "-q", "date>=1900", "-f", "json", "--demo"]):
        assert main(args) == 0
        assert cli._kept == [] and gc.isenabled(), args
    assert capsys.readouterr().out.count('"id": ') > 20


def test_dump_query_type_picks_a_listings_new_cross_listed_and_replaced_papers(shared_digests, capsys):
    # the 2026-01-23 cs mailing: 382 entries, 157 under "replaced with revised version" (17 of them
    # cross-listed), 126 marked (*cross-listing*), so 109 cross-lists and 116 new (counted in the file)
    email = str(shared_digests / "arxiv-listing-email-2026-01-23-cs.txt")
    counts = {}
    for query in ("type:new", "type:cross", "type:repl", "-type:repl"):
        assert main(["dump", "--query", query, email]) == 0
        papers = json.loads(capsys.readouterr().out)
        counts[query] = len(papers)
        assert {paper["announce_type"] for paper in papers} == (
            {"new", "cross-list"} if query == "-type:repl" else {query.split(":")[1].replace("cross", "cross-list").replace("repl", "replacement")})
    assert counts == {"type:new": 116, "type:cross": 109, "type:repl": 157, "-type:repl": 225}
