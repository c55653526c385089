"""Load snapshots: a load from one gives exactly the store a load file by file gives, and one is
used only for files that are, in order, unchanged; anything else falls back to file by file."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from support.app_support import demo_app, detail_text, press, shown_keys, started, status_text, type_text

from digest_tui.core.loading import snapshot
from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.loader import find_files
from digest_tui.core.loading.session import FilesRead, LoadSession, load
from digest_tui.core.paths import demo_dir
from digest_tui.screens.main import MainScreen
from digest_tui.core.model import SORTS

SHARED_DIGESTS = Path(__file__).resolve().parents[2].parent / "shared" / "digests"


def everything(store) -> dict:
    """All a store holds that a load decides (texts filled in first)."""
    while store.fill_texts(files=64):
        pass
    state = store.state()  # what a snapshot keeps of it: the keys, titles and files that lead to rows
    return {
        "papers": list(store.papers),
        "title_keys": state.title_keys,
        "by_key": {**{paper.key: row for row, paper in enumerate(store.papers)}, **dict(state.other_keys)},
        "by_title": dict(state.titles),
        "landed": state.landed,
        "orders": {sort: store.ordered(sort) for sort in SORTS},
    }


def used_snapshot(folder: Path, cache: ParseCache) -> bool:
    return snapshot.read_snapshot(cache, [str(folder)], find_files([str(folder)])[0]) is not None


def file_by_file(folder: Path, tmp_path: Path):
    """The same folder loaded with no snapshot (and a parse cache of its own)."""
    store, report = load([str(folder)], cache=ParseCache(tmp_path / "plain-cache"))
    return everything(store), report


@pytest.fixture
def digests(tmp_path) -> Path:
    """The demo digests (papers on both sites merge), with the real pages when ../shared is there."""
    folder = tmp_path / "digests"
    shutil.copytree(demo_dir(), folder)
    if SHARED_DIGESTS.is_dir():
        shutil.copytree(SHARED_DIGESTS, folder / "shared")
    return folder


def test_a_load_from_the_snapshot_is_the_load_file_by_file(digests, tmp_path):
    cache = ParseCache(tmp_path / "cache")
    assert not used_snapshot(digests, cache)
    first, first_report = load([str(digests)], cache=cache)
    assert used_snapshot(digests, cache)
    again, report = load([str(digests)], cache=ParseCache(tmp_path / "cache"))
    assert again.texts_pending is False  # load() fills the texts in from the entries
    expected, expected_report = file_by_file(digests, tmp_path)
    assert everything(again) == expected == everything(first)
    assert len(again) >= 33
    assert (report.files, report.papers, [str(p) for p in report.problems]) == (
        expected_report.files, expected_report.papers, [str(p) for p in expected_report.problems])
    merged = [paper for paper in again.papers if len(paper.sources) > 1]
    assert merged, "the demo has papers on both sites: the snapshot must bring their merge back"


def test_lookups_written_in_many_pieces_give_the_same_load(digests, tmp_path, monkeypatch):
    """The lookups are marshalled, read and checked LOOKUP_PIECE entries at a time (a call holds
    the GIL): pieces of three give the same store as the load file by file."""
    monkeypatch.setattr(snapshot, "LOOKUP_PIECE", 3)
    cache = ParseCache(tmp_path / "cache")
    load([str(digests)], cache=cache)
    found = snapshot.read_snapshot(cache, [str(digests)], find_files([str(digests)])[0])
    assert found is not None
    other_keys, titles, landed, date_order = found.lookups
    assert len(titles) > 3 and len(date_order) > 3 and len(landed) > 1
    again, _report = load([str(digests)], cache=ParseCache(tmp_path / "cache"))
    assert everything(again) == file_by_file(digests, tmp_path)[0]


def test_a_new_file_after_the_snapshot_files_is_merged_into_them(digests, tmp_path):
    cache = ParseCache(tmp_path / "cache")
    load([str(digests)], cache=cache)
    # a second copy of a page, sorting last: every paper in it merges into rows from the snapshot
    page = sorted(demo_dir().iterdir())[0]
    shutil.copy(page, digests / f"zz-{page.name}")
    assert used_snapshot(digests, cache)
    store, _ = load([str(digests)], cache=ParseCache(tmp_path / "cache"))
    assert everything(store) == file_by_file(digests, tmp_path)[0]
    assert any(str(digests / f"zz-{page.name}") in {s.file for s in paper.sources} for paper in store.papers)


def test_every_key_leads_to_its_row_as_soon_as_a_load_from_the_snapshot_is_done(digests, tmp_path):
    """The snapshot's keys go into the store's key lookup on its first use (Store.extend): right
    after LoadDone, before any finishing step, every key finds the row a load file by file gives it."""
    load([str(digests)], cache=ParseCache(tmp_path / "cache"))
    session = LoadSession([str(digests)], cache=ParseCache(tmp_path / "cache"))
    for _event in session.load():
        pass
    plain, _report = load([str(digests)], cache=ParseCache(tmp_path / "plain-cache"))
    keys = {**{paper.key: row for row, paper in enumerate(plain.papers)}, **dict(plain.state().other_keys)}
    assert len(keys) >= 33
    assert {key: session.store.row(key) for key in keys} == keys
    assert session.store.row("2699.99999") is None
    session.close()


@pytest.mark.parametrize("change", ["edited", "removed", "inserted first", "touched"])
def test_a_snapshot_is_not_used_once_one_of_its_files_changed(digests, tmp_path, change):
    cache = ParseCache(tmp_path / "cache")
    load([str(digests)], cache=cache)
    page = sorted(digests.glob("*.txt"))[0]
    if change == "edited":
        page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "removed":
        page.unlink()
    elif change == "inserted first":
        shutil.copy(page, digests / "00-first.txt")
    else:  # same bytes, new modification time
        stamp = page.stat()
        os.utime(page, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000))
    assert not used_snapshot(digests, cache)
    store, _ = load([str(digests)], cache=ParseCache(tmp_path / "cache"))
    assert everything(store) == file_by_file(digests, tmp_path)[0]
    assert used_snapshot(digests, cache)  # written again for what is there now


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "garbage"])
def test_a_damaged_snapshot_is_ignored_and_written_again(digests, tmp_path, damage):
    cache = ParseCache(tmp_path / "cache")
    load([str(digests)], cache=cache)
    [path] = (cache.folder / "loads").iterdir()
    data = path.read_bytes()
    path.write_bytes({
        "truncated": data[: len(data) // 2],
        "flipped": data[:-100] + bytes([data[-100] ^ 1]) + data[-99:],
        "empty": b"",
        "garbage": os.urandom(len(data)),
    }[damage])
    assert not used_snapshot(digests, cache)
    store, _ = load([str(digests)], cache=ParseCache(tmp_path / "cache"))
    assert everything(store) == file_by_file(digests, tmp_path)[0]
    assert used_snapshot(digests, cache)


def test_texts_a_damaged_entry_cannot_give_come_from_the_digest_file(digests, tmp_path):
    cache = ParseCache(tmp_path / "cache")
    load([str(digests)], cache=cache)
    for entry in cache.folder.glob("??/*"):
        data = entry.read_bytes()
        entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # the end of the texts part
    assert used_snapshot(digests, cache)
    store, _ = load([str(digests)], cache=ParseCache(tmp_path / "cache"))
    assert everything(store) == file_by_file(digests, tmp_path)[0]
    assert any(paper.abstract_en for paper in store.papers)


def test_an_entry_gives_its_texts_only_for_the_file_and_version_it_was_made_for(digests, tmp_path):
    """ParseCache.texts (a snapshot's files: no paper made of the rows) checks what get() checks."""
    cache = ParseCache(tmp_path / "cache")
    load([str(digests)], cache=cache)
    first, second = sorted(str(path) for path in Path(digests).iterdir() if path.is_file())[:2]
    texts = cache.texts(first, os.stat(first))
    assert texts is not None and texts == cache.get(first, os.stat(first)).texts
    shutil.copyfile(cache.entry_path(first), cache.entry_path(second))  # another file's entry under its name
    assert cache.texts(second, os.stat(second)) is None and cache.get(second, os.stat(second)) is None
    info = os.stat(first)
    os.utime(first, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))  # a new version of the file
    assert cache.texts(first, os.stat(first)) is None and cache.get(first, os.stat(first)) is None


