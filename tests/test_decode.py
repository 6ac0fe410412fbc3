"""Decode stage: charset choice, validation, aliases, BOMs, confusables, drops.

Fixtures are our own strings encoded in the test; each one is long enough (>= 30 CJK letters)
for the script checks to apply, like a real page.
"""

from __future__ import annotations

import random

import pytest

from zhclean.filters.charset_labels import codec_for_label, declared_in_document, sniff_bom
from zhclean.filters.charset_stats import char_stats
from zhclean.filters.decode import CharsetDecoder
from zhclean.filters.document import Document

ZH_HANS = (
    "中华人民共和国成立以后，城市建设发展很快。今天天气很好，我们一起去公园散步，"
    "看见许多孩子在草地上玩耍。这是一个用来检查字符集识别是否正确的测试页面，"
    "内容包括新闻、体育、娱乐和科技等栏目。"
)
ZH_HANT = (
    "中華民國臺灣的繁體中文網頁，測試這個字元集偵測器是否正確。今天天氣很好，"
    "我們一起到公園散步，看見許多孩子在草地上玩耍。這裡有新聞、體育、娛樂與科技等欄目。"
)
JA = (
    "これは日本語のテストです。文字コードの判定が正しいかどうかを確認します。"
    "東京都に住んでいる友達と一緒に、週末は公園へ散歩に行きました。とても楽しかったです。"
)
KO = (
    "이것은 한국어 테스트입니다. 문자 인코딩 감지가 올바른지 확인합니다. "
    "서울에 사는 친구와 함께 주말에 공원으로 산책을 갔습니다. 정말 즐거웠습니다."
)
EN = "Café au lait, naïve façade, über straße — déjà vu! Prices from £5 or 10 € at the Ærø inn."
ZH_CHINESE_CODECS = {"gb18030", "big5hkscs"}


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>Test</title></head><body><p>{body}</p></body></html>"


def decode(raw: bytes, http: str | None = None, **kwargs) -> tuple[Document, bool]:
    doc = Document(id="t", raw=raw, http_charset=http)
    verdict = CharsetDecoder(**kwargs).check(doc)
    if not verdict.keep:
        assert verdict.reason == "undecodable"
        assert verdict.detail
    return doc, verdict.keep


def assert_decoded(doc: Document, keep: bool, text: str, encoding: str, source: str) -> None:
    assert keep
    assert doc.html == text
    assert doc.encoding == encoding
    assert doc.signals["charset_source"] == source
    assert doc.raw is None


# --- declared charsets: honest, missing, lying -------------------------------------------


@pytest.mark.parametrize(
    "label", ["gbk", "GB2312", "gb18030", "x-gbk", "cp936", "gb-2312", '"GBK"']
)
def test_honest_gb_labels_decode_as_gb18030(label):
    html = page(ZH_HANS)
    doc, keep = decode(html.encode("gbk"), label)
    assert_decoded(doc, keep, html, "gb18030", "http")
    assert "charset_rejected" not in doc.signals


@pytest.mark.parametrize("label", ["utf-8", "UTF8", "utf8mb4", "utf-8 "])
def test_honest_utf8_labels(label):
    html = page(ZH_HANS)
    doc, keep = decode(html.encode("utf-8"), label)
    assert_decoded(doc, keep, html, "utf-8", "http")


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [(ZH_HANS, "gbk", "gb18030"), (ZH_HANT, "big5", "big5hkscs"), (ZH_HANS, "utf-8", "utf-8")],
    ids=["gbk", "big5", "utf-8"],
)
def test_missing_charset_is_detected(text, codec, expected):
    html = page(text)
    doc, keep = decode(html.encode(codec))
    assert_decoded(doc, keep, html, expected, "detector")


@pytest.mark.parametrize(
    "lie", ["iso-8859-1", "utf-8", "windows-1252", "big5", "shift_jis", "euc-kr"]
)
def test_lying_http_charset_on_gbk_page_is_rejected(lie):
    html = page(ZH_HANS)
    doc, keep = decode(html.encode("gbk"), lie)
    assert_decoded(doc, keep, html, "gb18030", "detector")
    assert doc.signals["charset_rejected"] == f"http:{lie}"


def test_gbk_label_on_utf8_page_is_rejected():
    html = page(ZH_HANS)
    doc, keep = decode(html.encode("utf-8"), "gb2312")
    assert_decoded(doc, keep, html, "utf-8", "detector")
    assert doc.signals["charset_rejected"] == "http:gb2312"


