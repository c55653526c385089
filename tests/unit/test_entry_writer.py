"""The parse cache's entry writer: what a parsing process hands it is written, later or at once,
never lost (not even when the process exits without waiting), and a cache that cannot be written
is known at the first entry."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from digest_tui.core.loading.cache import EntryWriter, ParseCache, check_entry


def _entries(count: int) -> list[tuple[str, bytes]]:
    return [(f"/digests/day-{number}.txt", f"entry {number} ".encode() * 1000) for number in range(count)]


def test_everything_given_is_written_once_joined(tmp_path):
    cache = ParseCache(tmp_path / "cache")
    writer = EntryWriter(cache, limit=1 << 30)
    for path, data in _entries(40):
        assert writer.put(path, data)
    writer.join()
    for path, data in _entries(40):
        assert Path(cache.entry_path(path)).read_bytes() == data
    assert not list(cache.folder.rglob("*.tmp"))


def test_the_first_entry_is_written_at_once(tmp_path):
    cache = ParseCache(tmp_path / "cache")
    writer = EntryWriter(cache, limit=1 << 30)
    [(path, data)] = _entries(1)
    assert writer.put(path, data)
    assert Path(cache.entry_path(path)).read_bytes() == data  # not waiting for the thread


def test_past_the_limit_entries_are_written_at_once(tmp_path):
    cache = ParseCache(tmp_path / "cache")
    writer = EntryWriter(cache, limit=0)  # nothing may wait
    for path, data in _entries(5):
        assert writer.put(path, data)
        assert Path(cache.entry_path(path)).read_bytes() == data


def test_a_cache_that_cannot_be_written_is_said_at_the_first_entry(tmp_path):
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    writer = EntryWriter(ParseCache(tmp_path / "cache"), limit=1 << 30)
    for path, data in _entries(3):
        assert writer.put(path, data) is False  # tried now each time, and failed


def test_a_parsing_process_hands_the_texts_back_when_its_cache_cannot_be_written(tmp_path, fixtures):
    from digest_tui.core.loading import loader
    from digest_tui.core.loading.cache import stamp_of

    (tmp_path / "cache").write_text("not a folder")
    page = fixtures / "merge-a.txt"
    [answer] = loader.parse_to_entries([(str(page), stamp_of(os.stat(page)))], str(tmp_path / "cache"))
    entry = check_entry(answer)
    assert entry is not None and entry.texts.data is not None  # the texts came back with the papers


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a nice value per thread is Linux's")
def test_entries_are_written_at_the_lowest_priority_by_a_thread_of_their_own(tmp_path, monkeypatch):
    cache = ParseCache(tmp_path / "cache")
    seen: list[tuple[str, int]] = []
    real_write = cache.write

    def write(path: str, data: bytes) -> bool:
        thread = threading.current_thread()
        seen.append((thread.name, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
        return real_write(path, data)

    monkeypatch.setattr(cache, "write", write)
    writer = EntryWriter(cache, limit=1 << 30)
    for path, data in _entries(6):
        writer.put(path, data)
    writer.join()
    assert seen[0] == (threading.current_thread().name, os.getpriority(os.PRIO_PROCESS, 0))  # the first, now
    assert {nice for name, nice in seen[1:] if name == "digest-tui cache writer"} == {19}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) != 19  # the caller's own is untouched


def test_a_process_that_exits_without_waiting_still_writes_everything(tmp_path):
    script = f"""
import sys
from digest_tui.core.loading.cache import EntryWriter, ParseCache
writer = EntryWriter(ParseCache({str(tmp_path / "cache")!r}), limit=1 << 30)
for number in range(200):
    writer.put(f"/digests/day-{{number}}.txt", b"x" * 200_000)
sys.exit(0)  # no join: the writer thread is not a daemon
"""
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    cache = ParseCache(tmp_path / "cache")
    for number in range(200):
        assert Path(cache.entry_path(f"/digests/day-{number}.txt")).stat().st_size == 200_000
