"""The audit report of one run (``OUT/stats/report.html``) and the comparison of two runs."""

from __future__ import annotations

import json
import logging
from typing import Any

from zhclean.pipeline.report import figures
from zhclean.pipeline.report.data import COMPARE, REPORT, RunData, load_run, write_text
from zhclean.pipeline.report.page import (
    attr,
    document,
    fmt_int,
    fmt_num,
    fmt_pct,
    link,
    table,
    text,
)
from zhclean.transforms.write import out_path

NUM = "num"

_LOG = logging.getLogger(__name__)


# ---------------------------------------------------------------- numbers derived from stats
def reasons_of(stats: dict[str, Any]) -> dict[str, int]:
    return {**stats.get("dropped", {}), **stats.get("errors", {})}


def stage_order(stats_list: list[dict[str, Any]]) -> list[str]:
    order: list[str] = []
    for stats in stats_list:
        for row in stats.get("funnel", []):
            if row["stage"] not in order:
                order.append(row["stage"])
        for key in reasons_of(stats):
            stage = key.split("/", 1)[0]
            if stage not in order:
                order.append(stage)
    return order


def ordered_reasons(stats_list: list[dict[str, Any]]) -> list[str]:
    """Reason keys by stage (graph order), then by count (largest first), then name."""
    stages = {s: i for i, s in enumerate(stage_order(stats_list))}
    counts: dict[str, int] = {}
    for stats in stats_list:
        for key, n in reasons_of(stats).items():
            counts[key] = counts.get(key, 0) + n
    return sorted(counts, key=lambda k: (stages.get(k.split("/", 1)[0], 99), -counts[k], k))


def totals(stats: dict[str, Any]) -> dict[str, int]:
    return {
        "records_read": int(stats.get("records_read", 0)),
        "kept": int(stats.get("kept", 0)),
        "dropped": sum(stats.get("dropped", {}).values()),
        "errors": sum(stats.get("errors", {}).values()),
        "skipped_records": sum(stats.get("skipped_records", {}).values()),
    }


def stage_inputs(stats: dict[str, Any]) -> dict[str, int]:
    return {row["stage"]: int(row.get("in", 0)) for row in stats.get("funnel", [])}


def stage_losses(stats: dict[str, Any], stage: str) -> tuple[int, int]:
    dropped = sum(n for k, n in stats.get("dropped", {}).items() if k.split("/", 1)[0] == stage)
    errors = sum(n for k, n in stats.get("errors", {}).items() if k.split("/", 1)[0] == stage)
    return dropped, errors


# ---------------------------------------------------------------- sections of one run
def _cards(stats: dict[str, Any]) -> str:
    t = totals(stats)
    read = t["records_read"]
    cards = [
        ("records_read", "records read", ""),
        ("kept", "kept", fmt_pct(t["kept"], read)),
        ("dropped", "dropped", fmt_pct(t["dropped"], read)),
        ("errors", "errors", fmt_pct(t["errors"], read)),
        ("skipped_records", "non-capture records skipped", "not counted as read"),
    ]
    html_cards = "".join(
        f'<div class="card" data-stat="{key}"><div class="num">{fmt_int(t[key])}</div>'
        f'<div class="lbl">{text(lbl)}</div><div class="share">{text(share)}</div></div>'
        for key, lbl, share in cards
    )
    balance = t["kept"] + t["dropped"] + t["errors"]
    ok = balance == read
    check = (
        f'<div class="check {"ok" if ok else "bad"}" data-check="invariant">'
        f"records read {fmt_int(read)} {'=' if ok else '≠'} kept {fmt_int(t['kept'])} + "
        f"dropped {fmt_int(t['dropped'])} + errors {fmt_int(t['errors'])}"
        f"{' ✓' if ok else f' = {fmt_int(balance)} ✗'}</div>"
    )
    return f'<div class="cards">{html_cards}</div>{check}'


