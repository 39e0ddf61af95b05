"""Quantitative targets in the goals part and inside tasks: value, unit, comparator, year, object.

A target is a number with a unit from data/units.tsv (`建成10个养老服务示范机构`, `占比达50%以上`,
`约720亿元`). Not targets: dates and years, document numbers, durations, ages, ordinals, numbers inside
quotes or titles, the size of a thing whose count is the target (`一个500张床位养老项目`), and the
thresholds of eligibility rules and building standards (`500张以上的项目`, `按不低于15平方米的标准`).

Every mention is a record with its own span. On top of that: a recurring target keeps its frequency
(`每年举办1-2次`: per year); a task's target with no year of its own gets the plan's target year as
`inferred_year`; and a mention that states again a target stated earlier in the plan (same indicator,
value, range, comparable unit, year or inferred year, comparator and frequency) names it in `restates`.
"""
import re
from bisect import bisect_left, bisect_right
from decimal import Decimal
from functools import lru_cache

from healthkg.graph.extract import tables

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
VERB_BEFORE_QUANTITY = re.compile(r"(?:达到|达|发展到|提高到|增加到|增长到|保持在?|稳定在|超过|突破|不低于|不少于|"
                                  r"控制在|约)$")
YEAR = re.compile(r"(?:(\d{4})\s*[-—–~至]\s*)?(\d{4})\s*年(?!\d)")
DOC_NUMBER = re.compile(r"[〔\[［]\s*\d{4}\s*[〕\]］]\s*\d+\s*号")
# Looked up per paragraph once (see _Span).
OPENING_QUOTE = re.compile("[“《<‘\"]")
CLAUSE_END = re.compile("[。；;]")
FULL_STOP = re.compile("。")
EVERY_YEAR = re.compile("每年")
QUALIFIER_BREAK = re.compile("[，,;；。]")
BACKWARD_STOP_CHAR = re.compile(f"[{re.escape(BACKWARD_STOP)}]")
OBJECT_END_CANDIDATE = re.compile(f"[{re.escape(CLAUSE_STOP)}、和及与]")
BY_RULE = re.compile(r"按照?(不低于|不少于|不超过|每|人均)")
YEAR_RUN = re.compile(r"[\d\s\-—–~至]+")      # the characters a YEAR match is made of, 年 aside
# How often a recurring target is due: 每年, 每两年, 每半年, 每季度, 每个月, 每周, 每天 ... It holds for
# the quantities after it in its sentence, up to a year named in between (`每年举办1~2次…会，组织2~3次…`).
FREQUENCY = re.compile(r"每(?:(?P<n>[两二三四五六七八九十]|\d+)个?|个)?(?P<period>半年|年度?|季度?|月|周|星期|天|日)")
PERIODS = {"年": "year", "年度": "year", "半年": "half-year", "季": "quarter", "季度": "quarter", "月": "month",
           "周": "week", "星期": "week", "天": "day", "日": "day"}
# An annual flow written with a leading 年 (`年出栏家禽660万羽`, `年接待游客`, `年均增长`): per year,
# within its clause. A 年 after a digit or numeral closes a date (`2022年产值`), not a flow.
ANNUAL_FLOW = re.compile(r"(?<![\d一二三四五六七八九十〇零每])年(?:均|出栏|产量|产值|接待|销售|营业收入|收入|新增)")
# Verbs an indicator name never starts with (`1个以上培育国家森林康养基地`, `至少培育和引入养老服务品牌`).
INDICATOR_VERBS = re.compile(r"^(?:至少|力争)?(?:(?:培育|引进|引入|新建|建成|打造|创建|争创)(?:和|或|及|并)?)+")
# Units that are measure words (个, 家, 所, 次 ...; 人, 名) name the same count whatever the word: 2个 and
# 2家 森林康养体验基地 are one figure. Units with a scale (亩, 公顷, 元, %) are compared as written.
COUNTED_DIMENSIONS = ("count", "people")
NEAR = 8                  # characters around a quantity its comparator and qualifier checks read (at most 6)
OBJECT_REACH = 200        # an object is read within this many characters of its quantity


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


