"""Papers added without their long texts (a warm start): the texts come in on demand or by
fill_texts(), and the result is exactly what adding the whole papers would have given."""

from __future__ import annotations

import threading

from digest_tui.core.model import Source, make_paper, texts_of, without_texts
from digest_tui.core.model import Paper
from digest_tui.core.query import parse_query
from digest_tui.core.library import NO_MARK
from digest_tui.core.store import Store


def whole(file: str, id: str, abstract: str, title: str = "A title", **more) -> Paper:
    return make_paper(id=id, title_en=title, abstract_en=abstract, institutions=("MIT",),
                      sources=(Source(file, "arxivdaily"),), **more)


def light(paper: Paper) -> Paper:
    return tuple.__new__(Paper, without_texts(paper))


def add_light(store: Store, file: str, papers: list[Paper], reads: list[str] | None = None) -> None:
    """Add papers as a warm start does: without texts, with a reader for them."""

    def read():
        if reads is not None:
            reads.append(file)
        return [texts_of(paper) for paper in papers]

    store.add([light(paper) for paper in papers], texts=(file, read))


def test_light_papers_lack_texts_until_asked_and_paper_reads_them_once():
    store, reads = Store(), []
    add_light(store, "a.txt", [whole("a.txt", "2601.00001", "First abstract."), whole("a.txt", "2601.00002", "Second.")], reads)
    assert store.texts_pending
    assert store.papers[0].abstract_en is None and store.papers[0].institutions == ()
    assert store.paper(0).abstract_en == "First abstract."
    assert store.paper(0).institutions == ("MIT",)
    assert store.papers[0].abstract_en == "First abstract."  # kept, not read again
    assert store.paper(1).abstract_en == "Second."
    assert reads == ["a.txt"]  # one read served both papers of the file


def test_fill_texts_brings_every_pending_text_in_and_says_when_it_is_done():
    store = Store()
    add_light(store, "a.txt", [whole("a.txt", "2601.00001", "One.")])
    add_light(store, "b.txt", [whole("b.txt", "2601.00002", "Two.")])
    assert store.fill_texts(files=1) is True  # b.txt still to come
    assert store.papers[0].abstract_en == "One." and store.papers[1].abstract_en is None
    assert store.fill_texts(files=1) is False
    assert [p.abstract_en for p in store.papers] == ["One.", "Two."]
    assert not store.texts_pending


def test_fill_texts_takes_the_files_oldest_first_a_file_read_again_last():
    store, reads = Store(), []
    for number, name in enumerate(("a.txt", "b.txt", "c.txt"), 1):
        add_light(store, name, [whole(name, f"2601.0000{number}", name)], reads)
    add_light(store, "a.txt", [whole("a.txt", "2601.00001", "a.txt again")], reads)  # changed on disk: read again
    while store.fill_texts(files=1):
        pass
    assert reads == ["b.txt", "c.txt", "a.txt"]  # the first a.txt is never read: its texts were replaced
    assert [paper.abstract_en for paper in store.papers] == ["a.txt again", "b.txt", "c.txt"]


def test_the_first_files_text_wins_as_in_a_whole_load_whatever_the_order_texts_arrive():
    first = whole("a.txt", "2601.00001", "The arXivDaily abstract.")
    second = whole("b.txt", "2601.00001", "The HF abstract.", upvotes=9)
    expected = Store()
    expected.add([first])
    expected.add([second])

    lazy_then_whole = Store()  # a cached file, then a freshly parsed one with the same paper
    add_light(lazy_then_whole, "a.txt", [first])
    lazy_then_whole.add([second])
    assert lazy_then_whole.paper(0) == expected.papers[0]

    both_lazy = Store()
    add_light(both_lazy, "a.txt", [first])
    add_light(both_lazy, "b.txt", [second])
    assert both_lazy.paper(0) == expected.papers[0]  # on demand
    both_lazy_filled = Store()
    add_light(both_lazy_filled, "a.txt", [first])
    add_light(both_lazy_filled, "b.txt", [second])
    while both_lazy_filled.fill_texts():
        pass
    assert both_lazy_filled.papers[0] == expected.papers[0]  # by fill_texts


def test_full_text_search_before_the_texts_are_filled_finds_words_in_abstracts():
    store = Store()
    add_light(store, "a.txt", [whole("a.txt", "2601.00001", "Sparse mixture of experts."),
                               whole("a.txt", "2601.00002", "Dense retrieval.")])
    query = parse_query("mixture")
    assert [store.papers[row].id for row in store.select(query, lambda key: NO_MARK)] == ["2601.00001"]


def test_removing_a_file_drops_its_pending_texts():
    store, reads = Store(), []
    add_light(store, "a.txt", [whole("a.txt", "2601.00001", "One.")], reads)
    store.remove_files(["a.txt"])
    assert not store.texts_pending
    assert store.fill_texts() is False and reads == []


