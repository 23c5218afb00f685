"""Helpers for the API tests (imported by tests/api/conftest.py and the test modules): tokens, reports, drafts."""

from __future__ import annotations

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

#: Reports written for these tests: r1 and r2 tell of the same shelling (they merge), r3 and r4 are others.
REPORTS: list[dict[str, Any]] = [
    {"id": "r1", "published": "2026-03-03T10:00:00Z", "source": "Test Wire", "title": "Shelling in Kharkiv",
     "text": "KHARKIV, Ukraine (Test Wire) - Russian forces shelled residential areas of Kharkiv on Monday, "
             "killing three civilians, the regional governor said."},
    {"id": "r2", "published": "2026-03-03T12:00:00Z", "source": "Other Daily",
     "text": "Three civilians were killed when Russian artillery shelled Kharkiv on Monday, Ukrainian officials "
             "said."},
    {"id": "r3", "published": "2026-03-05T08:00:00Z", "source": "Test Wire",
     "text": "MOGADISHU, Somalia (Test Wire) - Al Shabaab militants attacked a military base near Afgoye on "
             "Wednesday, killing five soldiers, officials said."},
    {"id": "r4", "published": "2026-03-06T08:00:00Z", "source": "Test Wire",
     "text": "Hundreds of protesters marched peacefully through central Nairobi, Kenya on Thursday to demand lower "
             "fuel prices, witnesses said."},
]

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
