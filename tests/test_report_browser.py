"""The report in a real browser (headless Chromium): renders without console errors, hostile
samples stay inert text, and every number shown equals stats.json. Screenshots are saved in the
test's tmp folder. ``make test`` installs Chromium when it is missing (``make browser``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser_cdp import Browser, find_chromium
from tests.report_fixtures import HOSTILE_ERROR, HOSTILE_TEXT, STRICTER, cached_run
from zhclean.pipeline.report import write_compare, write_report
from zhclean.pipeline.report.render import totals

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium missing: run `make browser`")


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("report_browser")
    a, b = base / "a", base / "b"
    cached_run(str(a))  # every hostile document is sampled (20 per reason)
    cached_run(str(b), n=45, seed=3, config=STRICTER, samples_per_reason=2)
    write_report(str(a))
    write_compare(str(a), str(b))
    return a, b


@pytest.fixture(scope="module")
def browser():
    with Browser(CHROMIUM) as b:
        yield b


def _stats(out: Path) -> dict:
    return json.loads((out / "stats" / "stats.json").read_text("utf-8"))


def _number(cell: str) -> int:
    return int(cell.replace(",", "").strip())


def _open(browser: Browser, path: Path):
    page = browser.open(path.as_uri())
    page.wait_for("document.readyState === 'complete'")
    drawn = page.wait_for("document.body.getAttribute('data-charts-drawn')", timeout=30)
    figures = page.eval(
        "Object.keys(JSON.parse(document.getElementById('zhclean-data').textContent).figures).length"
    )
    assert int(drawn) == figures > 0
    return page


def assert_numbers_match(page, stats: dict) -> None:
    """Every number the report shows (cards, tables, chart data, threshold lines) equals
    stats.json. Also usable on a real run's report (see docs/report.md)."""
    # summary cards
    cards = page.eval(
        "Object.fromEntries(Array.from(document.querySelectorAll('.card'),"
        " c => [c.dataset.stat, c.querySelector('.num').textContent]))"
    )
    assert {k: _number(v) for k, v in cards.items()} == totals(stats)
    assert page.eval("document.querySelector('[data-check=invariant]').className") == "check ok"

    # reasons table: counts and shares
    rows = page.eval(
        "Array.from(document.querySelectorAll('table.reasons tr[data-reason]'), r =>"
        " [r.dataset.reason, r.querySelector('.count').textContent,"
        "  r.querySelector('.share-read').textContent])"
    )
    reasons = {**stats["dropped"], **stats["errors"]}
    stage_in = {f["stage"]: f["in"] for f in stats["funnel"]}
    per_stage = page.eval(
        "Object.fromEntries(Array.from(document.querySelectorAll('table.reasons tr[data-reason]'),"
        " r => [r.dataset.reason, (r.querySelector('.share-stage') || {}).textContent]))"
    )
    for key, n in reasons.items():
        stage = key.split("/", 1)[0]
        assert per_stage[key] == f"{100 * n / stage_in[stage]:.2f}%", key
    shown_reasons = {k: (_number(n), share) for k, n, share in rows if k != "total"}
    assert {k: n for k, (n, _) in shown_reasons.items()} == reasons
    for key, (n, share) in shown_reasons.items():
        assert share == f"{100 * n / stats['records_read']:.2f}%", key
    assert _number(dict((k, n) for k, n, _ in rows)["total"]) == sum(reasons.values())

    # blocklist categories (one is hostile HTML, shown as text)
    cats = page.eval(
        "Array.from(document.querySelectorAll('table.categories tr[data-key]'), r =>"
        " [r.dataset.key, r.querySelector('.count').textContent])"
    )
    assert {k: _number(n) for k, n in cats} == stats["blocklist_categories"]

    # funnel table and chart
    funnel = page.eval(
        "Array.from(document.querySelectorAll('table.funnel tr[data-stage]'), r =>"
        " [r.dataset.stage, r.querySelector('[data-col=in]').textContent,"
        "  r.querySelector('[data-col=out]').textContent])"
    )
    assert [(s, _number(i), _number(o)) for s, i, o in funnel] == [
        (f["stage"], f["in"], f["out"]) for f in stats["funnel"]
    ]
    losses = page.eval(
        "Array.from(document.querySelectorAll('table.funnel tr[data-stage]'), r =>"
        " [r.dataset.stage, r.querySelector('[data-col=dropped]').textContent,"
        "  r.querySelector('[data-col=errors]').textContent, r.lastElementChild.textContent])"
    )
    for stage, dropped, errors, check in losses:
        assert _number(dropped) == sum(
            n for k, n in stats["dropped"].items() if k.startswith(stage + "/")
        )
        assert _number(errors) == sum(
            n for k, n in stats["errors"].items() if k.startswith(stage + "/")
        )
        assert check == "✓", stage
    # sample sections: "N samples of M documents" with M from stats.json
    summaries = page.eval(
        "Array.from(document.querySelectorAll('#samples details.reason'), d =>"
        " [d.dataset.reason, d.querySelector('summary').textContent])"
    )
    for key, summary in summaries:
        m = reasons[key]
        assert summary.endswith(f" of {m:,} document{'' if m == 1 else 's'}"), summary
    chart = page.eval("document.getElementById('fig-funnel').data[0].x")
    assert chart == [stats["records_read"], *(f["out"] for f in stats["funnel"])]
    bars = page.eval("document.getElementById('fig-reasons').data[0]")
    assert sum(bars["x"]) == sum(reasons.values())

    # histograms: drawn bars add up to stats.json, thresholds at the configured values
    charts = page.eval(
        "Array.from(document.querySelectorAll('.chart[data-signal]'), d => [d.dataset.signal,"
        " d.data.map(t => [t.name, Array.from(t.y)]),"
        " (d.layout.shapes || []).map(s => s.x0)])"
    )
    assert {signal for signal, _, _ in charts} == set(stats["histograms"])
    for signal, traces, lines in charts:
        counts = stats["histograms"][signal]["counts"]
        total = [sum(col) for col in zip(*counts.values(), strict=True)]
        assert [sum(col) for col in zip(*(y for _, y in traces), strict=True)] == total, signal
        if "kept" in counts:
            assert dict(traces)["kept"] == counts["kept"], signal
        if signal == "lang_score":
            assert lines == [stats["config"]["language"]["min_score"]]
        if signal == "cjk_share":
            assert lines == [stats["config"]["quality"]["min_cjk_share"]]


