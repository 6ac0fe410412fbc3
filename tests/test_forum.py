"""Forum threads: the post bodies (first post and every reply) are the main text.

The pages are our own markup in the style of each engine: Discuz! X (Simplified), vBulletin 4
(Traditional), Baidu Tieba, phpwind 8, phpBB 3, and a hand-made template with ``div.message``
bodies (the shape of the sample crawl's threads, Traditional). Negative cases: a blog front
page listing several ``post-body`` excerpts and a page with one ``div.message`` notice.
"""

from __future__ import annotations

import importlib.util
import logging

import pytest

from zhclean.filters.boilerplate import BoilerplateLineCleaner
from zhclean.filters.document import Document
from zhclean.filters.extractors import extract, extract_trafilatura, parse_html
from zhclean.filters.forum import find_thread, has_engine_marker
from zhclean.pipeline.config import parse_config
from zhclean.transforms.stage import run_rules
from zhclean.transforms.stages import extract_rules

HAS_RESILIPARSE = importlib.util.find_spec("resiliparse") is not None

POSTS_HANS = [
    ("老张", "家里的热水器用了八年，最近总是忽冷忽热，是该修还是直接换新的？"),
    ("水电工小王", "先看看是不是恒温阀的问题，换一个阀门几十块钱，不用急着换整机。"),
    ("路过的", "八年的燃气热水器建议直接换，安全第一，旧机器的热交换器也该老化了。"),
    ("老张", "谢谢大家，周末请师傅上门看了，确实是阀门坏了，修好以后水温很稳定。"),
]
POSTS_HANT = [
    ("阿明", "最近想買一台二手機車通勤，預算大概三萬，請問有推薦的車款嗎？"),
    ("老車友", "三萬的話可以找五年內的速克達，記得看里程數和保養紀錄，不要只看外觀。"),
    ("小美", "建議找有信譽的車行，過戶手續比較清楚，出問題也有地方找人處理。"),
]
FLOORS_HANS = ["楼主", "沙发", "板凳", "地板"]
FLOORS_HANT = ["樓主", "沙發", "板凳", "地板"]
# text that is on the page but not in any post body
CHROME = (
    "发表于", "發表於", "只看该作者", "只看該作者", "楼主", "樓主", "沙发", "沙發", "举报",
    "檢舉", "签名", "騎車注意安全", "q8Zx", "乱码干扰", "本帖最后由", "积分", "資深會員",
    "Powered by", "ICP", "下载附件", "引用", "立即注册", "1楼",
)  # fmt: skip


def wrap(title: str, body: str, site: str = "某某论坛") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} - {site}</title>'
        f'</head><body><div id="toptb"><a href="#">设为首页</a> | <a href="#">立即注册</a> | '
        f'<a href="#">登录</a></div><div id="hd"><h2><a href="/">{site}</a></h2></div>'
        f"{body}"
        '<div id="ft"><p>Powered by <a href="#">Discuz!</a> X3.4</p><p>粤ICP备12345678号</p>'
        "</div></body></html>"
    )


