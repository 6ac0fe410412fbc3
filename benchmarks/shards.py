"""Benchmark shards: N captures made from the sample WARCs, each one distinct.

Captures are taken round-robin from ``examples/warc/`` (our own texts), given fresh record ids and
URLs, and a paragraph of their own, so that no two benchmark documents are identical. A
``chinese_share`` below 1 replaces Chinese captures by English and Japanese ones, for a mix
closer to a real Common Crawl shard (about 5% Chinese).
"""

from __future__ import annotations

import glob
import html
import io
import json
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


# --------------------------------------------------------------------------------------------
# A Common Crawl-like mix: mostly non-Chinese pages of realistic size, some Chinese ones.

DATA = Path("/work/shared/data")
#: Share of each language among the non-Chinese pages (roughly Common Crawl's ranking).
OTHER_LANGUAGES = {
    "en": 0.52,
    "ru": 0.08,
    "de": 0.08,
    "ja": 0.07,
    "es": 0.07,
    "fr": 0.06,
    "vi": 0.03,
    "ko": 0.03,
    "th": 0.03,
    "ar": 0.03,
}
#: Legacy charset used for a share of the pages of a language (the rest is UTF-8).
LEGACY_CHARSETS = {
    "ru": ("windows-1251", 0.3),
    "ja": ("shift_jis", 0.2),
    "de": ("windows-1252", 0.1),
    "fr": ("windows-1252", 0.1),
    "es": ("windows-1252", 0.1),
    "ko": ("euc-kr", 0.1),
}
#: Examples categories that are real articles (distinct by their dup_group).
ARTICLE_CATEGORIES = {"news_hans", "blog_hans", "news_hant", "forum"}


@dataclass(frozen=True)
class BenchRecord:
    """What one benchmark response is, for counting what a pipeline kept."""

    kind: str  # zh_article | zh_other | other | not_html
    group: str  # documents with the same group are copies of one article
    lang: str


def _sentences(lang: str) -> list[str]:
    path = DATA / "langid" / "sentences" / f"{lang}.txt"
    return [s for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]


def _words(sentences: list[str], rng: random.Random, n: int, lang: str) -> str:
    text = rng.choice(sentences)
    if lang in ("ja", "th"):  # no spaces between words
        return text[: rng.randint(2, 8)]
    return " ".join(text.split()[:n])


def _css(rng: random.Random) -> str:
    rules = []
    for i in range(rng.randint(40, 160)):
        rules.append(
            f".c{i}-{rng.randint(0, 999)}{{margin:{rng.randint(0, 20)}px {rng.randint(0, 20)}px;"
            f"color:#{rng.getrandbits(24):06x};font-size:{rng.randint(10, 24)}px}}"
        )
    return "\n".join(rules)


def _script(rng: random.Random) -> str:
    items = ",".join(
        f'{{"id":{rng.randint(1, 10**6)},"slot":"ad-{rng.randint(1, 99)}",'
        f'"w":{rng.randint(1, 999)}}}'
        for _ in range(rng.randint(30, 300))
    )
    return f'window.__data={{"items":[{items}]}};function f(a){{return a.items.length}}'


def other_page(lang: str, rng: random.Random, sentences: list[str]) -> str:
    """A page of a news/blog/shop site in ``lang``: head with CSS and scripts, navigation,
    an article of a few paragraphs, a sidebar and a footer (30-40 KB typical)."""
    nav = "".join(
        f'<li><a href="/{lang}/s{rng.randint(1, 999)}">'
        f"{html.escape(_words(sentences, rng, 2, lang))}</a></li>"
        for _ in range(rng.randint(20, 80))
    )
    paras = "".join(
        "<p>"
        + html.escape(" ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5))))
        + "</p>"
        for _ in range(rng.randint(3, 18))
    )
    side = "".join(
        f'<li><a href="/{lang}/a{rng.randint(1, 99999)}.html">'
        f"{html.escape(_words(sentences, rng, 6, lang))}</a></li>"
        for _ in range(rng.randint(8, 30))
    )
    title = html.escape(_words(sentences, rng, 8, lang))
    scripts = "".join(f"<script>{_script(rng)}</script>" for _ in range(rng.randint(1, 3)))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="{{charset}}">'
        f'<title>{title}</title><meta name="description" content="{title}">'
        f"<style>{_css(rng)}</style>{scripts}</head><body>"
        f'<header><div class="logo">{title[:20]}</div><ul class="nav">{nav}</ul></header>'
        f"<main><article><h1>{title}</h1>{paras}</article><aside><ul>{side}</ul></aside></main>"
        f"<footer><p>&copy; 2024 {title[:30]}</p><ul>{nav[: len(nav) // 3]}</ul></footer>"
        "</body></html>"
    )


