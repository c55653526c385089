"""The text index on disk (SQLite FTS5 trigrams): the same rows as the in-memory search for every query the tests use, and a file trusted only for what it is."""

from __future__ import annotations

import ast
import os
from contextlib import closing
import shutil
import sqlite3
import zlib
from pathlib import Path

import pytest

from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.session import LoadSession, load
from digest_tui.core.loading import snapshot
from digest_tui.core.loading.snapshot import text_index_path
from digest_tui.core.model import Mark
from digest_tui.core.query import QueryError, parse_query
from digest_tui.core.textindex import COLUMNS, TextIndex, available

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures"
pytestmark = pytest.mark.skipif(not available(), reason="this Python's SQLite has no FTS5 trigram tokenizer")


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _strings(node: ast.AST) -> list[str]:
    return [child.value for child in ast.walk(node) if isinstance(child, ast.Constant) and isinstance(child.value, str)]


def queries_in_the_tests() -> list[str]:
    """Every query string the test suite writes out: the first argument of parse_query() and of
    type_text() (the filter typed in the app), a value after `--query`/`-q` on a command line, and
    the parametrized values of test files that parse a query handed to them."""
    found: dict[str, None] = {}
    for path in sorted(TESTS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parses_a_name = False
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in ("parse_query", "type_text") and node.args:
                argument = node.args[-1] if _name(node.func) == "type_text" else node.args[0]
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found[argument.value] = None
                elif isinstance(argument, ast.Name) and _name(node.func) == "parse_query":
                    parses_a_name = True
            if isinstance(node, (ast.List, ast.Tuple)):
                values = node.elts
                for flag, value in zip(values, values[1:]):
                    if isinstance(flag, ast.Constant) and flag.value in ("--query", "-q") and isinstance(value, ast.Constant):
                        found[str(value.value)] = None
        if parses_a_name:
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _name(node.func) == "parametrize":
                    found.update(dict.fromkeys(_strings(node)))
    queries = []
    for text in found:
        try:
            query = parse_query(text)
        except QueryError:
            continue
        if query.texts:  # the others never reach the text index
            queries.append(text)
    return queries


QUERIES = queries_in_the_tests()


def test_the_tests_give_many_queries_that_search_long_texts():
    assert len(QUERIES) > 100
    assert {"mixture", "预训练", "inst:tsinghua", "has:zh"} & set(QUERIES)


def marks(key: str) -> Mark:
    """Some papers starred, read or tagged (by their key), so queries on marks select something."""
    number = sum(map(ord, key))
    return Mark(starred=number % 3 == 0, read=number % 5 == 0, tags=("moe",) if number % 7 == 0 else ())


def both_paths(paths: list[Path], tmp_path: Path):
    """A store searching in memory (no cache: every text in the papers) and one searching the
    text index on disk, from a warm start (texts pending in the parse cache)."""
    in_memory, _report = load(paths)
    assert in_memory.texts is None
    LoadSession(paths, cache=ParseCache(tmp_path / "cache")).run()
    session = LoadSession(paths, cache=ParseCache(tmp_path / "cache"))
    for _ in session.load():
        pass
    for _ in session.finish():
        pass
    on_disk = session.store
    assert on_disk.texts is not None and on_disk.texts_synced and on_disk.texts_pending
    assert on_disk.texts.rows == len(on_disk.papers)
    return in_memory, on_disk


def assert_same_rows(in_memory, on_disk, queries):
    assert [paper.key for paper in in_memory.papers] == [paper.key for paper in on_disk.papers]
    matched = 0
    for at, text in enumerate(queries):
        query = parse_query(text)
        for sort in ("date", "title") if at % 10 == 0 else ("date",):  # the order is the store's either way
            expected = in_memory.select(query, marks, sort)
            assert on_disk.select(query, marks, sort) == expected, (text, sort)
            matched += bool(expected)
    return matched


def test_every_query_of_the_tests_selects_the_same_rows_in_memory_and_on_disk_real_digests(shared_digests, tmp_path):
    in_memory, on_disk = both_paths([shared_digests], tmp_path)
    assert len(on_disk.papers) > 9000
    assert assert_same_rows(in_memory, on_disk, QUERIES) > 50  # and many of them find papers
    # ORs long enough to be merged into one pattern in memory (and many statements on disk)
    words = sorted({word for paper in in_memory.papers[:400] for word in (paper.abstract_en or "").split()[:8] if word.isalpha() and word.casefold() not in ("and", "or", "not")})
    assert len(words) > 500
    long_or = [" OR ".join(words), " OR ".join(f"abstract:{word}" for word in words[:50]), "inst:学 OR inst:univ OR inst:ai OR inst:x"]
    assert assert_same_rows(in_memory, on_disk, long_or) == len(long_or) + 1  # each finds papers (the first in two sorts)
    assert not any(on_disk.papers[row].abstract_en for row in range(len(on_disk.papers)))  # none read in


def test_every_query_of_the_tests_selects_the_same_rows_in_memory_and_on_disk_fixtures(tmp_path):
    in_memory, on_disk = both_paths([FIXTURES], tmp_path)
    assert assert_same_rows(in_memory, on_disk, QUERIES) > 20
    # needles of one or two characters (`shorts`, and the rows without one found in most rows)
    needles = ["m", "mi", "ti", "e", "预", "预训", "型", "s", "z", "q", "7", ".", "学", "ua", "a "]
    fields = ["", "title:", "author:", "inst:", "abstract:", "-", "id:"]
    short = [f'{field}"{needle}"' for needle in needles for field in fields] + ["m OR 预", "e -title:e", "has:zh ti", "m mi"]
    assert assert_same_rows(in_memory, on_disk, short) > 40


def finished(paths: list[Path], cache: ParseCache) -> LoadSession:
    """A load session of these paths through `cache`, loaded and its finishing steps done (the
    text index written or found whole), as the reader leaves it."""
    session = LoadSession(paths, cache=cache)
    for _ in session.load():
        pass
    for _ in session.finish():
        pass
    return session


def texts(row: int, en: str = "", zh: str = "", inst: str = "", titles: str = "") -> tuple:
    """A row of text-index values (textindex.COLUMNS) with these abstracts, institutions and titles."""
    values = {"abstract_en": en, "abstract_zh": zh, "inst": inst, "titles": titles}
    return (row, *(values.get(name, "") for name in COLUMNS))


def test_needles_of_one_and_two_characters_and_at_the_end_of_a_value(tmp_path):
    index = TextIndex(str(tmp_path / "t"))
    index.put([texts(0, "mixture of experts", "", "tsinghua\npeking"), texts(1, "", "预训练模型", ""), texts(2, "ab", "", "x")])
    columns = ("abstract_en", "abstract_zh")
    assert index.search(columns, ["s"]) == {0}  # the last character of a value
    assert index.search(columns, ["ts"]) == {0}
    assert index.search(columns, ["ab"]) == {2}  # a whole value of two characters
    assert index.search(columns, ["型"]) == {1} and index.search(columns, ["模型"]) == {1}
    assert index.search(("inst",), ["a"]) == {0} and index.search(("inst",), ["x"]) == {2}
    assert index.search(("inst",), ["ua"]) == {0}  # before the newline between two values
    assert index.search(("inst",), ["a p"]) == set()  # a phrase never spans two values
    assert index.search(columns, ["of ex", '"']) == {0}
    assert index.search(columns, ["zz", "训练模"]) == {1}
    assert index.having("abstract_en") == {0, 2} and index.having("abstract_zh") == {1}


def test_an_index_is_trusted_only_when_sealed_for_the_same_snapshot(tmp_path):
    path = str(tmp_path / "t")
    index = TextIndex(path)
    index.put([texts(0, "mixture"), texts(1, "experts")])
    index.seal((123, 456), 2)
    index.close()
    with closing(TextIndex(path, (123, 456))) as reopened:
        assert reopened.rows == 2 and reopened.search(("abstract_en",), ["mix"]) == {0}
    for other in [(123, 457), None]:  # another snapshot, or none: made again, empty
        with closing(TextIndex(path, other)) as reopened:
            assert reopened.rows == 0 and reopened.search(("abstract_en",), ["mix"]) == set()
    with closing(TextIndex(path, (123, 456))) as reopened:
        assert reopened.rows == 0  # and the old one is gone for good


def test_a_change_to_a_sealed_row_unseals_the_file_but_an_added_row_does_not(tmp_path):
    path = str(tmp_path / "t")
    index = TextIndex(path)
    index.put([texts(0, "mixture")])
    index.seal("s", 1)
    index.put([texts(1, "added later")])  # a paper added since (a new file): not part of "s"
    index.close()
    reopened = TextIndex(path, "s")
    assert reopened.rows == 1 and reopened.search(("abstract_en",), ["later"]) == set()  # dropped
    reopened.put([texts(0, "changed")])
    reopened.close()
    with closing(TextIndex(path, "s")) as again:
        assert again.rows == 0


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "empty"])
def test_a_damaged_or_foreign_file_is_made_again(tmp_path, damage):
    path = str(tmp_path / "t")
    index = TextIndex(path)
    index.put([texts(0, "mixture")])
    index.seal("s", 1)
    index.close()
    if damage == "garbage":
        Path(path).write_bytes(b"not a database at all" * 100)
    elif damage == "truncated":
        with open(path, "r+b") as handle:
            handle.truncate(os.path.getsize(path) // 2)
    elif damage == "foreign":
        os.remove(path)
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value)")
            connection.execute("INSERT INTO meta VALUES ('identity', 'x'), ('rows', 5)")
    else:
        Path(path).write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    reopened = TextIndex(path, "s")
    assert reopened.rows == 0
    reopened.put([texts(0, "experts")])
    assert reopened.search(("abstract_en",), ["expert"]) == {0}