def test_a_reader_that_gives_nothing_leaves_the_papers_as_they_are():
    store = Store()
    store.add([light(whole("a.txt", "2601.00001", "One."))], texts=("a.txt", lambda: []))
    assert store.paper(0).abstract_en is None
    assert store.fill_texts() is False


def test_a_snapshot_of_the_store_and_the_texts_folded_for_the_index_are_made_without_its_lock(tmp_path, monkeypatch):
    # the UI thread asks for the lock (row(), paper()) while a worker makes these: at 100k papers
    # ~150 ms each, that a filter's answer or the paper shown would wait for
    from digest_tui.core import store as store_module
    from digest_tui.core.index import COLUMNS
    from digest_tui.core.textindex import TextIndex

    store = Store()
    add_light(store, "a.txt", [whole("a.txt", f"2601.{n:05d}", f"Abstract number {n}.") for n in range(40)])
    held: list[bool] = []

    def locked() -> bool:  # (an RLock says whether it is held only to another thread that tries it)
        took: list[bool] = []
        thread = threading.Thread(target=lambda: took.append(store._lock.acquire(blocking=False)) or (took[0] and store._lock.release()))
        thread.start()
        thread.join()
        return not took[0]

    def watched(real):
        return lambda paper: held.append(locked()) or real(paper)

    monkeypatch.setattr(store_module, "without_texts", watched(without_texts))
    state = store.state()
    assert held and not any(held)
    assert [tuple(paper) for paper in state.papers] == [without_texts(paper) for paper in store.papers]
    held.clear()
    monkeypatch.setitem(COLUMNS, "abstract_en", watched(COLUMNS["abstract_en"]))
    store.attach_texts(TextIndex(str(tmp_path / "texts")))
    while store.sync_texts():
        pass
    assert len(held) == 40 and not any(held)
    assert store.select(parse_query("number 17"), lambda key: NO_MARK) == [store.row("2601.00017")]


def test_a_full_text_filter_writes_only_the_rows_a_sealed_index_lacks_and_never_chases_a_load(tmp_path, monkeypatch):
    from digest_tui.core.textindex import TextIndex

    def numbered(n: int) -> Paper:
        return whole("a.txt", f"2601.{n:05d}", f"Abstract number {n}.")

    marks = lambda key: NO_MARK  # noqa: E731
    store = Store()
    store.attach_texts(TextIndex(str(tmp_path / "texts")))  # a first start: nothing sealed yet
    store.add([numbered(n) for n in range(5)])
    writes: list[int] = []
    real = Store.sync_texts

    def while_loading(self, rows=None):  # a load adds a paper each time the index is written to
        writes.append(len(self.papers))
        remain = real(self, rows)
        self.add([numbered(len(self.papers))])
        return remain

    monkeypatch.setattr(Store, "sync_texts", while_loading)
    assert len(store.select(parse_query("number"), marks)) == 5
    assert writes == []  # searched in memory: before, the filter wrote the index as the load went on, then answered
    monkeypatch.undo()
    while store.sync_texts():
        pass
    store.seal_texts("s", store.version)
    store.add([numbered(n) for n in range(5, 8)])  # papers added since the seal (a new file)
    monkeypatch.setattr(Store, "sync_texts", while_loading)
    found = store.select(parse_query("number"), marks)
    assert writes == [8]  # the three it lacked written once, not the one added meanwhile
    assert len(found) == 8 and len(store.papers) == 9 and store.texts_unsynced() == 1  # (the next selection's)


def test_the_texts_of_some_rows_come_in_as_fill_texts_brings_every_text(tmp_path):
    """fill_texts_of() reads the files of the rows asked for (each once), in the order
    fill_texts() reads them: a paper listed in two files gets the same texts either way."""
    from digest_tui.core.loading.cache import ParseCache
    from digest_tui.core.loading.session import load
    from digest_tui.core.paths import demo_dir

    whole, _ = load([demo_dir()], cache=ParseCache(tmp_path / "cache"))  # and the texts kept there
    store, _ = load([demo_dir()], cache=ParseCache(tmp_path / "cache"), texts=False)
    assert store.texts_pending
    twice = next(row for row, paper in enumerate(store.papers) if len(paper.sources) > 1)
    store.fill_texts_of([twice])
    assert store.papers[twice] == whole.papers[twice] and store.papers[twice].abstract_en
    other = next(row for row, paper in enumerate(store.papers) if not {s.file for s in paper.sources} & {s.file for s in store.papers[twice].sources})
    assert store.papers[other] != whole.papers[other]  # its files were not read
    store.fill_texts_of(range(len(store.papers)))
    assert store.papers == whole.papers and not store.texts_pending


