"""Pilot tests of the reader's keys on the demo digests: each key is pressed and the state it changes is checked."""

from __future__ import annotations

import re
import threading

from support.app_support import (
    DEMO_PAPERS,
    SIZE,
    current_paper,
    demo_app,
    detail_text,
    main_screen,
    press,
    record_calls,
    record_notifications,
    screen_text,
    settle,
    shown_keys,
    started,
    status_text,
    type_text,
    wait_for_command,
    wait_for_text,
)
from textual.command import CommandPalette
from textual.containers import VerticalScroll
from textual.widgets import Input, TextArea

from digest_tui.screens.dialogs import NoteDialog, TagDialog
from digest_tui.screens.help import HelpScreen
from digest_tui.widgets.paper_detail import PaperDetail

TERN = "2606.18745"  # first in date order: 95%, 41 authors, EN and ZH


def list_lines(app) -> list[str]:
    """The list pane's visible lines (left of the divider)."""
    return [line.split("▕")[0] for line in screen_text(app).splitlines() if "▕" in line]


async def test_startup_shows_every_demo_paper_newest_first():
    app = demo_app()
    async with started(app):
        screen = main_screen(app)
        assert len(app.store) == DEMO_PAPERS
        assert shown_keys(app) == [app.store.papers[row].key for row in app.store.ordered("date")]
        assert screen.paper_list.cursor == 0
        assert current_paper(app).key == TERN
        assert app.focused is screen.paper_list
        assert status_text(app) == f"{DEMO_PAPERS} papers · sort: date · EN"
        assert "Tern-VL Technical Report: Open Vision-Language Agents" in detail_text(app)
        text = screen_text(app)
        # a title that looks like markup is shown as written, brackets and all
        assert "[Re] Revisiting Loss-Spike Early Warning in Small-Scale Pretraining" in text
        for key in ("s Star", "t Tags", "/ Filter", "? Help", "^p Commands"):
            assert key in text


async def test_the_paper_under_the_cursor_stays_put_while_files_are_still_loading(monkeypatch):
    import digest_tui.core.loading.loader as loader_module

    real_read_file = loader_module.read_file
    gate = threading.Event()  # the files after the first wait for it: the load runs on while the user moves
    read = []

    def held_read_file(path, info, cache=None, batched=False):
        read.append(path)
        if len(read) > 1:
            gate.wait(10)
        return real_read_file(path, info, cache, batched)

    monkeypatch.setattr(loader_module, "read_file", held_read_file)
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(app)
        for _ in range(500):  # until the first file is in (10 s at most)
            if screen.paper_list.rows:
                break
            await pilot.pause(0.02)
        assert screen.reading_files and re.search(r"· loading… 1 of 6 files ·", status_text(app))
        await pilot.press("j", "j")
        chosen = current_paper(app)
        assert screen.reading_files
        gate.set()
        await settle(pilot)
        assert not screen.reading_files
        assert status_text(app) == f"{DEMO_PAPERS} papers · sort: date · EN"
        assert current_paper(app).key == chosen.key
        assert chosen.title_en.split(":")[0] in detail_text(app)


async def test_the_status_says_loading_until_the_list_of_every_paper_is_up(monkeypatch):
    # at 1M papers the last selection (a sort of every paper) takes seconds after the last file is in
    from digest_tui.core.store import Store
    from digest_tui.screens.main import MainScreen

    loaded, gate = threading.Event(), threading.Event()
    real_select, real_loaded = Store.select, MainScreen.on_digests_loaded

    def held_select(self, *args, **kwargs):
        if loaded.is_set():
            gate.wait(10)
        return real_select(self, *args, **kwargs)

    def on_digests_loaded(self, message):
        loaded.set()
        real_loaded(self, message)

    monkeypatch.setattr(Store, "select", held_select)
    monkeypatch.setattr(MainScreen, "on_digests_loaded", on_digests_loaded)
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(500):
            if loaded.is_set():
                break
            await pilot.pause(0.02)
        await pilot.pause(0.2)
        assert re.search(r"· loading… 6 of 6 files ·", status_text(app)), status_text(app)
        gate.set()
        await settle(pilot)
        assert status_text(app) == f"{DEMO_PAPERS} papers · sort: date · EN"


