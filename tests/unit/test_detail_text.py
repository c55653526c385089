"""The detail pane's texts (widgets/paper_detail.py): the notes it shows where a paper has no abstract."""

from __future__ import annotations

from digest_tui.core.model import Paper
from digest_tui.widgets.paper_detail import abstract_text


def test_a_missing_abstract_names_the_key_that_shows_the_other_language():
    paper = Paper("2606.00001", abstract_zh="中文摘要")
    assert abstract_text(paper, "en").plain.endswith("no English abstract in the loaded digests — press l for the other language.")
    assert abstract_text(paper, "en", language_key="^g").plain.endswith("— press ^g for the other language.")
    # side by side, the other language's abstract is beside it: no key to press
    assert abstract_text(paper, "en", language_key=None).plain.endswith("no English abstract in the loaded digests.")
    assert abstract_text(paper, "zh").plain == "摘要 (中文)\n中文摘要"


def test_a_replacement_from_a_listing_says_why_it_has_no_abstract():
    replaced = Paper("2408.06219", title_en="120 Domain-Specific Languages for Security", announce_type="replacement")
    assert abstract_text(replaced, "en").plain == (
        "Abstract (English)\nThis paper has no English abstract in the loaded digests "
        "(arXiv's listings give a replaced paper's title, not its abstract).")
    new = replaced._replace(announce_type="new")
    assert abstract_text(new, "en").plain == "Abstract (English)\nThis paper has no English abstract in the loaded digests."
