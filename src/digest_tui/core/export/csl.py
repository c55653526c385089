"""CSL-JSON (`.csl.json`): the bibliography data of citeproc (pandoc, Quarto, Zotero's CSL import).

An array with one object per paper, valid against the CSL data schema (1.0.2):

    type        "article": what Zotero's CSL import makes a Preprint
    id          the pinned citation key (also `citation-key`)
    title, author [{family, given} | {literal}], issued {date-parts: [[year, month]]}
    number      "arXiv:2606.18663": Zotero's Archive ID
    publisher   "arXiv": Zotero's Repository
    URL, DOI, abstract, keyword (your tags, comma-separated)
    container-title   the journal reference, where given
    note        arXiv's comments; annote: your note
    custom      {"title_zh": ..., "tags": [...], "categories": [...]}: what CSL has no field for
"""

from __future__ import annotations

from collections.abc import Iterator

from ..jsonout import dumps
from .common import Details, Record, arxiv_id, authors_known, doi, paragraphs, published, safe_records, split_names, tidy


BATCH = 256
"""Items laid out in one call and handed on as one piece by chunks()."""


def render(records: list[Record], keys: list[str], details: Details) -> str:
    """The array of items, as json.dumps(indent=2) writes it, and a line end."""
    return b"".join(chunks(records, keys, details)).decode("utf-8")


def chunks(records: list[Record], keys: list[str], details: Details, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
    """render()'s text as UTF-8 (made by msgspec), BATCH items a piece: each batch's array without
    its brackets, laid out as json.dumps(indent=2) lays out the items of the whole array."""
    stop = len(records) if stop is None else stop
    if not records:
        yield b"[]\n"
        return
    for at in range(start, stop, BATCH):
        batch = safe_records(records[at : min(at + BATCH, stop)])
        items = [item(paper, mark, key) for key, (paper, mark) in zip(keys[at : at + BATCH], batch)]
        yield (b"[\n" if at == 0 else b",\n") + dumps(items, indent=2)[2:-2]
    if stop == len(records):
        yield b"\n]\n"


def item(paper, mark, key: str) -> dict:
    out: dict = {"id": key, "type": "article", "citation-key": key}

    def add(name: str, value) -> None:
        if value:
            out[name] = value

    add("title", tidy(paper.title_en or paper.title_zh or paper.id or paper.key))
    authors = [name(author, parts) for author, parts in split_names(paper.authors) if author]
    if authors and not authors_known(paper):
        authors.append({"literal": "others"})
    add("author", authors)
    year, month = published(paper)
    if year:
        out["issued"] = {"date-parts": [[int(year)] + ([month] if month else [])]}
    found = arxiv_id(paper)
    if found:
        out["number"] = f"arXiv:{found}"
        out["publisher"] = "arXiv"
        out["URL"] = paper.url
    add("DOI", doi(paper))
    add("container-title", tidy(paper.journal_ref))
    add("abstract", "\n\n".join(paragraphs(paper.abstract_en or paper.abstract_zh)))
    add("keyword", ", ".join(mark.tags))
    add("note", tidy(paper.comments))
    add("annote", mark.note)
    custom = {"title_zh": tidy(paper.title_zh) if paper.title_en else "", "tags": list(mark.tags),
              "categories": list(paper.categories)}  # fmt: skip
    add("custom", {k: v for k, v in custom.items() if v})
    return out


def name(author: str, parts: tuple[str, str] | None) -> dict:
    """`Kaiyan Zhao` -> {family: Zhao, given: Kaiyan}, given the name tidied and its split (split_names);
    an organisation or a one-word name is a literal."""
    return {"family": parts[0], "given": parts[1]} if parts else {"literal": author}
