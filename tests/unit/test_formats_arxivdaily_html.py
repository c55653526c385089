"""arXivDaily pages saved as HTML: their visible text read as the arXivDaily text format.
Expected values were written by reading the fixture page."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from digest_tui.core.model import Source
from digest_tui.core.parsers import DigestError, arxivdaily_html, parse_file, parse_text

DAY = dt.date(2026, 7, 20)


@pytest.fixture
def page(fixtures):
    return fixtures / "fmt-arxivdaily-page.html"


def test_saved_page(page):
    result = parse_file(str(page))
    assert result.format == "arxivdaily-html"
    assert result.warnings == []
    assert [p.id for p in result.papers] == ["2607.07001", "2512.20002", "2607.07333"]
    knn, curriculum, dialect = result.papers
    assert knn.sources == (Source(str(page), "arxivdaily-html"),)
    assert all(p.sources is knn.sources for p in result.papers)
    assert knn.date == "2026-07-09"
    assert knn.categories == ("cs.CL", "cs.IR")
    assert (knn.new_submission, knn.score) == (True, 88)
    assert knn.title_en == "Scaling $k$-NN Language Models to $10^{12}$ Tokens with Product-Quantised Datastores"
    assert knn.title_zh == "将 $k$-NN 语言模型扩展到 $10^{12}$ 词元：乘积量化数据存储"
    assert knn.authors == ("Ingrid Solberg", "Rafael Mendes", "Yusuf Demir", "Chen Jiayi")  # &nbsp; is a space
    assert knn.institutions == ("University of Bergen(卑尔根大学)", "IST Lisbon(里斯本高等理工学院)")
    assert (knn.topic, knn.topic_reason) == ("检索增强", "用乘积量化扩展kNN-LM数据存储")
    assert knn.summary_zh == "将kNN-LM的数据存储扩展到万亿词元，困惑度持续下降，索引可放入单机内存。"
    assert knn.comments == "14 pages, 5 figures"
    assert knn.abstract_zh.startswith("检索增强的 $k$-NN 语言模型把下一个词元的分布与数据存储中的近邻插值。")
    # the <p> is wrapped over three source lines and holds &amp;
    assert knn.abstract_en == (
        "Retrieval-augmented $k$-NN language models interpolate the next-token distribution with neighbours "
        "from a datastore. We scale the datastore to $10^{12}$ tokens with product quantisation & show "
        "perplexity keeps falling."
    )
    assert curriculum.id == "2512.20002"  # "2512.20002v3" on the page
    assert (curriculum.new_submission, curriculum.score) == (None, None)
    assert curriculum.journal_ref == "Transactions on Machine Learning Research, 2026"
    assert dialect.title_zh is None and dialect.abstract_zh is None
    # <br> is a line break; the pager after the last abstract is navigation, not abstract text
    assert dialect.abstract_en == "Speech translation systems degrade on dialects.\nWe measure how much."


def test_scripts_styles_and_page_chrome_are_not_read(page):
    ids = {p.id for p in parse_file(str(page)).papers}
    assert "2607.99999" not in ids  # only inside a <script>
    assert "2607.88888" not in ids  # only inside the page <footer>
    text = arxivdaily_html.visible_text(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
    assert "querySelectorAll" not in text and "border-bottom" not in text
    assert "专题追踪" not in text  # nav link
    assert "2607.07001 2026-07-09 cs.CL cs.IR 新提交 88%" in text.split("\n")  # a card's own <header> is content


def test_visible_text_blocks_and_inline():
    soup = BeautifulSoup(
        "<div>one <b>bold</b>\n   word</div><p>para<br>next</p><ul><li>a</li><li>b</li></ul>"
        "<table><tr><td>x</td><td>y</td></tr></table><!-- hidden comment -->",
        "html.parser",
    )
    assert arxivdaily_html.visible_text(soup) == "one bold word\npara\nnext\na\nb\nx y\n"


def test_arxivdaily_page_without_papers_is_an_error():
    empty = (
        "<!DOCTYPE html><html><head><title>arXivDaily</title></head><body><main>"
        "<div>arXivDaily arXiv每日学术速递</div><div>今日暂无更新 2607.00001 2026-07-09</div></main></body></html>"
    )
    assert arxivdaily_html.sniff(empty)
    with pytest.raises(DigestError, match="lists no papers"):
        arxivdaily_html.parse(empty, "empty.html", DAY)


def test_html_that_is_not_a_digest():
    page = "<!DOCTYPE html><html><body><nav>arXivDaily</nav><p>A blog post about reading papers.</p></body></html>"
    assert not arxivdaily_html.sniff(page)
    with pytest.raises(DigestError, match="not a digest"):
        parse_text(page, "blog.html")
