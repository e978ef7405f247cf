"""The self-assessment profile: the radar chart of 14 ratings and its text alternative."""

from __future__ import annotations

from collections.abc import Mapping

from matplotlib.figure import Figure

from .charts import radar_chart
from .factors import FactorSet

NOT_RATED = "inte bedömd"


def profile_levels(factors: FactorSet, ratings: Mapping[str, int | None]) -> list[int | None]:
    """The rating of each factor in factor order; None where the learner has not rated it."""
    return [ratings.get(factor.id) for factor in factors]


def profile_figure(factors: FactorSet, ratings: Mapping[str, int | None]) -> Figure:
    """A radar chart with one axis per factor, labelled by the factor's number."""
    return radar_chart([str(f.number) for f in factors], profile_levels(factors, ratings),
                       maximum=len(factors.levels) or 5, title="Min självskattning")


def profile_alt(factors: FactorSet, ratings: Mapping[str, int | None]) -> str:
    """The chart's message in words: how many factors are rated, the strongest and weakest, every value."""
    levels = profile_levels(factors, ratings)
    rated = [(f, level) for f, level in zip(factors, levels) if level is not None]
    top = len(factors.levels) or 5
    parts = [f"Radardiagram: din självskattning av de {len(factors)} faktorerna på skalan 1–{top}."]
    if not rated:
        parts.append("Du har inte bedömt någon faktor än.")
    else:
        parts.append(f"Du har bedömt {len(rated)} av {len(factors)}.")
        high = max(level for _, level in rated)
        low = min(level for _, level in rated)
        parts.append(f"Högst ({high}): faktor {', '.join(str(f.number) for f, level in rated if level == high)}.")
        if low != high:
            parts.append(f"Lägst ({low}): faktor {', '.join(str(f.number) for f, level in rated if level == low)}.")
    values = "; ".join(f"{f.number}: {NOT_RATED if level is None else level}" for f, level in zip(factors, levels))
    parts.append(f"Alla värden, faktor för faktor: {values}.")
    return " ".join(parts)
