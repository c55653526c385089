"""The overview: papers per day and the top categories, topics, institutions, organisations and tags,
drawn as bars with counts; enter (or a click) on a bar shows its papers in the list."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import takewhile
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Click, Resize
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Label, Sparkline, Static
from textual.worker import get_current_worker

from ..core import facets
from ..core.library import Library
from ..core.store import Store
from ..core.text import clean, counted
from ..widgets.paper_list import _fit

if TYPE_CHECKING:  # (the ledger, and the fetching it reads, are imported when counted: not on the way to the first paint)
    from ..core.ledger import Ledger

RECENT_DAYS = 14
"""Days drawn as bars (the newest ones); the sparkline covers the whole range."""
LEDGER_CATEGORIES = 8
"""Category rows of the day's ledger shown under its total (the biggest first)."""
_EIGHTHS = " ▏▎▍▌▋▊▉"
FACET_TITLES = {
    "categories": "Categories",
    "topics": "Topics (专题)",
    "institutions": "Institutions",
    "organisations": "Organisations (HF)",
    "tags": "Your tags",
}
FACET_EMPTY = {
    "categories": "No categories in the loaded digests.",
    "topics": "No topics: only arXivDaily pages and markdown posts name them.",
    "institutions": "No institutions: only arXivDaily pages name them.",
    "organisations": "No organisations: only Hugging Face pages name them.",
    "tags": "No tags yet: press t on a paper to tag it.",
}


