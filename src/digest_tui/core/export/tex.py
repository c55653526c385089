"""Text for BibTeX values: TeX kept where the digest had TeX, everything else escaped, capitals protected.

arXiv's own formats carry real TeX (`L$^3$`, `\\textsc{Lethe}`, `G\\"uneysu`), and so do the
digests that copy them, next to characters authors typed plainly (`50%`, `R&D`, `#1`). So a
value is read piece by piece: inline maths (pandoc's rule: `$` with no space inside either
end, and not a price like `$5-$10`), the text commands and accents LaTeX users put in
titles, already-escaped specials and balanced brace groups are written as they are; every other
character special to BibTeX or LaTeX is escaped. Braces end up balanced whatever the input
(BibTeX counts every brace, escaped or not, to find where a value ends).

In titles, capitals are protected with braces as Better BibTeX does (`{LLM}s`, `{RegMix}`,
`{Persian}`), so styles that sentence-case titles (plainnat, APA, pandoc's citeproc) keep them:
every word with a capital letter, except the title's first word when only its first letter is
one (a subtitle's first word is protected: BibTeX keeps it after a colon, pybtex and others do not). Maths is wrapped in braces too (`{$A$}`): BibTeX would lowercase it.
"""

from __future__ import annotations

import functools
import re

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
TEXT_COMMANDS = frozenset(
    ["textsc", "textit", "textbf", "texttt", "textrm", "textsf", "textsl", "textup", "textmd", "emph", "underline", "mbox", "url", "textsuperscript", "textsubscript"]
)
"""Commands with one argument kept as TeX: the argument is read as text again."""
_SYMBOLS = re.compile(
    r"\\(?:ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j|LaTeX|TeX|BibTeX|ldots|dots|textendash|textemdash|"
    r"textquoteleft|textquoteright|S|P|dag|ddag|copyright|pounds)(?![A-Za-z])(?:\{\})?"
)
_ACCENT = re.compile(r"\\[\"'`^~=.](?:\{[A-Za-z]?\}|[A-Za-z])|\\[uvHckrdbt](?:\{[A-Za-z]\}| [A-Za-z])")
_ESCAPED = re.compile(r"\\[%&#_$\{\} ]")
_COMMAND = re.compile(r"\\([A-Za-z]+)\{")
_MATH = re.compile(r"\$(?=[^\s$])((?:[^$\\]|\\.)*?)(?<=[^\s\\])\$|\\\((.+?)\\\)", re.S)
_MATH_UNSAFE = re.compile(r"(?<!\\)[%&#]")  # a comment or an alignment tab, even in maths
_WORD = re.compile(r"[^\W_]+", re.U)
_TEX_STARTS = "$\\{"
"""The characters a piece kept as TeX starts at."""


def escape(text: str) -> str:
    """Plain text (a person's note, a tag) for a BibTeX value: every special character made literal."""
    if not has_special(text):  # nearly always
        return text
    if "\\" in text or "{" in text or "}" in text:  # their escapes have braces: all in one pass
        return _TO_ESCAPE.sub(_escaped, text)
    for char in _UNBRACED:  # a search and a replace in C each: 3.6 µs, not 23, for a paragraph with 72 of them
        if char in text:
            text = text.replace(char, _ESCAPES[char])
    return text


SPECIALS = "".join(_ESCAPES)
"""Every character escape() escapes (and tex() may keep as TeX)."""
_TO_ESCAPE = re.compile("[" + re.escape(SPECIALS) + "]")
_UNBRACED = "%&#_$~^"
"""The specials whose escapes hold no other special but `\\`, `{` and `}`: replaced one after
another, each writes nothing the next would escape again."""


