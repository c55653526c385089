"""The status line under the list: how many papers, the load's progress, and the view (day, list, filter, sort, language)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ..core.model import LANGUAGES
from ..core.text import clean, counted


class StatusLine(Widget):
    """One line of view state; the screen binds its reactives (data_bind) and the line redraws itself."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    shown: reactive[int] = reactive(0)
    """Papers in the list now."""
    total: reactive[int] = reactive(0)
    """Papers loaded."""
    reading_files: reactive[bool] = reactive(False)
    searching: reactive[bool] = reactive(False)
    """A new view's rows are still being selected (the counts are the last view's until they come)."""
    files_read: reactive[int] = reactive(0)
    files_total: reactive[int] = reactive(0)
    day: reactive[str | None] = reactive(None)
    list_name: reactive[str] = reactive("")
    """The reading list whose papers are shown ("" for none)."""
    query_text: reactive[str] = reactive("")
    sort: reactive[str] = reactive("date")
    language: reactive[str] = reactive("en")
    side_by_side: reactive[bool] = reactive(False)
    selected: reactive[int] = reactive(0)
    """Papers selected (space, *)."""
    indexed: reactive[int | None] = reactive(None)
    """The percentage of papers whose texts the filter searched (the text index of a big archive
    is still being written); None: every paper's."""
    filter_error: reactive[str | None] = reactive(None)
    """Why the filter being typed is not valid (the old one stays)."""
    unread: reactive[int | None] = reactive(None)
    """Unread papers of the day shown (None: every day is shown)."""

    def render(self) -> Text:
        text = Text()
        filtered = bool(self.query_text or self.list_name or self.day is not None)
        papers = counted(self.total, "paper")
        text.append(f"{self.shown} of {papers}" if filtered else papers, Style(bold=True))
        if self.selected:
            text.append(f" · {self.selected} selected", Style(bold=True, reverse=True))
        if self.reading_files:
            # (the first file's papers can be in before the others are counted)
            files = f" {self.files_read} of {counted(self.files_total, 'file')}" if self.files_total else ""
            text.append(f" · loading…{files}", Style(italic=True))
        elif self.searching:
            text.append(" · searching…", Style(italic=True))
        if self.day is not None:
            text.append(f" · day: {self.day}", Style(bold=True))
            if self.unread is not None:
                text.append(f" · {self.unread} unread today")
        if self.list_name:
            text.append(f" · list: {clean(self.list_name)}")
        if self.query_text:
            text.append(f" · filter: {clean(self.query_text)}")
            if self.indexed is not None:
                text.append(f" (full text in {self.indexed}% so far: indexing)", Style(italic=True))
        language = LANGUAGES.get(self.language, self.language)
        if self.side_by_side:
            language += "+" + LANGUAGES["zh" if self.language == "en" else "en"]
        text.append(f" · sort: {self.sort} · {language}")
        if self.filter_error:
            text.append(f" · bad filter: {clean(self.filter_error)} (old filter kept)", Style(color="red", bold=True))
        return text
