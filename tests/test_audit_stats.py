"""The audit: exact counts, histograms and deterministic samples from the real Audit transform."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tests.report_fixtures import (
    HOSTILE_CATEGORY,
    HOSTILE_ERROR,
    HOSTILE_SIGNAL,
    STAGES,
    audited_run,
    make_fates,
)
from zhclean.transforms.audit import sample_key
from zhclean.transforms.histograms import SHARE_EDGES, SignalHistogramFn, bin_index, edges_for

CONTRACT_KEYS = {
    "records_read", "kept", "dropped", "errors", "funnel", "config", "config_sha256",
    "versions", "inputs",
}  # fmt: skip


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, dict, object]:
    out = tmp_path_factory.mktemp("audit") / "out"
    fates = make_fates()
    audited_run(str(out), fates)
    stats = json.loads((out / "stats" / "stats.json").read_text("utf-8"))
    return out, stats, fates


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


# ---------------------------------------------------------------- histograms (pure)
def test_bins_are_fixed_and_clamped():
    assert len(SHARE_EDGES) == 41 and SHARE_EDGES[12] == 0.3
    assert bin_index(SHARE_EDGES, 0.0) == 0
    assert bin_index(SHARE_EDGES, 0.3) == 12  # a value on an edge opens the next bin
    assert bin_index(SHARE_EDGES, 0.2999) == 11
    assert bin_index(SHARE_EDGES, 1.0) == 39  # the last bin is closed
    assert bin_index(SHARE_EDGES, 7.0) == 39 and bin_index(SHARE_EDGES, -1.0) == 0
    assert edges_for("lexicon_anything")[0] == 0
    assert edges_for("dup_7gram_share") == SHARE_EDGES
    assert edges_for("not_a_known_signal") is None


def test_histogram_combiner_merges_exactly():
    fn = SignalHistogramFn()
    values = [("kept", {"cjk_share": i / 100, "chars": i * 37}) for i in range(100)]
    values += [("quality/x", {"cjk_share": 0.5, "weird": 1, "nan": math.nan, "flag": True})]
    whole = fn.create_accumulator()
    for v in values:
        whole = fn.add_input(whole, v)
    parts = [fn.create_accumulator() for _ in range(3)]
    for i, v in enumerate(values):
        parts[i % 3] = fn.add_input(parts[i % 3], v)
    merged = fn.extract_output(fn.merge_accumulators(parts))
    assert merged == fn.extract_output(whole)
    assert sum(merged["cjk_share"]["counts"]["kept"]) == 100
    assert merged["cjk_share"]["counts"]["quality/x"][20] == 1
    assert set(merged) == {"cjk_share", "chars"}  # unknown, NaN and bool values are not counted


# ---------------------------------------------------------------- the Beam transform
def test_stats_counts_are_exact(run):
    _, stats, fates = run
    assert set(stats) >= CONTRACT_KEYS
    n_events = len(fates.events)
    assert stats["records_read"] == len(fates.reached["read"]) == len(fates.kept) + n_events
    assert stats["kept"] == len(fates.kept)
    expected: dict[str, int] = {}
    for e in fates.events:
        expected[e.key] = expected.get(e.key, 0) + 1
    assert {**stats["dropped"], **stats["errors"]} == expected
    assert stats["errors"] == {f"language/{HOSTILE_ERROR}": 1}
    assert [f["stage"] for f in stats["funnel"]] == STAGES
    for row in stats["funnel"]:
        assert row["in"] == len(fates.reached[row["stage"]])
        assert row["out"] == len(fates.passed[row["stage"]])
    assert stats["blocklist_categories"] == {"gambling": 11, HOSTILE_CATEGORY: 1}
    assert stats["skipped_records"] == {"request": 5, "warcinfo": 2}
    assert stats["config"]["output"]["samples_per_reason"] == 20
    assert "finished_at" in stats and "stages" not in stats


def test_histograms_count_kept_and_dropped_documents(run):
    _, stats, fates = run
    hist = stats["histograms"]
    assert HOSTILE_SIGNAL not in hist
    # lang_score: every kept document, and language drops (score taken from the detail)
    lang = hist["lang_score"]["counts"]
    assert sum(lang["kept"]) == stats["kept"]
    assert sum(lang["language/not_zh"]) == stats["dropped"]["language/not_zh"]
    assert f"language/{HOSTILE_ERROR}" not in lang  # an error's detail holds no score
    # cjk_share: brute force, independent of bin_index
    cjk = hist["cjk_share"]
    assert cjk["edges"] == list(SHARE_EDGES)
    expected = [0] * 40
    for d in fates.kept:
        expected[min(39, round(d.quality["cjk_share"] * 1e6) // 25_000)] += 1
    assert cjk["counts"]["kept"] == expected
    assert cjk["counts"]["kept"][12] >= 1  # the document with cjk_share exactly 0.3
    too_short = [e for e in fates.events if e.key == "quality/too_short"]
    assert sum(hist["chars"]["counts"]["quality/too_short"]) == len(too_short)
    assert "digit_share" not in hist  # its only value was NaN: not counted


def test_samples_are_the_smallest_hashes_per_reason(run):
    out, stats, fates = run
    samples = _jsonl(out / "dropped" / "samples.jsonl")
    by_reason: dict[str, list[dict]] = {}
    for s in samples:
        by_reason.setdefault(s["stage_reason"], []).append(s)
    assert set(by_reason) == set(stats["dropped"]) | set(stats["errors"])
    for key, got in by_reason.items():
        events = [e for e in fates.events if e.key == key]
        want = sorted(events, key=lambda e: sample_key(e.id))[:3]
        assert [s["id"] for s in got] == [e.id for e in want]
        for s in got:
            assert s["sample_hash"] == f"{sample_key(s['id']):016x}"
            assert {"url", "reason", "detail", "signals", "text_excerpt", "stage"} <= set(s)
    language = by_reason["language/not_zh"][0]
    assert language["lang_score"] == float(language["detail"].split("score=")[1])
    kept = _jsonl(out / "stats" / "kept_samples.jsonl")
    want = sorted(fates.kept, key=lambda d: sample_key(d.id))[:3]
    assert [k["id"] for k in kept] == [d.id for d in want]
    assert all(len(k["text_excerpt"]) <= 500 and "signals" in k for k in kept)


def test_samples_and_stats_do_not_depend_on_input_order(run, tmp_path):
    out, stats, fates = run
    again = tmp_path / "again"
    audited_run(str(again), fates, reverse_input=True)
    for name in ("dropped/samples.jsonl", "stats/kept_samples.jsonl"):
        assert (out / name).read_bytes() == (again / name).read_bytes()
    stats2 = json.loads((again / "stats" / "stats.json").read_text("utf-8"))
    for key in ("records_read", "kept", "dropped", "funnel", "histograms", "blocklist_categories"):
        assert stats2[key] == stats[key]


def test_nan_signals_are_written_as_null(run):
    out, _, _ = run
    text = (out / "dropped" / "samples.jsonl").read_text("utf-8")
    text += (out / "stats" / "kept_samples.jsonl").read_text("utf-8")
    assert "NaN" not in text
    json.loads((out / "stats" / "stats.json").read_text("utf-8"))
