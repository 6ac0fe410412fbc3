"""WarcReader on real warcio-written WARCs, hand-broken files and the shared real files.

Every case checks the same contract: no exception, and one item (Document, read DropEvent or
SkippedRecord) per readable record, with unique ids.
"""

from __future__ import annotations

import gzip as gzip_module
import io
import json
import subprocess
import sys
import tracemalloc
import zlib
from collections import Counter
from pathlib import Path

import brotli
import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.warc_factory import (
    arc_file,
    conversion,
    gzip_bomb,
    gzip_member,
    html_page,
    http_request,
    http_response,
    metadata,
    offsets,
    raw_record,
    raw_response,
    record_bytes,
    resource,
    revisit,
    rid,
    warc_bomb_member,
    warc_bytes,
    warc_parts,
    warcinfo,
)
from zhclean.filters.document import Document, DropEvent
from zhclean.filters.http_payload import binary_reason, dechunk, decode_content
from zhclean.filters.warc_records import ERROR_KINDS, SkippedRecord, WarcReader

MAX = 1 << 20
HTML_TYPES = ["text/html", "application/xhtml+xml"]
REAL_DIR = Path("/work/shared/data/warc")


def read(data: bytes, name: str = "shard.warc.gz", **kwargs) -> list:
    reader = WarcReader(max_record_bytes=kwargs.pop("max_record_bytes", MAX),
                        html_content_types=HTML_TYPES, **kwargs)
    items = list(reader.read(io.BytesIO(data), name))
    ids = [item.id for item in items if not isinstance(item, SkippedRecord)]
    assert len(ids) == len(set(ids)), f"duplicate ids: {Counter(ids).most_common(3)}"
    return items


def kinds(items: list) -> list[str]:
    """One short label per item: doc | skip:TYPE | drop:REASON | error:KIND."""
    out = []
    for item in items:
        if isinstance(item, Document):
            out.append("doc")
        elif isinstance(item, SkippedRecord):
            out.append(f"skip:{item.record_type}")
        else:
            assert isinstance(item, DropEvent) and item.stage == "read"
            out.append(item.reason if item.is_error else f"drop:{item.reason}")
    return out


def page_records(n: int, start: int = 100) -> list:
    return [http_response(f"http://example.cn/{i}", html_page(f"页面{i}"), record_id=rid(i))
            for i in range(start, start + n)]


# -- well-formed input -----------------------------------------------------------------------

def full_capture_set() -> list:
    url = "https://news.example.cn/a/1.html"
    return [
        warcinfo(record_id=rid(1)),
        http_request(url, record_id=rid(2)),
        http_response(url, html_page("新闻"), "text/html; charset=GBK", record_id=rid(3),
                      headers=[("Content-Language", "zh-CN")]),
        metadata(url, record_id=rid(4)),
        revisit(url, record_id=rid(5)),
        resource("http://example.cn/r.html", html_page("资源"), record_id=rid(6)),
        resource("http://example.cn/log.txt", b"crawl log", "text/plain", record_id=rid(7)),
        conversion(url, "纯文本的中文内容。" * 10, record_id=rid(8)),
    ]


@pytest.mark.parametrize("gz", [True, False])
def test_record_types_and_document_fields(gz: bool) -> None:
    parts = warc_parts(full_capture_set(), gzip=gz)
    items = read(b"".join(parts), "s.warc.gz" if gz else "s.warc")
    assert kinds(items) == ["skip:warcinfo", "skip:request", "doc", "skip:metadata",
                            "skip:revisit", "doc", "skip:resource", "doc"]
    starts = offsets(parts)
    doc = items[2]
    assert doc.id == rid(3)
    assert doc.url == "https://news.example.cn/a/1.html"
    assert doc.date == "2024-05-18T12:00:00Z"
    assert doc.source_file == ("s.warc.gz" if gz else "s.warc")
    assert doc.source_offset == starts[2]
    assert (doc.content_type, doc.http_charset, doc.content_language) == ("text/html", "gbk",
                                                                          "zh-CN")
    assert doc.raw == html_page("新闻") and not doc.is_plain_text
    assert items[5].raw == html_page("资源") and items[5].source_offset == starts[5]
    wet = items[7]
    assert wet.is_plain_text and wet.content_type == "text/plain" and wet.http_charset == "utf-8"
    assert wet.raw.decode("utf-8") == "纯文本的中文内容。" * 10


