"""Pilot tests of what the reader keeps: the library across relaunches, reading lists saved and loaded, exports."""

from __future__ import annotations

import asyncio
import csv
import json
import threading
import tomllib

from support.app_support import (
    DEMO_PAPERS,
    current_paper,
    demo_app,
    detail_text,
    main_screen,
    press,
    record_notifications,
    screen_text,
    settle,
    shown_keys,
    started,
    status_text,
    type_text,
    wait_for_command,
)
from textual.widgets import Input, RadioSet, Select, Static

from digest_tui.app import SAVE_DELAY, DigestApp
from digest_tui.core.export import load_reading_list
from digest_tui.core.library import Library
from digest_tui.core.paths import demo_dir
from digest_tui.core.paths import library_file, lists_dir
from digest_tui.screens.dialogs import ExportDialog, PathDialog

TERN = "2606.18745"


def list_lines(app) -> list[str]:
    return [line.split("▕")[0] for line in screen_text(app).splitlines() if "▕" in line]


async def mark_two_papers(pilot) -> tuple[str, str]:
    """With the keys: star the first two papers; tag the first `moe` and give it a note. Returns their keys."""
    app = pilot.app
    keys = shown_keys(app)[:2]
    await press(pilot, "s", "t")
    await type_text(pilot, "moe")
    await press(pilot, "enter", "escape", "n")
    await type_text(pilot, "ch 3")
    await press(pilot, "ctrl+s", "j", "s")
    return keys[0], keys[1]


async def given_two_marked_papers(pilot) -> tuple[str, str]:
    """The same marks as mark_two_papers, put straight into the library (for tests of what comes after)."""
    app = pilot.app
    screen = main_screen(app)
    rows = screen.paper_list.rows[:2]
    first, second = (app.store.papers[row] for row in rows)
    app.library.set_starred(first, True)
    app.library.add_tag(first, "moe")
    app.library.set_note(first, "ch 3")
    app.library.set_starred(second, True)
    for row in rows:
        screen.panes.paper_changed(row)
    await press(pilot)
    return first.key, second.key


async def test_stars_tags_notes_and_read_marks_survive_quit_and_relaunch():
    app = demo_app()
    async with started(app) as pilot:
        first, second = await mark_two_papers(pilot)
        await press(pilot, "j", "r")
        third = current_paper(app).key
        await pilot.press("q")  # at once: quitting writes what the save timer has not written yet
        await pilot.pause()
    assert not app.is_running
    saved = Library.load(library_file())
    assert saved.mark(first).starred and saved.mark(second).starred

    again = demo_app()
    async with started(again) as pilot:
        marks = again.library
        assert marks.mark(first).starred and marks.mark(first).tags == ("moe",) and marks.mark(first).note == "ch 3"
        assert marks.mark(second).starred and marks.mark(third).read
        lines = list_lines(again)
        assert lines[0].startswith("★") and lines[1].startswith("★") and not lines[2].startswith("★")
        assert lines[2][1] == "○"  # read: a hollow dot
        assert "moe" in lines[0]
        assert "Note: ch 3" in detail_text(again)
        await press(pilot, "1")  # the tag from the last session has key 1
        assert marks.mark(first).tags == ()


async def test_changes_are_saved_after_a_quiet_moment_and_when_the_app_closes():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "s")
        await pilot.pause(SAVE_DELAY + 0.3)
        assert Library.load(library_file()).mark(TERN).starred
        await press(pilot, "j", "s")
        second = current_paper(app).key
    # closed without q: unmounting writes the pending change
    assert Library.load(library_file()).mark(second).starred


