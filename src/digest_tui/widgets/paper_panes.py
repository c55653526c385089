"""The two panes of the reader, the paper list and the detail pane, and the keys that act on the paper under the cursor."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.reactive import reactive
from textual.timer import Timer

from ..core.config import PANE_SPLITS
from ..core.library import Library
from ..core.model import Mark, Paper
from ..core.store import Store
from ..core.text import clean, counted
from ..messages import LedgerCounted
from .paper_detail import PaperDetail
from .paper_list import PaperList

if TYPE_CHECKING:
    from ..core.loading.cache import ParseCache

WIDE_COLUMNS = 120
"""From this width the list and the detail pane show side by side; below it, one at a time."""
SPLIT_STEP = 5
"""Percent of the width one < or > moves the split by."""


class PaperPanes(Horizontal):
    """The list and the selected paper's details: side by side from WIDE_COLUMNS, one at a time
    below, the detail alone when zoomed. Star, read and tag keys act on the selected papers (space,
    *), else on the paper under the cursor, each as one undoable step (u undoes), saved through
    `save_library()`; links and authors act on the paper under the cursor (the keys that open a
    dialog, t and n, are the screen's); `language`, `side_by_side` and the list's words are the
    screen's view, set from above."""

    # priority bindings, as the screen's: they run in the order the keys come (see MainScreen.BINDINGS)
    BINDINGS = [
        *(replace(binding, priority=True) for binding in (
            Binding("enter,tab", "focus_detail", "Details", id="paper.details", show=False),
            Binding("s", "star", "Star", id="paper.star"),
            Binding("r", "toggle_read", "Read", id="paper.read"),
            Binding("u,ctrl+z", "undo", "Undo", id="paper.undo", show=False),
            Binding("o", "open_page", "Open", id="paper.open"),
            Binding("p", "open_pdf", "PDF", id="paper.pdf", show=False),
            Binding("y", "copy_link", "Copy link", id="paper.copy", show=False),
            Binding("A", "toggle_all_authors", "All authors", id="detail.authors", show=False),
            Binding("z", "zoom", "Zoom", id="view.zoom", show=False),
            Binding("greater_than_sign", "wider", "List wider", id="view.wider", key_display=">", show=False),
            Binding("less_than_sign", "narrower", "List narrower", id="view.narrower", key_display="<", show=False),
            *(Binding(str(n), f"toggle_tag_number({n})", f"Toggle tag {n}", id=f"paper.tag{n}", show=False)
              for n in range(1, 10)),
        )),
    ]

    DEFAULT_CSS = """
    PaperPanes { height: 1fr; }
    PaperPanes PaperList { width: 60%; border-right: vkey $foreground 20%; }
    PaperPanes PaperDetail { width: 1fr; }
    PaperPanes.-narrow PaperList { width: 1fr; border-right: none; }
    PaperPanes.-narrow PaperDetail { display: none; }
    PaperPanes.-narrow.-reading PaperList, PaperPanes.-zoomed PaperList { display: none; }
    PaperPanes.-narrow.-reading PaperDetail, PaperPanes.-zoomed PaperDetail { display: block; width: 1fr; }
    """

    narrow: reactive[bool] = reactive(False, init=False)
    """Below WIDE_COLUMNS: one pane at a time, the list or (reading) the detail, each full width."""
    reading: reactive[bool] = reactive(False, init=False)
    """In the narrow layout: the detail pane is the one shown."""
    zoomed: reactive[bool] = reactive(False, init=False)
    """The detail pane has the whole screen (z), at any width."""
    pane_split: reactive[int] = reactive(60, init=False)
    """The list's share of the width, in percent, when both panes show (< and > move it)."""

    language: reactive[str] = reactive("en", init=False)
    side_by_side: reactive[bool] = reactive(False, init=False)

    def __init__(self, store: Store, library: Library, *, save_library: Callable[[], None],
                 mark_read_after: float = 2.0, pane_split: int = 60,
                 remember: Callable[[str, int], None] = lambda key, value: None, **kwargs) -> None:
        """`mark_read_after`: seconds on a paper before it is marked read (0: never); `remember`
        keeps the split the user moved to (`pane_split`) for the next start."""
        super().__init__(**kwargs)
        self.remember = remember
        self.set_reactive(PaperPanes.pane_split, pane_split)
        self.store = store
        self.library = library
        self.save_library = save_library
        self.mark_read_after = mark_read_after
        self.all_authors = False
        self.replacements: dict[str, str] = {}
        """Papers arXiv announced as replacements (key -> newest such day), from the ledger."""
        self._read_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield PaperList(self.store, self.library.mark, id="papers")
        yield PaperDetail(id="detail")

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    def on_mount(self) -> None:
        self._size_panes()

    def watch_language(self, language: str) -> None:
        self.paper_list.set_language(language)
        self.show_paper(self.paper_list.current_row)

    def watch_side_by_side(self) -> None:
        self.show_paper(self.paper_list.current_row)

    # -- the selected paper --------------------------------------------------------------------

    def current_paper(self) -> tuple[int, Paper] | None:
        row = self.paper_list.current_row
        return None if row is None else (row, self.store.paper(row))

    def show_paper(self, row: int | None) -> None:
        paper = None if row is None else self.store.paper(row)
        mark = self.library.mark(paper.key) if paper else Mark()
        replaced = self.replacements.get(paper.key) if paper is not None and mark.starred else None
        self.detail.show(paper, mark, self.language, self.all_authors, self.paper_list.words, self.side_by_side,
                         replaced=replaced)

    def show_replacements(self, replacements: dict[str, str]) -> None:
        """Mark the papers arXiv replaced (a starred one's ↻ in the list and its detail)."""
        self.replacements = replacements
        self.paper_list.replacements = replacements
        self.paper_list.refresh()
        found = self.current_paper()
        if found is not None:
            self.show_paper(found[0])

    @work(thread=True, exclusive=True, group="ledger")
    def count_replacements(self, subscribed: Iterable[str], cache: ParseCache | None) -> None:
        """The ledger of what is loaded (it reads the arXiv listings' own announcements, through the
        parse cache), for the replacement flags of starred papers; `subscribed`: the categories fetched."""
        from ..core.ledger import ledger_of

        ledger = ledger_of(self.store, self.library.mark, subscribed, cache)
        self.post_message(LedgerCounted(ledger.replacements))

    def on_ledger_counted(self, message: LedgerCounted) -> None:
        self.show_replacements(message.replacements)

    @on(PaperList.Highlighted)
    def paper_highlighted(self, message: PaperList.Highlighted) -> None:
        self.all_authors = False
        self.show_paper(message.row)
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        delay = self.mark_read_after
        # read by dwelling on a paper the user moved to: not the one a start or a filter put first
        if message.row is not None and delay > 0 and message.moved:
            self._read_timer = self.set_timer(delay, lambda row=message.row: self.mark_read_after_viewing(row))

    def mark_read_after_viewing(self, row: int) -> None:
        if self.paper_list.current_row != row:
            return
        paper = self.store.papers[row]
        if not self.library.mark(paper.key).read:
            self.library.set_read(paper, True)
            self.paper_changed(row)

    @on(PaperList.Chosen)
    def paper_chosen(self) -> None:
        self.show_detail()

    def paper_changed(self, row: int) -> None:
        """The user's marks on one paper changed: redraw its line and details, and save."""
        self.papers_changed([row])

    def papers_changed(self, rows: Iterable[int]) -> None:
        """The user's marks on these papers changed: redraw their lines and the detail, and save."""
        self._redraw(set(rows))
        self.save_library()

    def keys_changed(self, keys: Iterable[str]) -> None:
        """As papers_changed, for papers known by key (an undo, a triage decision)."""
        rows = (self.store.row(key) for key in keys)
        self.papers_changed(row for row in rows if row is not None)

    def marks_changed(self, keys: set[str]) -> None:
        """Another instance changed these papers' marks (seen at our save): redraw them, save nothing."""
        self._redraw({self.store.row(key) for key in keys} - {None})

    def _redraw(self, rows: set[int]) -> None:
        """Draw again the lines on screen of these rows, and the detail if it shows one of them."""
        self.paper_list.refresh_rows(rows)
        if self.paper_list.current_row in rows:
            self.show_paper(self.paper_list.current_row)

    def with_paper(self) -> tuple[int, Paper] | None:
        """The paper under the cursor (its store row and itself), or None, said to the user."""
        found = self.current_paper()
        if found is None:
            self.notify("No paper selected.", severity="warning", timeout=3)
        return found

    def targets(self) -> list[tuple[int, Paper]]:
        """What a key acts on: the selected papers when there are any, else the one under the cursor."""
        if self.paper_list.selected:  # (as the list has them: a mark keeps no long text, and all of a big selection's would be read in)
            papers = self.store.papers
            return [(row, papers[row]) for row in self.paper_list.selected_rows()]
        found = self.with_paper()
        return [found] if found is not None else []

    def change(self, label: str, change: Callable[[Paper], object], targets: list[tuple[int, Paper]]) -> None:
        """Apply `change` to each target as one undoable step, redraw, save."""
        with self.library.step(label):
            for _row, paper in targets:
                change(paper)
        self.papers_changed(row for row, _paper in targets)

    # -- layouts: two panes from WIDE_COLUMNS, one at a time below; zoom at any width -----------

    def on_resize(self, event: Resize) -> None:
        self.narrow = event.size.width < WIDE_COLUMNS

    def watch_narrow(self, narrow: bool) -> None:
        self.set_class(narrow, "-narrow")
        self._size_panes()
        if narrow and self.screen.focused is self.detail:
            self.reading = True  # the pane being read stays on screen
        elif not narrow:
            self.reading = False

    def watch_reading(self, reading: bool) -> None:
        self.set_class(reading, "-reading")

    def watch_zoomed(self, zoomed: bool) -> None:
        self.set_class(zoomed, "-zoomed")

    def watch_pane_split(self, split: int) -> None:
        self._size_panes()
        self.remember("pane_split", split)

    def _size_panes(self) -> None:
        # an inline style, so set here for both layouts: it would win over the narrow layout's CSS
        self.paper_list.styles.width = "1fr" if self.narrow else f"{self.pane_split}%"

    def show_detail(self) -> None:
        """The detail pane to read: focused, and in the narrow layout the pane on screen."""
        if self.narrow:
            self.reading = True
        self.screen.set_focus(self.detail)  # now, not deferred (focus()): the keys right behind go to the detail

    def show_list(self) -> None:
        """Back to the list: out of the zoom and, in the narrow layout, the list on screen."""
        self.zoomed = False
        self.reading = False
        self.screen.set_focus(self.paper_list)  # now (see show_detail)

    def action_focus_detail(self) -> None:
        if self.screen.focused is self.detail or self.zoomed:
            self.show_list()
        else:
            self.show_detail()

    def action_zoom(self) -> None:
        """The detail pane alone on the whole screen, for reading; again: back as it was."""
        if self.zoomed:
            self.show_list()
        else:
            self.zoomed = True
            self.screen.set_focus(self.detail)  # now (see show_detail)

    def action_wider(self) -> None:
        self.move_split(1)

    def action_narrower(self) -> None:
        self.move_split(-1)

    def move_split(self, step: int) -> None:
        """Move the split between the panes by SPLIT_STEP percent (remembered in config.toml)."""
        if self.zoomed:
            self.notify("The split is for two panes: z leaves the zoom first.", timeout=4)
            return
        if self.narrow:
            self.notify(f"The split is for two panes: they show side by side from {WIDE_COLUMNS} columns "
                        f"(this terminal has {self.size.width}).", timeout=4)
            return
        low, high = PANE_SPLITS
        split = max(low, min(high, self.pane_split + step * SPLIT_STEP))
        if split == self.pane_split:
            self.notify(f"The list already has {'the most' if step > 0 else 'the least'} of the width ({split}%).",
                        timeout=3)
            return
        self.pane_split = split

    # -- actions on the selected paper ---------------------------------------------------------

    def action_star(self) -> None:
        """Star the targets (unstar them when every one is starred)."""
        targets = self.targets()
        if not targets:
            return
        star = not all(self.library.mark(paper.key).starred for _row, paper in targets)
        self.change("star" if star else "unstar", lambda paper: self.library.set_starred(paper, star), targets)
        if len(targets) > 1:
            self.notify(f"{'Starred' if star else 'Unstarred'} {len(targets)} papers (u undoes).", timeout=3)

    def action_toggle_read(self) -> None:
        """Mark the targets read (unread when every one is read)."""
        targets = self.targets()
        if not targets:
            return
        if self._read_timer is not None:
            self._read_timer.stop()  # the user decides; don't re-mark it read a moment later
        read = not all(self.library.mark(paper.key).read for _row, paper in targets)
        self.change("read" if read else "unread", lambda paper: self.library.set_read(paper, read), targets)
        if len(targets) > 1:
            self.notify(f"Marked {len(targets)} papers {'read' if read else 'unread'} (u undoes).", timeout=3)

    def action_undo(self) -> None:
        """Take back the last change of marks (a key, a bulk action, a note, a triage decision)."""
        step = self.library.undo()
        if step is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        if self._read_timer is not None:
            self._read_timer.stop()
        self.keys_changed(step.keys)
        self.notify(f"Undid {step.label} ({counted(len(step.keys), 'paper')}).", timeout=3, markup=False)

    def action_toggle_tag_number(self, number: int) -> None:
        tags = self.library.tags()
        if number > len(tags):
            self.notify(f"No tag {number} yet: press t to tag papers; the first nine tags get keys 1–9.", timeout=4)
            return
        if targets := self.targets():
            self.toggle_tags(targets, [tags[number - 1]])

    def toggle_tags(self, targets: list[tuple[int, Paper]], tags: list[str]) -> None:
        """Each tag is added to every target, or taken off them all when every one has it: one step."""
        library, done = self.library, []
        with library.step("tag"):
            for tag in tags:
                add = not all(library.mark(paper.key).has_tag(tag) for _row, paper in targets)
                for _row, paper in targets:
                    (library.add_tag if add else library.remove_tag)(paper, tag)
                done.append(f"{'Tagged' if add else 'Untagged'} {clean(tag)!r}")
        self.papers_changed(row for row, _paper in targets)
        where = f" on {len(targets)} papers" if len(targets) > 1 else ""
        self.notify("; ".join(done) + where, timeout=2, markup=False)

    def _open(self, url: str | None, what: str) -> None:
        if url is None:
            self.notify(f"This paper has no arXiv id, so no {what} to open.", severity="warning", timeout=4)
            return
        self.app.open_link(url)

    def action_open_page(self) -> None:
        if found := self.with_paper():
            self._open(found[1].url, "page")

    def action_open_pdf(self) -> None:
        if found := self.with_paper():
            self._open(found[1].pdf_url, "PDF")

    def action_copy_link(self) -> None:
        if found := self.with_paper():
            url = found[1].url
            if url is None:
                self.notify("This paper has no arXiv id, so no link to copy.", severity="warning", timeout=4)
                return
            self.app.copy_link(url)

    def action_toggle_all_authors(self) -> None:
        self.all_authors = not self.all_authors
        self.show_paper(self.paper_list.current_row)
