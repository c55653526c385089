"""The footer of key hints is one widget drawn again, never widgets mounted again (Textual's Footer
mounts a widget per key at every change of focus or bindings, 15–30 ms that the next key waits
for): it shows the keys that work where the focus is, help and quit first, the command palette's
key at the right end; a click on a key presses it."""

from __future__ import annotations

from support.app_support import demo_app, press, screen_text, shown_keys, started
from textual.widget import Widget

from digest_tui.widgets.reader_footer import ReaderFooter


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_footer_shows_the_keys_that_work_where_the_focus_is_without_mounting_widgets(monkeypatch):
    app = demo_app()
    async with started(app) as pilot:
        listing = footer_line(app)
        assert listing.strip().startswith("? Help  q Quit  s Star")
        assert listing.rstrip().endswith("▏^p Commands") and "/ Filter" in listing
        mounted: list[Widget] = []
        real = Widget.mount

        def mount(self, *widgets, **kwargs):
            mounted.extend(widgets)
            return real(self, *widgets, **kwargs)

        monkeypatch.setattr(Widget, "mount", mount)
        await press(pilot, "slash")  # the filter bar has the focus: the list's keys are not live
        in_bar = footer_line(app)
        assert "s Star" not in in_bar and "/ Filter" in in_bar and in_bar.rstrip().endswith("▏^p Commands")
        await press(pilot, "escape")
        assert footer_line(app) == listing
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
