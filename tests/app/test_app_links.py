"""o, p and y say what really happened: a browser started or not, the clipboard confirmed by a tool or only sent to the terminal."""

from __future__ import annotations

import os
import stat
import webbrowser

from support.app_support import demo_app, press, record_calls, record_notifications, settle, started

TERN = "2606.18745"


async def test_o_and_p_say_when_no_browser_could_be_started(monkeypatch):
    asked = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *args, **kwargs: asked.append(url) or False)
    app = demo_app()
    async with started(app) as pilot:
        messages = record_notifications(app)
        await press(pilot, "o")
        await settle(pilot)
        assert asked == [f"https://arxiv.org/abs/{TERN}"]
        assert messages[-1] == f"No browser could be started. The link, to select by hand:\nhttps://arxiv.org/abs/{TERN}"
        await press(pilot, "p")
        await settle(pilot)
        assert messages[-1].endswith(f"\nhttps://arxiv.org/pdf/{TERN}")
        assert not any(message.startswith("Opening") for message in messages)


async def test_o_says_opened_when_the_browser_started(monkeypatch):
    monkeypatch.setattr(webbrowser, "open", lambda url, *args, **kwargs: True)
    app = demo_app()
    async with started(app) as pilot:
        messages = record_notifications(app)
        await press(pilot, "o")
        await settle(pilot)
        assert messages[-1] == f"Opened in the browser: https://arxiv.org/abs/{TERN}"


async def test_y_without_a_clipboard_tool_does_not_claim_it_copied(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("digest_tui.desktop.sys.platform", "linux")
    monkeypatch.setenv("PATH", "/nonexistent")
    app = demo_app()
    async with started(app) as pilot:
        sent = record_calls(app, "copy_to_clipboard")  # the OSC 52 sequence to the terminal
        messages = record_notifications(app)
        await press(pilot, "y")
        await settle(pilot)
        assert sent == [f"https://arxiv.org/abs/{TERN}"]
        assert "Copied" not in messages[-1]
        assert messages[-1].startswith("Sent to the terminal's clipboard (OSC 52")
        assert messages[-1].endswith(f"\nhttps://arxiv.org/abs/{TERN}")


async def test_y_with_a_clipboard_tool_says_copied_and_the_tool_got_the_link(monkeypatch, tmp_path):
    got = tmp_path / "clipboard"
    tool = tmp_path / "xclip"
    tool.write_text(f"#!/bin/sh\n[ \"$1 $2\" = '-selection clipboard' ] || exit 3\ncat > {got}\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("digest_tui.desktop.sys.platform", "linux")
    app = demo_app()
    async with started(app) as pilot:
        messages = record_notifications(app)
        await press(pilot, "y")
        await settle(pilot)
        assert got.read_text() == f"https://arxiv.org/abs/{TERN}"
        assert messages[-1] == f"Copied (with xclip): https://arxiv.org/abs/{TERN}"


async def test_y_when_the_clipboard_tool_fails_falls_back_to_saying_sent(monkeypatch, tmp_path):
    tool = tmp_path / "xclip"
    tool.write_text("#!/bin/sh\necho 'Error: Can not open display' >&2\nexit 1\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("digest_tui.desktop.sys.platform", "linux")
    app = demo_app()
    async with started(app) as pilot:
        messages = record_notifications(app)
        await press(pilot, "y")
        await settle(pilot)
        assert messages[-1].startswith("Sent to the terminal's clipboard")
