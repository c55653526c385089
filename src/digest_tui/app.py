"""The Textual application: owns the store, the user's library and the settings; screens do the rest."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from . import paths
from .library import Library, LibraryError, Mark
from .store import Store

SAVE_DELAY = 0.5
"""Seconds of quiet before library changes are written (every change is saved, a burst once)."""


class DigestApp(App):
    """digest-tui: a reader for daily research-paper digests."""

    TITLE = "digest-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette", show=False),
    ]

    def __init__(
        self,
        paths_to_load: Iterable[str] = (),
        *,
        reading_list: str | None = None,
        library_path: Path | None = None,
        language: str = "en",
        mark_read_after: float = 2.0,
    ) -> None:
        super().__init__()
        self.paths_to_load = [str(p) for p in paths_to_load]
        self.reading_list = reading_list
        self.store = Store()
        self.library = Library.load(library_path or paths.library_file())
        self.language = language
        self.mark_read_after = mark_read_after
        self._save_timer = None

    def get_default_screen(self) -> Screen:
        from .screens.main import MainScreen

        return MainScreen()

    def on_mount(self) -> None:
        if self.library.notice:
            self.notify(self.library.notice, title="Library", severity="warning", timeout=15, markup=False)

    # -- the user's library --------------------------------------------------------------------

    def mark_of(self, key: str) -> Mark:
        return self.library.mark(key)

    def library_changed(self) -> None:
        """Schedule a save; a burst of changes is written once."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_library)

    def save_library(self) -> bool:
        self._save_timer = None
        try:
            self.library.save()
        except (LibraryError, OSError) as error:
            self.notify(f"Library not saved: {error}", severity="error", timeout=10, markup=False)
            return False
        return True

    async def action_quit(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self.save_library()
        self.exit()

    def on_unmount(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self.save_library()

    # -- help and the palette ------------------------------------------------------------------

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand("Help", "Keys and the filter language", self.action_help)
