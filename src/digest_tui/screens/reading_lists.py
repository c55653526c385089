"""Reading lists and exports from the reader: the export dialog's answer written through the core, a saved list loaded back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App
from textual.worker import get_current_worker

from ..commands import key_of
from ..core.library import Library
from ..core.model import Mark, Paper
from ..core.store import Store
from ..core.text import clean, counted
from ..workers import give_way

if TYPE_CHECKING:
    from .dialogs import ExportRequest

# core.export and the dialogs are imported where they are used: not on the way to the first paint

ADD_STEP = 4096
"""A reading list's papers added to the store at once."""
TOLD_AT = 10_000
"""Papers from which an export says when it starts, as well as when it is saved (it takes seconds)."""


class ReadingLists:
    """Saves (w), exports (e) and loads reading lists for the main screen. `shown()` gives the
    store rows shown now and the filter they answer, for the "papers shown now" choice;
    `selected()` the rows of the papers selected, for "the selected papers"."""

    def __init__(self, app: App, store: Store, library: Library, *, save_library: Callable[[], None],
                 shown: Callable[[], tuple[list[int], str]],
                 selected: Callable[[], list[int]] = lambda: []) -> None:
        self.app = app
        self.store = store
        self.library = library
        self.save_library = save_library
        self.shown = shown
        self.selected = selected

    def records_for(self, scope: str, tag: str | None = None) -> list[tuple[Paper, Mark]]:
        """(paper, mark) pairs for `selected`, `starred`, `tag` or `view` (the papers shown now),
        the store's papers without their long texts (export.texts_from brings them in)."""
        from ..core import export

        store, library = self.store, self.library
        papers = store.papers
        if scope in ("view", "selected"):
            rows = self.shown()[0] if scope == "view" else self.selected()
            return [(paper, library.mark(paper.key)) for paper in map(papers.__getitem__, rows)]
        keys = export.scope_keys(library, scope, tag)
        live = {key: papers[row] for key in keys if (row := store.row(key)) is not None}
        return library.records(keys, live=live)

    def open_export(self, *, reading_list: bool, request: ExportRequest | None = None, error: str = "") -> None:
        """The export (or save-list) dialog; what it returns is written here, and a failure opens
        it again as it was, saying why."""
        from .dialogs import ExportDialog

        counts = {"starred": len(self.library.starred_keys()), "view": len(self.shown()[0]),
                  "selected": len(self.selected())}
        tags = self.library.tag_counts()
        counts.update((f"tag:{tag}", count) for tag, count in tags.items())

        def chosen(request: ExportRequest | None) -> None:
            if request is None:
                return
            self.write(request, reading_list=reading_list)

        self.app.push_screen(ExportDialog(reading_list=reading_list, tags=list(tags), counts=counts, request=request,
                                          error=error), chosen)

    def write(self, request: ExportRequest, *, reading_list: bool) -> None:
        """Write what the export dialog asked for, in a worker, so that the reader goes on
        meanwhile (a million papers take minutes): "Saved …" once it is done, and a failure
        opens the dialog again as it was, saying why. The records are gathered here; their new
        citation keys are made in the worker and pinned here (the library is this thread's)."""
        from ..core import export

        records = self.records_for(request.scope, request.tag)
        query = export.scope_query(request.scope, request.tag, self.shown()[1] if request.scope == "view" else "")
        if len(records) >= TOLD_AT:
            self.app.notify(f"Writing {counted(len(records), 'paper')} to {clean(str(request.path))} …",
                            timeout=4, markup=False)
        self.app.run_worker(lambda: self._written(request, records, query, reading_list),
                            name="export", group="export", thread=True)

    def _pinned(self, records: list[tuple[Paper, Mark]], fmt: str, bases: dict[str, str]) -> list[str]:
        """The records' citation keys, pinned in library.toml, as the command line's are."""
        from ..core import export

        keys = export.citekeys(records, self.library, fmt, bases)
        if self.library.save_notice:
            self.app.notify(self.library.save_notice, title="Library", severity="warning", timeout=10, markup=False)
        return keys

    def _written(self, request: ExportRequest, records: list[tuple[Paper, Mark]], query: str, reading_list: bool) -> None:
        from ..core import export

        worker = get_current_worker()
        give_way()
        bases = export.bases(records, self.library, request.fmt)
        if worker.is_cancelled:
            self.app.exit_notices.append(f"not exported: the reader was quit before {request.path} was written")
            return
        keys = self.app.call_from_thread(self._pinned, records, request.fmt, bases)
        try:
            done = export.write(records, request.fmt, request.path, keys=keys, make_folder=True,
                                name=request.name or request.path.stem, query=query,
                                texts=export.texts_from(self.store), stop=lambda: worker.is_cancelled)
        except export.ExportStopped as stopped:  # the reader quit first: said once it has ended
            self.app.exit_notices.append(str(stopped))
        except export.ExportError as problem:
            error = str(problem)
            self._tell(lambda: self.open_export(reading_list=reading_list, request=request, error=clean(error)),
                       f"not exported: {error}")
        else:  # `3 papers to x.bib (bib)`
            self._tell(lambda: self.app.notify(f"Saved {clean(done)}", timeout=6, markup=False), f"exported {done}")

    def _tell(self, now: Callable[[], object], after: str) -> None:
        """From a worker: `now()` on the UI thread, or, once the reader is quitting, `after` said
        when it has ended."""
        if get_current_worker().is_cancelled:
            self.app.exit_notices.append(after)
        else:
            self.app.call_from_thread(now)

    def ask_path(self, chosen: Callable[[str], object]) -> None:
        """Ask which reading list to load (in the lists folder); `chosen(path)` once one is given."""
        from ..core.paths import lists_dir
        from .dialogs import PathDialog

        self.app.push_screen(PathDialog("Load a reading list", str(lists_dir()) + "/"),
                             lambda path: chosen(path) if path else None)

    def load(self, path: str, loaded: Callable[[tuple[frozenset[str], str] | None], object]) -> None:
        """Restore a reading list's papers (into the store) and their stars, tags and notes (into
        the library), then `loaded((keys, name))`, or `loaded(None)` when it could not be read
        (the user is told). The file is read in a worker (TOML of 60k papers takes seconds)."""
        self.app.run_worker(lambda: self._read(path, loaded), name="reading_list", group="reading_list", thread=True)

    def _read(self, path: str, loaded: Callable[[tuple[frozenset[str], str] | None], object]) -> None:
        from ..core import export

        worker = get_current_worker()
        give_way()
        try:
            reading_list = export.load_reading_list(path)
        except (export.ReadingListError, OSError) as error:
            self.app.call_from_thread(self._not_loaded, path, error, loaded)
            return
        store, papers = self.store, [paper for paper, _ in reading_list.records]
        for at in range(0, len(papers), ADD_STEP):  # (the store's lock is held for one batch: keys get in between)
            if worker.is_cancelled:
                return
            store.add(papers[at : at + ADD_STEP])
        stored = [store.papers[row] if (row := store.row(paper.key)) is not None else paper for paper in papers]
        marks = [mark for _, mark in reading_list.records]
        if not worker.is_cancelled:
            self.app.call_from_thread(self._absorb, list(zip(stored, marks)), reading_list.name or str(path), loaded)

    def _not_loaded(self, path: str, error: Exception, loaded: Callable[[None], object]) -> None:
        self.app.notify(f"{clean(str(path))}: {clean(str(error))}", title="Reading list not loaded",
                        severity="error", markup=False)
        loaded(None)

    def _absorb(self, records: list[tuple[Paper, Mark]], name: str,
                loaded: Callable[[tuple[frozenset[str], str]], object]) -> None:
        """The marks of a reading list's papers (in the store now) into the library (this thread's)."""
        for paper, mark in records:
            self.library.absorb(paper, mark)
        self.save_library()
        self.app.notify(f"{counted(len(records), 'paper')} from {clean(name)!r}; {key_of(self.app, 'view.clear', 'esc')} shows all papers.",
                        timeout=5, markup=False)
        loaded((frozenset(paper.key for paper, _ in records), name))
