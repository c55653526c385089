"""Marks set through a dialog or a mode from the reader: tags (t), a note (n), every paper shown read (R), triage (T)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from ..core.library import Library
from ..core.model import Paper
from ..core.text import counted
from ..widgets.paper_panes import PaperPanes
from .triage import TriageScreen, triage_order


class Marking:
    """Opens the dialogs (and triage mode) that change marks, for the main screen, and applies what
    they return through the panes (each change one undoable step, redrawn and saved there)."""

    def __init__(self, app: App, panes: PaperPanes, library: Library) -> None:
        self.app = app
        self.panes = panes
        self.library = library
        self.store = panes.store

    def tags(self) -> None:
        """The tag dialog for the selected papers, else the one under the cursor."""
        if targets := self.panes.targets():
            self.ask_tags(targets)

    def ask_tags(self, targets: list[tuple[int, Paper]], done: Callable[[bool], None] | None = None) -> None:
        """The tag dialog for these papers (one, or the selection); `done(changed)` when it closes."""
        library, changed = self.library, []

        def shown_tags() -> tuple[str, ...]:
            if len(targets) == 1:
                return library.mark(targets[0][1].key).tags
            return tuple(tag for tag in library.tags() if all(library.mark(p.key).has_tag(tag) for _r, p in targets))

        def toggle(tags: list[str]) -> tuple[tuple[str, ...], list[str]]:
            self.panes.toggle_tags(targets, tags)
            changed.append(True)
            return shown_tags(), library.tags()

        label = targets[0][1] if len(targets) == 1 else f"{len(targets)} selected papers"
        from .dialogs import TagDialog

        self.app.push_screen(TagDialog(label, shown_tags(), library.tags(), toggle),
                             (lambda _result: done(bool(changed))) if done is not None else None)

    def note(self) -> None:
        """The note dialog for the paper under the cursor; what it returns is the paper's note."""
        if found := self.panes.with_paper():
            row, paper = found

            def save(text: str | None) -> None:
                if text is not None:
                    with self.library.step("note"):
                        self.library.set_note(paper, text)
                    self.panes.paper_changed(row)

            from .dialogs import NoteDialog

            self.app.push_screen(NoteDialog(paper, self.library.mark(paper.key).note), save)

    def read_all(self) -> None:
        """Mark every paper shown read, once the user has said yes."""
        store, mark = self.store, self.library.mark
        rows = list(self.panes.paper_list.rows)
        unread = [row for row in rows if not mark(store.papers[row].key).read]
        if not unread:
            self.app.notify("The paper shown is read already." if len(rows) == 1 else f"All {len(rows)} papers shown are read already.", timeout=3)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                # (a mark keeps no long text: the papers need not be read whole, 22 s at a million)
                self.panes.change("read all", lambda paper: self.library.set_read(paper, True),
                                  [(row, store.papers[row]) for row in unread])
                self.app.notify(f"Marked {counted(len(unread), 'paper')} read (u undoes).", timeout=3)

        from .dialogs import ConfirmDialog

        self.app.push_screen(ConfirmDialog(f"Mark {counted(len(unread), 'unread paper')} of the {len(rows)} shown as read?"),
                             answered)

    def triage(self, language: str, side_by_side: bool) -> None:
        """One paper at a time over the papers shown now, unread first; back on the paper reached."""
        store, mark, paper_list = self.store, self.library.mark, self.panes.paper_list
        papers = triage_order([store.papers[row] for row in paper_list.rows], lambda key: mark(key).read)
        if not papers:
            self.app.notify("No papers shown to triage.", timeout=3)
            return

        def tag(paper: Paper, done: Callable[[list[str]], None]) -> None:
            row = store.row(paper.key)
            if row is None:
                done([])
                return
            self.ask_tags([(row, paper)], lambda changed: done([paper.key] if changed else []))

        def left(key: str | None) -> None:
            row = store.row(key) if key is not None else None
            if row is not None:
                paper_list.move_to_row(row)
            self.app.release_keys()  # held as triage closed (TriageScreen.action_leave)

        def whole(paper: Paper) -> Paper:  # its texts read from the parse cache, not kept in the store
            row = store.row(paper.key)
            return paper if row is None else store.papers_with_texts([row])[0]

        self.app.push_screen(TriageScreen(papers, self.library, language, self.panes.keys_changed, tag, whole,
                                          side_by_side=side_by_side), left)
