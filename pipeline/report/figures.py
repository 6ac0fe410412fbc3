"""Plotly figures of the report: funnel, drops by reason, signal histograms with thresholds.

Figures are returned as plain dicts (``data`` / ``layout``) ready to be embedded as JSON and
drawn by plotly.js in the page. Text that plotly renders (reason names, blocklist categories)
is HTML-escaped first: plotly interprets a small subset of HTML in labels.
"""

from __future__ import annotations

import html
import itertools
import json
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.utils import PlotlyJSONEncoder

from zhclean.pipeline.report.thresholds import Threshold, thresholds_for

KEPT = "kept"
OTHER = "other drops"
KEPT_COLOR = "#2e8b57"
OTHER_COLOR = "#b0b0b0"
PALETTE = (
    "#d62728", "#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#7f7f7f", "#393b79", "#ad494a", "#637939", "#8c6d31", "#843c39",
)  # fmt: skip
FONT = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
TEMPLATE = "plotly_white"
MAX_REASON_TRACES = 6

SIGNAL_TITLES = {
    "lang_score": "language-ID score of the detected language",
    "chars": "characters (without whitespace)",
    "cjk_share": "Han characters / characters",
    "mean_line_chars": "mean characters per line",
    "terminal_punct_share": "lines ending in terminal punctuation",
    "read_more_share": "lines ending like a teaser (展开, 更多, …)",
    "dup_line_share": "lines repeating an earlier line",
    "dup_line_char_share": "characters in repeated lines",
    "digit_share": "digits / non-punctuation characters",
    "unique_char_share": "distinct / all characters (first 1,000)",
    "char_entropy": "character entropy (bits)",
    "quality_score": "quality classifier score",
}
SIGNAL_ORDER = (
    "lang_score", "chars", "cjk_share", "mean_line_chars", "terminal_punct_share",
    "read_more_share", "dup_line_share", "dup_line_char_share", "digit_share",
    "unique_char_share", "char_entropy",
)  # fmt: skip


def label(text: str) -> str:
    """Text for a plotly label: plotly would otherwise render tags such as ``<a href>``."""
    return html.escape(str(text), quote=False)


def signal_title(signal: str) -> str:
    if signal in SIGNAL_TITLES:
        return SIGNAL_TITLES[signal]
    if signal.startswith("top_"):
        return "characters covered by the most frequent n-gram"
    if signal.startswith("dup_") and signal.endswith("gram_share"):
        return "characters in repeated n-grams"
    if signal.startswith("lexicon_"):
        return "lexicon terms per 1,000 characters"
    return ""


def signal_order(signals: list[str]) -> list[str]:
    rank = {s: i for i, s in enumerate(SIGNAL_ORDER)}
    return sorted(signals, key=lambda s: (rank.get(s, len(rank)), s))


def reason_colors(keys: list[str]) -> dict[str, str]:
    """A stable colour per ``stage/reason`` (the same in every chart of a report)."""
    colors = {KEPT: KEPT_COLOR, OTHER: OTHER_COLOR}
    for i, key in enumerate(sorted(set(keys) - {KEPT})):
        colors[key] = PALETTE[i % len(PALETTE)]
    return colors


def to_dict(fig: go.Figure) -> dict[str, Any]:
    """The figure as plain JSON data, without its (shared) template."""
    data = json.loads(pio.to_json(fig, validate=True))
    data.get("layout", {}).pop("template", None)
    return {"data": data.get("data", []), "layout": data.get("layout", {})}


def template_dict() -> dict[str, Any]:
    template = pio.templates[TEMPLATE].to_plotly_json()
    return json.loads(json.dumps(template, cls=PlotlyJSONEncoder))


def _base_layout(title: str, height: int) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": 14}, "x": 0.01, "xanchor": "left"},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 40},
        "font": {"family": FONT, "size": 12},
    }


def funnel_steps(stats: dict[str, Any]) -> list[tuple[str, int]]:
    """``(step, documents)`` from records read through each stage's output to kept."""
    steps = [("records read", int(stats.get("records_read", 0)))]
    for row in stats.get("funnel", []):
        steps.append((f"after {row['stage']}", int(row.get("out", 0))))
    return steps


