"""`digest-tui fetch`: download the day's arXiv feed and Hugging Face daily papers politely, check
that each is a listing, and write it atomically into the digest folder.

HTTP is the standard library's `http.client`, one request at a time over one connection: what
arXiv asks of a tool is exactly that, and the library lets us set the connect and read timeouts
apart, bound the body while it is read, and see every redirect and every header we send."""

from __future__ import annotations

import datetime as dt
import email.utils
import errno
import http.client
import json
import socket
import ssl
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from .. import PROJECT_URL, __version__
from .config import FetchSettings
from .files import atomic_write, read_regular
from .model import ANNOUNCE_TYPES, Paper
from .parsers import DigestError, decode, detect
from .parsers.errors import NoPapers
from .text import one_line

USER_AGENT = f"digest-tui/{__version__} (+{PROJECT_URL})"
SOURCES = ("arxiv", "hf")
MIN_INTERVAL = 3.0
"""Seconds between two requests to the same host: arXiv asks for no more than one every 3 s."""
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
MAX_BYTES = 32 * 2**20
"""A day's feed of a busy archive is a few MB, a day of HF papers a few hundred KB: more is refused."""
MAX_RETRY_AFTER = 120.0
"""The longest `Retry-After` waited for; a server asking for more is told "later" by the user."""
RETRIES = 3
"""Further tries after a connection error, or after a 429/503 with a bearable Retry-After."""
BACKOFF = 2.0
"""Seconds before the first retry after a connection error; doubled each time."""
MAX_REDIRECTS = 5
ARXIV_FORMATS = ("arxiv-rss", "arxiv-atom", "arxiv-feed")
"""Format names (parsers' NAME) that an arXiv feed may be detected as."""
HF_FORMATS = ("hf-api-json",)
CUT_OFF = "the feed is cut off"
"""How the arXiv feed parser's warning about a document that ends part way begins."""
STATE_FILE = "fetch.json"


