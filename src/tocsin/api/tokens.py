"""``/api/tokens`` and ``/api/audit`` (admin), ``/api/me`` (any token)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from tocsin.api.auth import PageDep, known_query, require, state_of
from tocsin.auth import ROLES, Principal, Token
from tocsin.model import to_dict
from tocsin.store.auth_tables import AUDIT_TARGET_LENGTH

__all__ = ["router"]

router = APIRouter(tags=["access"], dependencies=[Depends(known_query)])
Admin = Annotated[Principal, require("admin")]


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., min_length=1, max_length=200)
    role: str = Field(..., description=f"One of {', '.join(ROLES)}.")


def _token_json(token: Token) -> dict[str, Any]:
    return to_dict({"id": token.id, "name": token.name, "role": token.role, "created_at": token.created_at,
                    "revoked_at": token.revoked_at, "active": token.active})


@router.get("/api/me", summary="The caller's token name and role")
def me(who: Annotated[Principal, require("viewer")]) -> dict[str, Any]:
    return {"name": who.name, "role": who.role}


@router.get("/api/tokens", summary="Tokens (never their secrets), oldest first")
def list_tokens(request: Request, _who: Admin, page: PageDep) -> dict[str, Any]:
    auth = state_of(request).auth
    items = auth.tokens(limit=page.limit, offset=page.offset)
    return page.wrap([_token_json(t) for t in items], auth.count_tokens())


@router.post("/api/tokens", status_code=201, summary="Create a token; its secret is in this answer only")
def create_token(request: Request, body: TokenIn, who: Admin) -> dict[str, Any]:
    token, secret = state_of(request).auth.create_token(body.name, body.role, who=who.name)
    return {**_token_json(token), "token": secret}


@router.delete("/api/tokens/{name}", summary="Revoke a token (by name)")
def revoke_token(request: Request, name: str, who: Admin) -> dict[str, Any]:
    return _token_json(state_of(request).auth.revoke_token(name, who=who.name))


@router.get("/api/audit", summary="The audit log of every write, oldest first")
def audit_log(
    request: Request,
    _who: Admin,
    page: PageDep,
    action: Annotated[str | None, Query(max_length=64, description="e.g. warning.publish")] = None,
    who: Annotated[str | None, Query(max_length=200, description="A token name.")] = None,
    target: Annotated[str | None, Query(max_length=AUDIT_TARGET_LENGTH,
                                        description="e.g. event:12, warning:<id>")] = None,
) -> dict[str, Any]:
    auth = state_of(request).auth
    entries = auth.audit_log(action=action, who=who, target=target, limit=page.limit, offset=page.offset)
    items = [to_dict({"id": e.id, "at": e.at, "who": e.who, "action": e.action, "target": e.target,
                      "before": e.before, "after": e.after}) for e in entries]
    return page.wrap(items, auth.count_audit(action=action, who=who, target=target))
