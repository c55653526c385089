"""Terminal escapes never reach the terminal through a text input: a note from a reading list, a
saved search from config.toml, a tag typed or pasted, a paste into the note, the filter bar or the palette.

Each test looks at what the app would send to the terminal: every run of text of the screen's
screenshot (App.export_screenshot renders the update the terminal gets, the screens under a
dialog too), which must hold no ESC (nor any other C0/C1 control): an OSC 52 there would write
the clipboard, an OSC 2 the window title.
"""

from __future__ import annotations

import json

from support.app_support import demo_app, main_screen, press, screen_text, screenshot_runs, settle, started
from textual import events
from textual.command import CommandInput
from textual.widgets import Input, TextArea

from digest_tui.app import DigestApp
from digest_tui.core.paths import demo_dir
from digest_tui.screens.dialogs import NoteDialog, TagDialog
from digest_tui.widgets.inputs import Cleaned, CleanInput, CleanTextArea

OSC52 = "\x1b]52;c;ZXZpbA==\x07"  # write "evil" to the clipboard
OSC2 = "\x1b]2;pwned\x1b\\"  # set the window title
CSI = "\x1b[2J\x9b31m"  # clear the screen; a C1 CSI


def rendered_segments(app) -> list[str]:
    """The text of every run the screen (and the screens under it) renders now."""
    return [text for _line, _column, text in screenshot_runs(app)]


def assert_no_controls(app) -> None:
    for text in rendered_segments(app):
        bad = [hex(ord(c)) for c in text if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0]
        assert not bad, f"control characters {bad} in a rendered segment {text!r}"


async def test_a_note_from_a_reading_list_shows_its_escapes_as_symbols(tmp_path):
    reading_list = tmp_path / "evil.toml"
    note = f"read this{OSC52} and{OSC2}\nsecond line{CSI}"
    reading_list.write_text(
        "version = 1\n[list]\nname = \"evil\"\n[[papers]]\nid = \"2606.20101\"\ntitle_en = \"A paper\"\n"
        f"starred = true\nnote = {json.dumps(note)}\n",
        encoding="utf-8",
    )
    app = DigestApp([], reading_list=str(reading_list), library_path=tmp_path / "library.toml", mark_read_after=0)
    async with started(app) as pilot:
        assert app.library.mark("2606.20101").note == note  # kept as written: only what is shown is cleaned
        await press(pilot, "n")
        assert isinstance(app.screen, NoteDialog)
        area = app.screen.query_one(TextArea)
        assert isinstance(area, CleanTextArea)
        assert area.text == "read this␛]52;c;ZXZpbA==␇ and␛]2;pwned␛\\\nsecond line␛[2J\ufffd31m"
        assert_no_controls(app)
        assert "read this␛]52;c;ZXZpbA==␇" in screen_text(app)


async def test_a_saved_search_from_the_config_shows_its_escapes_as_symbols(tmp_path):
    app = demo_app(searches={"evil": f"moe{OSC52}{OSC2}"}, library_path=tmp_path / "library.toml")
    async with started(app) as pilot:
        await press(pilot, "f1")
        bar = main_screen(app).query_one("#filter", Input)
        assert isinstance(bar, CleanInput)
        assert bar.value == "moe␛]52;c;ZXZpbA==␇␛]2;pwned␛\\"
        assert_no_controls(app)


async def test_pastes_and_typed_text_are_cleaned_in_every_input(tmp_path):
    app = demo_app(library_path=tmp_path / "library.toml")
    async with started(app) as pilot:
        screen = main_screen(app)
        await press(pilot, "slash")
        bar = screen.query_one("#filter", Input)
        app.post_message(events.Paste(f"moe{OSC52}\nsecond line"))
        await pilot.pause()
        assert bar.value == "moe␛]52;c;ZXZpbA==␇"  # an Input takes a paste's first line
        assert bar.cursor_position == len(bar.value)
        assert_no_controls(app)
        bar.insert_text_at_cursor(OSC2)
        assert bar.value.endswith("␛]2;pwned␛\\") and bar.cursor_position == len(bar.value)
        await press(pilot, "escape")

        await press(pilot, "t")
        assert isinstance(app.screen, TagDialog)
        tag_box = app.screen.query_one("#tag", Input)
        app.post_message(events.Paste(f"x{OSC2}"))
        await pilot.pause()
        assert tag_box.value == "x␛]2;pwned␛\\"
        assert_no_controls(app)
        await press(pilot, "escape")

        await press(pilot, "n")
        area = app.screen.query_one(TextArea)
        app.post_message(events.Paste(f"a{OSC52}\r\nb\u202eevil"))
        await pilot.pause()
        assert area.text == "a␛]52;c;ZXZpbA==␇\nbevil"  # CRLF made a line break, the bidi override dropped
        assert area.cursor_location == (1, 5)
        assert_no_controls(app)
        area.undo()
        area.redo()
        assert area.text == "a␛]52;c;ZXZpbA==␇\nbevil"
        await press(pilot, "escape")

        await press(pilot, "ctrl+p")  # the command palette's field (Textual's, replaced by a clean one)
        command = app.screen.query_one(CommandInput)
        assert isinstance(command, Cleaned)
        app.post_message(events.Paste(f"st{OSC2}ar\u202e"))
        await pilot.pause()
        assert command.value == "st␛]2;pwned␛\\ar"
        assert_no_controls(app)
        await settle(pilot)


def test_every_input_in_the_app_is_a_clean_one():
    """No screen makes a plain Input or TextArea (they would show raw controls)."""
    import ast
    from pathlib import Path

    source = Path(demo_dir()).parent
    for module in sorted(source.rglob("*.py")):
        if module.name == "inputs.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
                "Input", "TextArea"
            ):
                raise AssertionError(f"{module}:{node.lineno} makes a plain {node.func.id}; use widgets.inputs")