def _funnel_table(stats: dict[str, Any]) -> str:
    rows = []
    read = int(stats.get("records_read", 0))
    for row in stats.get("funnel", []):
        stage, n_in, n_out = row["stage"], int(row.get("in", 0)), int(row.get("out", 0))
        dropped, errors = stage_losses(stats, stage)
        ok = n_in - n_out == dropped + errors
        rows.append(
            f'<tr data-stage="{attr(stage)}"><td>{text(stage)}</td>'
            f'<td class="num" data-col="in">{fmt_int(n_in)}</td>'
            f'<td class="num" data-col="out">{fmt_int(n_out)}</td>'
            f'<td class="num" data-col="dropped">{fmt_int(dropped)}</td>'
            f'<td class="num" data-col="errors">{fmt_int(errors)}</td>'
            f'<td class="num">{fmt_pct(n_out, read)}</td>'
            f'<td class="{"ok" if ok else "bad"}">{"✓" if ok else "in − out ≠ dropped + errors"}'
            "</td></tr>"
        )
    headers = [
        ("stage", ""),
        ("in", NUM),
        ("out", NUM),
        ("dropped", NUM),
        ("errors", NUM),
        ("out / records read", NUM),
        ("check", ""),
    ]
    return table(headers, rows, "funnel")


def _plural(n: int, noun: str) -> str:
    return f"{fmt_int(n)} {noun}{'' if n == 1 else 's'}"


