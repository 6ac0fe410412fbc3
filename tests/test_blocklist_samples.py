"""The blocklist on the sample WARCs (``examples/warc``, labelled): entries planted from some
pages block exactly the pages that copy them (mirrors, re-posts with other boilerplate, a
Traditional-script conversion, edited copies, subdomains, the http/https twin) and nothing
else among the other sample pages.

Pages are read with warcio, decoded with their labelled charset and extracted with the
project's extractor (the blocklist stage sees extracted text).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from zhclean.filters.blocklist import BlocklistBuilder, BlocklistLoader, make_rules
from zhclean.filters.document import Document

SAMPLES = Path(__file__).resolve().parent.parent / "examples" / "warc"
CODECS = {"gbk": "gb18030", "gb2312": "gb18030", "big5": "big5hkscs", "utf-8-bom": "utf-8-sig"}

pytestmark = pytest.mark.skipif(
    not (SAMPLES / "labels.jsonl").exists(), reason="sample WARCs not generated"
)


@pytest.fixture(scope="module")
def pages():
    """record id → (label, Document with extracted text) for every decodable HTML page."""
    from zhclean.filters.extractors import extract

    with open(SAMPLES / "labels.jsonl", encoding="utf-8") as fh:
        labels = {r["record_id"]: r for r in map(json.loads, fh)}
    out = {}
    for shard in sorted(SAMPLES.glob("sample-0*.warc.gz")):
        with open(shard, "rb") as fh:
            for record in ArchiveIterator(fh):
                rid = record.rec_headers.get_header("WARC-Record-ID")
                label = labels.get(rid)
                if record.rec_type != "response" or not label or not label["body_encoding"]:
                    continue
                if label["transfer"] == "br":  # warcio's brotli path breaks on brotli 1.x
                    continue
                try:
                    body = record.content_stream().read()
                    html = body.decode(CODECS.get(label["body_encoding"], label["body_encoding"]))
                except (UnicodeDecodeError, LookupError, OSError):
                    continue
                text = extract(html)
                if text:
                    out[rid] = (label, Document(id=rid, url=label["url"], text=text))
    assert len(out) >= 50
    return out


def _group(pages, name):
    return [(label, doc) for label, doc in pages.values() if label["dup_group"] == name]


def _original(pages, name):
    return next(doc for label, doc in _group(pages, name) if label["dup_type"] is None)


def test_planted_sample_entries_block_their_copies_and_nothing_else(pages):
    builder = BlocklistBuilder()
    expected: dict[str, tuple[str, ...]] = {}  # record id → accepted reasons
    # documents: the spam page (2 byte-identical mirrors on other domains), a Simplified
    # article (its Traditional conversion), a re-posted article, near-duplicated articles
    for group, category in [
        ("spam-0", "spam"),
        ("news-11", "abuse"),
        ("news-5", "abuse"),
        ("news-9", "abuse"),
        ("hant-4", "abuse"),
    ]:
        builder.add_document(_original(pages, group).text, category)
        for _, doc in _group(pages, group):
            expected[doc.id] = ("document", "near")
    # a URL listed under http: its https twin (same payload) is blocked too
    builder.add_url("http://www.beicheng-news.example/news/7002", "abuse")
    for _, doc in _group(pages, "hant-2"):
        expected[doc.id] = ("url",)
    # a domain: the site's www. and m. subdomains
    builder.add_domain("jiangcheng-daily.example", "spam")
    for _, doc in pages.values():
        if doc.url.split("/")[2].endswith("jiangcheng-daily.example"):
            expected[doc.id] = ("domain",)
    # a paragraph (a reply) of a forum thread: the thread under both of its URLs; not a
    # boilerplate line that every page of the forum has
    group = {doc.id for _, doc in _group(pages, "forum-0")}
    others = [doc.text for _, doc in pages.values() if doc.id not in group]
    forum = _original(pages, "forum-0")
    paragraph = max(
        (line for line in forum.text.splitlines() if not any(line in t for t in others)), key=len
    )
    assert builder.add_paragraph(paragraph, "gambling")
    for _, doc in _group(pages, "forum-0"):
        expected[doc.id] = ("paragraph",)

    out = io.BytesIO()
    builder.write(out)
    loader = BlocklistLoader()
    loader.add_bytes(out.getvalue(), "samples.txt")
    rules = make_rules(loader.build())

    blocked, wrong = {}, []
    for _label, doc in pages.values():
        verdict = next((v for r in rules if not (v := r.check(doc)).keep), None)
        if verdict is not None:
            blocked[doc.id] = verdict.reason
        if (verdict.reason if verdict else None) not in expected.get(doc.id, (None,)):
            wrong.append((doc.url, verdict.reason if verdict else "kept"))
    assert len(expected) >= 15
    assert wrong == []  # every planted copy blocked, nothing else blocked
    assert set(blocked) == set(expected)
    assert "near" in blocked.values() and "document" in blocked.values()
