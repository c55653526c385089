"""arXiv's daily listing e-mail. Expected values were written by reading the sample and the fixture."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest_tui.core.model import Source
from digest_tui.core.parsers import DigestError, arxiv_email, parse_file, parse_text
from digest_tui.core.parsers.text import clean_abstract

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
    # "received from Wed 17 Jun 26 ... to Thu 18 Jun 26 18:00:00 GMT", no Date: header: mailed on Friday
    assert {p.date for p in sample.papers} == {"2026-06-19"}
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
    assert {p.date for p in result.papers} == {"2026-07-10"}  # the mailing day: `Date: Fri, 10 Jul 2026 00:40:57 +0000`
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


@pytest.fixture
def mailing(shared_digests):
    """A full cs mailing, body only, saved by its owner as the mailing day (2026-01-23)."""
    return parse_file(str(shared_digests / "arxiv-listing-email-2026-01-23-cs.txt"))


def test_real_mailing_counts_and_dates(mailing):
    assert mailing.format == "arxiv-email" and mailing.warnings == []
    kinds = [p.announce_type for p in mailing.papers]
    assert (kinds.count("new"), kinds.count("cross-list"), kinds.count("replacement")) == (116, 109, 157)
    # in the order of the mailing: new submissions, then cross-lists, then replacements
    assert kinds == ["new"] * 116 + ["cross-list"] * 109 + ["replacement"] * 157
    assert mailing.papers[0].id == "2601.15305" and mailing.papers[115].id == "2601.16080"
    assert mailing.papers[116].id == "2601.14264" and mailing.papers[224].id == "2601.15774"
    assert mailing.papers[225].id == "2404.11833" and mailing.papers[-1].id == "2511.13520"
    # "received from Wed 21 Jan 26 19:00:00 GMT to Thu 22 Jan 26 19:00:00 GMT": mailed on Friday the 23rd
    assert {p.date for p in mailing.papers} == {"2026-01-23"}


def test_real_mailing_fields(mailing):
    papers = {p.id: p for p in mailing.papers}
    first = papers["2601.15305"]
    assert first.title_en == (
        "Gated Sparse Attention: Combining Computational Efficiency with Training Stability for Long-Context Language Models"
    )
    assert first.authors == ("Alfred Shen", "Aaron Shen") and first.categories == ("cs.AI",)
    assert first.comments == "15 pages, 1 figure, attention mechanism, sparse attention, gating, long-context"
    assert first.abstract_en.startswith("The computational burden of attention in long-context language models has")
    # bare % signs are text, not TeX comments: the abstract runs to its end
    assert first.abstract_en.endswith("drops from 47% to under 4%. Training stability improves markedly, with loss spikes reduced by 98%.")
    gemm = papers["2601.15392"]
    assert gemm.categories == ("cs.AI", "cs.CV", "cs.LG")
    assert gemm.doi == "10.1007/978-3-032-11317-7_33"
    assert "improving by more than 11% the accuracy" in gemm.abstract_en  # `11\%`
    # a bare & in a title and in comments
    assert papers["2601.15509"].title_en == (
        "The Dark Side of AI Transformers: Sentiment Polarization & the Loss of Business Neutrality by NLP Transformers"
    )
    assert papers["2601.15874"].comments == "This paper is currently under review for the EuroS&P conference"
    # \textbf{advanced reasoning}
    assert "across three frontiers: in advanced reasoning to optimize computation" in papers["2601.15690"].abstract_en
    looped = papers["2601.15547"]
    assert "\\ours achieves state-of-the-art" in looped.abstract_en  # a macro of the authors' own, as written
    cross = papers["2601.14264"]
    assert cross.announce_type == "cross-list" and cross.categories == ("cs.CY", "cs.AI", "cs.CL", "cs.HC")
    assert cross.title_en == "Psychometric Comparability of LLM-Based Digital Twins"


def test_real_mailing_tex_in_authors(mailing):
    papers = {p.id: p for p in mailing.papers}
    assert papers["2408.06219"].authors == ("Markus Krausz", "Sven Peldszus", "Francesco Regazzoni", "Thorsten Berger", "Tim Güneysu")
    assert papers["2601.15442"].authors == ("Alex Goessmann", "Janina Schütte", "Maximilian Fröhlich", "Martin Eigel")
    assert papers["2601.15417"].authors[0] == "Adrián Rodríguez-Muñoz"  # `Adri\'an Rodr\'iguez-Mu\~noz`, "and"-separated
    assert papers["2601.15417"].author_count == 6
    assert papers["2601.15481"].authors[2] == "Małgorzata O'Reilly"  # `Ma{\l}gorzata`
    assert papers["2601.15874"].authors == ("Cristina Pêra", "Tânia Carvalho", "Maxime Cordy", "Luís Antunes")
    assert papers["2601.16216"].authors == ("Clémentine Sacré",)
    many = papers["2601.15679"]  # `..., Nicolas Rolin, et al. (17 additional authors not shown)`
    assert many.authors[-2:] == ("Joris Duguépéroux", "Nicolas Rolin") and "et al." not in many.authors
    assert many.author_count == len(many.authors) + 17


def test_real_mailing_replacements(mailing):
    papers = {p.id: p for p in mailing.papers}
    search = papers["2404.11833"]
    assert search.announce_type == "replacement" and search.abstract_en is None
    assert search.title_en == "Thought of Search: Planning with Language Models Through The Lens of Efficiency"
    assert search.doi == "10.52202/079017-4395"
    assert search.comments == (
        "Accepted at NeurIPS 2024, "
        "https://papers.nips.cc/paper_files/paper/2024/hash/fa080fe0f218871faec1d8ba20e491d5-Abstract-Conference.html"
    )
    quantum = papers["2511.13520"]  # `arXiv:2511.13520 (*cross-listing*)` replaced: a replacement
    assert quantum.announce_type == "replacement"
    assert quantum.categories == ("quant-ph", "cs.SE")
    assert quantum.journal_ref == (
        "Proceedings of the 48th International Conference of Software Engineering 2026, "
        "Workshop on Quantum Software Engineering (Q-SE@ICSE'26)"
    )
    assert quantum.doi == "10.1145/3786150.3788611"
    assert quantum.date == "2026-01-23"  # the listing's day, not the revision's (Thu, 22 Jan 2026)


def _listing(window: str, entries: str, headers: str = "") -> str:
    dashes = "-" * 78
    return f"{headers}{dashes}\n Submissions to:\nComputation and Language\n received from  {window}\n{dashes}\n{entries}"


def _entry(arxiv_id: str, abstract: str, title: str = "One", authors: str = "A. Person", extra: str = "") -> str:
    return (
        f"\\\\\narXiv:{arxiv_id}\nDate: Tue, 7 Jul 2026 10:00:00 GMT   (10kb)\n\nTitle: {title}\nAuthors: {authors}\n"
        f"Categories: cs.CL\n{extra}\\\\\n  {abstract}\n\\\\ ( https://arxiv.org/abs/{arxiv_id} ,  10kb)\n" + "-" * 78 + "\n"
    )


def test_an_abstract_line_starting_with_an_id_starts_no_entry():
    abstract = "Building on a previous method [see\narXiv:2601.00638], this work extends it\nto many languages."
    text = _listing("Wed  8 Jul 26 18:00:00 GMT  to  Thu  9 Jul 26 18:00:00 GMT", _entry("2607.00001", abstract))
    papers, warnings = arxiv_email.parse(text, "m.txt", DAY)
    assert warnings == []
    assert [p.id for p in papers] == ["2607.00001"]
    assert papers[0].abstract_en == (
        "Building on a previous method [see arXiv:2601.00638], this work extends it to many languages."
    )


@pytest.mark.parametrize(
    ("window", "mailed"),
    [
        ("Wed  8 Jul 26 18:00:00 GMT  to  Thu  9 Jul 26 18:00:00 GMT", "2026-07-10"),  # Thursday -> Friday
        ("Thu  9 Jul 26 18:00:00 GMT  to  Fri 10 Jul 26 18:00:00 GMT", "2026-07-13"),  # Friday -> Monday
        ("Fri 10 Jul 26 18:00:00 GMT  to  Mon 13 Jul 26 18:00:00 GMT", "2026-07-14"),  # Monday -> Tuesday
        ("Wed 31 Dec 25 19:00:00 GMT  to  Thu  1 Jan 26 19:00:00 GMT", "2026-01-02"),  # across a year
    ],
)
def test_listing_date_is_the_mailing_day(window, mailed):
    papers, _ = arxiv_email.parse(_listing(window, _entry("2607.00001", "Text.")), "m.txt", DAY)
    assert papers[0].date == mailed


def test_mail_date_header_wins_in_utc():
    window = "Wed  8 Jul 26 18:00:00 GMT  to  Thu  9 Jul 26 18:00:00 GMT"
    for header, day in (
        ("Date: Fri, 10 Jul 2026 00:40:57 +0000\n", "2026-07-10"),
        ("Date: Thu, 9 Jul 2026 20:40:57 -0400\n", "2026-07-10"),  # a client's local time: the same moment
        ("Date: Sat, 11 Jul 2026 09:00:00 +0900\n", "2026-07-11"),
    ):
        text = _listing(window, _entry("2607.00001", "Text."), "From: no-reply@arxiv.org\n" + header + "Subject: cs daily\n\n")
        assert arxiv_email.parse(text, "m.txt", DAY)[0][0].date == day


def test_tex_is_converted_and_maths_kept():
    entry = _entry(
        "2607.00002",
        "We use $\\mathcal{O}(n \\log n)$ time, 99% recall \\& R&D \\texttt{grep} tools.",
        title="Ontol\\'ogico: a $k$-NN Study of \\\"Uber-Graphs",
        authors="Jos\\'e Mart\\'inez (UPM), Tim G\\\"uneysu and Ma{\\l}gorzata Nowak",
    )
    papers, warnings = arxiv_email.parse(_listing("Wed  8 Jul 26 18:00:00 GMT  to  Thu  9 Jul 26 18:00:00 GMT", entry), "m", DAY)
    assert warnings == []
    paper = papers[0]
    assert paper.title_en == "Ontológico: a $k$-NN Study of Über-Graphs"
    assert paper.authors == ("José Martínez", "Tim Güneysu", "Małgorzata Nowak")
    assert paper.abstract_en == "We use $\\mathcal{O}(n \\log n)$ time, 99% recall & R&D grep tools."


def test_doi_and_journal_ref_lines():
    entry = _entry(
        "2607.00003", "Text.", extra="Journal-ref: Proc. of Things 2026,\n  pp. 1-9\nDOI: 10.1000/abc.1\n"
    )
    paper = arxiv_email.parse(_listing("Wed  8 Jul 26 18:00:00 GMT  to  Thu  9 Jul 26 18:00:00 GMT", entry), "m", DAY)[0][0]
    assert paper.journal_ref == "Proc. of Things 2026, pp. 1-9" and paper.doi == "10.1000/abc.1"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "é", " ", "\n", "\t", "\\", "$"]), max_size=40))
def test_abstract_lines_join_as_clean_abstract_does(text):
    """The e-mail's quick join of an abstract's lines gives what clean_abstract gives, paragraphs and all."""
    assert arxiv_email.joined(text) == clean_abstract(text)


def test_listings_before_2007_start_entries_with_paper():
    """Old listings name an entry `Paper: ID` (`Paper (*cross-listing*): ID`); `figures added` and
    `part added` mark replacements as `replaced with revised version` does (arXiv's own listing code)."""
    dashes = "-" * 78
    text = (
        f" received from  Wed 30 Dec 98 21:00:00 GMT  to  Thu 31 Dec 98 21:00:00 GMT\n{dashes}\n"
        "\\\\\nPaper: hep-th/9901001\nFrom: A. Person <a@example.org>\nDate: Thu, 31 Dec 1998 10:00:00 GMT   (10kb)\n\n"
        "Title: Strings on Lattices\nAuthors: A. Person\nComments: 10 pages\n\\\\\n  Lattices, stringed.\n"
        f"\\\\ ( http://arXiv.org/abs/hep-th/9901001 ,  10kb)\n{dashes}\n"
        "\\\\\nPaper (*cross-listing*): cs/9901002\nFrom: B. Person <b@example.org>\nDate: Thu, 31 Dec 1998 11:00:00 GMT   (8kb)\n\n"
        "Title: Parsing Strings\nAuthors: B. Person\n\\\\\n  Strings, parsed.\n"
        f"\\\\ ( http://arXiv.org/abs/cs/9901002 ,  8kb)\n{dashes}\n"
        "\\\\\nPaper: hep-th/9812001\nFrom: C. Person <c@example.org>\nfigures added Thu, 31 Dec 1998 12:00:00 GMT   (20kb)\n\n"
        "Title: Old Strings\nAuthors: C. Person\n"
        f"\\\\ ( http://arXiv.org/abs/hep-th/9812001 ,  20kb)\n{dashes}\n"
    )
    assert arxiv_email.sniff(text)
    papers, warnings = arxiv_email.parse(text, "1999-01-01.txt", DAY)
    assert warnings == []
    assert [(p.id, p.announce_type, p.date) for p in papers] == [
        ("hep-th/9901001", "new", "1999-01-01"),
        ("cs/9901002", "cross-list", "1999-01-01"),
        ("hep-th/9812001", "replacement", "1999-01-01"),
    ]
    assert papers[0].abstract_en == "Lattices, stringed." and papers[0].comments == "10 pages"


def test_an_entry_cut_right_after_its_abstract_mark_has_no_abstract(fixtures):
    text = (fixtures / "fmt-arxiv-email.txt").read_text(encoding="utf-8")
    cut = text[: text.index("\\\\\n  Retrieval-augmented") + 2]  # the file ends with the `\\` that opens the abstract
    papers, warnings = arxiv_email.parse(cut, "cut.txt", DAY)
    assert [(p.id, p.abstract_en) for p in papers] == [("2607.07001", None)]
    assert papers[0].title_en.startswith("Scaling $k$-NN Language Models")
    assert warnings == ["entry arXiv:2607.07001 is cut off (no closing \\\\ line)"]


@pytest.mark.parametrize("name", ["arxiv-listing-email-2026-01-23-cs.txt", "arxiv-listing-email-sample.txt"])
@pytest.mark.parametrize("size", [1, 7, 1000])
def test_batches_merged_are_the_whole_parse(shared_digests, name, size):
    """parse_batches() hands the papers over a few at a time, in file order; merged by key they are
    exactly what parse_listing() gives, warnings included (a paper listed twice as well)."""
    text = (shared_digests / name).read_text(encoding="utf-8")
    first = text.index("\\\\\narXiv:")
    entry = text[first : text.index("\n" + "-" * 78, first) + 1]
    again = entry.replace("\\\\\n  ", "\\\\\n  Listed again. ", 1)  # the first paper, again at the end
    text = text.rstrip("\n") + "\n" + "-" * 78 + "\n" + again + "-" * 78 + "\n"
    whole, whole_warnings = arxiv_email.parse_listing(text, name)
    papers: dict = {}
    warnings: list[str] = []
    sizes = []
    for batch, notes in arxiv_email.parse_batches(text, name, size=size):
        sizes.append(len(batch))
        warnings.extend(notes)
        arxiv_email.add_batch(papers, batch)
    assert list(papers.values()) == whole and warnings == whole_warnings
    assert sum(sizes) == len(whole) + 1 and max(sizes) <= size
    if size == 1:
        assert len(sizes) == len(whole) + 1
    # the paper listed twice: the first listing's abstract (known values win, the first one first)
    assert not whole[0].abstract_en.startswith("Listed again.") and whole[0].id == papers[whole[0].key].id


def _head_variants(mailing_text: str) -> list[tuple[str, str]]:
    """Each real entry of the mailing (as written) and the same entry with its head rearranged:
    its field lines in the reverse order, after a Title given first (the last one wins) and with a
    line that is no field among them."""
    dashes = "-" * 78 + "\n"
    out = []
    for chunk in mailing_text.split(dashes):
        if not chunk.startswith("\\\\\narXiv:"):
            continue
        head, mark, rest = chunk.partition("\n\\\\")
        lines = head.split("\n")
        fields: list[str] = []
        for line in lines[2:]:  # after `\\` and `arXiv:ID`: the field lines with their continuations
            if line[:1] in (" ", "\t") and fields:
                fields[-1] += "\n" + line
            elif line:
                fields.append(line)
        rearranged = [*lines[:2], "Title: A title given first", *reversed(fields[1:]), "a line that is no field", fields[0]]
        out.append((chunk, "\n".join(rearranged) + mark + rest))
    return out


def test_a_head_in_any_order_reads_as_its_fields_say(shared_digests, monkeypatch):
    """A head in arXiv's order is read by one pattern, any other head field by field: both give
    what its fields say (a field given twice: its last value; a line that is no field: skipped)."""
    text = (shared_digests / "arxiv-listing-email-2026-01-23-cs.txt").read_text(encoding="utf-8")
    pairs = _head_variants(text)
    assert len(pairs) == 382
    dashes = "-" * 78 + "\n"
    by_field = []
    real = arxiv_email._fields
    monkeypatch.setattr(arxiv_email, "_fields", lambda head: by_field.append(head) or real(head))
    as_written, notes = arxiv_email.parse_listing(dashes + dashes.join(chunk for chunk, _ in pairs), "m", "2026-01-23")
    assert by_field == []  # every real head is in arXiv's order
    rearranged, other_notes = arxiv_email.parse_listing(dashes + dashes.join(other for _, other in pairs), "m", "2026-01-23")
    assert len(by_field) == 382
    assert as_written == rearranged and len(as_written) == 382 and notes == other_notes == []
    # read by hand from the mailing: a cross-list with wrapped authors and comments, and a replacement
    papers = {paper.id: paper for paper in rearranged}
    firm = papers["2601.15774"]
    assert firm.title_en == "FirmReBugger: A Benchmark Framework for Monolithic Firmware Fuzzers"
    assert firm.authors[-1] == "Damith C. Ranasinghe" and firm.categories == ("cs.CR", "cs.SE")
    assert firm.comments == "Accepted to USENIX Security 2026. Code, see http://myhost.domain/file.mpg"
    assert firm.announce_type == "cross-list" and firm.abstract_en.startswith("Monolithic Firmware is widespread.")
    thought = papers["2404.11833"]
    assert thought.announce_type == "replacement" and thought.doi == "10.52202/079017-4395"
    assert thought.title_en == "Thought of Search: Planning with Language Models Through The Lens of Efficiency"


def test_one_spaced_is_split_and_join():
    from digest_tui.core.parsers.text import one_spaced

    for text in ["", " ", "a", " a b ", "a\nb", "a\n  b", "a  b", "a\tb", "a\x1cb", "a\x0bb", "a\rb", "a\xa0b", "é\n é",
                 "a\u3000b", "a\x85b", "\n\n a \n"]:  # fmt: skip
        assert one_spaced(text) == " ".join(text.split()), repr(text)
    assert [chr(c) for c in range(128) if len(one_spaced(f"a{chr(c)}b").split(" ")) == 2] == [
        chr(c) for c in range(128) if chr(c).isspace()
    ]


def test_an_entry_is_written_in_the_order_of_the_papers_fields():
    """_entry() makes a paper as one tuple of every field (for speed): in Paper's own order, each
    field the entry gives where Paper has it and the rest Paper's defaults."""
    from digest_tui.core.model import Paper, make_paper

    assert Paper._fields == arxiv_email._ENTRY_FIELDS
    entry = _entry("2607.00004", "An abstract.", title="A Title", authors="A. Person and B. Other",
                   extra="Comments: 3 pages\nJournal-ref: J. 1\nDOI: 10.1/x\n")  # fmt: skip
    [paper], warnings = arxiv_email.parse(_listing("Wed  8 Jul 26 18:00:00 GMT  to  Thu  9 Jul 26 18:00:00 GMT", entry), "m", DAY)
    assert warnings == []
    assert paper == make_paper(
        id="2607.00004", title_en="A Title", authors=("A. Person", "B. Other"), author_count=2,
        categories=("cs.CL",), date="2026-07-10", comments="3 pages", journal_ref="J. 1", doi="10.1/x",
        abstract_en="An abstract.", announce_type="new", sources=(Source("m", "arxiv-email"),),
    )  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.sampled_from(["$", "\\", "x", " ", "{", "}"]), max_size=30))
def test_maths_in_dollars_alone_are_found_as_every_kind_is(text):
    """A text whose only maths delimiter is `$` takes a quick path: the spans every kind's search finds."""
    from digest_tui.core.parsers import tex

    while "$$" in text:  # (`$$` is a delimiter of its own: the other path's)
        text = text.replace("$$", "$x$")
    upcoming = {pair: text.find(pair[0]) for pair in tex._DELIMITERS}
    assert tex._dollar_spans(text, text.find("$")) == tex._spans(text, upcoming)


@pytest.mark.parametrize("window", [1, 5, 21, 22, 64])
def test_separator_dashes_found_a_window_at_a_time_as_find_finds_them(monkeypatch, window):
    """The search for the next separator's dashes, a window at a time, finds what one str.find does."""
    monkeypatch.setattr(arxiv_email, "_DASHES_WINDOW", window)
    dashes = "\n" + "-" * 20
    body = "ab" + dashes + "-" * 5 + "\ncd" + "e" * 37 + dashes + "x" * 61 + dashes[:-1] + "\n" + dashes + "\n-" + dashes
    for at in range(len(body) + 2):
        assert arxiv_email._dashes(body, at) == body.find(dashes, at), at
