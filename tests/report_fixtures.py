"""A small audited run for the report and audit tests, with hostile web text in it.

:func:`audited_run` runs the real :class:`~zhclean.transforms.audit.Audit` transform (Beam
FnApiRunner, in process) over hand-made documents and drop events, so ``stats.json`` and the
samples files are exactly what a pipeline run writes. Some documents carry text, URLs, reason
details and signal names written to break out of HTML (``<script>``, ``</textarea>``,
``javascript:`` links, ``</script>`` inside JSON, bidi overrides).
"""

from __future__ import annotations

import math
import os
import random
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import FnApiRunner

from zhclean.filters.document import Document, DropEvent
from zhclean.pipeline.config import Config
from zhclean.transforms.audit import Audit, AuditInputs

HOSTILE_TEXT = (
    "正文开始</script><script>window.__pwned='script'</script></textarea>"
    "<img src=x onerror=\"window.__pwned='img'\"><a href=\"javascript:window.__pwned='a'\">点我"
    "</a><!-- <style>body{display:none}</style> \u202e反转文字 &amp; &lt;ok&gt;"
)
HOSTILE_URL = "javascript:window.__pwned='url'//http://x.example/"
HOSTILE_CATEGORY = "<img src=x onerror=\"window.__pwned='category'\">"
HOSTILE_SIGNAL = "</script><script>window.__pwned='signal'</script>"
HOSTILE_ID = "<urn:uuid:</script><b>bold</b>>"
HOSTILE_ERROR = "error:</script><script>window.__pwned='reason'</script><!--"

STAGES = ["read", "language", "quality", "blocklist", "dedup"]
# run B of the comparisons: two thresholds changed
STRICTER = Config.model_validate({"quality": {"min_chars": 200}, "language": {"min_score": 0.65}})
CHINESE = "中华人民共和国是一个位于东亚的国家。今天天气很好，我们去公园散步吧！"


@dataclass
class Fates:
    """Which documents end where: what the test expects the audit to count."""

    kept: list[Document]
    events: list[DropEvent]
    reached: dict[str, list[Document]]  # stage → documents entering it
    passed: dict[str, list[Document]]  # stage → documents leaving it


def _doc(i: int, rnd: random.Random) -> Document:
    doc = Document(
        id=f"<urn:uuid:{i:08d}-0000-0000-0000-000000000000>",
        url=f"https://news{i}.example/文章/{i}.html?a=1&b=2",
        text=(CHINESE * (1 + i % 4))[: 30 + 7 * i],
        source_file=f"shard-{i % 3}.warc.gz",
    )
    doc.lang, doc.lang_score, doc.script = "zh", round(rnd.uniform(0.5, 1.0), 4), "Hans"
    doc.quality = {
        "chars": len(doc.text),
        "cjk_share": round(rnd.uniform(0.2, 1.0), 4),
        "terminal_punct_share": round(rnd.random(), 4),
        "lexicon_gambling": round(rnd.uniform(0, 3), 4),
    }
    return doc


