"""End to end through the Beam graph: every record accounted, GBK/Big5 decoded cleanly.

One small run (in-process runner, one worker) on WARCs written here with warcio: honest,
missing and lying charset declarations in GBK, GB18030 and Big5, an English page, an exact
duplicate, a non-HTML record, request/warcinfo records, and a second shard truncated mid-member.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.warc_factory import http_request, http_response, rid, warc_bytes, warcinfo
from zhclean.pipeline.cli import main

GBK_TEXT = (
    "清晨的江南小镇笼罩在一层薄雾之中，石板路上已经有早起的居民挑着担子走向集市。"
    "河边的老茶馆刚刚开门，掌柜的正在擦拭那张用了三十多年的八仙桌。"
    "镇上的老人们习惯在这里喝上一壶龙井，聊聊昨天的新闻和邻里的家常。\n"
    "这座小镇有着一千多年的历史，保存完好的明清建筑吸引了不少游客前来参观。"
    "当地政府近年来投入资金修缮古桥和老宅，同时鼓励居民经营特色民宿和手工作坊。"
    "许多在外地工作的年轻人也陆续回到家乡，开起了书店、咖啡馆和文创工作室。\n"
    "傍晚时分，夕阳把河面染成一片金黄，游船缓缓驶过拱桥，船娘轻声哼唱着古老的小调。"
    "游客们纷纷拿出手机拍照，记录下这难得的宁静时刻。小镇的夜晚来得很早，"
    "八点以后街上就只剩下零星的灯光和偶尔传来的狗叫声。\n"
)
GB18030_TEXT = (
    "研究人员在报告中指出，城市居民的阅读习惯正在发生明显变化，纸质书和电子书的比例逐年接近。"
    "调查覆盖了全国二十个城市的三千多名受访者，其中超过一半的人表示每周至少阅读三个小时。"
    "专家认为，公共图书馆和社区书屋的普及是推动阅读风气的重要因素。\n"
    "报告还提到一些少见的姓氏用字，例如䶮和𠀾，这些字符只在较新的字符集标准中才有收录。"
    "整理古籍和地方志的学者经常遇到类似的生僻字，因此对编码标准的完整性格外关注。"
    "图书馆的数字化项目也因此需要使用支持更多汉字的编码方案来保存文本。\n"
)
BIG5_TEXT = (
    "臺北市立美術館今年秋天推出一檔以城市記憶為主題的特展，展出超過一百件攝影與裝置作品。"
    "策展人表示，希望透過藝術家的視角，讓觀眾重新認識這座城市在過去半個世紀的變化。"
    "展覽分為三個區域，分別呈現老街區的生活、工業時代的遺跡以及當代都市的新風貌。\n"
    "開幕當天吸引了許多民眾前往參觀，不少家長帶著孩子一起欣賞作品，並參加館方安排的導覽活動。"
    "館方也規劃了一系列講座與工作坊，邀請藝術家分享創作過程與背後的故事。"
    "這檔特展將持續到明年一月底，週末及國定假日延長開放時間至晚上九點。\n"
)
ENGLISH_TEXT = (
    "The city council met on Tuesday evening to discuss the new budget for public libraries. "
    "Several residents spoke in favour of longer opening hours during the weekend. "
) * 6


def page(title: str, body: str, charset_meta: str | None = None, trad: bool = False) -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    nav, footer = (
        ("首頁", "版權所有 2024 示例網 京ICP備12345678號")
        if trad
        else (
            "首页",
            "版权所有 2024 示例网 京ICP备12345678号",
        )
    )
    paras = "".join(f"<p>{line}</p>" for line in body.split("\n") if line)
    return (
        f"<html><head>{meta}<title>{title}</title></head><body>"
        f"<div class='nav'><a href='/'>{nav}</a> </div>"
        f"<article><h1>{title}</h1>{paras}</article>"
        f"<div class='footer'>{footer}</div></body></html>"
    )


def shard_one() -> bytes:
    return warc_bytes(
        [
            warcinfo("one.warc.gz", record_id=rid(1)),
            http_request("https://zh.example/gbk", record_id=rid(2)),
            # GBK with an honest HTTP charset.
            http_response(
                "https://zh.example/gbk",
                page("江南小镇", GBK_TEXT).encode("gbk"),
                "text/html; charset=gbk",
                record_id=rid(3),
            ),
            # GB18030-only characters, HTTP lies (ISO-8859-1), meta says gb2312.
            http_response(
                "https://zh.example/gb18030",
                page("阅读报告", GB18030_TEXT, "gb2312").encode("gb18030"),
                "text/html; charset=ISO-8859-1",
                record_id=rid(4),
            ),
            # Big5 with no declaration at all.
            http_response(
                "https://tw.example/big5",
                page("城市記憶", BIG5_TEXT, trad=True).encode("big5"),
                "text/html",
                record_id=rid(5),
            ),
            http_response(
                "https://en.example/news", page("Council", ENGLISH_TEXT).encode(), record_id=rid(6)
            ),
            # The GBK article again at another URL, as UTF-8: an exact duplicate.
            http_response(
                "https://mirror.example/gbk", page("江南小镇", GBK_TEXT).encode(), record_id=rid(7)
            ),
            http_response(
                "https://zh.example/logo.png",
                b"\x89PNG\r\n\x1a\n" + bytes(200),
                "image/png",
                record_id=rid(8),
            ),
        ]
    )


def shard_truncated() -> bytes:
    whole = warc_bytes(
        [
            http_response(
                "https://zh.example/t1", page("江南小镇", GBK_TEXT).encode(), record_id=rid(20)
            ),
            http_response(
                "https://zh.example/t2", page("阅读报告", GB18030_TEXT).encode(), record_id=rid(21)
            ),
        ]
    )
    return whole[: len(whole) - 200]


@pytest.fixture(scope="module")
def run_output(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("e2e")
    (root / "in").mkdir()
    (root / "in" / "one.warc.gz").write_bytes(shard_one())
    (root / "in" / "two.warc.gz").write_bytes(shard_truncated())
    out = root / "out"
    code = main(
        [
            "run",
            "--config",
            "configs/default.yaml",
            "--input",
            str(root / "in" / "*.warc.gz"),
            "--output",
            str(out),
            "--direct_num_workers=1",
        ]
    )
    assert code == 0
    return out


def read_jsonl_gz(paths) -> list[dict]:
    rows = []
    for path in sorted(paths):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def test_invariant_every_record_accounted_once(run_output):
    stats = json.loads((run_output / "stats" / "stats.json").read_text())
    kept = read_jsonl_gz(run_output.glob("kept/part-*-of-*.jsonl.gz"))
    manifest = read_jsonl_gz(run_output.glob("dropped/manifest-*-of-*.jsonl.gz"))
    total = stats["kept"] + sum(stats["dropped"].values()) + sum(stats["errors"].values())
    assert stats["records_read"] == total
    ids = [r["id"] for r in kept] + [r["id"] for r in manifest]
    assert len(ids) == len(set(ids)) == stats["records_read"]
    assert len(kept) == stats["kept"]
    assert stats["funnel"][0] == {
        "stage": "read",
        "in": stats["records_read"],
        "out": stats["funnel"][1]["in"],
    }
    assert stats["skipped_records"] == {"request": 1, "warcinfo": 1}


def test_drop_reasons_are_named(run_output):
    manifest = read_jsonl_gz(run_output.glob("dropped/manifest-*.jsonl.gz"))
    by_id = {r["id"]: f"{r['stage']}/{r['reason']}" for r in manifest}
    assert by_id[rid(6)] == "language/not_zh"
    assert by_id[rid(8)] == "read/not_html"
    assert by_id[rid(7)] == by_id[rid(20)] == "dedup/exact"
    assert any(key.startswith("read/error:") for key in by_id.values())


def test_gbk_gb18030_big5_decoded_without_mojibake(run_output):
    kept = {r["id"]: r for r in read_jsonl_gz(run_output.glob("kept/*.jsonl.gz"))}
    expected = {rid(3): GBK_TEXT, rid(4): GB18030_TEXT, rid(5): BIG5_TEXT}
    for record_id, text in expected.items():
        assert record_id in kept, f"{record_id} was not kept"
        got = kept[record_id]["text"]
        assert "\ufffd" not in got
        for sentence in text.split("\n"):
            if sentence:
                assert sentence[:40] in got
    assert kept[rid(5)]["script"] == "Hant" and kept[rid(3)]["script"] == "Hans"
    assert "ICP备" not in kept[rid(3)]["text"]
    # rid(7) and rid(20) (first record of the truncated shard) are copies of rid(3).
    assert kept[rid(3)]["dup_cluster_size"] == 3


def test_output_record_contract(run_output):
    row = read_jsonl_gz(run_output.glob("kept/*.jsonl.gz"))[0]
    assert set(row) == {
        "id",
        "url",
        "text",
        "date",
        "lang",
        "lang_score",
        "script",
        "quality",
        "dup_cluster_size",
        "source",
    }
    assert set(row["source"]) == {"file", "offset"} and row["lang"] == "zh"
