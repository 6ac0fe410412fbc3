"""Reading WARC shards: one element per shard, records streamed through Beam ``FileSystems``."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document, DropEvent
from zhclean.filters.prefilter import CjkPrefilter, KanaHangulPrefilter
from zhclean.filters.warc_records import STAGE, SkippedRecord, WarcReader
from zhclean.pipeline.config import Config
from zhclean.transforms.events import METRICS_NAMESPACE, count_event
from zhclean.transforms.stage import DROPS

SKIPPED = "skipped"

#: Languages written with Han characters: the CJK pre-filter can serve only these.
HAN_LANGUAGES = frozenset({"zh", "wuu", "yue", "ja", "gan", "hak", "lzh", "nan", "cdo"})
#: Languages written with kana or Hangul: the kana/Hangul pre-filter is off when one is kept.
KANA_HANGUL_LANGUAGES = frozenset({"ja", "ko"})

_LOG = logging.getLogger(__name__)


def build_prefilters(config: Config) -> list[DocumentRule]:
    """The pre-filter rules for this config: none when ``read.cjk_prefilter`` is off or a kept
    language is written without Han characters (its pages would all be dropped); the
    kana/Hangul rule only when no kept language is written with kana or Hangul."""
    if not config.read.cjk_prefilter:
        return []
    languages = set(config.language.languages)
    other = sorted(languages - HAN_LANGUAGES)
    if other:
        _LOG.warning("read.cjk_prefilter is off: language.languages has %s", ", ".join(other))
        return []
    scan = config.extract.max_html_bytes
    rules: list[DocumentRule] = [CjkPrefilter(scan_bytes=scan)]
    if not languages & KANA_HANGUL_LANGUAGES:
        rules.append(KanaHangulPrefilter(config.read.max_kana_hangul_share, scan_bytes=scan))
    return rules


def prefilter_drop(rules: list[DocumentRule], doc: Document) -> DropEvent | None:
    """The ``read/no_cjk`` or ``read/kana_hangul`` event for ``doc``, or None if it goes on."""
    for rule in rules:
        verdict = rule.check(doc)
        if not verdict.keep:
            return DropEvent(
                id=doc.id, url=doc.url, stage=STAGE, reason=verdict.reason, detail=verdict.detail
            )
    return None


class ReadWarcFn(beam.DoFn):
    """Streams one WARC/WET/ARC shard (local, ``gs://``, …) into documents.

    The file is opened raw (no transparent decompression): :class:`WarcReader` walks the gzip
    members itself, so a damaged member becomes one ``read/error:*`` event and reading resumes
    at the next member instead of failing the shard. Captures go
    to the main output, ``read`` drops and errors to ``drops``, non-capture records (warcinfo,
    request, metadata) to ``skipped`` as their record type, so they are counted.
    Captures that cannot be Chinese are dropped here by the CJK pre-filter (config
    ``read.cjk_prefilter``), before they cost any decoding or extraction: ``read/no_cjk``
    (no Han character at all) and ``read/kana_hangul`` (Japanese or Korean UTF-8 pages).
    """

    def __init__(self, config: Config) -> None:
        self._max_record_bytes = config.read.max_record_bytes
        self._content_types = list(config.read.html_content_types)
        self._prefilters = build_prefilters(config)

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
                    item = prefilter_drop(self._prefilters, item) or item
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
