"""Assembly of the Beam graph (DESIGN.md §1): read → per-document stages → dedup → write."""

from __future__ import annotations

from typing import Any

import apache_beam as beam
from apache_beam.io.fileio import MatchAll

from zhclean.pipeline.config import Config
from zhclean.transforms.audit import Audit, AuditInputs
from zhclean.transforms.dedup import Dedup
from zhclean.transforms.read import ReadWarc
from zhclean.transforms.stage import ApplyStage
from zhclean.transforms.stages import stage_builders
from zhclean.transforms.write import WriteKept, WriteManifest

STAGES = ("read", *(name for name, _ in stage_builders()), "dedup")


def build_graph(
    p: beam.Pipeline,
    config: Config,
    inputs: list[str],
    output: str,
    provenance: dict[str, Any],
) -> beam.PCollection:
    """Add the whole job to ``p``; returns the PCollection holding the stats dict."""
    paths = (
        p
        | "Inputs" >> beam.Create(sorted(inputs))
        | "Match" >> MatchAll()
        | "Paths" >> beam.Map(lambda meta: meta.path)
    )
    read = paths | "Read" >> ReadWarc(config)
    records_read = (read["docs"], read["drops"]) | "Records read" >> beam.Flatten()
    drops = [read["drops"]]
    funnel = [("read", records_read, read["docs"])]

    docs = read["docs"]
    for stage, build in stage_builders():
        result = docs | ApplyStage(stage, build, config)
        funnel.append((stage, docs, result["docs"]))
        drops.append(result["drops"])
        docs = result["docs"]

    deduped = docs | "Dedup" >> Dedup(config)
    funnel.append(("dedup", docs, deduped["docs"]))
    drops.append(deduped["drops"])
    kept = deduped["docs"]

    all_drops = drops | "All drops" >> beam.Flatten()
    kept | "Write kept" >> WriteKept(output, config.output.format, config.output.num_shards)
    all_drops | "Write manifest" >> WriteManifest(output, config.output.manifest_shards)
    audit_inputs = AuditInputs(
        records_read=[records_read],
        kept=kept,
        drops=all_drops,
        skipped=read["skipped"],
        funnel=funnel,
    )
    return audit_inputs | "Audit" >> Audit(
        output, {**provenance, "stages": list(STAGES)}, config.output.samples_per_reason
    )
