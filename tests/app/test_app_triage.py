"""Triage at the speed of reading: triage mode, selections and bulk actions, undo, and read marks that wait for the user."""

from __future__ import annotations

import tomllib

from app_support import (
    burst,
    current_paper,
    demo_app,
    main_screen,
    press,
    record_calls,
    record_notifications,
    screen_text,
    shown_keys,
    started,
    status_text,
    type_text,
)

from digest_tui.app import DigestApp
from digest_tui.core.paths import demo_dir
from digest_tui.screens.triage import TriageScreen


def triage(app: DigestApp) -> TriageScreen:
    screen = app.screen
    assert isinstance(screen, TriageScreen)
    return screen


def progress(app: DigestApp) -> str:
    return str(triage(app).query_one("#triage-progress").render())


async def test_triage_keeps_skips_tags_undoes_and_leaves_on_the_paper_reached(tmp_path):
    app = demo_app(library_path=tmp_path / "library.toml")
    async with started(app) as pilot:
        await press(pilot, "right_square_bracket")  # one day: the newest paper's
        keys = shown_keys(app)
        total = len(keys)
        assert 1 < total < 33
        await press(pilot, "T")
        assert progress(app).startswith(f"1 of {total} · 0 kept")
        first = triage(app).paper
        assert first is not None and first.key == keys[0]
        assert (first.title_en or "")[:30] in screen_text(app)
        await press(pilot, "y")  # keep: star + read
        mark = app.library.mark(keys[0])
        assert mark.starred and mark.read
        assert progress(app).startswith(f"2 of {total} · 1 kept")
        await press(pilot, "n")  # skip: read only
        assert app.library.mark(keys[1]) .read and not app.library.mark(keys[1]).starred
        await press(pilot, "t")
        await burst(pilot, "moe, to-read", "enter")
        await press(pilot, "escape")
        assert isinstance(app.screen, TriageScreen)
        assert set(app.library.mark(keys[2]).tags) == {"moe", "to-read"}
        await press(pilot, "u")  # the tag decision taken back, both tags at once
        assert app.library.mark(keys[2]).tags == ()
        await press(pilot, "u")  # the skip taken back: back on that paper
        assert not app.library.mark(keys[1]).read
        assert triage(app).paper.key == keys[1]
        assert progress(app).startswith(f"2 of {total} · 1 kept")
        await press(pilot, "right", "right")  # forward without deciding
        assert triage(app).paper.key == keys[3]
        assert not app.library.mark(keys[1]).read and not app.library.mark(keys[2]).read
        await press(pilot, "left")
        assert triage(app).paper.key == keys[2]
        await press(pilot, "q")
        assert not isinstance(app.screen, TriageScreen)
        assert current_paper(app).key == keys[2]
        await press(pilot, "q")
    saved = tomllib.loads((tmp_path / "library.toml").read_text())
    assert saved["papers"][keys[0]]["starred"] is True
    assert keys[1] not in saved.get("read", [])


async def test_triage_puts_unread_papers_first_and_says_when_it_is_done():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "right_square_bracket")
        keys = shown_keys(app)
        await press(pilot, "j", "r")  # the second paper is read already
        await press(pilot, "T")
        order = [paper.key for paper in triage(app).papers]
        assert order == [keys[0]] + keys[2:] + [keys[1]]
        for _ in order:
            await press(pilot, "n")
        assert f"{len(order)} of {len(order)} · 0 kept · done" in progress(app)
        assert f"All {len(order)} papers triaged, 0 kept." in screen_text(app)
        await press(pilot, "escape")
        assert not isinstance(app.screen, TriageScreen)
        assert all(app.library.mark(key).read for key in keys)


async def test_triage_of_one_paper_says_the_paper_not_all_1_papers():
    app = demo_app()
    async with started(app) as pilot:
        key = shown_keys(app)[0]
        await press(pilot, "slash")
        await type_text(pilot, f"id:{key}")
        await press(pilot, "enter")
        assert shown_keys(app) == [key]
        await press(pilot, "T", "y")
        assert "1 of 1 · 1 kept · done" in progress(app)
        assert "The paper triaged, 1 kept." in screen_text(app)


