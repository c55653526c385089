"""Keys that open an input never lose keystrokes: what is typed right behind them, in one burst (a
paste, a macro, fast typing over SSH), goes to that input and never to the list's bindings."""

from __future__ import annotations

import pytest
from support.app_support import burst, current_paper, demo_app, main_screen, press, shown_keys, started, status_text
from textual import events
from textual.widgets import Input, TextArea

from digest_tui.core.paths import lists_dir
from digest_tui.screens.dialogs import ExportDialog, NameDialog, NoteDialog, PathDialog, TagDialog
from digest_tui.screens.help import HelpScreen
from digest_tui.screens.triage import TriageScreen
from digest_tui.widgets.pager import Pager
from digest_tui.widgets.paper_detail import PaperDetail

TERN = "2606.18745"  # first in date order


def marks(app) -> list:
    """Every paper's marks, to see that no list key ran."""
    return [app.library.mark(paper.key) for paper in app.store.papers]


async def test_slash_and_a_word_in_one_burst_filter_by_the_word():
    app = demo_app()
    async with started(app) as pilot:
        before = marks(app)
        await burst(pilot, "slash", "sparse")  # s stars, p opens a PDF, a all days, r reads, e exports
        screen = main_screen(app)
        assert app.screen is screen, "no dialog opened"
        assert screen.query_one("#filter", Input).value == "sparse"
        assert screen.query_text == "sparse" and "filter: sparse" in status_text(app)
        assert marks(app) == before and not app.library.starred_keys()


async def test_slash_and_a_word_pressed_without_pauses_filter_by_the_word():
    app = demo_app()
    async with started(app) as pilot:
        await pilot.press(*"/moe")
        await pilot.pause(0.3)
        assert main_screen(app).query_one("#filter", Input).value == "moe"
        assert app.screen is main_screen(app) and not app.library.starred_keys()


async def test_slash_and_a_paste_in_one_burst_fill_the_filter():
    app = demo_app()
    async with started(app) as pilot:
        app.post_message(events.Key("slash", "/"))
        app.post_message(events.Paste("cat:cs.CV"))
        await burst(pilot)
        assert main_screen(app).query_one("#filter", Input).value == "cat:cs.CV"
        assert len(shown_keys(app)) == 6


async def test_slash_on_a_filter_adds_to_it():
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "slash", "cat:cs.CV", "enter")
        assert len(shown_keys(app)) == 6
        await burst(pilot, "slash", "agent")  # after the filter kept and a space: the words narrow it
        assert main_screen(app).query_one("#filter", Input).value == "cat:cs.CV agent"
        assert main_screen(app).query_text == "cat:cs.CV agent"


async def test_t_and_a_tag_in_one_burst_tag_the_paper():
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "tgreat", "enter")
        assert isinstance(app.screen, TagDialog)  # it stays open for more tags
        assert app.library.mark(TERN).tags == ("great",)
        await burst(pilot, "escape", "j", "t", "great", "enter", "escape")
        assert app.screen is main_screen(app)
        assert current_paper(app).key == shown_keys(app)[1], "the j behind esc moved the list"
        assert app.library.mark(current_paper(app).key).tags == ("great",)


async def test_the_keys_behind_enter_in_the_tag_box_go_to_the_box_and_after_it_closes_to_the_list():
    # the enter's Submitted was handled after the next key had reached the box: that key was
    # cleared with it, and one behind the enter that closes the box went nowhere
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "t", "foo", "enter", "bar")
        assert app.library.mark(TERN).tags == ("foo",)
        assert app.screen.query_one("#tag", Input).value == "bar"
        await burst(pilot, "enter", "enter", "j")
        assert app.library.mark(TERN).tags == ("foo", "bar")
        assert app.screen is main_screen(app) and current_paper(app).key == shown_keys(app)[1]


async def test_n_and_a_note_in_one_burst_write_the_note():
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "n", "read sec 3", "ctrl+s")
        assert app.screen is main_screen(app)
        assert app.library.mark(TERN).note == "read sec 3"
        await burst(pilot, "n", " twice")
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one(TextArea).text == "read sec 3 twice"  # the cursor starts at the end


async def test_the_keys_behind_a_notes_ctrl_s_act_on_the_list_and_are_not_in_the_note():
    # ctrl+s ran once its key had been to the note and back: the `j` behind it was in the note by then
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "n", "hi", "ctrl+s", "j")
        assert app.library.mark(TERN).note == "hi"
        assert app.screen is main_screen(app) and current_paper(app).key == shown_keys(app)[1]


@pytest.mark.parametrize("opener", ["?", "g", "n", "t", "e", "w"])
async def test_the_keys_behind_the_esc_that_closes_a_screen_act_on_the_list(opener):
    # esc was a binding of the screen on top, run once the key had been to its widget and back;
    # the `j` behind it had gone to the same widget meanwhile, and was lost
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, opener)
        assert app.screen is not main_screen(app)
        await burst(pilot, "escape", "j")
        assert app.screen is main_screen(app) and current_paper(app).key == shown_keys(app)[1]


