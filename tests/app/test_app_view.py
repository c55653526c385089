"""The list's rows for a view (PaperList.select): selected off the UI thread, the newest view's answer shown."""

from __future__ import annotations

import time

from support.app_support import demo_app, main_screen, settle, started

from digest_tui.core.query import parse_query
from digest_tui.core.store import Store


async def test_of_two_views_asked_for_in_a_row_the_list_shows_the_second():
    app = demo_app()
    async with started(app) as pilot:
        papers = main_screen(app).paper_list
        language, vision = parse_query("cat:cs.CL"), parse_query("cat:cs.CV")
        shown, show_rows = [], papers.show_rows
        papers.show_rows = lambda rows, **options: shown.append(rows) or show_rows(rows, **options)
        papers.select((language, "date", None, None))
        papers.select((vision, "score", None, None))  # asked while the first is being selected
        await settle(pilot)
        expected = app.store.select(vision, app.library.mark, "score")
        assert expected and papers.rows == expected
        assert shown == [expected]  # the first view's answer, come back meanwhile, was never shown
        assert papers.view == (vision, "score", None, None) and papers.words == vision.words
        assert main_screen(app).shown == len(expected)  # PaperList.Shown reached the screen


async def test_a_day_and_a_reading_list_narrow_the_rows_and_the_days_with_a_match_come_back():
    app = demo_app()
    async with started(app) as pilot:
        screen = main_screen(app)
        papers, store = screen.paper_list, app.store
        query = parse_query("cat:cs.CL")
        matching = store.select(query, app.library.mark, "date")
        only = frozenset(store.papers[row].key for row in matching[:5])
        day = store.papers[matching[0]].date
        papers.select((query, "date", only, day))
        await settle(pilot)
        assert papers.rows == [row for row in matching[:5] if store.papers[row].date == day]
        assert screen.days.matching == sorted({store.papers[row].date for row in matching[:5]})


async def test_a_query_typed_over_stops_the_search_still_running_for_the_one_before():
    import threading

    from digest_tui.core.textindex import SearchInterrupted

    app = demo_app()
    async with started(app) as pilot:
        papers = main_screen(app).paper_list
        store = app.store
        slow, fast = parse_query("mixture"), parse_query("cat:cs.CV")
        stopped = threading.Event()
        select = store.select

        def searching(query, *args, **kwargs):
            if query is slow:  # a full-text search that takes a long time on a big archive
                if not stopped.wait(5):
                    raise AssertionError("never interrupted")
                raise SearchInterrupted
            return select(query, *args, **kwargs)

        interrupts = []
        store.select = searching
        store.interrupt_search = lambda: interrupts.append(True) or stopped.set()
        papers.select((slow, "date", None, None))
        await pilot.pause(0.05)
        papers.select((slow, "score", None, None))  # the same query (a load's batch): left to run
        assert interrupts == []
        papers.select((fast, "date", None, None))  # typed over: the running search is stopped
        await settle(pilot)
        assert interrupts == [True]
        expected = select(fast, app.library.mark, "date")
        assert expected and papers.rows == expected and papers.view[0] is fast
        assert main_screen(app).shown == len(expected)


async def test_the_lines_kept_for_drawing_again_follow_the_marks_the_theme_and_the_paper():
    """PaperList keeps the lines it drew (a scroll, a resize, a change of focus draws the whole list
    again): a line is drawn again when its mark, the theme or the paper in its row changes."""
    app = demo_app()
    async with started(app) as pilot:
        papers = main_screen(app).paper_list
        row = papers.rows[1]

        def line() -> list:
            return list(papers.render_line(1))

        before = line()
        assert before == line()  # the same line, as kept
        app.library.set_starred(app.store.papers[row], True)
        papers.refresh_rows({row})
        await pilot.pause()
        starred = line()
        assert "".join(segment.text for segment in starred).lstrip().startswith("★")
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        themed = line()
        assert [s.text for s in themed] == [s.text for s in starred]
        assert [s.style for s in themed] != [s.style for s in starred]
        paper = app.store.papers[row]
        app.store.papers[row] = paper._replace(title_en="A title put in since")  # a new Paper in the row
        assert "A title put in since" in "".join(segment.text for segment in line())


async def test_a_filter_typed_faster_than_its_answers_come_still_moves_the_list_along(monkeypatch):
    # each selection takes longer than the pause between two keys (a big archive, or one loading):
    # the newest view's answer is never in before the next key, so an older view's is shown
    # once the list is BEHIND_AT_MOST behind, rather than none until the typing stops
    app = demo_app()
    async with started(app) as pilot:
        screen = main_screen(app)
        real = Store.select

        def slow(self, *args, **kwargs):
            time.sleep(0.3)
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Store, "select", slow)
        await pilot.press("slash")
        seen = []
        for key in "mixture":
            await pilot.press(key)
            await pilot.pause(0.22)  # past FILTER_DELAY: each key's filter applied, then the next key
            seen.append((screen.shown, screen.paper_list.words))
        assert any(shown < 33 and words for shown, words in seen)  # an answer to a word typed, while typing
        await settle(pilot)
        assert screen.shown == 2 and screen.paper_list.words == ("mixture",)  # and the newest last
