"""``zhclean train-quality`` trains a real fastText model that the classifier rule uses."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from zhclean.filters.document import Document
from zhclean.filters.quality.classifier import QualityClassifier, classifier_line
from zhclean.pipeline.commands import train_quality
from zhclean.pipeline.config import parse_config
from zhclean.transforms.quality import build_rules

GOOD = [
    "市政府今天召开新闻发布会，介绍了城市绿化工作的最新进展。",
    "研究人员发现，这种植物能够在干旱的环境中保持水分，具有很高的研究价值。",
    "他在回忆录中写道，那一年的冬天特别寒冷，村里的老人都说从来没有见过这么大的雪。",
    "专家建议，老年人在冬季应当注意保暖，适当进行户外活动，保持良好的作息习惯。",
    "这部小说讲述了一个普通家庭在时代变迁中的故事，语言朴实，情感真挚。",
    "学校组织学生参观了科技馆，同学们对机器人展区表现出浓厚的兴趣。",
]
BAD = [
    "澳门威尼斯人 百家乐 真人视讯 注册送彩金 首存优惠 官网登录 手机版下载",
    "点击进入 更多>> 热门推荐 最新资讯 联系我们 网站地图 版权所有",
    "价格 优惠 包邮 正品 旗舰店 特价 秒杀 领券 下单 立减 现货 促销",
    "彩票 开奖 时时彩 北京赛车 幸运飞艇 计划 软件 稳赚 平台 代理",
    "首页 上一页 下一页 尾页 共10页 返回顶部 收藏本站 设为首页",
    "免费下载 高清在线 全集 在线播放 最新电影 热播 排行榜 更多",
]


def write_jsonl(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts),
                    encoding="utf-8")
    return path


def run_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    train_quality.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args, [])


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("clf")
    pos = write_jsonl(tmp / "pos.jsonl", GOOD * 5)
    neg = tmp / "neg.txt"  # plain text: one document per line
    neg.write_text("\n".join(BAD * 5) + "\n", encoding="utf-8")
    out = tmp / "quality.bin"
    # The real CLI in a fresh process: fastText training in a pytest process that has already
    # run many Beam pipelines has been seen to raise "Encountered NaN" at any learning rate.
    proc = subprocess.run(
        [sys.executable, "-m", "zhclean.pipeline.cli", "train-quality", "--positive", str(pos),
         "--negative", str(neg), "--output", str(out), "--epoch", "30", "--bucket", "50000",
         "--dim", "16"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0 and out.is_file(), proc.stderr[-2000:]
    return out


def test_segmentation_is_jieba_words() -> None:
    line = classifier_line("我们今天去公园散步。\n天气很好！")
    assert line == "我们 今天 去 公园 散步 天气 很 好"


def test_trained_model_scores_and_orders(model: Path) -> None:
    clf = QualityClassifier(str(model), min_score=0.5)
    good = Document(id="g", text=GOOD[0] + GOOD[3])
    bad = Document(id="b", text=BAD[0] + BAD[3])
    assert clf.check(good).keep
    verdict = clf.check(bad)
    assert (verdict.keep, verdict.reason) == (False, "low_quality_score")
    assert 0.0 <= bad.quality["quality_score"] < 0.5 < good.quality["quality_score"] <= 1.0


def test_config_entry_adds_the_classifier_last(model: Path) -> None:
    cfg = parse_config({"quality": {"classifier": {"model_path": str(model)}}})
    rules = build_rules(cfg)
    assert rules[-1].reason == "low_quality_score"
    doc = Document(id="x", text=GOOD[0])
    assert rules[-1].check(doc).keep  # min_score 0: score recorded, never dropped
    assert "quality_score" in doc.quality


def test_bad_inputs(tmp_path: Path) -> None:
    pos = write_jsonl(tmp_path / "p.jsonl", GOOD)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    out = str(tmp_path / "m.bin")
    assert run_command(["train-quality", "--positive", str(pos), "--negative", str(empty),
                        "--output", out]) == 2
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"body": "x"}\n', encoding="utf-8")
    assert run_command(["train-quality", "--positive", str(broken), "--negative", str(pos),
                        "--output", out]) == 2
    with pytest.raises(FileNotFoundError):
        run_command(["train-quality", "--positive", str(tmp_path / "missing.jsonl"),
                     "--negative", str(pos), "--output", out])