def test_an_entry_whose_header_names_another_version_gives_no_texts_and_they_come_from_the_file(digests, tmp_path):
    """ParseCache.texts reads the header alone: what it says the entry was made for (made_for)
    must be this path and stamp, else the texts are parsed from the digest file again."""
    from digest_tui.core.loading import cache as cache_module

    cache = ParseCache(tmp_path / "cache")
    load([str(digests)], cache=cache)
    expected = file_by_file(digests, tmp_path)[0]
    at = len(cache_module.MAGIC) + cache_module.HEADER.size - 1  # the last byte of made_for
    for entry in cache.folder.glob("??/*"):
        data = bytearray(entry.read_bytes())
        data[at] ^= 1
        entry.write_bytes(bytes(data))
    paths = sorted(str(path) for path in Path(digests).iterdir() if path.is_file())
    assert all(cache.texts(path, os.stat(path)) is None for path in paths)
    assert cache.get(paths[0], os.stat(paths[0])) is not None  # the papers part still checks out
    assert used_snapshot(digests, cache)
    store, _ = load([str(digests)], cache=ParseCache(tmp_path / "cache"))
    assert everything(store) == expected
    assert any(paper.abstract_en for paper in store.papers)


def test_only_the_newest_snapshots_are_kept(tmp_path):
    cache = ParseCache(tmp_path / "cache")
    for n in range(snapshot.KEEP + 2):
        folder = tmp_path / f"set{n}"
        shutil.copytree(demo_dir(), folder)
        load([str(folder)], cache=cache)
    assert len(list((cache.folder / "loads").iterdir())) == snapshot.KEEP
    assert used_snapshot(tmp_path / f"set{snapshot.KEEP + 1}", cache)
    assert not used_snapshot(tmp_path / "set0", cache)


