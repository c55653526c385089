"""Kill -9 a process that is saving the library, again and again: the file is always whole.

A long-lived helper process imports the library code once and forks a writer per round (so
a round costs milliseconds, not an interpreter start). Each writer loads the library and keeps
adding one paper per save: starred, tagged, noted, plus a read-only mark. It is killed with
SIGKILL at a random moment (a seeded generator: the same moments every run). After every kill,
library.toml must parse and hold exactly papers 0..k-1 for some k that never goes back: every
save is a complete snapshot. A killed writer may leave one temp file; the next save removes it,
so they never pile up.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from digest_tui.core.library import Library

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")

KILLS = 40

ZYGOTE = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from digest_tui.core import library as library_module
    from digest_tui.core.library import Library
    from digest_tui.core.model import make_paper

    path = Path(sys.argv[1])
    real_fsync = os.fsync

    def slow_fsync(fd):  # widen the window between "temp file written" and "renamed"
        real_fsync(fd)
        time.sleep(0.002)

    def writer():
        os.fsync = slow_fsync
        library = Library.load(path)
        if library.notice or library.read_only:
            os.write(2, f"bad load: {library.notice}\\n".encode())
            os._exit(3)
        i = len(library.starred_keys())
        while True:
            paper = make_paper(id=f"2606.{i:05d}", title_en=f"Paper {i}", authors=("A. Author",))
            library.set_starred(paper, True)
            library.add_tag(paper, f"t{i % 3}")
            library.set_note(paper, f"note {i}\\nline two")
            library.set_read(make_paper(id=f"2601.{i:05d}"), True)
            library.save()
            i += 1

    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            try:
                writer()
            finally:
                os._exit(4)
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(status, flush=True)
    """
)


def check(path: Path, previous: int) -> int:
    """The file is complete: papers 0..k-1 exactly, each with all its fields; returns k."""
    if not path.exists():
        assert previous == 0
        return 0
    document = tomllib.loads(path.read_text(encoding="utf-8"))  # parses: never half a file
    library = Library.load(path)
    assert library.notice is None and not library.read_only
    k = len(library.starred_keys())
    assert k >= previous, "a save went back in time"
    assert library.starred_keys() == [f"2606.{i:05d}" for i in range(k)]
    for i in range(k):
        mark = library.mark(f"2606.{i:05d}")
        assert mark.tags == (f"t{i % 3}",) and mark.note == f"note {i}\nline two"
        assert library.paper(f"2606.{i:05d}").title_en == f"Paper {i}"
    # the read-only marks are set before the save of the same step, so they match the stars
    assert document["read"] == [f"2601.{i:05d}" for i in range(k)]
    assert not list(path.parent.glob("library.toml.corrupt-*"))
    return k


def test_killing_a_writer_mid_save_never_leaves_a_broken_library(tmp_path):
    path = tmp_path / "library.toml"
    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    rng = random.Random(20260618)
    k = 0
    temps_seen = 0
    try:
        for _round in range(KILLS):
            zygote.stdin.write("go\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            # some die in the load or the first save, most mid-stream
            time.sleep(rng.uniform(0.0, 0.06))
            os.kill(pid, signal.SIGKILL)
            status = int(zygote.stdout.readline())
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
                f"the writer ended on its own (status {status}): {zygote.stderr.read() if zygote.poll() else ''}"
            )
            k = check(path, k)
            temps = list(tmp_path.glob(".library.toml.*.tmp"))
            assert len(temps) <= 1, f"temp files pile up: {temps}"
            temps_seen += len(temps)
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=30)
    print(f"{KILLS} kills, {k} papers saved, {temps_seen} kills left a temp file behind")
    assert k > 0, "no save ever finished: the kills came too early to test anything"
    assert temps_seen > 0, "no kill landed mid-write: the test did not test what it says"
    # the next save, by anyone, cleans up after the last killed writer
    library = Library.load(path)
    library.save()
    assert not list(tmp_path.glob(".library.toml.*.tmp"))
    assert check(path, k) == k
