"""The one error every parser raises: a file that cannot be read as a digest (kept apart to avoid import loops)."""

from __future__ import annotations


class DigestError(ValueError):
    """A file that cannot be read as a digest; the message is one line for the user."""


def one_line(text: object, limit: int = 160) -> str:
    """Any message (an exception's text, say) squeezed onto one short line for the user."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
