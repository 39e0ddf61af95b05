"""A deadline written in a responsibility bracket -> {text, date, kind, start, end}.

`2022年6月底前完成` is by-date 2022-06-30 (the last day of the period named), `2021年底前` 2021-12-31,
`2023年上半年` 2023-06-30, `2022年第三季度` 2022-09-30; `长期坚持`, `持续推进`, `2021年起` are ongoing (no
date); `每年`, `每季度` are recurring (no date). A clause is a deadline only when the whole clause is one:
`市民政局负责` or `含技工学校` never are.
"""
import calendar
import re

from healthkg.graph.extract.layout import CN_DIGITS, chinese_number

NUMERAL = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
YEAR = r"(?P<year>(?:19|20)\d{2})\s*年"
# The period named after the year: a day, a month, a quarter, a half, the year's end, or nothing.
PERIOD = (r"(?:(?P<month>" + NUMERAL + r")\s*月(?:份)?\s*(?:(?P<day>" + NUMERAL + r")\s*日)?"
          r"|(?:第)?(?P<quarter>[一二三四1-4])\s*季度|(?P<half>上半年|下半年)|年?[底末]|度|内)?")
RANGE = r"(?:(?:19|20)\d{2}\s*(?:年)?\s*[-－—–~～至到]\s*)"
DATE = re.compile(r"(?:到|至|于|在|截至|截止)?\s*" + RANGE + r"?" + YEAR + PERIOD)
DATE_TAIL = re.compile(r"\s*(?:[底末]|以前|之前|前|内|止|为止)?\s*(?:前)?\s*"
                       r"(?:基本|全面|全部|逐步|如期|按期|陆续|)?\s*"
                       r"(?:完成|建成|实现|落实|到位|出台|启动|推进|见效|取得[^，,；;]{0,6}|)\s*(?:任务|工作|)\s*$")
STARTING = re.compile(r"^\s*" + YEAR + r"(?:\d{1,2}月)?\s*(?:起|开始|以来)")
ONGOING = re.compile(r"^\s*(?:[\w]{0,6}?)(长期坚持|长期推进|长期实施|长期|持续推进|持续实施|持续开展|持续|"
                     r"常态化(?:推进|开展|实施)?|逐步推进|逐年推进|不断推进|稳步推进|久久为功)")
RECURRING = re.compile(r"^\s*(每年|每季度|每个季度|每半年|每月|每两年|每三年|每年度|年度)")
# What never follows a date in a deadline clause: a body's name.
BODY_WORD = re.compile(r"(局|委|厅|部|办|政府|中心|单位|负责|牵头|配合)")


def parse(text: str, start: int, end: int) -> dict | None:
    """The deadline that text[start:end] (a whole clause) states, or None when it is not one."""
    clause = text[start:end]
    stripped = clause.strip(" \t\n\u3000")
    if not stripped or len(stripped) > 40:
        return None
    offset = start + clause.index(stripped)
    record = {"text": stripped, "date": None, "kind": None, "start": offset, "end": offset + len(stripped)}
    if RECURRING.match(stripped) and not re.search(r"[局委厅部办]", stripped):
        record["kind"] = "recurring"
        return record
    match = DATE.match(stripped)
    if match:
        rest = stripped[match.end():]
        if _ongoing_after(stripped, match.end()) or ONGOING.match(rest):   # 2021年起, 2022—2025年持续推进
            record["kind"] = "ongoing"
            return record
        if DATE_TAIL.match(stripped, match.end()) or (len(rest) <= 12 and not BODY_WORD.search(rest)):
            record.update(kind="by-date", date=_last_day(match))    # 2022年6月底前完成并验收
            return record
    if STARTING.match(stripped) or (ONGOING.match(stripped) and _only_words(stripped)):
        record["kind"] = "ongoing"
        return record
    return None


def _ongoing_after(clause: str, at: int) -> bool:
    return bool(re.match(r"\s*(?:起|开始)", clause[at:]))


def _only_words(clause: str) -> bool:
    """An ongoing phrase with at most a few words around it, and no body named in it."""
    return len(clause) <= 12 and not re.search(r"(局|委|厅|部|办|政府|中心)", clause)


def _number(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else chinese_number(numeral)


def _last_day(match: re.Match) -> str:
    year = int(match.group("year"))
    if match.group("month"):
        month = _number(match.group("month"))
        if not 1 <= month <= 12:
            month = 12
        day = calendar.monthrange(year, month)[1]
        if match.group("day"):
            day = min(max(_number(match.group("day")), 1), day)
        return f"{year:04d}-{month:02d}-{day:02d}"
    if match.group("quarter"):
        quarter = match.group("quarter")
        month = 3 * (int(quarter) if quarter.isdigit() else CN_DIGITS[quarter])
        return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    if match.group("half") == "上半年":
        return f"{year:04d}-06-30"
    return f"{year:04d}-12-31"
