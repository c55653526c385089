"""A listing e-mail read a batch of papers at a time by the load session: papers in the store (and
reported) while the rest is read, and in the end the same store as the whole file parsed at once."""

from __future__ import annotations

import gc
import shutil

import pytest
from support.archive import repeated_listing

from digest_tui.core.loading import snapshot
from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.loader import find_files
from digest_tui.core.loading.session import FilesFound, FilesRead, LoadDone, LoadSession
from digest_tui.core.parsers import arxiv_email, parse_file
from digest_tui.core.store import Store

MAILING = "arxiv-listing-email-2026-01-23-cs.txt"


@pytest.fixture
def listing(shared_digests, tmp_path):
    """The real cs mailing with its first entry listed again at the end (other words in its
    abstract), and the other real sample beside it: one folder."""
    folder = tmp_path / "mail"
    folder.mkdir()
    text = (shared_digests / MAILING).read_text(encoding="utf-8")
    first = text.index("\\\\\narXiv:")
    entry = text[first : text.index("\n" + "-" * 78, first) + 1]
    again = entry.replace("\\\\\n  ", "\\\\\n  Listed again. ", 1)
    (folder / "a-mailing.txt").write_text(text.rstrip("\n") + "\n" + "-" * 78 + "\n" + again + "-" * 78 + "\n", encoding="utf-8")
    shutil.copy(shared_digests / "arxiv-listing-email-sample.txt", folder / "b-sample.txt")
    return folder


def whole_store(folder) -> Store:
    """The papers of each file parsed at once, added file by file: what a load gave before batches."""
    store = Store()
    for path in sorted(folder.iterdir()):
        store.add(parse_file(str(path)).papers)
    return store


def test_a_listing_read_in_batches_is_in_the_store_as_it_comes_and_whole_at_the_end(listing, tmp_path, monkeypatch):
    from digest_tui.core.loading import cache as cache_module

    monkeypatch.setattr(arxiv_email, "BATCH_ENTRIES", 7)
    # the entry's texts written a piece at a time, as a big file's are (read back whole below)
    monkeypatch.setattr(cache_module, "PIECES_FROM", 100)
    monkeypatch.setattr(cache_module, "TEXTS_PER_PIECE", 64)
    cache = ParseCache(tmp_path / "cache")
    session = LoadSession([listing], cache=cache)
    seen: list[tuple[type, int, int]] = []
    paused: list[int] = []
    for event in session.load(batch_seconds=0, pause=lambda: paused.append(len(session.store))):
        seen.append((type(event), getattr(event, "files", -1), len(session.store)))
    for _step in session.finish(index=False):
        pass
    whole = whole_store(listing)
    total = len(whole)
    mailing = len(parse_file(str(listing / "a-mailing.txt")).papers)
    assert total == mailing + 40 and mailing == 382  # the paper listed twice is one paper
    # the mailing's papers are reported while it is still being read (no file done yet), 7 more each time
    during = [papers for kind, files, papers in seen if kind is FilesRead and files == 0]
    assert len(during) > 40 and during == sorted(during) and 0 < during[0] < during[-1] < mailing
    assert paused and paused[0] == during[0]  # the reader's first paint is let through after the first report
    assert seen[0][0] is FilesFound and seen[-1][:3] == (LoadDone, 2, total)
    # the end is the whole parse: the same papers, in the same rows, the same order, counted once
    assert session.store.papers == whole.papers
    assert session.store.ordered("date") == whole.ordered("date")
    assert session.report.papers == total and session.report.files == 2 and session.report.problems == []
    # each paper lands once for its file (the load snapshot is written, and a warm start reads it back)
    assert snapshot.read_snapshot(cache, [str(listing)], find_files([listing])[0]) is not None
    warm = LoadSession([listing], cache=cache)
    warm.run()
    assert [warm.store.paper(row) for row in warm.store.ordered("date")] == [whole.paper(row) for row in whole.ordered("date")]
    assert gc.isenabled()


