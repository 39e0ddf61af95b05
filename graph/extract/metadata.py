"""Plan metadata from the text: whose plan it is (city, province or the country), issuer, document number,
title, dates, the documents it implements.

Whatever the text does not say (source URL, an unstated plan period, the file's encoding when it is not
detected) comes from a small JSON file beside the source, `<name>.meta.json`.
"""
import json
import re
from pathlib import Path

from healthkg.graph.extract import jurisdictions
from healthkg.graph.extract.decode import DecodeError, known_encoding
from healthkg.graph.extract.layout import chinese_number

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d{1,4})\s*号")
ISSUER = re.compile(r"([\u4e00-\u9fff]{2,12}?人民政府)(?:办公室|办公厅)?关于印发")
CITY_GOVERNMENT = re.compile(r"([\u4e00-\u9fff]{2,6}?(?:市|州|盟|地区|县))人民政府")
# Issuing bodies of other levels: a Party committee (中共广州市委), a province's government, the State
# Council or the Central Committee; an 办公厅/办公室 issues for its government and is read as it.
PARTY_COMMITTEE = re.compile(r"中共([\u4e00-\u9fff]{2,10}?(?:市|州|县|省|自治区))委(?:员会)?")
PROVINCE_GOVERNMENT = re.compile(r"([\u4e00-\u9fff]{2,10}?(?:省|自治区|市))人民政府")
CENTRAL_ISSUER = re.compile(r"国务院|中共中央")
# Not a place: 各省、自治区、直辖市人民政府 and 地级市人民政府 address governments, they do not issue.
GENERIC_PLACES = ("直辖市", "地级市", "县级市", "各市", "设区的市")
NATIONAL_NUMBER = re.compile(r"^国(?:发|办发|办函|函)")
NOTICE = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:人民政府|办公室|办公厅)关于印发[《<]?(.+?)[》>]?的通知)")
NUMERIC_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
CN_DATE = r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
SIGNED = re.compile(r"成文日期\s*[:：]?\s*" + NUMERIC_DATE)
PUBLISHED = re.compile(r"(?:发布日期|公开日期|发布时间)\s*[:：]?\s*" + NUMERIC_DATE)
PRINTED = re.compile(NUMERIC_DATE + r"\s*印发")
DATE_LINE = re.compile(r"^\s*(?:" + NUMERIC_DATE + "|" + CN_DATE + r")\s*$", re.M)
PERIOD = re.compile(r"[(（]\s*(\d{4})\s*[-—–~至]\s*(\d{4})\s*年?\s*[)）]")
PLAN_WORDS = ("方案", "计划", "规划", "意见", "措施", "纲要")
CN_YEAR_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}


def _iso(year: str, month: str, day: str) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def _cn_date(year: str, month: str, day: str) -> str:
    return _iso("".join(CN_YEAR_DIGITS[c] for c in year), str(chinese_number(month)), str(chinese_number(day)))


def _date(match: re.Match | None) -> str | None:
    if not match:
        return None
    groups = [g for g in match.groups() if g]
    return _iso(*groups[:3]) if groups[0].isdigit() else _cn_date(*groups[:3])


def _is_cited(text: str, start: int) -> bool:
    """A document number in brackets right after a 《title》 is a citation, not the plan's own number."""
    before = text[max(0, start - 3):start].rstrip("(（ ")
    return before.endswith(("》", ">"))


class MetadataError(ValueError):
    """A plan's metadata file is not what RECORDS.md describes; the message names the file and the key."""


def metadata_path(source: Path) -> Path:
    return Path(source).with_suffix(".meta.json")


