"""Worker threads give way to the thread that draws: a typed character waits for nothing else than
the UI thread's turn at the GIL and at a CPU, and the workers (loading, filtering, finishing) would
otherwise take both for as long as Python lets them."""

from __future__ import annotations

import contextlib
import os
import sys
import threading

SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the GIL while another waits for it (Python's default is 0.005): the UI
thread needs it a few times for each key (the input thread reads the key, the loop handles it,
the screen is drawn), so a busy worker cost up to 5 ms each time."""
WORKER_NICE = 5
"""How far below the UI thread a worker thread runs (Linux keeps a nice value per thread): when
the machine is busy, the thread that draws gets a CPU first, and the work goes on beside it."""

_lowered: set[int] = set()


def give_way() -> None:
    """Lower the calling worker thread's CPU priority, once (pool threads are reused; a thread's
    nice value cannot be raised again without privileges, and every worker is background work)."""
    ident = threading.get_native_id()
    if ident in _lowered or not sys.platform.startswith("linux") or threading.current_thread() is threading.main_thread():
        return
    _lowered.add(ident)
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, ident, min(os.getpriority(os.PRIO_PROCESS, ident) + WORKER_NICE, 19))


class SwitchInterval:
    """The GIL's switch interval set to SWITCH_INTERVAL while the reader runs (set(), then restore())."""

    def __init__(self) -> None:
        self._before: float | None = None

    def set(self) -> None:
        if self._before is None:
            self._before = sys.getswitchinterval()
            sys.setswitchinterval(min(SWITCH_INTERVAL, self._before))

    def restore(self) -> None:
        if self._before is not None:
            sys.setswitchinterval(self._before)
            self._before = None
