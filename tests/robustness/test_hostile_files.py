"""Bad input files: each gets one line naming the file and the reason, the others still load, no traceback.

The committed corpus is tests/hostile (see its README); files too big or too special to commit
(100 MB, symlink loops, sockets, FIFOs, unreadable files, deep nesting) are made here in tmp.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from digest_tui.core.loading.session import load
from digest_tui.core.parsers import DigestError, parse_file, parse_text
from digest_tui.core.text import clean

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"
sys.path.insert(0, str(HOSTILE))
import make_hostile  # noqa: E402  (the corpus's own strings, to compare with)

sys.path.remove(str(HOSTILE))


@dataclass(frozen=True)
class Expect:
    papers: int = 0
    """Papers in the store after loading the file alone (0: the file is refused)."""
    problems: tuple[str, ...] = ()
    """The reasons reported for the file, in order; one ending in `…` is a prefix."""
    format: str | None = None


EN_CUT = "has no English abstract (cut off?); kept what there is"
GUESSED = "abstract labels missing or swapped; told the abstracts apart by language"
EXPECTED = {
    "markup-in-fields.txt": Expect(2, format="arxivdaily"),
    "escapes-in-fields.txt": Expect(2, format="arxivdaily"),
    "bidi-zero-width.txt": Expect(2, format="hf-text"),
    "lone-surrogate.json": Expect(1, format="hf-api-json"),
    "empty.txt": Expect(problems=("empty file",)),
    "whitespace-only.txt": Expect(problems=("empty file",)),
    "binary.png": Expect(problems=("binary file, not a digest",)),
    "not-utf8-nor-gb18030.txt": Expect(problems=("not valid UTF-8 or GB18030 text",)),
    "json-not-hf.json": Expect(
        problems=('JSON, but not a Hugging Face daily papers listing: no entry has a "paper" object with a title',)
    ),
    "truncated-api.json": Expect(problems=("malformed JSON: Unterminated string…",)),
    "encoding-utf8.txt": Expect(2, format="arxivdaily"),
    "encoding-utf8-bom.txt": Expect(2, format="arxivdaily"),
    "encoding-utf16le-bom.txt": Expect(2, format="arxivdaily"),
    "encoding-utf16be-bom.txt": Expect(2, format="arxivdaily"),
    "encoding-gb18030.txt": Expect(2, format="arxivdaily"),
    "encoding-gbk.txt": Expect(2, format="arxivdaily"),
    "line-ends-crlf.txt": Expect(2, format="arxivdaily"),
    "line-ends-cr.txt": Expect(2, format="arxivdaily"),
    "truncated-page.txt": Expect(3, (f"paper 2606.35003 {EN_CUT}",), "arxivdaily"),
    "truncated-page.html": Expect(2, (f"paper 2512.20002 {EN_CUT}",), "arxivdaily-html"),
    "labels-missing.txt": Expect(2, (f"paper 2606.36002: {GUESSED}",), "arxivdaily"),
    "labels-out-of-order.txt": Expect(2, (f"paper 2606.37002: {GUESSED}",), "arxivdaily"),
    "duplicate-ids.txt": Expect(
        2, ("paper 2606.38001 is listed again with another title; merged, the first title kept",), "arxivdaily"
    ),
    "duplicate-id-institutions.txt": Expect(2, format="arxivdaily"),
    "html-scripts.html": Expect(2, format="hf-html"),
    "html-scripts-arxivdaily.html": Expect(1, format="arxivdaily-html"),
    "html-broken-nesting.html": Expect(3, format="hf-html"),
    "html-xml-declaration.html": Expect(1, ("starts like an XML document (<?xml …?>); read as HTML",), "hf-html"),
    "html-unclosed-quote.html": Expect(
        2, ("the DailyPapers data-props is not valid JSON (…",), "hf-html"
    ),
}


def matches(reasons: list[str], expected: tuple[str, ...]) -> bool:
    if len(reasons) != len(expected):
        return False
    return all(r.startswith(e[:-1]) if e.endswith("…") else r == e for r, e in zip(reasons, expected))


def test_every_corpus_file_has_an_expected_outcome():
    on_disk = {p.name for p in HOSTILE.iterdir() if p.suffix not in (".py", ".md") and p.is_file()}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_through_the_loader(name):
    expect = EXPECTED[name]
    path = HOSTILE / name
    store, report = load([path])
    reasons = [problem.reason for problem in report.problems]
    assert matches(reasons, expect.problems), reasons
    assert all(problem.path == str(path) for problem in report.problems)
    for reason in reasons:
        assert reason.isprintable() and "\n" not in reason
    assert len(store.papers) == expect.papers
    assert report.files == (1 if expect.papers else 0)
    if expect.format:
        assert {s.format for p in store.papers for s in p.sources} == {expect.format}
    for paper in store.papers:
        for value in paper:
            for text in value if isinstance(value, tuple) else (value,):
                if isinstance(text, str):
                    text.encode("utf-8")  # no lone surrogates: everything downstream can write it


def _papers(name: str):
    return load([HOSTILE / name])[0].papers


def _controls(text: str) -> list[str]:
    import unicodedata

    return [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") and ch != "\n"]


def test_markup_is_kept_as_literal_text():
    first = _papers("markup-in-fields.txt")[0]
    assert first.title_en == make_hostile.MARKUP
    assert first.comments == make_hostile.MARKUP
    assert first.abstract_en == f"Abstract {make_hostile.MARKUP}"


def test_escape_sequences_are_kept_in_the_model_and_made_visible_by_clean():
    first = _papers("escapes-in-fields.txt")[0]
    assert "\x1b]52;c;" in first.title_en and "\x07" in first.title_en  # the model keeps what the file said
    for text in (first.title_en, first.title_zh, first.abstract_en, first.abstract_zh):
        shown = clean(text, newlines=True)
        assert not _controls(shown), repr(shown)
        assert "␛]52;c;" in shown or "␛]52;c;" in shown.replace("\n", "")
    assert clean(first.title_en).startswith("Title ␛[2J␛[1;1H␛]8;;https://evil.example/␛\\click me")


def test_bidi_zero_width_and_tag_characters_are_removed_by_clean():
    first = _papers("bidi-zero-width.txt")[0]
    assert "\u202e" in first.title_en
    shown = clean(first.title_en)
    assert not _controls(shown)
    assert shown == "Title Invoicetxt.exe isolated zerowidthjoinbomsoft tags"


def test_lone_surrogates_from_json_escapes_become_replacement_characters():
    [paper] = _papers("lone-surrogate.json")
    assert paper.title_en == "Lone \ufffd surrogate and a broken pair \ufffd in a title"
    assert paper.abstract_en == "Abstract with \ufffd inside."
    assert paper.authors == ("Ana \ufffd Lima",)
    assert paper.keywords == ("\ufffd",)


def _content(paper) -> tuple:
    return (paper.title_en, paper.title_zh, paper.authors, paper.abstract_en, paper.abstract_zh, paper.institutions)


@pytest.mark.parametrize(
    "name",
    [
        "encoding-utf8-bom.txt", "encoding-utf16le-bom.txt", "encoding-utf16be-bom.txt", "encoding-gb18030.txt",
        "line-ends-crlf.txt", "line-ends-cr.txt",
    ],
)  # fmt: skip
def test_encodings_and_line_ends_parse_like_utf8_with_lf(name):
    assert [_content(p) for p in _papers(name)] == [_content(p) for p in _papers("encoding-utf8.txt")]
    assert "\n" in _papers(name)[0].abstract_en  # the paragraph break survived CR/CRLF


def test_gbk_parses_too():
    titles = [p.title_zh for p in _papers("encoding-gbk.txt")]
    assert titles == ["用于检索的稀疏词表", "Transformer 中的梯度噪声"]


def test_a_page_cut_mid_block_keeps_what_is_whole():
    one, two, cut = _papers("truncated-page.txt")
    assert one.abstract_en == two.abstract_en == make_hostile.EN
    assert cut.title_en == "Cut Off Paper" and cut.abstract_en is None and cut.abstract_zh == "我们提出一种方法。"


def test_abstract_labels_missing_swapped_or_out_of_order():
    for name in ("labels-missing.txt", "labels-out-of-order.txt"):
        for paper in _papers(name):
            assert paper.abstract_en == make_hostile.EN, (name, paper.title_en)
            assert paper.abstract_zh == make_hostile.ZH, (name, paper.title_en)


def test_duplicate_ids_merge_into_one_paper():
    papers = {p.id: p for p in _papers("duplicate-ids.txt")}
    assert set(papers) == {"2606.38001", "2606.38002"}
    assert papers["2606.38001"].title_en == "First Title"


def test_scripts_styles_and_noscript_are_not_read():
    papers = _papers("html-scripts.html") + _papers("html-scripts-arxivdaily.html")
    assert {p.id for p in papers} == {"2606.39001", "2606.39002", "2606.39101"}
    for paper in papers:
        for text in (paper.title_en, paper.abstract_en, paper.abstract_zh):
            assert text is None or ("alert" not in text and "Injected" not in text and "iframe" not in text)


def test_broken_nesting_and_an_unclosed_quote_still_give_the_cards():
    assert sorted(p.title_en for p in _papers("html-broken-nesting.html")) == [
        "Card In A Stray Table", "Misnested Card", "Unclosed Div Card",
    ]  # fmt: skip
    assert sorted(p.title_en for p in _papers("html-unclosed-quote.html")) == [
        "After The Broken Tag", "Before The Broken Tag",
    ]  # fmt: skip


# -- the same through `digest-tui dump`, as a user sees it ----------------------------------------


def run_dump(tmp_path: Path, *paths: str | Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(tmp_path / name.lower())
    return subprocess.run(
        [sys.executable, "-m", "digest_tui", "dump", *map(str, paths)],
        capture_output=True, env=env, timeout=300,
    )  # fmt: skip


def test_dump_of_the_whole_corpus_reports_each_bad_file_on_one_line(tmp_path):
    files = [HOSTILE / name for name in sorted(EXPECTED)]  # not the folder: its README is no digest
    done = run_dump(tmp_path, *files)
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 0, stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    expected = [(HOSTILE / name, reason) for name in sorted(EXPECTED) for reason in EXPECTED[name].problems]
    assert len(lines) == len(expected), stderr
    for line, (path, reason) in zip(lines, expected):
        head = f"digest-tui: {path}: "
        assert line.startswith(head), line
        assert matches([line[len(head) :]], (reason,)), line
    papers = json.loads(done.stdout.decode("utf-8"))
    assert len(papers) == sum(e.papers for e in EXPECTED.values())  # every file has its own ids
    assert b"\x1b" not in done.stdout  # JSON escapes control characters
    # the second run reads the parse cache: the same lines, the same papers
    again = run_dump(tmp_path, *files)
    assert again.stderr == done.stderr and again.stdout == done.stdout


def test_dump_of_only_bad_files_fails_with_a_reason_per_file(tmp_path):
    done = run_dump(tmp_path, HOSTILE / "empty.txt", HOSTILE / "binary.png", tmp_path / "missing.txt")
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        f"digest-tui: {HOSTILE / 'empty.txt'}: empty file",
        f"digest-tui: {HOSTILE / 'binary.png'}: binary file, not a digest",
        f"digest-tui: {tmp_path / 'missing.txt'}: No such file or directory",
        "digest-tui: no papers could be read",
    ]


# -- files made here: too big, too special or too deep to commit -------------------------------


def write_big_arxivdaily(path: Path, megabytes: int) -> int:
    """An arXivDaily page of realistic paper blocks (~3 KB each) up to the size; returns the count."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(make_hostile.page())
        size, n = 0, 0
        zh, en = make_hostile.ZH * 25, (make_hostile.EN + " ") * 20
        while size < megabytes * 2**20:
            block = make_hostile.block(f"{2601 + n // 100000:04d}.{n % 100000:05d}", f"Paper {n}", f"论文 {n}", zh, en)
            handle.write(block)
            size += len(block.encode("utf-8"))
            n += 1
    return n


