"""Local scaling: the whole ``zhclean run`` with 1 worker vs 2 workers, output compared.

Input: ``--shards`` WARC shards of ``--pages`` real Chinese article pages each (the raw HTML of
``extraction_zh/original/`` under ``--data``, GBK and UTF-8 as published; never copied into the
repository, written to a temporary folder). Every record gets its own id and URL; the same page
appears once per shard, so the upstream stages (read → decode → extract → language → quality →
blocklist) do full work on every record and dedup folds the copies.

Configurations (each run as its own ``zhclean run`` process, in turn, ``--repeats`` times, all
on a frozen copy of the code taken at start, since the checkout is shared and may change):

- ``1 worker``: ``--direct_num_workers=1`` (everything in one process) — the baseline;
- ``2 workers, multi_processing``: the default of a local run on this 2-core machine;
- ``2 workers, multi_threading``: same, with threads in one process (one GIL).

Printed per configuration: median wall time (process start to exit, so start-up, model loading
and writing are included), CPU seconds of the whole process tree (sampled from /proc, split into
launcher, worker processes and the extraction child processes), records/s, records/s per
worker, speed-up over the baseline, peak RSS summed over the process tree and of the largest
process, the load average around the runs, and whether kept records, drop manifest and counts
are identical to the baseline's. The machine must be otherwise idle for the speed-up to mean
anything: the load average is printed so that a busy machine shows.

    .venv/bin/python benchmarks/scaling.py [--shards 8] [--pages 69] [--repeats 3] [--modes mp,mt]

Measured on the 2-core machine (otherwise idle, load average ≤ 1.9 during the runs), code of
2026-11-22: ``--shards 64 --repeats 2 --modes mp`` (4,416 records): 1 worker 89.2 s, 2 workers
multi_processing 51.9 s, speed-up 1.72×, identical output, CPU 88.8 s vs 93.6 s, peak RSS
1.3 GiB vs 2.0 GiB. ``--shards 32 --repeats 3`` (load 1.4–4.0): multi_threading 1.04×: the
work is mostly Python under one GIL (extraction, in its own child process, is ~9 % of the CPU),
so threads do not scale. Start-up (imports, graph, worker processes, models: ~9 s) is paid
once, so small inputs scale less (32 shards, busier machine: median 1.10×, best 1.65×).
"""

from __future__ import annotations

import argparse
import glob
import gzip
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parent.parent
ZHCLEAN = str(Path(sys.executable).parent / "zhclean")
DEFAULT_DATA = "/work/shared/data/extraction_zh/original"
COUNTS = ("records_read", "kept", "dropped", "errors", "funnel")

CONFIGS = {  # key: (name, options); "1" is the baseline and always runs
    "1": ("1 worker", ["--direct_num_workers=1"]),
    "mp": ("2 workers, multi_processing", ["--direct_num_workers=2",
                                           "--direct_running_mode=multi_processing"]),
    "mt": ("2 workers, multi_threading", ["--direct_num_workers=2",
                                          "--direct_running_mode=multi_threading"]),
}


def write_shards(data: str, folder: Path, shards: int, pages: int) -> int:
    """Write the benchmark shards; returns the number of records."""
    files = sorted(glob.glob(os.path.join(data, "*.html")))[:pages]
    if not files:
        raise SystemExit(f"no *.html under {data}")
    bodies = [Path(f).read_bytes() for f in files]
    n = 0
    for s in range(shards):
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=True)
        for p, body in enumerate(bodies):
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                f"http://bench{s}.example/{p}.html",
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=headers,
                warc_headers_dict={
                    "WARC-Record-ID": f"<urn:uuid:{uuid.UUID(int=s * 100_000 + p)}>",
                    "WARC-Date": "2024-05-18T12:00:00Z",
                },
            )
            writer.write_record(record)
            n += 1
        (folder / f"bench-{s:05d}.warc.gz").write_bytes(out.getvalue())
    return n


def _role(pid: int, root: int) -> str:
    if pid == root:
        return "launcher"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmdline = fh.read()
    except OSError:
        return "other"
    if b"sdk_worker_main" in cmdline:
        return "workers"
    if b"zhclean.filters.timeout" in cmdline:
        return "extraction"
    return "other"


