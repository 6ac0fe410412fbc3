"""Chinese boilerplate lines are cut; article sentences that mention the same words are not."""

from __future__ import annotations

import pytest

from zhclean.filters.boilerplate import BoilerplateLineCleaner, boilerplate_kind
from zhclean.filters.document import Document
from zhclean.filters.verdict import KEEP


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("京ICP备12345678号-1", "icp"),
        ("*经营许可证编号：京ICP000008号", "icp"),
        ("苏ICP备13020714号 | 电信增值业务经营许可证 苏B2-20140001", "icp"),
        ("网络文化经营许可证：京网文[2020]1234-567号", "icp"),
        ("京公网安备 11010502030143号", "police"),
        ("版权所有 新浪网", "copyright"),
        ("Copyright © 2005 Sohu.com Inc. All rights reserved.搜狐公司 版权所有", "copyright"),
        ("© 版权所有2000-2006，北京千龙新闻网络传播有限责任公司", "copyright"),
        ("未经千龙新闻网书面特别授权，请勿转载或建立镜像，违者依法必究", "reprint"),
        ("转载请注明出处", "reprint"),
        ("免责声明：本站部分内容来源于网络", "disclaimer"),
        ("本文仅代表作者个人观点，不代表本站立场。", "disclaimer"),
        ("上一篇：城市交通的新变化", "prev_next"),
        ("下一篇 >> 地铁五号线通车", "prev_next"),
        ("第1页/共1页 << 上一页 | 下一页 >>", "prev_next"),
        ("（ 责任编辑：魏喆 ）", "editor"),
        ("编辑：山石", "editor"),
        ("-- 给编辑写信", "editor"),
        ("来源：新华网", "source"),
        ("文章来源：千龙网", "source"),
        ("发布时间：2022-02-13 04:22:18 来源：云南日报", "meta"),
        ("报纸网 |发布: 2021-1-29 13:18|点击: 313|来自: 互联网", "meta"),
        ("分享到：", "share"),
        ("扫一扫在手机打开当前页", "share"),
        ("阅读原文", "read_more"),
        ("点击查看大图", "read_more"),
        ("相关文章", "related"),
        ("推荐阅读：", "related"),
        ("您的位置：主页>艺术教育>院校招生资讯", "location"),
        ("当前位置：首页->军事技术", "location"),
        ("搜狐首页 > 搜狐财经 > 产经新闻 > 聚焦SK-II", "breadcrumb"),
        ("网易首页--> 主频道--> 消费真相--> 耐克", "breadcrumb"),
        ("首页|艺术快讯|当代艺术|艺术史论|艺术设计|艺术专题", "nav"),
        ("公司简介 - 联系我们 - 广告服务 - 招聘信息 - 隐私权政策", "nav"),
        ("关于我们 联系我们", "footer"),
        ("首页", "nav"),
        ("登录 | 注册", "nav"),
        ("用户名： 密码： 自动登录 忘记密码", "login"),
        ("地址：南京市建邺区江东中路369号 邮编：210092 电话：025-96096", "contact"),
        ("[打印] [关闭]", "toolbar"),
        ("← 返回", "toolbar"),
        ("页面功能 【我来说两句】【我要“揪”错】【推荐】【字体：大 中 小】【打印】", "toolbar"),
        ("收藏此帖 回复此帖 引用此帖", "toolbar"),
        ("评论(12)", "toolbar"),
        ("本文为原创文章，转载请注明出处并保留原文链接。", "reprint"),
        ("楼主 发表于 2024-05-06 00:00 只看该作者", "forum"),
        ("GMT+8, 2024-05-18 00:00", "forum"),
        ("查看: 2516 | 回复: 7", "meta"),
        ("用户登录", "login"),
        ("验证码", "login"),
        ("设为首页", "toolbar"),
        ("分享到 Facebook LINE", "share"),
        # Traditional script goes through t2s
        ("版權所有 © 2024 中央通訊社", "copyright"),
        ("責任編輯：陳大文", "editor"),
        ("關於我們 | 聯絡我們 | 隱私權政策", "nav"),
        ("登入 | 註冊", "login"),
        ("回覆 | 引用 | 檢舉", "nav"),
        ("載入更多", "read_more"),
        ("沙發 發表於 2024-05-04 00:40 只看該作者", "forum"),
        ("------------------------------", "decoration"),
        ("·", "decoration"),
    ],
)
def test_boilerplate_lines_are_recognised(line, kind):
    assert boilerplate_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        # sentences that merely mention the words
        "记者从市版权局获悉，今年共查处侵犯版权所有人权益的案件三百余起。",
        "他在文章里写道：未经授权转载他人作品，属于侵权行为。",
        "上一篇论文发表后，研究团队又花了两年时间完善实验设计。",
        "责任编辑这个岗位，要求对稿件的每一个字负责。",
        "据新华社报道，来源于海外的订单在三月份明显增加。",
        "；这样，作为该派中一员，他就能分享到一份胜利者的光荣。事过境迁，今天的人",
        "用户可以点击查看自己的历史订单，也可以申请退款，整个流程不超过三分钟。",
        "新用户注册后需要登录邮箱完成验证，这一步骤让不少老年人望而却步。",
        "他常说，首页上的新闻决定了一家网站的气质。",
        "联系我们的志愿者表示，活动将在周末继续进行。",
        "此外，近年來不少步道都設置了電子導覽牌，掃描QR碼就能查看路線資訊。",
        "回复：我同意你的看法，这个问题确实值得讨论",
        "用户名称是必填的。",
        # lines from real gold texts (data/extraction_zh) that look like chrome but are not
        "评论人：蒋殿春（南开大学国际经济研究所）李坤望（南开大学国际经济贸易学系）",
        "举报人“寻而不得”",
        "泰州今年“新春第一会”，再次把C位留给“最大的民生”。（详情请点击链接：",
        "12月10日 代表注册",
        "9:20—9:50",
        "00:00/00:00",
        "。”",
        "┌───┬─────┼─────┐",
        "2005年",
        "中",
        # long lines are never considered
        "版权所有" + "，这是一段很长的正文" * 20,
    ],
)
def test_article_lines_survive(line):
    assert boilerplate_kind(line) is None