def _sample_counts(samples: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in samples:
        key = str(s.get("stage_reason", ""))
        counts[key] = counts.get(key, 0) + 1
    return counts


def _reasons_table(run: RunData, anchors: dict[str, str], colors: dict[str, str]) -> str:
    stats = run.stats
    reasons = reasons_of(stats)
    read = int(stats.get("records_read", 0))
    inputs = stage_inputs(stats)
    sampled = _sample_counts(run.samples)
    rows = []
    for key in ordered_reasons([stats]):
        n = reasons[key]
        stage, _, reason = key.partition("/")
        kind = "error" if reason.startswith("error:") else "drop"
        n_samples = sampled.get(key, 0)
        samples = (
            f'<a href="#{anchors[key]}">{_plural(n_samples, "sample")}</a>'
            if n_samples and key in anchors
            else "—"
        )
        swatch = f'<span class="swatch" style="background:{colors.get(key, "#999")}"></span>'
        rows.append(
            f'<tr data-reason="{attr(key)}"><td>{swatch}{text(stage)}</td><td>{text(reason)}</td>'
            f'<td>{kind}</td><td class="num count">{fmt_int(n)}</td>'
            f'<td class="num share-read">{fmt_pct(n, read)}</td>'
            f'<td class="num share-stage">{fmt_pct(n, inputs.get(stage, 0))}</td>'
            f"<td>{samples}</td></tr>"
        )
    total = sum(reasons.values())
    rows.append(
        f'<tr class="total" data-reason="total"><td colspan="3">all drops and errors</td>'
        f'<td class="num count">{fmt_int(total)}</td>'
        f'<td class="num share-read">{fmt_pct(total, read)}</td><td></td><td></td></tr>'
    )
    headers = [
        ("stage", ""),
        ("reason", ""),
        ("kind", ""),
        ("documents", NUM),
        ("% of records read", NUM),
        ("% of stage input", NUM),
        ("samples", ""),
    ]
    return table(headers, rows, "reasons")


def _count_table(counts: dict[str, int], first: str, cls: str) -> str:
    total = sum(counts.values())
    rows = [
        f'<tr data-key="{attr(k)}"><td>{text(k)}</td><td class="num count">{fmt_int(n)}</td>'
        f'<td class="num">{fmt_pct(n, total)}</td></tr>'
        for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return table([(first, ""), ("documents", NUM), ("share", NUM)], rows, cls)


def _signals(signals: Any) -> str:
    if not isinstance(signals, dict) or not signals:
        return ""
    chips = "".join(
        f'<span class="sig">{text(k)} <b>{fmt_num(v)}</b></span>'
        for k, v in sorted(signals.items())
    )
    return f'<div class="signals">{chips}</div>'


def sample_html(sample: dict[str, Any]) -> str:
    """One sampled document; every field escaped (the text comes from hostile pages)."""
    excerpt = str(sample.get("text_excerpt") or "")
    meta = [f'<div class="meta"><span class="k">url</span> {link(sample.get("url"))}</div>']
    meta.append(
        f'<div class="meta"><span class="k">id</span> <code>{text(sample.get("id"))}</code>'
    )
    for key in ("lang", "lang_score", "script", "dup_cluster_size"):
        if sample.get(key) is not None:
            meta.append(f" · {key} <b>{fmt_num(sample[key])}</b>")
    meta.append("</div>")
    if sample.get("detail"):
        meta.append(
            f'<div class="meta"><span class="k">detail</span> {text(sample["detail"])}</div>'
        )
    body = (
        f'<div class="excerpt" lang="zh">{text(excerpt)}</div>'
        if excerpt
        else '<div class="excerpt empty">(no text)</div>'
    )
    signals = _signals(sample.get("signals"))
    return f'<article class="sample">{"".join(meta)}{signals}{body}</article>'


def _samples_of(samples: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    chosen = [s for s in samples if s.get("stage_reason") == key]
    return sorted(chosen, key=lambda s: (str(s.get("sample_hash", "")), str(s.get("id", ""))))


def _samples_section(run: RunData, anchors: dict[str, str]) -> str:
    reasons = reasons_of(run.stats)
    parts = []
    for key in ordered_reasons([run.stats]):
        chosen = _samples_of(run.samples, key)
        if not chosen:
            continue
        parts.append(
            f'<details class="reason" id="{anchors[key]}" data-reason="{attr(key)}"><summary>'
            f'{text(key)} <span class="muted">— {_plural(len(chosen), "sample")} of '
            f"{_plural(reasons.get(key, 0), 'document')}</span></summary>"
            f"{''.join(sample_html(s) for s in chosen)}</details>"
        )
    if not parts:
        return '<p class="note">No samples (nothing was dropped, or samples_per_reason is 0).</p>'
    return "".join(parts)


def _kept_section(run: RunData) -> str:
    kept = sorted(run.kept_samples, key=lambda s: (str(s.get("sample_hash", "")), str(s.get("id"))))
    if not kept:
        return '<p class="note">No kept samples.</p>'
    return (
        f'<details class="reason" data-reason="kept"><summary>kept <span class="muted">— '
        f"{_plural(len(kept), 'sample')} of {_plural(run.stats.get('kept', 0), 'document')}"
        "</span></summary>"
        f"{''.join(sample_html(s) for s in kept)}</details>"
    )


# stats.json keys shown by other sections (anything else appears in the "Run" table)
REPORTED_ELSEWHERE = (
    "records_read", "kept", "dropped", "errors", "blocklist_categories", "skipped_records",
    "funnel", "started_at", "finished_at", "runner", "command", "config_sha256",
)  # fmt: skip


def _run_section(stats: dict[str, Any]) -> str:
    fields = [
        ("started", stats.get("started_at")),
        ("finished", stats.get("finished_at")),
        ("runner", stats.get("runner")),
        ("command", stats.get("command")),
        ("config sha256", stats.get("config_sha256")),
    ]
    shown = {"config", "versions", "inputs", "histograms", *REPORTED_ELSEWHERE}
    fields += [(k, json.dumps(v, ensure_ascii=False)) for k, v in stats.items() if k not in shown]
    info = "".join(
        f"<tr><th>{text(k)}</th><td><code>{text(v)}</code></td></tr>"
        for k, v in fields
        if v is not None
    )
    inputs = stats.get("inputs", [])
    inputs = [i if isinstance(i, dict) else {"path": i} for i in inputs]
    input_rows = [
        f"<tr><td><code>{text(i.get('path'))}</code></td>"
        f'<td class="num">{fmt_int(i.get("size_bytes") or 0)}</td></tr>'
        for i in inputs
    ]
    total_bytes = sum(int(i.get("size_bytes") or 0) for i in inputs)
    versions = "".join(
        f"<tr><td>{text(k)}</td><td><code>{text(v)}</code></td></tr>"
        for k, v in sorted(stats.get("versions", {}).items())
    )
    config = json.dumps(stats.get("config", {}), indent=2, ensure_ascii=False)
    return (
        f"<table>{info}</table>"
        f"<h3>Inputs ({len(inputs)} files, {fmt_int(total_bytes)} bytes)</h3>"
        f"{table([('path', ''), ('bytes', NUM)], input_rows)}"
        f"<h3>Package versions</h3><table>{versions}</table>"
        f'<details><summary>Configuration</summary><pre class="config">{text(config)}</pre>'
        "</details>"
    )


HISTOGRAM_NOTE = (
    "Fixed bins per signal, counted exactly over all documents. Bars are stacked: kept "
    "documents and documents dropped for each reason (the largest reasons; the rest as "
    "“other drops”). A document dropped before a signal was measured has no value for it. "
    "Dashed red lines are the configured thresholds. The first and last bins also hold "
    "values below/above the axis."
)


def _nav(items: list[tuple[str, str]]) -> str:
    return "".join(f'<a href="#{a}">{text(t)}</a>' for a, t in items)


def _section(anchor: str, title: str, content: str, note: str = "") -> str:
    note_html = f'<p class="note">{text(note)}</p>' if note else ""
    return f'<section id="{anchor}"><h2>{text(title)}</h2>{note_html}{content}</section>'


def render_run(run: RunData) -> str:
    """The self-contained HTML report of one run."""
    stats = run.stats
    keys = ordered_reasons([stats])
    colors = figures.reason_colors(keys)
    anchors = {k: f"samples-{i}" for i, k in enumerate(keys)}
    figs: dict[str, Any] = {
        "fig-funnel": figures.funnel_figure([(run.output, stats)]),
    }
    if keys:
        figs["fig-reasons"] = figures.reasons_figure(stats, colors)
    hist = stats.get("histograms", {})
    hist_divs = []
    for i, signal in enumerate(figures.signal_order(list(hist))):
        div = f"fig-hist-{i}"
        figs[div] = figures.histogram_figure(signal, hist[signal], stats.get("config", {}), colors)
        hist_divs.append(f'<div class="chart" id="{div}" data-signal="{attr(signal)}"></div>')
    reasons_html = '<div class="chart" id="fig-reasons"></div>' if keys else ""
    reasons_html += _reasons_table(run, anchors, colors)
    if stats.get("blocklist_categories"):
        reasons_html += "<h3>Blocklist drops per category</h3>" + _count_table(
            stats["blocklist_categories"], "category", "categories"
        )
    if stats.get("skipped_records"):
        reasons_html += "<h3>Non-capture records skipped (not counted as read)</h3>" + _count_table(
            stats["skipped_records"], "WARC record type", "skipped"
        )
    body = "".join(
        [
            _section("summary", "Summary", _cards(stats)),
            _section(
                "funnel",
                "Funnel",
                '<div class="chart" id="fig-funnel"></div>' + _funnel_table(stats),
            ),
            _section("reasons", "Drop reasons", reasons_html),
            _section(
                "signals",
                "Signal distributions",
                f'<div class="grid">{"".join(hist_divs)}</div>'
                if hist_divs
                else '<p class="note">No histograms in stats.json.</p>',
                HISTOGRAM_NOTE if hist_divs else "",
            ),
            _section(
                "samples",
                "Samples of dropped documents",
                _samples_section(run, anchors),
                "Up to K documents per reason, chosen by the xxh64 hash of their id (the same on "
                "every rerun). Text is shown as found; control characters appear as ⟨U+XXXX⟩.",
            ),
            _section("kept-samples", "Samples of kept documents", _kept_section(run)),
            _section("run", "Run", _run_section(stats)),
        ]
    )
    nav = _nav(
        [
            ("summary", "Summary"),
            ("funnel", "Funnel"),
            ("reasons", "Reasons"),
            ("signals", "Signals"),
            ("samples", "Samples"),
            ("kept-samples", "Kept"),
            ("run", "Run"),
        ]
    )
    sha = str(stats.get("config_sha256", ""))[:12]
    subtitle = (
        f"{text(run.output)} · finished {text(stats.get('finished_at', '?'))} · runner "
        f"{text(stats.get('runner', '?'))} · config {text(sha)}"
    )
    return document(
        title=f"zhclean report — {run.output}",
        heading="zhclean audit report",
        subtitle=subtitle,
        nav=nav,
        body=body,
        data={"figures": figs, "template": figures.template_dict()},
    )


# ---------------------------------------------------------------- comparison of two runs
def flatten(config: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(config, dict):
        out: dict[str, Any] = {}
        for k, v in config.items():
            out.update(flatten(v, f"{prefix}{k}."))
        return out
    return {prefix.rstrip("."): config}


def _config_diff(a: dict[str, Any], b: dict[str, Any]) -> str:
    fa, fb = flatten(a.get("config", {})), flatten(b.get("config", {}))
    rows = [
        f'<tr data-key="{attr(k)}"><td><code>{text(k)}</code></td>'
        f"<td>{text(json.dumps(fa.get(k), ensure_ascii=False))}</td>"
        f"<td>{text(json.dumps(fb.get(k), ensure_ascii=False))}</td></tr>"
        for k in sorted(set(fa) | set(fb))
        if fa.get(k) != fb.get(k)
    ]
    if not rows:
        return '<p class="note">The two runs used the same configuration.</p>'
    return table([("config key", ""), ("A", ""), ("B", "")], rows, "config-diff")


def _delta(a: int, b: int) -> str:
    return f"{b - a:+,}"


def _compare_totals(a: dict[str, Any], b: dict[str, Any]) -> str:
    ta, tb = totals(a), totals(b)
    rows = []
    for key in ("records_read", "kept", "dropped", "errors", "skipped_records"):
        share = key != "skipped_records"  # skipped records are not part of records read
        rows.append(
            f'<tr data-stat="{key}"><td>{text(key)}</td>'
            f'<td class="num a">{fmt_int(ta[key])}</td>'
            f'<td class="num">{fmt_pct(ta[key], ta["records_read"]) if share else ""}</td>'
            f'<td class="num b">{fmt_int(tb[key])}</td>'
            f'<td class="num">{fmt_pct(tb[key], tb["records_read"]) if share else ""}</td>'
            f'<td class="num">{_delta(ta[key], tb[key])}</td></tr>'
        )
    headers = [("", ""), ("A", NUM), ("A %", NUM), ("B", NUM), ("B %", NUM), ("B − A", NUM)]
    return table(headers, rows, "totals")


def _compare_reasons(a: dict[str, Any], b: dict[str, Any], colors: dict[str, str]) -> str:
    ra, rb = reasons_of(a), reasons_of(b)
    rows = []
    for key in ordered_reasons([a, b]):
        na, nb = ra.get(key, 0), rb.get(key, 0)
        swatch = f'<span class="swatch" style="background:{colors.get(key, "#999")}"></span>'
        rows.append(
            f'<tr data-reason="{attr(key)}"><td>{swatch}{text(key)}</td>'
            f'<td class="num a">{fmt_int(na)}</td>'
            f'<td class="num">{fmt_pct(na, a.get("records_read", 0))}</td>'
            f'<td class="num b">{fmt_int(nb)}</td>'
            f'<td class="num">{fmt_pct(nb, b.get("records_read", 0))}</td>'
            f'<td class="num">{_delta(na, nb)}</td></tr>'
        )
    headers = [
        ("stage/reason", ""),
        ("A", NUM),
        ("A % of read", NUM),
        ("B", NUM),
        ("B % of read", NUM),
        ("B − A", NUM),
    ]
    return table(headers, rows, "reasons")


def render_compare(a: RunData, b: RunData) -> str:
    """Two runs side by side (e.g. before and after a threshold change)."""
    keys = ordered_reasons([a.stats, b.stats])
    colors = figures.reason_colors(keys)
    figs: dict[str, Any] = {
        "fig-funnel": figures.funnel_figure([("A", a.stats), ("B", b.stats)]),
    }
    hist_a, hist_b = a.stats.get("histograms", {}), b.stats.get("histograms", {})
    rows = []
    for i, signal in enumerate(figures.signal_order(sorted(set(hist_a) | set(hist_b)))):
        cells = []
        for side, run, hist in (("a", a, hist_a), ("b", b, hist_b)):
            div = f"fig-hist-{i}{side}"
            if signal in hist:
                figs[div] = figures.histogram_figure(
                    signal, hist[signal], run.stats.get("config", {}), colors
                )
                cells.append(f'<div class="chart" id="{div}" data-signal="{attr(signal)}"></div>')
            else:
                cells.append(f'<p class="note">{text(signal)}: not in this run.</p>')
        rows.append(f'<div class="pair">{"".join(cells)}</div>')
    sample_parts = []
    for key in keys:
        sa, sb = _samples_of(a.samples, key), _samples_of(b.samples, key)
        if not sa and not sb:
            continue
        sample_parts.append(
            f'<details class="reason" data-reason="{attr(key)}"><summary>{text(key)}</summary>'
            '<div class="cols">'
            f"<div><h4>A ({len(sa)})</h4>{''.join(sample_html(s) for s in sa)}</div>"
            f"<div><h4>B ({len(sb)})</h4>{''.join(sample_html(s) for s in sb)}</div>"
            "</div></details>"
        )
    runs = table(
        [("", ""), ("output", ""), ("finished", ""), ("config sha256", "")],
        [
            f"<tr><th>{side}</th><td><code>{text(r.output)}</code></td>"
            f"<td>{text(r.stats.get('finished_at', ''))}</td>"
            f"<td><code>{text(str(r.stats.get('config_sha256', ''))[:12])}</code></td></tr>"
            for side, r in (("A", a), ("B", b))
        ],
    )
    body = "".join(
        [
            _section("summary", "Runs", runs + _compare_totals(a.stats, b.stats)),
            _section("config", "Configuration differences", _config_diff(a.stats, b.stats)),
            _section("funnel", "Funnel", '<div class="chart" id="fig-funnel"></div>'),
            _section("reasons", "Drop reasons", _compare_reasons(a.stats, b.stats, colors)),
            _section(
                "signals",
                "Signal distributions (A left, B right)",
                "".join(rows) or '<p class="note">No histograms.</p>',
                HISTOGRAM_NOTE,
            ),
            _section(
                "samples",
                "Samples per reason (A left, B right)",
                "".join(sample_parts) or '<p class="note">No samples.</p>',
            ),
        ]
    )
    nav = _nav(
        [
            ("summary", "Runs"),
            ("config", "Config"),
            ("funnel", "Funnel"),
            ("reasons", "Reasons"),
            ("signals", "Signals"),
            ("samples", "Samples"),
        ]
    )
    return document(
        title=f"zhclean comparison — {a.output} vs {b.output}",
        heading="zhclean run comparison",
        subtitle=f"A: {text(a.output)} · B: {text(b.output)}",
        nav=nav,
        body=body,
        data={"figures": figs, "template": figures.template_dict()},
    )


# ---------------------------------------------------------------- entry points
def write_report(output: str, html_path: str | None = None) -> str:
    """Render ``OUT/stats/report.html`` (or ``html_path``) from the run's stats and samples."""
    run = load_run(output)
    path = html_path or out_path(run.output, *REPORT)
    write_text(path, render_run(run))
    return path


def write_compare(output: str, other: str, html_path: str | None = None) -> str:
    """Render the comparison of run ``output`` (A) with ``other`` (B); default
    ``OUT/stats/compare.html``."""
    a, b = load_run(output), load_run(other)
    path = html_path or out_path(a.output, *COMPARE)
    write_text(path, render_compare(a, b))
    return path


def render_report(output: str) -> int:
    """After ``zhclean run``: render the report; a failure leaves the run's data intact and
    returns exit code 1 (re-render with ``zhclean report OUT``)."""
    try:
        path = write_report(output)
    except Exception:
        _LOG.exception(
            "could not render the report of %s (rerun: zhclean report %s)", output, output
        )
        return 1
    _LOG.info("report: %s", path)
    return 0
