"""Fixed-bin histograms of document signals (quality signals and ``lang_score``) for stats.json.

Bins are fixed per signal, so histograms from any number of workers add up exactly and two runs
can be compared bin by bin. Bin ``i`` holds values in ``[edges[i], edges[i+1])``; the last bin
also holds its upper edge and everything above it, the first bin everything below its lower
edge. Signals without a bin spec (and non-finite values) are not counted.

The accumulator of :class:`SignalHistogramFn` is bounded by (signals × groups × bins), where a
group is ``kept`` or a ``stage/reason``: it never grows with the number of documents.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from typing import Any

import apache_beam as beam

KEPT = "kept"

Accumulator = dict[tuple[str, str], list[int]]


def _steps(start: float, stop: float, step: float) -> tuple[float, ...]:
    n = round((stop - start) / step)
    return tuple(round(start + i * step, 6) for i in range(n + 1))


SHARE_EDGES = _steps(0.0, 1.0, 0.025)
"""Shares, probabilities and scores in [0, 1]: 40 bins of 0.025."""

# fmt: off
EXACT_EDGES: dict[str, tuple[float, ...]] = {
    # Non-whitespace characters: roughly logarithmic bins.
    "chars": (0, 10, 20, 50, 100, 200, 300, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000,
              100_000, 200_000, 500_000, 1_000_000),
    "mean_line_chars": (0, 2, 4, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 500,
                        1000),
    # Shannon entropy of the character distribution in bits.
    "char_entropy": _steps(0.0, 13.0, 0.5),
    "lang_score": SHARE_EDGES,
}
# fmt: on
PREFIX_EDGES: dict[str, tuple[float, ...]] = {
    # Lexicon term occurrences per 1,000 normalised characters.
    "lexicon_": (0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 50, 100),
}
SUFFIX_EDGES: dict[str, tuple[float, ...]] = {"_share": SHARE_EDGES, "_score": SHARE_EDGES}


def edges_for(signal: str) -> tuple[float, ...] | None:
    """The fixed bin edges of ``signal``, or None when it is not histogrammed."""
    if signal in EXACT_EDGES:
        return EXACT_EDGES[signal]
    for prefix, edges in PREFIX_EDGES.items():
        if signal.startswith(prefix):
            return edges
    for suffix, edges in SUFFIX_EDGES.items():
        if signal.endswith(suffix):
            return edges
    return None


def bin_index(edges: tuple[float, ...], value: float) -> int:
    """Index of the bin holding ``value`` (clamped to the first and last bin)."""
    return min(max(bisect_right(edges, value) - 1, 0), len(edges) - 2)


def numeric(value: Any) -> float | None:
    """``value`` as a finite float, or None (bools, strings, NaN, inf are not signals)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


class SignalHistogramFn(beam.CombineFn):
    """``(group, {signal: value})`` elements → ``{signal: {group: [count per bin]}}``."""

    def create_accumulator(self) -> Accumulator:
        return {}

    def add_input(self, acc: Accumulator, element: tuple[str, Mapping[str, Any]]) -> Accumulator:
        group, values = element
        for signal, raw in values.items():
            value = numeric(raw)
            edges = edges_for(signal)
            if value is None or edges is None:
                continue
            counts = acc.get((signal, group))
            if counts is None:
                counts = acc[(signal, group)] = [0] * (len(edges) - 1)
            counts[bin_index(edges, value)] += 1
        return acc

    def merge_accumulators(self, accumulators: Iterable[Accumulator]) -> Accumulator:
        merged: Accumulator = {}
        for acc in accumulators:
            for key, counts in acc.items():
                into = merged.get(key)
                if into is None:
                    merged[key] = list(counts)
                else:
                    for i, n in enumerate(counts):
                        into[i] += n
        return merged

    def extract_output(self, acc: Accumulator) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for signal, group in sorted(acc):
            edges = edges_for(signal)
            entry = out.setdefault(signal, {"edges": list(edges or ()), "counts": {}})
            entry["counts"][group] = acc[(signal, group)]
        return out
