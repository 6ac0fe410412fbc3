"""The generic stage: first failing rule drops, exceptions become named errors."""

from __future__ import annotations

from apache_beam.pvalue import TaggedOutput

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document
from zhclean.filters.verdict import KEEP, Verdict
from zhclean.transforms.audit import assemble_stats
from zhclean.transforms.events import error_kind
from zhclean.transforms.stage import DROPS, run_rules


class TooShort(DocumentRule):
    reason = "too_short"

    def check(self, doc: Document) -> Verdict:
        doc.quality["length"] = len(doc.text)
        return KEEP if len(doc.text) >= 5 else self.drop(f"{len(doc.text)} < 5")


class Explodes(DocumentRule):
    reason = "never"

    def check(self, doc: Document) -> Verdict:
        raise UnicodeDecodeError("gb18030", b"\xff", 0, 1, "bad")


class Counts(DocumentRule):
    reason = "never"
    seen = 0

    def check(self, doc: Document) -> Verdict:
        Counts.seen += 1
        return KEEP


def test_kept_document_passes_all_rules():
    doc = Document(id="a", text="一二三四五六")
    out = list(run_rules(doc, "quality", [TooShort(), Counts()], 10))
    assert out == [doc]


def test_first_failing_rule_drops_and_later_rules_do_not_run():
    Counts.seen = 0
    out = list(
        run_rules(Document(id="b", url="u", text="短"), "quality", [TooShort(), Counts()], 10)
    )
    assert len(out) == 1 and isinstance(out[0], TaggedOutput) and out[0].tag == DROPS
    event = out[0].value
    assert (event.key, event.detail, event.signals) == ("quality/too_short", "1 < 5", {"length": 1})
    assert Counts.seen == 0


def test_exception_becomes_error_event():
    out = list(run_rules(Document(id="c", text="x" * 800), "decode", [Explodes()], 100))
    event = out[0].value
    assert event.key == "decode/error:unicode_decode_error" and event.is_error
    assert len(event.text_excerpt) == 100


def test_error_kind_prefers_explicit_kind():
    class Timeout(Exception):
        kind = "timeout"

    assert error_kind(Timeout()) == "timeout"
    assert error_kind(ValueError()) == "value_error"


def test_assemble_stats_splits_drops_and_errors():
    rows = [
        ("count", "records_read", 10),
        ("count", "kept", 6),
        ("count", "in:read", 10),
        ("count", "out:read", 8),
        ("reason", "read/not_html", 1),
        ("reason", "read/error:truncated_gzip", 1),
        ("reason", "language/not_zh", 2),
        ("skipped", "request", 10),
        ("category", "porn", 3),
    ]
    stats = assemble_stats(rows, {"stages": ["read"], "config_sha256": "x"})
    assert stats["dropped"] == {"language/not_zh": 2, "read/not_html": 1}
    assert stats["errors"] == {"read/error:truncated_gzip": 1}
    assert stats["funnel"] == [{"stage": "read", "in": 10, "out": 8}]
    assert stats["skipped_records"] == {"request": 10}
    assert stats["blocklist_categories"] == {"porn": 3}
    assert stats["config_sha256"] == "x" and "stages" not in stats
