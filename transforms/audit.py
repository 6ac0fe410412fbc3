"""Exact run statistics from PCollections: counts, funnel, reasons, histograms, samples.

Counts and histograms are computed with combiners over the PCollections themselves, so they are
exact on every runner (Beam metrics counters only mirror them for live monitoring). Everything
is reduced to a handful of small ``(kind, key, value)`` rows before the single step that writes
``OUT/stats/stats.json``; no step gathers documents. Samples are the K documents per
``stage/reason`` (and K kept documents) with the smallest xxh64 of their id, so reruns pick the
same ones; they are gathered (K × reasons records, a few hundred KB) and written sorted to
``OUT/dropped/samples.jsonl`` and ``OUT/stats/kept_samples.jsonl``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import apache_beam as beam
import xxhash
from apache_beam.io.filesystems import FileSystems

from zhclean.filters.document import Document, DropEvent
from zhclean.pipeline.progress import WorkerProgress
from zhclean.transforms.histograms import KEPT, SignalHistogramFn
from zhclean.transforms.write import out_path, to_json_line

DROPPED_SAMPLES = ("dropped", "samples.jsonl")
KEPT_SAMPLES = ("stats", "kept_samples.jsonl")
STATS = ("stats", "stats.json")
DEFAULT_EXCERPT_CHARS = 500

# filters/language.py writes "lang=xx score=0.123" into the detail of language drops.
_LANG_SCORE_IN_DETAIL = re.compile(r"\bscore=([0-9.]+)")


@dataclass
class AuditInputs:
    """What the graph hands to :class:`Audit`: the PCollections to count."""

    records_read: list[beam.PCollection]
    kept: beam.PCollection
    drops: beam.PCollection
    skipped: beam.PCollection
    funnel: list[tuple[str, beam.PCollection, beam.PCollection]] = field(default_factory=list)

    def named(self) -> dict[str, beam.PCollection]:
        """Every PCollection under a unique tag (Beam's view of the transform's inputs)."""
        tags = {f"records_read_{i}": pc for i, pc in enumerate(self.records_read)}
        tags.update(kept=self.kept, drops=self.drops, skipped=self.skipped)
        for stage, stage_in, stage_out in self.funnel:
            tags[f"in_{stage}"] = stage_in
            tags[f"out_{stage}"] = stage_out
        return tags


def sample_key(event_id: str) -> int:
    """Deterministic sample order: by hash of the id, never by arrival order."""
    return xxhash.xxh64_intdigest(event_id.encode("utf-8", "surrogatepass"))


def sample_hash(event_id: str) -> str:
    """:func:`sample_key` as 16 hex digits (sorts the same; JSON readers keep it exact)."""
    return f"{sample_key(event_id):016x}"


def json_safe(value: Any) -> Any:
    """``value`` with NaN/inf replaced by None (they are not valid JSON for browsers)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def assemble_stats(rows: list[tuple[str, Any, Any]], provenance: dict[str, Any]) -> dict[str, Any]:
    """Fold the ``(kind, key, value)`` rows into the stats.json document (DESIGN.md §3)."""
    counts: dict[str, int] = {}
    dropped: dict[str, int] = {}
    errors: dict[str, int] = {}
    skipped: dict[str, int] = {}
    categories: dict[str, int] = {}
    histograms: dict[str, Any] = {}
    for kind, key, value in rows:
        if kind == "count":
            counts[key] = value
        elif kind == "reason":
            (errors if "/error:" in key else dropped)[key] = value
        elif kind == "skipped":
            skipped[key] = value
        elif kind == "category":
            categories[key] = value
        elif kind == "histograms":
            histograms.update(value)
    funnel = []
    for stage in provenance.get("stages", []):
        funnel.append(
            {
                "stage": stage,
                "in": counts.get(f"in:{stage}", 0),
                "out": counts.get(f"out:{stage}", 0),
            }
        )
    return {
        "records_read": counts.get("records_read", 0),
        "kept": counts.get("kept", 0),
        "dropped": dict(sorted(dropped.items())),
        "errors": dict(sorted(errors.items())),
        "blocklist_categories": dict(sorted(categories.items())),
        "skipped_records": dict(sorted(skipped.items())),
        "funnel": funnel,
        "histograms": dict(sorted(histograms.items())),
        **{k: v for k, v in provenance.items() if k != "stages"},
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def write_json(path: str, payload: dict[str, Any]) -> None:
    with FileSystems.create(path) as fh:
        fh.write(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False).encode())