def _tree(root: int) -> dict[int, tuple[str, int, float]]:
    """``pid -> (role, RSS KiB, CPU seconds so far)`` for ``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    info: dict[int, tuple[int, float]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ppid, cpu, pages = int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        info[int(entry)] = (pages * page_kib, cpu / tick)
    found, stack = {}, [root]
    while stack:
        pid = stack.pop()
        if pid in info:
            found[pid] = (_role(pid, root), *info[pid])
        stack.extend(children.get(pid, []))
    return found


def freeze_code(dest: Path) -> dict[str, str]:
    """Copy the code as it is now to ``dest/zhclean`` and return an environment that imports
    it from there: the working tree may change while the benchmark runs (shared checkout), and
    every run must use the same code."""
    for name in ("pipeline", "transforms", "filters", "configs"):
        shutil.copytree(REPO / name, dest / "zhclean" / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(dest), env.get("PYTHONPATH")) if p)
    check = subprocess.run(
        [sys.executable, "-c", "import zhclean.pipeline.cli as m; print(m.__file__)"],
        env=env, capture_output=True, text=True, check=True, cwd=dest,
    )
    if not check.stdout.startswith(str(dest)):
        raise SystemExit(f"frozen code not picked up: {check.stdout.strip()}")
    return env


def run_once(inputs: str, out: Path, extra: list[str], code: Path, env: dict[str, str]) -> dict:
    config = str(code / "zhclean" / "configs" / "default.yaml")
    cmd = [ZHCLEAN, "--log-level=WARNING", "run", "--config", config,
           "--input", inputs, "--output", str(out), *extra]
    peak = {"sum": 0, "max": 0}
    cpu: dict[int, tuple[str, float]] = {}  # last CPU seconds seen per process
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            cwd=code)

    def watch() -> None:
        while proc.poll() is None:
            tree = _tree(proc.pid)
            rss = [kib for _, kib, _ in tree.values()]
            peak["sum"] = max(peak["sum"], sum(rss))
            peak["max"] = max(peak["max"], max(rss, default=0))
            for pid, (role, _, seconds) in tree.items():
                cpu[pid] = (role, max(seconds, cpu.get(pid, (role, 0.0))[1]))
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    watcher.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()[-3000:]}")
    by_role: dict[str, float] = {}
    for role, seconds in cpu.values():
        by_role[role] = by_role.get(role, 0.0) + seconds
    return {"wall": wall, "cpu": sum(by_role.values()), "cpu_by_role": by_role,
            "rss_sum_mib": peak["sum"] / 1024, "rss_max_mib": peak["max"] / 1024,
            "output": read_output(out)}


def read_output(out: Path) -> dict:
    def lines(pattern: str) -> list[str]:
        found = []
        for path in sorted(glob.glob(str(out / pattern))):
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                found += fh.read().splitlines()
        return sorted(found)

    stats = json.loads((out / "stats" / "stats.json").read_text())
    return {
        "kept": lines("kept/part-*.jsonl.gz"),
        "manifest": lines("dropped/manifest-*.jsonl.gz"),
        "counts": {k: stats.get(k) for k in COUNTS},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--pages", type=int, default=69)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--modes", default="mp,mt", help="besides the baseline: mp, mt or both")
    args = parser.parse_args()
    configs = [CONFIGS["1"], *(CONFIGS[m] for m in args.modes.split(",") if m in CONFIGS)]

    from zhclean.pipeline.runner import make_options

    default = make_options([]).get_all_options()
    print(f"cpu count {os.cpu_count()}; default local run: direct_num_workers="
          f"{default['direct_num_workers']}, direct_running_mode={default['direct_running_mode']}")
    with tempfile.TemporaryDirectory(prefix="zhclean-scaling-") as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "in").mkdir()
        records = write_shards(args.data, tmp_path / "in", args.shards, args.pages)
        code = tmp_path / "code"
        env = freeze_code(code)
        inputs = str(tmp_path / "in" / "*.warc.gz")
        print(f"{records} records in {args.shards} shards; load average before: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        results: dict[str, list[dict]] = {name: [] for name, _ in configs}
        for r in range(args.repeats):
            for i, (name, extra) in enumerate(configs):
                out = tmp_path / f"out-{r}-{i}"
                res = run_once(inputs, out, extra, code, env)
                results[name].append(res)
                split = ", ".join(f"{k} {v:.1f}" for k, v in sorted(res["cpu_by_role"].items()))
                print(f"  repeat {r + 1} {name}: {res['wall']:.1f} s, CPU {res['cpu']:.1f} s "
                      f"({split}) "
                      f"(load {os.getloadavg()[0]:.2f})", flush=True)
        base_name = configs[0][0]
        base = statistics.median(x["wall"] for x in results[base_name])
        reference = results[base_name][0]["output"]
        print(f"\n{'configuration':32} {'median s':>9} {'CPU s':>7} {'rec/s':>7} "
              f"{'rec/s/worker':>12} {'speed-up':>8} {'RSS sum MiB':>11} {'RSS max MiB':>11} "
              "identical")
        for name, _ in configs:
            runs = results[name]
            wall = statistics.median(x["wall"] for x in runs)
            cpu = statistics.median(x["cpu"] for x in runs)
            workers = 2 if "2 workers" in name else 1
            same = all(x["output"] == reference for x in runs)
            for x in runs:
                for part in ("counts", "kept", "manifest"):
                    if x["output"][part] != reference[part]:
                        print(f"  {name}: {part} differs from the baseline's")
            print(f"{name:32} {wall:9.1f} {cpu:7.1f} {records / wall:7.1f} "
                  f"{records / wall / workers:12.1f} "
                  f"{base / wall:8.2f} {max(x['rss_sum_mib'] for x in runs):11.0f} "
                  f"{max(x['rss_max_mib'] for x in runs):11.0f} {'yes' if same else 'NO'}")
        print(f"kept {reference['counts']['kept']} of {reference['counts']['records_read']}; "
              f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
