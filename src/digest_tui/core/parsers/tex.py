"""TeX in arXiv's own formats (listing e-mails, feeds, the export API) shown as Unicode, maths kept as written.

Authors type real TeX into arXiv's metadata: accents (`G\\"uneysu`, `Ontol\\'ogico`, `Ma{\\l}gorzata`),
escapes (`\\&`, `\\%`), text styles (`\\textbf{...}`), and maths (`$O(\\log n)$`). They also type bare
`%` and `&` as plain characters, and macros of their own (`\\ours`, `\\cite{...}`). pylatexenc reads
a whole text as a TeX document: a bare `%` starts a comment (the rest of the text disappears), a bare
`&` is dropped, unknown macros vanish, and it is slow (milliseconds a field). So the constructs
converted are found here, with one regular expression outside the maths, and only those small
pieces go through pylatexenc (which knows every accent and letter); everything else stays as
written. Each piece's conversion is remembered: a listing repeats the same few accents.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_ARGUMENT = r"(?:\s{0,4}\{\s{0,4}(?:\\[ij]|[A-Za-z])?\s{0,4}\}|\s{0,4}\\[ij](?![A-Za-z])|(?<=[`'^\"~=.])[A-Za-z]|\s{1,4}[A-Za-z](?![A-Za-z]))"
_ACCENT = rf"\\(?:[`'^\"~=.]|[uvHckrdbt](?=[\s{{]))(?:{_ARGUMENT})"
"""`\\'e`, `\\"{u}`, `\\'{\\i}`, `\\v{C}`, `\\c c`: an accent and the one letter it goes on."""
_LETTER = r"\\(?:ss|aa|AA|ae|AE|oe|OE|[lLoOij])(?![A-Za-z])(?:\{\}|[ \t]*)"
"""`\\l`, `\\o`, `\\ss`, `\\aa`: letters TeX spells as control words (they swallow the space after them)."""
_GREEK = (
    r"\\(?:alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu|xi|pi|rho|sigma|tau"
    r"|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Upsilon|Phi|Psi|Omega)(?![A-Za-z])"
)
"""Greek letters typed outside the maths (`{\\gamma}-divergence`): shown as the letter."""
_STYLE = (
    r"\\(?:textbf|textit|emph|texttt|textsf|textrm|textsc|textsl|textup|textmd|textnormal|underline|mbox|url)"
    r"\s{0,4}\{((?:[^{}]|\{[^{}]{0,200}\}){0,500})\}"
)
"""Text styles: shown as their content (pylatexenc drops `\\texttt{...}` whole). Bounded, as
every repeat here is: a style never closed must cost a short look, not the rest of the text."""
_TOKEN = re.compile(rf"\{{\s{{0,4}}((?:{_ACCENT}|{_LETTER}|{_GREEK}){{1,16}})\s{{0,4}}\}}|({_ACCENT}|{_LETTER}|{_GREEK})|{_STYLE}|\\([&%$#_{{}} ])")


def to_unicode(text: str) -> str:
    """`Ontol\\'ogico` -> `Ontológico`, `\\&` -> `&`, `\\textbf{x}` -> `x`; maths, bare `%`/`&`,
    `~` and macros it does not know are left exactly as written."""
    if "\\" not in text:
        return text  # nearly every field: nothing to do
    if "$" not in text and "\\(" not in text and "\\[" not in text:
        return _convert(text)
    parts: list[str] = []
    at = 0
    for start, end in _math_spans(text):
        parts.append(_convert(text[at:start]))
        parts.append(text[start:end])
        at = end
    parts.append(_convert(text[at:]))
    return "".join(parts)


_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))


def _math_spans(text: str) -> list[tuple[int, int]]:
    """Where the maths are (`$...$`, `$$...$$`, `\\(...\\)`, `\\[...\\]`; an escaped `\\$` opens
    or closes nothing), found with str.find in one pass: each kind's next opener is remembered
    until passed, and a kind with no opener, or no closer, after some point is not looked for again."""
    upcoming = {pair: text.find(pair[0]) for pair in _DELIMITERS}  # each kind's next opener at or after `at`
    if upcoming[_DOLLAR] != -1 and upcoming[_DOLLARS] == upcoming[_PARENS] == upcoming[_BRACKETS] == -1:
        return _dollar_spans(text, upcoming[_DOLLAR])  # nearly every text with maths
    return _spans(text, upcoming)


def _spans(text: str, upcoming: dict[tuple[str, str], int]) -> list[tuple[int, int]]:
    """_math_spans() given where each kind of opener is first (-1: nowhere)."""
    spans: list[tuple[int, int]] = []
    at = 0
    while True:
        for pair, position in list(upcoming.items()):
            if position != -1 and position < at:
                upcoming[pair] = position = text.find(pair[0], at)
            if position == -1:
                del upcoming[pair]
        if not upcoming:
            return spans
        (opener, closer), start = min(upcoming.items(), key=lambda item: (item[1], -len(item[0][0])))
        if opener[0] == "$" and start and text[start - 1] == "\\":  # `\\$`: an escaped dollar
            at = start + 1
            continue
        end = text.find(closer, start + len(opener))
        while end != -1 and closer[0] == "$" and text[end - 1] == "\\":
            end = text.find(closer, end + 1)
        if end == -1:  # nothing closes it, nor any later opener of its kind: the rest of this kind is text
            del upcoming[(opener, closer)]
            at = start if opener == "$$" else start + len(opener)  # an unclosed `$$` may still open a `$...$`
            continue
        if end == start + len(opener):  # `$$` taken for an empty `$...$`: not maths
            at = end + len(closer)
            continue
        spans.append((start, end + len(closer)))
        at = end + len(closer)


_DOLLARS, _DOLLAR, _PARENS, _BRACKETS = _DELIMITERS


def _dollar_spans(text: str, start: int) -> list[tuple[int, int]]:
    """_math_spans() of a text whose only delimiter is `$` (no `$$`, `\\(` or `\\[`), its first at
    `start`: each `$` that is not escaped opens, the next one that is not closes."""
    spans: list[tuple[int, int]] = []
    while start != -1:
        if start and text[start - 1] == "\\":  # `\\$`: an escaped dollar
            start = text.find("$", start + 1)
            continue
        end = text.find("$", start + 1)
        while end != -1 and text[end - 1] == "\\":
            end = text.find("$", end + 1)
        if end == -1:  # nothing closes it: the rest is text
            return spans
        spans.append((start, end + 1))
        start = text.find("$", end + 1)
    return spans


def _convert(text: str) -> str:
    """The constructs converted, found from each backslash (str.find) rather than by a regular
    expression trying every position."""
    at = text.find("\\")
    if at == -1:
        return text
    out: list[str] = []
    done = 0
    while at != -1:
        match = _TOKEN.match(text, at - 1) if at > done and text[at - 1] == "{" else None
        match = match or _TOKEN.match(text, at)
        if match is None:
            at = text.find("\\", at + 2)
            continue
        out.append(text[done : match.start()])
        out.append(_replace(match))
        done = match.end()
        at = text.find("\\", done)
    out.append(text[done:])
    return "".join(out)


def _replace(match: re.Match) -> str:
    grouped, token, styled, escaped = match.groups()
    if escaped is not None:
        return escaped
    if styled is not None:
        return _convert(styled)
    return _piece(token) if token is not None else _pieces(grouped)  # a token alone is one piece


_PIECE = re.compile(rf"{_ACCENT}|{_LETTER}|{_GREEK}")


def _pieces(tokens: str) -> str:
    """One or more accents/letters in a row (`{\\'e\\'e}`), each converted apart."""
    return "".join(_piece(piece.group()) for piece in _PIECE.finditer(tokens))


@functools.lru_cache(maxsize=4096)
def _piece(token: str) -> str:
    """One accent or letter through pylatexenc; the token itself if pylatexenc cannot make it a letter."""
    converter = _converter()
    if converter is None:
        return token
    try:
        text = converter.latex_to_text(token.rstrip(" \t"))  # a letter's trailing space is TeX's, not text
    except Exception:  # pylatexenc on a fragment we chose: any failure keeps the text as written
        return token
    text = unicodedata.normalize("NFC", text.strip())
    return text if text and not text.isspace() else token


@functools.cache
def _converter():
    try:
        from pylatexenc.latex2text import LatexNodes2Text
    except ImportError:  # not installed: TeX is shown as written, which is what it was before
        return None
    return LatexNodes2Text(math_mode="verbatim")
