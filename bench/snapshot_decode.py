"""Time the decoding of a load snapshot's chunks into papers, CPU time a chunk (best of 3, collection
paused as a load pauses it), two ways and on two kinds of data, so that what a gain owes to the
synthetic archive's repetition shows:

    python bench/snapshot_decode.py ARCHIVE CACHE_DIR [CHUNKS]

CACHE_DIR holds a warm load of ARCHIVE (the snapshot this code writes). Its first CHUNKS chunks (40)
are decoded as the load decodes them, then encoded again and decoded, in this format (column by
column, equal values once: snapshot.encode_chunk) and in the row format it replaced (format 3: one
tuple a paper, every object marshalled with a reference, as a store being written has them), each
on the papers as they are and with every title and author made unique, as in real digests
(mkcorpus.py makes a million papers out of 42 seed entries).
"""

from __future__ import annotations

import gc
import marshal
import sys
import time

from digest_tui.core.loading import snapshot
from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.loader import list_files
from digest_tui.core.model import Paper, Source


def best_ms(decode, chunks: list[bytes]) -> float:
    times = []
    for _ in range(3):
        start = time.process_time()
        decode(chunks)
        times.append(time.process_time() - start)
    return min(times) * 1000 / len(chunks)


def unique(papers: list[Paper]) -> list[Paper]:
    """The papers with each title and author their own string, as no two real papers share them."""
    return [
        paper._replace(
            title_en=paper.title_en and f"{paper.title_en} {at}",
            title_zh=paper.title_zh and f"{paper.title_zh} {at}",
            authors=tuple(f"{author} {at}" for author in paper.authors),
        )
        for at, paper in enumerate(papers)
    ]


def main() -> int:
    args = sys.argv[1:]
    if len(args) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    archive, cache_dir = args[0], args[1]
    count = int(args[2]) if len(args) == 3 else 40
    gc.disable()
    paths = [archive]
    found = snapshot.read_snapshot(ParseCache(cache_dir), paths, list_files(paths)[0])
    if found is None:
        print(f"no snapshot of {archive} for this code in {cache_dir}: run a load into it first", file=sys.stderr)
        return 1
    sources = [(Source(record.path, record.source_format or ""),) for record in found.files]
    sources += [tuple(sources[index][0] for index in combo) for combo in found.combos]
    index_of = {source: at for at, source in enumerate(sources)}
    stored = [bytes(chunk) for chunk, _rows in found.chunks[:count]]
    chunks = []
    for chunk in stored:
        columns, title_keys = snapshot.decode_chunk(chunk, len(sources))
        chunks.append((snapshot.papers_of(columns, sources), title_keys))

    def decode_columns(encoded: list[bytes]) -> None:
        for chunk in encoded:
            columns, _keys = snapshot.decode_chunk(chunk, len(sources))
            snapshot.papers_of(columns, sources)

    def decode_rows(encoded: list[bytes]) -> None:
        for chunk in encoded:
            rows, _keys = marshal.loads(chunk)
            [tuple.__new__(Paper, row[:-1] + (sources[row[-1]],)) for row in rows]

    print(f"{len(stored)} chunks of {archive}'s snapshot, CPU ms a chunk (best of 3), and bytes:")
    print(f"  as stored: {best_ms(decode_columns, stored):.2f} ms, {sum(map(len, stored)):,} bytes")
    for label, data in (("as they are", chunks), ("titles and authors unique", [(unique(p), k) for p, k in chunks])):
        held = [[list(paper) for paper in papers] for papers, _keys in data]  # each value referenced twice
        specs = [[index_of[paper.sources] for paper in papers] for papers, _keys in data]
        columns = [snapshot.encode_chunk(papers, spec, keys) for (papers, keys), spec in zip(data, specs)]
        rows = [
            marshal.dumps(([paper[:-1] + (at,) for paper, at in zip(papers, spec)], keys))
            for (papers, keys), spec in zip(data, specs)
        ]
        del held
        print(f"  {label}: columns {best_ms(decode_columns, columns):.2f} ms "
              f"({sum(map(len, columns)):,} bytes), rows (format 3) {best_ms(decode_rows, rows):.2f} ms "
              f"({sum(map(len, rows)):,} bytes)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
