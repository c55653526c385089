"""Helpers for the reader's Pilot and snapshot tests: start the app on digests and wait until it settles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import unescape
from pathlib import Path

from rich.cells import cell_len
from textual import events
from textual.keys import KEY_NAME_REPLACEMENTS
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerCancelled, WorkerState

from digest_tui.app import DigestApp
from digest_tui.core.paths import demo_dir
from digest_tui.core.model import Paper
from digest_tui.screens.main import MainScreen
from digest_tui.widgets.status_line import StatusLine

SIZE = (160, 48)
DEMO_PAPERS = 33


def demo_app(**kwargs) -> DigestApp:
    """The reader on the built-in demo digests; papers are never marked read by a timer unless asked."""
    kwargs.setdefault("mark_read_after", 0)
    return DigestApp([str(demo_dir())], **kwargs)


async def settle(pilot: Pilot) -> None:
    """Wait until loading and filtering workers are done and the messages they posted are handled."""
    app = pilot.app
    await pilot.pause()
    for _ in range(100):
        busy = _busy(app)
        if not busy:
            await pilot.pause()  # the last worker's message, and what handling it posted
            return
        try:
            await app.workers.wait_for_complete(busy)
        except WorkerCancelled:
            pass  # an exclusive worker replaced by a newer one: the loop waits for that one
        await pilot.pause()
    raise AssertionError("the app's workers did not settle")


@asynccontextmanager
async def started(app: DigestApp, size: tuple[int, int] = SIZE) -> AsyncIterator[Pilot]:
    """`app.run_test()` that yields once the digests are loaded and the first paper is shown."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys, then wait for what they started (a new filter, a dialog's messages)."""
    app = pilot.app
    main = app.screen_stack[0] if app.screen_stack else None
    generation = main.paper_list.generation if isinstance(main, MainScreen) else None
    await pilot.press(*keys)
    if keys and generation is not None and main.paper_list.generation == generation and not main.reading_files \
            and not _busy(app):
        await pilot.pause()  # no worker was started: what the keys posted is all there is to wait for
        return
    await settle(pilot)


def _busy(app) -> list:
    return [worker for worker in app.workers if worker.state in (WorkerState.PENDING, WorkerState.RUNNING)]


_SCREENSHOT_RUN = re.compile(r'<text class="[^"]*" x="([0-9.e+-]+)" y="[^"]*" textLength="([0-9.e+-]+)" '
                             r'clip-path="url\(#[^)"]*-line-(\d+)\)">(.*?)</text>', re.DOTALL)


def screenshot_runs(app: DigestApp) -> list[tuple[int, int, str]]:
    """The runs of text on the terminal now, as (line, column, text): read from the app's SVG
    screenshot (App.export_screenshot: the active screen over the screens under it, the same
    update the terminal gets), which leaves out runs of nothing but spaces."""
    found = []
    for x, length, line, content in _SCREENSHOT_RUN.findall(app.export_screenshot()):
        text = unescape(content.replace("&#160;", " "))  # (a space is written as &#160;)
        if text != "\n":  # each line's end
            found.append((int(line), float(x), float(length), text))
    # a run's textLength is one cell's width per character; its x, that width times its column
    cell = next((length / len(text) for _line, _x, length, text in found), 1.0)
    return [(line, round(x / cell), text) for line, x, _length, text in found]


def screen_text(app: DigestApp) -> str:
    """What the terminal shows now, as plain text (the active screen and the screens under it),
    a line per terminal row, each as wide as the terminal."""
    width, height = app.size
    rows: list[list[tuple[int, str]]] = [[] for _ in range(height)]
    for line, column, text in screenshot_runs(app):
        rows[line].append((column, text))
    lines = []
    for runs in rows:
        parts, cells = [], 0
        for column, text in sorted(runs):
            parts.append(" " * max(column - cells, 0))
            parts.append(text)
            cells = column + cell_len(text)
        parts.append(" " * max(width - cells, 0))
        lines.append("".join(parts))
    return "\n".join(lines)


def main_screen(app: DigestApp) -> MainScreen:
    """The reader's main screen (the bottom of the stack, under any dialog)."""
    screen = app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen


def status_text(app: DigestApp) -> str:
    """The main screen's status line."""
    return str(main_screen(app).query_one(StatusLine).render())


def detail_text(app: DigestApp) -> str:
    """Everything the detail pane holds (header, abstracts, footer), scrolled into view or not."""
    return "\n".join(str(widget.render()) for widget in main_screen(app).detail.query(Static))


def current_paper(app: DigestApp) -> Paper | None:
    """The paper under the list's cursor."""
    found = main_screen(app).panes.current_paper()
    return None if found is None else found[1]


def shown_keys(app: DigestApp) -> list[str]:
    """The keys of the papers in the list, top to bottom."""
    papers = app.store.papers
    return [papers[row].key for row in main_screen(app).paper_list.rows]


