"""The command palette's reader commands: every action of the screen under the palette, each with the keys bound to it
now; and the keys a hint names (keys_of, key_of), as bound now too."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from .core.text import clean


@dataclass(frozen=True)
class Command:
    """One palette entry: plain-text title and help (never markup), what it runs, and the id of the
    binding that runs it too (its keys, as bound now, are shown in the help)."""

    title: str
    help: str
    run: Callable[[], object]
    binding: str | None = None


@runtime_checkable
class HasCommands(Protocol):
    """A screen that offers commands to the palette."""

    def palette_commands(self) -> Iterable[Command]: ...


@runtime_checkable
class KnowsKeys(Protocol):
    """An app that says which keys a binding id is bound to now (after the user's keymap)."""

    def bound_keys(self, binding_id: str) -> str: ...


def keys_of(app: object, binding_id: str) -> list[str]:
    """The keys bound to `binding_id` now, as shown (`esc`, `^s`), for a hint that names them (after
    the user's keymap, so a hint never names a key that does something else); none where the app
    does not say (a widget tested in another app) or nothing is bound."""
    keys = app.bound_keys(binding_id) if isinstance(app, KnowsKeys) else ""
    return keys.split(", ") if keys else []


def key_of(app: object, binding_id: str, default: str) -> str:
    """The first of keys_of(), or `default`."""
    return next(iter(keys_of(app, binding_id)), default)


class ReaderCommands(Provider):
    """The screen's commands (`palette_commands()`), the keys shown as the user's keymap binds them."""

    def entries(self) -> list[tuple[Command, str]]:
        """(command, help as shown) for the screen under the palette."""
        screen, app = self.screen, self.app
        if not isinstance(screen, HasCommands):
            return []
        entries = []
        for command in screen.palette_commands():
            help = clean(command.help)
            keys = app.bound_keys(command.binding) if command.binding and isinstance(app, KnowsKeys) else ""
            entries.append((command, f"{help} ({keys})" if keys else help))
        return entries

    async def discover(self) -> Hits:
        for command, help in sorted(self.entries(), key=lambda entry: entry[0].title.casefold()):  # by name
            yield DiscoveryHit(Content(clean(command.title)), command.run, text=command.title, help=escape(help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command, help in self.entries():
            title = clean(command.title)
            score = matcher.match(title)
            if score > 0:
                # highlight() reads its argument as markup: a title with a bracket is shown plain
                display = Content(title) if "[" in title or "\\" in title else matcher.highlight(title)
                yield Hit(score, display, command.run, text=title, help=escape(help))
