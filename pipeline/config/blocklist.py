"""Config of the blocklist stage (README "Blocklist")."""

from __future__ import annotations

from pydantic import Field, field_validator

from zhclean.pipeline.config.base import BUILTIN_PREFIX, DataPath, Section


class FuzzySection(Section):
    """The MinHash index of blocked documents (``near`` entries of the lists)."""

    enabled: bool = True
    """Match lightly edited copies of blocked documents (``blocklist/near``) when the lists
    carry ``near`` entries; ``false`` ignores those entries."""
    threshold: float = Field(0.5, gt=0.0, le=1.0)
    """Minimum estimated Jaccard similarity (character 3-grams of the normalised text) between
    a document and a blocked one. A 5%-edited copy scores about 0.7, unrelated pages < 0.05."""
    min_chars: int = Field(50, ge=1)
    """Documents with fewer normalised characters are not fuzzily matched (short texts share
    many 3-grams by chance; exact kinds still apply)."""


class BlocklistSection(Section):
    lists: list[DataPath] = Field(default_factory=list)
    """Blocklist files (local, ``gs://``, optionally ``.gz``) in the format of README
    "Blocklist"; several are combined (a digest listed twice keeps its first category)."""
    paragraph_min_chars: int = Field(20, ge=1)
    """Lines of a document whose normalised form is shorter than this are not looked up as
    paragraphs (build lists with the same or a larger ``--paragraph-min-chars``)."""
    fuzzy: FuzzySection = FuzzySection()
    """Near matching of edited copies of blocked documents."""

    @field_validator("lists")
    @classmethod
    def _no_builtin(cls, lists: list[str]) -> list[str]:
        for path in lists:
            if path.startswith(BUILTIN_PREFIX):
                raise ValueError(f"no blocklist is shipped with the package: {path}")
        return lists