def test_a_listing_that_fails_half_way_is_a_problem_and_the_load_goes_on(listing, monkeypatch):
    monkeypatch.setattr(arxiv_email, "BATCH_ENTRIES", 50)
    real = arxiv_email._entry
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) == 120:
            raise ValueError("a parser bug")
        return real(*args)

    monkeypatch.setattr(arxiv_email, "_entry", failing)
    session = LoadSession([listing])
    events = list(session.load(batch_seconds=0))
    session.close()
    assert isinstance(events[-1], LoadDone)
    problems = [str(problem) for event in events[1:] for problem in event.problems]
    assert problems == [
        f"{listing / 'a-mailing.txt'}: looks like arxiv-email but could not be parsed (ValueError: a parser bug)"
    ]
    # the batches read before the failure (12, the first a quarter, then 50 and 50) stay; the next file is read whole
    assert session.report.files == 1 and len(session.store) == 12 + 50 + 50 + 40


def big_listing(shared_digests, path, copies: int) -> None:
    """The real cs mailing with its entries repeated `copies` times under fresh ids (as bench/email_parse.py builds it)."""
    repeated_listing(shared_digests / MAILING, path, copies)


def test_a_big_listing_cut_at_its_entries_reads_as_one_piece(shared_digests, tmp_path, monkeypatch):
    """Cut where the parts should be, each cut moves on to the next line of 78 dashes: no entry is
    split, every part after the first knows the listing's date, and the parts' papers and
    warnings, read apart (as the parsing processes read them), are the whole file's."""
    from digest_tui.core.parsers import batched

    path = tmp_path / "big.txt"
    big_listing(shared_digests, path, 4)
    size = path.stat().st_size
    monkeypatch.setattr(batched, "FIRST_PART_BYTES", 300_000)
    parts = batched.plan_parts(str(path), size, 250_000)
    assert parts is not None and parts.format == "arxiv-email" and parts.context == ("2026-01-23",)
    data = path.read_bytes()
    assert parts.cuts[0] == 0 and parts.cuts[-1] == size and len(parts) >= 6
    for cut in parts.cuts[1:-1]:  # each at the start of a separator line, right after the target it was moved from
        assert data[cut - 1 : cut + 79] == b"\n" + b"-" * 78 + b"\n"
    assert parts.cuts[1] == data.index(b"\n" + b"-" * 78 + b"\n", 300_000 - 1) + 1  # the target fell inside an entry
    later = (batched.read_part(str(path), parts, index) for index in range(1, len(parts)))
    reading = batched.BatchedFile(str(path), parts, later)
    given = [paper for firsts, again in reading for paper in firsts + again]
    whole = parse_file(str(path))
    assert reading.result.papers == whole.papers and reading.result.warnings == whole.warnings == []
    assert given == whole.papers and len(whole.papers) == 4 * 382
    assert {paper.date for paper in given} == {"2026-01-23"} and len({id(paper.sources) for paper in given}) == 1


def test_a_big_listing_is_read_by_the_parsing_processes_in_parts(shared_digests, tmp_path, monkeypatch):
    from digest_tui.core.loading import loader
    from digest_tui.core.parsers import batched

    folder = tmp_path / "mail"
    folder.mkdir()
    big_listing(shared_digests, folder / "big.txt", 4)
    monkeypatch.setattr(batched, "FIRST_PART_BYTES", 300_000)
    monkeypatch.setattr(loader, "CUT_MIN_BYTES", 1_000_000)
    monkeypatch.setattr(loader, "PART_BYTES", 400_000)
    monkeypatch.setattr(loader, "usable_cpus", lambda: 2)
    read_parts = []
    real = loader._parts_read

    def parts_read(path, parts, started_pool):
        read_parts.append(len(parts))
        return real(path, parts, started_pool)

    monkeypatch.setattr(loader, "_parts_read", parts_read)
    cache = ParseCache(tmp_path / "cache")
    session = LoadSession([folder], cache=cache)
    counts = [len(session.store) for event in session.load(batch_seconds=0) if isinstance(event, FilesRead)]
    for _step in session.finish(index=False):
        pass
    whole = whole_store(folder)
    assert read_parts and read_parts[0] >= 4  # cut, the parts after the first given to the pool
    assert counts and 0 < counts[0] < len(whole)  # papers in the store before the last part is read
    assert session.store.papers == whole.papers and session.report.papers == len(whole) == 4 * 382
    warm = LoadSession([folder], cache=cache)
    warm.run()
    assert [warm.store.paper(row) for row in range(len(warm.store))] == whole.papers