def discuz(posts=POSTS_HANS, title="热水器忽冷忽热怎么办", quote: bool = True) -> str:
    rows = []
    for i, (user, text) in enumerate(posts):
        pid = 1001 + i
        quoted = (
            '<div class="quote"><blockquote><font size="2">老张 发表于 2024-5-6 10:00</font><br />'
            f"{posts[0][1]}</blockquote></div><br />"
            if quote and i == 2
            else ""
        )
        attach = (
            '<ignore_js_op><img src="a.jpg" /><div class="tip">下载附件 (85 KB)</div>'
            "</ignore_js_op>"
            if i == 0
            else ""
        )
        rows.append(
            f'<div id="post_{pid}"><table id="pid{pid}" class="plhin"><tr>'
            f'<td class="pls" rowspan="2"><div class="authi"><a class="xw1">{user}</a></div>'
            '<dl class="pil cl"><dt>积分</dt><dd>1024</dd></dl></td>'
            f'<td class="plc"><div class="pi"><strong><a href="#">{FLOORS_HANS[i]}</a></strong>'
            f'<div class="authi"><em id="authorposton{pid}">发表于 2024-5-6 10:0{i}</em>'
            '<span class="pipe">|</span><a href="#">只看该作者</a></div></div>'
            '<div class="pct"><div class="pcb"><div class="t_fsz"><table><tr>'
            f'<td class="t_f" id="postmessage_{pid}"><i class="pstatus"> 本帖最后由 {user} 于 '
            f"2024-5-6 11:00 编辑 </i><br />{quoted}{text}"
            '<font class="jammer">q8Zx</font><br />\r\n<span style="display:none">乱码干扰</span>'
            f"补充一句，编号{i + 1}。{attach}</td></tr></table></div></div></div></td></tr>"
            '<tr><td class="plc plm"><div class="sign">签名：生活就是折腾</div></td></tr>'
            '<tr><td class="plc"><div class="po hm"><a class="fastre">回复</a> <a>举报</a></div>'
            "</td></tr></table></div>"
        )
    body = (
        '<div id="ct"><div id="postlist" class="pl bm"><table><tr><td class="pls">'
        '<span class="xg1">查看:</span> 2345</td><td class="plc"><h1 class="ts"><a>[求助]</a> '
        f'<span id="thread_subject">{title}</span></h1></td></tr></table>{"".join(rows)}'
        "</div></div>"
    )
    return wrap(title, body)


def vbulletin(posts=POSTS_HANT, title="二手機車怎麼挑") -> str:
    rows = "".join(
        f'<li class="postbitlegacy postcontainer" id="post_{5001 + i}"><div class="posthead">'
        f'<span class="date">2024-05-06 10:0{i}</span><a class="postcounter">#{i + 1}</a></div>'
        f'<div class="userinfo"><a class="username"><strong>{user}</strong></a>'
        '<span class="usertitle">資深會員</span></div><div class="postbody"><div class="postrow">'
        f'<h2 class="title">Re: {title}</h2><div class="content"><div id="post_message_{5001 + i}">'
        f'<blockquote class="postcontent restore">{text}<br />謝謝分享。</blockquote></div></div>'
        '</div><blockquote class="signature restore"><div class="signaturecontainer">騎車注意安全'
        '</div></blockquote><div class="postfoot"><a class="quote">引用</a> <a>回覆</a></div>'
        "</div></li>"
        for i, (user, text) in enumerate(posts)
    )
    body = (
        '<div id="breadcrumb"><a href="#">論壇</a> &gt; 二手交易</div>'
        '<div id="pagetitle"><h1>主題：'
        f'<span class="threadtitle"><a href="#">{title}</a></span></h1></div>'
        f'<div id="postlist"><ol id="posts">{rows}</ol></div>'
    )
    return wrap(title, body, "機車討論區")


def tieba(posts=POSTS_HANS, title="热水器修还是换") -> str:
    rows = "".join(
        '<div class="l_post j_l_post"><div class="d_author"><a class="p_author_name">'
        f'{user}</a></div><div class="d_post_content_main"><div class="p_content"><cc>'
        f'<div id="post_content_{9000 + i}" class="d_post_content j_d_post_content" '
        f'style="display:;">  {text}</div><br></cc></div><div class="core_reply"><span>'
        f'{i + 1}楼</span><span>2024-05-06 10:0{i}</span><a href="#">回复</a></div></div></div>'
        for i, (user, text) in enumerate(posts)
    )
    body = (
        f'<div class="core_title_wrap"><h3 class="core_title_txt" title="{title}">{title}</h3>'
        f'</div><div class="p_postlist" id="j_p_postlist">{rows}</div>'
    )
    return wrap(f"{title}【家电吧】_百度贴吧", body, "百度贴吧")


def phpwind(posts=POSTS_HANS, title="热水器修还是换") -> str:
    rows = "".join(
        '<div class="read_t"><table class="floot"><tr><td class="floot_left">'
        f'<div class="readName">{user}</div></td><td class="floot_right">'
        f'<div class="tipTop"><span>{"楼主" if i == 0 else f"{i}楼"}</span>'
        f'<span>发表于: 2024-05-06 10:0{i}</span></div><div class="tpc_content">'
        f'<div class="f14 mb10" id="read_{"tpc" if i == 0 else 700 + i}">{text}</div></div>'
        '<div class="tipBottom"><a href="#">引用</a> | <a href="#">举报</a></div></td></tr>'
        "</table></div>"
        for i, (user, text) in enumerate(posts)
    )
    body = f'<div id="main"><div class="t5"><h1 id="subject_tpc">{title}</h1></div>{rows}</div>'
    return wrap(title, body, "家电论坛")


