"""The footer of key hints is one widget drawn again, never widgets mounted again (Textual's Footer
mounts a widget per key at every change of focus or bindings, 15–30 ms that the next key waits
for): it shows the keys that work where the focus is, help and quit first, the command palette's
key at the right end; a click on a key presses it. The filter bar takes its line while open, so
nothing else moves."""

from __future__ import annotations

from support.app_support import demo_app, press, screen_text, shown_keys, started
from textual.widget import Widget

from digest_tui.widgets.reader_footer import ReaderFooter


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_filter_bar_takes_the_footers_line_and_nothing_else_moves(monkeypatch):
    app = demo_app()
    async with started(app) as pilot:
        lines = screen_text(app).splitlines()
        listing = lines[-1]
        assert listing.strip().startswith("? Help  q Quit  s Star")
        assert listing.rstrip().endswith("▏^p Commands") and "/ Filter" in listing
        panes = app.screen.query_one("#panes").region
        mounted: list[Widget] = []
        real = Widget.mount

        def mount(self, *widgets, **kwargs):
            mounted.extend(widgets)
            return real(self, *widgets, **kwargs)

        monkeypatch.setattr(Widget, "mount", mount)
        await press(pilot, "slash")
        open_lines = screen_text(app).splitlines()
        assert open_lines[-1].strip().startswith("filter: words") and "Help" not in open_lines[-1]
        assert open_lines[-2] == lines[-2] and app.screen.query_one("#panes").region == panes
        await press(pilot, "escape")
        assert screen_text(app).splitlines()[-1] == listing and app.screen.query_one("#panes").region == panes
        assert mounted == [], "the footer's keys are drawn, not mounted"
        assert len(app.screen.query(ReaderFooter)) == 1 and not app.screen.query_one(ReaderFooter).children


async def test_a_click_on_a_key_in_the_footer_presses_it():
    app = demo_app()
    async with started(app) as pilot:
        line = footer_line(app)
        first = shown_keys(app)[0]
        await pilot.click(ReaderFooter, offset=(line.index("Star"), 0))
        await pilot.pause()
        assert app.library.mark(first).starred
        await pilot.click(ReaderFooter, offset=(line.index("Help"), 0))
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
