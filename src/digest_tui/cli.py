"""Command line: `digest-tui [PATH...]` opens the reader; `dump`, `export` and `fetch` work headless."""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import operator
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import msgspec

from . import __version__
from .core.loading.session import LoadReport, LoadSession, default_cache, load
from .core.model import Paper, abs_url
from .core.index import make_doc
from .core.paths import demo_dir
from .core import forked
from .core.jsonout import Finder, joined
from .core.text import clean, path_text
from .core.model import SORTS
from .core.store import Store

PROG = "digest-tui"
FRAMES_PER_SECOND = 120
"""Textual's limit on screen updates (60 by default; TEXTUAL_FPS, if set, wins): after a big one
(the filter bar opening, a new paper in the detail) the next may come only at the next frame's
time, and the first key typed into the bar showed 18-33 ms after it was typed, 7-19 ms at 120."""

DUMP_KEYS = (
    "id", "url", "title_en", "title_zh", "authors", "author_count", "institutions", "categories",
    "date", "announce_type", "score", "upvotes", "topic", "summary_zh", "comments", "journal_ref", "doi",
    "abstract_zh", "abstract_en", "organization", "github_repo", "ai_sections", "sources",
)  # fmt: skip


_DUMP_VALUES = operator.attrgetter(*DUMP_KEYS)


def paper_json(paper: Paper) -> dict:
    """One paper as `dump` prints it: exactly DUMP_KEYS, null or [] where unknown; the values of
    export.common.paper_values (tuples left as tuples: JSON writes them as the same arrays)."""
    values = dict(zip(DUMP_KEYS, _DUMP_VALUES(paper)))
    values["sources"] = [{"file": path_text(source.file), "format": source.format} for source in paper.sources]
    values["ai_sections"] = dict(paper.ai_sections)
    return values


def warn(message: str) -> None:
    """One line on stderr; a file name or message with controls in it cannot break the line or the terminal."""
    print(f"{PROG}: {clean(path_text(message))}", file=sys.stderr)


_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]")
"""Characters JSON may carry raw but a terminal acts on (C1 controls such as CSI, bidi overrides):
written as \\uXXXX escapes, which keeps the JSON the same data. write_json_array looks for them
in the bytes it writes (jsonout.Finder), and only a chunk that holds one is searched as text."""


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(text: str) -> str:
    """JSON text with the characters a terminal acts on written as \\uXXXX escapes."""
    if text.isprintable() or not _JSON_UNSAFE.search(text):  # all of them are unprintable; the test is 2x faster
        return text
    return _JSON_UNSAFE.sub(_escape, text)


def report_problems(report: LoadReport) -> None:
    for problem in report.problems:
        warn(str(problem))


def _paths(args: argparse.Namespace) -> list[str]:
    paths = list(args.paths)
    if args.demo:
        paths.append(str(demo_dir()))
    return paths


QUERY_OPTIONS = ("--query", "-q")


def _attach_query(argv: Sequence[str]) -> list[str]:
    """`--query -cat:cs.LG` as `--query=-cat:cs.LG`: a query's NOT (`-term`) would otherwise look
    like an option to argparse, which then says "expected one argument"."""
    out: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--":
            out.append(arg)
            out.extend(args)
            break
        if arg in QUERY_OPTIONS:
            value = next(args, None)
            out.append(arg if value is None else f"--query={value}")
        else:
            out.append(arg)
    return out


def dump_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} dump", description="Print the merged papers of the given digests as a JSON array."
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (read recursively)")
    parser.add_argument("--demo", action="store_true", help="include the built-in demo digests")
    parser.add_argument("--query", "-q", metavar="Q", help="only papers matching this filter query")
    parser.add_argument("--sort", choices=SORTS, default="date", help="order of the papers (default: date)")
    args = parser.parse_args(_attach_query(argv))
    paths = _paths(args)
    if not paths:
        parser.error("give at least one PATH, or --demo")
    query = _query_argument(args.query)
    if query is False:
        return 2
    store, report = load(paths, cache=default_cache(), texts=False)  # each part's texts come in as it is written
    _kept.append(store)
    report_problems(report)
    if report.files == 0:
        warn("no papers could be read")
        return 1
    mark_of = _library_marks() if query is not None else None
    rows = store.select(query, mark_of, args.sort) if query is not None else store.ordered(args.sort)
    with _writing_stdout():
        write_json_array(store, rows)
    return 0


class StdoutFailed(Exception):
    """Standard output could not be written (a full disk, a closed terminal); the message says why."""


