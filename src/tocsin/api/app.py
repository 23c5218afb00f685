"""The FastAPI app: ``create_app(store)`` wires the routers, the error mapping, the body limit and the web page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import tocsin
from tocsin import settings
from tocsin.api import events, reports, status, subscriptions, tokens, warnings
from tocsin.api.errors import BodyTooLarge, install_error_handlers
from tocsin.api.state import ApiState, StatusCache
from tocsin.api.tiles import TileProbe
from tocsin.auth import Auth
from tocsin.errors import ConfigError
from tocsin.store import Store

__all__ = ["DEFAULT_MAX_BODY_BYTES", "WEB_DIR", "BodyLimit", "create_app"]

DEFAULT_MAX_BODY_BYTES = 5_000_000
WEB_DIR = Path(__file__).resolve().parent.parent / "web"
_ATTRIBUTION = "© OpenStreetMap contributors"
_PLACEHOLDER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tocsin</title></head>
<body><h1>tocsin</h1><p>The web page is not installed (src/tocsin/web/ is empty).
The API is here: <a href="/docs">/docs</a>, <a href="/openapi.json">/openapi.json</a>,
<a href="/feed.atom">/feed.atom</a>.</p></body></html>
"""


def _telemetry_off() -> dict[str, Any]:
    """tocsin runs offline: switch FastAPI's OpenTelemetry hooks off (they check providers on every request)."""
    import inspect

    if "telemetry" in inspect.signature(FastAPI.__init__).parameters:
        return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}
    return {}


_NO_TELEMETRY = _telemetry_off()


def _setting(name: str, default: Any) -> Any:
    """A setting from ``tocsin.settings`` when it is declared there, else its environment variable or default."""
    try:
        return settings.get(name)
    except ConfigError:
        raw = os.environ.get("TOCSIN_" + name.upper())
        if raw is None or raw == "":
            return default
        return type(default)(raw) if default is not None else raw


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        for key, value in scope["headers"]:
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.limit:
                    await self._refuse(scope, send)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, limited, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        from starlette.responses import JSONResponse

        from tocsin.api.errors import error_body

        error = BodyTooLarge(self.limit)
        response = JSONResponse(error_body("T605", str(error.detail)), 413, headers={"Connection": "close"})
        await response(scope, _drain, send)


async def _drain() -> Message:
    return {"type": "http.disconnect"}


def _mount_web(app: FastAPI) -> None:
    index = WEB_DIR / "index.html"
    static = WEB_DIR / "static" if (WEB_DIR / "static").is_dir() else WEB_DIR

    @app.get("/", include_in_schema=False)
    def home() -> Any:
        if index.is_file():
            return FileResponse(index, media_type="text/html")
        return HTMLResponse(_PLACEHOLDER)

    if static.is_dir():
        app.mount("/static", StaticFiles(directory=static), name="static")


def create_app(
    store: Store | str,
    *,
    extractor: Any = None,
    max_body_bytes: int | None = None,
    status_ttl_s: float | None = None,
    tiles_url: str | None = None,
) -> FastAPI:
    """The tocsin HTTP API over ``store`` (a Store, or a database path/URL opened and upgraded here).

    ``extractor`` is the ``Extractor`` used for ``POST /api/reports`` (loaded on first use when None).
    """
    from tocsin.warnings.store import WarningStore

    if not isinstance(store, Store):
        store = Store(store)
    limit = int(max_body_bytes if max_body_bytes is not None else _setting("api_max_body_bytes",
                                                                            DEFAULT_MAX_BODY_BYTES))
    ttl = float(status_ttl_s if status_ttl_s is not None else _setting("status_ttl_s", 1.0))
    ws = WarningStore(store)
    tiles = tiles_url if tiles_url is not None else (_setting("tiles_url", "") or None)
    state = ApiState(
        store=store, warnings=ws, auth=Auth(store), status=StatusCache(ws, ttl), max_body_bytes=limit,
        tiles_url=tiles or None, attribution=_setting("tiles_attribution", _ATTRIBUTION), extractor=extractor,
        tiles=TileProbe(tiles),
    )
    app = FastAPI(title="tocsin", version=tocsin.__version__,
                  description="Conflict events and CAP 1.2 civilian warnings. See docs/api.md.",
                  **_NO_TELEMETRY)
    app.state.tocsin = state
    install_error_handlers(app)
    app.add_middleware(BodyLimit, limit=limit)
    app.add_middleware(status.StatusFastPath, cache=state.status)  # added last: runs first
    for module in (status, events, reports, warnings, subscriptions, tokens):
        app.include_router(module.router)
    app.include_router(warnings.feed_router)

    @app.get("/api/config", tags=["web"],
             summary="What the web page needs: tiles URL, whether it answers, attribution, version")
    def config(request: Request) -> dict[str, Any]:
        s: ApiState = request.app.state.tocsin
        return {"tiles_url": s.tiles_url, "tiles_reachable": s.tiles.reachable(), "attribution": s.attribution,
                "version": tocsin.__version__}

    _mount_web(app)
    return app
