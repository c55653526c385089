"""The store: merging records of one paper, and the orders it answers in."""

from __future__ import annotations

from digest_tui.core.loading.session import load
from digest_tui.core.model import Source, make_paper
from digest_tui.core.store import Store, sort_rows


def paper(**values):
    return make_paper(**values)


def test_same_id_from_two_formats_merges_into_one_record():
    store = Store()
    daily = paper(id="2606.18663v2", title_en="RegMix-D", title_zh="RegMix-D 中文", score=90,
                  date="2026-06-18", categories=("cs.CL",), sources=(Source("a.txt", "arxivdaily"),))
    hf = paper(id="2606.18663", title_en="RegMix-D", upvotes=12, date="2026-06-19",
               categories=("cs.LG", "cs.CL"), abstract_en="Data mixture...", sources=(Source("b.json", "hf-api-json"),))
    store.add([daily])
    store.add([hf])
    assert len(store) == 1
    merged = store.papers[0]
    assert merged.id == "2606.18663"
    assert (merged.score, merged.upvotes) == (90, 12)
    assert merged.title_zh == "RegMix-D 中文"
    assert merged.abstract_en == "Data mixture..."
    assert merged.categories == ("cs.CL", "cs.LG")
    assert merged.date == "2026-06-18"  # the first listing
    assert [s.file for s in merged.sources] == ["a.txt", "b.json"]


def test_file_formats_names_each_file_read_in_order_with_its_format_once_merged_and_removed():
    store = Store()
    store.add([paper(id="2606.00001", title_en="A", sources=(Source("mail.txt", "arxiv-email"),)),
               paper(id="2606.00002", title_en="B", sources=(Source("mail.txt", "arxiv-email"),))])
    store.add([paper(id="2606.00002", title_en="B", sources=(Source("daily.txt", "arxivdaily"),))])  # merged into B
    store.add([paper(id="2606.00003", title_en="C", sources=(Source("feed.xml", "arxiv-rss"),))])
    assert store.file_formats() == {"mail.txt": "arxiv-email", "daily.txt": "arxivdaily", "feed.xml": "arxiv-rss"}
    assert list(store.file_formats()) == ["mail.txt", "daily.txt", "feed.xml"]
    assert store.remove_files(["mail.txt"]) == {"daily.txt"}  # B leaves with it, to be added again from daily.txt
    assert store.file_formats() == {"feed.xml": "arxiv-rss"}
    store.add([paper(id="2606.00002", title_en="B", sources=(Source("daily.txt", "arxivdaily"),))])
    assert store.file_formats() == {"daily.txt": "arxivdaily", "feed.xml": "arxiv-rss"}


def test_entries_without_id_merge_by_normalised_title():
    store = Store()
    store.add([paper(title_en="Scaling Laws: A Survey!", upvotes=3, sources=(Source("a", "hf-text"),))])
    store.add([paper(title_en="scaling  laws — a SURVEY", upvotes=5, sources=(Source("b", "hf-text"),))])
    assert len(store) == 1
    assert store.papers[0].upvotes == 5
    assert len(store.papers[0].sources) == 2


def test_title_only_entry_joins_the_paper_with_an_id_either_way_round():
    for order in ((0, 1), (1, 0)):
        records = [
            paper(id="2606.00001", title_en="Sparse Experts, Dense Gains", score=80),
            paper(title_en="Sparse experts dense gains", upvotes=40),
        ]
        store = Store()
        for index in order:
            store.add([records[index]])
        assert len(store) == 1
        merged = store.papers[0]
        assert (merged.id, merged.key, merged.score, merged.upvotes) == ("2606.00001", "2606.00001", 80, 40)
        assert store.row("2606.00001") == 0


def test_two_ids_with_one_title_stay_two_papers():
    store = Store()
    store.add([paper(id="2606.00001", title_en="Same Title"), paper(id="2606.00002", title_en="Same Title")])
    assert len(store) == 2


