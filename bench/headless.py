"""The headless half of the benchmark, run by bench/run.py in a fresh subprocess of the project's
venv python (so each peak RSS is that of one job), printing one JSON object on stdout:

    headless.py load ARCH CACHE_DIR      the archive's LoadSession run through ParseCache(CACHE_DIR), as
                                         `dump` runs it (the reader iterates the same session): cold when
                                         the folder is empty, warm when a previous run filled it
    headless.py filter ARCH CACHE_DIR    the reader's load and finishing steps (the text index on disk
                                         written on a first start, found whole on the next), then each
                                         query typed one character at a time: parse_query + Store.select
    headless.py listing ARCH OUT [CACHE_DIR]   write the archive's papers as one arXiv listing e-mail
    headless.py info                     Python and Textual versions
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import resource
import statistics
import sys
import textwrap
import time

QUERIES = {
    "title": ["title:mixture"],
    "fielded": ["cat:cs.CL", "score>=80", "author:zhao"],
    "full-text": ["mixture", "预训练"],
}
"""Typed one character at a time; each kind's median and worst are over every prefix that parses."""
_FIELDED = re.compile(r"[:<>=]")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def archive_files(arch: str) -> tuple[int, int]:
    """(files, bytes) of what the loader reads under ARCH."""
    from digest_tui.core.loading.loader import iter_files

    files = [item for item in iter_files([arch]) if isinstance(item, str)]
    return len(files), sum(os.path.getsize(f) for f in files)


def timed_load(arch: str, cache_dir: str | None):
    """LoadSession.run(): the load, the snapshot and every text read in, without the search index."""
    from digest_tui.core.loading.cache import ParseCache
    from digest_tui.core.loading.session import LoadSession

    cache = ParseCache(cache_dir) if cache_dir else None
    t0 = time.perf_counter()
    session = LoadSession([arch], cache=cache)
    report = session.run()
    return session.store, report, time.perf_counter() - t0


def rss_now_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def cmd_load(arch: str, cache_dir: str) -> dict:
    t0 = time.perf_counter()
    import digest_tui.core.loading.session  # noqa: F401 — import cost kept out of the load time

    import_s = time.perf_counter() - t0
    rss_before = rss_now_mb()
    store, report, seconds = timed_load(arch, cache_dir)
    files, size = archive_files(arch)
    return {
        "seconds": seconds,
        "import_s": import_s,
        "files": files,
        "bytes": size,
        "mb_per_s": size / 1e6 / seconds,
        "papers": len(store),
        "files_loaded": report.files,
        "problems": len(report.problems),
        "first_problems": [str(p) for p in report.problems[:3]],
        "peak_rss_mb": peak_rss_mb(),
        "rss_before_mb": rss_before,
    }


def cmd_filter(arch: str, cache_dir: str) -> dict:
    """The reader's path: LoadSession.load() then finish() (the steps its workers iterate: the
    search-index columns, the snapshot, the text index on disk written or found whole), then
    each query typed one character at a time. `ready_s`: from the start until finish() says
    "ready" (any filter answered without a column to make first); `finished_s`: all its steps."""
    from digest_tui.core.library import NO_MARK
    from digest_tui.core.loading.cache import ParseCache
    from digest_tui.core.loading.session import LoadSession
    from digest_tui.core.query import QueryError, parse_query

    t0, cpu0 = time.perf_counter(), time.process_time()
    session = LoadSession([arch], cache=ParseCache(cache_dir))
    for _event in session.load():
        pass
    out: dict = {"load_s": time.perf_counter() - t0, "rss_after_load_mb": peak_rss_mb()}
    steps: dict[str, float] = {}
    last = time.perf_counter()
    for step in session.finish():
        now = time.perf_counter()
        steps[step] = steps.get(step, 0.0) + now - last
        last = now
        if step == "ready":  # any filter is answered without a column to make first
            out["ready_s"], out["ready_cpu_s"] = now - t0, time.process_time() - cpu0
    out["finished_s"], out["finished_cpu_s"] = time.perf_counter() - t0, time.process_time() - cpu0
    out["finish_steps_s"] = steps
    store = session.store
    out["papers"] = len(store)
    out["text_index"] = store.texts is not None and store.texts_synced
    out["rss_after_docs_mb"] = peak_rss_mb()

    def mark_of(key: str):
        return NO_MARK

    kinds: dict = {}
    for kind, queries in QUERIES.items():
        times: list[float] = []
        typed = []
        for text in queries:
            steps = []
            for end in range(1, len(text) + 1):
                prefix = text[:end]
                t0 = time.perf_counter()
                try:
                    rows = store.select(parse_query(prefix), mark_of, "date")
                except QueryError as error:
                    steps.append({"typed": prefix, "s": time.perf_counter() - t0, "error": str(error)})
                    continue
                seconds = time.perf_counter() - t0
                steps.append({"typed": prefix, "s": seconds, "shown": len(rows)})
                times.append(seconds)
            typed.append({"query": text, "shown": steps[-1].get("shown"), "steps": steps})
        # once the field name is complete (`title:m`, `score>=8`), as opposed to the plain words
        # (`tit`, `scor`) typed on the way there, which search the full text
        fielded = [step["s"] for q in typed for step in q["steps"] if "shown" in step and _FIELDED.search(step["typed"])]
        kinds[kind] = {
            "median_s": statistics.median(times) if times else None,
            "worst_s": max(times) if times else None,
            "keystrokes": len(times),
            "field_median_s": statistics.median(fielded) if fielded else None,
            "field_worst_s": max(fielded) if fielded else None,
            "queries": typed,
        }
    out["filter"] = kinds
    out["peak_rss_mb"] = peak_rss_mb()
    return out


