"""Obsidian (`--format obsidian -o FOLDER`): a note per paper, `KEY.md`, with YAML front matter.

    ---
    title: "RegMix-D: Dynamic Data Mixing via Proxy Training Trajectories"
    title_zh: "RegMix-D: 通过代理训练轨迹实现动态数据混合"
    authors:
      - "Kaiyan Zhao"
    year: 2026
    arxiv: "2606.18663"
    url: "https://arxiv.org/abs/2606.18663"
    citekey: "zhao2026regmix"
    tags:
      - "moe"
    starred: true
    read: false
    ---
    # RegMix-D: ...          then the Chinese title, the facts, your note and both abstracts

    %% digest-tui: the part above this line is rewritten by each export; write below it %%

Exporting again rewrites the front matter and the part above the marker line (a star, a tag or
a note changed in the reader shows up) and keeps whatever is below it as it is. A note that has
lost its marker line is not cut anywhere: all of its old text is kept below a new marker.
Strings are written as YAML double-quoted scalars (JSON's escapes, which YAML shares), with the
few characters YAML may not hold raw escaped too, so every YAML parser reads back the exact text.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from ..files import atomic_writes, read_regular
from .common import Details, ExportError, Record, arxiv_id, published, safe_records, tidy
from .markdown import abstracts, escape, facts

MARKER = "%% digest-tui: the part above this line is rewritten by each export; write below it %%"
# what YAML 1.1 (PyYAML) refuses in a stream, plus its line breaks (NEL, LS, PS), which a quoted
# scalar would fold into spaces
_YAML_UNSAFE = re.compile("[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def quote(text: str) -> str:
    """A YAML double-quoted scalar holding exactly `text`."""
    dumped = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}" if ord(m[0]) < 0x10000 else f"\\U{ord(m[0]):08x}", dumped)


def front_matter(paper, mark, key: str) -> str:
    year, _ = published(paper)
    found = arxiv_id(paper)
    lines = ["---", f"title: {quote(tidy(paper.title_en or paper.title_zh or paper.id or paper.key))}"]
    if paper.title_en and paper.title_zh:
        lines.append(f"title_zh: {quote(tidy(paper.title_zh))}")
    lines += _list("authors", [tidy(a) for a in paper.authors])
    if year:
        lines.append(f"year: {int(year)}")
    if found:
        lines += [f"arxiv: {quote(found)}", f"url: {quote(paper.url)}"]
    lines.append(f"citekey: {quote(key)}")
    lines += _list("tags", list(mark.tags))
    lines += [f"starred: {'true' if mark.starred else 'false'}", f"read: {'true' if mark.read else 'false'}", "---"]
    return "\n".join(lines) + "\n"


def _list(name: str, items: list[str]) -> list[str]:
    return [f"{name}:"] + [f"  - {quote(item)}" for item in items] if items else [f"{name}: []"]


def note(paper, mark, key: str) -> str:
    """The generated part of a paper's note: front matter, heading, facts, your note, abstracts."""
    heading = tidy(paper.title_en) or tidy(paper.title_zh) or paper.id or paper.key
    lines = [f"# {escape(heading)}", ""]
    if paper.title_en and paper.title_zh:
        lines += [escape(tidy(paper.title_zh)), ""]
    lines += facts(paper, replace(mark, note=""))  # the note gets a section of its own
    if mark.note:
        lines += ["## Note", ""] + [escape(line) + "  " if line.strip() else "" for line in mark.note.split("\n")] + [""]
    lines += abstracts(paper, level="##")
    return front_matter(paper, mark, key) + "\n".join(lines).rstrip("\n") + "\n\n" + MARKER + "\n"


def kept_part(old: str) -> str:
    """What the user wrote in an existing note: everything below the marker line, or, without
    one, the whole old text."""
    lines = old.split("\n")
    for index, line in enumerate(lines):
        if line.strip() == MARKER:
            return "\n".join(lines[index + 1 :])
    return "\n" + old if old.strip() else ""


def write(folder: Path, records: list[Record], keys: list[str], details: Details) -> tuple[int, int]:
    """Write or update a note per record in `folder` (which must exist); returns (new, updated)."""
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder")
    new = updated = 0
    with atomic_writes(folder) as write_note:
        for key, (paper, mark) in zip(keys, safe_records(records)):
            path = folder / f"{key}.md"
            try:
                old = read_regular(path).decode("utf-8", "replace")
            except FileNotFoundError:
                old = None
            except OSError as error:
                raise ExportError(f"cannot read {path}: {error.strerror or error}") from None
            text = note(paper, mark, key) + (kept_part(old) if old is not None else "")
            if old == text:
                continue
            try:
                write_note(path.name, text)
            except OSError as error:
                raise ExportError(f"cannot write {path}: {error.strerror or error}") from None
            if old is None:
                new += 1
            else:
                updated += 1
    return new, updated