async def test_t_behind_the_esc_that_closes_the_help_opens_triage():
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "?")
        await burst(pilot, "escape", "T", "y")
        assert isinstance(app.screen, TriageScreen)
        assert len(app.library.starred_keys()) == 1, "the y behind T kept (starred) the first paper"


async def test_the_keys_behind_a_confirmed_question_act_on_the_list():
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "R", "y", "j")
        assert all(app.library.mark(key).read for key in shown_keys(app))
        assert app.screen is main_screen(app) and current_paper(app).key == shown_keys(app)[1]


async def test_w_and_e_and_a_file_name_in_one_burst_fill_the_file_field(tmp_path):
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "s", "e", str(tmp_path / "x.bib"))
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#path", Input).value == str(tmp_path / "x.bib")
        await burst(pilot, "enter")
        assert (tmp_path / "x.bib").read_text(encoding="utf-8").count("@misc{") == 1
        await burst(pilot, "w", str(tmp_path / "list.toml"), "enter")
        assert app.screen is main_screen(app) and (tmp_path / "list.toml").exists()


@pytest.mark.parametrize("button", ["save", "cancel"])
async def test_the_keys_behind_enter_on_an_export_button_act_on_the_list(tmp_path, button):
    # Pressed was handled after the next key had reached the button: a j behind enter was lost
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "s", "e", str(tmp_path / "x.bib"))
        app.screen.query_one(f"#{button}").focus()
        await burst(pilot, "enter", "j")
        assert app.screen is main_screen(app) and current_paper(app).key == shown_keys(app)[1]
        assert (tmp_path / "x.bib").exists() is (button == "save")


async def test_enter_down_enter_in_one_burst_picks_the_next_format(tmp_path):
    # the Select's menu opens and takes the focus on enter: the down and enter behind it are the menu's
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "s", "e", str(tmp_path / "x.bib"))
        app.screen.query_one("#format").focus()
        await burst(pilot, "enter", "down", "enter", "tab", "tab", "tab", "enter", "j")  # bib -> ris; path, Cancel, Save
        assert app.screen is main_screen(app) and current_paper(app).key == shown_keys(app)[1]
        assert (tmp_path / "x.ris").read_text(encoding="utf-8").startswith("TY  - ")


async def test_ctrl_s_and_a_name_in_one_burst_save_the_search():
    app = demo_app(searches={})
    async with started(app) as pilot:
        await burst(pilot, "slash", "cat:cs.CV", "enter")
        await burst(pilot, "ctrl+s", "vision")
        assert isinstance(app.screen, NameDialog)
        await burst(pilot, "enter")
        assert app.searches == {"vision": "cat:cs.CV"}


async def test_load_reading_list_keeps_the_folder_and_adds_what_is_typed():
    app = demo_app()
    async with started(app) as pilot:
        main_screen(app).action_load_list()
        await burst(pilot, "mine.toml")
        assert isinstance(app.screen, PathDialog)
        assert app.screen.query_one("#path", Input).value == f"{lists_dir()}/mine.toml"


async def test_ctrl_p_and_a_command_in_one_burst_search_the_palette():
    from textual.command import CommandInput, CommandPalette

    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "ctrl+p", "Export")  # s, e, r, ... must not reach the list
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).value == "Export"
        assert not app.library.starred_keys()


async def test_ctrl_p_a_command_and_enter_in_one_burst_run_it_and_the_keys_behind_act_on_the_list():
    # enter came while the palette was still searching: it acted on the list as it was then (the
    # matches of "S", or none), and the j behind it went into the palette's field
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "ctrl+p", "Star", "enter", "j")
        assert app.screen is main_screen(app) and app.library.starred_keys() == [TERN]
        assert current_paper(app).key == shown_keys(app)[1]
        await burst(pilot, "ctrl+p", "Mark all shown read", "enter", "y", "k")  # a command that asks first
        assert all(app.library.mark(key).read for key in shown_keys(app))
        assert app.screen is main_screen(app) and current_paper(app).key == TERN


async def test_keys_behind_an_enter_with_no_match_in_the_palette_go_on_to_its_field_at_once():
    from textual.command import CommandInput

    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "ctrl+p", "zzzz", "enter", "q")  # 0.3 s: less than the 1 s the keys are held at most
        assert app.screen.query_one(CommandInput).value == "zzzzq" and app.is_running


async def test_keys_behind_the_filters_enter_act_on_the_filtered_list():
    # `/cat:cs.CL⏎jjs` in one burst: j j move in the 16 papers the filter shows, s stars the third
    app = demo_app()
    async with started(app) as pilot:
        await burst(pilot, "slash", "cat:cs.CL", "enter", "j", "j", "s")
        screen = main_screen(app)
        assert screen.query_one("#filter", Input).value == "cat:cs.CL"
        assert screen.query_text == "cat:cs.CL" and len(shown_keys(app)) == 16
        third = shown_keys(app)[2]
        assert app.library.starred_keys() == [third]
        assert current_paper(app).key == third and app.focused is screen.paper_list


