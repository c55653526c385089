"""The desktop around the terminal: open a link in a browser, put text on the system clipboard, and say whether it worked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import webbrowser

CLIPBOARD_SECONDS = 3
"""How long a clipboard tool may take before we give up on it (xclip waits for a display that hangs)."""


def open_in_browser(url: str) -> bool:
    """Open `url` in the user's browser; False when no browser could be started (what
    webbrowser.open says: no browser found, or it failed). Blocks while some browsers start:
    call it from a thread."""
    try:
        return bool(webbrowser.open(url))
    except (webbrowser.Error, OSError):
        return False


def clipboard_tools() -> list[list[str]]:
    """The system clipboard commands that may work here, most likely first."""
    tools = []
    if sys.platform == "darwin":
        tools.append(["pbcopy"])
    if os.environ.get("WAYLAND_DISPLAY"):
        tools.append(["wl-copy"])
    if os.environ.get("DISPLAY"):
        tools += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    release = os.uname().release.lower() if hasattr(os, "uname") else ""
    if sys.platform == "win32" or "microsoft" in release:  # Windows, or Linux under WSL
        tools.append(["clip.exe"])
    return [tool for tool in tools if shutil.which(tool[0])]


def copy_to_system_clipboard(text: str) -> str | None:
    """Put `text` on the system clipboard with the first tool that takes it; the tool's name, or
    None when none is there or each failed. Call it from a thread: a tool may wait on its display."""
    for tool in clipboard_tools():
        try:
            done = subprocess.run(tool, input=text.encode("utf-8"), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, timeout=CLIPBOARD_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return tool[0]
    return None
