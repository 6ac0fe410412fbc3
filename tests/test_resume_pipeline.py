"""Reruns of the real pipeline into the same local OUT: refused, or replaced atomically with
``--overwrite``; a run killed half-way leaves OUT untouched. Never a mix of two runs."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zhclean.pipeline import cli
from zhclean.pipeline.outputs import stale_staging

REPO = Path(__file__).resolve().parent.parent
CONFIG = str(REPO / "configs" / "default.yaml")


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("warc")
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_sample_warcs.py"), "--out", str(folder)],
        check=True, capture_output=True,
    )
    return folder


def zhclean(*argv: str) -> int:
    return cli.main(["--log-level=WARNING", "run", "--config", CONFIG, *argv])


def all_ids(out: Path) -> set[str]:
    ids = set()
    for pattern in ("kept/part-*.jsonl.gz", "dropped/manifest-*.jsonl.gz"):
        for path in out.glob(pattern):
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                ids |= {json.loads(line)["id"] for line in fh}
    return ids


def test_rerun_refused_then_overwrite_replaces_whole_output(samples, tmp_path, capsys):
    out = tmp_path / "out"
    warc, wet = str(samples / "sample-00000.warc.gz"), str(samples / "sample-wet-00000.warc.wet.gz")
    assert zhclean("--input", warc, "--output", str(out), "--direct_num_workers=1") == 0
    first = json.loads((out / "stats" / "stats.json").read_text())
    first_ids = all_ids(out)
    capsys.readouterr()

    assert zhclean("--input", wet, "--output", str(out), "--direct_num_workers=1") == 2
    err = capsys.readouterr().err
    assert "is not empty" in err and "--overwrite" in err
    assert json.loads((out / "stats" / "stats.json").read_text()) == first

    assert zhclean("--input", wet, "--output", str(out), "--direct_num_workers=1",
                   "--overwrite") == 0
    second = json.loads((out / "stats" / "stats.json").read_text())
    assert [f["path"] for f in second["inputs"]] == [wet]
    ids = all_ids(out)
    # Every id of the new run once, nothing left from the first run.
    assert len(ids) == second["records_read"] and not ids & first_ids
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_killed_run_leaves_no_output_and_rerun_completes(samples, tmp_path):
    out = tmp_path / "out"
    slow = tmp_path / "slow.yaml"  # the slower extractor widens the window before the commit
    slow.write_text("extract:\n  extractor: trafilatura\n")
    cmd = [str(Path(sys.executable).parent / "zhclean"), "--log-level=WARNING", "run",
           "--config", str(slow), "--input", str(samples / "*.warc.gz"), "--output", str(out),
           "--direct_num_workers=1"]
    scratch = tmp_path / "tmp"  # the killed run's own temporary files stay in here
    scratch.mkdir()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, env={**os.environ, "TMPDIR": str(scratch)})
    try:
        deadline = time.monotonic() + 120
        written = []
        while time.monotonic() < deadline and proc.poll() is None:
            written = [p for s in stale_staging(str(out)) for p in Path(s).rglob("*")
                       if p.is_file()]
            if written:
                break  # kill at once: the run commits soon after it starts writing
            time.sleep(0.02)
        assert written, "the run wrote nothing into its staging folder before ending"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker processes, mid-write
        proc.wait()
    assert not out.exists(), "a killed run must not leave a partial OUT"
    leftovers = stale_staging(str(out))
    assert len(leftovers) == 1
    slow.unlink()

    assert zhclean("--input", str(samples / "*.warc.gz"), "--output", str(out),
                   "--direct_num_workers=1") == 0
    stats = json.loads((out / "stats" / "stats.json").read_text())
    assert len(all_ids(out)) == stats["records_read"] > 0
    assert stale_staging(str(out)) == leftovers  # named in a warning, never read or merged
