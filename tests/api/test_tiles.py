"""The server's check of the configured tile server, and what ``GET /api/config`` says about it."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apikit import TestClient, free_port, make_api

from tocsin.api import create_app
from tocsin.api.tiles import TileProbe, first_tile
from tocsin.store import Store


class _Tiles(http.server.BaseHTTPRequestHandler):
    asked: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        _Tiles.asked.append(self.path)
        self.send_response(404)  # any answer means the server is there
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def tile_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Tiles.asked.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("template", "url"),
    [
        ("https://t.example.org/{z}/{x}/{y}.png", "https://t.example.org/0/0/0.png"),  # the usual form
        ("https://{s}.t.example.org/{z}/{x}/{y}{r}.png", "https://a.t.example.org/0/0/0.png"),  # subdomains, retina
        ("https://t.example.org/{z}/{x}/{-y}.png", "https://t.example.org/0/0/0.png"),  # TMS rows
    ],
)
def test_the_world_tile_of_a_template(template: str, url: str) -> None:
    assert first_tile(template) == url


def test_no_tile_server_is_not_asked() -> None:
    assert TileProbe(None).reachable() is None and TileProbe("").reachable() is None


def test_a_closed_port_is_unreachable() -> None:
    assert TileProbe(f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png").reachable() is False


def test_any_answer_is_reachable_and_asked_once_per_ttl(tile_server: str) -> None:
    probe = TileProbe(tile_server + "/tiles/{z}/{x}/{y}.png", ttl_s=3600)
    assert probe.reachable() is True and probe.reachable() is True
    assert _Tiles.asked == ["/tiles/0/0/0.png"]  # the second answer came from the cache


@pytest.mark.parametrize(
    ("tiles", "reachable"),
    [
        ("", None),  # none configured: the page draws its plain map
        ("closed", False),  # nothing answers there: the page never asks for a tile
        ("live", True),  # a server answers: the page loads its tiles
    ],
)
def test_config_says_whether_the_tiles_answer(tmp_path: Path, extractor: Any, tile_server: str, tiles: str,
                                              reachable: bool | None) -> None:
    url = {"": "", "closed": f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png",
           "live": tile_server + "/{z}/{x}/{y}.png"}[tiles]
    api = make_api(tmp_path / "tiles.db", extractor, tiles_url=url)
    with api.client:
        config = api.client.get("/api/config").json()
    api.store.close()
    assert config["tiles_url"] == (url or None) and config["tiles_reachable"] is reachable


def test_the_tiles_url_setting_reaches_the_page(tmp_path: Path, extractor: Any, tile_server: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    template = tile_server + "/osm/{z}/{x}/{y}.png"
    monkeypatch.setenv("TOCSIN_TILES_URL", template)
    monkeypatch.setenv("TOCSIN_TILES_ATTRIBUTION", "© Test Tiles")
    store = Store(tmp_path / "setting.db")
    with TestClient(create_app(store)) as client:  # no tiles_url argument: the setting decides
        config = client.get("/api/config").json()
    store.close()
    assert config["tiles_url"] == template and config["tiles_reachable"] is True
    assert config["attribution"] == "© Test Tiles" and _Tiles.asked == ["/osm/0/0/0.png"]
