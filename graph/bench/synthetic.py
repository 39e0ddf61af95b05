"""A synthetic corpus of plan texts, made from the two real plans, for benchmarks at scale.

    from healthkg.graph.bench.synthetic import write_corpus
    files = write_corpus(Path("corpus"), plans=200, seed=0)

    python -m healthkg.graph.bench.synthetic --plans 200 --seed 0 --out corpus/

Each file is a plan TEXT of the same genre as graph/sources/ (the extractor runs on it, not on
pre-made records): a notice with its own document number (〔YEAR〕N号), a title stating the plan period,
a goals part with quantitative targets, a tasks part with one section per industry whose numbered
tasks end in a responsibility bracket, and a safeguards part naming the lead of each industry chain.
What varies from plan to plan:

- the city: real prefecture-level cities (Guangxi first, then the rest of the country); past the
  end of the list the cities come round again with a later plan period, each plan with its own
  document number, so plan ids stay unique;
- the bodies: every body of a bracket is written with another of its aliases from
  graph/data/bodies.tsv (市卫生健康委 / 市卫健委 / 市卫生健康局 ...), the real plans' counties and zones
  become invented ones, the real city's name becomes the plan's;
- the tasks: sampled per industry from both real plans, shuffled and renumbered;
- the numbering (1. / 1、 / 1． / （1）, continuous or per section), the brackets and colons
  (full-width or half-width), the bracket labels (牵头单位 / 牵头部门 ...);
- the targets: every quantity with a unit is scaled, ranges stay ordered, percentages stay ≤ 100,
  and every year moves with the plan period.

No `.meta.json` is written: everything the extractor needs is in the text. The corpus is a pure
function of the seed: plan i is drawn from its own random stream (seed, i), so the same seed and size
give byte-identical files, and the first n plans of a larger corpus are the corpus of size n.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from healthkg.graph.extract import agencies, tables
from healthkg.graph.extract.brackets import find_bracket, parse_bracket
from healthkg.graph.extract.layout import paragraphs
from healthkg.graph.extract.records import extract_file

SOURCES = Path(str(resources.files("healthkg.graph") / "sources"))
LAIBIN = SOURCES / "laibin-2019-laizhengfa-22.txt"
LIUZHOU = SOURCES / "liuzhou-2020-liuzhenggui-9.txt"

# Real prefecture-level cities by province: (province, short name, document abbreviation, is an
# autonomous region, cities). Cities whose pinyin id repeats an earlier one (福州 / 抚州) are left out
# at load time, since the id names the city's resources.
PROVINCES = (
    ("广西壮族自治区", "广西", "桂", True,
     "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左"),
    ("广东省", "广东", "粤", False,
     "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮"),
    ("湖南省", "湖南", "湘", False, "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底"),
    ("贵州省", "贵州", "黔", False, "贵阳 六盘水 遵义 安顺 毕节 铜仁"),
    ("云南省", "云南", "云", False, "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧"),
    ("海南省", "海南", "琼", False, "海口 三亚 儋州"),
    ("江西省", "江西", "赣", False, "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶"),
    ("福建省", "福建", "闽", False, "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德"),
    ("四川省", "四川", "川", False,
     "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳"),
    ("湖北省", "湖北", "鄂", False, "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州"),
    ("河南省", "河南", "豫", False,
     "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店"),
    ("安徽省", "安徽", "皖", False,
     "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城"),
    ("浙江省", "浙江", "浙", False, "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水"),
    ("江苏省", "江苏", "苏", False, "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁"),
    ("山东省", "山东", "鲁", False,
     "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽"),
    ("河北省", "河北", "冀", False, "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水"),
    ("山西省", "山西", "晋", False, "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁"),
    ("陕西省", "陕西", "陕", False, "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛"),
    ("甘肃省", "甘肃", "甘", False, "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南"),
    ("辽宁省", "辽宁", "辽", False,
     "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛"),
    ("吉林省", "吉林", "吉", False, "长春 四平 辽源 通化 白山 松原 白城"),
    ("黑龙江省", "黑龙江", "黑", False,
     "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化"),
    ("内蒙古自治区", "内蒙古", "内", True, "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布"),
    ("宁夏回族自治区", "宁夏", "宁", True, "银川 石嘴山 吴忠 固原 中卫"),
    ("青海省", "青海", "青", False, "西宁 海东"),
    ("新疆维吾尔自治区", "新疆", "新", True, "乌鲁木齐 克拉玛依 吐鲁番 哈密"),
    ("西藏自治区", "西藏", "藏", True, "拉萨 日喀则 昌都 林芝 山南"),
)
FIRST_YEAR = 2019            # plans of the first round; each later round of cities is one year later
INDUSTRIES = ("elderly-care", "medical", "tourism", "pharmaceutical", "food", "sports")
INDUSTRY_ZH = {"elderly-care": "健康养老", "medical": "健康医疗", "tourism": "健康旅游",
               "pharmaceutical": "健康医药", "food": "健康食品", "sports": "健康运动"}
SECTION_VERBS = ("加快发展", "大力发展", "突出发展", "积极发展", "发展壮大", "培育壮大", "着力发展")
PLAN_KINDS = ("实施方案", "三年行动计划", "行动方案", "发展规划", "行动计划")
DOC_KINDS = ("政发", "政规", "政办发", "政")
# Industry -> the body that leads its chain (bodies.tsv keys).
CHAIN_LEADS = {"elderly-care": "civil-affairs-bureau", "medical": "health-commission",
               "tourism": "culture-tourism-bureau", "pharmaceutical": "industry-it-bureau",
               "food": "agriculture-rural-affairs-bureau", "sports": "sports-bureau"}
# Bodies of the real plans that belong to one real place, replaced before anything else.
SOURCE_REPLACEMENTS = {"laibin": (("自治区药监局来宾检查分局", "市市场监管局"),),
                       "liuzhou": (("柳柳州", "柳州"),)}
# Counties, districts and zones of the real plans, as written; each becomes an invented place.
SOURCE_PLACES = {
    "laibin": ("金秀瑶族自治县", "象州县", "金秀", "象州"),
    "liuzhou": ("柳东新区", "北部生态新区", "柳江区", "鱼峰区", "柳南区", "柳北区", "城中区", "柳城县", "鹿寨县",
                "融安县", "融水县", "三江县"),
}
SOURCE_CITY = {"laibin": ("来宾", "柳州"), "liuzhou": ("柳州", "来宾")}
PLACE_FIRST = "安宝昌东丰福高和华嘉金景康乐龙隆南宁平清庆仁瑞山石顺泰西祥新兴阳永裕云长正中"
PLACE_SECOND = "安坝城川峰岗湖江岭隆宁平坪桥泉山石水顺塘溪阳源州庄"
ZONE_KINDS = ("新区", "高新区", "经济开发区", "工业园区")
ITEM_MARKERS = ("{n}.", "{n}. ", "{n}、", "{n}．", "（{n}）", "({n})")
LEVEL1_MARKERS = ("{n}、", "{n}、", "{n}．")
LEVEL2_MARKERS = ("（{n}）", "({n})")
LEAD_LABELS = ("牵头单位", "牵头单位", "牵头部门")
COOPERATING_LABELS = ("配合单位", "配合单位", "配合部门", "协办单位", "参与单位")
CN_NUMERALS = "一二三四五六七八九十"
FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})
HALF_WIDTH = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})
YEAR = re.compile(r"(?<![\d.])(20[12]\d)(?![\d.])(?=\s*(?:年|[-—–~至]\s*20[12]\d|[)）]))"
                  r"|(?<=[-—–~至])(\s*)(20[12]\d)(?![\d.])")
MULTIPLIER = r"(?:千万|百万|万|亿)?"
# Units whose numbers are scaled; 级 (a grade, not an amount) is left alone.
SCALED_UNITS = [u["unit"] for u in tables.read_tsv("units.tsv") if u["unit"] != "级"]
QUANTITY = re.compile(
    r"(?<![\d.第])(\d+(?:\.\d+)?)(?:(\s*[-~～—–]\s*)(\d+(?:\.\d+)?))?(?=\s*" + MULTIPLIER + "(?:"
    + "|".join(re.escape(u) for u in sorted(SCALED_UNITS, key=len, reverse=True)) + "))")
# Tasks whose text needs its neighbours (a bullet, a paragraph after a numbered item) are not sampled.
PREAMBLES = (
    "为深入贯彻《{province}人民政府关于加快大健康产业发展的若干意见》({abbr}政发〔{cited}〕{cited_no}号),"
    "认真落实市委、市人民政府各项决策部署,明确{start}-{end}年全市大健康产业发展的主要目标、重点任务和保障措施,"
    "特制定本{kind}。",
    "为贯彻落实《{province}人民政府关于加快大健康产业发展的若干意见》({abbr}政发〔{cited}〕{cited_no}号)等文件精神"
    "及市委市政府工作部署和要求,切实加快我市大健康产业发展,特制定本{kind}。",
)
GUIDING = ("(一)指导思想。以习近平新时代中国特色社会主义思想为指导,坚持新发展理念,坚持以人民健康为中心,"
           "围绕“医、养、管、食、游、动”全产业链要素,推进健康产业与一二三产业融合发展,增加健康产品供给,优化健康服务,"
           "把大健康产业培育成为战略性支柱产业和人民群众满意的新兴产业。")
PRINCIPLES = (
    "政府引导,市场主导。强化政府在政策制定、标准建设、行业监管等方面的作用,突出以企业为主体,发挥市场在资源配置中的"
    "决定性作用。",
    "立足优势,突出特色。立足本市独特的自然禀赋和区位交通优势,全面加快健康医疗、健康旅游、健康养老跨越式发展。",
    "紧盯项目,挂图作战。围绕产业提质增效转型升级任务,逐年建设一批重大项目、培育一批龙头企业,加快补齐产业发展短板。",
    "以点带面、突破创新。通过骨干企业、重大项目的示范引领作用,带动产业加快发展。",
)
CLOSING = ("各牵头部门要发挥主导作用,对标对表狠抓任务落实,责任部门要密切配合,积极支持。",)


@dataclass(frozen=True)
class City:
    name: str            # 柳州市
    short: str           # 柳州
    province: str        # 广西壮族自治区
    province_short: str  # 广西
    abbr: str            # 桂
    autonomous: bool


@dataclass(frozen=True)
class Passage:
    """A paragraph of a real plan, with the plan it came from."""

    source: str          # "laibin" or "liuzhou"
    text: str
    base_year: int       # the first year of the source plan's period
    heading: str = ""    # for safeguard items: the section heading above the paragraph


@lru_cache(maxsize=None)
def cities() -> tuple[City, ...]:
    """Every city of the list, its pinyin id unique (a city whose id repeats an earlier one is left out)."""
    seen, found = set(), []
    for province, province_short, abbr, autonomous, names in PROVINCES:
        for short in names.split():
            city_id = agencies.city_id(short + "市")
            if city_id in seen:
                continue
            seen.add(city_id)
            found.append(City(short + "市", short, province, province_short, abbr, autonomous))
    return tuple(found)


# ---------------------------------------------------------------------------------------------------
# The pools: passages of the real plans, read with the extractor
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pools:
    tasks: dict            # industry (or "cross-cutting") -> passages of numbered tasks with a bracket
    cross_headings: tuple  # headings of the cross-cutting task sections, with their passages
    safeguards: tuple      # bracketed safeguard paragraphs (heading + text)
    goals: tuple           # goal paragraphs with targets


@lru_cache(maxsize=None)
def pools() -> Pools:
    tasks: dict[str, list[Passage]] = {industry: [] for industry in INDUSTRIES}
    cross: dict[str, list[Passage]] = {}
    safeguards, goals = [], []
    for source, path in (("laibin", LAIBIN), ("liuzhou", LIUZHOU)):
        records = extract_file(path)
        text = path.read_text(encoding="utf-8")
        base = records["plan"]["period"]["start"]
        sections = {s["id"]: s for s in records["sections"]}
        for task in records["tasks"]:
            if task["bracket"] is None or not task["lead"]:
                continue
            section = sections[task["section"]]
            passage_text = text[task["start"]:task["bracket"]["end"]]
            if "\n" in passage_text:
                continue
            if section["part"] == "tasks" and task["number"]:
                body = re.sub(r"^\d{1,3}\s*[.、．]\s*", "", passage_text)
                passage = Passage(source, body, base)
                if task["industry"] in tasks:
                    tasks[task["industry"]].append(passage)
                else:
                    cross.setdefault(section["heading"], []).append(passage)
            elif section["part"] == "safeguards" and not task["number"]:
                safeguards.append(Passage(source, passage_text, base, section["heading"]))
        for paragraph in paragraphs(text):
            body = paragraph.text
            in_goals = any(s["part"] == "goals" and s["start"] <= paragraph.start < s["end"]
                           for s in records["sections"] if s["level"] == 1)
            if (in_goals and paragraph.kind != "level1"
                    and re.search(r"\d+(?:\.\d+)?\s*(?:万|亿)?(?:个|家|张|%|亩|平方米|元)", body)):
                goals.append(Passage(source, re.sub(r"^[(（][一二三四五六七八九十]+[)）]", "", body), base))
    return Pools({k: tuple(v) for k, v in tasks.items()}, tuple((h, tuple(p)) for h, p in cross.items()),
                 tuple(safeguards), tuple(goals))


# ---------------------------------------------------------------------------------------------------
# Rewriting a passage for another city
# ---------------------------------------------------------------------------------------------------

class Rewriter:
    """Everything a passage needs to become one of this plan's: places, years, numbers, bodies."""

    def __init__(self, rng: random.Random, city: City, start_year: int):
        self.rng, self.city, self.start_year = rng, city, start_year
        taken: set[str] = set()
        self.places: dict[tuple[str, str], str] = {}    # (source, real place) -> invented place
        for source, names in SOURCE_PLACES.items():
            for name in names:
                self.places[(source, name)] = self._invented_place(name, taken)

    def _invented_place(self, real: str, taken: set[str]) -> str:
        while True:
            stem = self.rng.choice(PLACE_FIRST) + self.rng.choice(PLACE_SECOND)
            if stem not in taken and stem not in self.city.short and not stem.startswith(self.city.short[:1]):
                taken.add(stem)
                break
        if real.endswith("新区"):
            return stem + self.rng.choice(ZONE_KINDS)
        if real.endswith(("县", "区")):
            return stem + real[-1]
        return stem

    def rewrite(self, passage: Passage, scale: bool = True) -> str:
        text = passage.text
        for old, new in SOURCE_REPLACEMENTS[passage.source]:
            text = text.replace(old, new)
        for name in sorted(SOURCE_PLACES[passage.source], key=len, reverse=True):
            text = text.replace(name, self.places[(passage.source, name)])
        for real_city in SOURCE_CITY[passage.source]:
            text = text.replace(real_city, self.city.short)
        if self.city.province_short != "广西":
            text = text.replace("广西壮族自治区", self.city.province).replace("广西", self.city.province_short)
            if not self.city.autonomous:
                text = text.replace("自治区", "省")
        text = self.shift_years(text, self.start_year - passage.base_year)
        return self.scale_numbers(text) if scale else text

    @staticmethod
    def shift_years(text: str, offset: int) -> str:
        def shifted(match: re.Match) -> str:
            if match.group(1):
                return str(int(match.group(1)) + offset)
            return match.group(2) + str(int(match.group(3)) + offset)
        return YEAR.sub(shifted, text)

    def scale_numbers(self, text: str) -> str:
        factor = self.rng.choice((0.5, 0.6, 0.75, 0.8, 1.2, 1.25, 1.5, 2, 2.5, 3))
        percent_ahead = re.compile(r"\s*%")

        def scaled(number: str, is_percent: bool) -> str:
            if is_percent and float(number) >= 100:
                return number
            places = len(number.split(".")[1]) if "." in number else 0
            value = float(number) * factor
            if is_percent:
                value = min(value, 99 if places == 0 else 99.9)
            if places:
                value = max(round(value, places), 10 ** -places)
                return f"{value:.{places}f}"
            return str(max(1, int(round(value))))

        def replace(match: re.Match) -> str:
            is_percent = bool(percent_ahead.match(text, match.end()))
            low = scaled(match.group(1), is_percent)
            if not match.group(3):
                return low
            high = scaled(match.group(3), is_percent)
            if float(high) <= float(low):
                high = str(int(float(low)) + 1) if "." not in low else f"{float(low) + 1:.{len(low.split('.')[1])}f}"
            return low + match.group(2) + high
        return QUANTITY.sub(replace, text)

    # -- bodies ---------------------------------------------------------------------------------

    def swap_bodies(self, text: str) -> str:
        """Every body of the responsibility bracket written with another alias of the same body."""
        bracket = find_bracket(text, 0, len(text))
        if not bracket:
            return text
        mentions = parse_bracket(text, bracket[0], bracket[1], self.city.name).mentions
        pieces, last = [], 0
        for mention in sorted(mentions, key=lambda m: m.start):
            pieces.append(text[last:mention.start])
            pieces.append(self.other_alias(mention.written))
            last = mention.end
        pieces.append(text[last:])
        swapped = "".join(pieces)
        return self.relabel(swapped)

    def other_alias(self, written: str) -> str:
        known = tables.known_body(written, self.city.name)
        if known is None or known.kind not in ("municipal-department", "state-owned-enterprise",
                                               "mass-organisation", "county-collective"):
            return written
        choices = [a for a in alias_table()[known.key] if not a.startswith(("市", "委"))]
        if not choices:
            return written
        alias = self.rng.choice(choices)
        if known.kind == "county-collective":
            return alias if written.startswith("各") else written
        for prefix in (self.city.name, self.city.short, "市"):
            if written.startswith(prefix) and not written.startswith("市场"):
                return prefix + alias
        return alias

    def relabel(self, text: str) -> str:
        lead, cooperating = self.rng.choice(LEAD_LABELS), self.rng.choice(COOPERATING_LABELS)
        return text.replace("牵头单位", lead).replace("配合单位", cooperating)

    def alias_of(self, key: str, prefixed: bool = True) -> str:
        alias = self.rng.choice([a for a in alias_table()[key] if not a.startswith(("市", "委"))])
        return ("市" + alias) if prefixed else alias


