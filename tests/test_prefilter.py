"""The CJK pre-filter: no Chinese page lost, whatever its encoding; non-CJK pages dropped early."""

from __future__ import annotations

import io

import pytest

from tests.warc_factory import conversion, http_response, rid, warc_bytes, warcinfo
from zhclean.filters.document import Document, DropEvent
from zhclean.filters.prefilter import (
    CjkPrefilter,
    KanaHangulPrefilter,
    chinese_evidence,
    declares_chinese,
    kana_hangul_share,
)
from zhclean.filters.warc_records import WarcReader
from zhclean.pipeline.config import parse_config
from zhclean.transforms.read import build_prefilters, prefilter_drop

ZH = "清晨的江南小镇笼罩在一层薄雾之中，石板路上已经有早起的居民挑着担子走向集市。"
ZH_TRAD = "臺北市立美術館今年秋天推出一檔以城市記憶為主題的特展，許功蓋的作品也在其中。"
EN = "The city council met on Tuesday evening to discuss the new budget for public libraries. "
DE = "Die Bürger äußerten sich über die Öffnungszeiten der Bibliothek während der Woche. "
RU = "Городской совет обсудил во вторник новый бюджет для публичных библиотек. "
TH = "สภาเมืองประชุมกันเมื่อเย็นวันอังคารเพื่อหารืองบประมาณใหม่สำหรับห้องสมุดสาธารณะ "
KO = "시의회는 화요일 저녁에 공공 도서관의 새 예산을 논의하기 위해 모였습니다. "


def html(body: str, head: str = "", lang: str | None = None) -> str:
    attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html><html{attr}><head>{head}<title>t</title></head><body>"
        f"<nav><a href='/'>home</a></nav><article><p>{body}</p></article></body></html>"
    )


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (ZH, "utf-8", "utf8_han"),
        (ZH, "gbk", None),  # either utf8_han (bytes that look like UTF-8) or legacy_run
        (ZH, "gb18030", None),
        (ZH_TRAD, "big5", None),
        (ZH_TRAD, "big5hkscs", None),
        (ZH, "hz", "seven_bit"),
        (ZH, "utf-16", "bom_han"),
        (ZH, "utf-32", "bom_han"),
        (ZH_TRAD, "utf-8", "utf8_han"),
    ],
)
def test_chinese_in_any_encoding_is_kept(text: str, codec: str, expected: str | None) -> None:
    raw = html(text * 5).encode(codec)
    evidence = chinese_evidence(raw)
    assert evidence is not None
    if expected:
        assert evidence == expected


def test_legacy_chinese_without_utf8_lookalikes_is_a_legacy_run() -> None:
    # Big5 bytes never valid as UTF-8; the test must not depend on UTF-8 coincidences.
    raw = html(ZH_TRAD * 3).encode("big5")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert chinese_evidence(raw, http_charset="iso-8859-1") in ("legacy_run", "utf8_han")
    # Big5 characters with an ASCII second byte (許 B3 5C) break runs of high bytes; a
    # sentence still has runs (only ~40% of characters have such a second byte).
    assert chinese_evidence(b"<p>" + "許功蓋說，今天".encode("big5") + b"</p>") == "legacy_run"


@pytest.mark.parametrize("ref", ["&#20013;&#25991;", "&#x4e2d;&#x6587;", "&#X4E2D;", "&#131072;"])
def test_han_character_references_are_kept(ref: str) -> None:
    assert chinese_evidence(html(EN + ref).encode("ascii")) == "char_ref"


def test_non_han_references_are_not_evidence() -> None:
    assert chinese_evidence(html(EN + "&#8212;&#233;&#x2019;&#12354;").encode()) is None


def test_seven_bit_and_declared_encodings() -> None:
    iso2022 = html(ZH).encode("iso2022_jp_2")
    assert chinese_evidence(iso2022) == "seven_bit"
    utf7 = html(ZH).encode("utf-7")
    assert utf7.isascii()
    assert chinese_evidence(utf7, http_charset="utf-7") == "declared_han"
    assert chinese_evidence(utf7) is None  # undeclared UTF-7 is not guessed


