"""The case explorer: one county against all 21 on a chosen figure, with the county's cases.

Python sends the data as traits (the regions table, the national figures,
the figures' labels and units, the cases with their sources); the front end
(``case_explorer.js``) ranks, writes the summary, draws the chart with its
text alternative and the table, and lists the cases, on the site as in
JupyterLab and Voilà.
"""

from __future__ import annotations

import anywidget
import pandas as pd
import traitlets as t

from ..cases import Case, load_cases
from ..factors import FactorSet, load_factors
from ..indicators import Indicator, load_indicators
from ..references import source_label
from ..regions import load_national, load_regions
from ..swedish import is_missing
from . import esm


def _value(value: object) -> float | None:
    return None if is_missing(value) else float(value)


def explorer_data(regions: pd.DataFrame, national: pd.Series, indicators: tuple[Indicator, ...],
                  cases: tuple[Case, ...], factors: FactorSet) -> dict:
    """Everything the front end needs, as plain JSON-ready values."""
    keys = [i.key for i in indicators]
    return {
        "regions": [{"code": code, "name": row["lan"], "values": {k: _value(row[k]) for k in keys}}
                    for code, row in regions.iterrows()],
        "national": {k: _value(national.get(k)) for k in keys},
        "indicators": [{"key": i.key, "caption": i.caption, "label": i.label, "unit": i.unit,
                        "decimals": i.decimals, "national_is_total": i.national_is_total} for i in indicators],
        "cases": [{"title": c.title, "regions": list(c.regions), "facts": list(c.facts), "note": c.regions_note or "",
                   "factors": "; ".join(f"{factors.by_id(f).number}. {factors.by_id(f).title}" for f in c.factors),
                   "sources": "; ".join(source_label(key) for key in c.sources)} for c in cases],
    }


class CaseExplorer(anywidget.AnyWidget):
    """Lists for county (``region``, a county code) and figure (``indicator``); the rest is drawn in the page."""

    _esm = esm.module("case_explorer")
    _css = esm.stylesheet()
    regions = t.List(t.Dict()).tag(sync=True)
    national = t.Dict().tag(sync=True)
    indicators = t.List(t.Dict()).tag(sync=True)
    cases = t.List(t.Dict()).tag(sync=True)
    region = t.Unicode().tag(sync=True)
    indicator = t.Unicode().tag(sync=True)

    def __init__(self, data: dict, region: str, indicator: str):
        codes = [r["code"] for r in data["regions"]]
        if region not in codes:
            raise ValueError(f"unknown county code {region!r} (known: {', '.join(codes)})")
        keys = [i["key"] for i in data["indicators"]]
        if indicator not in keys:
            raise ValueError(f"unknown indicator {indicator!r} (known: {', '.join(keys)})")
        super().__init__(**data, region=region, indicator=indicator)


def case_explorer(region: str = "18", indicator: str = "folkmangd_2023") -> CaseExplorer:
    """Explore the 21 counties: choose a county (county code) and a figure (column of regions.csv)."""
    data = explorer_data(load_regions(), load_national(), load_indicators(), load_cases(), load_factors())
    return CaseExplorer(data, region=region, indicator=indicator)
