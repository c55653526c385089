"""config.toml in the reader: a keymap override, problems reported by key and line, saved searches on
F1–F9 and in the palette, ctrl+s saving the filter, and the theme remembered."""

from __future__ import annotations

import tomllib

import pytest
from support.app_support import (
    current_paper,
    demo_app,
    main_screen,
    press,
    record_notifications,
    shown_keys,
    started,
    status_text,
    type_text,
    wait_for_command,
)
from textual.command import CommandPalette
from textual.widgets import Input

import digest_tui.app
from digest_tui.cli import reader_app
from digest_tui.core.paths import demo_dir
from digest_tui.screens.dialogs import NameDialog


def write_config(private_home, text: str):
    path = private_home / "xdg_config_home" / "digest-tui" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


async def test_a_keymap_override_takes_effect():
    app = demo_app(keymap={"paper.star": "f", "view.overview": "ctrl+o"})
    async with started(app) as pilot:
        key = current_paper(app).key
        await press(pilot, "s")  # no longer the star key
        assert not app.mark_of(key).starred
        await press(pilot, "f")
        assert app.mark_of(key).starred
        await press(pilot, "ctrl+o")
        assert type(app.screen).__name__ == "OverviewScreen"


async def test_a_broken_config_is_reported_by_key_and_line_and_the_rest_applies(private_home):
    path = write_config(private_home, f'folders = ["{demo_dir()}"]\nlanguage = "fr"\nsort = "title"\n'
                                      'mark_read_after = 0\ntheme = "no-such-theme"\n\n'
                                      '[keymap]\n"paper.star" = "f"\n"paper.starr" = "x"\n')
    app = reader_app([])
    shown = record_notifications(app)  # from the start: config problems are said as the app mounts
    async with started(app) as pilot:
        notice = [note for note in shown if note.startswith(str(path))]
        assert len(notice) == 1  # one notification, the file named once
        lines = notice[0].splitlines()
        assert lines[0] == str(path) and len(lines) == 4
        assert lines[1] == "line 2: language: expected en or zh (got 'fr'); using the default"
        assert lines[2].startswith("line 5: theme: no theme named 'no-such-theme'")
        assert lines[3] == "line 9: keymap.paper.starr: no binding with this id (the help screen, ?, lists them); ignored"
        assert app.theme == "textual-dark" and app.language == "en"
        assert main_screen(app).sort == "title" and status_text(app).endswith("sort: title · EN")
        key = current_paper(app).key
        await press(pilot, "f")  # the good keymap line applies
        assert app.mark_of(key).starred


async def test_invalid_toml_is_reported_with_its_line_and_the_defaults_are_used(private_home):
    path = write_config(private_home, 'language = "zh"\nfolders = ["a",\nsort = "title"\n')
    app = reader_app(["--demo"])
    shown = record_notifications(app)
    async with started(app):
        assert any(note.startswith(f"{path}\nnot valid TOML: ") and "line 3" in note for note in shown)
        assert app.language == "en"


async def test_a_saved_search_is_bound_to_f1_and_in_the_palette():
    app = demo_app(searches={"vision": "cat:cs.CV", "agents": "agent"})
    async with started(app) as pilot:
        screen = main_screen(app)
        await press(pilot, "f1")
        assert screen.query_text == "cat:cs.CV"
        assert screen.query_one("#filter", Input).value == "cat:cs.CV"
        papers = app.store.papers
        assert len(shown_keys(app)) == 6 and all("cs.CV" in papers[row].categories for row in screen.paper_list.rows)
        await press(pilot, "f2")
        assert screen.query_text == "agent"
        notes = record_notifications(app)
        await press(pilot, "f3")
        assert "No saved search on f3: type a filter (/) and press ^s to save it." in notes[-1] and screen.query_text == "agent"
        titles = [command.title for command in screen.palette_commands()]
        assert "Search: vision" in titles and "Search: agents" in titles
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Search: vision")
        await wait_for_command(pilot, "Search: vision")
        await press(pilot, "enter")
        assert screen.query_text == "cat:cs.CV"


