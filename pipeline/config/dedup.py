"""Config of the dedup stage."""

from __future__ import annotations

from zhclean.pipeline.config.base import Section


class DedupSection(Section):
    enabled: bool = True
