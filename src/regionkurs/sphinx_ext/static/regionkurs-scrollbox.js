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

  function nameFor(box) {
    const kind = (KINDS.find(([selector]) => box.matches(selector)) || [null, "Innehåll"])[1];
    const caption = box.querySelector("caption");
    const text = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    return text ? `${kind}: ${text}` : `${kind}, går att rulla`;
  }

  function scrolls(box, style) {
    return (SCROLLING.has(style.overflowX) && box.scrollWidth > box.clientWidth + 1)
      || (SCROLLING.has(style.overflowY) && box.scrollHeight > box.clientHeight + 1);
  }

  function mark() {
    const main = document.getElementById("main-content") || document.body;
    for (const box of main.querySelectorAll("*")) {
      if (box.clientWidth === 0 && !box.dataset[MARK]) continue;
      if (scrolls(box, getComputedStyle(box))) {
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
  }

  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(mark, 200); };
  function start() {
    mark();
    window.addEventListener("resize", later);
    document.addEventListener("toggle", later, true);  // <details> opened or closed
    const main = document.getElementById("main-content");
    if (main) new MutationObserver(later).observe(main, { subtree: true, childList: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
