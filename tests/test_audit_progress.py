"""Local progress: workers (here: subprocesses and a real Beam pipeline) report to the launcher."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import FnApiRunner

from zhclean.filters.document import Document, DropEvent
from zhclean.pipeline.progress import ENV_DIR, ProgressLogger, progress_logger, read_snapshot
from zhclean.transforms.audit import TrackProgress, unflatten

WORKER = """
from zhclean.pipeline.progress import WorkerProgress
sink = WorkerProgress.get()
for _ in range(7):
    sink.add(records=1)
sink.add(shards=2)
sink.flush()
"""


def test_subprocess_workers_are_summed_and_logged(caplog):
    caplog.set_level(logging.INFO, logger="zhclean.progress")
    with ProgressLogger(total_shards=5, interval=3600) as logger:
        folder = os.environ[ENV_DIR]
        for _ in range(2):  # two worker processes, as with --direct_num_workers=2
            subprocess.run([sys.executable, "-c", WORKER], check=True)
        snap = read_snapshot(folder)
        assert (snap.records, snap.shards) == (14, 4)
        line = logger.log_once()
    assert "shards 4/5 read, 14 records" in line and "records/s" in line
    assert logger.lines[-1].endswith("(done)") and "shards 4/5" in logger.lines[-1]
    assert ENV_DIR not in os.environ and not os.path.exists(folder)
    assert any("progress: shards 4/5" in r.getMessage() for r in caplog.records)


def test_track_progress_counts_records_and_shards_in_a_pipeline():
    docs = [Document(id=f"d{i}", source_file=f"s{i // 4}.warc.gz") for i in range(12)]
    drops = [DropEvent(id="x", url="", stage="read", reason="not_html")]
    with ProgressLogger(total_shards=3, interval=3600) as logger:
        p = beam.Pipeline(runner=FnApiRunner(), options=PipelineOptions(flags=[]))
        (p | "docs" >> beam.Create(docs, reshuffle=False)) | "t1" >> beam.ParDo(TrackProgress())
        (p | "drops" >> beam.Create(drops, reshuffle=False)) | "t2" >> beam.ParDo(TrackProgress())
        p.run().wait_until_finish()
        snap = read_snapshot(os.environ[ENV_DIR])
    assert snap.records == 13 and snap.shards == 3
    assert "shards 3/3 read, 13 records" in logger.lines[-1]


def test_no_listener_means_no_files_and_remote_runs_only_point_to_counters(caplog):
    caplog.set_level(logging.INFO, logger="zhclean.progress")
    assert ENV_DIR not in os.environ
    p = beam.Pipeline(runner=FnApiRunner(), options=PipelineOptions(flags=[]))
    p | beam.Create([Document(id="a", source_file="f")]) | beam.ParDo(TrackProgress())
    p.run().wait_until_finish()  # no folder to write to: TrackProgress does nothing
    with progress_logger(local=False, total_shards=9) as logger:
        assert logger is None and ENV_DIR not in os.environ
    assert any("zhclean/shards_done" in r.getMessage() for r in caplog.records)


def test_progress_is_attached_before_flattens():
    p = beam.Pipeline(runner=FnApiRunner(), options=PipelineOptions(flags=[]))
    a = p | "a" >> beam.Create([1])
    b = p | "b" >> beam.Create([2])
    c = p | "c" >> beam.Create([3])
    both = (a, b) | "ab" >> beam.Flatten()
    assert unflatten([(both, c) | "abc" >> beam.Flatten()]) == [a, b, c]
    assert unflatten([a, both]) == [a, a, b]
