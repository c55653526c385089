"""The filter language: a query is parsed once into one list comprehension over search-index columns.

Syntax (case- and width-insensitive throughout, `-` `‐` `_` alike with a space inside words and
phrases; precedence NOT > AND > OR):

    word  "two words"          substring of either title, the authors, either abstract, or the id
    cat:cs.CL                  a category starting with this (cat:cs matches cs.CL, cs.LG...)
    tag:moe                    carries this tag (exact)
    author:zhao  inst:tokyo  topic:预训练  title:mix  abstract:proxy   substring of that field
    id:2606.18                 arXiv id starting with this
    is:starred is:read is:unread is:tagged is:noted     has:zh has:en (has that abstract)
    type:new type:cross type:replacement    how an arXiv listing announced it (a start of the word)
    score>=80 score>80 score<=80 score<80 score=80 score:80     upvotes>=5 (same operators)
    date>=2026-06-01 date:2026-06 date<2026      dates compare on the digits given
    a b  a AND b    a OR b    NOT a  -a    ( ... )

Field values may be quoted: `title:"data mixing"`. Positions in error messages count from 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import compress
from operator import itemgetter
from dataclasses import dataclass
from typing import NamedTuple

from .model import ANNOUNCE_TYPES, Mark
from .index import SearchDoc, fold
from .text import one_line

TEXT_FIELDS = ("author", "inst", "topic", "title", "abstract")
FIELDS = ("cat", "tag", "author", "inst", "topic", "is", "id", "title", "abstract", "has", "type", "score", "upvotes", "date")
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
        super().__init__(one_line(message, limit=MAX_MESSAGE))


MAX_MESSAGE = 240
"""Characters of an error message: what it quotes of a query (a token of it, say) is cut to fit."""
MAX_TERMS = 10_000
"""Different terms a query may have (a term written twice counts once); more is refused with a
message. Up to this a query stays fast: terms of one field under one OR are tested as one
pattern (see _Parser.merge_or), so 10,000 OR-ed words take ~0.3 s to compile and ~0.05 s to run
over 2,700 papers; 10,000 AND-ed ones about a second to compile."""
MERGE_AT = 4
"""Terms of one field under one OR from which they are merged into one pattern."""
MAX_MERGED_LENGTH = 200
"""Longer values are tested on their own (a trie pattern nests one group per branching letter)."""


def _has_tag(tags: tuple[str, ...], value: str) -> bool:
    return any(tag.casefold() == value for tag in tags)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query, compiled to one function that picks the matching rows from index columns.
    `columns` names the columns it reads, in the order `select` takes them; `words` are the
    casefolded free words, phrases and text-field values to highlight (not those under NOT);
    `uses_marks` says whether stars/tags/reads can change the answer, so a caller knows when
    to re-filter after the user marks a paper.

    The same query is compiled a second time for a store whose long texts are searched on disk
    (textindex.py): there each test that index can answer (a free word or phrase, `abstract:`,
    `inst:`, `has:`, `title:`, `author:`) is a look-up in a mask of rows the caller makes first (a byte a row, 1 for
    those in it: no set of a million rows to build). `texts` says what each mask holds: the rows
    with any of the needles in any of the columns, or (needles empty) those whose one column is
    not empty; `indexed_columns` are the columns that variant still reads."""

    text: str
    words: tuple[str, ...] = ()
    uses_marks: bool = False
    columns: tuple[str, ...] = ()
    rows: Callable[..., list[int]] | None = None  # (order, mark_of, *columns) -> rows; None matches all
    texts: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    indexed_columns: tuple[str, ...] = ()
    indexed_rows: Callable[..., list[int]] | None = None  # (order, mark_of, *indexed columns, *masks of texts)

    @property
    def matches_all(self) -> bool:
        return self.rows is None

    def select(self, order: list[int], columns: Sequence[list], mark_of: Callable[[str], Mark]) -> list[int]:
        """The rows of `order` that match, in that order. `columns[i]` is the index column named
        `self.columns[i]`, with an entry for every row in `order`; `mark_of(key)` gives the user's
        marks, looked up only when the query can depend on them."""
        if self.rows is None:
            return list(order)
        return self.rows(order, mark_of, *columns)

    def select_indexed(
        self, order: list[int], columns: Sequence[list], found: Sequence[bytes | bytearray], mark_of: Callable[[str], Mark]
    ) -> list[int]:
        """select() for the variant with the text tests answered first: `columns` are those named
        by `indexed_columns`, `found[i]` a byte for every row in `order`, not 0 for those that `texts[i]` describes."""
        if self.indexed_rows is None:
            return list(order)
        return self.indexed_rows(order, mark_of, *columns, *found)

    def match(self, doc: SearchDoc, mark: Mark) -> bool:
        """Whether the paper `doc` indexes matches, given its marks."""
        return self.rows is None or bool(self.rows((0,), lambda key: mark, *(doc[name] for name in self.columns)))


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