@pytest.mark.parametrize("gz", [True, False])
def test_offsets_match_warcio(gz: bool) -> None:
    data = warc_bytes(full_capture_set(), gzip=gz)
    theirs = []
    it = ArchiveIterator(io.BytesIO(data))
    for record in it:
        theirs.append((record.rec_headers.get_header("WARC-Record-ID"), it.get_record_offset()))
    ours = [(i.id, i.source_offset) for i in read(data) if isinstance(i, Document)]
    assert set(ours) <= set(theirs) and len(ours) == 3


def test_content_and_transfer_encodings_are_undone() -> None:
    body = html_page("编码", 20)
    deflated = zlib.compress(body)
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    chunks = (body[:100], body[100:])
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    records = [
        http_response("http://e.cn/gz", gzip_module.compress(body, mtime=0), record_id=rid(1),
                      headers=[("Content-Encoding", "gzip")]),
        http_response("http://e.cn/br", brotli.compress(body), record_id=rid(2),
                      headers=[("Content-Encoding", "br")]),
        http_response("http://e.cn/zlib", deflated, record_id=rid(3),
                      headers=[("Content-Encoding", "deflate")]),
        http_response("http://e.cn/raw", raw_deflate.compress(body) + raw_deflate.flush(),
                      record_id=rid(4), headers=[("Content-Encoding", "deflate")]),
        http_response("http://e.cn/chunked", chunked, record_id=rid(5),
                      headers=[("Transfer-Encoding", "chunked")]),
        http_response("http://e.cn/liar", body, record_id=rid(6),
                      headers=[("Content-Encoding", "gzip")]),  # says gzip, sends plain
        # Common Crawl keeps the original headers under X-Crawler-*: the body is plain already
        http_response("http://e.cn/cc", body, record_id=rid(7),
                      headers=[("X-Crawler-Content-Encoding", "gzip")]),
    ]
    items = read(warc_bytes(records))
    assert kinds(items) == ["doc"] * 7
    assert all(item.raw == body for item in items)
    assert items[5].signals == {"read_encoding_not_encoded": 1}


def test_headers_edge_cases() -> None:
    records = [
        http_response("http://e.cn/1", html_page("a"), 'Text/HTML ; Charset="Big5"',
                      record_id=rid(1)),
        http_response("http://e.cn/2", html_page("b"), None, record_id=rid(2)),  # sniffed
        http_response("http://e.cn/3", html_page("c"), "application/xhtml+xml", record_id=rid(3)),
    ]
    items = read(warc_bytes(records))
    assert kinds(items) == ["doc", "doc", "doc"]
    assert (items[0].content_type, items[0].http_charset) == ("text/html", "big5")
    assert items[1].content_type == "text/html"
    assert items[1].signals["read_content_type_sniffed"] == 1
    assert items[2].content_type == "application/xhtml+xml"


def test_wget_bracketed_and_spaced_target_uri() -> None:
    block = raw_record([("WARC-Type", "response"), ("WARC-Record-ID", rid(1)),
                        ("WARC-Target-URI", "<http://e.cn/a b>")],
                       b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html_page("x"))
    (doc,) = read(block, "s.warc")
    assert doc.url == "http://e.cn/a%20b"


# -- read drops ------------------------------------------------------------------------------

