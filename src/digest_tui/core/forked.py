"""Output made in parts by forked copies of this process, given back in order: `dump` and `export` on every CPU.

Formatting a hundred thousand papers as BibTeX or CSV is pure Python and keeps one CPU busy for
seconds, while the other CPUs wait. pieces() cuts the papers into one part per CPU: a forked copy
of the process makes each part but the first into a temporary file while this process makes the
first and writes it out, then the copies' files follow in order. A copy shares the papers with
this process (copy on write: nothing is sent to it), and the bytes are those one process would
make: a copy that fails (or is killed) has its part made here again.

Only from a process with no other thread (forking a process with threads can deadlock), on a
system with fork, more than one usable CPU and at least FORK_AT papers; else one process makes
it all, the same way.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator

FORK_AT = 8192
"""Papers below which one process makes everything: a fork and a file cost more than they save."""
MOST_PARTS = 8
READ_BYTES = 1 << 20
"""Bytes of a copy's file given back as one piece."""


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def pieces(part: Callable[[int, int], Iterable[bytes]], count: int, step: int) -> Iterator[bytes]:
    """The pieces of part(0, count), in order, made in parts on every usable CPU: part(start,
    stop) must give the bytes of items start to stop as they are within the whole (its head only
    when start is 0, its tail only when stop is count); parts start at multiples of `step`."""
    cuts = _cuts(count, step, _parts(count))
    if len(cuts) <= 2:
        yield from part(0, count)
        return
    copies: list[tuple[int, int, int, object]] = []  # (pid, start, stop, file); pid 0: made here
    try:
        for start, stop in zip(cuts[1:-1], cuts[2:]):
            copies.append(_fork(part, start, stop))
        yield from part(0, cuts[1])
        while copies:
            pid, start, stop, file = copies.pop(0)
            try:
                if pid and _waited(pid):
                    file.seek(0)
                    while data := file.read(READ_BYTES):
                        yield data
                else:  # no copy could be made, or it failed or was stopped: its part is made here
                    yield from part(start, stop)
            finally:
                if file is not None:
                    file.close()
    finally:
        for pid, _, _, file in copies:  # given up early (a closed pipe, an error, ^C): nothing is left running
            if pid:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                _waited(pid)
            if file is not None:
                file.close()


def _parts(count: int) -> int:
    if count < FORK_AT or not hasattr(os, "fork") or not _alone():
        return 1
    return max(1, min(usable_cpus(), MOST_PARTS, count // (FORK_AT // 2)))


def _alone() -> bool:
    """Whether this is the process's only thread."""
    return threading.active_count() == 1


def _cuts(count: int, step: int, parts: int) -> list[int]:
    """0, the starts of parts 2 … `parts` (multiples of `step`, none empty), and `count`."""
    cuts = [0]
    for number in range(1, parts):
        at = count * number // parts // step * step
        if cuts[-1] < at < count:
            cuts.append(at)
    return [*cuts, count]


def _fork(part: Callable[[int, int], Iterable[bytes]], start: int, stop: int) -> tuple[int, int, int, object]:
    """(pid, start, stop, the file the copy writes); (0, start, stop, None) when none can be made."""
    try:
        file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by pieces(), after the copy has written it)
    except OSError:
        return 0, start, stop, None
    try:
        pid = os.fork()
    except OSError:
        file.close()
        return 0, start, stop, None
    if pid == 0:  # the copy: whatever happens, it ends here, without Python's clean-up (the parent's)
        code = 1
        try:
            gc.disable()  # formatting makes no cycles, and a collection would touch (copy) the parent's pages
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            with open(file.fileno(), "wb", closefd=False) as out:
                for data in part(start, stop):
                    out.write(data)
            code = 0
        except BaseException:
            pass
        finally:
            os._exit(code)
    return pid, start, stop, file


def _waited(pid: int) -> bool:
    """Whether the copy `pid` ended well, once it has ended."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return False
    return os.waitstatus_to_exitcode(status) == 0
