"""Exact run statistics from PCollections: counts, funnel, reasons, samples → ``OUT/stats``.

Counts are computed with combiners over the PCollections themselves, so they are exact on every
runner (Beam metrics counters only mirror them for live monitoring). Everything is reduced to a
handful of small ``(kind, key, value)`` tuples before the single step that writes
``stats.json``; no step gathers documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import apache_beam as beam
import xxhash
from apache_beam.io.filesystems import FileSystems

from zhclean.filters.document import DropEvent
from zhclean.transforms.write import out_path, to_json_line


@dataclass
class AuditInputs:
    """What the graph hands to :class:`Audit`: the PCollections to count."""

    records_read: list[beam.PCollection]
    kept: beam.PCollection
    drops: beam.PCollection
    skipped: beam.PCollection
    funnel: list[tuple[str, beam.PCollection, beam.PCollection]] = field(default_factory=list)


def sample_key(event_id: str) -> int:
    """Deterministic sample order: by hash of the id, never by arrival order."""
    return xxhash.xxh64_intdigest(event_id)


def assemble_stats(rows: list[tuple[str, str, Any]], provenance: dict[str, Any]) -> dict[str, Any]:
    """Fold the ``(kind, key, value)`` rows into the stats.json document (DESIGN.md §3)."""
    counts: dict[str, int] = {}
    dropped: dict[str, int] = {}
    errors: dict[str, int] = {}
    skipped: dict[str, int] = {}
    categories: dict[str, int] = {}
    for kind, key, value in rows:
        if kind == "count":
            counts[key] = value
        elif kind == "reason":
            (errors if "/error:" in key else dropped)[key] = value
        elif kind == "skipped":
            skipped[key] = value
        elif kind == "category":
            categories[key] = value
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
        **{k: v for k, v in provenance.items() if k != "stages"},
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def write_json(path: str, payload: dict[str, Any]) -> None:
    with FileSystems.create(path) as fh:
        fh.write(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False).encode())


def _count(pcoll: beam.PCollection, label: str, key: str) -> beam.PCollection:
    return (
        pcoll
        | f"Count {label}" >> beam.combiners.Count.Globally()
        | f"Key {label}" >> beam.Map(lambda n, k=key: ("count", k, n))
    )


def _sample_record(key: str, event: DropEvent) -> dict[str, Any]:
    return {
        "stage_reason": key,
        "id": event.id,
        "url": event.url,
        "stage": event.stage,
        "reason": event.reason,
        "detail": event.detail,
        "signals": event.signals,
        "text_excerpt": event.text_excerpt,
    }


class Audit(beam.PTransform):
    """Counts, reasons, samples and ``stats.json`` for one run."""

    def __init__(self, output: str, provenance: dict[str, Any], samples_per_reason: int) -> None:
        super().__init__()
        self._output = output
        self._provenance = provenance
        self._samples = samples_per_reason

    def expand(self, inputs: AuditInputs) -> beam.PCollection:  # type: ignore[override]
        rows = [
            _count(inputs.records_read | "All read" >> beam.Flatten(), "read", "records_read"),
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
        (
            inputs.drops
            | "By reason" >> beam.Map(lambda e: (e.key, e))
            | "Pick samples"
            >> beam.combiners.Top.PerKey(self._samples, key=lambda e: -sample_key(e.id))
            | "Flatten samples"
            >> beam.FlatMapTuple(lambda k, evs: [to_json_line(_sample_record(k, e)) for e in evs])
            | "Write samples"
            >> beam.io.WriteToText(
                out_path(self._output, "dropped", "samples"),
                file_name_suffix=".jsonl",
                num_shards=1,
                shard_name_template="",
            )
        )
        stats_path = out_path(self._output, "stats", "stats.json")
        provenance = self._provenance
        return (
            rows
            | "All rows" >> beam.Flatten()
            | "Gather rows" >> beam.combiners.ToList()
            | "Assemble" >> beam.Map(lambda r: assemble_stats(r, provenance))
            | "Write stats" >> beam.Map(lambda s: (write_json(stats_path, s), s)[1])
        )
