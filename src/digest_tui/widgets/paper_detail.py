"""The detail pane: every field of the selected paper, and its abstract in the chosen language(s)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from ..commands import key_of
from ..core.model import Mark
from ..core.model import Paper
from ..core.text import clean
from .highlight import append_marked
from .pager import Pager
from .wrapped import Wrapped

MATCH_STYLE = Style(bold=True, underline=True, bgcolor="yellow", color="black")
"""The filter's words in the text (the widget passes its themed `paper-detail--match` style instead)."""

AUTHORS_SHOWN = 12
AI_SECTION_LABELS = {"motivation": "动机 Motivation", "method": "方法 Method", "result": "结果 Result",
                     "conclusion": "结论 Conclusion"}
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


def _label(text: Text, label: str) -> None:
    text.append(f"{label}: ", Style(bold=True, dim=True))


def _line(text: Text, label: str, value: str | None, style: Style | None = None, words: tuple[str, ...] = (),
          mark: Style = MATCH_STYLE) -> None:
    if value:
        _label(text, label)
        append_marked(text, clean(value, newlines=True), style or Style(), words, mark)
        text.append("\n")


def abstract_text(paper: Paper, language: str, words: tuple[str, ...] = (), mark: Style = MATCH_STYLE,
                  language_key: str | None = "l") -> Text:
    """The abstract block for one language, or a plain note that the paper has none in it (and,
    when the other language has one, that `language_key` shows it; None: it is shown beside);
    the filter's `words` are marked in it."""
    text = Text()
    if language == "zh":
        heading, body, other = "摘要 (中文)", paper.abstract_zh, paper.abstract_en
    else:
        heading, body, other = "Abstract (English)", paper.abstract_en, paper.abstract_zh
    text.append(heading + "\n", Style(bold=True, underline=True))
    if body:
        append_marked(text, clean(body, newlines=True).replace("\n", "\n\n"), None, words, mark)
    else:
        missing = LANGUAGE_NAMES[language]
        note = f"This paper has no {missing} abstract in the loaded digests"
        if other:
            note += f" — press {language_key} for the other language." if language_key else "."
        elif paper.announce_type == "replacement":  # a listing's entry for a new version has none
            note += " (arXiv's listings give a replaced paper's title, not its abstract)."
        else:
            note += "."
        text.append(note, Style(italic=True, dim=True))
    return text


def header_text(paper: Paper, mark: Mark, language: str, all_authors: bool, words: tuple[str, ...] = (),
                match: Style = MATCH_STYLE, replaced: str | None = None, authors_key: str = "A") -> Text:
    """Titles, people, places and the paper's facts, above the abstract; the filter's `words` are
    marked in the titles, authors, institutions, topic and summaries. `replaced`: the day arXiv
    announced this starred paper again as a replacement; `authors_key`: the key that shows all authors."""
    text = Text()
    titles = [paper.title_zh, paper.title_en] if language == "zh" else [paper.title_en, paper.title_zh]
    titles = [t for t in titles if t]
    for index, title in enumerate(titles or [paper.id or "(untitled)"]):
        append_marked(text, clean(title), Style(bold=True) if index == 0 else Style(italic=True), words, match)
        text.append("\n")
    if paper.authors:
        shown = paper.authors if all_authors else paper.authors[:AUTHORS_SHOWN]
        _label(text, "Authors")
        append_marked(text, clean(", ".join(shown)), None, words, match)
        hidden = len(paper.authors) - len(shown)
        if hidden:
            text.append(f" … and {hidden} more ({authors_key} shows all)", Style(italic=True, dim=True))
        text.append("\n")
    elif paper.author_count:
        _line(text, "Authors", f"{paper.author_count} authors (names not in the digest)")
    if paper.institutions:
        _line(text, "Institutions", "; ".join(paper.institutions), words=words, mark=match)
    _line(text, "Organisation", paper.organization, words=words, mark=match)
    facts = []
    if paper.date:
        facts.append(paper.date)
    if paper.categories:
        facts.append(" ".join(paper.categories))
    if paper.score is not None:
        facts.append(f"relevance {paper.score}%")
    if paper.upvotes is not None:
        facts.append(f"▲ {paper.upvotes} upvotes")
    if paper.new_submission:
        facts.append("new submission")
    if paper.announce_type and paper.announce_type != "new":
        facts.append(paper.announce_type)
    if facts:
        text.append(clean(" · ".join(facts)) + "\n", Style(dim=True))
    state = ["★ starred" if mark.starred else "not starred", "read" if mark.read else "unread"]
    text.append(" · ".join(state) + "\n", Style(dim=True))
    if replaced:
        text.append(f"↻ replaced on {replaced}: arXiv announced a new version of this starred paper "
                    "(a revision, a DOI or a journal ref)\n", Style(bold=True, color="yellow"))
    _line(text, "Tags", ", ".join(mark.tags) if mark.tags else None)
    _line(text, "Note", mark.note)
    if paper.topic:
        _line(text, "Topic hit", paper.topic + (f" — {paper.topic_reason}" if paper.topic_reason else ""), words=words,
              mark=match)
    _line(text, "AI总结", paper.summary_zh, words=words, mark=match)
    _line(text, "AI summary", paper.summary_en, words=words, mark=match)
    for name, section in paper.ai_sections:  # the summary's labelled parts, under it
        _line(text, "  " + AI_SECTION_LABELS.get(name, clean(name)), section, words=words, mark=match)
    _line(text, "Keywords", ", ".join(paper.keywords) if paper.keywords else None, words=words, mark=match)
    _line(text, "Comments", paper.comments)
    _line(text, "Journal ref", paper.journal_ref)
    _line(text, "DOI", paper.doi)
    if paper.github_repo:
        stars = f" (★ {paper.github_stars})" if paper.github_stars is not None else ""
        _line(text, "Code", paper.github_repo + stars)
    return text


