"""A save that fails on quit is never silent: the reader asks (retry, write the library elsewhere,
quit anyway), and quitting anyway exits 1. Tried with the write made to fail in a Pilot test, and
on a real full file system and a real read-only one (a small tmpfs the test mounts; root only)."""

from __future__ import annotations

import errno
import os
import subprocess
import tomllib
import uuid
from pathlib import Path

import pytest
from support.app_support import current_paper, demo_app, press, record_notifications, screen_text, started

from digest_tui.core import files
from digest_tui.core.library import file as library_module
from digest_tui.core.library import Library, rescue_paths
from digest_tui.screens.unsaved import UnsavedDialog


def fail_writes(monkeypatch, target: Path, code: int = errno.ENOSPC) -> list[Path]:
    """Every atomic write of `target` fails as a full disk would; returns the paths written."""
    written: list[Path] = []
    real = files.atomic_write

    def atomic_write(path, text, encoding="utf-8"):
        if Path(path) == target:
            raise OSError(code, os.strerror(code), str(path))
        written.append(Path(path))
        return real(path, text, encoding)

    monkeypatch.setattr(library_module, "atomic_write", atomic_write)
    return written


def rescue_in(monkeypatch, folder: Path) -> None:
    """The rescue copy goes to `folder` (instead of the home, current or temp folder)."""
    real = rescue_paths
    monkeypatch.setattr("digest_tui.app.rescue_paths", lambda path, size=0: [
        folder / p.name for p in real(path, size)[:1]] or [folder / "library-unsaved.toml"])


def dialog_text(app) -> str:
    """Everything the dialog says, unwrapped (a long path wraps on screen)."""
    from textual.widgets import Static

    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


async def star_then_quit(pilot) -> str:
    key = current_paper(pilot.app).key
    await press(pilot, "s")
    await pilot.pause(0.7)  # the delayed save runs, and fails
    await press(pilot, "q")
    return key


async def test_a_failed_save_on_quit_asks_and_quitting_anyway_exits_1(tmp_path, monkeypatch):
    path = tmp_path / "data" / "library.toml"
    fail_writes(monkeypatch, path)
    app = demo_app(library_path=path)
    async with started(app) as pilot:
        await star_then_quit(pilot)
        assert isinstance(app.screen, UnsavedDialog)  # still running: the change is not lost yet
        text = screen_text(app)
        assert "Your library is not saved" in text and "No space left on device" in text
        assert "r  try to save it there again" in text and "q  quit anyway" in text
        await press(pilot, "r")  # still full
        assert isinstance(app.screen, UnsavedDialog)
        await press(pilot, "escape")  # back to the reader
        assert not isinstance(app.screen, UnsavedDialog)
        await press(pilot, "q")
        assert isinstance(app.screen, UnsavedDialog)
        await press(pilot, "q")
    assert app.return_code == 1
    assert app.exit_notices == [
        f"library not saved, this session's changes are lost: cannot save {path}: No space left on device"]
    assert not path.exists()


