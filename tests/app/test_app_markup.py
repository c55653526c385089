"""Text from digests (and from the user) is shown as written: never parsed as Rich/Textual markup or terminal codes."""

from __future__ import annotations

from support.app_support import (
    detail_text,
    main_screen,
    press,
    screen_text,
    settle,
    status_text,
    type_text,
    wait_for_text,
    write_digest,
)
from textual.command import CommandPalette
from textual.widgets import Static

from digest_tui.app import DigestApp
from digest_tui.screens.dialogs import ExportDialog, NoteDialog, TagDialog

EVIL_TITLE = "[bold]Evil[/bold] [@click=app.quit]click[/] \x1b[31mred"
SHOWN_TITLE = "[bold]Evil[/bold] [@click=app.quit]click[/] ␛[31mred"  # ESC is shown as a visible symbol
EVIL_PAPER = {
    "id": "2606.20101",
    "date": "2026-06-19",
    "title_en": EVIL_TITLE,
    "title_zh": "[red]红[/red] [@click=app.bell]点[/]",
    "authors": "[i]Mallory[/i], Eve [link=https://example.com]Link[/link]",
    "abstract_en": "Body [on red]x[/] and [/] and [@click=app.quit]q[/].",
    "abstract_zh": "摘要 [b]粗[/b]",
}


def line_with(text: str, needle: str) -> tuple[int, int]:
    """(x, y) of the first occurrence of `needle` on screen."""
    for y, line in enumerate(text.splitlines()):
        if needle in line:
            return line.index(needle), y
    raise AssertionError(f"{needle!r} is not on screen")


async def test_a_title_full_of_markup_and_escape_codes_is_shown_literally(tmp_path):
    write_digest(tmp_path, "evil.txt", [EVIL_PAPER])
    app = DigestApp([str(tmp_path)], mark_read_after=0)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        assert app.store.papers[0].title_en == EVIL_TITLE
        text = screen_text(app)
        assert "\x1b" not in text
        list_line = text.splitlines()[0]
        assert SHOWN_TITLE in list_line.split("▕")[0]  # the list
        assert SHOWN_TITLE in list_line.split("▕")[1]  # the detail pane's first line
        assert "[red]红[/red] [@click=app.bell]点[/]" in text
        assert "Authors: [i]Mallory[/i], Eve" in text
        assert "Body [on red]x[/] and [/] and [@click=app.quit]q[/]." in text
        detail = detail_text(app)
        assert "Authors: [i]Mallory[/i], Eve [link=https://example.com]Link[/link]" in detail
        # clicking the would-be links does nothing but select the paper
        x, y = line_with(text, "click[/]")
        await pilot.click(offset=(x + 1, y))
        await settle(pilot)
        x, y = line_with(screen_text(app).split("\n", 1)[1], "q[/].")
        await pilot.click(offset=(x, y + 1))
        await settle(pilot)
        assert app.is_running and app.return_code is None
        await press(pilot, "l")
        assert "摘要 [b]粗[/b]" in screen_text(app)
        assert "[red]红[/red] [@click=app.bell]点[/]" in screen_text(app).splitlines()[0].split("▕")[0]

        # the dialogs show the title as written too
        await press(pilot, "l", "t")
        assert isinstance(app.screen, TagDialog) and SHOWN_TITLE in screen_text(app)
        await press(pilot, "escape", "n")
        assert isinstance(app.screen, NoteDialog) and SHOWN_TITLE in screen_text(app)
        await press(pilot, "escape")
        assert app.is_running and app.screen is main_screen(app)


async def test_tags_and_filters_that_look_like_markup_cannot_break_the_reader(tmp_path):
    write_digest(tmp_path, "evil.txt", [EVIL_PAPER])
    app = DigestApp([str(tmp_path)], mark_read_after=0)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        await type_text(pilot, "[/x]")
        await press(pilot, "enter")  # the "Tagged '[/x]'" toast must not be read as markup
        assert app.library.mark("2606.20101").tags == ("[/x]",)
        assert "On this paper: [/x]" in screen_text(app)
        await press(pilot, "escape")
        await pilot.pause(0.1)
        assert "Tagged '[/x]'" in screen_text(app)
        # the palette lists a command per tag; its title is markup to the palette
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Toggle tag")
        assert isinstance(app.screen, CommandPalette)
        await wait_for_text(pilot, "Toggle tag '[/x]'")
        await press(pilot, "escape")
        # the export dialog offers the tag in a drop-down
        await press(pilot, "e")
        assert isinstance(app.screen, ExportDialog)
        await pilot.click("#tag")
        await pilot.pause(0.1)
        assert "[/x]" in screen_text(app)
        await press(pilot, "escape", "escape")
        # a filter that looks like markup is echoed as written
        await press(pilot, "slash")
        await type_text(pilot, "[b]")
        await press(pilot, "enter")
        assert "filter: [b]" in status_text(app)
        assert app.is_running and app.return_code is None


async def test_a_file_name_that_looks_like_markup_is_reported_as_written(tmp_path):
    write_digest(tmp_path, "good.txt", [EVIL_PAPER])
    (tmp_path / "[bold]oops[@click=app.quit]q.txt").write_text("nothing a digest parser knows\n", encoding="utf-8")
    app = DigestApp([str(tmp_path)], mark_read_after=0)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        assert main_screen(app).problems
        assert "[bold]oops[@click=app.quit]q.txt" in screen_text(app)  # in the warning toast
        assert [note.title for note in app._notifications] == ["1 load problem"]
        assert status_text(app) == "1 paper · sort: date · EN"
        main_screen(app).action_show_problems()  # the palette's "Load problems"
        await settle(pilot)
        assert "1 load problem " in screen_text(app)  # the toast waits: the dialog is not covered
        listed = "".join(str(widget.render()) for widget in app.screen.query(Static))
        assert "[bold]oops[@click=app.quit]q.txt" in listed  # as written (the long path wraps on screen)
        await pilot.press("escape")
        assert app.is_running
