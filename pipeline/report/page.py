"""HTML building blocks of the report, with every piece of run data escaped.

Sampled text comes from hostile web pages. It only ever reaches the page through
:func:`text` (``html.escape`` after making control and bidi characters visible), links only
through :func:`link` (``http``/``https`` only), and chart data only through :func:`json_block`
(JSON with ``<``, ``>``, ``&`` escaped, so nothing can close the ``<script>`` element that
holds it). A Content-Security-Policy with the hashes of the page's own two scripts stops any
other script from running, as a second line of defence.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from string import Template
from typing import Any

from plotly.offline import get_plotlyjs

_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_SAFE_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f\"'<>`\\]+$", re.IGNORECASE)


def text(value: Any) -> str:
    """Escaped text; control, bidi-override and lone-surrogate characters shown as ⟨U+XXXX⟩."""
    raw = "" if value is None else str(value)
    parts = []
    last = 0
    for match in _INVISIBLE.finditer(raw):
        parts.append(html.escape(raw[last : match.start()], quote=True))
        parts.append(f'<span class="ctl">⟨U+{ord(match.group()):04X}⟩</span>')
        last = match.end()
    parts.append(html.escape(raw[last:], quote=True))
    return "".join(parts)


def attr(value: Any) -> str:
    """A value for a double-quoted attribute."""
    return html.escape(_INVISIBLE.sub("\ufffd", "" if value is None else str(value)), quote=True)


def link(url: Any) -> str:
    """An ``http(s)`` URL as a link that sends no referrer; anything else as plain text."""
    raw = "" if url is None else str(url)
    if _SAFE_URL.match(raw):
        return (
            f'<a href="{attr(raw)}" rel="noopener noreferrer nofollow" target="_blank">'
            f"{text(raw)}</a>"
        )
    return f'<span class="url">{text(raw)}</span>'


def json_block(payload: Any) -> str:
    """JSON for a ``<script type="application/json">`` element: ASCII only, with ``<``, ``>``,
    ``&`` as ``\\u`` escapes, so ``</script>`` or ``<!--`` in the data cannot end the element."""
    blob = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return blob.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def fmt_int(n: Any) -> str:
    return f"{int(n):,}"


def fmt_pct(n: float, total: float) -> str:
    return f"{100.0 * n / total:.2f}%" if total else "—"


def fmt_num(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return text(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return text(value)


def table(headers: list[tuple[str, str]], rows: list[str], cls: str = "") -> str:
    """A table; ``headers`` are (label, css class), ``rows`` ready-made ``<tr>`` strings."""
    head = "".join(f'<th class="{c}">{text(h)}</th>' for h, c in headers)
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _asset(name: str) -> str:
    return resources.files("zhclean.pipeline").joinpath("templates", name).read_text("utf-8")


def plotly_js() -> str:
    js = get_plotlyjs()
    # Never the case in the shipped bundle; guarded so the element can only end where we say.
    return js.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def document(
    title: str, heading: str, subtitle: str, nav: str, body: str, data: dict[str, Any]
) -> str:
    """The whole page: template + inline CSS, plotly.js, data and the drawing script."""
    plotly = plotly_js()
    app = _asset("report.js")
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(plotly)} {_csp_hash(app)}",
            "style-src 'unsafe-inline'",
            "img-src data: blob:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return Template(_asset("report.html")).substitute(
        csp=attr(csp),
        title=text(title),
        heading=text(heading),
        subtitle=subtitle,
        nav=nav,
        css=_asset("report.css"),
        body=body,
        data=json_block(data),
        plotly_js=plotly,
        app_js=app,
    )
