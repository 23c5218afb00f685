"""The OpenAPI document lists every route of the contract (docs/api.md)."""

from __future__ import annotations

from apikit import Api


def test_openapi_document_lists_every_route(api: Api) -> None:
    doc = api.client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.") and doc["info"]["title"] == "tocsin"
    expected = {
        ("/api/status", "get"), ("/api/events", "get"), ("/api/events/timeline", "get"),
        ("/api/events/{event_id}", "get"), ("/api/events/{event_id}/split", "post"),
        ("/api/events/{event_id}/corrections", "post"), ("/api/reports", "post"), ("/api/warnings", "get"),
        ("/api/warnings", "post"), ("/api/warnings/{warning_id}", "patch"),
        ("/api/warnings/{warning_id}/publish", "post"), ("/api/warnings/{warning_id}/cancel", "post"),
        ("/api/warnings/{warning_id}/update", "post"), ("/api/warnings/{warning_id}/cap.xml", "get"),
        ("/api/subscriptions", "post"), ("/api/subscriptions/{subscription_id}", "delete"), ("/api/tokens", "get"),
        ("/api/tokens/{name}", "delete"), ("/api/audit", "get"), ("/api/me", "get"), ("/api/config", "get"),
        ("/feed.atom", "get"),
    }
    present = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert expected <= present
    status_params = {p["name"] for p in doc["paths"]["/api/status"]["get"]["parameters"]}
    assert status_params == {"lat", "lon", "at"}
    assert api.client.get("/docs").status_code == 200
