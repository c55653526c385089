"""A listing e-mail read a batch of papers at a time by the load session: papers in the store (and
reported) while the rest is read, and in the end the same store as the whole file parsed at once."""

from __future__ import annotations

import gc
import shutil

import pytest

from digest_tui.core.loading import snapshot
from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.loader import find_files
from digest_tui.core.loading.session import FilesFound, FilesRead, LoadDone, LoadSession
from digest_tui.core.parsers import arxiv_email, parse_file
from digest_tui.core.store import Store

MAILING = "arxiv-listing-email-2026-01-23-cs.txt"


@pytest.fixture
def listing(shared_digests, tmp_path):
    """The real cs mailing with its first entry listed again at the end (other words in its
    abstract), and the other real sample beside it: one folder."""
    folder = tmp_path / "mail"
    folder.mkdir()
    text = (shared_digests / MAILING).read_text(encoding="utf-8")
    first = text.index("\\\\\narXiv:")
    entry = text[first : text.index("\n" + "-" * 78, first) + 1]
    again = entry.replace("\\\\\n  ", "\\\\\n  Listed again. ", 1)
    (folder / "a-mailing.txt").write_text(text.rstrip("\n") + "\n" + "-" * 78 + "\n" + again + "-" * 78 + "\n", encoding="utf-8")
    shutil.copy(shared_digests / "arxiv-listing-email-sample.txt", folder / "b-sample.txt")
    return folder


def whole_store(folder) -> Store:
    """The papers of each file parsed at once, added file by file: what a load gave before batches."""
    store = Store()
    for path in sorted(folder.iterdir()):
        store.add(parse_file(str(path)).papers)
    return store


def test_a_listing_read_in_batches_is_in_the_store_as_it_comes_and_whole_at_the_end(listing, tmp_path, monkeypatch):
    monkeypatch.setattr(arxiv_email, "BATCH_ENTRIES", 7)
    cache = ParseCache(tmp_path / "cache")
    session = LoadSession([listing], cache=cache)
    seen: list[tuple[type, int, int]] = []
    paused: list[int] = []
    for event in session.load(batch_seconds=0, pause=lambda: paused.append(len(session.store))):
        seen.append((type(event), getattr(event, "files", -1), len(session.store)))
    for _step in session.finish(index=False):
        pass
    whole = whole_store(listing)
    total = len(whole)
    mailing = len(parse_file(str(listing / "a-mailing.txt")).papers)
    assert total == mailing + 40 and mailing == 382  # the paper listed twice is one paper
    # the mailing's papers are reported while it is still being read (no file done yet), 7 more each time
    during = [papers for kind, files, papers in seen if kind is FilesRead and files == 0]
    assert len(during) > 40 and during == sorted(during) and 0 < during[0] < during[-1] < mailing
    assert paused and paused[0] == during[0]  # the reader's first paint is let through after the first report
    assert seen[0][0] is FilesFound and seen[-1][:3] == (LoadDone, 2, total)
    # the end is the whole parse: the same papers, in the same rows, the same order, counted once
    assert session.store.papers == whole.papers
    assert session.store.ordered("date") == whole.ordered("date")
    assert session.report.papers == total and session.report.files == 2 and session.report.problems == []
    # each paper lands once for its file (the load snapshot is written, and a warm start reads it back)
    assert snapshot.read_snapshot(cache, [str(listing)], find_files([listing])[0]) is not None
    warm = LoadSession([listing], cache=cache)
    warm.run()
    assert [warm.store.paper(row) for row in warm.store.ordered("date")] == [whole.paper(row) for row in whole.ordered("date")]
    assert gc.isenabled()


def test_a_listing_that_fails_half_way_is_a_problem_and_the_load_goes_on(listing, monkeypatch):
    monkeypatch.setattr(arxiv_email, "BATCH_ENTRIES", 50)
    real = arxiv_email._paper
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) == 120:
            raise ValueError("a parser bug")
        return real(*args)

    monkeypatch.setattr(arxiv_email, "_paper", failing)
    session = LoadSession([listing])
    events = list(session.load(batch_seconds=0))
    session.close()
    assert isinstance(events[-1], LoadDone)
    problems = [str(problem) for event in events[1:] for problem in event.problems]
    assert problems == [
        f"{listing / 'a-mailing.txt'}: looks like arxiv-email but could not be parsed (ValueError: a parser bug)"
    ]
    # the batches read before the failure stay; the next file is read whole
    assert session.report.files == 1 and len(session.store) == 100 + 40
