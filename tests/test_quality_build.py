"""The quality stage built from config: cost order, all-signals evaluation, documented keys."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import yaml

from zhclean.filters.document import Document
from zhclean.filters.quality import evaluate_all, first_failure
from zhclean.pipeline.config import Config, parse_config
from zhclean.pipeline.config import quality as quality_config
from zhclean.pipeline.config.sections import LanguageSection
from zhclean.transforms.quality import build_rules

REPO = Path(__file__).resolve().parents[1]
TEXT = (
    "今天上午，市政府召开新闻发布会，介绍了今年城市绿化工作的进展情况。\n"
    "据介绍，全市新增公园绿地一百二十公顷，完成道路绿化改造三十多条。\n"
    "相关负责人表示，下一步将继续推进口袋公园建设，让市民出门就能见到绿色。\n"
    "记者在现场看到，不少老人正在新建成的街心花园里晨练，孩子们在草坪上追逐嬉戏。\n"
)


def test_rules_in_cost_order_and_disabled_stage() -> None:
    reasons = [r.reason for r in build_rules(Config())]
    assert reasons[:2] == ["too_short", "too_long"]
    assert reasons.index("low_cjk_share") < reasons.index("lexicon_gambling")
    assert reasons.index("lexicon_gambling") < reasons.index("top_ngram")
    assert reasons[-1] == "duplicate_ngrams"
    assert len(set(reasons)) == len(reasons)  # one reason per rule
    assert build_rules(parse_config({"quality": {"enabled": False}})) == []


def test_first_failure_stops_and_evaluate_all_records_every_signal() -> None:
    rules = build_rules(Config())
    short = Document(id="1", text="太短了")
    assert first_failure(rules, short).reason == "too_short"
    assert set(short.quality) == {"chars"}  # later rules did not run
    outcomes = evaluate_all(rules, short)
    assert [o.reason for o in outcomes] == [r.reason for r in rules]
    assert outcomes[0].verdict.reason == "too_short"
    assert {"cjk_share", "lexicon_gambling", "dup_10gram_share"} <= set(short.quality)
    assert short.text == "太短了"
    good = Document(id="2", text=TEXT)
    assert all(o.verdict.keep for o in evaluate_all(rules, good, on_copy=False))


def _documented_fields(cls: type) -> list[str]:
    body = ast.parse(inspect.getsource(cls)).body[0].body
    names = []
    for i, node in enumerate(body):
        if isinstance(node, ast.AnnAssign):
            nxt = body[i + 1] if i + 1 < len(body) else None
            assert isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant), (
                f"{cls.__name__}.{node.target.id} has no docstring"
            )
            names.append(node.target.id)
    return names


def test_every_key_has_a_docstring_and_is_in_default_yaml() -> None:
    default = yaml.safe_load((REPO / "configs" / "default.yaml").read_text(encoding="utf-8"))
    sections = [
        (quality_config.QualitySection, default["quality"]),
        (quality_config.LexiconSection, default["quality"]["lexicon"]),
        (quality_config.ClassifierSection, default["quality"]["classifier"]),
        (LanguageSection, default["language"]),
    ]
    for cls, yaml_section in sections:
        fields = _documented_fields(cls)
        assert set(fields) == set(cls.model_fields)
        assert set(yaml_section) == set(fields), cls.__name__
    assert parse_config(default) == Config()
