"""The head start's stream (loading/stream.py): a first file bigger than the head start writes
into the cache is parsed by the forked copy and sent a batch at a time; the load takes the batches
as they come, and parses the rest itself when the copy stops sending. Whatever happens, the store
ends as a load without a head start leaves it."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from support.archive import repeated_listing
from support.fresh_python import run_json

from digest_tui.core.loading import stream
from digest_tui.core.loading.cache import stamp_of
from digest_tui.core.loading.session import LoadSession
from digest_tui.core.model import folded_title
from digest_tui.core.parsers import DigestError, arxiv_email
from digest_tui.core.parsers.batched import BatchedFile

pytestmark = pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="the stream is a memfd: Linux only")

SEPARATOR = "-" * 78


@pytest.fixture
def listing(fixtures, tmp_path) -> Path:
    """The fixture listing e-mail (5 entries) with its first entry listed again at the end, with
    another abstract and one more category: a paper the stream sends twice, merged."""
    text = (fixtures / "fmt-arxiv-email.txt").read_text(encoding="utf-8")
    first = text.index("\\\\\narXiv:")
    entry = text[first : text.index("\n" + SEPARATOR, first) + 1]
    again = entry.replace("\\\\\n  Retrieval", "\\\\\n  Listed again. Retrieval", 1)
    again = again.replace("Categories: cs.CL cs.IR", "Categories: cs.CL cs.IR cs.DL", 1)
    assert again.count("cs.DL") == 1 and "Listed again." in again
    path = tmp_path / "listing.txt"
    path.write_text(text.rstrip("\n") + "\n" + SEPARATOR + "\n" + again + SEPARATOR + "\n", encoding="utf-8")
    return path


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(arxiv_email, "BATCH_ENTRIES", 2)  # batches of 1 (the first), then 2


class Channel:
    """The pipe and the shared file of a stream, written by send() in this process."""

    def __init__(self) -> None:
        self.records, self.records_in = os.pipe()
        self.shared = os.memfd_create("test stream")
        self.stopped = 0

    def stop(self) -> None:
        self.stopped += 1

    def open(self, path: Path, stamp=None, wait: float = 2.0) -> stream.Streamed | None:
        stamp = stamp or stamp_of(os.stat(path))
        return stream.Streamed.open(self.records, self.shared, str(path), stamp, wait, self.stop)

    def close(self) -> None:
        for descriptor in (self.records, self.records_in, self.shared):
            try:
                os.close(descriptor)
            except OSError:
                pass


@pytest.fixture
def channel():
    made = Channel()
    yield made
    made.close()


def sent(channel: Channel, path: Path, keep: int | None = None) -> None:
    """send() of the file; with `keep`, only its first `keep` records reach the pipe (then it closes)."""
    if keep is None:
        stream.send(str(path), stamp_of(os.stat(path)), channel.records_in, channel.shared)
    else:
        reading, writing = os.pipe()
        stream.send(str(path), stamp_of(os.stat(path)), writing, channel.shared)
        os.close(writing)
        records = os.read(reading, 1 << 16)
        os.close(reading)
        os.write(channel.records_in, records[: keep * stream.RECORD.size])
    os.close(channel.records_in)
    channel.records_in = -1


def test_the_batches_received_give_what_the_file_parsed_here_gives(listing, channel, small_batches):
    sent(channel, listing)
    streamed = channel.open(listing)
    assert streamed is not None
    batches = list(streamed)
    here = BatchedFile(str(listing))
    expected = list(here)
    # all were sent before the first was taken: the whole file comes as one batch
    assert [len(firsts) for firsts, _again, _titles in batches] == [5]
    assert streamed.whole
    assert [p for firsts, _, _ in batches for p in firsts] == [p for firsts, _ in expected for p in firsts]
    assert [p for _, again, _ in batches for p in again] == [p for _, again in expected for p in again]
    assert len([p for _, again, _ in batches for p in again]) == 1  # the entry listed again
    # each first listing's folded title, as the store would work it out
    assert [t for _, _, titles in batches for t in titles] == [folded_title(p) for f, _ in expected for p in f]
    assert streamed.result.papers == here.result.papers
    first = streamed.result.papers[0]
    assert first.categories == ("cs.CL", "cs.IR", "cs.DL")  # merged, as parse_file does
    assert "Listed again." not in first.abstract_en
    assert (streamed.result.format, streamed.result.warnings) == (here.result.format, here.result.warnings)
    assert streamed.result.papers[0].sources == ((str(listing), "arxiv-email"),)
    assert channel.stopped == 0


def test_batches_sent_while_they_are_taken_come_as_sent(listing, channel, small_batches):
    taken: list[int] = []
    first_taken = threading.Event()
    streamed = None

    def take() -> None:
        nonlocal streamed
        streamed = channel.open(listing)
        for firsts, _again, _titles in streamed:
            taken.append(len(firsts))
            first_taken.set()

    reading, writing = os.pipe()
    stream.send(str(listing), stamp_of(os.stat(listing)), writing, channel.shared)
    os.close(writing)
    records = os.read(reading, 1 << 16)
    os.close(reading)
    reader = threading.Thread(target=take)
    reader.start()
    size = stream.RECORD.size
    os.write(channel.records_in, records[: 2 * size])  # the file's record and its first batch only, so far
    assert first_taken.wait(10)
    os.write(channel.records_in, records[2 * size :])  # then the rest
    os.close(channel.records_in)
    channel.records_in = -1
    reader.join(10)
    assert not reader.is_alive()
    assert taken == [1, 4]  # the first alone (the rest still to come), then the rest as one
    here = BatchedFile(str(listing))
    list(here)
    assert streamed.result.papers == here.result.papers and streamed.whole


def test_a_copy_that_stops_sending_leaves_the_rest_to_be_parsed_here(listing, channel, small_batches):
    sent(channel, listing, keep=2)  # the file's record and its first batch, then the pipe closes
    streamed = channel.open(listing)
    batches = list(streamed)
    here = BatchedFile(str(listing))
    expected = list(here)
    # the first from the copy, the others parsed here (their titles left to the store)
    assert [(firsts, again) for firsts, again, _titles in batches] == expected
    assert batches[0][2] == [folded_title(batches[0][0][0])] and batches[1][2] is None
    assert streamed.result.papers == here.result.papers
    assert channel.stopped == 1


def test_a_copy_stuck_is_stopped_after_the_wait(listing, channel, small_batches):
    sent_records = os.pipe()
    stream.send(str(listing), stamp_of(os.stat(listing)), sent_records[1], channel.shared)
    os.close(sent_records[1])
    records = os.read(sent_records[0], 1 << 16)
    os.close(sent_records[0])
    os.write(channel.records_in, records[: 2 * stream.RECORD.size])  # and the pipe stays open: stuck
    streamed = channel.open(listing, wait=0.2)
    papers = [p for firsts, _, _ in streamed for p in firsts]
    assert len(papers) == 5 and channel.stopped == 1


def test_a_file_that_cannot_be_parsed_fails_as_it_does_here(fixtures, channel):
    path = fixtures / "not-a-digest.txt"
    sent(channel, path)
    streamed = channel.open(path)
    with pytest.raises(DigestError) as failed:
        list(streamed)
    with pytest.raises(DigestError) as here:
        list(BatchedFile(str(path)))
    assert str(failed.value) == str(here.value) == "not a digest in any known format"


def test_a_stream_of_another_version_of_the_file_is_refused(listing, channel):
    sent(channel, listing)
    stamp = stamp_of(os.stat(listing))
    assert channel.open(listing, stamp=(stamp[0] + 1, *stamp[1:])) is None
    assert channel.stopped == 1


def test_no_stream_when_the_copy_sends_nothing(listing, channel):
    os.close(channel.records_in)
    channel.records_in = -1
    assert channel.open(listing) is None
    assert channel.stopped == 0


RUN = """
import json, os, sys
from pathlib import Path
from digest_tui.core.loading import loader, stream
from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.session import LoadSession
from digest_tui.core.model import folded_title
from digest_tui.core.parsers import arxiv_email

