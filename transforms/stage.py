"""The generic per-document stage: run a stage's rules in order, route drops and errors."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput
from apache_beam.utils.shared import Shared

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document
from zhclean.transforms.events import METRICS_NAMESPACE, count_event, drop_event, error_kind

DROPS = "drops"

RuleBuilder = Callable[[Any], list[DocumentRule]]

_LOG = logging.getLogger(__name__)


class _RuleSet:
    """A weak-referenceable holder, as :class:`Shared` requires."""

    def __init__(self, rules: list[DocumentRule]) -> None:
        self.rules = rules


def run_rules(
    doc: Document, stage: str, rules: list[DocumentRule], excerpt_chars: int
) -> Iterator[Document | TaggedOutput]:
    """Apply ``rules`` to ``doc``: yield the document, or one tagged drop/error event."""
    for rule in rules:
        try:
            verdict = rule.check(doc)
        except Exception as exc:  # bad input must not crash the job: it becomes an error
            kind = error_kind(exc)
            _LOG.warning("%s: %s on %s (%s): %s", stage, kind, doc.id, doc.url, exc)
            event = drop_event(doc, stage, f"error:{kind}", repr(exc), excerpt_chars)
            count_event(event)
            yield TaggedOutput(DROPS, event)
            return
        if not verdict.keep:
            event = drop_event(doc, stage, verdict.reason, verdict.detail, excerpt_chars)
            count_event(event)
            yield TaggedOutput(DROPS, event)
            return
    yield doc


class RuleStageFn(beam.DoFn):
    """Runs the rules of one stage on each document; the first failing rule drops it.

    Rules are built once per worker process (``Shared``), so models and lists are loaded once
    however many threads the worker runs. Kept documents go to the main output, drop and error
    events (``DropEvent``) to the ``drops`` tag.
    """

    _shared_lock = threading.Lock()
    _shared: ClassVar[dict[str, Shared]] = {}

    def __init__(self, stage: str, build: RuleBuilder, config: Any, excerpt_chars: int) -> None:
        self._stage = stage
        self._build = build
        self._config = config
        self._excerpt_chars = excerpt_chars
        self._rules: list[DocumentRule] = []

    def setup(self) -> None:
        with self._shared_lock:
            handle = self._shared.setdefault(self._stage, Shared())
        tag = f"{self._stage}:{self._config.sha256()}"
        holder = handle.acquire(lambda: _RuleSet(self._build(self._config)), tag=tag)
        self._holder = holder  # keep the shared object alive while this DoFn lives
        self._rules = holder.rules
        self._in = Metrics.counter(METRICS_NAMESPACE, f"in:{self._stage}")

    def process(self, doc: Document) -> Iterator[Document | TaggedOutput]:
        self._in.inc()
        yield from run_rules(doc, self._stage, self._rules, self._excerpt_chars)


class ApplyStage(beam.PTransform):
    """``docs | ApplyStage(...)`` → ``{"docs": kept, "drops": events}``."""

    def __init__(self, stage: str, build: RuleBuilder, config: Any) -> None:
        super().__init__(label=stage)
        self._fn = RuleStageFn(stage, build, config, config.output.excerpt_chars)

    def expand(self, docs: beam.PCollection) -> dict[str, beam.PCollection]:
        out = docs | beam.ParDo(self._fn).with_outputs(DROPS, main="docs")
        return {"docs": out.docs, "drops": out[DROPS]}
