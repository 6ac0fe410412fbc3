"""Dataflow, proved as far as it can be without Google Cloud: option checks, a ``--dry-run``
that makes Beam's Dataflow runner translate and validate the whole job (and build and inspect
the sdist for ``--setup_file``) without submitting it, and the Flex Template spec and entry
point. gs:// paths are served by a real GCS API server on loopback (gcp-storage-emulator)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from apache_beam.options.pipeline_options import GoogleCloudOptions, PipelineOptions, WorkerOptions

from tests.gcs_emulator import gcs_emulator
from tests.warc_factory import html_page, http_response, rid, warc_bytes
from zhclean.pipeline import cli
from zhclean.pipeline.commands import run as run_module
from zhclean.pipeline.runner import RunnerOptionError, check_remote_options, make_options

REPO = Path(__file__).resolve().parent.parent
CONFIG = str(REPO / "configs" / "default.yaml")
sys.path.insert(0, str(REPO / "dataflow"))
import launch  # noqa: E402  (dataflow/launch.py, the Flex Template entry point)

DATAFLOW = [
    "--runner=DataflowRunner",
    "--project=zh-clean-test",
    "--region=us-central1",
    "--temp_location=gs://zh-df/tmp",
]


@pytest.fixture(scope="module")
def gcs():
    with gcs_emulator() as server:
        server.make_bucket("zh-df")
        for i in range(2):
            page = http_response(f"http://df.cn/{i}", html_page(f"数据流{i}"), record_id=rid(i))
            server.upload(f"gs://zh-df/in/s-{i}.warc.gz", warc_bytes([page]))
        yield server


@pytest.fixture(scope="module")
def source_tree(tmp_path_factory) -> Path:
    """A copy of the checkout, so the sdist Beam builds does not touch the shared tree."""
    dst = tmp_path_factory.mktemp("src") / "zhclean"
    shutil.copytree(
        REPO,
        dst,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", "out", "examples",
            ".pytest_cache", ".ruff_cache", "benchmarks", "tests",
        ),
    )
    return dst


def test_dataflow_dry_run_validates_job_without_submitting(gcs, source_tree, capsys, monkeypatch):
    reports = []
    real = run_module.dry_run

    def keep_report(*args, **kwargs):
        reports.append(real(*args, **kwargs))
        return reports[-1]

    monkeypatch.setattr(run_module, "dry_run", keep_report)
    code = cli.main(
        [
            "--log-level=WARNING", "run", "--config", CONFIG,
            "--input", "gs://zh-df/in/*.warc.gz", "--output", "gs://zh-df/out/run1",
            *DATAFLOW,
            f"--setup_file={source_tree / 'setup.py'}",
            "--max_num_workers=7", "--machine_type=n2-standard-4", "--job_name=zh-dry-run",
            "--dry-run",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "dry run OK: DataflowRunner, 2 input file(s)" in out
    assert "nothing was run or submitted" in out
    (report,) = reports
    # The sdist Beam built from --setup_file is staged as workflow.tar.gz and was checked.
    assert "workflow.tar.gz" in report.artifacts
    assert report.transforms > 50
    # Options passed through to the Dataflow job description.
    job_options = report.job.options
    assert job_options.view_as(GoogleCloudOptions).job_name == "zh-dry-run"
    assert job_options.view_as(WorkerOptions).max_num_workers == 7
    assert job_options.view_as(WorkerOptions).machine_type == "n2-standard-4"
    assert report.job.proto.name == "zh-dry-run"
    assert not gcs.list("gs://zh-df/out/"), "a dry run writes nothing"


def run_cli(*argv: str, capsys) -> tuple[int, str]:
    code = cli.main(["--log-level=ERROR", "run", "--config", CONFIG, *argv])
    return code, capsys.readouterr().err.strip()


def test_dataflow_refuses_local_paths_and_missing_package(gcs, tmp_path, capsys):
    local = tmp_path / "a.warc.gz"
    local.write_bytes(warc_bytes([http_response("http://x.cn/", html_page("本地"))]))
    image = "--sdk_container_image=example/zhclean:0.1.0"
    code, err = run_cli("--input", str(local), "--output", "gs://zh-df/o", *DATAFLOW, image,
                        capsys=capsys)
    assert code == 2 and "workers cannot read local inputs" in err and "\n" not in err
    code, err = run_cli("--input", "gs://zh-df/in/*.warc.gz", "--output", str(tmp_path / "o"),
                        *DATAFLOW, image, capsys=capsys)
    assert code == 2 and "cannot write a local --output" in err
    code, err = run_cli("--input", "gs://zh-df/in/*.warc.gz", "--output", "gs://zh-df/o",
                        *DATAFLOW, capsys=capsys)
    assert code == 2 and "--setup_file ./setup.py" in err and "--sdk_container_image" in err


def test_dataflow_refuses_config_naming_local_files(gcs, tmp_path, capsys):
    config = tmp_path / "local-model.yaml"
    model = REPO / "filters" / "resources" / "lid.176.ftz"
    config.write_text(f"language:\n  model_path: {model}\n")
    code = cli.main(["--log-level=ERROR", "run", "--config", str(config),
                     "--input", "gs://zh-df/in/*.warc.gz", "--output", "gs://zh-df/o", *DATAFLOW,
                     "--sdk_container_image=example/zhclean:0.1.0"])
    err = capsys.readouterr().err
    assert code == 2 and "config key 'language.model_path' names a local file" in err


def test_remote_option_checks(tmp_path):
    with pytest.raises(RunnerOptionError, match="needs --project --region"):
        check_remote_options(make_options(["--runner=DataflowRunner", "--temp_location=gs://b/t"]))
    with pytest.raises(RunnerOptionError, match="must be a gs:// path"):
        check_remote_options(make_options([*DATAFLOW[:3], "--temp_location=/tmp/x"]))
    (tmp_path / "setup.py").write_text("")
    with pytest.raises(RunnerOptionError, match="would lack the language model"):
        check_remote_options(make_options([*DATAFLOW, f"--setup_file={tmp_path / 'setup.py'}"]))
    check_remote_options(make_options([*DATAFLOW, f"--setup_file={REPO / 'setup.py'}"]))


def test_detach_needs_a_remote_runner(tmp_path, capsys):
    local = tmp_path / "a.warc.gz"
    local.write_bytes(warc_bytes([http_response("http://x.cn/", html_page("本地"))]))
    code, err = run_cli("--input", str(local), "--output", str(tmp_path / "o"), "--detach",
                        capsys=capsys)
    assert code == 2 and "--detach needs a remote runner" in err
    assert not (tmp_path / "o").exists()


def test_flex_template_metadata_parameters_reach_zhclean_and_beam():
    spec = json.loads((REPO / "dataflow" / "metadata.json").read_text())
    params = {p["name"]: p for p in spec["parameters"]}
    assert not params["output"].get("isOptional", False)
    values = {
        "output": "gs://b/runs/r1",
        "input": "gs://b/cc/*.warc.gz",
        "input_manifest": "gs://b/cc/warc.paths.gz",
        "input_prefix": "gs://b/cc/",
        "shards": "0:100",
        "config": "gs://b/configs/zh.yaml",
    }
    assert set(values) == set(params), "test every declared parameter"
    # What the Flex Template launcher passes: --name=value per parameter, plus Dataflow options
    # (flex_template.sh sets the worker image with --additional-pipeline-options).
    image = "us-docker.pkg.dev/p/r/zhclean:0.1.0"
    argv = [f"--{k}={v}" for k, v in values.items()] + DATAFLOW[1:]
    argv.append(f"--sdk_container_image={image}")
    args, extra = cli.build_parser().parse_known_args(launch.zhclean_argv(argv))
    assert args.func is run_module.run_command and args.detach
    assert (args.output, args.input, args.input_manifest, args.input_prefix, args.shards,
            args.config) == (values["output"], [values["input"]], values["input_manifest"],
                             values["input_prefix"], values["shards"], values["config"])
    options = PipelineOptions(extra)
    assert options.view_as(WorkerOptions).sdk_container_image == image
    assert options.get_all_options()["runner"] == "DataflowRunner"
    assert options.view_as(GoogleCloudOptions).project == "zh-clean-test"
    for name, p in params.items():
        for pattern in p.get("regexes", []):
            assert re.fullmatch(pattern, values[name]), (name, pattern)


def test_flex_launcher_defaults_to_packaged_config():
    args, _ = cli.build_parser().parse_known_args(launch.zhclean_argv(["--output=gs://b/o"]))
    assert Path(args.config).is_file() and args.config.endswith("default.yaml")


def test_flex_template_script_usage(tmp_path):
    script = REPO / "dataflow" / "flex_template.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    env = {**os.environ, "PROJECT": "p-1", "REGION": "us-central1", "BUCKET": "b"}
    done = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True)
    assert done.returncode == 2 and "usage:" in done.stderr
    done = subprocess.run(["bash", str(script), "run"], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "give the template parameters" in done.stderr


def test_local_dry_run_builds_the_graph_and_writes_nothing(tmp_path, capsys):
    local = tmp_path / "a.warc.gz"
    local.write_bytes(warc_bytes([http_response("http://x.cn/", html_page("本地"))]))
    code = cli.main(["--log-level=ERROR", "run", "--config", CONFIG, "--input", str(local),
                     "--output", str(tmp_path / "o"), "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0 and "dry run OK: FnApiRunner, 1 input file(s)" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.warc.gz"]
