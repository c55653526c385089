"""The one error every parser raises: a file that cannot be read as a digest (kept apart to avoid import loops)."""

from __future__ import annotations

from ..sanitize import clean


def one_line(text: object, limit: int = 160) -> str:
    """Any message (an exception's text, say) squeezed onto one short line for the user, with
    control characters made visible: messages quote file content and go to a terminal."""
    line = clean(" ".join(str(text).split()))
    return line if len(line) <= limit else line[: limit - 1] + "…"


class DigestError(ValueError):
    """A file that cannot be read as a digest; the message is one line for the user (made so
    here, whatever the raiser passed: it may quote the file, and the file is untrusted)."""

    def __init__(self, message: object = "not a digest") -> None:
        super().__init__(one_line(message, limit=300))
