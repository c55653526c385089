"""Layouts by width: two panes from 120 columns, one at a time below (enter/tab between them), z zooms the
detail, < and > move the split (remembered); dialogs, the footer and the list fit at 80×24."""

from __future__ import annotations

import tomllib

from support.app_support import (
    current_paper,
    demo_app,
    main_screen,
    press,
    record_notifications,
    screen_text,
    started,
    type_text,
)
from textual.widgets import Button, RadioButton

from digest_tui.cli import reader_app
from digest_tui.core.paths import config_file
from digest_tui.screens.dialogs import Dialog

SMALL = (80, 24)
CLOSING = set(")）]】」』》〉”’。，、；：！？,.;:!?")


async def test_below_120_columns_one_pane_at_a_time_enter_and_tab_switch():
    app = demo_app()
    async with started(app, SMALL) as pilot:
        screen = main_screen(app)
        papers, detail = screen.paper_list, screen.detail
        assert screen.panes.narrow
        assert papers.display and papers.outer_size.width == 80  # the list alone, full width
        assert not detail.display
        await press(pilot, "enter")
        assert detail.display and detail.outer_size.width == 80 and not papers.display
        assert app.focused is detail
        assert current_paper(app).title_en.split(":")[0] in screen_text(app)
        await press(pilot, "enter")  # back to the list, on the same paper
        assert papers.display and not detail.display and app.focused is papers
        await press(pilot, "j", "tab")
        assert detail.display and not papers.display
        await press(pilot, "tab")
        assert papers.display and not detail.display
        await press(pilot, "enter", "escape")  # esc leaves the reading view too
        assert papers.display and not detail.display and app.focused is papers


async def test_from_120_columns_both_panes_show_and_enter_moves_the_focus():
    app = demo_app()
    async with started(app, (120, 40)) as pilot:
        screen = main_screen(app)
        assert not screen.panes.narrow and screen.paper_list.display and screen.detail.display
        assert screen.paper_list.outer_size.width == 72  # the remembered split's 60%
        await press(pilot, "enter")
        assert app.focused is screen.detail and screen.paper_list.display
        await press(pilot, "tab")
        assert app.focused is screen.paper_list


async def test_resizing_across_120_columns_keeps_the_pane_being_read():
    app = demo_app()
    async with started(app, (160, 48)) as pilot:
        screen = main_screen(app)
        await press(pilot, "enter")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.panes.narrow and screen.detail.display and not screen.paper_list.display
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert screen.paper_list.display and screen.detail.display


async def test_z_gives_the_detail_the_whole_screen_at_any_width():
    for size in ((160, 48), SMALL):
        app = demo_app()
        async with started(app, size) as pilot:
            screen = main_screen(app)
            await press(pilot, "z")
            assert screen.panes.zoomed and not screen.paper_list.display
            assert screen.detail.outer_size.width == size[0] and app.focused is screen.detail
            await press(pilot, "z")
            assert not screen.panes.zoomed and screen.paper_list.display and app.focused is screen.paper_list
            await press(pilot, "z", "escape")
            assert not screen.panes.zoomed and screen.paper_list.display
            await press(pilot, "escape")  # the next esc is the filter's again: nothing to clear, nothing moves
            assert screen.paper_list.display


async def test_the_split_moves_with_keys_and_is_remembered(private_home):
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("mark_read_after = 0\n", encoding="utf-8")
    app = reader_app(["--demo"])
    async with started(app, (200, 50)) as pilot:
        screen = main_screen(app)
        notes = record_notifications(app)
        assert screen.paper_list.outer_size.width == 120
        await press(pilot, "greater_than_sign")
        assert screen.panes.pane_split == 65 and screen.paper_list.outer_size.width == 130
        for _ in range(12):
            await press(pilot, "less_than_sign")
        assert screen.panes.pane_split == 25 and screen.paper_list.outer_size.width == 50
        assert notes[-1] == "The list already has the least of the width (25%)."
        await press(pilot, "greater_than_sign")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["pane_split"] == 30
    again = reader_app(["--demo"])
    async with started(again, (200, 50)) as pilot:
        assert main_screen(again).paper_list.outer_size.width == 60
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        notes = record_notifications(again)
        await press(pilot, "greater_than_sign")
        assert main_screen(again).panes.pane_split == 30
        assert notes[-1].startswith("The split is for two panes: they show side by side from 120 columns")


