"""Output made in parts by forked copies (core.forked): the same bytes in the same order, made
elsewhere only when it may be, a failed copy's part made again, and no copy left behind."""

from __future__ import annotations

import os
import threading

import pytest

from digest_tui.core import forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked copies need os.fork (not on Windows)")

COUNT = 3 * forked.FORK_AT


def items(start: int, stop: int):
    """A head, each item with the process that made it, a tail: as a format's chunks() does."""
    if start == 0:
        yield b"[\n"
    for at in range(start, stop, 100):
        yield b"".join(b"%d %d\n" % (number, os.getpid()) for number in range(at, min(at + 100, stop)))
    if stop == COUNT:
        yield b"]\n"


def lines(data: bytes) -> tuple[list[int], set[int]]:
    """The item numbers in order, and the processes that made them."""
    body = data.split(b"\n")[1:-2]
    assert data.startswith(b"[\n") and data.endswith(b"]\n")
    return [int(line.split()[0]) for line in body], {int(line.split()[1]) for line in body}


@pytest.fixture
def cpus(monkeypatch):
    """Three CPUs, and no other thread (a test before may have left one waiting)."""
    monkeypatch.setattr(forked, "usable_cpus", lambda: 3)
    monkeypatch.setattr(forked, "_alone", lambda: True)


def test_parts_made_by_copies_come_back_in_order(cpus):
    numbers, makers = lines(b"".join(forked.pieces(items, COUNT, 100)))
    assert numbers == list(range(COUNT))
    assert os.getpid() in makers and len(makers) == 3  # this process and two copies