async def test_w_saves_a_reading_list_that_a_fresh_app_restores(tmp_path):
    path = tmp_path / "lists" / "moe.toml"
    app = demo_app()
    async with started(app) as pilot:
        first, second = await given_two_marked_papers(pilot)
        await press(pilot, "w")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and "Save a reading list" in screen_text(app)
        assert dialog.query_one("#path", Input).value.startswith(str(lists_dir()))
        dialog.query_one("#name", Input).value = "MoE [reading]"
        dialog.query_one("#path", Input).value = str(path)
        notes = record_notifications(app)
        await press(pilot, "ctrl+s")
        assert app.screen is main_screen(app)
        assert notes[-1] == f"Saved 2 papers to {path} (reading list)"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["list"]["name"] == "MoE [reading]" and data["list"]["query"] == "is:starred"
    assert [paper["id"] for paper in data["papers"]] == [first, second]
    assert data["papers"][0]["tags"] == ["moe"] and data["papers"][0]["note"] == "ch 3"
    assert all(paper["starred"] for paper in data["papers"])
    assert [paper.key for paper, _ in load_reading_list(path).records] == [first, second]

    # a new library and no digests: the list alone brings the papers and their marks back
    fresh = DigestApp([], reading_list=str(path), library_path=tmp_path / "fresh.toml", mark_read_after=0)
    async with started(fresh) as pilot:
        assert status_text(fresh) == "2 of 2 papers · list: MoE [reading] · sort: date · EN"
        assert sorted(shown_keys(fresh)) == sorted([first, second])
        mark = fresh.library.mark(first)
        assert mark.starred and mark.tags == ("moe",) and mark.note == "ch 3"
        await press(pilot, "escape")
        assert status_text(fresh) == "2 papers · sort: date · EN"


async def test_a_reading_list_is_read_beside_the_reader_which_goes_on_meanwhile(tmp_path, monkeypatch):
    from digest_tui.core import export

    path = tmp_path / "two.toml"
    go, reading = threading.Event(), threading.Event()
    read = export.load_reading_list

    def held(path):
        reading.set()
        go.wait(10)
        return read(path)

    app = demo_app()
    async with started(app) as pilot:
        first, second = await given_two_marked_papers(pilot)
        await press(pilot, "w")
        app.screen.query_one("#path", Input).value = str(path)
        await press(pilot, "ctrl+s")
        monkeypatch.setattr(export, "load_reading_list", held)
        main_screen(app).action_load_list()
        await press(pilot)
        app.screen.query_one("#path", Input).value = str(path)
        await pilot.press("enter")  # (not press(): that waits for the reading's worker)
        assert reading.wait(5)
        shown = current_paper(app).key
        await pilot.press("j")  # the reader answers while the list is read
        await pilot.pause()
        assert current_paper(app).key != shown and len(shown_keys(app)) == DEMO_PAPERS
        go.set()
        await settle(pilot)
        assert sorted(shown_keys(app)) == sorted([first, second])
        assert status_text(app).startswith(f"2 of {DEMO_PAPERS} papers · list: ")


async def test_a_reading_list_over_the_digests_restricts_the_list_until_escape(tmp_path):
    path = tmp_path / "two.toml"
    app = demo_app()
    async with started(app) as pilot:
        first, second = await given_two_marked_papers(pilot)
        await press(pilot, "w")
        app.screen.query_one("#path", Input).value = str(path)
        await press(pilot, "enter")  # enter in a field saves too
    assert path.exists()

    again = DigestApp([str(demo_dir())], reading_list=str(path), library_path=tmp_path / "other.toml",
                      mark_read_after=0)
    async with started(again) as pilot:
        assert sorted(shown_keys(again)) == sorted([first, second])
        status = status_text(again)
        assert status.startswith(f"2 of {DEMO_PAPERS} papers · list: ")
        assert again.library.mark(first).tags == ("moe",)
        # the digests' full record is what the detail pane shows (the list has no abstracts)
        assert "Abstract (English)" in detail_text(again) and "This paper has no" not in detail_text(again)
        await press(pilot, "escape")
        assert len(shown_keys(again)) == DEMO_PAPERS
        assert status_text(again) == f"{DEMO_PAPERS} papers · sort: date · EN"


