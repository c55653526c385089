"""The user's settings: `config.toml` in the config dir, every key optional with a documented default.

    folders = ["~/digests"]        # opened when digest-tui is started without paths, and watched
    language = "en"                # en or zh: titles and the abstract (l switches; remembered)
    side_by_side = false           # both abstracts side by side (L switches; remembered)
    sort = "date"                  # date, score, upvotes or title (S cycles; remembered)
    pane_split = 60                # the list's share of the width, in percent, when both panes show
    theme = "textual-dark"         # any Textual theme; changing it in the app is remembered here
    mark_read_after = 2            # seconds a paper is on screen before it counts as read; 0 = never

    [searches]                     # saved filters: in the palette, on F1-F9 in this order
    "new MoE" = "moe is:unread"

    [keymap]                       # binding id = key(s), e.g. to star with f instead of s
    "paper.star" = "f"

    [fetch]                        # what `digest-tui fetch` downloads (into the first folder)
    arxiv = ["cs.CL", "cs.LG"]     # arXiv categories: one feed request for all of them; [] = none
    hf = true                      # Hugging Face daily papers
    arxiv_url = "https://rss.arxiv.org/rss/"
    hf_url = "https://huggingface.co/api/daily_papers"

The two URLs can also be given as DIGEST_TUI_ARXIV_URL and DIGEST_TUI_HF_URL (they win over the file).

A bad value is reported with its key and line, and its default is used; the other keys still
apply. A file that is not valid TOML is reported with its line, and every default is used.
The app writes back only what the user changes in it: the theme, the language, side by side, the
sort, the pane split (`<` and `>`) and searches saved with ctrl+s in the filter; it edits just those
lines, so comments and layout stay as the user wrote them. (`language = "both"`, as older versions
wrote it, still reads as side by side.)
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .files import atomic_write, read_regular
from .model import LANGUAGES, SORTS
from .text import clean, one_line, short_repr

PANE_SPLITS = (25, 75)
"""The least and most of the width, in percent, the list may take when both panes show."""
_KNOWN = ("folders", "language", "side_by_side", "sort", "pane_split", "theme", "mark_read_after", "searches", "keymap",
          "fetch")
_CATEGORY = re.compile(r"[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?", re.ASCII)  # cs.CL, hep-th, astro-ph.CO
URL_ENV = {"arxiv_url": "DIGEST_TUI_ARXIV_URL", "hf_url": "DIGEST_TUI_HF_URL"}


@dataclass
class FetchSettings:
    """The `[fetch]` table: which daily listings `digest-tui fetch` downloads, and from where."""

    arxiv: list[str] = field(default_factory=lambda: ["cs.CL", "cs.LG"])
    hf: bool = True
    arxiv_url: str = "https://rss.arxiv.org/rss/"
    hf_url: str = "https://huggingface.co/api/daily_papers"


@dataclass
class Config:
    """Settings with their defaults."""

    folders: list[str] = field(default_factory=list)
    language: str = "en"
    side_by_side: bool = False
    sort: str = "date"
    pane_split: int = 60
    theme: str = "textual-dark"
    mark_read_after: float = 2.0
    searches: dict[str, str] = field(default_factory=dict)
    keymap: dict[str, str] = field(default_factory=dict)
    fetch: FetchSettings = field(default_factory=FetchSettings)

    def folder_paths(self) -> list[Path]:
        return [Path(folder).expanduser() for folder in self.folders]


def _line_of(text: str, key: str, table: str | None = None) -> int | None:
    """The 1-based line where `key` is set: `key = ...` (inside `[table]` when given), or, for a
    table's key, `table = {... key = ...}`, `table.key = ...`, `[table.key]` or `[[table]]`; for a
    top-level key, `[key]` or `[[key]]` too. None when it is written nowhere to be found."""
    lines = text.splitlines()
    name = _key_pattern(key)
    assignment = re.compile(rf"^\s*{name}\s*=")
    if table is None:
        return _first_line(lines, assignment, None) or _first_line(
            lines, re.compile(rf"^\s*\[\[?\s*{name}\s*[\].]"), None, headers=True
        ) or _first_line(lines, re.compile(rf"^\s*{name}\s*\."), None)
    owner = _key_pattern(table)
    inline = re.compile(rf"^\s*{owner}\s*=\s*\{{.*(?:^|[{{,\s]){name}\s*=")
    return (
        _first_line(lines, assignment, table)
        or _first_line(lines, inline, None)
        or _first_line(lines, re.compile(rf"^\s*{owner}\s*\.\s*{name}\s*="), None)
        or _first_line(lines, re.compile(rf"^\s*\[\s*{owner}\s*\.\s*{name}\s*[\].]"), None, headers=True)
        or _first_line(lines, re.compile(rf"^\s*\[\[\s*{owner}\s*\]\]"), None, headers=True)
        or _line_of(text, table)
    )


def _key_pattern(key: str) -> str:
    quoted = re.escape(key)
    return rf"""(?:{quoted}|"{quoted}"|'{quoted}')"""


def _first_line(lines: list[str], pattern: re.Pattern[str], table: str | None, headers: bool = False) -> int | None:
    """The first line matching `pattern` inside `[table]` (None: at the top level, before any
    header); with `headers`, any line matching it, headers included."""
    current = None
    for number, line in enumerate(lines, start=1):
        if headers:
            if pattern.match(line):
                return number
            continue
        header = re.match(r"^\s*\[\[?\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1).strip("\"'")
            continue
        if current == table and pattern.match(line):
            return number
    return None


def _where(path: Path, text: str, key: str, table: str | None = None) -> str:
    line = _line_of(text, key, table)
    name = f"{table}.{key}" if table else key
    return clean(f"{path}: line {line}: {name}" if line else f"{path}: {name}")  # a key may hold an ESC


def where(path: Path, key: str, table: str | None = None) -> str:
    """`PATH: line N: key` (or `PATH: key` when it is not written there), for a message about one setting."""
    try:
        text = read_regular(path, limit=MAX_CONFIG_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    return _where(path, text, key, table)


MAX_CONFIG_BYTES = 1024 * 1024
"""A config.toml over this is refused unread (a real one is a few hundred bytes)."""


def _parse(text: str) -> dict:
    """tomllib.loads(); every failure is a ValueError with one line (tomllib raises RecursionError
    for deep nesting, and may raise others on input it was not written for)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"not valid TOML: {error}") from None
    except RecursionError:
        raise ValueError("not valid TOML: nested too deeply") from None
    except Exception as error:
        raise ValueError(f"not valid TOML ({type(error).__name__})") from None


