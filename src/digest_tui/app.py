"""The Textual application: owns the store, the user's library and the settings; screens do the rest."""

from __future__ import annotations

import functools
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.timer import Timer

from .core import config as settings
from .core import paths
from .core.config import FetchSettings
from .core.library import Library, LibraryError, rescue_paths
from .core.loading.session import LoadSession, default_cache
from .core.model import Mark
from .core.text import counted
from .messages import DigestsFetched, ReadyForKeys, SourceFetched
from .screens.saved_searches import SavedSearches
from .workers import SwitchInterval

SAVE_DELAY = 0.5
"""Seconds of quiet before library changes are written (every change is saved, a burst once)."""
THEME_SAVE_DELAY = 1.0
"""Seconds a theme must stay chosen before it is remembered (the theme picker previews as you move)."""
HOLD_SECONDS = 1.0
"""The longest the keys typed while a dialog opens wait for its field (it normally takes a few ms)."""
PASS_SECONDS = 0.5
"""The longest a key waits for the one before it to be done (it normally takes well under a ms)."""


def binding_groups() -> list[tuple[str, list[Binding]]]:
    """Every binding of the reader, by where it acts, headed as the help screen shows them (a
    {binding.id} in a heading stands for its keys): the one list of binding owners (the keymap's
    ids, the help screen and the palette's keys read it)."""
    from .screens.dialogs import ConfirmDialog, Dialog, ExportDialog, NoteDialog
    from .screens.help import HelpScreen
    from .screens.main import MainScreen
    from .screens.overview import BarChart, OverviewScreen
    from .screens.triage import TriageScreen
    from .screens.unsaved import UnsavedDialog
    from .widgets.filter_bar import FilterBar
    from .widgets.paper_list import PaperList
    from .widgets.pager import Pager
    from .widgets.paper_panes import PaperPanes

    groups = (("Papers", (PaperPanes,)), ("View and dialogs", (MainScreen, FilterBar)), ("List", (PaperList,)),
              ("Details and help pages", (Pager,)), ("Triage ({view.triage})", (TriageScreen,)),
              ("Overview ({view.overview})", (OverviewScreen, BarChart)),
              ("Dialogs", (Dialog, ConfirmDialog, NoteDialog, ExportDialog, UnsavedDialog)), ("App", (DigestApp, HelpScreen)))
    return [(heading, [binding for owner in owners for binding in owner.BINDINGS
                       if isinstance(binding, Binding) and binding.id]) for heading, owners in groups]


@functools.cache
def default_keys() -> dict[str, str]:
    """Each binding id's keys as the reader binds them (before the user's keymap), looked up once:
    the hints that name a key ask on every paper shown."""
    keys: dict[str, str] = {}
    for _heading, bindings in binding_groups():
        for binding in bindings:
            keys.setdefault(binding.id, binding.key)
    return keys


def binding_ids() -> set[str]:
    """Every binding id the keymap can name."""
    return {binding.id for _heading, bindings in binding_groups() for binding in bindings if binding.id}


