#!/usr/bin/env python
"""Write the sample WARCs shipped in ``examples/warc/`` (deterministic: same bytes every run).

    .venv/bin/python scripts/make_sample_warcs.py [--out examples/warc] [--check]

Output: ``sample-0000{0..3}.warc.gz`` (Common Crawl layout: one gzip member per record, a
warcinfo record first, then request / response / metadata for every capture), a small WET file
``sample-wet-00000.warc.wet.gz`` (conversion records for a few of the same captures) and
``labels.jsonl`` (one line per capture: what it is and what should happen to it).

All texts are ours (``scripts/sample_texts.py``); sites, people and domains are fictional
(domains use the reserved ``.example`` TLD). Record ids, dates and IP addresses come from a
seeded random generator; warcio writes gzip members with mtime 0, so reruns are byte-identical.
``--check`` also prints the text similarity of the duplicate groups and of the closest distinct
pair, measured on character 5-gram shingles of ``zhclean.filters.normalize.normalize_text``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import random
import struct
import sys
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from urllib.parse import quote

import brotli
import opencc
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sample_texts as T

SEED = 20240518
N_SHARDS = 4
START = datetime(2024, 5, 18, 0, 0, 0, tzinfo=timezone.utc)
REPO = Path(__file__).resolve().parent.parent

Article = tuple[str, list[str]]
_NOT_TEXT = {"not_html", "binary_as_html", "empty"}


@dataclass
class Site:
    """A fictional web site: its domain, name and the boilerplate around its pages."""

    domain: str
    name: str
    script: str  # Hans | Hant | Latn | Jpan
    icp: str | None = None
    sections: tuple[str, ...] = ("首页", "新闻", "财经", "体育", "娱乐", "科技", "房产", "汽车")
    server: str = "nginx"


@dataclass
class Capture:
    """One HTTP capture to write: payload as stored, headers, and its label."""

    url: str
    category: str
    body: bytes
    content_type: str | None
    http_headers: list[tuple[str, str]] = field(default_factory=list)
    status: str = "200 OK"
    label: dict = field(default_factory=dict)
    text: str = ""  # the article text, for the similarity check


HANS_SITES = [
    Site("www.jiangcheng-daily.example", "江城日报", "Hans", "鄂ICP备18012345号-1"),
    Site("news.linhe-online.example", "临河在线", "Hans", "豫ICP备20034567号-2", server="Tengine"),
    Site("www.xingzhou-news.example", "星洲新闻网", "Hans", "苏ICP备19056789号-3"),
    Site("www.nanhu-times.example", "南湖时报", "Hans", "浙ICP备17098765号-1", server="Apache"),
]
HANT_SITES = [
    Site("www.beicheng-news.example", "北城新聞網", "Hant",
         sections=("首頁", "新聞", "財經", "運動", "娛樂", "科技", "生活", "旅遊")),
    Site("www.daoyu-times.example", "島嶼時報", "Hant",
         sections=("首頁", "即時", "政治", "社會", "地方", "國際", "生活", "評論"),
         server="Apache"),
]
HK_SITE = Site("www.gaifong-post.example", "街坊日報", "Hant",
               sections=("主頁", "港聞", "社區", "飲食", "娛樂"))
BLOG_SITE = Site("blog.shanjian.example", "山间小记", "Hans", "蜀ICP备21001234号-1",
                 sections=("首页", "旅行", "美食", "读书", "技术", "关于我"))
FARM_SITE = Site("www.meiri-zixun.example", "每日资讯网", "Hans", "粤ICP备22123456号-5",
                 sections=("首页", "旅游", "美食", "健康", "情感", "搞笑"))
FORUM_HANS = Site("bbs.jiayuan-luntan.example", "家园论坛", "Hans", "粤ICP备16065432号-1",
                  sections=("论坛首页", "家居装修", "考研考公", "数码产品", "萌宠之家"))
FORUM_HANT = Site("forum.jiche-club.example", "機車俱樂部", "Hant",
                  sections=("論壇首頁", "新手報到", "保養維修", "二手交易"))
SPAM_DOMAINS = ["www.amdc-888.example", "www.vns-yule.example", "www.liuhecai-zl.example",
                "www.tyb-bet.example", "www.caipiao-jh.example", "www.wuye-yingyuan.example",
                "www.yueyue-jiaoyou.example", "www.bjl-zhenren.example", "www.dc-yule99.example",
                "www.am-bocai.example"]
EN_SITE = Site("www.riverside-herald.example", "Riverside Herald", "Latn",
               sections=("Home", "Local", "Food", "Tech", "Outdoors"))
JA_SITE = Site("www.machi-shimbun.example", "まち新聞", "Jpan",
               sections=("トップ", "地域", "グルメ", "旅", "くらし"))


# -- HTML -----------------------------------------------------------------------------------

def meta_tag(charset: str | None, style: str = "html5") -> str:
    if charset is None:
        return ""
    if style == "html5":
        return f'<meta charset="{charset}">'
    return f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'


def paragraphs_html(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def nav_html(site: Site) -> str:
    links = "".join(f'<li><a href="/{i}/">{escape(s)}</a></li>'
                    for i, s in enumerate(site.sections))
    return f'<ul class="nav">{links}</ul>'


def footer_html(site: Site, year: int = 2024) -> str:
    if site.script == "Hans":
        police = zlib.crc32(site.domain.encode()) % 10**8
        icp = (f'<p><a href="https://beian.miit.gov.cn/" rel="nofollow">{site.icp}</a>'
               f"　公安备案号 {police:08d}</p>") if site.icp else ""
        return (f'<div class="footer"><p><a href="/about">关于我们</a> | '
                f'<a href="/contact">联系我们</a> | <a href="/ads">广告服务</a> | '
                f'<a href="/sitemap">网站地图</a> | '
                f'<a href="/law">免责声明</a></p><p>版权所有 &copy; {year} {site.name} '
                f"未经书面授权禁止转载</p>{icp}</div>")
    if site.script == "Hant":
        return (f'<div class="footer"><p><a href="/about">關於我們</a> | '
                f'<a href="/contact">聯絡我們</a> | <a href="/privacy">隱私權政策</a> | '
                f'<a href="/ads">廣告刊登</a></p>'
                f"<p>版權所有 &copy; {year} {site.name} All Rights Reserved. "
                "未經授權請勿轉載</p></div>")
    if site.script == "Jpan":
        return (f'<div class="footer"><p><a href="/about">会社概要</a> | <a href="/privacy">'
                f"プライバシーポリシー</a></p><p>Copyright &copy; {year} {site.name} All rights "
                "reserved. 記事・写真の無断転載を禁じます。</p></div>")
    return (f'<div class="footer"><p><a href="/about">About us</a> | <a href="/contact">Contact'
            f'</a> | <a href="/privacy">Privacy policy</a></p><p>&copy; {year} {site.name}. All '
            "rights reserved.</p></div>")


def page(site: Site, title: str, main: str, *, charset: str | None, meta_style: str = "html5",
         lang: str = "zh-CN", side: str = "") -> str:
    top = {"Hans": '<a href="/">设为首页</a> | <a href="/fav">加入收藏</a> | '
                   '<a href="/login">登录</a> | <a href="/register">注册</a> | '
                   '<a href="/app">手机版</a>',
           "Hant": '<a href="/login">登入</a> | <a href="/register">註冊</a> | '
                   '<a href="/app">下載APP</a> | <a href="/rss">RSS訂閱</a>',
           "Jpan": '<a href="/login">ログイン</a> | <a href="/register">会員登録</a>',
           "Latn": '<a href="/subscribe">Subscribe</a> | <a href="/login">Sign in</a>'}[site.script]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n{meta_tag(charset, meta_style)}\n'
        f"<title>{escape(title)}_{escape(site.name)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="stylesheet" href="/static/css/main.css">\n</head>\n<body>\n'
        f'<div class="topbar">{top}</div>\n'
        f'<div class="header"><a class="logo" href="/">{escape(site.name)}</a>\n'
        f"{nav_html(site)}</div>\n{main}\n{side}\n{footer_html(site)}\n"
        '<script src="/static/js/stat.js"></script>\n</body>\n</html>\n'
    )


def news_main(site: Site, title: str, paragraphs: list[str], *, date: str, author: str,
              editor: str, source: str, related: list[str], prev_next: tuple[str, str],
              views: int) -> str:
    hant = site.script == "Hant"
    crumb = ("目前位置：<a href=\"/\">首頁</a> &gt; <a href=\"/1/\">新聞</a> &gt; 內文" if hant
             else "当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/1/\">新闻</a> &gt; 正文")
    info = (f"來源：{escape(source)}　記者：{escape(author)}　發布時間：{date}　瀏覽：{views}"
            if hant else
            f"来源：{escape(source)}　作者：{escape(author)}　发布时间：{date}　浏览次数：{views}")
    share = ('分享到：<a href="#">Facebook</a> <a href="#">LINE</a> <a href="#">Twitter</a> '
             '<a href="#">複製連結</a>' if hant else
             '分享到：<a href="#">微信</a> <a href="#">新浪微博</a> <a href="#">QQ空间</a> '
             '<a href="#">复制链接</a>')
    editor_label = "責任編輯" if hant else "责任编辑"
    editor_line = f'<p class="editor">（{editor_label}：{escape(editor)}）</p>'
    prev_label, next_label = ("上一篇", "下一篇")
    rel_title = "延伸閱讀" if hant else "相关阅读"
    rel = "".join(f'<li><a href="/news/{zlib.crc32(t.encode()) % 99999}.html">{escape(t)}</a>'
                  "</li>" for t in related)
    hot_title = "熱門新聞" if hant else "热门排行"
    return (
        f'<div class="crumb">{crumb}</div>\n<div class="article">\n<h1>{escape(title)}</h1>\n'
        f'<div class="info">{info}</div>\n<div class="content">\n'
        f"{paragraphs_html(paragraphs)}\n</div>\n{editor_line}\n"
        f'<div class="share">{share}</div>\n<div class="pager">'
        f'<p>{prev_label}：<a href="/news/p.html">{escape(prev_next[0])}</a></p>'
        f'<p>{next_label}：<a href="/news/n.html">{escape(prev_next[1])}</a></p></div>\n</div>\n'
        f'<div class="related"><h3>{rel_title}</h3><ul>{rel}</ul></div>\n'
        f'<div class="sidebar"><h3>{hot_title}</h3><ol>{rel}</ol></div>'
    )


def blog_main(site: Site, title: str, paragraphs: list[str], *, date: str, category: str,
              tags: list[str], comments: list[tuple[str, str]], views: int) -> str:
    tag_html = " ".join(f'<a href="/tag/{i}">{escape(t)}</a>' for i, t in enumerate(tags))
    com = "".join(f'<li><b>{escape(u)}</b>：{escape(c)} <a href="#">回复</a></li>'
                  for u, c in comments)
    return (
        f'<div class="post"><h1>{escape(title)}</h1>\n'
        f'<div class="meta">发表于 {date} | 分类：<a href="/c/">{escape(category)}</a> | '
        f"阅读 {views} | 评论 {len(comments)}</div>\n<div class=\"entry\">\n"
        f"{paragraphs_html(paragraphs)}\n</div>\n<div class=\"tags\">标签：{tag_html}</div>\n"
        '<p class="copyright">本文为原创文章，转载请注明出处并保留原文链接。</p>\n'
        '<div class="pager"><a href="/p/prev">&laquo; 上一篇</a> | '
        '<a href="/p/next">下一篇 &raquo;</a>'
        f'</div>\n<div class="comments"><h3>评论（{len(comments)}）</h3><ul>{com}</ul>'
        '<form><textarea>说点什么吧……</textarea><button>发表评论</button></form></div></div>\n'
        '<div class="sidebar"><h3>最新文章</h3><ul><li>周末去爬山</li><li>我的书单</li>'
        '<li>一次失败的面包</li></ul><h3>文章归档</h3><ul><li>2024年5月 (4)</li>'
        "<li>2024年4月 (6)</li><li>2024年3月 (3)</li></ul><h3>友情链接</h3><ul>"
        "<li>小周的博客</li><li>慢生活</li></ul></div>"
    )


def forum_main(site: Site, title: str, posts: list[tuple[str, str]], *, start: datetime,
               views: int, board: int = 1) -> str:
    hant = site.script == "Hant"
    floors = (["樓主", "沙發", "板凳", "地板"] if hant else ["楼主", "沙发", "板凳", "地板"])
    parts = []
    for i, (user, text) in enumerate(posts):
        floor = floors[i] if i < len(floors) else f"{i + 1}#"
        when = (start + timedelta(minutes=37 * i + 3 * i * i)).strftime("%Y-%m-%d %H:%M")
        posted = "發表於" if hant else "发表于"
        only = "只看該作者" if hant else "只看该作者"
        actions = "回覆 | 引用 | 檢舉" if hant else "回复 | 引用 | 举报"
        parts.append(
            f'<div class="post"><div class="author"><a href="/u/{i}">{escape(user)}</a></div>'
            f'<div class="postinfo">{floor}　{posted} {when}　<a href="#">{only}</a></div>'
            f'<div class="message">{escape(text)}</div><div class="actions">{actions}</div></div>'
        )
    stats = (f"查看: {views} | 回覆: {len(posts) - 1}" if hant else
             f"查看: {views} | 回复: {len(posts) - 1}")
    crumb = (f'<a href="/">{escape(site.sections[0])}</a> &gt; '
             f'<a href="/f/{board}">{escape(site.sections[board])}</a>')
    powered = ('<p class="powered">Powered by Discuz! X3.4 &copy; 2001-2024 Tencent Cloud.</p>'
               f'<p>GMT+8, {START.strftime("%Y-%m-%d %H:%M")}</p>')
    return (f'<div class="crumb">{crumb}</div>\n<div class="thread"><h1>{escape(title)}</h1>'
            f'<div class="stats">{stats}</div>\n' + "\n".join(parts)
            + '\n<div class="pg"><a href="#">1</a> <a href="#">2</a> <a href="#">下一页</a></div>'
            f"</div>\n{powered}")


def spam_html(rng: random.Random, n_lines: int) -> str:
    kw = T.SPAM_KEYWORDS[:]
    rng.shuffle(kw)
    title = "_".join(kw[:4]) + "-官方网站"
    lines = [rng.choice(T.SPAM_LINES) for _ in range(n_lines)]
    body = "\n".join(f'<p class="promo"><a href="/reg?id={rng.randrange(1000)}">{escape(x)}</a>'
                     "</p>" for x in lines)
    stuffing = "，".join(rng.choice(T.SPAM_KEYWORDS) for _ in range(60))
    links = " ".join(f'<a href="/{i}.html">{escape(k)}</a>' for i, k in enumerate(kw))
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        f'<meta name="keywords" content="{escape(",".join(kw))}">\n</head>\n<body>\n'
        f'<div class="banner"><h1>{escape(kw[0])}官方直营 信誉第一</h1></div>\n{body}\n'
        f'<div class="seo">{escape(stuffing)}</div>\n<div class="links">{links}</div>\n'
        '<div class="footer">Copyright &copy; 2024 版权所有 唯一官方网址 请收藏防止迷路</div>\n'
        "</body>\n</html>\n"
    )


def simple_page(site: Site, title: str, paragraphs: list[str], *, charset: str | None,
                lang: str, date: str) -> str:
    by = {"Latn": f"Published {date}", "Jpan": f"{date} 公開"}[site.script]
    main = (f'<div class="article"><h1>{escape(title)}</h1><p class="date">{by}</p>\n'
            f"{paragraphs_html(paragraphs)}\n</div>")
    return page(site, title, main, charset=charset, lang=lang)


# -- binary payloads -------------------------------------------------------------------------

def png_bytes(width: int, height: int, rng: random.Random) -> bytes:
    """A valid RGB PNG with random pixels."""
    raw = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(width * 3))
                   for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def jpeg_like_bytes(rng: random.Random, size: int) -> bytes:
    """JPEG markers around random entropy-coded-looking bytes (not a decodable image)."""
    head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return head + bytes(rng.randrange(256) for _ in range(size)) + b"\xff\xd9"


def pdf_bytes() -> bytes:
    stream = b"BT /F1 18 Tf 72 720 Td (zhclean sample PDF) Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    for i, obj in enumerate(objs, 1):
        out += b"%d 0 obj\n%s\nendobj\n" % (i, obj)
    return out + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def chunked(data: bytes, size: int = 700) -> bytes:
    parts = [data[i : i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


# -- the corpus ------------------------------------------------------------------------------

class Corpus:
    """Builds every capture with its label; one instance, one seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.captures: list[Capture] = []
        self.s2t = opencc.OpenCC("s2tw")
        self.t2s = opencc.OpenCC("t2s")
        self.all_titles = [t for t, _ in T.NEWS_HANS]

    # helpers
    def date(self) -> str:
        d = START - timedelta(days=self.rng.randrange(1, 40), minutes=self.rng.randrange(1440))
        return d.strftime("%Y-%m-%d %H:%M")

    def add(self, url: str, category: str, html: str | bytes, *, encoding: str = "utf-8",
            http_charset: str | None = "utf-8", meta_charset: str | None = "utf-8",
            content_type: str = "text/html", lang: str | None = "zh", script: str | None = "Hans",
            text: str = "", expected: str = "keep", headers: list[tuple[str, str]] | None = None,
            note: str = "", dup_group: str | None = None, dup_type: str | None = None,
            status: str = "200 OK", body_transform: str | None = None) -> Capture:
        if isinstance(html, str):
            body = html.encode("utf-8-sig" if encoding == "utf-8-bom" else encoding)
        else:
            body = html
        ctype = content_type if http_charset is None else f"{content_type}; charset={http_charset}"
        http_headers = list(headers or [])
        if body_transform == "gzip":
            body = gzip.compress(body, mtime=0)
            http_headers.append(("Content-Encoding", "gzip"))
        elif body_transform == "br":
            body = brotli.compress(body)
            http_headers.append(("Content-Encoding", "br"))
        elif body_transform == "chunked":
            body = chunked(body)
            http_headers.append(("Transfer-Encoding", "chunked"))
        cap = Capture(
            url=url, category=category, body=body,
            content_type=None if content_type == "" else ctype,
            http_headers=http_headers, status=status, text=text,
            label={"category": category, "lang": lang, "script": script,
                   "body_encoding": encoding if category not in _NOT_TEXT else None,
                   "http_charset": http_charset, "meta_charset": meta_charset,
                   "transfer": body_transform, "expected": expected, "dup_group": dup_group,
                   "dup_type": dup_type, "note": note},
        )
        self.captures.append(cap)
        return cap

    def news_page(self, site: Site, art: Article, *, charset: str | None,
                  meta_style: str = "html5", source: str | None = None) -> str:
        title, paras = art
        rng = self.rng
        hant = site.script == "Hant"
        authors = (["林怡君", "陳志明", "黃淑芬", "張家豪"] if hant
                   else ["周明", "李晓燕", "王磊", "陈静", "刘洋"])
        editors = ["吳佳玲", "鄭文傑"] if hant else ["张涛", "赵敏", "孙丽"]
        others = [t for t in self.all_titles if t != title]
        related = rng.sample(others, 4)
        if hant:
            related = [self.s2t.convert(t) for t in related]
        pn = rng.sample(others, 2)
        if hant:
            pn = [self.s2t.convert(t) for t in pn]
        main = news_main(site, title, paras, date=self.date(), author=rng.choice(authors),
                         editor=rng.choice(editors), source=source or site.name,
                         related=related, prev_next=(pn[0], pn[1]),
                         views=rng.randrange(200, 20000))
        return page(site, title, main, charset=charset, meta_style=meta_style,
                    lang="zh-TW" if hant else "zh-CN")

    def build(self) -> None:
        self._news_hans()
        self._blogs()
        self._hant()
        self._forums()
        self._spam()
        self._other_languages()
        self._not_content()
        # one member of each duplicate group is to be kept (which one is the dedup keeper's
        # choice), so every member is labelled "dup"; spam stays spam
        for cap in self.captures:
            if cap.label["dup_group"] and cap.category != "spam":
                cap.label["expected"] = "dup"
            elif cap.category == "spam":
                cap.label["expected"] = "spam"

    # -- Simplified Chinese news, with the encoding cases --------------------------------------
    def _news_hans(self) -> None:
        # (article index, site, body encoding, HTTP charset, meta charset, meta style, note)
        plan: dict[int, tuple[str, str | None, str | None, str, str]] = {
            2: ("gbk", "GBK", "gbk", "html5", "GBK, declared honestly in HTTP and meta"),
            4: ("gbk", "ISO-8859-1", None, "html5",
                "GBK body, HTTP header lies (ISO-8859-1), no meta"),
            6: ("gbk", "utf-8", "gbk", "http-equiv",
                "GBK body, HTTP header lies (UTF-8), meta tells the truth"),
            11: ("gb2312", "gb2312", "gb2312", "http-equiv", "pure GB2312, declared honestly"),
            12: ("utf-8-bom", None, None, "html5", "UTF-8 with BOM, no declaration at all"),
            14: ("utf-8", None, "gbk", "html5", "UTF-8 body, meta lies (gbk), no HTTP charset"),
            15: ("utf-8", None, None, "html5", "UTF-8, no declaration at all"),
        }
        for i, art in enumerate(T.NEWS_HANS):
            site = HANS_SITES[i % len(HANS_SITES)]
            enc, http_cs, meta_cs, style, note = plan.get(i, ("utf-8", "utf-8", "utf-8", "html5",
                                                                ""))
            html = self.news_page(site, art, charset=meta_cs, meta_style=style)
            headers = [("Content-Language", "zh-CN")] if i % 3 == 0 else []
            self.add(f"https://{site.domain}/news/2024/05/{1000 + i}.html", "news_hans", html,
                     encoding=enc, http_charset=http_cs, meta_charset=meta_cs,
                     text=_text(art), headers=headers, note=note,
                     dup_group=_group(i, "news"))
        gbk_site = HANS_SITES[1]
        art = T.GBK_ONLY_ARTICLE
        self.add(f"https://{gbk_site.domain}/city/2024/0512/88.html", "news_hans",
                 self.news_page(gbk_site, art, charset="gb2312", meta_style="http-equiv"),
                 encoding="gbk", http_charset=None, meta_charset="gb2312", text=_text(art),
                 note="GBK body with characters outside GB2312 (喆, 堃); meta says gb2312, "
                      "no HTTP charset")
        gb_site = HANS_SITES[3]
        art = T.GB18030_ARTICLE
        self.add(f"https://{gb_site.domain}/sci/2024/0509/17.html", "news_hans",
                 self.news_page(gb_site, art, charset="gb18030"),
                 encoding="gb18030", http_charset="GB18030", meta_charset="gb18030",
                 text=_text(art),
                 note="GB18030 with characters outside GBK (鿬, 鿫, 𠮷, 𫟼), declared honestly")

        # exact duplicates: the same bytes at another URL
        first = self.captures[0]
        self._copy(first, first.url.replace("https://www.", "https://m."), "mobile mirror")
        third = self.captures[3]
        self._copy(third, third.url + "?from=timeline&isappinstalled=0", "tracking query")
        # same article text re-posted by another site (boilerplate differs)
        for i, site in ((5, HANS_SITES[2]), (13, HANS_SITES[0])):
            art = T.NEWS_HANS[i]
            src = HANS_SITES[i % len(HANS_SITES)]
            self.add(f"https://{site.domain}/zhuanzai/2024/{2000 + i}.html", "news_hans",
                     self.news_page(site, art, charset="utf-8", source=src.name),
                     text=_text(art), expected="dup", dup_group=f"news-{i}", dup_type="exact_text",
                     note=f"the article of {src.domain} re-posted with other boilerplate")
        # near duplicates: a few sentences changed, other site
        for i, edit in NEAR_EDITS_NEWS.items():
            title, paras = T.NEWS_HANS[i]
            art = (title, edit(list(paras)))
            site = HANS_SITES[(i + 2) % len(HANS_SITES)]
            self.add(f"https://{site.domain}/news/2024/05/{3000 + i}.html", "news_hans",
                     self.news_page(site, art, charset="utf-8"), text=_text(art),
                     expected="dup", dup_group=f"news-{i}", dup_type="near",
                     note="near duplicate: a few sentences changed, other site")
        # cross-script duplicates
        art = T.NEWS_HANS[11]
        hant_art = (self.s2t.convert(art[0]), [self.s2t.convert(p) for p in art[1]])
        site = HANT_SITES[1]
        self.add(f"https://{site.domain}/culture/{5011}.html", "news_hant",
                 self.news_page(site, hant_art, charset="utf-8"), script="Hant",
                 text=_text(hant_art), expected="dup", dup_group="news-11",
                 dup_type="cross_script", note="news 11 converted to Traditional (OpenCC s2tw)")

    def _copy(self, cap: Capture, url: str, why: str) -> None:
        label = dict(cap.label)
        group = label["dup_group"] or f"copy-{len(self.captures)}"
        cap.label["dup_group"] = group
        label.update(dup_group=group, dup_type="exact_bytes", expected="dup",
                     note=f"same payload as {cap.url} ({why})")
        self.captures.append(Capture(url=url, category=cap.category, body=cap.body,
                                     content_type=cap.content_type,
                                     http_headers=list(cap.http_headers), label=label,
                                     text=cap.text))

    # -- blogs ---------------------------------------------------------------------------------
    def _blogs(self) -> None:
        cats = ["旅行", "旅行", "美食", "美食", "读书", "技术"]
        tags = [["大理", "洱海", "游记"], ["西安", "美食", "旅行"], ["家常菜", "红烧肉"],
                ["酸奶", "烘焙"], ["余华", "读书笔记"], ["编程", "自学", "Python"]]
        comments = [("路人甲", "写得真好，收藏了！"), ("小鱼儿", "请问住的是哪家客栈？"),
                    ("博主", "谢谢支持～"), ("吃货一枚", "照着做了一次，家里人都说好吃。"),
                    ("匿名", "学习了")]
        plan = {1: ("utf-8", "utf-8", "gzip", "stored with Content-Encoding: gzip (wget style)"),
                2: ("utf-8", "utf-8", "chunked", "stored with Transfer-Encoding: chunked"),
                3: ("utf-8", "utf-8", "br", "stored with Content-Encoding: br"),
                5: ("gb18030", None, None,
                    "GB18030 body (contains 𠮷), meta says gb2312, no HTTP charset")}
        for i, (title, paras) in enumerate(T.BLOG_HANS):
            enc, http_cs, transform, note = plan.get(i, ("utf-8", "utf-8", None, ""))
            meta_cs = "gb2312" if enc == "gb18030" else "utf-8"
            main = blog_main(BLOG_SITE, title, paras, date=self.date(), category=cats[i],
                             tags=tags[i], comments=self.rng.sample(comments, i % 4),
                             views=self.rng.randrange(50, 5000))
            html = page(BLOG_SITE, title, main, charset=meta_cs)
            self.add(f"https://{BLOG_SITE.domain}/post/{20240 + i}.html", "blog_hans", html,
                     encoding=enc, http_charset=http_cs, meta_charset=meta_cs,
                     text=_text((title, paras)), body_transform=transform, note=note,
                     dup_group=_group(i, "blog"))
        # near duplicate: a content farm copies the Dali travel post, edits it a little
        title, paras = T.BLOG_HANS[0]
        art = ("大理旅游攻略：五天慢游洱海（转载）", _edit_dali(list(paras)))
        main = blog_main(FARM_SITE, art[0], art[1] + ["本文来源于网络，如有侵权请联系删除。"],
                         date=self.date(), category="旅游", tags=["旅游攻略"], comments=[],
                         views=99999)
        self.add(f"http://{FARM_SITE.domain}/lvyou/{self.rng.randrange(10**6)}.html",
                 "blog_hans", page(FARM_SITE, art[0], main, charset="utf-8"), text=_text(art),
                 expected="dup", dup_group="blog-0", dup_type="near",
                 note="content farm copy of blog 0 with a few edits")
        # cross-script: the Traditional high-speed-rail article converted to Simplified
        t_title, t_paras = T.NEWS_HANT[7]
        art = (self.t2s.convert(t_title), [self.t2s.convert(p) for p in t_paras])
        site = HANS_SITES[2]
        self.add(f"https://{site.domain}/tw/2024/{4007}.html", "news_hans",
                 self.news_page(site, art, charset="utf-8", source="北城新闻网"),
                 text=_text(art), expected="dup", dup_group="hant-7", dup_type="cross_script",
                 note="Traditional news 7 converted to Simplified (OpenCC t2s)")

    # -- Traditional Chinese --------------------------------------------------------------------
    def _hant(self) -> None:
        plan = {0: ("big5", "big5", "big5", "Big5, declared honestly"),
                1: ("big5", None, None, "Big5, no declaration at all"),
                2: ("big5", "utf-8", None, "Big5 body, HTTP header lies (UTF-8), no meta")}
        night_market = None
        for i, art in enumerate(T.NEWS_HANT):
            site = HANT_SITES[i % len(HANT_SITES)]
            enc, http_cs, meta_cs, note = plan.get(i, ("utf-8", "utf-8", "utf-8", ""))
            headers = [("Content-Language", "zh-TW")] if i % 2 else []
            cap = self.add(f"https://{site.domain}/news/{7000 + i}", "news_hant",
                     self.news_page(site, art, charset=meta_cs), encoding=enc,
                     http_charset=http_cs, meta_charset=meta_cs, script="Hant", text=_text(art),
                     headers=headers, note=note, dup_group=_group(i, "hant"))
            if i == 2:
                night_market = cap
        assert night_market is not None
        self._copy(night_market, night_market.url.replace("https://", "http://"), "http vs https")
        title, paras = T.NEWS_HANT[4]
        art = (title, _edit_hiking(list(paras)))
        site = HANT_SITES[1]
        self.add(f"https://{site.domain}/life/{7104}", "news_hant",
                 self.news_page(site, art, charset="utf-8"), script="Hant",
                 text=_text(art), expected="dup", dup_group="hant-4", dup_type="near",
                 note="near duplicate of Traditional news 4, other site")
        art = T.HK_CANTONESE
        self.add(f"https://{HK_SITE.domain}/community/2024/0516/a1.html", "news_hant",
                 self.news_page(HK_SITE, art, charset="big5"), encoding="big5hkscs",
                 http_charset="big5", meta_charset="big5", script="Hant", text=_text(art),
                 headers=[("Content-Language", "zh-HK")],
                 note="written Cantonese in Big5-HKSCS (嘅, 咗, 啲 are not in plain Big5); "
                      "declared as big5")

    # -- forums ---------------------------------------------------------------------------------
    def _forums(self) -> None:
        for i, thread in enumerate(T.FORUM_THREADS):
            site = FORUM_HANT if i == len(T.FORUM_THREADS) - 1 else FORUM_HANS
            hant = site is FORUM_HANT
            main = forum_main(site, thread["title"], thread["posts"],
                              start=START - timedelta(days=10 + i), views=1000 + 379 * i,
                              board=2 if hant else 1 + i)
            text = thread["title"] + "\n" + "\n".join(t for _, t in thread["posts"])
            self.add(f"https://{site.domain}/thread-{58000 + i}-1-1.html", "forum",
                     page(site, thread["title"], main, charset="utf-8",
                          lang="zh-TW" if hant else "zh-CN"),
                     script="Hant" if hant else "Hans", text=text,
                     dup_group="forum-0" if i == 0 else None,
                     note="forum thread with replies (the replies are the main text)")
        # the same thread crawled later, with two more replies: a near duplicate
        thread = T.FORUM_THREADS[0]
        posts = [*thread["posts"],
                 ("装修小白2024", "最后选了实木复合，铺完效果很满意，谢谢大家的建议！"),
                 ("老木匠", "不客气，铺好以后前三个月多开窗通风。")]
        main = forum_main(FORUM_HANS, thread["title"], posts, start=START - timedelta(days=10),
                          views=1876)
        self.add(f"https://{FORUM_HANS.domain}/forum.php?mod=viewthread&tid=58000",
                 "forum", page(FORUM_HANS, thread["title"], main, charset="utf-8"),
                 text=thread["title"] + "\n" + "\n".join(t for _, t in posts), expected="dup",
                 dup_group="forum-0", dup_type="near",
                 note="the same thread crawled later under another URL, two more replies")

    # -- spam -------------------------------------------------------------------------------------
    def _spam(self) -> None:
        for i in range(8):
            html = spam_html(self.rng, 12 + 3 * i)
            cap = self.add(f"http://{SPAM_DOMAINS[i]}/", "spam", html, expected="spam",
                           note="gambling / adult-ad spam: promo lines repeated, keyword stuffing")
            cap.text = html
        first = next(c for c in self.captures if c.category == "spam")
        first.label["dup_group"] = "spam-0"
        self._copy(first, f"http://{SPAM_DOMAINS[8]}/index.html", "spam farm mirror")
        self._copy(first, f"http://{SPAM_DOMAINS[9]}/", "spam farm mirror")

    # -- English and Japanese -----------------------------------------------------------------
    def _other_languages(self) -> None:
        for i, art in enumerate(T.ENGLISH):
            http_cs, meta_cs, note, ctype = "utf-8", "utf-8", "", "text/html"
            if i == 1:
                http_cs, note = None, "no HTTP charset, meta utf-8"
            if i == 2:
                ctype, http_cs, note = "", None, "no Content-Type header at all (sniffed as HTML)"
            html = simple_page(EN_SITE, art[0], art[1], charset=meta_cs, lang="en",
                               date=self.date()[:10])
            slug = "".join(ch if ch.isalnum() else "-" for ch in art[0].lower())[:40]
            self.add(f"https://{EN_SITE.domain}/{i}/{slug}",
                     "english", html, http_charset=http_cs, meta_charset=meta_cs,
                     content_type=ctype, lang="en", script=None, text=_text(art),
                     expected="language/not_zh", note=note)
        for i, art in enumerate(T.JAPANESE):
            enc, http_cs, meta_cs, note = "utf-8", "utf-8", "utf-8", ""
            if i == 0:
                enc, http_cs, meta_cs, note = "shift_jis", "Shift_JIS", "shift_jis", \
                    "Shift_JIS, declared honestly"
            if i == 1:
                enc, http_cs, meta_cs, note = "shift_jis", None, "shift_jis", \
                    "Shift_JIS, meta only"
            html = simple_page(JA_SITE, art[0], art[1], charset=meta_cs, lang="ja",
                               date=self.date()[:10])
            self.add(f"https://{JA_SITE.domain}/article/{3300 + i}", "japanese", html,
                     encoding=enc, http_charset=http_cs, meta_charset=meta_cs, lang="ja",
                     script=None, text=_text(art), expected="language/not_zh", note=note)

    # -- not content: media, empty, redirects, boilerplate-only pages ------------------------------
    def _not_content(self) -> None:
        rng = self.rng
        d = HANS_SITES[0].domain
        media = [
            ("image/jpeg", jpeg_like_bytes(rng, 3000), f"https://{d}/upload/2024/05/a1.jpg"),
            ("image/png", png_bytes(24, 24, rng), f"https://{d}/static/img/logo.png"),
            ("application/pdf", pdf_bytes(), f"https://{d}/files/notice-2024.pdf"),
            ("text/css", b"body{margin:0;font-family:sans-serif}.nav li{display:inline}\n",
             f"https://{d}/static/css/main.css"),
            ("application/javascript", b"(function(){var s=document.title;console.log(s);})();\n",
             f"https://{d}/static/js/stat.js"),
            ("application/json", json.dumps({"code": 0, "data": {"views": 1234}}).encode(),
             f"https://{d}/api/views?id=1000"),
        ]
        for ctype, body, url in media:
            self.add(url, "not_html", body, content_type=ctype, http_charset=None,
                     meta_charset=None, lang=None, script=None, expected="read/not_html")
        self.add(f"https://{d}/upload/2024/05/b2.html", "binary_as_html", png_bytes(16, 16, rng),
                 meta_charset=None, lang=None, script=None, expected="read/binary",
                 note="PNG bytes served as text/html")
        self.add(f"https://{d}/news/empty.html", "empty", b"", meta_charset=None, lang=None,
                 script=None, expected="read/empty", note="200 OK with a zero-length body")
        for i, target in enumerate([f"https://{d}/", f"https://{HANS_SITES[1].domain}/"]):
            body = (f'<html><head><title>301 Moved Permanently</title></head><body><h1>Moved '
                    f'Permanently</h1><p>The document has moved <a href="{target}">here</a>.</p>'
                    "</body></html>").encode()
            self.add(f"http://{HANS_SITES[i].domain}/", "redirect", body, meta_charset=None,
                     lang=None, script=None, status="301 Moved Permanently",
                     headers=[("Location", target)], expected="short",
                     note="redirect with a tiny body")
        for site, kind, title, main, status in _boilerplate_pages(self):
            self.add(f"https://{site.domain}/{kind}", "boilerplate", page(site, title, main,
                     charset="utf-8", lang="zh-TW" if site.script == "Hant" else "zh-CN"),
                     script=site.script, status=status, expected="short",
                     note=f"{kind}: navigation and boilerplate only, no article")


