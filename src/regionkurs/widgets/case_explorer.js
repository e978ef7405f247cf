/* The case explorer: a county and a figure give the value, the rank among the 21 counties,
   a bar chart (SVG, with its message in words) and a table, and the course's cases from the county.
   Python sends the data (regions.csv, riket.csv, the data package's labels, cases.yml); all the
   reckoning happens here, so the site, JupyterLab and Voilà show the same. */

const MISSING = "uppgift saknas";

/** Counties from highest to lowest value, missing values last; rank 1 is the highest (ties share). */
export function ranking(regions, key) {
  const known = regions.filter((r) => r.values[key] !== null && r.values[key] !== undefined)
    .map((r, i) => ({ r, i })).sort((a, b) => b.r.values[key] - a.r.values[key] || a.i - b.i).map((x) => x.r);
  const missing = regions.filter((r) => r.values[key] === null || r.values[key] === undefined);
  const order = [...known, ...missing];
  const rank = (code) => {
    const value = regions.find((r) => r.code === code).values[key];
    if (value === null || value === undefined) return null;
    return 1 + known.filter((r) => r.values[key] > value).length;
  };
  return { order, known: known.length, rank };
}

function describe(data, code, key) {
  const indicator = data.indicators.find((i) => i.key === key);
  const region = data.regions.find((r) => r.code === code);
  const value = region.values[key];
  const order = ranking(data.regions, key);
  const riket = data.national[key];
  const fmt = (v) => `${rkNumber(v, indicator.decimals)} ${indicator.unit}`;
  const total = data.regions.length;
  return { indicator, region, value, order, riket, fmt, total };
}

export function summaryParts(data, code, key) {
  const { indicator, region, value, order, riket, fmt, total } = describe(data, code, key);
  let first;
  if (value === null || value === undefined) {
    first = [`${region.name}`, ` – ${indicator.caption}: `, MISSING, `. Kursens underlag har ingen siffra för länet. Därför har länet ingen plats i rangordningen. ${order.known} av ${total} län har en uppgift.`];
  } else {
    const among = order.known === total ? `${total} län` : `${order.known} län med uppgift`;
    first = [`${region.name}`, ` – ${indicator.caption}: `, fmt(value), `. Plats ${order.rank(code)} av ${among} (plats 1 har det högsta värdet).`];
  }
  let second;
  if (riket === null || riket === undefined) second = `Riket: ${MISSING}.`;
  else if (indicator.national_is_total) {
    second = `Riket: ${fmt(riket)} (alla län tillsammans).`;
    if (value !== null && value !== undefined) second += ` Länet har ${rkNumber(100 * value / riket, 1)} procent av rikets ${indicator.label.toLowerCase()}.`;
  } else {
    second = `Riket: ${fmt(riket)}.`;
    if (value !== null && value !== undefined) second = `Riket: ${fmt(riket)}. Länet ligger ${value > riket ? "över" : value < riket ? "under" : "lika med"} rikets värde.`;
  }
  return { first, second };
}

export function chartAlt(data, code, key) {
  const { indicator, region, value, order, riket, fmt, total } = describe(data, code, key);
  const parts = [`Stapeldiagram: ${indicator.caption} i Sveriges ${total} län, från högst till lägst.`];
  if (value === null || value === undefined) parts.push(`${region.name} är markerat: ${MISSING}.`);
  else parts.push(`${region.name} är markerat med ränder och pil: ${fmt(value)}, plats ${order.rank(code)} av ${order.known}.`);
  if (order.known) {
    parts.push(`Högst: ${order.order[0].name}, ${fmt(order.order[0].values[key])}.`);
    const last = order.order[order.known - 1];
    parts.push(`Lägst: ${last.name}, ${fmt(last.values[key])}.`);
  }
  if (riket !== null && riket !== undefined && !indicator.national_is_total) parts.push(`Streckad linje: riket, ${fmt(riket)}.`);
  const missing = order.order.slice(order.known).map((r) => r.name);
  if (missing.length) parts.push(`Uppgift saknas för ${missing.join(", ")}.`);
  return parts.join(" ");
}

