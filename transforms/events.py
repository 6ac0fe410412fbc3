"""Turning documents and exceptions into drop events, and counting them in Beam metrics."""

from __future__ import annotations

import re

from apache_beam.metrics import Metrics

from zhclean.filters.document import Document, DropEvent

METRICS_NAMESPACE = "zhclean"

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def error_kind(exc: BaseException) -> str:
    """A stable snake_case name for an exception: ``UnicodeDecodeError`` → ``unicode_decode_error``.

    Exceptions may name their own kind with a ``kind`` attribute.
    """
    kind = getattr(exc, "kind", None)
    if isinstance(kind, str) and kind:
        return kind
    return _CAMEL.sub("_", type(exc).__name__).lower()


def drop_event(
    doc: Document, stage: str, reason: str, detail: str, excerpt_chars: int
) -> DropEvent:
    excerpt = doc.text or doc.html or ""
    return DropEvent(
        id=doc.id,
        url=doc.url,
        stage=stage,
        reason=reason,
        detail=detail[:1000],
        text_excerpt=excerpt[:excerpt_chars],
        signals={
            **doc.quality,
            **({"lang_score": doc.lang_score} if doc.lang_score is not None else {}),
        },
    )


def count_event(event: DropEvent) -> None:
    """Mirror a drop or error in a Beam counter (live monitoring; stats.json is exact)."""
    group = "errors" if event.is_error else "dropped"
    Metrics.counter(METRICS_NAMESPACE, f"{group}:{event.key}").inc()