def test_extension_b_and_compatibility_ideographs() -> None:
    assert chinese_evidence(html(EN + "𠀾").encode()) == "utf8_han"
    assert chinese_evidence(html(EN + "\uf900").encode()) == "utf8_han"
    assert chinese_evidence(html(EN + "\u3400").encode()) == "utf8_han"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (EN, "ascii"),
        (EN + "😀 ✓ — “quoted” €", "utf-8"),
        (DE, "utf-8"),
        (DE, "cp1252"),
        (DE, "latin-1"),
        (RU, "utf-8"),
        (TH, "utf-8"),
        (KO, "utf-8"),
        ("ひらがなとカタカナだけ。", "utf-8"),
    ],
)
def test_pages_without_han_are_dropped(text: str, codec: str) -> None:
    assert chinese_evidence(html(text * 20).encode(codec)) is None


def test_single_byte_cyrillic_is_kept_conservatively() -> None:
    # windows-1251 text has runs of high bytes like GBK: it goes on (costs time, loses nothing).
    assert chinese_evidence(html(RU * 5).encode("cp1251")) == "legacy_run"


def test_language_declarations_keep_a_page() -> None:
    raw = html(EN * 3).encode()
    assert chinese_evidence(raw) is None
    assert chinese_evidence(raw, content_language="zh-CN") == "lang_hint"
    assert chinese_evidence(raw, content_language="en, zh-Hant") == "lang_hint"
    assert chinese_evidence(raw, content_language="en-US") is None
    for lang in ("zh", "zh-CN", "zh_TW", "ZH-hans", "yue-HK", "cmn"):
        assert declares_chinese(html(EN, lang=lang).encode(), None), lang
    for lang in ("en", "zha", "zu", "ja"):
        assert not declares_chinese(html(EN, lang=lang).encode(), None), lang
    meta = '<meta http-equiv="Content-Language" content="zh-CN">'
    assert declares_chinese(html(EN, head=meta).encode(), None)
    assert declares_chinese(b'<html xml:lang="zh-Hant">', None)


def test_scan_window_bounds_the_search() -> None:
    raw = html("x" * 5000 + ZH).encode()
    assert chinese_evidence(raw, scan_bytes=len(raw)) == "utf8_han"
    assert chinese_evidence(raw, scan_bytes=1000) is None
    # A multibyte character cut by the window is not a reason to call the bytes legacy.
    cut = html(DE * 30).encode()
    window = next(i for i in range(100, len(cut)) if cut[i - 1] == 0xC3)
    assert chinese_evidence(cut, scan_bytes=window) is None


def test_nul_bytes_are_not_judged() -> None:
    assert chinese_evidence(b"<html>\x00<body>abc</body></html>") == "nul_bytes"


def test_rule_drop_detail_names_size_and_title() -> None:
    rule = CjkPrefilter()
    raw = html(EN * 3).replace("<title>t</title>", "<title>Council news</title>").encode()
    verdict = rule.check(Document(id="a", raw=raw, content_language="en"))
    assert not verdict.keep and verdict.reason == "no_cjk"
    assert f"in {len(raw)} bytes" in verdict.detail
    assert "Council news" in verdict.detail and "Content-Language en" in verdict.detail
    assert rule.check(Document(id="b", raw=html(ZH).encode())).keep
    assert rule.check(Document(id="c", raw=None, text=EN)).keep


def read_items(records, config_yaml: dict | None = None) -> list:
    config = parse_config(config_yaml or {})
    prefilter = build_prefilters(config)
    reader = WarcReader(config.read.max_record_bytes, config.read.html_content_types)
    items = []
    for item in reader.read(io.BytesIO(warc_bytes(records)), "t.warc.gz"):
        if isinstance(item, Document):
            item = prefilter_drop(prefilter, item) or item
        items.append(item)
    return items


def shard():
    return [
        warcinfo(record_id=rid(1)),
        http_response("https://zh.example/a", html(ZH * 5).encode(), record_id=rid(2)),
        http_response(
            "https://zh.example/gbk",
            html(ZH * 5).encode("gbk"),
            "text/html; charset=iso-8859-1",  # a lying header
            record_id=rid(3),
        ),
        http_response("https://en.example/a", html(EN * 5).encode(), record_id=rid(4)),
        http_response(
            "https://en.example/zh",
            html(EN * 5).encode(),
            record_id=rid(5),
            headers=[("Content-Language", "zh-CN")],
        ),
        conversion("https://en.example/wet", EN * 5, record_id=rid(6)),
        conversion("https://zh.example/wet", ZH * 5, record_id=rid(7)),
    ]


