"""The command palette: Textual's, with an enter that acts on what was typed, however fast, and a clean field."""

from __future__ import annotations

from textual import on
from textual.actions import SkipAction
from textual.binding import Binding
from textual.app import ComposeResult
from textual.command import CommandInput, CommandPalette
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from ..widgets.inputs import CleanCommandInput


class Palette(CommandPalette):
    """Textual's command palette, but an enter typed while the search is still running (ctrl+p,
    a name and enter in one burst, as a fast typist or a macro sends them) waits for it, then picks
    the first match: Textual's acted on whatever the list held at that moment (nothing, or the
    matches of a shorter word). The keys typed behind enter wait for the command to run
    (DigestApp.hold_keys, released as the palette closes), so a `j` behind it moves the list."""

    # priority: it runs as enter arrives, so that the keys behind it are held before they can reach
    # the field; then enter goes on to the field, whose Submitted comes after the typed text's Changed
    BINDINGS = [Binding("enter", "hold", "Run the command", id="palette.run", show=False, priority=True)]

    _enter_waits = False

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if type(widget) is CommandInput:  # a paste into it is shown cleaned, as in every field (widgets/inputs.py)
                widget = CleanCommandInput(placeholder=widget.placeholder, select_on_focus=False)
            yield widget

    def action_hold(self) -> None:
        self.app.hold_keys(until_field=False)  # until DigestApp.on_command_palette_closed (HOLD_SECONDS at most)
        raise SkipAction()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        if self._searching():
            event.stop()
            event.prevent_default()  # not CommandPalette's handler: it would act on the list as it is
            self._enter_waits = True
        else:
            self._release_unless_chosen()

    def _release_unless_chosen(self) -> None:
        """No match to run (the palette stays open): the keys typed behind enter go on to the field now."""
        if not self._list_visible and self._selected_command is None:
            self.app.release_keys()

    def _searching(self) -> bool:
        return any(worker.group == self._GATHER_COMMANDS_GROUP and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
                   for worker in self.workers if worker.node is self)

    @on(Worker.StateChanged)
    def _searched(self, event: Worker.StateChanged) -> None:
        if self._enter_waits and event.worker.group == self._GATHER_COMMANDS_GROUP and not self._searching():
            self._enter_waits = False
            self._select_or_command()
            self._release_unless_chosen()
