"""Benchmark of the reflection toolkit (not a test): how long a learner waits.

1. The case explorer: time from choosing a county or a figure until value,
   rank, chart, table and cases are updated, over every county × figure pair.
   Baseline, measured in the same run: the bare pandas lookup of the value and
   its rank (what any answer needs at least).
2. The journal: time to save a journal holding 14 long entries (lock, read
   and merge, temporary file, fsync, backup, rename). Baseline: a plain
   ``json.dump`` of the same content to the same folder.

Run: ``.venv/bin/python benchmarks/toolkit.py`` (about a minute). Prints the
numbers; writes nothing outside a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from regionkurs.factors import load_factors
from regionkurs.indicators import load_indicators
from regionkurs.journal import Journal
from regionkurs.regions import load_regions
from regionkurs.widgets import case_explorer


def _ms(seconds: list[float]) -> tuple[float, float]:
    return statistics.median(seconds) * 1000, max(seconds) * 1000


def explorer_times() -> dict[str, list[float]]:
    """Seconds per interaction over every county under every figure.

    ``text``: until value and rank are shown (the text is updated first);
    ``full``: until the chart is drawn too (first visit of the pair);
    ``revisit``: back through the last figure's counties (charts come from the explorer's cache);
    ``lookup``: the bare pandas lookup of value and rank (baseline).
    """
    explorer = case_explorer(region="01")
    regions = load_regions()
    times: dict[str, list[float]] = {"text": [], "full": [], "revisit": [], "lookup": []}
    shown: list[float] = []
    explorer.summary.observe(lambda _change: shown.append(time.perf_counter()), names="value")

    def interact(control, value, kind: str) -> None:
        if control.value == value:
            return
        shown.clear()
        start = time.perf_counter()
        control.value = value
        end = time.perf_counter()
        times[kind].append(end - start)
        if kind == "full" and shown:
            times["text"].append(shown[0] - start)

    for indicator in load_indicators():
        interact(explorer.indicator, indicator.key, "full")
        for code in regions.index:
            interact(explorer.region, code, "full")
            start = time.perf_counter()
            column = regions[indicator.key]
            value = column.at[code]
            _rank = None if pd.isna(value) else int((column > value).sum()) + 1
            times["lookup"].append(time.perf_counter() - start)
    for code in reversed(regions.index):  # back through the last figure's counties: all still cached
        interact(explorer.region, code, "revisit")
    return times


def journal_times(folder: Path, rounds: int, entry_words: int) -> tuple[list[float], list[float], int]:
    """Seconds per save of a journal with 14 long entries, per plain json.dump, and the file size."""
    factors = load_factors()
    text = " ".join(["regional utveckling kräver samverkan"] * (entry_words // 4))
    journal = Journal(folder / "journal.json", delay=0)
    journal.delay = 60  # edits below only mark the entry changed; the timed save() writes it
    for factor in factors:
        journal.set_text(factor.id, f"{factor.title}: {text}")
        journal.set_rating(factor.id, factor.number % 5 + 1)
    journal.save()
    saves, dumps = [], []
    plain = folder / "plain.json"
    for round_ in range(rounds):
        factor = factors.factors[round_ % len(factors)]
        journal.set_text(factor.id, f"{factor.title} ({round_}): {text}")
        start = time.perf_counter()
        assert journal.save(), journal.status
        saves.append(time.perf_counter() - start)
        state = json.loads(journal.path.read_text(encoding="utf-8"))
        start = time.perf_counter()
        with plain.open("w", encoding="utf-8") as stream:
            json.dump(state, stream, ensure_ascii=False, indent=2, sort_keys=True)
        dumps.append(time.perf_counter() - start)
    return saves, dumps, journal.path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="journal saves to time (default 40)")
    parser.add_argument("--words", type=int, default=800, help="words per journal entry (default 800)")
    args = parser.parse_args(argv)

    times = explorer_times()
    lookup = statistics.median(times["lookup"]) * 1000
    print(f"Case explorer, every county × figure ({len(times['full'])} interactions; "
          f"{len(load_indicators())} figures, 21 counties):")
    for kind, label in (("text", "value and rank shown"), ("full", "chart drawn too"), ("revisit", "revisit (cached)")):
        median, worst = _ms(times[kind])
        print(f"  {label:22s} median {median:8.1f} ms   worst {worst:8.1f} ms   {median / lookup:7.0f} × baseline")
    median, worst = _ms(times["lookup"])
    print(f"  {'pandas lookup':22s} median {median:8.3f} ms   worst {worst:8.3f} ms   (baseline)")

    with tempfile.TemporaryDirectory(prefix="regionkurs-bench-") as folder:
        saves, dumps, size = journal_times(Path(folder), args.rounds, args.words)
    (s_med, s_max), (d_med, d_max) = _ms(saves), _ms(dumps)
    print(f"Journal save, 14 entries of about {args.words} words ({size / 1024:.0f} KiB), {len(saves)} saves:")
    print(f"  Journal.save()    median {s_med:8.2f} ms   worst {s_max:8.2f} ms")
    print(f"  plain json.dump   median {d_med:8.2f} ms   worst {d_max:8.2f} ms   (baseline)")
    print(f"  ratio (median)    {s_med / d_med:8.1f} ×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
