/* A box in the page's content that scrolls (a long code line, a wide table,
   an output or a widget) can be scrolled with the keyboard too: it gets a tab
   stop, the role "region" and a Swedish name (WCAG 2.1 2.1.1 and 4.1.2). A
   box that fits gets none of these, so it adds no tab stop. Runs on load, on
   resize, when content changes (widgets render after load) and when a hidden
   block is opened. */
(() => {
  "use strict";
  // What a box holds, for its name; the first match wins.
  const KINDS = [
    ["pre", "Kod"],
    [".pst-scrollable-table-container, table", "Tabell"],
    [".cell_output > .output, .nboutput > .output_area", "Resultat"],
    ["div.math", "Formel"],
    [".jupyter-widgets", "Verktyg"],
  ];
  const MARK = "rkScrollbox";
  const SCROLLING = new Set(["auto", "scroll"]);
  // Only boxes that may scroll are looked at (style lookups on every element
  // of a long page would hold up the page on a slow phone).
  const CANDIDATES = [
    "pre", ".highlight", ".pst-scrollable-table-container", "table", ".cell_output > .output",
    ".nboutput > .output_area", "div.math", ".jupyter-widgets", ".widget-subarea", ".output_subarea",
    `[data-${MARK.replace(/[A-Z]/g, c => "-" + c.toLowerCase())}]`,
  ].join(", ");

  function nameFor(box) {
    const kind = (KINDS.find(([selector]) => box.matches(selector)) || [null, "Innehåll"])[1];
    const caption = box.querySelector("caption");
    const text = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    return text ? `${kind}: ${text}` : `${kind}, går att rulla`;
  }

  function scrolls(box) {
    const wide = box.scrollWidth > box.clientWidth + 1, tall = box.scrollHeight > box.clientHeight + 1;
    if (!wide && !tall) return false;
    const style = getComputedStyle(box);
    return (wide && SCROLLING.has(style.overflowX)) || (tall && SCROLLING.has(style.overflowY));
  }

  function mark() {
    const main = document.getElementById("main-content") || document.body;
    // Read every box first, then write: no layout between the writes.
    const found = [...main.querySelectorAll(CANDIDATES)].map(box => [box, scrolls(box)]);
    for (const [box, scrolling] of found) {
      if (scrolling) {
        if (box.getAttribute("tabindex") !== "0") {
          box.tabIndex = 0;
          box.dataset[MARK] = "1";
        }
        if (!box.hasAttribute("role")) {
          box.setAttribute("role", "region");
          box.dataset[MARK] = "1";
        }
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", nameFor(box));
          box.dataset[MARK] = "1";
        }
      } else if (box.dataset[MARK]) {
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("tabindex");
        delete box.dataset[MARK];
      }
    }
    document.documentElement.dataset.rkScrollboxes = "marked";  // for the tests: a first pass is done
  }

  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(mark, 200); };
  function start() {
    // After the page has painted, when the browser is idle.
    (window.requestIdleCallback || (f => setTimeout(f, 1)))(mark, { timeout: 1000 });
    window.addEventListener("resize", later);
    document.addEventListener("toggle", later, true);  // <details> opened or closed
    const main = document.getElementById("main-content");
    if (main) new MutationObserver(later).observe(main, { subtree: true, childList: true });
  }
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