def test_default_order_is_date_then_score_then_title():
    papers = [
        paper(id="1", title_en="b", date="2026-06-17", score=99),
        paper(id="2", title_en="a", date="2026-06-18", score=50),
        paper(id="3", title_en="c", date="2026-06-18", score=90),
        paper(id="4", title_en="B", date="2026-06-18", score=90),
        paper(id="5", title_en="z", date=None, score=None),
        paper(id="6", title_en="y", date="2026-06-18", score=None),
    ]
    ids = [papers[r].id for r in sort_rows(papers, "date")]
    assert ids == ["4", "3", "2", "6", "1", "5"]
    assert [papers[r].id for r in sort_rows(papers, "title")] == ["2", "1", "4", "3", "6", "5"]
    assert [papers[r].id for r in sort_rows(papers, "score")] == ["1", "4", "3", "2", "6", "5"]


def test_the_grouped_sort_gives_the_order_of_a_sort_of_every_row_by_each_key_in_turn(monkeypatch):
    """Many ties on every key (a few days, scores, upvotes and titles, some unknown), and groups
    small enough to be grouped again: the order is that of stable sorts by title, score, date
    (then score or upvotes again) over all the rows at once, as the store sorted before."""
    import random

    from digest_tui.core import store as store_module
    from digest_tui.core.model import SORTS
    from digest_tui.core.store import title_sort_key

    monkeypatch.setattr(store_module, "SORT_GROUP_ROWS", 3)
    pick = random.Random(18).choice
    papers = [paper(id=f"2606.{n:05d}", title_en=pick(["alpha", "Alpha", "[Re] beta", "beta", "gamma", "ab", "a", ""]),
                    date=pick(["2026-06-16", "2026-06-17", "2026-06-18", None]), score=pick([None, 10, 50, 90]),
                    upvotes=pick([None, 0, 3])) for n in range(600)]
    titles = list(map(title_sort_key, papers))

    def passes(sort: str) -> list[int]:
        rows = sorted(range(len(papers)), key=titles.__getitem__)
        scores = [-1 if p.score is None else p.score for p in papers]
        rows.sort(key=scores.__getitem__, reverse=True)
        if sort == "title":
            return sorted(range(len(papers)), key=titles.__getitem__)
        rows.sort(key=[p.date or "" for p in papers].__getitem__, reverse=True)
        if sort == "score":
            rows.sort(key=scores.__getitem__, reverse=True)
        if sort == "upvotes":
            rows.sort(key=[-1 if p.upvotes is None else p.upvotes for p in papers].__getitem__, reverse=True)
        return rows

    for sort in SORTS:
        assert sort_rows(papers, sort) == passes(sort), sort
        assert sort_rows(papers, sort, titles) == passes(sort), sort


def test_upvote_order_puts_unknown_last():
    papers = [paper(id="1", title_en="a", upvotes=None), paper(id="2", title_en="b", upvotes=0),
              paper(id="3", title_en="c", upvotes=7)]
    assert [papers[r].id for r in sort_rows(papers, "upvotes")] == ["3", "2", "1"]


def test_loading_the_seed_folder(shared_digests):
    store, report = load([shared_digests])
    ids = {p.id for p in store.papers}
    assert {"2606.18663", "2506.06006", "2601.22601"} <= ids
    orders = store.ordered("date")
    assert store.papers[orders[0]].date == max(p.date for p in store.papers if p.date)
    assert sorted(orders) == list(range(len(store)))


def test_folder_walk_skips_hidden_and_reports_other_files(tmp_path, fixtures):
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / "notes.txt").write_text("Shopping list: milk, eggs.\n")
    sub = tmp_path / "2026" / "06"
    sub.mkdir(parents=True)
    (sub / "day.txt").write_text(
        "2606.00001 2026-06-18 cs.CL 新提交 70%\n\nA Title\n\n中文标题\n\nAnn Author\n\n详情\n"
        "AI中文摘要\n\n摘要。\n\n英文摘要\n\nAbstract.\n",
        encoding="utf-8",
    )
    (tmp_path / "loop").symlink_to(tmp_path)
    store, report = load([tmp_path, tmp_path / "missing.txt"])
    assert [p.id for p in store.papers] == ["2606.00001"]
    reasons = {problem.path.rsplit("/", 1)[-1]: problem.reason for problem in report.problems}
    assert reasons["notes.txt"] == "not a digest in any known format"
    assert reasons["missing.txt"] == "No such file or directory"
    assert ".hidden.txt" not in reasons