async def test_a_slow_search_says_searching_until_its_rows_are_up(monkeypatch):
    from digest_tui.core.store import Store

    gate = threading.Event()
    real_select = Store.select

    def held_select(self, query, *args, **kwargs):
        if query is not None and "mixture" in query.text:
            gate.wait(10)
        return real_select(self, query, *args, **kwargs)

    monkeypatch.setattr(Store, "select", held_select)
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "slash")
        await pilot.press(*"mixture")
        await pilot.pause(0.6)
        assert f"{DEMO_PAPERS} of {DEMO_PAPERS} papers · searching… · filter: mixture" in status_text(app)
        gate.set()
        await settle(pilot)
        status = status_text(app)
        assert "searching" not in status and re.match(r"\d+ of 33 papers · filter: mixture", status), status
        assert len(shown_keys(app)) < DEMO_PAPERS


async def test_j_k_down_up_home_end_move_the_cursor_and_the_detail_follows():
    app = demo_app()
    async with started(app) as pilot:
        screen = main_screen(app)
        keys = shown_keys(app)

        async def at(index: int) -> None:
            assert screen.paper_list.cursor == index
            paper = current_paper(app)
            assert paper.key == keys[index]
            assert paper.title_en.split(":")[0] in detail_text(app)

        await press(pilot, "j")
        await at(1)
        await press(pilot, "down", "down")
        await at(3)
        await press(pilot, "k")
        await at(2)
        await press(pilot, "up", "up", "up")  # stops at the top
        await at(0)
        await press(pilot, "end")
        await at(len(keys) - 1)
        await press(pilot, "j")  # stops at the bottom
        await at(len(keys) - 1)
        assert "Small Reasoners, Open Recipes" in list_lines(app)[len(keys) - 1]
        await press(pilot, "home")
        await at(0)


async def test_pagedown_pageup_move_a_page_and_keep_the_cursor_visible():
    app = demo_app()
    async with started(app, size=(160, 20)) as pilot:
        papers = main_screen(app).paper_list
        height = papers.scrollable_content_region.height
        assert 10 < height < DEMO_PAPERS

        def visible() -> bool:
            top = int(papers.scroll_offset.y)
            return top <= papers.cursor < top + height

        await press(pilot, "pagedown")
        assert papers.cursor == height - 1 and visible()
        await press(pilot, "pagedown")
        assert papers.cursor == min(2 * (height - 1), DEMO_PAPERS - 1) and visible()
        assert papers.scroll_offset.y > 0
        title = current_paper(app).title_en[:30]
        assert any(title in line for line in list_lines(app))
        await press(pilot, "pageup")
        assert papers.cursor == min(2 * (height - 1), DEMO_PAPERS - 1) - (height - 1) and visible()
        await press(pilot, "pageup", "pageup")
        assert papers.cursor == 0 and papers.scroll_offset.y == 0


async def test_l_switches_titles_and_abstract_between_english_and_chinese():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "l")
        assert main_screen(app).language == "zh"
        assert status_text(app).endswith("· 中文")
        lines = list_lines(app)
        assert "Tern-VL技术报告" in lines[0]
        # papers without a Chinese title keep their English one
        assert any("Do MoE Routers Memorise Domains?" in line for line in lines)
        detail = detail_text(app)
        assert "摘要 (中文)" in detail and "Abstract (English)" not in detail
        assert detail.index("Tern-VL技术报告") < detail.index("Tern-VL Technical Report")
        await press(pilot, "l")
        assert main_screen(app).language == "en"
        assert "Tern-VL Technical Report" in list_lines(app)[0]
        assert "Abstract (English)" in detail_text(app)


async def test_s_stars_and_unstars_the_paper_and_its_line():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "j")
        paper = current_paper(app)
        await press(pilot, "s")
        assert app.library.mark(paper.key).starred
        assert list_lines(app)[1].startswith("★")
        assert not list_lines(app)[0].startswith("★")
        assert "★ starred" in detail_text(app)
        await press(pilot, "s")
        assert not app.library.mark(paper.key).starred
        assert not list_lines(app)[1].startswith("★")
        assert "not starred" in detail_text(app)


