"""Memory savers in the papers and the search index keep every value as it was: a column that
shares a paper's string (or one string among many papers) holds what folding it would give, and
a paper's institutions are the same names, cold and warm."""

from __future__ import annotations

from pathlib import Path

from digest_tui.core.index import COLUMNS, fold
from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.session import load
from digest_tui.core.model import make_paper

FIXTURES = Path(__file__).parents[1] / "fixtures"

BEFORE = {
    "id": lambda paper: (paper.id or "").casefold(),
    "topic": lambda paper: fold(paper.topic),
    "cat_text": lambda paper: "".join("\n" + category.casefold() for category in paper.categories),
}
"""The columns as they were made before they shared strings."""


def _every_paper(cache_dir: Path):
    store, _report = load([str(FIXTURES)], cache=ParseCache(cache_dir))
    return [store.paper(row) for row in store.ordered("date")]


def test_shared_columns_hold_what_they_held(tmp_path):
    for run in ("cold", "warm"):
        papers = _every_paper(tmp_path / "cache")
        assert len(papers) > 50, run
        for name, before in BEFORE.items():
            assert [COLUMNS[name](paper) for paper in papers] == [before(paper) for paper in papers], (name, run)


def test_equal_values_are_one_string():
    a = make_paper(id="2606.00001", title_en="A", categories=("cs.CL", "cs.AI"), topic="Agents",
                   institutions=("Peking University(北京大学)",), institutions_raw="Peking University(北京大学)")  # fmt: skip
    b = make_paper(id="2606.00002", title_en="B", categories=("cs.CL", "cs.AI"), topic="Agents",
                   institutions=("Tsinghua University(清华大学)", "Peking University(北京大学)"))  # fmt: skip
    assert COLUMNS["id"](a) is a.id  # already casefolded: not copied
    assert COLUMNS["cat_text"](a) is COLUMNS["cat_text"](b) == "\ncs.cl\ncs.ai"
    assert COLUMNS["topic"](a) is COLUMNS["topic"](b) == "agents"
    assert a.institutions_raw is a.institutions[0]  # the one institution is the line: kept once
    assert a.institutions[0] is b.institutions[1]
    assert COLUMNS["id"](make_paper(id="hep-TH/9901001", title_en="C")) == "hep-th/9901001"


def test_institutions_stay_shared_through_the_cache(tmp_path, shared_digests):
    pages = sorted(str(page) for page in shared_digests.glob("arxivdaily-*.txt"))
    for run in ("cold", "warm"):
        store, report = load(pages, cache=ParseCache(tmp_path / "cache"))
        papers = [store.paper(row) for row in range(len(store.papers))]
        first = next(paper for paper in papers if paper.id == "2606.18663")
        assert first.institutions == ("The University of Tokyo(东京大学)", "National Institute of Informatics(国立信息学研究所)")
        names: dict[str, str] = {}
        repeated = 0
        for paper in papers:
            for name in paper.institutions:
                repeated += name in names
                assert names.setdefault(name, name) is name, (name, run)  # one string per name
        assert repeated >= 2, run  # the University of Tokyo and Stanford are named by two papers each
