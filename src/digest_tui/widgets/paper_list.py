"""The paper list: a line-API view that renders only the rows on screen, so 100k papers cost what 100 do."""

from __future__ import annotations

from collections.abc import Callable, Collection
from time import monotonic

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.events import Click, Resize
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..core import facets
from ..core.model import Mark
from ..core.model import Paper
from ..core.query import Query
from ..core.text import clean
from ..core.store import Store
from ..core.textindex import SearchInterrupted
from ..workers import give_way
from .highlight import mark_words
from .wrapped import truncate_text

CATEGORY_WIDTH = 8
CHIPS_MAX_SHARE = 3  # tag chips take at most a third of the row
BEHIND_AT_MOST = 0.5
"""Seconds the list may go on showing the rows of a view older than the newest asked for: when
views are asked for faster than they are answered (a filter typed key by key on a big archive,
or during its load), the answer of an older view is shown once the list is this far behind,
the newest one still on its way. (Before, each such answer was dropped, and typing at that pace
left the list as it was until the typing stopped.)"""


View = tuple[Query | None, str, frozenset[str] | None, str | None]
"""What the list shows: (query, sort, only these keys, day), None where it does not narrow."""


class RowsSelected(Message, bubble=False):
    """The filtering worker's answer for one view of the list."""

    def __init__(self, generation: int, rows: list[int] | None, view: View, seconds: float, days: list[str] | None) -> None:
        super().__init__()
        self.generation = generation
        self.rows = rows  # None: the search was interrupted for a newer view
        self.view = view
        self.seconds = seconds  # how long the selection took
        self.days = days  # with a filter or list: the days that have a paper matching it, on any day


def row_title(paper: Paper, language: str) -> str:
    """The title shown for a paper in the current language, falling back to the other one."""
    if language == "zh":
        return paper.title_zh or paper.title_en or paper.id or ""
    return paper.title_en or paper.title_zh or paper.id or ""


