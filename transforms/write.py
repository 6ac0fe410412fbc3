"""Writing kept documents and the dropped manifest to sharded files (DESIGN.md §3)."""

from __future__ import annotations

import json
import posixpath
from typing import Any

import apache_beam as beam
import pyarrow as pa
from apache_beam.io.filesystems import FileSystems

from zhclean.filters.document import Document, DropEvent

SHARD_TEMPLATE = "-SSSSS-of-NNNNN"


def out_path(output: str, *parts: str) -> str:
    """Join under ``output`` for local paths and ``gs://`` alike."""
    if "://" in output:
        return posixpath.join(output, *parts)
    return FileSystems.join(output, *parts)


def to_json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False)


KEPT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("url", pa.string()),
        ("text", pa.string()),
        ("date", pa.string()),
        ("lang", pa.string()),
        ("lang_score", pa.float64()),
        ("script", pa.string()),
        ("quality", pa.map_(pa.string(), pa.float64())),
        ("dup_cluster_size", pa.int64()),
        ("source", pa.struct([("file", pa.string()), ("offset", pa.int64())])),
    ]
)


def _parquet_row(doc: Document) -> dict[str, Any]:
    row = doc.output_record()
    row["quality"] = sorted((k, float(v)) for k, v in row["quality"].items())
    return row


class WriteKept(beam.PTransform):
    """Kept documents → ``OUT/kept/part-SSSSS-of-NNNNN.jsonl.gz`` (or ``.parquet``)."""

    def __init__(self, output: str, fmt: str, num_shards: int) -> None:
        super().__init__()
        self._prefix = out_path(output, "kept", "part")
        self._format = fmt
        self._num_shards = num_shards

    def expand(self, docs: beam.PCollection) -> beam.PCollection:
        if self._format == "parquet":
            return (
                docs
                | "To rows" >> beam.Map(_parquet_row)
                | "Write parquet"
                >> beam.io.WriteToParquet(
                    self._prefix,
                    KEPT_SCHEMA,
                    file_name_suffix=".parquet",
                    num_shards=self._num_shards,
                    shard_name_template=SHARD_TEMPLATE,
                )
            )
        return (
            docs
            | "To JSON" >> beam.Map(lambda d: to_json_line(d.output_record()))
            | "Write jsonl.gz"
            >> beam.io.WriteToText(
                self._prefix,
                file_name_suffix=".jsonl.gz",
                num_shards=self._num_shards,
                shard_name_template=SHARD_TEMPLATE,
            )
        )


class WriteManifest(beam.PTransform):
    """Every drop and error event → ``OUT/dropped/manifest-SSSSS-of-NNNNN.jsonl.gz``."""

    def __init__(self, output: str, num_shards: int) -> None:
        super().__init__()
        self._prefix = out_path(output, "dropped", "manifest")
        self._num_shards = num_shards

    def expand(self, events: beam.PCollection) -> beam.PCollection:
        return (
            events
            | "To JSON" >> beam.Map(lambda e: to_json_line(DropEvent.manifest_record(e)))
            | "Write manifest"
            >> beam.io.WriteToText(
                self._prefix,
                file_name_suffix=".jsonl.gz",
                num_shards=self._num_shards,
                shard_name_template=SHARD_TEMPLATE,
            )
        )
