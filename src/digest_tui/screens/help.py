"""The help screen: every key of the reader with what it does, and the filter language."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

FILTER_HELP = """\
Free words match titles, authors, both abstracts and ids (a "quoted phrase" is one term).
Fields: cat:cs.CL  tag:moe  author:zhao  inst:tsinghua  topic:预训练  title:…  abstract:…  id:…
        is:starred  is:unread  is:read  is:tagged  is:noted  has:zh  has:en
Numbers and dates: score>=80  upvotes>=5  date>=2026-06-01  date:2026-06
Combine: AND (the default between terms), OR, NOT or -term, and ( parentheses ).
"""


def _keys_text(app) -> Text:
    from .main import MainScreen
    from ..widgets.paper_list import PaperList

    text = Text()
    seen = set()
    groups = (("Papers and view", MainScreen.BINDINGS), ("List", PaperList.BINDINGS), ("App", type(app).BINDINGS))
    keymap = getattr(app, "_keymap", {}) or {}
    for heading, bindings in groups:
        text.append(heading + "\n", Style(bold=True, underline=True))
        for binding in bindings:
            if binding.id in seen:
                continue
            seen.add(binding.id)
            keys = keymap.get(binding.id, binding.key)
            shown = ", ".join(app.get_key_display(Binding(k, "")) for k in keys.split(","))
            text.append(f"  {shown:<18}", Style(bold=True))
            text.append(f"{binding.description}  ")
            text.append(f"[{binding.id}]\n", Style(dim=True))
    return text


class HelpScreen(ModalScreen):
    """Keys and the filter language; esc, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 96; max-width: 95%; height: 90%; border: thick $primary; background: $surface; padding: 0 2; }
    HelpScreen .heading { text-style: bold; margin: 1 0; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("digest-tui — keys (ids in brackets, for the keymap)", classes="heading")
            with VerticalScroll():
                yield Static(_keys_text(self.app))
                yield Label("Filter language ( / )", classes="heading")
                yield Static(Text(FILTER_HELP))
                yield Static(Text("ctrl+p opens the command palette: every action is there. esc closes this help."))

    def action_close(self) -> None:
        self.dismiss()
