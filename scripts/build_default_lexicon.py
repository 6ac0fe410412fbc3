"""Build the default spam/porn/gambling lexicon shipped in ``filters/resources/lexicon/``.

Sources (both permissively licensed, notices copied next to the output):

- konsheng/Sensitive-lexicon (MIT): ``色情词库.txt`` + ``色情类型.txt`` → ``porn``;
  the gambling lines extracted from its supplementary lists → ``gambling``;
  ``广告类型.txt`` → ``ads`` (escort slang in it → ``porn``);
- LDNOOBW ``zh`` (CC-BY-4.0) → ``porn`` (obscene and sexual terms).

Every source entry is stripped, NFKC-normalised, lower-cased and converted to Simplified
script (the lexicon filter matches on text normalised the same way). Entries are dropped when
they are one character long (substring matching would flag ordinary text: 性, 乳, 奶), or
listed in ``EXCLUDE`` below with the reason (medical and anatomical words, everyday words,
short ASCII strings that occur inside other words, news phrases). ``SUPPLEMENT`` holds terms
we wrote ourselves for categories the sources cover poorly (gambling sites' usual wording,
contact and document-forgery ads). The output is sorted and deterministic:

    .venv/bin/python scripts/build_default_lexicon.py --source ../shared/data/lexicon
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from zhclean.filters.lexicon import normalize_term  # noqa: E402

OUT_DIR = os.path.join(REPO, "filters", "resources", "lexicon")
KONSHENG = "konsheng_Sensitive-lexicon"

# Source entries we do not use, by reason. Matching is on the normalised form.
EXCLUDE: dict[str, list[str]] = {
    "medical or anatomical (hospital and health pages are full of them)": [
        "乳房", "乳头", "乳沟", "下体", "阴唇", "阴户", "阴核", "阴毛", "阴茎", "阴蒂", "阴道",
        "阴部", "阴阜", "阴精", "精子", "精液", "射精", "龟头", "包皮", "肛门", "手淫", "自慰",
        "性交", "性欲", "性器", "性无能", "阳萎", "月经", "外阴", "卵子", "处女", "处男", "发情",
        "阉割", "高潮", "快感", "性伴侣", "性伙伴", "阴茎增大", "阴茎助勃", "花柳", "屁眼",
        "撒尿", "放尿", "叫床", "呻吟", "后庭", "体位", "老二", "小鸡鸡",
    ],
    "everyday words (photo, selfie, massage, spicy, passion, stimulate, ringtone, ...)": [
        "写真", "自拍", "按摩", "推油", "火辣", "激情", "刺激", "铃声", "限量", "和弦", "美腿",
        "丝袜", "裤袜", "内裤", "不穿", "赤裸", "裸露", "一丝不挂", "浑圆", "白嫩", "粉嫩",
        "好嫩", "猛男", "舞女", "少妇", "熟女", "人妻", "寂寞女", "寂寞男", "调教", "酥痒",
        "欲火", "肉欲", "火辣", "风骚", "放荡", "成人", "情色", "色界", "色色", "祖宗", "笨蛋",
        "白痴", "白癡", "混蛋", "无耻", "人渣", "狗屁", "屁股", "私服", "封面女郎", "花花公子",
        "媚外", "前凸后翘", "惹火身材", "双臀", "发生关系", "偷拍", "偷欢", "幼女", "幼男",
        "嫩女", "学生妹", "美女写真", "情趣用品", "老母", "老味", "刚度", "野鸡", "鬼公",
        "粉肠", "笨实", "硬胶", "你老板", "干死", "我干", "干你", "下贱", "贱人", "瘪三",
        "放尿", "强暴", "强奸", "轮奸", "诱奸", "迷奸", "兽性", "兽欲", "凌辱", "奸情", "相奸",
        "玉女心经", "金鳞岂是池中物", "金麟岂是池中物", "风月大陆", "少年阿宾", "夜勤病栋",
        "淫兽学园", "淫术炼金士", "肉棍子", "玉杵", "贝肉", "肉壁", "密洞", "大力抽送",
    ],
    "drugs, not porn (other filters' business)": [
        "morphine", "narcotic", "摇头丸", "精神药品", "迷幻药", "迷幻藥", "麻醉药", "迷药",
        "迷藥", "乖乖粉",
    ],
    "ASCII strings that occur inside ordinary words or codes": [
        "anal", "sb", "sm", "adult", "amateur", "secom", "a4u", "a4y", "99bb", "13.", "js",
        "ly", "bt", "3p", "qq", "da案", "答an", "个qb", "送qb", "大sb", "装b", "插b", "露b",
        "色b", "阴b", "杀b", "贱b", "傻b", "cao你",
    ],
    "names, titles and unrelated entries found in the porn lists": [
        "张筱雨", "杨思敏", "汤加丽", "松岛枫", "夏川纯", "奈美", "仓井空", "铃木麻", "马勒",
        "虎骑", "裹本", "品香堂", "阴间来电", "文做", "亚情", "校鸡", "色猫", "色盟", "我就色",
        "13点", "十三点", "九游", "老瘪三", "小瘪三", "刚瘪三", "口肯", "姣西", "肥西",
        "淫西", "鸡8", "懒8", "全家不得好死", "全家死光", "全家死绝", "死全家",
    ],
    "generic commerce or news words in the ad list": [
        "兼职", "招聘", "网络", "有意者", "到货", "本店", "代购", "扣扣", "客服", "微店", "兼值",
        "淘宝", "全职", "网购", "网络工作", "代理", "专业代理", "免费使用", "免费索取",
        "下载速度", "高清在线", "全集在线", "在线播放", "txt下载", "视频来源", "原音铃声",
        "电脑传讯", "证监会", "周小川", "刘明康", "尚福林", "孔丹", "救市", "崩盘", "资金短缺",
        "股市圈钱", "资金周转", "质押贷款", "小额贷款", "中国复兴党", "阿波罗网", "四海帮",
        "用刀横向切腹", "完全自杀手册", "婴儿汤", "找个妈妈", "找个爸爸", "玛雅网", "买小车",
        "套牌车", "改卷内幕", "六位qq", "6位qq", "位的qq", "腾讯客服电话", "销售热线",
        "免费订购热线", "低价出售", "款到发货", "连锁加盟", "加盟连锁", "免费二级域名",
        "帮忙点一下", "帮忙点下", "请点击进入", "详情请进入", "回复可见", "广告代理", "小姐",
        "技师", "全套", "桑拿", "咪咪", "蚁力神",
    ],
    "news phrases, film titles and non-gambling lines in the gambling extract": [
        "上半夜在赌", "乡里干部忙赌博", "以毫宅巨赌为荣", "区乡干部忙赌博",
        "吃喝嫖赌样样都来活了103岁", "先奸后杀下注", "轮盘赌安非他命", "一掷赌武林",
        "赌城浪子", "劣等人种博彩", "毒气赌具", "赌博练头脑", "赌博千药", "赌博粉",
        "赌博专用迷薬", "赌博专用迷药", "吹拉嫖赌真能干", "赌博要赌到赤臂上阵",
        "吃喝嫖赌用损办法", "包消费包赌博", "赌博隐形", "彩票奖券网", "权威彩票阵地", "下注",
        "娱乐城招聘", "娱乐城诚聘",
    ],
}

# Escort and sex-service slang in the ad list goes to ``porn``.
ADS_TO_PORN = {
    "妓女", "包夜", "狼友", "胸推", "毒龙", "口爆", "楼凤", "足交", "口暴", "口交", "吞精",
    "婊子", "乳方", "操逼", "性伴侣",
}

# Gambling terms in the ad list go to ``gambling``.
ADS_TO_GAMBLING = {"足球投注", "六合彩", "曾道人"}

# Terms we wrote ourselves (not copied from any list): the usual wording of Chinese gambling
# sites and of contact/forgery ads.
SUPPLEMENT: dict[str, list[str]] = {
    "gambling": [
        "博彩", "赌场", "赌博网站", "网上赌场", "网络赌场", "线上赌场", "真人视讯", "真人娱乐",
        "真人荷官", "电子游艺", "棋牌游戏", "百家乐", "龙虎斗", "老虎机", "轮盘", "二十一点",
        "德州扑克", "时时彩", "分分彩", "北京赛车", "幸运飞艇", "秒速赛车", "快三", "六合彩",
        "香港六合彩", "澳门六合彩", "特码", "彩票平台", "彩票app", "购彩", "投注", "下注平台",
        "现金网", "娱乐城", "娱乐场", "赌城", "澳门赌场", "威尼斯人", "葡京", "新葡京",
        "金沙娱乐", "太阳城", "永利", "银河娱乐", "贵宾会", "体育投注", "足球投注", "篮球投注",
        "电竞投注", "外围赌球", "赔率", "盘口", "让球", "大小球", "开户送", "注册送", "首存",
        "彩金", "返水", "洗码", "打码量", "提款", "出款", "充值送", "皇冠体育", "亚博",
        "bet365", "bet9", "betway", "必威", "体育app", "体育官网", "体育登录", "体育平台",
        "娱乐官网", "娱乐平台", "娱乐app", "官方网站登录", "app下载官网", "手机版登录",
    ],
    "ads": [
        "代开发票", "代开增值税发票", "发票代开", "办证", "办假证", "刻章", "私家侦探",
        "私人侦探", "婚外情调查", "调查婚外情", "代孕", "代孕妈妈", "借腹生子", "代生孩子",
        "售肾", "卖肾", "信用卡提现", "信用卡套现", "无抵押贷款", "黑户贷款", "刷单", "刷信誉",
        "网赚", "日赚", "躺赚", "加微信", "加v信", "加qq", "针孔摄像", "针孔摄象", "窃听器",
        "替考", "替考试", "代考", "隐形耳机", "出售答案", "考中答案", "地下钱庄", "高仿",
    ],
}

# Phrases that contain a lexicon term but are innocent: a match inside them does not count.
ALLOWLIST = [
    "性", "成人教育", "成人高考", "成人本科", "成人大学", "成人礼", "处女座", "处女作", "处女航",
    "处女地", "后庭花", "下注意", "投注意", "开户行", "开户银行", "开户名", "银行开户",
    "证券开户", "股票开户", "开户许可证", "外围设备", "外围电路", "外围赛", "外围组织", "盘口语",
    "提款机", "轮盘式", "永利达", "快三步", "赔率变化", "赌场风云", "太阳城市", "太阳城堡",
]

HEADER = (
    "# zhclean default lexicon, category {category}. Generated by "
    "scripts/build_default_lexicon.py; do not edit.\n"
    "# Sources: konsheng/Sensitive-lexicon (MIT), LDNOOBW zh (CC-BY-4.0), and terms written "
    "for zhclean. See NOTICE.md.\n"
)


NOTICE = """# Default lexicon: sources and licences

