"""The reader's side of fetching and the ledger: "Fetch today's digests" (palette and F) against a
local HTTP server, the watched folder bringing the papers in; the overview's ledger and done mark;
the replacement flag of a starred paper in the list and the detail pane."""

from __future__ import annotations

import shutil

import pytest
from textual.command import CommandPalette

from support.app_support import (
    detail_text,
    main_screen,
    press,
    record_notifications,
    screen_text,
    settle,
    shown_keys,
    started,
    type_text,
    wait_for_command,
)
from digest_tui.app import DigestApp
from digest_tui.core import fetch
from digest_tui.core.config import FetchSettings
from digest_tui.core.model import make_paper
from digest_tui.core.paths import demo_dir
from support.fetch_server import Answer, FeedServer
from test_app_live import until, watching

FEED = "arxiv-rss-cs.CL+cs.LG-2026-06-18.xml"
WRITTEN = "arxiv-cs.CL+cs.LG-2026-06-18.xml"


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr(fetch, "MIN_INTERVAL", 0.0)
    monkeypatch.setattr(fetch, "BACKOFF", 0.0)


def fetching_app(folder, server, tmp_path, **kwargs) -> DigestApp:
    settings = FetchSettings(arxiv=["cs.CL", "cs.LG"], hf=False, arxiv_url=server.base + "/rss/")
    return DigestApp([str(folder)], watch=[str(folder)], mark_read_after=0, watch_options={"debounce_ms": 100},
                     fetch=settings, fetch_folder=folder, fetch_state=tmp_path / "fetch.json", **kwargs)


async def test_the_palette_entry_fetches_into_the_watched_folder_and_the_papers_come_in(server, fixtures, tmp_path):
    folder = tmp_path / "digests"
    folder.mkdir()
    shutil.copy(demo_dir() / "arxivdaily-2026-06-18.txt", folder)
    server.serve("/rss/cs.CL+cs.LG", Answer(200, (fixtures / FEED).read_bytes(), {"ETag": '"e1"'}))
    app = fetching_app(folder, server, tmp_path)
    async with started(app) as pilot:
        await watching(pilot)
        assert len(shown_keys(app)) == 8
        notes = record_notifications(app)
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "Fetch today")
        await wait_for_command(pilot, "Fetch today's digests")
        await press(pilot, "enter")
        # 9 papers, 5 of them on the demo page already: 4 new ones come in through the watched folder
        await until(pilot, lambda: len(shown_keys(app)) == 12, "the fetched feed's papers in the list")
        written = folder / WRITTEN
        assert written.read_bytes() == (fixtures / FEED).read_bytes()
        assert notes[0] == f"Fetching arXiv cs.CL+cs.LG into {folder}…"
        assert f"arxiv 2026-06-18: 9 papers (5 new, 2 cross-list, 2 replacement) → {WRITTEN}" in notes
        assert f"4 new papers from {WRITTEN}" in notes
        [request] = server.requests
        assert request.path == "/rss/cs.CL+cs.LG"
        assert dict(request.headers)["User-Agent"] == fetch.USER_AGENT

        # F does the same; the answer is now a 304 through the validators kept
        server.serve("/rss/cs.CL+cs.LG", Answer(304))
        await press(pilot, "F")
        await settle(pilot)
        assert dict(server.requests[1].headers)["If-None-Match"] == '"e1"'
        assert f"arxiv 2026-06-18: unchanged since the last fetch, 9 papers (5 new, 2 cross-list, 2 replacement) → {WRITTEN}" in notes


async def test_a_failed_fetch_is_one_notification_and_the_reader_carries_on(server, tmp_path):
    folder = tmp_path / "digests"
    folder.mkdir()
    shutil.copy(demo_dir() / "arxivdaily-2026-06-18.txt", folder)
    server.serve("/rss/cs.CL+cs.LG", Answer(200, b"<!DOCTYPE html><html><body>Maintenance</body></html>"))
    app = fetching_app(folder, server, tmp_path)
    async with started(app) as pilot:
        notes = record_notifications(app)
        await press(pilot, "F")
        await settle(pilot)
        assert notes[-1] == "fetch arxiv: 127.0.0.1 sent something that is not a feed (an HTML page)"
        assert sorted(p.name for p in folder.iterdir()) == ["arxivdaily-2026-06-18.txt"]
        assert app.is_running and len(shown_keys(app)) == 8


async def test_fetch_without_a_folder_says_where_to_set_one(tmp_path):
    app = DigestApp([str(demo_dir())], mark_read_after=0, config_path=tmp_path / "config.toml")
    async with started(app) as pilot:
        notes = record_notifications(app)
        await press(pilot, "F")
        assert notes == [f"Nowhere to fetch to: set `folders` in {tmp_path / 'config.toml'} (the first one gets the files)."]


