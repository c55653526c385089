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
_PLAIN_ESCAPES = str.maketrans(_ESCAPES)
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
_SPECIAL = re.compile(r"[$\\{]")


def escape(text: str) -> str:
    """Plain text (a person's note, a tag) for a BibTeX value: every special character made literal."""
    return text.translate(_PLAIN_ESCAPES)


def tex(text: str, *, title: bool = False) -> str:
    """Text from a digest for a BibTeX value: its TeX kept, the rest escaped; with `title`,
    capitals protected (see the module docstring)."""
    out: list[str] = []
    # the next word starts the title: sentence case keeps its first letter only if it is the first character
    state = {"start": title and text[:1].isalpha()}
    _convert(text, out, state, protect=title)
    return "".join(out)


def _convert(text: str, out: list[str], state: dict, protect: bool) -> None:
    i, plain_from, n = 0, 0, len(text)

    def flush(end: int) -> None:
        if plain_from < end:
            out.append(_plain(text[plain_from:end], state, protect))

    while i < n:
        found = _SPECIAL.search(text, i)  # only `$`, `\\` and `{` start a piece kept as TeX
        if found is None:
            break
        i = found.start()
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


def _plain(text: str, state: dict, protect: bool) -> str:
    """A run of plain characters: specials escaped and, in a title, capitalised words braced."""
    if not protect:
        return escape(text)
    out, last = [], 0
    for match in _WORD.finditer(text):
        out.append(escape(text[last : match.start()]))
        word = match[0]
        out.append(_protect(word, state["start"]))
        state["start"] = False
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _protect(word: str, first: bool) -> str:
    if not any(c.isupper() for c in word):
        return word
    if first and not any(c.isupper() for c in word[1:]):
        return word
    caps = re.fullmatch(r"([A-Z]{2,})(s)", word)
    if caps:
        return "{" + caps[1] + "}s"
    return "{" + word + "}"


def _currency(match: re.Match, text: str) -> bool:
    """`$5-$10`: a price, not maths (pandoc's rule, kept only where the "maths" starts with a digit,
    since arXiv's TeX has `$\\sim$2` often and prices rarely)."""
    return match[0][1:2].isdigit() and text[match.end() : match.end() + 1].isdigit()


def _math_letters(math: str) -> str:
    """Maths with Unicode symbols (`$Ω$`, which a parser made of `$\\Omega$`) written as TeX again:
    pdfLaTeX knows no `Ω` in maths. What pylatexenc has no command for stays as it is."""
    import logging

    from pylatexenc.latexencode import UnicodeToLatexEncoder

    logging.getLogger("pylatexenc.latexencode").setLevel(logging.ERROR)  # "no known representation"
    encoder = UnicodeToLatexEncoder(non_ascii_only=True, unknown_char_policy="keep")
    return encoder.unicode_to_latex(math)


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
