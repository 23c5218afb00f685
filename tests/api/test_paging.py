"""Every list pages: walking it one item at a time gives the whole list, once each, in its documented order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from apikit import KHARKIV_POLYGON, Api


def _key(path: str, item: dict[str, Any]) -> Any:
    return item["properties"]["id"] if path.startswith("/api/warnings") else item["id"]


def _items(path: str, page: dict[str, Any]) -> list[dict[str, Any]]:
    return page["features"] if path.startswith("/api/warnings") else page["items"]


def _fill(api: Api) -> None:
    api.ingest()
    for i in range(3):
        api.draft(headline=f"Draft {i}")
        body = {"url": f"http://127.0.0.1:9/hook{i}", "secret": "s", "polygon": KHARKIV_POLYGON}
        assert api.client.post("/api/subscriptions", json=body, headers=api.h("operator")).status_code == 201


@pytest.mark.parametrize(
    ("path", "role", "order"),
    [
        ("/api/events", "viewer", lambda items: [(i["date"] or "9999", i["id"]) for i in items]),  # date, then id
        ("/api/warnings?status=draft", "operator",  # newest sent first (a draft's start, shown to the second)
         lambda items: [-_seconds(i["properties"]["effective"]) for i in items]),
        ("/api/subscriptions", "operator", lambda items: [i["id"] for i in items]),  # by id
        ("/api/tokens", "admin", lambda items: [i["id"] for i in items]),  # by id
        ("/api/audit", "admin", lambda items: [i["id"] for i in items]),  # by id
    ],
)
def test_every_list_pages_in_a_stable_order(api: Api, path: str, role: str, order: Any) -> None:
    _fill(api)
    join = "&" if "?" in path else "?"
    whole = api.client.get(f"{path}{join}limit=1000", headers=api.h(role)).json()
    everything = _items(path, whole)
    assert whole["total"] == len(everything) >= 3
    walked = []
    for offset in range(whole["total"] + 1):
        page = api.client.get(f"{path}{join}limit=1&offset={offset}", headers=api.h(role)).json()
        assert page["total"] == whole["total"] and page["limit"] == 1 and page["offset"] == offset
        walked.extend(_items(path, page))
    assert [_key(path, i) for i in walked] == [_key(path, i) for i in everything]  # whole, once each, same order
    keys = order(walked)
    assert keys == sorted(keys)


def _seconds(iso: str) -> float:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
