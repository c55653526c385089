"""Damaged and crafted caches: a parse-cache entry or a load snapshot that is wrong in any way is a
miss (the files are read again), never an exception, and never allocates what a damaged length
says. A fuzz test flips header and body bytes, changes lengths, cuts entries short, and crafts
entries with valid checksums but rows of the wrong shape; every load must give exactly what a
load without any cache gives.

And stale results (issue 19, item 8): a file this process may not read now is a problem now, even
when its stamp is unchanged (running as root, chmod 000 stops nothing: the test makes
`os.access` and `os.open` refuse the path, and, when it can, runs `dump` as user `nobody`
for real, with and without the group that may read the file); a problem is never served from a
cache.
"""

from __future__ import annotations

import marshal
import os
import shutil
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest_tui.core.loading import cache as cache_module
from digest_tui.core.loading import snapshot as snapshot_module
from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.session import load
from digest_tui.core.loading.snapshot import snapshot_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DIGESTS = ("merge-a.txt", "merge-b.txt")


def cold(folder: Path):
    store, report = load([folder])
    return list(store.papers), [str(p) for p in report.problems]


def loaded(folder: Path, cache: ParseCache):
    store, report = load([folder], cache=cache)
    return list(store.papers), [str(p) for p in report.problems]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("archive")
    for name in DIGESTS:
        shutil.copyfile(FIXTURES / name, folder / name)
    return folder, cold(folder)


def fresh_cache(tmp_path: Path, folder: Path) -> ParseCache:
    cache = ParseCache(tmp_path / "cache")
    assert loaded(folder, cache) == cold(folder)  # writes the entries and the snapshot
    return cache


def entry_file(cache: ParseCache, path: Path) -> Path:
    return Path(cache.entry_path(str(path)))


def craft(head: tuple, texts: list) -> bytes:
    """An entry with valid checksums around whatever parts it is given."""
    head_bytes, texts_bytes = marshal.dumps(head), marshal.dumps(texts)
    made_for = cache_module.made_for(*head[:2]) if len(head) > 1 and isinstance(head[0], str) and isinstance(head[1], tuple) else bytes(16)
    header = cache_module.HEADER.pack(zlib.adler32(head_bytes), len(head_bytes), zlib.adler32(texts_bytes), len(texts_bytes), made_for)
    return cache_module.MAGIC + header + head_bytes + texts_bytes


def parts(data: bytes) -> tuple[tuple, list]:
    _s, head_length, _t, _l, _made_for = cache_module.HEADER.unpack_from(data, len(cache_module.MAGIC))
    start = cache_module.START
    return marshal.loads(data[start : start + head_length]), marshal.loads(data[start + head_length :])


MUTATIONS = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("length"), st.sampled_from([0, 1]), st.integers(0, 2**64 - 1)),
    st.tuples(st.just("cut"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("rows"), st.sampled_from(["short", "long", "not-a-tuple", "titles", "no-key", "texts-short",
                                               "texts-count", "head-short", "stamp-list", "title-type",
                                               "texts-not-tuple"]), st.just(0)),
)


