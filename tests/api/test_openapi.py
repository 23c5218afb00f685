"""The OpenAPI document, and a bounded schemathesis fuzz run against it: no input gets a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from apikit import Api, make_api
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as fixed_seed


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


@pytest.fixture
def fuzz_api(tmp_path: Path, extractor: Any) -> Iterator[Api]:
    made = make_api(tmp_path / "fuzz.db", extractor, max_body_bytes=200_000)
    with made.client:
        made.ingest()
        draft = made.draft()
        made.client.post(f"/api/warnings/{draft['id']}/publish", headers=made.h("operator"))
        yield made
    made.store.close()


def test_fuzz_no_server_errors(fuzz_api: Api) -> None:
    """Every operation, a few generated cases each (fixed seed), as an admin so nothing stops at 401/403."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_api.client.app)
    failures: list[tuple[str, str, int, str]] = []
    calls = 0

    @fixed_seed(20261126)
    @settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        nonlocal calls
        calls += 1
        response = case.call(headers={**(case.headers or {}), **fuzz_api.h("admin")})
        if response.status_code >= 500:
            failures.append((case.method, case.formatted_path, response.status_code, response.text[:300]))

    for result in schema.get_all_operations():
        given(result.ok().as_strategy())(run)()
    assert calls > 100
    assert failures == []
