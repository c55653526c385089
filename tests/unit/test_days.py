"""The reader's Days: where [ and ] go (every day, or the days matching the filter), and the unread papers of a day."""

from __future__ import annotations

from digest_tui.core.library import Library
from digest_tui.core.model import Source, make_paper
from digest_tui.core.store import Store
from digest_tui.screens.days import Days


def paper(id: str, date: str):
    return make_paper(id=id, date=date, title_en=f"Paper {id}", sources=(Source(f"{date}.txt", "arxivdaily"),))


def days_of(tmp_path, *papers):
    store, said = Store(), []
    store.add(list(papers))
    library = Library.load(tmp_path / "library.toml")
    return Days(store, library, lambda message, **options: said.append(message)), store, library, said


def test_from_every_day_the_step_goes_to_the_paper_under_the_cursor_else_the_newest(tmp_path):
    days, _store, _library, said = days_of(tmp_path, paper("2606.00001", "2026-06-16"), paper("2606.00002", "2026-06-18"))
    assert days.step(None, -1, filtered=False, paper_day="2026-06-16") == "2026-06-16"
    assert days.step(None, 1, filtered=False, paper_day=None) == "2026-06-18"
    assert said == []


def test_a_step_past_either_end_stays_and_says_so(tmp_path):
    days, _store, _library, said = days_of(tmp_path, paper("2606.00001", "2026-06-16"), paper("2606.00002", "2026-06-18"))
    assert days.step("2026-06-18", -1, filtered=False, paper_day=None) == "2026-06-16"
    assert days.step("2026-06-16", -1, filtered=False, paper_day=None) is None
    assert said == ["No earlier day than 2026-06-16 in the loaded digests (a shows all days)."]
    assert days.step("2026-06-18", 1, filtered=False, paper_day=None) is None
    assert said[-1] == "No later day than 2026-06-18 in the loaded digests (a shows all days)."


def test_with_a_filter_only_the_days_matching_it_count(tmp_path):
    days, _store, _library, said = days_of(
        tmp_path, paper("2606.00001", "2026-06-15"), paper("2606.00002", "2026-06-16"), paper("2606.00003", "2026-06-18"))
    days.matching = ["2026-06-15", "2026-06-18"]  # the list's last selection (PaperList.Shown)
    assert days.step("2026-06-18", -1, filtered=True, paper_day=None) == "2026-06-15"
    assert days.step("2026-06-18", -1, filtered=False, paper_day=None) == "2026-06-16"
    days.matching = []
    assert days.step("2026-06-18", -1, filtered=True, paper_day=None) is None
    assert said == ["No day with papers matching the filter."]


def test_the_unread_count_follows_read_marks_and_papers_added(tmp_path):
    first, second = paper("2606.00001", "2026-06-18"), paper("2606.00002", "2026-06-18")
    days, store, library, _said = days_of(tmp_path, first, second, paper("2606.00003", "2026-06-17"))
    assert days.unread(None) is None
    assert days.unread("2026-06-18") == 2
    library.set_read(first, True)
    assert days.unread("2026-06-18") == 1  # the day's keys are kept; the marks are read each time
    store.add([paper("2606.00004", "2026-06-18")])
    assert days.unread("2026-06-18") == 2  # a new store version: the day's papers found again
    assert days.unread("2026-06-17") == 1
    assert days.newest_unread() == "2026-06-18"
