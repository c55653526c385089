"""A real HTTP/1.1 server on 127.0.0.1 for the fetch tests: serves scripted answers per path and
records every request it received (method, path, headers in order, which connection)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    """One scripted answer. `cut` sends only that many bytes of the body and closes the connection;
    `length` overrides Content-Length (None: the body's length; False: no Content-Length, close after)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    cut: int | None = None
    length: int | bool | None = None


@dataclass
class Received:
    method: str
    path: str
    headers: list[tuple[str, str]]
    connection: int  # the client's port: the same number for requests over one connection


class FeedServer:
    """`routes[path]` is a list of Answers given in turn (the last one repeats); unknown paths get 404."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Answer]] = {}
        self.requests: list[Received] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(Received("GET", self.path, list(self.headers.items()), self.client_address[1]))
                answers = server.routes.get(self.path)
                if not answers:
                    answer = Answer(404, b"not here")
                else:
                    answer = answers.pop(0) if len(answers) > 1 else answers[0]
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if answer.length is False:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(answer.body) if answer.length is None else answer.length))
                self.end_headers()
                body = answer.body if answer.cut is None else answer.body[: answer.cut]
                self.wfile.write(body)
                if answer.cut is not None:
                    self.close_connection = True

        self.http = _QuietServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.port = self.http.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.http.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def serve(self, path: str, *answers: Answer) -> str:
        self.routes[path] = list(answers)
        return self.base + path

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.http.shutdown()
        self.http.server_close()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up on a refused body is what the test is about, not a server error


class FakeClock:
    """Time that moves only when slept through: the tests see every wait without waiting."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.time = start
        self.slept: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.time += seconds