def test_gbk_label_on_big5_page_is_rejected():
    html = page(ZH_HANT)
    doc, keep = decode(html.encode("big5"), "gbk")
    assert_decoded(doc, keep, html, "big5hkscs", "detector")


@pytest.mark.parametrize("garbage", ["none", "text/html", "utf-7", "base64", "x-unknown-charset"])
def test_unknown_charset_names_are_rejected_and_recorded(garbage):
    html = page(ZH_HANS)
    doc, keep = decode(html.encode("gbk"), garbage)
    assert_decoded(doc, keep, html, "gb18030", "detector")
    assert doc.signals["charset_rejected"] == f"http:{garbage}"


def test_http_latin1_lie_falls_back_to_meta():
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    html = page(ZH_HANS, head=meta)
    doc, keep = decode(html.encode("gbk"), "ISO-8859-1")
    assert_decoded(doc, keep, html, "gb18030", "meta")
    assert doc.signals["charset_rejected"] == "http:ISO-8859-1"


# --- in-document declarations --------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="gbk">',
        "<meta charset=GB2312 />",
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=gb2312">',
        "<meta content='text/html;charset=x-gbk' http-equiv='content-type'>",
    ],
)
def test_meta_charset(head):
    html = page(ZH_HANS, head=head)
    doc, keep = decode(html.encode("gbk"))
    assert_decoded(doc, keep, html, "gb18030", "meta")


def test_xml_declaration():
    xml = f'<?xml version="1.0" encoding="big5"?><rss><item>{ZH_HANT}</item></rss>'
    doc, keep = decode(xml.encode("big5"))
    assert_decoded(doc, keep, xml, "big5hkscs", "meta")


def test_wrong_meta_is_rejected():
    html = page(ZH_HANS, head='<meta charset="utf-8">')
    doc, keep = decode(html.encode("gbk"))
    assert_decoded(doc, keep, html, "gb18030", "detector")
    assert doc.signals["charset_rejected"] == "meta:utf-8"


def test_meta_utf16_means_utf8():
    assert codec_for_label("utf-16", in_document=True) == "utf-8"
    assert codec_for_label("utf-16") == "utf-16-le"


def test_meta_beyond_scan_window_is_ignored():
    html = "<!--" + "x" * 9000 + '--><meta charset="gbk">'
    assert declared_in_document(html.encode(), 8192) == []
    assert declared_in_document(html.encode(), 16384) == ["gbk"]


def test_http_charset_wins_over_meta_when_both_are_clean():
    # A page that is pure ASCII is clean under any ASCII-compatible charset.
    html = "<html><head><meta charset=gbk></head><body>hello</body></html>"
    doc, keep = decode(html.encode(), "utf-8")
    assert_decoded(doc, keep, html, "utf-8", "http")


