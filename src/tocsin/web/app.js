// tocsin web page: the map (Leaflet, bundled), filters, timeline, side panel and the operator's sign-in.
// Everything it loads comes from this server: no request leaves the host unless /api/config names a tile server.

import { api, getToken, h, query, setToken } from "./api.js";
import { draftsView, eventView, KIND_LABEL, statusView } from "./panel.js";
import { Timeline } from "./timeline.js";

const L = window.L;
const ROLES = ["viewer", "analyst", "operator", "admin"];
const PAGE = 1000;
const MAX_EVENTS = 20000;

export const TYPE_COLOURS = {
  Battles: "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  Protests: "#2471a3",
  Riots: "#a04000",
  "Strategic developments": "#1e8449",
};
export const KIND_COLOURS = {
  evacuation_order: "#d62728",
  strike_warning: "#ff7f0e",
  curfew: "#7b3294",
  safe_corridor: "#1a9850",
  deadline: "#b8860b",
};

const $ = (id) => document.getElementById(id);
const state = { me: null, filters: {}, fitted: false, eventCount: 0, status: null };

function say(text, kind = "") {
  const el = $("message");
  el.textContent = text;
  el.className = `message ${kind}`;
}

function can(role) {
  return state.me !== null && ROLES.indexOf(state.me.role) >= ROLES.indexOf(role);
}

function showPanel(children) {
  const panel = $("panel");
  panel.replaceChildren(...children.flat().filter(Boolean));
  panel.scrollTop = 0;
}

// -- the map ---------------------------------------------------------------------------------------

const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 18 }).setView([20, 20], 2);
window.tocsin = { map }; // for the browser tests and the console
map.attributionControl.setPrefix(false);
L.control.scale({ imperial: false }).addTo(map);
const fallback = L.layerGroup();
const events = L.markerClusterGroup({
  chunkedLoading: true,
  showCoverageOnHover: false,
  maxClusterRadius: 40,
  iconCreateFunction: clusterIcon,
});
const warnings = L.featureGroup();
const drafts = L.featureGroup();
const drawn = L.featureGroup(); // areas drawn for a draft and not saved yet
let pointMarker = null;

function graticule() {
  const lines = [];
  for (let lat = -60; lat <= 60; lat += 30) lines.push([[lat, -180], [lat, 180]]);
  for (let lon = -180; lon <= 180; lon += 30) lines.push([[-85, lon], [85, lon]]);
  return L.polyline(lines, { color: "#9fb3c4", weight: 0.6, interactive: false });
}

async function showFallback() {
  if (map.hasLayer(fallback)) return;
  fallback.addLayer(graticule());
  fallback.addTo(map);
  try {
    const response = await fetch("/static/vendor/world-atlas/countries-110m.geojson");
    if (!response.ok) return;
    const outlines = L.geoJSON(await response.json(), {
      interactive: false,
      style: { color: "#8a8a8a", weight: 0.7, fillColor: "#f3efe6", fillOpacity: 1 },
    });
    fallback.addLayer(outlines);
    outlines.bringToBack();
  } catch (err) {
    say(`Country outlines could not be loaded (${err.message}); showing a plain background.`);
  }
}

function baseMap(config) {
  if (!config.tiles_url) {
    showFallback();
    return;
  }
  if (config.tiles_reachable === false) { // the server found nothing there: no tile requests, no console errors
    showFallback();
    say("The base map tiles could not be loaded (the tile server does not answer); showing country outlines "
      + "instead.");
    return;
  }
  const tiles = L.tileLayer(config.tiles_url, { attribution: config.attribution || "", maxZoom: 19 });
  let failures = 0;
  tiles.on("tileerror", () => {
    failures += 1;
    if (failures === 3) {
      map.removeLayer(tiles);
      showFallback();
      say("The base map tiles could not be loaded; showing country outlines instead.");
    }
  });
  tiles.addTo(map);
}

