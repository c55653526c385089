"""The overview (g): papers per day and the top facets as bars with counts, readable at 80 columns with
Chinese labels aligned; enter on a bar shows exactly its papers in the list."""

from __future__ import annotations

from support.app_support import DEMO_PAPERS, demo_app, main_screen, press, screen_text, shown_keys, started, status_text
from rich.cells import cell_len
from textual.widgets import Input

from digest_tui.screens.overview import BarChart, OverviewScreen, bar, calendar_counts

NARROW = (80, 30)


def chart(app, name: str) -> BarChart:
    return app.screen.query_one(f"#chart-{name}", BarChart)


async def focus_bar(pilot, name: str, label: str) -> None:
    """Move the overview's cursor to the bar labelled `label` in one chart, as a person would (tab, ↓)."""
    app = pilot.app
    target = chart(app, name)
    while app.focused is not target:
        await press(pilot, "tab")
    while target.bars[target.cursor][0] != label:
        await press(pilot, "down")


async def test_g_opens_the_overview_with_the_counts_of_every_loaded_paper():
    app = demo_app()
    async with started(app, size=NARROW) as pilot:
        await press(pilot, "slash")
        await pilot.press(*"cat:cs.CV")
        await press(pilot, "enter")
        assert len(shown_keys(app)) < DEMO_PAPERS
        await press(pilot, "g")
        assert isinstance(app.screen, OverviewScreen)
        text = screen_text(app)
        assert f"Overview of {DEMO_PAPERS} loaded papers · 2026-06-12 … 2026-06-18" in text
        assert "Counted over all loaded papers, whatever the list's filter or day." in text
        assert [(label, n) for label, n, _ in chart(app, "days").bars] == [
            ("2026-06-18", 13), ("2026-06-17", 10), ("2026-06-16", 8), ("2026-06-15", 1), ("2026-06-12", 1)]
        assert chart(app, "categories").bars[0][:2] == ("cs.CL", 16)
        assert chart(app, "topics").bars[0] == ("预训练", 8, "topic:预训练")
        for _ in range(100):  # focus moves once the charts are mounted: a refresh or two later
            if app.focused is chart(app, "days"):
                break
            await pilot.pause(0.02)
        assert app.focused is chart(app, "days")
        assert "No tags yet" in str(chart(app, "tags").render())  # an empty facet says why (below the fold here)
        assert not chart(app, "tags").can_focus
        await press(pilot, "escape")
        assert not isinstance(app.screen, OverviewScreen)
        assert main_screen(app).query_text == "cat:cs.CV"  # esc changes nothing


async def test_every_line_fits_80_columns_and_chinese_labels_line_up():
    app = demo_app()
    async with started(app, size=NARROW) as pilot:
        await press(pilot, "g")
        lines = screen_text(app).splitlines()
        assert all(cell_len(line) <= 80 for line in lines)
        topics = [line for line in lines if line.lstrip().startswith(("预训练", "智能体", "多模态", "大模型相关"))]
        assert len(topics) == 4
        # the bars start in the same column (cells, not characters) whatever the label's width
        starts = {cell_len(line[: line.index("█")]) for line in topics}
        assert len(starts) == 1
        counts = [line.rstrip().rsplit(" ", 1)[1] for line in topics]
        assert counts == ["8", "7", "6", "3"]
        assert {cell_len(line.rstrip()) for line in topics} == {cell_len(topics[0].rstrip())}


async def test_choosing_a_category_bar_filters_the_list_to_it():
    app = demo_app()
    async with started(app, size=NARROW) as pilot:
        await press(pilot, "left_square_bracket")  # a day, which the bar's filter replaces
        await press(pilot, "g")
        await focus_bar(pilot, "categories", "cs.CV")
        await press(pilot, "enter")
        screen = main_screen(app)
        assert app.screen is screen
        assert screen.query_text == "cat:cs.CV" and screen.day is None
        assert screen.query_one("#filter", Input).value == "cat:cs.CV"
        papers = app.store.papers
        assert len(shown_keys(app)) == 6
        assert all("cs.CV" in papers[row].categories for row in screen.paper_list.rows)
        assert status_text(app).startswith(f"6 of {DEMO_PAPERS} papers · filter: cat:cs.CV")