class FetchError(Exception):
    """A source that could not be fetched; the message is one line for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message, limit=300))


@dataclass
class Response:
    status: int
    reason: str
    url: str
    headers: dict[str, str]  # names lower-cased
    body: bytes


@dataclass
class Clock:
    """Time and waiting, injectable so tests run the politeness rules without sleeping."""

    now: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep


class Client:
    """One HTTP/1.1 connection at a time, kept open for the next request to the same host; at least
    `min_interval` seconds between two requests to one host (`last_request` carries the times over
    from earlier runs); Retry-After honoured on 429/503 up to `max_retry_after`; `retries` more
    tries with doubling backoff on connection errors; redirects followed; bodies over `max_bytes`
    refused; gzip accepted."""

    def __init__(
        self,
        *,
        min_interval: float | None = None,
        clock: Clock | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        max_bytes: int = MAX_BYTES,
        max_retry_after: float = MAX_RETRY_AFTER,
        retries: int = RETRIES,
        backoff: float | None = None,
        last_request: dict[str, float] | None = None,
    ) -> None:
        """Unset, `min_interval` and `backoff` are the module's MIN_INTERVAL and BACKOFF as they are now."""
        self.min_interval = MIN_INTERVAL if min_interval is None else min_interval
        self.clock = clock or Clock()
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_bytes = max_bytes
        self.max_retry_after = max_retry_after
        self.retries = retries
        self.backoff = BACKOFF if backoff is None else backoff
        self.last_request: dict[str, float] = dict(last_request or {})  # by host:port, wall-clock seconds
        self._connection: http.client.HTTPConnection | None = None
        self._connected_to: tuple[str, str, int] | None = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection = None
        self._connected_to = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET `url` following redirects; raises FetchError with a one-line reason. Any status
        other than a redirect is returned (the caller says what a 404 or 500 means)."""
        for _ in range(MAX_REDIRECTS + 1):
            response = self._get_once(url, headers or {})
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"{_host(url)} answered {response.status} without saying where to")
                target = urljoin(url, location.strip())
                if urlsplit(target).scheme not in ("http", "https"):
                    raise FetchError(f"{_host(url)} redirected to something that is not a web address")
                url = target
                continue
            return response
        raise FetchError(f"{_host(url)} redirected more than {MAX_REDIRECTS} times")

    def _get_once(self, url: str, headers: dict[str, str]) -> Response:
        """One URL: waits its turn, retries connection errors and bearable 429/503s."""
        attempt = 0
        while True:
            try:
                response = self._request(url, headers)
            except _Retryable as error:
                if attempt >= self.retries:
                    raise FetchError(str(error)) from None
                self.clock.sleep(self.backoff * 2**attempt)
                attempt += 1
                continue
            if response.status in (429, 503):
                wait = retry_after(response.headers.get("retry-after"), self.clock.now())
                label = f"{_host(url)} answered {response.status} {response.reason}".rstrip()
                if wait is None:
                    wait = self.backoff * 2**attempt
                elif wait > self.max_retry_after:
                    raise FetchError(f"{label} and asks to wait {wait:,.0f} s; try again later")
                if attempt >= self.retries:
                    raise FetchError(f"{label} {attempt + 1} times; try again later")
                self.clock.sleep(max(wait, 0.0))
                attempt += 1
                continue
            return response

    def _wait_turn(self, host: str) -> None:
        last = self.last_request.get(host)
        if last is not None:
            wait = last + self.min_interval - self.clock.now()
            if wait > 0:
                self.clock.sleep(min(wait, self.min_interval))  # a clock set back must not stall us
        self.last_request[host] = self.clock.now()

    def _connect(self, scheme: str, host: str, port: int) -> http.client.HTTPConnection:
        if self._connected_to == (scheme, host, port) and self._connection is not None:
            return self._connection
        self.close()  # one connection: the old host's goes before the new one's opens
        if scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, port, timeout=self.connect_timeout, context=ssl.create_default_context())
        else:
            connection = http.client.HTTPConnection(host, port, timeout=self.connect_timeout)
        try:
            connection.connect()
        except socket.gaierror:
            raise FetchError(f"cannot connect to {host} (offline?)") from None
        except TimeoutError:
            raise _Retryable(f"cannot connect to {host} within {self.connect_timeout:g} s (offline?)") from None
        except ssl.SSLError as error:
            raise FetchError(f"cannot talk securely to {host} ({error.reason or error})") from None
        except OSError as error:
            reason = error.strerror or str(error)
            if error.errno == errno.ECONNREFUSED:
                reason = "connection refused"
            elif error.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN):
                reason = "offline?"
            raise _Retryable(f"cannot connect to {host} ({reason})") from None
        assert connection.sock is not None
        connection.sock.settimeout(self.read_timeout)
        self._connection, self._connected_to = connection, (scheme, host, port)
        return connection

    def _request(self, url: str, headers: dict[str, str]) -> Response:
        parts = urlsplit(url)
        scheme = parts.scheme
        if scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not a web address: {url}")
        host = parts.hostname
        port = parts.port or (443 if scheme == "https" else 80)
        self._wait_turn(f"{host}:{port}")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        reused = self._connected_to == (scheme, host, port)
        connection = self._connect(scheme, host, port)
        sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip", **headers}
        try:
            connection.request("GET", path, headers=sent)
            answer = connection.getresponse()
            response_headers = {name.lower(): value for name, value in answer.getheaders()}
            body = self._read_body(answer, host, response_headers)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
            self.close()
            if reused:  # the server closed the kept connection while we were away: once more, afresh
                return self._request(url, headers)
            raise _Retryable(f"{host} closed the connection ({type(error).__name__})") from None
        except TimeoutError:
            self.close()
            raise _Retryable(f"{host} did not answer within {self.read_timeout:g} s") from None
        except http.client.IncompleteRead as error:
            self.close()
            expected = f" of {len(error.partial) + error.expected:,}" if error.expected else ""
            raise FetchError(f"{host} sent a truncated answer ({len(error.partial):,}{expected} bytes)") from None
        except (http.client.HTTPException, OSError) as error:
            self.close()
            raise FetchError(f"{host} sent a broken answer ({type(error).__name__}: {error})") from None
        if answer.will_close:
            self.close()
        return Response(answer.status, answer.reason or "", url, response_headers, body)

    def _read_body(self, answer: http.client.HTTPResponse, host: str, headers: dict[str, str]) -> bytes:
        limit = self.max_bytes
        length = headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > limit:
            self.close()
            raise FetchError(f"{host} sent {int(length) / 2**20:,.1f} MB, more than the {limit / 2**20:g} MB a listing may be; refused")
        gzipped = headers.get("content-encoding", "").strip().lower() in ("gzip", "x-gzip")
        inflate = zlib.decompressobj(wbits=31) if gzipped else None
        chunks: list[bytes] = []
        size = received = 0
        while True:
            chunk = answer.read(65536)
            if not chunk:
                break
            received += len(chunk)
            if inflate is not None:
                try:
                    chunk = inflate.decompress(chunk, limit + 1 - size)
                except zlib.error:
                    raise FetchError(f"{host} sent a broken gzip body") from None
            size += len(chunk)
            if size > limit:
                self.close()
                raise FetchError(f"{host} sent more than the {limit / 2**20:g} MB a listing may be; refused")
            chunks.append(chunk)
        if length.isdigit() and received < int(length):  # read(n) says b"" at a cut, where read() would raise
            self.close()
            raise FetchError(f"{host} sent a truncated answer ({received:,} of {int(length):,} bytes)")
        if inflate is not None and not inflate.eof:
            raise FetchError(f"{host} sent a truncated answer (the gzip body ends early)")
        return b"".join(chunks)


class _Retryable(Exception):
    """A connection error worth another try after a pause."""


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - now)


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


# -- the sources --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One download: which source, from where, into which file name (the day may come from the answer)."""

    source: str
    url: str
    accept: str
    formats: tuple[str, ...]
    name: Callable[[str], str]  # file name for a listing day