async def test_a_saved_search_that_is_not_a_query_is_reported():
    app = demo_app(searches={"broken": "title:(oops"})
    async with started(app) as pilot:
        notes = record_notifications(app)
        await press(pilot, "f1")
        assert "Saved search 'broken' is not a valid filter" in notes[-1]
        assert len(shown_keys(app)) == 33


async def test_ctrl_s_in_the_filter_saves_the_search_into_config_toml(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('# mine\ntheme = "textual-dark"\n\n[searches]\nfirst = "cat:cs.CL"\n', encoding="utf-8")
    app = demo_app(config_path=config, searches={"first": "cat:cs.CL"})
    async with started(app) as pilot:
        await press(pilot, "slash")
        await type_text(pilot, "agent is:unread")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, NameDialog)
        await type_text(pilot, "agents today")
        notes = record_notifications(app)
        await press(pilot, "enter")
        assert not isinstance(app.screen, NameDialog)
        assert app.searches == {"first": "cat:cs.CL", "agents today": "agent is:unread"}
        assert "Saved search 'agents today' = agent is:unread" in notes[-1] and "F2" in notes[-1]
        text = config.read_text(encoding="utf-8")
        assert text.startswith("# mine\n")  # the user's lines stay as written
        assert tomllib.loads(text)["searches"] == {"first": "cat:cs.CL", "agents today": "agent is:unread"}
        await press(pilot, "escape")
        assert main_screen(app).query_text == ""
        await press(pilot, "f2")  # available at once
        assert main_screen(app).query_text == "agent is:unread"


async def test_ctrl_s_without_a_filter_says_what_to_do(tmp_path):
    app = demo_app(config_path=tmp_path / "config.toml")
    async with started(app) as pilot:
        notes = record_notifications(app)
        await press(pilot, "ctrl+s")
        assert "No filter to save" in notes[-1]
        assert not (tmp_path / "config.toml").exists()


async def test_a_theme_change_is_remembered_in_config_toml(tmp_path, monkeypatch):
    monkeypatch.setattr(digest_tui.app, "THEME_SAVE_DELAY", 0.05)
    config = tmp_path / "config.toml"
    app = demo_app(config_path=config, theme="textual-dark")
    async with started(app) as pilot:
        await pilot.pause(0.2)
        assert not config.exists()  # starting with the configured theme writes nothing
        app.theme = "nord"
        for _ in range(40):
            await pilot.pause(0.05)
            if config.exists():
                break
        assert tomllib.loads(config.read_text(encoding="utf-8"))["theme"] == "nord"


async def test_the_theme_is_not_written_while_the_palette_previews_themes(tmp_path, monkeypatch):
    monkeypatch.setattr(digest_tui.app, "THEME_SAVE_DELAY", 0.05)
    config = tmp_path / "config.toml"
    app = demo_app(config_path=config, theme="nord")
    assert app.theme == "nord"
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        app.theme = "dracula"  # as the theme picker does while moving through themes
        await pilot.pause(0.3)
        assert not config.exists()
        await press(pilot, "escape")
        for _ in range(40):
            await pilot.pause(0.05)
            if config.exists():
                break
        assert tomllib.loads(config.read_text(encoding="utf-8"))["theme"] == "dracula"


async def test_the_theme_picker_in_one_burst_picks_the_theme_typed_and_is_remembered(tmp_path, monkeypatch):
    from support.app_support import burst

    from digest_tui.widgets.inputs import Cleaned

    monkeypatch.setattr(digest_tui.app, "THEME_SAVE_DELAY", 0.05)
    config = tmp_path / "config.toml"
    app = demo_app(config_path=config, theme="textual-dark")
    async with started(app) as pilot:
        await burst(pilot, "ctrl+p", "Theme", "enter")
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one("CommandInput").placeholder == "Search for themes…"
        assert isinstance(app.screen.query_one("CommandInput"), Cleaned)  # the app's palette: a paste shows cleaned
        await burst(pilot, "dracula", "enter")
        assert app.screen is main_screen(app) and app.theme == "dracula"
        for _ in range(40):
            await pilot.pause(0.05)
            if config.exists():
                break
        assert tomllib.loads(config.read_text(encoding="utf-8"))["theme"] == "dracula"


