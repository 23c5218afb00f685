"""Watch rules end to end: a matching notice -> one signed webhook POST and one e-mail; a non-match -> none."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random
from email import message_from_bytes
from pathlib import Path

import pytest
from watchkit import Loopback, Route, SmtpSink, rss

from tocsin.errors import InputError
from tocsin.model import Area, Event, Location, Notice
from tocsin.store import Store
from tocsin.watch.config import Source
from tocsin.watch.notify import Notifier, SmtpSettings
from tocsin.watch.poller import Watcher
from tocsin.watch.rules import Rule, match_event, match_notice
from tocsin.watch.state import WatchStore

T0 = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
ORDER = ("The army ordered all residents of Kafr Nabl in Idlib to evacuate immediately ahead of strikes, "
         "the military said on Monday.")
PROTEST = "Protesters gathered peacefully in central Khartoum on Tuesday; no one was hurt."
HOOK = "http://127.0.0.1:9/hook"


def _event(**kw: object) -> Event:
    loc = Location(name="Aleppo", latitude=36.2, longitude=37.16, admin1="Aleppo", country="Syria")
    values: dict[str, object] = {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
                                 "actor1": "Military Forces of Syria", "location": loc, "fatalities": 6}
    values.update(kw)
    return Event(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rule", "event", "matched"),
    [
        (Rule(lat=36.2, lon=37.15, km=20, min_fatalities=5, webhook=HOOK), _event(), True),  # near, 6 >= 5
        (Rule(lat=36.2, lon=37.15, km=20, min_fatalities=5, webhook=HOOK), _event(fatalities=2), False),  # too few
        (Rule(lat=35.93, lon=36.63, km=20, webhook=HOOK), _event(), False),  # ~50 km away
        (Rule(admin1="aleppo", webhook=HOOK), _event(), True),  # admin1, case-insensitive
        (Rule(kinds=["Air/drone strike"], webhook=HOOK), _event(), True),  # sub-event type
        (Rule(kinds=["Protests"], webhook=HOOK), _event(), False),  # other type
        (Rule(actors=["syria"], webhook=HOOK), _event(), True),  # actor substring
        (Rule(actors=["Hayat"], webhook=HOOK), _event(), False),  # actor absent
        (Rule(admin1="Aleppo", events=False, webhook=HOOK), _event(), False),  # notices-only rule
    ],
)
def test_event_rules(rule: Rule, event: Event, matched: bool) -> None:
    assert match_event(rule, event) is matched


@pytest.mark.parametrize(
    ("rule", "matched"),
    [
        (Rule(admin1="Idlib", email="a@example.org"), True),  # area in the governorate
        (Rule(kinds=["curfew"], admin1="Idlib", email="a@example.org"), False),  # other kind
        (Rule(lat=35.61, lon=36.56, km=5, email="a@example.org"), True),  # within 5 km of the area
        (Rule(admin1="Aleppo", email="a@example.org"), False),  # elsewhere
        (Rule(admin1="Idlib", notices=False, email="a@example.org"), False),  # events-only rule
    ],
)
def test_notice_rules(rule: Rule, matched: bool) -> None:
    notice = Notice(kind="evacuation_order", areas=[Area("Kafr Nabl", 35.61, 36.56, admin1="Idlib")])
    assert match_notice(rule, notice) is matched


SQUARE = {"type": "Polygon", "coordinates": [[[36.3, 35.5], [36.9, 35.5], [36.9, 36.3], [36.3, 36.3], [36.3, 35.5]]]}


@pytest.mark.parametrize(
    ("rule", "location", "matched"),
    [
        # admin1 names are compared with accents and case folded
        (Rule(admin1="Idlib", webhook=HOOK), Location("x", 35.9, 36.6, admin1="IDLIB", country="Syria"), True),
        # a resolved rule keeps a namesake admin1 of another country out
        (Rule(admin1="Georgia", country="United States", country_code="US", webhook=HOOK),
         Location("Tbilisi", 41.7, 44.8, admin1="Georgia", country="Georgia"), False),
        (Rule(admin1="Idlib", country="Syria", country_code="SY", webhook=HOOK),
         Location("Kafranbel", 35.61, 36.56, admin1="Idlib", country="Syria"), True),
        # the imported polygon: a point inside matches although the event has no admin1
        (Rule(admin1="Idlib", area=SQUARE, webhook=HOOK), Location("village", 35.8, 36.5), True),
        (Rule(admin1="Idlib", area=SQUARE, webhook=HOOK), Location("Aleppo", 36.2, 37.16), False),  # outside
    ],
)
def test_admin1_rules_by_name_country_and_polygon(rule: Rule, location: Location, matched: bool) -> None:
    assert match_event(rule, _event(location=location)) is matched
    assert match_notice(rule, Notice(kind="curfew", areas=[Area(location.name or "", location.latitude,
                                                                location.longitude, country=location.country,
                                                                admin1=location.admin1)])) is matched


@pytest.mark.parametrize(
    "kwargs",
    [
        {"digest_minutes": 0, "webhook": HOOK},  # a digest needs a positive period
        {"lat": 36.2, "km": 20, "webhook": HOOK},  # near needs lat, lon and km
        {"admin1": "Idlib"},  # no destination
    ],
)
def test_invalid_rules_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InputError, match="T010"):
        Rule(**kwargs)  # type: ignore[arg-type]


def test_match_sends_one_webhook_and_one_email_and_non_match_none(
    loopback: Loopback, smtp_sink: SmtpSink, db_path: Path, extractor: object
) -> None:
    loopback.routes["/hook"] = Route(status=200, body=b"ok", content_type="text/plain")
    loopback.routes["/f"] = Route(body=rss([("n1", loopback.url("/s/1"), ORDER)]))
    with Store(db_path) as store:
        rule = Rule(name="idlib notices", admin1="Idlib", events=False, webhook=loopback.url("/hook"),
                    secret="s3cret", email="desk@example.org")
        WatchStore(store).add_rule(rule.to_dict(), rule.name)
        notifier = Notifier(store, smtp=SmtpSettings(host="127.0.0.1", port=smtp_sink.port),
                            base_url="http://tocsin.test")
        watcher = Watcher(store, [Source("wire", loopback.url("/f"))], extractor=extractor,  # type: ignore[arg-type]
                          notifier=notifier, rng=random.Random(3), drafts=False)
        assert watcher.run_once(T0).alerts == 2
        posts = [(h, b) for m, p, h, b in loopback.requests if m == "POST" and p == "/hook"]
        assert len(posts) == 1 and len(smtp_sink.messages) == 1
        headers, body = posts[0]
        expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
        assert headers["X-Tocsin-Signature"] == expected
        payload = json.loads(body)
        assert payload["kind"] == "notice" and payload["link"].startswith("http://tocsin.test/")
        assert payload["evidence"] and payload["evidence"] in ORDER
        mail = message_from_bytes(smtp_sink.messages[0][2])
        assert mail["To"] == "desk@example.org"
        assert payload["link"] in mail.get_payload()
        # a non-matching report (a protest in Khartoum) and the same notice again send nothing more
        loopback.routes["/f"] = Route(body=rss([("n1", loopback.url("/s/1"), ORDER), ("n2", loopback.url("/s/2"),
                                                                                        PROTEST)]))
        assert watcher.run_once(T0 + dt.timedelta(seconds=60)).alerts == 0
        assert len([1 for m, p, _, _ in loopback.requests if m == "POST"]) == 1
        assert len(smtp_sink.messages) == 1


CURFEW = ("Authorities imposed a curfew in Idlib city from 6 pm until further notice, the governor's office "
          "said on Tuesday, and residents were told to stay indoors.")


def test_digest_rule_sends_one_message_for_the_round_matches(loopback: Loopback, db_path: Path,
                                                             extractor: object) -> None:
    loopback.routes["/hook"] = Route(status=200, body=b"ok", content_type="text/plain")
    loopback.routes["/f"] = Route(body=rss([("n1", loopback.url("/s/1"), ORDER), ("n2", loopback.url("/s/2"), CURFEW)]),
                                  etag='"v1"')
    with Store(db_path) as store:
        rule = Rule(name="idlib digest", admin1="Idlib", events=False, digest_minutes=5,
                    webhook=loopback.url("/hook"))
        WatchStore(store).add_rule(rule.to_dict(), rule.name)
        notifier = Notifier(store, base_url="http://tocsin.test")
        watcher = Watcher(store, [Source("wire", loopback.url("/f"), interval_s=60)], extractor=extractor,  # type: ignore[arg-type]
                          notifier=notifier, rng=random.Random(3), drafts=False)
        assert watcher.run_once(T0).alerts == 0  # matched, waiting for the digest
        assert watcher.run_once(T0 + dt.timedelta(seconds=120)).alerts == 0  # 304, digest not due
        assert watcher.run_once(T0 + dt.timedelta(seconds=300)).alerts == 1  # one POST for all of them
        assert watcher.run_once(T0 + dt.timedelta(seconds=900)).alerts == 0
        posts = [b for m, p, _, b in loopback.requests if m == "POST" and p == "/hook"]
        assert len(posts) == 1
        digest = json.loads(posts[0])
        assert digest["kind"] == "digest" and digest["count"] == len(digest["matches"]) >= 2
        assert {m["report_id"] for m in digest["matches"]} == {"n1", "n2"}