def test_a_listing_not_utf8_throughout_reads_as_one_piece_would_and_a_quoted_one_is_not_cut(shared_digests, tmp_path, monkeypatch):
    """A byte that is not UTF-8 late in the file makes the whole file GB18030 (as decode() reads a
    whole file): an ASCII first part reads the same either way, so it is shown first and the rest
    is read here as GB18030; a first part that is not ASCII means no cut at all. A quoted listing
    is not cut either."""
    from digest_tui.core.parsers import batched

    monkeypatch.setattr(batched, "FIRST_PART_BYTES", 300_000)
    path = tmp_path / "big.txt"
    big_listing(shared_digests, path, 2)
    data = path.read_bytes()
    late = tmp_path / "latin1.txt"
    late.write_bytes(data[:-2000] + "Gödel".encode("latin-1") + data[-2000:])
    parts = batched.plan_parts(str(late), late.stat().st_size, 200_000)
    assert parts is not None and not parts.checked
    later = (batched.read_part(str(late), parts, index) for index in range(1, len(parts)))
    reading = batched.BatchedFile(str(late), parts, later)
    given = [paper for firsts, again in reading for paper in firsts + again]
    whole = parse_file(str(late))
    assert given == whole.papers == reading.result.papers and reading.result.warnings == whole.warnings
    gb18030 = "Gödel".encode("latin-1").decode("gb18030")  # how GB18030 reads those bytes
    assert gb18030 != "Gödel" and sum(gb18030 in repr(paper) for paper in given) == 1
    early = tmp_path / "early.txt"
    early.write_bytes(data[:1000].replace(b"Artificial", "Artificiél".encode()) + data[1000:-2000] + b"\xe9" + data[-2000:])
    assert batched.plan_parts(str(early), early.stat().st_size, 200_000) is None
    quoted = "\n".join("> " + line for line in data.decode().split("\n"))
    (tmp_path / "quoted.txt").write_text(quoted, encoding="utf-8")
    assert batched.plan_parts(str(tmp_path / "quoted.txt"), len(quoted.encode()), 200_000) is None
    parts = batched.plan_parts(str(path), len(data), 200_000)
    assert parts is not None and not parts.checked  # ASCII: looked at after the first part


def test_parse_file_reads_a_big_listing_a_part_at_a_time_as_the_whole_text_reads(shared_digests, tmp_path, monkeypatch):
    """parse_file() of a listing too big to hold whole twice (its bytes and its text) reads and
    parses it a part at a time: the same papers, warnings and format as the whole text parsed at
    once; a file that cannot be cut (quoted) is read whole."""
    import datetime as dt

    from digest_tui.core import parsers
    from digest_tui.core.parsers import batched

    path = tmp_path / "big.txt"
    big_listing(shared_digests, path, 4)
    text = path.read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"  # ends inside its last character, and in the middle of an entry
    cut.write_bytes(path.read_bytes()[: len(text) // 2] + "é".encode()[:1])
    quoted = tmp_path / "quoted.txt"
    quoted.write_text("\n".join("> " + line for line in text.split("\n")), encoding="utf-8")
    late = tmp_path / "latin1.txt"  # a byte that is not UTF-8 in its last part: the whole file is GB18030
    data = path.read_bytes()
    late.write_bytes(data[:-2000] + "Gödel".encode("latin-1") + data[-2000:])
    monkeypatch.setattr(parsers, "IN_PARTS_BYTES", 500_000)
    monkeypatch.setattr(batched, "FIRST_PART_BYTES", 300_000)
    monkeypatch.setattr(batched, "PART_BYTES", 250_000)
    parts_read = []
    real = batched._part_text
    monkeypatch.setattr(batched, "_part_text", lambda *args: parts_read.append(args[2]) or real(*args))
    for file, expected_parts in ((path, True), (cut, True), (quoted, False), (late, True)):
        parts_read.clear()
        result = parse_file(str(file))
        whole_text, was_cut, info = parsers.read_text(str(file))
        whole = parsers.parse_read(str(file), whole_text, was_cut, dt.date.fromtimestamp(info.st_mtime))
        assert (result.papers, result.warnings, result.format) == (whole.papers, whole.warnings, whole.format)
        assert (len(parts_read) >= 4) is expected_parts, file.name
    gb18030 = "Gödel".encode("latin-1").decode("gb18030")
    assert sum(gb18030 in repr(paper) for paper in result.papers) == 1 and len(result.papers) == 4 * 382
    cut_result = parse_file(str(cut))
    assert cut_result.warnings[0].startswith("the file ends inside a character")
