"""A scrolling page read as in a pager (less, man): j and k a line, space and b a page."""

from __future__ import annotations

from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import VerticalScroll


class Pager(VerticalScroll):
    """VerticalScroll with the keys the list moves by (j, k) and a pager's (space, b) too: the
    detail pane, the help screen and the load problems scroll the way the list is stepped through."""

    BINDINGS = [
        Binding("down,j", "scroll_down", "Line down", id="page.down", show=False),
        Binding("up,k", "scroll_up", "Line up", id="page.up", show=False),
        Binding("pagedown,space", "page_down", "Page down", id="page.page_down", show=False),
        Binding("pageup,b", "page_up", "Page up", id="page.page_up", show=False),
    ]

    # Textual's scrolls wait for the next refresh and then start from where the scroll is aimed:
    # the keys of one burst (a macro, `jjj` typed fast, a key held down repeating faster than the
    # screen refreshes) all started from the same line and moved one. These move at once, each
    # from where the one before aimed.
    def action_scroll_down(self) -> None:
        self._scroll_by(1)

    def action_scroll_up(self) -> None:
        self._scroll_by(-1)

    def action_page_down(self) -> None:
        self._scroll_by(self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        self._scroll_by(-self.scrollable_content_region.height)

    def _scroll_by(self, lines: int) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()  # nothing to scroll: the key goes on to the bindings above
        self.scroll_to(y=self.scroll_target_y + lines, immediate=True)
