"""Full-text search as the reader gets it: `LoadSession.load()` then `finish()` (the steps the reader's
worker iterates), through the parse cache in CACHE_DIR (cold when it is empty, warm after), then each
full-text query typed one character at a time (`parse_query` + `Store.select`). Prints one JSON
object: the seconds (clock and CPU) until the list is loaded, until finish() says "ready" (any
filter answered without a column to make first) and until its last step (on a warm start with
the text index whole, the titles and authors in memory that only a one-character word reads),
the peak RSS (and per paper), and each keystroke's time. With --repeat N each query is typed N times
(the keystrokes of every round are printed; the first round meets a cold SQLite page cache).

    python bench/text_search.py ARCH CACHE_DIR [--repeat N]
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time

QUERIES = ["mixture", "预训练", "inst:tsinghua", "abstract:data mixing", "title:mixture"]
"""`title:mixture` types `t` and `ti` (free words on the way to the field name), then `title:m` ..."""
FULL_TEXT = ("mixture", "预训练")
"""The queries of bench/run.py's full-text row: the median and worst are over their keystrokes."""


def main(arch: str, cache_dir: str, repeat: int = 1) -> None:
    from digest_tui.core.library import NO_MARK
    from digest_tui.core.loading.cache import ParseCache
    from digest_tui.core.loading.session import LoadSession
    from digest_tui.core.query import QueryError, parse_query

    clock, cpu = time.perf_counter(), time.process_time()
    session = LoadSession([arch], cache=ParseCache(cache_dir))
    for _event in session.load():
        pass
    out: dict = {"papers": len(session.store), "loaded_s": time.perf_counter() - clock, "loaded_cpu_s": time.process_time() - cpu}
    for step in session.finish():
        if step == "ready":  # any filter answered without a column to make first (bench/headless.py's ready_s)
            out["ready_s"], out["ready_cpu_s"] = time.perf_counter() - clock, time.process_time() - cpu
    out["finished_s"], out["finished_cpu_s"] = time.perf_counter() - clock, time.process_time() - cpu
    store = session.store
    out["text_index"] = getattr(store, "texts", None) is not None  # None on code before the text index
    keystrokes = []
    for text in QUERIES * repeat:
        for end in range(1, len(text) + 1):
            started, cpu = time.perf_counter(), time.process_time()
            try:
                rows = store.select(parse_query(text[:end]), lambda key: NO_MARK, "date")
            except QueryError:
                continue
            step = {"query": text, "typed": text[:end], "ms": (time.perf_counter() - started) * 1000}
            step.update(cpu_ms=(time.process_time() - cpu) * 1000, shown=len(rows))
            keystrokes.append(step)
    full_text = [step for step in keystrokes if step["query"] in FULL_TEXT]
    for clock in ("ms", "cpu_ms"):
        out[f"keystroke_median_{clock}"] = statistics.median(step[clock] for step in full_text)
        worst = max(full_text, key=lambda step: step[clock])
        out[f"keystroke_worst_{clock}"], out[f"keystroke_worst_{clock}_at"] = worst[clock], worst["typed"]
    out["keystrokes"] = keystrokes
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["kb_a_paper"] = out["peak_rss_mb"] * 1024 / max(len(store), 1)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:3], int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1)
