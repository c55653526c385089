"""The one error every parser raises: a file that cannot be read as a digest (kept apart to avoid import loops)."""

from __future__ import annotations

from ..text import one_line as one_line  # re-exported: the parsers' name for it


class DigestError(ValueError):
    """A file that cannot be read as a digest; the message is one line for the user (made so
    here, whatever the raiser passed: it may quote the file, and the file is untrusted)."""

    def __init__(self, message: object = "not a digest") -> None:
        super().__init__(one_line(message, limit=300))


class NoPapers(DigestError):
    """A digest of a known format that lists no papers this time (an arXiv feed on a weekend):
    the file is read, with this message as its note, rather than refused."""
