"""Lexicon matching (pyahocorasick), categories, density, allowlist and the shipped default."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhclean.filters.datapath import resolve_data_path
from zhclean.filters.document import Document
from zhclean.filters.lexicon import Lexicon, read_lexicon_file
from zhclean.filters.quality.lexicon import LexiconDensity
from zhclean.pipeline.config import parse_config
from zhclean.transforms.quality import build_rules

ARTICLE = (
    "成人教育是终身学习体系的重要组成部分。今年，全市成人高考报名人数比去年增长百分之十，"
    "性别比例基本持平。专家表示，性价比高的在线课程正在吸引更多在职人员。"
)


def make_lexicon(tmp_path: Path) -> Lexicon:
    gambling = tmp_path / "gambling.txt"
    gambling.write_text("# comment\n百家乐\n真人视讯\n娱乐城\nporn\t成人电影\n", encoding="utf-8")
    ads = tmp_path / "spam.txt"
    ads.write_text("ads\t代开发票\n成人\n性\n", encoding="utf-8")
    allow = tmp_path / "allow.txt"
    allow.write_text("成人教育\n成人高考\n", encoding="utf-8")
    return Lexicon.from_files([str(gambling), str(ads)], [str(allow)])


def test_file_format(tmp_path: Path) -> None:
    path = tmp_path / "gambling.txt"
    path.write_text("# x\n百家乐\nporn\t黄片\n\n", encoding="utf-8")
    assert read_lexicon_file(str(path)) == [("gambling", "百家乐"), ("porn", "黄片")]


def test_categories_and_normalised_matching(tmp_path: Path) -> None:
    lex = make_lexicon(tmp_path)
    assert lex.categories == ["ads", "gambling", "porn", "spam"]
    # Spaces, punctuation, full width and Traditional script do not hide a term.
    m = lex.match("百 家 樂！真人視訊，ＰＯＲＮ成人電影")
    assert m.hits["gambling"] == 2 and m.hits["porn"] == 1
    assert set(m.top_terms("gambling")) == {"百家乐", "真人视讯"}


def test_allowlist_and_single_characters(tmp_path: Path) -> None:
    lex = make_lexicon(tmp_path)
    m = lex.match(ARTICLE)
    # 成人 inside 成人教育/成人高考 is shielded; 性 is one character (ignored by default).
    assert m.hits == {}
    assert lex.match("成人用品").hits["spam"] == 1


def test_density_rule(tmp_path: Path) -> None:
    lex = make_lexicon(tmp_path)
    rule = LexiconDensity(lex, "gambling", max_density=1.0, min_hits=2)
    spam = Document(id="1", text=ARTICLE + "百家乐真人视讯娱乐城，百家乐开户。")
    v = rule.check(spam)
    assert (v.keep, v.reason) == (False, "lexicon_gambling")
    assert spam.quality["lexicon_gambling"] > 1.0 and "百家乐" in v.detail
    one_hit = Document(id="2", text=ARTICLE + "警方破获一起百家乐案件。")
    assert rule.check(one_hit).keep  # min_hits
    assert one_hit.quality["lexicon_gambling"] > 0
    clean = Document(id="3", text=ARTICLE)
    assert rule.check(clean).keep and clean.quality["lexicon_gambling"] == 0.0


def test_default_lexicon_is_shipped_with_licences() -> None:
    folder = Path(resolve_data_path("builtin:lexicon/gambling.txt")).parent
    for name in ("gambling.txt", "porn.txt", "ads.txt", "allowlist.txt", "NOTICE.md",
                 "LICENSE-konsheng", "LICENSE-LDNOOBW"):
        assert (folder / name).is_file(), name


def test_default_config_rules(tmp_path: Path) -> None:
    rules = build_rules(parse_config({}))
    lexicon_rules = [r for r in rules if r.reason.startswith("lexicon_")]
    assert {r.reason for r in lexicon_rules} == {"lexicon_gambling", "lexicon_porn", "lexicon_ads"}
    spam = Document(id="1", text=ARTICLE + "澳门威尼斯人现金网，百家乐真人视讯，注册送彩金。" * 2)
    verdicts = [r.check(spam) for r in lexicon_rules]
    assert any(v.reason == "lexicon_gambling" and not v.keep for v in verdicts)
    clean = Document(id="2", text=ARTICLE)
    assert all(r.check(clean).keep for r in lexicon_rules)
    # Users add their own files; categories come from the file name.
    extra = tmp_path / "drugs.txt"
    extra.write_text("冰毒出售\n", encoding="utf-8")
    cfg = parse_config({"quality": {"lexicon": {"files": [str(extra)], "max_density": {}}}})
    rules = build_rules(cfg)
    assert [r.reason for r in rules if r.reason.startswith("lexicon_")] == ["lexicon_drugs"]


SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "lexicon"


@pytest.mark.skipif(not SOURCE.is_dir(), reason="evaluation data not available")
def test_default_lexicon_rebuilds_identically(tmp_path: Path) -> None:
    from scripts.build_default_lexicon import build, write

    write(str(tmp_path), build(str(SOURCE)), str(SOURCE))
    shipped = Path(resolve_data_path("builtin:lexicon/gambling.txt")).parent
    for name in ("gambling.txt", "porn.txt", "ads.txt", "allowlist.txt", "NOTICE.md"):
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name