def bar(count: int, most: int, width: int) -> str:
    """A horizontal bar `count/most` of `width` cells, in eighths of a cell; at least a sliver for a count."""
    if width <= 0 or most <= 0 or count <= 0:
        return ""
    eighths = max(1, round(count / most * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


class BarChart(Widget, can_focus=True):
    """Labelled horizontal bars with counts, one a line; up/down move, enter (or a click) chooses one."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", id="overview.down", show=False),
        Binding("up,k", "cursor_up", "Up", id="overview.up", show=False),
        Binding("enter", "choose", "Show these papers", id="overview.choose"),
    ]

    COMPONENT_CLASSES = {"bar-chart--bar", "bar-chart--count", "bar-chart--cursor", "bar-chart--empty"}

    DEFAULT_CSS = """
    BarChart { height: auto; width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    BarChart > .bar-chart--bar { color: $primary; }
    BarChart > .bar-chart--count { color: $text-muted; }
    BarChart > .bar-chart--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    BarChart > .bar-chart--empty { color: $text-muted; text-style: italic; }
    """

    cursor: reactive[int] = reactive(0)

    class Chosen(Message):
        """A bar was chosen: `value` is what it stands for (a day, or a filter query)."""

        def __init__(self, chart: BarChart, value: str) -> None:
            super().__init__()
            self.chart = chart
            self.value = value

    def __init__(self, bars: list[tuple[str, int, str]], empty: str = "Nothing to show.", **kwargs) -> None:
        """`bars` are (label, count, value) in the order shown."""
        super().__init__(**kwargs)
        self.bars = bars
        self.empty = empty
        self.can_focus = bool(bars)

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(len(self.bars), 1)

    def render(self) -> Text:
        width = self.content_region.width or self.size.width
        if not self.bars:
            return Text(self.empty, self.get_component_rich_style("bar-chart--empty"))
        most = max(count for _, count, _ in self.bars)
        count_width = len(str(most))
        widest = max(cell_len(label) for label, _, _ in self.bars)
        label_width = max(min(widest, max(width * 2 // 5, 10)), 1)
        bar_width = max(width - label_width - count_width - 2, 1)
        bar_style = self.get_component_rich_style("bar-chart--bar")
        count_style = self.get_component_rich_style("bar-chart--count")
        cursor_style = self.get_component_rich_style("bar-chart--cursor")
        text = Text(no_wrap=True, overflow="crop", end="")
        for index, (label, count, _value) in enumerate(self.bars):
            if index:
                text.append("\n")
            # the cursor marks the label and the count: a cursor-coloured bar would look longer
            cursor = cursor_style if index == self.cursor and self.has_focus else None
            text.append(_fit(label, label_width), cursor)
            text.append(" ")
            drawn = bar(count, most, bar_width)
            text.append(drawn, bar_style)
            text.append(" " * (bar_width - cell_len(drawn)) + " ")
            text.append(f"{count:>{count_width}}", count_style + cursor if cursor else count_style)
        return text

    def on_blur(self) -> None:
        self.refresh()

    def watch_cursor(self) -> None:
        if self.has_focus:  # the bar moved to in sight (a chart is at most a screenful: all of it)
            self.scroll_visible(animate=False)
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def action_cursor_down(self) -> None:
        if self.cursor + 1 < len(self.bars):
            self.cursor += 1
        else:
            self.screen.focus_next()

    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self.cursor -= 1
        else:
            self.screen.focus_previous()

    def action_choose(self) -> None:
        if self.bars:
            self.app.hold_keys(until_field=False)  # for the list the choice shows (MainScreen.overview_chosen)
            self.post_message(self.Chosen(self, self.bars[self.cursor][2]))

    def on_click(self, event: Click) -> None:
        if 0 <= event.y < len(self.bars):
            self.focus()
            self.cursor = event.y
            self.action_choose()


class _Body(VerticalScroll, can_focus=False):
    """The scrolling page of charts; not a focus stop of its own (↓ on the last bar wraps to the first chart)."""


class FacetsCounted(Message):
    def __init__(self, counts: facets.Facets, ledger: Ledger) -> None:
        super().__init__()
        self.counts = counts
        self.ledger = ledger


class OverviewScreen(Screen):
    """Counts over every loaded paper (not just those the filter shows); dismisses with
    ("day", date), ("query", filter) or None."""

    BINDINGS = [Binding("escape,q,g", "close", "Back to the list", id="overview.close")]

    DEFAULT_CSS = """
    OverviewScreen { background: $surface; }
    OverviewScreen #overview-title { text-style: bold; padding: 0 1; height: auto; width: 1fr; }
    OverviewScreen #overview-note { color: $text-muted; padding: 0 1; height: 1; width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    OverviewScreen #overview-body { height: 1fr; padding: 0 1; }
    OverviewScreen Sparkline { height: 2; margin: 0 0 0 0; }
    OverviewScreen #range { color: $text-muted; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    OverviewScreen #charts { height: auto; layout: horizontal; }
    OverviewScreen #charts.-narrow { layout: vertical; }
    OverviewScreen .column { width: 1fr; height: auto; }
    OverviewScreen #charts > .column.-first { margin-right: 3; }
    OverviewScreen #charts.-narrow > .column.-first { margin-right: 0; }
    OverviewScreen .chart { height: auto; margin-top: 1; }
    OverviewScreen .chart-title { text-style: bold underline; height: 1; }
    OverviewScreen #ledger { height: auto; margin-bottom: 1; }
    OverviewScreen .-hidden { display: none; }
    """

    WIDE = 120
    """Terminals at least this wide get two columns of charts."""

    def __init__(self, store: Store, library: Library, day: str | None = None, subscribed: tuple[str, ...] = (),
                 cache=None) -> None:
        """`day`: the listing day whose ledger is shown (None: the newest one counted); `subscribed`:
        the arXiv categories fetched (the ledger's rows); `cache`: the parse cache the listings are read through."""
        super().__init__()
        self.store = store
        self.library = library
        self.day = day
        self.subscribed = subscribed
        self.cache = cache

    def compose(self) -> ComposeResult:
        yield Static("Overview", id="overview-title")
        yield Static(Text("Counting…"), id="overview-note")
        with _Body(id="overview-body"):
            # shown once counted, when an arXiv listing is loaded (without one there is nothing to count against)
            yield Label("Ledger", classes="chart-title -hidden", id="ledger-title")
            yield Static(id="ledger", classes="-hidden")
            yield Label("Papers per day", classes="chart-title")
            yield Sparkline([], id="per-day")
            yield Static(id="range")
            with Horizontal(id="charts"):
                yield Vertical(classes="column -first")
                yield Vertical(classes="column")
        yield Footer()

    def on_mount(self) -> None:
        self._layout(self.app.size.width)
        library = self.library
        self.count_papers(self.store, lambda key: library.mark(key).tags, library.mark)

    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.query_one("#charts").set_class(width < self.WIDE, "-narrow")

    @work(thread=True, exclusive=True, group="overview")
    def count_papers(self, store, tags_of, mark_of) -> None:
        # institutions are among the long texts, which may still be (or stay) in the parse cache
        from ..core.ledger import ledger_of

        worker = get_current_worker()
        # at a million papers the count reads every paper's texts (tens of seconds): it stops with
        # the overview (or the reader: its end waits for this thread), not when it is done
        counts = facets.count(takewhile(lambda _paper: not worker.is_cancelled, store.whole_papers()), tags_of)
        if worker.is_cancelled:
            return
        ledger = ledger_of(store, mark_of, self.subscribed, self.cache)
        self.post_message(FacetsCounted(counts, ledger))

    def on_facets_counted(self, message: FacetsCounted) -> None:
        counts = message.counts
        per_day = counts.per_day
        title = Text(f"Overview of {counted(counts.total, 'loaded paper')}")
        if per_day:
            title.append(f" · {per_day[0][0]} … {per_day[-1][0]} · {counted(len(per_day), 'day')} with papers")
        self.query_one("#overview-title", Static).update(title)
        self.query_one("#overview-note", Static).update(Text(
            "Counted over all loaded papers, whatever the list's filter or day."))
        self.show_ledger(message.ledger)
        self.query_one("#per-day", Sparkline).data = calendar_counts(per_day) or [0]
        span = Text()
        if per_day:
            most = max(per_day, key=lambda item: (item[1], item[0]))
            span.append(f"{per_day[0][0]} → {per_day[-1][0]} · busiest: {most[0]} ({most[1]})")
            if counts.undated:
                span.append(f" · {counts.undated} without a date")
        else:
            span.append("No loaded paper has a listing date.")
        self.query_one("#range", Static).update(span)
        columns = list(self.query(".column").results(Vertical))
        recent = list(reversed(per_day[-RECENT_DAYS:]))
        days_title = "Days" if len(per_day) <= RECENT_DAYS else f"The last {RECENT_DAYS} days with papers"
        done = message.ledger.done_days()  # every paper arXiv announced that day is read
        sections = [(days_title, BarChart([(f"{day} ✓ done" if day in done else day, n, day) for day, n in recent],
                                          "No dated papers.", id="chart-days"))]
        for name in facets.FACETS:
            bars = []
            for value, n in counts.top[name]:
                query = facets.facet_query(name, value)
                if query is not None:
                    bars.append((clean(value), n, query))
            sections.append((FACET_TITLES[name], BarChart(bars, FACET_EMPTY[name], id=f"chart-{name}")))
        for index, (title_text, chart) in enumerate(sections):
            # days, categories, topics on the left; institutions, organisations, tags on the right
            column = columns[0] if index < 3 else columns[1]
            column.mount(Vertical(Label(title_text, classes="chart-title"), chart, classes="chart"))
        first = next((chart for _, chart in sections if chart.can_focus), None)
        if first is not None:  # the page stays at its top, the ledger in sight; tab and the cursor scroll to a chart
            first.focus(scroll_visible=False)

    def show_ledger(self, ledger: Ledger) -> None:
        """The ledger of the selected day (else the newest day it counts): announced, in digests, read, left."""
        from ..core.ledger import ALL

        days = ledger.days()
        day = self.day if self.day in days else (days[0] if days and self.day is None else None)
        title = self.query_one("#ledger-title", Label)
        for widget in (title, self.query_one("#ledger", Static)):
            widget.set_class(not days, "-hidden")
        text = Text()  # (a line wider than the screen wraps: the message does, the table's rows fit 80 columns)
        if day is None:
            title.update(f"Ledger of {self.day}" if self.day else "Ledger")
            where = f" for {self.day}" if self.day else ""
            text.append(f"No arXiv feed or listing e-mail loaded{where}: nothing to count against "
                        "(F fetches today's feed).", Style(italic=True, dim=True))
        else:
            rows = ledger.day(day)
            total = rows[0]
            state = "done: every announced paper is read" if total.done else f"{total.left} left"
            title.update(f"Ledger of {day} · {state}")
            text.append(f"{'category':<12}{'new':>6}{'cross':>7}{'repl':>6}{'announced':>11}{'in digests':>12}"
                        f"{'read':>6}{'left':>6}", Style(bold=True))
            hidden = max(len(rows) - 1 - LEDGER_CATEGORIES, 0)
            for row in rows[: len(rows) - hidden]:
                name = "all" if row.category == ALL else clean(row.category)
                text.append(f"\n{name:<12}{row.new:>6}{row.cross:>7}{row.replacement:>6}{row.announced:>11}"
                            f"{row.in_digests:>12}{row.read:>6}{row.left:>6}", Style(bold=row.category == ALL))
            if hidden:
                text.append(f"\n… {counted(hidden, 'more category', 'more categories')} (digest-tui ledger --date {day} lists them all)",
                            Style(italic=True, dim=True))
            replaced = [key for key, on in ledger.replaced.items() if on == day]
            if replaced:
                text.append(f"\n↻ starred, and replaced that day: {clean(', '.join(replaced))}", Style(color="yellow"))
        self.query_one("#ledger", Static).update(text)

    def on_bar_chart_chosen(self, message: BarChart.Chosen) -> None:
        kind = "day" if message.chart.id == "chart-days" else "query"
        self.dismiss((kind, message.value))

    def action_close(self) -> None:
        self.dismiss(None)


def calendar_counts(per_day: list[tuple[str, int]]) -> list[int]:
    """Papers on every calendar day of the range (days without papers count 0), for the sparkline."""
    if not per_day:
        return []
    counts = dict(per_day)
    try:
        first, last = date.fromisoformat(per_day[0][0]), date.fromisoformat(per_day[-1][0])
    except ValueError:
        return [n for _, n in per_day]  # not ISO dates: just the days there are
    span = (last - first).days
    if span > 20 * 366:  # a stray date decades off: the days there are, not a line of zeros
        return [n for _, n in per_day]
    return [counts.get((first + timedelta(days=offset)).isoformat(), 0) for offset in range(span + 1)]
