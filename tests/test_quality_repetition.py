"""N-gram repetition signals (Gopher definitions) over characters and jieba words."""

from __future__ import annotations

import pytest

from zhclean.filters.document import Document
from zhclean.filters.quality import DuplicateNgrams, TopNgram
from zhclean.filters.quality.repetition import duplicate_ngram_share, top_ngram_share
from zhclean.filters.quality.tokens import split_tokens, token_seq

PROSE = (
    "今天上午，市政府召开新闻发布会，介绍了今年城市绿化工作的进展情况。"
    "据介绍，全市新增公园绿地一百二十公顷，完成道路绿化改造三十多条。"
)


def test_char_tokens_keep_ascii_words_and_drop_punctuation() -> None:
    tokens = split_tokens("iPhone 15售价5999元！", "char")
    assert tokens == ["iPhone", "15", "售", "价", "5999", "元"]


def test_word_tokens_use_jieba() -> None:
    words = split_tokens("我们今天去公园散步。", "word")
    assert "公园" in words and "。" not in words


def test_top_ngram_share_counts_all_occurrences() -> None:
    seq = token_seq("ab ab ab cd", "char")  # tokens: ab ab ab cd (ASCII words)
    # Most frequent 1-token gram "ab": 3 occurrences x 2 chars / 8 chars.
    assert top_ngram_share(seq, 1) == pytest.approx(6 / 8)
    assert top_ngram_share(token_seq("一二三四", "char"), 2) == 0.0


def test_duplicate_ngram_share_skips_past_repeats() -> None:
    seq = token_seq("甲乙丙甲乙丙甲乙丙", "char")
    # 3-grams: 甲乙丙 seen at 0; at 3 it repeats (+3 chars, jump to 6), at 6 again (+3).
    assert duplicate_ngram_share(seq, 3) == pytest.approx(6 / 9)
    assert duplicate_ngram_share(token_seq(PROSE, "char"), 10) == 0.0


def test_rules_drop_and_record() -> None:
    stuffed = Document(id="1", text=("澳门赌场在线开户" * 20) + PROSE)
    v = DuplicateNgrams({5: 0.3, 10: 0.2}).check(stuffed)
    assert (v.keep, v.reason) == (False, "duplicate_ngrams")
    assert stuffed.quality["dup_5gram_share"] > 0.3
    v = TopNgram({2: 0.15, 3: 0.15}).check(stuffed)
    assert (v.keep, v.reason) == (False, "top_ngram")
    clean = Document(id="2", text=PROSE)
    assert DuplicateNgrams({5: 0.3}).check(clean).keep
    assert TopNgram({2: 0.15}, unit="word").check(clean).keep
    assert "top_2gram_share" in clean.quality
