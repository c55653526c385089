"""Two digest-tui instances on one library: every save re-reads the file and merges, under a lock.

What each instance changed survives the other's save; what it did not touch is never
overwritten with its stale copy; the same field changed in both is last-save-wins; and the
in-memory library shows the other's changes after a save (save() names the keys that moved).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from digest_tui.core.library import file as library_module
from digest_tui.core.library import LIBRARY_VERSION, Library, LibraryError
from digest_tui.core.model import Mark
from digest_tui.core.model import make_paper

X = make_paper(id="2606.18663", title_en="RegMix-D: Dynamic Data Mixing", authors=("Kaiyan Zhao",), date="2026-06-18")
Y = make_paper(id="2606.19036", title_en="Discontinuities in Sparse Mixture-of-Experts", date="2026-06-18")
Z = make_paper(title_en="A Paper Seen Only On Hugging Face")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "library.toml"


def two(path: Path, setup=None) -> tuple[Library, Library]:
    """Two instances that loaded the same file (after `setup` saved a starting state)."""
    if setup is not None:
        first = Library(path)
        setup(first)
        first.save()
    return Library.load(path), Library.load(path)


def on_disk(path: Path) -> Library:
    return Library.load(path)


def test_a_star_here_and_a_tag_there_both_survive(path):
    a, b = two(path)
    a.set_starred(X, True)
    b.add_tag(Y, "moe")
    assert a.save() == set()
    assert b.save() == {X.key}  # B now shows A's star
    assert b.mark(X.key).starred and b.mark(Y.key).tags == ("moe",)
    disk = on_disk(path)
    assert disk.mark(X.key).starred and disk.mark(Y.key).tags == ("moe",)
    assert disk.paper(X.key).title_en == X.title_en  # A's snapshot came along
    # and A sees B's tag at its next save, even with nothing new of its own
    assert a.save() == {Y.key}
    assert a.mark(Y.key).tags == ("moe",) and a.tags() == ["moe"]


def test_a_star_and_a_tag_on_the_same_paper_both_survive(path):
    a, b = two(path)
    a.set_starred(X, True)
    b.add_tag(X, "moe")
    a.save()
    b.save()
    assert on_disk(path).mark(X.key) == Mark(starred=True, tags=("moe",))
    assert b.mark(X.key) == Mark(starred=True, tags=("moe",))


def test_an_instance_that_never_touched_a_paper_does_not_undo_a_change_to_it(path):
    a, b = two(path, setup=lambda lib: lib.set_starred(X, True))
    a.set_starred(X, False)  # A unstars X
    a.set_read(Y, True)
    a.save()
    b.set_starred(Z, True)  # B works on something else, with X starred in its stale copy
    b.save()
    disk = on_disk(path)
    assert not disk.mark(X.key).starred and disk.mark(Y.key).read and disk.mark(Z.key).starred
    assert not b.mark(X.key).starred


def test_fields_merge_one_by_one_against_what_this_session_changed(path):
    a, b = two(path, setup=lambda lib: (lib.set_starred(X, True), lib.add_tag(X, "moe"), lib.set_note(X, "old")))
    a.set_starred(X, False)
    a.remove_tag(X, "moe")
    a.set_note(X, "from a")
    a.save()
    b.add_tag(X, "rl")
    b.set_read(X, True)
    b.save()
    # A's unstar, tag removal and note stand; B's tag and read mark are added to them
    assert on_disk(path).mark(X.key) == Mark(starred=False, read=True, tags=("rl",), note="from a")


def test_the_same_field_changed_in_both_is_last_save_wins(path):
    a, b = two(path)
    a.set_note(X, "from a")
    b.set_note(X, "from b")
    a.save()
    b.save()
    assert on_disk(path).mark(X.key).note == "from b"
    a.set_note(X, "from a again")
    a.save()
    assert on_disk(path).mark(X.key).note == "from a again"


def test_a_change_undone_in_the_same_session_touches_nothing(path):
    a, b = two(path)
    b.set_starred(X, True)
    b.save()
    a.set_starred(X, True)
    a.set_starred(X, False)  # net: no change to X in this session
    a.set_read(Y, True)
    a.save()
    assert on_disk(path).mark(X.key).starred


def test_tag_order_is_the_disks_then_this_sessions_new_tags(path):
    a, b = two(path, setup=lambda lib: lib.add_tag(Z, "first"))
    a.add_tag(X, "alpha")
    b.add_tag(Y, "beta")
    b.add_tag(Y, "ALPHA")  # the same tag in another spelling: one tag, the first saved spelling
    b.save()
    a.save()
    assert on_disk(path).tags() == ["first", "beta", "ALPHA"]
    assert a.tags() == ["first", "beta", "ALPHA"] and a.tag_counts() == {"first": 1, "beta": 1, "ALPHA": 2}


def test_read_marks_of_both_instances_are_united(path):
    a, b = two(path)
    papers = [make_paper(id=f"2601.{i:05d}") for i in range(2000)]
    for paper in papers[:1000]:
        a.set_read(paper, True)
    for paper in papers[1000:]:
        b.set_read(paper, True)
    a.save()
    changed = b.save()
    assert changed == {p.key for p in papers[:1000]}
    disk = on_disk(path)
    assert all(disk.mark(p.key).read for p in papers)


def test_a_hand_edit_made_while_the_app_runs_is_kept(path):
    a = Library(path)
    a.set_starred(X, True)
    a.save()
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\n[papers."2606.00001"]\nstarred = true\ntitle_en = "Added by hand"\n', encoding="utf-8")
    a.set_read(Y, True)
    assert a.save() == {"2606.00001"}
    disk = on_disk(path)
    assert disk.mark("2606.00001").starred and disk.mark(X.key).starred and disk.mark(Y.key).read


def test_a_file_mangled_while_the_app_runs_is_moved_aside_not_overwritten(path):
    a = Library(path)
    a.set_starred(X, True)
    a.save()
    path.write_bytes(b"version = 1\n[papers.\n")  # someone's editor, half-way
    a.set_starred(Y, True)
    a.save()
    [aside] = path.parent.glob("library.toml.corrupt-*")
    assert aside.read_bytes() == b"version = 1\n[papers.\n"
    assert str(aside) in a.save_notice and "\n" not in a.save_notice
    disk = on_disk(path)
    assert disk.starred_keys() == [X.key, Y.key]  # this session's whole library, nothing lost
    a.set_read(Z, True)
    a.save()
    assert a.save_notice is None


def test_a_newer_version_written_meanwhile_makes_the_save_refuse(path):
    a = Library(path)
    a.set_starred(X, True)
    a.save()
    newer = f"version = {LIBRARY_VERSION + 1}\nfuture = true\n"
    path.write_text(newer, encoding="utf-8")
    a.set_starred(Y, True)
    with pytest.raises(LibraryError, match="newer") as raised:
        a.save()
    assert "\n" not in str(raised.value)
    assert a.read_only and path.read_text(encoding="utf-8") == newer
    with pytest.raises(LibraryError):
        a.save()
    assert path.read_text(encoding="utf-8") == newer


def test_a_deleted_file_gets_the_whole_library_back(path):
    a = Library(path)
    a.set_starred(X, True)
    a.save()
    path.unlink()
    a.set_starred(Y, True)
    a.save()
    assert on_disk(path).starred_keys() == [X.key, Y.key]


def test_entries_another_writer_got_wrong_are_skipped_and_a_copy_kept(path):
    a = Library(path)
    a.set_starred(X, True)
    a.save()
    text = path.read_text(encoding="utf-8") + '\n[papers."2606.00002"]\nstarred = "yes"\n'
    path.write_text(text, encoding="utf-8")
    a.set_starred(Y, True)
    a.save()
    [copy] = path.parent.glob("library.toml.corrupt-*")
    assert copy.read_text(encoding="utf-8") == text
    assert "skipped 1" in a.save_notice and str(copy) in a.save_notice
    assert on_disk(path).starred_keys() == [X.key, Y.key]


def test_save_waits_for_the_lock_and_gives_up_with_a_message(path, monkeypatch):
    import fcntl

    a = Library(path)
    a.set_starred(X, True)
    a.save()
    lock = os.open(path.with_name("library.toml.lock"), os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)  # "another instance" is saving
    try:
        monkeypatch.setattr(library_module, "LOCK_TIMEOUT", 0.2)
        a.set_starred(Y, True)
        with pytest.raises(LibraryError, match="another digest-tui") as raised:
            a.save()
        assert "\n" not in str(raised.value) and a.changed
    finally:
        os.close(lock)
    a.save()  # released: the next save goes through
    assert on_disk(path).starred_keys() == [X.key, Y.key]


def test_leftover_temp_files_of_killed_writers_are_removed_at_the_next_save(path):
    a = Library(path)
    a.set_starred(X, True)
    a.save()
    leftovers = [path.with_name(".library.toml.0123abcd.tmp"), path.with_name(".library.toml.deadbeef.tmp")]
    for leftover in leftovers:
        leftover.write_text("half a libr", encoding="utf-8")
    others = [path.with_name(".library.toml.not-ours.tmp"), path.with_name(".other.toml.0123abcd.tmp")]
    for other in others:
        other.write_text("someone else's", encoding="utf-8")
    a.set_read(Y, True)
    a.save()
    assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in others)


def test_a_save_that_fails_after_merging_loses_nothing_at_the_next_try(path, monkeypatch):
    from digest_tui.core import files as atomic

    a, b = two(path)
    a.set_starred(X, True)
    b.add_tag(Y, "moe")
    b.save()

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", disk_full)
    with pytest.raises(LibraryError, match="No space left"):
        a.save()
    assert a.changed and a.mark(Y.key).tags == ("moe",)  # merged in memory, not yet on disk
    monkeypatch.undo()
    b.set_note(Y, "b again")
    b.save()
    a.save()
    disk = on_disk(path)
    assert disk.mark(X.key).starred and disk.mark(Y.key) == Mark(tags=("moe",), note="b again")


def test_fast_path_when_nobody_else_wrote(path, monkeypatch):
    a = Library(path)
    a.set_starred(X, True)
    a.save()
    loads = []
    parse = tomllib.loads
    monkeypatch.setattr(tomllib, "loads", lambda text, **options: loads.append(1) or parse(text, **options))
    a.set_starred(Y, True)
    assert a.save() == set()
    assert loads == []  # the file was ours: no re-parse


WORKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from digest_tui.core.library import Library
    from digest_tui.core.model import make_paper

    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    library = Library.load(path)
    sys.stdout.write("loaded\\n"); sys.stdout.flush()
    sys.stdin.readline()  # both load before either saves
    for i in range(count):
        library.set_starred(make_paper(id=f"2606.{name}{i:04d}", title_en=f"{name} {i}"), True)
        library.add_tag(make_paper(id="2606.18663"), f"{name}-{i % 3}")
        library.save()
    """
)


def test_two_processes_saving_at_once_lose_nothing(path):
    """Two real processes, each starring 40 papers and saving after each: all 80 stars survive."""
    Library(path).save()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), name, "40"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for name in ("1", "2")
    ]  # fmt: skip
    for proc in procs:
        assert proc.stdout.readline() == "loaded\n"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    disk = on_disk(path)
    assert disk.notice is None
    assert sorted(disk.starred_keys()) == sorted(f"2606.{n}{i:04d}" for n in "12" for i in range(40))
    assert set(disk.mark("2606.18663").tags) == {f"{n}-{i}" for n in "12" for i in range(3)}
    tomllib.loads(path.read_text(encoding="utf-8"))
    assert not list(path.parent.glob(".library.toml.*.tmp"))
