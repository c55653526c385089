"""How long the detail pane's line breaking takes per paper shown and per resize: prints numbers, asserts nothing.

    python bench/wrap.py [PATH...]      (default: ../shared/digests, else the demo digests)

For every paper: the header, both abstracts and the footer laid out the way the detail pane does it
(core.linebreak through widgets.wrapped.Wrapped), first with ICU's break points not yet cached (a
paper shown for the first time), then again at another width (a resize: break points cached).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from digest_tui.core import linebreak
from digest_tui.core.library import Mark
from digest_tui.core.loading.session import load
from digest_tui.core.paths import demo_dir
from digest_tui.widgets.paper_detail import abstract_text, footer_text, header_text
from digest_tui.widgets.wrapped import Wrapped


def main(argv: list[str]) -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "digests"
    paths = argv or [str(shared if shared.is_dir() else demo_dir())]
    store, _report = load(paths)
    papers = store.papers
    first, resize = [], []
    for paper in papers:
        texts = [header_text(paper, Mark(), "zh", False), abstract_text(paper, "zh"), abstract_text(paper, "en"),
                 footer_text(paper)]
        linebreak.break_points.cache_clear()
        started = time.perf_counter()
        for text in texts:
            Wrapped(text).laid(58)
        first.append(time.perf_counter() - started)
        started = time.perf_counter()
        for text in texts:
            Wrapped(text).laid(77)
        resize.append(time.perf_counter() - started)
    chars = statistics.mean(len(p.abstract_en or "") + len(p.abstract_zh or "") for p in papers)
    print(f"{len(papers)} papers from {', '.join(paths)}; both abstracts {chars:.0f} characters on average")
    for name, times in (("first show (58 cells)", first), ("resize (77 cells)", resize)):
        times = sorted(times)
        print(f"{name:22} median {statistics.median(times) * 1000:.2f} ms, "
              f"p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
