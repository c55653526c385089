"""A warm start lists papers from the parse cache without their long texts and fills them in
afterwards; nothing a person can look at may show the difference: the detail pane, the
overview, search and exports read the texts on the spot while they are still pending."""

from __future__ import annotations

import json

import pytest
from support.app_support import SIZE, demo_app, detail_text, main_screen, press, screen_text, shown_keys, started, type_text
from textual.widgets import Select

from digest_tui.screens.main import MainScreen
from digest_tui.screens.overview import OverviewScreen


@pytest.fixture
def texts_never_filled(monkeypatch):
    """The background fill never runs, so every text the app shows must come from the on-demand path."""
    monkeypatch.setattr(MainScreen, "complete_papers", lambda self: None)


async def cold_run_details() -> tuple[str, list[str]]:
    """The first run (it fills the parse cache): the first paper's details and the list."""
    app = demo_app()
    async with started(app):
        return detail_text(app), shown_keys(app)


async def test_the_detail_pane_of_a_warm_start_shows_the_abstracts_read_from_the_cache(texts_never_filled):
    cold_detail, cold_keys = await cold_run_details()  # fills the parse cache
    app = demo_app()
    async with started(app) as pilot:
        assert app.store.texts_pending, "the second run should list papers from the cache, texts pending"
        assert shown_keys(app) == cold_keys
        assert detail_text(app) == cold_detail
        assert "Abstract" in cold_detail or "摘要" in cold_detail
        await press(pilot, "j")
        row = main_screen(app).paper_list.current_row
        assert app.store.papers[row].abstract_en  # shown, so read in


async def test_search_overview_and_export_of_a_warm_start_see_the_pending_texts(texts_never_filled, tmp_path, monkeypatch):
    await cold_run_details()
    monkeypatch.chdir(tmp_path)
    app = demo_app()
    async with started(app, size=(100, 40)) as pilot:
        assert app.store.texts_pending
        await press(pilot, "slash")
        await type_text(pilot, "proprietary")  # a word found only in abstracts
        await press(pilot, "enter")
        assert 0 < len(shown_keys(app)) < 33
        await press(pilot, "escape")

        await press(pilot, "g")
        assert isinstance(app.screen, OverviewScreen)
        assert "No institutions" not in screen_text(app)  # institutions are among the pending texts
        await press(pilot, "escape")

        await press(pilot, "s")  # star the first paper and export it
        await press(pilot, "e")
        app.screen.query_one("#format", Select).value = "json"
        await press(pilot, "ctrl+s")
        [exported] = json.loads((tmp_path / "digest-export.json").read_text(encoding="utf-8"))
        assert exported["abstract_en"] and exported["abstract_zh"]


async def test_triage_on_a_warm_start_shows_each_paper_whole_and_reads_no_other_texts(texts_never_filled):
    """T used to read every shown paper whole before its first paper (24 s at a million papers);
    each paper's texts are read from the parse cache as it comes up now, and not kept."""
    from textual.widgets import Static

    from digest_tui.screens.triage import TriageScreen

    await cold_run_details()  # fills the parse cache
    app = demo_app()
    async with started(app) as pilot:
        store = app.store
        pending_before = store.texts_pending
        read_rows: list[int] = []
        papers_with_texts = store.papers_with_texts
        store.papers_with_texts = lambda rows: read_rows.extend(rows) or papers_with_texts(rows)
        await press(pilot, "T")
        assert isinstance(app.screen, TriageScreen)
        first_key = app.screen.papers[0].key
        row = store.row(first_key)
        assert read_rows == [row]  # the paper shown, and no other
        shown = "\n".join(str(widget.render()) for widget in app.screen.query(Static))
        whole = papers_with_texts([row])[0]
        assert whole.abstract_en and whole.abstract_en.split()[0] in shown
        await press(pilot, "n")  # skip: the next paper comes up, read in its turn
        second = store.row(app.screen.papers[1].key)
        assert read_rows == [row, second]
        assert store.texts_pending == pending_before and not store.papers[second].abstract_en  # not kept in the store


