// tocsin web page: the events-per-day bar chart (SVG) and its two-handle date-range slider.

const SVG = "http://www.w3.org/2000/svg";
const DAY_MS = 86400000;
const MAX_FILLED_DAYS = 3660; // longer spans show only the days that have events

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
}

function addDays(iso, n) {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Every day from the first to the last in ``rows`` (zero-count days filled in), as [{date, count, fatalities}]. */
export function fillDays(rows) {
  if (rows.length === 0) return [];
  const first = rows[0].date;
  const last = rows[rows.length - 1].date;
  const span = Math.round((Date.parse(last) - Date.parse(first)) / DAY_MS) + 1;
  if (span > MAX_FILLED_DAYS) return rows.slice();
  const byDate = new Map(rows.map((r) => [r.date, r]));
  const days = [];
  for (let i = 0; i < span; i += 1) {
    const date = addDays(first, i);
    days.push(byDate.get(date) || { date, count: 0, fatalities: 0 });
  }
  return days;
}

export class Timeline {
  /**
   * @param {HTMLElement} box where the chart goes
   * @param {{wrap: HTMLElement, from: HTMLInputElement, to: HTMLInputElement, out: HTMLOutputElement}} range
   * @param {(from: string|null, to: string|null) => void} onPick called when the user settles on a range
   */
  constructor(box, range, onPick) {
    this.box = box;
    this.range = range;
    this.onPick = onPick;
    this.days = [];
    for (const input of [range.from, range.to]) {
      input.addEventListener("input", () => this.#slide(input));
      input.addEventListener("change", () => this.#pick());
    }
  }

  /** Draw ``rows`` (the API's timeline) with ``from``..``to`` (ISO dates or null) selected. */
  draw(rows, from, to) {
    this.days = fillDays(rows);
    this.box.replaceChildren();
    const n = this.days.length;
    this.range.wrap.hidden = n === 0;
    if (n === 0) {
      this.box.textContent = "No events to chart.";
      return;
    }
    const width = 300;
    const height = 70;
    const max = Math.max(1, ...this.days.map((d) => d.count));
    const step = width / n;
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 18}`, role: "img", class: "bars" });
    const label = `Events per day from ${this.days[0].date} to ${this.days[n - 1].date}, at most ${max} a day`;
    chart.setAttribute("aria-label", label);
    this.bars = this.days.map((day, i) => {
      const h = day.count === 0 ? 0 : Math.max(2, (day.count / max) * height);
      const bar = svg("rect", {
        x: i * step + step * 0.1, y: height - h, width: Math.max(0.5, step * 0.8), height: h, class: "bar",
      });
      const title = svg("title", {});
      title.textContent = `${day.date}: ${day.count} event(s), ${day.fatalities} fatalities`;
      bar.append(title);
      bar.addEventListener("click", () => this.select(i, i));
      chart.append(bar);
      return bar;
    });
    chart.append(svg("line", { x1: 0, y1: height + 0.5, x2: width, y2: height + 0.5, class: "axis" }));
    for (const [i, anchor] of [[0, "start"], [n - 1, "end"]]) {
      const text = svg("text", { x: anchor === "start" ? 0 : width, y: height + 16, "text-anchor": anchor });
      text.textContent = this.days[i].date;
      chart.append(text);
    }
    this.box.append(chart);
    for (const input of [this.range.from, this.range.to]) input.max = String(n - 1);
    this.range.from.value = String(this.#index(from, 0));
    this.range.to.value = String(this.#index(to, n - 1));
    this.#show();
  }

  /** The first day on or after ``date`` (fallback 0: a start) or the last day on or before it (an end). */
  #index(date, fallback) {
    if (!date) return fallback;
    if (fallback === 0) {
      const i = this.days.findIndex((d) => d.date >= date);
      return i < 0 ? this.days.length - 1 : i;
    }
    let last = 0;
    this.days.forEach((d, i) => {
      if (d.date <= date) last = i;
    });
    return last;
  }

  /** Select the days ``from``..``to`` (indices) and filter the map to them (a click on a bar picks its day). */
  select(from, to) {
    this.range.from.value = String(from);
    this.range.to.value = String(to);
    this.#show();
    this.#pick();
  }

  #slide(moved) {
    const from = Number(this.range.from.value);
    const to = Number(this.range.to.value);
    if (from > to) {
      if (moved === this.range.from) this.range.to.value = String(from);
      else this.range.from.value = String(to);
    }
    this.#show();
  }

  #show() {
    const from = Number(this.range.from.value);
    const to = Number(this.range.to.value);
    (this.bars || []).forEach((bar, i) => bar.classList.toggle("in", i >= from && i <= to));
    const a = this.days[from];
    const b = this.days[to];
    const text = a && b ? `${a.date} to ${b.date}` : "";
    this.range.out.value = text;
    this.range.from.setAttribute("aria-valuetext", a ? a.date : "");
    this.range.to.setAttribute("aria-valuetext", b ? b.date : "");
  }

  #pick() {
    const n = this.days.length;
    if (n === 0) return;
    const from = Number(this.range.from.value);
    const to = Number(this.range.to.value);
    if (from === 0 && to === n - 1) {
      this.onPick(null, null); // the whole range: no date filter
    } else {
      this.onPick(this.days[from].date, this.days[to].date);
    }
  }
}