def _group(i: int, prefix: str) -> str | None:
    groups = {"news": {0, 1, 3, 5, 7, 9, 11, 13}, "blog": {0}, "hant": {2, 4, 7}}
    return f"{prefix}-{i}" if i in groups.get(prefix, set()) else None


def _text(art: Article) -> str:
    return art[0] + "\n" + "\n".join(art[1])


def _edit_metro_night(p: list[str]) -> list[str]:
    p[0] = ("本报讯（记者 周明）市交通运输局昨日发布消息，从本月24日起，江城地铁1号线、2号线和"
            "3号线将在每周五、周六试行夜间延时运营，末班车发车时间由23时延后至次日0时30分。")
    p[2] = p[2].replace("12分钟", "10分钟")
    return p[:-1]


def _edit_sorting(p: list[str]) -> list[str]:
    p[4] = p[4].replace("35%", "接近40%")
    del p[6]
    return p


def _edit_heat(p: list[str]) -> list[str]:
    p[0] = "入伏以来，我市连续多日出现35摄氏度以上的高温天气，市气象台已连续五天发布高温橙色预警。"
    return [*p, "另据了解，市区多个公园和地铁站已开放“清凉驿站”，免费为市民提供饮用水和防暑药品。"]


def _edit_dali(p: list[str]) -> list[str]:
    p[1] = p[1].replace("十二块钱", "十五块钱")
    del p[7]
    return p