def test_removing_a_file_takes_its_papers_away_and_keeps_what_others_say():
    store = Store()
    daily = [paper(id="2606.00001", title_en="Shared", score=80, sources=(Source("daily.txt", "arxivdaily"),)),
             paper(id="2606.00002", title_en="Only daily", score=70, sources=(Source("daily.txt", "arxivdaily"),))]
    hf = [paper(id="2606.00001", title_en="Shared", upvotes=9, sources=(Source("hf.json", "hf-api-json"),))]
    store.add(daily)
    store.add(hf)
    assert len(store) == 2 and store.papers[0].upvotes == 9
    to_reload = store.remove_files(["hf.json"])
    assert to_reload == {"daily.txt"}
    assert len(store) == 1 and store.row("2606.00001") is None
    store.add(daily)  # the caller adds the other files again
    assert len(store) == 2
    shared = store.papers[store.row("2606.00001")]
    assert (shared.score, shared.upvotes) == (80, None)
    assert [s.file for s in shared.sources] == ["daily.txt"]
    assert [store.papers[r].id for r in store.ordered("date")] == ["2606.00001", "2606.00002"]


def test_removing_the_only_file_empties_the_order():
    store = Store()
    store.add([paper(id="2606.00001", title_en="A", sources=(Source("a.txt", "arxivdaily"),))])
    assert store.remove_files(["a.txt"]) == set()
    assert len(store) == 0 and store.ordered("date") == [] and store.files() == []


def test_title_order_ignores_leading_brackets():
    papers = [paper(id="1", title_en="[Re] Revisiting warmup"), paper(id="2", title_en="Attention sinks"),
              paper(id="3", title_en="“Quoted” models"), paper(id="4", title_en="Zebra")]
    assert [papers[r].id for r in sort_rows(papers, "title")] == ["2", "3", "1", "4"]


def test_papers_put_in_by_extend_are_found_and_merged_by_their_keys():
    """extend() (a snapshot's rows) leaves its keys out of the key lookup until it is first used:
    row(), add() and fill_keys() each find every row by its own key, and a snapshot's other keys
    (put in by restore()) lead where they say."""
    from digest_tui.core.store import StoreState, title_sort_key

    def restored() -> Store:
        store = Store()
        first = [paper(id="2606.00001", title_en="One", sources=(Source("a.txt", "arxivdaily"),)),
                 paper(id="2606.00002", title_en="Two", sources=(Source("a.txt", "arxivdaily"),))]
        store.extend(first, list(map(title_sort_key, first)))
        more = [paper(id="2606.00003", title_en="Three", sources=(Source("b.txt", "arxivdaily"),))]
        store.extend(more, list(map(title_sort_key, more)))
        store.restore(StoreState([], [], [("2606.00009", 1)], [], {"a.txt": [0, 1], "b.txt": [2]}, None), {})
        return store

    store = restored()
    assert [store.row(key) for key in ("2606.00001", "2606.00002", "2606.00003", "2606.00009")] == [0, 1, 2, 1]
    assert store.row("2606.00004") is None

    store = restored()  # the first use an add(): the paper merges into its row, no new row
    rows = store.add([paper(id="2606.00003", title_en="Three", score=90, sources=(Source("c.txt", "hf"),))])
    assert rows == [2] and len(store) == 3 and store.papers[2].score == 90
    assert [s.file for s in store.papers[2].sources] == ["b.txt", "c.txt"]
    assert store.add([paper(id="2606.00009", title_en="Nine", sources=(Source("c.txt", "hf"),))]) == [1]

    store = restored()
    store.fill_keys()
    assert store.row("2606.00001") == 0 and store.row("2606.00009") == 1
    assert store.state().other_keys == [("2606.00009", 1)]