def phpbb(posts=POSTS_HANS, title="热水器修还是换") -> str:
    rows = "".join(
        f'<div id="p{300 + i}" class="post bg2"><div class="inner"><dl class="postprofile">'
        f'<dt><a class="username">{user}</a></dt><dd>帖子: 12</dd></dl><div class="postbody">'
        f'<div id="post_content{300 + i}"><h3><a href="#">Re: {title}</a></h3>'
        f'<p class="author">由 <strong>{user}</strong> » 2024年 5月 6日 10:0{i}</p>'
        f'<div class="content">{text}</div><div class="signature">签名：生活就是折腾</div>'
        "</div></div></div></div>"
        for i, (user, text) in enumerate(posts)
    )
    body = (
        '<div class="headerbar"><h1>家电论坛</h1></div>'
        f'<h2 class="topic-title"><a href="#">{title}</a></h2>{rows}'
    )
    return wrap(title, body, "家电论坛")


def generic_message(posts=POSTS_HANT, title="二手機車怎麼挑") -> str:
    """The sample crawl's thread template: ``div.post`` > ``div.message`` (Traditional)."""
    rows = "".join(
        f'<div class="post"><div class="author"><a href="#">{user}</a></div>'
        f'<div class="postinfo">{FLOORS_HANT[i]}　發表於 2024-05-06 10:0{i}　'
        f'<a href="#">只看該作者</a></div><div class="message">{text}</div>'
        '<div class="actions">回覆 | 引用 | 檢舉</div></div>'
        for i, (user, text) in enumerate(posts)
    )
    body = (
        f'<div class="thread"><h1>{title}</h1><div class="stats">查看: 1758 | 回覆: 2</div>'
        f"{rows}</div>"
    )
    return wrap(f"{title}_機車俱樂部", body, "機車俱樂部")


PAGES = {
    "discuz": (discuz, POSTS_HANS, "热水器忽冷忽热怎么办"),
    "vbulletin": (vbulletin, POSTS_HANT, "二手機車怎麼挑"),
    "tieba": (tieba, POSTS_HANS, "热水器修还是换"),
    "phpwind": (phpwind, POSTS_HANS, "热水器修还是换"),
    "phpbb": (phpbb, POSTS_HANS, "热水器修还是换"),
    "generic": (generic_message, POSTS_HANT, "二手機車怎麼挑"),
}


def assert_thread_text(text: str, posts, title: str) -> None:
    lines = text.split("\n")
    assert lines[0].endswith(title)
    positions = [text.index(body) for _, body in posts]  # every post, in thread order
    assert positions == sorted(positions)
    for chrome in CHROME:
        assert chrome not in text, chrome


@pytest.mark.parametrize("engine", list(PAGES))
def test_each_engine_gives_title_and_every_post_body_without_chrome(engine):
    make, posts, title = PAGES[engine]
    thread = find_thread(parse_html(make()))
    assert thread is not None and thread.engine == engine
    assert len(thread.posts) == len(posts)
    text = extract_trafilatura(make())
    assert_thread_text(text, posts, title)


def test_discuz_edit_notes_jammer_quotes_attachments_and_signatures_are_left_out():
    text = extract_trafilatura(discuz())
    assert text.split("\n") == [
        "热水器忽冷忽热怎么办",
        POSTS_HANS[0][1],
        "补充一句，编号1。",
        POSTS_HANS[1][1],
        "补充一句，编号2。",
        POSTS_HANS[2][1],  # its quote of the first post is not repeated
        "补充一句，编号3。",
        POSTS_HANS[3][1],
        "补充一句，编号4。",
    ]


