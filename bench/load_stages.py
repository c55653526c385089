"""Time each stage of a headless LoadSession, by the clock and by CPU time (this process and its
parsing processes), so a load on a busy machine can still be compared stage by stage:

    python bench/load_stages.py ARCHIVE CACHE_DIR [--no-texts]

cold when CACHE_DIR is empty, warm when a previous run filled it. Stages: the files listed (and
the load snapshot read), the first papers in the store, LoadDone (every file read and merged, the
store sorted: what the reader's status line waits for), then finish()'s steps without the search
index: the snapshot written, the parsing processes' cache entries written, the texts brought in
(`--no-texts` stops before them: at a million papers they take gigabytes). The parsing processes'
CPU time is read from /proc while they live (Linux), so it is known at LoadDone, before they end.
"""

from __future__ import annotations

import glob
import os
import resource
import sys
import time
from pathlib import Path

from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.session import FilesFound, LoadSession

def children_cpu() -> float:
    """CPU seconds of this process's children so far: those ended (and waited for) by rusage, the
    living (and ended but not yet waited for) from /proc."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    tick = os.sysconf("SC_CLK_TCK")
    for listing in glob.glob(f"/proc/{os.getpid()}/task/*/children"):
        try:
            pids = Path(listing).read_text().split()
        except OSError:
            continue  # a thread that ended meanwhile
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    archive, cache_dir = args
    texts = "--no-texts" not in sys.argv
    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    session = LoadSession([archive], cache=ParseCache(cache_dir))
    marks: list[tuple[str, float, float, float]] = []
    wall0, own0, children0 = time.perf_counter(), own_cpu(), children_cpu()

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter() - wall0, own_cpu() - own0, children_cpu() - children0))

    for event in session.load(batch_seconds=0.1):
        if isinstance(event, FilesFound):
            mark("files listed")
        elif len(marks) == 1 and session.store.papers:
            mark("first papers")
    mark("LoadDone")
    steps = session.finish(index=False)
    for step in steps:
        if step == "texts":
            if not texts:
                break
            continue
        mark(f"finish: {step}")
    steps.close()
    if texts:
        mark("finish: texts")
    session.close()
    papers = len(session.store)
    print(f"{papers:,} papers, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
    print(f"{'stage':24} {'wall s':>8} {'+':>7} {'CPU s':>8} {'+':>7} {'of it main':>10} {'us/paper':>9}")
    previous = (0.0, 0.0)
    for name, wall, own, children in marks:
        cpu = own + children
        print(f"{name:24} {wall:8.2f} {wall - previous[0]:7.2f} {cpu:8.2f} {cpu - previous[1]:7.2f} {own:10.2f}"
              f" {(cpu - previous[1]) / max(papers, 1) * 1e6:9.2f}")  # fmt: skip
        previous = (wall, cpu)
    return 0


if __name__ == "__main__":
    sys.exit(main())
