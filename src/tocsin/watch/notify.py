"""Send watch-rule matches: a signed webhook POST and/or an e-mail, one message per match or a digest.

Each (rule, event or notice) is claimed once in ``watch_alerts`` and becomes deliveries in the
rule alerts' outbox (:mod:`tocsin.watch.outbox`): sent at once, retried with backoff when the
webhook fails or the SMTP server refuses, never sent again once delivered, and given up after
``RetryPolicy.max_attempts`` with the failure kept for ``tocsin rules``. A rule with
``digest_minutes`` collects its matches and sends one message listing them when the oldest is that
many minutes old. Webhook bodies are JSON signed like the warnings outbox
(``X-Tocsin-Signature: sha256=<hex HMAC>``, ``X-Tocsin-Delivery: <rule>:<key>`` to de-duplicate);
e-mail goes through ``smtplib`` to ``TOCSIN_SMTP_HOST``/``TOCSIN_SMTP_PORT`` (default localhost:25),
from ``TOCSIN_SMTP_FROM``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import smtplib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import sqlalchemy as sa

from tocsin.store import Store
from tocsin.store.tables import mentions
from tocsin.warnings.outbox import http_post
from tocsin.warnings.subscriptions import sign
from tocsin.watch.outbox import DELIVERED, AlertOutbox, Delivery, RetryPolicy
from tocsin.watch.rules import Rule, match_event, match_notice
from tocsin.watch.state import WatchStore, utcnow

__all__ = ["Match", "Notifier", "SmtpSettings"]

#: ``post(url, body, headers, timeout_s) -> HTTP status``; raises OSError on network failure.
Poster = Callable[[str, bytes, dict[str, str], float], int]


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 25
    sender: str = "tocsin@localhost"
    timeout_s: float = 30.0

    @classmethod
    def from_env(cls) -> SmtpSettings:
        return cls(host=os.environ.get("TOCSIN_SMTP_HOST", "localhost"),
                   port=int(os.environ.get("TOCSIN_SMTP_PORT", "25")),
                   sender=os.environ.get("TOCSIN_SMTP_FROM", "tocsin@localhost"))


@dataclass(frozen=True)
class Match:
    rule_id: int
    rule: Rule
    target: str
    """``event:<id>`` or ``notice:<id>``."""
    payload: dict[str, Any]


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)


def _digest_body(rule_id: int, rule: Rule, since: dt.datetime, until: dt.datetime,
                 items: list[dict[str, Any]]) -> str:
    return _dumps({"rule": rule_id, "rule_name": rule.name, "kind": "digest", "count": len(items),
                   "since": since.isoformat(timespec="seconds"), "until": until.isoformat(timespec="seconds"),
                   "matches": items})


def _what(payload: dict[str, Any]) -> str:
    return str(payload.get("sub_event_type") or payload.get("notice_kind") or payload.get("kind"))


class Notifier:
    """Callable on the content hashes of newly stored reports (and the round's time); returns messages sent.

    Called after every round, also with no new reports, so that due digests and retries go out.
    Up to ``senders`` deliveries are attempted at once, so a receiver that hangs until the timeout
    holds the round up by about one ``timeout_s``, not one per message waiting for it.
    """

    def __init__(self, store: Store, *, smtp: SmtpSettings | None = None, base_url: str | None = None,
                 timeout_s: float = 10.0, retry: RetryPolicy | None = None, post: Poster = http_post,
                 senders: int = 8) -> None:
        self.store = store
        self.ws = WatchStore(store)
        self.outbox = AlertOutbox(store, retry)
        self.smtp = smtp or SmtpSettings.from_env()
        self.base_url = (base_url or os.environ.get("TOCSIN_PUBLIC_URL", "http://localhost:8000")).rstrip("/")
        self.timeout_s = timeout_s
        self.post = post
        self.senders = senders
        self._next_due: dt.datetime | None = None
        self._checked = False

    def __call__(self, hashes: list[str], now: dt.datetime | None = None) -> int:
        now = now or utcnow()
        if hashes:
            self.queue(self.matches(hashes), now)
        elif self._checked and (self._next_due is None or now < self._next_due):
            return 0  # nothing new, nothing due: no database work on an idle round
        rules = self._rules()
        self.flush_digests(now, rules)
        sent = self.deliver(now, rules)
        self._next_due = self.next_due(rules)
        self._checked = True
        return sent

    @property
    def next_wake(self) -> dt.datetime | None:
        """When a digest or a retry is next due, as known after the last call (None: nothing waits)."""
        return self._next_due

    def _rules(self) -> dict[int, Rule]:
        return {rid: Rule.from_dict(data) for rid, _, data in self.ws.rules()}

    # matching -----------------------------------------------------------------------------------
    def matches(self, hashes: Iterable[str]) -> list[Match]:
        rules = list(self._rules().items())
        if not rules:
            return []
        hashes = list(dict.fromkeys(hashes))
        out: list[Match] = []
        for found in self.store.report_notices(hashes).values():
            for stored in found:
                for rid, rule in rules:
                    if match_notice(rule, stored.notice):
                        evidence = stored.notice.evidence.text if stored.notice.evidence else None
                        out.append(Match(rid, rule, f"notice:{stored.id}", {
                            "kind": "notice", "id": stored.id, "notice_kind": stored.notice.kind,
                            "areas": [a.name for a in stored.notice.areas], "evidence": evidence,
                            "source": stored.source, "report_id": stored.report_id,
                            "link": f"{self.base_url}/api/notices/{stored.id}",
                        }))
        for event_id in self._event_ids(hashes):
            stored_event = self.store.event(event_id)
            for rid, rule in rules:
                if match_event(rule, stored_event.event):
                    evidence = next((s.text for m in stored_event.mentions for s in m.sentences), None)
                    e = stored_event.event
                    out.append(Match(rid, rule, f"event:{event_id}", {
                        "kind": "event", "id": event_id, "event_type": e.event_type,
                        "sub_event_type": e.sub_event_type, "date": e.date.isoformat() if e.date else None,
                        "location": e.location.name, "fatalities": e.fatalities, "evidence": evidence,
                        "link": f"{self.base_url}/api/events/{event_id}",
                    }))
        return out

    def _event_ids(self, hashes: list[str]) -> list[int]:
        if not hashes:
            return []
        with self.store.engine.connect() as conn:
            rows = conn.execute(sa.select(mentions.c.event_id).where(mentions.c.report_hash.in_(hashes),
                                                                      mentions.c.event_id.is_not(None)).distinct())
            return sorted(int(r[0]) for r in rows)

    # queueing -----------------------------------------------------------------------------------
    def queue(self, matches: Iterable[Match], now: dt.datetime) -> int:
        """Claim each match once: its deliveries are made (or it waits for the digest); returns how many were new."""
        new = 0
        for m in matches:
            body = None
            if m.rule.digest_minutes is None:
                body = _dumps({"rule": m.rule_id, "rule_name": m.rule.name, **m.payload})
            new += self.outbox.queue(m.rule_id, m.target, m.payload, m.rule.channels, body, now)
        if new:
            self._checked = False  # something is due: the next call looks at the outbox
        return new

    def flush_digests(self, now: dt.datetime, rules: dict[int, Rule] | None = None) -> list[str]:
        """Make the digests that are due; returns their keys."""
        rules = self._rules() if rules is None else rules
        keys = []
        for rid, oldest in self.outbox.oldest_waiting().items():
            rule = rules.get(rid)
            if rule is None or rule.digest_minutes is None:
                continue
            if now >= oldest + dt.timedelta(minutes=rule.digest_minutes):
                build = functools.partial(_digest_body, rid, rule, oldest, now)
                key = self.outbox.make_digest(rid, rule.channels, now, build)
                if key is not None:
                    keys.append(key)
        return keys

    def next_due(self, rules: dict[int, Rule] | None = None) -> dt.datetime | None:
        """When a digest or a delivery is next due (None: nothing waits)."""
        rules = self._rules() if rules is None else rules
        times = [oldest + dt.timedelta(minutes=rules[rid].digest_minutes or 0)
                 for rid, oldest in self.outbox.oldest_waiting().items() if rid in rules]
        attempt = self.outbox.next_attempt()
        if attempt is not None:
            times.append(attempt)
        return min(times, default=None)

    # sending ------------------------------------------------------------------------------------
    def deliver(self, now: dt.datetime | None = None, rules: dict[int, Rule] | None = None) -> int:
        """Send every delivery due at ``now``; returns how many were delivered."""
        now = now or utcnow()
        rules = self._rules() if rules is None else rules
        sent = 0
        pool: ThreadPoolExecutor | None = None
        try:
            while batch := self.outbox.claim_due(now):
                pool = pool or ThreadPoolExecutor(max_workers=self.senders, thread_name_prefix="tocsin-alert")
                attempts = []
                for delivery in batch:
                    rule = rules.get(delivery.rule_id)
                    if rule is None:
                        self.outbox.give_up(delivery, "rule removed before delivery", now)
                        continue
                    attempts.append((delivery, pool.submit(self._send, rule, delivery)))
                for delivery, attempt in attempts:
                    status, error = attempt.result()
                    state = self.outbox.record(delivery, ok=error is None, status=status, error=error, now=now)
                    sent += state == DELIVERED
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
        return sent

    def send(self, match: Match, now: dt.datetime | None = None) -> int:
        """Queue one match (once ever) and send what is due; returns the number of messages delivered."""
        now = now or utcnow()
        self.queue([match], now)
        return self.deliver(now)

    def _send(self, rule: Rule, delivery: Delivery) -> tuple[int | None, str | None]:
        """One attempt: (status, error); error None on success."""
        body = delivery.body.encode("utf-8")
        if delivery.channel == "webhook":
            assert rule.webhook is not None
            headers = {"Content-Type": "application/json", "User-Agent": "tocsin-webhook/1",
                       "X-Tocsin-Delivery": f"{delivery.rule_id}:{delivery.key}",
                       "Idempotency-Key": f"{delivery.rule_id}:{delivery.key}"}
            if rule.secret:
                headers["X-Tocsin-Signature"] = sign(rule.secret, body)
            try:
                status = self.post(rule.webhook, body, headers, self.timeout_s)
            except (OSError, ValueError) as exc:
                return None, f"webhook: {type(exc).__name__}: {exc}"
            return status, None if 200 <= status < 300 else f"webhook answered HTTP {status}"
        try:
            self._mail(rule, delivery)
        except smtplib.SMTPResponseException as exc:
            return exc.smtp_code, f"e-mail refused: {exc.smtp_code} {exc.smtp_error!r}"
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            return (codes[0] if codes else None), f"e-mail refused for {', '.join(exc.recipients)}: {codes}"
        except (OSError, smtplib.SMTPException) as exc:
            return None, f"e-mail: {type(exc).__name__}: {exc}"
        return 250, None

    def _mail(self, rule: Rule, delivery: Delivery) -> None:
        data = json.loads(delivery.body)
        title = rule.name or f"rule {delivery.rule_id}"
        msg = EmailMessage()
        msg["From"] = self.smtp.sender
        msg["To"] = rule.email
        if data.get("kind") == "digest":
            items = data["matches"]
            msg["Subject"] = f"[tocsin] {title}: {len(items)} matches since {data['since']}"
            lines = [f"- {_what(p)}\n  Evidence: {p.get('evidence') or '-'}\n  Link: {p['link']}" for p in items]
            text = "\n".join(lines)
        else:
            msg["Subject"] = f"[tocsin] {title}: {_what(data)}"
            text = f"{_what(data)}\n\nEvidence: {data.get('evidence') or '-'}\nLink: {data['link']}"
        msg.set_content(f"{text}\n\n{delivery.body}")
        with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.smtp.timeout_s) as smtp:
            smtp.send_message(msg)