async def test_choosing_a_day_or_an_institution_or_a_tag():
    app = demo_app()
    async with started(app, size=NARROW) as pilot:
        screen = main_screen(app)
        await press(pilot, "g")
        await focus_bar(pilot, "days", "2026-06-16")
        await press(pilot, "enter")
        assert screen.day == "2026-06-16" and screen.query_text == ""
        assert len(shown_keys(app)) == 8
        await press(pilot, "g")
        await focus_bar(pilot, "institutions", "Meridian Labs(子午线实验室)")
        await press(pilot, "enter")
        assert screen.query_text == 'inst:"Meridian Labs(子午线实验室)"' and screen.day is None
        assert len(shown_keys(app)) >= 4
        for key in shown_keys(app)[:2]:
            app.library.add_tag(app.store.papers[app.store.row(key)], "moe")
        await press(pilot, "g")
        assert chart(app, "tags").bars == [("moe", 2, "tag:moe")]
        await focus_bar(pilot, "tags", "moe")
        await press(pilot, "enter")
        assert screen.query_text == "tag:moe" and len(shown_keys(app)) == 2


async def test_a_click_on_a_bar_chooses_it():
    app = demo_app()
    async with started(app, size=(160, 48)) as pilot:
        await press(pilot, "g")
        categories = chart(app, "categories")
        index = [label for label, _, _ in categories.bars].index("cs.LG")
        await pilot.click(categories, offset=(2, index))
        await pilot.pause()
        await press(pilot)
        assert main_screen(app).query_text == "cat:cs.LG"


async def test_the_overview_is_in_the_palette():
    app = demo_app()
    async with started(app):
        titles = [command.title for command in main_screen(app).palette_commands()]
        assert any(title.startswith("Overview") for title in titles)


def test_bars_are_drawn_in_eighths():
    assert bar(10, 10, 8) == "█" * 8
    assert bar(5, 10, 8) == "████"
    assert bar(1, 10, 4) == "▍"  # 3.2 eighths
    assert bar(1, 1000, 4) == "▏"  # never nothing for a count
    assert bar(0, 10, 8) == ""


def test_the_sparkline_covers_every_calendar_day():
    assert calendar_counts([("2026-06-12", 1), ("2026-06-15", 2)]) == [1, 0, 0, 2]
    assert calendar_counts([]) == []
    assert calendar_counts([("1999", 1), ("2026-06-15", 2)]) == [1, 2]  # not ISO days: as they are


async def test_down_past_the_last_bar_goes_on_to_the_next_chart_and_up_comes_back():
    app = demo_app()
    async with started(app, size=NARROW) as pilot:
        await press(pilot, "g")
        days = chart(app, "days")
        assert app.focused is days
        await press(pilot, *["down"] * len(days.bars))
        assert app.focused is chart(app, "categories") and chart(app, "categories").cursor == 0
        await press(pilot, "up")
        assert app.focused is days and days.cursor == len(days.bars) - 1


async def test_leaving_the_overview_while_it_counts_stops_the_count(monkeypatch):
    """At a million papers the count reads every paper's texts, for tens of seconds; leaving the
    overview stops it (the reader's end waited for its thread: q took 33 s), it is not run out."""
    import threading
    import time

    from textual.worker import WorkerState

    from digest_tui.core.store import Store

    taken: list[str] = []
    first, finished = threading.Event(), threading.Event()
    whole_papers = Store.whole_papers

    def slowly(self):
        try:
            for paper in whole_papers(self):
                taken.append(paper.key)
                first.set()
                time.sleep(0.2)  # a chunk read from the parse cache, as at a million papers
                yield paper
        finally:
            finished.set()

    monkeypatch.setattr(Store, "whole_papers", slowly)
    app = demo_app()
    async with started(app) as pilot:
        await pilot.press("g")
        while not first.is_set():
            await pilot.pause(0.01)
        await pilot.press("escape")
        assert not isinstance(app.screen, OverviewScreen)
        for _ in range(500):
            if not [w for w in app.workers if w.group == "overview" and w.state == WorkerState.RUNNING]:
                break
            await pilot.pause(0.02)
        assert finished.wait(5)
        assert 1 <= len(taken) < DEMO_PAPERS  # stopped after a paper or two, not every one counted
