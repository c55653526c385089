"""Day by day: [ and ] step through the listing dates of the demo (2026-06-12 … 06-18), a shows all
days, the filter and the day combine, and a start from config folders lands on the newest unread day."""

from __future__ import annotations

import pytest
from support.app_support import (
    DEMO_PAPERS,
    current_paper,
    demo_app,
    main_screen,
    press,
    record_notifications,
    shown_keys,
    started,
    status_text,
    type_text,
)

from digest_tui.cli import reader_app
from digest_tui.core.loading.session import load
from digest_tui.core.paths import demo_dir

DAYS = {"2026-06-18": 13, "2026-06-17": 10, "2026-06-16": 8, "2026-06-15": 1, "2026-06-12": 1}


def shown_dates(app) -> set[str]:
    papers = app.store.papers
    return {papers[row].date for row in main_screen(app).paper_list.rows}


async def test_brackets_step_through_the_days_and_a_shows_them_all():
    app = demo_app()
    async with started(app) as pilot:
        notes = record_notifications(app)
        assert current_paper(app).date == "2026-06-18"
        await press(pilot, "left_square_bracket")  # from all days: the selected paper's day
        assert main_screen(app).day == "2026-06-18"
        assert shown_dates(app) == {"2026-06-18"} and len(shown_keys(app)) == 13
        assert status_text(app) == f"13 of {DEMO_PAPERS} papers · day: 2026-06-18 · 13 unread today · sort: date · EN"
        for day in ("2026-06-17", "2026-06-16", "2026-06-15", "2026-06-12"):
            await press(pilot, "left_square_bracket")
            assert shown_dates(app) == {day}, day
            assert len(shown_keys(app)) == DAYS[day]
            assert f"day: {day}" in status_text(app)
            assert current_paper(app).date == day
        await press(pilot, "left_square_bracket")  # no earlier day: it says so and stays
        assert main_screen(app).day == "2026-06-12"
        assert "No earlier day than 2026-06-12" in notes[-1]
        await press(pilot, "right_square_bracket")
        assert shown_dates(app) == {"2026-06-15"}
        await press(pilot, "a")
        assert main_screen(app).day is None
        assert len(shown_keys(app)) == DEMO_PAPERS
        assert status_text(app) == f"{DEMO_PAPERS} papers · sort: date · EN"


async def test_the_filter_stays_while_stepping_days_and_esc_keeps_the_day():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "slash")
        await type_text(pilot, "cat:cs.CL")
        await press(pilot, "enter")
        cl_papers = len(shown_keys(app))
        await press(pilot, "left_square_bracket", "left_square_bracket")
        screen = main_screen(app)
        assert screen.day == "2026-06-17" and screen.query_text == "cat:cs.CL"
        papers = app.store.papers
        rows = screen.paper_list.rows
        assert rows and all(papers[row].date == "2026-06-17" and "cs.CL" in papers[row].categories for row in rows)
        # the unread count is the day's, whatever the filter shows of it
        assert status_text(app) == (f"{len(rows)} of {DEMO_PAPERS} papers · day: 2026-06-17 · {DAYS['2026-06-17']} unread today"
                                    " · filter: cat:cs.CL · sort: date · EN")
        await press(pilot, "escape")  # clears the filter; the day stays until a
        assert screen.query_text == "" and screen.day == "2026-06-17"
        assert len(shown_keys(app)) == DAYS["2026-06-17"]
        await press(pilot, "a")
        assert len(shown_keys(app)) == DEMO_PAPERS and cl_papers < DEMO_PAPERS