@lru_cache(maxsize=None)
def _spellings() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(row["pattern"]), row["replacement"]) for row in tables.read_tsv("indicator_spellings.tsv")]


def find_targets(text: str, tasks: list[dict], goal_paragraphs, plan_end: int | None = None) -> list[dict]:
    """Every target mention, in text order (the goals part comes before the tasks). `plan_end`, the last
    year of the plan's period, is the year a task's target with no year of its own is due by."""
    goals, year = [], None
    for paragraph in goal_paragraphs:
        span = _Span(text, paragraph.start, paragraph.end)
        goals.extend(_targets_in(span, year, carry_year=True))
        year = span.year_before(paragraph.end, year, carry_year=True)
    targets = _numbered(goals, None, "goals")
    for task in tasks:
        stop = task["bracket"]["start"] if task["bracket"] else task["end"]
        found = _targets_in(_Span(text, task["start"], stop), None, carry_year=False)
        targets.extend(_numbered(found, task["id"], task["id"]))
    _infer_years(targets, plan_end)
    _link_restatements(targets)
    return targets


def _numbered(found: list[dict], task_id: str | None, owner: str) -> list[dict]:
    for index, target in enumerate(found, 1):
        target["id"] = f"{owner}-g{index}"
        target["task"] = task_id
        target["inferred_year"] = target["restates"] = None
    return [{k: t[k] for k in ("id", "task", "object", "indicator", "indicator_id", "value", "value_max", "unit",
                               "dimension", "comparator", "per", "year", "inferred_year", "restates", "text",
                               "start", "end")} for t in found]


def _infer_years(targets: list[dict], plan_end: int | None) -> None:
    """A task's target that names no year and does not recur is due by the plan's target year: the end of
    its period, else the latest year of the goals part's targets. Kept apart from `year` (what the
    text says) as `inferred_year`."""
    goal_years = [t["year"] for t in targets if t["task"] is None and t["year"] is not None]
    due = plan_end if plan_end is not None else max(goal_years, default=None)
    for target in targets:
        if target["task"] is not None and target["year"] is None and target["per"] is None:
            target["inferred_year"] = due


def comparable_unit(unit: str) -> str:
    """The unit two figures must share to be compared: the dimension of a measure word (count, people),
    else the unit as written."""
    dimension = _units().get(unit, {}).get("dimension", "count")
    return dimension if dimension in COUNTED_DIMENSIONS else unit


def _restatement_key(target: dict) -> tuple:
    year = target["year"] if target["year"] is not None else target["inferred_year"]
    return (target["indicator_id"] or target["indicator"], target["value"], target["value_max"],
            comparable_unit(target["unit"]), year, target["comparator"], target["per"])


def _link_restatements(targets: list[dict]) -> None:
    """A mention that states again a target stated before it in the plan (the goals part's figure
    repeated in a task, or one task's figure in another) names the first mention in `restates`."""
    first: dict[tuple, str] = {}
    for target in targets:
        key = _restatement_key(target)
        if key in first:
            target["restates"] = first[key]
        else:
            first[key] = target["id"]


