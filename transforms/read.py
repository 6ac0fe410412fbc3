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
from zhclean.filters.prefilter import CjkPrefilter
from zhclean.filters.warc_records import STAGE, SkippedRecord, WarcReader
from zhclean.pipeline.config import Config
from zhclean.transforms.events import METRICS_NAMESPACE, count_event
from zhclean.transforms.stage import DROPS

SKIPPED = "skipped"

#: Languages written with Han characters: the CJK pre-filter can serve only these.
HAN_LANGUAGES = frozenset({"zh", "wuu", "yue", "ja", "gan", "hak", "lzh", "nan", "cdo"})

_LOG = logging.getLogger(__name__)


def build_prefilter(config: Config) -> CjkPrefilter | None:
    """The CJK pre-filter for this config, or None when it is off or cannot apply (a kept
    language written without Han characters: its pages would all be dropped)."""
    if not config.read.cjk_prefilter:
        return None
    other = sorted(set(config.language.languages) - HAN_LANGUAGES)
    if other:
        _LOG.warning("read.cjk_prefilter is off: language.languages has %s", ", ".join(other))
        return None
    return CjkPrefilter(scan_bytes=config.extract.max_html_bytes)


def prefilter_drop(prefilter: CjkPrefilter | None, doc: Document) -> DropEvent | None:
    """The ``read/no_cjk`` event for ``doc``, or None if it goes on."""
    if prefilter is None:
        return None
    verdict = prefilter.check(doc)
    if verdict.keep:
        return None
    return DropEvent(
        id=doc.id, url=doc.url, stage=STAGE, reason=verdict.reason, detail=verdict.detail
    )


class ReadWarcFn(beam.DoFn):
    """Streams one WARC/WET/ARC shard (local, ``gs://``, …) into documents.

    The file is opened raw (no transparent decompression): :class:`WarcReader` walks the gzip
    members itself, so a damaged member becomes one ``read/error:*`` event and reading resumes
    at the next member instead of failing the shard. Captures go
    to the main output, ``read`` drops and errors to ``drops``, non-capture records (warcinfo,
    request, metadata) to ``skipped`` as their record type, so they are counted.
    Captures that cannot be Chinese are dropped here as ``read/no_cjk`` by the CJK pre-filter
    (config ``read.cjk_prefilter``), before they cost any decoding or extraction.
    """

    def __init__(self, config: Config) -> None:
        self._max_record_bytes = config.read.max_record_bytes
        self._content_types = list(config.read.html_content_types)
        self._prefilter = build_prefilter(config)

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
                if isinstance(item, Document):
                    item = prefilter_drop(self._prefilter, item) or item
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
