"""Beam runner choice and pipeline options for zhclean.

Local runs (no ``--runner``, or ``DirectRunner``) use Beam's in-process ``FnApiRunner`` in
multi-processing mode with one worker per core: Beam 2.77's DirectRunner would first try the
Prism runner, which downloads a binary (DESIGN.md §7). Every other option passes through to
Beam unchanged (``--runner DataflowRunner --project ... --region ...``).
"""

from __future__ import annotations

import os

from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions
from apache_beam.runners.runner import PipelineRunner

LOCAL_RUNNERS = {None, "", "DirectRunner", "directrunner", "FnApiRunner"}


def is_local(options: PipelineOptions) -> bool:
    return options.view_as(StandardOptions).runner in LOCAL_RUNNERS


def make_options(beam_args: list[str]) -> PipelineOptions:
    """Pipeline options from the pass-through arguments, with local defaults filled in."""
    options = PipelineOptions(beam_args)
    if is_local(options):
        direct = options.view_as(DirectOptions)
        if not direct.direct_num_workers:
            direct.direct_num_workers = os.cpu_count() or 1
        if direct.direct_num_workers > 1 and not _explicit(beam_args, "direct_running_mode"):
            direct.direct_running_mode = "multi_processing"
    return options


def _explicit(beam_args: list[str], name: str) -> bool:
    return any(a.lstrip("-").split("=")[0] == name for a in beam_args)


def make_runner(options: PipelineOptions) -> PipelineRunner | str:
    """The runner object or name for ``beam.Pipeline``."""
    if not is_local(options):
        return options.view_as(StandardOptions).runner
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner

    return FnApiRunner()
