"""watch.py: file-system events (watchfiles) and the polling fallback report files added, changed and
removed under a folder, named as the loader names them; and the helpers that plan a re-read."""

from __future__ import annotations

import os
import queue
import time

import pytest

from digest_tui.core.model import Source, make_paper
from digest_tui.core.loading.watch import FolderWatcher, affected_files, files_to_read, sharing_files, snapshot

TIMEOUT = 10.0


def collect(watcher_kwargs: dict, folder: str):
    changes: queue.Queue[set[str]] = queue.Queue()
    watcher = FolderWatcher([folder], changes.put, **watcher_kwargs).start()
    assert watcher.wait_ready(TIMEOUT)
    return watcher, changes


def wait_for(changes: queue.Queue, *paths: str) -> set[str]:
    """Every path reported until one of `paths` is among them."""
    seen: set[str] = set()
    deadline = time.monotonic() + TIMEOUT
    while not seen & set(paths):
        seen |= changes.get(timeout=max(deadline - time.monotonic(), 0.01))
    return seen


@pytest.mark.parametrize("how", ["events", "poll"])
def test_added_changed_and_removed_files_are_reported(tmp_path, how, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkdir("digests")
    kwargs = {"debounce_ms": 50} if how == "events" else {"force_polling": True, "poll_seconds": 0.1}
    watcher, changes = collect(kwargs, "digests")  # a relative folder: paths come back relative too
    try:
        assert watcher.method == how
        (tmp_path / "digests" / "a.txt").write_text("one", encoding="utf-8")
        assert "digests/a.txt" in wait_for(changes, "digests/a.txt")
        (tmp_path / "digests" / "a.txt").write_text("one and more", encoding="utf-8")
        wait_for(changes, "digests/a.txt")
        (tmp_path / "digests" / "sub").mkdir()
        (tmp_path / "digests" / "sub" / "b.txt").write_text("two", encoding="utf-8")
        # a file made at once in a new folder may come before the folder's watch: the folder is
        # reported then, and the reader reads every file in it
        wait_for(changes, "digests/sub/b.txt", "digests/sub")
        (tmp_path / "digests" / "a.txt").unlink()
        wait_for(changes, "digests/a.txt")
    finally:
        watcher.stop()
    assert watcher.stopped


def test_hidden_files_are_not_reported(tmp_path):
    watcher, changes = collect({"debounce_ms": 50}, str(tmp_path))
    try:
        (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
        (tmp_path / "seen.txt").write_text("x", encoding="utf-8")
        seen = wait_for(changes, str(tmp_path / "seen.txt"))
        assert str(tmp_path / ".hidden.txt") not in seen
    finally:
        watcher.stop()


def test_a_missing_folder_falls_back_to_polling_and_is_picked_up_when_it_appears(tmp_path):
    folder = tmp_path / "later"
    reasons = []
    watcher, changes = collect({"poll_seconds": 0.1, "on_fallback": reasons.append}, str(folder))
    try:
        assert watcher.method == "poll" and reasons and "later" in reasons[0]
        folder.mkdir()
        (folder / "x.txt").write_text("x", encoding="utf-8")
        wait_for(changes, str(folder / "x.txt"))
    finally:
        watcher.stop()


def test_stop_ends_the_thread_promptly(tmp_path):
    watcher, _ = collect({}, str(tmp_path))
    started = time.monotonic()
    watcher.stop()
    assert time.monotonic() - started < 2.5
    assert watcher.stopped


def test_snapshot_and_files_to_read(tmp_path):
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("bb", encoding="utf-8")
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    shot = snapshot([str(tmp_path)])
    assert sorted(shot) == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.txt")]
    assert shot[str(tmp_path / "sub" / "b.txt")][0] == 2
    found = [path for path, _ in files_to_read({str(tmp_path / "sub"), str(tmp_path / "gone.txt"), str(tmp_path / "a.txt")})]
    assert found == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.txt")]


def test_affected_files_include_files_inside_a_changed_folder():
    files = ["d/a.txt", "d/sub/b.txt", "d/subway.txt", "e/c.txt"]
    assert affected_files({"d/sub"}, files) == {"d/sub/b.txt"}
    assert affected_files({"d/a.txt", "e"}, files) == {"d/a.txt", "e/c.txt"}
    assert affected_files({"x"}, files) == set()


def test_sharing_files_are_the_other_sources_of_the_papers_of_a_file():
    def paper(id, *files):
        return make_paper(id=id, title_en=id, sources=tuple(Source(f, "arxivdaily") for f in files))

    papers = [paper("1", "a", "b"), paper("2", "a"), paper("3", "c", "d"), paper("4", "b", "e")]
    assert sharing_files(papers, {"a"}) == {"b"}
    assert sharing_files(papers, {"a", "b"}) == {"e"}
    assert sharing_files(papers, {"x"}) == set()