function clusterIcon(cluster) {
  const counts = {};
  for (const m of cluster.getAllChildMarkers()) counts[m.options.eventType] = (counts[m.options.eventType] || 0) + 1;
  const top = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  const colour = TYPE_COLOURS[top[0]] || "#555";
  const n = cluster.getChildCount();
  return L.divIcon({
    html: `<span style="border-color:${colour}">${n}</span>`,
    className: "ev-cluster",
    iconSize: [34, 34],
  });
}

function eventMarker(event) {
  const loc = event.location || {};
  const colour = TYPE_COLOURS[event.event_type] || "#555";
  const label = `${event.sub_event_type}, ${loc.name || "unknown place"}, ${event.date || "date unknown"}`;
  const icon = L.divIcon({
    className: "ev-icon",
    html: `<span class="dot" data-event-id="${Number(event.id)}" style="background:${colour}"></span>`,
    iconSize: [16, 16],
  });
  const marker = L.marker([loc.latitude, loc.longitude], {
    icon, title: label, alt: label, keyboard: true, eventType: event.event_type, riseOnHover: true,
  });
  marker.on("click", () => openEvent(event.id));
  marker.on("add", () => {
    const el = marker.getElement();
    if (el && !el.dataset.keys) {
      el.dataset.keys = "true";
      el.setAttribute("role", "button");
      el.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          openEvent(event.id);
        }
      });
    }
  });
  return marker;
}

// -- loading ---------------------------------------------------------------------------------------

function filterParams(withDates = true) {
  const f = { ...state.filters };
  if (!withDates) {
    delete f.date_from;
    delete f.date_to;
  }
  if ($("f-view").checked) {
    const b = map.getBounds();
    const west = Math.max(-180, b.getWest());
    const east = Math.min(180, b.getEast());
    const south = Math.max(-90, b.getSouth());
    const north = Math.min(90, b.getNorth());
    f.bbox = [west, south, east, north].map((v) => v.toFixed(4)).join(",");
  }
  return f;
}

/** Run ``work`` with body[data-busy] set, so a test (or a user's script) can wait until the page settles. */
async function busy(work) {
  state.busy = (state.busy || 0) + 1;
  document.body.dataset.busy = "true";
  try {
    return await work();
  } finally {
    state.busy -= 1;
    if (state.busy === 0) delete document.body.dataset.busy;
  }
}

function loadEvents() {
  return busy(loadEventsNow);
}

/** Load the events matching the filters; a newer load (the map moved again) makes an older one stop. */
async function loadEventsNow() {
  const seq = (state.loadSeq = (state.loadSeq || 0) + 1);
  const stale = () => seq !== state.loadSeq;
  if (!can("viewer")) {
    events.clearLayers();
    state.eventCount = 0;
    $("map").dataset.events = "0";
    $("timeline").textContent = "Sign in with a viewer token (or higher) to see events.";
    $("range").hidden = true;
    return;
  }
  const params = filterParams();
  try {
    const all = [];
    let total = Infinity;
    while (all.length < total && all.length < MAX_EVENTS) {
      const page = await api(`/api/events${query({ ...params, limit: PAGE, offset: all.length })}`);
      if (stale()) return;
      total = page.total;
      all.push(...page.items);
      if (page.items.length === 0) break;
    }
    suggest(all);
    const placed = all.filter((e) => e.location && e.location.latitude != null && e.location.longitude != null);
    events.clearLayers();
    events.addLayers(placed.map(eventMarker));
    state.eventCount = placed.length;
    $("map").dataset.events = String(placed.length);
    const unplaced = all.length - placed.length;
    const more = total > all.length ? ` (showing the first ${all.length} of ${total})` : "";
    say(`${placed.length} event(s) on the map${more}${unplaced ? `; ${unplaced} without coordinates` : ""}.`);
    if (!state.fitted && placed.length > 0 && !$("f-view").checked) {
      state.fitted = true;
      map.fitBounds(events.getBounds(), { padding: [30, 30], maxZoom: 8 });
    }
    const rows = await api(`/api/events/timeline${query(filterParams(false))}`);
    if (stale()) return;
    timeline.draw(rows, state.filters.date_from, state.filters.date_to);
  } catch (err) {
    if (!stale()) say(`Events could not be loaded: ${err.message}`, "error");
  }
}

