"""Text inputs that clean what they hold: no value, paste or insert can put a terminal escape on screen.

Textual's Input and TextArea draw their text as it is, so an OSC 52 (clipboard write) or OSC 2
(window title) in a note from a reading list, a saved search from config.toml or a paste would
reach the terminal, which would act on it. These subclasses pass every text put into them
through core.text.clean, as everything else on screen is: control characters become visible
symbols (ESC shows as ␛), invisible and bidi characters go. Every input in the app is one of these.
"""

from __future__ import annotations

from textual.command import CommandInput
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult

from ..core.text import clean


def clean_lines(text: str) -> str:
    """Text for a multi-line input: `\\r\\n` and `\\r` line ends made `\\n`, everything else cleaned."""
    return clean(text.replace("\r\n", "\n").replace("\r", "\n"), newlines=True)


class Cleaned(Input):
    """An Input whose value (set in code, typed, pasted or suggested) is always clean()ed."""

    def validate_value(self, value: str) -> str:
        return clean(value)

    def validate__suggestion(self, suggestion: str) -> str:
        return clean(suggestion)

    def replace(self, text: str, start: int, end: int) -> None:
        # cleaned before Input places the cursor after it (clean may drop characters)
        super().replace(clean(text), start, end)


class CleanCommandInput(CommandInput, Cleaned):  # CommandInput first: Textual takes CSS type names from the first base
    """The command palette's field, cleaned (its enter is screens.palette.Palette's)."""


class CleanInput(Cleaned):
    """A cleaned Input, the app's: every field but the palette's."""

    async def action_submit(self) -> None:
        """Post Submitted; the keys typed behind enter wait until it has been handled (DigestApp.hold_keys_for)."""
        submitted = self.Submitted(self, self.value, self.validate(self.value) if "submitted" in self.validate_on else None)
        self.post_message(submitted)
        self.app.hold_keys_for(submitted, self)


class CleanTextArea(TextArea):
    """A TextArea whose document (loaded, typed, pasted, or replayed by undo) is always clean()ed,
    line breaks kept."""

    def _set_document(self, text: str, language: str | None) -> None:
        super()._set_document(clean_lines(text), language)

    def edit(self, edit: Edit) -> EditResult:
        edit.text = clean_lines(edit.text)  # before it is done: the cursor lands after the cleaned text
        return super().edit(edit)
