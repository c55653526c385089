"""Files cut short inside a multi-byte character: the cut character is lost, the rest is read, and
a warning names the last paper (the one the cut went through), in every text format."""

from __future__ import annotations

import pytest

from digest_tui.core.parsers import DigestError, decode, decode_cut, parse_file


def _cut_inside_last_character(data: bytes) -> tuple[bytes, int]:
    """`data` cut one byte into its last multi-byte UTF-8 character, and where that character starts."""
    start = max(i for i, byte in enumerate(data) if byte >= 0xC0)
    return data[: start + 1], start


TEXT_FIXTURES = {
    "arxivdaily-edge.txt": "2606.20001",  # block 7 repeats the first paper
    "merge-a.txt": "2606.20102",
    "fmt-arxiv-md-post.md": "2607.06666",
    "fmt-arxiv-md-hugo.md": "2607.11003",
    "fmt-hf-cards-2026.html": "2609.40003",
    "fmt-hf-newsletter-zh.md": "2501.03333",
    "fmt-arxivdaily-page.html": None,  # its last paper is whatever the page lists last
}


@pytest.mark.parametrize("name", sorted(TEXT_FIXTURES))
def test_a_cut_loses_only_the_cut_character(fixtures, tmp_path, name):
    data = (fixtures / name).read_bytes()
    cut, start = _cut_inside_last_character(data)
    with pytest.raises(UnicodeDecodeError):
        cut.decode("utf-8")  # what made the whole file refused before
    text, was_cut = decode_cut(cut)
    assert was_cut and text == decode(data[:start])
    path = tmp_path / name
    path.write_bytes(cut)
    result = parse_file(str(path))
    last = TEXT_FIXTURES[name] or result.papers[-1].id
    assert any(last in warning and "cut off" in warning for warning in result.warnings), result.warnings


def test_the_warning_names_the_paper_the_cut_went_through(tmp_path):
    """The cut runs through an HF text entry's Chinese-quoted abstract: that paper is named."""
    page = (
        "Daily Papers\nJun 5\nSmall Models Read Long Manuals\n" + "A long abstract about manuals. " * 8
        + "\n  • 2 authors\n·\nJun 4 3\nSecond Paper Title Here\n" + "Another abstract, quoting «手册». " * 8
    )
    data = page.encode("utf-8")
    path = tmp_path / "hf.txt"
    path.write_bytes(data[:-6])  # inside the last 册
    result = parse_file(str(path))
    assert len(result.papers) == 2
    assert result.warnings[0].startswith("the file ends inside a character (cut off?)")
    assert "'Second Paper Title Here'" in result.warnings[0]


def test_gb18030_and_utf16_cuts_too():
    gb = "标题：稀疏召回".encode("gb18030")
    assert decode_cut(gb[:-1]) == ("标题：稀疏召", True)
    utf16 = "\ufeff摘要".encode("utf-16-le")
    assert decode_cut(utf16[:-1]) == ("\ufeff摘", True) or decode_cut(utf16[:-1])[1]


def test_bytes_that_start_no_character_are_not_a_cut():
    with pytest.raises(DigestError, match="not valid UTF-8 or GB18030"):
        decode(b"plain text then \xff\xff")
    assert decode_cut(b"whole text\n") == ("whole text\n", False)


def test_the_cut_warning_comes_first_and_the_cap_holds():
    from digest_tui.core.parsers import MAX_WARNINGS, first_warning

    few = first_warning("cut", ["a", "b"])
    assert few == ["cut", "a", "b"]
    full = [f"w{i}" for i in range(MAX_WARNINGS)]  # exactly the cap: nothing was hidden yet
    assert first_warning("cut", full) == ["cut", *full[:8], "2 more problems like these not shown"]
    capped = [f"w{i}" for i in range(9)] + ["3 more problems like these not shown"]
    assert first_warning("cut", capped) == ["cut", *capped[:8], "4 more problems like these not shown"]
