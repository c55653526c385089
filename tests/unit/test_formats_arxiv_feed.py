"""arXiv's own feeds (rss.arxiv.org RSS 2.0 and Atom, the old RSS 1.0, the export API's Atom).
Expected values were written by reading the real samples in ../shared and the fixtures."""

from __future__ import annotations

import datetime as dt

import pytest

from digest_tui.core.parsers import DigestError, arxiv_feed, detect, parse_file, parse_text
from digest_tui.core.parsers.tex import to_unicode

DAY = dt.date(2026, 7, 20)


def _by_id(result):
    return {paper.id: paper for paper in result.papers}


def test_real_rss_feed(shared_digests):
    """3 real items of cs.AI on Mon 27 Apr 2026; the saved file has no <?xml?> line and its own namespace order."""
    result = parse_file(str(shared_digests / "arxiv-rss-cs.AI-2026-04-27-excerpt.xml"))
    assert result.format == "arxiv-feed" and result.warnings == []
    assert [p.id for p in result.papers] == ["2604.21935", "2604.21936", "2604.21937"]
    assert {p.announce_type for p in result.papers} == {"new"}
    assert {p.date for p in result.papers} == {"2026-04-27"}  # pubDate Mon, 27 Apr 2026 00:00:00 -0400
    first, second, last = result.papers
    assert first.title_en == "Math Takes Two: A test for emergent mathematical reasoning in communication"
    assert first.authors == ("Michael Cooper", "Samuel Cooper") and first.author_count == 2
    assert first.categories == ("cs.AI", "cs.LG")
    # the "arXiv:ID Announce Type: new \nAbstract:" prefix is not part of the abstract
    assert first.abstract_en.startswith("Although language models demonstrate remarkable proficiency on mathematical benchmarks")
    assert first.abstract_en.endswith("develop and evaluate models with emergent numerical reasoning capabilities.")
    assert second.categories == ("cs.AI", "cs.CV", "cs.MA") and second.author_count == 18
    assert second.authors[0] == "Lianrui Zuo" and second.authors[-1] == "Bennett A. Landman"
    # \textbf{adaptability} is shown as its text
    assert "Two requirements therefore become central: adaptability, the ability to configure" in second.abstract_en
    assert "\\textbf" not in second.abstract_en
    assert last.title_en == (
        "MolClaw: An Autonomous Agent with Hierarchical Skills for Drug Molecule Evaluation, Screening, and Optimization"
    )
    assert last.categories == ("cs.AI", "cs.MA") and last.author_count == 17 and last.authors[-1] == "Zhengwei Xie"
    assert all(p.doi is None and p.journal_ref is None and p.comments is None for p in result.papers)


def test_real_api_answer(shared_digests):
    result = parse_file(str(shared_digests / "arxiv-api-atom-1601.00001.xml"))
    assert result.format == "arxiv-feed" and result.warnings == []
    (paper,) = result.papers
    assert paper.id == "1601.00001"
    assert paper.title_en == "Inelastic effects in molecular transport junctions: The probe technique at high bias"
    assert paper.authors == ("Michael Kilgour", "Dvira Segal")
    assert paper.categories == ("cond-mat.mes-hall",)
    assert paper.doi == "10.1063/1.4944470"
    assert paper.journal_ref == "J. Chem. Phys. 144, 124107 (2016)"
    assert paper.comments is None  # this answer has no arxiv:comment
    assert paper.date == "2015-12-26"  # the API announces nothing: the first version's submission day
    assert paper.announce_type is None
    assert paper.abstract_en.startswith("We extend the Landauer-Büttiker probe formalism for conductances to the high bias regime")
    assert "realize fundamentally distinct $I$-$V$ characteristics at high biases" in paper.abstract_en
    assert paper.abstract_en.endswith("on molecular electronic transport far-from-equilibrium.")
    assert "\n" not in paper.abstract_en  # one paragraph, wrapped