def test_a_warm_start_trusts_the_index_and_a_changed_file_is_indexed_again(tmp_path):
    folder = tmp_path / "digests"
    shutil.copytree(FIXTURES, folder)
    cache = ParseCache(tmp_path / "cache")
    first = finished([folder], cache)
    path = text_index_path(cache, [str(folder)])
    assert os.path.exists(path)
    warm = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    first.store.texts.close()  # the reader quits
    for _ in warm.load():
        pass
    warm.close()  # collection back on (finish() would do it, after nothing to write)
    assert warm.store.texts.rows == len(warm.store.papers) and warm.store.texts_synced  # ready at once

    # a file changes under the reader: its papers leave, what it says now comes in
    changed = folder / "merge-a.txt"
    query = parse_query('"zebrafish origami"')
    assert warm.store.select(query, marks) == []
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("conclusions that were never reached", "conclusions that were never reached by zebrafish origami experts"), encoding="utf-8")
    warm.apply(warm.read_changes({str(changed)}))
    assert not warm.store.texts_synced  # the rows it changed wait for the next search
    in_memory, _report = load([folder])
    assert len(in_memory.select(query, marks)) == 1
    for text in ['"zebrafish origami"', "mixture", "has:en", "-has:zh", "inst:university", "a", "预训练", "summarisation"] + [
        "title:mixture", "title:a", "author:zhao", "author:li OR title:the", "inst:-", "title:-", "-title:-",
        "z", "zo", "m", "mi", "预", "inst:t", "abstract:d", "title:mi", "-e",  # one or two characters
    ]:  # fmt: skip
        query = parse_query(text)
        assert warm.store.select(query, marks) == in_memory.select(query, marks), text
    assert warm.store.texts_synced and warm.store.texts.rows == 0  # rows of the snapshot changed: unsealed