def _edit_hiking(p: list[str]) -> list[str]:
    p[3] = p[3].replace("五個小時", "六個小時")
    return [*p, "此外，近年來不少步道都設置了電子導覽牌，掃描QR碼就能查看路線資訊。"]


NEAR_EDITS_NEWS: dict[int, Callable[[list[str]], list[str]]] = {
    1: _edit_metro_night, 7: _edit_sorting, 9: _edit_heat,
}


def _boilerplate_pages(corpus: Corpus) -> list[tuple[Site, str, str, str, str]]:
    titles = corpus.all_titles
    items = "".join(f'<li><a href="/news/{i}.html">{escape(t)}</a><span>2024-05-{10 + i:02d}'
                    "</span></li>" for i, t in enumerate(titles[:8]))
    hans, hant = HANS_SITES[2], HANT_SITES[0]
    return [
        (hans, "404.html", "页面不存在",
         '<div class="error"><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p>'
         '<p><a href="/">返回首页</a>　5秒后自动跳转……</p></div>', "404 Not Found"),
        (hans, "login.php", "用户登录",
         '<form class="login"><h2>用户登录</h2><label>用户名</label><input><label>密码</label>'
         '<input type="password"><label>验证码</label><input><label><input type="checkbox">'
         '记住我</label><button>登录</button><a href="/forgot">忘记密码？</a> '
         '<a href="/register">还没有账号？立即注册</a></form>', "200 OK"),
        (hans, "tag/" + quote("地铁"), "标签：地铁",
         f'<div class="list"><h2>标签“地铁”下的文章</h2><ul>{items}</ul><div class="pages">'
         '<a href="#">上一页</a> 1 <a href="#">2</a> <a href="#">3</a> <a href="#">下一页</a>'
         "</div></div>", "200 OK"),
        (HANS_SITES[3], "news/2023/1201/9.html", "提示信息",
         '<div class="notice"><p>抱歉，该内容已被删除或设置为仅作者可见。</p>'
         '<p><a href="javascript:history.back()">返回上一页</a></p></div>', "200 OK"),
        (HANS_SITES[0], "search?q=" + quote("地铁"), "搜索结果",
         '<div class="search"><p>搜索“地铁”，共找到 23 条结果</p><ul>'
         + "".join(f"<li><a href=\"#\">{escape(t)}</a><p>{escape(t[:12])}……</p></li>"
                   for t in titles[:5]) + "</ul></div>", "200 OK"),
        (hant, "category/life", "生活",
         '<div class="list"><h2>生活</h2><ul>'
         + "".join(f"<li><a href=\"#\">{escape(t)}</a></li>" for t, _ in T.NEWS_HANT[:6])
         + '</ul><p><a href="#">載入更多</a></p></div>', "200 OK"),
    ]