def test_fill_keys_puts_a_snapshots_keys_in_a_few_rows_at_a_time_with_the_same_result(monkeypatch):
    """fill_keys() in chunks of one row (the lock let go between them) gives the lookup the
    keys give at once; a key restore() put in keeps its row, even one that is also a row's own."""
    import digest_tui.core.store as store_module
    from digest_tui.core.store import StoreState, title_sort_key

    papers = [paper(id=f"2606.0000{at}", title_en=f"P{at}", sources=(Source("a.txt", "arxivdaily"),)) for at in range(5)]
    chunked = Store()
    chunked.extend(papers, list(map(title_sort_key, papers)))
    chunked.restore(StoreState([], [], [("2606.00003", 1), ("2606.00009", 4)], [], {"a.txt": list(range(5))}, None), {})
    monkeypatch.setattr(store_module, "KEY_CHUNK", 1)
    held = []
    real_add_keys = chunked._add_keys
    monkeypatch.setattr(chunked, "_add_keys", lambda count: held.append(count) or real_add_keys(count))
    chunked.fill_keys()
    assert held == [1] * 5
    assert [chunked.row(f"2606.0000{at}") for at in range(5)] == [0, 1, 2, 1, 4]
    assert chunked.row("2606.00009") == 4


def test_start_over_leaves_what_extend_into_an_empty_store_leaves():
    """A warm start's first snapshot rows in place of the first file's papers read early: nothing of
    those stays behind (their file, texts pending, an order, a title), and the old list is left whole."""
    from digest_tui.core.store import title_sort_key

    store = Store()
    early = [paper(id="2606.00001", title_en="One", sources=(Source("a.txt", "arxivdaily"),)),
             paper(id="2606.00007", title_en="Seven", sources=(Source("a.txt", "arxivdaily"),))]
    store.add(early)
    held = store.papers
    assert store.ordered("title") == [0, 1] and store.files() == ["a.txt"]
    merged = [paper(id="2606.00001", title_en="One", score=80, sources=(Source("a.txt", "arxivdaily"), Source("b.txt", "hf"))),
              paper(id="2606.00002", title_en="Two", sources=(Source("a.txt", "arxivdaily"),)),
              paper(id="2606.00003", title_en="Three", sources=(Source("b.txt", "hf"),))]
    version = store.version
    store.start_over(merged, list(map(title_sort_key, merged)), ("date", [2, 0, 1]))
    assert store.version > version and len(store) == 3
    assert held == early and store.papers is not held  # a view that held the old list read it whole
    assert store.papers[0].score == 80 and store.files() == []  # until restore() says each file's rows
    assert [store.row(key) for key in ("2606.00001", "2606.00002", "2606.00003", "2606.00007")] == [0, 1, 2, None]
    assert store.ordered("date") == [2, 0, 1]  # the expected order, as expect() sets it for an empty store
    assert [store.papers[row].id for row in store.ordered("title")] == ["2606.00001", "2606.00003", "2606.00002"]


def test_an_ascii_title_folds_as_the_general_rule_folds_it():
    # the ASCII shortcut (bytes: lower case, then every character that is not a letter or digit
    # dropped) must merge exactly the titles that NFKC, casefold and dropping [\W_] merge
    import re
    import unicodedata

    from digest_tui.core.model import normalise_title

    def general(title: str) -> str:
        return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", title).casefold())

    every_ascii = "".join(map(chr, range(128)))
    titles = [every_ascii, every_ascii[::-1], "Scaling k-NN LMs: 10^12 Tokens (v2)", "  A_B\tc\n", "", "x" * 300]
    for title in titles:
        assert title.isascii() and normalise_title(title) == general(title), repr(title)
    assert normalise_title(every_ascii) == "0123456789abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