/** Offer the countries and regions of the events loaded so far in the area filters' suggestion lists. */
function suggest(events) {
  for (const [list, key] of [["countries", "country"], ["regions", "admin1"]]) {
    const box = $(list);
    const known = new Set([...box.options].map((o) => o.value));
    const fresh = new Set(events.map((e) => e.location && e.location[key]).filter((v) => v && !known.has(v)));
    if (fresh.size === 0) continue;
    const all = [...known, ...fresh].sort((a, b) => a.localeCompare(b));
    box.replaceChildren(...all.map((value) => h("option", { value })));
  }
}

function warningStyle(feature) {
  const p = feature.properties;
  const colour = KIND_COLOURS[p.kind] || "#444";
  const style = { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.15, className: `warn kind-${p.kind}` };
  if (p.kind === "curfew") Object.assign(style, { dashArray: "6 4", fillOpacity: 1 });
  if (p.status === "draft") Object.assign(style, { dashArray: "2 6", fillOpacity: 0.05, className: `${style.className} draft` });
  return style;
}

function drawWarnings(group, collection) {
  group.clearLayers();
  const shaped = collection.features.filter((f) => f.geometry);
  const layer = L.geoJSON(shaped, {
    style: warningStyle,
    onEachFeature: (feature, shape) => {
      const p = feature.properties;
      const name = p.kind === "safe_corridor" ? p.name : (p.areas || []).join(", ");
      const draft = p.status === "draft" ? " (draft)" : "";
      // an element, not a string: Leaflet would read a string as HTML, and headlines come from news text
      const label = `${KIND_LABEL[p.kind] || p.kind}${draft}: ${p.headline || name || p.id}`;
      shape.bindTooltip(h("span", {}, label), { sticky: true });
    },
  });
  group.addLayer(layer);
  for (const f of shaped) {
    if (f.properties.kind === "safe_corridor" && Array.isArray(f.properties.route)) {
      const route = f.properties.route.map(([lon, lat]) => [lat, lon]);
      group.addLayer(L.polyline(route, {
        color: KIND_COLOURS.safe_corridor, weight: 3, className: "route", interactive: false,
      }));
    }
  }
}

function loadWarnings() {
  return busy(loadWarningsNow);
}

async function loadWarningsNow() {
  try {
    drawWarnings(warnings, await api("/api/warnings?limit=1000", { token: "" }));
    if (!state.fitted && !can("viewer") && warnings.getLayers()[0].getLayers().length > 0) {
      state.fitted = true; // the public view: show the active warnings
      map.fitBounds(warnings.getBounds(), { padding: [30, 30], maxZoom: 10 });
    }
  } catch (err) {
    say(`Warnings could not be loaded: ${err.message}`, "error");
  }
  if (!can("operator")) {
    drafts.clearLayers();
    drawn.clearLayers();
    return null;
  }
  try {
    const collection = await api("/api/warnings?status=draft&limit=1000");
    drawWarnings(drafts, collection);
    drawn.clearLayers(); // saved (now among the drafts) or the editor was reopened
    return collection;
  } catch (err) {
    say(`Drafts could not be loaded: ${err.message}`, "error");
    return null;
  }
}

// -- the panel -------------------------------------------------------------------------------------

async function openEvent(id) {
  showPanel([h("h2", {}, "Loading event…")]);
  try {
    showPanel(eventView(await api(`/api/events/${encodeURIComponent(id)}`)));
    $("panel").focus({ preventScroll: true });
  } catch (err) {
    showPanel([h("h2", {}, "Event"), h("p", { class: "error" }, `Could not load event ${id}: ${err.message}`)]);
  }
}