GROUPS = [
    ("titles", "authors", "id", "abstract_en", "abstract_zh"),  # a free word
    ("abstract_en", "abstract_zh"), ("inst",), ("titles",), ("authors",), ("id",),
    ("abstract_en",), ("titles", "abstract_en"),  # (what `shorts` cannot tell alone: the trigrams)
]  # fmt: skip
"""Column sets a text test searches (the first six: query.py's groups)."""


def every_row_with(rows: list[tuple], columns: tuple[str, ...], needle: str) -> set[int]:
    """What a search must find: the rows with the needle in any of these columns' values."""
    return {values[0] for values in rows if any(needle in values[1 + COLUMNS.index(name)] for name in columns)}


def some_rows(count: int, seed: int) -> list[tuple]:
    """Rows of text-index values from a small alphabet: Chinese, quotes, the fillers and marker of
    `shorts` (control characters a text may hold), values of one character, values joined by a
    newline; some letters in nearly every row, some in few."""
    import random

    chance = random.Random(seed)
    alphabet = "aaaaeeeeeemix 预训练模型\"'\x01\x02\x03\x06zq"
    rows = []
    for row in range(count):
        values = []
        for _name in COLUMNS:
            value = "".join(chance.choice(alphabet) for _ in range(chance.choice([0, 1, 2, 5, 12])))
            values.append(value + "\ntsinghua" if chance.random() < 0.2 else value)
        rows.append((row, *values))
    return rows


