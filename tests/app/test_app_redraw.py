"""What the UI thread draws for a typed character, a move of the focus and a filter applied: what
changed, never a layout of the whole screen for a key (Input's virtual size follows its text) and
never the whole screen again (the screen's view state and its focus are not reactives that repaint
it): the echo of the next key waits for whatever the UI thread is doing."""

from __future__ import annotations

from support.app_support import demo_app, press, screen_text, started
from textual._compositor import Compositor
from textual.screen import Screen

from digest_tui.widgets.filter_bar import FilterBar


def counting(monkeypatch, cls, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(cls, name)

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, counted)
    return calls


async def test_a_key_typed_into_the_filter_bar_lays_out_nothing_and_draws_only_its_line(monkeypatch):
    app = demo_app()
    async with started(app) as pilot:
        full = counting(monkeypatch, Compositor, "render_full_update")
        await press(pilot, "slash")  # the focus moves to the bar: it and the footer's line redrawn
        assert full == []
        layouts = counting(monkeypatch, Screen, "_refresh_layout")
        for key in "mixture transformer":
            await press(pilot, "space" if key == " " else key)
        assert layouts == [] and full == []  # (counted before screen_text(), a screenshot of it all)
        bar = app.screen.query_one(FilterBar)
        assert bar.value == "mixture transformer"
        assert screen_text(app).splitlines()[-1].strip().startswith("mixture transformer")
        # a text longer than the bar still scrolls within it, the cursor at its end in sight
        await press(pilot, *(["x"] * (app.size.width + 10)))
        assert bar.virtual_size.width == bar.content_width > bar.size.width
        assert bar.scroll_offset.x > 0 and screen_text(app).splitlines()[-1].rstrip().endswith("x")


async def test_a_filter_applied_draws_what_changed_not_the_whole_screen(monkeypatch):
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "slash")
        full = counting(monkeypatch, Compositor, "render_full_update")
        await press(pilot, *"mixture", "enter")
        await pilot.pause(0.3)
        assert full == []  # (counted before screen_text(), a screenshot of it all)
        assert "2 of 33" in screen_text(app) and "filter: mixture" in screen_text(app)
        full.clear()
        await press(pilot, "s", "bracketright", "l")  # a star, the next day, the other language
        await pilot.pause(0.3)
        assert full == []
        assert "中文" in screen_text(app)


async def test_a_batch_read_while_a_filter_is_typed_leaves_the_list_to_the_typing_pause():
    from digest_tui.messages import DigestsRead

    app = demo_app()
    async with started(app) as pilot:
        screen, papers = app.screen, app.screen.paper_list
        papers.answered_at = 0.0  # a refresh is due, as it is a second into a load
        await pilot.press("slash", "m")
        assert screen.filter_bar.typing
        asked = papers.generation
        screen.post_message(DigestsRead(1, []))
        await pilot.pause()
        assert papers.generation == asked  # the count goes up; the list waits
        await press(pilot)  # (nothing: settles)
        await pilot.pause(0.3)  # the typing pause ends: the filter applies, to every paper in
        assert not screen.filter_bar.typing and papers.generation > asked
        papers.answered_at = 0.0
        asked = papers.generation
        screen.post_message(DigestsRead(1, []))  # no typing: the batch refreshes the list
        await pilot.pause()
        assert papers.generation > asked
