#!/usr/bin/env python3
"""`digest-tui dump` and `digest-tui export` against the load they start with: prints, for one
archive, the median wall and CPU seconds of each (warm: the parse cache filled by a first run) and
their ratio to the load alone, next to the issue's goal (within 1.5x the load's time).

    .venv/bin/python bench/commands.py ARCHIVE [--runs 3] [--query 'date>=1900'] [--format json]

  load     headless.py load ARCH CACHE: LoadSession.run() through the parse cache, every paper
           with its long texts: the reader's whole load, what the goal measures against
  dump     digest-tui dump ARCH > FILE: the load without the long texts, then every paper as
           JSON, made in parts on every CPU, each part reading its papers' texts (core/forked.py)
  export   digest-tui export -q QUERY -f FORMAT ARCH > FILE: the same load, the search index
           the query reads, citation keys, then the format's writer in parts (every paper with a
           date by default)

Each run writes its output to one file in the sandbox, emptied first, as a user's `> FILE` does
(an unnamed temporary file instead made a dump of 100k papers 1.7-2.3 s against 1.40-1.48 s into
a named one, 1.38-1.41 s into /dev/null, on this machine's ext4), after os.sync() has written out
the last run's (378 MB for that dump: left dirty, its writeback slowed the next run by 0.3-0.6 s).
Each run is a fresh process with private HOME/XDG_* folders (one sandbox for the whole series, so
the runs after the first are warm); runs alternate between the three. The goal is judged by the
clock, the time a person waits: dump and export make their output on every CPU, so their CPU
time (user + system, of the process and its children, printed too) is more than that. The clock
is disturbed more by other processes on a shared machine: look at the load average printed.
Never run by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV = REPO / ".venv" / "bin"
GOAL_RATIO = 1.5


def timed(cmd: list[str], env: dict[str, str], output: Path) -> tuple[float, float, str]:
    """(wall s, CPU s of the child, the last line of its stdout) for one command, its stdout
    written to `output` (emptied first)."""
    with open(output, "w+b") as out:
        os.sync()  # the last run's output written out: its writeback would slow this one
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, env=env, text=False)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            sys.exit(f"{' '.join(cmd[:3])} failed: {done.stderr.decode(errors='replace').strip()[-300:]}")
        out.seek(max(0, out.tell() - 4096))
        tail = out.read().decode("utf-8", "replace").strip().splitlines()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, tail[-1] if tail else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query", default="date>=1900")
    parser.add_argument("--format", default="json")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="digest-tui-bench-commands-"))
    try:
        env = dict(os.environ)
        for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            folder = root / name.lower()
            folder.mkdir()
            env[name] = str(folder)
        cache = root / "xdg_cache_home" / "digest-tui"
        output = root / "output"
        arch = str(args.archive)
        cmds = {
            "load": [str(VENV / "python"), str(BENCH / "headless.py"), "load", arch, str(root / "headless-cache")],
            "dump": [str(VENV / "digest-tui"), "dump", arch],
            "export": [str(VENV / "digest-tui"), "export", "-q", args.query, "-f", args.format, arch],
        }
        print(f"{arch}: filling the caches (cold runs, not counted) …", flush=True)
        for name in ("load", "dump"):
            wall, cpu, _ = timed(cmds[name], env, output)
            print(f"  {name} cold: {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
        papers = json.loads(timed(cmds["load"], env, output)[2])["papers"]
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
        for run in range(args.runs):
            for name, cmd in cmds.items():
                wall, cpu, _ = timed(cmd, env, output)
                runs[name].append((wall, cpu))
                print(f"  run {run + 1} {name:6}: {wall:6.2f} s wall, {cpu:6.2f} s CPU", flush=True)
        print(f"\n{papers:,} papers; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; cache {cache}")
        load_wall = statistics.median(w for w, _ in runs["load"])
        load_cpu = statistics.median(c for _, c in runs["load"])
        for name in cmds:
            wall = statistics.median(w for w, _ in runs[name])
            cpu = statistics.median(c for _, c in runs[name])
            ratio = "" if name == "load" else (
                f"   = {wall / load_wall:.2f}x the load (wall), {cpu / load_cpu:.2f}x (CPU)"
                f"   [goal ≤ {GOAL_RATIO:g}x by the clock{' ✓' if wall / load_wall <= GOAL_RATIO else ' ✗'}]"
            )  # fmt: skip
            print(f"  {name:6} median: {wall:6.2f} s wall, {cpu:6.2f} s CPU{ratio}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