def footer_text(paper: Paper) -> Text:
    """Where the paper came from and where it lives online."""
    text = Text()
    if paper.url:
        _label(text, "arXiv")
        text.append(paper.url, Style(underline=True, link=paper.url))
        text.append("\n")
    for source in paper.sources:
        _label(text, "Source")
        text.append(f"{clean(source.file)} ({source.format})\n", Style(dim=True))
    return text


class PaperDetail(Pager, can_focus=True):
    """Scrollable details of one paper; `show()` replaces what it shows."""

    COMPONENT_CLASSES = {"paper-detail--match"}

    DEFAULT_CSS = """
    PaperDetail > .paper-detail--match { color: $text; background: $warning 35%; text-style: bold underline; }
    PaperDetail { padding: 0 1; background: $surface; }
    PaperDetail #abstracts { height: auto; margin: 1 0; }
    PaperDetail .abstract { width: 1fr; height: auto; }
    PaperDetail .abstract.-second { margin-left: 2; }
    PaperDetail .-hidden { display: none; }
    """

    def __init__(self, authors_binding: str = "detail.authors", language_binding: str = "view.language", **kwargs) -> None:
        """`authors_binding`, `language_binding`: the ids of the bindings that show all authors and
        the other language where this pane is (the hints name their keys)."""
        super().__init__(**kwargs)
        self.paper: Paper | None = None
        self.authors_binding = authors_binding
        self.language_binding = language_binding

    def compose(self) -> ComposeResult:
        yield Static(id="detail-header")
        with Horizontal(id="abstracts"):
            yield Static(classes="abstract", id="abstract-first")
            yield Static(classes="abstract -second", id="abstract-second")
        yield Static(id="detail-footer")

    def show_message(self, message: str) -> None:
        """A line of plain text instead of a paper."""
        self.query_one("#detail-header", Static).update(Wrapped(Text(message, Style(italic=True, dim=True))))
        for name in ("#abstract-first", "#abstract-second", "#detail-footer"):
            self.query_one(name, Static).update("")
        self.query_one("#abstract-second", Static).set_class(True, "-hidden")

    def show(self, paper: Paper | None, mark: Mark, language: str, all_authors: bool = False,
             words: tuple[str, ...] = (), side_by_side: bool = False, replaced: str | None = None) -> None:
        """Show this paper; `language` (`en` or `zh`) first, and `side_by_side` the other
        language's abstract beside it; `words` (the filter's, casefolded) are marked wherever
        they occur; `replaced`: the day arXiv announced this starred paper again as a replacement."""
        header = self.query_one("#detail-header", Static)
        first = self.query_one("#abstract-first", Static)
        second = self.query_one("#abstract-second", Static)
        footer = self.query_one("#detail-footer", Static)
        if paper is None:
            self.show_message("No paper selected.")
            return
        if self.paper is None or paper.key != self.paper.key:  # the same paper read again keeps its place
            self.scroll_home(animate=False)
        self.paper = paper
        match = self.get_component_rich_style("paper-detail--match")
        authors_key = key_of(self.app, self.authors_binding, "A")
        header.update(Wrapped(header_text(paper, mark, language, all_authors, words, match, replaced, authors_key)))
        if side_by_side:
            other = "en" if language == "zh" else "zh"
            first.update(Wrapped(abstract_text(paper, language, words, match, None)))
            second.update(Wrapped(abstract_text(paper, other, words, match, None)))
            second.set_class(False, "-hidden")
        else:
            language_key = key_of(self.app, self.language_binding, "l")
            first.update(Wrapped(abstract_text(paper, language, words, match, language_key)))
            second.update("")
            second.set_class(True, "-hidden")
        footer.update(Wrapped(footer_text(paper)))
