"""How fast one big arXiv listing e-mail parses, and its peak memory: prints MB/s and peak RSS.

    python bench/email_parse.py [PAPERS] [--seed FILE] [--runs N]

Builds a synthetic listing by repeating the entries of a real one (../shared/digests'
2026-01-23 cs mailing by default) with fresh ids until it holds PAPERS papers (100,000 by
default), writes it to a temporary folder, then parses it in a fresh process per run with
`parsers.parse_file` (read, decode, parse: what the loader does) and prints, for each run and as
the median: MB/s of e-mail text (by the clock, and by the process's CPU time, which a busy
machine disturbs less) and the process's peak RSS, absolute and as a multiple of the
file's size (the part above the process's RSS before reading the file).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "digests" / "arxiv-listing-email-2026-01-23-cs.txt"
_SEPARATOR = "-" * 78 + "\n"
_ENTRY_ID = re.compile(r"^(\\\\\narXiv:)(\S+)", re.M)

CHILD = r"""
import json, resource, sys, time
from digest_tui.core.loading.loader import pause_gc
from digest_tui.core.parsers import parse_file
def rss_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
before = rss_kb()
pause_gc()  # as a load does
start, cpu = time.perf_counter(), time.process_time()
result = parse_file(sys.argv[1])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu": cpu, "papers": len(result.papers), "warnings": len(result.warnings),
                  "peak_kb": peak, "before_kb": before}))
"""


def build(seed: Path, papers: int, out: Path) -> int:
    """Write a listing of `papers` entries made from the seed's; returns its size in bytes."""
    text = seed.read_text(encoding="utf-8")
    first = text.index("\\\\\narXiv:")
    head, body = text[:first], text[first:]
    entries = [chunk for chunk in body.split(_SEPARATOR) if chunk.startswith("\\\\\narXiv:")]
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(head)
        for number in range(papers):
            new_id = f"{30 + number // 90000:02d}{1 + number // 90000 % 12:02d}.{10000 + number % 90000:05d}"
            entry = entries[number % len(entries)]
            old_id = _ENTRY_ID.match(entry).group(2)
            entry = entry.replace("arXiv:" + old_id, "arXiv:" + new_id, 1).replace("abs/" + old_id, "abs/" + new_id, 1)
            handle.write(entry if entry.endswith("\n") else entry + "\n")
            handle.write(_SEPARATOR)
    return out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", type=int, nargs="?", default=100_000)
    parser.add_argument("--seed", type=Path, default=SEED)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.seed.is_file():
        sys.exit(f"no seed listing at {args.seed} (pass --seed FILE)")
    with tempfile.TemporaryDirectory(prefix="digest-tui-email-bench-") as folder:
        path = Path(folder) / "listing.txt"
        size = build(args.seed, args.papers, path)
        print(f"listing e-mail: {args.papers:,} papers, {size / 1e6:,.1f} MB (from {args.seed.name})")
        runs = []
        for _ in range(args.runs):
            answer = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True, env=os.environ
            )
            run = json.loads(answer.stdout)
            runs.append(run)
            rate, cpu_rate = size / 1e6 / run["seconds"], size / 1e6 / run["cpu"]
            above = (run["peak_kb"] - run["before_kb"]) * 1024 / size
            print(
                f"  {run['seconds']:.2f} s  {rate:6.1f} MB/s ({cpu_rate:.1f} MB/s of CPU time)  peak RSS {run['peak_kb'] / 1024:,.0f} MB "
                f"({above:.2f}x the file above the {run['before_kb'] / 1024:.0f} MB before it)  "
                f"{run['papers']:,} papers, {run['warnings']} warnings"
            )
        seconds = statistics.median(run["seconds"] for run in runs)
        cpu = statistics.median(run["cpu"] for run in runs)
        peak = statistics.median(run["peak_kb"] - run["before_kb"] for run in runs)
        print(
            f"median: {size / 1e6 / seconds:.1f} MB/s ({size / 1e6 / cpu:.1f} MB/s of CPU time; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs), peak {peak * 1024 / size:.2f}x the file size"
        )


if __name__ == "__main__":
    main()