def write_jsonl(path: str, records: list[dict[str, Any]]) -> None:
    with FileSystems.create(path) as fh:
        for record in records:
            fh.write((to_json_line(record) + "\n").encode())


def _count(pcoll: beam.PCollection, label: str, key: str) -> beam.PCollection:
    return (
        pcoll
        | f"Count {label}" >> beam.combiners.Count.Globally()
        | f"Key {label}" >> beam.Map(lambda n, k=key: ("count", k, n))
    )


def event_lang_score(event: DropEvent) -> float | None:
    """``lang_score`` of a dropped document: from its signals, else from a language drop's
    detail (``lang=en score=0.973``); None before the language stage."""
    score = event.signals.get("lang_score")
    if score is None and event.stage == "language" and not event.is_error:
        match = _LANG_SCORE_IN_DETAIL.search(event.detail)
        score = float(match.group(1)) if match else None
    return score


def kept_values(doc: Document) -> tuple[str, dict[str, Any]]:
    """Histogram input of a kept document: its quality signals and ``lang_score``."""
    return KEPT, {**doc.quality, "lang_score": doc.lang_score}


def drop_values(event: DropEvent) -> tuple[str, dict[str, Any]]:
    """Histogram input of a drop/error event, grouped by its ``stage/reason``."""
    return event.key, {**event.signals, "lang_score": event_lang_score(event)}


def _drop_order(event: DropEvent) -> tuple[int, str, str, str, str]:
    return sample_key(event.id), event.id, event.url, event.detail, event.text_excerpt


def _kept_order(record: dict[str, Any]) -> tuple[str, str, str]:
    return record["sample_hash"], record["id"], record["url"]


def _sample_record(key: str, event: DropEvent) -> dict[str, Any]:
    return {
        "stage_reason": key,
        "id": event.id,
        "url": event.url,
        "stage": event.stage,
        "reason": event.reason,
        "detail": event.detail,
        "signals": json_safe(dict(event.signals)),
        "lang_score": event_lang_score(event),
        "text_excerpt": event.text_excerpt,
        "sample_hash": sample_hash(event.id),
    }


def kept_sample_record(doc: Document, excerpt_chars: int) -> dict[str, Any]:
    return {
        "id": doc.id,
        "url": doc.url,
        "lang": doc.lang,
        "lang_score": doc.lang_score,
        "script": doc.script,
        "dup_cluster_size": doc.dup_cluster_size,
        "signals": json_safe(dict(doc.quality)),
        "text_excerpt": doc.text[:excerpt_chars],
        "sample_hash": sample_hash(doc.id),
    }


def _sorted_drop_samples(groups: list[tuple[str, list[DropEvent]]]) -> list[dict[str, Any]]:
    records = [_sample_record(key, e) for key, events in groups for e in events]
    return sorted(records, key=lambda r: (r["stage_reason"], r["sample_hash"], r["id"]))


def unflatten(pcolls: list[beam.PCollection]) -> list[beam.PCollection]:
    """The inputs of any ``Flatten`` among ``pcolls``, recursively.

    A step reading a Flatten's output is not fused with the Flatten's producers on the local
    runner (it runs after them, from a materialised buffer); progress tracking must read the
    reader's own outputs to be live.
    """
    out: list[beam.PCollection] = []
    for pcoll in pcolls:
        producer = getattr(pcoll, "producer", None)
        if producer is not None and isinstance(producer.transform, beam.Flatten):
            out.extend(unflatten(list(producer.main_inputs.values())))
        else:
            out.append(pcoll)
    return out


class TrackProgress(beam.DoFn):
    """Feeds the local progress logger (:mod:`zhclean.pipeline.progress`); emits nothing.

    Runs fused with the WARC reader on every record read. A shard counts as done when the
    documents switch to another source file or the bundle ends; shards that yield no document
    at all are not seen here. A no-op unless a local launcher is listening.
    """

    def start_bundle(self) -> None:
        self._sink = WorkerProgress.get()
        self._source: str | None = None

    def process(self, item: Any) -> Iterator[Any]:
        if self._sink is None:
            return
        source = getattr(item, "source_file", None)
        finished = 0
        if source and source != self._source:
            finished = int(self._source is not None)
            self._source = source
        self._sink.add(records=1, shards=finished)
        yield from ()

    def finish_bundle(self) -> None:
        if self._sink is not None:
            self._sink.add(shards=int(self._source is not None))
            self._sink.flush()