function chart(data, code, key, patternId) {
  const { indicator, order, riket } = describe(data, code, key);
  const rows = order.order.length, rowHeight = 22, left = 150, width = 560, right = 70, top = 34;
  const height = top + rows * rowHeight + 30;
  const values = order.order.slice(0, order.known).map((r) => r.values[key]);
  const line = !indicator.national_is_total && riket !== null && riket !== undefined ? riket : null;
  const max = Math.max(1, ...values, line || 0);
  const scale = (v) => (v / max) * (width - left - right);
  let title = indicator.caption;
  if (indicator.national_is_total && riket !== null && riket !== undefined) title += ` (riket totalt: ${rkNumber(riket, indicator.decimals)})`;
  const alt = chartAlt(data, code, key);
  const svg = rkSvg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": alt, class: "rk-bars", preserveAspectRatio: "xMinYMin meet" },
    rkSvg("defs", {}, rkSvg("pattern", { id: patternId, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
      rkSvg("rect", { width: 6, height: 6, fill: "#b35900" }), rkSvg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#000", "stroke-width": 2 }))),
    rkSvg("text", { x: 0, y: 16, "font-size": 14, "font-weight": "bold", fill: "currentColor", text: title }));
  order.order.forEach((r, index) => {
    const y = top + index * rowHeight;
    const chosen = r.code === code;
    svg.append(rkSvg("text", { x: left - 6, y: y + 15, "text-anchor": "end", "font-size": 12, "font-weight": chosen ? "bold" : "normal", fill: "currentColor", text: (chosen ? "▶ " : "") + r.name }));
    const v = r.values[key];
    if (v === null || v === undefined) {
      svg.append(rkSvg("text", { x: left + 4, y: y + 15, "font-size": 12, "font-style": "italic", fill: "currentColor", text: MISSING }));
      return;
    }
    svg.append(rkSvg("rect", { x: left, y: y + 3, width: Math.max(1, scale(v)).toFixed(1), height: rowHeight - 6,
      fill: chosen ? `url(#${patternId})` : "#7f9fbf", stroke: chosen ? "#000" : "none" }));
    svg.append(rkSvg("text", { x: left + scale(v) + 4, y: y + 15, "font-size": 11, "font-weight": chosen ? "bold" : "normal", fill: "currentColor", text: rkNumber(v, indicator.decimals) }));
  });
  if (line !== null) {
    const x = left + scale(line);
    svg.append(rkSvg("line", { x1: x, y1: top - 4, x2: x, y2: top + rows * rowHeight, stroke: "currentColor", "stroke-dasharray": "6 4", "stroke-width": 1.5 }));
    svg.append(rkSvg("text", { x: Math.min(x + 4, width - 90), y: top + rows * rowHeight + 16, "font-size": 11, fill: "currentColor", text: `Riket: ${rkNumber(line, indicator.decimals)}` }));
  }
  svg.append(rkSvg("text", { x: left, y: height - 2, "font-size": 11, fill: "currentColor", text: indicator.unit }));
  return svg;
}

function table(data, code, key) {
  const { indicator, order, riket } = describe(data, code, key);
  const rows = order.order.map((r) => {
    const place = order.rank(r.code);
    const chosen = r.code === code;
    const wrap = (text) => (chosen ? rkEl("strong", { text }) : text);
    return rkEl("tr", { class: chosen ? "rk-chosen" : null },
      rkEl("td", {}, wrap(place ? String(place) : "–")),
      rkEl("th", { scope: "row" }, wrap(chosen ? `${r.name} (valt län)` : r.name)),
      rkEl("td", { class: "rk-number" }, wrap(rkNumber(r.values[key], indicator.decimals))));
  });
  rows.push(rkEl("tr", {}, rkEl("td", { text: "–" }), rkEl("th", { scope: "row", text: "Riket" }),
    rkEl("td", { class: "rk-number", text: rkNumber(riket, indicator.decimals) })));
  return rkEl("details", {}, rkEl("summary", { text: "Visa siffrorna för alla län i en tabell" }),
    rkEl("table", {}, rkEl("caption", { text: `${indicator.caption}, ${indicator.unit}` }),
      rkEl("thead", {}, rkEl("tr", {}, rkEl("th", { scope: "col", text: "Plats" }), rkEl("th", { scope: "col", text: "Län" }), rkEl("th", { scope: "col", text: indicator.unit }))),
      rkEl("tbody", {}, ...rows)));
}

function cases(data, code) {
  const region = data.regions.find((r) => r.code === code);
  const chosen = data.cases.filter((c) => c.regions.includes(code));
  const box = rkEl("div", { class: "rk-cases" });
  if (!chosen.length) {
    box.append(rkEl("p", {}, rkEl("strong", { text: `Fall från ${region.name}` })),
      rkEl("p", { text: `Kursen har inget fall från ${region.name} än. Vilket utvecklingsarbete i länet skulle du själv välja som exempel?` }));
    return box;
  }
  const list = rkEl("ul");
  for (const c of chosen) {
    list.append(rkEl("li", {}, rkEl("strong", { text: c.title }), rkEl("br"), `Belyser faktor ${c.factors}.`,
      rkEl("ul", {}, ...c.facts.map((fact) => rkEl("li", { text: fact }))),
      c.note ? rkEl("p", {}, rkEl("em", { text: c.note })) : null,
      rkEl("p", { text: `Källa: ${c.sources}` })));
  }
  box.append(rkEl("p", {}, rkEl("strong", { text: `Fall från ${region.name} i kursen` })), list);
  return box;
}

function render({ model, el }) {
  const root = rkRoot(el, "rk-explorer");
  const data = { regions: model.get("regions"), indicators: model.get("indicators"), national: model.get("national"), cases: model.get("cases") };
  const regionId = rkId("lan"), indicatorId = rkId("uppgift"), patternId = rkId("ranka");
  const region = rkEl("select", { id: regionId });
  for (const r of data.regions) region.append(rkEl("option", { value: r.code, text: r.name }));
  const indicator = rkEl("select", { id: indicatorId });
  for (const i of data.indicators) indicator.append(rkEl("option", { value: i.key, text: i.caption }));
  root.append(rkEl("div", { class: "rk-row rk-controls" },
    rkEl("div", {}, rkEl("label", { for: regionId, class: "rk-label", text: "Län:" }), region),
    rkEl("div", {}, rkEl("label", { for: indicatorId, class: "rk-label", text: "Uppgift:" }), indicator)));
  const summary = rkEl("div", { class: "rk-summary", "aria-live": "polite" });
  const figure = rkEl("figure", { class: "rk-chart" });
  const tableBox = rkEl("div");
  const caseBox = rkEl("div");
  root.append(summary, figure, tableBox, caseBox);
  const update = () => {
    const code = model.get("region"), key = model.get("indicator");
    region.value = code;
    indicator.value = key;
    const { first, second } = summaryParts(data, code, key);
    summary.replaceChildren(rkEl("p", {}, rkEl("strong", { text: first[0] }), first[1], rkEl("strong", { text: first[2] }), first[3]),
      rkEl("p", { text: second }));
    figure.replaceChildren(chart(data, code, key, patternId));
    const open = tableBox.querySelector("details")?.open;
    tableBox.replaceChildren(table(data, code, key));
    if (open) tableBox.querySelector("details").open = true;
    caseBox.replaceChildren(cases(data, code));
  };
  region.addEventListener("change", () => { model.set("region", region.value); model.save_changes(); update(); });
  indicator.addEventListener("change", () => { model.set("indicator", indicator.value); model.save_changes(); update(); });
  update();
}

export default { render };