def test_reader_drops_non_cjk_captures_as_read_no_cjk() -> None:
    items = read_items(shard())
    fate = {
        item.id: (f"{item.stage}/{item.reason}" if isinstance(item, DropEvent) else "doc")
        for item in items
        if isinstance(item, Document | DropEvent)
    }
    assert fate == {
        rid(2): "doc",
        rid(3): "doc",
        rid(4): "read/no_cjk",
        rid(5): "doc",
        rid(6): "read/no_cjk",
        rid(7): "doc",
    }


def test_prefilter_can_be_disabled_and_is_off_for_non_han_languages() -> None:
    for config in ({"read": {"cjk_prefilter": False}}, {"language": {"languages": ["zh", "en"]}}):
        items = read_items(shard(), config)
        assert not any(isinstance(i, DropEvent) and i.reason == "no_cjk" for i in items)
        assert build_prefilters(parse_config(config)) == []
    sized = build_prefilters(parse_config({"extract": {"max_html_bytes": 4096}}))
    assert [type(r) for r in sized] == [CjkPrefilter, KanaHangulPrefilter]
    assert all(r.scan_bytes == 4096 for r in sized)
    # Keeping Japanese (or Korean) turns the kana/Hangul rule off, not the Han rule.
    with_ja = build_prefilters(parse_config({"language": {"languages": ["zh", "ja"]}}))
    assert [type(r) for r in with_ja] == [CjkPrefilter]


JA = "今日は東京で新しい図書館が開館しました。多くの人々が訪れ、本を読んだり勉強したりしています。"
KO_HANJA = "서울 市廳에서 새 圖書館 개관식이 열렸습니다. 많은 시민들이 참석했습니다. "


def test_kana_hangul_share_of_utf8_pages() -> None:
    assert kana_hangul_share(html(ZH * 5).encode()) == 0.0
    assert kana_hangul_share(html(EN).encode()) is None
    ja = kana_hangul_share(html(JA * 5).encode())
    ko = kana_hangul_share(html(KO_HANJA * 5).encode())
    assert ja is not None and 0.5 < ja < 0.8
    assert ko is not None and ko > 0.8
    # Transliteration marks are Chinese too: 哈利・波特, 咖啡ー
    assert kana_hangul_share(html(ZH + "哈利・波特ー" * 20).encode()) == 0.0
    # Legacy bytes are not counted (GBK pairs can look like UTF-8 kana bytes by accident).
    assert kana_hangul_share(html(JA * 5).encode("shift_jis")) in (None, 0.0)
    assert kana_hangul_share(html(ZH * 5).encode("gbk")) in (None, 0.0)
    looks_like_kana = b"<p>" + b"\xe3\x81\xaa\xb0\xa1" * 50 + b"</p>"  # not UTF-8
    assert kana_hangul_share(looks_like_kana) is None


def test_kana_hangul_rule() -> None:
    rule = KanaHangulPrefilter(max_share=0.5)
    verdict = rule.check(Document(id="ja", raw=html(JA * 5).encode()))
    assert not verdict.keep and verdict.reason == "kana_hangul"
    assert not rule.check(Document(id="ko", raw=html(KO_HANJA * 5).encode())).keep
    # A Chinese page quoting some Japanese, a page declared Chinese, a disabled rule: kept.
    assert rule.check(Document(id="zh", raw=html(ZH * 5 + JA).encode())).keep
    declared = Document(id="d", raw=html(JA * 5, lang="zh-CN").encode())
    assert rule.check(declared).keep
    assert KanaHangulPrefilter(max_share=1.0).check(Document(id="x", raw=html(JA).encode())).keep


def test_reader_drops_japanese_utf8_as_kana_hangul() -> None:
    records = [
        http_response("https://ja.example/a", html(JA * 5).encode(), record_id=rid(2)),
        http_response(
            "https://ja.example/sjis",
            html(JA * 5).encode("shift_jis"),
            "text/html; charset=shift_jis",
            record_id=rid(3),
        ),
    ]
    fate = {
        item.id: (f"{item.stage}/{item.reason}" if isinstance(item, DropEvent) else "doc")
        for item in read_items(records)
    }
    assert fate == {rid(2): "read/kana_hangul", rid(3): "doc"}
    kept = read_items(records, {"language": {"languages": ["zh", "ja"]}})
    assert all(isinstance(item, Document) for item in kept)
