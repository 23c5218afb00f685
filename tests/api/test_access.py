"""Role boundaries: no token 401, revoked 401, each role allowed exactly what its rank permits."""

from __future__ import annotations

import pytest
from apikit import ROLES, Api


@pytest.mark.parametrize(
    ("method", "path", "needed"),
    [
        ("GET", "/api/me", "viewer"),  # any valid token
        ("GET", "/api/events", "viewer"),  # reading events
        ("GET", "/api/events/timeline", "viewer"),  # the timeline
        ("POST", "/api/events/1/split", "analyst"),  # undoing a merge
        ("POST", "/api/events/1/corrections", "analyst"),  # correcting a field
        ("POST", "/api/reports", "analyst"),  # ingesting
        ("POST", "/api/warnings", "operator"),  # drafting a warning
        ("GET", "/api/warnings?status=draft", "operator"),  # listing drafts
        ("POST", "/api/warnings/x/publish", "operator"),  # publishing
        ("POST", "/api/warnings/x/cancel", "operator"),  # cancelling
        ("PATCH", "/api/warnings/x", "operator"),  # editing a draft
        ("GET", "/api/subscriptions", "operator"),  # webhooks
        ("GET", "/api/tokens", "admin"),  # token management
        ("POST", "/api/tokens", "admin"),  # creating tokens
        ("GET", "/api/audit", "admin"),  # the audit log
    ],
)
def test_role_boundaries(api: Api, method: str, path: str, needed: str) -> None:
    none = api.client.request(method, path)
    assert none.status_code == 401 and none.json()["code"] == "T601"
    revoked = api.client.request(method, path, headers=api.h("revoked"))
    assert revoked.status_code == 401 and revoked.json()["code"] == "T602"
    bogus = api.client.request(method, path, headers={"Authorization": "Bearer not-a-token"})
    assert bogus.status_code == 401
    for role in ROLES:
        response = api.client.request(method, path, headers=api.h(role))
        if ROLES.index(role) < ROLES.index(needed):
            assert response.status_code == 403, (role, response.text)
            assert response.json()["code"] == "T603" and needed in response.json()["message"]
        else:  # allowed: whatever the answer (404 unknown id, 422 missing body), it is not an access error
            assert response.status_code not in (401, 403), (role, response.text)


@pytest.mark.parametrize(
    "path",
    [
        "/api/warnings",  # active published warnings
        "/api/status?lat=50&lon=36.2",  # the status query
        "/feed.atom",  # the Atom feed
        "/api/config",  # what the page needs
        "/openapi.json",  # the API description
        "/",  # the web page
    ],
)
def test_public_reads_need_no_token(api: Api, path: str) -> None:
    assert api.client.get(path).status_code == 200


def test_publish_boundary_viewer_analyst_refused_operator_allowed(api: Api) -> None:
    draft = api.draft()
    url = f"/api/warnings/{draft['id']}/publish"
    assert api.client.post(url).status_code == 401
    assert api.client.post(url, headers=api.h("revoked")).status_code == 401
    assert api.client.post(url, headers=api.h("viewer")).status_code == 403
    assert api.client.post(url, headers=api.h("analyst")).status_code == 403
    assert api.client.get(f"/api/warnings/{draft['id']}").status_code == 404  # still a draft: not public
    published = api.client.post(url, headers=api.h("operator"))
    assert published.status_code == 200, published.text
    assert published.json()["properties"]["status"] == "published"
    assert api.client.get(f"/api/warnings/{draft['id']}").status_code == 200


def test_me_names_the_token(api: Api) -> None:
    assert api.client.get("/api/me", headers=api.h("analyst")).json() == {"name": "analyst-token", "role": "analyst"}


def test_token_lifecycle_through_the_api(api: Api) -> None:
    created = api.client.post("/api/tokens", json={"name": "partner", "role": "viewer"}, headers=api.h("admin"))
    assert created.status_code == 201
    secret = created.json()["token"]
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/api/me", headers=headers).json()["name"] == "partner"
    listed = api.client.get("/api/tokens", headers=api.h("admin")).json()
    assert "partner" in [t["name"] for t in listed["items"]]
    assert all("token" not in t and "token_hash" not in t for t in listed["items"])
    assert api.client.delete("/api/tokens/partner", headers=api.h("admin")).json()["active"] is False
    assert api.client.get("/api/me", headers=headers).status_code == 401
    duplicate = api.client.post("/api/tokens", json={"name": "partner", "role": "viewer"}, headers=api.h("admin"))
    assert duplicate.status_code == 422 and duplicate.json()["code"] == "T604"
    bad_role = api.client.post("/api/tokens", json={"name": "x", "role": "root"}, headers=api.h("admin"))
    assert bad_role.status_code == 422 and bad_role.json()["field"] == "role"
