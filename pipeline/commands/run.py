"""``zhclean run``: the whole pipeline over WARC/WET inputs into an output folder.

Order of work: validate the config, the Beam options, the inputs (globs, manifests) and the
output, each failure being one line with exit code 2; only then build and run the graph. A
local run writes into a staging folder that becomes ``OUT`` only when everything succeeded
(:mod:`zhclean.pipeline.outputs`).
"""

from __future__ import annotations

import argparse
import json
import logging
import os

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.runner import PipelineState

from zhclean.pipeline.config import Config, load_config
from zhclean.pipeline.dryrun import dry_run
from zhclean.pipeline.graph import build_graph
from zhclean.pipeline.inputs import InputError, ManifestSpec, parse_shards, resolve_inputs
from zhclean.pipeline.outputs import OutputExistsError, check_output, is_remote, open_output
from zhclean.pipeline.progress import progress_logger
from zhclean.pipeline.provenance import provenance
from zhclean.pipeline.report import render_report
from zhclean.pipeline.runner import (
    RunnerOptionError,
    check_remote_options,
    fit_local_workers,
    is_local,
    make_options,
    new_pipeline,
    runner_name,
)
from zhclean.pipeline.summary import format_summary
from zhclean.transforms.write import out_path

__all__ = ["OutputExistsError", "register", "run_command"]

_LOG = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="clean WARC shards into kept shards, a drop manifest, stats and a report",
        description="Any further --option is passed to Apache Beam (e.g. --runner, "
        "--direct_num_workers, --project, --region, --temp_location, --setup_file, "
        "--sdk_container_image).",
    )
    parser.add_argument("--config", required=True, help="YAML config (e.g. configs/default.yaml)")
    parser.add_argument(
        "--input",
        action="append",
        default=[],
        help="WARC/WET path or glob, local or gs:// (repeatable)",
    )
    parser.add_argument(
        "--input-manifest",
        "--input_manifest",
        dest="input_manifest",
        help="Common Crawl path list (warc.paths.gz, wet.paths.gz; local or gs://)",
    )
    parser.add_argument(
        "--input-prefix",
        "--input_prefix",
        dest="input_prefix",
        help="folder the manifest's relative paths are under (local or gs://)",
    )
    parser.add_argument(
        "--shards",
        help="START:END — only manifest lines START..END-1 (e.g. 0:100)",
    )
    parser.add_argument("--output", required=True, help="output folder (local or gs://)")
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace a local OUT, atomically, once the new run has succeeded",
    )
    parser.add_argument(
        "--dry-run",
        "--dry_run",
        dest="dry_run",
        action="store_true",
        help="check config, options, inputs and output and build the graph (with Dataflow "
        "options: translate and validate the job) without running or submitting it",
    )
    parser.add_argument(
        "--detach",
        action="store_true",
        help="remote runners: return once the job is submitted (e.g. Flex Template launcher); "
        "the job writes stats.json itself, render the report later with `zhclean report OUT`",
    )
    parser.set_defaults(func=run_command, accepts_extra=True)


def _manifests(args: argparse.Namespace) -> list[ManifestSpec]:
    if not args.input_manifest:
        for flag, value in (("--input-prefix", args.input_prefix), ("--shards", args.shards)):
            if value:
                raise InputError(f"{flag} needs --input-manifest")
        return []
    shards = parse_shards(args.shards)
    return [ManifestSpec(args.input_manifest, args.input_prefix, shards)]


def _local_files(value: object, key: str = "") -> list[tuple[str, str]]:
    """``(config key, path)`` of every local file named in a config (as a dict)."""
    if isinstance(value, dict):
        return [hit for k, v in value.items() for hit in _local_files(v, f"{key}.{k}".strip("."))]
    if isinstance(value, list):
        return [hit for i, v in enumerate(value) for hit in _local_files(v, f"{key}[{i}]")]
    if isinstance(value, str) and os.path.isabs(value) and os.path.isfile(value):
        return [(key, value)]
    return []


def _check_locality(
    options: PipelineOptions, args: argparse.Namespace, inputs: list, config: Config
) -> None:
    """Remote workers cannot read or write this machine's disk."""
    if is_local(options):
        return
    named = _local_files(config.to_dict())
    if named:
        key, path = named[0]
        raise RunnerOptionError(
            f"config key '{key}' names a local file ({path}) that {runner_name(options)} "
            "workers cannot read: copy it to gs:// or use a builtin: file"
        )
    local = [f["path"] for f in inputs if not is_remote(f["path"])]
    if local:
        raise RunnerOptionError(
            f"{runner_name(options)} workers cannot read local inputs (e.g. {local[0]}): "
            "copy them to gs:// first"
        )
    if not is_remote(args.output):
        raise RunnerOptionError(
            f"{runner_name(options)} workers cannot write a local --output: use gs://"
        )


def _build(
    p: beam.Pipeline, config: Config, inputs: list[dict], output: str, meta: dict
) -> None:
    build_graph(p, config, [f["path"] for f in inputs], output, meta)


def _dry_run(
    options: PipelineOptions,
    config: Config,
    inputs: list[dict],
    args: argparse.Namespace,
    meta: dict,
) -> int:
    """Build (and for remote runners translate and validate) the job, run nothing."""
    check_output(args.output, args.overwrite)
    p = new_pipeline(options)
    _build(p, config, inputs, args.output, meta)
    print(dry_run(p, options, len(inputs), args.output).summary())
    return 0


def run_command(args: argparse.Namespace, beam_args: list[str]) -> int:
    config = load_config(args.config)
    manifests = _manifests(args)
    options = make_options(beam_args, dry_run=args.dry_run)
    check_remote_options(options)
    if args.detach and is_local(options):
        raise RunnerOptionError("--detach needs a remote runner (e.g. --runner DataflowRunner)")
    inputs = resolve_inputs(args.input, manifests)
    _check_locality(options, args, inputs, config)
    workers = fit_local_workers(options, beam_args, inputs)
    if workers:
        _LOG.info("%s", workers)
    meta = provenance(config, inputs, runner_name(options), manifests)
    if args.dry_run:
        return _dry_run(options, config, inputs, args, meta)

    slot = open_output(args.output, args.overwrite)
    _LOG.info("running on %d input files with %s", len(inputs), runner_name(options))
    with slot:  # local: staging folder renamed to OUT on success, removed on failure
        p = new_pipeline(options)
        _build(p, config, inputs, slot.work, meta)
        with progress_logger(is_local(options) and not args.detach, len(inputs)):
            result = p.run()
            if args.detach:
                job_id = getattr(result, "job_id", lambda: None)()
                print(f"submitted job {job_id or ''}; output: {slot.final}")
                return 0
            result.wait_until_finish()
        if result.state != PipelineState.DONE:
            raise RuntimeError(f"pipeline ended in state {result.state}")
    with FileSystems.open(out_path(slot.final, "stats", "stats.json")) as fh:
        stats = json.loads(fh.read())
    print(format_summary(stats, slot.final))
    return render_report(slot.final)

