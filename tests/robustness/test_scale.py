"""Behaviour at scale: a 20k-paper archive loads whole, in order, from parse or cache; the cache
never serves a changed, removed or corrupt entry. (Speed is measured by bench/, never here.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.archive import make_archive
from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.session import load

PAPERS = 20_000


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    make_archive(folder, PAPERS)
    return folder


def entry_files(cache: ParseCache) -> list[Path]:
    """The per-file entries (the load snapshot kept beside them in `loads/` is not one)."""
    return [entry for entry in cache.folder.glob("??/*") if entry.is_file()]


def ids_in_order(store):
    return [store.papers[row].id for row in store.ordered("date")]


def test_archive_loads_completely_in_order(archive, tmp_path):
    store, report = load([archive], cache=ParseCache(tmp_path / "cache"))
    assert report.problems == []
    assert report.files == 667  # 20,000 papers, 30 a page
    assert len(store) == PAPERS
    ids = ids_in_order(store)
    assert len(set(ids)) == PAPERS
    # the last page (day 667, 2021-10-28) holds papers 19980-19999; four of them have the top
    # score (90) and one title, so the one added first leads
    assert ids[0] == "2101.29980"
    dates = [store.papers[row].date for row in store.ordered("date")]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "2021-10-28" and dates[-1] == "2020-01-01"


def test_warm_load_from_the_cache_equals_the_cold_load(archive, tmp_path):
    cache = ParseCache(tmp_path / "cache")
    cold, _ = load([archive], cache=cache)
    assert len(entry_files(cache)) == 667
    warm, report = load([archive], cache=ParseCache(tmp_path / "cache"))
    assert report.files == 667 and report.problems == []
    assert warm.papers == cold.papers
    assert ids_in_order(warm) == ids_in_order(cold)


def _one_page(folder: Path) -> Path:
    return sorted(folder.glob("*.txt"))[0]


def test_a_changed_file_is_read_again(tmp_path):
    folder = tmp_path / "digests"
    make_archive(folder, 90)
    cache = ParseCache(tmp_path / "cache")
    load([folder], cache=cache)
    page = _one_page(folder)
    page.write_text(page.read_text(encoding="utf-8").replace("Sparse Lexicons", "Dense Lexicons"), encoding="utf-8")
    store, _ = load([folder], cache=ParseCache(tmp_path / "cache"))
    titles = {p.title_en for p in store.papers}
    assert "Dense Lexicons for Fast Cross-Lingual Retrieval" in titles
    assert "Sparse Lexicons for Fast Cross-Lingual Retrieval" not in {
        p.title_en for p in store.papers if p.sources[0].file == str(page)
    }


def test_a_changed_file_with_the_same_size_and_mtime_is_still_read_again(tmp_path):
    """Editors and sync tools can keep size and mtime; the inode or change time still differs."""
    folder = tmp_path / "digests"
    make_archive(folder, 30)
    page = _one_page(folder)
    cache = ParseCache(tmp_path / "cache")
    load([folder], cache=cache)
    info = os.stat(page)
    text = page.read_text(encoding="utf-8").replace("Sparse Lexicons", "Sparsa Lexicons")
    replacement = page.with_suffix(".new")
    replacement.write_text(text, encoding="utf-8")
    os.utime(replacement, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(replacement, page)
    assert os.stat(page).st_size == info.st_size and os.stat(page).st_mtime_ns == info.st_mtime_ns
    store, _ = load([folder], cache=ParseCache(tmp_path / "cache"))
    assert "Sparsa Lexicons for Fast Cross-Lingual Retrieval" in {p.title_en for p in store.papers}


def test_a_removed_file_shows_nothing(tmp_path):
    folder = tmp_path / "digests"
    make_archive(folder, 60)
    load([folder], cache=ParseCache(tmp_path / "cache"))
    _one_page(folder).unlink()
    store, report = load([folder], cache=ParseCache(tmp_path / "cache"))
    assert report.files == 1 and len(store) == 30


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_corrupt_entry_is_ignored_and_rebuilt(tmp_path, damage):
    folder = tmp_path / "digests"
    make_archive(folder, 30)
    cache = ParseCache(tmp_path / "cache")
    cold, _ = load([folder], cache=cache)
    [entry] = entry_files(cache)
    data = entry.read_bytes()
    damaged = {
        "truncate": data[: len(data) // 2],
        "flip": data[:-100] + bytes([data[-100] ^ 0x20]) + data[-99:],
        "garbage": os.urandom(len(data)),
        "empty": b"",
    }[damage]
    entry.write_bytes(damaged)
    store, report = load([folder], cache=ParseCache(tmp_path / "cache"))
    assert report.problems == []
    assert store.papers == cold.papers
    assert entry.read_bytes() == data  # parsed again and written afresh


def test_entries_of_another_code_version_are_never_read(tmp_path, monkeypatch):
    folder = tmp_path / "digests"
    make_archive(folder, 30)
    cache = ParseCache(tmp_path / "cache")
    load([folder], cache=cache)
    old_folder = cache.folder
    import digest_tui.core.loading.cache as cache_module

    monkeypatch.setattr(cache_module, "code_version", lambda: "newer-parsers")
    newer = ParseCache(tmp_path / "cache")
    assert newer.folder != old_folder
    assert newer.get(str(_one_page(folder)), os.stat(_one_page(folder))) is None
    load([folder], cache=newer)
    assert not old_folder.exists()  # the old version's entries are cleared away


def _loaded_in_thread(archive, monkeypatch, cache=None):
    import digest_tui.core.loading.loader as loader_module

    monkeypatch.setattr(loader_module, "POOL_MIN_BYTES", 1 << 62)  # no parsing processes
    store, report = load([archive], cache=cache)
    monkeypatch.undo()
    return store, report


def test_parsing_processes_give_what_parsing_here_gives(archive, tmp_path, monkeypatch):
    import digest_tui.core.loading.loader as loader_module

    monkeypatch.setattr(loader_module, "usable_cpus", lambda: 2)  # a pool even on a one-CPU runner
    monkeypatch.setattr(loader_module, "POOL_TASK_BYTES", 256 * 1024)  # many tasks, some taken back
    answers = []
    real_from_pool = loader_module.from_pool
    monkeypatch.setattr(loader_module, "from_pool", lambda *args: answers.append(args[2]) or real_from_pool(*args))
    pooled, report = load([archive], cache=None)  # no cache: the processes hand the texts back too
    assert report.problems == [] and report.files == 667
    assert len(answers) > 300  # most files were parsed by the processes
    monkeypatch.undo()
    here, _ = _loaded_in_thread(archive, monkeypatch)
    assert pooled.papers == here.papers
    assert pooled.papers[5].abstract_en  # texts and all


def test_a_cache_written_by_parsing_processes_reads_back_the_same(archive, tmp_path, monkeypatch):
    import digest_tui.core.loading.loader as loader_module

    monkeypatch.setattr(loader_module, "usable_cpus", lambda: 2)
    cold, _ = load([archive], cache=ParseCache(tmp_path / "cache"))  # processes write the entries
    warm, report = load([archive], cache=ParseCache(tmp_path / "cache"))
    assert report.problems == []
    here, _ = _loaded_in_thread(archive, monkeypatch)
    assert cold.papers == warm.papers == here.papers


def test_a_load_by_parsing_processes_ends_with_every_entry_written(archive, tmp_path, monkeypatch):
    """The processes write most entries after the parsing; the session's end waits for them."""
    import digest_tui.core.loading.loader as loader_module
    from digest_tui.core.loading.loader import find_files

    monkeypatch.setattr(loader_module, "usable_cpus", lambda: 2)
    cache = ParseCache(tmp_path / "cache")
    load([archive], cache=cache)
    files, _ = find_files([archive])
    assert len(entry_files(cache)) == len(files) == 667
    assert all(cache.get(path, info) is not None for path, info in files)
    assert not list(cache.folder.rglob("*.tmp"))


def test_texts_whose_entry_changed_after_the_papers_were_read_come_from_the_file(tmp_path):
    from digest_tui.core.loading.loader import find_files, read_in_order
    from digest_tui.core.store import Store

    folder = tmp_path / "digests"
    make_archive(folder, 30)
    cache = ParseCache(tmp_path / "cache")
    cold, _ = load([folder], cache=cache)
    files, _ = find_files([folder])
    store = Store()
    for item in read_in_order(files, ParseCache(tmp_path / "cache")):
        item.add_to(store)
    assert store.texts_pending and store.papers[0].abstract_en is None
    [entry] = entry_files(cache)
    data = entry.read_bytes()
    entry.write_bytes(data[:-50] + b"x" * 50)  # another writer, a damaged disk: not what was read
    while store.fill_texts():
        pass
    assert store.papers == cold.papers
    assert entry.read_bytes() == data  # the entry was made again from the file
