"""The one-screen summary printed after a run."""

from __future__ import annotations

from typing import Any


def format_summary(stats: dict[str, Any], output: str, top: int = 8) -> str:
    read = stats["records_read"]
    kept = stats["kept"]
    dropped = sum(stats["dropped"].values())
    errors = sum(stats["errors"].values())
    share = f"{kept / read:.1%}" if read else "n/a"
    lines = [
        f"records read: {read}   kept: {kept} ({share})   dropped: {dropped}   errors: {errors}",
        "funnel: " + " → ".join(f"{f['stage']} {f['out']}" for f in stats["funnel"]),
        "top drop reasons:",
    ]
    reasons = sorted(
        {**stats["dropped"], **stats["errors"]}.items(), key=lambda kv: (-kv[1], kv[0])
    )
    for key, n in reasons[:top]:
        lines.append(f"  {n:>7}  {key}")
    lines += [
        f"kept shards: {output}/kept/",
        f"manifest:    {output}/dropped/manifest-*.jsonl.gz",
        f"samples:     {output}/dropped/samples.jsonl",
        f"stats:       {output}/stats/stats.json",
        f"report:      {output}/stats/report.html",
    ]
    return "\n".join(lines)