async def test_the_overview_shows_the_ledger_of_the_day_and_marks_a_done_day(fixtures, tmp_path):
    folder = tmp_path / "digests"
    folder.mkdir()
    shutil.copy(demo_dir() / "arxivdaily-2026-06-18.txt", folder)
    shutil.copy(fixtures / FEED, folder)
    app = DigestApp([str(folder)], mark_read_after=0, library_path=tmp_path / "library.toml",
                    fetch=FetchSettings(arxiv=["cs.CL", "cs.LG"]))
    for key in ("2606.18912", "2606.18061", "2606.18604"):
        app.library.set_read(make_paper(id=key), True)
    async with started(app) as pilot:
        await press(pilot, "left_square_bracket")  # the day of the selected paper: 2026-06-18
        assert main_screen(app).day == "2026-06-18"
        await press(pilot, "g")
        await settle(pilot)
        text = screen_text(app)
        assert "Ledger of 2026-06-18 · 6 left" in text
        assert "category       new  cross  repl  announced  in digests  read  left" in text
        assert "all              5      2     2          9           5     3     6" in text
        assert "cs.CL            3      1     1          5           4     2     3" in text
        assert "cs.LG            2      1     1          4           1     1     3" in text
        assert "2026-06-18 ✓ done" not in text
        await press(pilot, "escape")
        # read the rest: the day is done, and its bar says so
        for paper in app.store.papers:
            app.library.set_read(paper, True)
        await press(pilot, "g")
        await settle(pilot)
        text = screen_text(app)
        assert "Ledger of 2026-06-18 · done: every announced paper is read" in text
        assert "2026-06-18 ✓ done" in text


async def test_the_overview_opens_at_its_top_and_the_cursor_scrolls_its_chart_into_view(fixtures, tmp_path):
    # the first chart takes the focus; scrolled to, it pushed the ledger above the screen at 80×24
    app = DigestApp([str(demo_dir()), str(fixtures / FEED)], mark_read_after=0,
                    library_path=tmp_path / "library.toml", fetch=FetchSettings(arxiv=["cs.CL", "cs.LG"]))
    async with started(app, size=(80, 18)) as pilot:
        await press(pilot, "left_square_bracket", "g")
        await settle(pilot)
        days = app.screen.query_one("#chart-days")
        assert app.focused is days
        lines = screen_text(app).splitlines()
        assert lines[0].startswith(" Overview of 37 loaded papers · 2026-06-12 … 2026-06-18 · 5 days with papers")
        assert lines[2].startswith(" Ledger of 2026-06-18 · 9 left")
        body = app.screen.query_one("#overview-body")
        assert body.scroll_y == 0 and days.region.bottom > body.region.bottom  # the chart runs off the screen
        await press(pilot, "down")
        assert days.cursor == 1
        assert body.region.y <= days.region.y and days.region.bottom <= body.region.bottom  # all of it in sight now


async def test_a_starred_paper_replaced_on_arxiv_is_flagged_in_the_list_and_the_detail(fixtures, tmp_path):
    app = DigestApp([str(fixtures / FEED)], mark_read_after=0, library_path=tmp_path / "library.toml")
    app.library.set_starred(make_paper(id="2605.01234"), True)
    async with started(app) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.panes.replacements == {"2605.01234": "2026-06-18", "2604.05555": "2026-06-18"}
        rows = screen_text(app).splitlines()
        flagged = [line for line in rows if "↻" in line]
        assert len(flagged) == 1 and "Token Budgets for Long-Context Retrieval" in flagged[0]
        keys = shown_keys(app)
        await press(pilot, *["down"] * keys.index("2605.01234"))
        assert "↻ replaced on 2026-06-18: arXiv announced a new version of this starred paper" in detail_text(app)
        await press(pilot, "home", *["down"] * keys.index("2604.05555"))  # replaced too, but not starred: no flag
        assert main_screen(app).panes.current_paper()[1].key == "2604.05555"
        assert "↻" not in detail_text(app)
        await press(pilot, "s")  # starred now: flagged
        assert "↻ replaced on 2026-06-18" in detail_text(app)  # no new count needed: the ledger kept every replacement
        assert len([line for line in screen_text(app).splitlines() if "↻" in line]) == 3  # two rows and the detail


def test_overview_with_the_ledger_snapshot(fixtures, tmp_path, monkeypatch, snap_compare):
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = DigestApp([str(demo_dir() / "arxivdaily-2026-06-18.txt"), str(fixtures / FEED)], mark_read_after=0,
                    library_path=tmp_path / "library.toml", fetch=FetchSettings(arxiv=["cs.CL", "cs.LG"]))
    app.theme = "textual-dark"
    for key in ("2606.18912", "2606.18061", "2606.18604"):
        app.library.set_read(make_paper(id=key), True)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await press(pilot, "left_square_bracket", "g")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 34), run_before=run_before)
