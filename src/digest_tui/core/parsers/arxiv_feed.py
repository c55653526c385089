"""arXiv's own feeds: the RSS 2.0 and Atom feeds of rss.arxiv.org (2024 format), the older RSS 1.0
(RDF) feeds, and Atom responses of arXiv's export API.

Elements are matched by local name, so a feed re-serialised with other namespace prefixes (or
none) reads the same. The XML is read with the standard library's expat parser, which never
fetches external entities; a document that declares entities or a DTD is refused before it is
parsed (a feed has none, and internal entities are how a "billion laughs" file grows a few
hundred bytes into gigabytes; expat >= 2.4 limits that too, but nothing here needs them).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
import xml.etree.ElementTree as ET

from ..model import ARXIV_ID, Paper, Source, make_paper, merge
from .arxiv_email import split_authors
from .errors import DigestError, NoPapers
from .tex import to_unicode
from .text import clean_abstract, clean_line

NAME = "arxiv-feed"

_ROOT = re.compile(r"<(?:[\w.-]+:)?(rss|feed|RDF)\b")
_PROLOG = re.compile(r"\A\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[[^\]]*\])?\s*>)\s*)*", re.S)
_DECLARATION = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.I)
_ID_IN_URL = re.compile(rf"(?:arxiv\.org/abs/|oai:arXiv\.org:|arXiv:)({ARXIV_ID.pattern})(?:v\d+)?", re.ASCII | re.I)
_DESCRIPTION = re.compile(r"\A\s*arXiv:\S+\s+Announce Type:\s*([\w-]+)\s*(?:\n\s*)?(?:Abstract:\s*)?", re.I)
_OLD_TITLE = re.compile(r"\s*\(arXiv:(\S+?)(?:v\d+)?\s*\[([^\]]*)\]\s*([A-Z ]*)\)\s*\Z")
_TAG = re.compile(r"<[^>]*>")

ANNOUNCE_TYPES = {"new": "new", "cross": "cross-list", "replace": "replacement", "replace-cross": "replacement"}
"""rss.arxiv.org's `arxiv:announce_type` -> the model's announcement kinds."""
_OLD_KINDS = {"UPDATED": "replacement", "CROSS LISTED": "cross-list"}
"""The RSS 1.0 feeds' title suffix (`(arXiv:ID [cat] UPDATED)`) -> the model's announcement kinds."""


def sniff(head: str) -> bool:
    root = _ROOT.match(head, _PROLOG.match(head).end())
    return root is not None and "arxiv" in head[:4096].lower()


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element) -> dict[str, list[ET.Element]]:
    found: dict[str, list[ET.Element]] = {}
    for child in element:
        found.setdefault(_local(child.tag).lower(), []).append(child)
    return found


def _text(elements: list[ET.Element] | None) -> str:
    return "".join(elements[0].itertext()) if elements else ""


def _day(value: str) -> str | None:
    """The UTC day of an RFC 822 (`Mon, 27 Apr 2026 00:00:00 -0400`) or ISO 8601 time. A time of
    evening in New York (when arXiv announces) is the next day's listing, as the e-mail's is."""
    value = value.strip()
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return when.date().isoformat()


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    root = _ROOT.match(text, _PROLOG.match(text).end())
    # a DTD can only come before the root element; after it, expat stops at it as an error
    if _DECLARATION.search(text, 0, root.start() if root else len(text)):
        raise DigestError("an XML feed with a DTD or entity declarations (a feed has none; not read, for safety)")
    parser = ET.XMLPullParser(events=("end",))
    entries: list[ET.Element] = []
    channel: dict[str, str] = {}
    cut = None
    try:
        parser.feed(text)
        parser.close()
    except ET.ParseError as error:
        cut = str(error)
    try:
        for _, element in parser.read_events():  # the events before an error, then the error again
            name = _local(element.tag)
            if name in ("item", "entry"):
                entries.append(element)
            elif name in ("pubDate", "date", "updated", "lastBuildDate", "totalResults") and name not in channel:
                channel[name] = "".join(element.itertext())
    except ET.ParseError as error:
        cut = str(error)
    if cut is not None and not entries:
        raise DigestError(f"an arXiv feed that is not well-formed XML ({cut})")
    # the feed's own day: its items' pubDate when they have one, else the channel's (read below)
    feed_day = next((d for key in ("pubDate", "date", "lastBuildDate", "updated") if (d := _day(channel.get(key, "")))), None)
    sources = (Source(file, NAME),)
    papers: dict[str, Paper] = {}
    warnings: list[str] = []
    for element in entries:
        fields = _children(element)
        if "api/errors" in _text(fields.get("id")):  # the export API says what was wrong with the query
            raise DigestError(f"an arXiv API answer that is an error: {clean_line(_text(fields.get('summary'))) or 'no reason given'}")
        values = _entry(element, feed_day, root is not None and root.group(1) == "feed")
        if values is None:
            warnings.append(f"an entry with no arXiv id or title ({clean_line(_text(_children(element).get('title')))!s:.60}); skipped")
            continue
        paper = make_paper(sources=sources, **values)
        old = papers.get(paper.key)
        papers[paper.key] = paper if old is None else merge(old, paper)
    if cut is not None:
        warnings.append(f"the feed is cut off after {len(entries)} entries ({cut})")
    if not papers and not warnings:
        if "totalResults" in channel:
            raise NoPapers("an arXiv API answer with no entries (the query matched nothing)")
        day = f" of {feed_day}" if feed_day else ""
        raise NoPapers(f"an arXiv feed{day} with no announcements (arXiv announces none on weekends and holidays)")
    return list(papers.values()), warnings


def _entry(element: ET.Element, feed_day: str | None, atom: bool) -> dict | None:
    fields = _children(element)
    arxiv_id = None
    for key in ("id", "guid", "link"):
        for child in fields.get(key, ()):
            found = _ID_IN_URL.search(child.get("href") or "".join(child.itertext()))
            if found:
                arxiv_id = found.group(1)
                break
        if arxiv_id:
            break
    if arxiv_id is None:
        about = next((value for name, value in element.attrib.items() if _local(name) == "about"), "")
        found = _ID_IN_URL.search(about)
        arxiv_id = found.group(1) if found else None
    title = clean_line(_text(fields.get("title"))) or ""
    values: dict = {}
    old_title = _OLD_TITLE.search(title)
    if old_title:  # RSS 1.0: `Title. (arXiv:2306.08651v1 [cs.RO] UPDATED)`
        title = title[: old_title.start()].rstrip()
        title = title[:-1] if title.endswith(".") else title
        arxiv_id = arxiv_id or old_title.group(1)
        values["announce_type"] = _OLD_KINDS.get(old_title.group(3).strip(), "new")
        primary = old_title.group(2).strip()
    else:
        primary = None
    title = clean_line(to_unicode(title))
    if not arxiv_id or not title:
        return None
    values["id"], values["title_en"] = arxiv_id, title
    authors: list[str] = []
    affiliations: list[str] = []
    for child in fields.get("author", ()):  # Atom: <author><name>, the API's <arxiv:affiliation>
        parts = _children(child)
        name = _text(parts.get("name"))
        if name:
            authors.append(name)
        affiliations.extend(clean_line(to_unicode("".join(a.itertext()))) or "" for a in parts.get("affiliation", ()))
    if not authors:
        creators = " , ".join("".join(child.itertext()) for child in fields.get("creator", ()))
        authors = list(split_authors(_TAG.sub("", html.unescape(creators)) if "<" in creators or "&" in creators else creators))
    authors = [clean_line(to_unicode(name)) for name in authors]
    authors = [name for name in authors if name]
    if authors:
        values["authors"], values["author_count"] = tuple(authors), len(authors)
    affiliations = [name for name in dict.fromkeys(affiliations) if name]
    if affiliations:
        values["institutions"] = tuple(affiliations)
    categories = [primary] if primary else []
    for child in fields.get("primary_category", ()):
        categories.append(child.get("term", ""))
    for child in fields.get("category", ()):
        categories.append(child.get("term") or "".join(child.itertext()))
    categories = [c for c in (clean_line(c) for c in categories) if c]
    if categories:
        values["categories"] = tuple(dict.fromkeys(categories))
    summary = _text(fields.get("summary") or fields.get("description"))
    announced = _DESCRIPTION.match(summary)
    if announced:  # rss.arxiv.org: `arXiv:ID Announce Type: new \nAbstract: ...`
        summary = summary[announced.end() :]
    kind = clean_line(_text(fields.get("announce_type")))
    kind = kind or (announced.group(1) if announced else None)
    if kind:
        values["announce_type"] = ANNOUNCE_TYPES.get(kind.lower(), values.get("announce_type"))
    if old_title and "<" in summary:  # RSS 1.0 descriptions are HTML: `<p>...</p>`
        summary = _TAG.sub(" ", summary.replace("</p>", "\n\n"))
        summary = html.unescape(summary)
    abstract = clean_abstract(to_unicode(summary))
    if abstract:
        values["abstract_en"] = abstract
    for key, names in (("doi", ("doi",)), ("journal_ref", ("journal_ref", "journal_reference")), ("comments", ("comment",))):
        value = next((v for name in names if (v := clean_line(to_unicode(_text(fields.get(name)))))), None)
        if value:
            values[key] = value
    # the announcement day: the item's own (RSS pubDate; rss.arxiv.org's Atom entries are
    # "published" on it), else the feed's; an API answer announces nothing, so its entries are
    # dated by their first version's submission
    published = _day(_text(fields.get("published")))
    values["date"] = _day(_text(fields.get("pubdate"))) or (published if atom else None) or feed_day
    return values