def mutate(data: bytes, how: tuple) -> bytes:
    kind, at, value = how
    if kind == "flip":
        at %= len(data)
        return data[:at] + bytes([data[at] ^ value]) + data[at + 1 :]
    if kind == "length":  # one of the two u64 lengths in the header set to anything
        fields = list(cache_module.HEADER.unpack_from(data, len(cache_module.MAGIC)))
        fields[1 + 2 * at] = value
        header = cache_module.HEADER.pack(*fields)
        return data[: len(cache_module.MAGIC)] + header + data[cache_module.START :]
    if kind == "cut":
        return data[: at % len(data)]
    head, texts = parts(data)
    path, stamp, fmt, source_format, warnings, rows, titles = head
    if at == "short":
        rows = [rows[0][:-3], *rows[1:]]
    elif at == "long":
        rows = [*rows[:-1], rows[-1] + ("extra",)]
    elif at == "not-a-tuple":
        rows = [list(rows[0]), *rows[1:]]
    elif at == "titles":
        titles = titles[:-1]
    elif at == "no-key":
        rows = [(None, *rows[0][1:]), *rows[1:]]
    elif at == "texts-short":
        texts = [texts[0][:-1], *texts[1:]]
    elif at == "texts-count":
        texts = texts[:-1]
    elif at == "head-short":
        return craft((path, stamp, fmt, source_format, warnings, rows), texts)
    elif at == "stamp-list":
        stamp = list(stamp)
    elif at == "title-type":
        titles = [7, *titles[1:]]
    elif at == "texts-not-tuple":
        texts = [list(texts[0]), *texts[1:]]
    return craft((path, stamp, fmt, source_format, warnings, rows, titles), texts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(how=MUTATIONS, which=st.sampled_from(DIGESTS))
def test_a_damaged_or_crafted_cache_entry_is_a_miss_never_an_exception(tmp_path_factory, archive, how, which):
    folder, expected = archive
    tmp_path = tmp_path_factory.mktemp("fuzz")
    cache = fresh_cache(tmp_path, folder)
    os.remove(snapshot_path(cache, [str(folder)]))  # the per-file entries are what is read
    entry = entry_file(cache, folder / which)
    entry.write_bytes(mutate(entry.read_bytes(), how))
    assert loaded(folder, cache) == expected
    assert loaded(folder, cache) == expected  # and again, from whatever the first load rewrote


def snapshot_parts(data: bytes):
    """A snapshot's file records, its chunks (each still marshalled), its lookups (in marshalled pieces),
    each chunk's row count and the combinations of files papers came from."""
    payload = data[len(snapshot_module.MAGIC) + snapshot_module.HEADER.size :]
    (index_length,) = snapshot_module.INDEX_LENGTH.unpack_from(payload)
    start = snapshot_module.INDEX_LENGTH.size
    records, lookups, lengths, counts, combos = marshal.loads(payload[start : start + index_length])
    chunks, at = [], start + index_length
    for length in lengths:
        chunks.append(payload[at : at + length])
        at += length
    return records, chunks, lookups, counts, combos


def _rows_in(chunk: bytes) -> int:
    try:
        return len(marshal.loads(chunk)[0][0])  # its keys: one a row
    except Exception:
        return 1  # not a chunk at all: any count


def craft_snapshot(records, chunks, lookups, lengths=None, counts=None, combos=()) -> bytes:
    """A snapshot file of these parts, with a checksum that holds (`lengths` and `counts`: the
    chunks' own unless given)."""
    lengths = [len(chunk) for chunk in chunks] if lengths is None else lengths
    counts = [_rows_in(chunk) for chunk in chunks] if counts is None else counts
    index = marshal.dumps((records, lookups, lengths, counts, list(combos)))
    payload = snapshot_module.INDEX_LENGTH.pack(len(index)) + index + b"".join(chunks)
    return snapshot_module.MAGIC + snapshot_module.HEADER.pack(zlib.adler32(payload), len(payload)) + payload


SNAPSHOT_MUTATIONS = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("length"), st.integers(0, 2**64 - 1), st.just(0)),
    st.tuples(st.just("cut"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("crafted"), st.sampled_from([
        "column-short", "column-extra", "spec-out-of-range", "spec-type", "key-type", "combo-out-of-range",
        "combo-of-one", "title-keys-short",
        "record-short", "count-wrong", "stamp-type", "other-keys-out-of-range", "landed-out-of-range",
        "landed-file-missing", "date-order-wrong", "lookups-piece-not-marshal", "landed-twice", "chunk-not-marshal", "lookups-shape", "records-not-list", "chunk-lengths-short",
        "chunk-lengths-long", "chunk-length-negative", "index-length-past-end", "record-unread-with-papers",
        "format-type", "chunk-count-wrong", "last-chunk-column-short",
    ]), st.just(0)),
)


