"""A warm start lists papers from the parse cache without their long texts and fills them in
afterwards; nothing a person can look at may show the difference: the detail pane, the
overview, search and exports read the texts on the spot while they are still pending."""

from __future__ import annotations

import json

import pytest
from support.app_support import demo_app, detail_text, main_screen, press, screen_text, shown_keys, started, type_text
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
