"""The question asked when the reader is closing and the library could not be saved."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from ..core.text import clean
from .dialogs import Dialog


class UnsavedDialog(Dialog):
    """Your library could not be saved: retry (r), write it somewhere else (w, the place is named),
    quit anyway (q: the changes are lost and the exit status is 1), or go back (esc). Dismisses
    with "retry", "elsewhere", "quit" or None. Its keys are not in the help screen or the keymap:
    it says them itself, and is shown only while the reader is closing."""

    BINDINGS = [
        Binding("r", "choose('retry')", "Retry", id="unsaved.retry"),
        Binding("w", "choose('elsewhere')", "Write elsewhere", id="unsaved.elsewhere"),
        Binding("q", "choose('quit')", "Quit, losing changes", id="unsaved.quit"),
    ]

    DEFAULT_CSS = """
    UnsavedDialog > #box { border: thick $error; }
    UnsavedDialog .choice { margin-top: 1; }
    """

    def __init__(self, library: Path, error: str, elsewhere: Path | None) -> None:
        super().__init__()
        self.library = library
        self.error = error
        self.elsewhere = elsewhere

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Label("Your library is not saved", classes="heading error")
            yield Static(Text(clean(self.error)))
            yield Static(Text(f"Stars, tags, notes and read marks changed since the last save are only in this "
                              f"session; they belong in {clean(str(self.library))}."))
            yield Static(Text("r  try to save it there again"), classes="choice")
            if self.elsewhere is not None:
                yield Static(Text(f"w  write the whole library to {clean(str(self.elsewhere))}\n"
                                  f"   (then move it to {clean(str(self.library))} once that can be written)"))
            else:
                yield Static(Text("w  (no other folder with room to write it was found)"))
            yield Static(Text("q  quit anyway: this session's changes are lost (exit status 1)"))
            yield Label("esc  back to the reader", classes="hint")

    def action_choose(self, choice: str) -> None:
        if choice == "elsewhere" and self.elsewhere is None:
            self.app.bell()
            return
        self.dismiss(choice)