def _example_labels() -> dict[str, dict]:
    path = REPO / "examples" / "warc" / "labels.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {row["url"]: row for row in rows}


def _real_chinese_pages() -> list[tuple[str, bytes]]:
    folder = DATA / "extraction_zh" / "original"
    return [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.html"))]


def write_cc_shard(
    path: str, n_records: int, seed: int = 0, chinese_share: float = 0.05
) -> tuple[int, dict[int, BenchRecord]]:
    """Write a Common Crawl-like shard of ``n_records`` responses; return (bytes, truth).

    Non-Chinese pages (1 - ``chinese_share``) are generated from the ``data/langid`` sentences
    of 10 languages weighted like Common Crawl, 30-40 KB each with CSS, scripts, navigation
    and sidebar, some in legacy charsets (windows-1251, Shift_JIS, windows-1252, EUC-KR).
    Chinese pages are, half and half, the real article pages of ``data/extraction_zh``
    (raw bytes, 47 of 69 in GBK-family charsets) and the Chinese captures of ``examples/warc``
    (news, blogs, forums with site boilerplate, spam, navigation-only pages, near-duplicates).
    About 2% of the records are not HTML (images, PDF). Every response has a request before it
    and ``WARC-Identified-Payload-Type`` as in Common Crawl. ``truth`` maps the ``bench=`` index
    in each URL to what the record is.
    """
    rng = random.Random(seed)
    captures = [c for c in sample_captures() if c.is_chinese]
    labels = _example_labels()
    real = _real_chinese_pages()
    sentences = {lang: _sentences(lang) for lang in OTHER_LANGUAGES}
    langs, weights = zip(*OTHER_LANGUAGES.items(), strict=True)
    truth: dict[int, BenchRecord] = {}
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for i in range(n_records):
        roll = rng.random()
        if roll < chinese_share / 2:
            name, body = rng.choice(real)
            url, ctype = f"http://zh-{name[:8]}.example/article.html", "text/html"
            truth[i] = BenchRecord("zh_article", f"extraction_zh/{name}", "zh")
        elif roll < chinese_share:
            capture = rng.choice(captures)
            label = labels.get(capture.url, {})
            body = capture.body.replace(
                b"</body>", _unique_paragraph(i, capture, rng) + b"</body>", 1
            )
            url = capture.url
            ctype = dict((k.lower(), v) for k, v in capture.http_headers).get(
                "content-type", "text/html"
            )
            kind = "zh_article" if label.get("category") in ARTICLE_CATEGORIES else "zh_other"
            truth[i] = BenchRecord(kind, label.get("dup_group") or capture.url, "zh")
        elif roll < chinese_share + 0.02:
            body = bytes(rng.getrandbits(8) for _ in range(rng.randint(2000, 20000)))
            url = f"http://img.example/{i}.bin"
            ctype = rng.choice(["image/jpeg", "application/pdf"])
            truth[i] = BenchRecord("not_html", f"binary/{i}", "")
        else:
            lang = rng.choices(langs, weights)[0]
            legacy, share = LEGACY_CHARSETS.get(lang, ("utf-8", 0.0))
            charset = legacy if rng.random() < share else "utf-8"
            text = other_page(lang, rng, sentences[lang]).replace("{charset}", charset)
            body = text.encode(charset, errors="xmlcharrefreplace")
            url = f"https://www.{lang}-site{rng.randint(1, 500)}.example/{i}.html"
            ctype = f"text/html; charset={charset}"
            truth[i] = BenchRecord("other", f"other/{i}", lang)
        _write_pair(writer, rng, f"{url}?bench={i}", i, body, ctype)
    Path(path).write_bytes(out.getvalue())
    return len(out.getvalue()), truth


def _write_pair(
    writer: WARCWriter, rng: random.Random, url: str, i: int, body: bytes, ctype: str
) -> None:
    request = writer.create_warc_record(
        url,
        "request",
        http_headers=StatusAndHeaders(
            f"GET /?bench={i} HTTP/1.1", [("Host", "x")], is_http_request=True
        ),
        warc_headers_dict={"WARC-Record-ID": f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}>"},
    )
    response = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=StatusAndHeaders(
            "200 OK",
            [("Content-Type", ctype), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        ),
        warc_headers_dict={
            "WARC-Record-ID": f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}>",
            "WARC-Date": "2024-05-18T00:00:00Z",
            "WARC-Identified-Payload-Type": ctype.split(";")[0],
        },
    )
    writer.write_record(request)
    writer.write_record(response)


def bench_index(url: str) -> int | None:
    """The ``bench=`` index of a benchmark URL."""
    _, _, tail = url.rpartition("bench=")
    return int(tail) if tail.isdigit() else None
