"""Whether the configured tile server answers, asked by the server so an offline page never requests a tile.

The web page draws its base map from ``tiles_url`` (a Leaflet template such as
``https://tiles.example.org/{z}/{x}/{y}.png``). When nothing answers there, a browser that tries anyway
logs one failed request per tile in its console before it can fall back. So ``GET /api/config`` says
``tiles_reachable``: the server fetches the world tile (z=0, x=0, y=0) with a short timeout, at most once
per ``ttl_s``, and the page uses its plain fallback at once when the answer is no. Any HTTP answer counts as
reachable (the page still falls back by itself if the tiles then fail to load); only an address that does
not answer at all (refused, unresolvable, timed out) counts as unreachable. The check goes through the
server's environment proxies (``HTTPS_PROXY``...); a server that cannot reach a tile server its users' browsers
could reach makes the page use the plain map.
"""

from __future__ import annotations

import threading
import time

import httpx

__all__ = ["TileProbe", "first_tile"]


def first_tile(template: str) -> str:
    """The URL of the world tile of a Leaflet tile template (``{s}`` is the first subdomain, ``{r}`` empty)."""
    url = template
    for key, value in (("{z}", "0"), ("{x}", "0"), ("{y}", "0"), ("{-y}", "0"), ("{s}", "a"), ("{r}", "")):
        url = url.replace(key, value)
    return url


class TileProbe:
    def __init__(self, template: str | None, *, ttl_s: float = 60.0, timeout_s: float = 2.0) -> None:
        self.template = template or None
        self.ttl_s = ttl_s
        self.timeout_s = timeout_s
        self._answer: bool | None = None
        self._checked = float("-inf")
        self._lock = threading.Lock()

    def reachable(self) -> bool | None:
        """True/False for a configured tile server (re-checked every ``ttl_s``), None when there is none."""
        if self.template is None:
            return None
        with self._lock:
            if time.monotonic() - self._checked >= self.ttl_s:
                self._answer = self._ask()
                self._checked = time.monotonic()
            return self._answer

    def _ask(self) -> bool:
        try:
            with httpx.Client(timeout=self.timeout_s, follow_redirects=False) as client:  # env proxies apply
                client.get(first_tile(self.template or ""), headers={"User-Agent": "tocsin tile check"})
        except (httpx.HTTPError, ValueError):
            return False
        return True