def mutate_snapshot(data: bytes, how: tuple) -> bytes:
    kind, at, value = how
    if kind == "flip":
        at %= len(data)
        return data[:at] + bytes([data[at] ^ value]) + data[at + 1 :]
    if kind == "length":
        checksum, _length = snapshot_module.HEADER.unpack_from(data, len(snapshot_module.MAGIC))
        start = len(snapshot_module.MAGIC)
        return data[:start] + snapshot_module.HEADER.pack(checksum, at) + data[start + snapshot_module.HEADER.size :]
    if kind == "cut":
        return data[: at % len(data)]
    records, chunks, lookups, counts, combos = snapshot_parts(data)
    columns, title_keys = marshal.loads(chunks[0])
    other_keys, titles, landed, date_order = [
        None if pieces is None else [value for piece in pieces for value in marshal.loads(piece)] for pieces in lookups
    ]
    landed = dict(landed)
    if at == "column-short":
        columns = [columns[0], columns[1][:-1], *columns[2:]] if len(title_keys) > 1 else [columns[0], [], *columns[2:]]
    elif at == "column-extra":
        columns = [*columns, list(columns[-1])]
    elif at == "spec-out-of-range":
        columns = [*columns[:-1], [len(records) + len(combos) + 5, *columns[-1][1:]]]
    elif at == "spec-type":
        columns = [*columns[:-1], [(0, 1), *columns[-1][1:]]]  # a tuple of files, as format 3 had it
    elif at == "key-type":
        columns = [[7, *columns[0][1:]], *columns[1:]]
    elif at == "combo-out-of-range":
        combos = [*combos, (0, 99)]
    elif at == "combo-of-one":
        combos = [*combos, (0,)]
    elif at == "title-keys-short":
        title_keys = title_keys[:-1]
    elif at == "record-short":
        records = [records[0][:4], *records[1:]]
    elif at == "count-wrong":
        records = [records[0][:5] + (records[0][5] + 1,), *records[1:]]
    elif at == "stamp-type":
        records = [(records[0][0], "stamp", *records[0][2:]), *records[1:]]
    elif at == "other-keys-out-of-range":
        other_keys = [*other_keys, ("ghost", 10**6)]
    elif at == "landed-out-of-range":
        landed = {file: [*rows_of, 10**6] for file, rows_of in landed.items()}
    elif at == "landed-file-missing":  # its papers would stay when the file is taken away
        landed = dict(list(landed.items())[1:])
    elif at == "date-order-wrong":
        date_order = [0] * len(date_order) if date_order else [5, 6]
    elif at == "chunk-not-marshal":
        return craft_snapshot(records, [b"\xff\x00garbage", *chunks[1:]], lookups, counts=counts, combos=combos)
    elif at == "chunk-count-wrong":
        return craft_snapshot(records, chunks, lookups, counts=[counts[0] + 1, *counts[1:]], combos=combos)
    elif at == "last-chunk-column-short":
        last_columns, last_keys = marshal.loads(chunks[-1])
        last = marshal.dumps(([last_columns[0], last_columns[1][:-1], *last_columns[2:]], last_keys))
        return craft_snapshot(records, [*chunks[:-1], last], lookups, counts=counts, combos=combos)
    elif at == "lookups-shape":
        return craft_snapshot(records, chunks, snapshot_module.encode_lookups(other_keys, titles, landed, date_order)[:2],
                              combos=combos)
    elif at == "lookups-piece-not-marshal":
        pieces = snapshot_module.encode_lookups(other_keys, titles, landed, date_order)
        return craft_snapshot(records, chunks, (pieces[0], [b"\xff\x00garbage"], *pieces[2:]), combos=combos)
    elif at == "landed-twice":  # a file's rows in two pieces of the lookups
        pieces = snapshot_module.encode_lookups(other_keys, titles, landed, date_order)
        return craft_snapshot(records, chunks, (*pieces[:2], pieces[2] * 2, pieces[3]), combos=combos)
    elif at == "records-not-list":
        return craft_snapshot({"a": 1}, chunks, lookups, combos=combos)
    elif at == "chunk-lengths-short":
        return craft_snapshot(records, chunks, lookups, [len(chunk) for chunk in chunks][:-1], combos=combos)
    elif at == "chunk-lengths-long":
        lengths = [len(chunks[0]) + 1] + [len(chunk) for chunk in chunks[1:]]
        return craft_snapshot(records, chunks, lookups, lengths, combos=combos)
    elif at == "chunk-length-negative":
        lengths = [-1, len(chunks[0]) + 1] + [len(chunk) for chunk in chunks[1:]]
        return craft_snapshot(records, chunks, lookups, lengths, combos=combos)
    elif at == "index-length-past-end":
        data = craft_snapshot(records, chunks, lookups, combos=combos)
        start = len(snapshot_module.MAGIC) + snapshot_module.HEADER.size
        payload = snapshot_module.INDEX_LENGTH.pack(10**9) + data[start + snapshot_module.INDEX_LENGTH.size :]
        return data[: len(snapshot_module.MAGIC)] + snapshot_module.HEADER.pack(zlib.adler32(payload), len(payload)) + payload
    elif at == "record-unread-with-papers":
        records = [(records[0][0], records[0][1], None, None, ["could not be read"], records[0][5] or 1), *records[1:]]
    elif at == "format-type":
        records = [(records[0][0], records[0][1], 7, *records[0][3:]), *records[1:]]
    chunks = [marshal.dumps((columns, title_keys)), *chunks[1:]]
    return craft_snapshot(records, chunks, snapshot_module.encode_lookups(other_keys, titles, landed, date_order), combos=combos)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(how=SNAPSHOT_MUTATIONS)