async def test_retry_saves_once_the_disk_has_room(tmp_path, monkeypatch):
    path = tmp_path / "library.toml"
    fail_writes(monkeypatch, path)
    app = demo_app(library_path=path)
    async with started(app) as pilot:
        key = await star_then_quit(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        monkeypatch.undo()  # room again
        await press(pilot, "r")
    assert app.return_code == 0 and app.exit_notices == []
    assert Library.load(path).mark(key).starred


async def test_write_elsewhere_names_the_place_and_keeps_the_star(tmp_path, monkeypatch):
    path = tmp_path / "data" / "library.toml"
    rescue = tmp_path / "elsewhere"
    rescue.mkdir()
    fail_writes(monkeypatch, path, errno.EROFS)
    rescue_in(monkeypatch, rescue)
    app = demo_app(library_path=path)
    async with started(app) as pilot:
        key = await star_then_quit(pilot)
        text = dialog_text(app)
        assert "Read-only file system" in text
        written_to = app.screen.elsewhere  # the place the dialog names
        assert written_to is not None and written_to.parent == rescue
        assert f"w  write the whole library to {written_to}" in text
        await press(pilot, "w")
    assert app.return_code == 0
    assert tomllib.loads(written_to.read_text(encoding="utf-8"))["papers"][key]["starred"] is True
    assert app.exit_notices == [
        f"your library could not be saved in {path} (cannot save {path}: Read-only file system); this "
        f"session's library was written to {written_to} instead: move it to {path} to keep your changes"]


async def test_a_save_that_failed_earlier_is_not_forgotten_at_quit(tmp_path, monkeypatch):
    """The delayed save failed (a notification came and went); q must not exit as if all were well."""
    path = tmp_path / "library.toml"
    fail_writes(monkeypatch, path)
    app = demo_app(library_path=path)
    async with started(app) as pilot:
        notices = record_notifications(app)
        await press(pilot, "s")
        await pilot.pause(0.7)
        assert any(notice.startswith("Library not saved: ") for notice in notices) and app.library.changed
        await press(pilot, "q")
        assert isinstance(app.screen, UnsavedDialog)
        await press(pilot, "q")
    assert app.return_code == 1


def test_rescue_paths_prefer_another_file_system_and_skip_the_library_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "home"))
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path / "home")
    found = rescue_paths(tmp_path / "home" / "library.toml")
    assert tmp_path / "home" not in [p.parent for p in found]  # the library's own folder is no rescue
    assert found and all(p.name.startswith("library-unsaved-") and p.suffix == ".toml" for p in found)


# -- for real: a full tmpfs, a read-only one ------------------------------------------------------------


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 1 MiB tmpfs mounted for this test (root only); unmounted after."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the Pilot tests above make the write fail instead)")
    mount = tmp_path / f"fs-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> None:
    """Fill the file system of `folder` to the last byte (unbuffered: each write is a system call)."""
    for name, size in (("filler", 65536), ("filler-tail", 1)):
        with open(folder / name, "wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC


@pytest.mark.parametrize("how", ["full", "read-only"])
async def test_quit_on_a_real_full_or_read_only_file_system(small_tmpfs, tmp_path, monkeypatch, how):
    data = small_tmpfs / "digest-tui"
    data.mkdir()
    path = data / "library.toml"
    Library(path).save()  # a library that was saved fine before the disk filled up
    before = path.read_bytes()
    if how == "full":
        fill(small_tmpfs)
    else:
        subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    rescue = tmp_path / "rescue"
    rescue.mkdir()
    rescue_in(monkeypatch, rescue)
    app = demo_app(library_path=path)
    async with started(app) as pilot:
        key = await star_then_quit(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        reason = "No space left on device" if how == "full" else "Read-only file system"
        assert reason in screen_text(app)
        await press(pilot, "w")
    assert path.read_bytes() == before  # the old library is whole
    assert [p.name for p in data.iterdir()] in (["library.toml"], ["library.toml", "library.toml.lock"])
    (written_to,) = rescue.iterdir()  # the one file written there
    assert Library.load(written_to).mark(key).starred
    assert app.return_code == 0 and reason in app.exit_notices[0]


async def test_a_theme_that_cannot_be_remembered_at_close_is_said_after(tmp_path, monkeypatch):
    """The theme is written into config.toml as the reader closes; a failure then is a line on stderr."""
    from digest_tui.core import config as settings

    def refuse(path, key, value, table=None):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(settings, "set_value", refuse)
    app = demo_app(library_path=tmp_path / "library.toml", config_path=tmp_path / "config.toml")
    async with started(app) as pilot:
        app.theme = "nord" if app.theme != "nord" else "dracula"
        await pilot.pause()
    assert app.exit_notices == [f"Theme not remembered: {tmp_path / 'config.toml'}: [Errno 30] Read-only file system"]
    assert not app.return_code and not app.lost_changes  # the command line exits 0: the library is saved
