"""facets.py: days, day stepping, the newest unread day, facet counts, and the query for one bar."""

from __future__ import annotations

import pytest

from digest_tui.core.facets import FACETS, count, days, facet_query, newest_unread_day, step_day
from digest_tui.core.loading.session import load
from digest_tui.core.paths import demo_dir
from digest_tui.core.model import Source, make_paper
from digest_tui.core.index import make_doc
from digest_tui.core.query import parse_query
from digest_tui.core.model import Mark
from digest_tui.core.store import Store


def paper(id: str, date: str | None, **values):
    values.setdefault("title_en", f"Paper {id}")
    return make_paper(id=id, date=date, sources=(Source(f"{date}.txt", "arxivdaily"),), **values)


PAPERS = [
    paper("2606.00001", "2026-06-18", categories=("cs.CL", "cs.LG"), topic="预训练", institutions=("清华大学", "MIT")),
    paper("2606.00002", "2026-06-18", categories=("cs.CL",), topic="预训练", organization="Tern Lab"),
    paper("2606.00003", "2026-06-16", categories=("cs.CV", "cs.CL"), topic="智能体", institutions=("MIT",)),
    paper("2606.00004", None, categories=("cs.AI",), institutions=("MIT", "MIT")),
]


def test_days_are_the_distinct_dates_oldest_first():
    assert days(PAPERS) == ["2026-06-16", "2026-06-18"]
    assert days([]) == []


def test_step_day_moves_one_date_and_stops_at_either_end():
    all_days = ["2026-06-12", "2026-06-15", "2026-06-16", "2026-06-18"]
    assert step_day(all_days, "2026-06-16", -1) == "2026-06-15"
    assert step_day(all_days, "2026-06-16", 1) == "2026-06-18"
    assert step_day(all_days, "2026-06-12", -1) is None
    assert step_day(all_days, "2026-06-18", 1) is None
    assert step_day(all_days, None, -1) == "2026-06-18"
    # a day no longer present (its file was removed) steps from where it would be
    assert step_day(all_days, "2026-06-17", -1) == "2026-06-16"
    assert step_day(all_days, "2026-06-17", 1) == "2026-06-18"
    assert step_day([], "2026-06-17", 1) is None


def test_newest_unread_day():
    read = {"2606.00001", "2606.00002"}
    assert newest_unread_day(PAPERS, read.__contains__) == "2026-06-16"
    assert newest_unread_day(PAPERS, lambda key: False) == "2026-06-18"
    assert newest_unread_day(PAPERS, lambda key: True) == "2026-06-18"  # all read: the newest day
    assert newest_unread_day([], lambda key: False) is None


def test_counts_per_day_and_per_facet():
    tags = {"2606.00001": ("moe", "to-read"), "2606.00003": ("moe",)}
    counts = count(PAPERS, lambda key: tags.get(key, ()))
    assert counts.total == 4 and counts.undated == 1
    assert counts.per_day == [("2026-06-16", 1), ("2026-06-18", 2)]
    assert counts.top["categories"] == [("cs.CL", 3), ("cs.AI", 1), ("cs.CV", 1), ("cs.LG", 1)]  # ties by name
    assert counts.top["topics"] == [("预训练", 2), ("智能体", 1)]
    assert counts.top["institutions"] == [("MIT", 3), ("清华大学", 1)]  # a paper naming MIT twice counts once
    assert counts.top["organisations"] == [("Tern Lab", 1)]
    assert counts.top["tags"] == [("moe", 2), ("to-read", 1)]
    assert set(counts.top) == set(FACETS)
    assert count(PAPERS).top["tags"] == []


def test_counts_skip_papers_taken_away_by_remove_files():
    store = Store()
    store.add(PAPERS)
    store.remove_files(["2026-06-18.txt"])
    counts = count(store.papers)
    assert counts.total == 2
    assert counts.per_day == [("2026-06-16", 1)]
    assert days(store.papers) == ["2026-06-16"]


def test_top_is_limited():
    many = [paper(f"2606.{n:05}", "2026-06-18", categories=(f"cat.{n:02}",)) for n in range(30)]
    assert len(count(many, top=5).top["categories"]) == 5


@pytest.mark.parametrize(
    ("facet", "value", "expected"),
    [
        ("categories", "cs.CL", "cat:cs.CL"),
        ("topics", "预训练", "topic:预训练"),
        ("institutions", "Tsinghua University", 'inst:"Tsinghua University"'),
        ("institutions", "Meridian Labs(子午线实验室)", 'inst:"Meridian Labs(子午线实验室)"'),
        ("organisations", "Tern Lab", 'inst:"Tern Lab"'),
        ("tags", "moe", "tag:moe"),
        ("topics", "or", "topic:or"),
        ("institutions", 'The "Best" Lab of AI', 'inst:"Lab of AI"'),
        ("institutions", "Lab (Shanghai)", 'inst:"Lab (Shanghai)"'),
        ("institutions", '"', None),
    ],
)
def test_facet_query(facet, value, expected):
    assert facet_query(facet, value) == expected


def test_every_bar_of_the_demo_finds_the_papers_it_counts():
    """The query of each bar parses and matches at least the papers the bar counted."""
    store, _ = load([demo_dir()])
    marks = {store.papers[0].key: Mark(tags=("my tag",))}
    counts = count(store.papers, lambda key: marks.get(key, Mark()).tags)
    docs = [(make_doc(p), marks.get(p.key, Mark())) for p in store.papers]
    for facet in FACETS:
        assert counts.top[facet] or facet == "tags"
        for value, n in counts.top[facet]:
            query = parse_query(facet_query(facet, value))
            assert sum(query.match(doc, mark) for doc, mark in docs) >= n, (facet, value)
