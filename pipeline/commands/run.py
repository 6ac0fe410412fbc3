"""``zhclean run``: the whole pipeline over WARC inputs into an output folder."""

from __future__ import annotations

import argparse
import json
import logging

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from zhclean.pipeline.config import load_config
from zhclean.pipeline.graph import build_graph
from zhclean.pipeline.provenance import list_inputs, provenance
from zhclean.pipeline.runner import make_options, make_runner
from zhclean.pipeline.summary import format_summary
from zhclean.transforms.write import out_path

_LOG = logging.getLogger(__name__)


class OutputExistsError(FileExistsError):
    """The output folder already holds a run."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="clean WARC shards into kept shards, a drop manifest, stats and a report",
        description="Any further --option is passed to Apache Beam (e.g. --runner, "
        "--direct_num_workers, --project, --region, --temp_location).",
    )
    parser.add_argument("--config", required=True, help="YAML config (e.g. configs/default.yaml)")
    parser.add_argument(
        "--input", action="append", required=True, help="WARC path or glob (repeatable)"
    )
    parser.add_argument("--output", required=True, help="output folder (local or gs://)")
    parser.set_defaults(func=run_command, accepts_extra=True)


def check_output_free(output: str) -> None:
    stats = out_path(output, "stats", "stats.json")
    if FileSystems.exists(stats):
        raise OutputExistsError(
            f"output {output} already holds a run ({stats}); choose a new --output or delete it"
        )


def run_command(args: argparse.Namespace, beam_args: list[str]) -> int:
    config = load_config(args.config)
    inputs = list_inputs(args.input)
    check_output_free(args.output)
    options = make_options(beam_args)
    runner = make_runner(options)
    runner_name = runner if isinstance(runner, str) else type(runner).__name__
    meta = provenance(config, inputs, runner_name)
    _LOG.info("running on %d input files with %s", len(inputs), runner_name)
    with beam.Pipeline(runner=runner, options=options) as p:
        build_graph(p, config, [f["path"] for f in inputs], args.output, meta)
    with FileSystems.open(out_path(args.output, "stats", "stats.json")) as fh:
        stats = json.loads(fh.read())
    print(format_summary(stats, args.output))
    return 0
