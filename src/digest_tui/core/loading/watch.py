"""Watch digest folders for files added, changed or removed: file-system events through watchfiles
(inotify, FSEvents, ReadDirectoryChangesW) where it works, else a slow poll of sizes and mtimes.

Paths are reported as the loader names them: the folder as it was given, joined with the path
inside it, so they compare equal to the `Source.file` of the papers read from them. No Textual.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable

from .loader import find_files
from ..model import Paper

POLL_SECONDS = 5.0
"""How often the fallback poll looks at the folders."""
DEBOUNCE_MS = 400
"""Events closer together than this are reported as one change (a file written in several chunks)."""


class FolderWatcher:
    """A thread that calls `on_change(paths)` with the set of paths (files or folders, as the loader
    names them) added, changed or removed under `folders`, until stop() is called.

    `method` says how it watches: "events", or "poll" when watchfiles cannot be imported or cannot
    watch (a missing folder, no inotify watches left, a file system without events)."""

    def __init__(
        self,
        folders: Iterable[str],
        on_change: Callable[[set[str]], None],
        *,
        poll_seconds: float = POLL_SECONDS,
        debounce_ms: int = DEBOUNCE_MS,
        force_polling: bool = False,
        on_fallback: Callable[[str], None] | None = None,
    ) -> None:
        self.folders = [str(folder) for folder in folders]
        self.on_change = on_change
        self.poll_seconds = poll_seconds
        self.debounce_ms = debounce_ms
        self.force_polling = force_polling
        self.on_fallback = on_fallback
        self.method = "poll" if force_polling else "events"
        self.fallback_reason: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="digest-tui-watch", daemon=True)
        self._ready = threading.Event()
        # (absolute root, root as given) and the same by real path, longest first (nested folders)
        roots = [(os.path.abspath(f), f) for f in self.folders]
        roots += [(os.path.realpath(f), f) for f in self.folders]
        self._roots = sorted(set(roots), key=lambda pair: len(pair[0]), reverse=True)

    def start(self) -> FolderWatcher:
        self._thread.start()
        return self

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """Block until the watcher is watching (events set up, or the first poll snapshot taken)."""
        return self._ready.wait(timeout)

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def stopped(self) -> bool:
        """The watcher's thread has ended (stop() ends it within a poll or a debounce)."""
        return self._thread.ident is not None and not self._thread.is_alive()

    # -- the thread ----------------------------------------------------------------------------

    def _run(self) -> None:
        if not self.force_polling:
            try:
                self._watch_events()
                return
            except Exception as error:
                self.method = "poll"
                self.fallback_reason = f"{type(error).__name__}: {error}"
                if self.on_fallback is not None:
                    self.on_fallback(self.fallback_reason)
        if not self._stop.is_set():
            self._poll()

    def _watch_events(self) -> None:
        import watchfiles

        missing = [folder for folder in self.folders if not os.path.isdir(folder)]
        if missing:
            raise FileNotFoundError(f"no such folder: {missing[0]}")

        default = watchfiles.DefaultFilter()

        def wanted(change: object, path: str) -> bool:
            return default(change, path) and not self._hidden(path)

        iterator = watchfiles.watch(
            *(os.path.abspath(folder) for folder in self.folders),
            watch_filter=wanted,
            debounce=self.debounce_ms,
            step=50,
            stop_event=self._stop,
            rust_timeout=1000,
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        for changes in iterator:
            self._ready.set()  # the first (time-out) yield: the watches are in place
            if self._stop.is_set():
                return
            paths = {mapped for _, path in changes if (mapped := self._as_given(path)) is not None}
            if paths:
                self.on_change(paths)

    def _poll(self) -> None:
        before = snapshot(self.folders)
        self._ready.set()
        while not self._stop.wait(self.poll_seconds):
            after = snapshot(self.folders)
            changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
            before = after
            if changed:
                self.on_change(changed)

    # -- paths ---------------------------------------------------------------------------------

    def _locate(self, path: str) -> tuple[str, str] | None:
        """(folder as the user gave it, path inside it) for an event's path; None outside them all."""
        for absolute in (path, os.path.realpath(path)):
            for root, given in self._roots:
                if absolute == root:
                    return given, ""
                if absolute.startswith(root.rstrip(os.sep) + os.sep):
                    return given, os.path.relpath(absolute, root)
        return None

    def _as_given(self, path: str) -> str | None:
        """An event's path named as the loader names it: the folder as given, joined with the rest."""
        found = self._locate(path)
        if found is None:
            return None
        given, inside = found
        return os.path.join(given, inside) if inside else given

    def _hidden(self, path: str) -> bool:
        """Hidden files and folders inside a watched folder are not read by the loader either."""
        found = self._locate(path)
        return found is None or any(part.startswith(".") for part in found[1].split(os.sep) if part)


def snapshot(folders: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every file the loader would read under the folders."""
    files, _problems = find_files(folders)
    return {path: (info.st_size, info.st_mtime_ns) for path, info in files}


def affected_files(changed: Iterable[str], files: Iterable[str]) -> set[str]:
    """The loaded files a change touches: those named, and those inside a changed folder."""
    changed = set(changed)
    prefixes = tuple(path.rstrip(os.sep) + os.sep for path in changed)
    return {file for file in files if file in changed or file.startswith(prefixes)}


def sharing_files(papers: Iterable[Paper], files: set[str]) -> set[str]:
    """The other files that list a paper of `files`: Store.remove_files(files) takes those papers
    away, so these must be read again to bring them back (read ahead, before the removal)."""
    others: set[str] = set()
    for paper in papers:
        sources = paper.sources
        if len(sources) > 1 and any(source.file in files for source in sources):
            others.update(source.file for source in sources)
    return others - files


def files_to_read(changed: Iterable[str]) -> list[tuple[str, os.stat_result]]:
    """The files under the changed paths that exist now (a changed file, or every file of a new folder)."""
    found: list[tuple[str, os.stat_result]] = []
    seen: set[str] = set()
    for path in sorted(changed):
        if not os.path.exists(path):
            continue
        files, _problems = find_files([path])
        for file, info in files:
            if file not in seen:
                seen.add(file)
                found.append((file, info))
    return found
