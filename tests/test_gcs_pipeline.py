"""The whole pipeline from gs:// to gs:// (real GCS API server on loopback, no mocked client)
gives the same kept ids and counts as from local disk; gs:// failures are one line, exit 2."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from apache_beam.io.filesystems import FileSystems

from tests.gcs_emulator import gcs_emulator
from zhclean.pipeline import cli

REPO = Path(__file__).resolve().parent.parent
CONFIG = str(REPO / "configs" / "default.yaml")
SHARDS = ("sample-00000.warc.gz", "sample-wet-00000.warc.wet.gz")
COUNTS = ("records_read", "kept", "dropped", "errors", "funnel", "skipped_records")


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("warc")
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_sample_warcs.py"), "--out", str(folder)],
        check=True, capture_output=True,
    )
    return folder


@pytest.fixture(scope="module")
def gcs(samples):
    with gcs_emulator() as server:
        server.make_bucket("zh-e2e")
        for name in SHARDS:
            server.upload_file(f"gs://zh-e2e/in/{name}", samples / name)
        yield server


def zhclean(*argv: str) -> int:
    return cli.main(["--log-level=WARNING", "run", "--config", CONFIG, *argv])


def read_text(path: str) -> str:
    with FileSystems.open(path) as fh:
        return fh.read().decode("utf-8")


def kept_ids(output: str) -> list[str]:
    ids = []
    for match in FileSystems.match([f"{output}/kept/part-*.jsonl.gz"])[0].metadata_list:
        with FileSystems.open(match.path) as fh:  # AUTO compression: .gz is inflated
            ids += [json.loads(line)["id"] for line in fh.read().decode().splitlines()]
    return sorted(ids)


def dropped_ids(output: str) -> list[str]:
    ids = []
    for match in FileSystems.match([f"{output}/dropped/manifest-*.jsonl.gz"])[0].metadata_list:
        with FileSystems.open(match.path) as fh:
            ids += [json.loads(line)["id"] for line in fh.read().decode().splitlines()]
    return sorted(ids)


@pytest.fixture(scope="module")
def local_run(samples, tmp_path_factory) -> str:
    inputs = tmp_path_factory.mktemp("in")
    for name in SHARDS:
        shutil.copy(samples / name, inputs / name)
    out = str(tmp_path_factory.mktemp("runs") / "local")
    args = ["--input", str(inputs / "*.warc.gz"), "--input", str(inputs / "*.wet.gz")]
    assert zhclean(*args, "--output", out, "--direct_num_workers=1") == 0
    return out


@pytest.fixture(scope="module")
def gcs_run(gcs) -> str:
    out = "gs://zh-e2e/runs/one"
    args = ["--input", "gs://zh-e2e/in/*.warc.gz", "--input", "gs://zh-e2e/in/*.wet.gz"]
    assert zhclean(*args, "--output", out, "--direct_num_workers=1") == 0
    return out


def test_gcs_and_local_runs_agree(local_run, gcs_run, gcs):
    local_stats = json.loads(read_text(f"{local_run}/stats/stats.json"))
    gcs_stats = json.loads(read_text(f"{gcs_run}/stats/stats.json"))
    assert local_stats["kept"] > 0 and local_stats["records_read"] > 0
    assert {k: gcs_stats[k] for k in COUNTS} == {k: local_stats[k] for k in COUNTS}
    assert kept_ids(gcs_run) == kept_ids(local_run)
    assert dropped_ids(gcs_run) == dropped_ids(local_run)
    assert all(f["path"].startswith("gs://zh-e2e/in/") for f in gcs_stats["inputs"])
    written = gcs.list("gs://zh-e2e/runs/one/")
    assert "gs://zh-e2e/runs/one/stats/stats.json" in written
    assert not any("beam-temp" in path for path in written), "temporary files cleaned up"


def test_wet_conversion_records_are_read(local_run):
    records = []
    for match in FileSystems.match([f"{local_run}/kept/part-*.jsonl.gz"])[0].metadata_list:
        with gzip.open(match.path, "rt", encoding="utf-8") as fh:
            records += [json.loads(line) for line in fh]
    manifest = []
    for match in FileSystems.match([f"{local_run}/dropped/manifest-*.jsonl.gz"])[0].metadata_list:
        with gzip.open(match.path, "rt", encoding="utf-8") as fh:
            manifest += [json.loads(line) for line in fh]
    wet_kept = [r for r in records if r["source"]["file"].endswith(".wet.gz")]
    assert wet_kept, "WET conversion records reach the output"
    assert all(r["text"] for r in wet_kept)
    # Extraction is skipped for WET text, so no WET record can fail extraction.
    wet_ids = {r["id"] for r in wet_kept}
    assert not [m for m in manifest if m["id"] in wet_ids]


def test_rerun_into_a_used_gcs_output_is_refused(gcs_run, capsys):
    before = read_text(f"{gcs_run}/stats/stats.json")
    code = zhclean("--input", "gs://zh-e2e/in/*.warc.gz", "--output", gcs_run,
                   "--direct_num_workers=1")
    err = capsys.readouterr().err.strip()
    assert code == 2 and "is not empty" in err and "\n" not in err
    assert read_text(f"{gcs_run}/stats/stats.json") == before


def test_missing_bucket_and_object_exit_2_with_one_line(gcs, capsys):
    cases = [
        (["--input", "gs://zh-missing/in/*.warc.gz", "--output", "gs://zh-e2e/runs/x"],
         "input bucket gs://zh-missing does not exist"),
        (["--input", "gs://zh-e2e/in/none.warc.gz", "--output", "gs://zh-e2e/runs/x"],
         "input matches no file: gs://zh-e2e/in/none.warc.gz"),
        (["--input", "gs://zh-e2e/in/*.warc.gz", "--output", "gs://zh-missing-out/x"],
         "output bucket gs://zh-missing-out does not exist"),
        (["--input-manifest", "gs://zh-e2e/none.paths.gz", "--input-prefix", "gs://zh-e2e/",
          "--output", "gs://zh-e2e/runs/x"],
         "input manifest does not exist: gs://zh-e2e/none.paths.gz"),
    ]
    for argv, message in cases:
        code = zhclean(*argv)
        err = capsys.readouterr().err.strip()
        assert code == 2, argv
        assert err == f"zhclean: error: {err.split('error: ', 1)[1]}" and "\n" not in err
        assert message in err, err
    assert not gcs.list("gs://zh-e2e/runs/x")