async def test_at_80_columns_the_footer_keeps_help_and_quit_and_the_titles_get_the_width():
    app = demo_app()
    async with started(app, SMALL):
        lines = screen_text(app).splitlines()
        footer = lines[-1]
        assert footer.strip().startswith("? Help") and " q Quit " in footer
        screen = main_screen(app)
        first = lines[0]
        title = current_paper(app).title_en
        assert title[:45] in first  # 45 and more cells of the title, where two panes left 18
        assert not screen.paper_list.show_horizontal_scrollbar
        assert screen.paper_list.show_vertical_scrollbar  # 33 papers, 22 rows: the row it took is not taken twice
        assert len(lines) == 24 and "33 papers" in lines[-2]


async def test_every_dialog_fits_at_80_by_24_with_its_buttons_in_sight():
    app = demo_app()
    async with started(app, SMALL) as pilot:
        screen = main_screen(app)
        for keys in (("e",), ("w",), ("t",), ("n",)):
            await press(pilot, *keys)
            dialog = app.screen
            assert isinstance(dialog, Dialog), keys
            box = dialog.query_one("#box")
            assert app.screen.region.contains_region(box.region), (keys, box.region)
            for button in dialog.query(Button):
                assert box.region.contains_region(button.region), (keys, button.id, button.region)
            await press(pilot, "escape")
            assert app.screen is screen
        await press(pilot, "slash")
        await type_text(pilot, "agent")
        await press(pilot, "enter", "ctrl+s")  # the name dialog of a saved search
        assert app.screen.query_one("#box").region.bottom <= 24
        await press(pilot, "escape")


async def test_the_export_dialog_scrolls_inside_on_a_shorter_terminal_and_its_buttons_stay():
    app = demo_app()
    async with started(app, (80, 16)) as pilot:
        await press(pilot, "e")
        dialog = app.screen
        box, body = dialog.query_one("#box"), dialog.query_one("#body")
        assert app.screen.region.contains_region(box.region)
        assert body.max_scroll_y > 0  # the fields scroll
        save = dialog.query_one("#save", Button)
        assert box.region.contains_region(save.region) and save.region.height == 3
        await press(pilot, "tab")  # focus moves through the fields and reaches the buttons
        for _ in range(8):
            if app.focused is save:
                break
            await press(pilot, "tab")
        assert app.focused is save and box.region.contains_region(save.region)


async def test_the_detail_pane_breaks_chinese_lines_by_the_rules_at_80_columns():
    app = demo_app()
    async with started(app, SMALL) as pilot:
        await press(pilot, "l", "z")
        detail = main_screen(app).detail
        for _ in range(40):
            text = screen_text(app)
            for line in text.splitlines()[:-2]:  # the status line and footer are not the pane
                body = line.strip(" ▁▂▃▄▅▆▇█▔▕▏")
                if body:
                    assert body[0] not in CLOSING, line
            await press(pilot, "pagedown")
            if detail.scroll_y >= detail.max_scroll_y:
                break


async def test_on_a_short_terminal_the_export_dialog_scrolls_its_message_into_sight():
    app = demo_app()
    async with started(app, (80, 16)) as pilot:
        await press(pilot, "e")
        dialog = app.screen
        dialog.query_one("#scope-starred", RadioButton).value = True  # nothing is starred in the demo
        body, error = dialog.query_one("#body"), dialog.query_one("#error")
        body.scroll_home(animate=False)  # as after looking at the choices at the top
        await pilot.pause()
        assert not body.region.contains_region(error.region)  # the message line is out of sight
        await press(pilot, "ctrl+s")
        await pilot.pause()
        assert "Nothing to save" in str(error.render())
        assert body.region.contains_region(error.region) and error.region.height >= 1


async def test_a_line_too_long_for_its_place_ends_in_an_ellipsis_at_80_columns():
    # Textual draws a Rich Text's no_wrap/overflow as neither: the dialogs' titles were cut mid-word
    app = demo_app()
    async with started(app, SMALL) as pilot:
        papers = [app.store.papers[row] for row in main_screen(app).paper_list.rows]
        at, paper = next((i, p) for i, p in enumerate(papers) if len(p.title) > 80)
        await press(pilot, *["down"] * at, "t")
        line = next(line for line in screen_text(app).splitlines() if "│ " + paper.title[:30] in line)  # in the dialog's box
        assert line.rstrip(" │").endswith("…") and paper.title not in line
        await press(pilot, "escape", "slash")
        await type_text(pilot, "transformer " * 8)
        await press(pilot, "enter")
        status = screen_text(app).splitlines()[-2]
        assert status.startswith(" 1 of 33 papers · filter: transformer transformer") and status.rstrip().endswith("…")
