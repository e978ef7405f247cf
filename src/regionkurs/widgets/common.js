/* Helpers shared by the course's tools (prepended to each tool's module by esm.py). */

let rkCounter = 0;

/** A unique id for labels and descriptions. */
function rkId(prefix) {
  rkCounter += 1;
  return `rk-${prefix}-${rkCounter}-${Math.random().toString(36).slice(2, 7)}`;
}

/** Build an element: rkEl("p", {class: "x"}, "text", child). */
function rkEl(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** The tool's root: keys typed inside never reach JupyterLab's shortcuts. */
function rkRoot(el, cls) {
  const root = rkEl("div", { class: `rk-tool ${cls}`, "data-lm-suppress-shortcuts": "true" });
  for (const type of ["keydown", "keypress", "keyup"]) {
    root.addEventListener(type, (event) => event.stopPropagation());
  }
  el.replaceChildren(root);
  return root;
}

/** A number as regionkurs.swedish.number writes it: 1995, 308 116, 2,5 (tests/answer_vectors.json). */
function rkNumber(value, decimals = 0) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "uppgift saknas";
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, frac] = fixed.split(".");
  const grouped = Number(fixed) >= 10000 ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, " ") : whole;
  const negative = value < 0 && Number(fixed) !== 0;
  return (negative ? "-" : "") + grouped + (frac ? "," + frac : "");
}

const RK_SVG = "http://www.w3.org/2000/svg";

/** Build an SVG element. */
function rkSvg(tag, attrs, ...children) {
  const node = document.createElementNS(RK_SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** The learner's self-assessment as a radar chart (SVG) with its text alternative. */
function rkRadar(factors, ratings, top, title) {
  const size = 360, centre = size / 2, radius = 130;
  const alt = rkRadarAlt(factors, ratings, top);
  const svg = rkSvg("svg", { viewBox: `0 0 ${size} ${size}`, width: size, height: size, role: "img", "aria-label": alt, class: "rk-radar" },
    rkSvg("title", { text: title }));
  const point = (index, level) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * index) / factors.length;
    return [centre + Math.cos(angle) * radius * level / top, centre + Math.sin(angle) * radius * level / top];
  };
  for (let level = 1; level <= top; level += 1) {
    const ring = factors.map((_, i) => point(i, level).map((v) => v.toFixed(1)).join(",")).join(" ");
    svg.append(rkSvg("polygon", { points: ring, fill: "none", stroke: "currentColor", "stroke-opacity": "0.35" }));
    const [x, y] = point(0, level);
    svg.append(rkSvg("text", { x: x + 4, y: y + 4, "font-size": "10", fill: "currentColor", text: String(level) }));
  }
  factors.forEach((factor, i) => {
    const [x, y] = point(i, top);
    svg.append(rkSvg("line", { x1: centre, y1: centre, x2: x, y2: y, stroke: "currentColor", "stroke-opacity": "0.35" }));
    const [lx, ly] = point(i, top + 0.75);
    svg.append(rkSvg("text", { x: lx, y: ly + 4, "font-size": "12", "text-anchor": "middle", fill: "currentColor", text: String(factor.number) }));
  });
  const rated = factors.map((f, i) => [i, ratings[f.id]]).filter(([, level]) => level);
  if (rated.length) {
    const shape = rated.map(([i, level]) => point(i, level).map((v) => v.toFixed(1)).join(",")).join(" ");
    svg.append(rkSvg(rated.length === factors.length ? "polygon" : "polyline",
      { points: shape, fill: rated.length === factors.length ? "#b35900" : "none", "fill-opacity": "0.2", stroke: "#b35900", "stroke-width": "2.5" }));
    for (const [i, level] of rated) {
      const [x, y] = point(i, level);
      svg.append(rkSvg("circle", { cx: x, cy: y, r: 4, fill: "#b35900" }));
    }
  }
  return { svg, alt };
}

/** The radar's message in words (the chart's aria-label and the exported journal's text). */
function rkRadarAlt(factors, ratings, top) {
  const rated = factors.filter((f) => ratings[f.id]);
  const parts = [`Radardiagram: din självskattning av de ${factors.length} faktorerna på skalan 1–${top}.`];
  if (!rated.length) parts.push("Du har inte bedömt någon faktor än.");
  else {
    parts.push(`Du har bedömt ${rated.length} av ${factors.length}.`);
    const levels = rated.map((f) => ratings[f.id]);
    const high = Math.max(...levels), low = Math.min(...levels);
    parts.push(`Högst (${high}): faktor ${rated.filter((f) => ratings[f.id] === high).map((f) => f.number).join(", ")}.`);
    if (low !== high) parts.push(`Lägst (${low}): faktor ${rated.filter((f) => ratings[f.id] === low).map((f) => f.number).join(", ")}.`);
  }
  parts.push(`Alla värden, faktor för faktor: ${factors.map((f) => `${f.number}: ${ratings[f.id] || "inte bedömd"}`).join("; ")}.`);
  return parts.join(" ");
}

/** A level as the learner reads it: "4 – Etablerat", or "inte bedömd". */
function rkLevelText(levels, level) {
  const found = levels.find((l) => l.level === level);
  return found ? `${level} – ${found.label}` : "inte bedömd";
}