BIG_LOAD = textwrap.dedent(
    r"""
    import json, re, sys
    from digest_tui.core.loading.session import load
    store, report = load([sys.argv[1]])
    # VmHWM, not getrusage's ru_maxrss: Linux carries a process's ru_maxrss over from its parent
    # through fork and exec, so under a long pytest run it would be the test runner's own peak
    with open("/proc/self/status", encoding="ascii") as status:
        peak_kb = int(re.search(r"^VmHWM:\s*(\d+) kB", status.read(), re.M).group(1))
    print(json.dumps({
        "papers": len(store.papers), "problems": [str(p) for p in report.problems],
        "max_rss_mb": peak_kb / 1024,
    }))
    """
)


@pytest.mark.skipif(sys.platform != "linux", reason="the peak RSS is read from Linux's /proc/self/status")
def test_a_100_mb_digest_loads_in_bounded_memory(tmp_path):
    path = tmp_path / "huge.txt"
    count = write_big_arxivdaily(path, 100)
    done = subprocess.run([sys.executable, "-c", BIG_LOAD, str(path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["papers"] == count and result["problems"] == []
    # about four times the file: its bytes, its text, its lines, the papers; not a copy per step
    assert result["max_rss_mb"] < 1024, result


def test_huge_files_that_are_not_digests_are_refused_without_reading_them(tmp_path):
    sparse = tmp_path / "zeros.bin"
    with open(sparse, "wb") as handle:
        handle.truncate(100 * 2**20)  # 100 MB of NULs, sparse: only its first 8 KiB are read
    huge = tmp_path / "huge.bin"
    with open(huge, "wb") as handle:
        handle.truncate(300 * 2**20)
    _store, report = load([sparse, huge])
    assert [str(p) for p in report.problems] == [
        f"{sparse}: binary file, not a digest",
        f"{huge}: too large for a digest (300 MB; the limit is 256 MB)",
    ]


@pytest.fixture
def messy_folder(tmp_path: Path) -> tuple[Path, list[str]]:
    """A folder with one good digest among everything else a folder can hold; and the problems expected."""
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "good.txt").write_bytes((HOSTILE / "encoding-utf8.txt").read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / ".hidden.txt").write_bytes(b"\x00 skipped without a word")
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "ping").symlink_to(folder / "pong")
    (folder / "pong").symlink_to(folder / "ping")
    (folder / "dangling").symlink_to(folder / "nowhere")
    (folder / "up").symlink_to(folder)  # a link to a folder is not followed: no loop
    os.mkfifo(folder / "fifo")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock"))
    sub = folder / "sub"
    sub.mkdir()
    (sub / "binary.png").write_bytes((HOSTILE / "binary.png").read_bytes())
    problems = [
        f"{folder / 'dangling'}: No such file or directory",
        f"{folder / 'empty.txt'}: empty file",
        f"{folder / 'fifo'}: not a regular file; skipped",
        f"{folder / 'loop'}: Too many levels of symbolic links",
        f"{folder / 'ping'}: Too many levels of symbolic links",
        f"{folder / 'pong'}: Too many levels of symbolic links",
        f"{folder / 'sock'}: not a regular file; skipped",
        f"{sub / 'binary.png'}: binary file, not a digest",
    ]
    yield folder, problems
    server.close()


def test_a_folder_of_loops_sockets_fifos_and_bad_files_still_gives_the_good_one(messy_folder, tmp_path):
    folder, problems = messy_folder
    store, report = load([folder, tmp_path / "does-not-exist", folder / "fifo"])
    assert report.files == 1 and len(store.papers) == 2
    assert sorted(str(p) for p in report.problems) == sorted(
        problems + [f"{tmp_path / 'does-not-exist'}: No such file or directory", f"{folder / 'fifo'}: not a regular file"]
    )
    done = run_dump(tmp_path, folder)
    assert done.returncode == 0 and "Traceback" not in done.stderr.decode()
    assert sorted(done.stderr.decode().splitlines()) == sorted(f"digest-tui: {line}" for line in problems)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_files_and_folders(tmp_path):
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "good.txt").write_bytes((HOSTILE / "encoding-utf8.txt").read_bytes())
    locked = folder / "locked.txt"
    locked.write_bytes((HOSTILE / "encoding-utf8.txt").read_bytes())
    locked.chmod(0)
    closed = folder / "closed"
    closed.mkdir()
    closed.chmod(0)
    try:
        store, report = load([folder])
        assert len(store.papers) == 2
        assert sorted(str(p) for p in report.problems) == [
            f"{closed}: Permission denied",
            f"{locked}: Permission denied",
        ]
    finally:
        closed.chmod(0o755)


