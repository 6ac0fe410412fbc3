"""``zhclean report OUT [--compare OTHER_OUT]``: (re)render the audit report of a run."""

from __future__ import annotations

import argparse

from zhclean.pipeline.report import write_compare, write_report


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="(re)render OUT/stats/report.html from stats.json and the samples",
        description="Render the self-contained audit report of the run in OUT (local or gs://). "
        "With --compare, render run OUT (A) and OTHER_OUT (B) side by side into "
        "OUT/stats/compare.html.",
    )
    parser.add_argument("output", metavar="OUT", help="output folder of a `zhclean run`")
    parser.add_argument(
        "--compare", metavar="OTHER_OUT", help="a second run to show side by side (B)"
    )
    parser.add_argument(
        "--html",
        metavar="FILE",
        help="write the page here instead of OUT/stats/{report,compare}.html",
    )
    parser.set_defaults(func=report_command)


def report_command(args: argparse.Namespace, extra: list[str]) -> int:
    if args.compare:
        path = write_compare(args.output, args.compare, args.html)
    else:
        path = write_report(args.output, args.html)
    print(f"report: {path}")
    return 0