def test_rss_four_announce_types(fixtures):
    result = parse_file(str(fixtures / "fmt-arxiv-rss2.xml"))
    assert result.format == "arxiv-feed" and result.warnings == []
    papers = _by_id(result)
    assert list(papers) == ["2607.07001", "2607.07150", "2511.04321", "2602.11111"]
    # new, cross, replace, replace-cross
    assert [p.announce_type for p in result.papers] == ["new", "cross-list", "replacement", "replacement"]
    assert {p.date for p in result.papers} == {"2026-07-09"}
    first = papers["2607.07001"]
    assert first.title_en == "Ontológico: Parsing Portuguese Ontologies with $k$-Shot Prompts"
    assert first.authors == ("João Sardinha", "Tim Güneysu", "Małgorzata Nowak")
    assert first.categories == ("cs.CL", "cs.AI")
    # bare % and & are text; \textbf{} shows its content; maths stays as written
    assert first.abstract_en == (
        "We parse ontologies written in Portuguese with few-shot prompts and reach 91% accuracy & 88% recall, "
        "with $O(n \\log n)$ cost."
    )
    survey = papers["2511.04321"]
    assert survey.doi == "10.1162/tacl_a_00777" and survey.journal_ref == "Transactions of the ACL 14 (2026) 1-40"
    assert papers["2602.11111"].categories == ("cs.LG", "cs.CL")


def test_atom_feed(fixtures):
    result = parse_file(str(fixtures / "fmt-arxiv-atom.xml"))
    assert result.format == "arxiv-feed" and result.warnings == []
    papers = _by_id(result)
    assert list(papers) == ["2607.07002", "2601.00638"]
    assert [p.announce_type for p in result.papers] == ["new", "replacement"]
    assert {p.date for p in result.papers} == {"2026-07-09"}
    dialect = papers["2607.07002"]
    assert dialect.authors == ("Clémentine Sacré", "Ilse Vermeer")
    assert dialect.categories == ("cs.CL", "eess.AS")
    assert dialect.journal_ref == "Proceedings of Interspeech 2026, pp. 101-105"
    assert dialect.abstract_en == "Speech translation degrades on dialects; we measure by how much."
    assert papers["2601.00638"].doi == "10.1000/xyz.2026.1"


def test_rss1_feed(fixtures):
    """The pre-2024 RDF feeds: the kind and primary category are in the title, abstracts and authors are HTML."""
    result = parse_file(str(fixtures / "fmt-arxiv-rss1.xml"))
    assert result.format == "arxiv-feed" and result.warnings == []
    papers = _by_id(result)
    assert list(papers) == ["2306.08001", "2306.07002", "2210.01003"]
    assert [p.announce_type for p in result.papers] == ["new", "cross-list", "replacement"]
    # dc:date 2023-06-15T20:30:00-05:00 is Friday's listing (01:30 UTC on the 16th)
    assert {p.date for p in result.papers} == {"2023-06-16"}
    first = papers["2306.08001"]
    assert first.title_en == "Prompting in Português"
    assert first.authors == ("João Sardinha", "Marta Nowak")
    assert first.categories == ("cs.CL",)
    assert first.abstract_en == "We prompt models in Portuguese & Spanish.\nA second paragraph with $x^2$."
    assert papers["2306.07002"].categories == ("eess.AS",)
    assert papers["2210.01003"].title_en == "Old Benchmarks, New Scores"
    assert papers["2210.01003"].authors == ("Yusuf Demir", "Aino Kallio")


