"""Extract stage: decoded HTML → main text, bounded in size and time.

:class:`HtmlExtractor` turns ``doc.html`` into ``doc.text`` (one paragraph per line) with the
back-end chosen in the config (:mod:`zhclean.filters.extractors`: trafilatura or resiliparse)
and drops pages with no text (``extract/empty``) or that take too long
(``extract/timeout``). Forum thread pages give their post bodies
(:mod:`zhclean.filters.forum`). :class:`~zhclean.filters.boilerplate.BoilerplateLineCleaner`
then cuts site-boilerplate lines and drops, under the same reason ``empty``, a page that has
no text left.
"""

from __future__ import annotations

import importlib.util
from typing import Literal

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document
from zhclean.filters.extractors import EXTRACTORS, extract, sanitize_html, tidy_lines
from zhclean.filters.timeout import CallTimeout, ProcessRunner, ThreadRunner
from zhclean.filters.verdict import KEEP, Verdict

Isolation = Literal["process", "thread"]

_WARMUP_HTML = "<html><body><article><p>预热：加载解析器与抽取器。</p></article></body></html>"


def truncate_utf8(html: str, max_bytes: int) -> tuple[bytes, int]:
    """``html`` as UTF-8, cut to at most ``max_bytes`` bytes at a character boundary, and its
    full encoded size. Lone surrogates are carried through (``surrogatepass``); the extractor
    removes them."""
    data = html.encode("utf-8", "surrogatepass")
    size = len(data)
    if size > max_bytes:
        cut = max_bytes
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # do not split a multibyte character
            cut -= 1
        data = data[:cut]
    return data, size


class HtmlExtractor(DocumentRule):
    """Extracts the main text of ``doc.html`` into ``doc.text``; drops pages left empty.

    Reasons: ``empty`` (fewer than ``min_chars`` characters of text after extraction) and
    ``timeout`` (extraction took longer than ``timeout_seconds``). On a kept document
    ``doc.html`` is freed; on a drop it is left for the sample excerpt.

    Bounded, so one pathological page cannot stall a worker:

    - **size**: HTML beyond ``max_html_bytes`` (UTF-8) is cut before parsing (the main text
      of real pages is near the top); ``doc.signals["html_truncated_bytes"]`` records the
      original size. libxml2 stops nesting at depth 256, so deep nesting cannot overflow the
      stack in trafilatura's recursive steps.
    - **time**: ``isolation="process"`` (default) runs the extractor in persistent child
      processes and kills a child that overruns; ``isolation="thread"`` runs it in the calling
      thread under an async-exception watchdog. Measured with
      ``benchmarks/extract_isolation.py`` (69 real pages, 5 rounds): the process round trip
      costs +2 % CPU with trafilatura (15.5 vs 15.2 ms/page) and +0.3 ms/page with resiliparse;
      on a loaded machine the hand-over to the child also adds a few ms of wall time per page
      (waiting for a core), which other threads' work fills on a busy worker. The thread
      watchdog costs nothing measurable. The process mode is the default because it is the
      only one that stops C code — resiliparse's main-content pass needs minutes on a page
      nested 100,000 ``<div>`` deep and no Python-level exception reaches it (the thread mode
      only times out after it returns) — and because a parser crash (segfault, OOM kill) takes
      down only the child and becomes an ``extract/error:crash`` for that one page. Cost: one
      extra process per busy thread (67 MB peak RSS with trafilatura, 29 MB with
      resiliparse). ``thread`` is for environments that cannot start processes. Details in
      :mod:`zhclean.filters.timeout`.

    WET conversion records (``doc.is_plain_text``) already carry text in ``doc.html``: no
    extraction, only the line tidying.
    """

    reason = "empty"

    def __init__(
        self,
        extractor: str = "trafilatura",
        max_html_bytes: int = 2_000_000,
        timeout_seconds: float = 5.0,
        include_comments: bool = True,
        min_chars: int = 1,
        isolation: Isolation = "process",
    ) -> None:
        if extractor not in EXTRACTORS:
            raise ValueError(f"unknown extractor {extractor!r}; choose one of {EXTRACTORS}")
        if extractor == "resiliparse" and importlib.util.find_spec("resiliparse") is None:
            raise ValueError(
                "extractor 'resiliparse' needs the resiliparse package: pip install 'zhclean[fast]'"
            )
        if isolation not in ("process", "thread"):
            raise ValueError(f"unknown isolation {isolation!r}; choose process or thread")
        self.extractor = extractor
        self.max_html_bytes = max_html_bytes
        self.timeout_seconds = timeout_seconds
        self.include_comments = include_comments
        self.min_chars = min_chars
        self.isolation = isolation
        kwargs = {"extractor": extractor, "include_comments": include_comments}
        self._process: ProcessRunner | None = None
        self._thread: ThreadRunner | None = None
        if isolation == "process":
            self._process = ProcessRunner(
                "zhclean.filters.extractors:extract", kwargs, warmup=_WARMUP_HTML
            )
        else:
            self._thread = ThreadRunner(lambda html: extract(html, **kwargs))

    def _bounded(self, html: str, doc: Document) -> tuple[bytes, str]:
        """``html`` cut to ``max_html_bytes``, as UTF-8 bytes and as text."""
        data, size = truncate_utf8(html, self.max_html_bytes)
        if size > self.max_html_bytes:
            doc.signals["html_truncated_bytes"] = size
            html = data.decode("utf-8", "surrogatepass")
        return data, html

    def _extract(self, html: str, doc: Document) -> str:
        data, html = self._bounded(html, doc)
        if self._process is not None:
            return self._process.run(data, self.timeout_seconds)
        assert self._thread is not None
        return self._thread.run(html, self.timeout_seconds)

    def check(self, doc: Document) -> Verdict:
        html = doc.html or ""
        if doc.is_plain_text:
            text = tidy_lines(sanitize_html(self._bounded(html, doc)[1]))
        elif html.isspace() or not html:
            text = ""
        else:
            try:
                text = self._extract(html, doc)
            except CallTimeout:
                return Verdict.drop(
                    "timeout", f"extraction took longer than {self.timeout_seconds:g} s"
                )
        doc.text = text
        if len(text) < self.min_chars:
            return self.drop(f"{len(text)} chars of text < min_chars {self.min_chars}")
        doc.html = None
        return KEEP

    def close(self) -> None:
        """Stop the extraction child processes (they also stop when this rule is collected)."""
        if self._process is not None:
            self._process.close()