def test_a_damaged_or_crafted_load_snapshot_is_a_miss_never_an_exception(tmp_path_factory, archive, how):
    folder, expected = archive
    tmp_path = tmp_path_factory.mktemp("fuzz")
    cache = fresh_cache(tmp_path, folder)
    snapshot = Path(snapshot_path(cache, [str(folder)]))
    snapshot.write_bytes(mutate_snapshot(snapshot.read_bytes(), how))
    assert loaded(folder, cache) == expected
    assert loaded(folder, cache) == expected


CHUNK_KINDS = [
    "column-short", "column-extra", "spec-out-of-range", "spec-type", "key-type", "title-keys-short",
    "chunk-not-marshal", "last-chunk-column-short",
]  # fmt: skip
"""Crafted chunks: found by restore() as each chunk goes in; the rest by read_snapshot()."""


@pytest.mark.parametrize("kind", [
    *CHUNK_KINDS, "record-short", "count-wrong", "stamp-type", "other-keys-out-of-range", "landed-out-of-range",
    "landed-file-missing",
    "date-order-wrong", "lookups-shape", "records-not-list", "chunk-lengths-short", "chunk-lengths-long",
    "chunk-length-negative", "index-length-past-end", "record-unread-with-papers", "format-type", "chunk-count-wrong",
    "combo-out-of-range", "combo-of-one",
])  # fmt: skip
def test_each_crafted_snapshot_is_refused_before_anything_is_made_of_it(tmp_path, archive, kind, monkeypatch):
    """Each shape a snapshot's checksum cannot vouch for is checked: read_snapshot says None, or
    (a chunk) restore() stops before the chunk goes in; the load is the load file by file."""
    from digest_tui.core.loading.loader import find_files
    from digest_tui.core.store import Store

    monkeypatch.setattr(snapshot_module, "CHUNK_ROWS", 1)  # several chunks: the last one is not the first
    folder, expected = archive
    cache = fresh_cache(tmp_path, folder)
    snapshot = Path(snapshot_path(cache, [str(folder)]))
    files = find_files([str(folder)])[0]
    found = snapshot_module.read_snapshot(cache, [str(folder)], files)
    assert found is not None and len(found.chunks) > 2  # the untouched one is used
    snapshot.write_bytes(mutate_snapshot(snapshot.read_bytes(), ("crafted", kind, 0)))
    found = snapshot_module.read_snapshot(cache, [str(folder)], files)
    if kind in CHUNK_KINDS:
        store = Store()
        with pytest.raises(snapshot_module.SnapshotDamaged):
            for _papers in snapshot_module.restore(found, store, {}):
                pass
        in_before = len(found.chunks) - 1 if kind == "last-chunk-column-short" else 0
        assert len(store.papers) == in_before
    else:
        assert found is None
    assert loaded(folder, cache) == expected
    assert loaded(folder, cache) == expected  # and from the snapshot that load wrote


def test_a_damaged_length_byte_allocates_nothing(tmp_path, archive, monkeypatch):
    """One byte of the head length set high: the entry's size is checked before any read on its word."""
    folder, expected = archive
    cache = fresh_cache(tmp_path, folder)
    os.remove(snapshot_path(cache, [str(folder)]))
    entry = entry_file(cache, folder / DIGESTS[0])
    data = bytearray(entry.read_bytes())
    data[len(cache_module.MAGIC) + 4 + 7] = 0x7F  # the top byte of the papers part's u64 length
    entry.write_bytes(bytes(data))
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    assert cache.read(str(folder / DIGESTS[0])) is None
    assert max(reads) <= cache_module.FIRST_READ
    monkeypatch.undo()
    assert loaded(folder, cache) == expected


