"""A scrolling page read as in a pager (less, man): j and k a line, space and b a page."""

from __future__ import annotations

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
