"""The filter language: parse a query once into nested closures, then test papers fast.

Syntax (case-insensitive throughout; precedence NOT > AND > OR):

    word  "two words"          substring of either title, the authors, either abstract, or the id
    cat:cs.CL                  a category starting with this (cat:cs matches cs.CL, cs.LG...)
    tag:moe                    carries this tag (exact)
    author:zhao  inst:tokyo  topic:预训练  title:mix  abstract:proxy   substring of that field
    id:2606.18                 arXiv id starting with this
    is:starred is:read is:unread is:tagged is:noted     has:zh has:en (has that abstract)
    score>=80 score>80 score<=80 score<80 score=80 score:80     upvotes>=5 (same operators)
    date>=2026-06-01 date:2026-06 date<2026      dates compare on the digits given
    a b  a AND b    a OR b    NOT a  -a    ( ... )

Field values may be quoted: `title:"data mixing"`. Positions in error messages count from 1.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .library import NO_MARK, Mark
from .model import Paper
from .sanitize import clean

TEXT_FIELDS = ("author", "inst", "topic", "title", "abstract")
FIELDS = ("cat", "tag", "author", "inst", "topic", "is", "id", "title", "abstract", "has", "score", "upvotes", "date")
"""Every field name the language knows, in the order error messages list them."""
IS_VALUES = ("starred", "unread", "read", "tagged", "noted")
HAS_VALUES = ("zh", "en")
COMPARABLE = ("score", "upvotes", "date")
KEYWORDS = ("and", "or", "not")

_FIELD = re.compile(r"([A-Za-z_]+):(.*)", re.S)
_COMPARISON = re.compile(r"([A-Za-z_]+)(>=|<=|>|<|=)(.*)", re.S)
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


class QueryError(ValueError):
    """A query that cannot be parsed; the message says what and where, in one line (control
    characters in the quoted query made visible: a query may come from a script or a list file)."""

    def __init__(self, message: object = "invalid query") -> None:
        super().__init__(clean(str(message)))


@dataclass(slots=True)  # not frozen: frozen __init__ costs a setattr call per field, 100k times
class SearchDoc:
    """One paper's searchable text, casefolded once, whitespace runs made single spaces.
    The English and Chinese abstracts are kept in separate strings: Python stores pure-ASCII
    strings at one byte a character and skips a CJK needle in them at once, so full-text search
    scans less than half the bytes it would in one mixed string. The titles, short, share one
    string (one `in` per paper instead of two: ~15% of a `title:` query's time at 100k papers).
    Multi-valued fields are joined with `\\n`, which no query term contains, so a phrase never
    matches across two values."""

    paper: Paper
    key: str
    id: str
    titles: str  # both titles, `\n` between: a title test is one `in`, not two
    authors: str
    abstract_en: str
    abstract_zh: str
    inst: str  # institutions_raw (else institutions) and organization
    topic: str
    cats: tuple[str, ...]
    cat_text: str  # "\ncs.cl\ncs.ai": `"\n" + value in cat_text` is a prefix test on every category
    # copied from the paper so a test is one attribute away, not two
    score: int | None
    upvotes: int | None
    date: str | None
    has_zh: bool
    has_en: bool


_SPACES = re.compile(r"\s+")


def _untidy(text: str) -> bool:
    """Whether whitespace needs collapsing. Parsers tidy nearly everything, so this cheap test
    (single-character scans; a doubled space is left alone, looking for it costs more than all
    the rest) saves splitting every abstract, which would triple make_doc's time."""
    return (
        "\n" in text
        or "\t" in text
        or "\r" in text
        or "\xa0" in text
        or "\u3000" in text
        or text[0].isspace()
        or text[-1].isspace()
    )


def _fold(text: str | None) -> str:
    if not text:
        return ""
    if _untidy(text):
        text = _SPACES.sub(" ", text).strip()
    # same result for ASCII (isascii() is O(1)), and lower() is a little faster
    return text.lower() if text.isascii() else text.casefold()


def _fold_all(*parts: str | None) -> str:
    """Several values as one string, `\\n` between them."""
    present = [part for part in parts if part]
    if not present:
        return ""
    if _untidy(" ".join(present)):
        return "\n".join(folded for folded in map(_fold, present) if folded)
    text = "\n".join(present)
    return text.lower() if text.isascii() else text.casefold()


def make_doc(paper: Paper) -> SearchDoc:
    """Precompute what queries look at; done once per paper, not per keystroke."""
    cats = tuple(c.casefold() for c in paper.categories)
    abstract_en, abstract_zh = _fold(paper.abstract_en), _fold(paper.abstract_zh)
    return SearchDoc(
        paper=paper,
        key=paper.key,
        id=(paper.id or "").casefold(),
        titles=_fold_all(paper.title_en, paper.title_zh),
        authors=_fold_all(*paper.authors),
        abstract_en=abstract_en,
        abstract_zh=abstract_zh,
        # the raw line holds every split-out institution, so search it alone when there is one
        inst=_fold_all(paper.institutions_raw, paper.organization)
        if paper.institutions_raw
        else _fold_all(*paper.institutions, paper.organization),
        topic=_fold(paper.topic),
        cats=cats,
        cat_text="".join("\n" + c for c in cats),
        score=paper.score,
        upvotes=paper.upvotes,
        date=paper.date,
        has_zh=bool(abstract_zh),
        has_en=bool(abstract_en),
    )


Predicate = Callable[[SearchDoc, Mark], bool]


def _match_all(doc: SearchDoc, mark: Mark) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query. `match(doc, mark)` is the compiled predicate itself (no parsing, no
    method lookup); `words` are the casefolded free words, phrases and text-field values to
    highlight (not those under NOT); `uses_marks` says whether stars/tags/reads can change
    the answer, so a caller knows when to re-filter after the user marks a paper."""

    text: str
    match: Predicate = _match_all
    words: tuple[str, ...] = ()
    uses_marks: bool = False

    @property
    def matches_all(self) -> bool:
        return self.match is _match_all

    def filter(self, docs: Iterable[SearchDoc], marks: Mapping[str, Mark]) -> list[SearchDoc]:
        """The docs that match, in order; `marks` maps paper keys to marks (e.g. Library.marks).
        Looks marks up only when the query can depend on them."""
        if self.matches_all:
            return list(docs)
        match = self.match
        if not self.uses_marks:
            return [doc for doc in docs if match(doc, NO_MARK)]
        get = marks.get
        return [doc for doc in docs if match(doc, get(doc.key, NO_MARK))]


# -- scanning ----------------------------------------------------------------------------

# token kinds
_LP, _RP, _AND, _OR, _NOT, _TERM = "(", ")", "AND", "OR", "NOT", "term"


@dataclass(slots=True)
class _Token:
    kind: str
    pos: int  # 1-based
    spelling: str  # as written, for messages
    term: tuple | None = None  # for terms: ("word", value) / ("field", name, value) / ("cmp", name, op, value)


def _scan(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token(ch, i + 1, ch))
            i += 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != ")":
            tokens.append(_Token(_NOT, i + 1, "-"))
            i += 1
        elif ch == '"':
            value, end = _quoted(text, i)
            tokens.append(_Token(_TERM, i + 1, text[i:end], ("word", value)))
            i = end
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in '()"':
                i += 1
            word = text[start:i]
            # `title:"two words"`: a field (or comparison) whose value is quoted
            if i < n and text[i] == '"' and (word.endswith(":") or word[-1] in "<>="):
                value, i = _quoted(text, i)
                tokens.append(_word_token(word, start, text[start:i], value))
            else:
                tokens.append(_word_token(word, start, word, None))
    return tokens


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The phrase in the quotes opening at `start`, whitespace collapsed; and the index after it."""
    end = text.find('"', start + 1)
    if end < 0:
        raise QueryError(f"unclosed '\"' at {start + 1}")
    value = " ".join(text[start + 1 : end].split())
    if not value:
        raise QueryError(f"empty quotes at {start + 1}")
    return value, end + 1


def _word_token(word: str, start: int, spelling: str, quoted: str | None) -> _Token:
    pos = start + 1
    if quoted is None and word.casefold() in KEYWORDS:
        return _Token(word.upper(), pos, word)
    # the first character after the leading letters decides: `score>=80` compares, `title:a=b` is a field
    comparison = _COMPARISON.fullmatch(word)
    field = None if comparison else _FIELD.fullmatch(word)
    if comparison:
        name, op, value = comparison[1].casefold(), comparison[2], comparison[3]
        if name not in FIELDS:
            raise QueryError(f"unknown field '{comparison[1]}' in {spelling} (known: {', '.join(FIELDS)})")
        if name not in COMPARABLE:
            raise QueryError(f"{name} cannot be compared with '{op}' (only {', '.join(COMPARABLE)}): {spelling}")
        value = quoted if quoted is not None else value
        return _Token(_TERM, pos, spelling, ("cmp", name, op, value))
    if field:
        name, value = field[1].casefold(), field[2]
        if name not in FIELDS:
            raise QueryError(f"unknown field '{field[1]}:' at {pos} (known: {', '.join(FIELDS)})")
        value = quoted if quoted is not None else value
        if not value:
            raise QueryError(f"{name}: needs a value at {pos}")
        if name in COMPARABLE:
            return _Token(_TERM, pos, spelling, ("cmp", name, "=", value))
        return _Token(_TERM, pos, spelling, ("field", name, value))
    return _Token(_TERM, pos, spelling, ("word", word))


# -- parsing and compiling -----------------------------------------------------------------

# Rough relative costs, so AND/OR test cheap things first (they are pure, so order is free).
_COST_MARK, _COST_NUMBER, _COST_SHORT, _COST_TEXT, _COST_ABSTRACT, _COST_WORD = 1, 2, 3, 5, 20, 30


MAX_DEPTH = 64
"""Levels of `( )` and NOT a query may nest: deeper would exhaust Python's recursion, in the parser
and again in every match, and no person writes it."""


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.words: list[str] = []
        self.uses_marks = False

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> tuple[Predicate, int]:
        result = self.parse_or(negated=False)
        token = self.peek()
        if token is not None:  # only a stray ')' can stop parse_or early
            raise QueryError(f"unmatched ')' at {token.pos}")
        return result

    def parse_or(self, negated: bool) -> tuple[Predicate, int]:
        parts = [self.parse_and(negated)]
        while (token := self.peek()) is not None and token.kind == _OR:
            self.i += 1
            if self.peek() is None or self.peek().kind in (_OR, _AND, _RP):
                raise QueryError(f"'{token.spelling}' needs a term after it at {token.pos}")
            parts.append(self.parse_and(negated))
        return _any_of(parts)

    def parse_and(self, negated: bool) -> tuple[Predicate, int]:
        parts = [self.parse_not(negated)]
        while (token := self.peek()) is not None and token.kind not in (_OR, _RP):
            if token.kind == _AND:
                self.i += 1
                following = self.peek()
                if following is None or following.kind in (_OR, _AND, _RP):
                    raise QueryError(f"'{token.spelling}' needs a term after it at {token.pos}")
            parts.append(self.parse_not(negated))
        return _all_of(parts)

    def parse_not(self, negated: bool) -> tuple[Predicate, int]:
        token = self.peek()
        if token is None:
            raise QueryError("the query ends too soon")  # callers check before getting here
        if token.kind in (_OR, _AND):
            raise QueryError(f"'{token.spelling}' needs a term before it at {token.pos}")
        if token.kind in (_NOT, _LP):
            if self.depth >= MAX_DEPTH:
                raise QueryError(f"nested too deeply at {token.pos} (more than {MAX_DEPTH} levels of '(' and NOT)")
            self.depth += 1
            try:
                return self._parse_nested(token, negated)
            finally:
                self.depth -= 1
        if token.kind == _RP:
            raise QueryError(f"unmatched ')' at {token.pos}")
        self.i += 1
        return self.term(token, negated)

    def _parse_nested(self, token: _Token, negated: bool) -> tuple[Predicate, int]:
        """`NOT x` / `-x` / `( ... )`."""
        if token.kind == _NOT:
            self.i += 1
            following = self.peek()
            if following is None or following.kind in (_OR, _AND, _RP):
                raise QueryError(f"'{token.spelling}' needs a term after it at {token.pos}")
            inner, cost = self.parse_not(not negated)
            return (lambda d, m, f=inner: not f(d, m)), cost
        if token.kind == _LP:
            self.i += 1
            following = self.peek()
            if following is not None and following.kind == _RP:
                raise QueryError(f"empty '()' at {token.pos}")
            if following is None:
                raise QueryError(f"unclosed '(' at {token.pos}")
            result = self.parse_or(negated)
            closing = self.peek()
            if closing is None or closing.kind != _RP:
                raise QueryError(f"unclosed '(' at {token.pos}")
            self.i += 1
            return result
        raise AssertionError(token.kind)  # pragma: no cover

    def term(self, token: _Token, negated: bool) -> tuple[Predicate, int]:
        kind, *rest = token.term
        if kind == "word":
            word = rest[0].casefold()
            if not negated:
                self.words.append(word)
            return _word(word), _COST_WORD
        if kind == "cmp":
            return _comparison(*rest, token.spelling)
        name, value = rest
        if name in ("is", "tag"):
            self.uses_marks = True
        if name in TEXT_FIELDS and not negated:
            self.words.append(" ".join(value.split()).casefold())
        return _field(name, value, token)


def _all_of(parts: list[tuple[Predicate, int]]) -> tuple[Predicate, int]:
    return _combine(parts, every=True)


def _any_of(parts: list[tuple[Predicate, int]]) -> tuple[Predicate, int]:
    return _combine(parts, every=False)


def _combine(parts: list[tuple[Predicate, int]], every: bool) -> tuple[Predicate, int]:
    """AND (`every`) or OR of predicates, cheapest first so a cheap miss (or hit) decides early."""
    if len(parts) == 1:
        return parts[0]
    parts = sorted(parts, key=lambda part: part[1])
    cost = sum(part[1] for part in parts)
    tests = tuple(part[0] for part in parts)
    if len(tests) == 2:
        a, b = tests
        if every:
            return (lambda d, m: a(d, m) and b(d, m)), cost
        return (lambda d, m: a(d, m) or b(d, m)), cost

    def combined(d: SearchDoc, m: Mark) -> bool:
        for test in tests:
            if bool(test(d, m)) is not every:
                return not every
        return every

    return combined, cost


def _word(w: str) -> Predicate:
    return lambda d, m: (
        w in d.titles or w in d.authors or w in d.id or w in d.abstract_en or w in d.abstract_zh
    )


def _field(name: str, value: str, token: _Token) -> tuple[Predicate, int]:
    v = " ".join(value.split()).casefold()
    if name == "cat":
        v = "\n" + v
        return (lambda d, m: v in d.cat_text), _COST_SHORT
    if name == "tag":
        return (lambda d, m: bool(m.tags) and any(t.casefold() == v for t in m.tags)), _COST_MARK
    if name == "author":
        return (lambda d, m: v in d.authors), _COST_TEXT
    if name == "inst":
        return (lambda d, m: v in d.inst), _COST_TEXT
    if name == "topic":
        return (lambda d, m: v in d.topic), _COST_TEXT
    if name == "title":
        return (lambda d, m: v in d.titles), _COST_TEXT
    if name == "abstract":
        return (lambda d, m: v in d.abstract_en or v in d.abstract_zh), _COST_ABSTRACT
    if name == "id":
        v = re.sub(r"v\d+$", "", v)
        return (lambda d, m: d.id.startswith(v)), _COST_SHORT
    if name == "is":
        tests: dict[str, Predicate] = {
            "starred": lambda d, m: m.starred,
            "read": lambda d, m: m.read,
            "unread": lambda d, m: not m.read,
            "tagged": lambda d, m: bool(m.tags),
            "noted": lambda d, m: bool(m.note),
        }
        if v not in tests:
            raise QueryError(f"is: needs one of {', '.join(IS_VALUES)}: {token.spelling}")
        return tests[v], _COST_MARK
    if name == "has":
        if v == "zh":
            return (lambda d, m: d.has_zh), _COST_NUMBER
        if v == "en":
            return (lambda d, m: d.has_en), _COST_NUMBER
        raise QueryError(f"has: needs one of {', '.join(HAS_VALUES)}: {token.spelling}")
    raise QueryError(f"unknown field '{name}:' at {token.pos} (known: {', '.join(FIELDS)})")  # pragma: no cover


def _comparison(name: str, op: str, value: str, spelling: str) -> tuple[Predicate, int]:
    value = value.strip()
    if name == "date":
        if not _DATE.fullmatch(value):
            raise QueryError(f"date needs YYYY, YYYY-MM or YYYY-MM-DD: {spelling}")
        return _compare_date(op, value), _COST_NUMBER
    if not _NUMBER.fullmatch(value):
        raise QueryError(f"{name} needs a number: {spelling}")
    number = float(value)
    compare = _OPERATORS[op]
    if name == "score":
        return (lambda d, m: (x := d.score) is not None and compare(x, number)), _COST_NUMBER
    return (lambda d, m: (x := d.upvotes) is not None and compare(x, number)), _COST_NUMBER


_OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "=": operator.eq}


def _compare_date(op: str, v: str) -> Predicate:
    """Compare on as many characters as were given: `date<=2026-06` includes all of June."""
    k = len(v)
    if op == ">=":
        return lambda d, m: (x := d.date) is not None and x[:k] >= v
    if op == ">":
        return lambda d, m: (x := d.date) is not None and x[:k] > v
    if op == "<=":
        return lambda d, m: (x := d.date) is not None and x[:k] <= v
    if op == "<":
        return lambda d, m: (x := d.date) is not None and x[:k] < v
    return lambda d, m: (x := d.date) is not None and x.startswith(v)


def parse_query(text: str) -> Query:
    """Parse and compile a query; QueryError says what is wrong and where. Blank = match all."""
    tokens = _scan(text)
    if not tokens:
        return Query(text)
    parser = _Parser(tokens)
    try:
        match, _cost = parser.parse()
    except RecursionError:  # MAX_DEPTH keeps well inside the limit; this only guards a caller deep in its own stack
        raise QueryError(f"nested too deeply (more than {MAX_DEPTH} levels of '(' and NOT)") from None
    return Query(text, match, tuple(dict.fromkeys(parser.words)), parser.uses_marks)