def test_report_renders_inert_and_shows_the_stats(runs, browser, tmp_path):
    out, _ = runs
    stats = _stats(out)
    page = _open(browser, out / "stats" / "report.html")
    page.eval("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.screenshot(str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "report.png").stat().st_size > 20_000

    assert page.problems() == []
    # after the resize to full height, every chart still fits its box (no overlap)
    overflow = page.eval(
        "Array.from(document.querySelectorAll('.chart'), d => [d.id,"
        " d.querySelector('.svg-container').getBoundingClientRect().height"
        " - d.getBoundingClientRect().height]).filter(x => Math.abs(x[1]) > 1)"
    )
    assert overflow == []
    # hostile samples: nothing ran, nothing was injected, the text is shown as text
    assert page.eval("typeof window.__pwned") == "undefined"
    assert page.eval("document.scripts.length") == 3
    assert page.eval("document.querySelectorAll('main img, main iframe, main style').length") == 0
    hrefs = page.eval(
        "Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))"
    )
    assert hrefs and all(h.startswith(("#", "https://", "http://")) for h in hrefs)
    excerpts = page.eval("Array.from(document.querySelectorAll('.excerpt'), e => e.textContent)")
    shown = HOSTILE_TEXT.replace("\u202e", "⟨U+202E⟩")
    assert shown in excerpts
    assert page.eval("document.body.textContent.includes(\"javascript:window.__pwned='url'\")")

    assert_numbers_match(page, stats)
    # plotly shows label text, not markup: the hostile reason name is drawn as text
    drawn = page.eval("document.getElementById('fig-reasons').textContent")
    assert f"language/{HOSTILE_ERROR}" in drawn


def test_compare_report_shows_both_runs(runs, browser, tmp_path):
    a, b = runs
    sa, sb = _stats(a), _stats(b)
    page = _open(browser, a / "stats" / "compare.html")
    page.screenshot(str(tmp_path / "compare.png"), full_page=False)
    assert page.problems() == []
    assert page.eval("typeof window.__pwned") == "undefined"
    rows = page.eval(
        "Array.from(document.querySelectorAll('table.totals tr[data-stat]'), r =>"
        " [r.dataset.stat, r.querySelector('.a').textContent, r.querySelector('.b').textContent])"
    )
    ta, tb = totals(sa), totals(sb)
    assert {k: (_number(x), _number(y)) for k, x, y in rows} == {k: (ta[k], tb[k]) for k in ta}
    diff = page.eval(
        "Array.from(document.querySelectorAll('table.config-diff tr[data-key]'),"
        " r => r.dataset.key)"
    )
    assert {"quality.min_chars", "language.min_score", "output.samples_per_reason"} >= set(diff)
    assert {"quality.min_chars", "language.min_score"} <= set(diff)
    funnel = page.eval("document.getElementById('fig-funnel').data.map(t => t.x)")
    assert funnel == [[s["records_read"], *(f["out"] for f in s["funnel"])] for s in (sa, sb)]