def has_special(text: str, chars: str = SPECIALS) -> bool:
    """Whether `text` holds one of `chars` (default: SPECIALS): a search of the text for each
    (memchr, ~10 GB/s), where one search for a class of characters (re) reads ~0.3 GB/s: at 100k
    papers the BibTeX export looked at 150 MB of abstracts this way several times. A short text
    (a URL, a name, a title: ~1M of them at 100k papers) is one search for the class: ~0.1–0.3 µs
    against ~0.6 µs for ten searches."""
    if len(text) < SHORT and chars is SPECIALS:
        return _TO_ESCAPE.search(text) is not None
    return any(map(text.__contains__, chars))


SHORT = 128
"""Characters below which one search for a class of characters is faster than one for each."""


def _escaped(match: re.Match) -> str:
    return _ESCAPES[match[0]]


def tex(text: str, *, title: bool = False) -> str:
    """Text from a digest for a BibTeX value: its TeX kept, the rest escaped; with `title`,
    capitals protected (see the module docstring)."""
    # the next word starts the title: sentence case keeps its first letter only if it is the first character
    state = {"start": title and text[:1].isalpha()}
    if not has_special(text, _TEX_STARTS):  # no TeX to keep (most texts): the whole text is one plain run
        return _plain(text, state, title)
    out: list[str] = []
    _convert(text, out, state, protect=title)
    return "".join(out)


def _convert(text: str, out: list[str], state: dict, protect: bool) -> None:
    i, plain_from, n = 0, 0, len(text)

    def flush(end: int) -> None:
        if plain_from < end:
            out.append(_plain(text[plain_from:end], state, protect))

    while i < n:
        i = _next_start(text, i)  # only `$`, `\\` and `{` start a piece kept as TeX
        if i < 0:
            break
        char = text[i]
        piece = None
        if char == "$" or text.startswith("\\(", i):
            match = _MATH.match(text, i)
            if match and _balanced(match[0]) and not _currency(match, text):
                math = _MATH_UNSAFE.sub(lambda m: "\\" + m[0], match[0])
                if not math.isascii():
                    math = _math_letters(math)
                piece, end = ("{" + math + "}" if protect else math), match.end()
        elif char == "\\":
            match = _ESCAPED.match(text, i) or _ACCENT.match(text, i) or _SYMBOLS.match(text, i)
            if match:
                piece, end = match[0], match.end()
            else:
                match = _COMMAND.match(text, i)
                close = _closing(text, match.end() - 1) if match and match[1] in TEXT_COMMANDS else -1
                if close > 0:
                    inner: list[str] = []
                    _convert(text[match.end() : close], inner, state, protect=False)
                    piece, end = f"\\{match[1]}{{{''.join(inner)}}}", close + 1
        elif char == "{":
            close = _closing(text, i)
            if close > 0:
                inner = []
                _convert(text[i + 1 : close], inner, state, protect=False)  # braced: protected already
                piece, end = "{" + "".join(inner) + "}", close + 1
        if piece is None:
            i += 1
            continue
        flush(i)
        out.append(piece)
        state["start"] = False
        i = plain_from = end
    flush(n)


def _next_start(text: str, start: int) -> int:
    """Where the first of _TEX_STARTS from `start` is (-1: nowhere): three searches of memchr's
    speed, not one of re's for a class (see has_special)."""
    found = [at for at in (text.find("$", start), text.find("\\", start), text.find("{", start)) if at >= 0]
    return min(found) if found else -1


def _plain(text: str, state: dict, protect: bool) -> str:
    """A run of plain characters: specials escaped and, in a title, capitalised words braced.
    Escaping changes only characters that are no part of a word, and writes no capital (nor a
    letter next to a word), so the words of the escaped text are the run's own: one search finds
    those with a capital, and only they are looked at one by one."""
    if not protect:
        return escape(text)
    head = ""
    if state["start"]:  # the title's first word: kept as it is if only its first letter is a capital
        first = _WORD.search(text)
        if first is None:
            return escape(text)
        state["start"] = False
        head = escape(text[: first.start()]) + _protect(first[0], True)
        text = text[first.end() :]
    text = escape(text)
    words = _ASCII_CAPITALISED if text.isascii() else _capitalised_word()
    pieces = words.split(text)  # the text between words with a capital, and those words
    pieces[1::2] = ["{" + word + "}" for word in pieces[1::2]]
    return head + "".join(pieces)


