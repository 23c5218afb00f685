"""Fetcher faults on loopback: each comes back as a result with a clear reason, never an exception."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket

import pytest
from watchkit import Loopback, Route

from tocsin.watch.fetch import USER_AGENT, Fetcher, retry_after_s


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, **options: float) -> object:
    async def go() -> object:
        async with Fetcher(**options) as fetcher:  # type: ignore[arg-type]
            return await fetcher.get(url)

    return asyncio.run(go())


def test_redirect_loop_is_a_reason(loopback: Loopback) -> None:
    loopback.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    loopback.routes["/b"] = Route(status=302, headers={"Location": "/a"})
    result = _get(loopback.url("/a"))
    assert "redirect loop" in (result.error or "")  # type: ignore[attr-defined]


def test_unreachable_host_is_a_reason() -> None:
    result = _get(f"http://127.0.0.1:{_closed_port()}/feed", connect_timeout_s=5.0)
    assert result.error and "Connect" in result.error  # type: ignore[attr-defined]
    assert result.status is None  # type: ignore[attr-defined]


def test_user_agent_is_descriptive(loopback: Loopback) -> None:
    loopback.routes["/f"] = Route(body=b"<rss/>")
    assert _get(loopback.url("/f")).ok  # type: ignore[attr-defined]
    assert loopback.hits("/f")[0]["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("tocsin/")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),  # delta-seconds
        ("Thu, 26 Nov 2026 12:05:00 GMT", 300.0),  # HTTP date, five minutes ahead
        ("soon", None),  # unreadable
        (None, None),  # absent
    ],
)
def test_retry_after(value: str | None, expected: float | None) -> None:
    assert retry_after_s(value, now=dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)) == expected
