"""The help screen and the command palette show the keys as bound now (after the user's keymap),
and notifications wait while a dialog, the help or the palette is open."""

from __future__ import annotations

from support.app_support import demo_app, main_screen, press, screen_text, started, type_text, wait_for_command
from textual.command import CommandList, CommandPalette

from digest_tui.screens.help import HelpScreen


async def palette_help(pilot, title: str) -> str:
    """The help line under a palette entry, once the palette offers it first."""
    await wait_for_command(pilot, title)
    option = pilot.app.screen.query_one(CommandList).highlighted_option
    return str(option.prompt)


async def test_the_palette_shows_each_command_with_its_key_as_rebound():
    app = demo_app(keymap={"paper.star": "f", "view.overview": "ctrl+o"})
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Star / unstar")
        assert isinstance(app.screen, CommandPalette)
        assert "(f)" in await palette_help(pilot, "Star / unstar paper")
        await press(pilot, "escape")
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Overview")
        prompt = await palette_help(pilot, "Overview")
        assert "(^o)" in prompt and "(g)" not in prompt
        await press(pilot, "escape")
        await press(pilot, "f")  # the rebound key does what the palette says
        assert app.library.starred_keys()


async def test_the_palette_shows_the_default_keys_without_a_keymap():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Export")
        assert "(e)" in await palette_help(pilot, "Export…")


async def test_a_notification_waits_while_the_help_is_open():
    app = demo_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await press(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        app.notify("Something to say later", timeout=30)
        await pilot.pause(0.2)
        assert "Something to say later" not in screen_text(app)  # the help is not covered
        assert screen_text(app).splitlines()[1].count("esc closes") == 1
        await press(pilot, "escape")
        await pilot.pause(0.2)
        assert app.screen is main_screen(app)
        assert "Something to say later" in screen_text(app)  # shown once the user is back


async def test_the_help_fits_an_80_column_terminal_and_says_how_to_close_it_first():
    app = demo_app()
    async with started(app, size=(80, 24)) as pilot:
        await press(pilot, "question_mark")
        lines = screen_text(app).splitlines()
        assert "esc closes" in lines[1]
        box = [line for line in lines if line.startswith("█")]
        assert box and all(len(line.rstrip()) <= 80 for line in box)
        rows = [" ".join(line.strip("█ ").split()) for line in box]
        assert "s Star paper.star" in rows  # keys, action and id on one line, not wrapped apart
