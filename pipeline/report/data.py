"""Loading one run's audit outputs (stats.json and the samples) for the report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from apache_beam.io.filesystems import FileSystems

from zhclean.transforms.audit import DROPPED_SAMPLES, KEPT_SAMPLES, STATS
from zhclean.transforms.write import out_path

REPORT = ("stats", "report.html")
COMPARE = ("stats", "compare.html")


@dataclass
class RunData:
    """What the report shows of one run: its output folder, stats and samples."""

    output: str
    stats: dict[str, Any]
    samples: list[dict[str, Any]] = field(default_factory=list)
    kept_samples: list[dict[str, Any]] = field(default_factory=list)


def _read_text(path: str) -> str:
    with FileSystems.open(path) as fh:
        return fh.read().decode("utf-8", errors="replace")


def read_jsonl(path: str) -> list[dict[str, Any]]:
    """Records of a JSON-lines file; a missing file is an empty list (e.g. no drops)."""
    if not FileSystems.exists(path):
        return []
    records = []
    for line in _read_text(path).splitlines():
        line = line.strip()
        if line:
            record = json.loads(line)
            if isinstance(record, dict):
                records.append(record)
    return records


def load_run(output: str) -> RunData:
    """Read ``OUT/stats/stats.json`` and the samples of the run in ``output``."""
    output = output.rstrip("/") or output
    stats_path = out_path(output, *STATS)
    if not FileSystems.exists(stats_path):
        raise FileNotFoundError(f"no run in {output}: {stats_path} does not exist")
    try:
        stats = json.loads(_read_text(stats_path))
    except ValueError as err:
        raise FileNotFoundError(f"{stats_path} is not valid JSON: {err}") from None
    if not isinstance(stats, dict):
        raise FileNotFoundError(f"{stats_path} does not hold a stats object")
    return RunData(
        output=output,
        stats=stats,
        samples=read_jsonl(out_path(output, *DROPPED_SAMPLES)),
        kept_samples=read_jsonl(out_path(output, *KEPT_SAMPLES)),
    )


def write_text(path: str, text: str) -> None:
    with FileSystems.create(path) as fh:
        fh.write(text.encode("utf-8"))
