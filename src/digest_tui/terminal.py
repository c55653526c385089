"""Keys as they were typed: an esc and the key right behind it are two keys, not one alt+ chord.

A terminal sends Alt+j as ESC then `j`, and so it sends esc typed before j; Textual reads the two
as one alt+j when they arrive in one read, and when the key behind the ESC is no letter (`/`, `?`,
`[`, space, enter) it drops the ESC. They arrive in one read whenever the reader is a little late
to read them (a load or a search keeping it busy for a few milliseconds), over SSH, and from a
fast typist or a macro: `esc /` then gave the kept filter back instead of a new one, `esc j` did
nothing. The reader binds no alt+ key, so an ESC before a key is read as the esc key, then that key.
Sequences (arrows, function keys, the mouse, a paste) are read as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver


ESCAPE = "\x1b"


class Parser(XTermParser):
    """Textual's parser of terminal input, with an ESC before a key read as the esc key. Textual
    asks for a key `alt` when an ESC came right before a character that starts no sequence, and
    reads a few ESC-and-character pairs as keys of their own (ESC 1 as `¡`, macOS's Option+1 in
    WezTerm; ESC f and ESC b as ctrl+right and ctrl+left, iTerm's word moves): those too."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if alt:
            yield events.Key("escape", ESCAPE)
            yield from super()._sequence_to_key_events(sequence)
            return
        keys = list(super()._sequence_to_key_events(sequence))
        if keys and len(sequence) == 2 and sequence[0] == ESCAPE and sequence[1].isprintable():
            yield events.Key("escape", ESCAPE)
            yield from super()._sequence_to_key_events(sequence[1])
            return
        yield from keys  # (nothing for the start of a longer sequence, `ESC [`: the parser reads on)


def read_keys_apart() -> None:
    """Have the terminal's driver (Linux and macOS) read input with Parser."""
    linux_driver.XTermParser = Parser