path, cache_root, case = sys.argv[1:4]
loader.HEAD_START_BYTES = 10  # the listing is "big": streamed
arxiv_email.BATCH_ENTRIES = 2
if case == "dies":  # the copy ends after its first batch
    sent = stream._rows
    calls = []
    def rows(papers):
        calls.append(1)
        if len(calls) > 2:
            os._exit(0)
        return sent(papers)
    stream._rows = rows
if case == "cut":  # a big file, cut: the copy sends its first part, the pool reads the others
    from digest_tui.core.parsers import batched
    batched.FIRST_PART_BYTES = 300_000
    loader.CUT_MIN_BYTES = 1_000_000
    loader.PART_BYTES = 250_000
cache = ParseCache(Path(cache_root))
paths = [path]
if case == "two":  # a second file after the streamed one
    second = Path(path).with_name("zz-second.txt")
    second.write_bytes(Path(path).read_bytes())
    paths = [str(Path(path).parent)]
session = LoadSession(paths, cache=cache).find_in_background()
if case in ("whole", "two"):  # the copy has sent all it will and ended: the load finds the whole file there
    import select
    from digest_tui.core.loading import session as sessions
    sessions.BIG_FILE_BYTES = 10  # reported as it comes, as a listing of megabytes is
    select.select([session._head_start._done], [], [], 30)
