"""The record that travels through every stage of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Document:
    """One WARC capture on its way from raw bytes to clean text.

    Stages fill the fields in order: read sets the WARC/HTTP fields and ``raw``; decode sets
    ``html`` and ``encoding`` (and frees ``raw``); extract sets ``text`` (and frees ``html``);
    language sets ``lang``, ``lang_score`` and ``script``; quality fills ``quality``; dedup sets
    ``dup_cluster_size``. ``signals`` holds counted observations that are not drops (e.g. how
    many boilerplate lines were cut).
    """

    id: str
    url: str = ""
    date: str = ""
    source_file: str = ""
    source_offset: int = 0
    content_type: str = ""
    http_charset: str | None = None
    content_language: str | None = None
    is_plain_text: bool = False  # WET conversion records carry text, not HTML
    raw: bytes | None = None
    html: str | None = None
    encoding: str | None = None
    text: str = ""
    lang: str | None = None
    lang_score: float | None = None
    script: str | None = None
    quality: dict[str, float] = field(default_factory=dict)
    signals: dict[str, Any] = field(default_factory=dict)
    dup_cluster_size: int = 1

    def output_record(self) -> dict[str, Any]:
        """The kept-shard row of the output contract (DESIGN.md §3)."""
        return {
            "id": self.id,
            "url": self.url,
            "text": self.text,
            "date": self.date,
            "lang": self.lang,
            "lang_score": self.lang_score,
            "script": self.script,
            "quality": self.quality,
            "dup_cluster_size": self.dup_cluster_size,
            "source": {"file": self.source_file, "offset": self.source_offset},
        }


@dataclass(frozen=True)
class DropEvent:
    """A record that left the pipeline: dropped by a rule, or errored while being processed.

    ``reason`` is the bare reason (``not_html``) or ``error:KIND`` for errors; ``key`` is the
    ``stage/reason`` string used in stats.
    """

    id: str
    url: str
    stage: str
    reason: str
    detail: str = ""
    text_excerpt: str = ""
    signals: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.stage}/{self.reason}"

    @property
    def is_error(self) -> bool:
        return self.reason.startswith("error:")

    def manifest_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "stage": self.stage,
            "reason": self.reason,
            "detail": self.detail,
        }
