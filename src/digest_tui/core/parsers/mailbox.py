"""Mailboxes of arXiv listing e-mails: an mbox file, or one raw message (a Maildir's file, an .eml)
whose body is quoted-printable, base64 or multipart. Each listing inside is read with its own
mailing day (its `Date:`); other mail in the box is skipped without a word.

A plain-text listing saved with its headers is `arxiv_email`'s; this module claims what needs
the standard library's `email` package to be read: several messages, or an encoded body."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from email.message import Message

from ..model import Paper, Source, merge
from . import arxiv_email
from .errors import DigestError

NAME = "mailbox"

_MBOX_FROM = re.compile(r"(?:\A|\n\n)From [^\n]*\n")
"""An mbox message starts with a `From ` line at the start of the file or after a blank line (a
`From ` line inside a body is written `>From ` by every mbox writer)."""
_HEADER_LINE = re.compile(r"[A-Za-z][\w-]*:[ \t]")
_ENCODED = re.compile(r"^content-(?:transfer-encoding:[ \t]*(?:base64|quoted-printable)|type:[ \t]*multipart/)", re.I | re.M)


def sniff(head: str) -> bool:
    if head.startswith("From ") and "\n" in head:
        return _HEADER_LINE.match(head, head.index("\n") + 1) is not None  # an mbox: a header follows
    if not _HEADER_LINE.match(head):
        return False
    blank = head.find("\n\n")
    return _ENCODED.search(head, 0, blank if blank != -1 else len(head)) is not None


def messages(text: str) -> list[str]:
    """The messages of an mbox (the text itself when it is one message)."""
    starts = [match.end() for match in _MBOX_FROM.finditer(text)]
    if not starts:
        return [text]
    ends = [match.start() for match in _MBOX_FROM.finditer(text)][1:] + [len(text)]
    return [text[start:end] for start, end in zip(starts, ends)]


def listing_text(message: Message) -> str | None:
    """The text of the message's plain-text part that is an arXiv listing, decoded; None when it has none."""
    for part in message.walk():
        if part.get_content_maintype() == "multipart" or part.get_content_type() != "text/plain":
            continue
        encoding = (part.get("Content-Transfer-Encoding") or "").strip().lower()
        if encoding in ("base64", "quoted-printable"):
            data = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or "utf-8"
            try:
                body = data.decode(charset, errors="replace")
            except LookupError:  # a charset Python does not know
                body = data.decode("utf-8", errors="replace")
        else:
            body = part.get_payload()
            if not isinstance(body, str):
                continue
        if "\r" in body:
            body = body.replace("\r\n", "\n").replace("\r", "\n")
        if arxiv_email.sniff(body[:65536]):
            return body
    return None


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    found = messages(text)
    sources = (Source(file, arxiv_email.NAME),)
    papers: dict[str, Paper] = {}
    warnings: list[str] = []
    listings = 0
    for number, raw in enumerate(found, 1):
        message = email.message_from_string(raw, policy=email.policy.compat32)
        body = listing_text(message)
        if body is None:
            continue  # other mail
        day = arxiv_email.mail_day(str(message.get("Date") or ""))
        try:
            listed, notes = arxiv_email.parse_listing(body, file, day, sources)
        except DigestError as error:
            warnings.append(f"message {number}: {error}")
            continue
        listings += 1
        warnings.extend(f"message {number} ({day or 'no date'}): {note}" for note in notes)
        for paper in listed:
            old = papers.get(paper.key)
            papers[paper.key] = paper if old is None else merge(old, paper)
    if not listings and not warnings:
        what = f"a mailbox of {len(found):,} messages" if len(found) > 1 else "a mail message"
        raise DigestError(f"{what} with no arXiv listing e-mail in it")
    return list(papers.values()), warnings
