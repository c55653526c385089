"""The filter language: every field and operator, precedence, highlight words and error messages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest_tui.core.model import Mark
from digest_tui.core.model import make_paper
from digest_tui.core.index import make_doc
from digest_tui.core.query import FIELDS, QueryError, parse_query
from digest_tui.core.store import Store

REGMIX = make_paper(
    id="2606.18663",
    title_en="RegMix-D: Dynamic Data Mixing via Proxy Training Trajectories",
    title_zh="RegMix-D: 通过代理训练轨迹实现动态数据混合",
    authors=("Kaiyan Zhao", "Zhongtao Miao", "Akiko Aizawa"),
    institutions=("The University of Tokyo(东京大学)",),
    institutions_raw="The University of Tokyo(东京大学) National Institute of Informatics(国立信息学研究所)",
    topic="预训练",
    categories=("cs.CL",),
    date="2026-06-18",
    score=90,
    abstract_en="Data mixture selection is critical for Large Language Model pretraining.",
    abstract_zh="数据混合选择对于大型语言模型预训练至关重要。",
)
MOE = make_paper(
    id="2606.19036",
    title_en="Geometric and Stochastic Analysis of Discontinuities in Sparse Mixture-of-Experts",
    title_zh="稀疏混合专家模型中不连续性的几何与随机分析",
    authors=("Wei Li", "Müller Straße"),
    categories=("cs.LG", "stat.ML"),
    date="2026-06-18",
    score=85,
    abstract_en="Sparse Mixture-of-Experts routers are discontinuous.",
)
HF = make_paper(
    title_en="Scaling   Agents\nfor the Web",
    authors=("Ana Tsinghua-Lopez",),
    organization="Tsinghua University",
    date="2025-12-10",
    upvotes=42,
    abstract_en="We scale web agents.",
)
OLD = make_paper(id="2401.00001", title_en="An Old Survey of Mixtures", date="2024-01-02", categories=("cs.AI",))

PAPERS = {"regmix": REGMIX, "moe": MOE, "hf": HF, "old": OLD}
DOCS = {name: make_doc(paper) for name, paper in PAPERS.items()}
MARKS = {
    "regmix": Mark(starred=True, read=True, tags=("MoE", "to-read")),
    "moe": Mark(tags=("moe",), note="check the proof"),
    "hf": Mark(),
    "old": Mark(read=True),
}


def hits(text: str) -> set[str]:
    query = parse_query(text)
    return {name for name, doc in DOCS.items() if query.match(doc, MARKS[name])}


ALL = set(PAPERS)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", ALL),
        ("   ", ALL),
        ("regmix", {"regmix"}),
        ("REGMIX", {"regmix"}),  # case-insensitive
        ("mixture", {"regmix", "moe", "old"}),  # both titles and abstracts
        ("zhao", {"regmix"}),  # authors
        ("2606.19036", {"moe"}),  # the id
        ("混合", {"regmix", "moe"}),  # Chinese title, no word boundaries needed
        ("至关重要", {"regmix"}),  # Chinese abstract
        ("大型语言", {"regmix"}),
        ('"language model"', {"regmix"}),
        ('"model language"', set()),
        ('"scaling agents for"', {"hf"}),  # whitespace in the paper is collapsed
        ("strasse", {"moe"}),  # casefolded: ß == ss
        ("mixture proxy", {"regmix"}),  # AND by default
    ],
)
def test_free_words(text, expected):
    assert hits(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cat:cs.CL", {"regmix"}),
        ("cat:cs.cl", {"regmix"}),
        ("cat:cs", {"regmix", "moe", "old"}),  # prefix
        ("cat:stat", {"moe"}),  # any category, not only the first
        ("cat:CL", set()),  # a prefix, not a substring
        ("tag:moe", {"regmix", "moe"}),  # exact, case-insensitive
        ("tag:MOE", {"regmix", "moe"}),
        ("tag:mo", set()),
        ("tag:to-read", {"regmix"}),
        ("author:zhao", {"regmix"}),
        ("author:tsinghua", {"hf"}),
        ("author:mixing", set()),
        ("inst:tokyo", {"regmix"}),
        ("inst:informatics", {"regmix"}),  # the raw institutions line
        ("inst:国立", {"regmix"}),
        ("inst:tsinghua", {"hf"}),  # HF organisation
        ("topic:预训练", {"regmix"}),
        ("topic:训练", {"regmix"}),
        ("title:mixture", {"moe", "old"}),  # RegMix-D has it in the abstract only
        ("title:专家", {"moe"}),  # the Chinese title
        ("title:critical", set()),  # only in an abstract
        ('title:"data mixing"', {"regmix"}),
        ("abstract:critical", {"regmix"}),
        ("abstract:预训练", {"regmix"}),
        ("abstract:regmix", set()),  # only in the title
        ("id:2606.18663", {"regmix"}),
        ("id:2606.18663v3", {"regmix"}),  # versions are ignored
        ("id:2606", {"regmix", "moe"}),
        ("id:18663", set()),  # a prefix
        ("is:starred", {"regmix"}),
        ("is:read", {"regmix", "old"}),
        ("is:unread", {"moe", "hf"}),
        ("is:tagged", {"regmix", "moe"}),
        ("is:noted", {"moe"}),
        ("IS:Starred", {"regmix"}),
        ("has:zh", {"regmix"}),
        ("has:en", {"regmix", "moe", "hf"}),
    ],
)
def test_fields(text, expected):
    assert hits(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("score>=85", {"regmix", "moe"}),
        ("score>85", {"regmix"}),
        ("score<=85", {"moe"}),
        ("score<85", set()),  # papers without a score never match a comparison
        ("score=90", {"regmix"}),
        ("score:90", {"regmix"}),
        ("score>=89.5", {"regmix"}),
        ("upvotes>=5", {"hf"}),
        ("upvotes<5", set()),
        ("upvotes=42", {"hf"}),
        ("date>=2026-06-01", {"regmix", "moe"}),
        ("date<2026-06-18", {"hf", "old"}),
        ("date=2026-06-18", {"regmix", "moe"}),
        ("date:2026-06", {"regmix", "moe"}),  # a prefix
        ("date:2025", {"hf"}),
        ("date<=2025-12", {"hf", "old"}),  # all of December counts
        ("date>2025-12", {"regmix", "moe"}),
        ("date<2025", {"old"}),
        ("-score>=85", {"hf", "old"}),  # NOT includes unknown scores
    ],
)
def test_comparisons(text, expected):
    assert hits(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mixture OR agents", {"regmix", "moe", "old", "hf"}),
        ("mixture or agents", {"regmix", "moe", "old", "hf"}),  # keywords in any case
        ("mixture AND sparse", {"moe"}),
        ("mixture and sparse", {"moe"}),
        ("NOT mixture", {"hf"}),
        ("not mixture", {"hf"}),
        ("-mixture", {"hf"}),
        ("mixture -sparse", {"regmix", "old"}),
        ("-cat:cs.LG mixture", {"regmix", "old"}),
        ("-(sparse OR old)", {"regmix", "hf"}),
        ("NOT NOT sparse", {"moe"}),
        ("--sparse", {"moe"}),
        # precedence: NOT > AND > OR
        ("agents OR sparse mixture", {"hf", "moe"}),  # agents OR (sparse AND mixture)
        ("(agents OR sparse) mixture", {"moe"}),
        ("NOT sparse mixture", {"regmix", "old"}),  # (NOT sparse) AND mixture
        ("NOT (sparse mixture)", {"regmix", "old", "hf"}),
        ("NOT sparse OR agents", {"regmix", "old", "hf"}),  # (NOT sparse) OR agents
        ("is:starred OR is:noted OR upvotes>=1", {"regmix", "moe", "hf"}),
        ("((regmix))", {"regmix"}),
        ("cat:cs.CL)OR(cat:cs.LG", None),  # a stray ')' is an error, checked below
        ('"or" agents', {"hf"}),  # quoted: a word ("for"), not the keyword
        ("self-attention", set()),  # a dash inside a word is part of it
        ("-", {"regmix", "moe", "hf", "old"}),  # a lone dash is a joiner, found wherever a space or joiner is
    ],
)
def test_boolean_operators_and_precedence(text, expected):
    if expected is None:
        with pytest.raises(QueryError):
            parse_query(text)
    else:
        assert hits(text) == expected


def test_or_between_fielded_terms_and_parentheses_without_spaces():
    assert hits("(cat:cs.CL OR cat:cs.LG)score>=85") == {"regmix", "moe"}


def test_quoted_field_values_and_phrases_with_cjk():
    assert hits('title:"Proxy Training"') == {"regmix"}
    assert hits('abstract:"语言模型预训练"') == {"regmix"}
    assert hits('author:"kaiyan zhao"') == {"regmix"}
    assert hits('author:"zhao kaiyan"') == set()
    assert hits('"通过代理 训练"') == set()


def test_a_phrase_never_matches_across_two_authors():
    assert hits('author:"zhao zhongtao"') == set()
    assert hits('"zhao zhongtao"') == set()


def test_query_keeps_its_text_and_highlight_words():
    query = parse_query('Mixture title:"Data  Mixing" author:Zhao -sparse NOT inst:tokyo cat:cs.CL "Proxy Runs" mixture')
    assert query.text == 'Mixture title:"Data  Mixing" author:Zhao -sparse NOT inst:tokyo cat:cs.CL "Proxy Runs" mixture'
    assert query.words == ("mixture", "data mixing", "zhao", "proxy runs")  # lowercase, no negated terms, no duplicates
    assert parse_query("NOT NOT sparse").words == ("sparse",)
    assert parse_query("").words == ()


def test_uses_marks_tells_when_stars_can_change_the_answer():
    assert not parse_query("mixture cat:cs.CL score>=80").uses_marks
    assert parse_query("mixture -is:read").uses_marks
    assert parse_query("tag:moe").uses_marks
    assert parse_query("").matches_all and not parse_query("x").matches_all


def test_store_select_keeps_order_and_looks_marks_up_by_key():
    store = Store()
    store.add(PAPERS.values())
    marks = {PAPERS[name].key: mark for name, mark in MARKS.items()}
    asked: list[str] = []

    def mark_of(key: str) -> Mark:
        asked.append(key)
        return marks.get(key, Mark())

    def keys(text: str) -> list[str]:
        return [store.papers[row].key for row in store.select(parse_query(text), mark_of, "title")]

    assert keys("is:read") == [OLD.key, REGMIX.key]
    assert sorted(asked) == sorted(marks)
    asked.clear()
    assert keys("mixture") == [OLD.key, MOE.key, REGMIX.key]  # "An Old…", "Geometric…", "RegMix…"
    assert asked == []  # a query that cannot depend on marks never looks them up
    assert len(keys("")) == len(PAPERS)


def test_every_query_answers_the_same_in_a_store_as_paper_by_paper():
    store = Store()
    rows = store.add(PAPERS.values())
    names = dict(zip(rows, PAPERS))
    marks = {PAPERS[name].key: mark for name, mark in MARKS.items()}
    for text in ["mixture", "title:mix", "-cat:cs", "score>=85 OR upvotes>40", "date:2026-06 -is:read",
                 "tag:moe", "has:zh", "NOT (inst:tokyo OR author:müller)", "id:2606", "abstract:router"]:
        chosen = {names[row] for row in store.select(parse_query(text), marks.__getitem__, "date")}
        assert chosen == hits(text), text


def test_a_changed_paper_is_searched_as_it_is_now():
    store = Store()
    [row] = store.add([make_paper(id="2606.00001", title_en="First words")])
    query = parse_query("title:first")
    assert store.select(query, lambda key: Mark()) == [row]
    store.add([make_paper(id="2606.00001", title_en="First words", abstract_en="Later abstract")])
    assert store.select(parse_query("later"), lambda key: Mark()) == [row]
    store.remove_files(["x"])  # nothing from that file: no change
    assert store.select(query, lambda key: Mark()) == [row]


def test_paper_with_nothing_but_a_title_never_breaks_a_query():
    doc = make_doc(make_paper(title_zh="只有标题"))
    for text in ["标题", "cat:cs", "score>=1", "date<2030", "has:en", "inst:x", "topic:x", "id:1", "author:a"]:
        parse_query(text).match(doc, Mark())
    assert parse_query("标题").match(doc, Mark())


@pytest.mark.parametrize(
    "text, message",
    [
        ("mixture (cat:cs.CL OR x", "unclosed '(' at 9"),
        ("(a (b)", "unclosed '(' at 1"),
        ("a b)", "unmatched ')' at 4"),
        (")", "unmatched ')' at 1"),
        ("a () b", "empty '()' at 3"),
        ('title:"open', "unclosed '\"' at 7"),
        ('"', "unclosed '\"' at 1"),
        ('""', "empty quotes at 1"),
        ("foo:bar", f"unknown field 'foo:' at 1 (known: {', '.join(FIELDS)})"),
        ("x Foo:bar", "unknown field 'Foo:' at 3"),
        ("foo>=3", "unknown field 'foo' in foo>=3"),
        ("score>=abc", "score needs a number: score>=abc"),
        ("upvotes>", "upvotes needs a number: upvotes>"),
        ("score:high", "score needs a number: score:high"),
        ("date>=June", "date needs YYYY, YYYY-MM or YYYY-MM-DD: date>=June"),
        ("date:2026-6", "date needs YYYY, YYYY-MM or YYYY-MM-DD: date:2026-6"),
        ("cat>=cs", "cat cannot be compared with '>=' (only score, upvotes, date): cat>=cs"),
        ("is:sterred", "is: needs one of starred, unread, read, tagged, noted: is:sterred"),
        ("has:fr", "has: needs one of zh, en: has:fr"),
        ("type:old", "type: needs one of new, cross-list, replacement: type:old"),
        ("cat:", "cat: needs a value at 1"),
        ("a tag: b", "tag: needs a value at 3"),
        ("a OR", "'OR' needs a term after it at 3"),
        ("OR a", "'OR' needs a term before it at 1"),
        ("a AND", "'AND' needs a term after it at 3"),
        ("and a", "'and' needs a term before it at 1"),
        ("a OR OR b", "'OR' needs a term after it at 3"),
        ("a NOT", "'NOT' needs a term after it at 3"),
        ("(a OR)", "'OR' needs a term after it at 4"),
        ("x -)", "unmatched ')' at 4"),
    ],
)
def test_error_messages(text, message):
    with pytest.raises(QueryError) as raised:
        parse_query(text)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert isinstance(raised.value, ValueError)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list('ab:()"- \t<=') + ["OR", "NOT", "and", "cat", "is", "score", "date", "中"]), max_size=20).map("".join))
def test_any_text_parses_or_raises_query_error(text):
    try:
        query = parse_query(text)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
    else:
        for name, doc in DOCS.items():
            assert query.match(doc, MARKS[name]) in (True, False)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_unicode_text_parses_or_raises_query_error(text):
    try:
        query = parse_query(text)
    except QueryError:
        return
    query.match(DOCS["regmix"], MARKS["regmix"])


# -- property: the compiled predicate agrees with a plain evaluation of the same tree ----------

ATOMS = ["mixture", "sparse", "agents", "cat:cs", "is:read", "tag:moe", "score>=86", "has:zh", "date:2026"]


def truth(atom: str, name: str) -> bool:
    return name in hits(atom)


trees = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.tuples(st.just("NOT"), inner),
        st.tuples(st.sampled_from(["AND", "OR"]), inner, inner),
    ),
    max_leaves=8,
)


def render_full(tree) -> str:
    if isinstance(tree, str):
        return tree
    if tree[0] == "NOT":
        return f"-({render_full(tree[1])})"
    return f"({render_full(tree[1])} {tree[0]} {render_full(tree[2])})"


PRECEDENCE = {"OR": 1, "AND": 2, "NOT": 3}


def render_minimal(tree, parent: int = 0) -> str:
    """Parentheses only where precedence needs them; AND written as juxtaposition."""
    if isinstance(tree, str):
        return tree
    op = tree[0]
    if op == "NOT":
        text = "NOT " + render_minimal(tree[1], PRECEDENCE["NOT"])
    else:
        # left-associative: the right operand needs parentheses at the same level
        left = render_minimal(tree[1], PRECEDENCE[op])
        right = render_minimal(tree[2], PRECEDENCE[op] + 1)
        text = f"{left} {right}" if op == "AND" else f"{left} OR {right}"
    return f"({text})" if PRECEDENCE[op] < parent else text


def evaluate(tree, name: str) -> bool:
    if isinstance(tree, str):
        return truth(tree, name)
    if tree[0] == "NOT":
        return not evaluate(tree[1], name)
    if tree[0] == "AND":
        return evaluate(tree[1], name) and evaluate(tree[2], name)
    return evaluate(tree[1], name) or evaluate(tree[2], name)


@settings(max_examples=150, deadline=None)
@given(trees)
def test_compiled_query_agrees_with_the_tree(tree):
    expected = {name for name in PAPERS if evaluate(tree, name)}
    assert hits(render_full(tree)) == expected
    assert hits(render_minimal(tree)) == expected


# -- folding: width and joiners ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ('abstract:"mixture of experts"', {"moe"}),  # the text says Mixture-of-Experts
        ('"mixture of experts"', {"moe"}),
        ("mixture-of-experts", {"moe"}),
        ("mixture_of_experts", {"moe"}),
        ("mixture\u2010of\u2010experts", {"moe"}),  # U+2010 HYPHEN, as typeset text has it
        ('title:"regmix d"', {"regmix"}),
        ("ＲｅｇＭｉｘ", {"regmix"}),  # full-width letters, as a Chinese input method types them
        ("ｍｉｘｔｕｒｅ－ｏｆ－ｅｘｐｅｒｔｓ", {"moe"}),  # full-width hyphen-minus too
        ("author:tsinghua lopez", {"hf"}),
        ("inst:\"tokyo(东京大学)\"", {"regmix"}),
        ("inst:\"tokyo（东京大学）\"", {"regmix"}),  # full-width brackets are the ASCII ones under NFKC
    ],
)
def test_width_and_joiners_fold(text, expected):
    assert hits(text) == expected


def test_full_width_text_in_a_digest_is_found_by_ascii_words():
    paper = make_paper(id="2606.00001", title_en="ＭｏＥ路由", abstract_zh="我们研究稀疏混合专家（ＭｏＥ）模型的路由。")
    doc = make_doc(paper)
    for text in ("moe", "MoE", "ＭｏＥ", 'abstract:"（moe）"', "title:moe路由"):
        assert parse_query(text).match(doc, Mark()), text


def test_the_words_to_mark_are_folded_like_the_search():
    assert parse_query('abstract:"Mixture-of-Experts" ＭｏＥ').words == ("mixture of experts", "moe")


def test_phrases_with_and_without_hyphens_find_the_same_real_papers(shared_digests):
    from digest_tui.core.loading.session import load

    store, _report = load([shared_digests])
    spaced = store.select(parse_query('abstract:"mixture of experts"'), lambda key: Mark())
    hyphenated = store.select(parse_query("abstract:mixture-of-experts"), lambda key: Mark())
    assert spaced and sorted(spaced) == sorted(hyphenated)
    assert sorted(store.select(parse_query("ＭｏＥ"), lambda key: Mark())) == sorted(store.select(parse_query("moe"), lambda key: Mark()))


def test_type_selects_how_an_arxiv_listing_announced_the_paper():
    kinds = {kind: make_paper(id=f"2601.0000{n}", title_en=kind, announce_type=kind)
             for n, kind in enumerate(("new", "cross-list", "replacement"))}
    docs = {**{kind: make_doc(paper) for kind, paper in kinds.items()}, "digest": make_doc(REGMIX)}  # no listing: no type

    def found(text: str) -> set[str]:
        query = parse_query(text)
        return {name for name, doc in docs.items() if query.match(doc, Mark())}

    assert found("type:new") == {"new"}
    assert found("type:cross") == found("type:cross-list") == found("TYPE:Cross") == {"cross-list"}
    assert found("type:repl") == found("type:replacement") == {"replacement"}
    assert found("-type:repl") == {"new", "cross-list", "digest"}
    assert found("type:new OR type:cross") == {"new", "cross-list"}
