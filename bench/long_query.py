"""How long a query with thousands of OR-ed terms takes to parse and to run, merged (terms of one
field tested as one pattern) and, with --unmerged, as one test per term, over an archive:

    python bench/long_query.py ARCH CACHE_DIR [--unmerged]
"""

from __future__ import annotations

import sys
import time

from digest_tui.core import query
from digest_tui.core.library import NO_MARK
from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.session import load


def main() -> None:
    arch, cache = sys.argv[1], sys.argv[2]
    store, _report = load([arch], cache=ParseCache(cache))
    titles = sorted({w.lower() for p in store.papers[:500] for w in (p.title_en or "").split() if len(w) > 3 and w.isalnum()})
    absent = [f"zzq{i}x" for i in range(10_000)]
    cases = {
        "10,000 words, OR, none found": " OR ".join(absent),
        "10,000 title: terms, OR": " OR ".join(f"title:{t}" for t in absent),
        "9,990 absent + 10 title words, OR": " OR ".join(absent[:9_990] + titles[:10]),
    }
    if "--unmerged" in sys.argv:
        query.MERGE_AT = 10**9
    print(f"{len(store.papers):,} papers; merged: {query.MERGE_AT < 10**9}")
    for name, text in cases.items():
        start = time.perf_counter()
        parsed = query.parse_query(text)
        parsed_at = time.perf_counter()
        rows = store.select(parsed, lambda key: NO_MARK, "date")
        done = time.perf_counter()
        print(f"{name}: parse {parsed_at - start:.2f} s, select {done - parsed_at:.2f} s, {len(rows):,} papers")


if __name__ == "__main__":
    main()
