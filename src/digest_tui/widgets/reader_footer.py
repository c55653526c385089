"""The footer of key hints, with help and quit first: at 80 columns the hints that do not fit are cut from the end."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

FIRST = ("help", "quit")
"""The app's actions whose keys are always in sight: how to learn the rest, and how to leave."""


class ReaderFooter(Footer):
    """Textual's Footer, with the keys of FIRST before the screen's own (Textual puts the app's last,
    where a narrow terminal cuts them off), made again only when the keys it shows change: Textual's
    makes its ~20 keys again after every change of focus or of the screen's bindings (15–30 ms of
    the UI thread each time, three times as the reader starts, twice on an esc out of the filter),
    while the keys typed next wait."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None  # what the keys now shown were made from (see _showing)

    def bindings_changed(self, screen: Screen) -> None:
        showing = _showing(screen)
        if showing == self._shown and self._bindings_ready:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:  # when Footer makes them again
            self._shown = showing
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        first = sorted((key for key in keys if getattr(key, "action", None) in FIRST),
                       key=lambda key: FIRST.index(key.action))
        yield from first
        yield from (key for key in keys if key not in first)


def _showing(screen: Screen) -> tuple:
    """What the footer shows of the screen's bindings: each shown key, its label and whether it is on."""
    return tuple(
        (binding.key, binding.action, binding.description, binding.key_display, enabled, tooltip)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show
    )
