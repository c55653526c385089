"""How fast each real digest sample in ../shared/digests parses: prints papers, MB/s and ms per file.

    python bench/formats_parse.py [--runs N] [FILE...]

For every file (all of ../shared/digests by default), `parsers.parse_file` (read, decode, parse:
what a load does for one file) runs N times (7 by default) in this process; the median of the
wall-clock time and of the process's CPU time (which a busy machine disturbs less) are printed,
with the format the file was read as and its papers.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "digests"
sys.path.insert(0, str(ROOT / "src"))

from digest_tui.core.parsers import DigestError, parse_file  # noqa: E402


def measure(path: Path, runs: int) -> tuple[str, int, float, float]:
    walls, cpus = [], []
    result = None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = parse_file(str(path))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    assert result is not None
    return result.format, len(result.papers), statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    files = args.files or sorted(p for p in SHARED.iterdir() if p.is_file())
    print(f"{'file':<46} {'format':<18} {'papers':>7} {'KB':>7} {'ms':>8} {'MB/s':>7} {'cpu MB/s':>9}")
    for path in files:
        size = path.stat().st_size
        try:
            fmt, papers, wall, cpu = measure(path, args.runs)
        except DigestError as error:
            print(f"{path.name:<46} refused: {error}")
            continue
        print(
            f"{path.name[:46]:<46} {fmt:<18} {papers:>7,} {size / 1024:>7,.0f} {wall * 1000:>8.1f}"
            f" {size / wall / 1e6:>7.1f} {size / max(cpu, 1e-9) / 1e6:>9.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
