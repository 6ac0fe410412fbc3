"""Line-level cleaning of Chinese site boilerplate that main-text extraction leaves in.

Extractors keep whole blocks; on Chinese pages the blocks next to the article often carry
one-line furniture: ICP licence numbers (``京ICP备…号``), police registration (``公网安备``),
copyright footers, ``上一篇/下一篇`` links, ``责任编辑：`` bylines, share bars (``分享到``,
``扫一扫``), ``阅读原文``, ``免责声明``, ``联系我们 | 关于我们`` footers, ``登录 | 注册`` bars,
breadcrumbs (``当前位置：首页 > …``), ``来源：…`` lines and ``相关文章`` headings.

Every pattern is **anchored on short lines**: a line is only considered when it is at most a
pattern's ``max_chars`` long, and for most patterns a line that reads like a sentence (ends in
``。！？``) is kept. So an article sentence that merely mentions 版权所有, 登录 or 来源 survives;
see ``tests/test_boilerplate.py`` for both directions. Traditional-script lines are matched
through an OpenCC t2s copy, so 版權所有, 責任編輯, 聯絡我們 and 登入/註冊 are caught too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document
from zhclean.filters.normalize import to_simplified
from zhclean.filters.verdict import KEEP, Verdict

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_SENTENCE_END = re.compile(r"[。！？!?…]['\"”’」』）)]*$")
_OPEN = r"^[\s（(【\[「<《〔]*"  # a label may sit in brackets: （ 责任编辑：王五 ）
_COLON = r"\s*[:：]"

# separators used by navigation bars, toolbars and breadcrumbs
_SEP_CHARS = "|｜/·•・-—_:：,，、;；【】[]()（）<>《》«»‹›←→↑>＞\"“”'‘’*★☆■□◆◇●○▲△▼▽+"
_BAR_SEP = re.compile(r"\s*(?:[|｜]|\s[-—–·•]\s)\s*")
_CRUMB_SEP = re.compile(r"\s*(?:-{1,2}>|={1,2}>|>{1,2}|＞{1,2}|»|›|→)\s*")
_BAR_HINT = re.compile(r"[|｜\-—–·•]")
_CRUMB_HINT = re.compile(r"[>＞»›→]")
_PROSE_PUNCT = re.compile(r"[。！？；，,;!?]")
_DECORATION = re.compile(r"[\s\-=_*~#+|｜·•<>]+")

def _words(*groups: str) -> tuple[str, ...]:
    """Expand ``"打印 关闭|本页 本文|"`` style specs: space-separated alternatives, ``|``
    between parts that are concatenated, an empty alternative for an optional part."""
    out = [""]
    for group in groups:
        out = [head + tail for head in out for tail in group.split(" ")]
    return tuple(out)


# Words that make up toolbars ("打印 | 关闭 | 推荐 | 收藏"); a line made of nothing else (and
# separators, quotes, brackets, digits) is chrome.
TOOL_WORDS: tuple[str, ...] = (
    *_words("页面功能 我来说两句 我要说说 我要揪错 我要纠错 字体 字号 字级 大中小 顶 踩"),
    *_words(
        "打印 关闭 保存 收藏 推荐 转发 分享 复制 引用 回复 举报 点赞",
        " 本页 本文 此文 此页 此帖 窗口 文章 给朋友 链接 到",
    ),
    *_words(" 发表 查看 参与 网友 最新 热门", "评论"),
    *_words("返回", " 顶部 首页 列表 目录 页首 上一页 上页"),
    *_words("顶部 回到顶部 回到顶端 回顶端 更多 列印 上一页 下一页 上一篇 下一篇 上一条 下一条"),
    *_words(
        "微信 朋友圈 微博 新浪微博 腾讯微博 QQ空间 QQ好友 QQ 豆瓣 人人网 开心网 百度贴吧 "
        "Facebook LINE Line Twitter Plurk WhatsApp Telegram Email E-mail"
    ),
    *_words("设为首页 加入收藏 添加到收藏夹 手机版 电脑版 触屏版 客户端 APP下载 繁体 简体"),
)
_TOOL_RUN = re.compile(
    "(?:" + "|".join(re.escape(w) for w in sorted(TOOL_WORDS, key=len, reverse=True)) + ")+"
)
_TOOL_CHARS = frozenset("".join(TOOL_WORDS))
# characters a toolbar or login line may contain besides its words: deleted by str.translate
_FILLER = str.maketrans(
    dict.fromkeys(_SEP_CHARS + ".…。 \t\u3000\u00a0\"“”「」『』0123456789")
)

# Site-structure words of footers and navigation bars.
_NAV_WORDS = re.compile(
    r"联系我们|联络我们|关于我们|关于本站|网站地图|站点地图|友情链接|广告服务|广告合作|商务合作|"
    r"隐私(?:权)?(?:政策|保护|声明)|用户协议|服务条款|使用条款|帮助中心|意见反馈|"
    r"招聘信息|人才招聘|诚聘英才|加入我们|网站导航|法律声明|版权声明|免责声明|投稿(?:须知)?|"
    r"公司简介|网站简介|本站简介|About\s*Us|Contact\s*Us|Privacy|Sitemap|"
    r"网站首页|返回首页|首页|主页|登录|注册|帮助|搜索|论坛|博客|社区|会员中心|个人中心"
)
_LOGIN_WORDS = re.compile(
    r"登录|登陆|注册|退出|注销|忘记密码|找回密码|用户名|密码|验证码|会员中心|个人中心|"
    r"我的账号|我的帐号|账号|帐号|免费注册|立即注册|自动登[录陆]|登入|记住我|会员"
)
_META_LABELS = re.compile(
    r"(?:来源|出处|作者|记者|发布|发表|更新|时间|日期|点击|浏览|阅读|人气|编辑|字号|来自|"
    r"评论|热度|栏目|查看|回复|回覆)(?:次数|时间|日期|数|量|人)?\s*[:：]"
)
_CONTACT_LABELS = re.compile(
    r"(?:地址|邮编|电话|传真|邮箱|[Ee]-?[Mm][Aa][Ii][Ll]|客服|热线|QQ|微信号|举报电话|联系电话)\s*[:：]"
)


_ICP = re.compile(
    r"ICP\s*(?:备|证|经营许可|许可证)|ICP\d{6,}|"
    f"[{_PROVINCES}]B2-\\d{{6,}}|"
    r"(?:增值电信业务|电信与信息服务业务|网络文化|视听节目|新闻信息服务|药品信息服务|"
    r"出版物|网络出版服务)经营?许可证",
    re.I,
)
_FORUM_START = re.compile(
    r"(?:楼主|沙发|板凳|地板|\d+\s*[楼#])\s.{0,20}发表于|发表于\s*\d{4}-\d{1,2}-\d{1,2}|"
    r"GMT[+-]\d{1,2}, \d{4}-\d{1,2}-\d{1,2}|Powered by \S+"
)


@dataclass(frozen=True)
class LinePattern:
    """One kind of boilerplate line.

    ``test`` decides on a stripped line; it only runs on lines of at most ``max_chars``
    characters. Unless ``strong``, a line ending like a sentence (``。！？``) is never cut.
    """

    name: str
    max_chars: int
    test: Callable[[str], object]
    strong: bool = False


def _rx(pattern: str, flags: int = 0) -> Callable[[str], object]:
    return re.compile(pattern, flags).search  # a match object is truthy


def _only_tools(line: str) -> bool:
    """The line is nothing but toolbar words, counters and separators (``[打印] [关闭]``,
    ``← 返回``, ``评论(3)``, ``【字体：大 中 小】``)."""
    words = line.translate(_FILLER)
    return bool(words) and _TOOL_CHARS.issuperset(words) and _TOOL_RUN.fullmatch(words) is not None


def _decoration(line: str) -> bool:
    """Only separator characters (``------``, ``·``, ``|``, ``=====``). Punctuation such as
    ``。”`` or box-drawing lines of a diagram are not decoration: they belong to the text."""
    return _DECORATION.fullmatch(line) is not None


def _segments(line: str, sep: re.Pattern[str]) -> list[str]:
    return [s for s in (p.strip() for p in sep.split(line)) if s]


def _nav_bar(line: str) -> bool:
    """``首页 | 新闻 | 论坛 | 联系我们``: 3+ short items between bar separators, no prose
    punctuation; or 2+ footer words (联系我们, 广告服务, 隐私政策...) on one short line; or 4+
    space-separated short items one of which is a site-structure word."""
    if _PROSE_PUNCT.search(line):
        return False
    nav_words = _NAV_WORDS.findall(line)
    if _BAR_HINT.search(line):
        items = _segments(line, _BAR_SEP)
        if len(items) >= 3 and max(len(i) for i in items) <= 12:
            return True
        if len(nav_words) >= 2 and len(items) >= 2:
            return True
    if not nav_words:
        return False
    if len(line) <= 8 and _NAV_WORDS.fullmatch(line):
        return True
    words = line.split()
    return (
        len(words) >= 4
        and max(len(w) for w in words) <= 8
        and sum(1 for w in words if _NAV_WORDS.fullmatch(w)) >= 1
    )


def _footer_words(line: str) -> bool:
    """Two or more footer words on a short line, with any separators (``公司简介 - 联系我们``)."""
    return len(_NAV_WORDS.findall(line)) >= 2 and not _PROSE_PUNCT.search(line)


def _breadcrumb(line: str) -> bool:
    """``搜狐首页 > 财经 > 产经新闻``: 2+ arrow separators between short items."""
    if not _CRUMB_HINT.search(line):
        return False
    items = _segments(line, _CRUMB_SEP)
    return len(items) >= 3 and max(len(i) for i in items) <= 20 and not _PROSE_PUNCT.search(line)


def _login_bar(line: str) -> bool:
    """Two or more login words on one short line (``登录 | 注册``, ``用户名： 密码：``), or a
    line of nothing but one (``用户登录``, ``验证码``: a login form, one field per line)."""
    found = _LOGIN_WORDS.findall(line)
    if len(found) >= 2:
        return True
    return bool(found) and not _LOGIN_WORDS.sub("", line).replace("用户", "").translate(_FILLER)


def _meta_line(line: str) -> bool:
    """Two or more article-metadata labels (``发布时间：… 来源：… 点击：…``)."""
    return len(_META_LABELS.findall(line)) >= 2


def _contact_line(line: str) -> bool:
    """Two or more contact labels (``地址：… 邮编：… 电话：…``): a site footer."""
    return len(_CONTACT_LABELS.findall(line)) >= 2


PATTERNS: tuple[LinePattern, ...] = (
    LinePattern(
        "icp",
        160,
        lambda line: _ICP.search(line) if "许可证" in line or "B2-" in line else (
            "icp" in line.lower() and _ICP.search(line)
        ),
        strong=True,
    ),
    LinePattern("police", 160, _rx(r"公网安备|公安(?:机关)?备案"), strong=True),
    LinePattern(
        "copyright",
        120,
        _rx(
            r"版权所有|[Cc]opyright|COPYRIGHT|©|\([Cc]\)\s*(?:19|20)\d\d|"
            r"(?i:all\s+rights?\s+reserved)|保留(?:所有|一切)权利|版权归.{1,30}所有|"
            r"著作权归.{1,30}所有"
        ),
    ),
    LinePattern(
        "reprint",
        100,
        _rx(r"转载请(?:务必)?(?:注明|保留)|违者(?:必究|依法(?:追究|必究))"),
        strong=True,
    ),
    LinePattern(
        "reprint",
        100,
        _rx(
            r"未经.{0,30}(?:授权|许可|同意).{0,20}(?:转载|复制|镜像|转贴|使用)|"
            r"(?:禁止|谢绝|严禁|请勿)(?:任何)?(?:商业)?(?:转载|转贴)"
        ),
    ),
    LinePattern(
        "disclaimer",
        200,
        _rx(
            r"^[\s【\[（(]*(?:免责|版权|郑重|特别|法律)声明|"
            r"仅代表作者(?:本人|个人)?(?:观点|立场)|不代表本(?:站|网|网站|平台|报|刊)"
            r"(?:的)?(?:观点|立场)|如(?:有|涉及)(?:侵权|版权问题)|"
            r"本(?:站|网|网站)(?:所有|部分)?(?:文章|内容|信息|资料|图片).{0,20}"
            r"(?:来源于|来自|转载|收集|网络)"
        ),
        strong=True,
    ),
    LinePattern(
        "prev_next",
        80,
        _rx(
            r"^[\s<«‹←【\[（(]*(?:上一|下一|前一|后一)(?:篇|页|条|章|节|帖|主题|个)"
            r"|(?:上一|前一)(?:篇|页|条|章).{0,60}(?:下一|后一)(?:篇|页|条|章)"
        ),
    ),
    LinePattern(
        "editor",
        40,
        _rx(
            _OPEN + r"(?:责任编辑|责编|编辑|主编|审核|校对|审校|终审|初审|复审|监制|统筹|"
            r"本版编辑|值班编辑|实习编辑|编审|网络编辑|文字编辑|图片编辑|排版|美编)"
            + _COLON
            + r"|给编辑写信"
        ),
    ),
    LinePattern(
        "source",
        50,
        _rx(
            _OPEN + r"(?:来源|文章来源|稿件来源|新闻来源|消息来源|信息来源|本文来源|内容来源|"
            r"出处|文章出处|稿源|转载自|转自|来自)" + _COLON
        ),
    ),
    LinePattern("meta", 100, _meta_line),
    LinePattern(
        "forum",
        80,
        lambda line: "只看该作者" in line or _FORUM_START.match(line),
    ),
    LinePattern(
        "share",
        40,
        _rx(
            _OPEN + r"(?:分享到|分享至)|一键分享|分享让更多人|扫一扫|扫描二维码|"
            r"扫码(?:关注|下载|阅读|打开)|"
            r"长按(?:识别)?二维码|关注(?:我们|微信|公众号|官方微博|官方微信)|微信公众号[:：]"
        ),
    ),
    LinePattern(
        "read_more",
        30,
        _rx(
            r"点击(?:查看|阅读|进入|下载|这里|此处|浏览|播放|收听|观看|看大图|放大)|阅读原文|"
            r"阅读全文|(?:查看|浏览)(?:原文|全文|更多|详情|大图)|(?:展开|收起)全文|加载更多|载入更多|"
            r"看更多|"
            r"点此(?:查看|进入|阅读|下载)"
        ),
    ),
    LinePattern(
        "related",
        24,
        _rx(
            _OPEN + r"(?:相关(?:文章|阅读|新闻|报道|链接|连接|内容|信息|专题|推荐|条目|评论|"
            r"搜索|资讯|文章推荐|视频|图片|帖子)|推荐阅读|延伸阅读|扩展阅读|热门(?:文章|推荐|新闻|"
            r"排行|标签|阅读|评论|话题)|精彩(?:推荐|图片|专题|评论)|图片精选|猜你喜欢|"
            r"你可能(?:还)?(?:感兴趣|喜欢)|大家都在看|阅读排行|点击排行|今日热点|"
            r"最新(?:文章|更新|发布|评论|动态)|(?:发表|网友|最新|查看|参与)评论|我来说两句)"
            r"[\s:：>》]*$"
        ),
    ),
    LinePattern(
        "location",
        100,
        _rx(
            _OPEN
            + r"(?:您的位置|您现在的位置|你的位置|你现在的位置|当前位置|现在位置|所在位置)"
            + _COLON
        ),
    ),
    LinePattern("breadcrumb", 100, _breadcrumb),
    LinePattern("nav", 100, _nav_bar),
    LinePattern("footer", 60, _footer_words),
    LinePattern("login", 40, _login_bar),
    LinePattern("contact", 120, _contact_line),
    LinePattern("toolbar", 60, _only_tools),
    LinePattern("decoration", 60, _decoration, strong=True),
)
"""The patterns, tried in order; the first that matches names the line's count."""

