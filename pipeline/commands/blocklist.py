"""``zhclean blocklist``: build a hash blocklist from plaintext or third-party digests, and
check list files.

``build`` normalises and hashes every input exactly as the matcher does (README "Blocklist")
and writes one sorted list file; ``check`` loads list files as a run would (same parser,
same errors) and prints their contents per kind and category, and optionally what they block.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import sys
import time
from collections.abc import Iterator
from typing import BinaryIO

from apache_beam.io.filesystems import FileSystems

from zhclean.filters.blocklist import (
    BlocklistBuilder,
    BlocklistFormatError,
    BlocklistInputError,
    make_rules,
)
from zhclean.filters.blocklist.builder import (
    InputReport,
    iter_text_lines,
    read_digest_lines,
    read_documents_jsonl,
    read_plain_lines,
)
from zhclean.filters.blocklist.keys import ALGO_HEX_CHARS
from zhclean.filters.blocklist.listfile import validate_category
from zhclean.filters.document import Document
from zhclean.pipeline.config.blocklist import BlocklistSection, FuzzySection
from zhclean.transforms.blocklist import load_index

_DEFAULTS = BlocklistSection()
_FUZZY = FuzzySection()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "blocklist", help='build or check hash blocklists (README "Blocklist")'
    )
    commands = parser.add_subparsers(dest="blocklist_command", required=True)

    build = commands.add_parser(
        "build",
        help="write a list file from URLs, domains, documents, paragraphs or digests",
        description="Every input option may be repeated. Plain-text inputs hold one entry per "
        "line (blank lines and lines starting with # are ignored); documents are JSON Lines "
        "with a 'text' field (and optionally a 'category' field). Digest inputs hold one hex "
        "digest per line, computed by a third party over keys normalised by our rules.",
    )
    build.add_argument("--output", required=True, help="list file to write (.gz: compressed)")
    build.add_argument("--urls", action="append", default=[], metavar="F", help="URLs")
    build.add_argument("--domains", action="append", default=[], metavar="F", help="domains")
    build.add_argument(
        "--documents", action="append", default=[], metavar="F.jsonl", help="documents (JSONL)"
    )
    build.add_argument(
        "--paragraphs", action="append", default=[], metavar="F", help="paragraphs, one per line"
    )
    for kind in ("url", "domain", "document", "paragraph"):
        build.add_argument(
            f"--{kind}-digests",
            action="append",
            default=[],
            metavar="F",
            help=f"third-party {kind} digests (algorithm: --algo)",
        )
    build.add_argument(
        "--algo",
        choices=list(ALGO_HEX_CHARS),
        help="algorithm of the --*-digests inputs (required with them)",
    )
    build.add_argument("--category", help="category of every entry (e.g. porn, abuse, spam)")
    build.add_argument(
        "--paragraph-min-chars",
        type=int,
        default=_DEFAULTS.paragraph_min_chars,
        help="refuse shorter paragraphs (normalised characters); must be >= the run's "
        "blocklist.paragraph_min_chars (default %(default)s)",
    )
    build.add_argument(
        "--no-near", action="store_true", help="do not add MinHash (near) entries for documents"
    )
    build.add_argument(
        "--num-perm", type=int, default=128, help="MinHash permutations (default %(default)s)"
    )
    build.add_argument(
        "--near-min-chars",
        type=int,
        default=_FUZZY.min_chars,
        help="no near entry for documents shorter than this (default %(default)s)",
    )
    build.add_argument(
        "--skip-invalid",
        action="store_true",
        help="skip (and count) input lines that cannot be used instead of stopping",
    )
    build.set_defaults(func=build_command)

    check = commands.add_parser(
        "check",
        help="validate list files and print their entries per kind and category",
    )
    check.add_argument("lists", nargs="+", metavar="LIST", help="list files (local or gs://)")
    check.add_argument("--url", action="append", default=[], help="report whether URL is blocked")
    check.add_argument(
        "--text-file", action="append", default=[], help="report whether this text is blocked"
    )
    check.add_argument("--threshold", type=float, default=_FUZZY.threshold, help="near threshold")
    check.set_defaults(func=check_command)


@contextlib.contextmanager
def _open_read(path: str) -> Iterator[BinaryIO]:
    if "://" in path:
        with FileSystems.open(path) as fh:
            yield fh
        return
    if not os.path.isfile(path):
        raise FileNotFoundError(f"input file not found: {path}")
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as fh:
        yield fh


@contextlib.contextmanager
def _open_write(path: str) -> Iterator[BinaryIO]:
    """Write to ``path``; a local file appears only once complete."""
    if "://" in path:
        with FileSystems.create(path) as fh:
            yield fh
        return
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as raw:
            if path.endswith(".gz"):
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                    yield gz  # type: ignore[misc]
            else:
                yield raw
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _fail(message: str) -> int:
    print(f"zhclean: error: {message}", file=sys.stderr)
    return 2


def build_command(args: argparse.Namespace, extra: list[str]) -> int:
    digest_inputs = {
        kind: getattr(args, f"{kind}_digests")
        for kind in ("url", "domain", "document", "paragraph")
    }
    if any(digest_inputs.values()) and not args.algo:
        return _fail("--algo is required with --url-digests/--domain-digests/... inputs")
    if not (args.urls or args.domains or args.documents or args.paragraphs) and not any(
        digest_inputs.values()
    ):
        return _fail(
            "nothing to build: give --urls, --domains, --documents, --paragraphs or digests"
        )
    if args.paragraph_min_chars < 1 or args.near_min_chars < 1:
        return _fail("--paragraph-min-chars and --near-min-chars must be at least 1")
    if not 16 <= args.num_perm <= 1024:
        return _fail("--num-perm must be between 16 and 1024")
    if args.category is not None:
        try:
            validate_category(args.category)
        except ValueError as err:
            return _fail(f"--category: {err}")

    started = time.perf_counter()
    builder = BlocklistBuilder(
        paragraph_min_chars=args.paragraph_min_chars,
        with_near=not args.no_near,
        num_perm=args.num_perm,
        near_min_chars=args.near_min_chars,
    )
    reports: list[InputReport] = []
    skip = args.skip_invalid
    try:
        for kind, paths in (
            ("url", args.urls),
            ("domain", args.domains),
            ("paragraph", args.paragraphs),
        ):
            for path in paths:
                with _open_read(path) as fh:
                    lines = iter_text_lines(fh, path)
                    reports.append(
                        read_plain_lines(builder, kind, lines, path, args.category, skip)
                    )
        for path in args.documents:
            with _open_read(path) as fh:
                lines = iter_text_lines(fh, path)
                reports.append(read_documents_jsonl(builder, lines, path, args.category, skip))
        for kind, paths in digest_inputs.items():
            for path in paths:
                with _open_read(path) as fh:
                    lines = iter_text_lines(fh, path)
                    reports.append(
                        read_digest_lines(
                            builder, kind, args.algo, lines, path, args.category, skip
                        )
                    )
        header = [f"# built from: {', '.join(os.path.basename(r.source) for r in reports)}"]
        with _open_write(args.output) as out:
            counts = builder.write(out, header)
    except (BlocklistInputError, OSError) as err:
        return _fail(str(err))
    summary = {
        "output": args.output,
        "entries": counts,
        "inputs": [
            {
                "file": r.source,
                "added": r.added,
                "skipped": r.skipped,
                "skipped_examples": r.examples,
            }
            for r in reports
        ],
        "seconds": round(time.perf_counter() - started, 2),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0


def check_command(args: argparse.Namespace, extra: list[str]) -> int:
    if not 0.0 < args.threshold <= 1.0:
        return _fail("--threshold must be in (0, 1]")
    started = time.perf_counter()
    try:
        for path in args.lists:
            if "://" not in path and not os.path.isfile(path):
                raise FileNotFoundError(f"list file not found: {path}")
        index = load_index(args.lists, near_threshold=args.threshold)
    except (BlocklistFormatError, OSError) as err:
        return _fail(str(err))
    summary: dict[str, object] = {
        "lists": args.lists,
        "entries": index.counts(),
        "categories": index.category_counts(),
        "memory_mb": round(index.nbytes() / 1e6, 1),
        "load_seconds": round(time.perf_counter() - started, 2),
    }
    rules = make_rules(index, _DEFAULTS.paragraph_min_chars, _FUZZY.min_chars)
    probes = [Document(id=url, url=url) for url in args.url]
    for path in args.text_file:
        with _open_read(path) as fh:
            probes.append(Document(id=path, text=fh.read().decode("utf-8", "replace")))
    decisions = []
    for doc in probes:
        verdict = next((v for r in rules if not (v := r.check(doc)).keep), None)
        decisions.append(
            {
                "probe": doc.id,
                "blocked": verdict is not None,
                "reason": f"blocklist/{verdict.reason}" if verdict else None,
                "category": verdict.detail if verdict else None,
            }
        )
    if decisions:
        summary["probes"] = decisions
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0