def read_metadata_file(source: Path | None) -> dict:
    """The metadata beside the source, checked: a JSON object whose `period` is null or {"start": YEAR,
    "end": YEAR}, `source_url` null or a string, `encoding` null or the name of a text encoding."""
    if source is None or not metadata_path(source).exists():
        return {}
    path = metadata_path(source)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise MetadataError(f"{path}: not valid JSON: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise MetadataError(f"{path}: cannot read it as UTF-8 text: {error}") from None
    if not isinstance(data, dict):
        raise MetadataError(f"{path}: must hold a JSON object ({{\"source_url\": ..., ...}}), "
                            f"not {type(data).__name__}")
    period = data.get("period")
    if period is not None and not (isinstance(period, dict) and set(period) == {"start", "end"}
                                   and all(type(period[k]) is int for k in period)
                                   and period["start"] <= period["end"]):
        raise MetadataError(f"{path}: \"period\" must be null or {{\"start\": YEAR, \"end\": YEAR}}, got {period!r}")
    for key in ("source_url", "encoding"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise MetadataError(f"{path}: \"{key}\" must be a string or null, got {data[key]!r}")
    if data.get("encoding"):
        try:
            known_encoding(data["encoding"])
        except DecodeError as error:
            raise MetadataError(f"{path}: \"encoding\": {error}") from None
    return data


def plan_metadata(text: str, body_start: int, preamble: tuple[int, int] | None, extra: dict) -> dict:
    """Plan fields from the text before the body (notice, title, preamble)."""
    head = text[:body_start]
    numbers = [m for m in DOC_NUMBER.finditer(head)]
    own = next((m for m in numbers if not _is_cited(head, m.start())), None)
    cited = [m.group(0) for m in numbers if _is_cited(head, m.start())]
    notice = next((m for line in head.split("\n") if (m := NOTICE.search(line))), None)
    issuer_match = ISSUER.search(head) or _city_government(head)
    issuer = issuer_match.group(1) if issuer_match else None
    title = _title(head, notice)
    if issuer is None or not CITY_GOVERNMENT.search(issuer):
        issuer = _issuer_of_another_level(head, notice) or issuer
    place = _jurisdiction(issuer, title, own.group(0) if own else None, head)
    city = place.name if place.type == "city" and place.name else None
    period = PERIOD.search(title or "")
    signed = SIGNED.search(head) or DATE_LINE.search(head)
    published = PUBLISHED.search(text) or PRINTED.search(text)
    return {
        "city": city,
        "jurisdiction": place.name or None,
        "jurisdiction_id": place.id,
        "jurisdiction_type": place.type,
        "jurisdiction_level": place.level,
        "issuer": issuer,
        "doc_number": own.group(0) if own else None,
        "title": title,
        "notice_title": notice.group(1) if notice else None,
        "issued": _date(signed),
        "published": _date(published),
        "implements": list(dict.fromkeys(cited)),
        "period": {"start": int(period.group(1)), "end": int(period.group(2))} if period else extra.get("period"),
        "source_url": extra.get("source_url"),
    }


def _city_government(head: str) -> re.Match | None:
    return next((m for m in CITY_GOVERNMENT.finditer(head) if m.group(1) not in GENERIC_PLACES
                 and not m.group(1).startswith("各")), None)


def _issuer_of_another_level(head: str, notice: re.Match | None) -> str | None:
    """The issuer when it is no city government: the first of the State Council / Central Committee, a
    Party committee or a province's government named in the notice title, else in the head."""
    for text in filter(None, (notice.group(1) if notice else None, head)):
        found = [(m.start(), m.group(0)) for m in CENTRAL_ISSUER.finditer(text)]
        found += [(m.start(), m.group(0)) for m in PARTY_COMMITTEE.finditer(text)]
        found += [(m.start(), m.group(1) + "人民政府") for m in PROVINCE_GOVERNMENT.finditer(text)
                  if m.group(1) not in GENERIC_PLACES and not m.group(1).startswith("各")]
        if found:
            return min(found)[1]
    return None


def _jurisdiction(issuer: str | None, title: str | None, number: str | None, head: str) -> jurisdictions.Jurisdiction:
    """Whose plan it is: the place of its issuer, else the place its title opens with, else the province or
    the country its document number names (国办发, 皖政办), else the first city government of the head."""
    if issuer:
        if CENTRAL_ISSUER.match(issuer):
            return jurisdictions.COUNTRY
        party = PARTY_COMMITTEE.match(issuer)
        government = party.group(1) if party else issuer.removesuffix("人民政府")
        return jurisdictions.parse(government)
    opening = re.match(r"([\u4e00-\u9fff]{2,10}?(?:省|自治区|市|县))", title or "")
    if opening and (jurisdictions.province_named(opening.group(1)) or opening.group(1).endswith(("市", "县"))):
        return jurisdictions.parse(opening.group(1))
    if number and NATIONAL_NUMBER.match(number):
        return jurisdictions.COUNTRY
    province = jurisdictions.province_by_abbreviation(number[0]) if number and number[1:2] in "政府发办" else None
    if province:
        return jurisdictions.parse(province["zh"])
    return jurisdictions.parse("")


def _title(head: str, notice: re.Match | None) -> str | None:
    if notice:
        return notice.group(2).strip("《》<> ")
    # No notice: the last line before the body that names a kind of plan.
    lines = [line.strip() for line in head.split("\n") if line.strip()]
    candidates = [line for line in lines
                  if line.endswith(PLAN_WORDS) or PERIOD.search(line) and any(w in line for w in PLAN_WORDS)]
    return candidates[-1] if candidates else None
