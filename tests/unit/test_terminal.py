"""The reader's terminal input: an ESC and the key behind it in one read are the esc key and that
key, not an alt+ chord (nor the key alone); sequences, pastes and the mouse read as before."""

from __future__ import annotations

from textual import events
from textual.drivers import linux_driver

from digest_tui.terminal import Parser, read_keys_apart


def keys(data: str) -> list[str]:
    """What the reader's parser makes of `data` arriving in one read, each event as a short name."""
    parser = Parser(debug=False)
    parsed = [*parser.feed(data), *parser.feed("")]
    return [event.key if isinstance(event, events.Key) else type(event).__name__ for event in parsed]


def test_an_esc_typed_before_a_key_is_the_esc_key_then_the_key():
    assert keys("\x1bj") == ["escape", "j"]  # Textual alone: alt+j
    assert keys("\x1bQ") == ["escape", "Q"]
    assert keys("\x1b/") == ["escape", "slash"]  # Textual alone: slash, the esc dropped
    assert keys("\x1b?") == ["escape", "question_mark"]
    assert keys("\x1b ") == ["escape", "space"]
    assert keys("\x1b\r") == ["escape", "enter"]
    assert keys("\x1b\x1b\x1bq") == ["escape", "escape", "escape", "q"]
    assert keys("\x1b中") == ["escape", "中"]


def test_the_pairs_textual_reads_as_keys_of_their_own_are_two_keys_too():
    assert keys("\x1b1") == ["escape", "1"]  # Textual alone: ¡ (macOS's Option+1 in WezTerm)
    assert keys("\x1bf") == ["escape", "f"]  # Textual alone: ctrl+right (iTerm's word move)
    assert keys("\x1b-") == ["escape", "minus"]


def test_sequences_pastes_and_the_mouse_read_as_before():
    assert keys("\x1b[A") == ["up"]
    assert keys("\x1bOP") == ["f1"]
    assert keys("\x1b[1;5C") == ["ctrl+right"]
    assert keys("\x1b[15~") == ["f5"]
    assert keys("\x1b[Z") == ["shift+tab"]
    assert keys("\x1b[<0;10;5M") == ["MouseDown"]
    assert keys("\x1b[200~/j\x1b[201~") == ["Paste"]
    assert keys("\x1b\x7f") == ["ctrl+w"]  # alt+backspace: the word before the cursor, in a field
    assert keys("\x1b") == ["escape"]
    assert keys("jk") == ["j", "k"]


def test_the_reader_installs_its_parser_in_the_terminal_driver(monkeypatch):
    monkeypatch.setattr(linux_driver, "XTermParser", linux_driver.XTermParser)  # put back afterwards
    read_keys_apart()
    assert linux_driver.XTermParser is Parser
