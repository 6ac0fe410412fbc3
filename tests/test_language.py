"""Language stage: real fastText lid.176 model, script detection, Simplified conversion."""

from __future__ import annotations

import os
import pickle

import fasttext
import pytest

from zhclean.filters.document import Document
from zhclean.filters.language import (
    LanguageIdentifier,
    ScriptDetector,
    SimplifiedConverter,
    load_fasttext_model,
    predict_labels,
    resolve_model_path,
)
from zhclean.filters.script import detect_script, script_evidence

ZH = "今天天气很好，我们一起去公园散步吧。公园里有很多人在锻炼身体，孩子们在草地上玩耍。"
ZH_HANT = "今天天氣很好，我們一起去公園散步吧。公園裡有很多人在鍛鍊身體，孩子們在草地上玩耍。"
JA = "今日はとても良い天気ですね。私たちは一緒に公園へ散歩に行きましょう。子供たちが遊んでいます。"
EN = "The quick brown fox jumps over the lazy dog while the children play in the park."


@pytest.fixture(scope="module")
def lid() -> LanguageIdentifier:
    return LanguageIdentifier(model_path="builtin:lid.176.ftz", languages=["zh"], min_score=0.5)


def test_fasttext_is_the_real_package_and_predicts() -> None:
    """Pitfall guard (DESIGN §7): fasttext-predict must not shadow the real fasttext."""
    assert hasattr(fasttext, "train_supervised")
    model = load_fasttext_model("builtin:lid.176.ftz")
    labels = predict_labels(model, ZH, k=2)
    assert labels[0][0] == "zh"
    assert isinstance(labels[0][1], float) and 0.9 < labels[0][1] <= 1.0001


def test_builtin_path_resolves_to_an_ftz_file() -> None:
    path = resolve_model_path("builtin:lid.176.ftz")
    assert path.endswith("lid.176.ftz") and os.path.isfile(path)
    assert resolve_model_path("/some/local/model.bin") == "/some/local/model.bin"
    with pytest.raises(FileNotFoundError):
        resolve_model_path("builtin:no-such-model.bin")


def test_keeps_chinese_and_records_lang(lid: LanguageIdentifier) -> None:
    doc = Document(id="1", text=ZH)
    assert lid.check(doc).keep
    assert doc.lang == "zh" and doc.lang_score is not None and doc.lang_score > 0.9


def test_traditional_chinese_is_zh(lid: LanguageIdentifier) -> None:
    doc = Document(id="1", text=ZH_HANT)
    assert lid.check(doc).keep and doc.lang == "zh"


@pytest.mark.parametrize("text,lang", [(JA, "ja"), (EN, "en")])
def test_drops_other_languages_as_not_zh(lid: LanguageIdentifier, text: str, lang: str) -> None:
    doc = Document(id="1", text=text)
    verdict = lid.check(doc)
    assert not verdict.keep and verdict.reason == "not_zh"
    assert doc.lang == lang
    assert f"lang={lang}" in verdict.detail


def test_reason_stays_not_zh_for_other_kept_languages() -> None:
    rule = LanguageIdentifier(languages=["en"], min_score=0.5)
    verdict = rule.check(Document(id="1", text=ZH))
    assert not verdict.keep and verdict.reason == "not_zh"
    assert rule.check(Document(id="2", text=EN)).keep


def test_low_score_below_threshold() -> None:
    rule = LanguageIdentifier(min_score=0.9999999)
    doc = Document(id="1", text="中国 ok")
    verdict = rule.check(doc)
    assert not verdict.keep
    assert verdict.reason in {"low_score", "not_zh"}
    strict = LanguageIdentifier(min_score=1.0)
    verdict = strict.check(Document(id="2", text=ZH))
    assert (verdict.keep, verdict.reason) == (False, "low_score")


def test_newlines_and_empty_text(lid: LanguageIdentifier) -> None:
    doc = Document(id="1", text=ZH.replace("，", "\n") + "\n\n" + ZH)
    assert lid.check(doc).keep
    empty = Document(id="2", text=" \n\t ")
    verdict = lid.check(empty)
    assert not verdict.keep and verdict.reason == "not_zh" and empty.lang is None


def test_rule_pickles_without_the_model(lid: LanguageIdentifier) -> None:
    lid.check(Document(id="1", text=ZH))
    clone = pickle.loads(pickle.dumps(lid))
    assert clone.check(Document(id="2", text=ZH)).keep


def test_script_detection() -> None:
    assert detect_script(ZH) == "Hans"
    assert detect_script(ZH_HANT) == "Hant"
    assert detect_script(EN) is None
    # Valid Traditional words written with characters that are also Simplified.
    assert detect_script("皇后在天后宮裡吃麵，後來發現頭髮乾了。") == "Hant"
    assert detect_script("著名作家的面包干了。") == "Hans"
    han, trad, simp = script_evidence(ZH_HANT)
    assert han > 30 and trad > simp


def test_script_detector_and_converter_keep_original_script() -> None:
    doc = Document(id="1", text=ZH_HANT)
    assert ScriptDetector().check(doc).keep
    assert SimplifiedConverter().check(doc).keep
    assert doc.script == "Hant"
    assert doc.text == ZH  # the same sentence in Simplified
    assert detect_script(doc.text) == "Hans"
    english = Document(id="2", text=EN)
    ScriptDetector().check(english)
    SimplifiedConverter().check(english)
    assert english.script is None and english.text == EN


CODE = """def load_model(path):
    with open(path, "rb") as fh:
        data = fh.read()
    model = Model.from_bytes(data, strict=True)
    return model.eval()
"""
PROSE = "这段代码演示了如何加载模型并对每个样本进行预测，注意要先把模型切换到评估模式。\n"


def test_short_chinese_without_kana_is_not_japanese(lid: LanguageIdentifier) -> None:
    """lid.176 says ``ja`` (0.96) for this Chinese sentence; it has no kana, so it is zh."""
    text = "五、同业间良性的普遍推广与各团体的互助。"
    assert lid.predict(text)[0][0] == "ja"
    doc = Document(id="1", text=text)
    assert lid.check(doc).keep and doc.lang == "zh"


def test_japanese_with_kanji_stays_japanese(lid: LanguageIdentifier) -> None:
    doc = Document(id="1", text="東京都内の会社で働いています。今日は天気が良いです。" * 3)
    verdict = lid.check(doc)
    assert (verdict.keep, verdict.reason, doc.lang) == (False, "not_zh", "ja")


def test_mixed_chinese_and_code_is_decided_on_the_chinese_lines(lid: LanguageIdentifier) -> None:
    doc = Document(id="1", text=PROSE * 2 + CODE * 2 + PROSE)
    assert lid.check(doc).keep
    assert doc.lang == "zh" and doc.signals["lang_mixed_share"] >= 0.3
    # Mostly code: the Chinese lines are below mixed_min_share, so the page is not zh.
    mostly_code = Document(id="2", text=PROSE + CODE * 4)
    assert not lid.check(mostly_code).keep


def test_english_page_with_one_chinese_line_is_not_zh(lid: LanguageIdentifier) -> None:
    text = "This is an English article about cooking pasta with tomatoes and basil. " * 10
    doc = Document(id="1", text=text + "\n中文标题：意大利面\n")
    verdict = lid.check(doc)
    assert (verdict.keep, verdict.reason, doc.lang) == (False, "not_zh", "en")