@lru_cache(maxsize=None)
def alias_table() -> dict[str, tuple[str, ...]]:
    """bodies.tsv key -> its aliases, the odd ones (卫生健康 without a suffix) left out."""
    table = {}
    for row in tables.read_tsv("bodies.tsv"):
        aliases = [a for a in tables.split_list(row["aliases"])
                   if row["kind"] != "municipal-department" or a.endswith(("局", "委", "办", "部", "会", "室"))]
        if row["kind"] == "county-collective":
            aliases = [a for a in aliases if a.endswith("人民政府")]
        table[row["key"]] = tuple(aliases)
    return table


# ---------------------------------------------------------------------------------------------------
# One plan
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanSpec:
    index: int
    city: City
    year: int
    number: int
    file_name: str


def plan_specs(plans: int, seed: int = 0) -> list[PlanSpec]:
    """City, year and document number of each plan: the cities in a seeded order, round after round."""
    order = list(cities())
    random.Random(f"healthkg-synthetic-cities:{seed}").shuffle(order)
    specs = []
    for index in range(plans):
        city = order[index % len(order)]
        year = FIRST_YEAR + index // len(order)
        number = random.Random(f"healthkg-synthetic-number:{seed}:{index}").randint(1, 60)
        city_id = agencies.city_id(city.name)
        specs.append(PlanSpec(index, city, year, number, f"{city_id}-{year}-{number}.txt"))
    return specs


