"""The load of the digests for the reader: the load session's two generators iterated in workers, and the problems met."""

from __future__ import annotations

import threading
from contextlib import closing

from textual.screen import Screen
from textual.worker import get_current_worker

from ..core.loading.session import FilesFound, LoadSession
from ..core.model import Problem
from ..core.text import clean, counted
from ..messages import message_for
from ..workers import give_way


class DigestLoad:
    """Runs `session` for `screen`: the load in one worker, its events posted to the screen as
    messages (DigestsFound, DigestsRead, DigestsLoaded); once the whole list is shown, the
    finishing steps in another. Keeps the problems met (the screen adds those of live reloads)."""

    def __init__(self, screen: Screen, session: LoadSession) -> None:
        self.screen = screen
        self.session = session
        self.problems: list[Problem] = []
        self.first_read = threading.Event()
        """Set once the first papers are in the store (or the load ended, or stopped, without any)."""
        self.painted = threading.Event()
        """Set once the list is painted after the first file: the load waits for it (at most 1 s)
        before heavier work, so the first papers are on screen sooner."""

    def start(self, sort: str) -> None:
        """Start the load (the papers come sorted by `sort`)."""
        self.screen.run_worker(lambda: self._load(sort), name="load_digests", group="load", exclusive=True, thread=True)

    def _load(self, sort: str) -> None:
        """Iterate the load session and post what it says. The session adds the papers in this
        thread, not the UI thread: a UI thread busy merging would hold the GIL, and this thread,
        giving it up at every file read, would wait for it each time. It pauses where the first
        papers should paint before heavier work (parsing processes, a snapshot's chunks)."""
        give_way()
        worker = get_current_worker()
        try:
            with closing(self.session.load(pause=lambda: self.painted.wait(1.0), sort=sort)) as events:
                for event in events:
                    if worker.is_cancelled:
                        return
                    self.screen.post_message(message_for(event))
                    if not isinstance(event, FilesFound):
                        self.first_read.set()
        finally:
            self.first_read.set()

    def finish(self) -> None:
        """After a load, the session's finishing steps (LoadSession.finish): the search index
        without long texts (a `title:` or `cat:` filter works from then on), the load snapshot,
        the texts a warm start left in the parse cache, their index. (A paper shown before then
        reads its own texts on the spot.)"""
        self.screen.run_worker(self._finish, name="complete_papers", group="docs", exclusive=True, thread=True)

    def _finish(self) -> None:
        give_way()
        worker = get_current_worker()
        with closing(self.session.finish()) as steps:
            for _step in steps:
                if worker.is_cancelled:
                    return

    def report(self) -> None:
        """Say the first problems met, if any (all of them are in show_problems())."""
        if not self.problems:
            return
        lines = [clean(str(problem)) for problem in self.problems[:5]]
        more = len(self.problems) - len(lines)
        if more:
            lines.append(f"… and {more} more (see 'Load problems' in the palette)")
        # (a file may have loaded with a warning: "load problems", as the palette calls them all)
        self.screen.notify("\n".join(lines), title=counted(len(self.problems), "load problem"), severity="warning", timeout=12,
                           markup=False)

    def show_problems(self) -> None:
        """Every problem met, in a dialog."""
        if not self.problems:
            self.screen.notify("Every file loaded cleanly.", timeout=3)
            return
        from .dialogs import ProblemsDialog  # (the dialogs are not on the way to the first paint)

        self.screen.app.push_screen(ProblemsDialog(self.problems))