class DigestApp(App):
    """digest-tui: a reader for daily research-paper digests."""

    TITLE = "digest-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        # priority: the palette opens as the key arrives, and what is typed behind it is held for its field
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette", show=False, priority=True),
        Binding("F", "fetch", "Fetch today's digests", id="app.fetch", show=False),
    ]

    def __init__(
        self,
        paths_to_load: Iterable[str] = (),
        *,
        reading_list: str | None = None,
        library_path: Path | None = None,
        language: str = "en",
        side_by_side: bool = False,
        mark_read_after: float = 2.0,
        sort: str = "date",
        pane_split: int = 60,
        theme: str | None = None,
        keymap: Mapping[str, str] | None = None,
        searches: Mapping[str, str] | None = None,
        watch: Iterable[str] = (),
        start_on_unread_day: bool = False,
        config_path: Path | None = None,
        config_problems: Iterable[str] = (),
        watch_options: Mapping[str, object] | None = None,
        session: LoadSession | None = None,
        fetch: FetchSettings | None = None,
        fetch_folder: Path | None = None,
        fetch_state: Path | None = None,
    ) -> None:
        """`watch`: folders to watch for digest files added, changed or removed; `start_on_unread_day`:
        show the newest day with unread papers once loaded; `config_path`: where a theme change and
        saved searches are written (None: nowhere); `config_problems`: lines to show at start;
        `watch_options`: keyword arguments for the FolderWatcher (tests shorten its debounce or poll);
        `session`: the load of `paths_to_load` (the command line makes it and starts its listing
        before Textual is imported); its store is the app's. `fetch`: what "Fetch today's digests"
        downloads, into `fetch_folder` (None: fetching says where to set one), keeping its
        validators and request times in `fetch_state` (None: the cache dir's)."""
        super().__init__()
        self.paths_to_load = [str(p) for p in paths_to_load]
        self.reading_list = reading_list
        self.session = session if session is not None else LoadSession(self.paths_to_load, cache=default_cache())
        self.store = self.session.store
        self.library = Library.load(library_path or paths.library_file())
        self.language = language
        """`en` or `zh`: the titles shown, and the abstract (the first one when side by side)."""
        self.side_by_side = side_by_side
        self.mark_read_after = mark_read_after
        self.sort = sort
        self.pane_split = pane_split
        """The list's share of the width, in percent, when both panes show."""
        self.saved_searches = SavedSearches(self, searches or {}, config_path)
        self.watch_folders = [str(folder) for folder in watch]
        self.watch_options = dict(watch_options or {})
        self.start_on_unread_day = start_on_unread_day
        self.config_path = config_path
        self.config_problems = list(config_problems)
        self.fetch_settings = fetch or FetchSettings()
        self.fetch_folder = fetch_folder
        self.fetch_state = fetch_state
        self._save_timer = None
        self._theme_timer = None
        self._held: list[events.Event] | None = None  # keys kept while a dialog opens (hold_keys)
        self._hold_timer: Timer | None = None
        self._hold_poll: Timer | None = None
        self._passing: events.Event | None = None  # the key on its way through the widgets (on_event)
        self._passing_since = 0.0
        self._waiting: deque[events.Event] = deque()  # the keys behind it
        self._pass_watch: Timer | None = None
        self.user_keymap: dict[str, str] = {}
        """The keymap from config.toml that is in force (binding id -> keys)."""
        self._save_error: str | None = None  # why the last save failed (None: it did not)
        self._rescue: list[Path] = []  # where the library can be written when it cannot be saved in place
        self.exit_notices: list[str] = []
        """Lines for the command line to print once the reader has closed (a library not saved)."""
        self.lost_changes = False
        """The reader closed with library changes it could not save (the command line exits 1)."""
        self._answered = False  # the user chose what becomes of an unsaved library (UnsavedDialog)
        self._remember_failed = False
        self._switch_interval = SwitchInterval()
        if theme is not None:
            if theme in self.available_themes:
                self.theme = theme
            else:
                self.config_problems.append(
                    f"{self._config_where('theme')}: no theme named {theme!r} (known: "
                    f"{', '.join(sorted(self.available_themes))}); using {self.theme}")
        self._remembered_theme = self.theme
        if keymap:
            known = binding_ids()
            for binding_id in keymap:
                if binding_id not in known:
                    self.config_problems.append(
                        f"{self._config_where(binding_id, 'keymap')}: no binding with this id (the help screen, ?, "
                        "lists them); ignored")
            self.user_keymap = {k: v for k, v in keymap.items() if k in known}
            self.set_keymap(self.user_keymap)

    @property
    def searches(self) -> dict[str, str]:
        """The saved searches, name -> filter, in their order (F1–F9)."""
        return self.saved_searches.searches

    def _config_notice(self) -> str:
        """The config problems, one a line, after the file's path (said once, not on every line)."""
        if self.config_path is None:
            return "\n".join(self.config_problems)
        head = f"{self.config_path}: "
        return "\n".join([str(self.config_path), *(p.removeprefix(head) for p in self.config_problems)])

    def _config_where(self, key: str, table: str | None = None) -> str:
        """`PATH: line N: key` for a message about one setting."""
        if self.config_path is None:
            return f"{table}.{key}" if table else key
        return settings.where(self.config_path, key, table)

    def get_default_screen(self) -> Screen:
        from .screens.live_folders import LiveFolders
        from .screens.main import MainScreen

        return MainScreen(
            self.session, self.library, save_library=self.library_changed, searches=self.saved_searches,
            language=self.language, side_by_side=self.side_by_side, sort=self.sort,
            pane_split=self.pane_split, remember=self.remember,
            mark_read_after=self.mark_read_after, reading_list=self.reading_list, start_on_unread_day=self.start_on_unread_day,
            live=LiveFolders(self.session, self.watch_folders, self.watch_options), subscribed=self.fetch_settings.arxiv)

    def on_mount(self) -> None:
        self._switch_interval.set()  # the workers let go of the GIL sooner while the reader runs
        if self.library.notice:
            self.notify(self.library.notice, title="Library", severity="warning", timeout=15, markup=False)
        if self.config_problems:  # one notification: a stack of them runs off a terminal of 24 lines
            self.notify(self._config_notice(), title=f"config.toml: {counted(len(self.config_problems), 'problem')}",
                        severity="warning", timeout=20, markup=False)
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    # -- settings written back to config.toml ---------------------------------------------------

    def _theme_changed(self, theme) -> None:
        if self._theme_timer is not None:
            self._theme_timer.stop()
        self._theme_timer = self.set_timer(THEME_SAVE_DELAY, self.remember_theme)

    def remember_theme(self, settled: bool = False) -> None:
        """Write the theme into config.toml once the user has settled on one (not while the
        command palette is still previewing themes, unless `settled`: the app is closing)."""
        from textual.command import CommandPalette

        self._theme_timer = None
        if not settled and isinstance(self.screen, CommandPalette):
            self._theme_timer = self.set_timer(THEME_SAVE_DELAY, self.remember_theme)
            return
        if self.config_path is None or self.theme == self._remembered_theme:
            return
        try:
            settings.set_value(self.config_path, "theme", self.theme)
        except (OSError, ValueError) as error:
            message = f"Theme not remembered: {self.config_path}: {error}"
            if settled:  # the reader is closing: a toast would not be seen
                self.exit_notices.append(message)
            else:
                self.notify(message, severity="warning", timeout=8, markup=False)
            return
        self._remembered_theme = self.theme

    def remember(self, key: str, value: str | bool | int) -> None:
        """Write one setting the user changed in the reader (language, side_by_side, sort,
        pane_split) into config.toml, so the next start has it; a failure is said, once a session."""
        if self.config_path is None:
            return
        try:
            settings.set_value(self.config_path, key, value)
        except (OSError, ValueError) as error:
            if not self._remember_failed:
                self._remember_failed = True
                self.notify(f"Settings not remembered: {self.config_path}: {error}", severity="warning", timeout=8,
                            markup=False)

    # -- the user's library --------------------------------------------------------------------

    def mark_of(self, key: str) -> Mark:
        return self.library.mark(key)

    def library_changed(self) -> None:
        """Schedule a save; a burst of changes is written once."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_library)

    def save_library(self, report: bool = True) -> bool:
        """Save (merging what another instance saved meanwhile) and show what the merge changed;
        a failure is notified unless not `report` (the caller says it another way)."""
        self._save_timer = None
        try:
            changed = self.library.save()
        except (LibraryError, OSError) as error:
            self._save_error = str(error)
            if report:
                self.notify(f"Library not saved: {error}", severity="error", timeout=10, markup=False)
            return False
        self._save_error = None
        if self.library.save_notice:
            self.notify(self.library.save_notice, title="Library", severity="warning", timeout=15, markup=False)
        if changed:
            from .screens.main import MainScreen

            for screen in self.screen_stack:
                if isinstance(screen, MainScreen):
                    screen.panes.marks_changed(changed)
        return True

    async def action_quit(self) -> None:
        self.quit_saving()

    def quit_saving(self) -> None:
        """Quit once the library is saved; when it cannot be, ask what to do (UnsavedDialog)
        rather than lose this session's changes without a word."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.library.changed and not self.save_library(report=False):
            self._ask_unsaved()
            return
        self.exit()

    def _ask_unsaved(self) -> None:
        from .screens.unsaved import UnsavedDialog

        if isinstance(self.screen, UnsavedDialog):
            return
        path = self.library.path or paths.library_file()
        error = self._save_error or f"cannot save {path}"
        self._rescue = rescue_paths(path, len(self.library.dumps().encode("utf-8", "replace")))
        dialog = UnsavedDialog(path, error, self._rescue[0] if self._rescue else None)
        self.clear_notifications()  # the failure toasts would cover the question about it
        self.push_screen(dialog, self._unsaved_choice)

    def _unsaved_choice(self, choice: str | None) -> None:
        if choice == "retry":
            self.quit_saving()
        elif choice == "elsewhere":
            path = self.library.path or paths.library_file()
            for rescue in self._rescue:
                try:
                    self.library.write_copy(rescue)
                except LibraryError as error:
                    self._save_error = f"{self._save_error}; {error}" if self._save_error else str(error)
                    continue
                self.exit_notices.append(
                    f"your library could not be saved in {path} ({self._save_error}); this session's library was "
                    f"written to {rescue} instead: move it to {path} to keep your changes")
                self._answered = True
                self.exit()
                return
            self._rescue = []
            self._ask_unsaved()
        elif choice == "quit":
            self.exit_notices.append(f"library not saved, this session's changes are lost: {self._save_error}")
            self._answered = True
            self.exit(return_code=1)

    def on_unmount(self) -> None:
        self._switch_interval.restore()
        if self._theme_timer is not None:
            self._theme_timer.stop()
            self.remember_theme(settled=True)
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.library.changed and not self._answered and not self.save_library(report=False):
            # closed without q (a signal, a test): nothing left to ask with, so say it afterwards
            self.exit_notices.append(f"library not saved, this session's changes are lost: {self._save_error}")
            self.lost_changes = True

    # -- links: honest about what happened ------------------------------------------------------

    def open_link(self, url: str) -> None:
        """Open `url` in a browser, in a thread (some browsers hold the caller until they are up),
        then say whether one started; when none did, show the link to select by hand."""
        self.run_worker(lambda: self._open_link(url), thread=True, group="links")

    def _open_link(self, url: str) -> None:
        from .desktop import open_in_browser

        if open_in_browser(url):
            self.call_from_thread(self.notify, f"Opened in the browser: {url}", timeout=4, markup=False)
        else:
            self.call_from_thread(
                self.notify, f"No browser could be started. The link, to select by hand:\n{url}",
                title="Not opened", severity="warning", timeout=20, markup=False)

    def copy_link(self, url: str) -> None:
        """Put `url` on the clipboard: through the terminal (OSC 52, which no terminal confirms) and,
        where there is one, a system clipboard tool (which does); then say which of the two it was."""
        self.copy_to_clipboard(url)
        self.run_worker(lambda: self._copy_link(url), thread=True, group="links")

    def _copy_link(self, url: str) -> None:
        from .desktop import copy_to_system_clipboard

        tool = copy_to_system_clipboard(url)
        if tool is not None:
            self.call_from_thread(self.notify, f"Copied (with {tool}): {url}", timeout=4, markup=False)
        else:
            self.call_from_thread(
                self.notify, f"Sent to the terminal's clipboard (OSC 52: not every terminal takes it, none "
                f"says so). The link, to select by hand:\n{url}", timeout=12, markup=False)

    # -- help and the palette ------------------------------------------------------------------

    def bound_keys(self, binding_id: str) -> str:
        """The keys bound to this binding id now (the user's keymap, else the default), as shown to
        the user: `s`, `^o`, `F1`; several are joined by commas; "" for an unknown id."""
        keys = self.user_keymap.get(binding_id)
        if keys is None:
            keys = default_keys().get(binding_id, "")
        return ", ".join(self.get_key_display(Binding(key.strip(), "")) for key in keys.split(",") if key.strip())

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(binding_groups(), self.user_keymap))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", f"Keys and the filter language ({self.bound_keys('app.help')})", self.action_help)
        yield SystemCommand("Fetch today's digests", f"arXiv feed and Hugging Face daily papers into your digest folder "
                            f"({self.bound_keys('app.fetch')})", self.action_fetch)

    # -- fetching today's digests --------------------------------------------------------------

    def action_fetch(self) -> None:
        from .core import fetch

        if self.fetch_folder is None:
            where = self.config_path or "config.toml"
            self.notify(f"Nowhere to fetch to: set `folders` in {where} (the first one gets the files).",
                        title="Fetch", severity="warning", timeout=8, markup=False)
            return
        plan = fetch.targets(self.fetch_settings, fetch.dt.date.today())
        if not plan:
            self.notify("Nothing to fetch: set arXiv categories or hf = true in [fetch] of config.toml.",
                        title="Fetch", severity="warning", timeout=8, markup=False)
            return
        if any(worker.group == "fetch" and worker.is_running for worker in self.workers):
            self.notify("Already fetching.", title="Fetch", timeout=3)
            return
        names = ", ".join(f"arXiv {'+'.join(self.fetch_settings.arxiv)}" if t.source == "arxiv" else "Hugging Face"
                          for t in plan)
        self.notify(f"Fetching {names} into {self.fetch_folder}…", title="Fetch", timeout=4, markup=False)
        self.fetch_digests(len(plan))

    @work(thread=True, exclusive=True, group="fetch")
    def fetch_digests(self, sources: int) -> None:
        """Iterate core.fetch.fetch() and post what became of each source."""
        from .core import fetch

        state = self.fetch_state or paths.cache_dir() / fetch.STATE_FILE
        answered = 0
        try:
            for outcome in fetch.fetch(self.fetch_settings, self.fetch_folder, state_path=state):
                answered += outcome.ok
                self.post_message(SourceFetched(outcome))
        except Exception as error:  # a bug here costs the fetch a line, not the reader its window
            self.post_message(SourceFetched(fetch.Outcome("fetch", "", False, f"stopped: {type(error).__name__}: {error}")))
        self.post_message(DigestsFetched(answered, sources))

    def on_source_fetched(self, message: SourceFetched) -> None:
        outcome = message.outcome
        self.notify(outcome.line(), title="Fetch", severity="information" if outcome.ok else "error",
                    timeout=6 if outcome.ok else 12, markup=False)

    def on_digests_fetched(self, message: DigestsFetched) -> None:
        folder = Path(self.fetch_folder).resolve() if self.fetch_folder else None
        watched = [Path(f).resolve() for f in self.watch_folders]
        if message.answered and folder is not None and not any(folder == w or w in folder.parents for w in watched):
            self.notify(f"{folder} is not a folder this window watches: open it (digest-tui {folder}) to read "
                        "what was fetched.", title="Fetch", severity="warning", timeout=12, markup=False)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from .screens.palette import Palette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self) -> None:
        """The theme picker ("Theme" in the palette): Textual's, in the app's Palette (a clean field)."""
        from textual.theme import ThemeProvider

        from .screens.palette import Palette

        self.push_screen(Palette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def on_command_palette_closed(self) -> None:
        self.release_keys()  # the keys typed behind the palette's enter (Palette): after its command, which is queued

    # -- keys typed while a dialog opens -------------------------------------------------------

    def push_screen(self, screen, callback=None, wait_for_dismiss: bool = False):
        """Push a screen; one with a TYPING field (a dialog that takes text) gets the keys typed
        while it opens (hold_keys)."""
        from textual.command import CommandPalette

        if getattr(screen, "TYPING", None) or getattr(screen, "TAKES_KEYS", False) or isinstance(screen, CommandPalette):
            self.hold_keys()
        return super().push_screen(screen, callback, wait_for_dismiss)

    def hold_keys(self, until_field: bool = True) -> None:
        """Keep the keys (and pastes) that arrive from now on, until release_keys(): a dialog is
        being pushed whose field is not there yet, and the keys typed behind the key that opened it
        (in one burst: a paste, a macro, fast typing) must reach that field, not vanish. Without
        `until_field` they wait for a ReadyForKeys (or the time-out) even while a field has the focus
        (the filter's enter: the keys behind it are for the list)."""
        if self._held is None:
            self._held = []
            self._hold_timer = self.set_timer(HOLD_SECONDS, self.release_keys)
            self._hold_poll = self.set_interval(0.01, self._release_when_typing, pause=not until_field)

    def _release_when_typing(self) -> None:
        """Release the held keys once a text field of the top screen has the focus (the palette's
        input; a dialog releases them itself, once its TYPING field has it)."""
        from textual.widgets import Input, TextArea

        focused = self.focused
        if isinstance(focused, (Input, TextArea)) and focused.is_mounted and focused.screen is self.screen:
            self.release_keys()

    def on_ready_for_keys(self, message: ReadyForKeys) -> None:
        self.release_keys()

    def release_keys(self) -> None:
        """Deliver the kept keys, in order, to what has the focus now (the dialog's field)."""
        if self._held is not None and self._hold_poll is not None:
            self._hold_poll.stop()  # once: the delivery is on its way
            self._hold_poll = None
            # in the app's queue: keys that came before this call are kept too, and go first
            self.call_later(self._deliver_held_keys)

    async def _deliver_held_keys(self) -> None:
        held, self._held = self._held or [], None
        for timer in (self._hold_timer, self._hold_poll):
            if timer is not None:
                timer.stop()
        self._hold_timer = self._hold_poll = None
        self._waiting.extendleft(reversed(held))  # before any key that came since the release
        await self._pass_waiting()

    # -- keys one at a time --------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Keys (and pastes) go through the widgets one at a time, in the order they came: Textual
        hands a key to the focused widget and runs its binding when the key is back at the app,
        having bubbled up; the keys behind it, in one burst, would meanwhile reach the same widget
        (a `j` behind the esc that closes the help went to the help; the `x` behind a note's ctrl+s
        into the note). A key waits until the one before it is done (PASS_SECONDS at most)."""
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if self._held is not None:
                self._held.append(event)
            elif self._passing is not None or self._waiting:
                self._waiting.append(event)
            else:
                await self._pass(event)
            return
        await super().on_event(event)

    async def _pass(self, event: events.Event) -> None:
        target = self.focused or self.screen  # where App.on_event hands an event no priority binding took
        self._passing, self._passing_since = event, time.monotonic()
        await super().on_event(event)
        if isinstance(event, events.Key) and target.check_consume_key(event.key, event.character):
            self._passing = None  # a character for a field: it goes no further, the next may follow it there
        elif event.is_forwarded:  # handed on: done once it is back here or went no further
            self.after_bubbled(event, target, self._passed)
            if self._pass_watch is None:
                self._pass_watch = self.set_interval(PASS_SECONDS / 2, self._watch_passing)
        else:
            self._passing = None  # a priority binding took it

    async def _passed(self, event: events.Event) -> None:
        if self._passing is event:
            self._passing = None
            await self._pass_waiting()

    async def _pass_waiting(self) -> None:
        while self._passing is None and self._waiting:
            if self._held is not None:  # a key just passed opened a dialog: the rest wait for its field
                self._held[:0] = self._waiting
                self._waiting.clear()
                return
            await self._pass(self._waiting.popleft())

    async def _watch_passing(self) -> None:
        """A key whose widget went away before handling it never comes back: the keys behind it go on."""
        if self._passing is not None and time.monotonic() - self._passing_since > PASS_SECONDS:
            await self._passed(self._passing)

    def hold_keys_for(self, message: Message, node: MessagePump) -> None:
        """Hold the keys that arrive from now on until `message`, just posted to `node` by a key's
        binding, has been handled (an input's enter, a button's press: the dialog may clear the
        field, or close): the keys typed behind that key are for what comes next."""
        self.hold_keys(until_field=False)
        self.after_bubbled(message, node, lambda _: self.release_keys())

    def after_bubbled(self, message: Message, node: MessagePump, callback: Callable) -> None:
        """Call `callback(message)` on the app once `message`, posted to `node`, has been handled
        as far up the DOM as it bubbles (by the app too, when it gets there)."""

        def handled_by(node: MessagePump) -> None:  # runs after `node` handled the message: it is at the parent's now
            parent = node.parent
            if message._stop_propagation or parent is None or parent is self or not parent.call_later(handled_by, parent):
                self.call_later(callback, message)  # in the app's queue: after the message, when it got there

        if not node.call_later(handled_by, node):
            self.call_later(callback, message)
