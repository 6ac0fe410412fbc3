"""``zhclean explain``: every decision and signal for each document of one file, for tuning.

For each document: its URL, the verdict of every per-document stage (the same rules as
``zhclean run``, built by :func:`zhclean.transforms.stages.stage_rules`), every quality signal,
and the final verdict with its reason. The quality stage evaluates *all* its rules, so the
output also lists the rules that would drop the document after the first one; and stages after
a drop are still evaluated ("what if" lines), so a researcher sees what changing one threshold
would do. Dedup is a corpus-level decision and is not explained here.

Input: a WARC/WET/ARC file (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``, ``.wet``...;
documents go through every stage from decode on) or JSON Lines (``.jsonl``, ``.jsonl.gz``)
with a text field (documents start at the language stage).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document, DropEvent
from zhclean.filters.quality.runner import evaluate_all
from zhclean.pipeline.config import Config, load_config

# Stages that turn raw bytes into text; JSONL input already has text and skips them.
TEXT_STAGES = ("read", "decode", "extract")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".json.gz", ".ndjson", ".ndjson.gz")


class ExplainInputError(ValueError):
    """An input file explain cannot read (reported on one line, exit code 2)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "explain",
        help="per-document decisions and signals, for tuning thresholds",
        description=__doc__.split("\n\n")[1],
    )
    parser.add_argument("--config", help="YAML config (default: the built-in defaults)")
    parser.add_argument("--input", required=True, help="a WARC/WET/ARC file or a JSONL file")
    parser.add_argument("--limit", type=int, default=20,
                        help="explain at most N documents (0: all); default 20")
    parser.add_argument("--json", action="store_true", help="one JSON object per document")
    parser.add_argument("--text-field", default="text", help="JSONL field holding the text")
    parser.add_argument("--id-field", default="id", help="JSONL field holding the id")
    parser.add_argument("--url-field", default="url", help="JSONL field holding the URL")
    parser.set_defaults(func=run)


@dataclass
class StageResult:
    stage: str
    keep: bool
    reason: str = ""
    detail: str = ""
    after_drop: bool = False  # evaluated only to show what a looser threshold would do
    also_failing: list[str] = field(default_factory=list)  # quality: later failing rules

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"stage": self.stage, "keep": self.keep}
        if self.reason:
            out["reason"] = self.reason
            out["detail"] = self.detail
        if self.after_drop:
            out["after_drop"] = True
        if self.also_failing:
            out["also_failing"] = self.also_failing
        return out


@dataclass
class Explanation:
    id: str
    url: str
    verdict: str  # "kept" or "stage/reason"
    detail: str
    stages: list[StageResult]
    doc: Document | None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "url": self.url, "verdict": self.verdict,
                               "detail": self.detail,
                               "stages": [s.to_dict() for s in self.stages]}
        if self.doc is not None:
            out.update(
                encoding=self.doc.encoding,
                chars=len(self.doc.text),
                lang=self.doc.lang,
                lang_score=self.doc.lang_score,
                script=self.doc.script,
                quality=dict(self.doc.quality),
                signals={k: v for k, v in self.doc.signals.items() if _jsonable(v)},
            )
        return out


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _run_stage(stage: str, rules: Sequence[DocumentRule], doc: Document) -> StageResult:
    """Rules of one stage in order; the quality stage evaluates all rules (signals)."""
    try:
        if stage == "quality":
            outcomes = evaluate_all(rules, doc, on_copy=False)
            failing = [o for o in outcomes if not o.verdict.keep]
            if not failing:
                return StageResult(stage, True)
            first = failing[0].verdict
            return StageResult(stage, False, first.reason, first.detail,
                               also_failing=[o.verdict.reason for o in failing[1:]])
        for rule in rules:
            verdict = rule.check(doc)
            if not verdict.keep:
                return StageResult(stage, False, verdict.reason, verdict.detail)
    except Exception as exc:  # the pipeline turns these into stage/error:KIND
        return StageResult(stage, False, f"error:{type(exc).__name__}", repr(exc))
    return StageResult(stage, True)


def explain_document(
    doc: Document, stages: Sequence[tuple[str, Sequence[DocumentRule]]]
) -> Explanation:
    """Run every stage on ``doc``; the first drop is the verdict, later stages are what-ifs."""
    results: list[StageResult] = []
    verdict, detail = "kept", ""
    for stage, rules in stages:
        dropped = verdict != "kept"
        if dropped and not doc.text:
            break  # nothing to evaluate without text (dropped at decode/extract)
        result = _run_stage(stage, rules, doc)
        result.after_drop = dropped
        results.append(result)
        if not result.keep and not dropped:
            verdict, detail = f"{stage}/{result.reason}", result.detail
    return Explanation(doc.id, doc.url, verdict, detail, results, doc)


