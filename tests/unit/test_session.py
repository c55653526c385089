"""The load session: its events in order and in batches, the problems in path order, the finishing
steps, garbage collection, the live-folder reload, and the command line and the reader seeing the
same papers and problems in the same order."""

from __future__ import annotations

import gc
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from support.app_support import main_screen, shown_keys, started

from digest_tui.app import DigestApp
from digest_tui.cli import main
from digest_tui.core.index import COLUMNS, TEXT_COLUMNS
from digest_tui.core.loading import session as session_module
from digest_tui.core.loading import snapshot
from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.loader import find_files, read_file
from digest_tui.core.loading.session import FilesFound, FilesRead, LoadDone, LoadSession
from digest_tui.core.parsers import parse_file
from digest_tui.core.paths import demo_dir

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"
DEMO_FILES = sorted(path.name for path in demo_dir().iterdir())


@pytest.fixture
def folder(tmp_path) -> Path:
    """The demo digests with a file that cannot be read between them, one with a warning after
    them, and a named pipe (not a regular file) in the middle."""
    folder = tmp_path / "digests"
    shutil.copytree(demo_dir(), folder)
    shutil.copy(HOSTILE / "empty.txt", folder / "arxivdaily-2026-06-17b.txt")  # sorts among the demo files
    shutil.copy(HOSTILE / "labels-missing.txt", folder / "zz-labels-missing.txt")
    os.mkfifo(folder / "arxivdaily-2026-06-16b.fifo")
    return folder


def expected_problems(folder: Path, missing: Path) -> list[str]:
    """Path order: the folder's, by name, then the missing path named after it."""
    return [
        f"{folder / 'arxivdaily-2026-06-16b.fifo'}: not a regular file; skipped",
        f"{folder / 'arxivdaily-2026-06-17b.txt'}: empty file",
        f"{folder / 'zz-labels-missing.txt'}: paper 2606.36002: abstract labels missing or swapped; told the abstracts apart by language",
        f"{missing}: No such file or directory",
    ]


@pytest.fixture(autouse=True)
def collection_stays_on():
    """Every session here ends (finish() or close()): garbage collection must be on again after it."""
    assert gc.isenabled()
    yield
    on = gc.isenabled()
    gc.enable()
    assert on, "a load session left garbage collection paused"


def events_of(session: LoadSession, **options) -> list:
    """A load's events; then the session is closed without its finishing steps."""
    events = list(session.load(**options))
    session.close()
    return events


def problems_in(events: list) -> list[str]:
    return [str(problem) for event in events if not isinstance(event, FilesFound) for problem in event.problems]


def test_the_events_come_in_order_and_each_file_once_when_every_batch_is_one_file(folder, tmp_path):
    missing = tmp_path / "missing.txt"
    session = LoadSession([folder, missing])
    events = events_of(session, batch_seconds=0)
    files = len(DEMO_FILES) + 2  # the empty file and the one with a warning; not the pipe
    assert events[0] == FilesFound(files)
    assert isinstance(events[-1], LoadDone) and events[-1].files == files
    assert [type(event) for event in events[1:-1]] == [FilesRead] * files
    assert [event.files for event in events[1:-1]] == list(range(1, files + 1))
    assert problems_in(events) == expected_problems(folder, missing)
    # each problem is in the batch of the file it belongs to; the pipe's (after the .md file and
    # arxivdaily-2026-06-16.txt) comes with the file after it, the missing path's at the end
    by_count = {event.files: [str(p) for p in event.problems] for event in events[1:-1]}
    assert by_count[1] == by_count[2] == [] and by_count[3] == [expected_problems(folder, missing)[0]]
    assert [str(problem) for problem in events[-1].problems] == [f"{missing}: No such file or directory"]
    assert [str(problem) for problem in session.report.problems] == expected_problems(folder, missing)
    assert session.report.files == len(DEMO_FILES) + 1  # the empty file gave nothing
    readable = [*(demo_dir() / name for name in DEMO_FILES), HOSTILE / "labels-missing.txt"]
    assert session.report.papers == sum(len(parse_file(path).papers) for path in readable)


