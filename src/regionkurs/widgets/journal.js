/* One chapter's journal entry: the prompt, a text area, export as Markdown or HTML (a file download),
   and on the site a switch that turns saving in this browser on, and a button that deletes it.
   In JupyterLab and Voilà the kernel saves the journal in the learner's own folder. */

const COURSE = "Regional utveckling – 14 framgångsfaktorer";

function escapeMarkdown(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\[/g, "\\[").replace(/\]/g, "\\]");
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function stamp(when) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${pad(when.getHours())}:${pad(when.getMinutes())}`;
}

/** The whole journal as Markdown: the self-assessment (in words and a table), then every chapter. */
export function journalMarkdown(data, factors, levels, when) {
  const top = levels.length || 5;
  const lines = ["# Min reflektionsjournal", "", `Kursen ${COURSE}. Exporterad ${stamp(when)}.`, "", "## Självskattning", ""];
  const rated = factors.some((f) => data.ratings[f.id]);
  lines.push(rated ? rkRadarAlt(factors, data.ratings, top) : "Du har inte gjort självskattningen än.", "");
  lines.push("| Faktor | Din bedömning |", "|---|---|");
  for (const f of factors) lines.push(`| ${f.number}. ${f.title} | ${rkLevelText(levels, data.ratings[f.id])} |`);
  lines.push("");
  for (const f of factors) {
    const text = (data.entries[f.id] || "").trim();
    lines.push(`## ${f.number}. ${f.title}`, "", `> ${f.prompt}`, "", text ? escapeMarkdown(text) : "*Inget skrivet än.*", "");
  }
  return lines.join("\n");
}