def needles_of(rows: list[tuple]) -> list[str]:
    """Every needle of one or two characters in these rows, and some in none."""
    found = {value[at : at + size] for values in rows for value in values[1:] for size in (1, 2) for at in range(len(value) - size + 1)}
    return sorted(found - {"\n"}, key=repr)[:400] + ["y", "预y", "ea", "a\x03", "\x03a"]


def assert_every_short_needle_found(index: TextIndex, rows: list[tuple]) -> int:
    """Search every needle of one or two characters in every column set; returns how many were in most rows."""
    now = {values[0]: values for values in rows}  # a row written twice: its last values
    rows = list(now.values())
    dense = 0
    for needle in needles_of(rows):
        if "\n" in needle:
            continue  # (no needle holds a newline: fold() makes whitespace one space)
        for columns in GROUPS:
            expected = every_row_with(rows, columns, needle)
            assert index.search(columns, [needle]) == expected, (needle, columns)
            dense += 2 * len(expected) > len(rows)
    return dense


def test_every_needle_of_one_or_two_characters_finds_the_rows_holding_it(tmp_path):
    rows = some_rows(120, seed=1)
    with closing(TextIndex(str(tmp_path / "t"))) as index:
        index.put(rows)
        assert assert_every_short_needle_found(index, rows) > 20  # in most rows: the rows without it, found


def test_rows_written_again_are_found_by_what_they_hold_now(tmp_path):
    rows = some_rows(80, seed=2)
    path = str(tmp_path / "t")
    index = TextIndex(path)
    index.put(rows)
    index.seal("s", 80)
    changed = [(row, *values[1:]) for row, *_old in rows[:30:3] for values in [some_rows(1, seed=100 + row)[0]]]
    index.put(changed)  # unsealed, and their old trigrams in `shorts` gone
    assert_every_short_needle_found(index, rows + changed)
    index.seal("t", 80)
    index.put(some_rows(90, seed=3)[80:])  # rows added after the seal: dropped when the file is opened again
    index.close()
    with closing(TextIndex(path, "t")) as reopened:
        assert reopened.rows == 80
        assert_every_short_needle_found(reopened, rows + changed)
        assert reopened.search(GROUPS[0], ["a"]) <= set(range(80))


def test_rows_never_written_are_not_found_by_a_needle_in_most_rows(tmp_path):
    path = str(tmp_path / "t")
    index = TextIndex(path)
    index.put([texts(0, "ab"), texts(1, "a"), texts(2, "a"), texts(5, "ba")])  # rows 3 and 4 never written
    assert index.search(GROUPS[1], ["a"]) == {0, 1, 2, 5} and index.search(GROUPS[1], ["b"]) == {0, 5}
    index.put([texts(row, "a") for row in range(1, 5)])
    assert index.search(GROUPS[1], ["a"]) == set(range(6))
    index.seal("s", 9)  # (more rows than were written: the rest have nothing)
    index.close()
    with closing(TextIndex(path, "s")) as reopened:
        assert reopened.rows == 9 and reopened.search(GROUPS[1], ["a"]) == set(range(6))


def test_a_short_needle_in_a_file_of_the_format_before_is_not_trusted(tmp_path):
    path = str(tmp_path / "t")
    index = TextIndex(path)
    index.put([texts(0, "mixture")])
    index.seal("s", 1)
    index.close()
    with sqlite3.connect(path) as connection:  # as format 3 wrote it: no `shorts`
        connection.execute("DROP TABLE short_vocabulary")
        connection.execute("DROP TABLE shorts")
        connection.execute("UPDATE meta SET value = 'digest-tui text index 3' WHERE key = 'format'")
    with closing(TextIndex(path, "s")) as reopened:
        assert reopened.rows == 0  # made again
        reopened.put([texts(0, "", "预训练"), texts(1, "mix")])
        assert reopened.search(GROUPS[1], ["预"]) == {0} and reopened.search(GROUPS[1], ["m"]) == {1}


def test_a_second_reader_on_the_same_archive_searches_in_memory_and_leaves_the_file_alone(tmp_path):
    folder = tmp_path / "digests"
    shutil.copytree(FIXTURES, folder)
    first = finished([folder], ParseCache(tmp_path / "cache"))
    assert first.store.texts is not None
    second = finished([folder], ParseCache(tmp_path / "cache"))
    assert second.store.texts is None  # refused the file: in memory, as without a cache
    query = parse_query("summarisation OR 模型 OR inst:univ")
    assert second.store.select(query, marks) == first.store.select(query, marks) != []
    first.store.texts.close()
    third = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in third.load():
        pass
    assert third.store.texts.rows == len(third.store.papers)  # still sealed: nobody wrote over it
    third.close()


