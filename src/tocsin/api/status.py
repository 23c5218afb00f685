"""``GET /api/status?lat=&lon=&at=``: what applies at a point, answered from the in-memory StatusIndex.

The hot path of the API. ``StatusFastPath`` (an ASGI middleware) answers a well-formed request before
FastAPI's routing and dependency machinery: it reads the query string, asks the index, and sends the
bytes (orjson when installed). Anything it cannot answer (a bad or unknown parameter) goes on to the
FastAPI route below, which answers the same way or with the coded 422. No database is touched unless
the snapshot is due for its re-check (see ``state.StatusCache``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from tocsin.api.auth import state_of
from tocsin.api.fields import parse_time
from tocsin.errors import E, InputError, TocsinError
from tocsin.warnings.status import StatusAnswer

try:
    import orjson

    def _dumps(obj: Any) -> bytes:
        return orjson.dumps(obj)
except ImportError:  # pragma: no cover - orjson is optional

    def _dumps(obj: Any) -> bytes:
        return json.dumps(obj, separators=(",", ":")).encode()


__all__ = ["StatusFastPath", "answer", "parse_query", "router", "status_json"]

router = APIRouter(tags=["status"])
_ALLOWED = frozenset(("lat", "lon", "at"))
_PARAMETERS = [
    {"name": "lat", "in": "query", "required": True, "schema": {"type": "number", "minimum": -90, "maximum": 90},
     "description": "Latitude (WGS 84)."},
    {"name": "lon", "in": "query", "required": True, "schema": {"type": "number", "minimum": -180, "maximum": 180},
     "description": "Longitude (WGS 84)."},
    {"name": "at", "in": "query", "required": False, "schema": {"type": "string", "format": "date-time"},
     "description": "ISO 8601 time (default now; without an offset it is UTC)."},
]


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _coordinate(params: Any, name: str, limit: float) -> float:
    raw = params.get(name)
    expected = f"a number in -{limit:g}..{limit:g}"
    if raw is None:
        raise InputError(E.T010.format(where="query", field=name, expected=expected, value=None), field=name)
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and -limit <= value <= limit):
        raise InputError(E.T010.format(where="query", field=name, expected=expected, value=raw), field=name)
    return value


def _at(raw: str | None) -> dt.datetime:
    return parse_time(raw, "at") or dt.datetime.now(dt.UTC)


def status_json(answer: StatusAnswer) -> dict[str, Any]:
    """The contract's status shape (docs/api.md)."""
    curfews = [h for h in answer.warnings if h.kind == "curfew"]
    curfew = None
    if curfews:
        main = next((h for h in curfews if h.in_force), curfews[0])
        curfew = {"in_force": answer.curfew, "until": _iso(answer.curfew_until) if answer.curfew else None,
                  "warning_id": main.warning_id}
    corridor = answer.nearest_corridor
    return {
        "lat": answer.lat,
        "lon": answer.lon,
        "at": _iso(answer.at),
        "warnings": [
            {"id": h.warning_id, "kind": h.kind, "headline": h.headline, "instruction": h.instruction,
             "issuer": h.issuer, "effective": _iso(h.effective), "expires": _iso(h.expires), "in_force": h.in_force,
             "until": _iso(h.until)}
            for h in answer.warnings
        ],
        "curfew": curfew,
        "nearest_corridor": None if corridor is None else {
            "id": corridor.warning_id, "name": corridor.name, "distance_m": corridor.distance_m, "open": True,
            "open_until": _iso(corridor.open_until)},
    }


def parse_query(params: Mapping[str, str]) -> tuple[float, float, dt.datetime]:
    """(lat, lon, at) from the query parameters; InputError naming the field otherwise."""
    if len(params) > 2 or not _ALLOWED.issuperset(params):
        unknown = sorted(set(params) - _ALLOWED)
        if unknown:
            raise InputError(E.T606.format(names=", ".join(repr(n) for n in unknown), valid="at, lat, lon"),
                             field=unknown[0])
    return _coordinate(params, "lat", 90), _coordinate(params, "lon", 180), _at(params.get("at"))


def answer(index: Any, lat: float, lon: float, at: dt.datetime) -> bytes:
    return _dumps(status_json(index.status(lat, lon, at)))


@router.get("/api/status", summary="Active warnings, curfew and the nearest open corridor at a point",
            openapi_extra={"parameters": _PARAMETERS}, response_class=Response,
            responses={200: {"content": {"application/json": {}}}})
async def status(request: Request) -> Response:
    lat, lon, at = parse_query(request.query_params)
    index = await state_of(request).status.index()
    return Response(answer(index, lat, lon, at), media_type="application/json")


class StatusFastPath:
    """Answer ``GET /api/status`` without FastAPI's routing; everything else (and any error) passes through."""

    def __init__(self, app: ASGIApp, cache: Any) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/api/status" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        try:
            params = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
            lat, lon, at = parse_query(params)
        except (TocsinError, UnicodeDecodeError, ValueError):
            await self.app(scope, receive, send)  # the route answers with the coded error
            return
        body = answer(await self.cache.index(), lat, lon, at)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]})
        await send({"type": "http.response.body", "body": body})