async function openStatus(latlng) {
  const lat = Math.max(-90, Math.min(90, latlng.lat));
  const lon = ((((latlng.lng + 180) % 360) + 360) % 360) - 180;
  if (pointMarker) map.removeLayer(pointMarker);
  pointMarker = L.circleMarker(latlng, { radius: 6, color: "#111", weight: 2, fillColor: "#fff", fillOpacity: 1 })
    .addTo(map);
  showPanel([h("h2", {}, "Asking what applies here…")]);
  try {
    const answer = await api(`/api/status${query({ lat: lat.toFixed(5), lon: lon.toFixed(5) })}`, { token: "" });
    showPanel(statusView(answer));
  } catch (err) {
    showPanel([h("h2", {}, "What applies here now"), h("p", { class: "error" }, err.message)]);
  }
}

// -- drawing an area (the operator's draft editor) ---------------------------------------------------

let drawing = null;

/** Start drawing a polygon: map clicks add corners until ``finish()`` (CAP "lat,lon ..." text, or null). */
function startDrawing() {
  if (drawing) drawing.finish();
  const corners = [];
  const outline = L.polyline([], { color: "#111", weight: 2, dashArray: "4 4", interactive: false }).addTo(map);
  const dots = L.layerGroup().addTo(map);
  $("map").classList.add("drawing");
  $("map").dataset.corners = "0";
  const controller = {
    add(latlng) {
      corners.push(latlng);
      outline.setLatLngs([...corners, corners[0]]);
      L.circleMarker(latlng, { radius: 4, color: "#111", weight: 1, fillOpacity: 1, interactive: false }).addTo(dots);
      $("map").dataset.corners = String(corners.length);
    },
    finish() {
      map.removeLayer(outline);
      map.removeLayer(dots);
      $("map").classList.remove("drawing");
      delete $("map").dataset.corners;
      if (drawing === controller) drawing = null;
      if (corners.length < 3) return null;
      drawn.addLayer(L.polygon(corners, { color: "#111", weight: 2, dashArray: "2 4", fillOpacity: 0.1,
        className: "drawn", interactive: false }));
      const ring = [...corners, corners[0]].map((c) => {
        const lon = ((((c.lng + 180) % 360) + 360) % 360) - 180;
        return `${Math.max(-90, Math.min(90, c.lat)).toFixed(5)},${lon.toFixed(5)}`;
      });
      return ring.join(" ");
    },
  };
  drawing = controller;
  return controller;
}

async function openDrafts() {
  const collection = await loadWarnings();
  if (!collection) return;
  const path = (id, action = "") => `/api/warnings/${encodeURIComponent(id)}${action}`;
  showPanel(draftsView(collection.features, {
    save: async (id, changes, version) => {
      const feature = await api(path(id), { method: "PATCH", body: { ...changes, version } });
      await loadWarnings(); // its area may have changed
      return feature;
    },
    publish: async (id) => {
      const feature = await api(path(id, "/publish"), { method: "POST", body: {} });
      await loadWarnings();
      say(`Published ${feature.properties.headline || id}.`);
      return feature;
    },
    discard: async (id) => {
      const feature = await api(path(id, "/cancel"), { method: "POST", body: {} });
      await loadWarnings();
      return feature;
    },
    draw: startDrawing,
    locate: (id) => {
      const shapes = drafts.getLayers().flatMap((g) => (g.getLayers ? g.getLayers() : [g]))
        .filter((s) => s.feature && s.feature.properties.id === id);
      if (shapes.length) map.fitBounds(L.featureGroup(shapes).getBounds(), { maxZoom: 12 });
    },
  }));
}

// -- sign-in -----------------------------------------------------------------------------------------

function showSignedIn() {
  const signedIn = state.me !== null;
  $("token").hidden = signedIn;
  document.querySelector("label[for=token]").hidden = signedIn;
  $("signin-button").hidden = signedIn;
  $("signout-button").hidden = !signedIn;
  $("drafts-button").hidden = !can("operator");
  $("who").textContent = signedIn ? `Signed in as ${state.me.name} (${state.me.role})` : "";
}