def test_a_row_written_twice_in_one_batch_keeps_its_last_values(tmp_path):
    with closing(TextIndex(str(tmp_path / "t"))) as index:
        index.put([texts(0, "first"), texts(1, "other"), texts(0, "second")])
        assert index.search(("abstract_en",), ["first"]) == set()
        assert index.search(("abstract_en",), ["second"]) == {0}


def loaded_one_after_another(tmp_path: Path, cache: ParseCache, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """Each name a folder of one digest, loaded and finished in turn through `cache` (the reader
    quits after each), its snapshot made older than the next one's: (text index, snapshot) of each."""
    made = []
    for name in names:
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(FIXTURES / "merge-a.txt", folder)
        session = finished([folder], cache)
        session.store.texts.close()
        made.append((text_index_path(cache, [str(folder)]), snapshot.snapshot_path(cache, [str(folder)])))
        os.utime(made[-1][1], ns=(len(made), len(made)))  # the older, the first
    return made


def test_the_text_index_of_a_snapshot_pruned_away_goes_with_it(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "KEEP", 1)
    paths = [index for index, _snapshot in loaded_one_after_another(tmp_path, ParseCache(tmp_path / "cache"), ("one", "two"))]
    assert not os.path.exists(paths[0]) and os.path.exists(paths[1])
    assert not [name for name in os.listdir(os.path.dirname(paths[0])) if name.startswith(os.path.basename(paths[0]))]


def test_only_the_text_indexes_of_the_newest_snapshots_are_kept(tmp_path):
    # three path sets (or three versions of the snapshot code)
    made = loaded_one_after_another(tmp_path, ParseCache(tmp_path / "cache"), ("one", "two", "three"))
    assert snapshot.KEEP > 2 and all(os.path.exists(path) for _index, path in made)  # snapshots are small: all kept
    assert [os.path.exists(index) for index, _snapshot in made] == [False, True, True]  # 13 GB each at 1M papers


def test_a_snapshot_found_damaged_half_way_in_leaves_no_row_of_its_index_trusted(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "CHUNK_ROWS", 8)  # several chunks: some go in before the bad one
    folder = tmp_path / "digests"
    shutil.copytree(FIXTURES, folder)
    first = finished([folder], ParseCache(tmp_path / "cache"))
    rows = len(first.store.papers)
    assert first.store.texts.rows == rows > 16
    first.store.texts.close()
    decoded = snapshot.decode_chunk
    calls = []

    def second_chunk_crafted(chunk, files):
        calls.append(chunk)
        return (None, None) if len(calls) == 2 else decoded(chunk, files)

    monkeypatch.setattr(snapshot, "decode_chunk", second_chunk_crafted)
    warm = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in warm.load():
        pass
    assert len(calls) == 2  # the first chunk went in, then the load went on file by file
    for _ in warm.finish():
        pass
    in_memory, _report = load([folder])
    for text in QUERIES:
        query = parse_query(text)
        assert warm.store.select(query, marks) == in_memory.select(query, marks), text
    assert warm.store.texts.rows == len(warm.store.papers)  # sealed again, for the snapshot written now


def test_many_papers_are_read_whole_for_an_export_without_their_texts_staying_in_the_store(tmp_path):
    cache = ParseCache(tmp_path / "cache")
    cold = LoadSession([FIXTURES], cache=cache)
    cold.run()
    session = finished([FIXTURES], ParseCache(tmp_path / "cache"))
    store = session.store
    rows = list(range(len(store.papers)))[::-1]
    assert store.papers_with_texts(rows) == [cold.store.papers[row] for row in rows]
    assert not any(paper.abstract_en or paper.abstract_zh for paper in store.papers)  # let go again


def test_a_filter_while_the_index_is_still_being_written_searches_in_memory_instead_of_waiting(tmp_path, monkeypatch):
    import digest_tui.core.store as store_module

    monkeypatch.setattr(store_module, "TEXT_INDEX_BATCH", 4)  # "many rows left": a first start at scale
    in_memory, _report = load([FIXTURES])
    session = LoadSession([FIXTURES], cache=ParseCache(tmp_path / "cache"))  # a first start: no index yet
    for _ in session.load():
        pass
    store = session.store
    unsynced = store.texts_unsynced()
    assert store.texts is not None and unsynced >= len(store.papers) > 4
    for text in ["mixture", "预训练", "inst:university", "has:zh", "a"]:
        query = parse_query(text)
        assert store.select(query, marks) == in_memory.select(query, marks), text
    assert store.texts_unsynced() == unsynced  # the filter wrote nothing: the finishing steps do
    for _ in session.finish():
        pass
    assert store.texts_unsynced() == 0
    for text in ["mixture", "预训练", "inst:university", "has:zh", "a"]:
        query = parse_query(text)
        assert store.select(query, marks) == in_memory.select(query, marks), text


def loaded_in_batches_of_four(tmp_path, monkeypatch) -> tuple[LoadSession, Path]:
    """A first start on a copy of the fixtures, loaded, its text index to be written 4 rows a batch."""
    import digest_tui.core.store as store_module

    monkeypatch.setattr(store_module, "TEXT_INDEX_BATCH", 4)  # several batches from the fixtures
    folder = tmp_path / "digests"
    shutil.copytree(FIXTURES, folder)
    first = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in first.load():
        pass
    return first, folder


def test_a_build_cut_short_goes_on_from_the_rows_written_next_time(tmp_path, monkeypatch):
    first, folder = loaded_in_batches_of_four(tmp_path, monkeypatch)
    steps = first.finish()
    while next(steps) != "texts":
        pass
    next(steps)  # two batches written, then the reader quits
    steps.close()
    first.store.texts.close()
    papers = len(first.store.papers)
    assert papers > 8

    again = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in again.load():
        pass
    assert again.store.texts.rows == 8  # the two batches are trusted: the build goes on from row 8
    assert again.store.texts_unsynced() == papers - 8
    for _ in again.finish():
        pass
    assert again.store.texts.rows == papers and again.store.texts_synced
    in_memory, _report = load([folder])
    for text in ["mixture", "has:en", "-has:zh", "inst:university", "a", "预训练", "summarisation", '"zebrafish origami"']:
        query = parse_query(text)
        assert again.store.select(query, marks) == in_memory.select(query, marks), text


def test_interrupt_stops_a_search_running_in_another_thread_and_never_a_write(tmp_path):
    import threading

    from digest_tui.core.textindex import SearchInterrupted

    index = TextIndex(str(tmp_path / "t"))
    words = [f"w{number:04d}x" for number in range(4000)]
    index.put([texts(row, " ".join(words[row : row + 40])) for row in range(4000)])
    expected = index.search(("abstract_en",), words)
    assert len(expected) == 4000

    def hammered(action):
        """Run action() in a thread while interrupt() is called as fast as it goes; its outcome."""
        outcome: list = []

        def run():
            try:
                outcome.append(action())
            except Exception as error:  # the outcome is what the test looks at
                outcome.append(error)

        thread = threading.Thread(target=run)
        thread.start()
        while thread.is_alive():
            index.interrupt()
        thread.join()
        return outcome[0]

    outcomes = [hammered(lambda: index.search(("abstract_en",), words)) for _ in range(5)]
    assert all(outcome == expected or isinstance(outcome, SearchInterrupted) for outcome in outcomes)
    assert any(isinstance(outcome, SearchInterrupted) for outcome in outcomes)
    # writes go on whatever interrupt() is called meanwhile, and the index answers as before
    for start in range(4000, 4400, 100):
        assert hammered(lambda start=start: index.put([texts(row, "late row") for row in range(start, start + 100)])) is None
    assert index.search(("abstract_en",), ["late row"]) == set(range(4000, 4400))
    assert index.search(("abstract_en",), words) == expected


def test_stop_writes_rolls_back_the_write_in_the_statement_it_is_in_and_refuses_the_next(tmp_path):
    from digest_tui.core.textindex import WritesStopped

    index = TextIndex(str(tmp_path / "t"))
    index.put([texts(row, f"kept row {row}") for row in range(100)])
    calls: list[int] = []

    def quit_in_the_insert() -> int:  # SQLite calls this inside the INSERT statement running
        calls.append(1)
        if len(calls) == 3:
            index.stop_writes()  # as the reader's UI thread does when it quits
        return 0

    index._connection.set_progress_handler(quit_in_the_insert, 100)
    with pytest.raises(WritesStopped):
        index.put([texts(row, "lost row") for row in range(100, 3000)])
    index._connection.set_progress_handler(None, 0)
    assert len(calls) == 3  # stopped inside the statement (without the interrupt: ~400 calls, the chunk's statement run out)
    assert index.search(("abstract_en",), ["lost row"]) == set()  # the whole write rolled back
    assert index.search(("abstract_en",), ["kept row"]) == set(range(100))  # what was committed stays
    with pytest.raises(WritesStopped):
        index.put([texts(200, "late row")])
    with pytest.raises(WritesStopped):
        index.seal(("snapshot", 1), 100)
    assert index.search(("abstract_en",), ["late row"]) == set()
    index.close()
    reopened = TextIndex(str(tmp_path / "t"))  # a file stopped in a write opens whole
    reopened.put([texts(row, f"kept row {row}") for row in range(100, 110)])
    assert reopened.search(("abstract_en",), ["kept row"]) == set(range(100, 110))  # (not sealed: the rest untrusted)


def test_a_reader_quit_while_the_text_index_is_written_ends_the_write_at_once_and_the_next_start_goes_on(
    tmp_path, monkeypatch
):
    first, folder = loaded_in_batches_of_four(tmp_path, monkeypatch)
    steps = first.finish()
    while next(steps) != "texts":
        pass  # one batch written and sealed
    index = first.store.texts
    index._connection.set_progress_handler(lambda: first.stop() or 0, 50)  # the quit comes in the next write
    rest = list(steps)
    index._connection.set_progress_handler(None, 0)
    assert "ready" not in rest and first.stopped()  # no step after the stopped write
    assert first.store.texts is index  # stopped, not failed: no fall-back to texts in memory
    index.close()
    papers = len(first.store.papers)
    assert papers > 8

    again = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in again.load():
        pass
    assert again.store.texts.rows == 4  # the batch sealed before the quit is trusted: the build goes on from row 4
    for _ in again.finish():
        pass
    assert again.store.texts.rows == papers and again.store.texts_synced
    in_memory, _report = load([folder])
    for text in ["mixture", "has:en", "-has:zh", "inst:university", "预训练", '"zebrafish origami"']:
        query = parse_query(text)
        assert again.store.select(query, marks) == in_memory.select(query, marks), text


def test_past_in_memory_texts_a_filter_during_the_build_searches_the_rows_written_so_far(tmp_path, monkeypatch):
    import digest_tui.core.store as store_module

    monkeypatch.setattr(store_module, "TEXT_INDEX_BATCH", 4)
    monkeypatch.setattr(store_module, "IN_MEMORY_TEXTS", 10)  # the fixtures as a "big" archive
    folder = tmp_path / "digests"
    shutil.copytree(FIXTURES, folder)
    LoadSession([folder], cache=ParseCache(tmp_path / "cache")).run()  # the parse cache and snapshot, no text index
    session = LoadSession([folder], cache=ParseCache(tmp_path / "cache"))
    for _ in session.load():
        pass
    steps = session.finish()
    while next(steps) != "texts":
        pass
    next(steps)  # two batches of four rows written; the build goes on
    store = session.store
    papers = len(store.papers)
    in_memory, _report = load([folder])
    for text in ["mixture", "a", "inst:university", "has:zh", "预训练", "title:the", "summarisation OR zebrafish"]:
        query = parse_query(text)
        everywhere = in_memory.select(query, marks)
        found = store.select(query, marks)
        # every match in the rows written is found, and nothing that is not a match
        assert [row for row in everywhere if row < 8] == [row for row in found if row < 8], text
        assert set(found) <= set(everywhere), text
        assert store.texts_searched(query) == 8 * 100 // papers
    assert len(store.select(parse_query("the"), marks)) < len(in_memory.select(parse_query("the"), marks))  # not all searched yet
    assert store.texts_pending  # no text came into memory for it
    assert store.texts_searched(parse_query("cat:cs.CL")) is None  # (no text test: all searched)
    for _ in steps:
        pass
    for text in ["mixture", "a", "-has:zh"]:
        query = parse_query(text)
        assert store.select(query, marks) == in_memory.select(query, marks)
        assert store.texts_searched(query) is None


@pytest.mark.parametrize("sample", [1, 3])
def test_a_short_needle_is_found_exactly_whatever_the_sample_guesses_of_its_rows(tmp_path, monkeypatch, sample):
    # a sample of a row or three misjudges which needles are in most rows: the rows found stay the same
    monkeypatch.setattr("digest_tui.core.textindex.SAMPLE", sample)
    rows = some_rows(90, seed=4)
    with closing(TextIndex(str(tmp_path / "t"))) as index:
        index.put(rows)
        assert assert_every_short_needle_found(index, rows) > 20


def test_a_text_test_alone_keeps_the_rows_of_its_mask_in_the_order_given():
    query = parse_query("title:m")  # picked in C (itemgetter, compress) rather than by a comprehension
    mask = bytearray([1, 0, 1, 1, 0, 0, 1])
    for order in ([], [2], [1], [6, 5, 4, 3, 2, 1, 0], [3, 0, 6, 1]):
        assert query.select_indexed(order, [], [mask], marks) == [row for row in order if mask[row]]
        assert query.select_indexed(order, [], [bytearray(b"\x01") * 7], marks) == order  # every row


def test_a_short_needle_asked_again_is_answered_from_its_mask_until_rows_are_written(tmp_path, monkeypatch):
    rows = some_rows(60, seed=5)
    index = TextIndex(str(tmp_path / "t"))
    index.put(rows)
    first = index.search(GROUPS[0], ["a"])
    looked_up = []
    real = TextIndex._short_mask
    monkeypatch.setattr(TextIndex, "_short_mask", lambda self, *args: looked_up.append(args) or real(self, *args))
    assert index.search(GROUPS[0], ["a"]) == first == every_row_with(rows, GROUPS[0], "a")
    assert looked_up == []  # kept from the first time
    changed = [(0, *some_rows(1, seed=50)[0][1:]), *some_rows(70, seed=6)[60:]]  # a row written again, rows added
    index.put(changed)
    assert_every_short_needle_found(index, rows + changed)  # every answer looked up again, for the rows now
    assert looked_up
    index.close()


def test_the_masks_kept_in_the_file_answer_the_next_start_only_for_the_rows_they_were_made_for(tmp_path, monkeypatch):
    rows = some_rows(50, seed=7)
    path = str(tmp_path / "t")
    index = TextIndex(path)
    index.put(rows)
    index.seal("s", 50)
    expected = {needle: index.search(GROUPS[0], [needle]) for needle in ("a", "b", "ab", "预")}
    index.close()
    monkeypatch.setattr(TextIndex, "_short_mask", lambda self, *args: pytest.fail("looked up, not read from the file"))
    with closing(TextIndex(path, "s")) as reopened:
        assert {needle: reopened.search(GROUPS[0], [needle]) for needle in expected} == expected
    monkeypatch.undo()
    with sqlite3.connect(path) as connection:  # a mask damaged, one of another length, one for another snapshot
        masks = connection.execute("SELECT needle FROM masks ORDER BY needle").fetchall()
        assert len(masks) == 4
        connection.execute("UPDATE masks SET mask = x'789c' WHERE needle = ?", masks[0])
        connection.execute("UPDATE masks SET mask = ? WHERE needle = ?", (zlib.compress(b"\x01" * 49), *masks[1]))
        # for another snapshot, and the other rows than its needle's: trusted, it would find them
        (kept,) = connection.execute("SELECT mask FROM masks WHERE needle = ?", masks[2]).fetchone()
        other = zlib.compress(zlib.decompress(kept).translate(bytes([1, 0]) + bytes(254)))
        connection.execute("UPDATE masks SET identity = 'other', mask = ? WHERE needle = ?", (other, *masks[2]))
        connection.execute("UPDATE masks SET mask = ? WHERE needle = ?", (zlib.compress(b"\x02" * 50), *masks[3]))
    with closing(TextIndex(path, "s")) as reopened:
        assert {needle: reopened.search(GROUPS[0], [needle]) for needle in expected} == expected
        reopened.put([(3, *some_rows(1, seed=70)[0][1:])])  # unsealed: none kept in the file from now on
        assert reopened.search(GROUPS[0], ["a"]) == every_row_with([*rows[:3], (3, *some_rows(1, seed=70)[0][1:]), *rows[4:]], GROUPS[0], "a")
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM masks").fetchone() == (0,)


def test_a_file_sealed_before_masks_were_kept_is_still_trusted_and_keeps_them_from_then_on(tmp_path):
    path = str(tmp_path / "t")
    index = TextIndex(path)
    index.put([texts(0, titles="mixture"), texts(1, titles="experts")])
    index.seal("s", 2)
    index.close()
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE masks")
    with closing(TextIndex(path, "s")) as reopened:
        assert reopened.rows == 2 and reopened.search(("titles",), ["m"]) == {0}
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM masks").fetchone() == (1,)
