"""Planted entries of every kind are 100% blocked, with the right reason and category, and
nothing else in the sample documents is blocked.

The corpus is generated here: Chinese documents built from a shared vocabulary (so unrelated
documents share many character 3-grams, a hard case for the fuzzy index), on hosts that
resemble the blocked ones (``notevil.example``, ``evil.example.org``).
"""

from __future__ import annotations

import io
import json
import random

import opencc
import pytest

from zhclean.filters.blocklist import (
    BlocklistBuilder,
    BlocklistLoader,
    load_blocklists,
    make_rules,
)
from zhclean.filters.blocklist.builder import read_documents_jsonl, read_plain_lines
from zhclean.filters.blocklist.minhash import minhash_signature
from zhclean.filters.document import Document
from zhclean.filters.normalize import normalize_text
from zhclean.pipeline.config import parse_config
from zhclean.transforms.blocklist import build_rules

_VOCABULARY = (
    "我们 今天 城市 发展 经济 文化 学校 学生 老师 医院 健康 生活 工作 公司 市场 价格 服务 "
    "技术 网络 手机 电脑 数据 安全 政策 社会 历史 旅游 美食 天气 交通 环境 保护 教育 科学 "
    "研究 问题 方法 时间 地方 朋友 家庭 孩子 父母 运动 比赛 音乐 电影 新闻 报道 记者 读者 "
    "图书 文章 作者 内容 信息 消费 银行 投资 产品 质量 企业 管理 国家 地区 农村 城市化 "
    "建设 项目 计划 活动 组织 成员 会议 决定 提高 增加 减少 改善 支持 参加 认为 表示 需要 "
    "可以 已经 正在 非常 比较 一些 这个 那个 因为 所以 但是 而且 如果 虽然 就是 还是"
)
WORDS = _VOCABULARY.split()


def _sentence(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))) + rng.choice("。！？")


def _document(rng: random.Random, paragraphs: int) -> str:
    return "\n".join(
        "".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(paragraphs)
    )


def _edit(text: str, fraction: float, rng: random.Random) -> str:
    """Substitute, insert or delete ``fraction`` of the characters at random places."""
    chars = list(text)
    alphabet = "".join(WORDS)
    for _ in range(max(1, int(len(chars) * fraction))):
        pos = rng.randrange(len(chars))
        op = rng.random()
        if op < 1 / 3:
            chars[pos] = rng.choice(alphabet)
        elif op < 2 / 3:
            chars.insert(pos, rng.choice(alphabet))
        else:
            del chars[pos]
    return "".join(chars)


