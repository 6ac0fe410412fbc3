"""``zhclean explain``: per-document stages, signals and verdicts from a WARC or JSONL file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tests.warc_factory import http_response, rid, warc_bytes
from zhclean.pipeline.commands import explain

ARTICLE = [
    "今天上午，市政府召开新闻发布会，介绍了今年城市绿化工作的进展情况。",
    "据介绍，全市新增公园绿地一百二十公顷，完成道路绿化改造三十多条。",
    "相关负责人表示，下一步将继续推进口袋公园建设，让市民出门就能见到绿色。",
    "记者在现场看到，不少老人正在新建成的街心花园里晨练，孩子们在草坪上追逐嬉戏。",
]
GAMBLING = [
    "澳门威尼斯人现金网，百家乐真人视讯，注册送彩金。",
    "首存返水，时时彩北京赛车幸运飞艇，体育投注平台。",
]


def page(paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><meta charset='utf-8'><title>新闻</title></head><body><article>"
            f"<h1>城市绿化</h1>{body}</article></body></html>").encode()


def run_explain(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    explain.register(parser.add_subparsers())
    args = parser.parse_args(["explain", *argv])
    code = args.func(args, [])
    return code, capsys.readouterr().out


@pytest.fixture
def warc(tmp_path: Path) -> Path:
    records = [
        http_response("http://news.example.cn/a.html", page(ARTICLE), record_id=rid(1)),
        http_response("http://spam.example.cn/b.html", page(ARTICLE + GAMBLING),
                      record_id=rid(2)),
        http_response("http://en.example.com/c.html",
                      page([f"Paragraph {i} of this page is written in English about city parks, "
                            "trees, lakes and the people who walk there every morning." for i in
                            range(4)]),
                      record_id=rid(3)),
        http_response("http://img.example.cn/d.png", b"\x89PNG....", "image/png",
                      record_id=rid(4)),
    ]
    path = tmp_path / "sample.warc.gz"
    path.write_bytes(warc_bytes(records))
    return path


def test_warc_json_output(warc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_explain(["--input", str(warc), "--json", "--limit", "0"], capsys)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    by_url = {r["url"]: r for r in rows}
    good = by_url["http://news.example.cn/a.html"]
    assert good["verdict"] == "kept"
    assert good["lang"] == "zh" and good["script"] == "Hans"
    assert [s["stage"] for s in good["stages"]][:4] == ["decode", "extract", "language", "quality"]
    assert {"chars", "cjk_share", "lexicon_gambling", "dup_10gram_share"} <= set(good["quality"])
    spam = by_url["http://spam.example.cn/b.html"]
    assert spam["verdict"] == "quality/lexicon_gambling"
    assert "百家乐" in spam["detail"] or "威尼斯人" in spam["detail"]
    english = by_url["http://en.example.com/c.html"]
    assert english["verdict"] == "language/not_zh"
    quality = next(s for s in english["stages"] if s["stage"] == "quality")
    assert quality["after_drop"] is True and quality["reason"] == "low_cjk_share"
    image = by_url["http://img.example.cn/d.png"]
    assert image["verdict"].startswith("read/")


def test_table_output_and_limit(warc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_explain(["--input", str(warc), "--limit", "2"], capsys)
    assert code == 0
    assert "#1  http://news.example.cn/a.html" in out and "#3" not in out
    assert "verdict    kept" in out and "signals" in out
    assert "quality/lexicon_gambling" in out
    assert out.rstrip().splitlines()[-1].startswith("2 documents")


def test_jsonl_input_starts_at_language(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "docs.jsonl"
    rows = [{"id": "a", "url": "u1", "text": "\n".join(ARTICLE)},
            {"id": "b", "url": "u2", "text": "太短"}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    code, out = run_explain(["--input", str(path), "--json"], capsys)
    assert code == 0
    got = {r["id"]: r for r in map(json.loads, out.splitlines())}
    assert got["a"]["verdict"] == "kept"
    assert got["a"]["stages"][0]["stage"] == "language"
    assert got["b"]["verdict"] in {"quality/too_short", "language/not_zh", "language/low_score"}


def test_bad_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"body": "x"}\n', encoding="utf-8")
    code, _ = run_explain(["--input", str(path)], capsys)
    assert code == 2
    with pytest.raises(FileNotFoundError):
        run_explain(["--input", str(tmp_path / "missing.warc.gz")], capsys)
