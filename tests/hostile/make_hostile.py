"""Write the hostile corpus in this folder: `python tests/hostile/make_hostile.py`.

Every file is small and made up (no real papers). What each one must give is in
tests/robustness/test_hostile_files.py; what each one is, is in README.md here. Big files, symlink loops,
sockets, FIFOs and unreadable files are made by the tests themselves in a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

ESCAPES = (
    "\x1b[2J\x1b[1;1H"  # clear the screen, cursor home
    "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\"  # OSC 8 hyperlink
    "\x1b]52;c;cm0gLXJmIH4vKgo=\x07"  # OSC 52: write the clipboard
    "\x07\x07"  # bells
    "ab\x08\x08XY"  # backspaces overwrite
    "\x9b31m"  # C1 CSI
    "\x7f\x0c\x0b"  # DEL, form feed, vertical tab (a NUL would make the file "binary")
)
MARKUP = "[bold red]Owned[/bold red] [link=https://evil.example]click[/link] [@click=app.quit]quit[/] [/] [reverse]"
BIDI = "Invoice\u202etxt.exe\u202c \u2066isolated\u2069 zero\u200bwidth\u200djoin\ufeffbom\u00adsoft \U000e0041\U000e0042tags"


def block(arxiv_id: str, title_en: str, title_zh: str, abstract_zh: str, abstract_en: str, extra: str = "",
          institutions: str = "Harbourview University(港景大学)") -> str:
    return (
        f"{arxiv_id} 2026-06-18 cs.CL 新提交 80%\n\n{title_en}\n\n{title_zh}\n\nAda Lovelace, Alan Turing\n\n"
        f"发表机构 * {institutions}\n\n专题命中 预训练 :测试用例\n\nAI总结 一句话总结。\n\n"
        f"{extra}详情\nAI中文摘要\n\n{abstract_zh}\n\n英文摘要\n\n{abstract_en}\n"
    )


def page(*blocks: str) -> str:
    header = "arXivDaily arXiv每日学术速递 周一至周五更新\n\n语言大模型 / LLM\n\n今日/当前日期收录 2 信号源:cs.CL\n"
    return header + "".join(blocks)


ZH = "我们提出一种方法。它在基准上表现良好。"
EN = "We propose a method.\nIt does well on the benchmark, with a second paragraph."


def plain(prefix: str) -> str:
    """A clean two-paper page whose ids start with `prefix` (each file gets its own ids)."""
    return page(
        block(f"2606.{prefix}01", "Sparse Lexicons for Retrieval", "用于检索的稀疏词表", ZH, EN),
        block(f"2606.{prefix}02", "Gradient Noise in Transformers", "Transformer 中的梯度噪声 𠀀", ZH, EN),
    )


def hf_text(titles: list[str]) -> str:
    abstract = "An abstract that is long enough to be told apart from a title. " * 4
    entries = "".join(f"{t}\n{abstract}\n  • 3 authors\n·\nJun 17 5\n" for t in titles)
    return f"Daily Papers\nJun 18\n{entries}"


def main() -> None:
    files: dict[str, bytes] = {}

    def text(name: str, value: str, encoding: str = "utf-8") -> None:
        files[name] = value.encode(encoding)

    # untrusted text in every field
    text(
        "markup-in-fields.txt",
        page(
            block("2606.31001", MARKUP, f"标题 {MARKUP}", f"摘要 {MARKUP}", f"Abstract {MARKUP}", f"Comments {MARKUP}\n\n"),
            block("2606.31002", "Plain Title [not markup", "普通标题", ZH, EN),
        ),
    )
    text(
        "escapes-in-fields.txt",
        page(
            block("2606.32001", f"Title {ESCAPES} end", f"标题 {ESCAPES}", f"摘要 {ESCAPES}", f"Abstract {ESCAPES} end"),
            block("2606.32002", "Plain", "普通", ZH, EN),
        ),
    )
    text("bidi-zero-width.txt", hf_text([f"Title {BIDI}", "A Plain Title On Hugging Face"]))
    files["lone-surrogate.json"] = json.dumps(
        [
            {
                "paper": {
                    "id": "2606.33001",
                    "title": "Lone \ud800 surrogate and a broken pair \ud83d in a title",
                    "summary": "Abstract with \udfff inside.",
                    "upvotes": 3,
                    "authors": [{"name": "Ana \udc00 Lima"}],
                    "ai_keywords": ["\ud800"],
                }
            }
        ],
        ensure_ascii=True,  # the file itself is plain ASCII: the surrogates are `\\ud800` escapes
    ).encode("ascii")

    # files that are not text, or not a digest
    files["empty.txt"] = b""
    files["whitespace-only.txt"] = b"\n \t\r\n\n"
    files["binary.png"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00" + bytes(range(256))
    files["not-utf8-nor-gb18030.txt"] = b"2606.12345 2026-06-18 cs.CL\n\x80\x80\x80\xff\xfe\xfd invalid in both\n"
    text("json-not-hf.json", '{"hello": "world", "paper": 1, "upvotes": 2}\n')
    text("truncated-api.json", '[{"paper": {"id": "2606.34001", "title": "Cut", "upvotes": 1, "summary": "An abs')

    # encodings and line ends: each must parse exactly like the UTF-8/LF version
    text("encoding-utf8.txt", plain("40"))
    files["encoding-utf8-bom.txt"] = b"\xef\xbb\xbf" + plain("41").encode("utf-8")
    text("encoding-utf16le-bom.txt", "\ufeff" + plain("42"), "utf-16-le")
    text("encoding-utf16be-bom.txt", "\ufeff" + plain("43"), "utf-16-be")
    text("encoding-gb18030.txt", plain("44"), "gb18030")  # 𠀀 needs GB18030's four-byte form
    text("encoding-gbk.txt", plain("45").replace(" 𠀀", ""), "gbk")
    text("line-ends-crlf.txt", plain("46").replace("\n", "\r\n"))
    text("line-ends-cr.txt", plain("47").replace("\n", "\r"))

    # pages that are cut off or mangled
    whole = page(
        block("2606.35001", "Whole Paper One", "完整论文一", ZH, EN),
        block("2606.35002", "Whole Paper Two", "完整论文二", ZH, EN),
        block("2606.35003", "Cut Off Paper", "被截断的论文", ZH, EN),
    )
    text("truncated-page.txt", whole[: whole.index("它在基准", whole.index("被截断的论文"))])
    text(
        "labels-missing.txt",
        page(
            block("2606.36001", "Labels Present", "有标签", ZH, EN),
            block("2606.36002", "Labels Missing", "没有标签", ZH, EN).replace("详情\nAI中文摘要\n\n", "").replace("英文摘要\n\n", ""),
        ),
    )
    swapped = block("2606.37002", "Labels Swapped", "标签颠倒", EN, ZH)  # English text under the Chinese label
    reordered = (
        "2606.37001 2026-06-18 cs.CL\n\nLabels Out Of Order\n\n标签顺序颠倒\n\nAda Lovelace\n\n"
        f"详情\n英文摘要\n\n{EN}\n\nAI中文摘要\n\n{ZH}\n"
    )
    text("labels-out-of-order.txt", page(reordered, swapped))
    text(
        "duplicate-ids.txt",
        page(
            block("2606.38001", "First Title", "第一个标题", ZH, EN),
            block("2606.38001", "Another Title For The Same Id", "另一个标题", ZH, EN),
            block("2606.38002", "Listed Twice, Same Title", "重复", ZH, EN),
            block("2606.38002", "Listed Twice, Same Title", "重复", ZH, EN),
        ),
    )
    text(
        "duplicate-id-institutions.txt",  # cold and warm starts once disagreed on which list won
        page(
            block("2606.38101", "Twice With Other Institutions", "两次", ZH, EN),
            block("2606.38101", "Twice With Other Institutions", "两次", ZH, EN,
                  institutions="Quayside Institute(码头研究所) Harbourview University(港景大学) Old Mill College(旧磨坊学院)"),
            block("2606.38102", "Twice, As Many Institutions", "两次", ZH, EN, institutions="Quayside Institute(码头研究所)"),
            block("2606.38102", "Twice, As Many Institutions", "两次", ZH, EN, institutions="Old Mill College(旧磨坊学院)"),
        ),
    )

    # HTML: scripts, broken nesting, an unclosed quote, a truncated page
    card = (
        '<article class="card"><h3><a href="/papers/2606.{id}">{title}</a></h3>'
        '<p class="line-clamp-2">{abstract}</p><div class="font-semibold text-orange-500">7</div></article>\n'
    )
    long_abstract = "Several sentences of abstract. They go on. And on, so this is not one sentence. " * 3
    text(
        "html-scripts.html",
        '<!doctype html><html><head><title>Daily Papers - Hugging Face</title>'
        "<script>document.write('<h3><a href=\"/papers/2606.39999\">Injected By Script</a></h3>')</script>"
        "<style>h3::after { content: '<h3><a href=\"/papers/2606.39998\">Injected By Style</a></h3>' }</style>"
        '</head><body onload="alert(1)"><a href="https://huggingface.co/papers">Papers</a>\n'
        + card.format(id="39001", title="A Card <script>alert(2)</script>Title", abstract=long_abstract)
        + card.format(id="39002", title='Second <img src=x onerror="alert(3)">Card', abstract=long_abstract)
        + "<noscript><h3><a href=\"/papers/2606.39997\">In Noscript</a></h3></noscript>"
        + "</div>\n",
    )
    text(
        "html-scripts-arxivdaily.html",
        "<!doctype html><html><head><title>arXivDaily arXiv每日学术速递</title>"
        "<script>var s = '2606.39990 2026-06-18 cs.CL 新提交 99%<br>Injected<br>英文摘要<br>must not be read';</script>"
        "</head><body><main><article>"
        "<header>2606.39101 2026-06-18 cs.CL 新提交 70%</header><h4>Visible Title</h4><div>可见标题</div>"
        "<div>Ada Lovelace</div><div>详情</div><div>AI中文摘要</div><p>中文摘要。<script>alert('在摘要里')</script></p>"
        "<div>英文摘要</div><p>English abstract.<style>p{}</style><iframe src=x>iframe text</iframe></p>"
        "</article></main></body></html>\n",
    )
    text(
        "html-broken-nesting.html",
        '<!doctype html><html><body><a href="https://huggingface.co/papers">Papers</a>\n'
        '<div class="grid"><article><div><h3><a href="/papers/2606.39201">Unclosed Div Card</a></h3>'
        f'<p class="line-clamp-2">{long_abstract}<div><span></article>\n'
        '</p></div></h3><article><h3><a href="/papers/2606.39202">Misnested </b>Card</i></a></h3>'
        f'<p class="line-clamp-2">{long_abstract}</span></td></tr></table></article></div></div></div>\n'
        '<article><h3><a href="/papers/2606.39203">Card In A Stray Table</h3></a><table><tr><td>'
        f'<p class="line-clamp-2">{long_abstract}</p></article>\n',
    )
    text(
        "html-unclosed-quote.html",
        '<!doctype html><html><body><a href="https://huggingface.co/papers">Papers</a>\n'
        + card.format(id="39301", title="Before The Broken Tag", abstract=long_abstract)
        + '<div class="SVELTE_HYDRATER" data-target="DailyPapers" data-props="{&quot;dailyPapers&quot;: ['
        + card.format(id="39302", title="After The Broken Tag", abstract=long_abstract),
    )
    text(
        "html-xml-declaration.html",  # bs4 prints a 12-line XMLParsedAsHTMLWarning for this
        '<?xml version="1.0" encoding="utf-8"?>\n<!-- a page fragment saved as XHTML: no <html> root -->\n<div class="papers">'
        '<a href="https://huggingface.co/papers">Papers</a>\n'
        + card.format(id="39401", title="An XHTML Page", abstract=long_abstract)
        + "</div>\n",
    )
    arxivdaily_html = (HERE.parent / "fixtures" / "fmt-arxivdaily-page.html").read_text(encoding="utf-8")
    # cut inside the tag before the second paper's English abstract: `<div cla`
    cut = arxivdaily_html.index("英文摘要", arxivdaily_html.index('data-id="2512.20002"'))
    cut = arxivdaily_html.rindex("<div", 0, cut) + len("<div cla")
    text("truncated-page.html", arxivdaily_html[:cut])

    for old in HERE.iterdir():
        if old.name not in ("make_hostile.py", "README.md") and old.is_file():
            old.unlink()
    for name, data in sorted(files.items()):
        (HERE / name).write_bytes(data)
        print(f"{len(data):7,} {name}")


if __name__ == "__main__":
    main()
