"""Helpers for the browser tests (used by tests/web/conftest.py and the test modules): the site, the page helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from apikit import conflict_reports

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

#: Why the browser tests cannot run here (None when they can).
MISSING: str | None = None
if not CHROMIUM.exists():
    MISSING = "BROWSER TESTS SKIPPED: /usr/bin/chromium is missing (apt-get install -y chromium; .ci/run does)"
try:
    from playwright.sync_api import Page
except ImportError:
    MISSING = ("BROWSER TESTS SKIPPED: the Python package 'playwright' is missing "
               "(.venv/bin/pip install playwright==1.65.2; .ci/run does)")
    Page = Any  # type: ignore[misc,assignment]

#: Reports written for these tests. w1 and w2 tell of one shelling with different death tolls (they merge,
#: and the page must show both claims side by side); w3 and w4 are other events far away.
REPORTS = conflict_reports("w", "Web Wire", ("four", "six"))

#: A published curfew over a stretch of land around Kramatorsk where no event lies (CAP lat,lon pairs).
CURFEW_CENTRE = (48.72, 37.55)
CURFEW_POLYGON = "48.6,37.4 48.6,37.7 48.85,37.7 48.85,37.4 48.6,37.4"
#: A published safe corridor north-west of the curfew (CAP lat,lon pairs), about 30 km from its centre.
CORRIDOR_NAME = "Kramatorsk-Izium road"
#: Markup in a headline must show as text (and the image must never be fetched).
CORRIDOR_HEADLINE = 'Corridor to Izium <img src="http://198.51.100.7/x.png"> open'

CORRIDOR_ROUTE = "48.95,37.3 49.2,37.25"
#: A draft without any area (its report's place has no shape): the operator draws one before publishing.
SHAPELESS_HEADLINE = "Air strikes expected on the river crossings"
#: The draft an operator reviews and publishes: central Kharkiv.
DRAFT_POLYGON = "49.95,36.15 49.95,36.35 50.05,36.35 50.05,36.15 49.95,36.15"


@dataclass
class Site:
    url: str
    tokens: dict[str, str]
    curfew_id: str
    draft_id: str
    events: list[dict[str, Any]]
    store: Any = None
    shapeless_id: str = ""
    tiles: str = ""
    """host:port of the tile server the page may load from (empty: none)."""

    def get(self, path: str, role: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.get(self.url + path, headers=headers, timeout=30)


@dataclass
class Watched:
    """A page with what it logged: console errors, uncaught errors, requests stopped for leaving the server."""

    page: Page
    home: str = ""
    """host:port of the server the page was opened from (set by ``open_page``)."""
    tiles: str = ""
    """host:port of the tile server the page may also load from (set by ``open_page``)."""
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def open_page(seen: Watched, site: Site, token: str | None = None) -> Page:
    """Load the page (signing in with ``token`` through the form when given) and wait until it has settled."""
    page = seen.page
    seen.home = urlsplit(site.url).netloc
    seen.tiles = site.tiles
    page.goto(site.url + "/")
    page.wait_for_selector("body[data-ready=true]")
    if token:
        page.fill("#token", token)
        page.click("#signin-button")
        page.wait_for_selector("#who:has-text('Signed in')")
    page.wait_for_selector("body:not([data-busy])")
    return page
