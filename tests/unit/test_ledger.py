"""The morning ledger: announced / in digests / read / left per listing day and category, counted
on hand-checked days (tests/fixtures/README.md; the real cs listing e-mail in ../shared)."""

from __future__ import annotations

from pathlib import Path

from digest_tui import cli
from digest_tui.core.ledger import ALL, format_table, ledger_of, table
from digest_tui.core.library import Library
from digest_tui.core.loading.session import load
from digest_tui.core.paths import demo_dir
from digest_tui.core.model import make_paper

FEED = "arxiv-rss-cs.CL+cs.LG-2026-06-18.xml"


def loaded(*paths):
    store, report = load([str(p) for p in paths])
    assert not report.problems
    return store


def counts(row):
    return (row.category, row.new, row.cross, row.replacement, row.announced, row.in_digests, row.read, row.left)


def test_a_feed_day_against_the_demo_digest_and_the_library(fixtures, tmp_path):
    store = loaded(fixtures / FEED, demo_dir() / "arxivdaily-2026-06-18.txt")
    library = Library(tmp_path / "library.toml")
    for key in ("2606.18912", "2606.18061", "2606.18604"):
        library.set_read(make_paper(id=key), True)
    library.set_starred(make_paper(id="2605.01234"), True)  # replaced today: flagged
    library.set_starred(make_paper(id="2606.18745"), True)  # a cross-list: not a replacement
    ledger = ledger_of(store, library.mark, ["cs.CL", "cs.LG"])
    assert [counts(row) for row in ledger.rows] == [
        (ALL, 5, 2, 2, 9, 5, 3, 6),
        ("cs.CL", 3, 1, 1, 5, 4, 2, 3),
        ("cs.LG", 2, 1, 1, 4, 1, 1, 3),
    ]
    assert ledger.days() == ["2026-06-18"]
    assert ledger.replaced == {"2605.01234": "2026-06-18"}
    assert ledger.replacements == {"2605.01234": "2026-06-18", "2604.05555": "2026-06-18"}
    assert ledger.done_days() == set()


def test_a_day_whose_every_announced_paper_is_read_is_done(fixtures, tmp_path):
    store = loaded(fixtures / FEED)
    library = Library(tmp_path / "library.toml")
    for paper in store.papers:
        library.set_read(paper, True)
    ledger = ledger_of(store, library.mark, ["cs.CL", "cs.LG"])
    assert ledger.done_days() == {"2026-06-18"}
    assert table(ledger)[1][-1] == "done"


def test_without_subscriptions_a_paper_counts_in_its_primary_category(fixtures, tmp_path):
    store = loaded(fixtures / FEED)
    ledger = ledger_of(store, Library(tmp_path / "l.toml").mark)
    assert {row.category: row.announced for row in ledger.rows} == {
        ALL: 9, "cs.CL": 4, "cs.LG": 2, "cs.CV": 1, "stat.ML": 1, "math.OC": 1}  # cs.CL: 18912, 18061, 19120, 2605.01234
    assert [row.category for row in ledger.day("2026-06-18")][:3] == [ALL, "cs.CL", "cs.LG"]  # the biggest first


def test_digests_that_are_not_arxiv_listings_make_no_ledger(tmp_path):
    store = loaded(demo_dir())
    ledger = ledger_of(store, Library(tmp_path / "l.toml").mark)
    assert ledger.rows == [] and ledger.replaced == {}


def test_the_real_cs_listing_email(shared_digests, tmp_path):
    store = loaded(shared_digests / "arxiv-listing-email-2026-01-23-cs.txt")
    ledger = ledger_of(store, Library(tmp_path / "l.toml").mark, ["cs.CL", "cs.LG"])
    [day] = ledger.days()
    total = ledger.total(day)
    # the mailing's own section counts: 116 new submissions, 109 cross-lists, 157 replacements
    assert (total.new, total.cross, total.replacement, total.announced, total.in_digests, total.left) == (116, 109, 157, 382, 0, 382)
    assert sum(row.announced for row in ledger.day(day) if row.category != ALL) == 382


def test_cli_ledger_prints_the_table(fixtures, capsys, private_home):
    assert cli.main(["ledger", str(fixtures / FEED), str(demo_dir() / "arxivdaily-2026-06-18.txt")]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == (
        "day         category  new  cross  repl  announced  in digests  read  left\n"
        "2026-06-18  all         5      2     2          9           5     0     9\n"
        "2026-06-18  cs.CL       3      1     1          5           4     0     5\n"
        "2026-06-18  cs.LG       2      1     1          4           1     0     4\n"
    )


def test_cli_ledger_for_a_day_without_a_listing(fixtures, capsys):
    assert cli.main(["ledger", "--date", "2026-06-17", str(fixtures / FEED)]) == 1
    assert capsys.readouterr().err == (
        "digest-tui: no arXiv feed or listing e-mail loaded for 2026-06-17: nothing to count "
        "(digest-tui fetch arxiv gets today's)\n")


def test_format_table_aligns_numbers_right():
    assert format_table([("day", "category", "new"), ("2026-06-18", "all", "12")]) == (
        "day         category  new\n2026-06-18  all        12\n")


def test_a_listing_file_gone_since_the_load_is_skipped(fixtures, tmp_path):
    copy = tmp_path / FEED
    copy.write_bytes((fixtures / FEED).read_bytes())
    store = loaded(copy)
    Path(copy).unlink()
    assert ledger_of(store, Library(tmp_path / "l.toml").mark).rows == []


def test_cli_ledger_lists_the_starred_papers_arxiv_replaced(fixtures, capsys):
    from digest_tui.core.paths import library_file

    library = Library(library_file())
    library.set_starred(make_paper(id="2605.01234", title_en="Token Budgets for Long-Context Retrieval"), True)
    library.save()
    assert cli.main(["ledger", str(fixtures / FEED)]) == 0
    out = capsys.readouterr().out
    assert out.endswith("starred, replaced on 2026-06-18: 2605.01234 Token Budgets for Long-Context Retrieval\n")
