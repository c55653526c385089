"""`digest-tui fetch` against a real HTTP server on 127.0.0.1: what it sends, what it writes, and
what it says when the answer is not a listing. Nothing here reaches beyond the loopback address."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import socket

import pytest

from digest_tui import cli
from digest_tui.core import fetch
from digest_tui.core.config import FetchSettings
from digest_tui.core.fetch import Client, Outcome
from support.fetch_server import Answer, FakeClock, FeedServer

DAY = dt.date(2026, 6, 12)
UA = "digest-tui/0.1.0 (+https://pypi.org/project/digest-tui/)"
HTML = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def hf_body(shared_digests):
    return (shared_digests / "hf-api-daily-papers-2026-06-12.json").read_bytes()


def hf_only(server: FeedServer) -> FetchSettings:
    return FetchSettings(arxiv=[], hf=True, hf_url=server.base + "/api/daily_papers")


def run(settings, folder, clock, state=None, day=DAY, sources=(), **client_options) -> list[Outcome]:
    client = Client(clock=clock, **client_options)
    with client:
        return list(fetch.fetch(settings, folder, day, sources, client=client, state_path=state))


def test_a_full_fetch_writes_the_day_and_sends_exactly_these_headers(server, clock, hf_body, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, hf_body, {"Content-Type": "application/json"}))
    [outcome] = run(hf_only(server), tmp_path / "digests", clock)
    assert outcome.ok
    assert outcome.line() == "hf 2026-06-12: 30 papers → hf-daily-2026-06-12.json"
    written = tmp_path / "digests" / "hf-daily-2026-06-12.json"
    assert written.read_bytes() == hf_body
    assert len(json.loads(written.read_bytes())) == 30  # the response holds 30 entries, each one paper
    [request] = server.requests
    assert (request.method, request.path) == ("GET", "/api/daily_papers?date=2026-06-12")
    assert request.headers == [
        ("Host", f"127.0.0.1:{server.port}"),
        ("User-Agent", UA),
        ("Accept-Encoding", "gzip"),
        ("Accept", "application/json"),
    ]
    assert list(tmp_path.joinpath("digests").iterdir()) == [written]  # no temp file left behind


def test_a_second_fetch_sends_the_validators_and_a_304_keeps_the_file(server, clock, hf_body, tmp_path):
    etag, modified = '"hf-0612-v1"', "Fri, 12 Jun 2026 09:00:00 GMT"
    server.serve("/api/daily_papers?date=2026-06-12",
                 Answer(200, hf_body, {"ETag": etag, "Last-Modified": modified}), Answer(304))
    state = tmp_path / "cache" / "fetch.json"
    run(hf_only(server), tmp_path, clock, state)
    before = (tmp_path / "hf-daily-2026-06-12.json").stat().st_mtime_ns
    [again] = run(hf_only(server), tmp_path, FakeClock(clock.time + 60), state)
    assert again.ok and again.line() == "hf 2026-06-12: unchanged since the last fetch, 30 papers → hf-daily-2026-06-12.json"
    first, second = server.requests
    assert ("If-None-Match", etag) not in first.headers
    assert second.headers[-2:] == [("If-None-Match", etag), ("If-Modified-Since", modified)]
    assert (tmp_path / "hf-daily-2026-06-12.json").stat().st_mtime_ns == before


def test_validators_are_not_sent_when_the_file_they_stand_for_is_gone(server, clock, hf_body, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, hf_body, {"ETag": '"v1"'}))
    state = tmp_path / "fetch.json"
    run(hf_only(server), tmp_path / "d", clock, state)
    (tmp_path / "d" / "hf-daily-2026-06-12.json").unlink()
    [outcome] = run(hf_only(server), tmp_path / "d", FakeClock(clock.time + 60), state)
    assert outcome.ok and (tmp_path / "d" / "hf-daily-2026-06-12.json").exists()
    assert not any(name == "If-None-Match" for name, _ in server.requests[1].headers)


def test_validators_are_not_sent_for_a_fetch_into_another_folder(server, clock, hf_body, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, hf_body, {"ETag": '"v1"'}))
    state = tmp_path / "fetch.json"
    run(hf_only(server), tmp_path / "a", clock, state)
    [outcome] = run(hf_only(server), tmp_path / "b", FakeClock(clock.time + 60), state)
    assert outcome.ok and (tmp_path / "b" / "hf-daily-2026-06-12.json").read_bytes() == hf_body
    assert not any(name == "If-None-Match" for name, _ in server.requests[1].headers)


def test_two_requests_to_one_host_are_three_seconds_apart_over_one_connection(server, clock, hf_body, tmp_path):
    for day in ("2026-06-11", "2026-06-12"):
        server.serve(f"/api/daily_papers?date={day}", Answer(200, hf_body))
    client = Client(clock=clock)
    with client:
        list(fetch.fetch(hf_only(server), tmp_path, dt.date(2026, 6, 11), client=client))
        list(fetch.fetch(hf_only(server), tmp_path, DAY, client=client))
    assert clock.slept == [3.0]
    assert len({request.connection for request in server.requests}) == 1


def test_the_wait_carries_over_between_runs_through_the_state_file(server, clock, hf_body, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, hf_body))
    state = tmp_path / "fetch.json"
    run(hf_only(server), tmp_path, clock, state)
    later = FakeClock(clock.time + 1.0)  # a second run one second after the first
    run(hf_only(server), tmp_path, later, state)
    assert later.slept == [2.0]


def test_429_is_retried_after_the_wait_it_asks_for(server, clock, hf_body, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(429, b"slow down", {"Retry-After": "7"}), Answer(200, hf_body))
    [outcome] = run(hf_only(server), tmp_path, clock)
    assert outcome.ok and outcome.papers == 30
    assert clock.slept == [7.0]  # the Retry-After, and the 3 s spacing fell inside it
    assert len(server.requests) == 2


def test_503_with_an_http_date_retry_after(server, clock, hf_body, tmp_path):
    when = "Wed, 13 Jan 2027 08:00:10 GMT"
    clock.time = dt.datetime(2027, 1, 13, 8, 0, 0, tzinfo=dt.UTC).timestamp()
    server.serve("/api/daily_papers?date=2026-06-12", Answer(503, b"", {"Retry-After": when}), Answer(200, hf_body))
    [outcome] = run(hf_only(server), tmp_path, clock)
    assert outcome.ok and clock.slept == [10.0]


def test_a_retry_after_beyond_the_bound_gives_up_at_once(server, clock, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(429, b"", {"Retry-After": "3600"}))
    [outcome] = run(hf_only(server), tmp_path, clock)
    assert not outcome.ok
    assert outcome.line() == "fetch hf: 127.0.0.1 answered 429 Too Many Requests and asks to wait 3,600 s; try again later"
    assert len(server.requests) == 1 and clock.slept == []
    assert list(tmp_path.iterdir()) == []


def test_429_that_never_ends_gives_up_after_the_retries(server, clock, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(429, b"", {"Retry-After": "5"}))
    [outcome] = run(hf_only(server), tmp_path, clock, retries=2)
    assert outcome.line() == "fetch hf: 127.0.0.1 answered 429 Too Many Requests 3 times; try again later"
    assert clock.slept == [5.0, 5.0] and len(server.requests) == 3


def test_500_is_one_line_and_an_earlier_file_stays(server, clock, tmp_path):
    earlier = tmp_path / "hf-daily-2026-06-12.json"
    earlier.write_text("[earlier]")
    server.serve("/api/daily_papers?date=2026-06-12", Answer(500, b"oops"))
    [outcome] = run(hf_only(server), tmp_path, clock)
    assert outcome.line() == "fetch hf: 127.0.0.1 answered 500 Internal Server Error"
    assert earlier.read_text() == "[earlier]"
    assert len(server.requests) == 1  # a 500 is not retried: the server said what it had to say


def test_a_connection_refused_is_retried_with_backoff_then_said(clock, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = FetchSettings(arxiv=[], hf=True, hf_url=f"http://127.0.0.1:{port}/api/daily_papers")
    [outcome] = run(settings, tmp_path, clock)
    assert outcome.line() == "fetch hf: cannot connect to 127.0.0.1 (connection refused)"
    assert clock.slept == [2.0, 1.0, 4.0, 8.0]  # backoff 2, 4, 8 s; the first one topped up to the 3 s spacing
    assert list(tmp_path.iterdir()) == []


def test_a_truncated_body_writes_nothing(server, clock, hf_body, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, hf_body, cut=5000))
    [outcome] = run(hf_only(server), tmp_path, clock)
    assert outcome.line() == f"fetch hf: 127.0.0.1 sent a truncated answer (5,000 of {len(hf_body):,} bytes)"
    assert list(tmp_path.iterdir()) == []


def test_a_body_cut_without_a_length_is_not_a_listing(server, clock, hf_body, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, hf_body, cut=5000, length=False))
    [outcome] = run(hf_only(server), tmp_path, clock)
    assert not outcome.ok
    assert outcome.line().startswith("fetch hf: 127.0.0.1 sent a hf-api-json listing that cannot be read (")
    assert list(tmp_path.iterdir()) == []


def test_html_instead_of_a_feed(server, clock, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, HTML, {"Content-Type": "text/html"}))
    [outcome] = run(hf_only(server), tmp_path, clock)
    assert outcome.line() == "fetch hf: 127.0.0.1 sent something that is not a feed (an HTML page)"
    assert list(tmp_path.iterdir()) == []


def test_another_digest_format_is_not_this_source(server, clock, fixtures, tmp_path):
    page = (fixtures / "fmt-hf-daily-2024.html").read_bytes()  # a real digest format, but not the API's JSON
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, page))
    [outcome] = run(hf_only(server), tmp_path, clock)
    assert outcome.line() == "fetch hf: 127.0.0.1 sent something that is not a feed (an HTML page)"


def test_an_empty_day_is_said_as_such(server, clock, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-13", Answer(200, b"[]"))
    [outcome] = run(hf_only(server), tmp_path, clock, day=dt.date(2026, 6, 13))
    assert outcome.ok
    assert outcome.line() == "hf 2026-06-13: the listing is empty (nothing posted yet?); nothing written"
    assert list(tmp_path.iterdir()) == []


def test_a_redirect_is_followed_and_spaced(server, clock, hf_body, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(302, b"", {"Location": "/mirror/daily?date=2026-06-12"}))
    server.serve("/mirror/daily?date=2026-06-12", Answer(200, hf_body))
    [outcome] = run(hf_only(server), tmp_path, clock)
    assert outcome.ok and outcome.papers == 30
    assert [r.path for r in server.requests] == ["/api/daily_papers?date=2026-06-12", "/mirror/daily?date=2026-06-12"]
    assert server.requests[1].headers == server.requests[0].headers  # the same polite headers after the hop
    assert clock.slept == [3.0]


def test_a_redirect_loop_ends(server, clock, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(301, b"", {"Location": "/api/daily_papers?date=2026-06-12"}))
    [outcome] = run(hf_only(server), tmp_path, clock, min_interval=0)
    assert outcome.line() == "fetch hf: 127.0.0.1 redirected more than 5 times"
    assert len(server.requests) == 6


def test_a_huge_body_announced_by_its_length_is_refused_unread(server, clock, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, b"[" + b" " * 2_000_000 + b"]"))
    [outcome] = run(hf_only(server), tmp_path, clock, max_bytes=2**20)
    assert outcome.line() == "fetch hf: 127.0.0.1 sent 1.9 MB, more than the 1 MB a listing may be; refused"
    assert list(tmp_path.iterdir()) == []


def test_a_huge_body_without_a_length_is_cut_off_at_the_bound(server, clock, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, b"[" + b" " * 3_000_000 + b"]", length=False))
    [outcome] = run(hf_only(server), tmp_path, clock, max_bytes=2**20)
    assert outcome.line() == "fetch hf: 127.0.0.1 sent more than the 1 MB a listing may be; refused"


def test_a_gzip_bomb_is_cut_off_at_the_bound(server, clock, tmp_path):
    bomb = gzip.compress(b"[" + b" " * 50_000_000 + b"]")  # 50 KB on the wire, 50 MB inflated
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, bomb, {"Content-Encoding": "gzip"}))
    [outcome] = run(hf_only(server), tmp_path, clock, max_bytes=2**20)
    assert outcome.line() == "fetch hf: 127.0.0.1 sent more than the 1 MB a listing may be; refused"


def test_a_gzip_answer_is_written_inflated(server, clock, hf_body, tmp_path):
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, gzip.compress(hf_body), {"Content-Encoding": "gzip"}))
    [outcome] = run(hf_only(server), tmp_path, clock)
    assert outcome.ok and (tmp_path / "hf-daily-2026-06-12.json").read_bytes() == hf_body


def test_a_silent_server_times_out(clock, tmp_path):
    with socket.socket() as listener:  # accepts the connection (the backlog does) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        settings = FetchSettings(arxiv=[], hf=True, hf_url=f"http://127.0.0.1:{listener.getsockname()[1]}/d")
        [outcome] = run(settings, tmp_path, clock, read_timeout=0.2, retries=1)
    assert outcome.line() == "fetch hf: 127.0.0.1 did not answer within 0.2 s"
    assert clock.slept == [2.0, 1.0]


# -- the command line --------------------------------------------------------------------------


@pytest.fixture
def no_waiting(monkeypatch):
    monkeypatch.setattr(fetch, "MIN_INTERVAL", 0.0)
    monkeypatch.setattr(fetch, "BACKOFF", 0.0)


def test_cli_writes_into_the_first_configured_folder(server, hf_body, tmp_path, private_home, monkeypatch, capsys, no_waiting):
    config = private_home / "xdg_config_home" / "digest-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'folders = ["{tmp_path / "inbox"}", "{tmp_path / "other"}"]\n[fetch]\narxiv = []\n')
    monkeypatch.setenv("DIGEST_TUI_HF_URL", server.base + "/api/daily_papers")
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, hf_body, {"ETag": '"e"'}))
    assert cli.main(["fetch", "--date", "2026-06-12"]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == ("hf 2026-06-12: 30 papers → hf-daily-2026-06-12.json\n", "")
    assert (tmp_path / "inbox" / "hf-daily-2026-06-12.json").read_bytes() == hf_body
    state = json.loads((private_home / "xdg_cache_home" / "digest-tui" / "fetch.json").read_text())
    assert state["validators"][server.base + "/api/daily_papers?date=2026-06-12"]["etag"] == '"e"'


def test_cli_exit_status_is_1_when_some_sources_answered(server, hf_body, tmp_path, monkeypatch, capsys, no_waiting):
    monkeypatch.setenv("DIGEST_TUI_HF_URL", server.base + "/api/daily_papers")
    monkeypatch.setenv("DIGEST_TUI_ARXIV_URL", server.base + "/rss/")
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, hf_body))
    server.serve("/rss/cs.CL+cs.LG", Answer(500))
    assert cli.main(["fetch", "--date", "2026-06-12", "--to", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert out == "hf 2026-06-12: 30 papers → hf-daily-2026-06-12.json\n"
    assert err == "digest-tui: fetch arxiv: 127.0.0.1 answered 500 Internal Server Error\n"
    assert [r.path for r in server.requests] == ["/rss/cs.CL+cs.LG", "/api/daily_papers?date=2026-06-12"]


def test_cli_exit_status_is_2_when_none_did(tmp_path, monkeypatch, capsys, no_waiting):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("DIGEST_TUI_HF_URL", f"http://127.0.0.1:{port}/api/daily_papers")
    assert cli.main(["fetch", "hf", "--to", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == "digest-tui: fetch hf: cannot connect to 127.0.0.1 (connection refused)\n"


def test_cli_without_a_folder_says_where_to_set_one(tmp_path, capsys):
    assert cli.main(["fetch", "hf"]) == 2
    assert "nowhere to write: give --to DIR or set `folders` in" in capsys.readouterr().err


def test_cli_refuses_an_unknown_source_and_a_bad_date(capsys):
    with pytest.raises(SystemExit):
        cli.main(["fetch", "rss"])
    assert "unknown source 'rss' (known: arxiv, hf)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["fetch", "--date", "12/06/2026"])
    assert "not a date (YYYY-MM-DD): '12/06/2026'" in capsys.readouterr().err


def test_the_arxiv_request_names_every_category_once():
    settings = FetchSettings(arxiv=["cs.CL", "cs.LG", "hep-th"])
    [arxiv, hf] = fetch.targets(settings, DAY)
    assert arxiv.url == "https://rss.arxiv.org/rss/cs.CL+cs.LG+hep-th"
    assert arxiv.name("2026-06-12") == "arxiv-cs.CL+cs.LG+hep-th-2026-06-12.xml"
    assert hf.url == "https://huggingface.co/api/daily_papers?date=2026-06-12"
    assert [t.source for t in fetch.targets(FetchSettings(arxiv=[], hf=False), DAY)] == []
    assert [t.source for t in fetch.targets(FetchSettings(arxiv=[], hf=False), DAY, ["hf"])] == ["hf"]


# -- arXiv's feed ------------------------------------------------------------------------------


def arxiv_only(server: FeedServer, *categories: str) -> FetchSettings:
    return FetchSettings(arxiv=list(categories or ("cs.CL", "cs.LG")), hf=False, arxiv_url=server.base + "/rss/")


def test_arxiv_a_recorded_real_feed(server, clock, shared_digests, tmp_path):
    body = (shared_digests / "arxiv-rss-cs.AI-2026-04-27-excerpt.xml").read_bytes()
    server.serve("/rss/cs.AI", Answer(200, body, {"Content-Type": "application/rss+xml; charset=utf-8"}))
    [outcome] = run(arxiv_only(server, "cs.AI"), tmp_path, clock, day=dt.date(2026, 4, 27))
    # three items, each `Announce Type: new`, all with pubDate Mon, 27 Apr 2026
    assert outcome.line() == "arxiv 2026-04-27: 3 papers (3 new) → arxiv-cs.AI-2026-04-27.xml"
    assert (tmp_path / "arxiv-cs.AI-2026-04-27.xml").read_bytes() == body
    [request] = server.requests
    assert (request.method, request.path) == ("GET", "/rss/cs.AI")
    assert request.headers == [
        ("Host", f"127.0.0.1:{server.port}"),
        ("User-Agent", UA),
        ("Accept-Encoding", "gzip"),
        ("Accept", "application/rss+xml, application/atom+xml;q=0.9, application/xml;q=0.8, */*;q=0.1"),
    ]


def test_arxiv_one_request_for_every_category_named_by_the_feeds_day(server, clock, fixtures, tmp_path):
    body = (fixtures / "arxiv-rss-cs.CL+cs.LG-2026-06-18.xml").read_bytes()
    server.serve("/rss/cs.CL+cs.LG", Answer(200, body))
    [outcome] = run(arxiv_only(server), tmp_path, clock, day=dt.date(2026, 6, 19))  # the morning after: the feed's day wins
    assert outcome.line() == ("arxiv 2026-06-18: 9 papers (5 new, 2 cross-list, 2 replacement) "
                              "→ arxiv-cs.CL+cs.LG-2026-06-18.xml")
    assert outcome.kinds == {"new": 5, "cross-list": 2, "replacement": 2}
    assert [r.path for r in server.requests] == ["/rss/cs.CL+cs.LG"]


def test_arxiv_a_named_day_the_feed_does_not_hold_is_not_written(server, clock, fixtures, tmp_path):
    server.serve("/rss/cs.CL+cs.LG", Answer(200, (fixtures / "arxiv-rss-cs.CL+cs.LG-2026-06-18.xml").read_bytes()))
    client = Client(clock=clock)
    with client:
        [outcome] = fetch.fetch(arxiv_only(server), tmp_path, dt.date(2026, 6, 10), client=client, exact_day=True)
    assert not outcome.ok
    assert outcome.line() == ("fetch arxiv: the feed holds the listing of 2026-06-18, not 2026-06-10 "
                              "(a feed has only the newest day); nothing written")
    assert list(tmp_path.iterdir()) == []


def test_arxiv_an_empty_weekend_feed_is_said_as_such(server, clock, fixtures, tmp_path):
    server.serve("/rss/cs.CL+cs.LG", Answer(200, (fixtures / "arxiv-rss-empty-2026-06-20.xml").read_bytes()))
    [outcome] = run(arxiv_only(server), tmp_path, clock, day=dt.date(2026, 6, 20))
    assert outcome.ok
    assert outcome.line() == "arxiv 2026-06-20: the listing is empty (weekend or holiday?); nothing written"
    assert list(tmp_path.iterdir()) == []


def test_arxiv_a_feed_cut_without_a_length_writes_nothing(server, clock, fixtures, tmp_path):
    body = (fixtures / "arxiv-rss-cs.CL+cs.LG-2026-06-18.xml").read_bytes()
    server.serve("/rss/cs.CL+cs.LG", Answer(200, body, cut=len(body) // 2, length=False))
    [outcome] = run(arxiv_only(server), tmp_path, clock)
    assert not outcome.ok and outcome.line().startswith("fetch arxiv: 127.0.0.1 sent a truncated answer (the feed is cut off after ")
    assert list(tmp_path.iterdir()) == []


def test_arxiv_html_or_hf_json_is_not_an_arxiv_feed(server, clock, hf_body, tmp_path):
    server.serve("/rss/cs.CL+cs.LG", Answer(200, HTML), Answer(200, hf_body))
    [html] = run(arxiv_only(server), tmp_path, clock)
    [json_answer] = run(arxiv_only(server), tmp_path, FakeClock(clock.time + 10))
    assert html.line() == "fetch arxiv: 127.0.0.1 sent something that is not a feed (an HTML page)"
    assert json_answer.line() == "fetch arxiv: 127.0.0.1 sent something that is not a feed"


def test_both_sources_one_after_the_other_spaced_on_one_connection(server, clock, fixtures, hf_body, tmp_path):
    server.serve("/rss/cs.CL+cs.LG", Answer(200, (fixtures / "arxiv-rss-cs.CL+cs.LG-2026-06-18.xml").read_bytes()))
    server.serve("/api/daily_papers?date=2026-06-12", Answer(200, hf_body))
    settings = FetchSettings(arxiv=["cs.CL", "cs.LG"], hf=True, arxiv_url=server.base + "/rss/",
                             hf_url=server.base + "/api/daily_papers")
    outcomes = run(settings, tmp_path, clock)
    assert [o.source for o in outcomes] == ["arxiv", "hf"] and all(o.ok for o in outcomes)
    assert clock.slept == [3.0]  # one host here, so the second request waits its 3 s
    assert len({r.connection for r in server.requests}) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arxiv-cs.CL+cs.LG-2026-06-18.xml", "hf-daily-2026-06-12.json"]


def test_the_reader_with_fetch_downloads_before_it_opens(server, hf_body, tmp_path, private_home, monkeypatch, capsys, no_waiting):
    config = private_home / "xdg_config_home" / "digest-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'folders = ["{tmp_path / "inbox"}"]\n[fetch]\narxiv = []\n')
    monkeypatch.setenv("DIGEST_TUI_HF_URL", server.base + "/api/daily_papers")
    today = dt.date.today().isoformat()
    server.serve(f"/api/daily_papers?date={today}", Answer(200, hf_body))
    app = cli.reader_app(["--fetch"])
    assert capsys.readouterr().out == f"hf {today}: 30 papers → hf-daily-{today}.json\n"
    assert (tmp_path / "inbox" / f"hf-daily-{today}.json").read_bytes() == hf_body
    assert app.paths_to_load == [str(tmp_path / "inbox")]  # and the reader opens the folder it wrote into


def test_a_name_that_does_not_resolve_is_said_at_once_as_offline(clock, tmp_path, monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)  # what an offline machine answers; no lookup is made
    [outcome] = run(FetchSettings(arxiv=["cs.CL"], hf=False), tmp_path, clock)
    assert outcome.line() == "fetch arxiv: cannot connect to rss.arxiv.org (offline?)"
    assert clock.slept == []  # no retries: being offline does not pass in 14 s
    assert list(tmp_path.iterdir()) == []
