"""Live folders: the digest folders watched while the reader runs, and the one line that says what a change did."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping

from textual.message import Message

from ..core.loading.session import Applied, Changes, LoadSession
from ..core.text import clean, counted
from ..messages import FolderChanged


class LiveFolders:
    """Watches folders (from the end of the first load) for digest files added, changed or
    removed. What changed is read in the watcher's thread, through the load session, and posted
    as one FolderChanged; the screen puts it into the store (LoadSession.apply) in the UI thread.
    `options`: keyword arguments for the FolderWatcher (tests shorten its debounce or poll)."""

    def __init__(self, session: LoadSession, folders: Iterable[str], options: Mapping[str, object] | None = None) -> None:
        self.session = session
        self.folders = [str(folder) for folder in folders]
        self.options = dict(options or {})
        self.watcher = None
        """The FolderWatcher once watching (None: no folders, or not started yet)."""
        self._post: Callable[[Message], object] = lambda message: None

    def start(self, post_message: Callable[[Message], object]) -> None:
        """Watch the folders (once: a second call does nothing); changes are posted with `post_message`."""
        if not self.folders or self.watcher is not None:
            return
        self._post = post_message
        self.watcher = self.session.watch(self.folders, self.changed_in_thread, **self.options)

    def changed_in_thread(self, paths: set[str]) -> None:
        """In the watcher's thread: read what changed, and hand it to the UI thread in one message."""
        changes = self.session.read_changes(paths)
        if changes is not None:
            self._post(FolderChanged(changes))

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()


def live_summary(changes: Changes, applied: Applied) -> str:
    """One line (two with a problem) saying what a change in a watched folder did."""
    def name(path: str) -> str:
        return clean(os.path.basename(path) or path)

    new, gone = applied.new, applied.gone
    touched = changes.added or sorted({item.path for item in changes.items} - set(changes.added))
    where = name(touched[0]) if len(touched) == 1 else counted(len(touched), "file")
    parts = []
    if new:
        parts.append(f"{counted(new, 'new paper')} from {where}")
    if changes.removed:
        removed = name(changes.removed[0]) if len(changes.removed) == 1 else counted(len(changes.removed), "file")
        parts.append(f"{removed} removed")
    if gone:
        parts.append(f"{counted(gone, 'paper')} gone")
    if not parts:
        parts.append(f"{where} {'added' if changes.added else 'changed'}; no new papers")
    lines = ["; ".join(parts)]
    lines += [clean(str(problem)) for problem in applied.unreadable[:3]]
    return "\n".join(lines)
