"""Test kit: a loopback HTTP server whose routes the tests change between polls, plus feed builders."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml"
    etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    hang_s: float = 0.0
    statuses: list[int] = field(default_factory=list)
    """Statuses answered first, one per request, before ``status``."""
    stream_bytes: int = 0
    """Send this many bytes in chunks without a Content-Length instead of ``body``."""


class Loopback:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.released = threading.Event()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                server.serve(self, b"")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length") or 0)
                server.serve(self, self.rfile.read(length))

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str, method: str = "GET") -> list[dict[str, str]]:
        with self.lock:
            return [h for m, p, h, _ in self.requests if p == path and m == method]

    def serve(self, handler: BaseHTTPRequestHandler, body_in: bytes) -> None:
        with self.lock:
            self.requests.append((handler.command, handler.path, dict(handler.headers.items()), body_in))
            route = self.routes.get(handler.path)
            status = route.statuses.pop(0) if route and route.statuses else (route.status if route else 404)
        if route is None:
            handler.send_response(404)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if route.hang_s:
            self.released.wait(route.hang_s)
        if route.etag and handler.headers.get("If-None-Match") == route.etag and status == 200:
            handler.send_response(304)
            handler.send_header("ETag", route.etag)
            handler.end_headers()
            return
        handler.send_response(status)
        handler.send_header("Content-Type", route.content_type)
        for key, value in route.headers.items():
            handler.send_header(key, value)
        if route.etag:
            handler.send_header("ETag", route.etag)
        if route.stream_bytes:
            handler.end_headers()
            chunk = b"<!-- filler -->" * 4096
            sent = 0
            try:
                while sent < route.stream_bytes:
                    handler.wfile.write(chunk)
                    sent += len(chunk)
            except OSError:
                pass  # the client refused the rest
            return
        handler.send_header("Content-Length", str(len(route.body)))
        handler.end_headers()
        handler.wfile.write(route.body)

    def close(self) -> None:
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def rss(items: list[tuple[str, str, str]], title: str = "Test wire") -> bytes:
    """An RSS 2.0 document; items are (guid, link, text)."""
    when = format_datetime(dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC))
    entries = "".join(
        f"<item><guid>{escape(g)}</guid><link>{escape(link)}</link><title>{escape(text[:40])}</title>"
        f"<description>{escape(text)}</description><pubDate>{when}</pubDate></item>"
        for g, link, text in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>http://127.0.0.1/</link><description>t</description>{entries}</channel></rss>").encode()



class SmtpSink:
    """A minimal SMTP server on loopback that keeps every message it receives (HELO/EHLO, MAIL, RCPT, DATA).

    While ``refuse`` is above zero, each RCPT is answered ``451`` (try later) and ``refuse`` counts down.
    """

    def __init__(self) -> None:
        import socketserver

        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse = 0
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.wfile.write(b"220 sink ready\r\n")
                sender, rcpts = "", []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    verb = line[:4].upper()
                    if verb in (b"HELO", b"EHLO"):
                        self.wfile.write(b"250 sink\r\n")
                    elif verb == b"MAIL":
                        sender, rcpts = line.decode().split(":", 1)[1].strip(), []
                        self.wfile.write(b"250 ok\r\n")
                    elif verb == b"RCPT" and sink.refuse > 0:
                        with sink.lock:
                            sink.refuse -= 1
                        self.wfile.write(b"451 4.3.0 mailbox busy, try again later\r\n")
                    elif verb == b"RCPT":
                        rcpts.append(line.decode().split(":", 1)[1].strip())
                        self.wfile.write(b"250 ok\r\n")
                    elif verb == b"DATA":
                        self.wfile.write(b"354 go ahead\r\n")
                        data = []
                        while (part := self.rfile.readline()) not in (b".\r\n", b""):
                            data.append(part)
                        with sink.lock:
                            sink.messages.append((sender, rcpts, b"".join(data)))
                        self.wfile.write(b"250 queued\r\n")
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")

        self.lock = threading.Lock()
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
