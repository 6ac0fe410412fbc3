"""Reading WARC shards: one element per shard, records streamed through Beam ``FileSystems``."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from zhclean.filters.document import Document, DropEvent
from zhclean.filters.warc_records import SkippedRecord, WarcReader
from zhclean.pipeline.config import Config
from zhclean.transforms.events import METRICS_NAMESPACE, count_event
from zhclean.transforms.stage import DROPS

SKIPPED = "skipped"

_LOG = logging.getLogger(__name__)


class ReadWarcFn(beam.DoFn):
    """Streams one WARC/WET/ARC shard (local, ``gs://``, …) into documents.

    The file is opened raw (no transparent decompression): :class:`WarcReader` walks the gzip
    members itself, so a damaged member becomes one ``read/error:*`` event and reading resumes
    at the next member instead of failing the shard. Captures go
    to the main output, ``read`` drops and errors to ``drops``, non-capture records (warcinfo,
    request, metadata) to ``skipped`` as their record type, so they are counted.
    """

    def __init__(self, config: Config) -> None:
        self._max_record_bytes = config.read.max_record_bytes
        self._content_types = list(config.read.html_content_types)

    def setup(self) -> None:
        self._reader = WarcReader(
            max_record_bytes=self._max_record_bytes, html_content_types=self._content_types
        )
        self._records = Metrics.counter(METRICS_NAMESPACE, "records_read")
        self._shards = Metrics.counter(METRICS_NAMESPACE, "shards_done")

    def process(self, path: str) -> Iterator[Document | TaggedOutput]:
        _LOG.info("reading %s", path)
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as stream:
            for item in self._reader.read(stream, path):
                if isinstance(item, SkippedRecord):
                    yield TaggedOutput(SKIPPED, item.record_type)
                    continue
                self._records.inc()
                if isinstance(item, DropEvent):
                    count_event(item)
                    yield TaggedOutput(DROPS, item)
                else:
                    yield item
        self._shards.inc()


class ReadWarc(beam.PTransform):
    """``paths | ReadWarc(config)`` → ``{"docs", "drops", "skipped"}``; paths are reshuffled
    first so shards spread over workers (a shard is not splittable)."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self._config = config

    def expand(self, paths: beam.PCollection) -> dict[str, beam.PCollection]:
        out = (
            paths
            | "Spread shards" >> beam.Reshuffle()
            | "Read records"
            >> beam.ParDo(ReadWarcFn(self._config)).with_outputs(DROPS, SKIPPED, main="docs")
        )
        return {"docs": out.docs, "drops": out[DROPS], "skipped": out[SKIPPED]}