def write_digest(folder: Path, name: str, entries: list[dict]) -> Path:
    """An arXivDaily page (the format of tests/fixtures/merge-a.txt) with the given papers:
    each entry has id, date, cat, score, title_en, title_zh, authors, abstract_zh, abstract_en."""
    lines = ["arXivDaily arXiv每日学术速递 周一至周五更新", "", "AI 大模型", "", "语言大模型 / LLM", "",
             "大语言模型、预训练、指令微调、后训练和语言模型应用。", "",
             f"今日/当前日期收录 {len(entries)} 信号源:cs.CL, cs.LG"]
    for entry in entries:
        lines += [
            f"{entry['id']} {entry['date']} {entry.get('cat', 'cs.CL')} 新提交 {entry.get('score', 80)}%", "",
            entry["title_en"], "", entry["title_zh"], "", entry.get("authors", "Ada Lovelace, Alan Turing"), "",
            "详情", "AI中文摘要", "", entry.get("abstract_zh", "中文摘要。"), "",
            "英文摘要", "", entry.get("abstract_en", "An English abstract."), "",
        ]
    path = folder / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


async def type_text(pilot: Pilot, text: str) -> None:
    """Type text into whatever has focus, one key event per character, as a terminal sends them.

    `pilot.press` waits for the app to go idle after every key (~0.1 s each); text typed into one
    field needs no such wait, so the key events are queued together and the wait happens once.
    Only for keys that stay in one widget: they all go where the focus was when they were sent."""
    app = pilot.app
    for char in text:
        key = key_name(char)
        app.post_message(events.Key(key, char))
    await pilot.pause()


def key_name(char: str) -> str:
    """The key a terminal reports for one typed character: itself for letters and digits, else its
    Unicode name as Textual spells keys ("/" is "slash", " " is "space", "$" is "dollar_sign")."""
    if char.isalnum():
        return char
    try:
        name = unicodedata.name(char).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        name = {"\t": "tab"}.get(char, char)
    return KEY_NAME_REPLACEMENTS.get(name, name)


NAMED_KEYS = frozenset(["enter", "escape", "tab", "space", "slash", "backspace", "delete", "up", "down", "left",
                        "right", "home", "end", "pageup", "pagedown"])
"""The key names key_events sends as one key (any other run of several characters is typed)."""


def key_events(*keys: str) -> list[events.Key]:
    """Key events as a terminal sends them: each argument is a key name ("slash", "ctrl+s", "enter")
    or a run of characters to type ("sparse")."""
    out = []
    for key in keys:
        if len(key) > 1 and (key in NAMED_KEYS or "+" in key):
            out.append(events.Key(key, {"enter": "\r", "escape": "\x1b", "tab": "\t", "space": " ", "slash": "/",
                                        "backspace": "\x7f"}.get(key)))
            continue
        for char in key:
            out.append(events.Key(key_name(char), char))
    return out


async def burst(pilot: Pilot, *keys: str) -> None:
    """Send keys in one burst, as a paste, a macro or a fast typist over SSH delivers them: every
    event is queued before the app handles the first (pilot.press waits after each key), then wait."""
    app = pilot.app
    for event in key_events(*keys):
        app.post_message(event)
    await settle(pilot)
    await pilot.pause(0.3)  # past the filter's typing pause, were one started
    await settle(pilot)


def record_notifications(app: DigestApp) -> list[str]:
    """Every notification's message from now on, in order (the toasts still show as usual)."""
    messages: list[str] = []
    original = app.notify

    def notify(message, *args, **kwargs):
        messages.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return messages


def record_calls(app: DigestApp, name: str) -> list[str]:
    """Replace `app.<name>(first_argument, ...)` (e.g. open_url) by a recorder of the first arguments."""
    calls: list[str] = []
    setattr(app, name, lambda value, *args, **kwargs: calls.append(value))
    return calls


async def wait_for_text(pilot: Pilot, text: str, timeout: float = 5.0) -> str:
    """Pause until `text` is on screen (e.g. the palette's search results, which arrive a moment later)."""
    for _ in range(int(timeout / 0.05)):
        shown = screen_text(pilot.app)
        if text in shown:
            return shown
        await pilot.pause(0.05)
    raise AssertionError(f"{text!r} did not appear on screen within {timeout} s")


async def wait_for_command(pilot: Pilot, title: str, timeout: float = 5.0) -> None:
    """Pause until the open command palette has `title` highlighted (its search runs in the background)."""
    from textual.command import CommandList

    for _ in range(int(timeout / 0.05)):
        option = pilot.app.screen.query_one(CommandList).highlighted_option
        if option is not None and title in str(option.prompt):
            return
        await pilot.pause(0.05)
    raise AssertionError(f"the palette did not offer {title!r} first within {timeout} s")
