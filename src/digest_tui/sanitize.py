"""Make untrusted digest text safe to show: control characters visible, invisible format characters gone."""

from __future__ import annotations

import re

_TABLE: dict[int, str | None] = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟
_TABLE[0x7F] = "\u2421"  # ␡
_TABLE.update({code: "\ufffd" for code in range(0x80, 0xA0)})  # C1 controls, CSI among them
_TABLE[ord("\t")] = " "
for _code in (*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF, 0x061C, 0x00AD):
    _TABLE[_code] = None  # zero-width, bidi and soft-hyphen controls: removed
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str, *, newlines: bool = False) -> str:
    """`text` with controls shown as visible symbols (␛ for ESC), zero-width/bidi controls removed
    and lone surrogates replaced; with `newlines`, line breaks are kept."""
    if text.isprintable():
        return text
    if newlines:
        return "\n".join(_clean_line(line) for line in text.split("\n"))
    return _clean_line(text)


def _clean_line(line: str) -> str:
    return _SURROGATE.sub("\ufffd", line.translate(_TABLE))