# -- one arXiv listing e-mail ------------------------------------------------------------------

DASHES = "-" * 78
_RISKY_LINE = re.compile(r"^(?:arXiv:|\\\\|-{20,}|%+-)")


def _wrapped(label: str, value: str) -> list[str]:
    """`Label: value` wrapped at 78 columns with two-space continuation lines, as arXiv mails it."""
    return textwrap.wrap(
        f"{label}: {value}", width=78, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    ) or [f"{label}: "]


def _abstract(text: str) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if paragraph.strip():
            lines += textwrap.wrap(paragraph, width=80, initial_indent="  ", break_long_words=False, break_on_hyphens=False)
    # a wrapped line must not look like the start of an entry, an abstract delimiter or a separator
    return [" " + line if _RISKY_LINE.match(line) else line for line in lines]


def _mail_date(iso: str | None) -> str:
    try:
        day = dt.date.fromisoformat(iso or "")
    except ValueError:
        day = dt.date(2026, 6, 18)
    return day.strftime("%a, %d %b %Y") + " 17:59:59 GMT"


def cmd_listing(arch: str, out_path: str, cache_dir: str | None) -> dict:
    """Every paper as one entry. The format has no room for papers without an arXiv id (the HF text
    pages give none): they get made-up ids `29MM.NNNNN` (a range the synthetic archive never uses);
    an entry without authors or categories gets `Authors: (not listed)` (our parser drops text in
    parentheses) and `Categories: unknown`, since the peer's parser needs both lines."""
    store, report, load_s = timed_load(arch, cache_dir)
    synthetic = 0
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write("From: no-reply@arxiv.org\nSubject: cs daily Subj-class mailing (digest-tui benchmark)\n\n")
        out.write("Submissions to:\nComputation and Language\n")
        for row in store.ordered("date"):
            paper = store.papers[row]
            arxiv_id = paper.id
            if arxiv_id is None:
                arxiv_id = f"29{(synthetic // 90000) % 12 + 1:02d}.{synthetic % 90000 + 10000:05d}"
                synthetic += 1
            lines = [DASHES, "\\\\", f"arXiv:{arxiv_id}", f"Date: {_mail_date(paper.date)}   (42kb)", ""]
            lines += _wrapped("Title", paper.title_en or paper.title_zh or "(untitled)")
            lines += _wrapped("Authors", ", ".join(paper.authors) if paper.authors else "(not listed)")
            lines.append("Categories: " + (" ".join(paper.categories) if paper.categories else "unknown"))
            if paper.comments:
                lines += _wrapped("Comments", paper.comments)
            if paper.journal_ref:
                lines += _wrapped("Journal-ref", paper.journal_ref)
            lines.append("\\\\")
            lines += _abstract(paper.abstract_en or paper.abstract_zh or "")
            lines.append(f"\\\\ ( https://arxiv.org/abs/{arxiv_id} ,  42kb)")
            out.write("\n".join(lines) + "\n")
        out.write(DASHES + "\n")
    return {"papers": len(store), "synthetic_ids": synthetic, "bytes": os.path.getsize(out_path), "load_s": load_s}


def cmd_info() -> dict:
    from importlib.metadata import version

    return {"python": sys.version.split()[0], "textual": version("textual"), "digest_tui": version("digest-tui")}


def main(argv: list[str]) -> int:
    command, args = argv[0], argv[1:]
    if command == "load":
        result = cmd_load(*args)
    elif command == "filter":
        result = cmd_filter(*args)
    elif command == "listing":
        result = cmd_listing(args[0], args[1], args[2] if len(args) > 2 else None)
    elif command == "info":
        result = cmd_info()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
