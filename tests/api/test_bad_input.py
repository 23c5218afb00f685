"""Bad input gets a 4xx naming the field, never a 500, and never a partial write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apikit import KHARKIV_POLYGON, REPORTS, Api, make_api


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/status?lat=91&lon=10", "lat"),  # latitude out of range
        ("/api/status?lat=10&lon=-181", "lon"),  # longitude out of range
        ("/api/status?lat=abc&lon=10", "lat"),  # not a number
        ("/api/status?lat=nan&lon=10", "lat"),  # not finite
        ("/api/status?lon=10", "lat"),  # missing
        ("/api/status?lat=1&lon=1&at=yesterday", "at"),  # not ISO 8601
        ("/api/status?lat=1&lon=1&radius=5", "radius"),  # unknown parameter
        ("/api/warnings?at=2026-13-01", "at"),  # impossible month
        ("/api/warnings?status=expired", "status"),  # not an option
        ("/api/warnings?limit=0", "limit"),  # below 1
        ("/api/warnings?colour=red", "colour"),  # unknown parameter
    ],
)
def test_public_query_errors_name_the_field(api: Api, path: str, field: str) -> None:
    response = api.client.get(path)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == field and field in body["message"] and body["code"].startswith("T")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("bbox=1,2,3", "bbox"),  # three numbers
        ("bbox=10,60,20,50", "bbox"),  # min_lat above max_lat
        ("bbox=a,b,c,d", "bbox"),  # not numbers
        ("date_from=2026-02-30", "date_from"),  # no such day
        ("date_to=March", "date_to"),  # not a date
        ("date_from=2026-03-05&date_to=2026-03-01", "date_to"),  # an empty range
        ("event_type=Riot", "event_type"),  # not an ACLED type
        ("sub_event_type=Fight", "sub_event_type"),  # not an ACLED sub-type
        ("limit=1001", "limit"),  # above the maximum
        ("offset=-1", "offset"),  # negative
        ("limit=ten", "limit"),  # not a number
        ("typ=Protests", "typ"),  # a typo is refused, not ignored
    ],
)
def test_event_filter_errors_name_the_field(api: Api, query: str, field: str) -> None:
    response = api.client.get(f"/api/events?{query}", headers=api.h("viewer"))
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


@pytest.mark.parametrize(
    ("path", "content"),
    [
        ("/api/reports", b'{"id": "x", "text": '),  # cut short
        ("/api/reports", b"{'id': 'x'}"),  # single quotes
        ("/api/warnings", b'{"kind": "curfew",}'),  # trailing comma
        ("/api/events/1/corrections", b"not json"),  # not JSON at all
    ],
)
def test_malformed_json_is_422(api: Api, path: str, content: bytes) -> None:
    response = api.client.post(path, content=content, headers={**api.h("admin"), "content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["field"] == "body" and "malformed JSON" in response.json()["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reports": "r1"}, "reports"),  # not a list
        ({"reports": []}, "reports"),  # empty batch
        ({"id": "x"}, "text"),  # missing text
        ({"id": "x", "text": "Some text.", "published": "soon"}, "published"),  # bad time
        ({"id": "x", "text": "Some text.", "colour": "red"}, "colour"),  # unknown field
    ],
)
def test_bad_report_fields_are_named(api: Api, body: dict[str, Any], field: str) -> None:
    response = api.client.post("/api/reports", json=body, headers=api.h("analyst"))
    assert response.status_code == 422, response.text
    assert field in response.json()["field"]


def test_one_bad_report_in_a_batch_writes_nothing(api: Api) -> None:
    batch = [*REPORTS[:2], {"id": "bad", "text": ""}]
    response = api.client.post("/api/reports", json={"reports": batch}, headers=api.h("analyst"))
    assert response.status_code == 422
    assert api.store.reports() == []
    assert api.client.get("/api/audit", headers=api.h("admin")).json()["items"][-1]["action"] == "token.revoke"


def test_one_bad_area_writes_no_warning(api: Api) -> None:
    body = {"kind": "curfew", "areas": [{"name": "ok", "polygons": [KHARKIV_POLYGON]},
                                        {"name": "crossed", "polygons": ["50,36 50,37 51,36 51,37 50,36"]}]}
    response = api.client.post("/api/warnings", json=body, headers=api.h("operator"))
    assert response.status_code == 422 and response.json()["code"] == "T307"
    assert api.client.get("/api/warnings?status=all", headers=api.h("operator")).json()["total"] == 0


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"kind": "flood"}, "T102", "kind"),  # not a tocsin kind
        ({"severity": "Huge"}, "T102", "severity"),  # not a CAP severity
        ({"expires": "2026-01-01T00:00:00Z", "effective": "2026-02-01T00:00:00Z"}, "T409", "expires"),  # ends first
        ({"window": "sometimes"}, "T311", "window"),  # unreadable time window
        ({"areas": [{"circles": ["50,36"]}]}, "T308", "areas.0.circles.0"),  # circle without radius
        ({"areas": [{"polygons": ["50.0,36.2 50.0,36.3 50.1,36.3"]}]}, "T305", "areas.0.polygons.0"),  # too few
        ({"areas": [{"polygons": ["50.0,200 50.0,36.3 50.1,36.3 50.0,200"]}]}, "T303", "areas.0.polygons.0"),  # lon
        ({"areas": [{"geojson": {"type": "Point", "coordinates": [36, 50]}}]}, "T301", "areas.0.geojson"),  # a point
        ({"corridor": {"route": "50,36"}}, "T309", "corridor.route"),  # a one-point route
        ({"cap_xml": "<!DOCTYPE x><alert/>"}, "T403", "cap_xml"),  # hostile XML
    ],
)
def test_bad_warning_bodies(api: Api, body: dict[str, Any], code: str, field: str) -> None:
    response = api.client.post("/api/warnings", json=body, headers=api.h("operator"))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code and response.json()["field"] == field
    assert api.client.get("/api/warnings?status=all", headers=api.h("operator")).json()["total"] == 0


@pytest.fixture
def small(tmp_path: Path, extractor: Any) -> Iterator[Api]:
    made = make_api(tmp_path / "small.db", extractor, max_body_bytes=2000)
    with made.client:
        yield made
    made.store.close()


def test_oversize_body_is_413_by_length(small: Api) -> None:
    body = {"id": "big", "text": "word " * 1000}
    response = small.client.post("/api/reports", json=body, headers=small.h("analyst"))
    assert response.status_code == 413
    assert response.json()["code"] == "T605" and "2000-byte limit" in response.json()["message"]
    assert small.store.reports() == []


def test_oversize_body_is_413_when_streamed(small: Api) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        yield b'{"id": "big", "text": "'
        for _ in range(100):
            yield b"word " * 10
        yield b'"}'

    response = small.client.post("/api/reports", content=chunks(),
                                 headers={**small.h("analyst"), "content-type": "application/json"})
    assert response.status_code == 413 and response.json()["code"] == "T605"
    assert small.store.reports() == []


def test_unknown_route_and_method(api: Api) -> None:
    missing = api.client.get("/api/nothing")
    assert missing.status_code == 404 and missing.json()["code"] == "T204"
    wrong = api.client.delete("/api/status")
    assert wrong.status_code == 405


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("GET", "/api/events/99999999999999999999", None, "event_id"),  # beyond SQLite's integers
        ("DELETE", "/api/subscriptions/0", None, "subscription_id"),  # ids start at 1
        ("GET", "/api/status?lat=1&lon=1&at=9999-12-31T23:59:59-14:00", None, "at"),  # overflows in UTC
        ("GET", "/api/warnings?at=0001-01-01T00:00:00%2B14:00", None, "at"),  # before year 1 in UTC
        ("POST", "/api/warnings", {"headline": "Leave\u0000now"}, "headline"),  # NUL cannot go into CAP XML
        ("POST", "/api/warnings", {"areas": [{"name": "a\u0007"}]}, "areas.0.name"),  # nor a bell
        ("POST", "/api/warnings", {"corridor": {"route": [[36.2]]}}, "corridor.route"),  # a one-number point
        ("POST", "/api/warnings", {"expires": "9999-12-31T23:59:59-14:00"}, "expires"),  # overflows in UTC
        ("POST", "/api/reports", {"id": "x", "text": "y", "published": "0001-01-01T00:00:00+01:00"}, "published"),
        ("POST", "/api/tokens", {"name": "bad\u0000name", "role": "viewer"}, "name"),  # unprintable token name
    ],
)
def test_edge_values_found_by_fuzzing(api: Api, method: str, path: str, body: Any, field: str) -> None:
    response = api.client.request(method, path, json=body, headers=api.h("admin"))
    assert response.status_code == 422, response.text
    assert response.json()["field"].startswith(field)


@pytest.mark.parametrize(
    ("patch", "code"),
    [
        ({"effective": "2030-02-01T00:00:00Z", "expires": "2030-01-01T00:00:00Z"}, "T409"),  # ends before it starts
        ({"effective": "tomorrow"}, "T607"),  # not a time
        ({"areas": [{"polygons": ["50,36 50,37 51,36 51,37 50,36"]}], "headline": "x"}, "T307"),  # crossed polygon
        ({"areas": [{"circles": ["50,36 -5"]}]}, "T308"),  # negative radius
        ({"window": "now and then"}, "T311"),  # unreadable hours
        ({"version": 1}, "T607"),  # nothing to change
    ],
)
def test_a_bad_draft_edit_changes_nothing(api: Api, patch: dict[str, Any], code: str) -> None:
    draft = api.draft()
    response = api.client.patch(f"/api/warnings/{draft['id']}", json=patch, headers=api.h("operator"))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    after = api.client.get(f"/api/warnings/{draft['id']}", headers=api.h("operator")).json()
    assert after == draft  # same version, headline, area: nothing was written


def test_a_publication_time_in_the_future_is_stored_with_a_warning(api: Api) -> None:
    body = {"id": "ahead", "text": "Shelling hit Aleppo on Thursday.", "published": "2999-01-01T00:00:00Z"}
    response = api.client.post("/api/reports", json=body, headers=api.h("analyst"))
    assert response.status_code == 200, response.text
    assert response.json()["new"] == 1
    [problem] = response.json()["problems"]
    assert "T017" in problem and "'ahead'" in problem and "2999-01-01" in problem
