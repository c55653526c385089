"""The listing dates the reader steps through ([ and ]) and the unread papers of the day shown."""

from __future__ import annotations

from collections.abc import Callable

from ..core import facets
from ..core.library import Library
from ..core.store import Store


class Days:
    """For the main screen: where [ and ] go from a day (every loaded day, or with a filter or a
    reading list shown the days that have a paper matching it), and how many papers of a day are
    unread (the status line's count)."""

    def __init__(self, store: Store, library: Library, notify: Callable[..., object]) -> None:
        """`notify(message, timeout=…)` tells the user why there is no day to go to."""
        self.notify = notify
        self.store = store
        self.library = library
        self.matching: list[str] | None = None
        """With a filter or reading list: the listing dates that have a paper matching it, from the
        list's last selection (PaperList.Shown)."""
        self._day_keys: tuple[int, str, list[str]] | None = None  # (store version, day, its papers' keys)

    def step(self, day: str | None, step: int, *, filtered: bool, paper_day: str | None) -> str | None:
        """The previous (-1) or next (+1) listing date from `day`; from all days (None) the day of
        the paper under the cursor (`paper_day`). None, said to the user, when there is none."""
        filtered = filtered and self.matching is not None
        days = self.matching if filtered else facets.days(self.store.papers)
        where = "with papers matching the filter" if filtered else "in the loaded digests"
        if not days:
            self.notify(f"No day {where}." if filtered else "No loaded paper has a listing date.", timeout=3)
            return None
        if day is None:
            return paper_day or days[-1]
        found = facets.step_day(days, day, step)
        if found is None:
            edge = "earlier" if step < 0 else "later"
            self.notify(f"No {edge} day than {day} {where} (a shows all days).", timeout=3)
        return found

    def newest_unread(self) -> str | None:
        """The newest day with an unread paper (the day the reader starts on, when asked to)."""
        return facets.newest_unread_day(self.store.papers, lambda key: self.library.mark(key).read)

    def unread(self, day: str | None) -> int | None:
        """The papers of this day (all of them, whatever the filter) not yet read; None for every day."""
        if day is None:
            return None
        store = self.store
        if self._day_keys is None or self._day_keys[:2] != (store.version, day):
            self._day_keys = (store.version, day, [paper.key for paper in store.papers if paper.date == day])
        mark = self.library.mark
        return sum(1 for key in self._day_keys[2] if not mark(key).read)