class Audit(beam.PTransform):
    """Counts, reasons, histograms, samples and ``stats.json`` for one run."""

    def __init__(
        self,
        output: str,
        provenance: dict[str, Any],
        samples_per_reason: int,
        excerpt_chars: int | None = None,
    ) -> None:
        super().__init__()
        self._output = output
        self._provenance = provenance
        self._samples = samples_per_reason
        if excerpt_chars is None:
            output_cfg = provenance.get("config", {}).get("output", {})
            excerpt_chars = output_cfg.get("excerpt_chars", DEFAULT_EXCERPT_CHARS)
        self._excerpt_chars = int(excerpt_chars)

    def _extract_input_pvalues(self, pvalueish: Any) -> tuple[Any, dict[str, Any]]:
        """Lets ``AuditInputs(...) | Audit(...)`` declare the PCollections inside it."""
        if isinstance(pvalueish, AuditInputs):
            return pvalueish, pvalueish.named()
        return super()._extract_input_pvalues(pvalueish)

    def expand(self, inputs: AuditInputs) -> beam.PCollection:  # type: ignore[override]
        for i, records in enumerate(unflatten(inputs.records_read)):
            records | f"Track progress {i}" >> beam.ParDo(TrackProgress())
        all_read = inputs.records_read | "All read" >> beam.Flatten()
        rows = [
            _count(all_read, "read", "records_read"),
            _count(inputs.kept, "kept", "kept"),
        ]
        for stage, stage_in, stage_out in inputs.funnel:
            rows.append(_count(stage_in, f"{stage} in", f"in:{stage}"))
            rows.append(_count(stage_out, f"{stage} out", f"out:{stage}"))
        rows.append(
            inputs.drops
            | "Reason" >> beam.Map(lambda e: e.key)
            | "Count reasons" >> beam.combiners.Count.PerElement()
            | "Key reasons" >> beam.MapTuple(lambda k, n: ("reason", k, n))
        )
        rows.append(
            inputs.drops
            | "Blocklisted" >> beam.Filter(lambda e: e.stage == "blocklist" and not e.is_error)
            | "Category" >> beam.Map(lambda e: e.detail or "uncategorized")
            | "Count categories" >> beam.combiners.Count.PerElement()
            | "Key categories" >> beam.MapTuple(lambda k, n: ("category", k, n))
        )
        rows.append(
            inputs.skipped
            | "Count skipped" >> beam.combiners.Count.PerElement()
            | "Key skipped" >> beam.MapTuple(lambda k, n: ("skipped", k, n))
        )
        rows.append(self._histograms(inputs))
        self._write_samples(inputs)
        stats_path = out_path(self._output, *STATS)
        provenance = self._provenance
        return (
            rows
            | "All rows" >> beam.Flatten()
            | "Gather rows" >> beam.combiners.ToList()
            | "Assemble" >> beam.Map(lambda r: assemble_stats(r, provenance))
            | "Write stats" >> beam.Map(lambda s: (write_json(stats_path, s), s)[1])
        )

    def _histograms(self, inputs: AuditInputs) -> beam.PCollection:
        """One combiner over kept documents and drop events: fixed bins per signal."""
        kept = inputs.kept | "Kept signals" >> beam.Map(kept_values)
        dropped = inputs.drops | "Dropped signals" >> beam.Map(drop_values)
        return (
            (kept, dropped)
            | "All signals" >> beam.Flatten()
            | "Histograms" >> beam.CombineGlobally(SignalHistogramFn())
            | "Key histograms" >> beam.Map(lambda h: ("histograms", "", h))
        )

    def _write_samples(self, inputs: AuditInputs) -> None:
        dropped_path = out_path(self._output, *DROPPED_SAMPLES)
        kept_path = out_path(self._output, *KEPT_SAMPLES)
        k, excerpt = self._samples, self._excerpt_chars
        (
            inputs.drops
            | "By reason" >> beam.Map(lambda e: (e.key, e))
            | "Pick samples" >> beam.combiners.Top.PerKey(k, key=_drop_order, reverse=True)
            | "Gather samples" >> beam.combiners.ToList()
            | "Sort samples" >> beam.Map(_sorted_drop_samples)
            | "Write samples" >> beam.Map(lambda recs: write_jsonl(dropped_path, recs))
        )
        (
            inputs.kept
            | "Kept sample record" >> beam.Map(lambda d: kept_sample_record(d, excerpt))
            | "Pick kept samples" >> beam.combiners.Top.Of(k, key=_kept_order, reverse=True)
            | "Sort kept samples" >> beam.Map(lambda recs: sorted(recs, key=_kept_order))
            | "Write kept samples" >> beam.Map(lambda recs: write_jsonl(kept_path, recs))
        )
