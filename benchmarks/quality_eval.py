"""Quality-stage measurements on ``../shared/data`` (issue 3, "Measured").

    .venv/bin/python benchmarks/quality_eval.py [--config configs/default.yaml] [--cost]

Prints:

1. ``cc_zh_sample/2021-43/cleared1.jsonl`` (100 real Common Crawl docs) against our labels in
   ``benchmarks/labels/cc_zh_sample_cleared1.tsv``: precision and recall of the quality
   drops (spam + boilerplate = should drop), per reason, and the list of errors;
2. ``extraction_zh/cleaned/`` (69 hand-extracted real articles): the share kept and the rule
   that dropped each dropped one (the end-to-end number from raw HTML is in
   ``benchmarks/extraction_keep.py``);
3. ``cc_zh_sample/fasttext/data/{clean,dirty}.jsonl``: kept counts;
4. with ``--cost``: each rule's cost in µs per document (median of 5 passes over the cc docs,
   every cache cleared before each call so a rule pays for the statistics it needs; process
   CPU time, so other jobs on the machine do not inflate it) and as a
   ratio to a baseline measured in the same process (``normalize_text``), and the whole
   stage's cost per document with caches as in the pipeline, docs/s per core, peak RSS.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import statistics
import sys
import time
from collections import Counter

from zhclean.filters.document import Document
from zhclean.filters.normalize import normalize_text
from zhclean.filters.quality.profile import text_profile
from zhclean.filters.quality.runner import first_failure
from zhclean.filters.quality.tokens import token_seq
from zhclean.pipeline.config import Config, load_config
from zhclean.transforms.quality import build_rules

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data")
LABELS = os.path.join(HERE, "labels", "cc_zh_sample_cleared1.tsv")


def load_labels(path: str = LABELS) -> dict[str, str]:
    """digest → label (ok / spam / boilerplate)."""
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            _idx, digest, label, *_ = line.rstrip("\n").split("\t")
            out[digest] = label
    return out


def load_cc(data: str) -> list[dict]:
    path = os.path.join(data, "cc_zh_sample", "2021-43", "cleared1.jsonl")
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def verdicts(rules, texts: list[tuple[str, str]]) -> list[tuple[str, str, dict]]:
    """(id, reason or '', quality signals) per text, as the pipeline stage decides."""
    out = []
    for doc_id, text in texts:
        doc = Document(id=doc_id, text=text)
        verdict = first_failure(rules, doc)
        out.append((doc_id, "" if verdict.keep else verdict.reason, doc.quality))
    return out


def report_cc(rules, data: str) -> None:
    labels = load_labels()
    docs = load_cc(data)
    results = verdicts(rules, [(d["digest"], d["raw_content"]) for d in docs])
    tp = fp = fn = tn = 0
    by_reason: Counter[tuple[str, str]] = Counter()
    errors = []
    for i, (digest, reason, _q) in enumerate(results):
        bad = labels[digest] != "ok"
        dropped = bool(reason)
        by_reason[(reason or "(kept)", labels[digest])] += 1
        if dropped and bad:
            tp += 1
        elif dropped:
            fp += 1
            errors.append(f"  false drop  #{i} {reason}: {docs[i]['url']}")
        elif bad:
            fn += 1
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    n_bad = tp + fn
    print(f"\n## cc_zh_sample cleared1.jsonl: {len(docs)} docs, {n_bad} labelled spam/boilerplate")
    print(f"dropped {tp + fp}: precision {precision:.3f}  recall {recall:.3f}  "
          f"(tp {tp}, fp {fp}, fn {fn}, tn {tn})")
    for label in ("spam", "boilerplate"):
        n = sum(1 for v in labels.values() if v == label)
        caught = sum(c for (r, lab), c in by_reason.items() if lab == label and r != "(kept)")
        print(f"  recall on {label}: {caught}/{n} = {caught / n:.3f}")
    print("reason → labels of the docs it dropped:")
    for reason in sorted({r for r, _ in by_reason}):
        row = {lab: by_reason[(reason, lab)] for lab in ("ok", "spam", "boilerplate")}
        print(f"  {reason:22} {row}")
    print("\n".join(errors))


def report_texts(rules, name: str, texts: list[tuple[str, str]]) -> None:
    results = verdicts(rules, texts)
    dropped = [(i, r) for i, r, _ in results if r]
    kept = len(results) - len(dropped)
    print(f"\n## {name}: kept {kept}/{len(results)} = {kept / len(results):.3f}")
    for doc_id, reason in dropped:
        print(f"  dropped {doc_id}: {reason}")


def clear_caches(rules) -> None:
    text_profile.cache_clear()
    token_seq.cache_clear()
    for rule in rules:
        lexicon = getattr(rule, "lexicon", None)
        if lexicon is not None:
            lexicon.match.cache_clear()


def _median_us(fn, texts: list[str], passes: int) -> float:
    values = []
    for _ in range(passes):
        total = 0.0
        for text in texts:
            t0 = time.process_time()  # CPU time: the 2 shared cores are busy with others
            fn(text)
            total += time.process_time() - t0
        values.append(total / len(texts) * 1e6)
    return statistics.median(values)


def report_cost(rules, texts: list[str], passes: int = 5) -> None:
    """µs/doc per rule (caches cleared before each call, so each rule pays for what it needs),
    as a ratio to a baseline measured in the same process: ``normalize_text`` (NFKC + t2s +
    punctuation removal, the normalisation dedup runs on every document anyway)."""
    print(f"\n## cost per document, {len(texts)} cc docs, median of {passes} passes")
    baseline = _median_us(normalize_text, texts, passes)
    print(f"  {'baseline normalize_text':26} {baseline:9.1f} µs  1.00x")

    def one(rule):
        def call(text: str) -> None:
            clear_caches(rules)
            rule.check(Document(id="x", text=text))
        return call

    for rule in rules:
        cost = _median_us(one(rule), texts, passes)
        print(f"  {rule.reason:26} {cost:9.1f} µs  {cost / baseline:5.2f}x")

    def stage(text: str) -> None:
        doc = Document(id="x", text=text)
        for rule in rules:  # every rule, as for a document that passes them all
            rule.check(doc)

    clear_caches(rules)
    total = _median_us(stage, texts, passes)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {'all rules, shared caches':26} {total:9.1f} µs  {total / baseline:5.2f}x  "
          f"({1e6 / total:.0f} docs/s per core; peak RSS {peak_mib:.0f} MiB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", help="zhclean YAML config (default: built-in defaults)")
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--cost", action="store_true", help="also measure µs/doc per rule")
    args = parser.parse_args()
    config = load_config(args.config) if args.config else Config()
    rules = build_rules(config)
    print("rules in order:", ", ".join(r.reason for r in rules))
    report_cc(rules, args.data)
    gold = sorted(glob.glob(os.path.join(args.data, "extraction_zh", "cleaned", "*.txt")))
    texts = []
    for path in gold:
        with open(path, encoding="utf-8") as fh:
            texts.append((os.path.basename(path)[:8], fh.read()))
    report_texts(rules, "extraction_zh gold main text (cleaned/)", texts)
    for name in ("clean", "dirty"):
        path = os.path.join(args.data, "cc_zh_sample", "fasttext", "data", f"{name}.jsonl")
        with open(path, encoding="utf-8") as fh:
            rows = [json.loads(line)["text"] for line in fh]
        report_texts(rules, f"cc_zh_sample fasttext/{name}.jsonl", list(
            zip([f"{name}{i}" for i in range(len(rows))], rows, strict=True)))
    if args.cost:
        report_cost(rules, [d["raw_content"] for d in load_cc(args.data)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