async def test_space_selects_and_moves_down_star_acts_on_the_selection_and_esc_clears_it_first():
    app = demo_app()
    async with started(app) as pilot:
        keys = shown_keys(app)
        await press(pilot, "space", "space")
        screen = main_screen(app)
        assert screen.paper_list.selected == {keys[0], keys[1]}
        assert current_paper(app).key == keys[2]
        assert "2 selected" in status_text(app)
        lines = screen_text(app).splitlines()
        assert sum("✓" in line for line in lines) == 2
        await press(pilot, "s")  # the selection, not the paper under the cursor
        assert app.library.mark(keys[0]).starred and app.library.mark(keys[1]).starred
        assert not app.library.mark(keys[2]).starred
        await press(pilot, "slash")
        await burst(pilot, "cat:cs.CL", "enter")
        assert screen.query_text == "cat:cs.CL"
        await press(pilot, "escape")  # the selection goes first, the filter stays
        assert not screen.paper_list.selected and "selected" not in status_text(app)
        assert screen.query_text == "cat:cs.CL"
        await press(pilot, "escape")
        assert screen.query_text == ""


async def test_select_all_then_tag_read_and_export_act_on_every_selected_paper(tmp_path):
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "right_square_bracket")
        keys = shown_keys(app)
        await press(pilot, "asterisk")
        assert f"{len(keys)} selected" in status_text(app)
        await press(pilot, "t")
        await burst(pilot, "batch", "enter")
        await press(pilot, "escape")
        assert all(app.library.mark(key).has_tag("batch") for key in keys)
        await press(pilot, "1")  # tag 1 ("batch") on all of them: every one has it, so it comes off
        assert not any(app.library.mark(key).has_tag("batch") for key in keys)
        await press(pilot, "r")
        assert all(app.library.mark(key).read for key in keys)
        await press(pilot, "r")  # all read: all unread again
        assert not any(app.library.mark(key).read for key in keys)
        await press(pilot, "e")
        target = tmp_path / "selected.csv"
        screen = app.screen
        assert str(screen.query_one("#scope").pressed_button.label).startswith("The selected papers")
        screen.query_one("#format").value = "csv"
        screen.query_one("#path").value = str(target)
        await press(pilot, "ctrl+s")
        rows = target.read_text(encoding="utf-8-sig").strip().splitlines()
        assert len(rows) == len(keys) + 1


async def test_shift_r_marks_every_shown_paper_read_after_a_confirmation_and_u_takes_it_back():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "right_square_bracket")
        keys = shown_keys(app)
        await press(pilot, "R")
        assert f"Mark {len(keys)} unread papers of the {len(keys)} shown as read?" in screen_text(app)
        await press(pilot, "n")
        assert not any(app.library.mark(key).read for key in keys)
        notes = record_notifications(app)
        await press(pilot, "R")
        await press(pilot, "y")
        assert all(app.library.mark(key).read for key in keys)
        assert notes[-1] == f"Marked {len(keys)} papers read (u undoes)."
        await press(pilot, "a")  # every day: the other days' papers were not touched
        assert not all(app.library.mark(key).read for key in shown_keys(app))
        await press(pilot, "u")
        assert not any(app.library.mark(key).read for key in keys)
        assert notes[-1] == f"Undid read all ({len(keys)} papers)."


async def test_undo_takes_back_each_kind_of_change_in_turn_and_the_file_has_the_undone_state(tmp_path):
    path = tmp_path / "library.toml"
    app = demo_app(library_path=path)
    async with started(app) as pilot:
        keys = shown_keys(app)
        await press(pilot, "s")  # a star
        await press(pilot, "t")
        await burst(pilot, "later", "enter")
        await press(pilot, "escape")  # a tag
        await press(pilot, "n")
        await burst(pilot, "a note")
        await press(pilot, "ctrl+s")  # a note
        await press(pilot, "j", "space", "space", "r")  # a bulk read of two
        mark = app.library.mark(keys[0])
        assert mark.starred and mark.tags == ("later",) and mark.note == "a note"
        assert app.library.mark(keys[1]).read and app.library.mark(keys[2]).read
        app.save_library()
        assert tomllib.loads(path.read_text())["papers"][keys[0]]["note"] == "a note"
        await press(pilot, "u")
        assert not app.library.mark(keys[1]).read and not app.library.mark(keys[2]).read
        await press(pilot, "ctrl+z")
        assert app.library.mark(keys[0]).note == ""
        await press(pilot, "u")
        assert app.library.mark(keys[0]).tags == ()
        await press(pilot, "u")
        assert not app.library.mark(keys[0]).starred
        await press(pilot, "u")  # nothing left: says so, changes nothing
        app.save_library()
    assert keys[0] not in tomllib.loads(path.read_text()).get("papers", {})


