"""The filter bar: a one-line query input under the list that filters as you type (after a short pause)."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from .inputs import CleanInput

FILTER_DELAY = 0.15
"""Seconds of quiet after a keystroke before the typed filter is applied."""
PLACEHOLDER = "filter: words  cat:cs.CL  tag:x  is:starred  score>=80  (enter keeps, esc clears)"


class FilterBar(CleanInput):
    """Hidden until opened (or holding a filter); posts Typed once typing pauses, and Input.Submitted on enter."""

    DEFAULT_CSS = """
    FilterBar, FilterBar:focus { border: none; height: 1; padding: 0 1; }
    """

    BINDINGS = [Binding("enter", "keep", "Keep the filter", show=False, priority=True, id="filter.keep")]

    class Cleared(Message):
        """esc in the bar, once the keys typed before it are in: the screen clears the filter."""

    class Typed(Message):
        """The user typed a filter and paused: `text` is the query to apply."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, **kwargs) -> None:
        # typing after `/` adds to the filter shown; selecting it all on focus would replace it
        super().__init__(placeholder=PLACEHOLDER, select_on_focus=False, **kwargs)
        self._pause: Timer | None = None

    def on_mount(self) -> None:
        self.display = bool(self.value.strip())

    def open(self) -> None:
        """Show the bar and take the keys at once (the keys typed right after `/` are already on
        their way: a deferred focus() would let them reach the list), the cursor after the filter."""
        self.display = True
        self.screen.set_focus(self)
        self.cursor_position = len(self.value)

    def close(self) -> None:
        """Empty and hide the bar (no Typed follows)."""
        self.show_text("")
        self.display = False

    def show_text(self, text: str) -> None:
        """Put text in the bar without it counting as typing (which would filter again)."""
        self.stop_pause()
        with self.prevent(Input.Changed):
            self.value = text
        self.display = bool(text.strip()) or self.has_focus

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
        if not event.value.strip():
            self.display = False
