"""Saved searches: filters kept under a name in config.toml's [searches], on F1–F9 in order and in the palette."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from textual.app import App

from ..commands import key_of
from ..core import config as settings
from ..core.query import QueryError, parse_query


class SavedSearches:
    """The saved searches (name -> filter, in the order saved) and how a new one is kept: ctrl+s
    asks for a name, the filter is written into config.toml (`config_path`; None: kept for the
    session only)."""

    def __init__(self, app: App, searches: Mapping[str, str], config_path: Path | None) -> None:
        self.app = app
        self.searches: dict[str, str] = dict(searches)
        self.config_path = config_path

    def numbered(self, number: int) -> tuple[str, str] | None:
        """The saved search on F`number` (name, filter), or None, said to the user."""
        searches = list(self.searches.items())
        if number > len(searches):
            keys = [key_of(self.app, name, default) for name, default in
                    ((f"search.{number}", f"F{number}"), ("view.filter", "/"), ("view.save_search", "^s"))]
            self.app.notify(f"No saved search on {keys[0]}: type a filter ({keys[1]}) and press {keys[2]} to save it.", timeout=4)
            return None
        return searches[number - 1]

    def ask_to_save(self, text: str) -> None:
        """Ask for a name for this filter (a valid one) and save it under that name."""
        text = text.strip()
        if not text:
            self.app.notify("No filter to save: type one with / first, then ctrl+s.", timeout=4)
            return
        try:
            parse_query(text)
        except QueryError as error:
            self.app.notify(f"Not saved: {error}", severity="error", timeout=6, markup=False)
            return
        known = next((name for name, query in self.searches.items() if query == text), "")

        def named(name: str | None) -> None:
            if name:
                self.save(name, text)

        from .dialogs import NameDialog

        self.app.push_screen(NameDialog("Save this search", f"Filter: {text}", known, placeholder="name"), named)

    def save(self, name: str, query: str) -> bool:
        """Keep a named search (in the palette, and on F1–F9 in order) and write it into config.toml."""
        replaced = name in self.searches
        self.searches[name] = query
        where = ""
        if self.config_path is not None:
            try:
                settings.set_value(self.config_path, name, query, table="searches")
            except (OSError, ValueError) as error:
                self.app.notify(f"Search {name!r} kept for this session only: {self.config_path}: {error}",
                                severity="warning", timeout=8, markup=False)
                return False
            where = f" in {self.config_path}"
        number = list(self.searches).index(name) + 1
        key = f"F{number}" if number <= 9 else "the palette"
        verb = "Replaced" if replaced else "Saved"
        self.app.notify(f"{verb} search {name!r} = {query}{where}; it is on {key}.", timeout=5, markup=False)
        return True