def _masked(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Spans inside quotes, book titles, document numbers and brackets that hold a year range."""
    spans = []
    pairs = {"“": "”", "《": "》", "<": ">", "‘": "’", "\"": "\""}
    unclosed = set()      # a quote that does not close here closes nowhere later either: not searched again
    opening = OPENING_QUOTE.search(text, start, stop)
    while opening:
        position, char = opening.start(), opening.group()
        if char not in unclosed:
            close = text.find(pairs[char], position + 1, stop)
            if close > 0:
                spans.append((position, close + 1))
                opening = OPENING_QUOTE.search(text, close + 1, stop)
                continue
            unclosed.add(char)
        opening = OPENING_QUOTE.search(text, position + 1, stop)
    spans += [(m.start(), m.end()) for m in DOC_NUMBER.finditer(text, start, stop)]
    return spans


def _positions(pattern: re.Pattern, text: str, start: int, stop: int) -> list[int]:
    return [m.start() for m in pattern.finditer(text, start, stop)]


def _last_before(positions: list[int], position: int) -> int:
    """The last of the sorted positions that is < position; -1 if none."""
    index = bisect_left(positions, position)
    return positions[index - 1] if index else -1


class _Span:
    """One paragraph or task text, text[start:stop], with what the checks of each of its quantities look
    up (masked spans, clause and sentence ends, years, 每年, 按…标准 rules, the ends of objects) found once,
    so that a quantity costs time in proportion to its own neighbourhood, not to the paragraph: a
    paragraph of 1 MB full of numbers took minutes when each quantity searched back to its start."""

    def __init__(self, text: str, start: int, stop: int):
        self.text, self.start, self.stop = text, start, stop
        merged: list[list[int]] = []
        for a, b in sorted(_masked(text, start, stop)):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self._mask_starts, self._mask_ends = [a for a, _ in merged], [b for _, b in merged]
        self._clause_ends = _positions(CLAUSE_END, text, start, stop)
        self._full_stops = _positions(FULL_STOP, text, start, stop)
        self._every_year = _positions(EVERY_YEAR, text, start, stop)
        frequencies = [m for m in FREQUENCY.finditer(text, start, stop) if not self.masked(m.start())]
        self._frequency_starts = [m.start() for m in frequencies]
        self._frequencies = [(m.end(), _period(m)) for m in frequencies]
        flows = [m for m in ANNUAL_FLOW.finditer(text, start, stop) if not self.masked(m.start())]
        self._flow_starts = [m.start() for m in flows]
        self._qualifier_breaks = _positions(QUALIFIER_BREAK, text, start, stop)
        self._backward_stops = _positions(BACKWARD_STOP_CHAR, text, start, stop)
        rules = list(BY_RULE.finditer(text, start, stop))
        self._rule_starts, self._rule_ends = [m.start() for m in rules], [m.end() for m in rules]
        years = [m for m in YEAR.finditer(text, start, stop) if self._valid_year(m)]
        self._year_starts, self._years = [m.start() for m in years], [int(m.group(2)) for m in years]
        runs = list(YEAR_RUN.finditer(text, start, stop))
        self._run_starts, self._run_ends = [m.start() for m in runs], [m.end() for m in runs]
        self._object_ends: list[int] | None = None

    def masked(self, position: int) -> bool:
        index = bisect_right(self._mask_starts, position) - 1
        return index >= 0 and position < self._mask_ends[index]

    def _valid_year(self, match: re.Match) -> bool:
        return not self.masked(match.start()) and self.text[match.end():match.end() + 1] not in "的"

    def year_before(self, position: int, default: int | None, carry_year: bool) -> int | None:
        """The due year: the last year named before the quantity in its sentence (an annual `每年` target
        has none, unless a year is named after the 每年: `每年培训500名，到2023年建成2个`). In the goals part a
        year carries over to the sentences and paragraphs after it."""
        clause_start = max(self.start, _last_before(self._clause_ends, position) + 1)
        every_year = _last_before(self._every_year, position - 1)    # 每年 ending by `position`
        if every_year >= clause_start and _last_before(self._year_starts, position) < every_year:
            return None
        sentence_start = self.start if carry_year else max(self.start, _last_before(self._full_stops, position) + 1)
        # The years YEAR.finditer finds in text[sentence_start:position]. Before the last character no
        # year can hold (not a digit, space or dash) ending by position - 2, they are those found in the
        # whole span; the digits, spaces and dashes after it are searched again in the text cut at the
        # quantity, which can differ there: in `2025年10个` the text cut at 10个 names 2025, but in the
        # whole span the 1 after 年 stops that match.
        run = bisect_right(self._run_starts, position - 2) - 1
        resume = self._run_starts[run] if run >= 0 and position - 2 < self._run_ends[run] else position - 1
        resume = max(sentence_start, resume)
        local = [m for m in YEAR.finditer(self.text, resume, position) if self._valid_year(m)]
        if local:
            return int(local[-1].group(2))
        index = bisect_left(self._year_starts, resume) - 1
        return self._years[index] if index >= 0 and self._year_starts[index] >= sentence_start else default

    def per(self, position: int) -> str | None:
        """How often the quantity at `position` recurs: the last frequency before it in its sentence with
        no year named between them, or an annual flow (年出栏…) in its clause; None for a one-off."""
        index = bisect_left(self._frequency_starts, position) - 1
        if index >= 0:
            end, period = self._frequencies[index]
            sentence_start = _last_before(self._clause_ends, position) + 1
            year = bisect_left(self._year_starts, end)
            no_year_between = year == len(self._year_starts) or self._year_starts[year] >= position
            if end <= position and self._frequency_starts[index] >= sentence_start and no_year_between:
                return period
        flow = _last_before(self._flow_starts, position)
        return "year" if flow >= 0 and flow >= self.clause_start(position) else None

    def clause_start(self, position: int) -> int:
        """Where the clause holding `position` starts (after the last ，,;；。 before it)."""
        return max(self.start, _last_before(self._qualifier_breaks, position) + 1)

    def rule_in(self, begin: int, end: int) -> bool:
        """Whether text[begin:end] holds a 按/按照 rule (按不低于, 按每, 按人均 ...)."""
        index = bisect_right(self._rule_ends, end) - 1
        return index >= 0 and self._rule_starts[index] >= begin

    def backward_begin(self, position: int) -> int:
        """Where an object written before its quantity starts: after the last 、，,；;。：:“”《》 before it,
        at most OBJECT_REACH characters back."""
        return max(self.start, _last_before(self._backward_stops, position) + 1, position - OBJECT_REACH)

    def forward_end(self, position: int) -> int:
        """Where an object written after its quantity ends: at the end of its clause or where the next
        count starts (`10个社区和8个中心`), at most OBJECT_REACH characters on."""
        if self._object_ends is None:
            self._object_ends = [p for p in _positions(OBJECT_END_CANDIDATE, self.text, self.start, self.stop)
                                 if self.text[p] in CLAUSE_STOP or _next_count(self.text, p)]
        index = bisect_left(self._object_ends, position)
        end = self._object_ends[index] if index < len(self._object_ends) else self.stop
        return min(end, position + OBJECT_REACH)


def _targets_in(span: _Span, year: int | None, carry_year: bool) -> list[dict]:
    found = []
    for match in _quantity_pattern().finditer(span.text, span.start, span.stop):
        if span.masked(match.start()):
            continue
        due = span.year_before(match.start(), year, carry_year)
        target = _target(span, match, due)
        if target:
            found.append(target)
    return found


def _target(span: _Span, match: re.Match, year: int | None) -> dict | None:
    text, start, stop = span.text, span.start, span.stop
    if match.group("cn"):
        value, upper, multiplier, unit = Decimal(CN_VALUES[match.group("cn")]), None, Decimal(1), match.group("cnunit")
    else:
        if _is_date_or_ordinal(text, match, start):
            return None
        value = Decimal(match.group("number"))
        upper = Decimal(match.group("upper")) if match.group("upper") else None
        multiplier = MULTIPLIERS.get(match.group("mult") or "", Decimal(1))
        unit = match.group("unit")
    # The words right around the quantity: every check of them reads a few characters at most.
    after = text[match.end():min(stop, match.end() + NEAR)]
    before = text[max(start, match.start() - NEAR):match.start()]
    if _is_qualifier(span, match, before):
        return None
    comparator, suffix = _comparator(before, after)
    quantity_end = match.end() + len(suffix)
    obj, obj_start, obj_end = _object(span, match.start(), quantity_end, unit)
    if not obj:
        return None
    span_start, span_end = min(match.start(), obj_start), max(quantity_end, obj_end)
    prefix = _comparator_prefix(before)
    span_start = min(span_start, match.start() - len(prefix)) if prefix and obj_start >= match.start() else span_start
    indicator, indicator_id = _indicator(obj, unit)
    return {"object": obj, "indicator": indicator, "indicator_id": indicator_id,
            "value": _number(value * multiplier), "value_max": _number(upper * multiplier) if upper else None,
            "unit": unit, "dimension": _units().get(unit, {}).get("dimension", "count"), "comparator": comparator,
            "per": span.per(match.start()), "year": year,
            "text": text[span_start:span_end], "start": span_start, "end": span_end}


def _period(match: re.Match) -> str:
    """每年 -> "year", 每两年 -> "2 years", 每半年 -> "half-year", 每3个月 -> "3 months"."""
    period, count = PERIODS[match.group("period")], match.group("n")
    number = int(count) if count and count.isdigit() else CN_VALUES.get(count or "一", 1)
    return period if number == 1 else f"{number} {period}s"


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


def _is_qualifier(span: _Span, match: re.Match, before: str) -> bool:
    """The number describes something else rather than being the target itself. `before` holds the
    last NEAR characters before the quantity."""
    text = span.text
    unit = match.group("unit") or match.group("cnunit")
    tail_start = match.end()
    while tail_start < span.stop and text[tail_start].isspace():
        tail_start += 1
    tail = text[tail_start:min(span.stop, tail_start + NEAR)]
    # 500张以上的项目, 以上的见习单位, 每百户不低于15平方米的标准: a relative clause or a standard.
    if re.match(r"(以上|以下|及以上)?的", tail) and not (unit == "%" and tail.startswith("的")):
        return True
    if tail.startswith(("标准", "的标准")):
        return True
    clause_start = span.clause_start(match.start())
    if re.search(r"(少于|大于|小于|多于|超出)$", text[max(clause_start, match.start() - NEAR):match.start()]) \
            or span.rule_in(clause_start, match.start()):
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


def _object(span: _Span, q_start: int, q_end: int, unit: str) -> tuple[str, int, int]:
    """What is counted: the noun phrase after the count (`10个老年宜居社区`) or, when the quantity
    closes its phrase (`床位达35张`), the words before it."""
    text = span.text
    after_start = q_end
    if text.startswith("的", after_start) and unit == "%":
        after_start += 1
    following = text[after_start:after_start + 1]
    if following and ("\u4e00" <= following <= "\u9fff" or following.isalnum()) and following not in "和及与等或":
        # Read to the end of the clause or the next count, then keep what follows the last 的
        # (`2-3个温泉度假、森林康养等多种类型的特色旅游小镇`) or else the first item of a 、 list.
        phrase = text[after_start:span.forward_end(after_start)]
        cut = phrase.rfind("的") + 1 if "的" in phrase else 0
        phrase = phrase[cut:]
        phrase = re.split(rf"[{OBJECT_STOP}]", phrase)[0]
        phrase = re.sub(r"(等一批.*|等.*|建设|工作|每年)$", "", phrase.lstrip("等")) or phrase
        return phrase, after_start + cut, after_start + cut + len(phrase)
    begin = span.backward_begin(q_start)
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


def indicator_name(obj: str) -> str:
    """The object as an indicator name: one spelling of the words written several ways
    (data/indicator_spellings.tsv), one kind of bracket, no spaces, no leading scope or verb."""
    name = re.sub(r"\s+", "", tables.normalise_brackets(obj))
    name = re.sub(r"^(全市|我市|全区|全县|市级以上?)", "", name)
    name = INDICATOR_VERBS.sub("", name) or name
    for pattern, replacement in _spellings():
        name = pattern.sub(replacement, name)
    return name


def _indicator(obj: str, unit: str) -> tuple[str, str | None]:
    name = indicator_name(obj)
    for pattern, row in _indicators():
        if pattern.search(obj) or pattern.search(name):
            return row["zh"], row["id"]
    if _units().get(unit, {}).get("dimension") == "area" and not name.endswith("面积"):
        name += "面积"
    return name, None