def explain_read_drop(event: DropEvent) -> Explanation:
    result = StageResult("read", False, event.reason, event.detail)
    return Explanation(event.id, event.url, event.key, event.detail, [result], None)


def _is_jsonl(path: str) -> bool:
    return path.lower().endswith(JSONL_SUFFIXES)


def read_jsonl(path: str, text_field: str, id_field: str, url_field: str) -> Iterator[Document]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise ExplainInputError(f"{path}:{number}: invalid JSON: {err.msg}") from None
            if not isinstance(record, dict) or not isinstance(record.get(text_field), str):
                raise ExplainInputError(f"{path}:{number}: no string field {text_field!r}")
            yield Document(
                id=str(record.get(id_field) or f"{os.path.basename(path)}:{number}"),
                url=str(record.get(url_field) or ""),
                text=record[text_field],
                source_file=path,
                source_offset=number,
            )


def read_warc(path: str, config: Config) -> Iterator[Document | DropEvent]:
    """The reader's documents and read drops, with the same pre-filter as ``zhclean run``."""
    from zhclean.filters.warc_records import SkippedRecord, WarcReader
    from zhclean.transforms.read import build_prefilters, prefilter_drop

    reader = WarcReader(config.read.max_record_bytes, config.read.html_content_types)
    prefilters = build_prefilters(config)
    with open(path, "rb") as fh:
        for item in reader.read(fh, path):
            if isinstance(item, SkippedRecord):
                continue
            if isinstance(item, Document):
                yield prefilter_drop(prefilters, item) or item
            else:
                yield item


def explain_file(
    path: str, config: Config, limit: int = 0, text_field: str = "text",
    id_field: str = "id", url_field: str = "url",
) -> Iterator[Explanation]:
    """Explanations of the first ``limit`` documents of ``path`` (0: all)."""
    from zhclean.transforms.stages import stage_rules

    if not os.path.isfile(path):
        raise FileNotFoundError(f"input file not found: {path}")
    stages = stage_rules(config)
    items: Iterator[Document | DropEvent]
    if _is_jsonl(path):
        stages = [(s, r) for s, r in stages if s not in TEXT_STAGES]
        items = read_jsonl(path, text_field, id_field, url_field)
    else:
        items = read_warc(path, config)
    for count, item in enumerate(items, 1):
        if isinstance(item, DropEvent):
            yield explain_read_drop(item)
        else:
            yield explain_document(item, stages)
        if limit and count >= limit:
            break


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def print_table(exp: Explanation, index: int, out: TextIO) -> None:
    out.write(f"#{index}  {exp.url or '(no url)'}\n    id: {exp.id}\n")
    for res in exp.stages:
        status = "ok" if res.keep else "DROP"
        if res.after_drop:
            status = "ok*" if res.keep else "drop*"
        line = f"    {res.stage:<10} {status:<5}"
        if res.reason:
            line += f" {res.reason}: {res.detail}"
        out.write(line.rstrip() + "\n")
        if res.also_failing:
            out.write(f"    {'':<10} {'':<5} also failing: {', '.join(res.also_failing)}\n")
    doc = exp.doc
    if doc is not None:
        facts = [f"chars={len(doc.text)}"]
        if doc.encoding:
            facts.insert(0, f"encoding={doc.encoding}")
        if doc.lang is not None:
            facts += [f"lang={doc.lang}", f"lang_score={_fmt(doc.lang_score)}",
                      f"script={doc.script}"]
        out.write(f"    {'document':<10} {' '.join(facts)}\n")
        items = sorted(doc.quality.items())
        for start in range(0, len(items), 4):
            chunk = "  ".join(f"{k}={_fmt(v)}" for k, v in items[start : start + 4])
            out.write(f"    {'signals' if start == 0 else '':<10} {chunk}\n")
    out.write(f"    {'verdict':<10} {exp.verdict}\n")
    if any(r.after_drop for r in exp.stages):
        out.write("    (* evaluated after the drop: what a looser threshold would lead to)\n")
    out.write("\n")


def run(args: argparse.Namespace, extra: list[str]) -> int:
    config = load_config(args.config) if args.config else Config()
    out = sys.stdout
    counts: dict[str, int] = {}
    try:
        for index, exp in enumerate(
            explain_file(args.input, config, max(0, args.limit), args.text_field,
                         args.id_field, args.url_field), 1
        ):
            counts[exp.verdict] = counts.get(exp.verdict, 0) + 1
            if args.json:
                out.write(json.dumps(exp.to_dict(), ensure_ascii=False) + "\n")
            else:
                print_table(exp, index, out)
    except ExplainInputError as err:
        print(f"zhclean: error: {err}", file=sys.stderr)
        return 2
    if not args.json:
        summary = ", ".join(f"{v}: {n}" for v, n in sorted(counts.items(), key=lambda x: -x[1]))
        out.write(f"{sum(counts.values())} documents — {summary}\n")
    return 0