The files in this folder (`porn.txt`, `gambling.txt`, `ads.txt`, `allowlist.txt`) are generated by
`scripts/build_default_lexicon.py` from:

- **konsheng/Sensitive-lexicon** (https://github.com/konsheng/Sensitive-lexicon, commit
  5a8da94c61c160e203a6b2fcfafbea642404d50c), files `Vocabulary/色情词库.txt`,
  `Vocabulary/色情类型.txt`, `Vocabulary/广告类型.txt` and gambling lines of its supplementary
  lists. MIT License, Copyright (c) 2024~2099 Konsheng: see `LICENSE-konsheng`.
- **List of Dirty, Naughty, Obscene, and Otherwise Bad Words**, `zh` list
  (https://github.com/LDNOOBW/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words, commit
  5faf2ba42d7b1c0977169ec3611df25a3c08eb13), © 2012–2020 Shutterstock, Inc., licensed under
  Creative Commons Attribution 4.0 International: see `LICENSE-LDNOOBW`. Changes: entries were
  normalised (NFKC, Simplified script, lower case, no punctuation), one-character and
  excluded entries removed, and the rest merged into the `porn` category.
- Terms written for zhclean (gambling-site wording, contact and forgery ads, the allowlist),
  under the project's licence.

The exclusion lists and the category mapping are in the build script.
"""


def read_terms(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [line.strip() for line in fh if line.strip()]


def build(source: str) -> dict[str, set[str]]:
    vocab = os.path.join(source, KONSHENG, "Vocabulary")
    raw: dict[str, list[str]] = {
        "porn": read_terms(os.path.join(vocab, "色情词库.txt"))
        + read_terms(os.path.join(vocab, "色情类型.txt"))
        + read_terms(os.path.join(source, "LDNOOBW", "zh")),
        "gambling": read_terms(os.path.join(source, KONSHENG, "gambling_lines_extracted.txt")),
        "ads": [],
    }
    for term in read_terms(os.path.join(vocab, "广告类型.txt")):
        if term in ADS_TO_PORN:
            raw["porn"].append(term)
        elif term in ADS_TO_GAMBLING:
            raw["gambling"].append(term)
        else:
            raw["ads"].append(term)
    excluded = {normalize_term(t) for terms in EXCLUDE.values() for t in terms}
    allowed = {normalize_term(t) for t in ALLOWLIST}
    out: dict[str, set[str]] = {}
    for category, terms in raw.items():
        terms = terms + SUPPLEMENT.get(category, [])
        norm = {normalize_term(t) for t in terms}
        out[category] = {t for t in norm if len(t) >= 2 and t not in excluded | allowed}
    return out


def write(out_dir: str, lexicon: dict[str, set[str]], source: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    for category, terms in sorted(lexicon.items()):
        with open(os.path.join(out_dir, f"{category}.txt"), "w", encoding="utf-8") as fh:
            fh.write(HEADER.format(category=category))
            fh.writelines(f"{t}\n" for t in sorted(terms))
    with open(os.path.join(out_dir, "allowlist.txt"), "w", encoding="utf-8") as fh:
        fh.write(HEADER.format(category="allowlist"))
        fh.writelines(f"{normalize_term(t)}\n" for t in sorted(set(ALLOWLIST)))
    with open(os.path.join(out_dir, "NOTICE.md"), "w", encoding="utf-8") as fh:
        fh.write(NOTICE)
    shutil.copyfile(
        os.path.join(source, KONSHENG, "LICENSE"), os.path.join(out_dir, "LICENSE-konsheng")
    )
    shutil.copyfile(
        os.path.join(source, "LDNOOBW", "LICENSE"), os.path.join(out_dir, "LICENSE-LDNOOBW")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        default=os.path.join(REPO, "..", "shared", "data", "lexicon"),
        help="folder with konsheng_Sensitive-lexicon/ and LDNOOBW/",
    )
    parser.add_argument("--output", default=OUT_DIR)
    args = parser.parse_args()
    lexicon = build(args.source)
    write(args.output, lexicon, args.source)
    for category, terms in sorted(lexicon.items()):
        print(f"{category}: {len(terms)} terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