# --- byte-order marks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom_codec", "expected"),
    [("utf-8-sig", "utf-8"), ("utf-16", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_bom_wins_even_over_a_lying_header(bom_codec, expected):
    html = page(ZH_HANS)
    raw = html.encode(bom_codec)
    if bom_codec == "utf-16-be":
        raw = b"\xfe\xff" + raw
    assert sniff_bom(raw) is not None
    doc, keep = decode(raw, "gbk")
    assert_decoded(doc, keep, html, expected, "bom")


def test_utf16_without_bom_is_detected():
    html = page(ZH_HANS)
    doc, keep = decode(html.encode("utf-16-le"))
    assert_decoded(doc, keep, html, "utf-16-le", "detector")


# --- GBK vs GB18030, Big5 vs Big5-HKSCS ----------------------------------------------------


def test_gb2312_label_with_gbk_and_gb18030_only_characters():
    gbk_only = "朱镕基、陶喆和王堃"  # 镕 喆 堃 are GBK, not GB2312
    gb18030_only = "㐀䶵和𠀀"  # CJK Ext. A and B: four-byte GB18030 sequences
    with pytest.raises(UnicodeEncodeError):
        gbk_only.encode("gb2312")
    with pytest.raises(UnicodeEncodeError):
        gb18030_only.encode("gbk")
    html = page(ZH_HANS + gbk_only + gb18030_only)
    doc, keep = decode(html.encode("gb18030"), "gb2312")
    assert_decoded(doc, keep, html, "gb18030", "http")


def test_gbk_fullwidth_space_a3a0_becomes_u3000():
    raw = page(ZH_HANS).encode("gbk").replace("，".encode("gbk"), b"\xa3\xa0")
    doc, keep = decode(raw, "gbk")
    assert keep
    assert "\ue5e5" not in doc.html
    assert "\u3000" in doc.html


def test_big5_label_with_hkscs_and_cp950_characters():
    hkscs = "佢哋喺度食緊嘢，㗎"
    with pytest.raises(UnicodeEncodeError):
        "㗎".encode("big5")
    raw = page(ZH_HANT + hkscs).encode("big5hkscs") + "售價 100 €".encode("cp950")
    doc, keep = decode(raw, "big5")
    assert keep
    assert doc.encoding == "big5hkscs"
    assert doc.html == page(ZH_HANT + hkscs) + "售價 100 €"


@pytest.mark.parametrize(
    ("text", "codec"), [(ZH_HANS, "gbk"), (ZH_HANT, "big5")], ids=["gbk", "big5"]
)
def test_no_mojibake_in_decoded_chinese(text, codec):
    for http in (None, codec, "iso-8859-1", "utf-8"):
        doc, keep = decode(page(text).encode(codec), http)
        assert keep
        stats = char_stats(doc.html)
        assert stats.replacement == 0
        assert stats.private_use == stats.controls == stats.latin_mojibake == 0
        assert stats.rare_zh == 0


# --- Japanese and Korean are not turned into Chinese ---------------------------------------


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (JA, "shift_jis", "cp932"),
        (JA, "euc_jp", "euc_jp"),
        (JA, "iso2022_jp", "iso2022_jp_2"),
        (KO, "euc_kr", "cp949"),
        (KO, "cp949", "cp949"),
    ],
    ids=["shift_jis", "euc_jp", "iso2022_jp", "euc_kr", "cp949"],
)
@pytest.mark.parametrize("http", [None, "gbk", "big5", "iso-8859-1"])
def test_japanese_and_korean_are_not_decoded_as_chinese(text, codec, expected, http):
    html = page(text)
    doc, keep = decode(html.encode(codec), http)
    assert keep
    assert doc.encoding == expected
    assert doc.encoding not in ZH_CHINESE_CODECS
    assert doc.html == html


def test_honest_japanese_and_korean_labels():
    for text, codec, label, expected in [
        (JA, "shift_jis", "Shift_JIS", "cp932"),
        (JA, "euc_jp", "EUC-JP", "euc_jp"),
        (KO, "euc_kr", "EUC-KR", "cp949"),
    ]:
        doc, keep = decode(page(text).encode(codec), label)
        assert_decoded(doc, keep, page(text), expected, "http")


# --- Western pages -------------------------------------------------------------------------


@pytest.mark.parametrize("http", ["iso-8859-1", "windows-1252", "latin1", None])
def test_english_latin1_page(http):
    html = page(EN)
    doc, keep = decode(html.encode("cp1252"), http)
    assert keep
    assert doc.html == html
    assert doc.encoding == "cp1252"


def test_utf8_page_declared_latin1_is_rejected():
    html = page(EN)
    doc, keep = decode(html.encode("utf-8"), "iso-8859-1")
    assert_decoded(doc, keep, html, "utf-8", "detector")
    assert doc.signals["charset_rejected"] == "http:iso-8859-1"


def test_russian_cp1251_page_is_not_chinese():
    text = "Привет, мир! Это простая проверка кодировки для русского текста. Москва - столица."
    html = page(text)
    doc, keep = decode(html.encode("cp1251"))
    assert keep
    assert doc.html == html


# --- damaged input -------------------------------------------------------------------------


def test_random_binary_is_undecodable():
    raw = random.Random(0).randbytes(4096)
    doc, keep = decode(raw, "utf-8")
    assert not keep
    assert doc.html is None
    assert doc.signals["charset_rejected"] == "http:utf-8"


def test_truncated_last_character_is_dropped_not_replaced():
    html = page(ZH_HANS)
    for codec, label in [("utf-8", "utf-8"), ("gbk", "gbk")]:
        raw = html.encode(codec)[: -len("</p></body></html>")]
        raw = raw[:-1]  # cut the last character (。) in the middle
        doc, keep = decode(raw, label)
        assert keep
        assert doc.signals["charset_source"] == "http"
        assert "\ufffd" not in doc.html
        assert doc.html == html[: -len("。</p></body></html>")]