MAX_PATTERN_CHARS = max(p.max_chars for p in PATTERNS)


def _table(prose: bool) -> tuple[tuple[tuple[str, Callable[[str], object]], ...], ...]:
    """For each line length, the (name, test) pairs that apply, in order (precomputed: this
    loop runs for every short line of every document)."""
    return tuple(
        tuple(
            (p.name, p.test)
            for p in PATTERNS
            if length <= p.max_chars and (p.strong or not prose)
        )
        for length in range(MAX_PATTERN_CHARS + 1)
    )


_BY_LENGTH = {False: _table(False), True: _table(True)}


def boilerplate_kind(line: str, simplified: bool = False) -> str | None:
    """The name of the first pattern that marks ``line`` as boilerplate, else None.

    The patterns are written in Simplified Chinese; a Traditional line (版權所有, 責任編輯,
    聯絡我們) is converted first, unless the caller says it already is (``simplified``).
    """
    if not simplified:
        line = to_simplified(line)
    line = line.strip()
    if not line or len(line) > MAX_PATTERN_CHARS:
        return None
    prose = _SENTENCE_END.search(line) is not None
    for name, test in _BY_LENGTH[prose][len(line)]:
        if test(line):
            return name
    return None


class BoilerplateLineCleaner(DocumentRule):
    """Removes Chinese site-boilerplate lines from ``doc.text``; drops a document that has
    nothing left.

    Counts go to ``doc.signals["boilerplate_lines"]`` (total, also 0) and
    ``doc.signals["boilerplate"]`` (per pattern, only patterns that fired), so an auditor can
    see how much was cut and why.

    Reason ``empty`` (the extract stage's reason for "no text"): fewer than ``min_chars``
    characters are left after cleaning — a page whose extracted text was all boilerplate
    (a forum thread reduced to its post headers, a login or error page) has no text for the
    later stages, and would otherwise surface as ``language/not_zh`` ("no text to
    identify"). On such a drop ``doc.text`` keeps the text before cleaning, so the sample
    excerpt shows what was cut; the detail names the counts. ``min_chars=0`` never drops.
    """

    reason = "empty"

    def __init__(self, min_chars: int = 1) -> None:
        if min_chars < 0:
            raise ValueError(f"min_chars must be >= 0, got {min_chars}")
        self.min_chars = min_chars

    def check(self, doc: Document) -> Verdict:
        kept: list[str] = []
        counts: dict[str, int] = {}
        lines = doc.text.split("\n")
        # one OpenCC call for the whole text (~0.1 ms for 5,000 characters); t2s maps
        # characters and phrases, never line breaks, so the lines stay aligned
        simplified = to_simplified(doc.text).split("\n")
        if len(simplified) != len(lines):  # never seen; fall back to line by line
            simplified = [to_simplified(line) for line in lines]
        for line, simple in zip(lines, simplified, strict=True):
            kind = boilerplate_kind(simple, simplified=True)
            if kind is None:
                kept.append(line)
            else:
                counts[kind] = counts.get(kind, 0) + 1
        removed = sum(counts.values())
        doc.signals["boilerplate_lines"] = removed
        if removed:
            doc.signals["boilerplate"] = counts
        text = "\n".join(kept) if removed else doc.text
        if len(text) < self.min_chars:
            cut = ", ".join(f"{name} {n}" for name, n in counts.items())
            return self.drop(
                f"{len(text)} chars of text left after boilerplate cleaning < min_chars "
                f"{self.min_chars}" + (f" ({removed} lines cut: {cut})" if removed else "")
            )
        doc.text = text
        return KEEP