@contextlib.contextmanager
def _writing_stdout():
    """Writing to standard output: a failed write (no space left, an I/O error) becomes
    StdoutFailed, which main() reports on one line; what is still buffered is dropped, so the
    interpreter's last flush at exit does not fail again with a traceback of its own."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass
        raise StdoutFailed(f"cannot write to standard output: {error.strerror or error}") from None


def _query_argument(text: str | None):
    """The parsed --query (None without one), or False after saying what is wrong with it."""
    if not text:
        return None
    from .core.query import QueryError, parse_query

    try:
        return parse_query(text)
    except QueryError as error:
        warn(f"--query: {error}")
        return False


def _library_marks():
    from .core.library import Library
    from .core.paths import library_file

    library = Library.load(library_file())
    if getattr(library, "notice", None):
        warn(library.notice)
    return library.mark


def write_json_array(store: Store, rows: list[int], out=None) -> None:
    """Stream the papers as a JSON array, one object per paper on a line of its own, BATCH papers
    (about a megabyte) at a time: the bytes json.dumps(ensure_ascii=False) gives for each
    paper_json(), made by core.jsonout from _DumpRecords (msgspec lays a struct out faster than
    a dict), each paper alone into one reused buffer (jsonout.joined), and through json_safe
    only for a batch that holds a character it escapes (rare: _UNSAFE_FOUND looks at the
    batch's bytes); made in parts on every CPU (core.forked)."""
    if out is None:
        sys.stdout.flush()
        out = sys.stdout.buffer
    if not rows:
        out.write(b"[]\n")
        out.flush()
        return
    for piece in forked.pieces(lambda start, stop: _json_pieces(store, rows, start, stop), len(rows), BATCH):
        out.write(piece)
    out.flush()


def _json_pieces(store: Store, rows: list[int], start: int, stop: int) -> Iterator[bytes]:
    """The array's bytes for rows[start:stop], as they are within the whole (forked.pieces),
    their long texts brought in first (in a forked copy, into its own memory)."""
    store.fill_texts_of(rows[start:stop])
    papers = store.papers
    sources_of: dict[tuple, list[dict]] = {}  # the papers of one file share one tuple of sources
    record, rest = _DumpRecord, _DUMP_REST
    for at in range(start, stop, BATCH):
        batch = []
        for row in rows[at : min(at + BATCH, stop)]:
            paper = papers[row]
            sources = sources_of.get(paper.sources)
            if sources is None:
                sources = sources_of[paper.sources] = _sources_json(paper.sources)
            arxiv_id = paper.id
            batch.append(record(arxiv_id, abs_url(arxiv_id) if arxiv_id else None, *rest(paper), dict(paper.ai_sections), sources))
        yield b"[\n" if at == 0 else b",\n"
        yield _json_safe_chunk(joined(batch, b",\n"))  # a paper a line
    if stop == len(rows):
        yield b"\n]\n"


BATCH = 256
"""Papers write_json_array encodes in one call and writes at once: about a megabyte."""


_DumpRecord = msgspec.defstruct("_DumpRecord", [(name, object) for name in DUMP_KEYS])
"""paper_json() as a struct: the same fields in the same order, written as the same JSON object."""
_DUMP_REST = operator.itemgetter(*[Paper._fields.index(name) for name in DUMP_KEYS[2:-2]])
"""The Paper fields from DUMP_KEYS' third to its last two (id and url come first; ai_sections and
sources, last, are turned into tables)."""
assert DUMP_KEYS[:2] == ("id", "url") and DUMP_KEYS[-2:] == ("ai_sections", "sources")


def _sources_json(sources) -> list[dict]:
    return [{"file": path_text(source.file), "format": source.format} for source in sources]


_UNSAFE_FOUND = Finder(_JSON_UNSAFE)


def _json_safe_chunk(data: bytes) -> bytes:
    """Whole papers' JSON (and the array's punctuation) through json_safe, when it holds a
    character json_safe escapes: each character is escaped alone, so a chunk's escapes are its
    papers'."""
    return json_safe(data.decode("utf-8")).encode("utf-8") if _UNSAFE_FOUND(data) else data


def export_main(argv: Sequence[str]) -> int:
    from .core import export
    from .core.library import Library
    from .core.paths import library_file

    parser = argparse.ArgumentParser(
        prog=f"{PROG} export",
        description="Export papers from your library (stars, tags, notes) without opening the reader.",
        epilog="The papers' full records (abstracts, comments) come from the PATHs given, else from the "
        "`folders` in config.toml, as the reader reads them; papers found in neither come from the "
        "snapshots the library keeps of starred, tagged and noted papers. Citation keys are made once "
        "per paper and kept in library.toml. Formats: "
        + "; ".join(f"{f.name} ({', '.join(f.suffixes) or 'a folder'})" for f in export.FORMATS) + ".",
    )
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--starred", action="store_true", help="the starred papers")
    scope.add_argument("--tag", metavar="T", help="the papers tagged T")
    scope.add_argument("--query", "-q", metavar="Q", help="the papers matching a filter query")
    parser.add_argument("--format", "-f", choices=export.NAMES, help="output format (default: from -o's suffix)")
    parser.add_argument("-o", "--output", metavar="FILE", default="-",
                        help="write to FILE (atomically), or the notes to a FOLDER for obsidian; - (the default) is standard output")
    parser.add_argument("--name", help="the list name written into toml and md exports")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders to take full records from")
    parser.add_argument("--demo", action="store_true", help="include the built-in demo digests")
    args = parser.parse_args(_attach_query(argv))
    to_stdout = args.output == "-"
    fmt = args.format or (None if to_stdout else getattr(export.by_suffix(args.output), "name", None))
    if fmt is None:
        where = "standard output" if to_stdout else f"{args.output!r}"
        parser.error(f"say which format to write to {where} with --format (known: {', '.join(export.NAMES)})")
    if to_stdout and export.get(fmt).folder:
        parser.error(f"the {fmt} export writes a folder of notes: give it with -o FOLDER")
    query = _query_argument(args.query)
    if query is False:
        return 2
    library = Library.load(library_file())
    if library.notice:
        warn(library.notice)
    store = _export_store(args)
    live = {paper.key: paper for paper in store.papers}
    if query is not None:
        keys = [store.papers[row].key for row in store.select(query, library.mark)]
        known = set(keys)
        kept = [key for key in library.kept_keys() if key not in known]
        keys += [key for key in kept if query.match(make_doc(library.paper(key)), library.mark(key))]
        what = export.scope_label("view", view=args.query)
    else:
        chosen = "tag" if args.tag else "starred"
        keys, what = export.scope_keys(library, chosen, args.tag), export.scope_label(chosen, args.tag)
    records = library.records(keys, live=live)
    if not records:
        warn(f"nothing to export: no {what} (library: {library.path})")
        return 1
    name = args.name or (what if to_stdout else Path(args.output).stem)
    list_query = args.query or export.scope_query("tag" if args.tag else "starred", args.tag)
    citekeys = export.citekeys(records, library, fmt)
    texts = functools.partial(_with_texts, store)
    if library.save_notice:
        warn(library.save_notice)
    try:
        if to_stdout:
            sys.stdout.flush()
            with _writing_stdout():
                for piece in export.chunks(records, fmt, keys=citekeys, name=name, query=list_query, texts=texts):
                    sys.stdout.buffer.write(piece)  # bytes: the same as the file would hold, BOM and line ends
                sys.stdout.buffer.flush()
        else:
            done = export.write(records, fmt, args.output, keys=citekeys, name=name, query=list_query, texts=texts)
            warn(f"exported {done}")
    except export.ExportError as error:
        warn(str(error))
        return 1
    return 0


def fetch_main(argv: Sequence[str]) -> int:
    from .core import fetch
    from .core.config import load_config
    from .core.paths import config_file

    parser = argparse.ArgumentParser(
        prog=f"{PROG} fetch",
        description="Download the day's arXiv feed and Hugging Face daily papers into your digest folder.",
        epilog="Sources, categories and URLs come from the [fetch] table of config.toml. Exit status: 0 when "
        "every source answered, 1 when some did, 2 when none did.",
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="arxiv and/or hf (default: every source configured)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", type=_iso_day, help="the listing day (default: today)")
    parser.add_argument("--to", metavar="DIR", help="write here instead of the first folder in config.toml")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sources if name not in fetch.SOURCES]
    if unknown:
        parser.error(f"unknown source {unknown[0]!r} (known: {', '.join(fetch.SOURCES)})")
    config_path = config_file()
    config, problems = load_config(config_path)
    for problem in problems:
        warn(problem)
    folder = Path(args.to).expanduser() if args.to else None
    return run_fetch(config, config_path, folder, args.date, args.sources)