def test_a_few_broken_bytes_are_tolerated():
    raw = bytearray(page(ZH_HANS * 3).encode("gbk"))
    raw[200:201] = b"\xff"  # one bad byte in ~500 characters
    doc, keep = decode(bytes(raw), "gbk")
    assert keep
    assert doc.encoding == "gb18030"
    assert doc.html.count("\ufffd") <= 2


def test_stray_control_characters_do_not_drop_an_ascii_page():
    html = "<html><body>plain page\x00 with\x1a a few controls</body></html>"
    doc, keep = decode(html.encode(), "utf-8")
    assert keep
    assert doc.html == html


def test_empty_and_already_decoded_documents():
    doc, keep = decode(b"")
    assert keep
    assert doc.html == ""
    already = Document(id="t", html="<p>x</p>")
    assert CharsetDecoder().check(already).keep
    assert already.html == "<p>x</p>"


def test_thresholds_are_configurable():
    raw = bytearray(page(ZH_HANS * 3).encode("utf-8"))
    raw[10:11] = b"\xff"
    # One U+FFFD in ~280 non-ASCII characters: over a 0.1% limit, fine under the default 1%.
    assert decode(bytes(raw), "utf-8")[0].signals["charset_source"] == "http"
    _, keep = decode(bytes(raw), "utf-8", max_replacement_ratio=0.001, max_garbled_ratio=0.001)
    assert not keep


# --- labels and statistics -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("utf8mb4", "utf-8"),
        ("UTF 8", "utf-8"),
        ("gb-2312", "gb18030"),
        ("GBK", "gb18030"),
        ("big5-hkscs", "big5hkscs"),
        ("cp950", "big5hkscs"),
        ("x-sjis", "cp932"),
        ("ks_c_5601-1987", "cp949"),
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("windows-1251", "cp1251"),
        ("none", None),
        ("", None),
        (None, None),
        ("utf-7", None),
        ("rot13", None),
    ],
)
def test_codec_for_label(label, codec):
    assert codec_for_label(label) == codec


def test_char_stats_sees_latin_mojibake_and_not_latin_text():
    assert char_stats(ZH_HANS.encode("gbk").decode("latin-1")).latin_mojibake > 50
    assert char_stats(ZH_HANS.encode("utf-8").decode("cp1252", "replace")).latin_mojibake > 50
    assert char_stats("cafÃ© au lait").latin_mojibake == 2
    assert char_stats(EN).latin_mojibake == 0
    assert char_stats("“引号”……——").latin_mojibake == 0
    assert char_stats("plain ascii").examined == 0


# --- last-resort repairs -------------------------------------------------------------------


def _read_as_cp1252(raw: bytes) -> str:
    """What a double-encoding bug does: bytes read as windows-1252 (Latin-1 where unmapped)."""
    unmapped = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    return "".join(chr(b) if b in unmapped else bytes([b]).decode("cp1252") for b in raw)


def test_mixed_utf8_page_with_gbk_block_is_repaired():
    block = "这是用GBK编码的广告块，和页面的其他部分不同。" * 2
    raw = (
        page(ZH_HANS)
        .encode("utf-8")
        .replace(b"</body>", b"<div>" + block.encode("gbk") + b"</div></body>")
    )
    doc, keep = decode(raw, "utf-8")
    assert keep
    assert doc.html == page(ZH_HANS).replace("</body>", f"<div>{block}</div></body>")
    assert doc.encoding == "utf-8+gb18030"
    assert doc.signals["charset_repair"] == "mixed utf-8/gb18030"
    assert doc.signals["charset_source"] == "fallback"


@pytest.mark.parametrize(("codec", "expected"), [("utf-8", "utf-8"), ("gbk", "gb18030")])
def test_double_encoded_text_is_repaired(codec, expected):
    html = page(ZH_HANS)
    raw = _read_as_cp1252(html.encode(codec)).encode("utf-8")
    doc, keep = decode(raw, "utf-8")
    assert keep
    assert doc.html == html
    assert doc.encoding == expected
    assert doc.signals["charset_repair"] == f"double-encoded {expected}"


def test_repairs_can_be_switched_off():
    raw = _read_as_cp1252(page(ZH_HANS).encode("utf-8")).encode("utf-8")
    _, keep = decode(raw, "utf-8", repair=False)
    assert not keep


def test_config_section_matches_the_constructor():
    from zhclean.pipeline.config.sections import DecodeSection

    decoder = CharsetDecoder(**DecodeSection().model_dump())
    assert decoder.max_replacement_ratio == 0.01
    assert decoder.max_mojibake_ratio == 0.05
