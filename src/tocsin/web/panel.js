// tocsin web page: what the side panel shows (an event with its evidence, a status answer, the operator's drafts).

import { h } from "./api.js";

const INTER = {
  1: "State forces", 2: "Rebel groups", 3: "Political militias", 4: "Identity militias",
  5: "Rioters", 6: "Protesters", 7: "Civilians", 8: "External/Other forces",
};
const PRECISION = { 1: "day", 2: "week", 3: "month" };
const GEO_PRECISION = { 1: "the place itself", 2: "near it or a part of a region", 3: "only the region" };
export const KIND_LABEL = {
  evacuation_order: "Evacuation order", strike_warning: "Strike warning", curfew: "Curfew",
  safe_corridor: "Safe corridor", deadline: "Deadline",
};

function show(value) {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function when(iso) {
  if (!iso) return "—";
  return String(iso).replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC").replace(/Z$/, " UTC");
}

function fieldList(rows) {
  return h("dl", { class: "fields" }, rows.flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]));
}

/**
 * ``text`` from ``start`` to ``end`` with the ``spans`` ({start, end, label}) inside it wrapped in <mark>.
 * Overlapping spans are split at their edges; each piece's title names every field it is evidence for.
 */
export function highlight(text, start, end, spans) {
  const inside = spans.filter((s) => s.end > start && s.start < end && s.end > s.start);
  const cuts = new Set([start, end]);
  for (const s of inside) {
    cuts.add(Math.max(start, s.start));
    cuts.add(Math.min(end, s.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < points.length - 1; i += 1) {
    const a = points[i];
    const b = points[i + 1];
    const piece = text.slice(a - start, b - start);
    const labels = [...new Set(inside.filter((s) => s.start <= a && s.end >= b).map((s) => s.label))];
    out.push(labels.length ? h("mark", { title: labels.join(", "), "data-fields": labels.join(" ") }, piece) : piece);
  }
  return out;
}

function mentionSpans(event, mention) {
  const spans = [];
  for (const [field, span] of Object.entries((mention.event && mention.event.evidence) || {})) {
    if (span) spans.push({ start: span.start, end: span.end, label: field.replaceAll("_", " ") });
  }
  const own = (mention.event && mention.event.claims) || [];
  const merged = (event.claims || []).filter((c) => c.report_id === mention.report_id);
  for (const claim of [...own, ...merged]) {
    if (claim.span) spans.push({ start: claim.span.start, end: claim.span.end, label: `${claim.field} claim` });
  }
  return spans;
}

function evidenceBlock(event, mention) {
  const spans = mentionSpans(event, mention);
  const text = mention.text || "";
  let sentences = mention.sentences || [];
  if (sentences.length === 0 && text) sentences = [{ start: 0, end: text.length, text }];
  const title = mention.title || mention.report_id;
  return h("article", { class: "mention" },
    h("h4", {}, title),
    h("p", { class: "meta" },
      [mention.source, mention.published ? when(mention.published) : null, `report ${mention.report_id}`]
        .filter(Boolean).join(" · "),
      mention.url ? [" · ", h("a", { href: mention.url, rel: "noopener noreferrer nofollow", target: "_blank" },
        "original")] : null),
    sentences.map((s) => h("blockquote", { class: "evidence" },
      highlight(s.text !== undefined ? s.text : text.slice(s.start, s.end), s.start, s.end, spans))));
}

/** Claims grouped by field; a field with different values from different sources is shown side by side. */
function claimsBlock(claims) {
  if (!claims || claims.length === 0) return null;
  const byField = new Map();
  for (const c of claims) {
    if (!byField.has(c.field)) byField.set(c.field, []);
    byField.get(c.field).push(c);
  }
  return h("section", { class: "claims" }, h("h3", {}, "Claims"),
    [...byField.entries()].map(([field, list]) => {
      const values = new Set(list.map((c) => JSON.stringify(c.value)));
      const competing = values.size > 1;
      return h("div", { class: competing ? "claim-group competing" : "claim-group" },
        h("h4", {}, field.replaceAll("_", " "), competing ? h("span", { class: "badge" }, "competing") : null),
        h("div", { class: "side-by-side" }, list.map((c) => h("div", { class: "claim" },
          h("p", { class: "claim-value" }, show(c.value)),
          h("p", { class: "claim-source" }, `said by ${c.source}`, c.report_id ? ` (report ${c.report_id})` : ""),
          c.span && c.span.text ? h("p", { class: "claim-span" }, "“", h("mark", {}, c.span.text), "”") : null))));
    }));
}

function actor(name, inter) {
  if (!name) return "—";
  return inter ? `${name} (${INTER[inter] || inter})` : name;
}

/** The panel's content for one event from GET /api/events/{id}. */
export function eventView(event) {
  const loc = event.location || {};
  const place = [loc.name, loc.admin2, loc.admin1, loc.country].filter(Boolean).join(", ");
  const coords = loc.latitude != null ? ` (${loc.latitude.toFixed(4)}, ${loc.longitude.toFixed(4)})` : "";
  const rows = [
    ["Event type", event.event_type],
    ["Sub-event type", event.sub_event_type],
    ["Date", `${show(event.date)}${event.time_precision ? ` (precision: ${PRECISION[event.time_precision]})` : ""}`],
    ["Actor 1", actor(event.actor1, event.inter1)],
    ["Actor 2", actor(event.actor2, event.inter2)],
  ];
  if (event.assoc_actor_1) rows.push(["Associated with actor 1", event.assoc_actor_1]);
  if (event.assoc_actor_2) rows.push(["Associated with actor 2", event.assoc_actor_2]);
  rows.push(
    ["Location", `${place || "—"}${coords}`],
    ["Geo precision", loc.geo_precision ? `${loc.geo_precision}: ${GEO_PRECISION[loc.geo_precision]}` : "—"],
    ["Fatalities", show(event.fatalities)],
    ["Displaced", show(event.displaced)],
    ["Confidence", event.confidence != null ? event.confidence.toFixed(2) : "—"],
    ["Sources", (event.sources || []).join(", ") || "—"],
    ["Event id", `${event.id} (version ${event.version})`],
  );
  const reasons = Object.entries(event.reasons || {});
  return [
    h("h2", { id: "panel-title" }, event.sub_event_type),
    h("p", { class: "sub" }, `${event.event_type} · ${show(event.date)} · ${loc.name || "place unknown"}`),
    fieldList(rows),
    reasons.length ? h("details", {}, h("summary", {}, "Why these values"),
      h("ul", {}, reasons.map(([f, r]) => h("li", {}, h("strong", {}, f.replaceAll("_", " ")), `: ${r}`)))) : null,
    claimsBlock(event.claims),
    h("section", { class: "sources" }, h("h3", {}, "Sources and evidence"),
      (event.mentions || []).map((m) => evidenceBlock(event, m))),
  ];
}

/** The panel's content for GET /api/status at a clicked point. */
export function statusView(answer) {
  const items = [];
  const warnings = answer.warnings || [];
  if (warnings.length === 0) items.push(h("p", { class: "none" }, "No warning applies here now."));
  for (const w of warnings) {
    items.push(h("article", { class: `status-warning kind-${w.kind}` },
      h("h3", {}, KIND_LABEL[w.kind] || w.kind, ": ", w.headline || "(no headline)"),
      w.instruction ? h("p", { class: "instruction" }, w.instruction) : null,
      fieldList([["Issued by", show(w.issuer)], ["From", when(w.effective)],
        ["Until", w.expires ? when(w.expires) : "further notice"]])));
  }
  if (answer.curfew) {
    const c = answer.curfew;
    items.push(h("p", { class: c.in_force ? "curfew on" : "curfew" },
      c.in_force ? `A curfew is in force${c.until ? ` until ${when(c.until)}` : ""}.` : "A curfew applies here, "
        + "not in force now."));
  }
  if (answer.nearest_corridor) {
    const c = answer.nearest_corridor;
    const km = (c.distance_m / 1000).toFixed(c.distance_m < 10000 ? 1 : 0);
    items.push(h("p", { class: "corridor" },
      `Nearest safe corridor: ${c.name || c.id}, ${km} km away, ${c.open ? "open now" : "closed now"}.`));
  }
  return [
    h("h2", { id: "panel-title" }, "What applies here now"),
    h("p", { class: "sub" }, `${answer.lat.toFixed(4)}, ${answer.lon.toFixed(4)} · at ${when(answer.at)}`),
    ...items,
  ];
}

function toLocalInput(iso) {
  return iso ? String(iso).slice(0, 16) : "";
}

/** A datetime-local value (taken as UTC) as ISO 8601, or null when empty. */
function fromLocalInput(value) {
  return value ? `${value.length === 16 ? `${value}:00` : value}Z` : null;
}

function field(label, id, control) {
  return [h("label", { for: id }, label), control];
}

/** The read-only part of a draft an operator reviews: what it says and what it was drafted from. */
function reviewBlock(p) {
  const evidence = p.evidence && p.evidence.text;
  return [
    p.description ? h("p", { class: "description" }, p.description) : null,
    p.report_id || evidence ? h("p", { class: "muted drafted-from" }, "Drafted from ",
      p.report_id ? `report ${p.report_id}` : "a report", evidence ? [": “", h("mark", {}, evidence), "”"] : "") : null,
    h("p", { class: "muted" }, `Issuer: ${show(p.issuer)} · version ${p.version}`),
  ];
}

/** The area editor: a gazetteer place (with a radius), CAP polygons (one a line, or drawn on the map), a circle. */
function areaFields(p, safe, hasShape) {
  const current = (p.areas || []).join(", ");
  return h("fieldset", { class: "area-edit" },
    h("legend", {}, "Area"),
    h("p", { class: hasShape ? "muted" : "muted missing" }, hasShape
      ? `Now: ${current || "drawn"}. Fill in below to replace it.`
      : `Now: ${current || "none"}, without a shape: give a place, a polygon or a circle before publishing.`),
    field("Area name", `an-${safe}`, h("input", { id: `an-${safe}`, name: "area_name", maxlength: 500 })),
    field("Place (gazetteer name)", `ap-${safe}`, h("input", { id: `ap-${safe}`, name: "area_place", maxlength: 500 })),
    field("Radius around the place (km)", `ar-${safe}`,
      h("input", { id: `ar-${safe}`, name: "area_radius", type: "number", min: 0.1, max: 1000, step: "any" })),
    field("Polygons (CAP 'lat,lon lat,lon …', one a line)", `ag-${safe}`,
      h("textarea", { id: `ag-${safe}`, name: "area_polygons", rows: 2, spellcheck: "false" })),
    h("button", { type: "button", name: "draw" }, "Draw on the map"),
    field("Circle (CAP 'lat,lon radius_km')", `ac-${safe}`,
      h("input", { id: `ac-${safe}`, name: "area_circle", maxlength: 100, spellcheck: "false" })));
}

/** The ``areas`` of a PATCH from the area editor, or undefined when it is empty (keep the current areas). */
function areasFrom(form) {
  const el = form.elements;
  const place = el.area_place.value.trim();
  const polygons = el.area_polygons.value.split("\n").map((line) => line.trim()).filter(Boolean);
  const circle = el.area_circle.value.trim();
  if (!place && polygons.length === 0 && !circle) return undefined;
  const area = { name: el.area_name.value.trim() || place || "area", polygons, circles: circle ? [circle] : [] };
  if (place) area.place = place;
  if (place && el.area_radius.value) area.radius_km = Number(el.area_radius.value);
  return [area];
}

/**
 * The operator's drafts (features of GET /api/warnings?status=draft), each as a review and edit form.
 * ``actions`` = {save(id, changes, version) -> the saved feature, publish(id), discard(id), locate(id),
 * draw() -> {finish() -> CAP polygon text or null}} (promises where they call the API).
 */
export function draftsView(features, actions) {
  const seen = new Map();
  const shaped = new Set();
  for (const f of features) {
    if (!seen.has(f.properties.id)) seen.set(f.properties.id, f);
    if (f.geometry) shaped.add(f.properties.id);
  }
  const drafts = [...seen.values()];
  const list = drafts.map((f) => {
    const p = f.properties;
    const id = p.id;
    const safe = id.replace(/[^A-Za-z0-9_-]/g, "_");
    const note = h("p", { class: "note", role: "status" });
    const form = h("form", { class: "draft", "data-warning-id": id, "aria-label": `Draft ${p.headline || id}` },
      h("h3", {}, KIND_LABEL[p.kind] || p.kind,
        (p.areas || []).length ? h("span", { class: "muted" }, ` · ${p.areas.join(", ")}`) : null),
      reviewBlock(p),
      field("Headline", `hl-${safe}`, h("input", { id: `hl-${safe}`, name: "headline", value: p.headline || "",
        maxlength: 500 })),
      field("Instruction", `in-${safe}`, h("textarea", { id: `in-${safe}`, name: "instruction", rows: 3,
        maxlength: 10000 }, p.instruction || "")),
      field("From (UTC; empty: when published)", `ef-${safe}`, h("input", { id: `ef-${safe}`, name: "effective",
        type: "datetime-local", value: toLocalInput(p.effective) })),
      field("Expires (UTC)", `ex-${safe}`, h("input", { id: `ex-${safe}`, name: "expires", type: "datetime-local",
        value: toLocalInput(p.expires) })),
      field("Hours ('daily 22:00-06:00 Europe/Kyiv'; empty: all the time)", `wi-${safe}`,
        h("input", { id: `wi-${safe}`, name: "window", value: p.window || "", maxlength: 500, spellcheck: "false" })),
      areaFields(p, safe, shaped.has(id)),
      h("div", { class: "buttons" },
        h("button", { type: "submit", name: "save" }, "Save"),
        h("button", { type: "button", name: "publish", class: "primary" }, "Publish"),
        h("button", { type: "button", name: "locate", hidden: !shaped.has(id) }, "Show on map"),
        h("button", { type: "button", name: "discard" }, "Discard")),
      note);
    const initial = { effective: toLocalInput(p.effective), window: p.window || "" };
    const changes = () => {
      const el = form.elements;
      const out = { headline: el.headline.value, instruction: el.instruction.value,
        expires: fromLocalInput(el.expires.value) };
      // sent only when changed: the shown value is rounded to the minute and a window is shown in its long form
      if (el.effective.value !== initial.effective) out.effective = fromLocalInput(el.effective.value);
      if (el.window.value.trim() !== initial.window) out.window = el.window.value.trim() || null;
      const areas = areasFrom(form);
      if (areas) out.areas = areas;
      return out;
    };
    const run = async (label, call) => {
      note.textContent = `${label}…`;
      note.classList.remove("error");
      try {
        note.textContent = await call();
      } catch (err) {
        note.textContent = `Could not ${label.toLowerCase()}: ${err.message}`;
        note.classList.add("error");
      }
    };
    const save = async () => {
      const saved = await actions.save(id, changes(), p.version);
      Object.assign(p, saved.properties);
      initial.effective = toLocalInput(p.effective);
      initial.window = p.window || "";
      form.elements.window.value = initial.window;
      if (saved.geometry) {
        shaped.add(id);
        form.elements.locate.hidden = false;
        form.querySelector(".area-edit .muted").textContent = `Now: ${(p.areas || []).join(", ")}. Fill in below `
          + "to replace it.";
        form.querySelector(".area-edit .muted").classList.remove("missing");
      }
      for (const name of ["area_name", "area_place", "area_radius", "area_polygons", "area_circle"]) {
        form.elements[name].value = "";
      }
    };
    const dirty = () => {
      const c = changes();
      return c.headline !== (p.headline || "") || c.instruction !== (p.instruction || "")
        || (c.expires || null) !== (p.expires || null) || "effective" in c || "window" in c || "areas" in c;
    };
    const done = () => form.querySelectorAll("input, textarea, button").forEach((el) => { el.disabled = true; });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      run("Save", async () => {
        await save();
        return `Saved (version ${p.version}).`;
      });
    });
    form.elements.publish.addEventListener("click", () => run("Publish", async () => {
      if (dirty()) await save();
      await actions.publish(id);
      done();
      return "Published: it is now in the public feed (/feed) and in the status answers.";
    }));
    form.elements.discard.addEventListener("click", () => run("Discard", async () => {
      await actions.discard(id);
      done();
      return "Discarded: it will never be published.";
    }));
    form.elements.locate.addEventListener("click", () => actions.locate(id));
    let drawing = null;
    form.elements.draw.addEventListener("click", () => {
      const button = form.elements.draw;
      if (drawing === null) {
        drawing = actions.draw();
        button.textContent = "Finish the area";
        note.textContent = "Click the corners of the area on the map, then press “Finish the area”.";
        return;
      }
      const polygon = drawing.finish();
      drawing = null;
      button.textContent = "Draw on the map";
      if (polygon) {
        const box = form.elements.area_polygons;
        box.value = box.value.trim() ? `${box.value.trim()}\n${polygon}` : polygon;
        note.textContent = "Area drawn: press Save (or Publish).";
      } else {
        note.textContent = "An area needs at least three corners; nothing was drawn.";
      }
    });
    return form;
  });
  return [
    h("h2", { id: "panel-title" }, "Draft warnings"),
    drafts.length === 0 ? h("p", { class: "none" }, "No drafts to review.") : null,
    ...list,
  ];
}
