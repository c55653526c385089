"""How fast one big arXiv listing e-mail parses, and its peak memory: prints MB/s and peak RSS.

    python bench/email_parse.py [PAPERS] [--seed FILE] [--runs N]

Builds a synthetic listing by repeating the entries of a real one (../shared/digests'
2026-01-23 cs mailing by default) with fresh ids until it holds PAPERS papers (100,000 by
default), writes it to a temporary folder, then, in a fresh process per run and alternating:

- `parsers.parse_file` (read, decode, parse in one process; a file this big a part at a time);
- a load session without a cache (`LoadSession([file]).load()`), which cuts a big listing at its
  entries for the parsing processes (one per CPU) and puts its papers in the store as they come.

For each run and as the median it prints MB/s of e-mail text by the clock and by CPU time (the
process's own, and for the session also its parsing processes': a busy machine disturbs CPU time
less), and the process's peak RSS, absolute and as a multiple of the file's size (the part above
the process's RSS before reading the file; the parsing processes' memory is their own).
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
def rss_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
def main():
    from digest_tui.core.loading.loader import pause_gc
    from digest_tui.core.loading.session import LoadSession
    from digest_tui.core.parsers import parse_file
    before = rss_kb()
    pause_gc()  # as a load does
    start, cpu = time.perf_counter(), time.process_time()
    if sys.argv[2] == "parse_file":
        result = parse_file(sys.argv[1])
        papers, warnings = len(result.papers), len(result.warnings)
    else:
        session = LoadSession([sys.argv[1]])
        for _event in session.load(sort=None):
            pass
        session.close()
        papers, warnings = len(session.store), len(session.report.problems)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "cpu": cpu, "children_cpu": children.ru_utime + children.ru_stime,
                      "papers": papers, "warnings": warnings, "peak_kb": peak, "before_kb": before}))
if __name__ == "__main__":
    main()
"""
WAYS = {"parse_file": "parse_file (one process)", "session": "load session (parts to the parsing processes)"}


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
        runs: dict[str, list[dict]] = {way: [] for way in WAYS}
        for _ in range(args.runs):
            for way, label in WAYS.items():  # alternating, so that both see the same moments of a busy machine
                answer = subprocess.run(
                    [sys.executable, "-c", CHILD, str(path), way], capture_output=True, text=True, check=True, env=os.environ
                )
                run = json.loads(answer.stdout)
                runs[way].append(run)
                rate, cpu_rate = size / 1e6 / run["seconds"], size / 1e6 / run["cpu"]
                both = size / 1e6 / (run["cpu"] + run["children_cpu"])
                above = (run["peak_kb"] - run["before_kb"]) * 1024 / size
                print(
                    f"  {label}: {run['seconds']:.2f} s  {rate:6.1f} MB/s ({cpu_rate:.1f} MB/s of its CPU time"
                    + (f", {both:.1f} with the parsing processes'" if run["children_cpu"] else "")
                    + f")  peak RSS {run['peak_kb'] / 1024:,.0f} MB ({above:.2f}x the file above the "
                    f"{run['before_kb'] / 1024:.0f} MB before it)  {run['papers']:,} papers, {run['warnings']} warnings"
                )
        for way, label in WAYS.items():
            seconds = statistics.median(run["seconds"] for run in runs[way])
            cpu = statistics.median(run["cpu"] for run in runs[way])
            total = statistics.median(run["cpu"] + run["children_cpu"] for run in runs[way])
            peak = statistics.median(run["peak_kb"] - run["before_kb"] for run in runs[way])
            print(
                f"median, {label}: {size / 1e6 / seconds:.1f} MB/s ({size / 1e6 / cpu:.1f} MB/s of its CPU time, "
                f"{size / 1e6 / total:.1f} with its parsing processes'), peak {peak * 1024 / size:.2f}x the file size"
            )
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

if __name__ == "__main__":
    main()
