"""Reading BibTeX back in tests: undo export.bib_escape for one field value."""

from __future__ import annotations

BIB_UNESCAPE = [
    (r"\textbackslash{}", "\\"), (r"\textbraceleft{}", "{"), (r"\textbraceright{}", "}"),
    (r"\textasciitilde{}", "~"), (r"\textasciicircum{}", "^"), (r"\%", "%"), (r"\&", "&"), (r"\#", "#"),
    (r"\_", "_"), (r"\$", "$"),
]  # fmt: skip


def unescape_bib(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        for escaped, plain in BIB_UNESCAPE:
            if value.startswith(escaped, i):
                out.append(plain)
                i += len(escaped)
                break
        else:
            out.append(value[i])
            i += 1
    return "".join(out)