async def test_r_toggles_read_and_the_unread_dot():
    app = demo_app()  # mark_read_after=0: nothing becomes read by being looked at
    async with started(app) as pilot:
        await press(pilot, "j", "k")
        await pilot.pause(0.3)
        assert not any(app.library.mark(key).read for key in shown_keys(app))
        assert list_lines(app)[0][1] == "●"
        await press(pilot, "r")
        assert app.library.mark(TERN).read
        assert list_lines(app)[0][1] == "○"
        assert "not starred · read" in detail_text(app)
        await press(pilot, "r")
        assert not app.library.mark(TERN).read
        assert list_lines(app)[0][1] == "●"
        assert "not starred · unread" in detail_text(app)


async def test_a_paper_viewed_for_mark_read_after_seconds_becomes_read():
    app = demo_app(mark_read_after=0.4)
    async with started(app) as pilot:
        keys = shown_keys(app)
        await type_text(pilot, "jj")  # the second paper is passed over at once
        assert main_screen(app).paper_list.cursor == 2
        assert not app.library.mark(keys[2]).read
        for _ in range(50):  # 0.4 s, and some slack for a busy machine
            await pilot.pause(0.1)
            if app.library.mark(keys[2]).read:
                break
        assert app.library.mark(keys[2]).read
        assert not app.library.mark(keys[1]).read
        assert list_lines(app)[2][1] == "○" and list_lines(app)[1][1] == "●"
        await press(pilot, "r")  # the user's word wins: unread, and no timer marks it read again
        await pilot.pause(0.6)
        assert not app.library.mark(keys[2]).read


async def test_t_opens_the_tag_dialog_and_enter_toggles_typed_tags():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "t")
        dialog = app.screen
        assert isinstance(dialog, TagDialog)
        assert "Tern-VL Technical Report" in screen_text(app)
        await type_text(pilot, "moe")
        await press(pilot, "enter")
        assert app.library.mark(TERN).tags == ("moe",)
        assert app.screen is dialog  # stays open for more tags
        await type_text(pilot, "to read")
        await press(pilot, "enter")
        assert app.library.mark(TERN).tags == ("moe", "to-read")
        text = screen_text(app)
        assert "On this paper: moe, to-read" in text
        assert "In use: 1:moe, 2:to-read" in text
        await type_text(pilot, "MOE")  # tags match without case: this removes it
        await press(pilot, "enter")
        assert app.library.mark(TERN).tags == ("to-read",)
        await press(pilot, "enter")  # an empty line closes
        assert app.screen is main_screen(app)
        assert "to-read" in list_lines(app)[0]
        assert "Tags: to-read" in detail_text(app)


async def test_tag_dialog_completes_from_tags_in_use_and_esc_closes():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "t")
        await type_text(pilot, "reproduce")
        await press(pilot, "enter", "escape")
        assert app.screen is main_screen(app)
        await press(pilot, "j", "t")
        await type_text(pilot, "rep")
        await press(pilot, "right")  # accept the suggestion
        assert app.screen.query_one("#tag", Input).value == "reproduce"
        await press(pilot, "enter", "escape")
        assert app.library.mark(shown_keys(app)[1]).tags == ("reproduce",)
        assert app.library.tags() == ["reproduce"]


async def test_number_keys_toggle_the_first_nine_tags():
    app = demo_app()
    async with started(app) as pilot:
        messages = record_notifications(app)
        await press(pilot, "1")
        assert "No tag 1 yet" in messages[-1]
        assert app.library.mark(TERN).tags == ()
        await press(pilot, "t")
        for tag in ("alpha", "beta"):
            await type_text(pilot, tag)
            await press(pilot, "enter")
        await press(pilot, "escape", "j")
        paper = current_paper(app)
        await press(pilot, "2")
        assert app.library.mark(paper.key).tags == ("beta",)
        await press(pilot, "1")
        assert app.library.mark(paper.key).tags == ("beta", "alpha")
        await press(pilot, "2")
        assert app.library.mark(paper.key).tags == ("alpha",)
        assert messages[-1] == "Untagged 'beta'"
        await press(pilot, "3")
        assert "No tag 3 yet" in messages[-1]
        assert app.library.mark(paper.key).tags == ("alpha",)