import digest_tui.core.parsers  # noqa: what the copy will have imported by then, so as to say below whether this process parsed
parsed_here = []
from digest_tui.core.parsers import batched
first_parts_here = []
part_text = batched._part_text
def counted_part_text(path, parts, index):
    if index == 0:
        first_parts_here.append(1)
    return part_text(path, parts, index)
batched._part_text = counted_part_text
class Counted(batched.BatchedFile):
    def __iter__(self):
        parsed_here.append(1)
        return super().__iter__()
batched.BatchedFile = Counted
pauses = []
for _event in session.load(pause=lambda: pauses.append(1)):
    pass
for _step in session.finish(index=False):
    pass
store = session.store
out = {
    "papers": [[p.key, p.title_en, p.abstract_en] for p in store.papers],
    "parsed_here": len(parsed_here),
    "cached": cache.get(path, os.stat(path)) is not None,
    "problems": [str(p) for p in session.report.problems],
    "pauses": len(pauses),
    "first_parts_here": len(first_parts_here),
}
print(json.dumps(out))
"""


def run(path: Path, cache: Path, case: str) -> dict:
    return run_json(RUN, path, cache, case)


def plain(path: Path) -> list[list]:
    session = LoadSession([path])
    session.run()
    return [[p.key, p.title_en, p.abstract_en] for p in session.store.papers]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the head start forks: Linux only")
def test_a_load_of_a_streamed_file_gives_the_papers_of_a_load_without(listing, tmp_path):
    out = run(listing, tmp_path / "cache", "stream")
    assert out["papers"] == plain(listing)
    assert len(out["papers"]) == 5 and out["problems"] == []
    assert out["parsed_here"] == 0  # the copy parsed it
    assert out["cached"]  # and the load's finishing steps wrote its cache entry


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the head start forks: Linux only")
def test_a_copy_that_dies_mid_stream_costs_the_load_nothing(listing, tmp_path):
    out = run(listing, tmp_path / "cache", "dies")
    assert out["papers"] == plain(listing)
    assert out["parsed_here"] == 1 and out["cached"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the head start forks: Linux only")
def test_a_whole_streamed_file_that_is_the_last_is_not_paused_after(listing, tmp_path):
    # the reader's pause waits for the first paint before heavier work: after the only file, all
    # in the store already, nothing is left but to show the whole list
    out = run(listing, tmp_path / "cache", "whole")
    assert out["papers"] == plain(listing) and out["parsed_here"] == 0
    assert out["pauses"] == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the head start forks: Linux only")
def test_a_streamed_file_with_files_after_it_is_paused_after(listing, tmp_path):
    out = run(listing, tmp_path / "cache", "two")
    assert out["pauses"] == 1
    assert out["parsed_here"] == 1  # the second file
    assert out["papers"] == plain(listing)  # the same papers, listed twice


def long_listing(fixtures: Path, path: Path, copies: int) -> None:
    """The fixture listing with its entries repeated `copies` times under fresh ids: a file big
    enough to be cut into parts (parsers.batched) once the sizes are made small."""
    repeated_listing(fixtures / "fmt-arxiv-email.txt", path, copies)


@pytest.fixture
def cut_listing(fixtures, tmp_path, monkeypatch):
    """A listing of 2,500 papers (about 1.2 MB) and its parts: a first part of about 300 KB, then parts of 250 KB."""
    from digest_tui.core.parsers import batched

    path = tmp_path / "long.txt"
    long_listing(fixtures, path, 500)
    monkeypatch.setattr(batched, "FIRST_PART_BYTES", 300_000)
    parts = batched.plan_parts(str(path), path.stat().st_size, 250_000)
    assert parts is not None and len(parts) >= 4
    return path, parts


def rest_of(path: Path, parts, first) -> BatchedFile:
    """What the load reads after a first part read elsewhere: the other parts, as the parsing processes read them."""
    from digest_tui.core.parsers import batched

    later = (batched.read_part(str(path), parts, index) for index in range(1, len(parts)))
    return BatchedFile(str(path), parts, later, first=first)


def test_a_cut_file_is_sent_as_far_as_its_first_part_and_the_rest_reads_on_from_there(cut_listing, channel):
    from digest_tui.core.parsers import batched, parse_file

    path, parts = cut_listing
    stream.send(str(path), stamp_of(os.stat(path)), channel.records_in, channel.shared, parts)
    os.close(channel.records_in)
    channel.records_in = -1
    streamed = channel.open(path)
    assert streamed.parts == (parts.cuts, parts.format, parts.context, parts.checked)
    batches = list(streamed)
    # all of the first part was sent before it was taken: its first batch still comes alone, the rest as one
    alone = arxiv_email.BATCH_ENTRIES // 4  # the parser's first batch
    assert [len(firsts) for firsts, _again, _titles in batches] == [alone, len(streamed.first[0]) - alone]
    first = [paper for firsts, again, _titles in batches for paper in firsts + again]
    assert streamed.result is None and not streamed.whole  # the rest is the load's to read
    assert streamed.parts[3] is True  # the copy looked: UTF-8 throughout
    assert len(first) == len(streamed.first[0]) and 0 < len(first) < 2500
    rest = rest_of(path, batched.Parts(*streamed.parts), streamed.first)
    later = [paper for firsts, again in rest for paper in firsts + again]
    whole = parse_file(str(path))
    assert first + later == whole.papers and len(whole.papers) == 2500
    assert rest.result.papers == whole.papers and rest.result.warnings == whole.warnings
    assert all(paper.sources == whole.papers[0].sources for paper in first + later)


def test_a_copy_that_stops_in_the_first_part_leaves_the_rest_of_it_to_be_read_here(cut_listing, channel):
    from digest_tui.core.parsers import batched, parse_file

    path, parts = cut_listing
    reading, writing = os.pipe()
    stream.send(str(path), stamp_of(os.stat(path)), writing, channel.shared, parts)
    os.close(writing)
    records = os.read(reading, 1 << 16)
    os.close(reading)
    os.write(channel.records_in, records[: 2 * stream.RECORD.size])  # the file's record and its first batch
    os.close(channel.records_in)
    channel.records_in = -1
    streamed = channel.open(path)
    first = [paper for firsts, again, _titles in streamed for paper in firsts + again]
    assert channel.stopped == 1 and streamed.first is not None
    rest = rest_of(path, batched.Parts(*streamed.parts), streamed.first)
    later = [paper for firsts, again in rest for paper in firsts + again]
    assert first + later == parse_file(str(path)).papers


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the head start forks: Linux only")
def test_a_load_of_a_cut_file_takes_its_first_part_from_the_copy(fixtures, tmp_path):
    path = tmp_path / "long.txt"
    long_listing(fixtures, path, 500)
    out = run(path, tmp_path / "cache", "cut")
    assert out["papers"] == plain(path) and len(out["papers"]) == 2500 and out["problems"] == []
    assert out["first_parts_here"] == 0  # the copy's
    assert out["parsed_here"] == 1  # the rest, read on from the copy's first part (by the pool)
    assert out["cached"]


def test_a_cut_file_that_is_not_utf8_after_its_first_part_reads_as_the_whole_file_does(cut_listing, channel):
    # a byte that is not UTF-8 late in the file: the whole file is GB18030 (as decode() reads it),
    # which the copy says; the load reads the rest so (its first part is ASCII: the same either way)
    from digest_tui.core.parsers import batched, parse_file

    path, _parts = cut_listing
    data = path.read_bytes()
    assert data[:300_000].isascii()
    path.write_bytes(data[:-2000] + "Gödel".encode("latin-1") + data[-2000:])
    parts = batched.plan_parts(str(path), path.stat().st_size, 250_000)
    assert parts is not None and not parts.checked
    stream.send(str(path), stamp_of(os.stat(path)), channel.records_in, channel.shared, parts)
    os.close(channel.records_in)
    channel.records_in = -1
    streamed = channel.open(path)
    first = [paper for firsts, again, _titles in streamed for paper in firsts + again]
    assert streamed.parts[3] is False
    rest = rest_of(path, batched.Parts(*streamed.parts), streamed.first)
    later = [paper for firsts, again in rest for paper in firsts + again]
    whole = parse_file(str(path))
    assert first + later == whole.papers and rest.result.warnings == whole.warnings
    assert sum("Gödel".encode("latin-1").decode("gb18030") in repr(paper) for paper in later) == 1