def test_a_long_batch_gives_the_first_file_at_once_and_the_rest_at_the_end(folder, tmp_path):
    missing = tmp_path / "missing.txt"
    events = events_of(LoadSession([folder, missing]), batch_seconds=3600)
    assert [type(event) for event in events] == [FilesFound, FilesRead, LoadDone]
    assert events[1].files == 1  # the first papers go out at once, to be on screen early
    assert problems_in(events) == expected_problems(folder, missing)


def test_a_load_leaves_the_store_sorted_and_every_paper_in(folder):
    session = LoadSession([folder])
    for _ in session.load(sort="title"):
        pass
    session.close()
    order = session.store.ordered("title")
    assert len(order) == len(session.store) > 30
    titles = [session.store.papers[row].title_en or "" for row in order]
    assert titles[:3] != sorted(titles, reverse=True)[:3]  # not the reverse order by accident
    plain = LoadSession([folder])
    plain.run(sort=None)
    assert plain.store.ordered("title") == order  # the same order, made on demand


def test_the_cache_entries_of_files_parsed_here_are_written_after_the_load(folder, tmp_path):
    """The entries of the files the loading thread parsed are written by the finishing steps (or
    close()), not on the way to LoadDone: a big listing's last papers are not kept waiting."""
    files, _ = find_files([folder])
    readable = [(path, info) for path, info in files if not path.endswith(("17b.txt", ".fifo"))]
    for finished in (True, False):
        cache = ParseCache(tmp_path / f"cache-{finished}")
        session = LoadSession([folder], cache=cache)
        events = list(session.load())
        assert isinstance(events[-1], LoadDone) and len(session.store) > 30
        assert [path for path, info in readable if cache.get(path, info) is not None] == []
        if finished:
            steps = list(session.finish(index=False))
            assert steps.index("entries") < steps.index("snapshot")
        else:
            session.close()
        assert [path for path, info in readable if cache.get(path, info) is None] == []
    warm = LoadSession([folder], cache=ParseCache(tmp_path / "cache-False"))
    warm.run()
    assert warm.store.papers == session.store.papers


def test_the_finishing_steps_index_write_the_snapshot_then_fill_the_texts(folder, tmp_path, monkeypatch):
    """Without a text index on disk (an SQLite without FTS5's trigrams), the texts come into the
    papers and their columns are made in memory."""
    monkeypatch.setattr(session_module, "available", lambda: False)
    cache = ParseCache(tmp_path / "cache")
    cold = LoadSession([folder], cache=cache)
    cold.run()  # fills the parse cache and writes a snapshot
    snapshot_file = snapshot.snapshot_path(cache, [str(folder)])
    os.remove(snapshot_file)
    warm = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in warm.load():
        pass
    assert warm.store.texts is None
    assert warm.store.texts_pending  # from the parse cache: the long texts wait
    steps = list(warm.finish())
    plain = [name for name in COLUMNS if name not in TEXT_COLUMNS]
    assert steps[: len(plain)] == plain
    assert steps[len(plain)] == "snapshot" and os.path.exists(snapshot_file)
    texts = steps[len(plain) + 1 : -len(TEXT_COLUMNS) - 1]
    assert texts and set(texts) == {"texts"}
    assert steps[-len(TEXT_COLUMNS) - 1 :] == [*sorted(TEXT_COLUMNS), "ready"]  # searched in memory, all made
    assert not warm.store.texts_pending
    assert warm.store.papers == cold.store.papers

    again = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in again.load():
        pass
    assert "snapshot" not in list(again.finish(index=False))  # all from the snapshot: nothing new to keep
    assert again.store.papers == cold.store.papers


