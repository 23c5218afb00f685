"""``/api/subscriptions`` (operator): webhooks that want warnings in an area. Secrets are never returned."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from tocsin.api.auth import PageDep, known_query, require, state_of
from tocsin.auth import Principal, audited, subscription_snapshot
from tocsin.model import to_dict

__all__ = ["SubscriptionIn", "router"]

router = APIRouter(prefix="/api/subscriptions", tags=["subscriptions"], dependencies=[Depends(known_query)])
Operator = Annotated[Principal, require("operator")]


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(..., min_length=1, max_length=2000, description="The webhook (http/https).")
    secret: str = Field(..., min_length=1, max_length=200, description="Shared secret for the HMAC signature.")
    name: str | None = Field(None, max_length=500)
    polygon: str | None = Field(None, description="CAP polygon 'lat,lon lat,lon ...'.")
    geojson: dict[str, Any] | None = Field(None, description="GeoJSON Polygon/MultiPolygon.")
    point: str | None = Field(None, description="'lat,lon', with radius_km.")
    radius_km: float | None = Field(None, gt=0, le=20_000)


def _json(sub: Any) -> dict[str, Any]:
    return to_dict({"id": sub.id, "name": sub.name, "url": sub.url, "latitude": sub.latitude,
                    "longitude": sub.longitude, "radius_km": sub.radius_km, "active": sub.active,
                    "created_at": sub.created_at, "bounds": list(sub.area.bounds)})


@router.get("", summary="Active subscriptions, oldest first")
def list_subscriptions(request: Request, _who: Operator, page: PageDep) -> dict[str, Any]:
    subs = state_of(request).warnings.subscriptions()
    return page.wrap([_json(s) for s in subs[page.offset : page.offset + page.limit]], len(subs))


@router.post("", status_code=201, summary="Subscribe a webhook to warnings in an area")
def add_subscription(request: Request, body: SubscriptionIn, who: Operator) -> dict[str, Any]:
    ws = state_of(request).warnings
    with audited(who.name, "subscription.create", "subscriptions", subscription_snapshot(None)):
        sub = ws.add_subscription(body.url, body.secret, polygon=body.polygon, geojson=body.geojson,
                                  point=body.point, radius_km=body.radius_km, name=body.name)
    return _json(sub)


@router.delete("/{subscription_id}", summary="Remove a subscription (its delivery records are kept)")
def remove_subscription(request: Request, subscription_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
                        who: Operator) -> dict[str, Any]:
    ws = state_of(request).warnings
    with audited(who.name, "subscription.remove", f"subscription:{subscription_id}",
                 subscription_snapshot(subscription_id)):
        ws.remove_subscription(subscription_id)
    return {"id": subscription_id, "active": False}