async def test_the_first_paper_is_not_marked_read_at_start_only_after_the_user_moves_to_one():
    app = demo_app(mark_read_after=0.3)
    async with started(app) as pilot:
        keys = shown_keys(app)
        await pilot.pause(0.8)
        assert not app.library.mark(keys[0]).read  # on screen since the start, never chosen
        await press(pilot, "j")
        for _ in range(40):
            await pilot.pause(0.1)
            if app.library.mark(keys[1]).read:
                break
        assert app.library.mark(keys[1]).read
        assert not app.library.mark(keys[0]).read


async def test_keys_typed_in_one_burst_after_t_reach_the_triage_tag_box():
    app = DigestApp([str(demo_dir())], mark_read_after=0)
    async with started(app) as pilot:
        record_calls(app, "open_url")
        first = shown_keys(app)[0]
        await burst(pilot, "T", "t", "great", "enter")
        await press(pilot, "escape", "y")
        assert isinstance(app.screen, TriageScreen)
        mark = app.library.mark(first)
        assert mark.tags == ("great",) and mark.starred and mark.read  # tagged, then kept
        assert progress(app).startswith("2 of 33 · 1 kept")


async def test_the_help_screen_explains_the_row_marks():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "question_mark")
        legend = str(app.screen.query_one("#help-marks").render())
        assert "○ read" in legend and "✓ selected" in legend and "▲12 upvotes" in legend


async def test_the_paper_triage_left_on_is_not_read_by_dwelling_on_it():
    """Leaving triage puts the cursor on the paper reached; passed over there without a decision, it
    stays unread until the user moves in the list."""
    app = demo_app(mark_read_after=0.2)
    async with started(app) as pilot:
        keys = shown_keys(app)
        await press(pilot, "T", "right", "right", "q")
        assert current_paper(app).key == keys[2]
        await pilot.pause(0.6)
        assert not app.library.mark(keys[2]).read


async def test_a_in_triage_shows_all_authors_of_the_paper_it_says_so_for():
    app = demo_app()
    async with started(app) as pilot:
        await press(pilot, "T")
        paper = triage(app).paper
        hidden = len(paper.authors) - 12
        assert hidden > 0 and f"and {hidden} more (A shows all)" in screen_text(app)
        await press(pilot, "A")
        text = screen_text(app)
        assert "more (A shows all)" not in text and paper.authors[-1] in text
        await press(pilot, "right", "left")  # another paper shown, then this one again: shortened
        assert f"and {hidden} more (A shows all)" in screen_text(app)
        await press(pilot, "A", "A")
        assert f"and {hidden} more (A shows all)" in screen_text(app)


async def test_j_and_space_scroll_a_long_paper_in_triage():
    from digest_tui.widgets.paper_detail import PaperDetail

    app = demo_app()
    async with started(app, size=(80, 24)) as pilot:
        await press(pilot, "T")
        detail = triage(app).query_one(PaperDetail)
        assert app.focused is detail and detail.max_scroll_y > detail.size.height
        await press(pilot, "j")
        await pilot.wait_for_scheduled_animations()
        assert detail.scroll_y == 1
        await press(pilot, "space")
        await pilot.wait_for_scheduled_animations()
        assert detail.scroll_y == 1 + detail.scrollable_content_region.height
        assert "1 of 33 · 0 kept" in progress(app)  # scrolling decides nothing


async def test_l_in_triage_shows_the_other_language_first_and_the_list_keeps_its_own():
    app = demo_app()
    async with started(app, size=(120, 40)) as pilot:
        await press(pilot, "T")
        paper = triage(app).paper
        assert paper.title_zh and paper.abstract_zh
        assert "Abstract (English)" in screen_text(app)
        await press(pilot, "l")
        text = screen_text(app)
        assert "摘要 (中文)" in text and "Abstract (English)" not in text
        assert text.splitlines()[2].strip().startswith(paper.title_zh[:10])  # the Chinese title first
        await press(pilot, "l")
        assert "Abstract (English)" in screen_text(app)
        await press(pilot, "l", "q")
        assert app.language == "en" and status_text(app).endswith("· EN")
