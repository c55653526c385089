"""Snapshot tests (pytest-textual-snapshot) of the reader on the demo digests: the pictures a person sees.

The demo is loaded as the relative path `demo` from inside the package, so the source paths in the
detail pane are the same on every machine; the Input cursors do not blink, and nothing here raises a
toast, so each picture is the same at any speed. Update with `pytest tests/*/test_app_snapshots.py --snapshot-update`
and look at the SVGs in tests/snapshots/__snapshots__/ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support.app_support import DEMO_PAPERS, SIZE, main_screen, settle, shown_keys, type_text
from textual.pilot import Pilot
from textual.widgets import Input

import digest_tui
from digest_tui.app import DigestApp

PACKAGE = Path(digest_tui.__file__).parent


@pytest.fixture
def app(monkeypatch) -> DigestApp:
    monkeypatch.chdir(PACKAGE)
    monkeypatch.delenv("NO_COLOR", raising=False)  # a user's colour settings must not change the pictures
    app = DigestApp(["demo"], mark_read_after=0)
    app.theme = "textual-dark"  # whatever TEXTUAL_THEME says
    return app


def steady(pilot: Pilot) -> None:
    """Input cursors that do not blink, so a picture does not depend on when it is taken."""
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False


def scenario(*steps: str | Callable[[Pilot], object]) -> Callable[[Pilot], object]:
    """A run_before: wait for the load, then press keys / type text ("text:…") / call functions, settling after each."""

    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        assert len(shown_keys(pilot.app)) == DEMO_PAPERS
        for step in steps:
            if callable(step):
                result = step(pilot)
                if result is not None:
                    await result
            elif step.startswith("text:"):
                await type_text(pilot, step.removeprefix("text:"))
            else:
                await pilot.press(step)
            await settle(pilot)
            steady(pilot)
        await pilot.pause(0.2)  # past the filter's debounce, were one pending
        await settle(pilot)

    return run


def tag_some_papers(pilot: Pilot) -> None:
    """Tags and stars as a person would have them after a while (no toasts: straight into the library)."""
    app = pilot.app
    screen = main_screen(app)
    store = app.store
    for key, tags, star in (("2606.18745", ("agents", "to-read"), True), ("2606.19120", ("reproduce",), False),
                            ("2606.17204", ("agents",), True), ("2606.16042", ("to-read",), False)):
        row = store.row(key)
        for tag in tags:
            app.library.add_tag(store.papers[row], tag)
        if star:
            app.library.set_starred(store.papers[row], True)
        screen.panes.paper_changed(row)


def test_main_screen_english(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=scenario(tag_some_papers))


def test_main_screen_chinese(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=scenario(tag_some_papers, "l"))


def test_main_screen_both_languages(app, snap_compare):
    def both(pilot: Pilot) -> None:
        main_screen(pilot.app).action_toggle_side_by_side()

    assert snap_compare(app, terminal_size=SIZE, run_before=scenario("j", both))


def test_tag_dialog(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=scenario(tag_some_papers, "j", "t", "text:to"))


def test_filter_applied(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=scenario("slash", "text:cat:cs.CV", "enter"))


def test_filter_words_highlighted(app, snap_compare):
    """The query's words marked in the list's titles and in the detail pane, English and Chinese side by side."""

    def both(pilot: Pilot) -> None:
        main_screen(pilot.app).action_toggle_side_by_side()

    assert snap_compare(app, terminal_size=SIZE,
                        run_before=scenario("slash", "text:agent OR 智能体", "enter", both))


def test_overview_screen_at_80_columns(app, snap_compare):
    """The overview on a narrow terminal: the cursor on the second category, Chinese topics aligned."""
    assert snap_compare(app, terminal_size=(80, 30), run_before=scenario("g", "tab", "down"))


def test_main_screen_at_80_by_24(app, snap_compare):
    """One pane at a time below 120 columns: the list alone, with the titles' width; the footer keeps ? and q."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=scenario(tag_some_papers))


def test_detail_zoomed_at_80_by_24(app, snap_compare):
    """z: the paper alone on the screen, Chinese text broken by the rules."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=scenario("j", "l", "z"))


def test_export_dialog_at_80_by_24(app, snap_compare):
    """The export dialog fits, its buttons in sight."""

    def short_path(pilot: Pilot) -> None:
        pilot.app.screen.query_one("#path", Input).value = "starred.bib"  # not this machine's folder

    assert snap_compare(app, terminal_size=(80, 24), run_before=scenario("e", short_path))


def test_main_screen_at_120_by_40(app, snap_compare):
    """From 120 columns the two panes, the list at its remembered 60%."""
    assert snap_compare(app, terminal_size=(120, 40), run_before=scenario(tag_some_papers))


def test_main_screen_at_220_by_60(app, snap_compare):
    assert snap_compare(app, terminal_size=(220, 60), run_before=scenario(tag_some_papers, "l"))


def test_help_screen(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=scenario("question_mark"))


def test_selection(app, snap_compare):
    """Three papers selected (space twice, then one more further down): marked in their rows and counted."""
    assert snap_compare(app, terminal_size=SIZE, run_before=scenario(tag_some_papers, "space", "space", "j", "space"))


def test_triage_mode(app, snap_compare):
    """Triage after one paper kept: the progress line, the next paper at full width."""
    assert snap_compare(app, terminal_size=SIZE, run_before=scenario("T", "y"))


async def test_the_screenshot_script_makes_an_svg_of_the_demo(tmp_path, monkeypatch):
    """screenshots/make_screenshots.py (one of its pictures, to keep it working; the script makes them all)."""
    import importlib.util

    script = Path(__file__).resolve().parents[2] / "screenshots" / "make_screenshots.py"
    spec = importlib.util.spec_from_file_location("make_screenshots", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.SHOTS) == {"main-en.svg", "main-zh.svg", "both-languages.svg", "tags.svg", "filter.svg",
                                 "highlight.svg", "overview.svg", "help.svg", "selection.svg", "triage.svg"}
    assert set(module.SMALL_SHOTS) == {"narrow-80x24.svg", "zoom-80x24.svg", "export-80x24.svg"}
    monkeypatch.chdir(PACKAGE)
    path = await module.shoot("main-en.svg", tmp_path, module.filtered)
    svg = path.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "digest-tui" in svg
    text = svg.replace("&#160;", " ")
    assert "Tern-VL" in text and "cs.CV" in text
    assert str(PACKAGE) not in svg and str(tmp_path) not in svg