def test_drops_not_html_empty_binary() -> None:
    records = [
        http_response("http://e.cn/img.jpg", b"\xff\xd8\xff\xe0" + bytes(2000), "image/jpeg",
                      record_id=rid(1)),
        http_response("http://e.cn/doc.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj", "application/pdf",
                      record_id=rid(2)),
        http_response("http://e.cn/empty", b"", record_id=rid(3)),
        http_response("http://e.cn/nul", b"<html>" + bytes(3000), record_id=rid(4)),
        http_response("http://e.cn/png", b"\x89PNG\r\n\x1a\n" + b"x" * 500, record_id=rid(5)),
        http_response("http://e.cn/ctl", bytes(range(1, 32)) * 100, record_id=rid(6)),
        http_response("http://e.cn/gz", gzip_module.compress(b"abc" * 999, mtime=0),
                      record_id=rid(7)),  # compressed bytes without Content-Encoding
        http_response("http://e.cn/none", b"just some bytes", None, record_id=rid(8)),
        http_response("http://e.cn/ok", html_page("好"), record_id=rid(9)),
    ]
    items = read(warc_bytes(records))
    assert kinds(items) == ["drop:not_html", "drop:not_html", "drop:empty", "drop:binary",
                            "drop:binary", "drop:binary", "drop:binary", "drop:not_html", "doc"]
    assert items[0].detail == "image/jpeg" and items[0].id == rid(1)
    assert items[0].url == "http://e.cn/img.jpg"


def test_utf16_with_bom_is_not_binary() -> None:
    assert binary_reason("\ufeff<html>中文</html>".encode("utf-16-le")) is None
    assert binary_reason("<html>中文</html>".encode("utf-16-le")) is not None
    assert binary_reason("<html>繁體中文</html>".encode("big5") * 50) is None
    assert binary_reason("<html>\x1b$B日本語\x1b(B</html>".encode()) is None


