"""arXiv's daily listing e-mail. Expected values were written by reading the sample and the fixture."""

from __future__ import annotations

import datetime as dt

import pytest

from digest_tui.core.model import Source
from digest_tui.core.parsers import DigestError, arxiv_email, parse_file, parse_text

DAY = dt.date(2026, 7, 20)


@pytest.fixture
def sample(shared_digests):
    return parse_file(str(shared_digests / "arxiv-listing-email-sample.txt"))


def test_real_sample(sample):
    assert sample.format == "arxiv-email"
    assert sample.warnings == []
    assert [p.id for p in sample.papers] == [f"2001.{n}" for n in range(10000, 10040)]
    # the sample has only new submissions (no "(*cross-listing*)", no "replaced with revised version")
    assert {p.announce_type for p in sample.papers} == {"new"}
    # "received from Wed 17 Jun 26 ... to Thu 18 Jun 26 18:00:00 GMT"
    assert {p.date for p in sample.papers} == {"2026-06-18"}
    first = sample.papers[0]
    assert first.title_en == "RegMix-D: Dynamic Data Mixing via Proxy Training Trajectories"
    assert first.authors == ("Kaiyan Zhao", "Zhongtao Miao", "Akiko Aizawa", "Yoshimasa Tsuruoka")
    assert first.categories == ("cs.CL",) and first.comments == "Work in progress"
    assert first.abstract_en.startswith("Data mixture selection is critical for Large Language Model pretraining.")
    assert first.abstract_en.endswith("(25% of RegMix's proxy compute budget).")
    assert "\n" not in first.abstract_en


def test_real_sample_wrapped_fields_are_joined(sample):
    papers = {p.id: p for p in sample.papers}
    smoe = papers["2001.10001"]
    assert smoe.title_en == "Geometric and Stochastic Analysis of Discontinuities in Sparse Mixture-of-Experts"
    assert smoe.authors == (
        "Tho Tran Huu", "Huu-Tuan Nguyen", "Thien-Hai Nguyen", "Nhat-Tri Ho", "Viet-Hoang Tran", "Tho Quan",
        "Tan Minh Nguyen",
    )  # fmt: skip
    assert smoe.comments == "ICML 2026 Spotlight. arXiv admin note: text overlap with arXiv:2510.17794 by other authors"
    assert papers["2001.10002"].comments is None
    assert papers["2001.10003"].categories == ("cs.LG", "cs.AI", "cs.DC", "cs.SY", "eess.SY")
    assert papers["2001.10009"].title_en == (
        "What Does the Weight Norm Control in Grokking? Logit-Scale Mediation under Cross-Entropy"
    )
    looped = papers["2001.10010"]
    # LaTeX stays as written; only the line breaks are joined
    assert "($h \\leftarrow h + \\varepsilon\\,f(h)$, same $f$ at each step)" in looped.abstract_en
    assert "$\\varepsilon = 1/\\!\\sqrt{L}$ for depth-$L$ residual networks" in looped.abstract_en


def test_fixture_new_cross_list_and_replacements(fixtures):
    result = parse_file(str(fixtures / "fmt-arxiv-email.txt"))
    assert result.format == "arxiv-email" and result.warnings == []
    papers = {p.id: p for p in result.papers}
    assert list(papers) == ["2607.07001", "2607.07002", "2607.07150", "2511.04321", "2602.11111"]
    assert [p.announce_type for p in result.papers] == ["new", "new", "cross-list", "replacement", "replacement"]
    assert {p.date for p in result.papers} == {"2026-07-09"}  # the end of the submission window
    assert all(p.sources == (Source(str(fixtures / "fmt-arxiv-email.txt"), "arxiv-email"),) for p in result.papers)
    assert all(p.sources is result.papers[0].sources for p in result.papers)
    knn = papers["2607.07001"]
    assert knn.title_en == "Scaling $k$-NN Language Models to $10^{12}$ Tokens with Product-Quantised Datastores"
    assert knn.authors == ("Ingrid Solberg", "Rafael Mendes", "Yusuf Demir", "Chen Jiayi")  # affiliations dropped
    assert knn.categories == ("cs.CL", "cs.IR")
    assert knn.abstract_en == (
        "Retrieval-augmented $k$-NN language models interpolate the next-token distribution with neighbours "
        "from a datastore. We scale the datastore to $10^{12}$ tokens with product quantisation and show "
        "perplexity keeps falling.\n"
        "A second paragraph: the index fits on one machine with 2\\,TB of RAM, and lookups cost $O(\\log n)$."
    )
    assert papers["2607.07002"].journal_ref == "Proceedings of Interspeech 2026, pp. 101-105"
    survey = papers["2511.04321"]
    assert survey.abstract_en is None
    assert survey.journal_ref == "Transactions of the ACL 14 (2026) 1-40"
    assert survey.comments == "v3: camera-ready for TACL"
    assert papers["2602.11111"].categories == ("cs.LG", "cs.CL")


