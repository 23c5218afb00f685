"""Fixtures for the browser tests: the real app under uvicorn on loopback, and Debian's Chromium via Playwright.

The site is built once per module: reports written for these tests are ingested through the library into a
fresh SQLite file; a curfew and a safe corridor are published and an evacuation order is left as a draft
(through the HTTP API, as an operator would). Every page gets a guard that aborts and records any request
that would leave the server, and records console errors and uncaught page errors.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import os
import struct
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # webkit, like the other test folders' kits

from apikit import free_port  # noqa: E402
from webkit import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    CORRIDOR_HEADLINE,
    CORRIDOR_NAME,
    CORRIDOR_ROUTE,
    CURFEW_POLYGON,
    DRAFT_POLYGON,
    MISSING,
    REPORTS,
    SHAPELESS_HEADLINE,
    Site,
    Watched,
)


def _serve(app: Any) -> tuple[Any, threading.Thread, str]:
    """Run ``app`` under uvicorn in a thread on a free loopback port; returns the server, thread and base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def _stop(server: Any, thread: threading.Thread) -> None:
    server.should_exit = True
    thread.join(timeout=10)


def _post(url: str, token: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> Iterator[Site]:
    if MISSING:
        pytest.skip(MISSING)
    from tocsin.api import create_app
    from tocsin.auth import Auth
    from tocsin.ingestion import ingest_reports
    from tocsin.model import Report
    from tocsin.store import Store

    store = Store(tmp_path_factory.mktemp("web") / "web.db")
    auth = Auth(store)
    tokens = {role: auth.create_token(f"{role}-web", role)[1] for role in ("viewer", "operator")}
    reports = [Report(id=r["id"], text=r["text"], title=r.get("title"), source=r["source"],
                      published=dt.datetime.fromisoformat(r["published"])) for r in REPORTS]
    summary = ingest_reports(reports, store, extractor=extractor, drafts=False)
    assert summary.new == len(REPORTS) and summary.events >= 3, summary

    app = create_app(store, extractor=extractor, tiles_url="")
    server, thread, url = _serve(app)
    operator = tokens["operator"]
    curfew = _post(url + "/api/warnings", operator, {
        "kind": "curfew", "headline": "Curfew in Kramatorsk district", "issuer": "Regional military administration",
        "instruction": "Stay indoors from 22:00 to 06:00.",
        "areas": [{"name": "Kramatorsk district", "polygons": [CURFEW_POLYGON]}]})
    _post(f"{url}/api/warnings/{curfew['id']}/publish", operator, {})
    corridor = _post(url + "/api/warnings", operator, {
        "kind": "safe_corridor", "headline": CORRIDOR_HEADLINE, "issuer": "Regional military "
        "administration", "corridor": {"name": CORRIDOR_NAME, "route": CORRIDOR_ROUTE, "width_m": 2000}})
    _post(f"{url}/api/warnings/{corridor['id']}/publish", operator, {})
    draft = _post(url + "/api/warnings", operator, {
        "kind": "evacuation_order", "headline": "Leave central Kharkiv", "issuer": "City council",
        "instruction": "Leave now towards the west.",
        "areas": [{"name": "Central Kharkiv", "polygons": [DRAFT_POLYGON]}]})
    shapeless = _post(url + "/api/warnings", operator, {  # as drafted from a report whose place has no shape
        "kind": "strike_warning", "headline": SHAPELESS_HEADLINE, "issuer": "Air force", "areas": []})
    listed = httpx.get(url + "/api/events?limit=1000", headers={"Authorization": f"Bearer {tokens['viewer']}"})
    yield Site(url, tokens, curfew["id"], draft["id"], listed.json()["items"], store, shapeless["id"])
    _stop(server, thread)
    store.close()


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A one-colour PNG (the tile server's tiles)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


TILE = _png(256, 256, (200, 220, 240))


class _TileServer(http.server.BaseHTTPRequestHandler):
    """Tiles at /tiles/{z}/{x}/{y}.png; 404 for anything else."""

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        ok = self.path.startswith("/tiles/") and self.path.endswith(".png")
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "image/png" if ok else "text/plain")
        self.send_header("Content-Length", str(len(TILE) if ok else 0))
        self.end_headers()
        if ok:
            self.wfile.write(TILE)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def tile_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _TileServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _site_with_tiles(site: Site, extractor: Any, tiles: str) -> Iterator[Site]:
    from tocsin.api import create_app

    server, thread, url = _serve(create_app(site.store, extractor=extractor, tiles_url=tiles))
    yield dataclasses.replace(site, url=url)
    _stop(server, thread)


@pytest.fixture(scope="module")
def tiled_site(site: Site, extractor: Any) -> Iterator[Site]:
    """The same database served by a second app whose tile server is unreachable (a closed loopback port)."""
    yield from _site_with_tiles(site, extractor, f"http://127.0.0.1:{free_port()}/tiles/{{z}}/{{x}}/{{y}}.png")


@pytest.fixture(scope="module")
def live_tiles_site(site: Site, extractor: Any, tile_server: str) -> Iterator[Site]:
    """The same database with a working tile server on loopback (``Site.tiles`` is its host:port)."""
    tiles = f"http://{tile_server}/tiles/{{z}}/{{x}}/{{y}}.png"
    yield from _site_with_tiles(dataclasses.replace(site, tiles=tile_server), extractor, tiles)


@pytest.fixture(scope="module")
def broken_tiles_site(site: Site, extractor: Any, tile_server: str) -> Iterator[Site]:
    """A tile server that answers, but 404 for every tile of this template: the browser must fall back itself."""
    tiles = f"http://{tile_server}/missing/{{z}}/{{x}}/{{y}}.png"
    yield from _site_with_tiles(dataclasses.replace(site, tiles=tile_server), extractor, tiles)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if MISSING:
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    seen = Watched(page)

    def guard(route: Any) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc not in (seen.home, seen.tiles):
            seen.outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page.on("console", lambda m: seen.errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.errors.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: seen.errors.append(f"requestfailed: {r.url} {r.failure}")
            if urlsplit(r.url).netloc == seen.home else None)
    page.set_default_timeout(30_000)  # the shared 2-core machine can be very busy
    yield seen
    context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: $TOCSIN_WEB_SHOTS when set (to look at them), else the test's tmp dir."""
    target = Path(os.environ.get("TOCSIN_WEB_SHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target
