"""arXivDaily (arXiv每日学术速递) pages saved as text: a header line per paper, then its fields."""

from __future__ import annotations

import datetime as dt
import re

from ..model import Paper, Source, make_paper
from .text import CJK, is_chinese

NAME = "arxivdaily"

HEADER = re.compile(
    r"^(?P<id>\d{4}\.\d{4,5})(?:v\d+)? (?P<date>\d{4}-\d\d-\d\d)"
    r"(?P<cats>(?: [a-z-]+(?:\.[A-Za-z-]+)?)*)(?P<new> 新提交)?(?: (?P<score>\d{1,3})%)?[ \t]*$",
    re.M | re.ASCII,  # an id is ASCII digits, not any script's
)
HEADER_LINE = re.compile(HEADER.pattern, re.ASCII)
"""The header regex for one line at a time (`$` is the line's end)."""
_HEADER_AFTER_LINE_BREAK = re.compile("\n" + HEADER.pattern, re.M | re.ASCII)
"""A header at the start of a line after the first: `HEADER.search` tries the whole pattern at
every character, this only after a line break (its first character is a literal the regex
engine skips to), 6x faster through a head of another format."""
_LABELS = ("发表机构", "专题命中", "AI总结", "Comments", "Journal ref")
_SECTIONS = {"AI中文摘要": "abstract_zh", "英文摘要": "abstract_en", "详情": None}


def sniff(head: str) -> bool:
    header = HEADER.match(head) is not None or _HEADER_AFTER_LINE_BREAK.search(head) is not None
    return header and ("英文摘要" in head or "AI中文摘要" in head or "arXivDaily" in head)


def split_institutions(raw: str) -> list[str]:
    """Best effort: `Name(中文名) Other(中文名)` -> one entry each; otherwise the raw text as one.
    An entry ends at a `) ` whose bracket holds Chinese; `(HCMUT), ` inside a name does not end it."""
    found: list[str] = []
    pending = ""
    pieces = raw.split(") ")
    for index, piece in enumerate(pieces):
        if index < len(pieces) - 1:
            piece += ")"
        pending = f"{pending} {piece}" if pending else piece
        bracket = pending.rfind("(")
        if bracket >= 0 and pending.endswith(")") and CJK.search(pending, bracket):
            found.append(pending.strip())
            pending = ""
    if pending.strip():
        found.append(pending.strip())
    return found


def _label(line: str) -> tuple[str, str] | None:
    for label in _LABELS:
        if line.startswith(label) and (len(line) == len(label) or line[len(label)] in " :：\t"):
            return label, line[len(label) :].lstrip(" :：\t")
    return None


_NOT_A_SECTION = object()
_LABEL_INITIALS = frozenset(label[0] for label in _LABELS)


def parse_block(header: re.Match, lines: list[str]) -> tuple[dict, bool]:
    """Fields of one paper from its header match and its lines up to the next header;
    the flag says whether the block looked whole (a title and the English abstract, its last part).
    A labelled field (`Comments ...`) is one line, as on every real page; further unlabelled lines
    before the abstracts are kept aside, and become the abstracts when their labels are missing."""
    values: dict = {
        "id": header["id"],
        "date": header["date"],
        "categories": tuple(header["cats"].split()),
        "new_submission": True if header["new"] else None,
        "score": int(header["score"]) if header["score"] else None,
    }
    heads: list[str] = []
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    one_line = False  # `current` is a labelled field, which takes one line
    loose: list[str] = []  # lines that belong to no field
    sections, initials = _SECTIONS, _LABEL_INITIALS
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        name = sections.get(line, _NOT_A_SECTION)
        if name is not _NOT_A_SECTION:
            current = fields.setdefault(name, []) if name else None
            one_line = False
            continue
        labelled = None
        if line[0] in initials and (heads or not line.startswith(("Comments", "Journal ref"))):
            labelled = _label(line)
        if labelled:
            current = fields.setdefault(labelled[0], [])
            one_line = True
            if labelled[1].strip("* "):
                current.append(labelled[1])
        elif current is not None and not (one_line and current):
            current.append(line)
        elif not fields:
            heads.append(line)
        else:
            loose.append(line)
    _assign_heads(values, heads)
    if loose and "abstract_zh" not in fields and "abstract_en" not in fields:
        # the abstract labels are missing: tell the two abstracts apart by their language
        for line in loose:
            fields.setdefault("abstract_zh" if is_chinese(line) else "abstract_en", []).append(line)
        values["_guessed"] = True
    for label, parts in fields.items():
        if not parts:
            continue
        joiner = "\n" if label.startswith("abstract") else " "
        text = joiner.join(parts)
        if label == "发表机构":
            raw = text.lstrip("* ").strip()
            values["institutions_raw"] = raw
            values["institutions"] = tuple(split_institutions(raw))
        elif label == "专题命中":
            topic, _, reason = text.partition(":")
            values["topic"] = topic.strip() or None
            values["topic_reason"] = reason.strip() or None
        elif label == "AI总结":
            values["summary_zh"] = text
        elif label == "Comments":
            values["comments"] = text
        elif label == "Journal ref":
            values["journal_ref"] = text
        else:
            values[label] = text
    zh, en = values.get("abstract_zh"), values.get("abstract_en")
    if (zh and not is_chinese(zh) and (not en or is_chinese(en))) or (en and is_chinese(en) and not zh):
        # the labels are swapped (or one is on the wrong text): the language decides
        values["abstract_zh"], values["abstract_en"] = en, zh
        values["_guessed"] = True
    # the English abstract is the last section of every block: a page cut off mid-block lacks it
    whole = bool(values.get("title_en") or values.get("title_zh")) and bool(values.get("abstract_en"))
    return values, whole


def _assign_heads(values: dict, heads: list[str]) -> None:
    """The unlabelled lines after the header: English title, Chinese title, authors (any may be missing)."""
    for line in heads:
        if "title_en" not in values and "title_zh" not in values and not CJK.search(line):
            values["title_en"] = line
        elif "title_zh" not in values and "authors" not in values and CJK.search(line):
            values["title_zh"] = line
        elif "authors" not in values:
            authors = tuple(a.strip() for a in _AUTHOR_SEPARATOR.split(line) if a.strip())
            values["authors"] = authors
            values["author_count"] = len(authors)


_AUTHOR_SEPARATOR = re.compile(r"[,，]")


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    papers: list[Paper] = []
    warnings: list[str] = []
    sources = (Source(file, NAME),)
    lines = text.split("\n")
    match = HEADER_LINE.match
    # a header starts with a digit: testing that first spares the regex almost every line
    starts = [(i, m) for i, line in enumerate(lines) if line[:1].isdigit() and (m := match(line))]
    titles: dict[str, str] = {}  # id -> first title, to notice one id given to two papers
    for index, (start, header) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        values, whole = parse_block(header, lines[start + 1 : end])
        title = values.get("title_en") or values.get("title_zh")
        if not title:
            warnings.append(f"paper {header['id']} has no title; skipped")
            continue
        if titles.setdefault(values["id"], title) != title:
            warnings.append(f"paper {header['id']} is listed again with another title; merged, the first title kept")
        if values.pop("_guessed", False):
            warnings.append(
                f"paper {header['id']}: abstract labels missing or swapped; told the abstracts apart by language"
            )
        if not whole:
            what = "abstract" if not (values.get("abstract_zh") or values.get("abstract_en")) else "English abstract"
            warnings.append(f"paper {header['id']} has no {what} (cut off?); kept what there is")
        papers.append(make_paper(sources=sources, **values))
    return papers, warnings
