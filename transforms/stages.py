"""Which rules make up each per-document stage, built from the config.

The order of :func:`stage_builders` is the order of the graph (DESIGN.md §1). Builders run once
per worker process (see :class:`~zhclean.transforms.stage.RuleStageFn`), so this is where models
and lists are loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from zhclean.filters.base import DocumentRule
from zhclean.filters.boilerplate import BoilerplateLineCleaner
from zhclean.filters.decode import CharsetDecoder
from zhclean.filters.extract import HtmlExtractor
from zhclean.pipeline.config import Config
from zhclean.transforms import blocklist, language, quality


def decode_rules(config: Config) -> list[DocumentRule]:
    return [CharsetDecoder(**config.decode.model_dump())]


def extract_rules(config: Config) -> list[DocumentRule]:
    cfg = config.extract
    rules: list[DocumentRule] = [
        HtmlExtractor(
            extractor=cfg.extractor,
            max_html_bytes=cfg.max_html_bytes,
            timeout_seconds=cfg.timeout_seconds,
            include_comments=cfg.include_comments,
            min_chars=cfg.min_chars,
            isolation=cfg.isolation,
        )
    ]
    if cfg.clean_boilerplate_lines:
        rules.append(BoilerplateLineCleaner(min_chars=cfg.min_chars))
    return rules


def stage_builders() -> list[tuple[str, Callable[[Config], list[DocumentRule]]]]:
    """The per-document stages after ``read``, in graph order."""
    return [
        ("decode", decode_rules),
        ("extract", extract_rules),
        ("language", language.build_rules),
        ("quality", quality.build_rules),
        ("blocklist", blocklist.build_rules),
    ]


def stage_rules(config: Config) -> list[tuple[str, list[DocumentRule]]]:
    """Every per-document stage with its rules built (for ``explain`` and tests)."""
    return [(stage, build(config)) for stage, build in stage_builders()]
