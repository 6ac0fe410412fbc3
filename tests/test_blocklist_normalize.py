"""Blocklist normalisation: URL/domain rules and document/paragraph keys (README "Blocklist")."""

from __future__ import annotations

import hashlib

import pytest
import xxhash

from zhclean.filters.blocklist.keys import (
    digest_bytes,
    digest_hex,
    document_key,
    paragraph_keys,
    xxh64_int,
)
from zhclean.filters.blocklist.urls import (
    InvalidUrlError,
    host_and_parents,
    normalize_domain,
    normalize_url,
    url_lookup_keys,
)
from zhclean.filters.normalize import normalize_text

EQUAL_URL_GROUPS = [
    # scheme and host case, default port, fragment, empty path, userinfo
    [
        "http://example.com/",
        "HTTP://EXAMPLE.COM",
        "http://example.com:80/",
        "http://Example.com/#top",
        "http://user:secret@example.com/",
        "  http://example.com/\n",
        "example.com",
        "//example.com/",
        "http://example.com./",
    ],
    # percent-encoding: unreserved decoded, hex case, raw non-ASCII encoded
    [
        "http://example.com/新闻/页面?q=色情",
        "http://example.com/%E6%96%B0%E9%97%BB/%E9%A1%B5%E9%9D%A2?q=%E8%89%B2%E6%83%85",
        "http://example.com/%e6%96%b0%e9%97%bb/%e9%a1%b5%e9%9d%a2?q=%e8%89%b2%e6%83%85",
    ],
    ["http://example.com/~user/a-b_c.d", "http://example.com/%7Euser/%61-b%5Fc%2Ed"],
    # dot segments and an empty query
    ["http://example.com/a/b/../c/./d?", "http://example.com/a/c/d"],
    # https default port
    ["https://example.com:443/x", "https://EXAMPLE.com/x#frag"],
    # internationalised host: Unicode, ideographic full stop, punycode
    ["http://例子.中国/a", "http://例子。中国/a", "http://xn--fsqu00a.xn--fiqs8s/a"],
    # space and other unsafe characters
    ["http://example.com/a b|c", "http://example.com/a%20b%7cc"],
]

DISTINCT_URLS = [
    "http://example.com/",
    "https://example.com/",  # different key (matched by the http/https twin lookup)
    "http://example.com/A",
    "http://example.com/a",
    "http://example.com/a/",
    "http://example.com/a?x=1&y=2",
    "http://example.com/a?y=2&x=1",
    "http://example.com:8080/a",
    "http://www.example.com/a",
    "http://example.com/a%2Fb",
    "http://example.com/a/b",
]


@pytest.mark.parametrize("group", EQUAL_URL_GROUPS, ids=lambda g: g[0])
def test_url_variants_normalise_equal(group):
    keys = {normalize_url(u).key() for u in group}
    assert len(keys) == 1, keys


def test_normalised_url_form():
    assert normalize_url("HTTPS://User@WWW.Example.COM:443/a/../b%7e?q=%e4%b8%ad#x").key() == (
        "https://www.example.com/b~?q=%E4%B8%AD"
    )
    assert normalize_url("http://a.com:08080").key() == "http://a.com:8080/"
    assert normalize_url("http://a.com/100%").key() == "http://a.com/100%25"


def test_distinct_urls_stay_distinct():
    keys = [normalize_url(u).key() for u in DISTINCT_URLS]
    assert len(set(keys)) == len(keys)


def test_lookup_keys_cover_both_schemes_and_parent_domains():
    urls, hosts = url_lookup_keys("https://a.b.Example.com:443/x")
    assert urls == ("https://a.b.example.com/x", "http://a.b.example.com/x")
    assert hosts == ("a.b.example.com", "b.example.com", "example.com", "com")
    urls, _ = url_lookup_keys("http://example.com:443/x")
    assert urls == ("http://example.com:443/x", "https://example.com/x")
    urls, hosts = url_lookup_keys("ftp://files.example.com/x")
    assert urls == ("ftp://files.example.com/x",)


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("Example.COM", "example.com"),
        ("*.example.com", "example.com"),
        (".example.com.", "example.com"),
        ("example.com:81", "example.com"),
        ("http://www.example.com/path?q", "www.example.com"),
        ("example.com/bbs/281810", "example.com"),
        ("www_sina.ec.tc", "www_sina.ec.tc"),
        ("例子.中国", "xn--fsqu00a.xn--fiqs8s"),
        ("ＥＸＡＭＰＬＥ.com", "example.com"),
        ("192.168.0.1", "192.168.0.1"),
    ],
)
def test_domain_inputs(text, host):
    assert normalize_domain(text) == host


def test_parents_of_host_and_ip():
    assert host_and_parents("x.y.cn") == ["x.y.cn", "y.cn", "cn"]
    assert host_and_parents("10.0.0.1") == ["10.0.0.1"]
    assert host_and_parents("[::1]") == ["[::1]"]


@pytest.mark.parametrize(
    "bad", ["", "   ", "http://", "http:///path", "http://a b.com/", "http://a.com:port/", "*."]
)
def test_invalid_urls_and_domains_are_refused(bad):
    with pytest.raises(InvalidUrlError):
        normalize_url(bad)
    with pytest.raises(InvalidUrlError):
        normalize_domain(bad)


def test_document_key_is_the_exact_dedup_normalisation():
    simplified = "这是一个测试文件，内容关于网络安全。"
    traditional = "這是一個測試文件，內容關於網絡安全。"
    assert document_key(traditional) == document_key(simplified) == normalize_text(simplified)
    assert document_key("Ｈｅｌｌｏ，  World!") == "helloworld"
    assert document_key("。。。  ") == ""


def test_paragraph_keys_keep_long_lines_once_in_order():
    text = (
        "短行\n这是第一段比较长的文字内容\r\n這是第一段比較長的文字內容\n第二段同样足够长的句子。"
    )
    assert paragraph_keys(text, 10) == ["这是第一段比较长的文字内容", "第二段同样足够长的句子"]
    assert paragraph_keys(text, 100) == []


def test_digests_match_their_reference_libraries():
    key = "http://example.com/"
    assert digest_hex("xxh64", key) == xxhash.xxh64(key.encode()).hexdigest()
    assert xxh64_int(key) == int(digest_hex("xxh64", key), 16)
    assert digest_bytes("md5", key) == hashlib.md5(key.encode()).digest()
    assert digest_bytes("sha1", key) == hashlib.sha1(key.encode()).digest()
    assert digest_bytes("sha256", key) == hashlib.sha256(key.encode()).digest()
    with pytest.raises(ValueError, match="unknown digest algorithm"):
        digest_bytes("crc32", key)


@pytest.mark.parametrize(
    "text",
    [
        "乾隆年間的皇帝\n乾隆\r\n後來發生了什麼",  # t2s phrases next to line breaks
        "第一行。\u2028第二行\u2029第三行\x0b第四\x0c五\x1c六\x85七",  # every line break kind
        "ΑΣ\nΣΑ σ\nΌΣ",  # final-sigma context at line ends
        "e\n\u0301combining after a break\nｆｕｌｌ ｗｉｄｔｈ，標點！\n\n",
        "emoji 😀 and symbols ©®™ ①②③ ㈱\r\nlast line without break",
        "",
    ],
)
def test_line_wise_document_key_equals_whole_text_normalisation(text):
    assert document_key(text) == normalize_text(text)
