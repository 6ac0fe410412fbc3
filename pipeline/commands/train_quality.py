"""``zhclean train-quality``: train the optional fastText quality classifier.

Positive (good) and negative (bad) documents are segmented with jieba exactly as the
``quality.classifier`` rule segments documents at run time
(:func:`zhclean.filters.quality.classifier.classifier_line`), labelled ``hq`` / ``lq``,
shuffled with a fixed seed and given to ``fasttext.train_supervised`` (single thread, so the
same inputs give the same model). Point ``quality.classifier.model_path`` at the output.

Input files: ``.jsonl`` / ``.jsonl.gz`` with a text field (``--text-field``), or plain text
with one document per line.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

import fasttext

from zhclean.filters.language import LABEL_PREFIX
from zhclean.filters.quality.classifier import NEGATIVE, POSITIVE, classifier_line


class TrainingDataError(ValueError):
    """Unusable training input (the CLI reports it on one line, exit code 2)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train-quality",
        help="train the fastText quality classifier (jieba-segmented input)",
        description=__doc__.split("\n\n")[1],
    )
    parser.add_argument("--positive", required=True, action="append",
                        help="file of good documents (repeatable)")
    parser.add_argument("--negative", required=True, action="append",
                        help="file of bad documents (repeatable)")
    parser.add_argument("--output", required=True, help="model file to write (.bin)")
    parser.add_argument("--text-field", default="text", help="JSONL field holding the text")
    parser.add_argument("--max-chars", type=int, default=5000,
                        help="characters of each document used (as quality.classifier.max_chars)")
    parser.add_argument("--epoch", type=int, default=10)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--word-ngrams", type=int, default=2)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--min-count", type=int, default=1)
    parser.add_argument("--bucket", type=int, default=200_000,
                        help="hash buckets for word n-grams (model size ≈ bucket × dim × 4 bytes)")
    parser.add_argument("--lr-update-rate", type=int, default=100,
                        help="fastText lrUpdateRate; lowered automatically for tiny inputs")
    parser.add_argument("--seed", type=int, default=0, help="shuffle seed")
    parser.add_argument("--quantize", action="store_true",
                        help="also write a quantized OUTPUT.ftz (smaller, slightly less accurate)")
    parser.set_defaults(func=run)


def read_documents(path: str, text_field: str = "text") -> Iterator[str]:
    """Texts of one input file (JSONL with ``text_field``, or one document per line)."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f"training file not found: {path}")
    opener = gzip.open if path.endswith(".gz") else open
    is_jsonl = path.endswith((".jsonl", ".jsonl.gz", ".json", ".ndjson"))
    with opener(path, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            if not is_jsonl:
                yield line.strip()
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise TrainingDataError(f"{path}:{number}: invalid JSON: {err.msg}") from None
            text = record.get(text_field) if isinstance(record, dict) else None
            if not isinstance(text, str):
                raise TrainingDataError(f"{path}:{number}: no string field {text_field!r}")
            yield text


def training_lines(
    positive: list[str], negative: list[str], text_field: str, max_chars: int, seed: int
) -> tuple[list[str], dict[str, int]]:
    """Labelled, segmented, shuffled fastText training lines and the count per label."""
    lines: list[str] = []
    counts = {POSITIVE: 0, NEGATIVE: 0}
    for label, paths in ((POSITIVE, positive), (NEGATIVE, negative)):
        for path in paths:
            for text in read_documents(path, text_field):
                words = classifier_line(text, max_chars)
                if words:
                    lines.append(f"{LABEL_PREFIX}{label} {words}")
                    counts[label] += 1
    for label, n in counts.items():
        if n == 0:
            raise TrainingDataError(f"no usable {label} documents in the training files")
    random.Random(seed).shuffle(lines)
    return lines, counts


def train_with_retries(train_path: str, attempts: int, **params: Any) -> Any:
    """``fasttext.train_supervised``; on "Encountered NaN" retry with half the learning rate.

    fastText 0.9.3 diverges now and then on small training files (measured: up to 8 runs
    in 10 on a 60-document file, at learning rates from 0.01 to 0.1), and a retry usually
    succeeds; a large corpus rarely needs one.
    """
    for attempt in range(attempts):
        try:
            return fasttext.train_supervised(input=train_path, **params)
        except RuntimeError as err:
            if "NaN" not in str(err) or attempt == attempts - 1:
                raise
            params["lr"] = params["lr"] / 2
            print(f"fastText diverged (NaN); retrying with lr={params['lr']:g}", file=sys.stderr)
    raise AssertionError("unreachable")


def run(args: argparse.Namespace, extra: list[str]) -> int:
    try:
        lines, counts = training_lines(
            args.positive, args.negative, args.text_field, args.max_chars, args.seed
        )
    except TrainingDataError as err:
        print(f"zhclean: error: {err}", file=sys.stderr)
        return 2
    out_dir = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", suffix=".txt", dir=out_dir, delete=False
    ) as fh:
        fh.write("\n".join(lines) + "\n")
        train_path = fh.name
    # fastText publishes its token count every lrUpdateRate tokens; on a tiny training file
    # that lag breaks the learning-rate schedule (measured: NaN in 8 of 10 runs on 12
    # documents, none with a rate <= 10), so small inputs get a proportionally small rate.
    tokens = sum(line.count(" ") for line in lines)
    lr_update_rate = max(1, min(args.lr_update_rate, tokens // 1000))
    try:
        model = train_with_retries(
            train_path,
            attempts=4,
            epoch=args.epoch,
            lr=args.lr,
            wordNgrams=args.word_ngrams,
            dim=args.dim,
            minCount=args.min_count,
            bucket=args.bucket,
            lrUpdateRate=lr_update_rate,
            thread=1,
            verbose=0,
        )
        model.save_model(args.output)
        n, precision, _recall = model.test(train_path)
        print(f"trained on {counts[POSITIVE]} {POSITIVE} + {counts[NEGATIVE]} {NEGATIVE} "
              f"documents; training-set precision@1 {precision:.3f} over {n}; wrote {args.output}")
        if args.quantize:
            quantized = os.path.splitext(args.output)[0] + ".ftz"
            model.quantize(input=train_path, retrain=True, epoch=args.epoch, lr=args.lr,
                           thread=1, verbose=0)
            model.save_model(quantized)
            print(f"wrote {quantized}")
    finally:
        os.unlink(train_path)
    return 0
