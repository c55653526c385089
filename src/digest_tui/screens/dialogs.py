"""Small modal dialogs: tags, note, save/export, a path or name prompt, and the list of load problems."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static, TextArea

from ..commands import keys_of
from ..core.model import Problem
from ..core.model import Paper
from ..core.paths import lists_dir
from ..core.text import clean, counted
from ..messages import ReadyForKeys
from ..widgets.inputs import CleanInput, CleanTextArea
from ..widgets.pager import Pager

def _title(paper: Paper | str) -> Label:
    """A paper's title, or a heading for several papers, on one line (cut with `…`)."""
    return Label(Text(clean(paper if isinstance(paper, str) else paper.title)), classes="line")


SHORT_SCREEN = 32
"""Terminals shorter than this get compact dialogs (no padding, a thin border)."""


class DialogButton(Button):
    """A Button whose press the keys typed behind it wait for: the dialog saves (or refuses) and
    closes first, so a `j` behind enter moves the list (see DigestApp.hold_keys_for)."""

    def post_message(self, message: Message) -> bool:
        posted = super().post_message(message)
        if posted and isinstance(message, Button.Pressed):
            self.app.hold_keys_for(message, self)
        return posted


class Dialog(ModalScreen):
    """A centred box that esc closes. A dialog with a TYPING field takes the keys typed while it
    opens: the app holds them from the moment it is pushed, and they go to that field once it has
    the focus (see DigestApp.hold_keys)."""

    BINDINGS = [Binding("escape", "dismiss_dialog", "Close", id="dialog.close")]
    TYPING: str | None = None
    """The selector of the field that takes the keys typed as the dialog opens (None: no field)."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > #box { width: 80; max-width: 100%; height: auto; max-height: 100%; border: thick $primary; background: $surface; padding: 1 2; }
    Dialog #body { height: auto; max-height: 1fr; }
    Dialog.-short > #box { padding: 0 1; border: round $primary; }
    Dialog.-short .heading { margin-bottom: 0; }
    Dialog.-short .buttons { margin-top: 0; }
    Dialog .heading { text-style: bold; margin-bottom: 1; }
    Dialog .hint { color: $text-muted; margin-top: 1; }
    Dialog .buttons { height: auto; margin-top: 1; align-horizontal: right; dock: bottom; }
    Dialog .buttons Button { margin-left: 2; }
    Dialog .error { color: $error; }
    Dialog .line { width: 100%; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def on_resize(self) -> None:
        # a terminal of 24 lines or so: no blank lines around the box's content, so the buttons fit
        self.set_class(self.size.height < SHORT_SCREEN, "-short")

    def on_mount(self) -> None:
        self.set_class(self.app.size.height < SHORT_SCREEN, "-short")
        if self.TYPING is not None:
            self.set_focus(self.query_one(self.TYPING))  # now, not deferred: the held keys follow
        self.post_message(ReadyForKeys())  # the keys typed meanwhile may come (to the app, bubbling)

    def action_dismiss_dialog(self) -> None:
        self.dismiss(None)

    def keys(self, binding_id: str, default: str) -> str:
        """The keys bound to `binding_id` now, as a hint says them (`y or ⏎`): never one the user's keymap took away."""
        return " or ".join(keys_of(self.app, binding_id)) or default


