"""The footer of key hints, with help and quit first: at 80 columns the hints that do not fit are cut from the end."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

FIRST = ("help", "quit")
"""The app's actions whose keys are always in sight: how to learn the rest, and how to leave."""


class ReaderFooter(Widget, can_focus=False):
    """The screen's shown keys on one line, as Textual's Footer draws them (the command palette's key
    at the right end), with the keys of FIRST before the screen's own (Textual puts the app's last,
    where a narrow terminal cuts them off). One widget drawn again, where Textual's Footer mounts a
    widget per key after every change of focus or of the screen's bindings (15–30 ms of the UI
    thread each time: the reader's start, `/` opening the filter bar, esc out of it), while the
    keys typed next wait. A click on a key presses it; an unavailable key is dim and rings."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"reader-footer--key", "reader-footer--description", "reader-footer--hover", "reader-footer--edge"}
    DEFAULT_CSS = """
    ReaderFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .reader-footer--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .reader-footer--description { color: $footer-description-foreground; background: $footer-description-background; }
        .reader-footer--hover { color: $footer-key-foreground; background: $block-hover-background; }
        .reader-footer--edge { color: $foreground 20%; }
    }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._keys: list[tuple[Binding, bool, str]] = []  # (binding, enabled, key display), in order
        self._palette: tuple[Binding, bool, str] | None = None  # the command palette's key, at the right end
        self._spans: list[tuple[int, int, tuple[Binding, bool, str]]] = []  # each key's cells, as last drawn
        self._hover: Binding | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        """The screen's bindings or focus changed: draw again if the keys shown did."""
        if screen is not self.screen or not self.is_attached:
            return
        app = self.app
        keys: dict[str, tuple[Binding, bool, str]] = {}  # by action: one key an action, its first
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = (binding, enabled, app.get_key_display(binding))
        palette = None
        if app.ENABLE_COMMAND_PALETTE:
            found = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                palette = (found[1], found[2], app.get_key_display(found[1]))
        first = [keys[action] for action in FIRST if action in keys]
        shown = first + [key for key in keys.values() if key not in first]
        if shown != self._keys or palette != self._palette:
            self._keys, self._palette = shown, palette
            self.refresh()

    def render(self) -> Text:
        width = self.size.width
        key_style = self.get_component_rich_style("reader-footer--key", partial=True)
        description_style = self.get_component_rich_style("reader-footer--description", partial=True)
        hover_style = self.get_component_rich_style("reader-footer--hover", partial=True)
        line = Text(no_wrap=True, end="", overflow="crop")
        spans: list[tuple[int, int, tuple[Binding, bool, str]]] = []
        palette = None
        if self._palette is not None:  # as Textual draws it: compact, then a cell of padding
            binding, _enabled, display = self._palette
            palette = Text.assemble((display, key_style), (f" {binding.description}", description_style), " ")
        room = width - (palette.cell_len + 1 if palette is not None else 0)  # the edge before it
        for key in self._keys:
            label = self._label(key, key_style, description_style, hover_style)
            if line.cell_len + label.cell_len > room:
                if line.cell_len < room:  # the key cut off where the line ends, as Textual's
                    line.append_text(label)
                    line.truncate(room)
                break
            spans.append((line.cell_len, line.cell_len + label.cell_len, key))
            line.append_text(label)
        if palette is not None:
            line.pad_right(room - line.cell_len)
            line.append("▏", self.get_component_rich_style("reader-footer--edge"))
            spans.append((line.cell_len, line.cell_len + palette.cell_len, self._palette))
            line.append_text(palette)
        self._spans = spans
        return line

    def _label(self, key: tuple[Binding, bool, str], key_style: Style, description_style: Style, hover_style: Style) -> Text:
        binding, enabled, display = key
        if binding.description:
            label = Text.assemble((f" {display} ", key_style), (f"{binding.description} ", description_style))
        else:
            label = Text(display, key_style)
        if binding is self._hover:
            label.stylize(hover_style)
        if not enabled:
            label.stylize(Style(dim=True))
        return label

    def _key_at(self, x: int) -> tuple[Binding, bool, str] | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        hover = key[0] if key is not None else None
        if hover is not self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        binding, enabled, _display = key
        if enabled:
            self.app.simulate_key(binding.key)
        else:
            self.app.bell()