def test_cleaner_removes_lines_and_counts_them():
    text = "\n".join(
        [
            "首页 | 新闻 | 论坛 | 博客",
            "城市公共交通的新变化",
            "地铁线路不断延伸，公交站点更加密集，市民出行越来越方便。",
            "来源：新华网",
            "记者从市版权局获悉，今年共查处侵犯版权所有人权益的案件三百余起。",
            "责任编辑：王五",
            "分享到：",
            "上一篇：旧城改造",
            "下一篇：新区规划",
            "版权所有 © 2024 某某新闻网",
            "京ICP备12345678号",
        ]
    )
    doc = Document(id="b", text=text)
    assert BoilerplateLineCleaner().check(doc) == KEEP
    assert doc.text == "\n".join(
        [
            "城市公共交通的新变化",
            "地铁线路不断延伸，公交站点更加密集，市民出行越来越方便。",
            "记者从市版权局获悉，今年共查处侵犯版权所有人权益的案件三百余起。",
        ]
    )
    assert doc.signals["boilerplate_lines"] == 8
    assert doc.signals["boilerplate"] == {
        "nav": 1,
        "source": 1,
        "editor": 1,
        "share": 1,
        "prev_next": 2,
        "copyright": 1,
        "icp": 1,
    }


def test_cleaner_leaves_clean_text_untouched_and_records_zero():
    text = "第一段正文。\n第二段正文，提到了登录和注册两个步骤以及后续的验证流程。"
    doc = Document(id="c", text=text)
    assert BoilerplateLineCleaner().check(doc) == KEEP
    assert doc.text == text
    assert doc.signals["boilerplate_lines"] == 0
    assert "boilerplate" not in doc.signals


def test_a_document_that_was_all_boilerplate_is_dropped_as_empty():
    text = "楼主 发表于 2024-05-06 10:00 只看该作者\n京ICP备12345678号\n版權所有 某某網"
    doc = Document(id="d", text=text)
    verdict = BoilerplateLineCleaner().check(doc)
    assert not verdict.keep and verdict.reason == "empty"
    assert verdict.detail == (
        "0 chars of text left after boilerplate cleaning < min_chars 1 "
        "(3 lines cut: forum 1, icp 1, copyright 1)"
    )
    assert doc.text == text  # the sample excerpt shows what was cut
    assert doc.signals["boilerplate_lines"] == 3


def test_min_chars_counts_the_text_left_after_cleaning():
    text = "京ICP备12345678号\n好文章。"
    short = Document(id="s", text=text)
    verdict = BoilerplateLineCleaner(min_chars=10).check(short)
    assert (verdict.keep, verdict.reason) == (False, "empty")
    assert verdict.detail.startswith("4 chars of text left after boilerplate cleaning")
    enough = Document(id="t", text=text)
    assert BoilerplateLineCleaner(min_chars=4).check(enough) == KEEP
    assert enough.text == "好文章。"


def test_min_chars_0_keeps_a_document_reduced_to_nothing():
    doc = Document(id="z", text="京ICP备12345678号\n版权所有 某某网")
    assert BoilerplateLineCleaner(min_chars=0).check(doc) == KEEP
    assert doc.text == "" and doc.signals["boilerplate_lines"] == 2
    with pytest.raises(ValueError, match="min_chars"):
        BoilerplateLineCleaner(min_chars=-1)


def test_cleaner_on_empty_text():
    doc = Document(id="e", text="")
    verdict = BoilerplateLineCleaner().check(doc)
    assert (verdict.keep, verdict.reason) == (False, "empty")
    assert verdict.detail == "0 chars of text left after boilerplate cleaning < min_chars 1"
    assert doc.signals["boilerplate_lines"] == 0
