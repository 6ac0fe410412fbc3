"""Which configured threshold belongs to which signal, read from the config stored in stats.json.

The report draws these on the signal histograms. A missing key (a config of another version) or
a ``null`` bound draws nothing; a lower bound of 0 drops nothing and is not drawn either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

Bound = Literal["min", "max"]

# signal → (bound, dotted config key)
SIMPLE: dict[str, list[tuple[Bound, str]]] = {
    "lang_score": [("min", "language.min_score")],
    "chars": [("min", "quality.min_chars"), ("max", "quality.max_chars")],
    "cjk_share": [("min", "quality.min_cjk_share")],
    "mean_line_chars": [("min", "quality.min_mean_line_chars")],
    "terminal_punct_share": [("min", "quality.min_terminal_punct_share")],
    "read_more_share": [("max", "quality.max_read_more_share")],
    "dup_line_share": [("max", "quality.max_dup_line_share")],
    "dup_line_char_share": [("max", "quality.max_dup_line_char_share")],
    "digit_share": [("max", "quality.max_digit_share")],
    "unique_char_share": [("min", "quality.min_unique_char_share")],
    "char_entropy": [("min", "quality.min_char_entropy")],
    "quality_score": [("min", "quality.classifier.min_score")],
}
_NGRAM = re.compile(r"^(top|dup)_(\d+)gram_share$")
_LEXICON = "lexicon_"


@dataclass(frozen=True)
class Threshold:
    """A configured bound of a signal: documents below ``min`` / above ``max`` are dropped."""

    value: float
    bound: Bound
    key: str

    @property
    def label(self) -> str:
        return f"{self.bound} {self.value:g} ({self.key})"


def lookup(config: dict[str, Any], dotted: str) -> Any:
    node: Any = config
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _make(config: dict[str, Any], bound: Bound, key: str, value: Any = None) -> Threshold | None:
    if value is None:
        value = lookup(config, key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if bound == "min" and value <= 0:
        return None
    return Threshold(float(value), bound, key)


def thresholds_for(signal: str, config: dict[str, Any]) -> list[Threshold]:
    """The configured bounds of ``signal`` (empty when it has none)."""
    found = [_make(config, bound, key) for bound, key in SIMPLE.get(signal, [])]
    match = _NGRAM.match(signal)
    if match:
        key = f"quality.max_{match.group(1)}_{match.group(2)}gram_share"
        found.append(_make(config, "max", key))
    if signal.startswith(_LEXICON):
        category = signal[len(_LEXICON) :]
        per_category = lookup(config, "quality.lexicon.max_density")
        if isinstance(per_category, dict) and category in per_category:
            key = f"quality.lexicon.max_density.{category}"
            found.append(_make(config, "max", key, per_category[category]))
        else:
            found.append(_make(config, "max", "quality.lexicon.default_max_density"))
    return [t for t in found if t is not None]
