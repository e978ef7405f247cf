/* The learner's first and latest self-assessment side by side: two radar charts and a table.
   On the site the assessments come from the browser's journal (site.store), in JupyterLab and
   Voilà from the learner's journal file (the "assessments" trait). */

function pick(assessments) {
  const kept = Object.entries(assessments || {})
    .filter(([, a]) => a && a.ratings && Object.values(a.ratings).some((v) => v))
    .map(([exercise, a]) => ({ exercise, ratings: a.ratings, when: a.saved || a.updated || "" }))
    .sort((a, b) => (a.when < b.when ? -1 : a.when > b.when ? 1 : 0));
  return kept.length ? { first: kept[0], latest: kept[kept.length - 1], count: kept.length } : null;
}

function day(when) {
  return when ? when.slice(0, 10) : "";
}

function render({ model, el, site }) {
  const root = rkRoot(el, "rk-comparison");
  const factors = model.get("factors");
  const levels = model.get("levels");
  const top = levels.length || 5;
  const draw = () => {
    const chosen = pick(site && site.store ? site.store.section("assessments") : model.get("assessments"));
    if (!chosen) {
      root.replaceChildren(rkEl("p", { text: site
        ? "Här visas din första och din senaste självskattning när du har skattat din region i övningarna och slagit på sparandet i journalen."
        : "Här visas din första och din senaste självskattning när du har skattat din region i övningarna." }));
      return;
    }
    const { first, latest } = chosen;
    const label = (a) => `övning ${Number(a.exercise.slice(1)) || a.exercise}, ${day(a.when)}`;
    const same = first === latest;
    const charts = rkEl("div", { class: "rk-row rk-compare" });
    const one = rkRadar(factors, first.ratings, top, `Första självskattningen (${label(first)})`);
    charts.append(rkEl("figure", { class: "rk-chart" }, one.svg, rkEl("figcaption", { text: `Första: ${label(first)}` })));
    if (!same) {
      const two = rkRadar(factors, latest.ratings, top, `Senaste självskattningen (${label(latest)})`);
      charts.append(rkEl("figure", { class: "rk-chart" }, two.svg, rkEl("figcaption", { text: `Senaste: ${label(latest)}` })));
    }
    const rows = factors.map((f) => {
      const a = first.ratings[f.id] || null, b = latest.ratings[f.id] || null;
      const change = a && b ? (b > a ? `+${b - a}` : b < a ? `${b - a}` : "0") : "–";
      return rkEl("tr", {}, rkEl("th", { scope: "row", text: `${f.number}. ${f.title}` }),
        rkEl("td", { text: rkLevelText(levels, a) }), rkEl("td", { text: rkLevelText(levels, b) }), rkEl("td", { text: change }));
    });
    root.replaceChildren(
      rkEl("p", { text: same ? "Du har en självskattning hittills. Skatta igen i en senare övning, så kan du jämföra."
        : `Du har skattat din region ${chosen.count} gånger. Här är den första och den senaste.` }),
      charts,
      rkEl("table", {}, rkEl("caption", { text: "Första och senaste självskattningen, faktor för faktor (1–5)" }),
        rkEl("thead", {}, rkEl("tr", {}, rkEl("th", { scope: "col", text: "Faktor" }), rkEl("th", { scope: "col", text: `Första (${label(first)})` }),
          rkEl("th", { scope: "col", text: `Senaste (${label(latest)})` }), rkEl("th", { scope: "col", text: "Förändring" }))),
        rkEl("tbody", {}, ...rows)));
  };
  draw();
  if (site && site.store) return site.store.subscribe(draw);
  model.on("change:assessments", draw);
  return () => model.off("change:assessments", draw);
}

export default { render };
