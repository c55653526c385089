"""The filter's words are marked in the list's titles and in the detail pane, in both languages."""

from __future__ import annotations

from support.app_support import demo_app, main_screen, press, started, type_text
from rich.text import Text
from textual.widgets import Static

from digest_tui.widgets.highlight import mark_words, match_spans
from digest_tui.widgets.wrapped import Wrapped


def marked(text, style) -> list[str]:
    """The pieces of `text` (a Rich Text, the Content a Static renders, or the Wrapped text of the
    detail pane) carrying the match style, known by its background."""
    if isinstance(text, Wrapped):
        text = text.text
    if isinstance(style, str):
        return [text.plain[span.start:span.end] for span in text.spans if span.style == style]
    pieces = []
    for span in text.spans:
        rich = getattr(span.style, "rich_style", span.style)
        if getattr(rich, "bgcolor", None) == style.bgcolor and style.bgcolor is not None:
            pieces.append(text.plain[span.start:span.end])
    return pieces


def test_match_spans_case_phrases_and_chinese():
    assert match_spans("Agents and AGENTIC agent", ["agent"]) == [(0, 5), (11, 16), (19, 24)]
    assert match_spans("data\nmixing and data  mixing", ["data mixing"]) == [(0, 11), (16, 28)]
    assert match_spans("大规模预训练数据的预训练", ["预训练"]) == [(3, 6), (9, 12)]
    assert match_spans("nothing here", ["agent"]) == [] and match_spans("", ["x"]) == []
    assert match_spans("a (b) [c]", ["(b)", "[c]"]) == [(2, 5), (6, 9)]  # regex characters are literal


def test_a_character_that_grows_when_folded_does_not_shift_the_marks():
    text = "Die Straße der Agenten"  # ß casefolds to ss: indexes of the folded text would be off by one
    assert [text[a:b] for a, b in match_spans(text, ["agent"])] == ["Agent"]


def test_mark_words_only_inside_the_range():
    text = Text("Authors: Agent Smith")
    mark_words(text, ["authors", "agent"], "bold", start=9)
    assert marked(text, "bold") == ["Agent"]


async def test_the_list_and_the_detail_mark_the_filter_words_in_both_languages():
    app = demo_app()
    async with started(app) as pilot:
        screen = main_screen(app)
        await press(pilot, "slash")
        await type_text(pilot, "agent OR 智能体 -survey")
        await press(pilot, "enter")
        papers = screen.paper_list
        assert papers.words == ("agent", "智能体")
        list_match = papers.get_component_rich_style("paper-list--match")
        row = papers.row_text(papers.rows[0], 120)
        assert "Agent" in marked(row, list_match)
        detail_match = screen.detail.get_component_rich_style("paper-detail--match")
        header = screen.detail.query_one("#detail-header", Static).render()
        abstract = screen.detail.query_one("#abstract-first", Static).render()
        assert "Agent" in marked(header, detail_match)  # in the English title
        assert "智能体" in marked(header, detail_match)  # in the topic and the Chinese summary
        assert "agent" in marked(abstract, detail_match)
        assert "Authors" not in "".join(marked(header, detail_match))
        await press(pilot, "l")  # Chinese: the Chinese abstract is marked too
        index = next(i for i, row in enumerate(papers.rows) if "智能体" in (app.store.papers[row].abstract_zh or ""))
        await press(pilot, *["down"] * index)
        abstract = screen.detail.query_one("#abstract-first", Static).render()
        assert "智能体" in marked(abstract, detail_match)
        await press(pilot, "escape")  # no filter: nothing marked
        assert papers.words == ()
        header = screen.detail.query_one("#detail-header", Static).render()
        assert marked(header, detail_match) == []
        assert marked(papers.row_text(papers.rows[0], 120), list_match) == []


async def test_field_values_are_marked_but_not_negated_words():
    app = demo_app()
    async with started(app) as pilot:
        screen = main_screen(app)
        await press(pilot, "slash")
        await type_text(pilot, 'title:"tool use" NOT api')
        await press(pilot, "enter")
        assert screen.paper_list.words == ("tool use",)