# -- item 8: stale results ---------------------------------------------------------------------


def refuse(monkeypatch, path: Path) -> None:
    """This process may no longer read `path` (what chmod, a group or an ACL change does to a
    user; root passes every permission check, so both calls that would tell are made to refuse)."""
    real_access, real_open = os.access, os.open
    target = os.fspath(path)

    def access(name, mode, *args, **kwargs):
        return False if os.fspath(name) == target else real_access(name, mode, *args, **kwargs)

    def opener(name, flags, *args, **kwargs):
        if os.fspath(name) == target:
            raise PermissionError(13, "Permission denied", target)
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(os, "open", opener)


@pytest.mark.parametrize("with_snapshot", [True, False])
def test_a_file_that_cannot_be_opened_now_is_a_problem_now(tmp_path, archive, monkeypatch, with_snapshot):
    folder, expected = archive
    cache = fresh_cache(tmp_path, folder)
    if not with_snapshot:
        os.remove(snapshot_path(cache, [str(folder)]))
    refuse(monkeypatch, folder / DIGESTS[1])
    papers, problems = loaded(folder, cache)
    assert problems == [f"{folder / DIGESTS[1]}: Permission denied"]
    assert all(source.file != str(folder / DIGESTS[1]) for paper in papers for source in paper.sources)
    assert len(papers) < len(expected[0])
    # readable again, same stamp: the old problem is not replayed (from the snapshot written meanwhile, if any)
    monkeypatch.undo()
    assert loaded(folder, cache) == expected


def test_a_problem_in_the_snapshot_is_checked_again(tmp_path, archive, monkeypatch):
    """A snapshot written while a file could not be read, then the file readable again with the same stamp."""
    folder, expected = archive
    cache = ParseCache(tmp_path / "cache")
    refuse(monkeypatch, folder / DIGESTS[1])
    _papers, problems = loaded(folder, cache)
    assert problems == [f"{folder / DIGESTS[1]}: Permission denied"]
    monkeypatch.undo()
    assert loaded(folder, cache) == expected
    assert loaded(folder, cache) == expected


def _nobody() -> tuple[int, int] | None:
    import pwd

    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None or _nobody() is None,
                    reason="needs root, setpriv and a user 'nobody' to run dump as another user")
def test_dump_as_a_user_who_lost_the_group_that_could_read_a_file(request):
    """For real: a file readable by group 4242 only; `dump` as nobody with that group fills the
    cache, then as nobody without it (the stamp is the same: nothing about the file changed)."""
    import subprocess
    import sys

    import tempfile

    uid, gid = _nobody()
    top = Path(tempfile.mkdtemp(prefix="digest-tui-nobody-", dir="/tmp"))  # pytest's tmp is root's alone (0700)
    request.addfinalizer(lambda: shutil.rmtree(top, ignore_errors=True))
    folder = top / "digests"
    folder.mkdir(parents=True)
    for name in DIGESTS:
        shutil.copyfile(FIXTURES / name, folder / name)
    os.chown(folder / DIGESTS[1], 0, 4242)
    os.chmod(folder / DIGESTS[1], 0o640)
    home = top / "home"
    home.mkdir()
    os.chown(home, uid, gid)
    for path in (top, folder):
        os.chmod(path, 0o755)
    env = {**os.environ, "XDG_CACHE_HOME": str(home / "cache"), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), "HOME": str(home)}

    def dump(*groups: int) -> subprocess.CompletedProcess:
        group_args = ["--groups", ",".join(map(str, groups))] if groups else ["--clear-groups"]
        return subprocess.run(
            ["setpriv", f"--reuid={uid}", f"--regid={gid}", *group_args, sys.executable, "-m", "digest_tui", "dump",
             str(folder)], capture_output=True, text=True, env=env, timeout=120, cwd=home,
        )

    with_group = dump(4242)
    assert with_group.returncode == 0 and with_group.stderr == "", with_group.stderr
    without = dump()
    assert without.stderr == f"digest-tui: {folder / DIGESTS[1]}: Permission denied\n"
    assert str(folder / DIGESTS[1]) not in without.stdout
    again = dump(4242)
    assert again.stderr == "" and again.stdout == with_group.stdout
