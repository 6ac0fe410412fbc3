"""Runner options: local runs use every core by default; remote options pass through."""

from __future__ import annotations

import os

from apache_beam.options.pipeline_options import (
    DirectOptions,
    GoogleCloudOptions,
    SetupOptions,
    WorkerOptions,
)
from apache_beam.runners.portability.fn_api_runner import FnApiRunner

from zhclean.pipeline import gcs
from zhclean.pipeline.runner import fit_local_workers, make_options, make_runner


def direct(args: list[str]) -> tuple[int, str]:
    options = make_options(args).view_as(DirectOptions)
    return options.direct_num_workers, options.direct_running_mode


def test_local_default_uses_every_core():
    cores = os.cpu_count() or 1
    workers, mode = direct([])
    assert workers == cores
    assert mode == ("multi_processing" if cores > 1 else "in_memory")
    assert isinstance(make_runner(make_options([])), FnApiRunner)  # never Prism
    assert direct(["--direct_num_workers=0"])[0] == cores


def test_explicit_local_choices_are_kept():
    assert direct(["--direct_num_workers=1"]) == (1, "in_memory")
    assert direct(["--direct_num_workers=2", "--direct_running_mode=multi_threading"]) == (
        2,
        "multi_threading",
    )
    assert direct(["--runner=DirectRunner", "--direct_num_workers=3"]) == (3, "multi_processing")


def test_remote_options_pass_through_unchanged():
    args = [
        "--runner=DataflowRunner", "--project=p-123456", "--region=europe-west4",
        "--temp_location=gs://b/tmp", "--sdk_container_image=europe-docker.pkg.dev/p/r/z:1",
        "--max_num_workers=300", "--experiments=use_runner_v2", "--machine_type=n2-highcpu-8",
    ]
    options = make_options(args)
    assert make_runner(options) == "DataflowRunner"
    cloud, worker = options.view_as(GoogleCloudOptions), options.view_as(WorkerOptions)
    assert (cloud.project, cloud.region, cloud.temp_location) == (
        "p-123456", "europe-west4", "gs://b/tmp",
    )
    assert worker.sdk_container_image == "europe-docker.pkg.dev/p/r/z:1"
    assert worker.max_num_workers == 300 and worker.machine_type == "n2-highcpu-8"
    assert "use_runner_v2" in options.get_all_options()["experiments"]
    assert options.view_as(DirectOptions).direct_num_workers == 1  # local defaults untouched


def test_emulator_plugin_reaches_worker_processes(monkeypatch):
    monkeypatch.delenv(gcs.EMULATOR_ENV, raising=False)
    assert gcs.PLUGIN not in (make_options([]).view_as(SetupOptions).beam_plugins or [])
    monkeypatch.setenv(gcs.EMULATOR_ENV, "http://127.0.0.1:1")
    assert gcs.PLUGIN in make_options([]).view_as(SetupOptions).beam_plugins


def test_local_workers_fit_the_input():
    cores = os.cpu_count() or 1
    big = 40 * 2**20

    def fitted(args, sizes):
        options = make_options(args)
        note = fit_local_workers(options, args, [{"path": f"s{i}", "size_bytes": n}
                                                 for i, n in enumerate(sizes)])
        return direct_of(options), note

    (workers, mode), note = fitted([], [1000, 2000])  # small: one in-process worker is faster
    assert (workers, mode) == (1, "in_memory") and "--direct_num_workers" in (note or "")
    (workers, _), _ = fitted([], [big])  # one shard is read by one worker
    assert workers == 1
    (workers, _), _ = fitted([], [big] * 8)
    assert workers == cores
    assert fitted(["--direct_num_workers=2"], [10]) == ((2, "multi_processing"), None)


def direct_of(options) -> tuple[int, str]:
    direct_options = options.view_as(DirectOptions)
    return direct_options.direct_num_workers, direct_options.direct_running_mode
