"""What the case explorer shows for one county and one figure: text, chart, table, cases.

Pure functions over the loaded data, so the widget only wires controls to them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from ..cases import Case, cases_for_region
from ..charts import bar_chart, img_tag
from ..factors import FactorSet
from ..indicators import Indicator
from ..references import source_label
from ..swedish import MISSING, is_missing, number
from .common import esc


@dataclass(frozen=True)
class Ranking:
    """The counties ordered from highest to lowest value, missing values last."""

    codes: tuple[str, ...]
    values: tuple[float | None, ...]
    known: int

    def rank(self, code: str) -> int | None:
        """1 for the highest value (ties share a place); None if the county's value is missing."""
        value = self.values[self.codes.index(code)]
        if value is None:
            return None
        return 1 + sum(1 for v in self.values if v is not None and v > value)


def ranking(regions: pd.DataFrame, key: str) -> Ranking:
    column = regions[key]
    known = column.dropna().astype(float).sort_values(ascending=False, kind="stable")
    missing = [code for code in regions.index if is_missing(column[code])]
    codes = (*known.index, *missing)
    return Ranking(codes=tuple(codes), values=(*known.tolist(), *([None] * len(missing))), known=len(known))


def national_value(national: pd.Series, key: str) -> float | None:
    value = national.get(key)
    return None if is_missing(value) else float(value)


def summary_html(regions: pd.DataFrame, national: pd.Series, indicator: Indicator, code: str, order: Ranking) -> str:
    name = regions.at[code, "lan"]
    value = regions.at[code, indicator.key]
    total = len(regions)
    parts = [f"<p><strong>{esc(name)}</strong> – {esc(indicator.caption)}: "]
    if is_missing(value):
        parts.append(f"<strong>{MISSING}</strong>. Kursens underlag har ingen siffra för länet. "
                     f"Därför har länet ingen plats i rangordningen. {order.known} av {total} län har en uppgift.</p>")
    else:
        shown = f"{number(value, indicator.decimals)} {indicator.unit}"
        place = order.rank(code)
        among = f"{total} län" if order.known == total else f"{order.known} län med uppgift"
        parts.append(f"<strong>{esc(shown)}</strong>. Plats {place} av {among} (plats 1 har det högsta värdet).</p>")
    parts.append(f"<p>{esc(_national_sentence(national, indicator, value))}</p>")
    return "".join(parts)


def _national_sentence(national: pd.Series, indicator: Indicator, value: object) -> str:
    riket = national_value(national, indicator.key)
    if riket is None:
        return f"Riket: {MISSING}."
    text = f"Riket: {number(riket, indicator.decimals)} {indicator.unit}"
    if indicator.national_is_total:
        if is_missing(value):
            return text + " (alla län tillsammans)."
        share = 100 * float(value) / riket
        return text + f" (alla län tillsammans). Länet har {number(share, 1)} procent av rikets {indicator.label.lower()}."
    if is_missing(value):
        return text + "."
    relation = "över" if float(value) > riket else "under" if float(value) < riket else "lika med"
    return text + f". Länet ligger {relation} rikets värde."


def chart_figure(regions: pd.DataFrame, national: pd.Series, indicator: Indicator, code: str, order: Ranking) -> Figure:
    riket = national_value(national, indicator.key)
    line = None if indicator.national_is_total or riket is None else riket
    label = None if line is None else f"Riket: {number(line, indicator.decimals)}"
    title = indicator.caption
    if indicator.national_is_total and riket is not None:
        title += f" (riket totalt: {number(riket, indicator.decimals)})"
    return bar_chart([regions.at[c, "lan"] for c in order.codes], list(order.values), order.codes.index(code),
                     title=title, unit=indicator.unit, national=line, national_label=label, decimals=indicator.decimals)


