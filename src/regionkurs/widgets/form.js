/* The exercise form: a number, a short text, a radio group, or the reflection.
   Feedback is about the form of the answer only: the form never knows the key. */

const SPACES = "\u0020\u00a0\u202f\u2009";
const UNITS = {
  "st": ["st", "st.", "stycken"],
  "%": ["%", "procent"],
  "kr": ["kr", "kr.", "kronor", "sek"],
  "tkr": ["tkr", "tusen kronor"],
  "mkr": ["mkr", "mnkr", "miljoner kronor"],
  "km²": ["km²", "km2", "kvadratkilometer"],
  "invånare": ["invånare", "inv", "inv."],
  "personer": ["personer", "pers", "pers."],
  "år": ["år"],
};
const MAX_TEXT = 500;
const MAX_INPUT = 2000;
const NUMBER = new RegExp(
  `^([-\u2212]?)([0-9]{1,3}(?:[${SPACES}][0-9]{3})+|[0-9]+)(?:[.,]([0-9]+))?$`);
const UNIT_AFTER = new RegExp(
  `^[-\u2212]?[0-9][0-9${SPACES}]*(?:[.,][0-9]+)?[${SPACES}]*[^0-9\\s.,:;()+\\-]`);
const TRIM = new RegExp(`^[${SPACES}\\t\\r\\n]+|[${SPACES}\\t\\r\\n]+$`, "g");

/** The same rules as regionkurs.answerparse (tests/answer_vectors.json holds both to them). */
export function parseAnswer(kind, text, unit, options) {
  if (typeof text !== "string") return { value: null, problem: "blank" };
  text = text.replace(TRIM, "");
  if (!text) return { value: null, problem: "blank" };
  if (text.length > MAX_INPUT) return { value: null, problem: "too_long" };
  if (kind === "text") return text.length <= MAX_TEXT ? { value: text, problem: null } : { value: null, problem: "too_long" };
  if (kind === "choice") {
    if (/^[0-9]{1,3}$/.test(text) && Number(text) >= 1 && Number(text) <= options) return { value: Number(text), problem: null };
    return { value: null, problem: "not_option" };
  }
  let body = text;
  const written = unit ? [...(UNITS[unit] || [unit])].sort((a, b) => b.length - a.length) : [];
  for (const form of written) {
    if (text.toLowerCase().endsWith(form.toLowerCase())) {
      body = text.slice(0, text.length - form.length).replace(new RegExp(`[${SPACES}]+$`), "");
      break;
    }
  }
  const match = NUMBER.exec(body);
  if (!match) return { value: null, problem: UNIT_AFTER.test(body) ? "unit" : "not_number" };
  const digits = match[2].replace(new RegExp(`[${SPACES}]`, "g"), "");
  const sign = match[1] ? -1 : 1;
  if (match[3] === undefined) return { value: sign * parseInt(digits, 10), problem: null };
  return { value: sign * parseFloat(`${digits}.${match[3]}`), problem: null };
}

function problemText(problem, kind, unit) {
  switch (problem) {
    case "blank":
      return kind === "choice" ? "Du har inte valt något alternativ än." : "Du har inte svarat än. Skriv ditt svar i rutan.";
    case "not_number":
      return "Skriv svaret med siffror, till exempel 12 eller 12,5. Mellanslag mellan tusental går bra.";
    case "unit":
      return unit ? `Skriv bara talet. Du kan skriva ${unit} efter talet, men inga andra ord.` : "Skriv bara talet, utan ord efter.";
    case "too_long":
      return `Svaret är för långt. Skriv högst ${MAX_TEXT} tecken.`;
    case "not_option":
      return "Välj ett av alternativen.";
    default:
      return "";
  }
}

function okText(kind, value, unit, options, site) {
  const later = site ? "" : " Om det är rätt ser du när läraren har rättat.";
  if (kind === "number") {
    const decimals = Number.isInteger(value) ? 0 : String(value).split(".")[1].length;
    return `Svaret har rätt form: ${rkNumber(value, decimals)}${unit ? "\u00a0" + unit : ""}.${later}`;
  }
  if (kind === "choice") return `Du har valt alternativ ${value}: ${options[value - 1]}${later}`;
  return `Svaret har rätt form.${later}`;
}

