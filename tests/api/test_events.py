"""Events through the API: ingest, list with filters and stable pages, one event with evidence, correct, split."""

from __future__ import annotations

from typing import Any

import pytest
from apikit import REPORTS, Api


def _ids(api: Api, query: str = "") -> list[int]:
    response = api.client.get(f"/api/events{query}", headers=api.h("viewer"))
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["items"]]


def test_ingest_summary_and_idempotence(api: Api) -> None:
    first = api.ingest()
    assert (first["read"], first["new"], first["duplicate"]) == (4, 4, 0)
    assert first["events"] >= 3
    again = api.ingest()
    assert (again["new"], again["duplicate"]) == (0, 4)
    single = api.client.post("/api/reports", json={**REPORTS[0], "id": "r1-again"}, headers=api.h("analyst"))
    assert single.status_code == 200 and single.json()["duplicate"] == 1  # same text: same report


def test_list_is_paged_in_a_stable_order(api: Api) -> None:
    api.ingest()
    everything = api.client.get("/api/events", headers=api.h("viewer")).json()
    assert everything["total"] == len(everything["items"]) >= 3
    dates = [(e["date"] or "9999", e["id"]) for e in everything["items"]]
    assert dates == sorted(dates)  # by date, then id
    pages = [api.client.get(f"/api/events?limit=1&offset={i}", headers=api.h("viewer")).json()
             for i in range(everything["total"])]
    assert [p["items"][0]["id"] for p in pages] == [e["id"] for e in everything["items"]]
    assert {p["total"] for p in pages} == {everything["total"]}
    assert pages[1]["limit"] == 1 and pages[1]["offset"] == 1
    beyond = api.client.get(f"/api/events?offset={everything['total']}", headers=api.h("viewer")).json()
    assert beyond["items"] == [] and beyond["total"] == everything["total"]


@pytest.mark.parametrize(
    ("query", "country"),
    [
        ("?country=ukraine", "Ukraine"),  # case-insensitive country
        ("?event_type=Protests", "Kenya"),  # ACLED event type
        ("?sub_event_type=Armed%20clash", "Somalia"),  # sub-event type
        ("?bbox=35,49,37,51", "Ukraine"),  # a box around Kharkiv
        ("?date_from=2026-03-05&date_to=2026-03-31", "Kenya"),  # only the last event is this late
        ("?actor=shabaab", "Somalia"),  # part of an actor's name
    ],
)
def test_filters_as_the_cli(api: Api, query: str, country: str) -> None:
    api.ingest()
    items = api.client.get(f"/api/events{query}", headers=api.h("viewer")).json()["items"]
    assert items and {e["location"]["country"] for e in items} == {country}


def test_timeline_counts_per_day(api: Api) -> None:
    api.ingest()
    timeline = api.client.get("/api/events/timeline", headers=api.h("viewer")).json()
    events = api.client.get("/api/events", headers=api.h("viewer")).json()["items"]
    assert sum(d["count"] for d in timeline) == sum(1 for e in events if e["date"])
    assert [d["date"] for d in timeline] == sorted(d["date"] for d in timeline)
    kharkiv = next(e for e in events if e["location"]["country"] == "Ukraine")
    day = next(d for d in timeline if d["date"] == kharkiv["date"])
    assert day["fatalities"] >= 3


def _kharkiv(api: Api) -> dict[str, Any]:
    items = api.client.get("/api/events?country=Ukraine", headers=api.h("viewer")).json()["items"]
    return dict(items[0])


def test_one_event_has_its_sources_sentences_and_text(api: Api) -> None:
    api.ingest()
    event = api.client.get(f"/api/events/{_kharkiv(api)['id']}", headers=api.h("viewer")).json()
    assert {m["report_id"] for m in event["mentions"]} == {"r1", "r2"}
    r1 = next(m for m in event["mentions"] if m["report_id"] == "r1")
    assert r1["title"] == "Shelling in Kharkiv" and r1["text"] == REPORTS[0]["text"]
    assert r1["sentences"] and "shelled" in r1["sentences"][0]["text"]
    start, end = r1["sentences"][0]["start"], r1["sentences"][0]["end"]
    assert r1["text"][start:end] == r1["sentences"][0]["text"]
    assert api.client.get("/api/events/999999", headers=api.h("viewer")).status_code == 404


def test_correction_is_recorded_and_audited_with_before_and_after(api: Api) -> None:
    api.ingest()
    event = _kharkiv(api)
    body = {"field": "fatalities", "value": 4, "reason": "hospital update", "version": event["version"]}
    url = f"/api/events/{event['id']}/corrections"
    fixed = api.client.post(url, json=body, headers=api.h("analyst"))
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["fatalities"] == 4 and fixed.json()["version"] == event["version"] + 1
    stale = api.client.post(url, json=body, headers=api.h("analyst"))  # same old version again
    assert stale.status_code == 409 and stale.json()["code"] == "T203"
    log = api.client.get(f"/api/audit?target=event:{event['id']}", headers=api.h("admin")).json()["items"]
    assert [e["action"] for e in log] == ["event.correct"]
    assert log[0]["who"] == "analyst-token"
    assert log[0]["before"]["event"]["fatalities"] == 3 and log[0]["after"]["event"]["fatalities"] == 4
    assert log[0]["after"]["version"] == log[0]["before"]["version"] + 1
    bad_field = api.client.post(url, json={"field": "colour", "value": "red"}, headers=api.h("analyst"))
    assert bad_field.status_code == 422 and bad_field.json()["code"] == "T207"


def test_split_is_audited_with_where_each_mention_went(api: Api) -> None:
    api.ingest()
    event = _kharkiv(api)
    split = api.client.post(f"/api/events/{event['id']}/split", headers=api.h("analyst"))
    assert split.status_code == 200, split.text
    ids = split.json()["ids"]
    assert ids[0] == event["id"] and len(ids) == 2
    log = api.client.get("/api/audit?action=event.split", headers=api.h("admin")).json()["items"]
    assert len(log) == 1
    assert {m["event_id"] for m in log[0]["before"]["mentions"]} == {event["id"]}
    assert {m["event_id"] for m in log[0]["after"]["mentions"]} == set(ids)
    again = api.client.post(f"/api/events/{ids[1]}/split", headers=api.h("analyst"))
    assert again.status_code == 409 and again.json()["code"] == "T205"  # a single source: nothing to split


def test_ingest_is_audited(api: Api) -> None:
    api.ingest()
    log = api.client.get("/api/audit?action=reports.ingest", headers=api.h("admin")).json()
    assert log["total"] == 1
    entry = log["items"][0]
    assert entry["who"] == "analyst-token" and entry["before"] == []
    assert sorted(r["report_id"] for r in entry["after"]) == ["r1", "r2", "r3", "r4"]