def funnel_figure(runs: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Documents left after each stage; one trace per run (two in a comparison)."""
    fig = go.Figure()
    for name, stats in runs:
        steps = funnel_steps(stats)
        fig.add_trace(
            go.Funnel(
                name=label(name),
                y=[label(s) for s, _ in steps],
                x=[n for _, n in steps],
                textinfo="value+percent initial",
                hovertemplate="%{y}: %{x:,} documents (%{percentInitial:.2%} of read)"
                "<extra>%{fullData.name}</extra>",
            )
        )
    layout = _base_layout("Documents left after each stage", 380 if len(runs) == 1 else 460)
    layout["margin"]["l"] = 120
    layout["showlegend"] = len(runs) > 1
    fig.update_layout(**layout)
    return to_dict(fig)


def reasons_figure(stats: dict[str, Any], colors: dict[str, str], top: int = 25) -> dict[str, Any]:
    """Horizontal bars: documents per drop/error reason, largest first."""
    reasons = {**stats.get("dropped", {}), **stats.get("errors", {})}
    ranked = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    ranked.reverse()  # plotly draws the first bar at the bottom
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[label(k) for k, _ in ranked],
            x=[n for _, n in ranked],
            marker={"color": [colors.get(k, OTHER_COLOR) for k, _ in ranked]},
            text=[f"{n:,}" for _, n in ranked],
            textposition="auto",
            hovertemplate="%{y}: %{x:,} documents<extra></extra>",
        )
    )
    layout = _base_layout("Documents per drop reason", max(200, 60 + 24 * len(ranked)))
    layout["margin"]["l"] = 230
    fig.update_layout(**layout)
    return to_dict(fig)


def _uniform(edges: list[float]) -> bool:
    widths = [b - a for a, b in itertools.pairwise(edges)]
    return bool(widths) and max(widths) - min(widths) <= 1e-9 * max(1.0, abs(max(widths)))


def _fmt_edge(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() and abs(value) >= 1 else f"{value:g}"


def _position(edges: list[float], value: float) -> float:
    """Where ``value`` falls on a bin-index axis (bin i spans [i, i+1])."""
    if value <= edges[0]:
        return 0.0
    for i in range(len(edges) - 1):
        lo, hi = edges[i], edges[i + 1]
        if value < hi:
            return i + (value - lo) / (hi - lo)
    return float(len(edges) - 1)


def _groups(counts: dict[str, list[int]], top: int) -> list[tuple[str, list[int]]]:
    """``kept`` first, then the largest drop reasons, the rest summed as ``other drops``."""
    out = [(KEPT, counts[KEPT])] if KEPT in counts else []
    drops = sorted(
        ((k, v) for k, v in counts.items() if k != KEPT), key=lambda kv: (-sum(kv[1]), kv[0])
    )
    out.extend(drops[:top])
    rest = drops[top:]
    if rest:
        out.append((OTHER, [sum(col) for col in zip(*(v for _, v in rest), strict=True)]))
    return out


def histogram_figure(
    signal: str,
    hist: dict[str, Any],
    config: dict[str, Any],
    colors: dict[str, str],
    top: int = MAX_REASON_TRACES,
) -> dict[str, Any]:
    """Stacked histogram of one signal (kept and per drop reason) with its thresholds."""
    edges = [float(e) for e in hist["edges"]]
    counts: dict[str, list[int]] = hist["counts"]
    uniform = _uniform(edges)
    n = len(edges) - 1
    if uniform:
        x = [(edges[i] + edges[i + 1]) / 2 for i in range(n)]
        width = edges[1] - edges[0]
    else:
        x = [i + 0.5 for i in range(n)]
        width = 1.0
    last = n - 1
    bins = [
        f"[{_fmt_edge(edges[i])}, {_fmt_edge(edges[i + 1])}{']+' if i == last else ')'}"
        for i in range(n)
    ]
    fig = go.Figure()
    for group, values in _groups(counts, top):
        fig.add_trace(
            go.Bar(
                name=label(group),
                x=x,
                y=values,
                width=width,
                customdata=bins,
                marker={"color": colors.get(group, OTHER_COLOR), "line": {"width": 0}},
                hovertemplate="%{customdata}: %{y:,}<extra>%{fullData.name}</extra>",
            )
        )
    kept_total = sum(counts.get(KEPT, []))
    dropped_total = sum(sum(v) for k, v in counts.items() if k != KEPT)
    title = f"<b>{label(signal)}</b>"
    if signal_title(signal):
        title += f" — {label(signal_title(signal))}"
    layout = _base_layout(title, 320)
    layout.update(
        barmode="stack",
        bargap=0.0,
        legend={"orientation": "h", "y": -0.22, "font": {"size": 10}},
        margin={"l": 55, "r": 15, "t": 40, "b": 70},
        yaxis={"title": {"text": "documents"}, "rangemode": "tozero"},
    )
    if uniform:
        layout["xaxis"] = {"range": [edges[0], edges[-1]]}
    else:
        step = max(1, -(-n // 8))  # at most ~9 tick labels
        ticks = list(range(0, n + 1, step))
        layout["xaxis"] = {
            "range": [0, n],
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [_fmt_edge(edges[i]) for i in ticks],
        }
    shapes, annotations = [], []
    for t in thresholds_for(signal, config):
        pos = t.value if uniform else _position(edges, t.value)
        shapes.append(_threshold_line(pos))
        annotations.append(_threshold_note(pos, t))
    layout["shapes"] = shapes
    layout["annotations"] = annotations
    layout["meta"] = {"kept": kept_total, "dropped": dropped_total}
    fig.update_layout(**layout)
    return to_dict(fig)


def _threshold_line(x: float) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": "#c00000", "width": 2, "dash": "dash"},
    }


def _threshold_note(x: float, t: Threshold) -> dict[str, Any]:
    return {
        "x": x,
        "xref": "x",
        "y": 1.0,
        "yref": "paper",
        "yanchor": "bottom",
        "xanchor": "left" if t.bound == "min" else "right",
        "text": label(f"{t.bound} {t.value:g}"),
        "hovertext": label(t.key),
        "showarrow": False,
        "font": {"color": "#c00000", "size": 11},
    }