def test_thirty_megabyte_page_is_too_large_and_the_next_record_is_read() -> None:
    big = b"<html><body>" + "<p>很长的页面。</p>".encode() * (30 * 2**20 // 25) + b"</body></html>"
    assert len(big) > 30 * 2**20 - 100
    for gz in (True, False):
        data = warc_bytes([http_response("http://e.cn/big", big, record_id=rid(1)),
                           *page_records(2)], gzip=gz)
        del_items = read(data, max_record_bytes=10 << 20)
        assert kinds(del_items) == ["drop:too_large", "doc", "doc"]
        assert del_items[0].id == rid(1) and str(len(big)) in del_items[0].detail


def test_http_gzip_bomb_is_too_large_within_bounded_memory() -> None:
    bomb = gzip_bomb(256)  # 256 MiB of zeros in about 260 KB
    assert len(bomb) < MAX
    data = warc_bytes([http_response("http://e.cn/bomb", bomb, record_id=rid(1),
                                     headers=[("Content-Encoding", "gzip")]),
                       *page_records(1)])
    tracemalloc.start()
    try:
        items = read(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert kinds(items) == ["drop:too_large", "doc"]
    assert "decodes" in items[0].detail
    assert peak < 4 * MAX + (8 << 20)


@pytest.mark.parametrize("limit", [0, 1 << 20])
def test_warc_gzip_bomb_record_is_skipped_without_inflating_it(limit: int) -> None:
    # The bomb's CRC is wrong: a reader that inflated the whole member would report
    # error:truncated_gzip; jumping to the next member does not see it.
    bomb = warc_bomb_member("http://e.cn/bomb", 1, 512, valid_trailer=False)
    assert len(bomb) < MAX
    data = warc_bytes(page_records(1, 10)) + bomb + warc_bytes(page_records(2, 20))
    tracemalloc.start()
    try:
        items = read(data, skip_inflate_limit=limit)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert kinds(items) == ["doc", "drop:too_large", "doc", "doc"]
    assert items[1].id == rid(1)
    assert peak < 4 * MAX + (8 << 20)


def test_warc_gzip_bomb_within_the_inflate_limit_is_skipped_exactly() -> None:
    bomb = warc_bomb_member("http://e.cn/bomb", 1, 16)
    data = warc_bytes(page_records(1, 10)) + bomb + warc_bytes(page_records(1, 20))
    assert kinds(read(data, skip_inflate_limit=64 << 20)) == ["doc", "drop:too_large", "doc"]
    # inflating the bomb to its end with a wrong CRC is reported, and reading goes on after it
    bad = warc_bomb_member("http://e.cn/bomb", 1, 16, valid_trailer=False)
    data = warc_bytes(page_records(1, 10)) + bad + warc_bytes(page_records(1, 20))
    assert kinds(read(data, skip_inflate_limit=64 << 20)) == ["doc", "error:truncated_gzip",
                                                              "doc"]


def test_decode_content_caps_output() -> None:
    out, notes = decode_content(gzip_bomb(64), ["gzip"], 1000)
    assert len(out) == 1001 and notes == []
    out, _ = decode_content(brotli.compress(b"\0" * (64 << 20), quality=1), ["br"], 1000)
    assert 1000 < len(out) < (8 << 20)
    page = html_page("截断", 300)
    whole = gzip_module.compress(page, mtime=0)
    out, notes = decode_content(whole[: len(whole) // 2], ["gzip"], 1 << 20)
    assert out and page.startswith(out) and notes == ["gzip:partial"]
    assert decode_content(b"plain", ["zstd"], 100) == (b"plain", ["zstd:unsupported"])


def test_dechunk() -> None:
    assert dechunk(b"3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n") == b"abcde"
    assert dechunk(b"<html>not chunked</html>") == b"<html>not chunked</html>"
    assert dechunk(b"3\r\nabc\r\nzz\r\n") == b"abc"


# -- skipped records ---------------------------------------------------------------------------

def test_request_and_warcinfo_records_are_skipped_and_counted() -> None:
    records = [warcinfo(record_id=rid(1)), http_request("http://e.cn/", record_id=rid(2)),
               *page_records(1), http_request("http://e.cn/2", record_id=rid(3))]
    items = read(warc_bytes(records))
    assert Counter(kinds(items)) == {"skip:warcinfo": 1, "skip:request": 2, "doc": 1}
    assert [i.id for i in items if isinstance(i, SkippedRecord)] == [rid(1), rid(2), rid(3)]


def test_non_http_response_is_skipped() -> None:
    dns = raw_record([("WARC-Type", "response"), ("WARC-Record-ID", rid(1)),
                      ("WARC-Target-URI", "dns:example.cn"), ("Content-Type", "text/dns")],
                     b"20240518120000\r\nexample.cn. 300 IN A 192.0.2.1\r\n")
    (item,) = read(gzip_member(dns))
    assert kinds([item]) == ["skip:response"]


# -- WET and ARC -----------------------------------------------------------------------------

def test_wet_conversion_records() -> None:
    records = [warcinfo("x.warc.wet.gz", record_id=rid(1)),
               conversion("http://e.cn/1", "第一篇文章的正文。", record_id=rid(2)),
               conversion("http://e.cn/2", "", record_id=rid(3)),
               conversion("http://e.cn/3", "第三篇。" * 100, record_id=rid(4), language="zho")]
    items = read(warc_bytes(records), "x.warc.wet.gz")
    assert kinds(items) == ["skip:warcinfo", "doc", "drop:empty", "doc"]
    assert items[1].is_plain_text and items[1].raw == "第一篇文章的正文。".encode()


@pytest.mark.parametrize("gz", [True, False])
def test_arc_files(gz: bool) -> None:
    data = arc_file([
        ("http://e.cn/a b", "text/html", b"HTTP/1.1 200 OK\r\nContent-Type: text/html; "
         b"charset=gb2312\r\n\r\n" + "<html>中文</html>".encode("gb2312")),
        ("http://e.cn/img", "image/png", b"\x89PNG...."),
        ("dns:e.cn", "text/dns", b"192.0.2.1"),
        ("http://e.cn/old", "text/html", b"<html>no http headers</html>"),
    ], gzip=gz)
    items = read(data, "x.arc.gz" if gz else "x.arc")
    assert kinds(items) == ["skip:arc_header", "doc", "drop:not_html", "skip:response", "doc"]
    doc = items[1]
    assert doc.url == "http://e.cn/a%20b" and doc.date == "2024-05-18T12:00:00Z"
    assert doc.http_charset == "gb2312" and doc.id.startswith(("x.arc#", "x.arc.gz#"))
    assert items[4].raw == b"<html>no http headers</html>"


# -- broken input ----------------------------------------------------------------------------

def test_empty_file() -> None:
    (item,) = read(b"", "empty.warc.gz")
    assert item.reason == "error:empty_file" and item.id == "empty.warc.gz#0"


@pytest.mark.parametrize("data", [
    b"<html><body>just a web page</body></html>",
    b"\x00\x01\x02binary\xff" * 100,
    gzip_module.compress(b"a gzip file of plain text\n" * 100, mtime=0),
    b"\n\n\r\n",
    b"\x28\xb5\x2f\xfd" + bytes(100),
])
def test_not_a_warc(data: bytes) -> None:
    (item,) = read(data, "x.warc.gz")
    assert item.reason == "error:not_warc" and item.id == "x.warc.gz#0"


def test_truncated_gzip_member_mid_shard_resumes_at_the_next_member() -> None:
    parts = warc_parts(page_records(5))
    broken = parts[2][: len(parts[2]) // 2]
    data = b"".join([parts[0], parts[1], broken, parts[3], parts[4]])
    items = read(data)
    assert kinds(items) == ["doc", "doc", "error:truncated_gzip", "doc", "doc"]
    assert items[2].id == f"shard.warc.gz#{len(parts[0]) + len(parts[1])}"
    assert [i.id for i in items if isinstance(i, Document)] == [rid(100), rid(101), rid(103),
                                                               rid(104)]


def test_file_cut_inside_the_last_member() -> None:
    parts = warc_parts(page_records(3))
    data = b"".join(parts)[:-50]
    items = read(data)
    assert kinds(items) == ["doc", "doc", "error:truncated_gzip"]
    assert items[2].id == f"shard.warc.gz#{len(parts[0]) + len(parts[1])}"


def test_flipped_bytes_in_a_member() -> None:
    parts = warc_parts(page_records(3))
    damaged = bytearray(parts[1])
    for i in range(40, 60):
        damaged[i] ^= 0x5A
    items = read(parts[0] + bytes(damaged) + parts[2])
    assert kinds(items) == ["doc", "error:truncated_gzip", "doc"]


def test_bad_crc_replaces_the_record_of_that_member() -> None:
    parts = warc_parts(page_records(3))
    bad_crc = bytearray(parts[1])
    bad_crc[-8] ^= 0xFF  # first byte of the CRC32 trailer
    items = read(parts[0] + bytes(bad_crc) + parts[2])
    assert kinds(items) == ["doc", "error:truncated_gzip", "doc"]
    assert items[1].id == f"shard.warc.gz#{len(parts[0])}"
    # a member large enough that its record is being read when the CRC check fails
    big = http_response("http://e.cn/big", html_page("大", 20_000), record_id=rid(7))
    bad_crc = bytearray(record_bytes(big))
    bad_crc[-8] ^= 0xFF
    items = read(parts[0] + bytes(bad_crc) + parts[2])
    assert kinds(items) == ["doc", "error:truncated_gzip", "doc"]
    assert rid(7) in items[1].detail and items[1].url == "http://e.cn/big"


def test_garbage_between_members_and_zero_padding_at_the_end() -> None:
    parts = warc_parts(page_records(2))
    items = read(parts[0] + b"GARBAGE" * 10 + parts[1] + bytes(4096))
    assert kinds(items) == ["doc", "error:gzip_garbage", "doc"]
    assert items[1].id == f"shard.warc.gz#{len(parts[0])}"


def test_content_length_larger_than_the_payload_in_a_gzip_member() -> None:
    lying = gzip_member(raw_response("http://e.cn/lie", html_page("x"), 7, content_length=5000))
    parts = warc_parts(page_records(2))
    items = read(parts[0] + lying + parts[1])
    assert kinds(items) == ["doc", "error:bad_record", "doc"]
    assert items[1].id == f"shard.warc.gz#{len(parts[0])}" and rid(7) in items[1].detail
    assert items[1].url == "http://e.cn/lie"


def test_content_length_larger_than_the_rest_of_an_uncompressed_file() -> None:
    head = warc_bytes(page_records(2), gzip=False)
    lying = raw_response("http://e.cn/lie", html_page("x"), 7, content_length=100_000)
    items = read(head + lying, "s.warc")
    assert kinds(items) == ["doc", "doc", "error:bad_record"]
    assert items[2].id == f"s.warc#{len(head)}"


def test_content_length_larger_mid_file_swallows_the_next_record_then_resyncs() -> None:
    lying = raw_response("http://e.cn/lie", html_page("x"), 7, content_length=900)
    data = (warc_bytes(page_records(1, 10), gzip=False) + lying
            + warc_bytes(page_records(3, 20), gzip=False))
    items = read(data, "s.warc")
    got = kinds(items)
    assert got[0] == "doc" and got[1] == "error:bad_record" and got[-1] == "doc"
    assert items[-1].id == rid(22)


@pytest.mark.parametrize("gz", [True, False])
def test_content_length_smaller_than_the_block(gz: bool) -> None:
    short = raw_response("http://e.cn/short", html_page("x", 30), 7, content_length=300)
    wrap = gzip_member if gz else (lambda b: b)
    data = (warc_bytes(page_records(1, 10), gzip=gz) + wrap(short)
            + warc_bytes(page_records(2, 20), gzip=gz))
    items = read(data)
    assert kinds(items) == ["doc", "error:bad_record", "doc", "doc"]
    assert "Content-Length" in items[1].detail


def test_malformed_warc_headers() -> None:
    no_length = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: " + rid(7).encode() + \
        b"\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<html></html>\r\n\r\n"
    long_line = b"WARC/1.0\r\nWARC-Type: response\r\nX-Junk: " + b"a" * 100_000 + b"\r\n\r\n"
    bad_length = raw_record([("WARC-Type", "response"), ("WARC-Record-ID", rid(8))], b"x",
                            content_length=-5)
    for broken in (no_length, long_line, bad_length):
        parts = warc_parts(page_records(2))
        items = read(parts[0] + gzip_member(broken) + parts[1])
        assert kinds(items) == ["doc", "error:bad_record", "doc"], broken[:60]


def test_malformed_http_is_bad_http_and_reading_goes_on() -> None:
    not_http = raw_record([("WARC-Type", "response"), ("WARC-Record-ID", rid(7)),
                           ("WARC-Target-URI", "http://e.cn/x")], b"<html>no status</html>")
    huge_header = raw_record([("WARC-Type", "response"), ("WARC-Record-ID", rid(8)),
                              ("WARC-Target-URI", "http://e.cn/y")],
                             b"HTTP/1.1 200 OK\r\nSet-Cookie: " + b"c" * 300_000 + b"\r\n\r\n<p>")
    for gz in (True, False):
        wrap = gzip_member if gz else (lambda b: b)
        data = (warc_bytes(page_records(1, 10), gzip=gz) + wrap(not_http) + wrap(huge_header)
                + warc_bytes(page_records(1, 20), gzip=gz))
        items = read(data)
        assert kinds(items) == ["doc", "error:bad_http", "error:bad_http", "doc"]
        assert items[1].id == rid(7)


def test_records_split_across_gzip_members_and_single_member_files() -> None:
    plain = warc_bytes(page_records(3), gzip=False)
    split = b"".join(gzip_member(plain[i : i + 700]) for i in range(0, len(plain), 700))
    assert kinds(read(split)) == ["doc", "doc", "doc"]
    single = gzip_member(plain)
    items = read(single)
    assert kinds(items) == ["doc", "doc", "doc"]
    assert [i.source_offset for i in items] == [0, 0, 0]


def test_duplicate_record_ids_in_a_shard_are_renamed() -> None:
    records = [http_response(f"http://e.cn/{i}", html_page(str(i)), record_id=rid(5))
               for i in range(3)]
    parts = warc_parts(records)
    items = read(b"".join(parts))
    assert [i.id for i in items] == [rid(5), f"shard.warc.gz#{len(parts[0])}",
                                     f"shard.warc.gz#{len(parts[0]) + len(parts[1])}"]
    assert items[1].signals["read_duplicate_record_id"] == 1


def test_records_without_record_id_get_unique_offset_ids() -> None:
    rec = raw_record([("WARC-Type", "response"), ("WARC-Target-URI", "http://e.cn/")],
                     b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html_page("x"))
    items = read(gzip_member(rec + rec + rec))  # one member, three records
    assert kinds(items) == ["doc", "doc", "doc"]
    assert items[0].id == "shard.warc.gz#0"
    assert items[1].id.startswith("shard.warc.gz#0+")


class _FailingStream(io.RawIOBase):
    def __init__(self, data: bytes, fail_after: int) -> None:
        self._data, self._pos, self._fail_after = data, 0, fail_after

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if self._pos >= self._fail_after:
            raise OSError("connection reset by peer")
        n = min(n if n >= 0 else len(self._data), 100, self._fail_after - self._pos)
        chunk = self._data[self._pos : self._pos + n]
        self._pos += len(chunk)
        return chunk


def test_io_error_mid_stream_and_short_reads() -> None:
    parts = warc_parts(page_records(3))
    data = b"".join(parts)
    reader = WarcReader(max_record_bytes=MAX, html_content_types=HTML_TYPES)
    items = list(reader.read(_FailingStream(data, len(parts[0]) + 10), "s"))
    assert kinds(items) == ["doc", "error:io"]
    items = list(reader.read(_FailingStream(data, len(data) + 1), "s"))
    assert kinds(items) == ["doc", "doc", "doc"]


def test_error_kinds_are_documented() -> None:
    assert {"empty_file", "not_warc", "truncated_gzip", "bad_record"} <= set(ERROR_KINDS)


# -- the shared real files -------------------------------------------------------------------

REAL_FILES = sorted(p for p in REAL_DIR.rglob("*") if p.is_file()
                    and p.name not in ("LICENSE", "SOURCE.md")) if REAL_DIR.is_dir() else []

# What each malformed file must give (kinds in order); every other file must give one item per
# record that warcio's ArchiveIterator reads from it, with the same ids and offsets.
EXPECTED_MALFORMED = {
    "example-trunc.warc": ["skip:warcinfo", "skip:warcinfo", "error:bad_record", "skip:request"],
    "bad.arc": ["error:bad_record", "error:bad_record", "drop:not_html", "error:bad_record"],
    "example-space-in-url.arc": ["skip:arc_header", "error:bad_record"],
    "example-bad-non-chunked.warc.gz": ["skip:warcinfo", "skip:warcinfo", "doc", "skip:request",
                                        "skip:revisit", "skip:request"],
    "example-bad.warc.gz.bad": ["skip:warcinfo", "doc", "skip:request", "skip:revisit",
                                "skip:request", "doc"],
    "example-wrong-chunks.warc.gz": ["doc", "skip:request"],
}


def _warcio_records(path: Path) -> list[tuple[str, str | None, int]]:
    with path.open("rb") as fh:
        it = ArchiveIterator(fh)
        return [(r.rec_type, r.rec_headers.get_header("WARC-Record-ID"), it.get_record_offset())
                for r in it]


@pytest.mark.skipif(not REAL_FILES, reason=f"{REAL_DIR} not present")
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_files_parse_or_fail_cleanly(path: Path) -> None:
    with path.open("rb") as fh:
        items = read(fh.read(), str(path))
    assert items, "every file yields at least one item"
    got = kinds(items)
    if path.name in EXPECTED_MALFORMED:
        assert got == EXPECTED_MALFORMED[path.name]
        return
    assert not any(k.startswith("error:") for k in got)
    theirs = _warcio_records(path)
    assert len(items) == len(theirs)
    for item, (rtype, record_id, offset) in zip(items, theirs, strict=True):
        if isinstance(item, SkippedRecord):
            assert item.record_type in (rtype, "arc_header")
        if record_id:
            assert item.id == record_id
        if isinstance(item, Document):
            assert item.source_offset == offset
            assert item.raw


@pytest.mark.skipif(not REAL_FILES, reason=f"{REAL_DIR} not present")
def test_real_files_documents() -> None:
    docs = {}
    for path in REAL_FILES:
        with path.open("rb") as fh:
            for item in read(fh.read(), path.name):
                if isinstance(item, Document):
                    docs.setdefault(path.name, []).append(item)
    assert len(docs["sample-0000.warc.gz"]) == 22 and len(docs["sample-0001.warc.gz"]) == 15
    (cc,) = docs["cc.warc.gz"]
    assert cc.raw.lstrip().startswith(b"<!DOCTYPE html>") and cc.http_charset == "utf-8"
    (chunked,) = docs["example-iana.org-chunked.warc"]
    assert chunked.raw.startswith(b"<!doctype html>") and chunked.raw.rstrip().endswith(b"</html>")
    for name in ("whirlwind.warc.wet", "whirlwind.warc.wet.gz"):
        (wet,) = docs[name]
        assert wet.is_plain_text and wet.raw.startswith(b"Escopete")
    assert "whirlwind.warc.wat" not in docs
    gz, plain = docs["whirlwind.warc.gz"][0], docs["whirlwind.warc"][0]
    assert gz.raw == plain.raw and gz.id == plain.id


def test_record_bytes_roundtrip_is_deterministic() -> None:
    a = record_bytes(http_response("http://e.cn/", b"<html></html>", record_id=rid(1)))
    b = record_bytes(http_response("http://e.cn/", b"<html></html>", record_id=rid(1)))
    assert a == b


# -- the shipped samples (examples/warc) -------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "warc"


def _label_rows() -> list[dict]:
    with (EXAMPLES / "labels.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_sample_warcs_read_as_labelled() -> None:
    labels = {row["record_id"]: row for row in _label_rows()}
    seen: dict[str, str] = {}
    for path in sorted(EXAMPLES.glob("sample-0*.warc.gz")):
        with path.open("rb") as fh:
            items = read(fh.read(), path.name)
        for item in items:
            if isinstance(item, SkippedRecord):
                assert item.record_type in ("warcinfo", "request", "metadata", "revisit")
                continue
            row = labels[item.id]
            assert row["shard"] == path.name and row["url"] == item.url
            seen[item.id] = kinds([item])[0]
            expected = row["expected"]
            if expected.startswith("read/"):
                assert seen[item.id] == f"drop:{expected[5:]}"
            else:
                assert seen[item.id] == "doc", row
    assert set(seen) == set(labels)


def test_sample_warcs_are_reproducible(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parent.parent / "scripts" / "make_sample_warcs.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    for path in sorted(EXAMPLES.glob("*")):
        if path.suffix in (".gz", ".jsonl"):
            assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