/** The whole journal as one HTML page with the radar chart inline (nothing loaded from the web). */
export function journalHtml(data, factors, levels, when) {
  const top = levels.length || 5;
  const body = ["<h1>Min reflektionsjournal</h1>", `<p>Kursen ${escapeHtml(COURSE)}. Exporterad ${stamp(when)}.</p>`, "<h2>Självskattning</h2>"];
  if (factors.some((f) => data.ratings[f.id])) {
    const { svg } = rkRadar(factors, data.ratings, top, "Min självskattning");
    svg.setAttribute("xmlns", RK_SVG);
    body.push(`<figure>${svg.outerHTML}</figure>`);
  } else body.push("<p>Du har inte gjort självskattningen än.</p>");
  const rows = factors.map((f) => `<tr><th scope="row">${f.number}. ${escapeHtml(f.title)}</th><td>${escapeHtml(rkLevelText(levels, data.ratings[f.id]))}</td></tr>`).join("");
  body.push(`<table><caption>Din bedömning av varje faktor, 1–5</caption><thead><tr><th scope="col">Faktor</th><th scope="col">Din bedömning</th></tr></thead><tbody>${rows}</tbody></table>`);
  for (const f of factors) {
    const text = (data.entries[f.id] || "").trim();
    const paragraphs = text ? text.split(/\n\s*\n/).map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, "<br>\n")}</p>`).join("\n") : "<p><em>Inget skrivet än.</em></p>";
    body.push(`<h2>${f.number}. ${escapeHtml(f.title)}</h2>`, `<blockquote><p>${escapeHtml(f.prompt)}</p></blockquote>`, paragraphs);
  }
  const css = "body{font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff;margin:0}main{max-width:46rem;margin:0 auto;padding:1.5rem}svg{max-width:100%;height:auto}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #888;padding:.3rem .6rem;text-align:left;vertical-align:top}caption{text-align:left;font-weight:bold}blockquote{border-left:4px solid #555;margin:0;padding:0 1rem;color:#333}";
  return `<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>Min reflektionsjournal</title>\n<style>${css}</style>\n</head>\n<body>\n<main>\n${body.join("\n")}\n</main>\n</body>\n</html>\n`;
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = rkEl("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function render({ model, el, site }) {
  const root = rkRoot(el, "rk-journal");
  const factorId = model.get("factor_id");
  const factors = model.get("factors");
  const levels = model.get("levels");
  const store = site && site.store;
  const textId = rkId("journal");
  const statusId = rkId("status");
  root.append(rkEl("p", {}, rkEl("strong", { text: `Fråga till din reflektionsjournal, faktor ${model.get("number")}:` }), " " + model.get("prompt")));

  let toggle = null;
  if (store) {
    const switchId = rkId("switch");
    const explainId = rkId("explain");
    toggle = rkEl("input", { type: "checkbox", role: "switch", id: switchId, "aria-describedby": explainId, class: "rk-switch" });
    toggle.checked = store.enabled();
    root.append(rkEl("div", { class: "rk-row" }, toggle, rkEl("label", { for: switchId, text: "Spara min journal i den här webbläsaren" })),
      rkEl("p", { id: explainId, class: "rk-explain", text: "Av: det du skriver finns bara kvar tills du lämnar sidan. "
        + "På: journalen, självskattningen och dina svar sparas i webbläsarens lokala lagring (localStorage) på den här datorn "
        + "och kommer tillbaka nästa gång du öppnar kursen här. Inget skickas någonstans. "
        + "Slår du av sparandet raderas det som är sparat." }));
  }
  const area = rkEl("textarea", { id: textId, rows: "10", class: "rk-textarea", "aria-describedby": statusId,
    placeholder: "Skriv dina tankar här." });
  const stored = store ? store.get("entries", factorId) : null;
  area.value = stored !== null ? stored : (model.get("text") || "");
  const status = rkEl("p", { id: statusId, class: "rk-status", role: "status", "aria-live": "polite" });
  const buttons = rkEl("div", { class: "rk-row" });
  const markdown = rkEl("button", { type: "button", text: "Exportera journalen som Markdown" });
  const page = rkEl("button", { type: "button", text: "Exportera journalen som webbsida (HTML)" });
  buttons.append(markdown, page);
  let remove = null;
  if (store) {
    remove = rkEl("button", { type: "button", text: "Radera journalen från den här webbläsaren" });
    buttons.append(remove);
  }
  const exported = rkEl("p", { class: "rk-status", role: "status", "aria-live": "polite" });
  root.append(rkEl("label", { for: textId, class: "rk-label", text: `Min journal, faktor ${model.get("number")}:` }), area, status, buttons, exported);

  const showStatus = () => {
    if (store) status.textContent = store.enabled() ? "Sparat i den här webbläsaren." : "Sparas inte. Slå på sparandet ovan om du vill ha kvar texten nästa gång.";
    else status.textContent = model.get("status") || "";
  };
  let timer = null;
  area.addEventListener("input", () => {
    if (store) store.set("entries", factorId, area.value);
    clearTimeout(timer);
    timer = setTimeout(() => { model.set("text", area.value); model.save_changes(); }, 400);
    showStatus();
  });
  area.addEventListener("blur", () => { clearTimeout(timer); model.set("text", area.value); model.save_changes(); });
  const data = () => {
    if (store) return { entries: { ...store.section("entries"), [factorId]: area.value }, ratings: store.section("ratings") };
    const kept = model.get("journal") || { entries: {}, ratings: {} };
    return { entries: { ...kept.entries, [factorId]: area.value }, ratings: kept.ratings || {} };
  };
  markdown.addEventListener("click", () => {
    download("min-reflektionsjournal.md", "text/markdown;charset=utf-8", journalMarkdown(data(), factors, levels, new Date()));
    exported.textContent = "Klart: filen min-reflektionsjournal.md finns bland dina hämtade filer.";
  });
  page.addEventListener("click", () => {
    download("min-reflektionsjournal.html", "text/html;charset=utf-8", journalHtml(data(), factors, levels, new Date()));
    exported.textContent = "Klart: filen min-reflektionsjournal.html finns bland dina hämtade filer.";
  });
  if (store) {
    toggle.addEventListener("change", () => {
      if (toggle.checked) {
        if (!store.enable()) {
          toggle.checked = false;
          exported.textContent = "Webbläsaren tillåter inte att kursen sparar något. Exportera journalen som en fil i stället.";
        }
      } else store.clear();
      showStatus();
    });
    remove.addEventListener("click", () => {
      store.clear();
      area.value = "";
      toggle.checked = false;
      showStatus();
      exported.textContent = "Journalen, självskattningen och svaren är raderade från den här webbläsaren.";
    });
    store.subscribe(() => { toggle.checked = store.enabled(); showStatus(); });
  }
  model.on("change:status", showStatus);
  showStatus();
  return () => model.off("change:status", showStatus);
}

export default { render };
