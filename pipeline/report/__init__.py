"""The audit report: a self-contained HTML page rendered from ``stats.json`` and the samples.

``write_report(OUT)`` renders ``OUT/stats/report.html``; ``write_compare(OUT, OTHER)`` renders
two runs side by side. Charts are plotly figures; plotly.js is embedded inline, so the file
opens without network access.
"""

from zhclean.pipeline.report.data import RunData, load_run
from zhclean.pipeline.report.render import (
    render_compare,
    render_report,
    render_run,
    write_compare,
    write_report,
)

__all__ = [
    "RunData",
    "load_run",
    "render_compare",
    "render_report",
    "render_run",
    "write_compare",
    "write_report",
]
