"""HTTP for the watcher: one shared ``httpx.AsyncClient`` with timeouts, a size cap and a per-host cap.

Every request has connect and read timeouts plus an overall deadline (a server that drips bytes
slowly cannot hold a source forever). Bodies are streamed and refused once they pass ``max_bytes``
(a declared ``Content-Length`` over the cap is refused before reading). Conditional requests send
``If-None-Match`` / ``If-Modified-Since``; a 304 is "no change". Failures never raise: they come
back as a :class:`FetchResult` with ``error`` set, so one source's fault stays its own.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import functools
import importlib.util
import ssl
import sys
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from tocsin import __version__ as _version

__all__ = ["USER_AGENT", "FetchResult", "Fetcher", "retry_after_s"]

if importlib.util.find_spec("sniffio") is None:
    # httpcore runs ``import sniffio`` on every lock it takes; when the package is absent each try is a
    # full sys.path search (~1 ms, a third of an idle poll's CPU). A None entry makes it fail at once,
    # exactly as before (httpcore then assumes asyncio, which is what runs here).
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

USER_AGENT = f"tocsin/{_version} (conflict-news monitor; polite polling with conditional requests)"


@dataclass
class FetchResult:
    url: str
    status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after_s: float | None = None
    error: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


def retry_after_s(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle costs ~30-150 ms, once per client otherwise."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


class Fetcher:
    """GETs with caps; use as ``async with Fetcher() as f: await f.get(url)``."""

    def __init__(
        self,
        *,
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 10.0,
        deadline_s: float = 30.0,
        max_bytes: int = 10 * 1024 * 1024,
        per_host: int = 2,
        user_agent: str = USER_AGENT,
        max_redirects: int = 5,
    ) -> None:
        self.deadline_s = deadline_s
        self.max_bytes = max_bytes
        self.per_host = per_host
        self._hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(self.per_host))
        timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
        self.client = httpx.AsyncClient(
            timeout=timeout, follow_redirects=True, max_redirects=max_redirects, verify=_tls_context(),
            headers={"User-Agent": user_agent}, limits=httpx.Limits(max_connections=200),
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = urlsplit(url).netloc
        async with self._hosts[host]:
            try:
                return await asyncio.wait_for(self._get(url, headers), self.deadline_s)
            except TimeoutError:
                return FetchResult(url, error=f"no complete answer within {self.deadline_s:g} s (timed out)")

    async def _get(self, url: str, headers: dict[str, str]) -> FetchResult:
        try:
            async with self.client.stream("GET", url, headers=headers) as response:
                result = FetchResult(
                    url, status=response.status_code, content_type=response.headers.get("content-type"),
                    etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
                    retry_after_s=retry_after_s(response.headers.get("retry-after")),
                )
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    result.error = f"response of {int(declared)} bytes refused (cap {self.max_bytes} bytes)"
                    return result
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        result.error = f"response larger than the cap of {self.max_bytes} bytes; refused"
                        return result
                    chunks.append(chunk)
                result.body = b"".join(chunks)
                if response.status_code >= 400:
                    result.error = f"HTTP {response.status_code} {response.reason_phrase}".strip()
                return result
        except httpx.TooManyRedirects as exc:
            return FetchResult(url, error=f"redirect loop: {exc}")
        except httpx.TimeoutException as exc:
            return FetchResult(url, error=f"timed out ({type(exc).__name__})")
        except httpx.ConnectError as exc:
            return FetchResult(url, error=_connect_reason(exc))
        except httpx.HTTPError as exc:
            return FetchResult(url, error=f"{type(exc).__name__}: {exc}"[:300])


def _connect_reason(exc: httpx.ConnectError) -> str:
    text = str(exc)
    if "SSL" in text or "TLS" in text or "certificate" in text.lower():
        what = "TLS error (bad certificate or not HTTPS)"
    elif "not known" in text or "nodename" in text or "getaddrinfo" in text:
        what = "unreachable host (name not found)"
    else:
        what = "unreachable host (connection failed)"
    return f"{what}: ConnectError: {text}"[:300]