async def test_n_note_dialog_saves_with_ctrl_s_and_esc_cancels():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "n")
        assert isinstance(app.screen, NoteDialog)
        assert app.focused is app.screen.query_one(TextArea)
        await type_text(pilot, "qs? 3")  # keys that are bindings elsewhere are text here
        await press(pilot, "ctrl+s")
        assert app.screen is main_screen(app) and app.is_running
        mark = app.library.mark(TERN)
        assert mark.note == "qs? 3"
        assert not mark.starred
        assert "Note: qs? 3" in detail_text(app)
        await press(pilot, "n")
        assert app.screen.query_one(TextArea).text == "qs? 3"
        await type_text(pilot, " x")
        await press(pilot, "escape")
        assert app.screen is main_screen(app)
        assert app.library.mark(TERN).note == "qs? 3"
        await press(pilot, "n")
        app.screen.query_one(TextArea).clear()
        await press(pilot, "ctrl+s")
        assert app.library.mark(TERN).note == ""
        assert "Note:" not in detail_text(app)


async def test_filter_bar_filters_as_you_type_and_enter_keeps_it():
    app = demo_app()
    async with started(app) as pilot:
        screen = main_screen(app)
        bar = screen.query_one("#filter", Input)
        assert not bar.display
        await press(pilot, "slash")
        assert bar.display and app.focused is bar
        await type_text(pilot, "cat:cs.CV")
        await pilot.pause(0.25)  # past the debounce
        await press(pilot)
        rows = shown_keys(app)
        assert len(rows) == 6
        assert all("cs.CV" in app.store.papers[app.store.row(key)].categories for key in rows)
        assert status_text(app) == f"6 of {DEMO_PAPERS} papers · filter: cat:cs.CV · sort: date · EN"
        lines = list_lines(app)
        assert all(line.strip() for line in lines[:6]) and not lines[6].strip()
        await press(pilot, "enter")
        assert app.focused is screen.paper_list
        # the bar goes, the footer is back in its line, the status line shows the filter kept
        assert not bar.display and bar.value == "cat:cs.CV"
        assert screen_text(app).splitlines()[-1].strip().startswith("? Help")
        assert status_text(app) == f"6 of {DEMO_PAPERS} papers · filter: cat:cs.CV · sort: date · EN"
        await press(pilot, "slash")  # the filter kept, to edit
        assert bar.display and app.focused is bar and bar.value == "cat:cs.CV " and bar.cursor_position == 10
        assert screen_text(app).splitlines()[-1].strip() == "cat:cs.CV"


async def test_a_bad_filter_is_reported_and_the_old_filter_stays():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "slash")
        await type_text(pilot, "cat:cs.CV")
        await press(pilot, "enter")
        kept = shown_keys(app)
        await press(pilot, "slash", "end")  # "/" shows the filter kept, the cursor after it
        await type_text(pilot, "(")
        assert main_screen(app).query_one("#filter", Input).value == "cat:cs.CV ("
        await pilot.pause(0.3)
        await press(pilot)
        status = status_text(app)
        assert "bad filter: unclosed '('" in status and "(old filter kept)" in status
        assert status.startswith(f"6 of {DEMO_PAPERS} papers · filter: cat:cs.CV ")
        assert shown_keys(app) == kept
        await press(pilot, "enter")
        assert shown_keys(app) == kept
        assert "bad filter" in status_text(app)


async def test_escape_clears_the_filter_and_hides_the_bar():
    app = demo_app()
    async with started(app) as pilot:
        screen = main_screen(app)
        await press(pilot, "slash")
        await type_text(pilot, "agents")
        await press(pilot, "enter")
        assert 0 < len(shown_keys(app)) < DEMO_PAPERS
        await press(pilot, "escape")
        bar = screen.query_one("#filter", Input)
        assert not bar.display and bar.value == ""
        assert len(shown_keys(app)) == DEMO_PAPERS
        assert status_text(app) == f"{DEMO_PAPERS} papers · sort: date · EN"
        assert app.focused is screen.paper_list
        # escape straight from the bar, while typing, does the same
        await press(pilot, "slash")
        await type_text(pilot, "zq")
        await pilot.pause(0.3)
        await press(pilot)
        assert shown_keys(app) == []
        assert "No papers match." in screen_text(app)
        await press(pilot, "escape")
        assert len(shown_keys(app)) == DEMO_PAPERS and not bar.display
        # enter on an empty bar hides it too
        await press(pilot, "slash", "enter")
        assert not bar.display and app.focused is screen.paper_list


