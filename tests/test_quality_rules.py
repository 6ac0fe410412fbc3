"""Heuristic quality rules: each drops with its own reason and records its signal."""

from __future__ import annotations

import pytest

from zhclean.filters.document import Document
from zhclean.filters.quality import (
    CharEntropy,
    CjkShare,
    DigitShare,
    DuplicateLines,
    MaxLength,
    MeanLineLength,
    MinLength,
    ReadMoreLines,
    TerminalPunctuation,
    UniqueCharShare,
)
from zhclean.filters.quality.lines import ends_with_terminal_mark

PROSE = (
    "今天上午，市政府召开新闻发布会，介绍了今年城市绿化工作的进展情况。\n"
    "据介绍，全市新增公园绿地一百二十公顷，完成道路绿化改造三十多条。\n"
    "相关负责人表示，下一步将继续推进口袋公园建设，让市民出门就能见到绿色。\n"
)


def doc(text: str) -> Document:
    return Document(id="t", text=text)


def test_length_rules_count_non_whitespace() -> None:
    d = doc("一二三 四五\n六七")
    assert MinLength(8).check(d).keep is False
    assert d.quality["chars"] == 7
    v = MinLength(8).check(doc("一二三四五六七八"))
    assert v.keep
    v = MaxLength(5).check(d)
    assert (v.keep, v.reason) == (False, "too_long")
    assert "chars=7 > 5" in v.detail


def test_null_bound_only_records() -> None:
    d = doc("abc")
    assert MinLength(None).check(d).keep and d.quality["chars"] == 3


def test_cjk_share() -> None:
    d = doc("def main(): return 1  # 主函数")
    v = CjkShare(0.3).check(d)
    assert (v.keep, v.reason) == (False, "low_cjk_share")
    assert 0 < d.quality["cjk_share"] < 0.3
    assert CjkShare(0.3).check(doc(PROSE)).keep


def test_mean_line_length() -> None:
    nav = "首页\n新闻\n体育\n财经\n科技\n"
    v = MeanLineLength(10).check(doc(nav))
    assert (v.keep, v.reason) == (False, "short_lines")
    assert MeanLineLength(10).check(doc(PROSE)).keep


@pytest.mark.parametrize(
    "line,expected",
    [
        ("他说：“好。”", True),
        ("真的吗？", True),
        ("This is it.", True),
        ("下面小编为大家介绍......", False),
        ("肉桂茶的禁忌有哪些", False),
        ("未完待续……", False),
    ],
)
def test_terminal_mark(line: str, expected: bool) -> None:
    assert ends_with_terminal_mark(line) is expected


def test_terminal_punctuation_and_min_lines() -> None:
    titles = "\n".join(f"第{i}篇文章的标题在这里" for i in range(10))
    v = TerminalPunctuation(0.106).check(doc(titles))
    assert (v.keep, v.reason) == (False, "few_terminal_punct")
    assert TerminalPunctuation(0.106).check(doc(PROSE)).keep
    # One line: no line structure to judge, but the signal is recorded.
    one = doc("一个没有句号的单行文本")
    assert TerminalPunctuation(0.106).check(one).keep
    assert one.quality["terminal_punct_share"] == 0.0


def test_read_more_lines() -> None:
    teasers = "\n".join(f"第{i}条新闻的摘要内容到这里就截断了..." for i in range(5))
    v = ReadMoreLines(0.3).check(doc(teasers + "\n" + PROSE))
    assert (v.keep, v.reason) == (False, "read_more_lines")
    # The doubled Chinese ellipsis is prose punctuation, not a teaser cut.
    novel = "\n".join(["他沉默了很久……"] * 2 + PROSE.splitlines())
    assert ReadMoreLines(0.3).check(doc(novel)).keep


def test_duplicate_lines() -> None:
    text = "\n".join(["联系我们：电话123456"] * 5 + PROSE.splitlines())
    d = doc(text)
    v = DuplicateLines(0.287, 0.2).check(d)
    assert (v.keep, v.reason) == (False, "duplicate_lines")
    assert d.quality["dup_line_share"] == pytest.approx(4 / 8)
    assert DuplicateLines(0.287, 0.2).check(doc(PROSE)).keep


def test_digit_share() -> None:
    table = "\n".join(f"2022-03-{i:02d} 开奖号码 {i * 7919 % 100000:05d}" for i in range(1, 20))
    v = DigitShare(0.3).check(doc(table))
    assert (v.keep, v.reason) == (False, "too_many_digits")
    assert DigitShare(0.3).check(doc(PROSE)).keep


def test_diversity_and_entropy() -> None:
    spam = "哈哈哈哈哈哈哈哈" * 30
    d = doc(spam)
    assert UniqueCharShare(0.1).check(d).reason == "low_char_diversity"
    assert CharEntropy(3.0).check(d).reason == "low_char_entropy"
    assert d.quality["char_entropy"] == 0.0
    prose = doc(PROSE)
    assert UniqueCharShare(0.1).check(prose).keep and CharEntropy(3.0).check(prose).keep
    assert prose.quality["char_entropy"] > 5