def test_api_answer_fields(fixtures):
    result = parse_file(str(fixtures / "fmt-arxiv-api.xml"))
    papers = _by_id(result)
    assert list(papers) == ["2607.07001", "hep-th/9901001"]
    onto = papers["2607.07001"]
    assert onto.title_en == "Ontológico: Parsing Portuguese Ontologies with $k$-Shot Prompts"  # split over two lines
    assert onto.authors == ("João Sardinha", "Tim Güneysu")
    assert onto.institutions == ("Harbourview University",)
    assert onto.comments == "12 pages, 3 figures; v2: typos fixed"
    assert onto.categories == ("cs.CL", "cs.AI")  # the primary category first
    assert onto.date == "2026-07-07"
    assert onto.abstract_en == (
        "We parse ontologies written in Portuguese with few-shot prompts and reach 91% accuracy.\n"
        "A second paragraph: the cost is $O(n \\log n)$."
    )
    old = papers["hep-th/9901001"]
    assert old.categories == ("hep-th", "cs.CL")
    assert old.doi == "10.1016/S0550-3213(99)00001-1" and old.journal_ref == "Nucl.Phys. B550 (1999) 1-20"
    assert old.date == "1999-01-01"


def test_empty_feed_is_read_with_a_note(fixtures):
    result = parse_file(str(fixtures / "fmt-arxiv-rss-empty.xml"))
    assert result.format == "arxiv-feed" and result.papers == []
    assert result.warnings == ["an arXiv feed of 2026-07-11 with no announcements (arXiv announces none on weekends and holidays)"]


API_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
    '  <title type="html">ArXiv Query: search_query=&amp;id_list=2607.99999</title>\n'
    "  <id>http://arxiv.org/api/x</id>\n  <updated>2026-07-10T00:00:00-04:00</updated>\n"
)


def test_api_error_and_empty_answers():
    error = API_HEAD + (
        '  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>\n'
        "  <entry>\n    <id>http://arxiv.org/api/errors#incorrect_id_format_for_2607.999</id>\n    <title>Error</title>\n"
        "    <summary>incorrect id format for 2607.999</summary>\n  </entry>\n</feed>\n"
    )
    with pytest.raises(DigestError, match="^an arXiv API answer that is an error: incorrect id format for 2607.999$"):
        parse_text(error, "error.xml", DAY)
    empty = API_HEAD + (
        '  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:totalResults>\n</feed>\n'
    )
    result = parse_text(empty, "empty.xml", DAY)
    assert result.papers == [] and result.warnings == ["an arXiv API answer with no entries (the query matched nothing)"]


def test_cut_feed_keeps_the_whole_entries(fixtures):
    text = (fixtures / "fmt-arxiv-rss2.xml").read_text(encoding="utf-8")
    cut = text[: text.index("A Survey of Dialect")]
    result = parse_text(cut, "cut.xml", DAY)
    assert [p.id for p in result.papers] == ["2607.07001", "2607.07150"]
    assert len(result.warnings) == 1 and result.warnings[0].startswith("the feed is cut off after 2 entries (")


def test_entity_declarations_are_refused_unparsed():
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        "<rss><channel><title>arXiv</title><item><title>&b;</title><link>https://arxiv.org/abs/2607.00001</link>"
        "</item></channel></rss>"
    )
    assert arxiv_feed.sniff(laughs)
    with pytest.raises(DigestError, match="DTD or entity declarations"):
        parse_text(laughs, "laughs.xml", DAY)


def test_a_dtd_after_the_root_is_not_obeyed():
    """A declaration inside the document is not a DTD: expat stops there, and the entity is never defined."""
    text = (
        "<rss><channel><title>arXiv</title><item><title>Kept</title><link>https://arxiv.org/abs/2607.00001</link></item>"
        '<!DOCTYPE x [<!ENTITY a "ha">]><item><title>&a;</title></item></channel></rss>'
    )
    result = parse_text(text, "late.xml", DAY)
    assert [p.title_en for p in result.papers] == ["Kept"]
    assert result.warnings[0].startswith("the feed is cut off after 1 entries")


def test_an_abstract_that_quotes_markup_is_read():
    text = (
        "<rss><channel><title>arXiv</title><item><title>On &lt;!DOCTYPE&gt; parsing</title>"
        "<link>https://arxiv.org/abs/2607.00003</link><description><![CDATA[We parse <!ENTITY x> declarations.]]>"
        "</description></item></channel></rss>"
    )
    (paper,) = parse_text(text, "cdata.xml", DAY).papers
    assert paper.title_en == "On <!DOCTYPE> parsing" and paper.abstract_en == "We parse <!ENTITY x> declarations."


