"""The ``zhclean`` command line: one subcommand per module in :mod:`zhclean.pipeline.commands`.

Usage errors, config errors and missing files print one line on stderr and exit with code 2
before any work starts.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from zhclean.pipeline.config import ConfigError

# Each module defines ``register(subparsers)``, which adds its parser and sets ``func`` (a
# callable taking the parsed namespace and the unparsed extra arguments, returning the exit code).
COMMAND_MODULES = ("run", "explain", "report", "blocklist", "train_quality")


class UsageError(ValueError):
    """A command line that cannot be run (exit code 2)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhclean",
        description="Clean Common Crawl WARC shards into deduplicated, safe Chinese text.",
    )
    parser.add_argument("--log-level", default="INFO", help="Python logging level")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"zhclean.pipeline.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    logging.basicConfig(
        level=getattr(logging, str(args.log_level).upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if extra and not getattr(args, "accepts_extra", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.func(args, extra) or 0)
    except (ConfigError, UsageError, FileNotFoundError, FileExistsError) as err:
        print(f"zhclean: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
