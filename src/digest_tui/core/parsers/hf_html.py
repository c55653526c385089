"""Hugging Face Daily Papers pages saved as HTML: the listing JSON the page embeds, else its paper cards;
also a single paper's page."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING

from ..model import ARXIV_ID, Paper, Source, make_paper
from .errors import DigestError, one_line
from .hf_json import as_int, clean_line, day_of_page, iso_date, papers_from_entries
from .hf_text import ENTRY_DATE, resolve_date
from .markup import soup

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

NAME = "hf-html"

_TARGETS = ("DailyPapers", "PaperContent")
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|div|article|main|section)\b", re.I)
_HF_MARKS = re.compile(
    r"""data-target=["'](?:DailyPapers|PaperContent)["']|huggingface\.co/papers|href=["']/papers/\d{4}\.\d{4,5}"""
)
# Finding the hydration div by regex and handing only that tag to bs4 keeps a 1.5 MB page at a few
# milliseconds; the whole page goes through bs4 only when there are cards to read.
_HYDRATER = re.compile(r"""<div\b[^<>]*?\bclass\s*=\s*["'][^"']*\bSVELTE_HYDRATER\b""")
_WANTED = re.compile(r"""\bdata-target\s*=\s*["']?(?:DailyPapers|PaperContent)\b""")
_TAG = re.compile(r"""<div(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""")
_PAPER_HREF = re.compile(
    rf"^(?:https?://huggingface\.co)?/papers/({ARXIV_ID.pattern})(?:v\d+)?/?(?:[?#].*)?$", re.ASCII
)
_ORG_HREF = re.compile(r"^/(?!papers$|login$|models$|datasets$|spaces$)[A-Za-z0-9][\w.-]*$")
_GITHUB_HREF = re.compile(r"^https?://github\.com/[^/\s?#]+/[^/\s?#]+")
_CARD_DATE = re.compile(r"^(?:Published on\s+)?(.+)$")
_AUTHORS = re.compile(r"^[·•]?\s*(\d+)\s+authors?$")
_COUNT = re.compile(r"^(\d+(?:[.,]\d+)*)\s*([kKmM]?)$")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")


def looks_like_html(head: str) -> bool:
    """A markup document: it opens with `<` and has an html/body/div-like tag near the top."""
    return head.lstrip()[:1] == "<" and _HTML_START.search(head, 0, 65536) is not None


def sniff(head: str) -> bool:
    return looks_like_html(head) and _HF_MARKS.search(head) is not None


_OWN_URL = re.compile(r"""<(?:meta|link)\b[^<>]*?(?:property=["']og:url["']|rel=["']canonical["'])[^<>]*>""", re.I)
_DAY_URL = re.compile(r"huggingface\.co/papers(?:\?date=|/date/)(\d{4}-\d\d-\d\d)")


def page_day(text: str) -> str | None:
    """The day a saved daily page lists, from its own address (`og:url` or the canonical link:
    `https://huggingface.co/papers?date=2024-06-04`, `/papers/date/2025-03-05`); links to other
    days on the page (the previous/next buttons) are not its address."""
    for tag in _OWN_URL.finditer(text, 0, 65536):
        match = _DAY_URL.search(tag.group(0))
        if match:
            return iso_date(match.group(1))
    return None


def parse(text: str, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    page = None
    props = _hydrated(text)
    if not props:  # attributes in an unusual order: let bs4 find the divs
        page = soup(text)
        props = _hydrated_in(page)
    problems: list[str] = []
    if "DailyPapers" in props:
        data = _json(props["DailyPapers"], "DailyPapers", problems)
        entries = data.get("dailyPapers") if isinstance(data, dict) else None
        if isinstance(entries, list):
            papers, warnings = papers_from_entries(entries, file, NAME, day_of_page(data) or page_day(text))
            if papers:
                return papers, warnings
            problems.append("the DailyPapers data lists no papers")
        elif data is not None:
            problems.append("the DailyPapers data has no dailyPapers list")
    if "PaperContent" in props:
        data = _json(props["PaperContent"], "PaperContent", problems)
        if isinstance(data, dict) and isinstance(data.get("paper"), dict):
            comments = data.get("comments")
            entry = {
                "paper": data["paper"],
                "numComments": len(comments) if isinstance(comments, list) else None,
                "organization": data.get("submitterOrganization"),
            }
            papers, warnings = papers_from_entries([entry], file, NAME)
            if papers:
                return papers, warnings
            problems.append("the PaperContent data has no title")
        elif data is not None:
            problems.append("the PaperContent data has no paper object")
    if page is None:
        page = soup(text)
    papers, warnings = _cards(page, file, file_date)
    day = page_day(text)
    if day:  # a daily page's cards show each paper's arXiv date; the page is that day's listing
        papers = [paper._replace(date=day) for paper in papers]
    if papers:
        return papers, [f"{problem}; read the rendered cards instead" for problem in problems] + warnings
    if problems:
        raise DigestError(problems[0])
    raise DigestError("no Hugging Face papers in this HTML (no listing data and no paper cards)")


def _json(raw: str, target: str, problems: list[str]) -> object:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as error:
        problems.append(one_line(f"the {target} data-props is not valid JSON ({error})"))
        return None


def _hydrated(text: str) -> dict[str, str]:
    """The `data-props` of the DailyPapers / PaperContent hydration divs, found without parsing the page."""
    from bs4 import BeautifulSoup, Tag

    found: dict[str, str] = {}
    at = 0
    while len(found) < len(_TARGETS) and (match := _HYDRATER.search(text, at)) is not None:
        tag = _TAG.match(text, match.start())
        if tag is None:
            break  # an unclosed tag runs to the end of the page: bs4 will make what it can of it
        at = tag.end()  # never scan one tag twice: thousands of them must stay linear
        if not _WANTED.search(tag.group(0)):
            continue  # bs4 only for the divs that matter: a page may hold thousands of others
        div = BeautifulSoup(tag.group(0), "html.parser").find("div")
        if isinstance(div, Tag):
            _keep(div, found)
    return found


def _hydrated_in(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for div in soup.find_all(attrs={"data-target": _TARGETS}):
        _keep(div, found)
    return found


def _keep(div: Tag, found: dict[str, str]) -> None:
    target, props = div.get("data-target"), div.get("data-props")
    if target in _TARGETS and isinstance(props, str) and target not in found:
        found[target] = props


MAX_CARDS = 5000
"""Distinct papers read from one page's cards; a real page shows tens, a long scroll hundreds."""
_RENDERINGS = 2  # renderings of one card that are read (the 2026 layout has two: desktop, mobile)
_CLIMB = 16  # levels above a title link that a card may reach
_MULTI = ""  # owner of an element that holds several papers' title links


def _cards(soup: BeautifulSoup, file: str, file_date: dt.date) -> tuple[list[Paper], list[str]]:
    """Papers from the rendered cards (2024 and 2026 layouts). A card's scope is the largest element
    around its title link that holds no other paper's title: the whole <article>, or one half of it
    when only half was saved. The 2026 layout renders each card twice, so scopes are grouped by id.
    Linear in the page's size whatever its nesting: broken or hostile markup cannot make it crawl."""
    for hidden in soup.find_all(("noscript", "template")):  # not what a reader sees
        hidden.decompose()
    links: list[tuple[Tag, str]] = []
    for link in soup.select("h3 a[href]"):
        match = _PAPER_HREF.match(str(link.get("href", "")).strip())
        if match:
            links.append((link, match.group(1)))
    # owners[id(element)]: the one paper whose title links it holds, or _MULTI. Each walk up stops
    # where the answer is already known, so every element is visited at most twice in all.
    owners: dict[int, str] = {}
    for link, arxiv_id in links:
        node = link.parent
        while node is not None:
            known = owners.get(id(node))
            if known in (arxiv_id, _MULTI):
                break
            owners[id(node)] = arxiv_id if known is None else _MULTI
            node = node.parent
    scopes: dict[str, list[Tag]] = {}
    seen: set[int] = set()
    nested = 0
    for link, arxiv_id in links:
        if owners.get(id(link)) not in (None, arxiv_id):
            nested += 1  # other papers' cards inside this title link: broken nesting
            continue
        scope = link
        node = link.parent
        for _level in range(_CLIMB):
            if node is None or node.name in ("body", "html", "[document]") or owners[id(node)] != arxiv_id:
                break
            scope = node
            if node.name == "article":
                break
            node = node.parent
        group = scopes.get(arxiv_id)
        if group is None:
            if len(scopes) >= MAX_CARDS:
                continue
            group = scopes[arxiv_id] = []
        if id(scope) not in seen and len(group) < _RENDERINGS:
            seen.add(id(scope))
            group.append(scope)
    sources = (Source(file, NAME),)
    papers: list[Paper] = []
    warnings: list[str] = []
    if nested:
        warnings.append(f"{nested} title link(s) hold other papers' cards (broken nesting); skipped")
    if len(scopes) >= MAX_CARDS:
        warnings.append(f"more than {MAX_CARDS} paper cards; read the first {MAX_CARDS}")
    for arxiv_id, group in scopes.items():
        values: dict = {"id": arxiv_id}
        for scope in group:
            _card_values(scope, arxiv_id, file_date, values)
        if "title_en" not in values:
            warnings.append(f"card {arxiv_id} has no title; skipped")
            continue
        papers.append(make_paper(sources=sources, **values))
    return papers, warnings


def _card_values(scope: Tag, arxiv_id: str, file_date: dt.date, values: dict) -> None:
    """Fill `values` from one rendering of a card; what an earlier rendering gave is kept."""
    tries = 0
    for link in scope.select("h3 a[href]"):
        match = _PAPER_HREF.match(str(link.get("href", "")).strip())
        if not match or match.group(1) != arxiv_id:
            continue
        title = clean_line(link.get_text(" "))
        if title:
            values.setdefault("title_en", title)
            break
        tries += 1
        if tries >= _RENDERINGS:  # empty title links nested in each other: each get_text reads the rest
            break
    snippet = scope.select_one("p.line-clamp-2") or scope.find("p")
    text = clean_line(snippet.get_text(" ")) if snippet else None
    if text:
        # the card shows the AI summary (one sentence) when there is one, else the abstract
        one_sentence = len(text) <= 400 and not _SENTENCE_BREAK.search(text)
        values.setdefault("summary_en" if one_sentence else "abstract_en", text)
    votes = scope.select_one("div.font-semibold.text-orange-500") or scope.select_one("div.leading-none")
    if votes is not None and as_int(votes.get_text()) is not None:
        values.setdefault("upvotes", as_int(votes.get_text()))
    for string in scope.find_all(string=True):
        line = " ".join(string.split())
        if not line or len(line) > 40:
            continue
        date = _CARD_DATE.match(line)
        match = ENTRY_DATE.match(date.group(1)) if date else None
        if match and not match["upvotes"]:
            day = resolve_date(match, file_date)
            if day:
                values.setdefault("date", day.isoformat())
        authors = _AUTHORS.match(line)
        if authors:
            values.setdefault("author_count", int(authors.group(1)))
    for link in scope.find_all("a", href=True):
        href = str(link["href"]).strip()
        if _ORG_HREF.match(href):
            name = link.find("span", class_="font-medium")
            if name is not None and clean_line(name.get_text()):
                values.setdefault("organization", clean_line(name.get_text()))
        elif _GITHUB_HREF.match(href):
            values.setdefault("github_repo", href.rstrip("/"))
            stars = _count((link.get_text(" ") or "").replace("GitHub", ""))
            if stars is not None:
                values.setdefault("github_stars", stars)
        elif href.endswith("#community"):
            comments = as_int(link.get_text())
            if comments is not None:
                values.setdefault("comments_count", comments)


def _count(text: str) -> int | None:
    """`31.5k` -> 31500, `1,234` -> 1234, `26` -> 26."""
    match = _COUNT.match(" ".join(text.split()))
    if not match:
        return None
    number, unit = match.groups()
    value = float(number.replace(",", ""))
    return round(value * (1000 if unit in "kK" else 1_000_000)) if unit else int(value)