def test_tex_never_closed_costs_one_look_each():
    """Openers that never close (maths, styles, groups) are text, read in one pass (this took 17 s at 20k)."""
    for piece in ("\\( \\'e ", "$$ x \\'e ", "\\textbf{a ", "{\\'e", "\\$ \\'e "):
        text = piece * 20_000
        shown = to_unicode(text)
        assert shown.count("é") >= 10_000 or "\\textbf" in piece
        assert shown.count("\\textbf{a") == (20_000 if "textbf" in piece else 0)


def test_broken_xml_and_other_feeds():
    with pytest.raises(DigestError, match="not well-formed XML"):
        parse_text("<rss><channel><title>arXiv</title><item><title>x</titel></item>", "bad.xml", DAY)
    # a feed that is not arXiv's is not claimed
    assert not arxiv_feed.sniff('<?xml version="1.0"?><rss version="2.0"><channel><title>My blog</title></channel></rss>')
    assert arxiv_feed.sniff("<!-- saved --><feed xmlns='http://www.w3.org/2005/Atom'><id>http://arxiv.org/api/x</id>")
    assert detect('\ufeff<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="x"><channel rdf:about="http://arxiv.org/">').NAME == "arxiv-feed"


def test_the_kind_from_the_description_when_the_element_was_dropped():
    """A feed re-serialised by a tool that kept only plain RSS elements: the kind is in the description."""
    text = (
        "<rss version='2.0'><channel><title>cs.CL updates on arXiv.org</title>"
        "<item><title>Revised</title><link>https://arxiv.org/abs/2607.00004</link>"
        "<description>arXiv:2607.00004v3 Announce Type: replace-cross \nAbstract: Better now.</description>"
        "<pubDate>Mon, 13 Jul 2026 00:00:00 -0400</pubDate></item></channel></rss>"
    )
    (paper,) = parse_text(text, "plain.xml", DAY).papers
    assert (paper.announce_type, paper.abstract_en, paper.date) == ("replacement", "Better now.", "2026-07-13")


def test_items_without_an_id_are_skipped_with_a_warning():
    text = (
        "<rss><channel><title>cs.CL updates on arXiv.org</title>"
        "<item><title>No link</title><description>x</description></item>"
        "<item><title>Kept</title><link>https://arxiv.org/abs/2607.00002</link></item></channel></rss>"
    )
    result = parse_text(text, "x.xml", DAY)
    assert [p.id for p in result.papers] == ["2607.00002"]
    assert result.warnings == ["an entry with no arXiv id or title (No link); skipped"]


@pytest.mark.parametrize(
    ("tex", "shown"),
    [
        ("Ontol\\'ogico", "Ontológico"),
        ('Tim G\\"uneysu', "Tim Güneysu"),
        ("Jos\\'e and \\'{\\i}", "José and í"),
        ("Ma{\\l}gorzata Mu\\~noz, Stra\\ss e, \\AA ngstr\\\"om", "Małgorzata Muñoz, Straße, Ångström"),
        ("\\v{C}ech \\c{c}", "Čech ç"),
        ("R\\&D at 11\\% cost", "R&D at 11% cost"),
        ("up 47% to 98% & more", "up 47% to 98% & more"),  # bare % and & are plain characters
        ("\\texttt{grep} and \\textbf{bold} and \\emph{G\\\"{o}del}", "grep and bold and Gödel"),
        ("$\\'e$ and $O(\\log n)$ stay", "$\\'e$ and $O(\\log n)$ stay"),  # maths as written
        ("\\ours beats~\\cite{a,b} via \\href{https://x.org}{x}", "\\ours beats~\\cite{a,b} via \\href{https://x.org}{x}"),
        ("\\$5 and {LLM}s", "$5 and {LLM}s"),
    ],
)
def test_tex_is_shown_as_unicode(tex, shown):
    assert to_unicode(tex) == shown
