"""Styled text laid out by core.linebreak (UAX #14 breaks, kinsoku) at whatever width it is drawn: a Visual for Static and friends."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from ..core.linebreak import truncate_at_break, wrap


def truncate_text(value: str, width: int) -> str:
    """`value` in at most `width` cells: cut at a break opportunity, with `…`, when it is too long."""
    if width <= 0:
        return ""
    cut, was_cut = truncate_at_break(value, width, cell_len)
    return cut + "…" if was_cut else cut


class Wrapped(Visual):
    """`text` broken into lines by the rules for Chinese and English (core.linebreak), laid out
    again for each width it is drawn at; the last few layouts are kept, as a pane is measured
    and then drawn at the same width. Selectable with the mouse like any Static's text."""

    def __init__(self, text: Text) -> None:
        self.text = text
        """The styled text as given (tests read its spans)."""
        self._content = Content.from_rich_text(text)
        self._laid: dict[int, Content] = {}

    @property
    def plain(self) -> str:
        return self.text.plain

    def __str__(self) -> str:
        return self.text.plain

    def laid(self, width: int) -> Content:
        """The content with a line break at every place core.linebreak.wrap chose for `width`
        cells (the spaces at each break dropped): no line of it is wider than `width`."""
        laid = self._laid.get(width)
        if laid is None:
            if len(self._laid) >= 4:
                self._laid.clear()
            content = self._content
            lines = [content[start:end] for start, end in wrap(content.plain, width, cell_len)]
            laid = self._laid[width] = Content("\n").join(lines)
        return laid

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self.laid(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.laid(width).get_height(rules, width)
