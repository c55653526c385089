"""The footer of key hints, with help and quit first: at 80 columns the hints that do not fit are cut from the end."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

FIRST = ("help", "quit")
"""The app's actions whose keys are always in sight: how to learn the rest, and how to leave."""


class ReaderFooter(Footer):
    """Textual's Footer, with the keys of FIRST before the screen's own (Textual puts the app's last,
    where a narrow terminal cuts them off)."""

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        first = sorted((key for key in keys if getattr(key, "action", None) in FIRST),
                       key=lambda key: FIRST.index(key.action))
        yield from first
        yield from (key for key in keys if key not in first)