def test_a_thread_without_replies_is_still_a_thread():
    thread = find_thread(parse_html(discuz(POSTS_HANS[:1])))
    assert thread is not None and thread.posts and POSTS_HANS[0][1] in thread.text()


def test_blog_front_page_with_several_post_bodies_is_not_a_thread():
    entries = "".join(
        f'<div class="entry"><h2>第{i}篇日记</h2><div class="date">发表于 2024-05-0{i}</div>'
        f'<div class="post-body">{text}</div><a href="#">阅读全文</a> 评论(3)</div>'
        for i, (_, text) in enumerate(POSTS_HANS, 1)
    )
    html = wrap("小周的博客", f"<h1>小周的博客</h1>{entries}", "博客")
    assert find_thread(parse_html(html)) is None


def test_one_message_box_is_not_a_thread():
    html = wrap("公告", f'<h1>公告</h1><div class="message">{POSTS_HANS[0][1]}</div>')
    assert find_thread(parse_html(html)) is None
    assert POSTS_HANS[0][1] in extract_trafilatura(html)  # left to trafilatura, which keeps it


def test_engine_markers():
    assert all(has_engine_marker(make()) for make in (discuz, vbulletin, tieba, phpwind, phpbb))
    assert not has_engine_marker(generic_message())
    assert not has_engine_marker("<html><body><p>普通文章。</p></body></html>")


@pytest.mark.skipif(not HAS_RESILIPARSE, reason="zhclean[fast] not installed")
@pytest.mark.parametrize("engine", ["discuz", "vbulletin", "tieba", "phpwind", "phpbb"])
def test_resiliparse_takes_the_same_path_on_engine_pages(engine):
    make, _, _ = PAGES[engine]
    assert extract(make(), "resiliparse") == extract(make(), "trafilatura")


@pytest.mark.skipif(not HAS_RESILIPARSE, reason="zhclean[fast] not installed")
def test_resiliparse_keeps_the_posts_of_generic_forums_too():
    doc = Document(id="r", text=extract(generic_message(), "resiliparse"))
    assert BoilerplateLineCleaner().check(doc).keep
    for _, body in POSTS_HANT:
        assert body in doc.text
    assert "發表於" not in doc.text  # the floor lines are cut by the cleaner


@pytest.mark.parametrize("make", [discuz, generic_message], ids=["discuz", "generic-hant"])
def test_extract_stage_keeps_forum_threads(make):
    """The whole extract stage as configured by default (process isolation, cleaner)."""
    rules = extract_rules(parse_config({}))
    try:
        out = list(run_rules(Document(id="f", url="u", html=make()), "extract", rules, 100))
    finally:
        rules[0].close()
    assert len(out) == 1 and isinstance(out[0], Document)
    text = out[0].text
    posts = POSTS_HANS if make is discuz else POSTS_HANT
    positions = [text.index(body) for _, body in posts]  # every post, in thread order
    assert positions == sorted(positions)
    assert "发表于" not in text and "發表於" not in text  # floor lines are cut
    if make is discuz:  # a named engine takes the forum path with either extractor
        assert_thread_text(text, posts, "热水器忽冷忽热怎么办")


def test_trafilatura_logs_nothing_for_empty_pages(caplog):
    with caplog.at_level(logging.DEBUG):
        for html in ("<html><body></body></html>", "<div></div>", "<?xml version='1.0'?><a/>"):
            assert extract_trafilatura(html) == ""
        logging.getLogger("trafilatura.core").warning("probe")  # the level is what silences
    assert not [r for r in caplog.records if r.name.split(".")[0] in ("trafilatura", "htmldate")]


def test_weak_single_markers_are_not_threads():
    article = "<p>" + POSTS_HANS[0][1] + "</p>"
    for widget in ('<div id="read_3">阅读排行</div>', '<div id="post_content7">相关文章</div>'):
        html = wrap("文章", f"<h1>文章</h1>{article}{widget}")
        assert find_thread(parse_html(html)) is None, widget
    later_page = phpwind().replace('id="read_tpc"', 'id="read_699"')  # replies only
    thread = find_thread(parse_html(later_page))
    assert thread is not None and thread.engine == "phpwind" and len(thread.posts) == 4