class Compiled(NamedTuple):
    """A piece of the compiled query: a Python expression over row `r` (and marks `m`), its cost,
    and, for a substring or prefix test of one value, what OR may merge it with (`merge`: the
    group, e.g. "word" or "author") and the value."""

    expression: str
    cost: int
    merge: str | None = None
    value: str = ""


_MERGED_COLUMNS = {
    "word": ("titles", "authors", "id", "abstract_en", "abstract_zh"),
    "author": ("authors",), "title": ("titles",), "inst": ("inst",), "topic": ("topic",),
    "abstract": ("abstract_en", "abstract_zh"),
    "cat": ("cat_text",),  # values start with "\n": the prefix test on every category
}  # fmt: skip
"""The columns a mergeable group's values are searched in (each a substring test); "id" is a
prefix test of the id column."""
_INDEXED = ("word", "abstract", "inst", "title", "author")
"""The groups whose tests a text index on disk answers (textindex.COLUMNS holds their columns)."""


class _Parser:
    """Recursive descent over the tokens, writing the query as one Python expression. User text
    never enters that source: every value is a constant (`v0`, `v1`, ...) handed to the compiled
    function, and a column is `c_<name>[r]`, from a fixed list of names."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.words: list[str] = []
        self.uses_marks = False
        self.values: dict[tuple[type, object], str] = {}  # each value once, so a term written twice reads the same
        self.columns: dict[str, None] = {}
        self.indexed_columns: dict[str, None] = {}  # those read by tests other than text tests
        self.in_text_test = False
        self.texts: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[int, str]] = {}  # text tests: (number, in-memory expression)

    def value(self, value: object) -> str:
        return self.values.setdefault((type(value), value), f"v{len(self.values)}")

    def column(self, name: str) -> str:
        self.columns[name] = None
        if not self.in_text_test:
            self.indexed_columns[name] = None
        return f"c_{name}[r]"

    def text_test(self, columns: tuple[str, ...], needles: tuple[str, ...], make: Callable[[], str]) -> str:
        """A test the text index answers: the rows with any of the needles in any of the columns
        (no needles: whose one column is not empty). In the in-memory variant it is the
        expression `make()` writes; in the one searching on disk, a look-up in a mask (see Query);
        a placeholder until both are made."""
        key = (columns, needles)
        if key not in self.texts:
            self.in_text_test = True
            try:
                self.texts[key] = (len(self.texts), make())
            finally:
                self.in_text_test = False
        return f"\0{self.texts[key][0]}\0"

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Compiled:
        result = self.parse_or(negated=False)
        token = self.peek()
        if token is not None:  # only a stray ')' can stop parse_or early
            raise QueryError(f"unmatched ')' at {token.pos}")
        return result

    def parse_or(self, negated: bool) -> Compiled:
        parts = [self.parse_and(negated)]
        while (token := self.peek()) is not None and token.kind == _OR:
            self.i += 1
            if self.peek() is None or self.peek().kind in (_OR, _AND, _RP):
                raise QueryError(f"'{token.spelling}' needs a term after it at {token.pos}")
            parts.append(self.parse_and(negated))
        return _combine(self.merge_or(parts) if len(parts) >= MERGE_AT else parts, " or ")

    def merge_or(self, parts: list[Compiled]) -> list[Compiled]:
        """Parts of one OR with MERGE_AT or more values of one group made one regular expression
        test per column: a 10,000-word OR costs one scan of each column per paper, not 10,000
        (the pattern is a trie of the values, so a scan tries only the branches the text starts)."""
        groups: dict[str, list[str]] = {}
        for part in parts:
            if part.merge is not None and len(part.value) <= MAX_MERGED_LENGTH:
                groups.setdefault(part.merge, []).append(part.value)
        groups = {group: values for group, values in groups.items() if len(values) >= MERGE_AT}
        if not groups:
            return parts
        kept = [part for part in parts if part.merge not in groups or len(part.value) > MAX_MERGED_LENGTH]
        for group, values in groups.items():
            pattern = self.value(re.compile(trie_pattern(values), re.S))
            if group == "id":
                kept.append(Compiled(f"{pattern}.match({self.column('id')})", _COST_SHORT))
                continue
            columns = _MERGED_COLUMNS[group]

            def searches(pattern: str = pattern, columns: tuple[str, ...] = columns) -> str:
                tests = [f"{pattern}.search({self.column(name)})" for name in columns]
                return f"({' or '.join(tests)})" if len(tests) > 1 else tests[0]

            test = self.text_test(columns, tuple(values), searches) if group in _INDEXED else searches()
            cost = {"word": _COST_WORD, "abstract": _COST_ABSTRACT}.get(group, _COST_TEXT)
            kept.append(Compiled(test, cost))
        return kept

    def parse_and(self, negated: bool) -> Compiled:
        parts = [self.parse_not(negated)]
        while (token := self.peek()) is not None and token.kind not in (_OR, _RP):
            if token.kind == _AND:
                self.i += 1
                following = self.peek()
                if following is None or following.kind in (_OR, _AND, _RP):
                    raise QueryError(f"'{token.spelling}' needs a term after it at {token.pos}")
            parts.append(self.parse_not(negated))
        return _combine(parts, " and ")

    def parse_not(self, negated: bool) -> Compiled:
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

    def _parse_nested(self, token: _Token, negated: bool) -> Compiled:
        """`NOT x` / `-x` / `( ... )`."""
        if token.kind == _NOT:
            self.i += 1
            following = self.peek()
            if following is None or following.kind in (_OR, _AND, _RP):
                raise QueryError(f"'{token.spelling}' needs a term after it at {token.pos}")
            inner = self.parse_not(not negated)
            return Compiled(f"(not {inner.expression})", inner.cost)
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

    def term(self, token: _Token, negated: bool) -> Compiled:
        kind, *rest = token.term
        if kind == "word":
            word = fold(rest[0]) or " "  # only joiners (`-`, `_`): like a space, the joiners' fold
            if not negated:
                self.words.append(word)
            v = self.value(word)
            columns = _MERGED_COLUMNS["word"]
            test = self.text_test(columns, (word,), lambda: f"({' or '.join(f'{v} in {self.column(name)}' for name in columns)})")
            return Compiled(test, _COST_WORD, "word", word)
        if kind == "cmp":
            return self.comparison(*rest, token.spelling)
        name, value = rest
        if name in ("is", "tag"):
            self.uses_marks = True
        if name in TEXT_FIELDS and not negated:
            self.words.append(fold(value))
        return self.field(name, value, token)

    def field(self, name: str, value: str, token: _Token) -> Compiled:
        v = " ".join(value.split()).casefold()
        if name in TEXT_FIELDS:
            v = fold(value)
        if name == "cat":
            return Compiled(f"{self.value(chr(10) + v)} in {self.column('cat_text')}", _COST_SHORT, "cat", chr(10) + v)
        if name == "tag":
            return Compiled(f"(m.tags and has_tag(m.tags, {self.value(v)}))", _COST_MARK)
        if name == "inst":
            test = self.text_test(("inst",), (v,), lambda: f"{self.value(v)} in {self.column('inst')}")
            return Compiled(test, _COST_TEXT, name, v)
        if name in ("author", "title"):
            column = {"author": "authors", "title": "titles"}[name]
            test = self.text_test((column,), (v,), lambda: f"{self.value(v)} in {self.column(column)}")
            return Compiled(test, _COST_TEXT, name, v)
        if name == "topic":
            return Compiled(f"{self.value(v)} in {self.column('topic')}", _COST_TEXT, name, v)
        if name == "abstract":
            name_v = self.value(v)
            columns = _MERGED_COLUMNS["abstract"]
            test = self.text_test(columns, (v,), lambda: f"({name_v} in {self.column(columns[0])} or {name_v} in {self.column(columns[1])})")
            return Compiled(test, _COST_ABSTRACT, "abstract", v)
        if name == "id":
            prefix = re.sub(r"v[0-9]+$", "", v)
            return Compiled(f"{self.column('id')}.startswith({self.value(prefix)})", _COST_SHORT, "id", prefix)
        if name == "is":
            tests = {"starred": "m.starred", "read": "m.read", "unread": "(not m.read)", "tagged": "bool(m.tags)", "noted": "bool(m.note)"}
            if v not in tests:
                raise QueryError(f"is: needs one of {', '.join(IS_VALUES)}: {token.spelling}")
            return Compiled(tests[v], _COST_MARK)
        if name == "has":
            if v in HAS_VALUES:
                column = "abstract_" + v
                return Compiled(self.text_test((column,), (), lambda: f"bool({self.column(column)})"), _COST_NUMBER)
            raise QueryError(f"has: needs one of {', '.join(HAS_VALUES)}: {token.spelling}")
        if name == "type":  # `type:cross` for cross-list, `type:repl` for replacement
            kinds = [kind for kind in ANNOUNCE_TYPES if kind.startswith(v)]  # (v is never empty: `type:` alone is refused)
            if not kinds:
                raise QueryError(f"type: needs one of {', '.join(ANNOUNCE_TYPES)}: {token.spelling}")
            return Compiled(f"{self.column('announce')} == {self.value(kinds[0])}", _COST_SHORT)
        raise QueryError(f"unknown field '{name}:' at {token.pos} (known: {', '.join(FIELDS)})")  # pragma: no cover

    def comparison(self, name: str, op: str, value: str, spelling: str) -> Compiled:
        value = value.strip()
        column = self.column(name)
        if name == "date":
            if not _DATE.fullmatch(value):
                raise QueryError(f"date needs YYYY, YYYY-MM or YYYY-MM-DD: {spelling}")
            # compare on as many characters as were given: `date<=2026-06` includes all of June
            if op == "=":
                return Compiled(f"((x := {column}) is not None and x.startswith({self.value(value)}))", _COST_NUMBER)
            return Compiled(f"((x := {column}) is not None and x[:{len(value)}] {op} {self.value(value)})", _COST_NUMBER)
        if not _NUMBER.fullmatch(value):
            raise QueryError(f"{name} needs a number: {spelling}")
        return Compiled(f"((x := {column}) is not None and x {_OPERATORS[op]} {self.value(float(value))})", _COST_NUMBER)


_OPERATORS = {">=": ">=", ">": ">", "<=": "<=", "<": "<", "=": "=="}


def _combine(parts: list[Compiled], joiner: str) -> Compiled:
    """AND (`joiner` " and ") or OR of expressions, cheapest first so a cheap miss (or hit) decides
    early; a part written twice is tested once (both are idempotent)."""
    if len(parts) == 1:
        return parts[0]
    unique = dict.fromkeys(sorted(parts, key=lambda part: part.cost))
    if len(unique) == 1:
        return next(iter(unique))
    return Compiled(f"({joiner.join(part.expression for part in unique)})", sum(part.cost for part in unique))


def trie_pattern(values: list[str]) -> str:
    """A regular expression that finds any of the values, as a trie (`ab(?:c|d)` for abc, abd):
    Python's `re` tries the alternatives of a plain `abc|abd|...` one by one at every position.
    A value that another starts with stands for both (finding "ab" is enough when "abc" is there)."""
    trie: dict = {}
    for value in values:
        node = trie
        for char in value:
            if "" in node:
                break  # a shorter value already ends here
            node = node.setdefault(char, {})
        else:
            node.clear()
            node[""] = {}
    # built bottom-up without recursion: a branch's pattern is known once its children's are
    patterns: dict[int, str] = {}
    stack = [(trie, False)]
    while stack:
        node, ready = stack.pop()
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for char, child in node.items() if char)
            continue
        branches = [re.escape(char) + patterns[id(child)] for char, child in sorted(node.items()) if char]
        if "" in node or not branches:
            patterns[id(node)] = ""
        else:
            patterns[id(node)] = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return patterns[id(trie)]


def parse_query(text: str) -> Query:
    """Parse and compile a query; QueryError says what is wrong and where. Blank = match all."""
    tokens = _scan(text)
    if not tokens:
        return Query(text)
    terms = len({token.spelling for token in tokens if token.kind == _TERM})
    if terms > MAX_TERMS:
        raise QueryError(f"too many different terms ({terms:,}; a query may have {MAX_TERMS:,})")
    parser = _Parser(tokens)
    try:
        expression = parser.parse().expression
    except RecursionError:  # MAX_DEPTH keeps well inside the limit; this only guards a caller deep in its own stack
        raise QueryError(f"nested too deeply (more than {MAX_DEPTH} levels of '(' and NOT)") from None
    if parser.uses_marks:
        parser.column("key")
        expression = f"((m := mark_of(c_key[r])) is not None and {expression})"
    columns = tuple(parser.columns)
    namespace: dict[str, object] = {name: value for (_type, value), name in parser.values.items()}
    namespace["has_tag"] = _has_tag
    in_memory_tests = [test for _number, test in parser.texts.values()]
    in_memory = _TEXT_TEST.sub(lambda match: in_memory_tests[int(match[1])], expression)
    rows = _compiled("rows", in_memory, [f"c_{name}" for name in columns], namespace)
    if not parser.texts:
        return Query(text, tuple(dict.fromkeys(parser.words)), parser.uses_marks, columns, rows, (), columns, rows)
    indexed_columns = tuple(parser.indexed_columns)
    sets = [f"t{at}" for at in range(len(parser.texts))]
    indexed = _TEXT_TEST.sub(lambda match: f"t{match[1]}[r]", expression)
    if indexed == "t0[r]":  # one text test alone (`title:m`, `mixture`): what most typing is
        indexed_rows = _in_mask
    else:
        indexed_rows = _compiled("indexed_rows", indexed, [*(f"c_{name}" for name in indexed_columns), *sets], namespace)
    words = tuple(dict.fromkeys(parser.words))
    return Query(text, words, parser.uses_marks, columns, rows, tuple(parser.texts), indexed_columns, indexed_rows)


_TEXT_TEST = re.compile("\0([0-9]+)\0")


def _in_mask(order: list[int], mark_of: Callable[[str], Mark], found: bytes | bytearray) -> list[int]:
    """The rows of `order` whose byte in `found` is not 0, in that order, picked in C (itemgetter
    gathers their bytes, compress keeps them): 30 -> 25 ms at a million rows (the comprehension,
    34-46 ms), or a copy of `order` (5 ms) when every byte is set (`title:e`)."""
    if len(order) < 2:  # (itemgetter of one row gives its byte, not a tuple of it)
        return [r for r in order if found[r]]
    if found.find(0) < 0:
        return list(order)
    return list(compress(order, itemgetter(*order)(found)))


def _compiled(name: str, expression: str, parameters: list[str], namespace: dict[str, object]) -> Callable[..., list[int]]:
    """The function `name(order, mark_of, *parameters)` that keeps the rows of `order` for which `expression` holds."""
    source = f"def {name}({', '.join(['order', 'mark_of', *parameters])}):\n    return [r for r in order if {expression}]\n"
    try:
        exec(compile(source, "<query>", "exec"), namespace)
    except (RecursionError, MemoryError, SyntaxError):  # a query nested past what the compiler takes
        raise QueryError(f"too complex to run (more than {MAX_DEPTH} levels of '(' and NOT)") from None
    return namespace[name]