def test_a_file_named_directly_that_is_a_fifo_does_not_block(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(DigestError, match="^not a regular file$"):
        parse_file(str(fifo))


def test_folders_nested_deeper_than_the_recursion_limit(tmp_path):
    levels = sys.getrecursionlimit() + 100
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        for _ in range(levels):
            os.mkdir("d")
            os.chdir("d")
        Path("deep.txt").write_bytes((HOSTILE / "encoding-utf8.txt").read_bytes())
    finally:
        os.chdir(here)
    try:
        store, report = load([tmp_path])
        assert len(store.papers) == 2 and report.problems == []
    finally:
        _remove_deep(tmp_path, levels)


def _remove_deep(root: Path, levels: int) -> None:
    """Remove the nest bottom-up (shutil.rmtree, and so pytest's own clean-up, recurses per level)."""
    here = os.getcwd()
    try:
        os.chdir(root)
        for _ in range(levels):
            os.chdir("d")
        os.unlink("deep.txt")
        for _ in range(levels):
            os.chdir("..")
            os.rmdir("d")
    finally:
        os.chdir(here)


# -- generated hostile content: it must parse (or be refused) in time linear in its size ---------

HF_PAGE = '<!doctype html><html><body><a href="https://huggingface.co/papers">Papers</a>'
HF_CARD = '<article><h3><a href="/papers/2606.{n:05d}">Card {n}</a></h3><p class="line-clamp-2">An abstract.</p></article>'
AD_HTML = "<!doctype html><html><head><title>arXivDaily 英文摘要</title></head><body>"
AD_PAPER = "<div>2606.40001 2026-06-18 cs.CL</div><div>A Title</div><div>英文摘要</div><p>An abstract.</p>"


def parse(text: str):
    try:
        return parse_text(text, "generated")
    except DigestError as error:
        assert str(error).isprintable()
        return error


GENERATED = {
    # an attribute of 5 MB, on a card page and on an arXivDaily page
    "huge attribute, HF": (HF_PAGE + f'<div class="{"a" * 5_000_000}">' + HF_CARD.format(n=1), 1),
    "huge attribute, arXivDaily": (AD_HTML + f'<div title="{"x" * 5_000_000}">' + AD_PAPER, 1),
    # 20,000 data divs whose quotes never close: html.parser alone takes minutes on this
    "unclosed quotes": (HF_PAGE + '<div class="SVELTE_HYDRATER" data-target="DailyPapers" data-props="' * 20_000, 0),
    # every title link holds the next card: nesting 10,000 deep
    "cards nested in titles": (HF_PAGE + "".join(f"<article><h3><a href='/papers/2606.{n:05d}'>T" for n in range(10_000)), 1),
    # 30,000 hydration divs that are not the listing
    "many hydration divs": (HF_PAGE + '<div class="SVELTE_HYDRATER" data-target="Other">' * 30_000 + HF_CARD.format(n=2), 1),
    # 200,000 paper headers without a title: at most ten warnings
    "headers without titles": (
        "arXivDaily 英文摘要\n" + "2606.18663 2026-06-18 cs.CL\n" * 200_000 + "2606.18664 2026-06-18 cs.CL\nT\n英文摘要\nA.\n",
        1,
    ),
    # an authors line nested 100,000 parentheses deep
    "nested parentheses": (
        "arXiv:2606.18663\nTitle: T\nAuthors: A " + "(" * 100_000 + ")" * 100_000 + "\n\\\\\nAbstract.\n\\\\ ( x )\n",
        1,
    ),
    # an e-mail whose section header repeats "received from" 4,000 times on one line
    "a repeated mail header": (
        "received from " * 4_000 + "\narXiv:2606.18663\nTitle: T\nAuthors: A\n\\\\\nAbstract.\n\\\\ ( x )\n",
        1,
    ),
    # a markdown topic heading with 100,000 spaces in it
    "spaces in a heading": (
        "【1】 T\n**链接**：https://arxiv.org/abs/2606.18663\n**摘要**：Abstract.\n# x" + " " * 100_000 + "(1篇)x\n",
        1,
    ),
    # JSON nested 100,000 deep
    "deep JSON": ('[{"paper": {"upvotes": 1, "title": ' + "[" * 100_000, 0),
}


@pytest.mark.parametrize("name", list(GENERATED))
def test_generated_hostile_content(name):
    text, papers = GENERATED[name]
    result = parse(text)
    if papers:
        assert not isinstance(result, DigestError), result
        assert len(result.papers) == papers
        assert len(result.warnings) <= 10
    else:
        assert isinstance(result, DigestError)


def test_many_warnings_are_summed_up_in_one_line():
    text = "arXivDaily 英文摘要\n" + "2606.18663 2026-06-18 cs.CL\n" * 500 + "2606.18664 2026-06-18 cs.CL\nT\n英文摘要\nA.\n"
    result = parse_text(text, "generated")
    assert len(result.warnings) == 10
    assert result.warnings[-1] == "491 more problems like these not shown"