def targets(settings: FetchSettings, day: dt.date, sources: Iterable[str] = ()) -> list[Target]:
    """What `fetch` downloads: the named sources (all configured ones when none are named)."""
    wanted = list(sources) or [s for s in SOURCES if (s == "arxiv" and settings.arxiv) or (s == "hf" and settings.hf)]
    found = []
    for source in wanted:
        if source == "arxiv":
            categories = "+".join(settings.arxiv)
            found.append(Target(
                "arxiv", settings.arxiv_url.rstrip("/") + "/" + quote(categories, safe="+."),
                "application/rss+xml, application/atom+xml;q=0.9, application/xml;q=0.8, */*;q=0.1",
                ARXIV_FORMATS, lambda listing_day, c=categories: f"arxiv-{c}-{listing_day}.xml",
            ))
        elif source == "hf":
            separator = "&" if "?" in settings.hf_url else "?"
            found.append(Target(
                "hf", f"{settings.hf_url}{separator}date={day.isoformat()}", "application/json",
                HF_FORMATS, lambda listing_day: f"hf-daily-{listing_day}.json",
            ))
    return found


@dataclass
class Outcome:
    """What fetching one source came to: a file written (or unchanged), an empty day, or an error."""

    source: str
    day: str
    ok: bool
    message: str
    path: Path | None = None
    papers: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        return f"{self.source} {self.day}: {self.message}" if self.ok else f"fetch {self.source}: {self.message}"


def _counts(papers: list[Paper]) -> dict[str, int]:
    counted = Counter(p.announce_type for p in papers if p.announce_type)
    return {kind: counted[kind] for kind in ANNOUNCE_TYPES if counted[kind]}


def _describe(papers: int, kinds: dict[str, int]) -> str:
    what = f"{papers} paper{'s' if papers != 1 else ''}"
    if kinds:
        what += " (" + ", ".join(f"{n} {kind}" for kind, n in kinds.items()) + ")"
    return what


def read_listing(target: Target, body: bytes, host: str, day: dt.date) -> list[Paper]:
    """The papers of a downloaded answer, [] for an empty listing; FetchError when it is not one."""
    try:
        text = decode(body)
    except DigestError:
        raise FetchError(f"{host} sent something that is not a feed (binary or undecodable)") from None
    stripped = text.strip()
    if target.source == "hf" and stripped.startswith("[") and _is_empty_json(stripped):
        return []
    try:
        module = detect(text)
    except DigestError:
        module = None
    if module is None or module.NAME not in target.formats:
        html = stripped[:200].lower().lstrip("\ufeff").startswith(("<!doctype html", "<html"))
        raise FetchError(f"{host} sent something that is not a feed" + (" (an HTML page)" if html else ""))
    try:
        papers, warnings = module.parse(text, target.url, day)
    except NoPapers:
        return []
    except DigestError as error:
        raise FetchError(f"{host} sent a {module.NAME} listing that cannot be read ({error})") from None
    except Exception as error:  # a parser bug costs this source a line, not the user a traceback
        raise FetchError(f"{host} sent a {module.NAME} listing that cannot be read ({type(error).__name__}: {error})") from None
    cut = next((w for w in warnings if w.startswith(CUT_OFF)), None)
    if cut is not None:  # a reader keeps what it can of a cut file; a download must be whole
        raise FetchError(f"{host} sent a truncated answer ({cut})")
    return papers


def _is_empty_json(text: str) -> bool:
    try:
        return json.loads(text) == []
    except ValueError:
        return False


def listing_day(papers: list[Paper], fallback: dt.date) -> str:
    """The day a listing announces: the commonest listing date of its papers."""
    dates = Counter(p.date for p in papers if p.date)
    return dates.most_common(1)[0][0] if dates else fallback.isoformat()


