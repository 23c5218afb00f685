"""Send watch-rule matches: a signed webhook POST and/or an e-mail, one message per match.

Each (rule, event or notice) is claimed in ``watch_alerts`` before sending, so a match is sent once
even across restarts. Webhook bodies are JSON signed like the warnings outbox
(``X-Tocsin-Signature: sha256=<hex HMAC>``); e-mail goes through ``smtplib`` to the SMTP server in
``TOCSIN_SMTP_HOST``/``TOCSIN_SMTP_PORT`` (default localhost:25), from ``TOCSIN_SMTP_FROM``.
"""

from __future__ import annotations

import json
import os
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import sqlalchemy as sa

from tocsin.store import Store
from tocsin.store.tables import mentions
from tocsin.warnings.outbox import http_post
from tocsin.warnings.subscriptions import sign
from tocsin.watch.rules import Rule, match_event, match_notice
from tocsin.watch.state import WatchStore

__all__ = ["Match", "Notifier", "SmtpSettings"]


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


class Notifier:
    """Callable on the content hashes of newly stored reports; returns how many messages went out."""

    def __init__(self, store: Store, *, smtp: SmtpSettings | None = None, base_url: str | None = None,
                 timeout_s: float = 30.0) -> None:
        self.store = store
        self.ws = WatchStore(store)
        self.smtp = smtp or SmtpSettings.from_env()
        self.base_url = (base_url or os.environ.get("TOCSIN_PUBLIC_URL", "http://localhost:8000")).rstrip("/")
        self.timeout_s = timeout_s

    def __call__(self, hashes: list[str]) -> int:
        return sum(self.send(m) for m in self.matches(hashes))

    def matches(self, hashes: Iterable[str]) -> list[Match]:
        rules = [(rid, Rule.from_dict(data)) for rid, _, data in self.ws.rules()]
        if not rules:
            return []
        hashes = list(dict.fromkeys(hashes))
        out: list[Match] = []
        for h in hashes:
            for stored in self.store.notices(report_hash=h):
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

    def send(self, match: Match) -> int:
        """Send one match (once ever); returns the number of messages sent."""
        if not self.ws.claim_alert(match.rule_id, match.target):
            return 0
        body = json.dumps({"rule": match.rule_id, "rule_name": match.rule.name, **match.payload},
                          ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
        sent, outcomes = 0, []
        if match.rule.webhook:
            headers = {"Content-Type": "application/json", "X-Tocsin-Delivery": f"{match.rule_id}:{match.target}"}
            if match.rule.secret:
                headers["X-Tocsin-Signature"] = sign(match.rule.secret, body)
            try:
                status = http_post(match.rule.webhook, body, headers, self.timeout_s)
                outcomes.append(f"webhook {status}")
                sent += 200 <= status < 300
            except OSError as exc:
                outcomes.append(f"webhook failed: {exc}")
        if match.rule.email:
            try:
                self._mail(match, body)
                outcomes.append("email sent")
                sent += 1
            except (OSError, smtplib.SMTPException) as exc:
                outcomes.append(f"email failed: {exc}")
        self.ws.alert_outcome(match.rule_id, match.target, "; ".join(outcomes))
        return sent

    def _mail(self, match: Match, body: bytes) -> None:
        p = match.payload
        msg = EmailMessage()
        msg["From"] = self.smtp.sender
        msg["To"] = match.rule.email
        what = p.get("sub_event_type") or p.get("notice_kind") or p["kind"]
        msg["Subject"] = f"[tocsin] {match.rule.name or 'rule ' + str(match.rule_id)}: {what}"
        msg.set_content(f"{what}\n\nEvidence: {p.get('evidence') or '-'}\nLink: {p['link']}\n\n"
                        + body.decode("utf-8"))
        with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.smtp.timeout_s) as smtp:
            smtp.send_message(msg)