def make_fates(n: int = 60, seed: int = 7) -> Fates:
    """``n`` documents: a fifth each dropped at read, language, quality, blocklist; rest kept."""
    rnd = random.Random(seed)
    docs = [_doc(i, rnd) for i in range(n)]
    docs[4].text = HOSTILE_TEXT  # kept, with hostile text
    docs[4].quality["cjk_share"] = 0.3  # exactly on a bin edge: goes to the bin [0.3, 0.325)
    docs[9].quality[HOSTILE_SIGNAL] = 1.0  # not histogrammed, shown as a sample signal
    docs[9].quality["digit_share"] = math.nan  # not counted, not written as NaN
    fates = Fates(kept=[], events=[], reached={s: [] for s in STAGES}, passed={})
    fates.passed = {s: [] for s in STAGES}
    for i, doc in enumerate(docs):
        fate = i % 5
        fates.reached["read"].append(doc)
        if fate == 0:
            url = HOSTILE_URL if i == 10 else doc.url
            fates.events.append(DropEvent(doc.id, url, "read", "not_html", "image/png"))
            continue
        fates.passed["read"].append(doc)
        fates.reached["language"].append(doc)
        if i == 16:  # an error whose kind is hostile text: shown in tables and charts
            fates.events.append(
                DropEvent(doc.id, doc.url, "language", HOSTILE_ERROR, "boom", doc.text, {})
            )
            continue
        if fate == 1:
            detail = f"lang=en score={doc.lang_score:.3f}"
            excerpt = HOSTILE_TEXT if i == 11 else "Hello world, this is English."
            fates.events.append(
                DropEvent(doc.id, doc.url, "language", "not_zh", detail, excerpt, {})
            )
            continue
        fates.passed["language"].append(doc)
        fates.reached["quality"].append(doc)
        if fate == 2:
            event = DropEvent(
                HOSTILE_ID if i == 12 else doc.id,
                doc.url,
                "quality",
                "too_short",
                f"chars={len(doc.text)} < 100",
                doc.text,
                dict(doc.quality),
            )
            fates.events.append(event)
            continue
        fates.passed["quality"].append(doc)
        fates.reached["blocklist"].append(doc)
        if fate == 3:
            category = HOSTILE_CATEGORY if i == 13 else "gambling"
            fates.events.append(
                DropEvent(
                    doc.id, doc.url, "blocklist", "url", category, doc.text, dict(doc.quality)
                )
            )
            continue
        fates.passed["blocklist"].append(doc)
        fates.reached["dedup"].append(doc)
        fates.passed["dedup"].append(doc)
        fates.kept.append(doc)
    return fates


def provenance_for(config: Config) -> dict:
    return {
        "config": config.to_dict(),
        "config_sha256": config.sha256(),
        "versions": {"python": "3", "zhclean": "test"},
        "inputs": [{"path": f"shard-{i}.warc.gz", "size_bytes": 1000 + i} for i in range(3)],
        "runner": "FnApiRunner",
        "command": "pytest",
        "started_at": "2025-01-01T00:00:00+00:00",
        "stages": STAGES,
    }


def audited_run(
    output: str,
    fates: Fates,
    config: Config | None = None,
    samples_per_reason: int = 3,
    reverse_input: bool = False,
) -> None:
    """Run the Audit transform over ``fates`` and write its outputs under ``output``."""
    config = config or Config()

    def order(items: list) -> list:
        return list(reversed(items)) if reverse_input else list(items)

    p = beam.Pipeline(runner=FnApiRunner(), options=PipelineOptions(flags=[]))
    read_drops = [e for e in fates.events if e.stage == "read"]
    funnel = []
    for stage in STAGES:
        stage_in = p | f"in {stage}" >> beam.Create(order(fates.reached[stage]), reshuffle=False)
        stage_out = p | f"out {stage}" >> beam.Create(order(fates.passed[stage]), reshuffle=False)
        if stage == "read":  # records read = every capture, dropped at read or not
            read_docs = stage_out
        funnel.append((stage, stage_in, stage_out))
    inputs = AuditInputs(
        records_read=[read_docs, p | "read drops" >> beam.Create(order(read_drops))],
        kept=p | "kept" >> beam.Create(order(fates.kept), reshuffle=False),
        drops=p | "drops" >> beam.Create(order(fates.events), reshuffle=False),
        skipped=p | "skipped" >> beam.Create(["request"] * 5 + ["warcinfo"] * 2),
        funnel=funnel,
    )
    _ = inputs | "Audit" >> Audit(output, provenance_for(config), samples_per_reason)
    p.run().wait_until_finish()


_CACHE: dict[tuple, str] = {}
_CACHE_ROOT: list[str] = []


def cached_run(
    output: str,
    n: int = 60,
    seed: int = 7,
    config: Config | None = None,
    samples_per_reason: int = 20,
) -> None:
    """:func:`audited_run` of ``make_fates(n, seed)``, computed once per test process and
    copied to ``output`` (tests of the report need the same runs; a Beam run costs seconds)."""
    import shutil
    import tempfile

    config = config or Config()
    key = (n, seed, config.sha256(), samples_per_reason)
    if key not in _CACHE:
        if not _CACHE_ROOT:
            _CACHE_ROOT.append(tempfile.mkdtemp(prefix="zhclean-audit-cache-"))
        cached = os.path.join(_CACHE_ROOT[0], str(len(_CACHE)))
        audited_run(cached, make_fates(n, seed), config, samples_per_reason)
        _CACHE[key] = cached
    shutil.copytree(_CACHE[key], output)