def test_a_half_written_snapshot_is_removed_once_stale(tmp_path):
    cache = ParseCache(tmp_path / "cache")
    folder = cache.folder / "loads"
    folder.mkdir(parents=True)
    old, fresh = folder / "a.123.tmp", folder / "b.456.tmp"  # writers that quit mid-write
    for path in (old, fresh):
        path.write_bytes(b"x" * 100)
    hours_ago = time.time_ns() - 2 * snapshot.STALE_TEMPORARY_NS
    os.utime(old, ns=(hours_ago, hours_ago))
    load([str(demo_dir())], cache=cache)
    assert not old.exists() and fresh.exists()  # the fresh one may be another instance's, writing now
    assert used_snapshot(demo_dir(), cache)


def test_a_store_that_holds_other_papers_is_not_snapshotted(tmp_path):
    from digest_tui.core.model import make_paper
    from digest_tui.core.store import Store

    store = Store()
    store.add([make_paper(id="2606.00001", title_en="From a reading list")])
    cache = ParseCache(tmp_path / "cache")
    load([str(demo_dir())], store=store, cache=cache)
    assert not used_snapshot(demo_dir(), cache)


async def test_the_reader_starts_from_the_snapshot_its_last_load_wrote(monkeypatch):
    app = demo_app()
    async with started(app):  # waits for the background work, which writes the snapshot
        cold_keys, cold_detail = shown_keys(app), detail_text(app)
    monkeypatch.setattr(MainScreen, "complete_papers", lambda self: None)  # texts stay pending
    restores = []
    original = snapshot.restore
    monkeypatch.setattr("digest_tui.core.loading.session.restore", lambda *args: restores.append(1) or original(*args))
    app = demo_app()
    async with started(app) as pilot:
        assert restores == [1]
        assert app.store.texts_pending
        assert shown_keys(app) == cold_keys
        assert detail_text(app) == cold_detail
        assert main_status(app).startswith(f"{len(cold_keys)} papers · sort")  # loaded: no "loading…"
        await press(pilot, "slash")
        await type_text(pilot, "proprietary")  # a word found only in abstracts
        await press(pilot, "enter")
        assert 0 < len(shown_keys(app)) < len(cold_keys)


def main_status(app) -> str:
    return status_text(app)


