"""The footer of key hints is made again only when the keys it shows change: a move in the list
leaves it as it is (Textual's Footer is made again at every change of focus or bindings, 15–30 ms
that the next key waits for), the filter bar's focus and an esc out of it change what it shows."""

from __future__ import annotations

import pytest
from support.app_support import demo_app, press, screen_text, started

from digest_tui.widgets.reader_footer import ReaderFooter


@pytest.fixture
def made(monkeypatch) -> list[int]:
    """One entry each time the footer's keys are made (composed) again."""
    calls: list[int] = []
    real = ReaderFooter.recompose

    async def recompose(self):
        calls.append(1)
        return await real(self)

    monkeypatch.setattr(ReaderFooter, "recompose", recompose)
    return calls


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_footer_is_made_again_only_when_its_keys_change(made):
    app = demo_app()
    async with started(app) as pilot:
        assert len(made) == 1, "the reader's start makes the footer's keys once"
        listing = footer_line(app)
        assert "s Star" in listing and "/ Filter" in listing
        await press(pilot, "j", "j", "k", "down")  # the list keeps the focus: the same keys
        assert len(made) == 1 and footer_line(app) == listing
        await press(pilot, "slash")  # the filter bar has the focus: the list's keys are not live
        assert len(made) == 2 and "s Star" not in footer_line(app)
        await press(pilot, "escape")
        assert len(made) == 3 and footer_line(app) == listing