@pytest.mark.parametrize("keymap", [{"nope": "x"}])
async def test_an_unknown_binding_id_without_a_config_file_is_still_reported(keymap):
    app = demo_app(keymap=keymap)
    shown = record_notifications(app)
    async with started(app):
        assert "keymap.nope: no binding with this id (the help screen, ?, lists them); ignored" in shown


async def test_the_help_screen_shows_the_keymap_and_the_new_keys():
    app = demo_app(keymap={"paper.star": "f", "view.overview": "ctrl+o"})
    async with started(app) as pilot:
        await press(pilot, "question_mark")
        from support.app_support import screen_text

        from textual.containers import VerticalScroll

        def box_rows() -> list[str]:
            box = [line[line.index("█") + 1:line.rindex("█")] for line in screen_text(app).splitlines() if "█" in line]
            # the scrollbar's thumb (block elements) may sit at the end of any row
            return [" ".join(line.rstrip().rstrip("▁▂▃▄▅▆▇█").split()) for line in box]

        rows = box_rows()
        assert rows[1] == "digest-tui — keys · esc closes (q, ? too)"  # how to close it comes first
        help_body = app.screen.query_one(VerticalScroll)
        while help_body.scroll_y < help_body.max_scroll_y:  # the rest of the table, a page at a time
            help_body.scroll_page_down(animate=False)
            await press(pilot)
            rows += box_rows()
        for row in ("f Star paper.star", "^o Overview view.overview", "[ Previous day view.day_previous",
                    "] Next day view.day_next", "a All days view.all_days", "^s Save search view.save_search",
                    "f1–f9 Saved search 1–9 search.1 … search.9", "Overview (^o)"):
            assert row in rows, row


async def test_the_hints_name_the_keys_the_keymap_binds_not_the_defaults():
    from support.app_support import detail_text, screen_text

    from digest_tui.screens.triage import TriageScreen

    keymap = {"detail.authors": "ctrl+a", "triage.authors": "w", "triage.leave": "x", "note.save": "ctrl+w",
              "dialog.close": "ctrl+g", "view.clear": "ctrl+l", "filter.keep": "ctrl+k", "search.3": "f10",
              "view.save_search": "ctrl+v", "view.filter": "backslash", "view.language": "J"}
    app = demo_app(keymap=keymap)
    notes = record_notifications(app)
    async with started(app, size=(120, 40)) as pilot:
        assert "… and 29 more (^a shows all)" in screen_text(app)  # the first paper, Tern-VL, has 41 authors
        await press(pilot, "backslash")
        await type_text(pilot, "id:2606.16315")  # Do MoE Routers Memorise Domains?, with no Chinese abstract
        await press(pilot, "ctrl+k")  # filter.keep: the filter kept, the list has the keys
        await press(pilot, "J")
        assert "no 中文 abstract in the loaded digests — press J for the other language." in detail_text(app)
        await press(pilot, "J", "ctrl+l")
        await press(pilot, "n")
        assert "^w saves · ^g cancels · an empty note removes it" in screen_text(app)
        await press(pilot, "ctrl+g")
        await press(pilot, "backslash")
        assert "(^k keeps, ^l clears)" in screen_text(app)
        await press(pilot, "ctrl+l", "f10")
        assert "No saved search on f10: type a filter (\\) and press ^v to save it." in notes[-1]
        await press(pilot, "T")
        assert isinstance(app.screen, TriageScreen) and "more (w shows" in screen_text(app)
        await press(pilot, "w")
        assert "more (w shows" not in screen_text(app)
        await press(pilot, "x")
        assert not isinstance(app.screen, TriageScreen)


async def test_without_a_keymap_the_hints_name_the_default_keys():
    from support.app_support import screen_text

    app = demo_app()
    async with started(app, size=(120, 40)) as pilot:
        assert "… and 29 more (A shows all)" in screen_text(app)
        await press(pilot, "n")
        assert "^s saves · esc cancels · an empty note removes it" in screen_text(app)
        await press(pilot, "escape", "slash")
        assert "(⏎ keeps, esc clears)" in screen_text(app)