async function signIn(token) {
  try {
    state.me = await api("/api/me", { token });
    setToken(token);
  } catch (err) {
    state.me = null;
    setToken("");
    $("who").textContent = err.status === 401 ? "That token is not valid." : `Sign-in failed: ${err.message}`;
    return;
  }
  showSignedIn();
  state.fitted = false; // show the events this token may see
  await Promise.all([loadEvents(), loadWarnings()]);
}

function signOut() {
  state.me = null;
  state.fitted = false;
  setToken("");
  $("token").value = "";
  showSignedIn();
  loadEvents();
  loadWarnings();
}

// -- controls ----------------------------------------------------------------------------------------

function legend() {
  const items = Object.entries(TYPE_COLOURS).map(([type, colour]) => h("li", {},
    h("span", { class: "swatch dot", style: `background:${colour}` }), type));
  const kinds = Object.entries(KIND_COLOURS).map(([kind, colour]) => h("li", {},
    h("span", { class: `swatch area kind-${kind}`, style: `border-color:${colour};background:${colour}26` }),
    KIND_LABEL[kind] || kind));
  $("legend").replaceChildren(h("li", { class: "head" }, "Events"), ...items,
    h("li", { class: "head" }, "Warnings"), ...kinds);
  const select = $("f-type");
  for (const type of Object.keys(TYPE_COLOURS)) select.append(h("option", { value: type }, type));
}

function readFilters() {
  const form = $("filters");
  state.filters = {
    date_from: form.elements.date_from.value || null,
    date_to: form.elements.date_to.value || null,
    event_type: form.elements.event_type.value || null,
    actor: form.elements.actor.value.trim() || null,
    country: form.elements.country.value.trim() || null,
    admin1: form.elements.admin1.value.trim() || null,
  };
  if (state.filters.date_from && state.filters.date_to && state.filters.date_from > state.filters.date_to) {
    say("The first day is after the last day.", "error");
    return false;
  }
  return true;
}

const timeline = new Timeline($("timeline"), {
  wrap: $("range"), from: $("r-from"), to: $("r-to"), out: $("r-out"),
}, (from, to) => {
  $("f-from").value = from || "";
  $("f-to").value = to || "";
  if (readFilters()) loadEvents();
});

function wire() {
  $("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    if (readFilters()) loadEvents();
  });
  $("f-reset").addEventListener("click", () => {
    $("filters").reset();
    readFilters();
    loadEvents();
  });
  $("f-view").addEventListener("change", () => loadEvents());
  map.on("moveend", () => {
    if ($("f-view").checked) loadEvents();
  });
  map.on("click", (e) => (drawing ? drawing.add(e.latlng) : openStatus(e.latlng)));
  $("centre-status").addEventListener("click", () => openStatus(map.getCenter()));
  $("signin").addEventListener("submit", (e) => {
    e.preventDefault();
    const token = $("token").value.trim();
    if (token) signIn(token);
  });
  $("signout-button").addEventListener("click", signOut);
  $("drafts-button").addEventListener("click", openDrafts);
}

async function start() {
  legend();
  wire();
  map.addLayer(events);
  map.addLayer(warnings);
  map.addLayer(drafts);
  map.addLayer(drawn);
  let config = { tiles_url: null, attribution: "" };
  try {
    config = await api("/api/config", { token: "" });
  } catch (err) {
    say(`Configuration could not be loaded (${err.message}); using the plain background.`, "error");
  }
  baseMap(config);
  $("version").textContent = config.version ? `v${config.version}` : "";
  const saved = getToken();
  if (saved) {
    await signIn(saved);
  } else {
    showSignedIn();
    await Promise.all([loadEvents(), loadWarnings()]);
  }
  document.body.dataset.ready = "true";
}

start();
