"""Quantitative targets in the goals part and inside tasks: value, unit, comparator, year, object.

A target is a number with a unit from data/units.tsv (`建成10个养老服务示范机构`, `占比达50%以上`,
`约720亿元`). Not targets: dates and years, document numbers, durations, ages, ordinals, numbers inside
quotes or titles, the size of a thing whose count is the target (`一个500张床位养老项目`), and the
thresholds of eligibility rules and building standards (`500张以上的项目`, `按不低于15平方米的标准`).
"""
import re
from decimal import Decimal
from functools import lru_cache

from graph import tables

NUMBER = r"\d+(?:\.\d+)?"
CN_NUMERAL = "一二两三四五六七八九十"
MULTIPLIERS = {"千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6, "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
# A count written in Chinese numerals is a target only after a verb (`新建一个`) or before 以上;
# elsewhere it is part of a name (`中医一条街`, `铁人三项赛`, `一次性`).
CN_VERB_ENDINGS = "建设成育造进增有办创现组入争定展举养引改扩"
CN_VALUES = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
AT_LEAST_AFTER = ("及以上", "以上")
AT_MOST_AFTER = ("以下", "以内")
ABOUT_AFTER = ("左右",)
AT_LEAST_BEFORE = ("不低于", "不少于", "至少", "突破", "超过", "超", "达到以上")
AT_MOST_BEFORE = ("不超过", "不高于", "控制在", "低于")
ABOUT_BEFORE = ("约", "近", "大约")
# Characters that end the noun phrase after a count (`10个老年宜居社区、8个…`), and a clause.
OBJECT_STOP = "、，,；;。：:（(）)“”《》"
CLAUSE_STOP = "，,；;。：:"
# Reading back from a quantity to its object (`每千常住人口执业（助理）医师数达到2.6人`): brackets stay.
BACKWARD_STOP = "、，,；;。：:“”《》"
# Verbs and frames stripped from the front of an object written before its quantity.
LEADING_WORDS = re.compile(
    r"^(?:力争|确保|争取|基本|全面|实现|全市|我市|全区|全县|市级|累计|其中|年|每年|到?\d{4}年[底末]?(?:以?前)?|"
    r"新建|建成|建设|培育|打造|创建|完成|达到|达|发展到|提高到|增加到|增长到|保持|稳定在|超过|突破|不低于|"
    r"引进|新增|形成|有|开展|举办|组织|推进|实施)+")
VERB_BEFORE_QUANTITY = re.compile(r"(?:达到|达|发展到|提高到|增加到|增长到|保持在?|稳定在|超过|突破|不低于|不少于|控制在|约)$")
YEAR = re.compile(r"(?:(\d{4})\s*[-—–~至]\s*)?(\d{4})\s*年(?!\d)")
DOC_NUMBER = re.compile(r"[〔\[［]\s*\d{4}\s*[〕\]］]\s*\d+\s*号")


@lru_cache(maxsize=None)
def _units() -> dict[str, dict]:
    return {row["unit"]: row for row in tables.read_tsv("units.tsv")}


@lru_cache(maxsize=None)
def _quantity_pattern() -> re.Pattern:
    units = "|".join(re.escape(u) for u in sorted(_units(), key=len, reverse=True))
    multipliers = "|".join(MULTIPLIERS)
    return re.compile(
        rf"(?P<number>{NUMBER})(?:\s*[-~～—–至到]\s*(?P<upper>{NUMBER}))?\s*(?P<mult>{multipliers})?(?P<unit>{units})"
        rf"|(?:(?<=[{CN_VERB_ENDINGS}])|(?=[{CN_NUMERAL}](?:个|家|所|座|处|条|项)以上))"
        rf"(?P<cn>[{CN_NUMERAL}])(?P<cnunit>个|家|所|座|处|条|项|次)(?!窗口|性|一)")


@lru_cache(maxsize=None)
def _indicators() -> list[tuple[re.Pattern, dict]]:
    return [(re.compile(row["pattern"]), row) for row in tables.read_tsv("indicators.tsv")]


def find_targets(text: str, tasks: list[dict], goal_paragraphs) -> list[dict]:
    goals, year = [], None
    for paragraph in goal_paragraphs:
        found = _targets_in(text, paragraph.start, paragraph.end, year, carry_year=True)
        goals.extend(found)
        year = _year_before(text, paragraph.start, paragraph.end, year, _masked(text, paragraph.start, paragraph.end),
                            carry_year=True)
    targets = _numbered(goals, None, "goals")
    for task in tasks:
        stop = task["bracket"]["start"] if task["bracket"] else task["end"]
        found = _targets_in(text, task["start"], stop, None, carry_year=False)
        targets.extend(_numbered(found, task["id"], task["id"]))
    return targets


def _numbered(found: list[dict], task_id: str | None, owner: str) -> list[dict]:
    for index, target in enumerate(found, 1):
        target["id"] = f"{owner}-g{index}"
        target["task"] = task_id
    return [{k: t[k] for k in ("id", "task", "object", "indicator", "indicator_id", "value", "value_max", "unit",
                               "dimension", "comparator", "year", "text", "start", "end")} for t in found]


def _masked(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Spans inside quotes, book titles, document numbers and brackets that hold a year range."""
    spans = []
    pairs = {"“": "”", "《": "》", "<": ">", "‘": "’", "\"": "\""}
    position = start
    while position < stop:
        char = text[position]
        if char in pairs:
            close = text.find(pairs[char], position + 1, stop)
            if close > 0:
                spans.append((position, close + 1))
                position = close + 1
                continue
        position += 1
    spans += [(m.start(), m.end()) for m in DOC_NUMBER.finditer(text, start, stop)]
    return spans


def _targets_in(text: str, start: int, stop: int, year: int | None, carry_year: bool) -> list[dict]:
    masked = _masked(text, start, stop)
    found = []
    for match in _quantity_pattern().finditer(text, start, stop):
        if any(a <= match.start() < b for a, b in masked):
            continue
        due = _year_before(text, start, match.start(), year, masked, carry_year)
        target = _target(text, match, start, stop, due)
        if target:
            found.append(target)
    return found


def _year_before(text: str, start: int, position: int, default: int | None, masked, carry_year: bool) -> int | None:
    """The due year: the last year named before the quantity in its sentence (an annual `每年` target
    has none). In the goals part a year carries over to the sentences and paragraphs after it."""
    clause_start = max(start, max(text.rfind(c, start, position) for c in "。；;") + 1)
    if "每年" in text[clause_start:position]:
        return None
    sentence_start = start if carry_year else max(start, text.rfind("。", start, position) + 1)
    years = [m for m in YEAR.finditer(text, sentence_start, position) if not any(a <= m.start() < b for a, b in masked)]
    years = [m for m in years if not text[m.end():m.end() + 1] in "的"]
    return int(years[-1].group(2)) if years else default


def _target(text: str, match: re.Match, start: int, stop: int, year: int | None) -> dict | None:
    if match.group("cn"):
        value, upper, multiplier, unit = Decimal(CN_VALUES[match.group("cn")]), None, Decimal(1), match.group("cnunit")
    else:
        if _is_date_or_ordinal(text, match, start):
            return None
        value = Decimal(match.group("number"))
        upper = Decimal(match.group("upper")) if match.group("upper") else None
        multiplier = MULTIPLIERS.get(match.group("mult") or "", Decimal(1))
        unit = match.group("unit")
    after = text[match.end():stop]
    before = text[start:match.start()]
    if _is_qualifier(text, match, before, after, start):
        return None
    comparator, suffix = _comparator(before, after)
    quantity_end = match.end() + len(suffix)
    obj, obj_start, obj_end = _object(text, match.start(), quantity_end, start, stop, unit)
    if not obj:
        return None
    span_start, span_end = min(match.start(), obj_start), max(quantity_end, obj_end)
    prefix = _comparator_prefix(before)
    span_start = min(span_start, match.start() - len(prefix)) if prefix and obj_start >= match.start() else span_start
    indicator, indicator_id = _indicator(obj, unit)
    return {"object": obj, "indicator": indicator, "indicator_id": indicator_id,
            "value": _number(value * multiplier), "value_max": _number(upper * multiplier) if upper else None,
            "unit": unit, "dimension": _units().get(unit, {}).get("dimension", "count"), "comparator": comparator,
            "year": year, "text": text[span_start:span_end], "start": span_start, "end": span_end}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def _is_date_or_ordinal(text: str, match: re.Match, start: int) -> bool:
    before = text[max(start, match.start() - 1):match.start()]
    after = text[match.end():match.end() + 2]
    unit = match.group("unit")
    if before == "第":
        return True
    if re.match(r"\d*\s*[:：]\s*\d", text[match.start():match.end() + 3]):  # ratios such as 1:1
        return True
    # 6月30日 and similar: a unit-less number next to 月/日 never reaches here, but 30日 could in theory.
    return unit in ("个", "次") and after.startswith(("月", "工作日"))


def _is_qualifier(text: str, match: re.Match, before: str, after: str, start: int) -> bool:
    """The number describes something else rather than being the target itself."""
    unit = match.group("unit") or match.group("cnunit")
    tail = after.lstrip()
    # 500张以上的项目, 以上的见习单位, 每百户不低于15平方米的标准: a relative clause or a standard.
    if re.match(r"(以上|以下|及以上)?的", tail) and not (unit == "%" and tail.startswith("的")):
        return True
    if tail.startswith(("标准", "的标准")):
        return True
    clause = re.split(r"[，,;；。]", before)[-1]
    if re.search(r"(少于|大于|小于|多于|超出)$", clause) or re.search(r"按照?(不低于|不少于|不超过|每|人均)", clause):
        return True
    # The size of a thing that is itself counted: 一个500张床位养老项目, 1家以上10亿元产值企业.
    if re.search(rf"(?:\d+|[{CN_NUMERAL}])(?:个|家|所|座|处)(?:以上)?$", before):
        return True
    # 过亿元 / 年产值过亿元: a threshold in the name of a class of firms.
    return bool(re.search(r"(年龄|岁|周岁)$", before))


def _comparator(before: str, after: str) -> tuple[str, str]:
    """(comparator, the suffix that belongs to the quantity, e.g. 以上)."""
    for words, symbol in ((AT_LEAST_AFTER, ">="), (AT_MOST_AFTER, "<="), (ABOUT_AFTER, "~")):
        for word in words:
            if after.startswith(word):
                return symbol, word
    prefix = _comparator_prefix(before)
    if not prefix and re.search(r"(至少|最少)[\u4e00-\u9fff]{0,3}$", before):
        return ">=", ""
    if prefix:
        return (">=" if prefix in AT_LEAST_BEFORE else "<=" if prefix in AT_MOST_BEFORE else "~"), ""
    return "=", ""


def _comparator_prefix(before: str) -> str:
    for word in sorted(AT_MOST_BEFORE + AT_LEAST_BEFORE + ABOUT_BEFORE, key=len, reverse=True):
        if before.endswith(word):
            return word
    return ""


def _object(text: str, q_start: int, q_end: int, start: int, stop: int, unit: str) -> tuple[str, int, int]:
    """What is counted: the noun phrase after the count (`10个老年宜居社区`) or, when the quantity
    closes its phrase (`床位达35张`), the words before it."""
    after_start = q_end
    if text.startswith("的", after_start) and unit == "%":
        after_start += 1
    following = text[after_start:after_start + 1]
    if following and ("\u4e00" <= following <= "\u9fff" or following.isalnum()) and following not in "和及与等或":
        # Read to the end of the clause or the next count, then keep what follows the last 的
        # (`2-3个温泉度假、森林康养等多种类型的特色旅游小镇`) or else the first item of a 、 list.
        end = after_start
        while end < stop and text[end] not in CLAUSE_STOP and not _next_count(text, end):
            end += 1
        phrase = text[after_start:end]
        cut = phrase.rfind("的") + 1 if "的" in phrase else 0
        phrase = phrase[cut:]
        phrase = re.split(rf"[{OBJECT_STOP}]", phrase)[0]
        phrase = re.sub(r"(等一批.*|等.*|建设|工作|每年)$", "", phrase.lstrip("等")) or phrase
        return phrase, after_start + cut, after_start + cut + len(phrase)
    begin = q_start
    while begin > start and text[begin - 1] not in BACKWARD_STOP:
        begin -= 1
    phrase = text[begin:q_start]
    phrase = VERB_BEFORE_QUANTITY.sub("", phrase)
    stripped = LEADING_WORDS.sub("", phrase)
    if "的" in stripped:
        stripped = stripped[stripped.rfind("的") + 1:]
    stripped = re.sub(r"(?:至少|力争)?(?:建成|完成|培育|新建|打造|实现|达到|达|为|保持在?)$", "", stripped)
    stripped = re.sub(r"每年$", "", stripped.lstrip("等"))
    offset = text.find(stripped, begin, q_start) if stripped else -1
    return (stripped, offset, offset + len(stripped)) if offset >= 0 else ("", q_start, q_start)


def _next_count(text: str, position: int) -> bool:
    """、/和/及/与 followed by another count starts the next target: `10个社区和8个中心`."""
    return text[position] in "、和及与" and bool(_quantity_pattern().match(text, position + 1))


def _indicator(obj: str, unit: str) -> tuple[str, str | None]:
    for pattern, row in _indicators():
        if pattern.search(obj):
            return row["zh"], row["id"]
    name = re.sub(r"^(全市|我市|全区|全县|市级以上?)", "", obj)
    if _units().get(unit, {}).get("dimension") == "area" and not name.endswith("面积"):
        name += "面积"
    return name, None