def test_quoted_and_headerless_variants_read_the_same(fixtures):
    text = (fixtures / "fmt-arxiv-email.txt").read_text(encoding="utf-8")
    plain, _ = arxiv_email.parse(text, "mail.txt", DAY)
    quoted_text = "On Fri, Jul 10, 2026, arXiv wrote:\n" + "\n".join("> " + line for line in text.split("\n"))
    assert arxiv_email.sniff(quoted_text)
    quoted, warnings = arxiv_email.parse(quoted_text, "reply.txt", DAY)
    assert warnings == []
    assert [(p.id, p.title_en, p.abstract_en, p.authors, p.announce_type) for p in quoted] == [
        (p.id, p.title_en, p.abstract_en, p.authors, p.announce_type) for p in plain
    ]
    body = text[text.index("\n\n") + 2 :]  # no mail headers
    headerless, _ = arxiv_email.parse(body, "body.txt", DAY)
    assert [p.id for p in headerless] == [p.id for p in plain]


def test_date_from_mail_header_then_entry():
    entry = (
        "\\\\\narXiv:2607.00001\nDate: Tue, 7 Jul 2026 10:00:00 GMT   (10kb)\n\n"
        "Title: One\nAuthors: A. Person\nCategories: cs.CL\n\\\\\n  Abstract.\n"
        "\\\\ ( https://arxiv.org/abs/2607.00001 ,  10kb)\n" + "-" * 78 + "\n"
    )
    with_header = "From: no-reply@arxiv.org\nDate: Wed, 8 Jul 2026 00:40:57 +0000\nSubject: cs daily\n\n" + entry
    assert arxiv_email.parse(with_header, "m.txt", DAY)[0][0].date == "2026-07-08"
    assert arxiv_email.parse(entry, "m.txt", DAY)[0][0].date == "2026-07-07"


def test_cut_entry_is_kept_with_a_warning(fixtures):
    text = (fixtures / "fmt-arxiv-email.txt").read_text(encoding="utf-8")
    cut = text[: text.index("lookups cost")]
    papers, warnings = arxiv_email.parse(cut, "cut.txt", DAY)
    assert [p.id for p in papers] == ["2607.07001"]
    assert warnings == ["entry arXiv:2607.07001 is cut off (no closing \\\\ line)"]
    untitled = text.replace("Title: Dialect Robustness of Speech Translation\n", "")
    papers, warnings = arxiv_email.parse(untitled, "x.txt", DAY)
    assert "2607.07002" not in {p.id for p in papers} and warnings == ["entry arXiv:2607.07002 has no title; skipped"]


def test_not_this_format():
    assert not arxiv_email.sniff("Dear all,\nsee arXiv:2607.00001 for the paper.\nTitle: none\n")
    with pytest.raises(DigestError, match="no arXiv:ID entries"):
        arxiv_email.parse("From: someone\nSubject: hello\n\nTitle: x\nAuthors: y\n", "m.txt", DAY)
    with pytest.raises(DigestError, match="not a digest"):
        parse_text("From: someone@example.org\nSubject: lunch\n\nPizza at noon?\n", "lunch.eml")