async def test_escape_behind_a_word_in_one_burst_clears_the_filter_for_good():
    # `/sparse⎋` in one burst: the bar's changes for s, sp, … are still queued when esc clears it;
    # none of them may start the filter again afterwards
    app = demo_app()
    async with started(app) as pilot:
        everything = shown_keys(app)
        await burst(pilot, "slash", "sparse", "escape")
        screen = main_screen(app)
        assert screen.query_one("#filter", Input).value == ""
        assert screen.query_text == "" and shown_keys(app) == everything
        assert "filter:" not in status_text(app)
        await burst(pilot, "slash", "cat:cs.CL", "escape", "j", "s")  # and the keys after esc act on the whole list
        assert shown_keys(app) == everything and app.library.starred_keys() == [everything[1]]


async def test_esc_and_slash_in_one_burst_clear_the_kept_filter_and_open_the_bar_for_a_new_one():
    # the esc's focus on the list, deferred, came after the `/` had opened the bar, and closed it
    app = demo_app()
    async with started(app) as pilot:
        everything = shown_keys(app)
        await burst(pilot, "slash", "cat:cs.CL", "enter")
        assert len(shown_keys(app)) == 16
        await burst(pilot, "escape", "slash", "agent")
        screen = main_screen(app)
        assert app.focused is screen.filter_bar and screen.filter_bar.value == "agent"
        assert screen.query_text == "agent" and set(shown_keys(app)) < set(everything)
        assert app.library.starred_keys() == []  # no `a` (all days), `g`, `e` or `t` reached the list


async def test_keys_in_one_burst_scroll_the_detail_and_the_help_by_each_of_them():
    # Textual's scrolls waited for a refresh and each started from the line the last one aimed at
    # then: `jjj` in one burst (or j held down) scrolled one line, `space space` one page
    app = demo_app()
    async with started(app, size=(80, 24)) as pilot:
        await burst(pilot, "enter", "j", "j", "j")
        detail = app.focused
        assert isinstance(detail, PaperDetail) and detail.max_scroll_y > 3
        await pilot.wait_for_scheduled_animations()
        assert detail.scroll_y == 3
        await burst(pilot, "k", "k")
        await pilot.wait_for_scheduled_animations()
        assert detail.scroll_y == 1
        await burst(pilot, "escape", "?", "space", "space")
        body = app.screen.query_one(Pager)
        assert isinstance(app.screen, HelpScreen) and body.max_scroll_y > 2 * body.scrollable_content_region.height
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_y == 2 * body.scrollable_content_region.height
        await burst(pilot, *"j" * body.max_scroll_y)  # past the end: the bottom, and k is one line up from it
        await burst(pilot, "k")
        await pilot.wait_for_scheduled_animations()
        await pilot.wait_for_animation()
        assert body.scroll_y == body.max_scroll_y - 1


async def test_the_keys_behind_enter_and_z_in_one_burst_go_to_the_detail():
    # ↓ is the list's priority binding: it ran before enter had gone up to the panes, and moved the list
    app = demo_app()
    async with started(app, size=(80, 24)) as pilot:  # one pane at a time: enter shows the detail
        screen = main_screen(app)
        first = current_paper(app).key
        for key in ("enter", "down", "down"):
            app.post_message(events.Key(key, "\r" if key == "enter" else None))
        await burst(pilot)
        assert app.focused is screen.detail and current_paper(app).key == first and screen.detail.scroll_y > 0
        await burst(pilot, "escape", "j")  # back to the list, and down one
        assert app.focused is screen.paper_list and current_paper(app).key == shown_keys(app)[1]
        for key in ("z", "down"):
            app.post_message(events.Key(key, "z" if key == "z" else None))
        await burst(pilot)
        assert app.focused is screen.detail and current_paper(app).key == shown_keys(app)[1]


async def _after(keys: tuple[str, ...], tmp_path, *, in_one_burst: bool) -> tuple:
    """What the reader shows after `keys`: sent in one burst, or one at a time, each waited for."""
    app = demo_app(library_path=tmp_path / f"library-{in_one_burst}.toml")
    async with started(app) as pilot:
        if in_one_burst:
            await burst(pilot, *keys)
        else:
            for key in keys:
                await press(pilot, key)
                await pilot.pause(0.2)
        screen = main_screen(app)
        return (type(app.screen).__name__, status_text(app), current_paper(app).key, app.library.starred_keys(),
                sorted(key for key in shown_keys(app) if app.library.mark(key).read), screen.sort, screen.day)


@pytest.mark.parametrize("keys", [
    ("S", "S", "j"),  # j moved in the old order: the rows of the new one were not up yet
    ("]", "[", "[", "j"),  # the same for a day's rows
    ("a", "[", "a", "j"),
    ("T", "y", "n", "s", "q", "j"),  # the j behind the q that leaves triage was lost
    ("g", "j", "j", "enter", "j"),
    ("z", "j", "j", "z", "j"),
    ("l", "L", "j", "s"),
    ("*", "s", "space", "j"),
])
async def test_keys_in_one_burst_do_what_they_do_typed_one_at_a_time(keys, tmp_path):
    typed = await _after(keys, tmp_path, in_one_burst=False)
    assert await _after(keys, tmp_path, in_one_burst=True) == typed