async def test_keys_typed_in_the_filter_bar_are_text_not_commands():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "slash")
        await type_text(pilot, "sqtn1Srwl?jeAoy")
        await pilot.pause(0.3)
        await press(pilot)
        screen = main_screen(app)
        assert app.is_running and app.screen is screen
        assert screen.query_one("#filter", Input).value == "sqtn1Srwl?jeAoy"
        assert app.library.tags() == [] and not app.library.mark(TERN).starred
        assert screen.language == "en" and screen.sort == "date"
        assert shown_keys(app) == []


async def test_shift_s_cycles_the_sort_and_keeps_the_paper_under_the_cursor():
    app = demo_app()
    async with started(app) as pilot:
        screen = main_screen(app)
        await press(pilot, "j", "j", "j")
        chosen = current_paper(app).key
        for sort in ("score", "upvotes", "title", "date"):
            await press(pilot, "S")
            assert screen.sort == sort
            assert f"· sort: {sort} ·" in status_text(app)
            assert shown_keys(app) == [app.store.papers[row].key for row in app.store.ordered(sort)]
            assert current_paper(app).key == chosen
        await press(pilot, "S", "S")
        assert shown_keys(app)[0] == TERN  # highest upvotes (58)


async def test_o_p_y_open_the_page_the_pdf_and_copy_the_link():
    app = demo_app()
    async with started(app) as pilot:
        opened = record_calls(app, "open_link")
        copied = record_calls(app, "copy_link")
        messages = record_notifications(app)
        await press(pilot, "o")
        await press(pilot, "p")
        await press(pilot, "y")
        assert opened == [f"https://arxiv.org/abs/{TERN}", f"https://arxiv.org/pdf/{TERN}"]
        assert copied == [f"https://arxiv.org/abs/{TERN}"]
        # a paper with no arXiv id has nothing to open: a warning, no call
        index = next(i for i, key in enumerate(shown_keys(app)) if app.store.papers[app.store.row(key)].id is None)
        main_screen(app).paper_list.cursor = index
        await press(pilot)
        assert current_paper(app).id is None
        await press(pilot, "o", "p", "y")
        assert len(opened) == 2 and len(copied) == 1
        assert "no arXiv id" in messages[-1]


async def test_shift_a_shows_all_authors_until_the_paper_changes():
    app = demo_app()
    async with started(app) as pilot:
        paper = current_paper(app)
        assert len(paper.authors) == 41
        assert "… and 29 more (A shows all)" in detail_text(app)
        assert paper.authors[-1] not in detail_text(app)
        await press(pilot, "A")
        assert paper.authors[-1] in detail_text(app)
        assert "more (A shows all)" not in detail_text(app)
        await press(pilot, "A")
        assert "… and 29 more (A shows all)" in detail_text(app)
        await press(pilot, "A", "j", "k")
        assert "… and 29 more (A shows all)" in detail_text(app)


async def test_enter_focuses_the_detail_pane_and_enter_again_goes_back():
    app = demo_app()
    async with started(app) as pilot:
        screen = main_screen(app)
        await press(pilot, "enter")
        assert isinstance(app.focused, PaperDetail)
        await press(pilot, "j")  # the list does not move while the details have focus
        assert screen.paper_list.cursor == 0
        await press(pilot, "s")  # the paper keys still work there
        assert app.library.mark(TERN).starred
        await press(pilot, "enter")
        assert app.focused is screen.paper_list


async def _scrolled(pilot, page, key: str) -> float:
    await press(pilot, key)
    await pilot.wait_for_scheduled_animations()
    return page.scroll_y


async def test_j_k_space_and_b_scroll_the_detail_pane_and_the_help_as_a_pager_does():
    app = demo_app()
    async with started(app, size=(80, 24)) as pilot:
        screen = main_screen(app)
        await press(pilot, "enter")
        detail = app.focused
        assert isinstance(detail, PaperDetail) and detail.max_scroll_y > detail.size.height  # more than a page to read
        page = detail.scrollable_content_region.height
        assert await _scrolled(pilot, detail, "j") == 1
        assert await _scrolled(pilot, detail, "j") == 2
        assert await _scrolled(pilot, detail, "k") == 1
        assert await _scrolled(pilot, detail, "space") == 1 + page
        assert await _scrolled(pilot, detail, "b") == 1
        assert screen.paper_list.cursor == 0  # none of them moved the list
        await press(pilot, "question_mark")
        body = app.screen.query_one(VerticalScroll)
        assert app.focused is body and body.max_scroll_y > 0
        assert await _scrolled(pilot, body, "j") == 1
        assert await _scrolled(pilot, body, "space") == 1 + body.scrollable_content_region.height
        assert await _scrolled(pilot, body, "b") == 1
        assert await _scrolled(pilot, body, "k") == 0
        assert isinstance(app.screen, HelpScreen)