def test_the_finishing_steps_write_the_texts_to_the_text_index_and_leave_them_out_of_the_papers(folder, tmp_path):
    cache = ParseCache(tmp_path / "cache")
    cold = LoadSession([folder], cache=cache)
    cold.run()  # every text read in, for the command line
    warm = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in warm.load():
        pass
    store = warm.store
    assert store.texts is not None and store.texts.rows == 0  # sealed for no snapshot yet: made now
    steps = list(warm.finish())
    plain = [name for name in COLUMNS if name not in TEXT_COLUMNS]
    assert steps[: len(plain)] == plain
    assert steps[len(plain) :] and set(steps[len(plain) : -1]) == {"texts"} and steps[-1] == "ready"
    assert store.texts_synced and store.texts_pending  # indexed, and still waiting in the parse cache
    assert list(store.whole_papers()) == cold.store.papers  # read for counting, and let go again
    assert not any(paper.abstract_en for paper in store.papers)
    assert [store.paper(row) for row in range(len(store.papers))] == cold.store.papers
    assert store.texts.rows == len(store.papers)  # sealed for the snapshot this store is
    store.texts.close()  # the reader quits (while it runs, the file is its own)

    again = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in again.load():
        pass
    assert again.store.texts.rows == len(store.papers)  # trusted: nothing to write after a warm start
    assert again.store.texts_synced
    # title:, author: and free words are answered by the index: their columns in memory come after "ready"
    first = [name for name in plain if name not in ("titles", "authors")]
    assert list(again.finish()) == [*first, "texts", "ready", "titles", "authors"]


def test_a_load_from_a_snapshot_reports_what_a_load_file_by_file_reports(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "CHUNK_ROWS", 4)  # many chunks, so the load reports between them
    missing = tmp_path / "missing.txt"
    cache = ParseCache(tmp_path / "cache")
    by_file = LoadSession([folder, missing], cache=cache)
    by_file.run()
    assert snapshot.read_snapshot(cache, [str(folder), str(missing)], find_files([folder])[0]) is not None
    seen: list = []
    session = LoadSession([folder, missing], cache=ParseCache(tmp_path / "cache"))
    for event in session.load(batch_seconds=0, pause=lambda: seen.append("pause")):
        seen.append(event)
    assert seen[0] == FilesFound(len(DEMO_FILES) + 2)
    assert isinstance(seen[1], FilesRead) and seen[2] == "pause"  # after the first chunk only
    assert seen.count("pause") == 1
    assert problems_in([item for item in seen if item != "pause"]) == expected_problems(folder, missing)
    assert session.report.problems == by_file.report.problems
    assert (session.report.files, session.report.papers) == (by_file.report.files, by_file.report.papers)
    for _ in session.finish():
        pass
    assert [session.store.paper(row) for row in range(len(session.store.papers))] == by_file.store.papers


def test_collection_is_paused_from_the_load_to_the_end_of_the_finishing_steps(folder):
    assert gc.isenabled()
    session = LoadSession([folder])
    events = session.load()
    next(events)
    assert not gc.isenabled()
    for _ in events:
        pass
    assert not gc.isenabled()  # the finishing steps make millions of strings too
    for _ in session.finish(index=False):
        pass
    assert gc.isenabled()


def test_a_load_stopped_half_way_turns_collection_back_on(folder):
    session = LoadSession([folder])
    events = session.load(batch_seconds=0)
    next(events), next(events)
    assert not gc.isenabled()
    events.close()
    assert gc.isenabled()


def test_a_folder_change_is_read_then_applied(folder, tmp_path):
    session = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    session.run()
    before = len(session.store)
    new_file = folder / "zz-new.txt"
    shutil.copy(HOSTILE / "duplicate-ids.txt", new_file)
    (folder / "arxivdaily-2026-06-17b.txt").unlink()  # the empty file goes: it had no papers
    changes = session.read_changes({str(new_file), str(folder / "arxivdaily-2026-06-17b.txt")})
    assert changes is not None
    assert changes.added == [str(new_file)] and changes.removed == []  # the empty file never landed
    assert len(session.store) == before  # nothing in the store yet
    applied = session.apply(changes)
    assert applied.new == len(session.store) - before > 0 and applied.gone == 0
    assert [str(problem) for problem in applied.problems] == [
        f"{new_file}: paper 2606.38001 is listed again with another title; merged, the first title kept"
    ]
    assert applied.unreadable == []
    assert session.read_changes({str(tmp_path / "elsewhere.txt")}) is None