def run_fetch(config, config_path: Path, folder: Path | None = None, day=None, sources: Sequence[str] = ()) -> int:
    """Fetch into `folder` (else the first configured folder), one line per source; 0, 1 or 2 as
    every, some or no source answered. A named `day` is the listing day a feed must hold."""
    import datetime as dt

    from .core import fetch
    from .core.paths import cache_dir

    folder = folder or next(iter(config.folder_paths()), None)
    if folder is None:
        warn(f"fetch: nowhere to write: give --to DIR or set `folders` in {config_path}")
        return 2
    plan = fetch.targets(config.fetch, day or dt.date.today(), sources)
    if not plan:
        warn(f"fetch: no source configured: set arxiv categories or hf = true in [fetch] of {config_path}")
        return 2
    answered = 0
    for outcome in fetch.fetch(config.fetch, folder, day, sources, state_path=cache_dir() / fetch.STATE_FILE,
                               exact_day=day is not None):
        if outcome.ok:
            answered += 1
            print(clean(outcome.line()), flush=True)
        else:
            warn(outcome.line())
    return 0 if answered == len(plan) else 1 if answered else 2


def ledger_main(argv: Sequence[str]) -> int:
    from .core.config import load_config
    from .core.ledger import format_table, ledger_of, table
    from .core.paths import config_file

    parser = argparse.ArgumentParser(
        prog=f"{PROG} ledger",
        description="For each listing day and category: the papers arXiv announced (new, cross-list, replacement) "
        "in the arXiv feeds and listing e-mails loaded, how many of them the other digests carry, how many you "
        "have read and how many are left.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (default: the folders in config.toml)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", type=_iso_day, help="only this listing day")
    args = parser.parse_args(argv)
    config_path = config_file()
    config, problems = load_config(config_path)
    for problem in problems:
        warn(problem)
    paths = list(args.paths) or [str(folder) for folder in config.folder_paths()]
    if not paths:
        parser.error(f"give digest files or folders, or set `folders` in {config_path}")
    cache = default_cache()
    store, report = load(paths, cache=cache, texts=False)  # it counts papers by key and file: no long text is read
    report_problems(report)
    marks = _library_marks()
    ledger = ledger_of(store, marks, config.fetch.arxiv, cache)
    day = args.date.isoformat() if args.date else None
    cells = table(ledger, day)
    if len(cells) == 1:
        where = f" for {day}" if day else ""
        warn(f"no arXiv feed or listing e-mail loaded{where}: nothing to count (digest-tui fetch arxiv gets today's)")
        return 1
    sys.stdout.write(clean(format_table(cells), newlines=True))
    for key, replaced_on in ledger.replaced.items():
        row = store.row(key)
        title = store.papers[row].title if row is not None else key
        print(clean(f"starred, replaced on {replaced_on}: {key} {title}"))
    return 0