class PaperList(ScrollView, can_focus=True):
    """One line per paper: star, read state, score or upvotes, date, category, title, tag chips."""

    # priority: they run in the order the keys come, before the screen's next key (see MainScreen.BINDINGS)
    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", id="list.down", show=False, priority=True),
        Binding("up,k", "cursor_up", "Up", id="list.up", show=False, priority=True),
        Binding("pagedown", "page_down", "Page down", id="list.page_down", show=False, priority=True),
        Binding("pageup", "page_up", "Page up", id="list.page_up", show=False, priority=True),
        Binding("home", "first", "First paper", id="list.first", show=False, priority=True),
        Binding("end", "last", "Last paper", id="list.last", show=False, priority=True),
        Binding("space", "select", "Select", id="list.select", show=False, priority=True),
        Binding("asterisk", "select_all", "Select all", id="list.select_all", key_display="*", show=False, priority=True),
    ]

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--star",
        "paper-list--unread",
        "paper-list--meta",
        "paper-list--tag",
        "paper-list--empty",
        "paper-list--match",
        "paper-list--selected",
    }

    DEFAULT_CSS = """
    PaperList { background: $surface; overflow-x: hidden; }  /* rows are cut to the width: never a sideways bar */
    PaperList > .paper-list--cursor { background: $block-cursor-blurred-background; }
    PaperList:focus > .paper-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    PaperList > .paper-list--star { color: $warning; }
    PaperList > .paper-list--unread { color: $accent; text-style: bold; }
    PaperList > .paper-list--meta { color: $text-muted; }
    PaperList > .paper-list--tag { color: $text; background: $primary-muted; }
    PaperList > .paper-list--empty { color: $text-muted; text-style: italic; }
    PaperList > .paper-list--selected { color: $text; background: $secondary 40%; }
    PaperList > .paper-list--match { color: $text; background: $warning 35%; text-style: bold underline; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        """The cursor moved to another paper (or to none); `moved` when the user moved it (a key, a
        click), not a new list of papers."""

        def __init__(self, row: int | None, moved: bool = False) -> None:
            super().__init__()
            self.row = row
            self.moved = moved

    class SelectionChanged(Message):
        """Papers were selected or deselected; `count` are selected now."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    class Chosen(Message):
        """The user pressed enter on a paper."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    class Shown(Message):
        """The rows of the view asked for with select() are shown: how many, and (with a filter or a
        reading list) the listing dates that have a paper matching it, on any day."""

        def __init__(self, rows: int, days: list[str] | None, generation: int) -> None:
            super().__init__()
            self.rows = rows
            self.days = days
            self.generation = generation
            """The select() call answered (an older call's answer is shown when its view is the same)."""

    def __init__(self, store: Store, mark_of: Callable[[str], Mark], **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.mark_of = mark_of
        self.rows: list[int] = []
        self.language = "en"
        self.empty_text = "No papers."
        self.words: tuple[str, ...] = ()
        """The current filter's words, marked in the titles."""
        self.replacements: dict[str, str] = {}
        """Papers arXiv announced again as replacements: a starred one gets ↻ before its title."""
        self.selected: set[str] = set()
        """Keys of the papers the user selected (space, *): bulk actions act on them. Keys, not
        rows: a folder reload may renumber the store's rows."""
        self._holding = False
        self._moving = False  # set while the cursor moves at the user's word
        self.view: View = (None, "date", None, None)
        """The view asked for last (its rows may still be being selected)."""
        self.generation = 0
        """How many times rows to show were asked for (a filter, a sort, a load's batch…)."""
        self.answered_at = 0.0
        """When (time.monotonic) the last selection was answered, and what it cost in seconds."""
        self.selection_seconds = 0.0
        self._selecting = False
        self._reselect = False
        self._running: View = self.view  # the view the worker selects rows for
        self._shown_generation = 0  # the selection whose rows are shown
        self._behind_since: float | None = None  # when a newer view than the rows shown was asked for
        self._keep_current = True
        self._hold_line = False
        self._lines: dict[tuple, tuple[object, Strip]] = {}  # see _line()
        self._frame: tuple[int, Style] | None = None  # (width, style) while render_lines() draws a frame
        self._styles_checked = False  # whether the kept lines' styles were compared since Textual's last style update
        self._lines_drawn_with: tuple | None = None  # the styles the kept lines were drawn with

    # -- what is shown -------------------------------------------------------------------------

    @property
    def current_row(self) -> int | None:
        """The store row under the cursor."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def show_rows(self, rows: list[int], keep_key: str | None = None, hold_line: bool = False) -> None:
        """Show these store rows; the cursor stays on the paper with `keep_key` if it is still shown.
        With `hold_line` that paper also stays on the same screen line (papers added or taken away
        above it do not move it), and when it is gone the cursor keeps its place in the list."""
        old_cursor, old_top = self.cursor, int(self.scroll_offset.y)
        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        cursor = old_cursor if hold_line else 0
        if keep_key is not None:
            row = self.store.row(keep_key)
            if row is not None:
                try:
                    cursor = rows.index(row)
                except ValueError:
                    pass
        if not hold_line:
            self.cursor = min(cursor, max(len(rows) - 1, 0))
            self.refresh()
            return
        self._holding = True
        try:
            self.cursor = min(cursor, max(len(rows) - 1, 0))
        finally:
            self._holding = False
        height = max(self.scrollable_content_region.height, 1)
        line = old_cursor - old_top
        # the selected paper keeps its line; were it off screen, the view keeps its top
        top = self.cursor - line if 0 <= line < height else old_top
        self.scroll_to(y=max(0, min(top, len(rows) - height)), animate=False, immediate=True)
        self.refresh()

    # -- selecting the rows of a view (off the UI thread; the newest answer wins) -----------------

    def select(self, view: View, *, keep_current: bool = True, hold_line: bool = False) -> None:
        """Show the rows of this view, selected in a worker. While one selection runs, the next waits
        for it instead of piling threads up (a load asks for batches faster than 100k papers sort).
        `keep_current` keeps the cursor on its paper; `hold_line` keeps that paper on its screen
        line too (papers came or went around it)."""
        self.generation += 1
        self.view = view
        if self._behind_since is None:
            self._behind_since = monotonic()
        self._keep_current = keep_current
        self._hold_line = hold_line
        if self._selecting:
            self._reselect = True
            if view[0] is not self._running[0]:
                self.store.interrupt_search()  # a query typed over: its answer would only be thrown away
            return
        self._selecting = True
        self._running = view
        self.select_rows(self.generation, view)

    def select_now(self, view: View) -> None:
        """Show the rows of this view selected here and now, in the UI thread: for the first papers
        of a load, a few dozen, so that the first frame drawn shows them (a worker's answer would
        come a frame later)."""
        if self._selecting:
            self.select(view)
            return
        self.generation += 1
        self.view = view
        self._keep_current = self._hold_line = False
        self.on_rows_selected(self._selected(self.generation, view))

    @work(thread=True, exclusive=True, group="filter")
    def select_rows(self, generation: int, view: View) -> None:
        give_way()
        self.post_message(self._selected(generation, view))

    def _selected(self, generation: int, view: View) -> RowsSelected:
        started = monotonic()
        query, sort, only, day = view
        store = self.store
        try:
            rows = store.select(query, self.mark_of, sort)
        except SearchInterrupted:
            return RowsSelected(generation, None, view, monotonic() - started, None)
        days = None
        if only is not None or day is not None or query is not None:
            papers = store.papers
            if only is not None:
                rows = [row for row in rows if papers[row].key in only]
            if query is not None or only is not None:  # where [ and ] may step: days with a match
                days = facets.days(papers[row] for row in rows)
            if day is not None:
                rows = [row for row in rows if papers[row].date == day]
        return RowsSelected(generation, rows, view, monotonic() - started, days)

    def on_rows_selected(self, message: RowsSelected) -> None:
        self._selecting = False
        self.answered_at, self.selection_seconds = monotonic(), message.seconds
        if self._reselect:
            self._reselect = False
            self._selecting = True
            self._running = self.view
            self.select_rows(self.generation, self.view)
        if message.rows is None or message.generation <= self._shown_generation:
            return  # interrupted for the view now being selected, or older than the rows shown
        query, sort, only, day = message.view
        now = self.view
        if message.generation != self.generation and not (
            query is now[0] and sort == now[1] and only is now[2] and day == now[3]
        ) and monotonic() < (self._behind_since or 0.0) + BEHIND_AT_MOST:
            return  # an older view's answer; the current one is on its way
        self._shown_generation = message.generation
        self._behind_since = None if message.generation == self.generation else monotonic()
        current = self.current_row
        keep = self.store.papers[current].key if current is not None and self._keep_current else None
        self.words = query.words if query is not None else ()  # marked here and (on Highlighted) in the detail
        hold = self._hold_line
        if message.generation == self.generation:
            self._hold_line = False  # the answer it was asked for (an older one keeps the line too)
        self.show_rows(message.rows, keep_key=keep, hold_line=hold)
        self.post_message(self.Shown(len(message.rows), message.days, message.generation))

    def refresh_rows(self, rows: Collection[int]) -> None:
        """Re-render the lines on screen showing these store rows (after a star, tag or read
        change): one look at each line on screen, however many rows (a selection of a million)."""
        top = int(self.scroll_offset.y)
        for index in range(top, min(top + self.size.height, len(self.rows))):
            if self.rows[index] in rows:
                self.refresh_line(index)

    # -- the selection ---------------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        """The selected papers' store rows, in the order shown; selected papers a filter now hides
        stay selected and come last."""
        papers, selected = self.store.papers, self.selected
        shown = [row for row in self.rows if papers[row].key in selected]
        hidden = {papers[row].key for row in shown}
        rest = (self.store.row(key) for key in sorted(selected) if key not in hidden)
        return shown + [row for row in rest if row is not None]

    def clear_selection(self) -> bool:
        """Deselect everything; returns whether anything was selected."""
        if not self.selected:
            return False
        self.selected.clear()
        self.refresh()
        self.post_message(self.SelectionChanged(0))
        return True

    def action_clear_selection(self) -> None:
        self.clear_selection()

    def action_select(self) -> None:
        row = self.current_row
        if row is None:
            return
        key = self.store.papers[row].key
        if key in self.selected:
            self.selected.discard(key)
        else:
            self.selected.add(key)
        self.refresh_line(self.cursor)
        self.post_message(self.SelectionChanged(len(self.selected)))
        self._move_to(self.cursor + 1)

    def action_select_all(self) -> None:
        papers = self.store.papers
        self.selected.update(papers[row].key for row in self.rows)
        self.refresh()
        self.post_message(self.SelectionChanged(len(self.selected)))

    def set_language(self, language: str) -> None:
        self.language = language
        self.refresh()

    # -- movement ------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        if old != new and 0 <= old < len(self.rows):
            self.refresh_line(old)
        self.refresh_line(new)
        if not self._holding:
            self._scroll_to_cursor()
        self.post_message(self.Highlighted(self.current_row, self._moving))

    def _scroll_to_cursor(self) -> None:
        height = max(self.scrollable_content_region.height, 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def move_to_row(self, row: int) -> None:
        """Put the cursor on this store row, if it is shown (the program's move, not the user's:
        the paper is not read by dwelling on it until the user moves to one)."""
        try:
            self.cursor = self.rows.index(row)
        except ValueError:
            pass

    def _move_to(self, index: int) -> None:
        """Move the cursor because the user asked to."""
        if self.rows:
            self._moving = True
            try:
                self.cursor = max(0, min(index, len(self.rows) - 1))
            finally:
                self._moving = False

    def action_cursor_down(self) -> None:
        self._move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move_to(self.cursor - 1)

    def action_page_down(self) -> None:
        self._move_to(self.cursor + max(self.scrollable_content_region.height - 1, 1))

    def action_page_up(self) -> None:
        self._move_to(self.cursor - max(self.scrollable_content_region.height - 1, 1))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.rows) - 1)

    def on_click(self, event: Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < len(self.rows):
            if index == self.cursor and event.chain >= 2:
                self.post_message(self.Chosen(self.rows[index]))
            self._move_to(index)

    def on_resize(self, event: Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows))
        self._scroll_to_cursor()

    # -- rendering -----------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # the width and the widget's style looked up once a frame, not once a line: rich_style
        # walks the ancestors' backgrounds each time (a fifth of drawing a new page of the list)
        self._frame = (self.scrollable_content_region.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        width, base = self._frame or (self.scrollable_content_region.width, self.rich_style)
        index = int(self.scroll_offset.y) + y
        if not self.rows:
            if y == 0:
                style = self.get_component_rich_style("paper-list--empty")
                return Strip([Segment(" " + self.empty_text, base + style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        strip = self._line(row, width, base)
        if index == self.cursor:
            strip = strip.apply_style(self.get_component_rich_style("paper-list--cursor"))
        elif self.selected and self.store.papers[row].key in self.selected:
            strip = strip.apply_style(self.get_component_rich_style("paper-list--selected"))
        return strip.apply_style(base)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles_checked = False

    LINES_KEPT = 512
    """Drawn lines kept for drawing again (see _line)."""

    def _line(self, row: int, width: int, base: Style) -> Strip:
        """The line of a row, drawn again only when something it shows changed: a scroll, a resize
        (the filter bar opening) or a change of focus (the cursor's colour) draws the whole list
        again, and most of its lines are the same. Kept by what they are drawn from: the paper
        (the same object: the store puts in a new one when it changes), its mark, the width, the
        language, the filter's words, the replacement sign and the styles."""
        if not self._styles_checked:  # the styles were updated (see notify_style_update)
            styles = (base, *map(self.get_component_rich_style, _ROW_STYLES))
            if styles != self._lines_drawn_with:  # a theme or CSS change, not only the focus
                self._lines.clear()
                self._lines_drawn_with = styles
            self._styles_checked = True
        paper = self.store.papers[row]
        key = (row, width, self.mark_of(paper.key), paper.key in self.selected, self.language, self.words,
               paper.key in self.replacements)
        kept = self._lines.get(key)
        if kept is not None and kept[0] is paper:
            return kept[1]
        text = self.row_text(row, width)
        strip = Strip(list(text.render(self.app.console)), text.cell_len).adjust_cell_length(width, base)
        if len(self._lines) >= self.LINES_KEPT:
            self._lines.clear()
        self._lines[key] = (paper, strip)
        return strip

    def row_text(self, row: int, width: int) -> Text:
        """The line for one paper, exactly `width` cells wide; wide (CJK) characters count as two."""
        paper = self.store.papers[row]
        mark = self.mark_of(paper.key)
        meta = self.get_component_rich_style("paper-list--meta")
        text = Text(no_wrap=True, end="")
        text.append("★" if mark.starred else " ", self.get_component_rich_style("paper-list--star"))
        if mark.read:
            text.append("○", meta)
        else:
            text.append("●", self.get_component_rich_style("paper-list--unread"))
        text.append("✓" if paper.key in self.selected else " ", self.get_component_rich_style("paper-list--selected"))
        if paper.score is not None:
            text.append(f"{paper.score:>3}% ", meta)
        elif paper.upvotes is not None:
            text.append(f"▲{paper.upvotes:<3} "[:5], meta)
        else:
            text.append("     ", meta)
        text.append(f"{paper.date or '':10} ", meta)
        category = clean(paper.categories[0]) if paper.categories else ""
        text.append(_fit(category, CATEGORY_WIDTH) + " ", meta)
        chips = Text(no_wrap=True, end="")
        for tag in mark.tags:
            chips.append(" ")
            chips.append(f" {clean(tag)} ", self.get_component_rich_style("paper-list--tag"))
        if mark.starred and paper.key in self.replacements:  # arXiv announced a new version of it
            text.append("↻ ", self.get_component_rich_style("paper-list--star"))
        room = width - text.cell_len
        chips_width = min(chips.cell_len, max(room // CHIPS_MAX_SHARE, 0))
        title = _fit(clean(row_title(paper, self.language)), max(room - chips_width, 0))
        title_style = Style(bold=True) if not mark.read else Style()
        start = len(text)
        text.append(title, title_style)
        if self.words:
            mark_words(text, self.words, self.get_component_rich_style("paper-list--match"), start, len(text))
        if chips_width:
            chips.truncate(chips_width, overflow="ellipsis")
            text.append_text(chips)
        return text


_ROW_STYLES = ("paper-list--star", "paper-list--unread", "paper-list--meta", "paper-list--selected", "paper-list--tag",
               "paper-list--match")
"""The component styles row_text() draws with (not the cursor's: it goes on at render_line)."""


def _fit(value: str, width: int) -> str:
    """`value` cut (at a line break opportunity, with …) or padded with spaces to exactly `width` cells."""
    if width <= 0:
        return ""
    value = truncate_text(value, width)
    return value + " " * (width - cell_len(value))