# -- writing -------------------------------------------------------------------------------------

class ShardWriter:
    """Writes one WARC shard in the Common Crawl layout (request, response, metadata)."""

    def __init__(self, name: str, rng: random.Random) -> None:
        self.name = name
        self.rng = rng
        self.out = io.BytesIO()
        self.writer = WARCWriter(self.out, gzip=True)
        self.warcinfo_id = self.new_id()
        self.records = 0

    def new_id(self) -> str:
        return f"<urn:uuid:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}>"

    def warcinfo(self) -> None:
        info = ("software: zhclean scripts/make_sample_warcs.py\r\nformat: WARC File Format 1.0"
                "\r\nisPartOf: zhclean-sample\r\ndescription: synthetic sample pages written "
                "for zhclean tests; all sites and people are fictional\r\nrobots: obey\r\n")
        record = self.writer.create_warc_record(
            "", "warcinfo", payload=io.BytesIO(info.encode()),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Record-ID": self.warcinfo_id,
                               "WARC-Date": START.strftime("%Y-%m-%dT%H:%M:%SZ"),
                               "WARC-Filename": self.name})
        self.writer.write_record(record)
        self.records += 1

    def capture(self, cap: Capture, when: datetime) -> str:
        date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        response_id, request_id = self.new_id(), self.new_id()
        ip = f"203.0.113.{self.rng.randrange(1, 255)}"
        host = cap.url.split("/")[2]
        path = "/" + cap.url.split("/", 3)[3] if cap.url.count("/") >= 3 else "/"
        request = self.writer.create_warc_record(
            cap.url, "request",
            http_headers=StatusAndHeaders(
                f"GET {path} HTTP/1.1",
                [("Host", host), ("User-Agent", "zhclean-sample-bot/1.0"),
                 ("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"),
                 ("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"),
                 ("Accept-Encoding", "gzip, br")],
                is_http_request=True),
            warc_headers_dict={"WARC-Record-ID": request_id, "WARC-Date": date,
                               "WARC-Warcinfo-ID": self.warcinfo_id, "WARC-IP-Address": ip,
                               "WARC-Concurrent-To": response_id})
        http = [("Date", when.strftime("%a, %d %b %Y %H:%M:%S GMT")),
                ("Server", self.rng.choice(["nginx", "Apache", "Tengine", "openresty"]))]
        if cap.content_type is not None:
            http.append(("Content-Type", cap.content_type))
        http += cap.http_headers
        if not any(k == "Transfer-Encoding" for k, _ in cap.http_headers):
            http.append(("Content-Length", str(len(cap.body))))
        http.append(("Connection", "close"))
        response = self.writer.create_warc_record(
            cap.url, "response", payload=io.BytesIO(cap.body), length=len(cap.body),
            http_headers=StatusAndHeaders(cap.status, http, protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Record-ID": response_id, "WARC-Date": date,
                               "WARC-Warcinfo-ID": self.warcinfo_id, "WARC-IP-Address": ip})
        metadata = self.writer.create_warc_record(
            cap.url, "metadata",
            payload=io.BytesIO(f"fetchTimeMs: {self.rng.randrange(40, 900)}\r\n".encode()),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Record-ID": self.new_id(), "WARC-Date": date,
                               "WARC-Warcinfo-ID": self.warcinfo_id,
                               "WARC-Concurrent-To": response_id})
        for record in (request, response, metadata):
            self.writer.write_record(record)
        self.records += 3
        return response_id

    def revisit(self, cap: Capture, when: datetime) -> None:
        digest = "sha1:" + _b32_sha1(cap.body)
        record = self.writer.create_revisit_record(
            cap.url, digest, cap.url, (when - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", cap.content_type or "")],
                                          protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Record-ID": self.new_id(),
                               "WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                               "WARC-Warcinfo-ID": self.warcinfo_id})
        self.writer.write_record(record)
        self.records += 1


def _b32_sha1(data: bytes) -> str:
    import base64

    return base64.b32encode(hashlib.sha1(data).digest()).decode()


def _uuid(rng: random.Random) -> str:
    return f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}>"


def write_wet(path: Path, picks: list[tuple[Capture, str]], rng: random.Random) -> int:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    info_id = f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}>"
    writer.write_record(writer.create_warc_record(
        "", "warcinfo", payload=io.BytesIO(b"software: zhclean scripts/make_sample_warcs.py\r\n"
                                           b"description: WET-like conversion records\r\n"),
        warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Record-ID": info_id,
                           "WARC-Date": START.strftime("%Y-%m-%dT%H:%M:%SZ"),
                           "WARC-Filename": path.name}))
    for cap, response_id in picks:
        text = cap.text.encode("utf-8")
        writer.write_record(writer.create_warc_record(
            cap.url, "conversion", payload=io.BytesIO(text), length=len(text),
            warc_content_type="text/plain",
            warc_headers_dict={"WARC-Record-ID": _uuid(rng),
                               "WARC-Date": START.strftime("%Y-%m-%dT%H:%M:%SZ"),
                               "WARC-Refers-To": response_id, "WARC-Warcinfo-ID": info_id,
                               "WARC-Identified-Content-Language": "zho"}))
    path.write_bytes(out.getvalue())
    return len(picks) + 1