class State:
    """What the last answers said, kept in the cache dir: validators for conditional requests
    (ETag, Last-Modified) per URL with the file they produced, and each host's last request time."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.validators: dict[str, dict] = {}
        self.hosts: dict[str, float] = {}
        if path is None:
            return
        try:
            document = json.loads(read_regular(path, limit=2**22))
        except (OSError, ValueError):
            return  # a missing or damaged state costs one unconditional request, nothing else
        if isinstance(document, dict):
            if isinstance(document.get("validators"), dict):
                self.validators = {k: v for k, v in document["validators"].items() if isinstance(v, dict)}
            if isinstance(document.get("hosts"), dict):
                self.hosts = {k: float(v) for k, v in document["hosts"].items() if isinstance(v, (int, float))}

    def save(self) -> None:
        if self.path is None:
            return
        try:
            atomic_write(self.path, json.dumps({"validators": self.validators, "hosts": self.hosts}, indent=1))
        except OSError:
            pass  # losing the validators costs the next fetch a full download, not a result

    def conditional(self, url: str, folder: Path) -> tuple[dict[str, str], dict | None]:
        """The If-None-Match / If-Modified-Since headers for `url`, when the file they stand for is
        still there, in `folder` (a fetch into another folder must download the listing again)."""
        known = self.validators.get(url)
        if not known or not isinstance(known.get("file"), str):
            return {}, None
        file = Path(known["file"])
        if not file.is_file() or file.parent.resolve() != Path(folder).resolve():
            return {}, None
        headers = {}
        if isinstance(known.get("etag"), str):
            headers["If-None-Match"] = known["etag"]
        if isinstance(known.get("last_modified"), str):
            headers["If-Modified-Since"] = known["last_modified"]
        return headers, (known if headers else None)


def fetch(
    settings: FetchSettings,
    folder: Path,
    day: dt.date | None = None,
    sources: Iterable[str] = (),
    *,
    client: Client | None = None,
    state_path: Path | None = None,
    exact_day: bool = False,
) -> Iterator[Outcome]:
    """Download each source in turn and yield what became of it. `exact_day`: the user named the
    day, so an arXiv feed announcing another day is not written. Nothing is written for a source
    that failed; a file is replaced only by a complete, valid download."""
    day = day or dt.date.today()
    state = State(state_path)
    own_client = client is None
    client = client or Client()
    for host, when in state.hosts.items():
        client.last_request.setdefault(host, when)
    try:
        for target in targets(settings, day, sources):
            yield _fetch_one(target, folder, day, client, state, exact_day)
            state.hosts.update(client.last_request)
            state.save()
    finally:
        if own_client:
            client.close()


def _fetch_one(target: Target, folder: Path, day: dt.date, client: Client, state: State, exact_day: bool) -> Outcome:
    host = _host(target.url)
    requested = day.isoformat()
    conditional, known = state.conditional(target.url, folder)
    try:
        response = client.get(target.url, {"Accept": target.accept, **conditional})
        if response.status == 304 and known is not None:
            listing = str(known.get("day") or requested)
            papers, kinds = int(known.get("papers") or 0), dict(known.get("kinds") or {})
            path = Path(known["file"])
            return Outcome(target.source, listing, True, f"unchanged since the last fetch, {_describe(papers, kinds)} → {path.name}",
                           path, papers, kinds)
        if response.status != 200:
            raise FetchError(f"{host} answered {response.status} {response.reason}".rstrip())
        papers = read_listing(target, response.body, host, day)
    except FetchError as error:
        return Outcome(target.source, requested, False, str(error))
    if not papers:
        why = "weekend or holiday?" if target.source == "arxiv" else "nothing posted yet?"
        return Outcome(target.source, requested, True, f"the listing is empty ({why}); nothing written")
    listing = listing_day(papers, day) if target.source == "arxiv" else requested
    kinds = _counts(papers)
    if exact_day and listing != requested:
        return Outcome(target.source, requested, False,
                       f"the feed holds the listing of {listing}, not {requested} (a feed has only the newest day); nothing written")
    path = folder / target.name(listing)
    try:
        atomic_write(path, response.body)
    except OSError as error:
        return Outcome(target.source, listing, False, f"cannot write {path}: {error.strerror or error}")
    validators = {"etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified")}
    if any(validators.values()):
        state.validators[target.url] = {**{k: v for k, v in validators.items() if v}, "file": str(path), "day": listing,
                                        "papers": len(papers), "kinds": kinds}
    else:
        state.validators.pop(target.url, None)
    return Outcome(target.source, listing, True, f"{_describe(len(papers), kinds)} → {path.name}", path, len(papers), kinds)
