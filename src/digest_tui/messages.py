"""Messages the reader's workers post to its screens (what the load session or a watched folder did), and its screens to the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from .core.loading.session import Changes, FilesFound, FilesRead, LoadDone, LoadEvent
from .core.model import Problem

if TYPE_CHECKING:  # the fetcher (http, ssl, every parser) is imported when a fetch starts, not with the reader
    from .core.fetch import Outcome


@dataclass
class DigestsFound(Message):
    """The load has listed its files: how many it will read."""

    files: int


@dataclass
class DigestsRead(Message):
    """More files' papers are in the store: files read so far, and the problems met since the last message."""

    files: int
    problems: list[Problem]


@dataclass
class DigestsLoaded(Message):
    """Every file is read and the store is sorted; the problems met since the last message."""

    files: int
    problems: list[Problem]


@dataclass
class FolderChanged(Message):
    """A watched folder gained, changed or lost files, read by the watcher's thread (not yet in the store)."""

    changes: Changes


@dataclass
class SourceFetched(Message):
    """One source of "Fetch today's digests" is done: written, unchanged, empty, or why not."""

    outcome: Outcome


@dataclass
class DigestsFetched(Message):
    """Every source has been tried; `answered` of `sources` answered."""

    answered: int
    sources: int


@dataclass
class LedgerCounted(Message):
    """The ledger of the loaded digests is counted: the papers arXiv announced as replacements (key -> day)."""

    replacements: dict[str, str]


@dataclass
class ReadyForKeys(Message):
    """A screen that takes the keys typed as it opens (a dialog's field, triage) is ready for them:
    the keys the app held meanwhile may come (DigestApp.hold_keys)."""


def message_for(event: LoadEvent) -> DigestsFound | DigestsRead | DigestsLoaded:
    """The message that tells the UI thread about one event of a load session."""
    if isinstance(event, FilesFound):
        return DigestsFound(event.files)
    if isinstance(event, FilesRead):
        return DigestsRead(event.files, event.problems)
    if isinstance(event, LoadDone):
        return DigestsLoaded(event.files, event.problems)
    raise TypeError(f"not a load event: {event!r}")
