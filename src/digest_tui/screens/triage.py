"""Triage mode: one paper at a time, full width, and one key per decision (keep, skip, tag, star, undo)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ..commands import key_of
from ..core.library import Library
from ..core.model import Paper
from ..messages import ReadyForKeys
from ..widgets.paper_detail import PaperDetail
from ..widgets.reader_footer import ReaderFooter


def triage_order(papers: Sequence[Paper], is_read: Callable[[str], bool]) -> list[Paper]:
    """The papers to triage: the unread ones first, then the read ones, each in the order shown."""
    unread = [paper for paper in papers if not is_read(paper.key)]
    return unread + [paper for paper in papers if is_read(paper.key)]


class TriageScreen(Screen[str | None]):
    """Steps through papers one at a time; each decision is an ordinary, undoable change of marks.
    Dismissed with the key of the paper reached, so the list can put its cursor there."""

    # priority, as the main screen's: each decision is made as its key arrives, so keys typed in
    # one burst (`yynt…`) are decided in order and the ones behind `t` reach the tag box
    BINDINGS = [
        replace(binding, priority=True) for binding in (
            Binding("y", "keep", "Keep", id="triage.keep"),
            Binding("n", "skip", "Skip", id="triage.skip"),
            Binding("t", "tag", "Tag", id="triage.tag"),
            Binding("s", "star", "Star", id="triage.star"),
            Binding("A", "all_authors", "All authors", id="triage.authors", show=False),
            Binding("l", "language", "中/EN", id="triage.language", show=False),
            Binding("u,ctrl+z", "undo", "Undo", id="triage.undo"),
            Binding("left", "back", "Back", id="triage.back", key_display="←"),
            Binding("right", "forward", "Forward", id="triage.forward", key_display="→"),
            Binding("q,escape", "leave", "List", id="triage.leave"),
        )
    ]

    TAKES_KEYS = True
    """The keys typed behind T wait for this screen (DigestApp.push_screen holds them until on_mount)."""

    DEFAULT_CSS = """
    TriageScreen #triage-progress { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    TriageScreen PaperDetail { height: 1fr; padding: 1 2; }
    """

    def __init__(self, papers: Sequence[Paper], library: Library, language: str,
                 changed: Callable[[list[str]], None], tag: Callable[[Paper, Callable[[list[str]], None]], None],
                 whole: Callable[[Paper], Paper], side_by_side: bool = False) -> None:
        """`papers`: in triage order; `changed(keys)`: these papers' marks changed (redraw, save);
        `tag(paper, done)`: ask for tags for the paper and call `done` with the keys changed;
        `whole(paper)`: the paper with its long texts, read as it comes up (they may still be in the
        parse cache: reading them all first took 24 s at a million papers), shown as the detail
        pane shows it (`language` first, `side_by_side`)."""
        super().__init__()
        self.papers = list(papers)
        self.whole = whole
        self.library = library
        self.language = language
        self.side_by_side = side_by_side
        self.changed = changed
        self.ask_tags = tag
        self.index = 0
        self.kept = 0
        self.decisions: list[tuple[int, str, bool]] = []
        """(index, what, whether it changed marks) of each decision made here, newest last."""
        self.all_authors_of: str | None = None
        """The key of the paper shown with all its authors (A), until another is shown."""

    def compose(self) -> ComposeResult:
        yield Static(id="triage-progress")
        yield PaperDetail("triage.authors", "triage.language", id="triage-paper")
        yield ReaderFooter()

    def on_mount(self) -> None:
        self.show()
        self.post_message(ReadyForKeys())  # the keys typed behind T (see DigestApp.hold_keys)

    @property
    def paper(self) -> Paper | None:
        return self.papers[self.index] if self.index < len(self.papers) else None

    def show(self) -> None:
        """Draw the paper at `index` (or the end of the run) and the progress line."""
        total = len(self.papers)
        paper = self.paper
        detail = self.query_one(PaperDetail)
        if paper is None or paper.key != self.all_authors_of:  # another paper: its authors shortened again
            self.all_authors_of = None
        if paper is None:
            progress = f"{total} of {total} · {self.kept} kept · done"
            leave = f"{key_of(self.app, 'triage.leave', 'q')} goes back to the list"
            detail.show_message(f"{'The paper' if total == 1 else f'All {total} papers'} triaged, {self.kept} kept. {leave}, "
                                f"{key_of(self.app, 'triage.back', '←')} to the last paper." if total else f"No papers to triage here. {leave}.")
        else:
            progress = f"{self.index + 1} of {total} · {self.kept} kept"
            detail.show(self.whole(paper), self.library.mark(paper.key), self.language, all_authors=paper.key == self.all_authors_of,
                        side_by_side=self.side_by_side)
        self.query_one("#triage-progress", Static).update(Text(progress))  # the keys are in the footer

    # -- decisions -----------------------------------------------------------------------------

    def _decide(self, what: str, star: bool) -> None:
        paper = self.paper
        if paper is None:
            return
        depth = self.library.undo_depth
        with self.library.step(f"triage {what}"):
            if star:
                self.library.set_starred(paper, True)
            self.library.set_read(paper, True)
        self.decisions.append((self.index, what, self.library.undo_depth > depth))
        if what == "keep":
            self.kept += 1
        self.changed([paper.key])
        self.index += 1
        self.show()

    def action_keep(self) -> None:
        self._decide("keep", star=True)

    def action_skip(self) -> None:
        self._decide("skip", star=False)

    def action_star(self) -> None:
        paper = self.paper
        if paper is None:
            return
        with self.library.step("triage star"):
            self.library.toggle_starred(paper)
        self.decisions.append((self.index, "star", True))
        self.changed([paper.key])
        self.show()

    def action_all_authors(self) -> None:
        paper = self.paper
        if paper is not None:
            self.all_authors_of = None if self.all_authors_of == paper.key else paper.key
            self.show()

    def action_language(self) -> None:
        """The other language first, for this triage (the list keeps its own)."""
        self.language = "en" if self.language == "zh" else "zh"
        self.show()

    def action_tag(self) -> None:
        paper, index = self.paper, self.index
        if paper is None:
            return

        def done(keys: list[str]) -> None:
            if keys:
                self.decisions.append((index, "tag", True))
                self.changed(keys)
            self.show()

        self.ask_tags(paper, done)

    def action_undo(self) -> None:
        if not self.decisions:
            self.notify("No decision to undo in this triage yet.", timeout=3)
            return
        index, what, changed = self.decisions.pop()
        step = self.library.undo() if changed else None
        if what == "keep":
            self.kept -= 1
        self.index = index
        if step is not None:
            self.changed(step.keys)
        self.show()
        self.notify(f"Undid {what}.", timeout=2)

    # -- moving without deciding -----------------------------------------------------------------

    def action_back(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show()

    def action_forward(self) -> None:
        if self.index < len(self.papers):
            self.index += 1
            self.show()

    def action_leave(self) -> None:
        paper = self.paper or (self.papers[-1] if self.papers else None)
        self.app.hold_keys(until_field=False)  # the keys typed behind q are for the list, once its cursor is on this paper
        self.dismiss(paper.key if paper is not None else None)
