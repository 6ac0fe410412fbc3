"""The language stage's rules, built from the config once per worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhclean.filters.base import DocumentRule
from zhclean.filters.language import (
    LanguageIdentifier,
    ScriptDetector,
    SimplifiedConverter,
    resolve_model_path,
)
from zhclean.transforms.files import local_copy

if TYPE_CHECKING:
    from zhclean.pipeline.config import Config


def build_rules(config: Config) -> list[DocumentRule]:
    """LID (drops), then script detection (records), then optional t2s conversion."""
    cfg = config.language
    model_path = local_copy(resolve_model_path(cfg.model_path))
    rules: list[DocumentRule] = [
        LanguageIdentifier(
            model_path=model_path,
            languages=cfg.languages,
            min_score=cfg.min_score,
            max_chars=cfg.max_chars,
            min_kana_share=cfg.min_kana_share,
            max_kana_share=cfg.max_kana_share,
            mixed_min_share=cfg.mixed_min_share,
        ),
        ScriptDetector(),
    ]
    if cfg.to_simplified:
        rules.append(SimplifiedConverter())
    return rules