def _iso_day(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _export_store(args: argparse.Namespace) -> Store:
    """The papers `export` takes full records from: the PATHs, else config.toml's folders, else none."""
    paths = _paths(args)
    if not paths:
        from .core.config import load_config
        from .core.paths import config_file

        config, _problems = load_config(config_file())  # the reader shows these; here they change nothing
        paths = [str(folder) for folder in config.folder_paths() if folder.exists()]
        if not paths:
            return Store()
    store, report = load(paths, cache=default_cache(), texts=False)  # brought in part by part (_with_texts)
    _kept.append(store)
    report_problems(report)
    return store


def _with_texts(store: Store, records: list) -> list:
    """The records with their store papers' long texts brought in (export.chunks' `texts`)."""
    rows = [store.row(paper.key) for paper, _ in records]
    store.fill_texts_of([row for row in rows if row is not None])
    papers = store.papers
    return [
        (papers[row], mark) if row is not None and papers[row].key == paper.key else (paper, mark)
        for (paper, mark), row in zip(records, rows)
    ]


def tui_main(argv: Sequence[str]) -> int:
    from .terminal import read_keys_apart

    app = reader_app(argv, needs_terminal=True)
    read_keys_apart()
    app.run()
    app.session.snapshot_apart()  # a load snapshot the user quit before: the next start stays warm
    for notice in app.exit_notices:
        warn(notice)
    return app.return_code or (1 if app.lost_changes else 0)


def _check_terminal() -> None:
    """Exit 2, saying why, when standard input or output is not a terminal: without one, Textual's
    driver waits on a stream that never answers, at full CPU."""
    missing = [name for name, stream in (("input", sys.stdin), ("output", sys.stdout))
               if stream is None or not stream.isatty()]
    if missing:
        warn(f"the reader needs a terminal, and standard {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
             f"not one; without a terminal use '{PROG} dump' or '{PROG} export' (see --help)")
        raise SystemExit(2)


def reader_app(argv: Sequence[str], *, needs_terminal: bool = False):
    """The reader as the command line and config.toml set it up (not yet running); exits with a
    usage message when there is nothing to open, and (`needs_terminal`) when there is no terminal
    to run in: checked once the arguments are read (--help and --version answer anywhere), before
    anything is loaded, fetched or imported."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A terminal reader for daily research-paper digests.",
        epilog=f"Headless: '{PROG} dump --help', '{PROG} export --help', '{PROG} fetch --help', '{PROG} ledger --help'.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (read recursively)")
    parser.add_argument("--demo", action="store_true", help="open the built-in demo digests")
    parser.add_argument("--list", metavar="FILE", help="load a saved reading list (TOML) and show its papers")
    parser.add_argument("--no-watch", action="store_true", help="do not watch the folders read for new or changed files")
    parser.add_argument("--fetch", action="store_true",
                        help="first download today's digests ([fetch] in config.toml) into the first of `folders`")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    args = parser.parse_args(argv)
    if needs_terminal:
        _check_terminal()
    from .core.config import load_config
    from .core.paths import config_file

    config_path = config_file()
    config, problems = load_config(config_path)
    if args.fetch:
        run_fetch(config, config_path)  # its lines stay on the terminal the reader returns to
    paths = _paths(args)
    from_config = not paths and not args.list
    if from_config:
        paths = [str(folder) for folder in config.folder_paths()]
        if not paths:
            parser.error(f"give digest files or folders to read, --demo, or --list FILE "
                         f"(or set `folders` in {config_path})")
    # every folder read is watched (the config's, or those named here), except the built-in demo
    demo = str(demo_dir())
    watch = [] if args.no_watch else [p for p in paths if p != demo and Path(p).is_dir()]
    session = LoadSession(paths, cache=default_cache())
    if not args.list:  # a reading list's papers go in first: the snapshot (for an empty store) is no use
        session.find_in_background()  # while Textual is imported
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))  # read as Textual is imported
    from .app import DigestApp

    return DigestApp(
        paths, reading_list=args.list, language=config.language, side_by_side=config.side_by_side, sort=config.sort,
        pane_split=config.pane_split, theme=config.theme,
        mark_read_after=config.mark_read_after, keymap=config.keymap, searches=config.searches, watch=watch,
        start_on_unread_day=from_config, config_path=config_path, config_problems=problems, session=session,
        fetch=config.fetch, fetch_folder=next(iter(config.folder_paths()), None),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (`argv`, else the program's arguments). Run as the program, `dump`
    and `export` run without cyclic garbage collection (~0.1 s at 100k papers: the collections
    after the load walk every record and key made for the output, and find nothing) and end the
    process as soon as their output is out (end_at_once)."""
    argv, program = list(sys.argv[1:] if argv is None else argv), argv is None
    once = program and argv[:1] in (["dump"], ["export"])
    if once:
        gc.disable()  # nothing they make after the load is a cycle: a collection would only walk it
    try:
        code = _run(argv)
        if once:
            end_at_once(code)
        return code
    finally:
        _kept.clear()


_kept: list[Store] = []
"""The stores `dump` and `export` loaded, held until main() returns: the program ends at once
(end_at_once) with them still held, instead of freeing every paper and text one by one when
the command's function returns (~0.1 s of CPU at 100k papers)."""


def _run(argv: list[str]) -> int:
    try:
        if argv[:1] == ["dump"]:
            return dump_main(argv[1:])
        if argv[:1] == ["export"]:
            return export_main(argv[1:])
        if argv[:1] == ["fetch"]:
            return fetch_main(argv[1:])
        if argv[:1] == ["ledger"]:
            return ledger_main(argv[1:])
        return tui_main(argv)
    except BrokenPipeError:
        sys.stderr.close()  # a closed pipe (`| head`) is not an error worth a traceback
        return 0
    except StdoutFailed as error:
        warn(str(error))
        return 1
    except KeyboardInterrupt:
        return 130


def end_at_once(code: int) -> None:
    """End the process with `code` once standard output and error are flushed, without freeing
    every object first: at 100k papers that is ~0.15 s of CPU (~1.5 s at 1M) the prompt would
    wait for after the last byte is written, and nothing is left to do by then (the output is
    flushed, the library and cache files are written and closed, the parsing processes ended:
    what the interpreter's exit would add is only the freeing)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and not stream.closed:
                stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe or a full disk, already said
    os._exit(code)