def test_a_changed_file_shared_with_another_keeps_the_papers_the_other_lists(tmp_path):
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    folder = tmp_path / "digests"
    folder.mkdir()
    for name in ("merge-a.txt", "merge-b.txt"):
        shutil.copy(fixtures / name, folder / name)
    session = LoadSession([folder])
    session.run()
    assert len(session.store) == 3  # the fixtures' README: one paper on both sites
    (folder / "merge-a.txt").write_text("", encoding="utf-8")
    applied = session.apply(session.read_changes({str(folder / "merge-a.txt")}))
    assert [str(problem) for problem in applied.unreadable] == [f"{folder / 'merge-a.txt'}: empty file"]
    assert applied.gone - applied.new == 1 and len(session.store) == 2
    assert session.store.row("2606.20102") is None  # merge-a's only
    only_b = LoadSession([folder / "merge-b.txt"])
    only_b.run()
    live = sorted(session.store.paper(row).title_en for row in session.store.ordered())
    assert live == sorted(only_b.store.paper(row).title_en for row in only_b.store.ordered())  # what merge-b says


def run_dump(paths: list[Path], capsys) -> tuple[list[str], list[str]]:
    """The keys `dump` prints (date order) and its problem lines."""
    main(["dump", *map(str, paths)])
    out = capsys.readouterr()
    keys = []
    for paper in json.loads(out.out):
        keys.append(paper["id"] if paper["id"] else None)
    problems = [line.removeprefix("digest-tui: ") for line in out.err.splitlines()]
    return keys, problems


