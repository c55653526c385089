"""arXivDaily (arXiv每日学术速递) pages saved as text: a header line per paper, then its fields."""

from __future__ import annotations

import datetime as dt
import re

from ..model import Paper, Source, make_paper

NAME = "arxivdaily"

HEADER = re.compile(
    r"^(?P<id>\d{4}\.\d{4,5})(?:v\d+)? (?P<date>\d{4}-\d\d-\d\d)"
    r"(?P<cats>(?: [a-z-]+(?:\.[A-Za-z-]+)?)*)(?P<new> 新提交)?(?: (?P<score>\d{1,3})%)?[ \t]*$",
    re.M,
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_INSTITUTION = re.compile(r"\s*(.+?\([^()]*[\u3400-\u9fff][^()]*\))(?=\s|$)")
_LABELS = ("发表机构", "专题命中", "AI总结", "Comments", "Journal ref")
_SECTIONS = {"AI中文摘要": "abstract_zh", "英文摘要": "abstract_en", "详情": None}


def sniff(head: str) -> bool:
    return HEADER.search(head) is not None and ("英文摘要" in head or "AI中文摘要" in head or "arXivDaily" in head)


def split_institutions(raw: str) -> list[str]:
    """Best effort: `Name(中文名) Other(中文名)` -> one entry each; otherwise the raw text as one."""
    found, end = [], 0
    for match in _INSTITUTION.finditer(raw):
        if match.start() != end and raw[end : match.start()].strip():
            break
        found.append(match.group(1).strip())
        end = match.end()
    rest = raw[end:].strip()
    if rest:
        found.append(rest)
    return found


def _label(line: str) -> tuple[str, str] | None:
    for label in _LABELS:
        if line.startswith(label) and (len(line) == len(label) or line[len(label)] in " :：\t"):
            return label, line[len(label) :].lstrip(" :：\t")
    return None


def parse_block(header: re.Match, body: str) -> tuple[dict, bool]:
    """Fields of one paper from its header match and the text up to the next header;
    the flag says whether the block looked whole (a title and at least one abstract)."""
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
    for raw in body.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line in _SECTIONS:
            name = _SECTIONS[line]
            current = fields.setdefault(name, []) if name else None
            continue
        labelled = _label(line) if (heads or not line.startswith(("Comments", "Journal ref"))) else None
        if labelled:
            current = fields.setdefault(labelled[0], [])
            if labelled[1]:
                current.append(labelled[1])
        elif current is not None:
            current.append(line)
        elif not fields:
            heads.append(line)
    _assign_heads(values, heads)
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
    whole = bool(values.get("title_en") or values.get("title_zh")) and bool(
        values.get("abstract_en") or values.get("abstract_zh")
    )
    return values, whole


def _assign_heads(values: dict, heads: list[str]) -> None:
    """The unlabelled lines after the header: English title, Chinese title, authors (any may be missing)."""
    for line in heads:
        if "title_en" not in values and "title_zh" not in values and not _CJK.search(line):
            values["title_en"] = line
        elif "title_zh" not in values and "authors" not in values and _CJK.search(line):
            values["title_zh"] = line
        elif "authors" not in values:
            authors = tuple(a.strip() for a in re.split(r"[,，]", line) if a.strip())
            values["authors"] = authors
            values["author_count"] = len(authors)


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    papers: list[Paper] = []
    warnings: list[str] = []
    sources = (Source(file, NAME),)
    headers = list(HEADER.finditer(text))
    for index, header in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(text)
        values, whole = parse_block(header, text[header.end() : end])
        if not (values.get("title_en") or values.get("title_zh")):
            warnings.append(f"paper {header['id']} has no title; skipped")
            continue
        if not whole:
            warnings.append(f"paper {header['id']} has no abstract (cut off?)")
        papers.append(make_paper(sources=sources, **values))
    return papers, warnings