def test_while_a_snapshot_comes_in_the_list_is_in_the_order_a_sort_would_give(digests, tmp_path, monkeypatch):
    """Between chunks, ordered('date') is the snapshot's date order without the rows not in yet
    (no sort of the rows so far), and that is exactly what sorting them gives."""
    from digest_tui.core.store import Store, sort_rows

    # a dozen chunks or so (3 rows for the demo alone): every chunk sorts the rows so far twice here,
    # and 3-row chunks of the real pages made this test take 94 s
    papers = len(load([str(digests)])[0].papers)
    monkeypatch.setattr(snapshot, "CHUNK_ROWS", max(3, papers // 12))
    cache = ParseCache(tmp_path / "cache")
    load([str(digests)], cache=cache)
    found = snapshot.read_snapshot(cache, [str(digests)], find_files([str(digests)])[0])
    assert found is not None and len(found.chunks) > 3
    store = Store()
    sorts = []
    monkeypatch.setattr("digest_tui.core.store.sort_rows", lambda *args: sorts.append(args) or sort_rows(*args))
    for _papers in snapshot.restore(found, store, {}):
        shown = store.ordered("date")
        assert shown == sort_rows(store.papers, "date") and len(shown) == len(store.papers)
        assert store.ordered("score") == sort_rows(store.papers, "score")  # other orders are sorted as ever
    assert len(sorts) == len(found.chunks)  # the score orders only
    assert store.ordered("date") == sort_rows(store.papers, "date")
    rows = store.add([store.papers[0]._replace(key="2601.99999", id="2601.99999", date="2001-01-01")])
    assert rows and store.ordered("date") == sort_rows(store.papers, "date")  # a change after: sorted again
    assert store.ordered("date")[-1] == rows[0]


def test_a_chunk_found_bad_as_it_goes_in_gives_the_load_file_by_file(digests, tmp_path, monkeypatch):
    """A crafted snapshot (its checksum holds) whose last chunk is not a chunk: the chunks before it
    are in, and shown, when restore() finds it; the load then reads every file into those same
    rows, and the store is exactly the store a load file by file makes."""
    import marshal
    import zlib

    monkeypatch.setattr(snapshot, "CHUNK_ROWS", 4)
    cache = ParseCache(tmp_path / "cache")
    load([str(digests)], cache=cache)
    path = Path(snapshot.snapshot_path(cache, [str(digests)]))
    data = path.read_bytes()
    payload = data[len(snapshot.MAGIC) + snapshot.HEADER.size :]
    (index_length,) = snapshot.INDEX_LENGTH.unpack_from(payload)
    start = snapshot.INDEX_LENGTH.size
    records, lookups, lengths, counts, combos = marshal.loads(payload[start : start + index_length])
    assert len(lengths) > 3
    chunks_end = len(payload) - lengths[-1]
    columns, title_keys = marshal.loads(payload[chunks_end:])
    bad_last = marshal.dumps(([columns[0][:-1], *columns[1:]], title_keys))  # a column too short
    index = marshal.dumps((records, lookups, [*lengths[:-1], len(bad_last)], counts, combos))
    crafted = snapshot.INDEX_LENGTH.pack(len(index)) + index + payload[start + index_length : chunks_end] + bad_last
    path.write_bytes(snapshot.MAGIC + snapshot.HEADER.pack(zlib.adler32(crafted), len(crafted)) + crafted)
    shown: list[int] = []
    session = LoadSession([str(digests)], cache=ParseCache(tmp_path / "cache"))
    for event in session.load(batch_seconds=0):
        if isinstance(event, FilesRead) and not shown:
            shown.append(len(session.store.papers))
    for _step in session.finish(index=False):
        pass
    assert shown and 0 < shown[0] < len(session.store.papers)  # chunks were on screen before the bad one
    expected, expected_report = file_by_file(digests, tmp_path)
    assert everything(session.store) == expected
    assert [str(p) for p in session.report.problems] == [str(p) for p in expected_report.problems]
    assert used_snapshot(digests, cache)  # written again, whole


def test_a_chunk_gives_back_its_papers_with_equal_values_held_once():
    """encode_chunk / decode_chunk / papers_of: the papers come back equal, and a value equal in
    several papers of a chunk (a day, a list of categories, a paper's key and id) is one object
    (memory, and one unmarshal instead of thousands); a tuple holding what cannot be hashed is
    written as it is."""
    from digest_tui.core.model import Source, make_paper

    source = (Source("a.txt", "arxivdaily"),)
    papers = [
        make_paper(id=f"2606.{at:05d}", title_en=f"Paper {at}", authors=("A. Author", f"B {at}"), score=at % 2,
                   new_submission=bool(at % 2), categories=tuple(["cs.CL", "cs.LG"]), date="2026-06-18",
                   sources=source)
        for at in range(6)
    ]  # fmt: skip
    papers.append(make_paper(id="2606.00099", title_en="Odd", ai_sections=(["tldr", "a list"],), sources=source))
    chunk = snapshot.encode_chunk(papers, [0] * len(papers), [paper.title_en.casefold() for paper in papers])
    columns, title_keys = snapshot.decode_chunk(chunk, 1)
    back = snapshot.papers_of(columns, [source])
    assert back == papers and title_keys == [paper.title_en.casefold() for paper in papers]
    assert [type(paper.score) for paper in back[:6]] == [int] * 6  # 1 is not True, nor 0 False
    assert back[0].categories is back[5].categories and back[0].date is back[5].date
    assert back[0].key is back[0].id
    assert snapshot.decode_chunk(chunk, 0) == (None, None)  # a source set past those there are