def chart_alt(regions: pd.DataFrame, national: pd.Series, indicator: Indicator, code: str, order: Ranking) -> str:
    name = regions.at[code, "lan"]
    value = regions.at[code, indicator.key]
    fmt = lambda v: f"{number(v, indicator.decimals)} {indicator.unit}"  # noqa: E731
    parts = [f"Stapeldiagram: {indicator.caption} i Sveriges {len(regions)} län, från högst till lägst."]
    if is_missing(value):
        parts.append(f"{name} är markerat: {MISSING}.")
    else:
        parts.append(f"{name} är markerat med ränder och pil: {fmt(value)}, plats {order.rank(code)} av {order.known}.")
    if order.known:
        parts.append(f"Högst: {regions.at[order.codes[0], 'lan']}, {fmt(order.values[0])}.")
        last = order.known - 1
        parts.append(f"Lägst: {regions.at[order.codes[last], 'lan']}, {fmt(order.values[last])}.")
    riket = national_value(national, indicator.key)
    if riket is not None and not indicator.national_is_total:
        parts.append(f"Streckad linje: riket, {fmt(riket)}.")
    missing = [regions.at[c, "lan"] for c, v in zip(order.codes, order.values) if v is None]
    if missing:
        parts.append(f"Uppgift saknas för {', '.join(missing)}.")
    return " ".join(parts)


def chart_html(figure: Figure, alt: str) -> str:
    return f'<figure class="regionkurs-chart" style="margin:0">{img_tag(figure, alt)}</figure>'


def table_html(regions: pd.DataFrame, national: pd.Series, indicator: Indicator, code: str, order: Ranking) -> str:
    rows = []
    for chosen_code, value in zip(order.codes, order.values):
        name = esc(regions.at[chosen_code, "lan"])
        place = order.rank(chosen_code)
        cells = (f"<td>{place if place else '–'}</td><th scope=\"row\">{name}</th>"
                 f"<td style=\"text-align:right\">{esc(number(value, indicator.decimals))}</td>")
        if chosen_code == code:
            rows.append(f'<tr class="regionkurs-valt"><td><strong>{place if place else "–"}</strong></td>'
                        f'<th scope="row"><strong>{name} (valt län)</strong></th>'
                        f'<td style="text-align:right"><strong>{esc(number(value, indicator.decimals))}</strong></td></tr>')
        else:
            rows.append(f"<tr>{cells}</tr>")
    riket = national_value(national, indicator.key)
    rows.append(f'<tr><td>–</td><th scope="row">Riket</th><td style="text-align:right">{esc(number(riket, indicator.decimals))}</td></tr>')
    return (f"<details><summary>Visa siffrorna för alla län i en tabell</summary>"
            f"<table><caption>{esc(indicator.caption)}, {esc(indicator.unit)}</caption>"
            f'<thead><tr><th scope="col">Plats</th><th scope="col">Län</th><th scope="col">{esc(indicator.unit)}</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></details>")


def cases_html(cases: tuple[Case, ...], factors: FactorSet, regions: pd.DataFrame, code: str) -> str:
    name = esc(regions.at[code, "lan"])
    chosen = cases_for_region(cases, code)
    if not chosen:
        return (f"<p><strong>Fall från {name}</strong></p><p>Kursen har inget fall från {name} än. "
                "Vilket utvecklingsarbete i länet skulle du själv välja som exempel?</p>")
    items = []
    for case in chosen:
        titles = "; ".join(f"{factors.by_id(f).number}. {factors.by_id(f).title}" for f in case.factors)
        facts = "".join(f"<li>{esc(fact)}</li>" for fact in case.facts)
        note = f"<p><em>{esc(case.regions_note)}</em></p>" if case.regions_note else ""
        sources = "; ".join(esc(source_label(key)) for key in case.sources)
        items.append(f"<li><strong>{esc(case.title)}</strong><br>Belyser faktor {esc(titles)}."
                     f"<ul>{facts}</ul>{note}<p>Källa: {sources}</p></li>")
    return f"<p><strong>Fall från {name} i kursen</strong></p><ul>{''.join(items)}</ul>"
