"""The case explorer: one county against all 21 on a chosen figure, with the county's cases."""

from __future__ import annotations

from collections import OrderedDict

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from ..cases import Case, load_cases
from ..factors import FactorSet, load_factors
from ..indicators import Indicator, load_indicators
from ..regions import load_national, load_regions
from . import explorer_view as view
from .common import dropdown


class CaseExplorer(widgets.VBox):
    """Dropdowns for county and figure; value, rank, bar chart, data table and cases below them.

    After each change ``figure`` holds the chart as a matplotlib Figure (for
    tests and reuse); the page shows it as an image with a text alternative.
    The text is updated first (it is instant); drawing the chart takes a few
    tenths of a second, so the last ``CHART_CACHE`` charts are kept.
    """

    CHART_CACHE = 32

    def __init__(self, regions: pd.DataFrame, national: pd.Series, indicators: tuple[Indicator, ...],
                 cases: tuple[Case, ...], factors: FactorSet, region: str, indicator: str):
        super().__init__(layout=widgets.Layout(width="100%"))
        if region not in regions.index:
            raise ValueError(f"unknown county code {region!r} (known: {', '.join(regions.index)})")
        self._indicators = {i.key: i for i in indicators}
        if indicator not in self._indicators:
            raise ValueError(f"unknown indicator {indicator!r} (known: {', '.join(self._indicators)})")
        self._regions, self._national, self._cases, self._factors = regions, national, cases, factors
        self.region = dropdown("Län:", [(name, code) for code, name in regions["lan"].items()], region)
        self.indicator = dropdown("Uppgift:", [(i.caption, i.key) for i in indicators], indicator)
        self.summary = widgets.HTML()
        self.chart = widgets.HTML()
        self.table = widgets.HTML()
        self.cases = widgets.HTML()
        self.figure: Figure | None = None
        self._charts: OrderedDict[tuple[str, str], tuple[Figure, str]] = OrderedDict()
        self.children = [widgets.HBox([self.region, self.indicator], layout=widgets.Layout(flex_flow="row wrap")),
                         self.summary, self.chart, self.table, self.cases]
        self.region.observe(self._update, names="value")
        self.indicator.observe(self._update, names="value")
        self._update()

    def _update(self, _change: dict | None = None) -> None:
        code, indicator = self.region.value, self._indicators[self.indicator.value]
        order = view.ranking(self._regions, indicator.key)
        args = (self._regions, self._national, indicator, code, order)
        self.summary.value = view.summary_html(*args)
        self.table.value = view.table_html(*args)
        self.cases.value = view.cases_html(self._cases, self._factors, self._regions, code)
        key = (code, indicator.key)
        if key not in self._charts:
            figure = view.chart_figure(*args)
            self._charts[key] = (figure, view.chart_html(figure, view.chart_alt(*args)))
            while len(self._charts) > self.CHART_CACHE:
                self._charts.popitem(last=False)
        self._charts.move_to_end(key)
        self.figure, self.chart.value = self._charts[key]

def case_explorer(region: str = "18", indicator: str = "folkmangd_2023") -> widgets.Widget:
    """Explore the 21 counties: choose a county (county code) and a figure (column of regions.csv)."""
    factors = load_factors()
    return CaseExplorer(load_regions(), load_national(), load_indicators(), load_cases(), factors,
                        region=region, indicator=indicator)
