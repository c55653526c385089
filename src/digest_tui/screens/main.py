"""The main screen: paper list, detail pane, filter bar and status line, and the keys that act on papers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from time import monotonic

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import Reactive, var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from ..commands import Command, ReaderCommands
from ..core.library import Library
from ..core.loading.session import LoadSession
from ..core.model import SORTS, Problem
from ..core.query import Query, QueryError, parse_query
from ..core.text import one_line
from ..messages import DigestsFound, DigestsLoaded, DigestsRead, FolderChanged, ReadyForKeys
from ..widgets.filter_bar import FilterBar
from ..widgets.paper_detail import PaperDetail
from ..widgets.paper_list import PaperList
from ..widgets.paper_panes import PaperPanes
from ..widgets.reader_footer import ReaderFooter
from ..widgets.status_line import StatusLine
from .days import Days
from .digest_load import DigestLoad
from .live_folders import LiveFolders, live_summary
from .marking import Marking
from .reading_lists import ReadingLists
from .saved_searches import SavedSearches

LOAD_REFRESH_SECONDS = 1.0
FIRST_PAPERS_WAIT = 0.05
"""Seconds the screen waits, once mounted, for the load's first papers before it is first drawn."""
SEARCHING_AFTER = 0.3
"""Seconds a selection of rows may take before the status line says it is searching."""


PALETTE = (
    # title, help, who acts ("screen", "panes" or "list"), action, the binding id whose keys are shown
    ("Star / unstar paper", "Toggle the star on the selected paper", "panes", "star", "paper.star"),
    ("Tags…", "Add or remove tags on the selected paper", "screen", "tags", "paper.tags"),
    ("Mark read / unread", "Toggle the read mark", "panes", "toggle_read", "paper.read"),
    ("Undo", "Take back the last change of stars, tags, read marks or notes", "panes", "undo", "paper.undo"),
    ("Triage mode", "One paper at a time over the papers shown, unread first: keep, skip, tag", "screen", "triage",
     "view.triage"),
    ("Select all shown", "Select every paper shown; the paper keys then act on the selection", "list",
     "select_all", "list.select_all"),
    ("Clear the selection", "Deselect every paper", "list", "clear_selection", None),
    ("Mark all shown read…", "Mark every paper shown read (asks first)", "screen", "read_all", "list.read_all"),
    ("Note…", "Write a note on the selected paper", "screen", "note", "paper.note"),
    ("Filter…", "Filter the list with a query", "screen", "filter", "view.filter"),
    ("Clear filter", "Show every paper again", "screen", "clear_filter", "view.clear"),
    ("Cycle sort", f"Sort by {', '.join(SORTS)}", "screen", "cycle_sort", "view.sort"),
    ("Toggle language 中/EN", "Chinese or English titles and abstract", "screen", "toggle_language", "view.language"),
    ("Side by side: both languages", "Show the English and Chinese abstracts together", "screen",
     "toggle_side_by_side", "view.both"),
    ("Show all authors", "Expand or shorten the author list", "panes", "toggle_all_authors", "detail.authors"),
    ("Zoom the detail pane", "The paper alone on the whole screen, and back", "panes", "zoom", "view.zoom"),
    ("Split: the list wider", "Move the split between the panes to the right", "panes", "wider", "view.wider"),
    ("Split: the list narrower", "Move the split between the panes to the left", "panes", "narrower", "view.narrower"),
    ("Open arXiv page", "Open the paper's page in the browser", "panes", "open_page", "paper.open"),
    ("Open PDF", "Open the paper's PDF in the browser", "panes", "open_pdf", "paper.pdf"),
    ("Copy link", "Copy the arXiv link", "panes", "copy_link", "paper.copy"),
    ("Save reading list…", "Save starred papers, a tag or this view as TOML", "screen", "save_list", "list.save"),
    ("Load reading list…", "Restore a saved reading list and show it", "screen", "load_list", None),
    ("Export…", "Export to BibTeX, RIS, CSL-JSON, an Obsidian vault, Markdown, CSV, JSON or TOML", "screen",
     "export", "library.export"),
    ("Load problems", "Files that could not be read, and why", "screen", "show_problems", None),
    ("Overview: papers per day, categories, topics…", "Counts as bars; enter on one filters", "screen", "overview",
     "view.overview"),
    ("Previous day", "The list shows the previous listing date", "screen", "previous_day", "view.day_previous"),
    ("Next day", "The list shows the next listing date", "screen", "next_day", "view.day_next"),
    ("All days", "Show every listing date again", "screen", "all_days", "view.all_days"),
    ("Save this search…", "Save the filter under a name in config.toml", "screen", "save_search", "view.save_search"),
)
"""The command palette's fixed entries; saved searches, sorts and tags are added as they are."""


