"""Rule alerts' outbox against a loopback webhook receiver and SMTP sink: retries, giving up, digests, restarts."""

from __future__ import annotations

import datetime as dt
import json
import threading
from email import message_from_bytes
from pathlib import Path

import pytest
from watchkit import Loopback, Route, SmtpSink

from tocsin.store import Store
from tocsin.warnings.outbox import http_post
from tocsin.watch.notify import Match, Notifier, SmtpSettings
from tocsin.watch.outbox import AlertOutbox, RetryPolicy
from tocsin.watch.rules import Rule
from tocsin.watch.state import WatchStore

T0 = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
POLICY = RetryPolicy(max_attempts=4, base_delay_s=30.0, max_delay_s=600.0)


def _s(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def _payload(n: int) -> dict[str, object]:
    return {"kind": "notice", "id": n, "notice_kind": "curfew", "areas": ["Idlib"],
            "evidence": f"A curfew was declared in Idlib city, order number {n}.",
            "link": f"http://tocsin.test/api/notices/{n}"}


def _rule(store: Store, rule: Rule) -> tuple[int, Rule]:
    return WatchStore(store).add_rule(rule.to_dict(), rule.name), rule


def _notifier(store: Store, sink: SmtpSink | None = None, policy: RetryPolicy = POLICY) -> Notifier:
    smtp = SmtpSettings(host="127.0.0.1", port=sink.port if sink else 9, timeout_s=5.0)
    return Notifier(store, smtp=smtp, base_url="http://tocsin.test", retry=policy, timeout_s=5.0)


def _posts(loopback: Loopback) -> list[tuple[dict[str, str], bytes]]:
    with loopback.lock:
        return [(h, b) for m, p, h, b in loopback.requests if m == "POST" and p == "/hook"]


def test_webhook_500_is_retried_with_backoff_and_sent_once_delivered(loopback: Loopback, db_path: Path) -> None:
    loopback.routes["/hook"] = Route(statuses=[500, 500], status=200, body=b"ok", content_type="text/plain")
    with Store(db_path) as store:
        rid, rule = _rule(store, Rule(name="idlib", admin1="Idlib", webhook=loopback.url("/hook"), secret="s"))
        notifier = _notifier(store)
        assert notifier.send(Match(rid, rule, "notice:1", _payload(1)), T0) == 0  # 500
        assert notifier([], _s(10)) == 0 and len(_posts(loopback)) == 1  # not due before its 30 s backoff
        assert notifier([], _s(31)) == 0 and len(_posts(loopback)) == 2  # 500 again; next wait is 60 s
        assert notifier([], _s(60)) == 0 and len(_posts(loopback)) == 2
        assert notifier([], _s(92)) == 1 and len(_posts(loopback)) == 3  # 200: delivered
        assert notifier([], _s(3600)) == 0 and len(_posts(loopback)) == 3  # never again
        assert notifier.send(Match(rid, rule, "notice:1", _payload(1)), _s(3700)) == 0  # the same match again
        posts = _posts(loopback)
        assert len(posts) == 3
        assert {h["X-Tocsin-Delivery"] for h, _ in posts} == {f"{rid}:notice:1"}
        assert len({b for _, b in posts}) == 1  # the same signed bytes on every try
        (delivery,) = AlertOutbox(store).deliveries(rid)
        assert (delivery.state, delivery.attempts, delivery.last_status, delivery.last_error) == ("delivered", 3,
                                                                                                  200, None)


def test_gives_up_after_max_attempts_and_the_failure_is_kept(loopback: Loopback, db_path: Path) -> None:
    loopback.routes["/hook"] = Route(status=500, body=b"down", content_type="text/plain")
    with Store(db_path) as store:
        rid, rule = _rule(store, Rule(name="down", webhook=loopback.url("/hook")))
        notifier = _notifier(store, policy=RetryPolicy(max_attempts=2, base_delay_s=5.0))
        notifier.send(Match(rid, rule, "event:7", _payload(7)), T0)
        notifier([], _s(6))
        notifier([], _s(3600))
        assert len(_posts(loopback)) == 2
        (delivery,) = AlertOutbox(store).deliveries(rid)
        assert (delivery.state, delivery.attempts) == ("dead", 2)
        stats = AlertOutbox(store).stats()[rid]
        assert (stats.matches, stats.delivered, stats.pending, stats.failed) == (1, 0, 0, 1)
        assert stats.last_error == "webhook answered HTTP 500" and stats.last_delivered_at is None


@pytest.mark.parametrize(
    ("refusals", "attempts"),
    [
        (0, 1),  # accepted at once
        (1, 2),  # 451 once (mailbox busy), delivered on the retry
    ],
)
def test_smtp_refusal_is_retried(smtp_sink: SmtpSink, db_path: Path, refusals: int, attempts: int) -> None:
    smtp_sink.refuse = refusals
    with Store(db_path) as store:
        rid, rule = _rule(store, Rule(name="desk", email="desk@example.org"))
        notifier = _notifier(store, smtp_sink)
        notifier.send(Match(rid, rule, "notice:3", _payload(3)), T0)
        notifier([], _s(31))
        notifier([], _s(600))
        assert len(smtp_sink.messages) == 1
        (delivery,) = AlertOutbox(store).deliveries(rid)
        assert (delivery.state, delivery.attempts) == ("delivered", attempts)


def test_unreachable_smtp_server_is_a_recorded_failure(db_path: Path) -> None:
    with Store(db_path) as store:
        rid, rule = _rule(store, Rule(name="desk", email="desk@example.org"))
        _notifier(store).send(Match(rid, rule, "notice:3", _payload(3)), T0)  # port 9: nothing listens
        (delivery,) = AlertOutbox(store).deliveries(rid)
        assert (delivery.state, delivery.attempts) == ("pending", 1)
        assert delivery.last_error and delivery.last_error.startswith("e-mail: ConnectionRefusedError")


def test_digest_lists_the_matches_once_when_due(loopback: Loopback, smtp_sink: SmtpSink, db_path: Path) -> None:
    loopback.routes["/hook"] = Route(status=200, body=b"ok", content_type="text/plain")
    with Store(db_path) as store:
        rid, rule = _rule(store, Rule(name="idlib digest", admin1="Idlib", digest_minutes=10,
                                      webhook=loopback.url("/hook"), email="desk@example.org"))
        notifier = _notifier(store, smtp_sink)
        notifier.queue([Match(rid, rule, "notice:1", _payload(1))], T0)
        notifier.queue([Match(rid, rule, "notice:2", _payload(2)), Match(rid, rule, "notice:1", _payload(1))],
                       _s(120))
        assert notifier([], _s(300)) == 0  # the oldest match is 5 minutes old: nothing yet
        assert _posts(loopback) == [] and smtp_sink.messages == []
        assert notifier([], _s(600)) == 2  # ten minutes: one POST and one e-mail list both
        (headers, body), = _posts(loopback)
        digest = json.loads(body)
        assert (digest["kind"], digest["count"]) == ("digest", 2)
        assert [m["id"] for m in digest["matches"]] == [1, 2]
        assert headers["X-Tocsin-Delivery"].startswith(f"{rid}:digest:")
        (mail,) = smtp_sink.messages
        text = message_from_bytes(mail[2]).get_payload()
        assert "2 matches" in message_from_bytes(mail[2])["Subject"]
        assert "http://tocsin.test/api/notices/1" in text and "http://tocsin.test/api/notices/2" in text
        notifier.queue([Match(rid, rule, "notice:3", _payload(3))], _s(700))
        assert notifier([], _s(900)) == 0  # the next digest starts with notice 3, due at 700 s + 10 min
        assert notifier([], _s(1300)) == 2
        assert [m["id"] for m in json.loads(_posts(loopback)[1][1])["matches"]] == [3]


def test_digest_survives_restarts_without_loss_or_repeat(loopback: Loopback, db_path: Path) -> None:
    loopback.routes["/hook"] = Route(status=200, body=b"ok", content_type="text/plain")
    with Store(db_path) as store:
        rid, rule = _rule(store, Rule(name="d", digest_minutes=5, webhook=loopback.url("/hook")))
        _notifier(store).queue([Match(rid, rule, "event:1", _payload(1))], T0)  # process 1 stops here
    with Store(db_path) as store:
        second = _notifier(store)
        assert second.flush_digests(_s(301)) != []  # process 2 makes the digest, stops before sending
    with Store(db_path) as store:
        third = _notifier(store)
        assert third([], _s(302)) == 1  # process 3 sends it
        assert third([], _s(900)) == 0
    with Store(db_path) as store:
        assert _notifier(store)([], _s(1200)) == 0  # and a fourth sends nothing again
    posts = _posts(loopback)
    assert len(posts) == 1 and json.loads(posts[0][1])["count"] == 1


def test_idle_rounds_do_no_database_work_until_something_is_due(loopback: Loopback, db_path: Path) -> None:
    loopback.routes["/hook"] = Route(statuses=[503], status=200, body=b"ok", content_type="text/plain")
    with Store(db_path) as store:
        rid, rule = _rule(store, Rule(name="d", webhook=loopback.url("/hook")))
        notifier = _notifier(store)
        notifier.send(Match(rid, rule, "event:1", _payload(1)), T0)
        assert notifier([], T0) == 0
        assert notifier.next_due() == _s(30) and notifier.next_wake == _s(30)
        assert notifier([], _s(29)) == 0  # answered from the remembered time
        assert notifier([], _s(30)) == 1
        assert notifier.next_wake is None


def test_deliveries_due_together_are_attempted_at_once(loopback: Loopback, db_path: Path) -> None:
    """Three messages to a slow receiver: each attempt waits for the other two to be in flight."""
    loopback.routes["/hook"] = Route(status=200, body=b"ok", content_type="text/plain")
    together = threading.Barrier(3, timeout=10)

    def post(url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int:
        together.wait()  # raises BrokenBarrierError if the attempts were made one after another
        return http_post(url, body, headers, timeout_s)

    with Store(db_path) as store:
        rid, rule = _rule(store, Rule(name="idlib", webhook=loopback.url("/hook")))
        notifier = Notifier(store, base_url="http://tocsin.test", retry=POLICY, timeout_s=5.0, post=post)
        notifier.queue([Match(rid, rule, f"notice:{n}", _payload(n)) for n in range(3)], T0)
        assert notifier.deliver(T0) == 3
        assert sorted(d.state for d in AlertOutbox(store).deliveries(rid)) == ["delivered"] * 3
    assert len(_posts(loopback)) == 3
