"""Live folders: a digest file dropped into, changed in or removed from a watched folder shows in the
list at once (with a notification), and the selection, the filter and the scroll position stay."""

from __future__ import annotations

import asyncio
import os
import time

from support.app_support import main_screen, press, record_notifications, settle, shown_keys, started, write_digest

from digest_tui.app import DigestApp

TIMEOUT = 10.0


def entries(prefix: str, date: str, count: int, start: int = 0, word: str = "study") -> list[dict]:
    return [
        {"id": f"2606.{prefix}{n:03}", "date": date, "title_en": f"{prefix} {word} number {n}",
         "title_zh": f"研究 {prefix}{n}", "score": 50}
        for n in range(start, start + count)
    ]


def replace_digest(folder, name: str, papers: list[dict]) -> None:
    """Write a digest whole, as a download does: a hidden temporary file renamed over the name (so
    a poll never sees it half-written)."""
    temporary = write_digest(folder, f".{name}.part", papers)
    os.replace(temporary, folder / name)


async def until(pilot, condition, what: str) -> None:
    """Pause until `condition()` holds (the watcher runs on its own clock), then let the app settle."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {TIMEOUT} s")
        await pilot.pause(0.05)
    await settle(pilot)


async def watching(pilot) -> None:
    watcher = main_screen(pilot.app).live.watcher
    assert watcher is not None
    assert await asyncio.to_thread(watcher.wait_ready, TIMEOUT)


async def test_a_file_dropped_in_appears_and_the_view_stays_put(tmp_path):
    folder = tmp_path / "digests"
    folder.mkdir()
    write_digest(folder, "day1.txt", entries("10", "2026-06-10", 80))
    app = DigestApp([str(folder)], watch=[str(folder)], mark_read_after=0, watch_options={"debounce_ms": 200})
    async with started(app) as pilot:
        await watching(pilot)
        screen = main_screen(app)
        await press(pilot, "slash")
        await pilot.press(*"study")
        await press(pilot, "enter")
        await press(pilot, "pagedown", "pagedown", *["up"] * 10)  # scrolled, the cursor mid-screen
        papers = screen.paper_list
        selected = shown_keys(app)[papers.cursor]
        line = papers.cursor - int(papers.scroll_offset.y)
        assert papers.scroll_offset.y > 0 and len(shown_keys(app)) == 80
        notes = record_notifications(app)

        # added: three newer papers go on top; the selected paper keeps its place on screen
        write_digest(folder, "day2.txt", entries("20", "2026-06-11", 3))
        await until(pilot, lambda: len(shown_keys(app)) == 83, "the new file's papers showing")
        assert shown_keys(app)[:3] == ["2606.20000", "2606.20001", "2606.20002"]
        assert shown_keys(app)[papers.cursor] == selected
        assert papers.cursor - int(papers.scroll_offset.y) == line
        assert screen.query_text == "study"
        assert "3 new papers from day2.txt" in notes

        # changed: one more paper, one title changed
        changed = entries("20", "2026-06-11", 4)
        changed[0]["title_en"] = "20 study renamed"
        write_digest(folder, "day2.txt", changed)
        await until(pilot, lambda: len(shown_keys(app)) == 84, "the changed file's papers showing")
        assert app.store.papers[app.store.row("2606.20000")].title_en == "20 study renamed"
        assert shown_keys(app)[papers.cursor] == selected
        assert "1 new paper from day2.txt" in notes

        # removed: its papers leave; the view stays
        (folder / "day2.txt").unlink()
        await until(pilot, lambda: len(shown_keys(app)) == 80, "the removed file's papers leaving")
        assert app.store.row("2606.20000") is None
        assert shown_keys(app)[papers.cursor] == selected
        assert papers.cursor - int(papers.scroll_offset.y) == line
        assert "day2.txt removed; 4 papers gone" in notes
        assert screen.query_text == "study"


async def test_polling_fallback_and_a_paper_listed_by_two_files(tmp_path):
    """Without file-system events a slow poll notices changes; a paper that another file also lists
    stays when one of its files changes."""
    folder = tmp_path / "digests"
    (folder / "sub").mkdir(parents=True)
    shared = entries("30", "2026-06-12", 1)
    write_digest(folder, "a.txt", shared + entries("31", "2026-06-12", 2))
    write_digest(folder, "b.txt", shared + entries("32", "2026-06-12", 2))
    app = DigestApp([str(folder)], watch=[str(folder)], mark_read_after=0,
                    watch_options={"force_polling": True, "poll_seconds": 0.1})
    async with started(app) as pilot:
        await watching(pilot)
        assert main_screen(app).live.watcher.method == "poll"
        assert len(shown_keys(app)) == 5
        replace_digest(folder, "b.txt", entries("32", "2026-06-12", 2))  # b no longer lists the shared paper
        await until(pilot, lambda: app.store.papers[app.store.row("2606.30000")].sources
                    and len(app.store.papers[app.store.row("2606.30000")].sources) == 1, "b.txt read again")
        row = app.store.row("2606.30000")
        assert row is not None and [s.file for s in app.store.papers[row].sources] == [str(folder / "a.txt")]
        assert len(shown_keys(app)) == 5
        replace_digest(folder / "sub", "c.txt", entries("33", "2026-06-13", 1))  # in a subfolder
        await until(pilot, lambda: len(shown_keys(app)) == 6, "the subfolder's file showing")
        (folder / ".x.part").write_text("hello", encoding="utf-8")
        os.replace(folder / ".x.part", folder / "not-a-digest.txt")
        notes = record_notifications(app)
        await until(pilot, lambda: any("not-a-digest.txt" in note for note in notes), "a bad file reported")
        assert len(shown_keys(app)) == 6


async def test_nothing_is_watched_unless_asked():
    from support.app_support import demo_app

    app = demo_app()
    async with started(app):
        assert main_screen(app).live.watcher is None


def test_the_live_summary_says_added_for_a_new_file_and_counts_in_the_singular():
    from digest_tui.core.loading.session import Applied, Changes
    from digest_tui.core.model import Problem
    from digest_tui.screens.live_folders import live_summary

    cut = Problem("/d/partial.json", "malformed JSON")
    added = Changes(stale=set(), items=[cut], added=["/d/partial.json"], removed=[])
    assert live_summary(added, Applied(0, 0, [cut], [cut])) == "partial.json added; no new papers\n/d/partial.json: malformed JSON"
    changed = Changes(stale={"/d/a.txt"}, items=[], added=[], removed=[])
    changed.items.append(Problem("/d/a.txt", "empty file"))
    assert live_summary(changed, Applied(0, 0)) == "a.txt changed; no new papers"
    assert live_summary(Changes(set(), [], ["/d/b.txt"], []), Applied(1, 0)) == "1 new paper from b.txt"
    gone = Changes({"/d/a.txt", "/d/c.txt"}, [], [], ["/d/a.txt", "/d/c.txt"])
    assert live_summary(gone, Applied(0, 1)) == "2 files removed; 1 paper gone"