async def test_read_all_on_a_warm_start_marks_every_paper_without_reading_their_texts(texts_never_filled):
    """R used to read every unread paper shown whole first (22 s at a million papers): a read mark,
    and the library's copy of a starred paper, keep no long text."""
    await cold_run_details()  # fills the parse cache
    app = demo_app()
    async with started(app) as pilot:
        store = app.store
        store.papers_with_texts = lambda rows: pytest.fail("read whole for a read mark")
        await press(pilot, "j", "s")  # a starred paper: the library keeps its title, authors, date
        keys = shown_keys(app)
        await press(pilot, "R")
        await press(pilot, "y")
        assert all(app.library.mark(key).read for key in keys)
        starred = keys[1]
        assert app.library.paper(starred).title_en == store.papers[store.row(starred)].title_en


async def test_a_mark_on_a_selection_of_every_paper_reads_only_the_paper_shown_whole(texts_never_filled):
    """`*` then `r`: each selected paper used to be read whole first, and its texts kept in the
    store (68 s for a million papers, and every text in memory); marks keep no long text."""
    await cold_run_details()  # fills the parse cache
    app = demo_app()
    async with started(app) as pilot:
        store = app.store
        asked: list[int] = []
        paper = store.paper
        store.paper = lambda row: asked.append(row) or paper(row)
        whole_before = sum(1 for p in store.papers if p.abstract_en)
        await press(pilot, "asterisk")
        await press(pilot, "r")
        keys = shown_keys(app)
        assert len(keys) > 2 and all(app.library.mark(key).read for key in keys)
        current = main_screen(app).paper_list.current_row
        assert set(asked) <= {current}  # the detail pane's paper, drawn again with its new mark
        assert sum(1 for p in store.papers if p.abstract_en) == whole_before  # no other paper's texts came in


def test_a_reader_quit_before_the_load_snapshot_leaves_it_for_the_next_start(tmp_path, monkeypatch):
    """`digest-tui PATH` quit as soon as the list is up, before the finishing steps got to the load
    snapshot (at a million papers they need ~14 s): a copy of the process writes it as the reader
    ends, so the next start is a warm one."""
    import asyncio
    import os
    import shutil

    from digest_tui import cli
    from digest_tui.app import DigestApp
    from digest_tui.core.loading import snapshot
    from digest_tui.core.loading.session import LoadSession, default_cache
    from digest_tui.core.paths import demo_dir

    folder = tmp_path / "digests"
    shutil.copytree(demo_dir(), folder)
    monkeypatch.setattr(MainScreen, "complete_papers", lambda self: None)  # quit before any finishing step

    async def quit_once_listed(app: DigestApp) -> None:
        async with started(app) as pilot:
            await press(pilot, "q")

    monkeypatch.setattr(DigestApp, "run", lambda self: asyncio.run(quit_once_listed(self)))
    monkeypatch.setattr(cli, "_check_terminal", lambda: None)
    copies: list[int] = []
    apart = LoadSession.snapshot_apart
    monkeypatch.setattr(LoadSession, "snapshot_apart", lambda self: copies.append(apart(self)) or copies[-1])
    assert cli.main([str(folder), "--no-watch"]) == 0
    assert len(copies) == 1 and copies[0] > 0
    assert os.waitpid(copies[0], 0)[1] == 0
    assert os.path.exists(snapshot.snapshot_path(default_cache(), [str(folder)]))


async def test_q_while_the_text_index_is_written_rolls_the_write_back_rather_than_wait_for_it(monkeypatch):
    """At a million papers one write of the text index takes seconds, most of them in SQLite, and
    the reader's end used to wait for it (q took 4.6 s): q now stops it in the statement it is in."""
    import threading
    import time

    from digest_tui.core.textindex import TextIndex, WritesStopped

    writing = threading.Event()
    outcomes: list[str] = []
    put = TextIndex.put

    def slow_put(self, rows):
        self._connection.set_progress_handler(lambda: time.sleep(0.002) or 0, 1)  # a write of many seconds
        writing.set()
        try:
            put(self, rows)
        except WritesStopped:
            outcomes.append("stopped")
            raise
        outcomes.append("written")

    monkeypatch.setattr(TextIndex, "put", slow_put)
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        while not writing.is_set():
            await pilot.pause(0.01)
        await pilot.press("q")
    for _ in range(1000):  # the finishing steps' thread says how its write ended
        if outcomes:
            break
        time.sleep(0.01)
    else:
        app.store.texts.stop_writes()  # (so that a failing test does not wait minutes for the write)
    assert outcomes == ["stopped"]
    assert app.store.texts is not None  # stopped, not failed: the next start goes on writing it