function answerField(model, root, site) {
  const kind = model.get("kind");
  const unit = model.get("unit") || "";
  const options = model.get("options") || [];
  const feedbackId = rkId("feedback");
  const feedback = rkEl("p", { class: "rk-feedback", id: feedbackId, role: "status", "aria-live": "polite" });
  const key = `${model.get("exercise")}/${model.get("name")}`;
  const stored = site && site.store ? site.store.get("answers", key) : null;
  if (stored !== null && stored !== undefined) model.set("value", stored);

  const save = (text) => {
    model.set("value", text);
    model.save_changes();
    if (site && site.store) site.store.set("answers", key, text);
  };
  const check = () => {
    const parsed = parseAnswer(kind, model.get("value"), unit || null, options.length);
    feedback.textContent = parsed.problem ? "Inte klart: " + problemText(parsed.problem, kind, unit) : okText(kind, parsed.value, unit, options, site);
    feedback.className = "rk-feedback " + (parsed.problem ? "rk-problem" : "rk-ok");
  };

  if (kind === "choice") {
    const group = rkId("choice");
    const fieldset = rkEl("fieldset", { class: "rk-choice", "aria-describedby": feedbackId },
      rkEl("legend", { text: model.get("label") }));
    options.forEach((text, index) => {
      const id = `${group}-${index + 1}`;
      const input = rkEl("input", { type: "radio", name: group, id, value: String(index + 1) });
      if (model.get("value") === String(index + 1)) input.checked = true;
      input.addEventListener("change", () => { save(input.value); check(); });
      fieldset.append(rkEl("div", { class: "rk-option" }, input, rkEl("label", { for: id, text: text })));
    });
    root.append(fieldset, feedback);
    return;
  }
  const inputId = rkId("answer");
  const input = rkEl("input", {
    type: "text", id: inputId, class: "rk-input", autocomplete: "off", spellcheck: "false",
    inputmode: kind === "number" ? "decimal" : null, "aria-describedby": feedbackId,
  });
  input.value = model.get("value") || "";
  const button = rkEl("button", { type: "button", class: "rk-button", text: "Kontrollera" });
  input.addEventListener("input", () => save(input.value));
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); save(input.value); check(); } });
  button.addEventListener("click", () => { save(input.value); check(); });
  const row = rkEl("div", { class: "rk-row" }, input, unit ? rkEl("span", { class: "rk-unit", "aria-hidden": "true", text: unit }) : null, button);
  root.append(rkEl("label", { for: inputId, class: "rk-label", text: model.get("label") + (unit ? ` (${unit})` : "") }), row, feedback);
}

function reflectionField(model, root, site) {
  const id = rkId("reflection");
  const statusId = rkId("status");
  const status = rkEl("p", { class: "rk-status", id: statusId, role: "status", "aria-live": "polite" });
  const area = rkEl("textarea", { id, class: "rk-textarea", rows: "10", "aria-describedby": statusId });
  const stored = site && site.store ? site.store.get("reflections", model.get("name")) : null;
  area.value = stored !== null && stored !== undefined ? stored : (model.get("value") || "");
  let timer = null;
  const show = () => {
    if (site) {
      status.textContent = site.store && site.store.enabled()
        ? "Texten sparas i den här webbläsaren medan du skriver."
        : "Texten sparas inte på webbplatsen förrän du slår på sparandet i journalen längre ned.";
    } else {
      status.textContent = model.get("status") || "Texten sparas medan du skriver.";
    }
  };
  area.addEventListener("input", () => {
    if (site && site.store) site.store.set("reflections", model.get("name"), area.value);
    clearTimeout(timer);
    timer = setTimeout(() => { model.set("value", area.value); model.save_changes(); }, 400);
    show();
  });
  area.addEventListener("blur", () => { clearTimeout(timer); model.set("value", area.value); model.save_changes(); });
  model.on("change:status", show);
  show();
  root.append(rkEl("label", { for: id, class: "rk-label", text: model.get("label") }), area, status);
  return () => model.off("change:status", show);
}

function render({ model, el, site }) {
  const root = rkRoot(el, "rk-form");
  if (model.get("kind") === "reflection") return reflectionField(model, root, site);
  answerField(model, root, site);
  return undefined;
}

export default { render };

export { rkNumber as formatNumber };