def test_texts_come_into_a_paper_without_any_as_merge_would_put_them():
    """with_texts on a paper with no texts in yet (every warm fill of a paper read from one file)
    gives what merge() gives: each text, types kept; on one that has some, merged_value's rules."""
    from digest_tui.core.model import TEXT_FIELDS, merge, with_texts

    full = make_paper(id="2401.00001", title_en="T", authors=("A B",), institutions=("MIT", "CMU"), institutions_raw="MIT\nCMU",
                      abstract_en="An abstract.", abstract_zh="摘要。",
                      ai_sections=(("method", "一种方法"),))  # fmt: skip
    light = Paper(*without_texts(full))
    filled = with_texts(light, texts_of(full))
    assert filled == merge(light, full)
    assert with_texts(light, texts_of(full._replace(comments=""))).comments is None  # as before: an empty text is none
    assert [type(getattr(filled, name)) for name in TEXT_FIELDS] == [type(getattr(merge(light, full), name)) for name in TEXT_FIELDS]
    assert with_texts(light, (None,) * len(TEXT_FIELDS)) is light  # nothing to bring in: the paper itself
    twice = with_texts(filled, texts_of(full._replace(institutions=("ETH",), abstract_en="Another.")))
    assert twice.institutions == ("MIT", "CMU", "ETH") and twice.abstract_en == "An abstract."  # the slow way: merged


def add_slowly(store: Store, file: str, papers: list[Paper]) -> tuple[threading.Event, threading.Event]:
    """add_light() with a reader that says when it starts (`reading`) and waits for `release`."""
    reading, release = threading.Event(), threading.Event()

    def read_slowly():
        reading.set()
        release.wait(10)
        return [texts_of(paper) for paper in papers]

    store.add([light(paper) for paper in papers], texts=(file, read_slowly))
    return reading, release


def test_a_file_whose_texts_are_being_read_holds_up_neither_a_batch_nor_the_paper_shown():
    store = Store()
    reading, release = add_slowly(store, "slow.txt", [whole("slow.txt", "2601.00001", "Slow abstract.")])
    add_light(store, "b.txt", [whole("b.txt", "2601.00002", "Shown abstract.")])
    filling = threading.Thread(target=store.fill_texts, kwargs={"files": 2})
    filling.start()
    assert reading.wait(10)
    try:
        # while slow.txt is read in the worker: a batch goes in, and another file's paper is shown
        added = threading.Thread(target=add_light, args=(store, "c.txt", [whole("c.txt", "2601.00003", "C.")]))
        added.start()
        added.join(2)
        assert not added.is_alive()
        shown = threading.Thread(target=store.paper, args=(1,))
        shown.start()
        shown.join(2)
        assert not shown.is_alive() and store.papers[1].abstract_en == "Shown abstract."
    finally:
        release.set()
        filling.join(10)
    assert store.papers[0].abstract_en == "Slow abstract."
    assert store.fill_texts(files=1) is False and store.papers[2].abstract_en == "C."


def test_a_file_read_again_while_its_old_texts_are_read_gets_its_new_texts():
    store = Store()
    reading, release = add_slowly(store, "gone.txt", [whole("gone.txt", "2601.00001", "Old abstract.")])
    filling = threading.Thread(target=store.fill_texts)
    filling.start()
    assert reading.wait(10)
    add_light(store, "gone.txt", [whole("gone.txt", "2601.00001", "New abstract.")])  # read again meanwhile
    release.set()
    filling.join(10)
    assert store.texts_pending  # the new reading's texts, not the old ones
    assert store.paper(0).abstract_en == "New abstract."


def test_fill_texts_yields_the_gil_only_when_another_thread_could_take_it(monkeypatch):
    """time.sleep(0) between files lets the reader's UI thread in; alone (a headless load) it
    is skipped: it costs ~90 µs a call on some machines, 0.3 s of a warm 100k load."""
    import digest_tui.core.store as store_module

    slept: list[float] = []
    monkeypatch.setattr(store_module.time, "sleep", slept.append)

    def filled(store_papers: int) -> Store:
        store = Store()
        for n in range(store_papers):
            add_light(store, f"f{n}.txt", [whole(f"f{n}.txt", f"2601.0000{n}", f"abstract {n}")])
        while store.fill_texts(files=1):
            pass
        assert all(paper.abstract_en for paper in store.papers)
        return store

    filled(3)
    assert slept == []  # this test's thread alone
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        filled(3)
    finally:
        stop.set()
        other.join()
    assert slept == [0, 0, 0]


def test_without_texts_gives_plain_values_with_every_text_unknown_whether_or_not_texts_are_in():
    from digest_tui.core.model import TEXT_FIELDS

    full = whole("a.txt", "2601.00001", "An abstract.", comments="12 pages", summary_zh="摘要")
    expected = tuple(Paper._field_defaults[name] if name in TEXT_FIELDS else value for name, value in zip(Paper._fields, full))
    for paper in (full, light(full)):
        values = without_texts(paper)
        assert type(values) is tuple and values == expected  # a plain tuple: marshal writes no Paper
    assert light(full) != full and full.comments == "12 pages"
