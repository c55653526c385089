"""Undo: the steps taken, each paper a step changed with its mark before, UNDO_STEPS deep.

The mark changes made inside one `step()` (a key, a bulk action, a triage decision) are one
step; the library keeps the newest UNDO_STEPS of them.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Mark, Paper

UNDO_STEPS = 1000
"""How many steps undo() can take back (a session's worth of triage)."""


@dataclass(frozen=True, slots=True)
class Step:
    """One undoable change: what the user did, and each paper it touched with its mark before."""

    label: str
    before: tuple[tuple[Paper, Mark], ...]

    @property
    def keys(self) -> list[str]:
        return [paper.key for paper, _ in self.before]


class History:
    """The steps taken, newest last, at most UNDO_STEPS; changes made outside a step are not kept."""

    def __init__(self) -> None:
        self._steps: deque[Step] = deque(maxlen=UNDO_STEPS)
        self._recording: dict[str, tuple[Paper, Mark]] | None = None  # inside step(): key -> (paper, mark before)

    @contextlib.contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Record the changes made inside as one step. A step inside a step is part of the outer
        one; a step that changed nothing is not kept."""
        if self._recording is not None:
            yield
            return
        self._recording = {}
        try:
            yield
        finally:
            before, self._recording = self._recording, None
            if before:
                self._steps.append(Step(label, tuple(before.values())))

    def record(self, paper: Paper, before: Mark) -> None:
        """A paper's mark is about to change from `before` (the first change in a step counts)."""
        if self._recording is not None:
            self._recording.setdefault(paper.key, (paper, before))

    def pop(self) -> Step | None:
        """The newest step, taken off (None: there is none)."""
        return self._steps.pop() if self._steps else None

    def __len__(self) -> int:
        return len(self._steps)
