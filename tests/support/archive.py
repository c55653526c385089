"""A synthetic digest archive for scale tests, built from the project's own fixture (no ../shared needed)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "arxivdaily-edge.txt"
_HEADER = re.compile(r"^(\d{4}\.\d{4,5})(?:v\d+)? (\d{4}-\d\d-\d\d)", re.M)


def make_archive(folder: Path, papers: int, per_file: int = 30) -> list[Path]:
    """Write `papers` unique arXivDaily papers, `per_file` to a page, one page a day from 2020-01-01;
    ids are `21MM.NNNNN`, unique and known: paper i has id f"21{1 + i // 90000:02d}.{10000 + i % 90000:05d}"."""
    text = FIXTURE.read_text(encoding="utf-8")
    starts = [m.start() for m in _HEADER.finditer(text)]
    blocks = [text[a:b].rstrip("\n") + "\n\n" for a, b in zip(starts, starts[1:] + [len(text)])]
    blocks = [b for b in blocks if not b.startswith("2606.20001 ")]  # the fixture repeats one id
    folder.mkdir(parents=True, exist_ok=True)
    files, day, serial = [], dt.date(2020, 1, 1), 0
    while serial < papers:
        rows = []
        for _ in range(min(per_file, papers - serial)):
            new_id = f"21{1 + serial // 90000:02d}.{10000 + serial % 90000:05d}"
            rows.append(_HEADER.sub(f"{new_id} {day.isoformat()}", blocks[serial % len(blocks)], count=1))
            serial += 1
        path = folder / f"arxivdaily-{day.isoformat()}.txt"
        path.write_text("arXivDaily arXiv每日学术速递 周一至周五更新\n\n" + "".join(rows), encoding="utf-8")
        files.append(path)
        day += dt.timedelta(days=1)
    return files


def repeated_listing(source: Path, path: Path, copies: int) -> None:
    """An arXiv listing e-mail at `path`: the one at `source` with its entries repeated `copies`
    times under fresh ids (3001.10000 on), as bench/email_parse.py builds its big listings."""
    text = source.read_text(encoding="utf-8")
    first = text.index("\\\\\narXiv:")
    head, body = text[:first], text[first:]
    separator = "-" * 78 + "\n"
    entries = [chunk for chunk in body.split(separator) if chunk.startswith("\\\\\narXiv:")]
    with open(path, "w", encoding="utf-8") as out:
        out.write(head)
        for number in range(copies * len(entries)):
            entry = entries[number % len(entries)]
            old = entry[len("\\\\\narXiv:") :].split(None, 1)[0]
            new = f"3001.{10000 + number:05d}"
            entry = entry.replace("arXiv:" + old, "arXiv:" + new, 1).replace("abs/" + old, "abs/" + new, 1)
            out.write(entry if entry.endswith("\n") else entry + "\n")
            out.write(separator)
