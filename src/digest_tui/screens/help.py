"""The help screen: every key of the reader as bound now (after the user's keymap), and the filter language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import cell_len
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..core.text import clean
from ..widgets.pager import Pager

FILTER_HELP = (
    ("Words", 'Free words match titles, authors, both abstracts and ids; a "quoted phrase" is one term.'),
    ("Fields", "cat:cs.CL  tag:moe  author:zhao  inst:tsinghua  topic:预训练  title:…  abstract:…  id:…"),
    ("Marks", "is:starred  is:unread  is:read  is:tagged  is:noted  has:zh  has:en"),
    ("Listings", "type:new  type:cross  type:replacement: how arXiv announced it (-type:repl hides replacements)"),
    ("Numbers", "score>=80  upvotes>=5  date>=2026-06-01  date:2026-06"),
    ("Combine", "AND (the default between terms), OR, NOT or -term, and ( parentheses )."),
    ("Marked", "The words of the filter are marked in the list and the detail pane."),
    ("Saved", "{view.save_search} saves the filter under a name (config.toml [searches]); {search.1}… and the "
              "palette run saved searches."),
    ("Days", "{view.day_previous} and {view.day_next} show the previous / next listing date (from all days: the "
             "selected paper's day); {view.all_days} shows every day again; the day and the filter combine; "
             "{view.overview} opens the overview."),
)
"""The filter language, a row per topic; {binding.id} stands for the keys bound to that id now."""

ROW_MARKS = ("★ starred · ● unread, ○ read · ✓ selected (the row is tinted) · 95% relevance score (arXivDaily) · "
             "▲12 upvotes (Hugging Face) · then the listing date, the first category, the title, your tags")
"""The legend of the paper list's row marks."""

Row = tuple[str, str, str]
"""(keys as shown, what they do, binding id)."""


def key_rows(bindings: Sequence[Binding], keymap: Mapping[str, str], show_key) -> list[Row]:
    """One row per binding (keys from the keymap when it names the id); nine bindings that do one
    thing by number (tag 1…9) make one row while the keymap rebinds none of them."""
    rows: list[Row] = []
    seen: set[str] = set()
    for binding in bindings:
        if binding.id is None or binding.id in seen:
            continue
        seen.add(binding.id)
        run = _numbered_run(binding, bindings, keymap)
        if run:
            seen.update(other.id for other in run if other.id)
            keys = f"{show_key(run[0].key)}–{show_key(run[-1].key)}"
            description = binding.description.rstrip("0123456789 ") + f" 1–{len(run)}"
            rows.append((keys, description, f"{run[0].id} … {run[-1].id}"))
            continue
        keys = ", ".join(show_key(key.strip()) for key in keymap.get(binding.id, binding.key).split(","))
        rows.append((keys, binding.description, binding.id))
    return rows


def _numbered_run(first: Binding, bindings: Sequence[Binding], keymap: Mapping[str, str]) -> list[Binding]:
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


def keys_table(groups: Sequence[tuple[str, list[Row]]]) -> Group:
    """A heading per group, then its keys, what they do and the binding id in columns that wrap
    inside themselves (never under the keys); every group's columns line up."""
    rows = [row for _heading, group in groups for row in group]
    keys_width = max((cell_len(keys) for keys, _, _ in rows), default=4)
    id_width = max((cell_len(binding_id) for _, _, binding_id in rows), default=4)
    parts: list[Text | Table] = []
    for number, (heading, group) in enumerate(groups):
        parts.append(Text(("\n" if number else "") + heading, Style(bold=True, underline=True)))
        table = Table(box=None, show_header=False, expand=True, padding=(0, 1), pad_edge=False)
        table.add_column("keys", no_wrap=True, style=Style(bold=True), width=keys_width)
        table.add_column("action", ratio=1)
        table.add_column("id", style=Style(dim=True), overflow="fold", width=id_width)
        for keys, description, binding_id in group:
            table.add_row(Text(clean(keys)), Text(description), Text(binding_id))  # Text: a keymap is never markup
        parts.append(table)
    return Group(*parts)


def filter_table(fill_keys) -> Table:
    """The filter language, its keys as bound now (`fill_keys` replaces each {binding.id})."""
    table = Table(box=None, show_header=False, expand=True, padding=(0, 1), pad_edge=False)
    table.add_column("topic", no_wrap=True, style=Style(bold=True))
    table.add_column("text", ratio=1)
    for topic, text in FILTER_HELP:
        table.add_row(Text(topic), Text(fill_keys(text)))
    return table


class HelpScreen(ModalScreen):
    """Keys and the filter language; esc, q or ? closes it. `groups` are the reader's bindings by
    heading (app.binding_groups()), `keymap` the user's (binding id -> keys)."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 100; max-width: 100%; height: 100%; max-height: 48; border: thick $primary;
                            background: $surface; padding: 0 1; }
    HelpScreen .heading { text-style: bold; margin: 1 0 0 0; }
    HelpScreen #help-title { margin: 0; }
    HelpScreen .hint { color: $text-muted; }
    """

    def __init__(self, groups: Sequence[tuple[str, Sequence[Binding]]], keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.groups = groups
        self.keymap = dict(keymap)

    def show_key(self, key: str) -> str:
        return self.app.get_key_display(Binding(key, ""))

    def keys_of(self, binding_id: str) -> str:
        """The keys bound to one id now, as shown."""
        for _heading, bindings in self.groups:
            for binding in bindings:
                if binding.id == binding_id:
                    keys = self.keymap.get(binding_id, binding.key)
                    return ", ".join(self.show_key(key.strip()) for key in keys.split(","))
        return ""

    def fill_keys(self, text: str) -> str:
        """Text with each {binding.id} replaced by the keys bound to it now."""
        while "{" in text and "}" in text[text.index("{"):]:
            start = text.index("{")
            end = text.index("}", start)
            text = text[:start] + self.keys_of(text[start + 1:end]) + text[end + 1:]
        return text

    def compose(self) -> ComposeResult:
        first, *others = self.keys_of("help.close").split(", ")
        close = f"{first} closes" + (f" ({', '.join(others)} too)" if others else "")
        rows = [(self.fill_keys(heading), key_rows(bindings, self.keymap, self.show_key))
                for heading, bindings in self.groups]
        with Vertical():
            yield Label(Text(f"digest-tui — keys · {clean(close)}"), classes="heading", id="help-title")
            with Pager():
                yield Static(Text("The ids on the right name the keys in config.toml's [keymap] table."),
                             classes="hint")
                yield Static(keys_table(rows), id="help-keys")
                yield Label(Text("The list's row marks"), classes="heading")
                yield Static(Text(ROW_MARKS), id="help-marks")
                yield Label(Text(f"Filter language ({clean(self.keys_of('view.filter'))})"), classes="heading")
                yield Static(filter_table(self.fill_keys), id="help-filter")
                yield Static(Text(f"{self.keys_of('app.palette')} opens the command palette: every action is there."),
                             classes="heading")

    def action_close(self) -> None:
        self.dismiss()
