"""Warnings through the API: drafts private, publish/update/cancel audited, GeoJSON, CAP, feed, status, webhooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from apikit import KHARKIV_POLYGON, Api, make_api
from lxml import etree

from tocsin.store import Store
from tocsin.warnings.store import WarningStore

INSIDE = "/api/status?lat=50.0&lon=36.25"


def _publish(api: Api, warning_id: str) -> dict[str, Any]:
    response = api.client.post(f"/api/warnings/{warning_id}/publish", headers=api.h("operator"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_drafts_are_private_until_published(api: Api) -> None:
    draft = api.draft()
    assert draft["properties"]["status"] == "draft" and draft["geometry"]["type"] == "Polygon"
    assert api.client.get("/api/warnings").json()["features"] == []
    assert api.client.get(f"/api/warnings/{draft['id']}/cap.xml").status_code == 404
    assert api.client.get("/api/warnings?status=draft").status_code == 401
    drafts = api.client.get("/api/warnings?status=draft", headers=api.h("operator")).json()
    assert [f["id"] for f in drafts["features"]] == [draft["id"]]
    assert api.client.get(INSIDE).json()["warnings"] == []


def test_published_warning_is_everywhere_at_once(api: Api) -> None:
    draft = api.draft()
    assert api.client.get(INSIDE).json()["warnings"] == []  # status snapshot built before the publish
    _publish(api, draft["id"])
    public = api.client.get("/api/warnings").json()
    assert [f["id"] for f in public["features"]] == [draft["id"]] and public["total"] == 1
    props = public["features"][0]["properties"]
    assert props["areas"] == ["Central Kharkiv"] and props["issuer"] == "City council"
    cap = api.client.get(f"/api/warnings/{draft['id']}/cap.xml")
    assert cap.status_code == 200 and cap.headers["content-type"].startswith("application/cap+xml")
    assert b"<status>Actual</status>" in cap.content
    feed = api.client.get("/feed.atom")
    assert draft["id"].encode() in feed.content
    linked = api.client.get(f"/warnings/{draft['id']}.xml")  # where the feed links to
    assert linked.status_code == 200 and linked.content == cap.content
    status = api.client.get(INSIDE).json()
    assert [w["id"] for w in status["warnings"]] == [draft["id"]]
    assert status["warnings"][0]["instruction"] == "Leave now towards the west."
    assert api.client.get("/api/status?lat=10&lon=10").json()["warnings"] == []


def test_every_warning_write_is_audited_with_before_and_after(api: Api) -> None:
    draft = api.draft()
    edited = api.client.patch(f"/api/warnings/{draft['id']}", json={"headline": "Leave central Kharkiv now"},
                              headers=api.h("operator"))
    assert edited.status_code == 200 and edited.json()["properties"]["headline"] == "Leave central Kharkiv now"
    _publish(api, draft["id"])
    update = api.client.post(f"/api/warnings/{draft['id']}/update", json={"instruction": "Go west by noon."},
                             headers=api.h("operator"))
    assert update.status_code == 200 and update.json()["properties"]["msg_type"] == "Update"
    cancel = api.client.post(f"/api/warnings/{draft['id']}/cancel", json={"note": "Over."}, headers=api.h("operator"))
    assert cancel.status_code == 200
    log = api.client.get(f"/api/audit?target=warning:{draft['id']}", headers=api.h("admin")).json()["items"]
    actions = [e["action"] for e in log]
    assert actions[:4] == ["warning.create", "warning.edit", "warning.publish", "warning.update"]
    assert set(actions[4:]) == {"warning.cancel"}  # a CAP Cancel: drafted then published, two transactions
    create, edit, publish, update = log[:4]
    assert create["before"] is None and create["after"]["state"] == "draft"
    assert edit["before"]["headline"] == "Leave central Kharkiv" and edit["after"]["headline"].endswith("now")
    assert publish["before"]["state"] == "draft" and publish["after"]["state"] == "published"
    assert publish["after"]["published_by"] == "operator-token"
    assert update["after"]["follow_ups"][0]["msg_type"] == "Update"
    assert log[-1]["before"]["state"] == "published" and log[-1]["after"]["state"] == "cancelled"
    assert {e["who"] for e in log} == {"operator-token"}
    assert api.client.get(INSIDE).json()["warnings"] == []  # cancelled: gone from the status answer


def test_stale_version_edit_is_a_conflict(api: Api) -> None:
    draft = api.draft()
    url = f"/api/warnings/{draft['id']}"
    version = draft["properties"]["version"]
    first = api.client.patch(url, json={"headline": "A", "version": version}, headers=api.h("operator"))
    assert first.status_code == 200
    stale = api.client.patch(url, json={"headline": "B", "version": version}, headers=api.h("operator"))
    assert stale.status_code == 409 and stale.json()["code"] == "T203"


def test_curfew_and_corridor_in_the_status_answer(api: Api) -> None:
    curfew = api.draft(kind="curfew", headline="Curfew", window="daily 22:00-06:00 UTC")
    corridor = api.draft(kind="safe_corridor", headline="Corridor west", areas=[],
                         corridor={"name": "Western road", "route": "50.0,36.0 50.0,35.5", "width_m": 2000})
    _publish(api, curfew["id"])
    _publish(api, corridor["id"])
    night = api.client.get(INSIDE + "&at=2030-01-01T23:00:00Z").json()
    assert night["curfew"] == {"in_force": True, "until": "2030-01-02T06:00:00Z", "warning_id": curfew["id"]}
    assert night["nearest_corridor"]["id"] == corridor["id"] and night["nearest_corridor"]["distance_m"] > 0
    day = api.client.get(INSIDE + "&at=2030-01-01T12:00:00").json()  # no offset: UTC
    assert day["curfew"]["in_force"] is False and day["at"] == "2030-01-01T12:00:00Z"
    feature = api.client.get("/api/warnings").json()["features"]
    corridor_feature = next(f for f in feature if f["properties"]["kind"] == "safe_corridor")
    assert corridor_feature["properties"]["route"] == [[36.0, 50.0], [35.5, 50.0]]
    assert corridor_feature["geometry"]["type"] == "Polygon"


def test_status_sees_changes_made_by_another_process(tmp_path: Path, extractor: Any) -> None:
    api = make_api(tmp_path / "shared.db", extractor, status_ttl_s=0.0)
    with api.client:
        assert api.client.get(INSIDE).json()["warnings"] == []
        draft = api.draft()
        with Store(tmp_path / "shared.db") as other:  # e.g. `tocsin warnings publish` in a shell
            WarningStore(other).publish(draft["id"], "shell-operator")
        assert [w["id"] for w in api.client.get(INSIDE).json()["warnings"]] == [draft["id"]]
    api.store.close()


def test_active_list_respects_at_and_expiry(api: Api) -> None:
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    draft = api.draft(expires=soon)
    _publish(api, draft["id"])
    assert len(api.client.get("/api/warnings").json()["features"]) == 1
    later = api.client.get("/api/warnings?at=2100-01-01T00:00:00Z").json()
    assert later["features"] == []
    everything = api.client.get("/api/warnings?status=all&at=2100-01-01T00:00:00Z", headers=api.h("operator"))
    assert everything.json()["features"][0]["properties"]["status"] == "expired"


def test_subscriptions_are_audited_and_never_show_secrets(api: Api) -> None:
    body = {"url": "http://127.0.0.1:9/hook", "secret": "s3cret", "polygon": KHARKIV_POLYGON, "name": "city"}
    created = api.client.post("/api/subscriptions", json=body, headers=api.h("operator"))
    assert created.status_code == 201, created.text
    sub = created.json()
    listed = api.client.get("/api/subscriptions", headers=api.h("operator")).json()
    assert [s["id"] for s in listed["items"]] == [sub["id"]] and "s3cret" not in str(listed)
    removed = api.client.delete(f"/api/subscriptions/{sub['id']}", headers=api.h("operator"))
    assert removed.status_code == 200
    assert api.client.delete(f"/api/subscriptions/{sub['id']}", headers=api.h("operator")).status_code == 404
    log = api.client.get("/api/audit?who=operator-token", headers=api.h("admin")).json()["items"]
    assert [e["action"] for e in log] == ["subscription.create", "subscription.remove"]
    assert log[0]["after"]["id"] == sub["id"] and log[1]["after"]["active"] is False
    assert "s3cret" not in str(log)
    bad = api.client.post("/api/subscriptions", json={**body, "url": "ftp://x"}, headers=api.h("operator"))
    assert bad.status_code == 422 and bad.json()["code"] == "T412"


@pytest.mark.parametrize(
    "path",
    [
        "/feed",  # the short address the page links to
        "/feed.atom",  # the address with the format's extension
        "/warnings.atom",  # the feed's own id and rel="self" link
    ],
)
def test_the_feed_answers_at_every_address_it_names(api: Api, path: str) -> None:
    draft = api.draft()
    assert draft["id"].encode() not in api.client.get(path).content  # drafts are never in the feed
    _publish(api, draft["id"])
    feed = api.client.get(path)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    assert draft["id"].encode() in feed.content
    self_link = etree.fromstring(feed.content).find("{http://www.w3.org/2005/Atom}link[@rel='self']")
    assert self_link is not None
    assert api.client.get(urlsplit(self_link.get("href")).path).content == feed.content


def test_an_operator_edits_a_drafts_area_and_times_then_publishes(api: Api) -> None:
    draft = api.draft(kind="curfew", areas=[])  # as drafted from a report whose place had no shape
    assert draft["geometry"] is None
    refused = api.client.post(f"/api/warnings/{draft['id']}/publish", headers=api.h("operator"))
    assert refused.status_code == 422 and refused.json()["code"] == "T411"
    body = {"areas": [{"name": "Central Kharkiv", "polygons": [KHARKIV_POLYGON]}],
            "effective": "2030-01-01T18:00:00+02:00", "expires": "2030-01-08T06:00:00Z",
            "window": "daily 22:00-06:00 UTC", "instruction": "Stay indoors at night.", "version": 1}
    edited = api.client.patch(f"/api/warnings/{draft['id']}", json=body, headers=api.h("operator"))
    assert edited.status_code == 200, edited.text
    props = edited.json()["properties"]
    assert edited.json()["geometry"]["type"] == "Polygon" and props["areas"] == ["Central Kharkiv"]
    assert props["effective"] == "2030-01-01T16:00:00Z" and props["expires"] == "2030-01-08T06:00:00Z"
    assert props["window"].startswith("daily 22:00-06:00 UTC") and props["instruction"] == "Stay indoors at night."
    _publish(api, draft["id"])
    night = api.client.get(INSIDE + "&at=2030-01-03T23:00:00Z").json()
    assert night["curfew"]["in_force"] is True and night["warnings"][0]["id"] == draft["id"]
    before = api.client.get(INSIDE + "&at=2030-01-01T15:00:00Z").json()
    assert before["warnings"] == []  # not yet effective
    listed = api.client.get("/api/warnings?at=2030-01-03T23:00:00Z").json()["features"]
    assert [f["id"] for f in listed] == [draft["id"]]


@pytest.mark.parametrize(
    "suffix",
    [
        "",  # the GeoJSON feature
        "/cap.xml",  # the CAP message
    ],
)
def test_a_discarded_draft_is_never_public(api: Api, suffix: str) -> None:
    draft = api.draft()
    discarded = api.client.post(f"/api/warnings/{draft['id']}/cancel", headers=api.h("operator"))
    assert discarded.status_code == 200 and discarded.json()["properties"]["status"] == "cancelled"
    url = f"/api/warnings/{draft['id']}{suffix}"
    assert api.client.get(url).status_code == 404
    assert api.client.get(url, headers=api.h("viewer")).status_code == 404
    assert api.client.get(url, headers=api.h("operator")).status_code == 200  # its operators still see it


def test_an_exercise_never_reads_as_a_real_warning(api: Api) -> None:
    draft = api.draft()
    response = api.client.post(f"/api/warnings/{draft['id']}/publish", json={"status": "Exercise"},
                               headers=api.h("operator"))
    assert response.status_code == 200, response.text
    assert api.client.get("/api/warnings").json()["features"] == []  # public list: Actual only
    assert api.client.get(INSIDE).json()["warnings"] == []  # status answers do not say Exercise: left out
    everything = api.client.get("/api/warnings?status=all", headers=api.h("operator")).json()
    assert [f["properties"]["cap_status"] for f in everything["features"]] == ["Exercise"]
    assert b"[Exercise] " in api.client.get("/feed.atom").content  # the feed says so in the title


def test_a_draft_from_pasted_cap_text_keeps_its_characters(api: Api) -> None:
    sample = Path(__file__).parents[1] / "warnings" / "fixtures" / "valid" / "gcap__thunderstorm.cap"
    text = sample.read_text(encoding="utf-8").replace('encoding = "UTF-8"', 'encoding = "ISO-8859-1"')
    text = text.replace("TAKE COVER IN A SUBSTANTIAL SHELTER UNTIL THE STORM PASSES.",
                        "Quittez le quartier, allez au café Dubé.")
    response = api.client.post("/api/warnings", json={"cap_xml": text}, headers=api.h("operator"))
    assert response.status_code == 201, response.text
    assert response.json()["properties"]["instruction"] == "Quittez le quartier, allez au café Dubé."


def _authority_alert(sender: str, headline: str) -> bytes:
    """An alert numbered "1234" by ``sender``, over central Kharkiv, in force for two days from now."""
    from tocsin.warnings.cap import to_cap
    from tocsin.warnings.geometry import parse_polygon
    from tocsin.warnings.records import Warning, WarningArea

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return to_cap(Warning(id="1234", kind="other", sender=sender, sent=now, status="Actual", headline=headline,
                          effective=now, expires=now + dt.timedelta(days=2),
                          areas=[WarningArea("Kharkiv", polygons=(parse_polygon(KHARKIV_POLYGON),))]))


def test_two_senders_sharing_an_identifier_are_named_apart(api: Api) -> None:
    ws = WarningStore(api.store)
    ws.import_cap(_authority_alert("a@a.example", "A's alert"), "importer")
    ws.import_cap(_authority_alert("b@b.example", "B's alert"), "importer")
    operator = api.h("operator")
    a = api.client.get("/api/warnings/1234", headers=operator).json()  # the old URL: the first one stored
    assert (a["id"], a["properties"]["sender"], a["properties"]["identifier"]) == ("1234", "a@a.example", "1234")
    b = api.client.get("/api/warnings/1234?sender=b@b.example", headers=operator).json()
    assert (b["id"], b["properties"]["headline"]) == ("1234~2", "B's alert")
    published = api.client.post("/api/warnings/1234/publish?sender=b@b.example", headers=operator)
    assert published.status_code == 200 and published.json()["id"] == "1234~2"
    assert ws.get("1234").state == "draft" and ws.get("1234~2").state == "published"
    assert b"<headline>B's alert</headline>" in api.client.get("/warnings/1234~2.xml").content  # the feed's link
    assert api.client.get("/api/warnings/1234/cap.xml").status_code == 404  # A's is still a draft
    assert b"/warnings/1234~2.xml" in api.client.get("/feed.atom").content
    assert [w["id"] for w in api.client.get(INSIDE).json()["warnings"]] == ["1234~2"]
    missing = api.client.get("/api/warnings/1234?sender=c@c.example", headers=operator)
    assert missing.status_code == 404 and "from sender 'c@c.example'" in missing.json()["message"]
    log = api.client.get("/api/audit?target=warning:1234~2", headers=api.h("admin")).json()["items"]
    assert [e["action"] for e in log] == ["warning.publish"] and log[0]["after"]["sender"] == "b@b.example"


def test_an_identifier_holding_slashes_is_addressed_and_linked(api: Api) -> None:
    from urllib.parse import quote

    from tocsin.warnings.cap import to_cap
    from tocsin.warnings.geometry import parse_polygon
    from tocsin.warnings.records import Warning, WarningArea

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    identifier = "http://doj.dc.gov/amber12345"  # as the shared AMBER sample names its alert: CAP allows '/'
    WarningStore(api.store).import_cap(to_cap(Warning(
        id=identifier, kind="other", sender="KARO@CLETS.DOJ.DC.GOV", sent=now, status="Actual", headline="Amber",
        effective=now, expires=now + dt.timedelta(days=1),
        areas=[WarningArea("Kharkiv", polygons=(parse_polygon(KHARKIV_POLYGON),))])), "importer")
    path = quote(identifier, safe="")
    shown = api.client.get(f"/api/warnings/{path}", headers=api.h("operator"))
    assert shown.status_code == 200 and shown.json()["id"] == identifier
    assert _publish(api, path)["properties"]["status"] == "published"
    assert api.client.get(f"/api/warnings/{path}/cap.xml").status_code == 200
    feed = etree.fromstring(api.client.get("/feed.atom").content)
    [href] = [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")
              if link.get("rel") == "alternate"]
    assert href.endswith("/warnings/http%3A%2F%2Fdoj.dc.gov%2Famber12345.xml")
    linked = api.client.get(urlsplit(href).path)
    assert linked.status_code == 200 and b"<headline>Amber</headline>" in linked.content
