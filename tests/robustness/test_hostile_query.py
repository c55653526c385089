"""Hostile queries: 10,000 OR-ed terms give the same answer as one test per term (they are merged
into one pattern per field; bench/long_query.py measures the time), too many terms are refused,
and an error message quotes at most ~200 characters of the query."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest_tui.core import query
from digest_tui.core.index import make_doc
from digest_tui.core.library import NO_MARK, Mark
from digest_tui.core.loading.session import load
from digest_tui.core.paths import demo_dir
from digest_tui.core.query import MAX_TERMS, QueryError, trie_pattern, parse_query


@pytest.fixture(scope="module")
def demo_store():
    store, _report = load([demo_dir()])
    return store


def unmerged(text: str):
    saved, query.MERGE_AT = query.MERGE_AT, 10**9
    try:
        return parse_query(text)
    finally:
        query.MERGE_AT = saved


def marks(key: str) -> Mark:
    return Mark(starred=key.endswith(("3", "6")), tags=("moe",) if key.endswith("1") else ())


def words_of(store) -> list[str]:
    found = sorted({w.casefold() for p in store.papers for w in (p.title_en or "").split() if w.isalnum()})
    return found[::7]


def test_a_10000_term_or_finds_what_one_test_per_term_finds(demo_store):
    words = words_of(demo_store)
    terms = [f"zzq{i}x" for i in range(10_000 - len(words))] + words
    text = " OR ".join(terms)
    merged = parse_query(text)
    constants = merged.rows.__globals__.values()  # the compiled query's values: patterns, not 10,000 words
    assert any(isinstance(value, re.Pattern) for value in constants)
    code = [const for const in merged.rows.__code__.co_consts if hasattr(const, "co_code")] or [merged.rows.__code__]
    assert sum(len(c.co_code) for c in code) < 2000  # a test per word would be ~50 bytes each
    expected = [row for row, paper in enumerate(demo_store.papers)
                if any(w in text_ for w in words for text_ in _searchable(paper))]
    rows = demo_store.select(merged, marks, "date")
    assert sorted(rows) == expected and rows
    assert rows == demo_store.select(unmerged(text), marks, "date")


def _searchable(paper) -> list[str]:
    doc = make_doc(paper)
    return [doc[name][0] for name in ("titles", "authors", "id", "abstract_en", "abstract_zh")]


FIELD_TERMS = st.sampled_from(["", "title:", "author:", "abstract:", "inst:", "topic:", "cat:", "id:", "-", "tag:"])
VALUES = st.sampled_from(["mix", "mixture", "mixing", "moe", "zhao", "cs", "cs.cl", "cs.c", "2606.1", "2606.19036",
                          "预训练", "模型", "x", "agent", "a", "tokyo", "data", "of", "sparse", "zz"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(FIELD_TERMS, VALUES), min_size=1, max_size=14), st.booleans(), st.booleans())
def test_merged_or_groups_answer_like_separate_tests(demo_store, terms, grouped, negated):
    text = " OR ".join(f"{field}{value}" for field, value in terms)
    if grouped:
        text = f"is:unread ({text})"
    if negated:
        text = f"NOT ({text})"
    assert demo_store.select(parse_query(text), marks, "date") == demo_store.select(unmerged(text), marks, "date")


@pytest.mark.parametrize(
    "values",
    [["abc", "abd", "ab"], ["ab", "abc"], ["a.b", "a+b", "(x)"], ["x" * 300, "y"], ["预训练", "预测", "模型"]],
)
def test_the_trie_pattern_finds_exactly_the_values(values):
    pattern = re.compile(trie_pattern(values))
    for value in values:
        assert pattern.search(f"..{value}..")
    assert not pattern.search("".join(sorted(set("".join(values)))[:1]) + "\n")  # one letter alone


def test_too_many_terms_are_refused_with_the_bound():
    with pytest.raises(QueryError, match=f"too many different terms \\({MAX_TERMS + 1:,}; a query may have {MAX_TERMS:,}\\)"):
        parse_query(" OR ".join(f"w{i}" for i in range(MAX_TERMS + 1)))
    assert parse_query(" ".join(["w"] * (5 * MAX_TERMS))).match(make_doc(_paper()), NO_MARK)  # the same term


@pytest.mark.parametrize(
    "text",
    ["x" * 5000 + "zz:1", "score>=" + "9" * 5000 + "abc", '"' + "y" * 5000, "a OR " * 3000 + "OR", "(" * 70 + "a",
     "bogus" + "<" * 3000 + "1", "date>=" + "2" * 4000],
)
def test_a_query_error_quotes_at_most_about_200_characters(text):
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert len(str(caught.value)) <= query.MAX_MESSAGE


def test_a_long_query_is_fast_enough_to_parse_in_one_go(demo_store):
    """Not a timing (bench/long_query.py prints those): MAX_TERMS terms compile, and match nothing absent."""
    text = " OR ".join(f"title:zzq{i}" for i in range(MAX_TERMS))
    assert demo_store.select(parse_query(text), lambda key: NO_MARK, "date") == []


def _paper():
    from digest_tui.core.model import make_paper

    return make_paper(id="2606.1", title_en="w")


def test_many_filter_words_are_marked_as_one_pattern(monkeypatch):
    """The reader marks the filter's words in every line it draws: 10,000 of them are one pattern,
    marking what one pattern per word marks (the characters covered)."""
    from digest_tui.widgets import highlight

    words = tuple([f"zzq{i}x" for i in range(10_000)] + ["mixture", "data mixing", "moe", "预训练"])
    texts = ["Data-mixing with a Mixture of MoE experts", "数据混合与预训练 zzq42x", "nothing here", "MOE moe Moe"]

    def covered(spans):
        return sorted({i for start, end in spans for i in range(start, end)})

    fast = [covered(highlight.match_spans(text, words)) for text in texts]
    monkeypatch.setattr(highlight, "MANY_WORDS", 10**9)
    slow = [covered(highlight.match_spans(text, words)) for text in texts]
    assert fast == slow and fast[0] and fast[1] and not fast[2]
