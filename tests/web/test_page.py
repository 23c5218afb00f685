"""The web page in Debian's headless Chromium: markers, evidence, status at a point, an operator publishing a draft.

Each test asserts at the end that the page logged no console error and sent no request off the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from webkit import CORRIDOR_HEADLINE, CORRIDOR_NAME, CURFEW_CENTRE, MISSING, Page, Site, Watched, open_page

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)


def _clean(seen: Watched) -> None:
    assert seen.errors == [], seen.errors
    assert seen.outside == [], f"requests that left the server: {seen.outside}"


def _placed(site: Site) -> list[dict]:
    return [e for e in site.events if e["location"]["latitude"] is not None]


def _view(page: Page, lat: float, lon: float, zoom: int) -> None:
    # wait for the page's own fetches first: one that answers later may move the map (fit to what it drew)
    page.wait_for_load_state("networkidle")
    # the arrow returns nothing: Playwright would otherwise serialise the whole Leaflet map it returns
    page.evaluate(f"() => {{ window.tocsin.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); }}")


def _kharkiv(site: Site) -> dict:
    return next(e for e in site.events if e["location"]["name"] == "Kharkiv")


def test_page_loads_offline_and_public(watched: Watched, site: Site, shots: Path) -> None:
    page = open_page(watched, site)
    assert page.title().startswith("tocsin")
    # the fallback base map: many country outlines from the bundled GeoJSON, no tiles
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length > 100")
    assert page.locator(".leaflet-tile").count() == 0
    legend = page.locator("#legend").inner_text()
    for label in ("Battles", "Protests", "Strategic developments", "Curfew", "Safe corridor"):
        assert label in legend
    # events need a token: none shown, and the page says why
    assert page.locator(".ev-icon").count() == 0
    assert "Sign in" in page.locator("#timeline").inner_text()
    # the published curfew is public: drawn hatched and dashed; the draft is not shown
    curfew = page.locator("path.kind-curfew")
    assert curfew.count() == 1
    assert "url(" in curfew.evaluate("el => getComputedStyle(el).fill")
    assert curfew.get_attribute("stroke-dasharray") == "6 4"
    assert page.locator("path.kind-evacuation_order").count() == 0
    # the corridor: its buffered area and its route line
    assert page.locator("path.kind-safe_corridor").count() == 1 and page.locator("path.route").count() == 1
    page.hover("path.kind-safe_corridor")
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert CORRIDOR_HEADLINE in tooltip.inner_text() and tooltip.locator("img").count() == 0
    page.screenshot(path=str(shots / "public.png"))
    _clean(watched)


def test_signed_in_viewer_sees_markers_timeline_and_evidence(watched: Watched, site: Site, shots: Path) -> None:
    page = open_page(watched, site, site.tokens["viewer"])
    placed = _placed(site)
    assert len(placed) >= 3
    page.wait_for_function(f"document.querySelectorAll('[data-event-id]').length === {len(placed)}")
    assert page.locator("#drafts-button").is_hidden()  # drafts are for operators
    assert page.locator("path.draft").count() == 0  # and so are their areas on the map
    # one bar per day from the first event's day to the last's, the days with events non-empty
    first, last = min(e["date"] for e in site.events), max(e["date"] for e in site.events)
    assert first in page.locator("#timeline").inner_text() and last in page.locator("#timeline").inner_text()
    assert page.locator("#timeline rect.bar[height='0']").count() < page.locator("#timeline rect.bar").count()
    page.screenshot(path=str(shots / "viewer.png"))

    event = _kharkiv(site)
    page.click(f"[data-event-id='{event['id']}']")
    page.wait_for_selector("#panel mark")
    panel = page.locator("#panel")
    assert panel.locator("h2").inner_text() == event["sub_event_type"]
    marks = panel.locator(".evidence mark")
    texts = [marks.nth(i).inner_text() for i in range(marks.count())]
    fields = " ".join(marks.nth(i).get_attribute("data-fields") or "" for i in range(marks.count()))
    assert "shelled" in texts and "Kharkiv" in texts  # the trigger and the place, highlighted in the sentence
    assert "event type" in fields and "location" in fields
    # both sources of the merged event are listed with their own sentence
    assert panel.locator(".mention").count() == 2
    assert "Web Wire" in panel.inner_text() and "Other Daily" in panel.inner_text()
    # the two death tolls stand side by side as competing claims
    group = panel.locator(".claim-group.competing")
    assert group.count() == 1
    values = sorted(group.locator(".claim-value").all_inner_texts())
    assert values == ["4", "6"]
    page.screenshot(path=str(shots / "event.png"))
    _clean(watched)


def test_markers_open_with_the_keyboard(watched: Watched, site: Site) -> None:
    page = open_page(watched, site, site.tokens["viewer"])
    event = _kharkiv(site)
    page.wait_for_selector(f"[data-event-id='{event['id']}']")
    page.locator(f".ev-icon:has([data-event-id='{event['id']}'])").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#panel mark")
    assert page.locator("#panel h2").inner_text() == event["sub_event_type"]
    _clean(watched)


def test_filters_narrow_the_map(watched: Watched, site: Site) -> None:
    page = open_page(watched, site, site.tokens["viewer"])
    placed = _placed(site)
    page.wait_for_function(f"document.querySelectorAll('[data-event-id]').length === {len(placed)}")
    page.select_option("#f-type", "Protests")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("body:not([data-busy])")
    protests = [e for e in placed if e["event_type"] == "Protests"]
    page.wait_for_function(f"document.querySelectorAll('[data-event-id]').length === {len(protests)}")
    # the date-range slider: moving the first day to the last day keeps only that day's events
    page.click("#f-reset")
    page.wait_for_selector("body:not([data-busy])")
    last = max(e["date"] for e in placed)
    page.eval_on_selector("#r-from", "el => { el.value = el.max; el.dispatchEvent(new Event('input')); "
                                     "el.dispatchEvent(new Event('change')); }")
    page.wait_for_selector("body:not([data-busy])")
    assert page.locator("#f-from").input_value() == last
    on_last = [e for e in placed if e["date"] == last]
    page.wait_for_function(f"document.querySelectorAll('[data-event-id]').length === {len(on_last)}")
    # a click on the first day's bar shows that day only
    page.click("#f-reset")
    page.wait_for_selector("body:not([data-busy])")
    page.locator("#timeline rect.bar").first.click()
    page.wait_for_selector("body:not([data-busy])")
    first = min(e["date"] for e in placed)
    assert page.locator("#f-from").input_value() == first and page.locator("#f-to").input_value() == first
    on_first = [e for e in placed if e["date"] == first]
    page.wait_for_function(f"document.querySelectorAll('[data-event-id]').length === {len(on_first)}")
    # the area toggle: only the events inside the current view (sent as bbox)
    page.click("#f-reset")
    page.wait_for_selector("body:not([data-busy])")
    kharkiv = _kharkiv(site)["location"]
    _view(page, kharkiv["latitude"], kharkiv["longitude"], 9)
    page.check("#f-view")
    page.wait_for_selector("body:not([data-busy])")
    page.wait_for_function("document.querySelectorAll('[data-event-id]').length === 1")
    _view(page, 0, 40, 5)  # moving the map reloads with the new view: East Africa
    page.wait_for_selector("body:not([data-busy])")
    in_view = [e for e in placed if e["location"]["latitude"] < 40]  # Afgoye and Nairobi, not Kharkiv
    page.wait_for_function(f"document.querySelectorAll('[data-event-id]').length === {len(in_view)}")
    _clean(watched)


def test_a_click_on_the_map_shows_what_applies_there(watched: Watched, site: Site, shots: Path) -> None:
    page = open_page(watched, site)
    lat, lon = CURFEW_CENTRE
    _view(page, lat, lon, 10)
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#panel .status-warning")
    panel = page.locator("#panel").inner_text()
    assert "What applies here now" in panel
    assert "Curfew in Kramatorsk district" in panel and "Stay indoors from 22:00 to 06:00." in panel
    assert f"{lat:.2f}" in panel
    assert f"Nearest safe corridor: {CORRIDOR_NAME}" in panel
    page.screenshot(path=str(shots / "status.png"))
    # far from any warning nothing applies; asked with the keyboard through the map-centre button
    _view(page, -30, -60, 6)
    page.focus("#centre-status")
    page.keyboard.press("Enter")
    page.wait_for_selector("#panel .none")
    assert "-30.0000, -60.0000" in page.locator("#panel").inner_text()
    assert "No warning applies here now." in page.locator("#panel").inner_text()
    _clean(watched)


def test_operator_publishes_a_draft_into_the_feed(watched: Watched, site: Site, shots: Path) -> None:
    assert site.draft_id.encode() not in site.get("/feed.atom").content
    page = open_page(watched, site, site.tokens["operator"])
    page.wait_for_selector("path.kind-evacuation_order.draft")  # operators see the draft's area on the map
    page.click("#drafts-button")
    form = page.locator(f"form.draft[data-warning-id='{site.draft_id}']")
    form.wait_for()
    form.locator("input[name=headline]").fill("Leave central Kharkiv now")
    form.locator("input[name=expires]").fill("2099-01-01T12:00")
    page.screenshot(path=str(shots / "drafts.png"))
    form.locator("button[name=publish]").click()
    form.locator(".note:has-text('Published')").wait_for()
    feed = site.get("/feed.atom")
    assert feed.status_code == 200
    assert site.draft_id.encode() in feed.content and b"Leave central Kharkiv now" in feed.content
    published = site.get(f"/api/warnings/{site.draft_id}").json()["properties"]
    assert published["status"] == "published" and published["expires"] == "2099-01-01T12:00:00Z"
    # the page redraws it as a published (public) warning
    page.wait_for_selector("path.kind-evacuation_order:not(.draft)")
    _clean(watched)


def test_unreachable_tiles_fall_back_to_country_outlines(watched: Watched, tiled_site: Site) -> None:
    page = open_page(watched, tiled_site)
    page.wait_for_selector("#message:has-text('tiles could not be loaded')")
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length > 100")
    assert page.locator(".leaflet-tile-pane img").count() == 0  # no tile layer at all
    # the server found the tile server silent: the page asked for no tile and logged nothing
    _clean(watched)


def test_tiles_come_from_the_configured_url(watched: Watched, live_tiles_site: Site, shots: Path) -> None:
    page = open_page(watched, live_tiles_site)
    page.wait_for_selector("img.leaflet-tile-loaded")
    sources = page.eval_on_selector_all("img.leaflet-tile", "els => els.map(e => e.src)")
    assert sources and all(src.startswith(f"http://{live_tiles_site.tiles}/tiles/") for src in sources)
    assert page.locator(".leaflet-overlay-pane path").count() < 20  # no country outlines: the tiles are the map
    assert "tiles could not be loaded" not in page.locator("#message").inner_text()
    page.screenshot(path=str(shots / "tiles.png"))
    _clean(watched)


def test_tiles_that_fail_in_the_browser_fall_back_too(watched: Watched, broken_tiles_site: Site) -> None:
    page = open_page(watched, broken_tiles_site)  # the server reaches the tile server; every tile is a 404
    page.wait_for_selector("#message:has-text('tiles could not be loaded')")
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length > 100")
    assert page.locator(".leaflet-tile-pane img").count() == 0  # the tile layer is gone
    assert watched.outside == []
    assert [e for e in watched.errors if "Failed to load resource" not in e] == []  # only the failed tiles


def test_bad_token_is_refused_and_a_good_one_survives_a_reload(watched: Watched, site: Site) -> None:
    page = open_page(watched, site)
    page.fill("#token", "not-a-token")
    page.click("#signin-button")
    page.wait_for_selector("#who:has-text('not valid')")
    assert page.locator("#signout-button").is_hidden() and page.locator("[data-event-id]").count() == 0
    assert page.evaluate("sessionStorage.length") == 0  # a refused token is not kept
    refused = [e for e in watched.errors if "401" in e]
    assert len(refused) == 1  # Chromium logs the refused /api/me; nothing else went wrong
    watched.errors.clear()
    page.fill("#token", site.tokens["viewer"])
    page.click("#signin-button")
    page.wait_for_selector("#who:has-text('Signed in as viewer-web (viewer)')")
    page.wait_for_selector("body:not([data-busy])")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert "Signed in as viewer-web" in page.locator("#who").inner_text()  # the tab's session keeps the token
    page.wait_for_selector("[data-event-id]")
    page.click("#signout-button")
    page.wait_for_selector("#signin-button:not([hidden])")
    assert page.evaluate("sessionStorage.length") == 0 and page.locator("[data-event-id]").count() == 0
    _clean(watched)


def _timeline(page: Page) -> dict[str, int]:
    """Events per day as the chart shows them (from its bars' titles)."""
    titles = page.eval_on_selector_all("#timeline rect.bar title", "els => els.map(e => e.textContent)")
    days = {t.split(":")[0]: int(t.split(": ")[1].split(" ")[0]) for t in titles}
    return {day: n for day, n in days.items() if n}


def _region(event: dict) -> str:
    return str(event["location"]["admin1"])


@pytest.mark.parametrize(
    ("control", "value", "keep"),
    [
        ("#f-country", "Kenya", lambda e: e["location"]["country"] == "Kenya"),  # the area: a country
        ("#f-admin1", _region, lambda e: e["location"]["name"] == "Kharkiv"),  # the area: Kharkiv's region
        ("#f-actor", "Shabaab", lambda e: "Shabaab" in (e["actor1"] or "") + (e["actor2"] or "")),  # an actor
        ("#f-type", "Protests", lambda e: e["event_type"] == "Protests"),  # an event type
    ],
)
def test_filters_narrow_the_map_and_the_timeline(watched: Watched, site: Site, control: str, value: Any,
                                                 keep: Any) -> None:
    page = open_page(watched, site, site.tokens["viewer"])
    placed = _placed(site)
    page.wait_for_function(f"document.querySelectorAll('[data-event-id]').length === {len(placed)}")
    assert sum(_timeline(page).values()) == len(site.events)
    kept = [e for e in site.events if keep(e)]
    assert 0 < len(kept) < len(site.events), "the filter must keep some events and drop others"
    text = value if isinstance(value, str) else value(_kharkiv(site))
    if control == "#f-type":
        page.select_option(control, text)
    else:
        page.fill(control, text)
    page.click("#filters button[type=submit]")
    page.wait_for_selector("body:not([data-busy])")
    shown = len([e for e in kept if e in placed])
    page.wait_for_function(f"document.querySelectorAll('[data-event-id]').length === {shown}")
    per_day: dict[str, int] = {}
    for e in kept:
        per_day[e["date"]] = per_day.get(e["date"], 0) + 1
    assert _timeline(page) == per_day
    _clean(watched)


def test_operator_draws_an_area_for_a_shapeless_draft_and_publishes_it(watched: Watched, site: Site,
                                                                       shots: Path) -> None:
    page = open_page(watched, site, site.tokens["operator"])
    page.click("#drafts-button")
    form = page.locator(f"form.draft[data-warning-id='{site.shapeless_id}']")
    form.wait_for()
    assert "without a shape" in form.locator(".area-edit").inner_text()
    assert form.locator("button[name=locate]").is_hidden()  # nothing to show on the map yet
    _view(page, 47.8, 35.2, 9)  # Zaporizhzhia: no warning nor event drawn there
    form.locator("button[name=draw]").click()
    box = page.locator("#map").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-80, -60), (80, -60), (80, 60), (-80, 60)):
        page.mouse.click(cx + dx, cy + dy)
    page.wait_for_selector("#map[data-corners='4']")
    assert page.locator("#panel .status-warning, #panel .none").count() == 0  # drawing clicks ask no status
    form.locator("button[name=draw]").click()  # "Finish the area"
    polygon = form.locator("textarea[name=area_polygons]").input_value()
    corners = [tuple(float(v) for v in pair.split(",")) for pair in polygon.split()]
    assert len(corners) == 5 and corners[0] == corners[-1]
    assert page.locator("path.drawn").count() == 1  # the drawn area stays on the map until it is saved
    assert all(47.5 < lat < 48.1 and 34.8 < lon < 35.6 for lat, lon in corners)
    form.locator("input[name=area_name]").fill("River crossings")
    form.locator("input[name=effective]").fill("2026-01-01T06:00")
    form.locator("input[name=expires]").fill("2099-01-01T12:00")
    form.locator("textarea[name=instruction]").fill("Keep away from the bridges.")
    page.screenshot(path=str(shots / "draw.png"))
    form.locator("button[name=publish]").click()
    form.locator(".note:has-text('Published')").wait_for()
    published = site.get(f"/api/warnings/{site.shapeless_id}").json()  # public now: no token
    props = published["properties"]
    assert props["status"] == "published" and props["areas"] == ["River crossings"]
    assert props["effective"] == "2026-01-01T06:00:00Z" and props["expires"] == "2099-01-01T12:00:00Z"
    assert props["instruction"] == "Keep away from the bridges." and published["geometry"]["type"] == "Polygon"
    assert site.shapeless_id.encode() in site.get("/feed").content
    status = site.get("/api/status?lat=47.8&lon=35.2").json()
    assert site.shapeless_id in [w["id"] for w in status["warnings"]]
    page.wait_for_selector("path.kind-strike_warning:not(.draft)")  # redrawn as a public warning
    _clean(watched)


def test_operator_discards_a_draft(watched: Watched, site: Site) -> None:
    made = httpx.post(site.url + "/api/warnings", headers={"Authorization": f"Bearer {site.tokens['operator']}"},
                      json={"kind": "deadline", "headline": "A draft read from a rumour", "areas": []}, timeout=30)
    assert made.status_code == 201, made.text
    draft_id = made.json()["id"]
    page = open_page(watched, site, site.tokens["operator"])
    page.click("#drafts-button")
    form = page.locator(f"form.draft[data-warning-id='{draft_id}']")
    form.locator("button[name=discard]").click()
    form.locator(".note:has-text('Discarded')").wait_for()
    assert form.locator("button[name=publish]").is_disabled()
    drafts = site.get("/api/warnings?status=draft", "operator").json()["features"]
    assert draft_id not in [f["id"] for f in drafts]
    assert site.get(f"/api/warnings/{draft_id}").status_code == 404  # never public
    _clean(watched)