async def test_the_command_line_and_the_reader_see_the_same_papers_and_problems_in_the_same_order(folder, tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    dumped_ids, dumped_problems = run_dump([folder, missing], capsys)
    assert dumped_problems == expected_problems(folder, missing)
    app = DigestApp([str(folder), str(missing)], mark_read_after=0)
    async with started(app):
        screen = main_screen(app)
        assert [str(problem) for problem in screen.problems] == dumped_problems
        keys = shown_keys(app)
        assert [app.store.papers[app.store.row(key)].id for key in keys] == dumped_ids


@pytest.mark.parametrize("in_background", [False, True])
def test_the_first_papers_go_in_while_the_text_index_opens_and_the_store_has_it_by_the_end(
    folder, tmp_path, monkeypatch, in_background
):
    """Creating the text index's file (or clearing a big unsealed one) takes a few tenths of a
    second: it is opened in a thread, not on the way to the first paint."""
    import threading

    from digest_tui.core import textindex

    release, opening = threading.Event(), threading.Event()
    real_init = textindex.TextIndex.__init__

    def slow_init(self, *args, **kwargs):
        opening.set()
        assert release.wait(10), "the load waited for the text index before its first papers"
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(textindex.TextIndex, "__init__", slow_init)
    session = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    if in_background:
        session.find_in_background()
    events = session.load(batch_seconds=0)
    event = next(events)
    if in_background and isinstance(event, FilesRead):  # the first file, read from the cache before the rest was listed
        event = next(events)
    assert isinstance(event, FilesFound)
    first = next(events)
    assert isinstance(first, FilesRead) and len(session.store) > 0
    assert opening.wait(10) and session.store.texts is None  # still opening: searched in memory meanwhile
    release.set()
    rest = list(events)
    assert isinstance(rest[-1], LoadDone)
    assert session.store.texts is not None and session.store.texts.rows == 0  # the store's by the end
    list(session.finish())
    assert session.store.texts_synced
    session.store.texts.close()


def test_a_load_stopped_early_closes_the_text_index_it_opened(folder, tmp_path):
    """Nobody else could open the file while this process held it."""
    first = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    events = first.load(batch_seconds=0)
    next(events), next(events)
    events.close()  # the reader quit during the load
    second = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in second.load():
        pass
    assert second.store.texts is not None  # the file was free: not refused as in use by another instance
    second.close()
    second.store.texts.close()


SPY = """
import sys
from digest_tui.core.loading import session

started = []
real = session.LoadSession.find_in_background


def spy(self):
    started.append("textual" in sys.modules)
    return real(self)


session.LoadSession.find_in_background = spy
from digest_tui.cli import reader_app

app = reader_app(sys.argv[1:])
print(started, app.store is app.session.store, app.session.paths == app.paths_to_load)
"""


@pytest.mark.parametrize(("args", "expected"), [(["--demo"], "[False] True True"), (["--demo", "--list", "x.toml"], "[] True True")])
def test_the_command_line_starts_listing_before_textual_is_imported(args, expected):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", SPY, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    # with a reading list its papers go in first, so there is no listing (and snapshot) to start early
    assert done.stdout.strip() == expected


def first_entry_cached(folder: Path, cache: ParseCache) -> tuple[str, os.stat_result]:
    """The parse cache holding the first file's entry only, as the reader's head start leaves it."""
    path, info = find_files([folder])[0][0]
    read_file(path, info, cache)
    assert cache.get(path, info) is not None
    return path, info


def papers_in_order(store) -> list:
    return [store.paper(row) for row in store.ordered("title")]


def assert_finished_as_by_file(session: LoadSession, paths: list) -> None:
    """After its finishing steps, the session's store holds what a load file by file (no cache) makes."""
    for _ in session.finish():
        pass
    by_file = LoadSession(paths)
    by_file.run()
    assert len(session.store) == len(by_file.store)
    assert papers_in_order(session.store) == papers_in_order(by_file.store)


def test_a_start_puts_the_first_file_s_papers_in_before_the_rest_is_listed(folder, tmp_path, monkeypatch):
    """With the first file in the parse cache and no load snapshot, its papers are reported before
    the other files are even listed (their listing waits for the reader's first paint, `pause`);
    the rest of the load, its problems and its papers are a file-by-file load's."""
    missing = tmp_path / "missing.txt"
    cache = ParseCache(tmp_path / "cache")
    first_path, _ = first_entry_cached(folder, cache)
    listed: list[bool] = []
    real_list_files = session_module.list_files
    monkeypatch.setattr(session_module, "list_files", lambda paths: listed.append(True) or real_list_files(paths))
    session = LoadSession([folder, missing], cache=ParseCache(tmp_path / "cache")).find_in_background()
    seen: list = []
    for event in session.load(batch_seconds=0, pause=lambda: seen.append(("pause", bool(listed)))):
        seen.append((event, len(session.store)))
    first_papers = len(parse_file(first_path).papers)
    assert seen[0] == (FilesRead(1, []), first_papers)  # in the store, before any FilesFound
    assert seen[1] == ("pause", False)  # the reader paints them; only then is the rest listed
    assert seen[2][0] == FilesFound(len(DEMO_FILES) + 2)
    events = [event for event, _count in seen[2:] if event != "pause"]
    assert isinstance(events[-1], LoadDone) and events[-1].files == len(DEMO_FILES) + 2
    assert problems_in(events) == expected_problems(folder, missing)
    for _ in session.finish():
        pass
    by_file = LoadSession([folder, missing])
    by_file.run()
    assert session.report.problems == by_file.report.problems
    assert (session.report.files, session.report.papers) == (by_file.report.files, by_file.report.papers)
    assert papers_in_order(session.store) == papers_in_order(by_file.store)
    assert snapshot.read_snapshot(cache, [str(folder), str(missing)], find_files([folder])[0]) is not None


def test_a_first_file_that_changed_while_the_rest_was_listed_is_read_again(folder, tmp_path, monkeypatch):
    """Its early papers (from the old version in the cache) go; the new version is read in its turn."""
    cache = ParseCache(tmp_path / "cache")
    first_path, old_info = first_entry_cached(folder, cache)
    monkeypatch.setattr(session_module, "first_file", lambda paths: (first_path, old_info))  # found before the change
    monkeypatch.setattr(session_module.HeadStart, "start", lambda paths, cache: None)  # it would cache the new version
    shutil.copy(demo_dir() / DEMO_FILES[1], first_path)  # another day's papers
    os.utime(first_path, ns=(old_info.st_atime_ns, old_info.st_mtime_ns + 10**9))
    session = LoadSession([folder], cache=ParseCache(tmp_path / "cache")).find_in_background()
    events = list(session.load(batch_seconds=0))
    assert events[0] == FilesRead(1, [])  # the old version's papers went in early
    assert_finished_as_by_file(session, [folder])


@pytest.fixture
def warm(folder, tmp_path, monkeypatch) -> ParseCache:
    """A parse cache and load snapshot of `folder` from a first start, in chunks of 4 rows (the
    first file's papers span several)."""
    monkeypatch.setattr(snapshot, "CHUNK_ROWS", 4)
    cache = ParseCache(tmp_path / "cache")
    LoadSession([folder], cache=cache).run()
    assert snapshot.read_snapshot(cache, [str(folder)], find_files([folder])[0]) is not None
    return cache


def test_a_warm_start_puts_the_first_file_s_papers_in_then_the_snapshot_over_them(folder, warm, monkeypatch):
    first_path = find_files([folder])[0][0][0]
    first_papers = len(parse_file(first_path).papers)
    assert first_papers > 4  # more than a chunk: the snapshot's first rows replace them once two chunks are in
    read: list[int] = []
    real_read_in_order = session_module.read_in_order
    monkeypatch.setattr(session_module, "read_in_order", lambda files, *rest: read.append(len(files)) or real_read_in_order(files, *rest))
    session = LoadSession([folder], cache=ParseCache(warm.root)).find_in_background()
    seen: list = []
    early_keys: list[str] = []
    for event in session.load(batch_seconds=0, pause=lambda: seen.append("pause")):
        if not seen:
            early_keys = [paper.key for paper in session.store.papers]
        seen.append(event)
    assert seen[0] == FilesRead(1, []) and len(early_keys) == first_papers
    assert seen[1] == "pause" and seen[2] == FilesFound(len(DEMO_FILES) + 2)
    assert read == [0]  # every file came from the snapshot: none was read again
    assert [paper.key for paper in session.store.papers[:first_papers]] == early_keys  # the rows a view held
    for _ in session.finish():
        pass
    by_file = LoadSession([folder])
    by_file.run()
    assert session.report.problems == by_file.report.problems
    assert (session.report.files, session.report.papers) == (by_file.report.files, by_file.report.papers)
    assert [session.store.paper(row) for row in range(len(session.store.papers))] == by_file.store.papers
    assert session.store.ordered("date") == by_file.store.ordered("date")


def test_a_damaged_snapshot_after_the_early_papers_reads_every_file(folder, warm, monkeypatch):
    real_decode = snapshot.decode_chunk
    calls: list[int] = []

    def decode(chunk, sources):
        calls.append(1)
        return (None, None) if len(calls) == 3 else real_decode(chunk, sources)  # a crafted third chunk

    monkeypatch.setattr(snapshot, "decode_chunk", decode)
    session = LoadSession([folder], cache=ParseCache(warm.root)).find_in_background()
    events = list(session.load(batch_seconds=0))
    assert events[0] == FilesRead(1, []) and len(calls) >= 3
    assert_finished_as_by_file(session, [folder])


def test_a_big_first_file_is_not_read_before_the_listing(folder, warm, monkeypatch):
    """A big listing e-mail's entry would take longer to read whole than the snapshot's first chunk."""
    monkeypatch.setattr(session_module, "HEAD_START_BYTES", 10)
    session = LoadSession([folder], cache=ParseCache(warm.root)).find_in_background()
    events = events_of(session, batch_seconds=0)
    assert events[0] == FilesFound(len(DEMO_FILES) + 2)
    assert isinstance(events[-1], LoadDone) and len(session.store) == len(session.store.papers) > 30


def test_a_load_quit_before_its_snapshot_has_it_written_by_a_copy_that_outlives_the_reader(folder, tmp_path):
    """The reader quit after the list was up, before finish() got to the snapshot (at a million
    papers, ~14 s later): a forked copy writes it, and the next start of the paths uses it."""
    cache = ParseCache(tmp_path / "cache")
    quit_early = LoadSession([folder], cache=cache)
    events_of(quit_early)  # the load, then close(): what the reader's quit leaves
    snapshot_file = snapshot.snapshot_path(cache, [str(folder)])
    assert not os.path.exists(snapshot_file)
    pid = quit_early.snapshot_apart()
    assert pid > 0
    assert os.waitpid(pid, 0)[1] == 0 and os.path.exists(snapshot_file)
    assert quit_early.snapshot_apart() == 0  # once
    again = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in again.load():
        pass
    assert "snapshot" not in list(again.finish(index=False))  # all from the snapshot: nothing new to keep
    assert again.store.papers == quit_early.store.papers


def test_no_copy_is_made_for_a_snapshot_written_already_or_while_another_thread_runs(folder, tmp_path):
    cache = ParseCache(tmp_path / "cache")
    finished = LoadSession([folder], cache=cache)
    finished.run()
    assert os.path.exists(snapshot.snapshot_path(cache, [str(folder)]))
    assert finished.snapshot_apart() == 0  # written by finish()
    os.remove(snapshot.snapshot_path(cache, [str(folder)]))
    quit_early = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    events_of(quit_early)
    running = threading.Event()
    other = threading.Thread(target=running.wait)
    other.start()
    try:
        assert quit_early.snapshot_apart() == 0  # forking a process with threads can deadlock
    finally:
        running.set()
        other.join()
    assert not os.path.exists(snapshot.snapshot_path(cache, [str(folder)]))


def test_a_snapshot_write_stopped_half_way_writes_nothing_and_leaves_it_to_the_copy(folder, tmp_path, monkeypatch):
    """The reader quit while the finishing steps wrote the snapshot (its one long step): the
    write stops between two chunks, the quit does not wait for the rest, and the copy writes it."""
    monkeypatch.setattr(snapshot, "CHUNK_ROWS", 4)
    cache = ParseCache(tmp_path / "cache")
    session = LoadSession([folder], cache=cache)
    for _ in session.load():
        pass
    encoded: list[int] = []
    encode_chunk = snapshot.encode_chunk

    def encode_and_quit(*args):
        encoded.append(1)
        if len(encoded) == 3:
            session.stop()  # the reader quits (from its UI thread) during the third chunk
        return encode_chunk(*args)

    monkeypatch.setattr(snapshot, "encode_chunk", encode_and_quit)
    steps = list(session.finish())  # ends at once: no step after the snapshot's is started
    snapshot_file = snapshot.snapshot_path(cache, [str(folder)])
    assert len(encoded) == 3 and not os.path.exists(snapshot_file)
    assert "snapshot" in steps and steps[-1] == "snapshot" and "ready" not in steps
    pid = session.snapshot_apart()
    assert pid > 0 and os.waitpid(pid, 0)[1] == 0 and os.path.exists(snapshot_file)
    again = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in again.load():
        pass
    assert "snapshot" not in list(again.finish(index=False))
    assert again.store.papers == session.store.papers
