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
The words of the filter are marked in the list and the detail pane. ctrl+s saves the filter
under a name (config.toml [searches]): F1–F9 and the palette run saved searches.
Days: [ and ] show the previous / next listing date (from all days: the selected paper's day),
a shows every day again; the day and the filter combine. g opens the overview.
"""


def _keys_text(app) -> Text:
    from .main import MainScreen
    from .overview import BarChart, OverviewScreen
    from ..widgets.paper_list import PaperList

    text = Text()
    seen = set()
    groups = (("Papers and view", MainScreen.BINDINGS), ("List", PaperList.BINDINGS),
              ("Overview (g)", [*OverviewScreen.BINDINGS, *BarChart.BINDINGS]), ("App", type(app).BINDINGS))
    keymap = getattr(app, "_keymap", {}) or {}
    for heading, bindings in groups:
        text.append(heading + "\n", Style(bold=True, underline=True))
        for binding in bindings:
            if binding.id in seen:
                continue
            seen.add(binding.id)
            keys = keymap.get(binding.id, binding.key)
            shown = ", ".join(app.get_key_display(Binding(k, "")) for k in keys.split(","))
            description, ids = binding.description, binding.id
            run = _numbered_run(binding, bindings, keymap)
            if run:  # nine keys that do one thing by number: one line while none is remapped
                seen.update(other.id for other in run)
                shown = f"{app.get_key_display(Binding(run[0].key, ''))}–{app.get_key_display(Binding(run[-1].key, ''))}"
                description = description.rstrip("0123456789 ") + f" 1–{len(run)}"
                ids = f"{run[0].id} … {run[-1].id}"
            text.append(f"  {shown:<18}", Style(bold=True))
            text.append(f"{description}  ")
            text.append(f"[{ids}]\n", Style(dim=True))
    return text


def _numbered_run(first: Binding, bindings, keymap) -> list[Binding]:
    """`first` and the bindings after it whose ids end in 1, 2, 3…, when `first` ends in 1 and no
    binding of the run is in the keymap; else []."""
    if not first.id or not first.id.endswith("1") or first.id.endswith("11"):
        return []
    stem = first.id[:-1]
    run = [b for b in bindings if b.id and b.id.startswith(stem) and b.id[len(stem):].isdigit()]
    run.sort(key=lambda b: int(b.id[len(stem):]))
    if len(run) < 2 or any(b.id in keymap for b in run):
        return []
    return run


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
