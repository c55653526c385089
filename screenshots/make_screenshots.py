"""Make the SVG screenshots in this folder: the reader on the built-in demo digests, headless.

    python screenshots/make_screenshots.py [OUT_DIR]

Writes main-en.svg, main-zh.svg, both-languages.svg, tags.svg, filter.svg, highlight.svg, overview.svg,
help.svg, selection.svg and triage.svg at 160×48, and narrow-80x24.svg, zoom-80x24.svg and export-80x24.svg at 80×24 (into this
folder unless OUT_DIR is given). The app runs with a temporary data/config/cache home, so your own
library is never read or written, and loads the demo as the relative path `demo` (from inside the
package) so no machine's absolute paths end up in the pictures.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

SIZE = (160, 48)
HERE = Path(__file__).resolve().parent


def private_home(root: Path) -> None:
    """Point every XDG folder at `root` before digest_tui reads them."""
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[name] = str(root / name.lower())


async def settle(pilot) -> None:
    """Wait until the loading/filtering workers are done and what they posted is handled."""
    from textual.worker import WorkerCancelled, WorkerState

    app = pilot.app
    await pilot.pause()
    for _ in range(100):
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy:
            break
        try:
            await app.workers.wait_for_complete(busy)
        except WorkerCancelled:
            pass
        await pilot.pause()
    await pilot.pause()
    for screen in app.screen_stack:  # a steady cursor: the picture does not depend on the blink phase
        for field in screen.query("Input"):
            field.cursor_blink = False


def tag_some_papers(app) -> None:
    """A few tags and stars, as a reader would have after a while (straight into the library: no toasts)."""
    screen = app.screen_stack[0]
    for key, tags, star in (("2606.18745", ("agents", "to-read"), True), ("2606.19120", ("reproduce",), False),
                            ("2606.17204", ("agents",), True), ("2606.16042", ("to-read",), False)):
        row = app.store.row(key)
        if row is None:
            continue
        paper = app.store.papers[row]
        for tag in tags:
            app.library.add_tag(paper, tag)
        if star:
            app.library.set_starred(paper, True)
        screen.panes.paper_changed(row)


async def shoot(name: str, out: Path, steps: Callable[[object, object], Awaitable[None]] | None = None,
                size: tuple[int, int] = SIZE) -> Path:
    """Run the reader on the demo in a terminal of `size`, do `steps(app, pilot)`, and save the screen as OUT/NAME."""
    from digest_tui.app import DigestApp

    app = DigestApp(["demo"], mark_read_after=0)
    app.theme = "textual-dark"  # the same pictures whatever TEXTUAL_THEME says
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if len(app.store) == 0:
            raise SystemExit("make_screenshots: no demo papers were loaded")
        tag_some_papers(app)
        await settle(pilot)
        if steps is not None:
            await steps(app, pilot)
            await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        app.save_screenshot(name, str(out))
    return out / name


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def chinese(app, pilot) -> None:
    await press(pilot, "l")


async def both_languages(app, pilot) -> None:
    await press(pilot, "j")
    app.screen_stack[0].action_toggle_side_by_side()


async def tags(app, pilot) -> None:
    await press(pilot, "j", "t")
    await pilot.press("t", "o")  # typed, with the completion from the tags in use showing


async def filtered(app, pilot) -> None:
    await press(pilot, "slash")
    await pilot.press(*"cat:cs.CV")
    await press(pilot, "enter")


async def highlighted(app, pilot) -> None:
    """A filter's words marked in the list and, side by side in both languages, in the detail pane."""
    await press(pilot, "slash")
    await pilot.press(*"agent OR 智能体")
    await press(pilot, "enter")
    app.screen_stack[0].action_toggle_side_by_side()


async def overview(app, pilot) -> None:
    await press(pilot, "g", "tab", "down")


async def help_screen(app, pilot) -> None:
    await press(pilot, "question_mark")


async def selection(app, pilot) -> None:
    """Three papers selected (space, space, then one further down): marked, tinted and counted."""
    await press(pilot, "space", "space", "j", "space")


async def triage(app, pilot) -> None:
    """Triage mode after one paper kept."""
    await press(pilot, "T", "y")


async def zoomed(app, pilot) -> None:
    """The detail pane alone (z), in Chinese: the lines broken by the rules for Chinese and English."""
    await press(pilot, "j", "l", "z")


async def export_dialog(app, pilot) -> None:
    await press(pilot, "e")
    app.screen.query_one("#path").value = "starred.bib"  # not this machine's folder


SHOTS = {
    "main-en.svg": None,
    "main-zh.svg": chinese,
    "both-languages.svg": both_languages,
    "tags.svg": tags,
    "filter.svg": filtered,
    "highlight.svg": highlighted,
    "overview.svg": overview,
    "help.svg": help_screen,
    "selection.svg": selection,
    "triage.svg": triage,
}
SMALL_SHOTS = {
    "narrow-80x24.svg": None,
    "zoom-80x24.svg": zoomed,
    "export-80x24.svg": export_dialog,
}
"""At 80×24: one pane at a time, the zoom, a dialog that fits."""
SMALL = (80, 24)


async def make_all(out: Path) -> list[Path]:
    return [await shoot(name, out, steps) for name, steps in SHOTS.items()] + [
        await shoot(name, out, steps, SMALL) for name, steps in SMALL_SHOTS.items()]


def main(argv: list[str]) -> int:
    out = Path(argv[0]).resolve() if argv else HERE
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="digest-tui-shots-") as home:
        private_home(Path(home))
        os.environ.pop("NO_COLOR", None)
        import digest_tui

        os.chdir(Path(digest_tui.__file__).parent)  # so the demo is `demo/…` in the detail pane
        written = asyncio.run(make_all(out))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