def plan_text(spec: PlanSpec, seed: int = 0) -> str:
    rng = random.Random(f"healthkg-synthetic-plan:{seed}:{spec.index}")
    city, start = spec.city, spec.year
    span = rng.choice((2, 2, 3, 4))
    end = start + span
    kind = rng.choice(PLAN_KINDS if span > 2 else PLAN_KINDS[:3] + PLAN_KINDS[4:])
    if kind == "三年行动计划" and span != 2:
        kind = "行动计划"
    title = f"{city.name}加快大健康产业发展{kind}({start}-{end}年)"
    if rng.random() < 0.5:
        title = title.replace("(", "（").replace(")", "）")
    bracket_style = rng.choice(("〔〕", "〔〕", "[]", "()", "（）"))
    doc_number = f"{city.short[0]}{rng.choice(DOC_KINDS)}{bracket_style[0]}{start}{bracket_style[1]}{spec.number}号"
    rewriter = Rewriter(rng, city, start)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    notice = f"{city.name}人民政府关于印发《{title}》的通知"
    head = []
    if rng.random() < 0.5:
        head += [f"{doc_number} {notice}", notice]
    else:
        head += [f"{city.name}人民政府", f"发文字号: {doc_number} 发布日期:{start}年{month}月{day}日", "", notice, ""]
    head += ["各县(市、区)人民政府,市直各委、办、局,各有关单位:",
             f"《{title}》已经市人民政府同意,现印发给你们,请认真组织实施。", f"{city.name}人民政府",
             f"{start}年{month}月{day}日", "", title]
    preamble = rng.choice(PREAMBLES).format(province=city.province, abbr=city.abbr, cited=start - 1,
                                            cited_no=rng.randint(10, 60), start=start, end=end, kind=kind)
    if city.province_short != "广西" and not city.autonomous:
        preamble = preamble.replace("自治区", "省")
    head.append(preamble)

    level1 = rng.choice(LEVEL1_MARKERS)
    level2 = rng.choice(LEVEL2_MARKERS)
    item = rng.choice(ITEM_MARKERS)
    continuous = rng.random() < 0.5
    numerals = iter(CN_NUMERALS)
    body: list[str] = []

    def heading1(words: str) -> None:
        body.append(level1.format(n=next(numerals)) + words)

    # Goals: guiding thought and targets (one part), or principles then targets (two parts).
    goal_pool = list(pools().goals)
    goal_paragraphs = [rewriter.rewrite(p) for p in rng.sample(goal_pool, k=min(len(goal_pool), rng.randint(2, 4)))]
    if rng.random() < 0.5:
        heading1("总体要求")
        body.append(level2.format(n="一") + GUIDING[3:])
        body.append(level2.format(n="二") + f"工作目标。到{end}年,全市大健康产业发展取得重大突破,"
                    "基本建立起覆盖全生命周期的健康产业体系。")
        body += goal_paragraphs
    else:
        heading1("总体原则")
        body += rng.sample(PRINCIPLES, k=rng.randint(2, len(PRINCIPLES)))
        heading1("主要目标")
        body += goal_paragraphs

    # Tasks: one section per industry (all six, in a shuffled order), then cross-cutting sections.
    heading1(rng.choice(("重点任务", "主要任务")))
    industries = list(INDUSTRIES)
    rng.shuffle(industries)
    sections: list[tuple[str, list[Passage]]] = []
    for industry in industries:
        pool = pools().tasks[industry]
        count = rng.randint(2, min(len(pool), 7))
        sections.append((f"{rng.choice(SECTION_VERBS)}{INDUSTRY_ZH[industry]}产业", rng.sample(pool, k=count)))
    for heading, pool in rng.sample(pools().cross_headings, k=rng.randint(0, 2)):
        sections.append((heading, rng.sample(pool, k=rng.randint(1, len(pool)))))
    number = 0
    for section_index, (heading, passages) in enumerate(sections):
        body.append(level2.format(n=CN_NUMERALS[section_index] if section_index < 10
                                  else "十" + CN_NUMERALS[section_index - 10]) + heading)
        if not continuous:
            number = 0
        for passage in passages:
            number += 1
            body.append(item.format(n=number) + rewriter.swap_bodies(rewriter.rewrite(passage)))

    # Safeguards: organisation (chain leads, the joint-meeting office), then a few bracketed items.
    heading1("保障措施")
    body.append(level2.format(n="一") + "强化组织领导")
    drc = rewriter.alias_of("development-reform-commission")
    leads = list(INDUSTRIES)
    rng.shuffle(leads)
    chain = ",".join(f"{rewriter.alias_of(CHAIN_LEADS[i])}负责牵头抓{INDUSTRY_ZH[i]}产业发展" for i in leads)
    body.append(f"进一步做好全市大健康产业发展工作综合统筹,明确部门职责,健全{city.name}大健康产业发展工作部门联席会议制度,"
                f"联席会议办公室设在{drc}。{drc}要切实做好大健康产业发展综合统筹、协调、督促等工作,{chain}。"
                + CLOSING[0])
    for index, passage in enumerate(rng.sample(pools().safeguards, k=rng.randint(1, 3)), start=2):
        body.append(level2.format(n=CN_NUMERALS[index - 1]) + passage.heading)
        body.append(rewriter.swap_bodies(rewriter.rewrite(passage)))
    tail = rng.choice(([], ["公开方式:主动公开"], ["", "相关链接"]))

    style = rng.choice(("half", "full", "mixed"))
    if style == "full":
        body = [line.translate(FULL_WIDTH) for line in body]
    elif style == "half":
        body = [line.translate(HALF_WIDTH) for line in body]
    return "\n".join(head + body + tail) + "\n"


def write_corpus(folder: Path, plans: int, seed: int = 0) -> list[Path]:
    """Write `plans` plan texts (UTF-8) into `folder`; return their paths, sorted by name."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in plan_specs(plans, seed):
        path = folder / spec.file_name
        path.write_bytes(plan_text(spec, seed).encode("utf-8"))
        written.append(path)
    return sorted(written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m healthkg.graph.bench.synthetic",
                                     description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--plans", type=int, required=True, help="number of plans to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="folder to write the plan texts into")
    args = parser.parse_args(argv)
    if args.plans < 1:
        parser.error("--plans must be at least 1")
    files = write_corpus(args.out, args.plans, args.seed)
    print(f"{len(files)} plan texts written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
