"""The filter bar: a one-line query input in the footer's line that filters as you type (after a short pause)."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.geometry import Size
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

from ..commands import key_of
from .inputs import CleanInput

FILTER_DELAY = 0.15
"""Seconds of quiet after a keystroke before the typed filter is applied."""
PLACEHOLDER = "filter: words  cat:cs.CL  tag:x  is:starred  score>=80  ({keep} keeps, {clear} clears)"
"""The bar's placeholder, with the keys that keep and clear the filter as bound now."""


class FilterBar(CleanInput):
    """Shown while it has the focus, in the footer's line (the screen hides the footer meanwhile;
    the status line above shows the filter kept): opening and leaving it moves no other widget, so
    the list and the detail are not laid out and drawn again while the first keys typed into it
    wait. Posts Typed once typing pauses, and Input.Submitted on enter."""

    DEFAULT_CSS = """
    FilterBar, FilterBar:focus { border: none; height: 1; padding: 0 1; dock: bottom; display: none; }
    """

    BINDINGS = [Binding("enter", "keep", "Keep the filter", show=False, priority=True, id="filter.keep")]

    class Cleared(Message):
        """esc in the bar, once the keys typed before it are in: the screen clears the filter."""

    class Typed(Message):
        """The user typed a filter and paused: `text` is the query to apply."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, replaces: Widget | None = None, **kwargs) -> None:
        """`replaces`: the widget whose line the bar takes while shown (the footer)."""
        # typing after `/` adds to the filter shown; selecting it all on focus would replace it
        super().__init__(placeholder=PLACEHOLDER.format(keep="enter", clear="esc"), select_on_focus=False, **kwargs)
        self._pause: Timer | None = None
        self._replaces = replaces

    def on_mount(self) -> None:
        self.placeholder = PLACEHOLDER.format(keep=key_of(self.app, "filter.keep", "enter"), clear=key_of(self.app, "view.clear", "esc"))

    def _watch_value(self, value: str) -> None:
        # Input's sets its virtual size to the text's width, a layout of the whole screen at every
        # key (2-5 ms of the UI thread that the echo waits for); the bar's line keeps its size, so
        # the new virtual size (what the cursor scrolls within) is set without one
        self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)

    def _show(self, shown: bool) -> None:
        """The bar in its line, or what it replaces: both in one go (no frame without either,
        which would lay out the panes again)."""
        self.display = shown
        if self._replaces is not None:
            self._replaces.display = not shown

    def open(self) -> None:
        """Show the bar (with the filter kept, to edit) and take the keys at once (the keys typed right after `/` are already on
        their way: a deferred focus() would let them reach the list), the cursor after the filter and a
        space: the words typed next narrow the filter kept (`/agent` after `cat:cs.CV`), not run into it."""
        if self.value and not self.value[-1].isspace():
            self.show_text(self.value + " ")
        self._show(True)
        self.screen.set_focus(self)
        self.cursor_position = len(self.value)

    def on_focus(self) -> None:
        self._show(True)  # (the focus given back after a dialog opened from the bar)

    def on_blur(self) -> None:
        self._show(False)  # what was typed stays: the filter kept, shown again by the next `/`

    def close(self) -> None:
        """Empty and hide the bar (no Typed follows)."""
        self.show_text("")
        self._show(False)

    def show_text(self, text: str) -> None:
        """Put text in the bar without it counting as typing (which would filter again)."""
        self.stop_pause()
        with self.prevent(Input.Changed):
            self.value = text

    @property
    def typing(self) -> bool:
        """Whether a filter is being typed: a key came in less than FILTER_DELAY ago."""
        return self._pause is not None

    def stop_pause(self) -> None:
        """Forget the typing pause under way: what was typed is applied now, or not at all."""
        if self._pause is not None:
            self._pause.stop()
            self._pause = None

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != self.value:  # a change queued before the bar was cleared (or typed over since)
            return
        self.stop_pause()
        self._pause = self.set_timer(FILTER_DELAY, lambda text=event.value: self._paused(text))

    def _paused(self, text: str) -> None:
        self._pause = None
        self.post_message(self.Typed(text))

    def action_keep(self) -> None:
        """enter: keep the filter. A priority binding, so it runs as the key arrives: the keys typed
        behind it (`/moe⏎js` in one burst) are held until the list has the focus again (the screen
        says so with ReadyForKeys), and the submit waits for the keys before it to be in the bar."""
        self.app.hold_keys(until_field=False)  # DigestApp's
        self.call_later(self.action_submit)

    def clear(self) -> None:
        """esc in the bar (the screen's priority binding, view.clear, calls this): the screen is told
        (Cleared) once the keys typed before it (`/moe⎋` in one burst) are in the bar, not before
        (they would come after the clearing and filter again); the keys behind it are held until
        the list has the focus, as behind enter."""
        self.app.hold_keys(until_field=False)
        self.call_later(self.post_message, self.Cleared())

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.stop_pause()
