"""Request dependencies shared by the routers: the caller's token and role, paging, unknown parameters.

``require("operator")`` is a dependency that answers 401 without a valid token and 403 with a
lower role. ``known_query`` refuses query parameters a route does not declare (422 naming them),
so a typo in a filter never silently widens a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from tocsin.api.state import ApiState
from tocsin.auth import Principal
from tocsin.errors import E, InputError

__all__ = ["Page", "known_query", "optional_principal", "page", "require", "state_of", "bearer"]

_KNOWN: dict[int, frozenset[str]] = {}


def state_of(request: Request) -> ApiState:
    state: ApiState = request.app.state.tocsin
    return state


def bearer(request: Request) -> str | None:
    """The token from ``Authorization: Bearer <token>`` (None when absent)."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else ""


def require(role: str) -> Any:
    """A dependency returning the caller's Principal when it has ``role`` or higher."""

    def dependency(request: Request) -> Principal:
        principal = state_of(request).auth.authenticate(bearer(request))
        principal.require(role, f"{request.method} {request.url.path}")
        return principal

    return Depends(dependency)


def optional_principal(request: Request) -> Principal | None:
    """The caller when a token is sent (a bad token is still refused), else None (public reads)."""
    secret = bearer(request)
    if secret is None:
        return None
    return state_of(request).auth.authenticate(secret)


def known_query(request: Request) -> None:
    """422 (T606) naming any query parameter the matched route does not declare."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    allowed = _KNOWN.get(id(route))
    if allowed is None:
        allowed = frozenset(_query_names(route.dependant))
        _KNOWN[id(route)] = allowed
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        names = ", ".join(repr(n) for n in unknown)
        raise InputError(E.T606.format(names=names, valid=", ".join(sorted(allowed)) or "none"), field=unknown[0])


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int

    def wrap(self, items: list[Any], total: int) -> dict[str, Any]:
        return {"items": items, "total": total, "limit": self.limit, "offset": self.offset}


def page(
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many items (1..1000).")] = 100,
    offset: Annotated[int, Query(ge=0, le=2**53, description="Skip this many items.")] = 0,
) -> Page:
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(page)]
