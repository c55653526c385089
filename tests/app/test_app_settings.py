"""Settings changed in the reader are remembered in config.toml and read at the next start: language, side by side (L), sort."""

from __future__ import annotations

import tomllib

from support.app_support import detail_text, main_screen, press, started, status_text

from digest_tui.cli import reader_app
from digest_tui.core.paths import config_file


def config(private_home) -> dict:
    return tomllib.loads(config_file().read_text(encoding="utf-8"))


async def test_language_side_by_side_and_sort_are_remembered_for_the_next_start(private_home):
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# my settings\nmark_read_after = 0\n", encoding="utf-8")
    app = reader_app(["--demo"])
    async with started(app) as pilot:
        assert status_text(app).endswith("sort: date · EN")
        await press(pilot, "l")
        await press(pilot, "L")
        assert status_text(app).endswith("sort: date · 中文+EN")
        detail = detail_text(app)
        assert detail.index("摘要 (中文)") < detail.index("Abstract (English)")  # the language's abstract first
        await press(pilot, "S")
        assert status_text(app).endswith("sort: score · 中文+EN")
    written = config(private_home)
    assert (written["language"], written["side_by_side"], written["sort"]) == ("zh", True, "score")
    assert path.read_text(encoding="utf-8").startswith("# my settings\nmark_read_after = 0\n")  # the user's lines stay

    again = reader_app(["--demo"])
    async with started(again) as pilot:
        screen = main_screen(again)
        assert (screen.language, screen.side_by_side, screen.sort) == ("zh", True, "score")
        assert status_text(again).endswith("sort: score · 中文+EN")
        assert "摘要 (中文)" in detail_text(again) and "Abstract (English)" in detail_text(again)
        await press(pilot, "L")  # and back: one abstract
        assert "Abstract (English)" not in detail_text(again)
    assert config(private_home)["side_by_side"] is False


async def test_l_is_bound_to_view_both_and_can_be_rebound(private_home):
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[keymap]\n"view.both" = "b"\n', encoding="utf-8")
    app = reader_app(["--demo"])
    async with started(app) as pilot:
        await press(pilot, "b")
        assert main_screen(app).side_by_side and status_text(app).endswith("EN+中文")


async def test_a_config_that_cannot_be_written_is_said_once(private_home):
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('folders = ["a",\n', encoding="utf-8")  # not TOML: never edited, the change kept for the session
    app = reader_app(["--demo"])
    async with started(app) as pilot:
        notes = []
        original = app.notify
        app.notify = lambda message, *args, **kwargs: notes.append(str(message)) or original(message, *args, **kwargs)
        await press(pilot, "l")
        await press(pilot, "S")
        assert main_screen(app).language == "zh" and main_screen(app).sort == "score"
        said = [note for note in notes if note.startswith("Settings not remembered")]
        assert len(said) == 1 and str(path) in said[0]
    assert path.read_text(encoding="utf-8") == 'folders = ["a",\n'


def test_the_reader_asks_textual_for_120_updates_a_second_unless_textual_fps_says_otherwise(private_home, monkeypatch):
    """(Read by Textual as it is imported: a first key typed after a big update shows at the next
    frame's time, 8 ms away at most instead of 17.)"""
    import os

    monkeypatch.delenv("TEXTUAL_FPS", raising=False)
    reader_app(["--demo"])
    assert os.environ["TEXTUAL_FPS"] == "120"
    monkeypatch.setenv("TEXTUAL_FPS", "30")
    reader_app(["--demo"])
    assert os.environ["TEXTUAL_FPS"] == "30"
