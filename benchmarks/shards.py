"""Benchmark shards: N captures made from the sample WARCs, each one distinct.

Captures are taken round-robin from ``examples/warc/`` (our own texts), given fresh record ids and
URLs, and a paragraph of their own, so that no two benchmark documents are identical. A
``chinese_share`` below 1 replaces Chinese captures by English and Japanese ones, for a mix
closer to a real Common Crawl shard (about 5% Chinese).
"""

from __future__ import annotations

import glob
import io
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parent.parent
SAMPLES = str(REPO / "examples" / "warc" / "sample-*.warc.gz")
CJK_RANGE = ("\u4e00", "\u9fff")


@dataclass(frozen=True)
class Capture:
    url: str
    http_headers: list[tuple[str, str]]
    status: str
    body: bytes
    charset: str

    @property
    def is_chinese(self) -> bool:
        text = self.body.decode(self.charset, errors="ignore")
        cjk = sum(CJK_RANGE[0] <= ch <= CJK_RANGE[1] for ch in text)
        return cjk > 200 and not any("\u3040" <= ch <= "\u30ff" for ch in text[:3000])


def _charset(headers: StatusAndHeaders) -> str:
    ctype = headers.get_header("Content-Type") or ""
    for part in ctype.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return value.strip() or "utf-8"
    return "utf-8"


def sample_captures() -> list[Capture]:
    """The HTML response captures of the shipped sample WARCs."""
    captures = []
    for path in sorted(glob.glob(SAMPLES)):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = record.http_headers.get_header("Content-Type") or ""
                if "html" not in ctype or record.http_headers.get_header("Content-Encoding"):
                    continue  # compressed payloads are tested elsewhere; keep this simple
                captures.append(
                    Capture(
                        url=record.rec_headers.get_header("WARC-Target-URI"),
                        http_headers=[
                            (k, v)
                            for k, v in record.http_headers.headers
                            if k.lower() not in ("content-length", "transfer-encoding")
                        ],
                        status=record.http_headers.statusline,
                        body=record.content_stream().read(),
                        charset=_charset(record.http_headers),
                    )
                )
    return captures


def _unique_paragraph(i: int, capture: Capture, rng: random.Random) -> bytes:
    words = ["城市", "居民", "记者", "今年", "项目", "研究", "学校", "医院", "交通", "文化"]
    picked = "".join(rng.choice(words) for _ in range(12))
    text = f"<p>第{i}号补充说明：{picked}，相关情况仍在进一步了解之中。</p>"
    if not capture.is_chinese:
        text = f"<p>Note {i}: {rng.random():.12f} further details were not available.</p>"
    return text.encode(capture.charset, errors="xmlcharrefreplace")


def write_shard(
    path: str, n_records: int, seed: int = 0, chinese_share: float | None = None
) -> int:
    """Write ``n_records`` response captures (with request records) to ``path``; return bytes."""
    rng = random.Random(seed)
    captures = sample_captures()
    zh = [c for c in captures if c.is_chinese]
    other = [c for c in captures if not c.is_chinese]
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for i in range(n_records):
        if chinese_share is None:
            capture = captures[i % len(captures)]
        else:
            capture = rng.choice(zh if rng.random() < chinese_share else other)
        body = capture.body.replace(b"</body>", _unique_paragraph(i, capture, rng) + b"</body>", 1)
        url = f"{capture.url}?bench={i}"
        record_id = f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}>"
        request = writer.create_warc_record(
            url,
            "request",
            http_headers=StatusAndHeaders(
                f"GET /?bench={i} HTTP/1.1", [("Host", "x")], is_http_request=True
            ),
            warc_headers_dict={
                "WARC-Record-ID": f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}>"
            },
        )
        response = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(
                capture.status,
                [*capture.http_headers, ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            ),
            warc_headers_dict={"WARC-Record-ID": record_id, "WARC-Date": "2024-05-18T00:00:00Z"},
        )
        writer.write_record(request)
        writer.write_record(response)
    Path(path).write_bytes(out.getvalue())
    return len(out.getvalue())
