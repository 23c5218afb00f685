"""Helpers for the API tests (and the reports and ports the browser tests share): tokens, reports, drafts."""

from __future__ import annotations

import socket
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.api import create_app
from tocsin.auth import Auth
from tocsin.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette deprecates its httpx-based TestClient in favour of httpx2
    from fastapi.testclient import TestClient

ROLES = ("viewer", "analyst", "operator", "admin")


def conflict_reports(prefix: str, wire: str, tolls: tuple[str, str]) -> list[dict[str, Any]]:
    """Four reports written for the API and browser tests, ids ``{prefix}1``..``{prefix}4``.

    1 and 2 tell of the same shelling of Kharkiv (they merge) with the death tolls ``tolls`` (words, e.g.
    ("three", "three"), or two different ones for competing claims); 3 (an attack near Afgoye, Somalia) and 4
    (a protest in Nairobi, Kenya) are other events, on other days, far away.
    """
    first, second = tolls
    return [
        {"id": f"{prefix}1", "published": "2026-03-03T10:00:00Z", "source": wire, "title": "Shelling in Kharkiv",
         "text": f"KHARKIV, Ukraine ({wire}) - Russian forces shelled residential areas of Kharkiv on Monday, "
                 f"killing {first} civilians, the regional governor said."},
        {"id": f"{prefix}2", "published": "2026-03-03T12:00:00Z", "source": "Other Daily",
         "text": f"{second.capitalize()} civilians were killed when Russian artillery shelled Kharkiv on Monday, "
                 "Ukrainian officials said."},
        {"id": f"{prefix}3", "published": "2026-03-05T08:00:00Z", "source": wire,
         "text": f"MOGADISHU, Somalia ({wire}) - Al Shabaab militants attacked a military base near Afgoye on "
                 "Wednesday, killing five soldiers, officials said."},
        {"id": f"{prefix}4", "published": "2026-03-06T08:00:00Z", "source": wire,
         "text": "Hundreds of protesters marched peacefully through central Nairobi, Kenya on Thursday to demand "
                 "lower fuel prices, witnesses said."},
    ]


def free_port() -> int:
    """A loopback port nothing listens on (right now): for servers the tests start, or to be refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: The API tests' reports: r1 and r2 tell of the same shelling (they merge, three dead), r3 and r4 are others.
REPORTS = conflict_reports("r", "Test Wire", ("three", "three"))

#: A CAP polygon (lat,lon pairs) around central Kharkiv (50.00 N, 36.23 E).
KHARKIV_POLYGON = "49.95,36.15 49.95,36.35 50.05,36.35 50.05,36.15 49.95,36.15"


@dataclass
class Api:
    client: TestClient
    store: Store
    auth: Auth
    tokens: dict[str, str]

    def h(self, role: str) -> dict[str, str]:
        """Headers carrying the token of ``role`` (or of 'revoked')."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def ingest(self) -> dict[str, Any]:
        response = self.client.post("/api/reports", json={"reports": REPORTS}, headers=self.h("analyst"))
        assert response.status_code == 200, response.text
        return dict(response.json())

    def draft(self, **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"kind": "evacuation_order", "headline": "Leave central Kharkiv",
                                "instruction": "Leave now towards the west.", "issuer": "City council",
                                "areas": [{"name": "Central Kharkiv", "polygons": [KHARKIV_POLYGON]}]}
        body.update(overrides)
        response = self.client.post("/api/warnings", json=body, headers=self.h("operator"))
        assert response.status_code == 201, response.text
        return dict(response.json())


def make_api(path: Path, extractor: Any, **kwargs: Any) -> Api:
    store = Store(path)
    auth = Auth(store)
    tokens = {role: auth.create_token(f"{role}-token", role)[1] for role in ROLES}
    tokens["revoked"] = auth.create_token("old-token", "admin")[1]
    auth.revoke_token("old-token")
    client = TestClient(create_app(store, extractor=extractor, **kwargs))
    return Api(client, store, auth, tokens)
