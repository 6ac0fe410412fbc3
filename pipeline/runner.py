"""Beam runner choice and pipeline options for zhclean.

Local runs (no ``--runner``, or ``DirectRunner``) use Beam's in-process ``FnApiRunner``: Beam
2.77's DirectRunner would first try the Prism runner, which downloads a binary (DESIGN.md §7).
By default they use every core: ``direct_num_workers`` = CPU count (Beam's own default is 1),
in ``multi_processing`` mode (one SDK worker process per core, so the CPU-bound Python stages do
not share one GIL; ``benchmarks/scaling.py`` measures 1 vs 2 workers and both modes).
``--direct_num_workers=1`` runs everything in this process (fastest start, easiest to debug).
Unless ``--direct_num_workers`` is given, :func:`fit_local_workers` then lowers the count to
the number of input files (a shard is read by one worker) and to 1 for inputs under
:data:`SMALL_INPUT_BYTES`, where worker start-up costs more than it saves.
FnApiRunner gives its worker processes no pipeline options; we pass them ``beam_plugins`` so
that they import the same plugin modules as Dataflow workers do (:mod:`zhclean.pipeline.gcs`).

Every other option passes through to Beam unchanged (``--runner DataflowRunner --project ...
--region ... --temp_location gs://... --setup_file ./setup.py | --sdk_container_image ...``).
``--dry-run`` (handled by the ``run`` command) sets Beam's ``dry_run`` test option: the
Dataflow runner then translates and validates the whole job (options, graph, staging of the
package) but returns before submitting it.
"""

from __future__ import annotations

import os

import apache_beam as beam
from apache_beam.options.pipeline_options import (
    DirectOptions,
    PipelineOptions,
    SetupOptions,
    StandardOptions,
    TestOptions,
    WorkerOptions,
)
from apache_beam.runners.runner import PipelineRunner

from zhclean.pipeline import gcs
from zhclean.pipeline.cli import UsageError

#: Below this much input, one in-process worker beats several worker processes (measured with
#: benchmarks/scaling.py on 2 cores: 7 MiB 21.0 s vs 22.2 s, 29 MiB 45.6 s vs 27.7–47.7 s,
#: 58 MiB 89.2 s vs 51.9 s).
SMALL_INPUT_BYTES = 16 * 2**20

#: Where the language model must be in a source checkout before its sdist is built.
MODEL_IN_SOURCE = ("filters", "resources", "lid.176.ftz")

LOCAL_RUNNERS = {None, "", "DirectRunner", "directrunner", "FnApiRunner", "fnapirunner"}


class RunnerOptionError(UsageError):
    """Beam options that cannot work together (one line, exit code 2)."""


def is_local(options: PipelineOptions) -> bool:
    return options.view_as(StandardOptions).runner in LOCAL_RUNNERS


def runner_name(options: PipelineOptions) -> str:
    return "FnApiRunner" if is_local(options) else str(options.view_as(StandardOptions).runner)


def make_options(beam_args: list[str], dry_run: bool = False) -> PipelineOptions:
    """Pipeline options from the pass-through arguments, with local defaults filled in."""
    options = PipelineOptions(beam_args)
    if is_local(options):
        direct = options.view_as(DirectOptions)
        # Beam's own default is 1 worker; 0 means "one per core" to Beam as well.
        if not _explicit(beam_args, "direct_num_workers") or direct.direct_num_workers == 0:
            direct.direct_num_workers = os.cpu_count() or 1
        if direct.direct_num_workers > 1 and not _explicit(beam_args, "direct_running_mode"):
            direct.direct_running_mode = "multi_processing"
    if dry_run:
        options.view_as(TestOptions).dry_run = True
    if gcs.emulator_host():
        # Worker processes import this module first, so they also talk to the emulator
        # anonymously instead of searching for credentials.
        setup = options.view_as(SetupOptions)
        setup.beam_plugins = sorted({*(setup.beam_plugins or []), gcs.PLUGIN})
    return options