class TagDialog(Dialog):
    """Add or remove tags on one paper (or, given a heading instead, on the selected papers): type a
    tag, or several separated by commas (completion from the tags in use); enter toggles them. The
    dialog stays open for more: each entry goes to `toggle(tags)`, which answers with the tags on
    the paper(s) and the tags in use afterwards; closing dismisses with None."""

    TYPING = "#tag"

    def __init__(self, paper: Paper | str, tags: Sequence[str], known: Sequence[str],
                 toggle: Callable[[list[str]], tuple[Sequence[str], Sequence[str]]]) -> None:
        super().__init__()
        self.paper = paper
        self.tags = list(tags)
        self.known = list(known)
        self.toggle = toggle

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Label("Tags", classes="heading")
            yield _title(self.paper)
            yield Static(id="current")
            yield CleanInput(placeholder="tag, or tags separated by commas; enter adds each, or removes it if present",
                             suggester=SuggestFromList(self.known, case_sensitive=False), id="tag")
            yield Static(id="known", classes="hint")
            yield Label(f"enter on an empty line or {self.keys('dialog.close', 'esc')} closes · → accepts the suggestion", classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_tags()

    def refresh_tags(self) -> None:
        tags, known = self.tags, self.known
        current = Text("On this paper: ")
        current.append(", ".join(clean(t) for t in tags) if tags else "(none)", "bold")
        self.query_one("#current", Static).update(current)
        listing = ", ".join(f"{n}:{clean(t)}" if n <= 9 else clean(t) for n, t in enumerate(known, 1))
        self.query_one("#known", Static).update(Text("In use: " + (listing or "(none yet)")))
        self.query_one("#tag", Input).suggester = SuggestFromList(known, case_sensitive=False)

    @on(Input.Submitted, "#tag")
    def submitted(self, event: Input.Submitted) -> None:
        entered = [tag.strip() for tag in event.value.split(",") if tag.strip()]
        if not entered:
            self.dismiss(None)
            return
        tags, known = self.toggle(list(dict.fromkeys(entered)))
        self.tags, self.known = list(tags), list(known)
        event.input.value = ""
        self.refresh_tags()


class ConfirmDialog(Dialog):
    """A yes/no question on one line: y or enter says yes, n or esc no; dismisses with the answer."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Label(Text(self.question), classes="heading")
            yield Label(f"{self.keys('confirm.yes', 'y or enter')}: yes · {self.keys('confirm.no', 'n')} or {self.keys('dialog.close', 'esc')}: no",
                        classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_dismiss_dialog(self) -> None:
        self.dismiss(False)


class NoteDialog(Dialog):
    """Write or edit the note on one paper; ctrl+s saves, esc cancels."""

    BINDINGS = [Binding("ctrl+s", "save", "Save note", id="note.save")]
    TYPING = "#note"

    def __init__(self, paper: Paper, note: str) -> None:
        super().__init__()
        self.paper = paper
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Label("Note", classes="heading")
            yield _title(self.paper)
            yield CleanTextArea(self.note, id="note", soft_wrap=True)
            yield Label(f"{self.keys('note.save', 'ctrl+s')} saves · {self.keys('dialog.close', 'esc')} cancels · an empty note removes it",
                        classes="hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.styles.height = 8
        area.move_cursor(area.document.end)
        super().on_mount()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)


class PathDialog(Dialog):
    """Ask for a file path; the cursor starts after the path offered (typing adds a file name to a folder)."""

    TYPING = "#path"

    def __init__(self, heading: str, value: str = "") -> None:
        super().__init__()
        self.heading = heading
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Label(self.heading, classes="heading")
            yield CleanInput(self.value, placeholder="path to a file", id="path", select_on_focus=False)
            yield Label(f"enter opens · {self.keys('dialog.close', 'esc')} cancels", classes="hint")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(str(Path(event.value.strip()).expanduser()) if event.value.strip() else None)


class NameDialog(Dialog):
    """Ask for a name (a saved search's): enter saves, esc cancels."""

    TYPING = "#name"

    def __init__(self, heading: str, detail: str, value: str = "", placeholder: str = "name") -> None:
        super().__init__()
        self.heading = heading
        self.detail = detail
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Label(self.heading, classes="heading")
            yield Label(Text(clean(self.detail)), classes="line")  # Text: never markup
            yield CleanInput(self.value, placeholder=self.placeholder, id="name")
            yield Label(f"enter saves · {self.keys('dialog.close', 'esc')} cancels · a name in use is replaced", classes="hint")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        name = " ".join(event.value.split())
        self.dismiss(name or None)


@dataclass(frozen=True)
class ExportRequest:
    """What the export dialog was asked to write: a scope (`starred`, `tag`, `view`), the tag for
    `tag`, the format, the file, and a reading list's name ("" for an export)."""

    scope: str
    tag: str | None
    fmt: str
    path: Path
    name: str = ""


class ExportDialog(Dialog):
    """Save a reading list (TOML) or export papers: pick what (starred, a tag, this view), the format and
    the file; dismisses with an ExportRequest (the caller writes it). `counts` says how many papers
    each choice holds (`starred`, `view`, and `tag:NAME`), so an empty choice is refused here;
    `request` and `error` reopen it as it was, with what went wrong."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="export.save")]
    TYPING = "#path"

    def __init__(self, *, reading_list: bool, tags: Sequence[str], counts: Mapping[str, int],
                 request: ExportRequest | None = None, error: str = "") -> None:
        super().__init__()
        self.reading_list = reading_list
        self.tags = list(tags)
        self.counts = dict(counts)
        self.request = request
        self.error = error

    def compose(self) -> ComposeResult:
        from ..core.export import FORMATS, SCOPES  # (the exports are not on the way to the first paint)

        tags, request = self.tags, self.request
        selected = self.counts.get("selected", 0)
        # the selection, else the starred papers, else (none starred yet) the papers shown: never an empty choice first
        counts = self.counts
        scope = request.scope if request is not None else "selected" if selected else "starred" if counts.get("starred") else "view"
        with Vertical(id="box"):
            yield Label("Save a reading list" if self.reading_list else "Export papers", classes="heading")
            with VerticalScroll(id="body"):
                with RadioSet(id="scope"):
                    if selected:
                        yield RadioButton(f"The selected papers ({selected})", value=scope == "selected",
                                          id="scope-selected")
                    for name, label in SCOPES.items():  # starred, tag, view
                        count = "" if name == "tag" else f" ({counts.get(name, 0)})"
                        yield RadioButton(label + count, value=scope == name, id=f"scope-{name}",
                                          disabled=name == "tag" and not tags)
                tag = request.tag if request is not None and request.tag in tags else Select.NULL
                yield Select([(Text(clean(t)), t) for t in tags], prompt="tag", value=tag, id="tag",  # Text: never markup
                             disabled=not tags)
                if not self.reading_list:
                    fmt = request.fmt if request is not None else "bib"
                    yield Select([(f.label, f.name) for f in FORMATS], value=fmt, allow_blank=False, id="format")
                else:
                    yield CleanInput(request.name if request is not None else self.default_name(),
                                     placeholder="list name", id="name")
                yield CleanInput(str(request.path) if request is not None else self.default_path(), placeholder="file",
                                 id="path")
                yield Static(Text(self.error), id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield DialogButton("Cancel", id="cancel")
                yield DialogButton("Save", variant="primary", id="save")

    def default_name(self) -> str:
        return f"reading list {datetime.now():%Y-%m-%d}"

    def _format(self) -> str:
        return "toml" if self.reading_list else str(self.query_one("#format", Select).value)

    def default_path(self, fmt: str = "bib") -> str:
        if self.reading_list:
            return str(lists_dir() / f"{datetime.now():%Y-%m-%d}-reading-list.toml")
        from ..core.export import file_name

        return str(Path.cwd() / file_name("digest-export", fmt))

    @on(Select.Changed, "#format")
    def format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        current = Path(path.value)
        from ..core.export import with_format

        path.value = str(with_format(current, str(event.value)))

    def on_mount(self) -> None:
        super().on_mount()
        if self.error:
            self.call_after_refresh(self.query_one("#error").scroll_visible, animate=False)

    def refuse(self, message: str) -> None:
        """Say why nothing is saved, scrolled into sight (the fields scroll on a short terminal)."""
        error = self.query_one("#error", Static)
        error.update(Text(message))
        self.call_after_refresh(error.scroll_visible, animate=False)

    @on(Button.Pressed, "#cancel")
    def cancelled(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        scope_set = self.query_one("#scope", RadioSet)
        pressed = scope_set.pressed_button
        scope = (pressed.id or "scope-starred").removeprefix("scope-") if pressed else "starred"
        tag = self.query_one("#tag", Select).value if scope == "tag" else None
        if scope == "tag" and not isinstance(tag, str):
            self.refuse("Choose a tag.")
            return
        if not self.counts.get(f"tag:{tag}" if scope == "tag" else scope, 0):
            self.refuse("Nothing to save: no papers in that choice.")
            return
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not path.name:
            self.refuse("Give a file name.")
            return
        name = self.query_one("#name", Input).value.strip() if self.reading_list else ""
        self.dismiss(ExportRequest(scope, tag if isinstance(tag, str) else None, self._format(), path, name))


class ProblemsDialog(Dialog):
    """The files that could not be read, one line each."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Label(counted(len(self.problems), "load problem"), classes="heading")
            with Pager():
                yield Static(Text("\n".join(clean(str(p)) for p in self.problems)))
            yield Label(f"{self.keys('dialog.close', 'esc')} closes", classes="hint")