def load_config(path: Path, environ: Mapping[str, str] | None = None) -> tuple[Config, list[str]]:
    """The settings in `path` (defaults when it does not exist) and one line per problem found;
    `environ` (os.environ by default) can set the fetch URLs (URL_ENV)."""
    config, problems = _load_file(path)
    environ = os.environ if environ is None else environ
    for key, variable in URL_ENV.items():
        value = environ.get(variable, "").strip()
        if not value:
            continue
        if _is_http_url(value):
            setattr(config.fetch, key, value)
        else:
            problems.append(f"${variable}: expected an http:// or https:// URL (got {value!r}); ignored")
    return config, problems


def _is_http_url(value: object) -> bool:
    return isinstance(value, str) and re.match(r"https?://[^/\s?#]+", value) is not None and not re.search(r"\s", value)


def _load_file(path: Path) -> tuple[Config, list[str]]:
    config = Config()
    try:
        text = read_regular(path, limit=MAX_CONFIG_BYTES).decode("utf-8-sig")
    except FileNotFoundError:
        return config, []
    except UnicodeDecodeError as error:
        return config, [f"{path}: not UTF-8 text (byte {error.start}); using the defaults"]
    except OSError as error:
        return config, [f"{path}: cannot be read ({error.strerror or error}); using the defaults"]
    try:
        document = _parse(text)
    except ValueError as error:
        return config, [f"{path}: {one_line(error, limit=300)}; using the defaults"]
    problems: list[str] = []

    def bad(key: str, expected: str, table: str | None = None, value: object = None) -> None:
        got = f" (got {short_repr(value)})" if value is not None else ""
        problems.append(f"{_where(path, text, key, table)}: expected {expected}{got}; using the default")

    for key in document:
        if key not in _KNOWN:
            problems.append(f"{_where(path, text, key)}: unknown setting (known: {', '.join(_KNOWN)}); ignored")
    folders = document.get("folders", [])
    if isinstance(folders, str):
        folders = [folders]
    if isinstance(folders, list) and all(isinstance(f, str) for f in folders):
        config.folders = folders
    else:
        bad("folders", "a list of folder paths")
    language = document.get("language", config.language)
    if isinstance(language, str) and language in LANGUAGES:
        config.language = language
    elif language == "both":  # what side by side was before it had its own key
        config.side_by_side = True
    else:
        bad("language", " or ".join(LANGUAGES), value=language)
    side_by_side = document.get("side_by_side", config.side_by_side)
    if isinstance(side_by_side, bool):
        config.side_by_side = side_by_side
    else:
        bad("side_by_side", "true or false", value=side_by_side)
    split = document.get("pane_split", config.pane_split)
    if isinstance(split, int) and not isinstance(split, bool) and PANE_SPLITS[0] <= split <= PANE_SPLITS[1]:
        config.pane_split = split
    else:
        bad("pane_split", f"a whole percentage from {PANE_SPLITS[0]} to {PANE_SPLITS[1]}", value=split)
    sort = document.get("sort", config.sort)
    if sort in SORTS:
        config.sort = sort
    else:
        bad("sort", "one of " + ", ".join(SORTS), value=sort)
    theme = document.get("theme", config.theme)
    if isinstance(theme, str) and theme:
        config.theme = theme  # whether the theme exists is for the app to say
    else:
        bad("theme", "a theme name", value=theme)
    seconds = document.get("mark_read_after", config.mark_read_after)
    if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and 0 <= seconds <= 3600:
        config.mark_read_after = float(seconds)
    else:
        bad("mark_read_after", "a number of seconds from 0 to 3600", value=seconds)
    for table in ("searches", "keymap"):
        entries = document.get(table, {})
        if not isinstance(entries, dict):
            bad(table, f"a [{table}] table", value=entries)
            continue
        for name, value in entries.items():
            if isinstance(value, str) and value.strip():
                getattr(config, table)[name] = value.strip()
            else:
                bad(name, "a non-empty string", table=table, value=value)
    fetch = document.get("fetch", {})
    if not isinstance(fetch, dict):
        bad("fetch", "a [fetch] table")
        fetch = {}
    for key in fetch:
        if key not in ("arxiv", "hf", "arxiv_url", "hf_url"):
            problems.append(f"{_where(path, text, key, 'fetch')}: unknown setting (known: arxiv, hf, arxiv_url, hf_url); ignored")
    categories = fetch.get("arxiv", config.fetch.arxiv)
    if isinstance(categories, str):
        categories = [categories]
    if isinstance(categories, list) and all(isinstance(c, str) and _CATEGORY.fullmatch(c) for c in categories):
        config.fetch.arxiv = list(dict.fromkeys(categories))
    else:
        bad("arxiv", 'a list of arXiv categories such as ["cs.CL", "hep-th"]', table="fetch", value=categories)
    hf = fetch.get("hf", config.fetch.hf)
    if isinstance(hf, bool):
        config.fetch.hf = hf
    else:
        bad("hf", "true or false", table="fetch", value=hf)
    for key in URL_ENV:
        url = fetch.get(key, getattr(config.fetch, key))
        if _is_http_url(url):
            setattr(config.fetch, key, url)
        else:
            bad(key, "an http:// or https:// URL", table="fetch", value=url)
    return config, problems


