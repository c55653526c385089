"""BibTeX (`.bib`): `@misc` entries that BibTeX, biblatex/biber, Zotero and JabRef all read as an arXiv preprint.

One entry per paper, keyed by its pinned citation key (citekey.py, library/citekeys.py):

    @misc{zhao2026regmix,
      title = {{RegMix}-{D}: Dynamic {Data} {Mixing} via {Proxy} {Training} {Trajectories}},
      author = {Kaiyan Zhao and Zhongtao Miao},
      year = {2026},
      month = jun,
      eprint = {2606.18663},
      eprinttype = {arxiv},          Zotero reads the arXiv id only with this one
      archiveprefix = {arXiv},       BibTeX styles (plainnat) read these two
      primaryclass = {cs.CL},
      url = {https://arxiv.org/abs/2606.18663},
      doi = {10.48550/arXiv.2606.18663},   the journal's DOI when the listing gave one
      journal = {...},               the journal reference, where given
      abstract = {...},
      note = {...},                  arXiv's comments
      annote = {...},                your note
      keywords = {moe, to-read},     your tags
      usera = {RegMix-D: 通过代理训练轨迹实现动态数据混合},
    }

`@misc` rather than `@online`: both are read the same by Zotero (neither becomes a Preprint
there; CSL-JSON does), but `@misc` is also a type every BibTeX style knows. The Chinese title
goes in biblatex's `usera`, a field its data model has and no standard style prints (it is
arXivDaily's translation, not the paper's title, so `titleaddon` would wrongly print it in a
bibliography). biber warns that `archiveprefix` is not in its data model and that `journal`
(`journaltitle`) does not belong to `@misc`: both are there for BibTeX and Zotero users.
Text is TeX where the digest had TeX and escaped elsewhere (tex.py); your note and tags are
always plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Paper
from .common import Details, Record, arxiv_id, authors_known, doi, paragraphs, published, safe_records, tidy
from .tex import SPECIALS, escape, has_special, tex

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_AND_WORD = re.compile(r"\band\b", re.I)
_LINE_AT = re.compile(r"(\n\s*)@")


BATCH = 256
"""Entries made into one piece of UTF-8 by chunks()."""


def render(records: list[Record], keys: list[str], details: Details) -> str:
    """Every record as one `@misc` entry, a blank line between two."""
    return b"".join(chunks(records, keys, details)).decode("utf-8")


def chunks(records: list[Record], keys: list[str], details: Details, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
    """render()'s text as UTF-8, BATCH entries a piece: no string of the whole export is made
    (~0.4 s at 100k papers, and a string is as wide as its widest character: one emoji would make
    every character of 200 MB four bytes)."""
    stop = len(records) if stop is None else stop
    for at in range(start, stop, BATCH):
        batch = safe_records(records[at : min(at + BATCH, stop)])
        text = "\n".join(entry(paper, mark, key) for key, (paper, mark) in zip(keys[at : at + BATCH], batch))
        yield (b"\n" if at else b"") + text.encode("utf-8")


def fields(paper: Paper, mark) -> list[tuple[str, str]]:
    """The (name, value) pairs of one entry, values as written (braced, or a bare month macro)."""
    out: list[tuple[str, str]] = []

    def add(name: str, value: str | None) -> None:
        if value:
            if "@" in value:  # an `@` starting a line would start a new entry for bibtexparser: braced, it prints the same
                value = _LINE_AT.sub(r"\1{@}", value)
            out.append((name, "{" + value + "}"))

    add("title", tex(tidy(paper.title_en or paper.title_zh or paper.id or paper.key), title=True))
    authors = paper.authors
    if _NEEDS_LOOK.search("\n".join(authors)) is None:  # nothing to escape, brace or drop (nearly always)
        names = [" ".join(name.split()) for name in authors]
    else:
        names = [_author(a) for a in authors if a.strip()]
    if not authors_known(paper):  # a listing gave the first few, or only how many ("• 8 authors")
        names.append("others")
    add("author", " and ".join(names))
    year, month = published(paper)
    add("year", year)
    if month:
        out.append(("month", MONTHS[month - 1]))
    found = arxiv_id(paper)
    if found:
        add("eprint", found)
        out += _ARXIV
        if paper.categories:
            add("primaryclass", escape(paper.categories[0]))
        add("url", escape(paper.url or ""))
    add("doi", escape(doi(paper) or ""))
    add("journal", _tex_line(paper.journal_ref))
    add("abstract", "\n\n".join(map(_tex, paragraphs(paper.abstract_en))))
    add("note", _tex_line(paper.comments))
    if mark.note:
        add("annote", "\n".join(escape(line) for line in mark.note.split("\n")))
    if mark.tags:
        add("keywords", escape(", ".join(mark.tags)))
    if paper.title_en and paper.title_zh:
        add("usera", _tex_line(paper.title_zh))
    return out


_ARXIV = (("eprinttype", "{arxiv}"), ("archiveprefix", "{arXiv}"))


def _tex(text: str) -> str:
    """tex(text): the text itself when it has nothing tex() keeps or escapes (tex.has_special)."""
    return tex(text) if has_special(text) else text


def _tex_line(text: str | None) -> str:
    return _tex(tidy(text)) if text else ""


_TEX_OR_SPECIAL = re.compile("[" + re.escape(SPECIALS) + "]")
"""A character tex() starts a piece of TeX at (`$`, `\\`, `{`) or escapes."""


def entry(paper: Paper, mark, key: str) -> str:
    body = "".join(f"  {name} = {value},\n" for name, value in fields(paper, mark))
    return f"@misc{{{key},\n{body}}}\n"


_NEEDS_LOOK = re.compile(_TEX_OR_SPECIAL.pattern + r"|\band\b|^\s*$", re.I | re.M)
"""In the authors joined by line breaks, what makes a name more than tidy(name): a character
tex() keeps or escapes, an `and` (braced), a name of spaces only (left out)."""


def _author(name: str) -> str:
    name = tex(tidy(name))
    # "and" inside one name would split it in two; braces make it one unit
    return "{" + name + "}" if _AND_WORD.search(name) else name
