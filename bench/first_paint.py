#!/usr/bin/env python3
"""First paint of the reader, cold and warm, against the empty-app floor: for each archive, runs
alternate the empty app (bench/empty_app.py), the reader on a fresh cache (cold) and the reader on
the cache a first run left (warm), each in ../shared/tools/firstpaint.py's real 160x48 tmux pane
with fresh HOME/XDG_* folders; prints the medians, each as a multiple of the floor, against issue
18's goal (<= 2x the floor, cold or warm), and, with --full-load, the warm runs' time until every
paper is listed ("<TOTAL> papers · sort" on the status line).

    .venv/bin/python bench/first_paint.py [ARCHIVE...] [--runs 5] [--full-load]
  default ARCHIVE: /work/bench/archive-100000. The warm cache is made once per archive by
  bench/headless.py load (the session the reader runs, without the text index). Never run by the tests.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import FIRST_PAINT_MARKER, VENV_PYTHON, Sandbox, firstpaint, headless

BENCH = Path(__file__).resolve().parent
READER = VENV_PYTHON.parent / "digest-tui"
EMPTY = [str(VENV_PYTHON), str(BENCH / "empty_app.py")]
GOAL_X_FLOOR = 2.0


def once(marker: str, argv: list[str], work: Path, cache: Path | None = None) -> float | None:
    """One firstpaint.py run in a fresh sandbox (its cache folder replaced by `cache` when given)."""
    box = Sandbox(work, "fp")
    try:
        env = box.env
        if cache is not None:
            env["XDG_CACHE_HOME"] = str(cache)
        seconds, why = firstpaint(marker, 120, argv, env, box.dirs["home"])
    finally:
        box.remove()
    if seconds is None:
        print(f"    {' '.join(argv[-1:])}: {why.splitlines()[0]}", file=sys.stderr)
    return seconds


def median(values: list[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archives", nargs="*", type=Path, default=[Path("/work/bench/archive-100000")])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--full-load", action="store_true", help="also time the warm runs until every paper is listed")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="first-paint-"))
    try:
        for archive in args.archives:
            reader = [str(READER), "--no-watch", str(archive)]
            cache = work / f"cache-{archive.name}"
            made = headless("load", str(archive), str(cache / "digest-tui"))
            if "error" in made:
                print(f"{archive}: the warm cache could not be made: {made['error']}")
                continue
            total = made["papers"]
            floor, cold, warm, full = [], [], [], []
            for _ in range(args.runs):
                floor.append(once("bench empty app ready", EMPTY, work))
                cold.append(once(FIRST_PAINT_MARKER, reader, work))
                warm.append(once(FIRST_PAINT_MARKER, reader, work, cache))
                if args.full_load:
                    full.append(once(rf"\b{total} papers · sort", reader, work, cache))
            f = median(floor)
            print(f"{archive} ({total:,} papers), {args.runs} runs each, alternating")
            print(f"  empty-app floor  {f:.3f} s  (runs: {', '.join(f'{v:.3f}' for v in floor if v is not None)})")
            for name, runs in (("first paint cold", cold), ("first paint warm", warm)):
                m = median(runs)
                x = m / f if m and f else None
                mark = "" if x is None else (" ✓" if x <= GOAL_X_FLOOR else " ✗")
                shown = ", ".join(f"{v:.3f}" for v in runs if v is not None)
                print(f"  {name}  {m:.3f} s = {x:.1f}× the floor{mark}  (runs: {shown})" if m and x else f"  {name}  —")
            if full:
                print(f"  warm, every paper listed  {median(full):.2f} s  (runs: {', '.join(f'{v:.2f}' for v in full if v is not None)})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
