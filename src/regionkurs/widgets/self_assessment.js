/* The self-assessment: a level 1–5 for each of the 14 factors, the level's text, a radar chart and a table.
   In JupyterLab and Voilà the kernel keeps the ratings in the learner's journal; on the site the
   browser keeps them only when the learner has turned saving on (site.store). */

function render({ model, el, site }) {
  const root = rkRoot(el, "rk-self-assessment");
  const factors = model.get("factors");
  const levels = model.get("levels");
  const top = levels.length || 5;
  const exercise = model.get("exercise");
  const ratings = { ...(model.get("ratings") || {}) };
  if (site && site.store) {
    for (const factor of factors) {
      const stored = site.store.get("ratings", factor.id);
      if (stored !== null) ratings[factor.id] = stored;
    }
  }

  root.append(rkEl("p", { text: "Hur väl arbetar din region med varje faktor i dag? Välj en nivå från 1 till 5 i varje lista. "
    + "Det finns inga rätta svar: skattningen är din egen." }));
  const list = rkEl("ul");
  for (const level of levels) list.append(rkEl("li", {}, rkEl("strong", { text: `${level.level} – ${level.label}:` }), " " + level.text));
  root.append(rkEl("p", {}, rkEl("strong", { text: "Nivåerna" })), list);

  const chart = rkEl("figure", { class: "rk-chart" });
  const table = rkEl("details");
  const status = rkEl("p", { class: "rk-status", role: "status", "aria-live": "polite" });

  const draw = () => {
    const { svg } = rkRadar(factors, ratings, top, "Min självskattning");
    chart.replaceChildren(svg, rkEl("figcaption", { text: "Min självskattning. Siffrorna runt diagrammet är faktorernas nummer." }));
    const rows = factors.map((f) => rkEl("tr", {}, rkEl("th", { scope: "row", text: `${f.number}. ${f.title}` }),
      rkEl("td", { text: ratings[f.id] ? String(ratings[f.id]) : "inte bedömd" })));
    table.replaceChildren(rkEl("summary", { text: "Visa din självskattning i en tabell" }),
      rkEl("table", {}, rkEl("caption", { text: "Din bedömning av varje faktor, 1–5" }),
        rkEl("thead", {}, rkEl("tr", {}, rkEl("th", { scope: "col", text: "Faktor" }), rkEl("th", { scope: "col", text: "Nivå" }))),
        rkEl("tbody", {}, ...rows)));
  };
  const showStatus = () => {
    if (site) {
      status.textContent = site.store && site.store.enabled()
        ? "Skattningen sparas i den här webbläsaren."
        : "Skattningen sparas inte förrän du slår på sparandet i journalen längre ned.";
    } else status.textContent = model.get("status") || "";
  };

  for (const factor of factors) {
    const id = rkId("level");
    const select = rkEl("select", { id });
    select.append(rkEl("option", { value: "0", text: "Välj nivå" }));
    for (const level of levels) select.append(rkEl("option", { value: String(level.level), text: `${level.level} – ${level.label}` }));
    select.value = String(ratings[factor.id] || 0);
    const rubric = rkEl("p", { class: "rk-rubric" });
    const explain = () => {
      const level = levels.find((l) => l.level === ratings[factor.id]);
      rubric.replaceChildren(rkEl("em", { text: level ? level.text : "Du har inte valt någon nivå än." }));
    };
    select.addEventListener("change", () => {
      const value = Number(select.value) || null;
      ratings[factor.id] = value;
      model.set("ratings", { ...ratings });
      model.save_changes();
      if (site && site.store) {
        site.store.set("ratings", factor.id, value);
        site.store.set("assessments", exercise, { ratings: { ...ratings }, saved: new Date().toISOString() });
      }
      explain();
      draw();
      showStatus();
    });
    explain();
    root.append(rkEl("div", { class: "rk-factor" },
      rkEl("p", { class: "rk-factor-title" }, rkEl("strong", { text: `${factor.number}. ${factor.title}` })),
      rkEl("label", { for: id, class: "rk-label", text: `Nivå för faktor ${factor.number}:` }), select, rubric));
  }
  root.append(status, chart, table);
  model.on("change:status", showStatus);
  draw();
  showStatus();
  return () => model.off("change:status", showStatus);
}

export default { render };
