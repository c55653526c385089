"""Line breaking for mixed Chinese and English: where a line may break (Unicode UAX #14, by ICU) and how a paragraph fills lines.

The break opportunities come from ICU's line break iterator (through icu4py): it keeps a Latin
word, a number (`12.13`, `1,000`) and `284B` whole, breaks after a hyphen but never before one, lets
a line break between two Chinese characters, and applies the kinsoku rules: no line starts with
closing punctuation (`)` `）` `。` `，` `”` `》`) and none ends with opening punctuation (`(` `“` `《`).
The filling is ours: greedy, in terminal cells measured by the caller's function (the core knows no
terminal), with the spaces at a break hanging past the end of the line, and a piece wider than the
whole line (a long URL) cut into line-wide chunks, the only case where a word is split.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from icu4py.breakers import LineBreaker

Measure = Callable[[str], int]
"""The width of a string in terminal cells (rich.cells.cell_len on the UI side)."""

Span = tuple[int, int]
"""One line: the offsets of its first character and past its last visible one (hanging spaces excluded)."""

_HANGING = " \u3000"  # spaces, ASCII and ideographic, that may hang past the line's end


@lru_cache(maxsize=512)
def break_points(paragraph: str) -> tuple[int, ...]:
    """The offsets in `paragraph` (one line of text, no `\\n`) where a line may end, its length last.
    Cached: a detail pane lays out the same texts again at every resize."""
    return tuple(end for _start, end in LineBreaker(paragraph, "zh").segments())


def wrap(text: str, width: int, measure: Measure) -> list[Span]:
    """The lines `text` fills at `width` cells: each `\\n` ends a line (an empty paragraph is an
    empty line), and every other break is at a UAX #14 opportunity unless a piece alone is wider
    than `width`."""
    width = max(width, 1)
    lines: list[Span] = []
    offset = 0
    for paragraph in text.split("\n"):
        _fill(paragraph, offset, width, measure, lines)
        offset += len(paragraph) + 1
    return lines


def _fill(paragraph: str, offset: int, width: int, measure: Measure, lines: list[Span]) -> None:
    if measure(paragraph) <= width:  # most header lines, and every short paragraph: no iterator needed
        lines.append((offset, offset + len(paragraph.rstrip(_HANGING))))
        return
    start = end = used = 0  # the current line: where it starts, where its visible text ends, its width
    previous = 0
    for point in break_points(paragraph):
        piece = paragraph[previous:point]
        visible = piece.rstrip(_HANGING)
        visible_width = measure(visible)
        if used + visible_width > width and end > start:
            lines.append((offset + start, offset + end))
            start, used = previous, 0
        if visible_width > width:  # wider than a whole line by itself: cut it
            start, used = _cut(paragraph, previous, previous + len(visible), width, measure, offset, lines)
            used += measure(piece[len(visible):])
        else:
            used += measure(piece)
        if visible:
            end = previous + len(visible)
        elif end <= start:
            end = start  # a line of spaces only: nothing visible yet
        previous = point
    lines.append((offset + start, offset + max(end, start)))


def _cut(paragraph: str, begin: int, stop: int, width: int, measure: Measure, offset: int,
         lines: list[Span]) -> tuple[int, int]:
    """Cut the unbreakable `paragraph[begin:stop]` into lines of `width` cells, each cut placed
    after a character that is not a Latin letter or digit when one is in reach (`D=384,` `L=16,`
    and URLs keep their words), else at the cell; the lines go to `lines`. Returns where the last,
    unfinished line starts and its width."""
    cut = begin
    while measure(paragraph[cut:stop]) > width:
        used = 0
        end = cut
        while end < stop and used + measure(paragraph[end]) <= width:
            used += measure(paragraph[end])
            end += 1
        end = max(end, cut + 1)  # a character wider than the line still takes a line of its own
        soft = (i for i in range(end, cut + 1, -1)
                if (not _latin(paragraph[i - 1]) or not _latin(paragraph[i])) and paragraph[i] not in _CLOSING)
        end = next(soft, end)
        lines.append((offset + cut, offset + end))
        cut = end
    return cut, measure(paragraph[cut:stop])


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


_CLOSING = frozenset(")]}）］｝】」』》〉”’。，、；：！？,.;:!?%")


def truncate_at_break(text: str, width: int, measure: Measure) -> tuple[str, bool]:
    """`text` cut to fit `width` cells with room for an ellipsis, at the last break opportunity
    that fits (mid-word only when the first word alone is too wide); and whether it was cut."""
    if measure(text) <= width:
        return text, False
    room = width - 1  # the ellipsis takes one cell
    best = previous = used = 0
    for point in break_points(text.replace("\n", " ")):
        piece = text[previous:point]
        if used + measure(piece.rstrip(_HANGING)) > room:
            break
        best, previous, used = point, point, used + measure(piece)
    if best == 0:  # no break fits: cut inside the first word, cell by cell
        used = 0
        for index, char in enumerate(text):
            used += measure(char)
            if used > room:
                return text[:index], True
        return text, True  # pragma: no cover (measure(text) > width says a cut exists)
    return text[:best].rstrip(_HANGING), True
