"""RIS (`.ris`): tagged records for Zotero, EndNote, Mendeley and most library catalogues.

    TY  - UNPB                  an unpublished work: RIS has no preprint type
    ID  - zhao2026regmix        the pinned citation key
    TI  - RegMix-D: ...
    TT  - RegMix-D: 通过...      the Chinese title (RIS's translated title)
    AU  - Zhao, Kaiyan          one line per author, family name first
    PY  - 2026                  DA  - 2026/06// (the month from the arXiv id)
    DB  - arXiv                 the repository
    AN  - arXiv:2606.18663      the arXiv id (accession number)
    UR  - https://arxiv.org/abs/2606.18663
    DO  - 10.48550/arXiv.2606.18663
    JO  - ...                   the journal reference, where given
    AB  - ...                   the abstract, on one line
    KW  - moe                   one line per tag
    N1  - ...                   arXiv's comments, then your note, one N1 each
    ER  -

Zotero's RIS import has no Preprint type: a UNPB record becomes a Manuscript with the arXiv id
in "Loc. in Archive"; the CSL-JSON export is the one that lands as a Preprint. Every value is
one line (RIS has no continuation lines), so line breaks become spaces, except in notes, where
Zotero reads `<br/>`-free text and keeps paragraph breaks only as spaces too.
"""

from __future__ import annotations

from collections.abc import Iterator

from .common import Details, Record, arxiv_id, authors_known, doi, published, safe_records, split_names, tidy


BATCH = 256
"""Records made into one piece of UTF-8 by chunks()."""


def render(records: list[Record], keys: list[str], details: Details) -> str:
    """Every record as its tagged lines, a blank line after each."""
    return b"".join(chunks(records, keys, details)).decode("utf-8")


def chunks(records: list[Record], keys: list[str], details: Details, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
    """render()'s text as UTF-8, BATCH records a piece (no string of the whole export is made)."""
    stop = len(records) if stop is None else stop
    for at in range(start, stop, BATCH):
        batch = safe_records(records[at : min(at + BATCH, stop)])
        yield "".join(record(paper, mark, key) for key, (paper, mark) in zip(keys[at : at + BATCH], batch)).encode("utf-8")


def record(paper, mark, key: str) -> str:
    """One paper's lines, from `TY  - UNPB` to `ER  - `, and the blank line after them."""
    lines: list[str] = []

    def add(tag: str, value: str | None) -> None:
        value = tidy(value)
        if value:
            lines.append(f"{tag}  - {value}")

    lines.append("TY  - UNPB")
    add("ID", key)
    add("TI", paper.title_en or paper.title_zh or paper.id or paper.key)
    if paper.title_en:
        add("TT", paper.title_zh)
    lines += ["AU  - " + family_first(name, parts) for name, parts in split_names(paper.authors) if name]
    if not authors_known(paper):
        add("AU", "et al.")
    # a year, an arXiv id (and its URL) and a DOI are tidy already: their lines need no tidy()
    year, month = published(paper)
    if year:
        lines.append(f"PY  - {year}")
        if month:
            lines.append(f"DA  - {year}/{month:02d}//")
    found = arxiv_id(paper)
    if found:
        lines += ["DB  - arXiv", f"AN  - arXiv:{found}", f"UR  - {paper.url}"]
    found = doi(paper)
    if found:
        lines.append(f"DO  - {found}")
    add("JO", paper.journal_ref)
    add("AB", paper.abstract_en or paper.abstract_zh)
    for tag in mark.tags:
        add("KW", tag)
    if paper.comments:
        add("N1", f"Comments: {paper.comments}")
    add("N1", mark.note)
    lines.append("ER  - \n\n")
    return "\n".join(lines)


def family_first(name: str, parts: tuple[str, str] | None) -> str:
    """`Kaiyan Zhao` -> `Zhao, Kaiyan`, given the name tidied and its split (split_names); a one-word
    name, a Chinese one or an organisation stays whole."""
    return f"{parts[0]}, {parts[1]}" if parts else name