def self_check(corpus: Corpus) -> None:
    """Sanity checks on the generated pages (encodings really need what their notes say)."""
    for cap in corpus.captures:
        enc = cap.label["body_encoding"]
        if enc in (None, "utf-8", "utf-8-bom") or not cap.body:
            continue
        text = cap.body.decode(enc)
        if "outside GB2312" in cap.label["note"]:
            assert _fails(text, "gb2312"), cap.url
        if "outside GBK" in cap.label["note"] or "contains 𠮷" in cap.label["note"]:
            assert _fails(text, "gbk"), cap.url
        if "Big5-HKSCS" in cap.label["note"]:
            assert _fails(text, "big5"), cap.url


def _fails(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return True
    return False


def similarity_report(corpus: Corpus) -> None:
    from zhclean.filters.normalize import normalize_text

    def shingles(text: str) -> set[str]:
        norm = normalize_text(text)
        return {norm[i : i + 5] for i in range(max(1, len(norm) - 4))}

    caps = [c for c in corpus.captures if c.text and c.category != "spam"]
    sh = {c.url: shingles(c.text) for c in caps}
    groups: dict[str, list[Capture]] = {}
    for c in caps:
        if c.label["dup_group"]:
            groups.setdefault(c.label["dup_group"], []).append(c)
    print("duplicate groups (Jaccard of char 5-gram shingles of normalize_text):")
    for name, members in sorted(groups.items()):
        base = next(m for m in members if m.label["dup_type"] is None)
        for other in members:
            if other is base:
                continue
            a, b = sh[base.url], sh[other.url]
            print(f"  {name:10s} {other.label['dup_type']:12s} {len(a & b) / len(a | b):.3f}")
    worst = 0.0
    pair = ("", "")
    for i, a in enumerate(caps):
        for b in caps[i + 1 :]:
            ga, gb = a.label["dup_group"], b.label["dup_group"]
            if ga and ga == gb:
                continue
            x, y = sh[a.url], sh[b.url]
            j = len(x & y) / len(x | y)
            if j > worst:
                worst, pair = j, (a.url, b.url)
    print(f"closest distinct pair: {worst:.3f} {pair}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "examples" / "warc")
    parser.add_argument("--check", action="store_true", help="print duplicate similarities")
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    corpus = Corpus(rng)
    corpus.build()
    self_check(corpus)

    order = list(range(len(corpus.captures)))
    rng.shuffle(order)
    shards = [ShardWriter(f"sample-{n:05d}.warc.gz", rng) for n in range(N_SHARDS)]
    for shard in shards:
        shard.warcinfo()
    labels = []
    response_ids: dict[str, str] = {}
    for k, idx in enumerate(order):
        cap = corpus.captures[idx]
        shard = shards[k % N_SHARDS]
        when = START + timedelta(seconds=37 * k + rng.randrange(30))
        response_ids[cap.url] = shard.capture(cap, when)
        labels.append({"shard": shard.name, "record_id": response_ids[cap.url], "url": cap.url,
                       "http_status": int(cap.status.split()[0]), **cap.label})
    revisit_of = [c for c in corpus.captures if c.category == "news_hans"][:2]
    for i, cap in enumerate(revisit_of):
        shards[(i + 2) % N_SHARDS].revisit(cap, START + timedelta(days=1, minutes=i))

    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for shard in shards:
        (args.out / shard.name).write_bytes(shard.out.getvalue())
        total += shard.records
    wet_picks = [(c, response_ids[c.url]) for c in corpus.captures
                 if c.category in ("news_hans", "news_hant", "blog_hans")][:6]
    wet_path = args.out / "sample-wet-00000.warc.wet.gz"
    wet_records = write_wet(wet_path, wet_picks, rng)
    with (args.out / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for row in sorted(labels, key=lambda r: (r["shard"], r["url"])):
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")

    size = sum(p.stat().st_size for p in args.out.glob("*.gz"))
    print(f"{len(corpus.captures)} captures, {total} WARC records in {N_SHARDS} shards, "
          f"{wet_records} WET records; {size} bytes of .gz in {args.out}")
    if args.check:
        similarity_report(corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
