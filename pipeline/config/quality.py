"""Config of the quality stage (rules and optional classifier)."""

from __future__ import annotations

from zhclean.pipeline.config.base import Section


class QualitySection(Section):
    enabled: bool = True
