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

/** A number the Swedish way: 10 551 707, 12,5 (no-break spaces between thousands). */
function rkNumber(value, decimals = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "uppgift saknas";
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, frac] = fixed.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  return (value < 0 ? "\u2212" : "") + grouped + (frac ? "," + frac : "");
}