async def test_load_reading_list_from_the_palette(tmp_path):
    path = tmp_path / "one.toml"
    path.write_text(
        'version = 1\n\n[list]\nname = "Tiny"\n\n[[papers]]\nid = "2606.16431"\ntags = ["warmup"]\nstarred = true\n',
        encoding="utf-8",
    )
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Load re")
        await wait_for_command(pilot, "Load reading list…")
        await press(pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, PathDialog)
        field = dialog.query_one("#path", Input)
        assert field.value == str(lists_dir()) + "/"
        field.value = str(path)
        await press(pilot, "enter")
        assert app.screen is main_screen(app)
        assert shown_keys(app) == ["2606.16431"]
        assert status_text(app) == f"1 of {DEMO_PAPERS} papers · list: Tiny · sort: date · EN"
        assert app.library.mark("2606.16431").starred and app.library.tags() == ["warmup"]
        assert "Warmup Is a Schedule for the Second Moment" in list_lines(app)[0]
        await press(pilot, "escape")
        assert len(shown_keys(app)) == DEMO_PAPERS


async def test_a_bad_reading_list_is_reported_and_nothing_changes(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("this is [not toml", encoding="utf-8")
    app = demo_app()
    async with started(app) as pilot:
        messages = record_notifications(app)
        for path in (bad, tmp_path / "missing.toml"):
            main_screen(app).action_load_list()
            await press(pilot)
            app.screen.query_one("#path", Input).value = str(path)
            await press(pilot, "enter")
            assert app.screen is main_screen(app) and app.is_running
            assert str(path) in messages[-1]
        assert len(shown_keys(app)) == DEMO_PAPERS
        assert status_text(app) == f"{DEMO_PAPERS} papers · sort: date · EN"


async def test_e_exports_starred_papers_as_bibtex_markdown_and_csv(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = demo_app()
    async with started(app) as pilot:
        first, second = await given_two_marked_papers(pilot)
        await press(pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and "Export papers" in screen_text(app)
        assert dialog.query_one("#path", Input).value == str(tmp_path / "digest-export.bib")
        notes = record_notifications(app)
        await press(pilot, "ctrl+s")
        assert notes[-1] == f"Saved 2 papers to {tmp_path / 'digest-export.bib'} (bib)"  # the format said once
        bib = (tmp_path / "digest-export.bib").read_text(encoding="utf-8")
        assert bib.count("@misc{") == 2
        assert f"eprint = {{{first}}}" in bib and f"eprint = {{{second}}}" in bib
        assert "keywords = {moe}" in bib

        await press(pilot, "e")
        app.screen.query_one("#format", Select).value = "md"
        await press(pilot)
        assert app.screen.query_one("#path", Input).value == str(tmp_path / "digest-export.md")
        await press(pilot, "enter")
        markdown = (tmp_path / "digest-export.md").read_text(encoding="utf-8")
        assert "## 1. Tern-VL Technical Report: Open Vision-Language Agents" in markdown
        assert "\\[Re\\] Revisiting Loss-Spike Early Warning" in markdown  # brackets escaped, not links
        assert f"https://arxiv.org/abs/{first}" in markdown and f"https://arxiv.org/abs/{second}" in markdown

        await press(pilot, "e")
        app.screen.query_one("#format", Select).value = "csv"
        await press(pilot, "ctrl+s")
        raw = (tmp_path / "digest-export.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that keeps Chinese readable in Excel
        rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
        assert [row["id"] for row in rows] == [f"arXiv:{first}", f"arXiv:{second}"]  # text to a spreadsheet
        assert rows[0]["tags"] == "moe" and rows[0]["note"] == "ch 3"
        assert rows[0]["title_zh"].startswith("Tern-VL技术报告")


async def test_the_dialog_offers_every_format_and_its_keys_are_the_command_lines(tmp_path, monkeypatch, capsysbinary):
    import bibtexparser

    from digest_tui.cli import main
    from digest_tui.core import export

    monkeypatch.chdir(tmp_path)
    app = demo_app()
    async with started(app) as pilot:
        first, second = await given_two_marked_papers(pilot)
        await press(pilot, "e")
        dialog = app.screen
        for name in export.NAMES:  # Select refuses a value that is not one of its options
            dialog.query_one("#format", Select).value = name
        dialog.query_one("#format", Select).value = "csl"
        await press(pilot)
        assert dialog.query_one("#path", Input).value == str(tmp_path / "digest-export.csl.json")
        dialog.query_one("#format", Select).value = "obsidian"
        await press(pilot)
        assert dialog.query_one("#path", Input).value == str(tmp_path / "digest-export")
        await press(pilot, "ctrl+s")
        assert sorted(p.stem for p in (tmp_path / "digest-export").glob("*.md")) == sorted(
            app.library.citekey(key) for key in (first, second)
        )
        await press(pilot, "e")
        app.screen.query_one("#format", Select).value = "bib"
        await press(pilot, "ctrl+s")
        reader_keys = {e.fields_dict["eprint"].value: e.key for e in bibtexparser.parse_string(
            (tmp_path / "digest-export.bib").read_text("utf-8")).entries}  # fmt: skip
    assert main(["export", "--starred", "-f", "bib", "--demo"]) == 0
    cli_keys = {e.fields_dict["eprint"].value: e.key for e in bibtexparser.parse_string(
        capsysbinary.readouterr().out.decode("utf-8")).entries}  # fmt: skip
    assert reader_keys == cli_keys and set(reader_keys) == {first, second}


async def test_export_a_tag_or_the_papers_shown_now(tmp_path):
    app = demo_app()
    async with started(app) as pilot:
        first, _ = await given_two_marked_papers(pilot)
        await press(pilot, "e")
        dialog = app.screen
        await pilot.click("#scope-tag")
        await press(pilot, "ctrl+s")
        assert "Choose a tag." in str(dialog.query_one("#error", Static).render())
        dialog.query_one("#tag", Select).value = "moe"
        dialog.query_one("#format", Select).value = "json"
        dialog.query_one("#path", Input).value = str(tmp_path / "moe.json")
        await press(pilot, "ctrl+s")
        assert [record["id"] for record in json.loads((tmp_path / "moe.json").read_text("utf-8"))] == [first]

        await press(pilot, "slash")
        await type_text(pilot, "cat:cs.CV")
        await press(pilot, "enter")
        await press(pilot, "e")
        dialog = app.screen
        await pilot.click("#scope-view")
        dialog.query_one("#format", Select).value = "json"
        dialog.query_one("#path", Input).value = str(tmp_path / "view.json")
        await press(pilot, "ctrl+s")
        exported = json.loads((tmp_path / "view.json").read_text("utf-8"))
        assert [record["id"] for record in exported] == shown_keys(app) and len(exported) == 6


def held_texts(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Papers read whole (Store.papers_with_texts: what an export reads) wait for a go (the first
    Event, set by the test; at most 10 s): the second is set once something has started reading."""
    from digest_tui.core.store import Store

    go, reading = threading.Event(), threading.Event()
    papers_with_texts = Store.papers_with_texts

    def held(store, rows):
        reading.set()
        go.wait(10)
        return papers_with_texts(store, rows)

    monkeypatch.setattr(Store, "papers_with_texts", held)
    return go, reading


async def test_an_export_is_written_beside_the_reader_which_goes_on_meanwhile(tmp_path, monkeypatch):
    go, reading = held_texts(monkeypatch)
    app = demo_app()
    async with started(app) as pilot:
        notes = record_notifications(app)
        await press(pilot, "e")
        app.screen.query_one("#format", Select).value = "json"
        app.screen.query_one("#path", Input).value = str(tmp_path / "shown.json")
        await pilot.press("ctrl+s")  # (not press(): that waits for the export's worker)
        assert reading.wait(5)
        first = current_paper(app).key
        await pilot.press("j", "s")  # the reader answers while the export waits for its texts
        await pilot.pause()
        assert current_paper(app).key != first and app.library.mark(current_paper(app).key).starred
        assert not (tmp_path / "shown.json").exists() and not any(n.startswith("Saved") for n in notes)
        go.set()
        await settle(pilot)
        assert notes[-1] == f"Saved {DEMO_PAPERS} papers to {tmp_path / 'shown.json'} (json)"
        exported = json.loads((tmp_path / "shown.json").read_text("utf-8"))
        assert len(exported) == DEMO_PAPERS and all(record["abstract_en"] for record in exported)


async def test_quitting_during_an_export_stops_it_leaves_the_file_and_says_so(tmp_path, monkeypatch):
    go, reading = held_texts(monkeypatch)
    old = tmp_path / "shown.bib"
    old.write_text("% the export before\n", encoding="utf-8")
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "e")
        app.screen.query_one("#path", Input).value = str(old)
        await pilot.press("ctrl+s")
        assert reading.wait(5)
        quit = asyncio.get_running_loop().time()
        await pilot.press("q")
        go.set()  # (the texts come, but the export has been told to stop)
    for _ in range(100):  # (app.run() waits for the export's thread; run_test() does not)
        if app.exit_notices:
            break
        await asyncio.sleep(0.05)
    assert asyncio.get_running_loop().time() - quit < 5
    assert old.read_text("utf-8") == "% the export before\n" and sorted(tmp_path.iterdir()) == [old]
    assert app.exit_notices == [f"the export to {old} was stopped: not written"]


async def test_export_dialog_reports_problems_and_stays_open(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "e")
        dialog = app.screen
        assert dialog.query_one("#scope", RadioSet).pressed_button.id == "scope-view"  # nothing starred yet: the papers shown
        assert "Starred papers (0)" in screen_text(app) and "The papers shown now (33)" in screen_text(app)
        await pilot.click("#scope-starred")
        dialog.query_one("#path", Input).value = str(tmp_path / "none.bib")
        await press(pilot, "ctrl+s")
        assert "Nothing to save" in str(dialog.query_one("#error", Static).render())
        assert app.screen is dialog and not (tmp_path / "none.bib").exists()
        await press(pilot, "escape", "s", "e")
        dialog = app.screen
        dialog.query_one("#path", Input).value = str(blocker / "out.bib")  # a folder that is a file
        await press(pilot, "ctrl+s")
        dialog = app.screen  # the dialog again, as it was, saying why it could not write
        assert isinstance(dialog, ExportDialog) and app.is_running
        assert str(blocker / "out.bib") in str(dialog.query_one("#error", Static).render())
        assert dialog.query_one("#path", Input).value == str(blocker / "out.bib")
        await pilot.click("#cancel")
        await press(pilot)
        assert app.screen is main_screen(app)


async def test_a_star_saved_by_another_instance_shows_after_our_save():
    """Two readers on one library: our next save merges the other's star and redraws that paper."""
    from digest_tui.core.library import Library
    from digest_tui.core.paths import library_file

    app = demo_app()
    async with started(app) as pilot:
        screen = main_screen(app)
        keys = shown_keys(app)
        other = Library.load(library_file())
        other.set_starred(app.store.papers[app.store.row(keys[1])], True)
        other.save()
        await pilot.press("s")  # star the first paper here; the save merges the other's
        assert app.save_library()
        assert app.library.mark(keys[0]).starred and app.library.mark(keys[1]).starred
        await pilot.pause()
        lines = list_lines(app)
        assert lines[0].lstrip().startswith("★") and lines[1].lstrip().startswith("★")
        assert screen.paper_list.cursor == 0