def test_a_part_starts_at_a_multiple_of_the_step(cpus, monkeypatch):
    made: list[tuple[int, int]] = []

    def logged(start, stop):
        made.append((start, stop))  # only this process's own calls are seen here
        return items(start, stop)

    numbers, _ = lines(b"".join(forked.pieces(logged, COUNT, 1000)))
    assert numbers == list(range(COUNT))
    assert made == [(0, COUNT // 3 // 1000 * 1000)]


@pytest.fixture
def sizes(monkeypatch):
    """The sizes of each copy's files (in memory, on disk) as they are let go of."""
    seen: list[list[int]] = []
    close = forked._close

    def recorded(files):
        if files:
            seen.append([os.fstat(file.fileno()).st_size for file in files])
        close(files)

    monkeypatch.setattr(forked, "_close", recorded)
    return seen


def test_a_copy_keeps_its_part_in_memory_when_there_is_room(cpus, sizes, monkeypatch):
    monkeypatch.setattr(forked, "_free_memory", lambda: 1 << 30)
    numbers, _ = lines(b"".join(forked.pieces(items, COUNT, 100)))
    assert numbers == list(range(COUNT))
    if hasattr(os, "memfd_create"):
        assert len(sizes) == 2 and all(memory > 0 and disk == 0 for memory, disk in sizes)


def test_a_part_bigger_than_its_room_in_memory_goes_on_on_disk(cpus, sizes, monkeypatch):
    monkeypatch.setattr(forked, "_free_memory", lambda: 2 * forked.MEMORY_SHARE * 5000)  # 5000 bytes a copy
    numbers, _ = lines(b"".join(forked.pieces(items, COUNT, 100)))
    assert numbers == list(range(COUNT))
    if hasattr(os, "memfd_create"):
        assert len(sizes) == 2 and all(5000 <= memory < 5000 + 2000 and disk > 0 for memory, disk in sizes)


def test_with_no_free_memory_said_the_parts_go_on_disk(cpus, sizes, monkeypatch):
    monkeypatch.setattr(forked, "_free_memory", lambda: 0)
    numbers, _ = lines(b"".join(forked.pieces(items, COUNT, 100)))
    assert numbers == list(range(COUNT))
    assert [len(files) for files in sizes] == [1, 1] and all(disk > 0 for (disk,) in sizes)


@pytest.mark.skipif(not os.path.exists("/proc/meminfo"), reason="Linux's /proc/meminfo says what memory is available")
def test_the_memory_available_is_what_linux_says():
    with open("/proc/meminfo") as meminfo:
        said = next(int(line.split()[1]) * 1024 for line in meminfo if line.startswith("MemAvailable:"))
    assert abs(forked._free_memory() - said) < 256 * 2**20  # read moments apart


def test_a_small_output_is_made_here(cpus):
    small = forked.FORK_AT - 1

    def few(start, stop):
        yield b"".join(b"%d\n" % os.getpid() for _ in range(start, stop))

    assert set(b"".join(forked.pieces(few, small, 100)).split()) == {b"%d" % os.getpid()}


def test_with_another_thread_running_nothing_is_forked(monkeypatch):
    monkeypatch.setattr(forked, "usable_cpus", lambda: 3)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        _, makers = lines(b"".join(forked.pieces(items, COUNT, 100)))
    finally:
        stop.set()
        thread.join()
    assert makers == {os.getpid()}


def test_a_copy_that_fails_has_its_part_made_here(cpus):
    parent = os.getpid()

    def failing(start, stop):
        if os.getpid() != parent and start > COUNT // 2:
            raise RuntimeError("the last copy fails")
        return items(start, stop)

    numbers, makers = lines(b"".join(forked.pieces(failing, COUNT, 100)))
    assert numbers == list(range(COUNT))
    assert len(makers) == 2  # this process made its part and the failed copy's


def test_given_up_early_no_copy_is_left_running(cpus, monkeypatch):
    made: list[int] = []
    fork = forked._fork

    def recorded(*args):
        copy = fork(*args)
        made.append(copy[0])
        return copy

    monkeypatch.setattr(forked, "_fork", recorded)
    parts = forked.pieces(items, COUNT, 100)
    assert next(parts) == b"[\n"
    assert len(made) == 2 and all(made)
    parts.close()  # a closed pipe, ^C: the copies are stopped and waited for
    for pid in made:
        with pytest.raises(ChildProcessError):  # waited for already: no such child of this process
            os.waitpid(pid, os.WNOHANG)


# -- the commands that use it: every format's bytes are those one process makes ------------------


@pytest.fixture(scope="module")
def demo_store():
    from digest_tui.core.loading.session import load
    from digest_tui.core.paths import demo_dir

    store, _ = load([demo_dir()])
    return store


@pytest.fixture
def serial(monkeypatch):
    """Run `make()` once with one process, then once with copies; both outputs."""

    def both(make):
        monkeypatch.setattr(forked, "FORK_AT", 10**9)
        alone = make()
        monkeypatch.setattr(forked, "FORK_AT", 8192)
        monkeypatch.setattr(forked, "usable_cpus", lambda: 2)
        monkeypatch.setattr(forked, "_alone", lambda: True)
        return alone, make()

    return both


@pytest.mark.parametrize("fmt", ["bib", "ris", "csl", "csv", "json", "md", "toml"])
def test_an_export_in_parts_is_the_export(demo_store, serial, fmt):
    from digest_tui.core import export
    from digest_tui.core.model import Mark

    papers = demo_store.papers
    hostile = papers[0]._replace(title_en="Escape \x1b[31m red \u202e and {braces} $x$", key="hostile")
    records = [
        (paper._replace(key=f"{paper.key}#{copy}"), Mark(starred=copy % 2 == 0, tags=("t",) if copy % 3 else (), note="n\x07"))
        for copy in range(8200 // len(papers) + 1)
        for paper in papers
    ]
    records[-5] = (hostile, Mark())  # in the copy's part: cleaned there as here
    keys = [f"key{number}" for number in range(len(records))]
    alone, in_parts = serial(lambda: b"".join(export.chunks(records, fmt, keys=keys, name="n", query="q", created="2026-12-02")))
    assert len(records) > forked.FORK_AT and in_parts == alone
    assert "\x1b" not in in_parts.decode("utf-8") and "Escape" in in_parts.decode("utf-8")


def test_a_dump_in_parts_is_the_dump(demo_store, serial):
    import io

    from digest_tui.cli import write_json_array

    rows = list(range(len(demo_store.papers))) * (8200 // len(demo_store.papers) + 1)

    def dumped() -> bytes:
        out = io.BytesIO()
        write_json_array(demo_store, rows, out)
        return out.getvalue()

    alone, in_parts = serial(dumped)
    assert in_parts == alone and len(__import__("json").loads(in_parts)) == len(rows)


def test_a_dump_of_a_store_loaded_without_texts_brings_them_in_part_by_part(serial, tmp_path):
    """`dump` loads without the long texts: each part reads those of its papers, in its process."""
    import io

    from digest_tui.cli import write_json_array
    from digest_tui.core.loading.cache import ParseCache
    from digest_tui.core.loading.session import load
    from digest_tui.core.paths import demo_dir

    whole, _ = load([demo_dir()], cache=ParseCache(tmp_path / "cache"))
    rows = list(range(len(whole.papers))) * (8200 // len(whole.papers) + 1)

    def dumped(texts: bool) -> bytes:
        store, _ = load([demo_dir()], cache=ParseCache(tmp_path / "cache"), texts=texts)
        assert store.texts_pending is not texts
        out = io.BytesIO()
        write_json_array(store, rows, out)
        return out.getvalue()

    alone, in_parts = serial(lambda: dumped(False))
    assert alone == in_parts == dumped(True)
    assert b'"abstract_en": "' in in_parts


def test_an_export_of_a_store_loaded_without_texts_is_the_export(serial, tmp_path):
    from digest_tui.core import export
    from digest_tui.core.loading.session import load
    from digest_tui.core.loading.cache import ParseCache
    from digest_tui.core.model import Mark
    from digest_tui.core.paths import demo_dir

    load([demo_dir()], cache=ParseCache(tmp_path / "cache"))

    def exported(texts: bool, fmt: str) -> bytes:
        store, _ = load([demo_dir()], cache=ParseCache(tmp_path / "cache"), texts=texts)
        assert store.texts_pending is not texts
        copies = 8200 // len(store.papers) + 1
        records = [(paper, Mark(tags=(str(copy),))) for copy in range(copies) for paper in store.papers]
        keys = [f"key{number}" for number in range(len(records))]
        return b"".join(export.chunks(records, fmt, keys=keys, created="2026-12-02", texts=export.texts_from(store)))

    for fmt in ("bib", "md"):
        alone, in_parts = serial(lambda fmt=fmt: exported(False, fmt))
        assert alone == in_parts == exported(True, fmt)
