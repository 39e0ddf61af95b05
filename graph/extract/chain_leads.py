"""Who leads each industry chain, from the 保障措施 sentences, and who coordinates overall.

`市民政局负责牵头抓健康养老产业发展` makes 市民政局 the lead of elderly care; the body that coordinates
overall (综合统筹) and the host of the joint-meeting office (联席会议办公室设在市发展改革委; a leading group's
office, 领导小组办公室, alike) are recorded with roles of their own. `办公室设在市发展改革委，负责统筹协调` gives the
coordination to that office, hosted by the 发展改革委.
"""
import re

from healthkg.graph.extract import agencies, tables
from healthkg.graph.extract.layout import unwrap

CLAUSE = re.compile(r"[^,，;；。]+")
INDUSTRY_LEAD = re.compile(r"^(?P<body>.+?)(?:要|应)?(?:负责)?(?:牵头|主抓)(?:抓|推进|负责|抓好)?"
                           r"(?P<industries>.*?健康.*)$")
OFFICE = re.compile(r"(?:联席会议|领导小组|工作专班|指挥部)办公室")
OFFICE_HOST = re.compile(OFFICE.pattern + r"[)）]?\s*(?:[(（])?\s*(?:设在|设于)(?P<body>[^,，。;；)）]+)")
COORDINATION = re.compile(r"^(?P<body>.+?)(?:要|应|负责)(?:切实)?(?:做好|抓好|负责)?.*?统筹")
# A clause with no subject of its own after the office's: `…办公室设在市发展改革委，负责统筹协调`.
OFFICE_DUTY = re.compile(r"^(?:并|主要|具体)?负责[^,，。;；]*?统筹")


def _industries_named(words: str) -> list[str]:
    """Industries named in the rest of the clause, in the order written (健康旅游产业和健康运动产业)."""
    named = [(words.find(row["zh"]), i) for i, row in tables.industries().items() if row["zh"] in words]
    return [i for _, i in sorted(named)]


def _agency(text: str, start: int, end: int, city_name: str) -> dict:
    name = unwrap(text[start:end])
    record = agencies.align(name, city_name).as_record(name)
    record.update({"start": start, "end": end})
    return record


def find_chain_leads(text: str, safeguard_paragraphs, city_name: str) -> list[dict]:
    leads: list[dict] = []
    host: dict | None = None
    coordination: tuple[int, int, str, str | None] | None = None   # (start, body end, clause, office named before)
    for paragraph in safeguard_paragraphs:
        previous_office = None       # the office the clause before named, with its host
        for clause in CLAUSE.finditer(text, paragraph.start, paragraph.end):
            start, quote = clause.start(), clause.group(0)
            offset = len(quote) - len(quote.lstrip())
            start, quote = start + offset, quote.strip()
            # The words each pattern needs, looked for first: on a long clause without them the
            # patterns' lazy groups would try every position.
            lead = INDUSTRY_LEAD.match(quote) if "健康" in quote and ("牵头" in quote or "主抓" in quote) else None
            if lead and _industries_named(lead.group("industries")) and not OFFICE.search(lead.group("body")):
                for industry in _industries_named(lead.group("industries")):
                    leads.append({"industry": industry, "role": "industry-lead",
                                  "agency": _agency(text, start, start + lead.end("body"), city_name),
                                  "text": quote, "start": start, "end": start + len(quote)})
                continue
            office = OFFICE_HOST.search(quote)
            if office and host is None:
                body_start = start + office.start("body")
                host = {"industry": None, "role": "joint-meeting-office",
                        "agency": _agency(text, body_start, start + office.end("body"), city_name),
                        "text": quote[office.start():office.end()], "start": start + office.start(),
                        "end": start + office.end()}
            duty = OFFICE_DUTY.match(quote) if "统筹" in quote else None
            if duty and coordination is None and previous_office:
                coordination = (start, start, quote, previous_office)
            coordinator = COORDINATION.match(quote) if "统筹" in quote and not duty else None
            if coordinator and coordination is None and "牵头" not in coordinator.group("body"):
                coordination = (start, start + coordinator.end("body"), quote, None)
            named_office = OFFICE.search(quote[:office.start("body")]) if office else None
            previous_office = named_office.group(0) if named_office else None
    results = leads + ([host] if host else [])
    if coordination:
        results.append(_coordination(text, coordination, host, city_name))
    for record in results:
        assert text[record["start"]:record["end"]] == record["text"]
    return results


def _coordination(text: str, found: tuple[int, int, str, str | None], host: dict | None, city_name: str) -> dict:
    """The overall coordinator; when the text gives the joint-meeting office that role, its host body."""
    body_start, body_end, quote, office = found
    start = body_start
    if office and host:              # …办公室设在…，负责统筹协调: the office, as its host clause names it
        agency = dict(host["agency"], via=office)
    elif OFFICE.search(text, body_start, body_end) and host:
        agency = dict(host["agency"], via=text[body_start:body_end])
    else:
        agency = _agency(text, body_start, body_end, city_name)
    return {"industry": None, "role": "overall-coordination", "agency": agency,
            "text": quote, "start": start, "end": start + len(quote)}