async def test_with_a_filter_the_brackets_skip_days_without_a_matching_paper():
    app = demo_app()
    async with started(app) as pilot:
        notes = record_notifications(app)
        await press(pilot, "slash")
        await type_text(pilot, "upvotes>=1")  # HF papers: on 06-18, 06-17, 06-16 and 06-12, none on 06-15
        await press(pilot, "enter")
        screen = main_screen(app)
        await press(pilot, "left_square_bracket")
        seen = [screen.day]
        for _ in range(3):
            await press(pilot, "left_square_bracket")
            seen.append(screen.day)
            assert screen.paper_list.rows, f"stepped onto {screen.day}, a day with no matching paper"
        assert seen == ["2026-06-18", "2026-06-17", "2026-06-16", "2026-06-12"]
        assert not status_text(app).startswith("0 of")
        await press(pilot, "left_square_bracket")
        assert screen.day == "2026-06-12"
        assert notes[-1] == "No earlier day than 2026-06-12 with papers matching the filter (a shows all days)."
        await press(pilot, "right_square_bracket")
        assert screen.day == "2026-06-16"  # not 06-15
        await press(pilot, "escape")  # no filter: every day counts again
        await press(pilot, "left_square_bracket")
        assert screen.day == "2026-06-15"


async def test_with_a_filter_matching_nothing_the_brackets_say_so():
    app = demo_app()
    async with started(app) as pilot:
        notes = record_notifications(app)
        await press(pilot, "slash")
        await type_text(pilot, "nosuchwordanywhere")
        await press(pilot, "enter")
        await press(pilot, "right_square_bracket")
        assert main_screen(app).day is None
        assert notes[-1] == "No day with papers matching the filter."


async def test_a_start_from_the_config_folders_lands_on_the_newest_day_with_unread_papers():
    store, _ = load([demo_dir()])
    app = demo_app(start_on_unread_day=True)
    for paper in store.papers:
        if paper.date == "2026-06-18":
            app.library.set_read(paper, True)
    async with started(app):
        assert main_screen(app).day == "2026-06-17"
        assert shown_dates(app) == {"2026-06-17"}
        assert "day: 2026-06-17" in status_text(app)


async def test_the_unread_count_of_the_day_follows_the_read_marks():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "left_square_bracket")
        assert "· 13 unread today ·" in status_text(app)
        await press(pilot, "r")  # the selected paper is read now
        assert "· 12 unread today ·" in status_text(app)
        await press(pilot, "r")
        assert "· 13 unread today ·" in status_text(app)
        await press(pilot, "a")
        assert "unread today" not in status_text(app)


async def test_paths_given_explicitly_show_every_day():
    app = demo_app()
    async with started(app):
        assert main_screen(app).day is None
        assert len(shown_dates(app)) == len(DAYS)


# -- the command line: config folders, watching ------------------------------------------------


def write_config(private_home, text: str):
    path = private_home / "xdg_config_home" / "digest-tui" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_without_paths_and_without_folders_the_usage_error_names_config_toml(private_home, capsys):
    with pytest.raises(SystemExit) as exited:
        reader_app([])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "set `folders` in" in error and str(private_home / "xdg_config_home" / "digest-tui" / "config.toml") in error


def test_without_paths_the_config_folders_are_opened_watched_and_land_on_a_day(private_home, tmp_path):
    (tmp_path / "a").mkdir()
    config = write_config(private_home, f'folders = ["{tmp_path / "a"}", "{tmp_path / "missing"}"]\nsort = "score"\n'
                                        'language = "zh"\nmark_read_after = 0\n[searches]\ncv = "cat:cs.CV"\n')
    app = reader_app([])
    assert app.paths_to_load == [str(tmp_path / "a"), str(tmp_path / "missing")]
    assert app.watch_folders == [str(tmp_path / "a")]  # a folder that does not exist yet: reported by the load
    assert app.start_on_unread_day
    assert (app.sort, app.language, app.mark_read_after, app.searches) == ("score", "zh", 0.0, {"cv": "cat:cs.CV"})
    assert app.config_path == config


def test_paths_given_are_watched_except_the_demo_and_files(private_home, tmp_path):
    write_config(private_home, f'folders = ["{tmp_path}"]\n')
    (tmp_path / "one.txt").write_text("x", encoding="utf-8")
    app = reader_app(["--demo", str(tmp_path), str(tmp_path / "one.txt")])
    assert app.paths_to_load == [str(tmp_path), str(tmp_path / "one.txt"), str(demo_dir())]
    assert app.watch_folders == [str(tmp_path)]
    assert not app.start_on_unread_day
    assert reader_app(["--no-watch", str(tmp_path)]).watch_folders == []