async def test_question_mark_shows_help_and_esc_q_or_question_mark_close_it():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "digest-tui — keys" in screen_text(app)
        text = screen_text(app)
        app.screen.query_one(VerticalScroll).scroll_end(animate=False)
        await press(pilot)
        text += screen_text(app)
        for expected in ("esc closes", "Star", "paper.star", "Toggle tag 1–9", "list.page_down", "Filter language (/)",
                         "is:starred", "dialog.close"):
            assert expected in text, expected
        for close in ("escape", "q", "question_mark"):
            if close != "escape":
                await press(pilot, "question_mark")
            await press(pilot, close)
            assert app.screen is main_screen(app) and app.is_running, close


async def test_q_quits():
    app = demo_app()
    async with started(app) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_command_palette_lists_our_commands_and_runs_them():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "Star")
        await wait_for_command(pilot, "Star / unstar paper")
        assert "Star / unstar paper" in screen_text(app)
        await press(pilot, "enter")
        await press(pilot)
        assert app.screen is main_screen(app)
        assert app.library.mark(TERN).starred
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Side")
        await wait_for_command(pilot, "Side by side: both languages")
        await press(pilot, "enter")
        await press(pilot)
        assert main_screen(app).side_by_side and main_screen(app).language == "en"
        assert "EN+中文" in status_text(app)
        detail = detail_text(app)
        assert "Abstract (English)" in detail and "摘要 (中文)" in detail
        # without typing, the palette lists commands by name, ours among them, each with its key
        await press(pilot, "ctrl+p")
        await wait_for_text(pilot, "Show every listing date again (a)")  # All days: the first of ours by name
        await press(pilot, "escape")
        assert app.screen is main_screen(app)


async def test_every_key_of_the_main_screen_is_also_a_palette_command():
    app = demo_app()
    async with started(app):
        screen = main_screen(app)
        callbacks = [command.run for command in screen.palette_commands()]
        titles = [command.title for command in screen.palette_commands()]
        assert "Star / unstar paper" in titles and "Load reading list…" in titles
        assert "Help" in [command.title for command in app.get_system_commands(screen)]
        for owner in (screen, screen.panes):
            for binding in owner.BINDINGS:
                if binding.action in ("focus_detail",) or binding.action.startswith(("toggle_tag_number", "saved_search")):
                    continue  # enter moves focus; tag keys and saved searches get commands once they exist
                assert getattr(owner, f"action_{binding.action}") in callbacks, binding.action


async def test_a_click_selects_a_paper_and_a_double_click_opens_its_details():
    app = demo_app()
    async with started(app) as pilot:
        screen = main_screen(app)
        await pilot.click("#papers", offset=(30, 3))
        await press(pilot)
        assert screen.paper_list.cursor == 3 and current_paper(app).key == shown_keys(app)[3]
        await pilot.double_click("#papers", offset=(30, 5))
        await press(pilot)
        assert screen.paper_list.cursor == 5
        assert isinstance(app.focused, PaperDetail)


async def test_a_filter_on_a_big_archive_whose_text_index_is_being_written_says_how_much_it_searched(monkeypatch):
    from digest_tui.core.store import Store

    share = {"value": 41}
    monkeypatch.setattr(Store, "texts_searched", lambda self, query: share["value"] if query is not None and query.texts else None)
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "slash")
        await pilot.press(*"mixture", "enter")
        await settle(pilot)
        assert "· filter: mixture (full text in 41% so far: indexing)" in status_text(app), status_text(app)
        share["value"] = None  # the index is whole: the next filter says nothing of it
        await press(pilot, "slash")
        await pilot.press("x", "enter")
        await settle(pilot)
        assert "indexing" not in status_text(app) and "filter: mixture x" in status_text(app), status_text(app)