def fit_local_workers(
    options: PipelineOptions, beam_args: list[str], inputs: list[dict]
) -> str | None:
    """Fewer local workers when more cannot help; returns what was decided (for the log).

    A shard is read by one worker (not splittable), so never more workers than input files;
    and below :data:`SMALL_INPUT_BYTES` one in-process worker finishes first, because each
    worker process pays ~4 s of start-up (imports, models). Only when the user did not choose
    ``--direct_num_workers``.
    """
    if not is_local(options) or _explicit(beam_args, "direct_num_workers"):
        return None
    direct = options.view_as(DirectOptions)
    total = sum(int(f.get("size_bytes") or 0) for f in inputs)
    workers = min(direct.direct_num_workers, max(1, len(inputs)))
    if total < SMALL_INPUT_BYTES:
        workers = 1
    if workers == direct.direct_num_workers:
        return f"{workers} local worker(s), {direct.direct_running_mode}"
    direct.direct_num_workers = workers
    if workers == 1 and not _explicit(beam_args, "direct_running_mode"):
        direct.direct_running_mode = "in_memory"
    return (
        f"{workers} local worker(s) for {len(inputs)} input file(s) of {total / 2**20:.1f} MiB "
        "(--direct_num_workers to choose)"
    )


def _explicit(beam_args: list[str], name: str) -> bool:
    return any(a.lstrip("-").split("=")[0] == name for a in beam_args)


def make_runner(options: PipelineOptions) -> PipelineRunner | str:
    """The runner object or name for ``beam.Pipeline``."""
    if not is_local(options):
        return options.view_as(StandardOptions).runner
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner

    return FnApiRunner(provision_info=_worker_provision(options))


def _worker_provision(options: PipelineOptions):
    """What FnApiRunner tells its worker processes. By default they get no pipeline options
    at all; we pass ``beam_plugins``, so that (like on Dataflow) every worker process imports
    those modules before running anything (e.g. :mod:`zhclean.pipeline.gcs`)."""
    plugins = options.view_as(SetupOptions).beam_plugins
    if not plugins:
        return None
    from apache_beam.portability.api import beam_provision_api_pb2
    from apache_beam.runners.job import utils as job_utils
    from apache_beam.runners.portability.fn_api_runner.fn_runner import ExtendedProvisionInfo

    info = beam_provision_api_pb2.ProvisionInfo(
        retrieval_token="unused-retrieval-token",
        pipeline_options=job_utils.dict_to_struct({"beam:option:beam_plugins:v1": list(plugins)}),
    )
    return ExtendedProvisionInfo(info)


def check_remote_options(options: PipelineOptions) -> None:
    """The options a remote (Dataflow) run needs, checked before anything is built."""
    if is_local(options):
        return
    from apache_beam.options.pipeline_options import GoogleCloudOptions

    cloud = options.view_as(GoogleCloudOptions)
    runner = options.view_as(StandardOptions).runner
    if str(runner).lower().startswith("dataflow"):
        missing = [
            f"--{name}"
            for name, value in (
                ("project", cloud.project),
                ("region", cloud.region),
                ("temp_location", cloud.temp_location),
            )
            if not value
        ]
        if missing:
            raise RunnerOptionError(f"{runner} needs {' '.join(missing)}")
        if not str(cloud.temp_location).startswith("gs://"):
            raise RunnerOptionError(
                f"--temp_location must be a gs:// path for {runner}: {cloud.temp_location}"
            )
        _check_package_shipped(options)


def _check_package_shipped(options: PipelineOptions) -> None:
    """Dataflow workers need zhclean and its data files: from the sdist or the image."""
    setup = options.view_as(SetupOptions)
    image = options.view_as(WorkerOptions).sdk_container_image
    if setup.setup_file:
        root = os.path.dirname(os.path.abspath(setup.setup_file))
        if not os.path.isfile(setup.setup_file):
            raise RunnerOptionError(f"--setup_file {setup.setup_file} does not exist")
        model = os.path.join(root, *MODEL_IN_SOURCE)
        if not os.path.isfile(model):
            raise RunnerOptionError(
                f"the sdist built from {setup.setup_file} would lack the language model "
                f"({model}): run scripts/vendor_langid_model.py (or `make install`) first"
            )
    elif not image and not setup.extra_packages:
        raise RunnerOptionError(
            "Dataflow workers need the zhclean package: pass --setup_file ./setup.py (from a "
            "source checkout) or --sdk_container_image IMAGE (built from the Dockerfile)"
        )


def new_pipeline(options: PipelineOptions) -> beam.Pipeline:
    """``beam.Pipeline`` for these options; Beam's option validation errors become one line."""
    try:
        return beam.Pipeline(runner=make_runner(options), options=options)
    except ValueError as err:
        lines = [line.strip() for line in str(err).splitlines() if line.strip()]
        detail = "; ".join(line for line in lines if "validations errors" not in line)
        raise RunnerOptionError(f"invalid Beam options: {detail or lines[0]}") from None