def _jaccard3(a: str, b: str) -> float:
    def grams(t: str) -> set[str]:
        t = normalize_text(t)
        return {t[i : i + 3] for i in range(len(t) - 2)}

    ga, gb = grams(a), grams(b)
    return len(ga & gb) / len(ga | gb)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """(list path, planted docs with expected (reason, category), clean docs)."""
    rng = random.Random(20240607)
    s2t = opencc.OpenCC("s2t")
    tmp = tmp_path_factory.mktemp("blocklist")

    blocked_doc = _document(rng, 3)  # exact document entry (abuse)
    near_doc = _document(rng, 6)  # fuzzy: its edited copies must be blocked (porn)
    blocked_paragraph = _sentence(rng) + _sentence(rng)  # paragraph entry (gambling)

    (tmp / "urls.txt").write_text(
        "# reported pages\n"
        "HTTP://Blocked.Example.cn:80/新闻/./页面.html?id=3#comments\n"
        "blocked.example.cn/other%7Epage\n",
        encoding="utf-8",
    )
    (tmp / "domains.txt").write_text("*.evil.example\n例子.中国\n", encoding="utf-8")
    (tmp / "docs.jsonl").write_text(
        json.dumps({"text": blocked_doc, "category": "abuse"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"text": near_doc, "category": "porn"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    (tmp / "paragraphs.txt").write_text(blocked_paragraph + "\n", encoding="utf-8")

    builder = BlocklistBuilder()
    with open(tmp / "urls.txt", encoding="utf-8") as fh:
        read_plain_lines(builder, "url", fh, "urls.txt", "csam-url")
    with open(tmp / "domains.txt", encoding="utf-8") as fh:
        read_plain_lines(builder, "domain", fh, "domains.txt", "spam")
    with open(tmp / "docs.jsonl", encoding="utf-8") as fh:
        read_documents_jsonl(builder, fh, "docs.jsonl")
    with open(tmp / "paragraphs.txt", encoding="utf-8") as fh:
        read_plain_lines(builder, "paragraph", fh, "paragraphs.txt", "gambling")
    list_path = tmp / "list.txt"
    with open(list_path, "wb") as out:
        counts = builder.write(out)
    assert counts["near/minhash"] == 2

    def doc(i: int, url: str, text: str) -> Document:
        return Document(id=f"doc-{i}", url=url, text=text)

    edited = _edit(near_doc, 0.05, rng)
    edited_traditional = s2t.convert(_edit(near_doc, 0.05, rng))
    assert 0.6 < _jaccard3(near_doc, edited) < 0.9  # really edited, not a copy
    other = _document(rng, 3)
    long_url = "http://blocked.example.cn/%E6%96%B0%E9%97%BB/%E9%A1%B5%E9%9D%A2.html?id=3"
    traditional_doc = s2t.convert(blocked_doc).replace("。", "．  ")
    pasted = "\n".join([_document(rng, 2), s2t.convert(blocked_paragraph), _document(rng, 1)])
    planted_docs = [
        # URL variants that normalise equal to a listed URL (and its https twin)
        (doc(1, long_url, other), ("url", "csam-url")),
        (doc(2, "https://BLOCKED.example.cn/新闻/页面.html?id=3", other), ("url", "csam-url")),
        (doc(3, "http://blocked.example.cn:80/other~page#x", other), ("url", "csam-url")),
        # the domain, its subdomains, an IDN spelling
        (doc(4, "http://evil.example/", other), ("domain", "spam")),
        (doc(5, "https://a.b.EVIL.example:443/path?q=1", other), ("domain", "spam")),
        (doc(6, "http://www.evil.example./x", other), ("domain", "spam")),
        (doc(7, "http://news.xn--fsqu00a.xn--fiqs8s/a", other), ("domain", "spam")),
        # the blocked document in Traditional script, full-width, re-spaced and re-punctuated
        (doc(8, "http://mirror.example/1", traditional_doc), ("document", "abuse")),
        # the blocked paragraph pasted (in Traditional script) into a new document
        (doc(9, "http://forum.example/t/9", pasted), ("paragraph", "gambling")),
        # 5%-edited copies of the fuzzy-indexed document (one also in Traditional script)
        (doc(10, "http://copy.example/10", edited), ("near", "porn")),
        (doc(11, "http://copy.example/11", edited_traditional), ("near", "porn")),
        # the fuzzy-indexed document itself is an exact document match
        (doc(12, "http://copy.example/12", near_doc), ("document", "porn")),
    ]
    hosts = [
        "notevil.example",
        "evil.example.org",
        "blocked.example.cn.other.org",
        "example.cn",
        "news.example.cn",
        "中国",
        "xn--fiqs8s",
    ]
    clean_docs = [
        doc(i, f"http://{hosts[i % len(hosts)]}/新闻/页面.html?id={i}", _document(rng, i % 6 + 1))
        for i in range(100, 500)
    ]
    clean_docs.append(doc(999, long_url.replace("%E9%A1%B5%E9%9D%A2", "page"), other))
    clean_docs.append(doc(998, "not a url at all", _document(rng, 2)))
    clean_docs.append(doc(997, "", ""))
    return list_path, planted_docs, clean_docs


def _first_drop(rules, doc):
    for rule in rules:
        verdict = rule.check(doc)
        if not verdict.keep:
            return verdict.reason, verdict.detail
    return None


def test_every_planted_item_is_blocked_and_nothing_else(planted):
    list_path, planted_docs, clean_docs = planted
    rules = build_rules(parse_config({"blocklist": {"lists": [str(list_path)]}}))
    assert [r.reason for r in rules] == ["url", "domain", "document", "paragraph", "near"]
    for doc, expected in planted_docs:
        assert _first_drop(rules, doc) == expected, doc.id
    false_blocks = [(d.id, _first_drop(rules, d)) for d in clean_docs if _first_drop(rules, d)]
    assert false_blocks == []


def test_near_matching_follows_the_config(planted):
    list_path, planted_docs, _ = planted
    edited = [d for d, (reason, _) in planted_docs if reason == "near"]

    def near_blocked(fuzzy):
        config = parse_config({"blocklist": {"lists": [str(list_path)], "fuzzy": fuzzy}})
        rules = build_rules(config)
        return [_first_drop(rules, d) for d in edited]

    assert near_blocked({}) == [("near", "porn")] * 2
    assert near_blocked({"enabled": False}) == [None, None]
    assert near_blocked({"threshold": 0.95}) == [None, None]
    assert near_blocked({"min_chars": 100_000}) == [None, None]


def test_near_index_finds_copies_by_similarity():
    rng = random.Random(3)
    originals = [_document(rng, 5) for _ in range(200)]
    builder = BlocklistBuilder()
    for text in originals:
        builder.add_document(text, "porn")
    out = io.BytesIO()
    builder.write(out)
    loader = BlocklistLoader(near_threshold=0.5)
    loader.add_bytes(out.getvalue())
    index = loader.build()
    for text in originals[:50]:
        copy = normalize_text(_edit(text, 0.05, rng))
        category, score = index.lookup_near(minhash_signature(copy, index.near.num_perm))
        assert category == "porn" and score >= 0.5
    for _ in range(50):
        fresh = normalize_text(_document(rng, 5))
        category, score = index.lookup_near(minhash_signature(fresh, index.near.num_perm))
        assert category is None and score < 0.3


def test_no_lists_means_no_rules():
    assert build_rules(parse_config({})) == []


def test_rules_only_for_kinds_present(tmp_path):
    builder = BlocklistBuilder()
    builder.add_domain("bad.example", "spam")
    path = tmp_path / "domains.txt"
    with open(path, "wb") as out:
        builder.write(out)
    rules = make_rules(load_blocklists([str(path)]))
    assert [r.reason for r in rules] == ["domain"]
    verdict = rules[0].check(Document(id="x", url="http://www.bad.example/"))
    assert (verdict.keep, verdict.reason, verdict.detail) == (False, "domain", "spam")