_CAPS_PLURAL = re.compile(r"([A-Z]{2,})(s)")
_PLURAL = r"[A-Z]{2,}(?=s(?![^\W_]))"  # _CAPS_PLURAL's capitals, when the whole word is they and an s
_ASCII_CAPITALISED = re.compile(r"(?<![^\W_])(" + _PLURAL + r"|[^\W_]*?[A-Z][^\W_]*)")
"""_capitalised_word() for an ASCII text (most titles), where a capital is [A-Z]: the same
words, found faster (2.7 against 4.4 µs for a title of 10 words)."""
_CAPITALISED: list[re.Pattern[str]] = []


def _capitalised_word() -> re.Pattern[str]:
    """A whole word (`[^\\W_]+`) with a letter str.isupper() says is a capital, as split() finds
    it (one group: the part braced): from a word's start (not after a letter: a word without
    a capital fails once, not at every letter) to its end, but for a plural of capitals (`LLMs`),
    whose `s` is left out. Its split() braces every such word of a title with no Python called a
    word (a sub() calling a function for each was ~60% of a title's time). The class of every capital is
    made at the first title that is not ASCII (~0.1 s: every code point is asked)."""
    if not _CAPITALISED:
        import array
        import sys

        codes = array.array("I", range(0xD800))
        codes.extend(range(0xE000, 0x110000))
        every = codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
        ranges: list[list[int]] = []
        for code in map(ord, filter(str.isupper, every)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
        upper = "".join(f"\\U{low:08x}" + (f"-\\U{high:08x}" if high > low else "") for low, high in ranges)
        _CAPITALISED.append(re.compile(r"(?<![^\W_])(" + _PLURAL + r"|[^\W_]*?[" + upper + r"][^\W_]*)"))
    return _CAPITALISED[0]


def _protect(word: str, first: bool) -> str:
    if not any(c.isupper() for c in word):
        return word
    if first and not any(c.isupper() for c in word[1:]):
        return word
    caps = _CAPS_PLURAL.fullmatch(word)
    if caps:
        return "{" + caps[1] + "}s"
    return "{" + word + "}"


def _currency(match: re.Match, text: str) -> bool:
    """`$5-$10`: a price, not maths (pandoc's rule, kept only where the "maths" starts with a digit,
    since arXiv's TeX has `$\\sim$2` often and prices rarely)."""
    return match[0][1:2].isdigit() and text[match.end() : match.end() + 1].isdigit()


@functools.lru_cache(maxsize=1024)
def _math_letters(math: str) -> str:
    """Maths with Unicode symbols (`$Ω$`, which a parser made of `$\\Omega$`) written as TeX again:
    pdfLaTeX knows no `Ω` in maths. What pylatexenc has no command for stays as it is. Kept for
    the next time (pylatexenc takes ~30 µs, a character at a time, and short maths such as `$α$`
    come back)."""
    if not _ENCODER:
        import logging

        from pylatexenc.latexencode import UnicodeToLatexEncoder

        logging.getLogger("pylatexenc.latexencode").setLevel(logging.ERROR)  # "no known representation"
        _ENCODER.append(UnicodeToLatexEncoder(non_ascii_only=True, unknown_char_policy="keep"))
    return _ENCODER[0].unicode_to_latex(math)


_ENCODER: list = []
"""The one pylatexenc encoder, made at the first maths with a Unicode symbol (making one is
~40 µs, and it keeps nothing from one text to the next)."""


def _closing(text: str, start: int) -> int:
    """The index of the brace closing the one at `start`, or -1 (escaped braces do not count)."""
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _balanced(text: str) -> bool:
    if "{" not in text and "}" not in text:
        return True  # (most maths: `$\\sim$`, `$^3$`)
    depth, i = 0, 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth < 0:
            return False
        i += 1
    return depth == 0
