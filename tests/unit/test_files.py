"""core.files: a file written from pieces, and many files of one folder written atomically."""

from __future__ import annotations

import os
import time

import pytest

from digest_tui.core import files
from digest_tui.core.export import obsidian
from digest_tui.core.files import STALE_AFTER, atomic_write, atomic_writes
from digest_tui.core.model import Mark, make_paper


def test_a_file_written_from_pieces(tmp_path):
    target = tmp_path / "out.json"
    atomic_write(target, iter([b"[", b"1, 2", b"]\n"]))
    assert target.read_bytes() == b"[1, 2]\n"


def test_pieces_that_fail_half_way_leave_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "out.json"
    atomic_write(target, "old")

    def pieces():
        yield b"new, half"
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        atomic_write(target, pieces())
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_many_files_of_a_folder_look_for_stale_temps_once(tmp_path, monkeypatch):
    """One scan of the folder for the whole batch: a scan per file made a 100k-note vault quadratic."""
    stale = tmp_path / ".a.md.0123abcd.tmp"  # a writer killed long ago left it
    stale.write_text("x")
    old = time.time() - STALE_AFTER - 60
    os.utime(stale, (old, old))
    fresh = tmp_path / ".b.md.89abcdef.tmp"  # another writer's, still writing
    fresh.write_text("y")
    scans = []
    real_scandir = os.scandir
    monkeypatch.setattr(files.os, "scandir", lambda path: scans.append(path) or real_scandir(path))
    with atomic_writes(tmp_path) as write:
        for n in range(50):
            write(f"note{n}.md", f"note {n}\n")
    assert len(scans) == 1
    assert not stale.exists() and fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == sorted(f"note{n}.md" for n in range(50))
    assert (tmp_path / "note7.md").read_text() == "note 7\n"


def test_a_failed_write_among_many_keeps_the_old_note_and_no_temp(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text("old a")
    monkeypatch.setattr(files.os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError(13, "Permission denied")))
    with pytest.raises(OSError), atomic_writes(tmp_path) as write:
        write("a.md", "new a")
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]
    assert (tmp_path / "a.md").read_text() == "old a"


def test_an_obsidian_vault_scans_its_folder_once_however_many_notes(tmp_path, monkeypatch):
    records = [(make_paper(id=f"2606.{n:05d}", title_en=f"Paper number {n}", authors=("Ann Lee",)), Mark()) for n in range(40)]
    scans = []
    real_scandir = os.scandir
    monkeypatch.setattr(files.os, "scandir", lambda path: scans.append(path) or real_scandir(path))
    keys = [f"lee2026paper{n}" for n in range(40)]
    assert obsidian.write(tmp_path, records, keys, None) == (40, 0)
    assert len(scans) == 1
    assert len(list(tmp_path.glob("*.md"))) == 40
    assert obsidian.write(tmp_path, records, keys, None) == (0, 0)  # unchanged: nothing rewritten
