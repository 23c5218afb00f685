"""``/api/warnings``: GeoJSON lists, CAP XML, and the operator's create/edit/publish/update/cancel; the Atom feed.

Reading published warnings is public. Drafts (and every change) need the operator role. Each change
goes through ``WarningStore`` inside an audit scope, then tells the status snapshot to re-check.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

import shapely
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from shapely.geometry import MultiPolygon, Polygon

from tocsin.api.auth import PageDep, known_query, optional_principal, require, state_of
from tocsin.api.fields import UtcTime, XmlText, parse_time
from tocsin.auth import Principal, audited, warning_snapshot
from tocsin.errors import E, InputError, NotFound
from tocsin.model import to_dict
from tocsin.store.warning_tables import MAX_NAME_BYTES
from tocsin.warnings.cap import parse_cap, without_declaration
from tocsin.warnings.drafts import new_identifier
from tocsin.warnings.geometry import (
    area_from_geojson,
    gazetteer_resolver,
    parse_circle,
    parse_polygon,
    parse_route,
    resolve_named_area,
)
from tocsin.warnings.records import Corridor, Warning, WarningArea
from tocsin.warnings.timewindow import parse_window

__all__ = ["FEED_PATHS", "feed_router", "router", "warning_feature"]

router = APIRouter(prefix="/api/warnings", tags=["warnings"], dependencies=[Depends(known_query)])
feed_router = APIRouter(tags=["warnings"], dependencies=[Depends(known_query)])

Operator = Annotated[Principal, require("operator")]
CAP_TYPE = "application/cap+xml"


# -- formatting ---------------------------------------------------------------------------------------


def public_status(stored: Any, at: dt.datetime) -> str:
    """draft, published, expired, cancelled or superseded."""
    if stored.state != "published":
        return str(stored.state)
    ends = stored.warning.ends
    return "expired" if ends is not None and ends <= at else "published"


def warning_feature(stored: Any, at: dt.datetime) -> list[dict[str, Any]]:
    """The features of one warning: its areas as one (Multi)Polygon feature, each corridor as its own.

    A draft without any shape yet has one feature with ``geometry: null`` (the operator draws it).
    """
    w = stored.warning
    props = to_dict({
        "id": stored.key, "identifier": w.id, "sender": w.sender,
        "kind": w.kind, "status": public_status(stored, at), "cap_status": w.status,
        "msg_type": w.msg_type,
        "headline": w.headline, "description": w.description, "instruction": w.instruction,
        "issuer": w.sender_name or w.sender, "effective": w.starts, "expires": w.ends,
        "window": w.window.to_text() if w.window else None, "areas": [a.description for a in w.areas],
        "report_id": w.report_id, "evidence": w.evidence, "version": stored.version,
        "published_at": stored.published_at, "published_by": stored.published_by,
        "superseded_by": stored.superseded_by,
    })
    shape = w.shape
    features = []
    if shape is not None or not w.corridors:  # a corridor-only warning is drawn by its corridors
        features.append({"type": "Feature", "id": stored.key, "properties": props,
                         "geometry": json.loads(shapely.to_geojson(shape)) if shape is not None else None})
    for corridor in w.corridors:
        route = [list(c) for c in corridor.route.coords]
        features.append({
            "type": "Feature", "id": stored.key,
            "properties": {**props, "kind": "safe_corridor", "name": corridor.name, "route": route,
                           "width_m": corridor.width_m},
            "geometry": json.loads(shapely.to_geojson(corridor.area)),
        })
    return features


def _collection(items: list[Any], at: dt.datetime, page: Any) -> dict[str, Any]:
    chosen = items[page.offset : page.offset + page.limit]
    features = [f for stored in chosen for f in warning_feature(stored, at)]
    return {"type": "FeatureCollection", "features": features, "total": len(items), "limit": page.limit,
            "offset": page.offset}


# -- reads ---------------------------------------------------------------------------------------------


@router.get("", summary="Warnings as GeoJSON: active published ones (public), drafts or all (operator)")
def list_warnings(
    request: Request,
    page: PageDep,
    status: Annotated[Literal["active", "draft", "all"], Query(description="active, draft or all")] = "active",
    at: Annotated[str | None, Query(description="ISO 8601 time for 'active' (default now).")] = None,
) -> dict[str, Any]:
    state = state_of(request)
    when = parse_time(at, "at") or dt.datetime.now(dt.UTC)
    if status != "active":
        who = optional_principal(request)
        if who is None:
            state.auth.authenticate(None)  # 401: drafts are never public
        assert who is not None
        who.require("operator", f"GET /api/warnings?status={status}")
    ws = state.warnings
    if status == "active":
        items = ws.active_stored(when)  # real alerts only: a reader could take an Exercise for real
    elif status == "draft":
        items = ws.list(state="draft")
    else:
        items = [s for s in ws.list() if s.warning.msg_type != "Cancel"]
    return _collection(items, when, page)


#: ``?sender=``: the path then names a CAP identifier of that sender (CAP identifiers are unique per sender only).
SenderQuery = Annotated[str | None, Query(
    max_length=MAX_NAME_BYTES, description="The CAP sender: the path is then that sender's CAP identifier. Needed "
    "only when several senders use one identifier; each stored message also has its own key (the 'id' of its "
    "feature).")]


def _visible(request: Request, warning_id: str, sender: str | None = None) -> Any:
    stored = state_of(request).warnings.get(warning_id, sender)
    if stored.published_at is None:  # a draft, or a draft discarded (cancelled) before it was ever published
        who = optional_principal(request)
        if who is None or not who.allows("operator"):
            raise NotFound(E.T204.format(what="published warning", id=warning_id), id=warning_id)
    return stored


# ``{warning_id:path}``: CAP identifiers may hold '/' (``http://doj.dc.gov/amber12345``); the routes with a
# suffix come first so that ``/{warning_id:path}`` does not take their paths.
@router.get("/{warning_id:path}/cap.xml", summary="One warning as CAP 1.2 XML", response_class=Response,
            responses={200: {"content": {CAP_TYPE: {}}}})
def get_cap(request: Request, warning_id: str, sender: SenderQuery = None) -> Response:
    return Response(_visible(request, warning_id, sender).cap_xml, media_type=CAP_TYPE)


@router.get("/{warning_id:path}", summary="One warning as a GeoJSON Feature (drafts: operator)")
def get_warning(request: Request, warning_id: str, sender: SenderQuery = None) -> dict[str, Any]:
    features = warning_feature(_visible(request, warning_id, sender), dt.datetime.now(dt.UTC))
    return features[0] if len(features) == 1 else {"type": "FeatureCollection", "features": features}


@feed_router.get("/warnings/{warning_id:path}.xml", summary="CAP XML at the path the Atom feed links to",
                 response_class=Response, responses={200: {"content": {CAP_TYPE: {}}}})
def get_cap_file(request: Request, warning_id: str, sender: SenderQuery = None) -> Response:
    return get_cap(request, warning_id, sender)


#: The Atom feed's paths: ``/feed`` (the short one), ``/feed.atom``, and ``/warnings.atom`` (the feed's own id and
#: rel="self" link, written by ``tocsin.warnings.feed``).
FEED_PATHS = ("/feed", "/feed.atom", "/warnings.atom")


def feed(request: Request) -> Response:
    """Atom feed of the active published alerts (public)."""
    base = str(request.base_url).rstrip("/")
    return Response(state_of(request).warnings.feed(base), media_type="application/atom+xml")


for _path in FEED_PATHS:
    feed_router.add_api_route(_path, feed, methods=["GET"], summary="Atom feed of active published alerts",
                              response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})


# -- writes --------------------------------------------------------------------------------------------


class AreaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: XmlText = Field("area", min_length=1, max_length=500, description="The areaDesc.")
    polygons: list[XmlText] = Field(default_factory=list, max_length=100, description="CAP 'lat,lon lat,lon ...'")
    circles: list[XmlText] = Field(default_factory=list, max_length=100, description="CAP 'lat,lon radius_km'")
    geojson: dict[str, Any] | None = Field(None, description="A GeoJSON Polygon/MultiPolygon (or Feature).")
    place: XmlText | None = Field(None, max_length=500, description="A gazetteer place name (its polygon or circle).")
    radius_km: float | None = Field(None, gt=0, le=1000, description="Radius for a place without a polygon.")


class CorridorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: XmlText = Field("corridor", min_length=1, max_length=500)
    route: XmlText | Annotated[list[Annotated[list[float], Field(min_length=2, max_length=2)]], Field(min_length=2)] = (
        Field(..., description="'lat,lon lat,lon ...' or [[lon, lat], ...]"))
    width_m: float = Field(1000.0, gt=0, le=100_000)


class WarningIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: XmlText = "evacuation_order"
    headline: XmlText | None = Field(None, max_length=500)
    description: XmlText | None = Field(None, max_length=10_000)
    instruction: XmlText | None = Field(None, max_length=10_000)
    issuer: XmlText | None = Field(None, max_length=500, description="senderName: the authority that ordered it.")
    sender: XmlText = Field("tocsin@localhost", min_length=1, max_length=MAX_NAME_BYTES)
    effective: UtcTime | None = None
    expires: UtcTime | None = None
    window: XmlText | None = Field(None, max_length=500, description="'daily 22:00-06:00 Europe/Kyiv' or 'START/END'")
    severity: XmlText = "Severe"
    urgency: XmlText = "Immediate"
    certainty: XmlText = "Likely"
    category: XmlText = "Safety"
    areas: list[AreaIn] = Field(default_factory=list, max_length=5000)
    corridor: CorridorIn | None = None
    report_id: XmlText | None = Field(None, max_length=500)
    cap_xml: XmlText | None = Field(None, description="Create from a CAP 1.2 message instead of the fields.")


class WarningPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    headline: XmlText | None = Field(None, max_length=500)
    description: XmlText | None = Field(None, max_length=10_000)
    instruction: XmlText | None = Field(None, max_length=10_000)
    effective: UtcTime | None = None
    expires: UtcTime | None = None
    window: XmlText | None = Field(None, max_length=500)
    severity: XmlText | None = None
    areas: list[AreaIn] | None = Field(None, max_length=5000)
    version: int | None = Field(None, ge=0, le=2**53, description="The version you saw; 409 if it moved on.")


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["Actual", "Exercise", "System", "Test"] = "Actual"


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: XmlText | None = Field(None, max_length=2000)


def _areas(request: Request, areas: list[AreaIn]) -> list[WarningArea]:
    out = []
    resolver = None
    for i, area in enumerate(areas):
        where = f"areas.{i}"
        polygons = [parse_polygon(p, f"{where}.polygons.{j}") for j, p in enumerate(area.polygons)]
        circles = tuple(parse_circle(c, f"{where}.circles.{j}") for j, c in enumerate(area.circles))
        shapes = []
        if area.geojson is not None:
            shapes.append(area_from_geojson(area.geojson, f"{where}.geojson"))
        if area.place is not None:
            resolver = resolver or gazetteer_resolver(state_of(request).store.places())
            shapes.append(resolve_named_area(area.place, resolver, area.radius_km))
        for shape in shapes:
            polygons.extend(shape.geoms if isinstance(shape, MultiPolygon) else [shape])
        out.append(WarningArea(area.name, polygons=tuple(p for p in polygons if isinstance(p, Polygon)),
                               circles=circles))
    return out


def _warning(request: Request, body: WarningIn) -> Warning:
    if body.cap_xml is not None:
        # JSON carries text, not bytes: a declared encoding (ISO-8859-1, UTF-16...) no longer applies
        return parse_cap(without_declaration(body.cap_xml).encode("utf-8"), "cap_xml")
    corridors = []
    if body.corridor is not None:
        c = body.corridor
        route = c.route if isinstance(c.route, str) else {"type": "LineString", "coordinates": c.route}
        corridors.append(Corridor(c.name, parse_route(route, "corridor.route"), c.width_m))
    return Warning(
        id=new_identifier(), kind=body.kind, sender=body.sender, sent=dt.datetime.now(dt.UTC), status="Draft",
        category=body.category, event=body.kind.replace("_", " "), urgency=body.urgency, severity=body.severity,
        certainty=body.certainty, effective=body.effective, expires=body.expires,
        sender_name=body.issuer, headline=body.headline, description=body.description,
        instruction=body.instruction, areas=_areas(request, body.areas),
        window=parse_window(body.window) if body.window else None, corridors=corridors, report_id=body.report_id,
    )


def _changed(request: Request, state: Any, warning_id: str, who: Principal, action: str, call: Any,
             sender: str | None = None) -> Any:
    """Run ``call`` audited against the row ``warning_id`` (its key; with ``sender``, the identifier of a create)."""
    with audited(who.name, action, f"warning:{warning_id}", warning_snapshot(warning_id, sender)):
        stored = call()
    state.status.invalidate()
    return warning_feature(stored, dt.datetime.now(dt.UTC))[0]


@router.post("", status_code=201, summary="Create a draft (nothing is public until published)")
def create_warning(request: Request, body: WarningIn, who: Operator) -> dict[str, Any]:
    state = state_of(request)
    warning = _warning(request, body)
    return _changed(request, state, warning.id, who, "warning.create", lambda: state.warnings.create(warning, who.name),
                    sender=warning.sender)


def _changes(request: Request, body: WarningPatch) -> tuple[dict[str, Any], int | None]:
    given = body.model_fields_set - {"version"}
    changes: dict[str, Any] = {k: getattr(body, k) for k in given & {"headline", "description", "instruction"}}
    if "severity" in given and body.severity is not None:
        changes["severity"] = body.severity
    changes.update({name: getattr(body, name) for name in given & {"effective", "expires"}})
    if "window" in given:
        changes["window"] = parse_window(body.window) if body.window else None
    if "areas" in given and body.areas is not None:
        changes["areas"] = _areas(request, body.areas)
    if not changes:
        raise InputError(E.T607.format(field="body", detail="give at least one field to change"), field="body")
    return changes, body.version


def _edited(request: Request, warning_id: str, body: WarningPatch, who: Operator, sender: str | None,
            action: str) -> dict[str, Any]:
    """``WarningStore.update`` of the message ``warning_id`` names, audited as ``action``: a draft is edited in place,
    a published warning gets a new CAP Update draft."""
    state = state_of(request)
    changes, version = _changes(request, body)
    key = state.warnings.key_of(warning_id, sender)
    return _changed(request, state, key, who, action,
                    lambda: state.warnings.update(key, who.name, expected_version=version, **changes))


# PATCH and POST .../update do the same; only the audit log's action says which the operator asked for.
@router.patch("/{warning_id:path}", summary="Edit a draft (a published warning gets an Update draft instead)")
def edit_warning(request: Request, warning_id: str, body: WarningPatch, who: Operator,
                 sender: SenderQuery = None) -> dict[str, Any]:
    return _edited(request, warning_id, body, who, sender, "warning.edit")


@router.post("/{warning_id:path}/update", summary="Draft a CAP Update of a published warning (publish it next)")
def update_warning(request: Request, warning_id: str, body: WarningPatch, who: Operator,
                   sender: SenderQuery = None) -> dict[str, Any]:
    return _edited(request, warning_id, body, who, sender, "warning.update")


@router.post("/{warning_id:path}/publish", summary="Publish a draft: feed, status answers, webhooks")
def publish_warning(request: Request, warning_id: str, who: Operator, body: PublishIn | None = None,
                    sender: SenderQuery = None) -> dict[str, Any]:
    state = state_of(request)
    status = body.status if body else "Actual"
    key = state.warnings.key_of(warning_id, sender)
    return _changed(request, state, key, who, "warning.publish", lambda: state.warnings.publish(key, who.name, status))


@router.post("/{warning_id:path}/cancel", summary="Cancel a published warning (CAP Cancel) or discard a draft")
def cancel_warning(request: Request, warning_id: str, who: Operator, body: CancelIn | None = None,
                   sender: SenderQuery = None) -> dict[str, Any]:
    state = state_of(request)
    note = body.note if body else None
    key = state.warnings.key_of(warning_id, sender)
    return _changed(request, state, key, who, "warning.cancel", lambda: state.warnings.cancel(key, who.name, note))