class MainScreen(Screen):
    """Coordinates the list, the detail pane, the filter bar and the status line; owns the keys that
    act on a paper. The view (sort, language, day, filter, list, counts) is reactive state that the
    status line is bound to."""

    # Priority bindings run as the app receives each key, before it sends the next one on; a normal
    # binding runs only once its key has travelled to the focused widget and back, by which time
    # the keys typed behind it (a paste, a macro, fast typing over SSH) are already on their way to
    # the list. So `/` and the letters after it would reach the list's bindings, and `s` typed just
    # before `e` would star after the export dialog had counted the stars. Keys an input takes
    # (letters in the filter bar) never reach these bindings. The keys that act on the paper under
    # the cursor, and the panes' layout keys, are PaperPanes'; the ones that open a dialog are here.
    BINDINGS = [
        *(replace(binding, priority=True) for binding in (
            Binding("l", "toggle_language", "中/EN", id="view.language"),
            Binding("L", "toggle_side_by_side", "Side by side", id="view.both", show=False),
            Binding("t", "tags", "Tags", id="paper.tags"),
            Binding("n", "note", "Note", id="paper.note"),
            Binding("R", "read_all", "Read all", id="list.read_all", show=False),
            Binding("T", "triage", "Triage", id="view.triage"),
            Binding("slash", "filter", "Filter", id="view.filter", key_display="/"),
            Binding("escape", "clear_filter", "Clear filter", id="view.clear", show=False),
            Binding("S", "cycle_sort", "Sort", id="view.sort"),
            Binding("w", "save_list", "Save list", id="list.save"),
            Binding("e", "export", "Export", id="library.export"),
            Binding("left_square_bracket", "previous_day", "Previous day", id="view.day_previous", key_display="[",
                    show=False),
            Binding("right_square_bracket", "next_day", "Next day", id="view.day_next", key_display="]", show=False),
            Binding("a", "all_days", "All days", id="view.all_days", show=False),
            Binding("g", "overview", "Overview", id="view.overview"),
            Binding("ctrl+s", "save_search", "Save search", id="view.save_search", show=False),
            *(Binding(f"f{n}", f"saved_search({n})", f"Saved search {n}", id=f"search.{n}", show=False)
              for n in range(1, 10)),
        )),
    ]

    COMMANDS = {ReaderCommands}

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """Textual's, without its repaint of the whole screen at each move of the focus (`/`, enter,
    esc, tab: a full frame the next key waits for); the widgets that gain or lose the focus
    restyle and redraw themselves (Screen.set_focus)."""

    sort: var[str] = var("date", init=False)
    language: var[str] = var("en", init=False)
    side_by_side: var[bool] = var(False, init=False)
    """Both abstracts side by side, the language's first."""
    day: var[str | None] = var(None, init=False)
    """The listing date shown ([ and ] step, a shows all days), or None for every day."""
    query_text: var[str] = var("", init=False)
    """The filter applied, as typed."""
    only_label: var[str] = var("", init=False)
    """The name of the reading list whose papers are shown ("" for none)."""
    filter_error: var[str | None] = var(None, init=False)
    shown: var[int] = var(0, init=False)
    total: var[int] = var(0, init=False)
    reading_files: var[bool] = var(True, init=False)
    searching: var[bool] = var(False, init=False)
    indexed: var[int | None] = var(None, init=False)
    """The percentage of papers whose texts the filter shown searched, when not all (Store.texts_searched)."""
    files_read: var[int] = var(0, init=False)
    files_total: var[int] = var(0, init=False)
    unread: var[int | None] = var(None, init=False)
    """Unread papers of the day shown (None when every day is shown)."""
    selected: var[int] = var(0, init=False)
    """How many papers are selected (space, *): the paper keys act on them."""

    def __init__(
        self,
        session: LoadSession,
        library: Library,
        *,
        save_library: Callable[[], None],
        searches: SavedSearches,
        language: str = "en",
        side_by_side: bool = False,
        sort: str = "date",
        pane_split: int = 60,
        remember: Callable[[str, str | bool | int], None] = lambda key, value: None,
        mark_read_after: float = 2.0,
        reading_list: str | None = None,
        start_on_unread_day: bool = False,
        live: LiveFolders | None = None,
        subscribed: Iterable[str] = (),
    ) -> None:
        """`session`: the load of the digests (its store holds the papers); `library`: the user's
        marks, and `save_library()` schedules a save of it; `searches`: the saved searches; `live`:
        the folders to watch once loaded; `remember(key, value)` keeps a setting the user changed
        here (language, side_by_side, sort) for the next start; the rest are the reader's settings."""
        super().__init__()
        self.session = session
        self.store = session.store
        self.library = library
        self.save_library = save_library
        self.saved_searches = searches
        self.mark_read_after = mark_read_after
        self.reading_list = reading_list
        self.start_on_unread_day = start_on_unread_day
        self.live = live if live is not None else LiveFolders(session, ())
        self.remember = remember
        self.subscribed = tuple(subscribed)
        """The arXiv categories fetched ([fetch] arxiv): the ledger counts a paper in the first of them it has."""
        self.days = Days(self.store, library, self.notify)
        self.set_reactive(MainScreen.language, language)
        self.set_reactive(MainScreen.side_by_side, side_by_side)
        self.set_reactive(MainScreen.sort, sort)
        self.pane_split = pane_split
        self.filter_query: Query | None = None
        self.only_keys: frozenset[str] | None = None
        self._answered = 0  # the newest of the list's selections shown
        self._when_shown: list[tuple[int, Callable[[], None]]] = []  # see after_rows()
        self.digest_load = DigestLoad(self, session)

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield PaperPanes(self.store, self.library, save_library=self.marks_edited, mark_read_after=self.mark_read_after,
                         pane_split=self.pane_split, remember=self.remember,
                         id="panes").data_bind(MainScreen.language, MainScreen.side_by_side)
        footer = ReaderFooter()
        yield StatusLine(id="status").data_bind(
            MainScreen.shown, MainScreen.total, MainScreen.reading_files, MainScreen.files_read,
            MainScreen.files_total, MainScreen.day, MainScreen.query_text, MainScreen.sort, MainScreen.language,
            MainScreen.side_by_side, MainScreen.filter_error, MainScreen.unread, MainScreen.selected,
            MainScreen.searching, MainScreen.indexed, list_name=MainScreen.only_label)
        yield FilterBar(id="filter", replaces=footer)  # in the footer's line, while it has the focus
        yield footer
        if not self.reading_list:  # the load starts now, not once the widgets are mounted: ~0.1 s sooner
            self.digest_load.start(self.sort)

    @property
    def panes(self) -> PaperPanes:
        return self.query_one(PaperPanes)

    @property
    def paper_list(self) -> PaperList:
        return self.panes.paper_list

    @property
    def detail(self) -> PaperDetail:
        return self.panes.detail

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    @property
    def problems(self) -> list[Problem]:
        """The files that could not be read, and why (the load's and the live reloads')."""
        return self.digest_load.problems

    def on_mount(self) -> None:
        self.lists = ReadingLists(self.app, self.store, self.library, save_library=self.save_library,
                                  shown=lambda: (self.paper_list.rows, self.query_text),
                                  selected=lambda: self.paper_list.selected_rows())
        self.marking = Marking(self.app, self.panes, self.library)
        self.paper_list.set_language(self.language)
        self.paper_list.empty_text = "Loading digests…"
        self.paper_list.focus()
        self.panes.show_paper(None)
        if self.reading_list:  # its papers go in first, then the digests' merge into them
            self.load_reading_list(self.reading_list, then=lambda: self.digest_load.start(self.sort))
        elif self.digest_load.first_read.wait(FIRST_PAPERS_WAIT) and len(self.store):
            # the first file's papers, in the first frame drawn (the frame before them would show
            # "Loading digests…" for the few milliseconds that the first file takes to read)
            self.paper_list.select_now((self.filter_query, self.sort, self.only_keys, self.day))

    # -- loading (DigestLoad's worker reads, parses and adds to the store; the UI thread redraws) -----

    def on_digests_found(self, message: DigestsFound) -> None:
        self.files_total = message.files

    def on_digests_read(self, message: DigestsRead) -> None:
        self.files_read = message.files
        self.problems.extend(message.problems)
        # sorting 100k papers on every batch would take the loader's CPU: while loading, the list
        # is refreshed with at least six times the last selection's cost in between, and not while
        # a filter is being typed (a new page of the list and its paper, drawn in the frame that
        # shows the key, made the key show 20-100 ms late; the pause in typing filters anyway)
        papers = self.paper_list
        if not self.filter_bar.typing and \
                monotonic() >= papers.answered_at + max(LOAD_REFRESH_SECONDS, 6 * papers.selection_seconds):
            self.refilter(keep_current=self.paper_list.cursor != 0)
        else:
            self.total = len(self.store)

    def on_digests_loaded(self, message: DigestsLoaded) -> None:
        store = self.store
        self.files_read = message.files
        self.problems.extend(message.problems)
        self.paper_list.empty_text = "No papers could be read." if not len(store) else "No papers match."
        self.digest_load.report()
        if self.start_on_unread_day and self.day is None:
            self.day = self.days.newest_unread()
        self.live.start(self.post_message)
        self.refilter(keep_current=self.paper_list.cursor != 0)
        # "loading…" until that selection (every paper in) is up: at 1M papers sorting takes seconds
        self.after_rows(self._listed)

    def _listed(self) -> None:
        """The list of every loaded paper is up: the load is done, the ledger's replacement flags
        are counted and its finishing steps may start (after the paint: their work would slow
        that last selection and paint down; at a million papers the ledger takes 0.16 s)."""
        self.reading_files = False
        self.panes.count_replacements(self.subscribed, self.session.cache)
        self.call_after_refresh(self.complete_papers)

    def complete_papers(self) -> None:
        """The load's finishing steps (DigestLoad.finish), once the whole list is up."""
        self.digest_load.finish()

    # -- the rows shown (the list selects them off the UI thread; the newest answer wins) --------

    def refilter(self, keep_current: bool = True, hold_line: bool = False) -> None:
        """Show the rows of the view again (the list selects them in a worker; see PaperList.select)."""
        self.paper_list.select((self.filter_query, self.sort, self.only_keys, self.day), keep_current=keep_current,
                               hold_line=hold_line)
        asked = self.paper_list.generation
        # a selection that takes a while (a full-text search at scale) says so, rather than the
        # status line showing the last view's counts next to the new filter
        self.set_timer(SEARCHING_AFTER, lambda: self._still_searching(asked))

    def after_rows(self, then: Callable[[], None]) -> None:
        """Call `then` once the rows of the selection asked for last (or a newer one) are shown."""
        self._when_shown.append((self.paper_list.generation, then))

    def _still_searching(self, asked: int) -> None:
        if self._answered < asked:
            self.searching = True

    def on_paper_list_shown(self, message: PaperList.Shown) -> None:
        self.days.matching = message.days
        if not self.digest_load.painted.is_set():  # (no rows either when the first file could not be read)
            self.call_after_refresh(self.digest_load.painted.set)
        if not message.rows:
            self.panes.show_paper(None)
        self.shown, self.total = message.rows, len(self.store)
        self.indexed = self.store.texts_searched(self.paper_list.view[0])
        self._answered = max(self._answered, message.generation)
        if self._answered >= self.paper_list.generation:
            self.searching = False
        due = [then for generation, then in self._when_shown if generation <= self._answered]
        self._when_shown = [(generation, then) for generation, then in self._when_shown if generation > self._answered]
        for then in due:
            then()
        self.count_unread()

    # -- the papers (the panes act on the one under the cursor; dialogs open here) ---------------

    def action_tags(self) -> None:
        self.marking.tags()

    def action_note(self) -> None:
        self.marking.note()

    def action_read_all(self) -> None:
        self.marking.read_all()

    def action_triage(self) -> None:
        self.marking.triage(self.language, self.side_by_side)

    def on_paper_list_selection_changed(self, message: PaperList.SelectionChanged) -> None:
        self.selected = message.count

    def marks_edited(self) -> None:
        """The user changed marks here (the panes, a dialog): count the day's unread papers, and save."""
        self.count_unread()
        self.save_library()

    def count_unread(self) -> None:
        """`unread` for the day shown: its papers (all of them, whatever the filter) not yet read."""
        self.unread = self.days.unread(self.day)

    # -- view: language, sort, filter ----------------------------------------------------------

    def watch_language(self, language: str) -> None:
        self.remember("language", language)

    def watch_side_by_side(self, side_by_side: bool) -> None:
        self.remember("side_by_side", side_by_side)

    def watch_sort(self, sort: str) -> None:
        self.refilter()
        self.remember("sort", sort)

    def action_toggle_language(self) -> None:
        self.language = "en" if self.language == "zh" else "zh"

    def action_toggle_side_by_side(self) -> None:
        self.side_by_side = not self.side_by_side

    def action_cycle_sort(self) -> None:
        self._rows_by_key(lambda: setattr(self, "sort", SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]))

    def _rows_by_key(self, change: Callable[[], None]) -> None:
        """Make a change of the view a key asked for (the sort, the day); when it selects new rows,
        the keys typed behind that key (`SSj`, `]]j` in one burst) wait until they are shown, as
        behind the filter's enter: they act on the list the user would see by then."""
        asked = self.paper_list.generation
        self.app.hold_keys(until_field=False)
        change()
        self._release_keys(refiltered=self.paper_list.generation != asked)

    def action_filter(self) -> None:
        self.filter_bar.open()

    @on(FilterBar.Typed)
    def filter_typed(self, message: FilterBar.Typed) -> None:
        self.apply_filter(message.text)

    @on(FilterBar.Cleared)
    def filter_cleared(self, message: FilterBar.Cleared) -> None:
        filtered = self.filter_query is not None or self.only_keys is not None
        self._clear_filter()
        self._release_keys(refiltered=filtered)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        applied = self.apply_filter(event.value)
        self.set_focus(self.paper_list)  # now: the keys held behind enter go to the list,
        self._release_keys(refiltered=applied)

    def _release_keys(self, refiltered: bool) -> None:
        """The keys held behind enter or esc in the filter bar go on to the list: once the rows of a
        new selection are up, when there is one."""
        if refiltered:
            self.after_rows(lambda: self.post_message(ReadyForKeys()))
        else:
            self.post_message(ReadyForKeys())

    def apply_filter(self, text: str) -> bool:
        """Filter by a query; a bad query is reported and the old filter stays."""
        try:
            query = parse_query(text) if text.strip() else None
        except QueryError as error:
            self.filter_error = str(error)
            return False
        self.filter_error = None
        self.query_text = text.strip()
        self.filter_query = query
        self.refilter()
        return True

    def action_clear_filter(self) -> None:
        """esc: out of the reading view first, then the selection goes, then the filter (and a list's view)."""
        if self.focused is self.filter_bar:  # once what was typed before esc is in the bar (filter_cleared)
            self.filter_bar.clear()
            return
        self._clear_filter()

    def _clear_filter(self) -> None:
        if (self.panes.zoomed or self.panes.reading) and self.focused is not self.filter_bar:
            self.panes.show_list()  # esc leaves the reading view first; the next esc clears the filter
            return
        if self.focused is not self.filter_bar and self.paper_list.clear_selection():
            return
        self.filter_bar.close()
        self.filter_error = None
        self.set_focus(self.paper_list)  # now, not deferred: a `/` right behind esc opens the bar, and keeps it
        if self.filter_query is not None or self.only_keys is not None:
            self.filter_query, self.query_text = None, ""
            self.only_keys, self.only_label = None, ""
            self.refilter()

    def show_filter(self, text: str, *, day: str | None = None) -> bool:
        """Show exactly the papers of this filter on this day (None: every day), in the filter bar
        too; a reading list's view ends. A bad query is reported and nothing changes."""
        try:
            query = parse_query(text) if text.strip() else None
        except QueryError as error:
            self.notify(f"Bad filter '{one_line(text, 200)}': {error}", severity="error", timeout=6, markup=False)
            return False
        self.filter_bar.show_text(text)
        self.filter_error = None
        self.query_text, self.filter_query = text.strip(), query
        self.only_keys, self.only_label = None, ""
        self.day = day
        self.refilter(keep_current=False)
        return True

    # -- days ----------------------------------------------------------------------------------

    def set_day(self, day: str | None) -> None:
        """Show one listing date (None: every day); the filter stays."""
        if day != self.day:
            self.day = day
            self.refilter(keep_current=True)

    def action_step_day(self, step: int) -> None:
        """The previous (-1) or next (+1) listing date; from all days, the day of the selected paper.
        With a filter (or a reading list) shown, only days that have a paper matching it count."""
        found = self.panes.current_paper()
        filtered = self.filter_query is not None or self.only_keys is not None
        day = self.days.step(self.day, step, filtered=filtered, paper_day=found[1].date if found is not None else None)
        if day is not None:
            self._rows_by_key(lambda: self.set_day(day))

    def action_previous_day(self) -> None:
        self.action_step_day(-1)

    def action_next_day(self) -> None:
        self.action_step_day(1)

    def action_all_days(self) -> None:
        self._rows_by_key(lambda: self.set_day(None))

    # -- the overview --------------------------------------------------------------------------

    def action_overview(self) -> None:
        from .overview import OverviewScreen

        found = self.panes.current_paper()
        day = self.day or (found[1].date if found is not None else None)
        self.app.push_screen(OverviewScreen(self.store, self.library, day=day, subscribed=self.subscribed,
                                            cache=self.session.cache), self.overview_chosen)

    def overview_chosen(self, choice: tuple[str, str] | None) -> None:
        """A bar chosen in the overview: ("day", date) shows that day, ("query", q) that filter,
        each alone (the list then holds the papers the bar counted); the keys typed behind the
        enter that chose it (held by BarChart.action_choose) then act on that list."""
        if choice is None:
            self.post_message(ReadyForKeys())
            return
        kind, value = choice
        if kind == "day":
            self._rows_by_key(lambda: self.show_filter("", day=value))
        else:
            self._rows_by_key(lambda: self.show_filter(value))

    # -- saved searches ------------------------------------------------------------------------

    def action_saved_search(self, number: int) -> None:
        if found := self.saved_searches.numbered(number):
            self.run_search(*found)

    def run_search(self, name: str, text: str) -> None:
        """Filter by a saved search, as if it had been typed (the day and a reading list's view stay)."""
        self.filter_bar.show_text(text)
        if not self.apply_filter(text):
            self.notify(f"Saved search {name!r} is not a valid filter: {self.filter_error}", severity="error",
                        timeout=6, markup=False)

    def action_save_search(self) -> None:
        """Save the filter (as typed in the bar, or the one applied) under a name, in config.toml."""
        bar = self.filter_bar
        self.saved_searches.ask_to_save(bar.value if self.focused is bar else self.query_text)

    # -- live folders --------------------------------------------------------------------------

    def on_folder_changed(self, message: FolderChanged) -> None:
        """Put the changes in the store (here, so no frame shows them half done); the selection,
        the filter and the list's scroll position stay."""
        applied = self.session.apply(message.changes)
        self.problems.extend(applied.problems)
        self.refilter(keep_current=True, hold_line=True)
        self.panes.count_replacements(self.subscribed, self.session.cache)
        self.notify(live_summary(message.changes, applied), title="Digest folder changed",
                    severity="warning" if applied.unreadable else "information", timeout=6, markup=False)

    def on_unmount(self) -> None:
        self.live.stop()
        self.session.stop()  # the finishing steps' worker ends now: the reader's end does not wait for it
        self.session.close()

    # -- reading lists and exports -------------------------------------------------------------

    def action_save_list(self) -> None:
        self.lists.open_export(reading_list=True)

    def action_export(self) -> None:
        self.lists.open_export(reading_list=False)

    def load_reading_list(self, path: str, then: Callable[[], object] = lambda: None) -> None:
        """Show a reading list's papers once it is read (its stars, tags and notes go into the
        library), then `then()` (at the start: the digests' load, whose papers merge into them)."""

        def loaded(result: tuple[frozenset[str], str] | None) -> None:
            if result is not None:
                self.only_keys, self.only_label = result
                self.refilter(keep_current=False)
            then()

        self.lists.load(path, loaded)

    def action_load_list(self) -> None:
        self.lists.ask_path(self.load_reading_list)

    def action_show_problems(self) -> None:
        self.digest_load.show_problems()

    # -- the command palette -------------------------------------------------------------------

    def palette_commands(self) -> Iterable[Command]:
        """Every action of this screen and its panes, for the command palette (ReaderCommands shows the keys)."""
        owners = {"screen": self, "panes": self.panes, "list": self.paper_list}
        for title, help, owner, action, binding in PALETTE:
            yield Command(title, help, getattr(owners[owner], f"action_{action}"), binding)
        for sort in SORTS:
            yield Command(f"Sort by {sort}", f"Order the list by {sort}", lambda s=sort: setattr(self, "sort", s))
        for number, (name, query) in enumerate(self.saved_searches.searches.items(), start=1):
            yield Command(f"Search: {name}", query, lambda n=name, q=query: self.run_search(n, q),
                          f"search.{number}" if number <= 9 else None)
        for number, tag in enumerate(self.library.tags()[:9], start=1):
            yield Command(f"Toggle tag {tag!r}", "Tag or untag the selected paper",
                          lambda n=number: self.panes.action_toggle_tag_number(n), f"paper.tag{number}")