def _toml_string(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _toml_value(value: str | bool | int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _toml_string(value)


def set_value(path: Path, key: str, value: str | bool | int, table: str | None = None) -> None:
    """Write `key = value` (a TOML string, boolean or integer) into the file (inside `[table]`),
    changing only that line or adding one; the result is checked to parse before it replaces the
    file. Raises OSError or ValueError."""
    try:
        text = read_regular(path, limit=MAX_CONFIG_BYTES).decode("utf-8-sig")
    except FileNotFoundError:
        text = ""
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text (byte {error.start})") from None
    _parse(text)  # never edit a file we cannot read back: that would hide its mistake
    key_text = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)
    entry = f"{key_text} = {_toml_value(value)}"
    lines = text.splitlines()
    line = _first_line(lines, re.compile(rf"^\s*{_key_pattern(key)}\s*="), table)  # `key = ...` in [table] only
    if line is not None:
        lines[line - 1] = entry
    elif table is None:
        first_table = next((i for i, row in enumerate(lines) if re.match(r"^\s*\[", row)), len(lines))
        while first_table > 0 and not lines[first_table - 1].strip():
            first_table -= 1  # with the other top-level keys, not after the blank line before a table
        lines.insert(first_table, entry)
    else:
        header = next((i for i, row in enumerate(lines) if re.match(rf"^\s*\[\s*{re.escape(table)}\s*\]", row)), None)
        if header is None:
            lines += ["", f"[{table}]", entry]
        else:
            end = next((i for i in range(header + 1, len(lines)) if re.match(r"^\s*\[", lines[i])), len(lines))
            while end > header + 1 and not lines[end - 1].strip():
                end -= 1
            lines.insert(end, entry)
    new_text = "\n".join(lines) + "\n"
    _parse(new_text)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, new_text)
