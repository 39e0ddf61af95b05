"""Bodies of every level and whose plan it is (issue 16, items 5 and 6).

Expected kinds, levels and functions are written by hand from what each body is (a ministry of the State
Council, a provincial department, a vertically managed office, a Party organ, a former name of today's
bureau); the three fixtures are invented plans (tests/fixtures/levels-national.txt, levels-provincial.txt,
levels-every-level-city.txt), not copies of real documents.
"""
import re

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Namespace
from rdflib.namespace import RDF

from healthkg.graph.extract import agencies, metadata, tables
from healthkg.graph.extract.jurisdictions import parse
from healthkg.graph.extract.records import extract_file
from healthkg.graph.rdf.build import build_graph

HK = Namespace("https://w3id.org/healthkg/ontology#")
HKC = Namespace("https://w3id.org/healthkg/concept/")
HKD = Namespace("https://w3id.org/healthkg/id/")
BUREAU_KINDS = {"central-department", "provincial-department", "municipal-department", "county-department",
                "higher-level-branch"}

# name, the plan's jurisdiction, kind, level, functions
CASES = [
    # central ministries and commissions in their short forms, in a national plan and in a city plan
    ("民政部", "中国", "central-department", "central", {"civil-affairs"}),
    ("民政部", "柳州市", "central-department", "central", {"civil-affairs"}),
    ("体育总局", "中国", "central-department", "central", {"sports"}),
    ("人力资源社会保障部", "中国", "central-department", "central", {"human-resources"}),
    ("网信办", "中国", "central-department", "central", {"cyberspace"}),
    ("市场监管总局", "柳州市", "central-department", "central", {"market-regulation"}),  # starts with 市
    ("国家发展改革委", "柳州市", "central-department", "central", {"development-reform"}),
    ("国家卫生健康委", "中国", "central-department", "central", {"health"}),
    ("教育部", "中国", "central-department", "central", {"education"}),
    ("财政部", "中国", "central-department", "central", {"finance"}),
    ("商务部", "中国", "central-department", "central", {"commerce"}),
    ("文化和旅游部", "中国", "central-department", "central", {"culture-tourism"}),
    ("国家医保局", "中国", "central-department", "central", {"healthcare-security"}),
    ("国家中医药局", "中国", "central-department", "central", {"traditional-chinese-medicine"}),
    ("国家药监局", "中国", "central-department", "central", {"drug-regulation"}),
    ("银保监会", "中国", "central-department", "central", {"banking-insurance-regulation"}),
    ("证监会", "中国", "central-department", "central", {"securities-regulation"}),
    ("税务总局", "中国", "central-department", "central", {"taxation"}),
    ("海关总署", "柳州市", "central-department", "central", {"customs"}),
    ("全国老龄办", "中国", "central-department", "central", {"ageing"}),
    ("中国残联", "中国", "mass-organisation", "central", {"disabled-persons"}),
    # a bare name takes the plan's level
    ("卫生健康委", "中国", "central-department", "central", {"health"}),
    ("卫生健康委", "安徽省", "provincial-department", "provincial", {"health"}),
    ("卫生健康委", "柳州市", "municipal-department", "municipal", {"health"}),
    ("民政局", "北京市", "provincial-department", "provincial", {"civil-affairs"}),   # a municipality's bureau
    # provincial departments
    ("省商务厅", "柳州市", "provincial-department", "provincial", {"commerce"}),
    ("自治区卫生健康委", "来宾市", "provincial-department", "provincial", {"health"}),
    ("广西壮族自治区民政厅", "柳州市", "provincial-department", "provincial", {"civil-affairs"}),
    ("省水利厅", "柳州市", "provincial-department", "provincial", {"water"}),          # unseen: 厅 is provincial
    # vertically managed offices: the level of the place they serve
    ("海关", "柳州市", "higher-level-branch", "municipal", {"customs"}),
    ("税务局", "柳州市", "higher-level-branch", "municipal", {"taxation"}),
    ("国家税务总局钦州市税务局", "钦州市", "higher-level-branch", "municipal", {"taxation"}),
    ("安徽银保监局", "合肥市", "higher-level-branch", "provincial", {"banking-insurance-regulation"}),
    ("证监局", "合肥市", "higher-level-branch", "provincial", {"securities-regulation"}),
    ("气象局", "柳州市", "higher-level-branch", "municipal", {"meteorology"}),
    ("邮政管理局", "柳州市", "higher-level-branch", "municipal", {"postal"}),
    ("合肥海关", "安徽省", "higher-level-branch", "provincial", {"customs"}),
    ("国家统计局柳州调查队", "柳州市", "higher-level-branch", "municipal", {"statistics"}),
    # Party organs are bureaus of their level; the Youth League is a mass organisation
    ("市委组织部", "柳州市", "municipal-department", "municipal", {"party-organisation"}),
    ("市委宣传部", "柳州市", "municipal-department", "municipal", {"propaganda"}),
    ("市委党校", "柳州市", "municipal-department", "municipal", {"party-school"}),
    ("市纪委", "柳州市", "municipal-department", "municipal", {"discipline-inspection"}),
    ("市委网信办", "柳州市", "municipal-department", "municipal", {"cyberspace"}),
    ("省委宣传部", "安徽省", "provincial-department", "provincial", {"propaganda"}),
    ("团市委", "柳州市", "mass-organisation", "municipal", {"youth-league"}),
    ("团省委", "安徽省", "mass-organisation", "provincial", {"youth-league"}),
    # former names: today's function
    ("市卫生局", "柳州市", "municipal-department", "municipal", {"health"}),
    ("市卫生和计划生育委员会", "柳州市", "municipal-department", "municipal", {"health"}),
    ("市卫计委", "柳州市", "municipal-department", "municipal", {"health"}),
    ("市食品药品监督管理局", "柳州市", "municipal-department", "municipal", {"market-regulation", "drug-regulation"}),
    ("市食药监局", "柳州市", "municipal-department", "municipal", {"market-regulation", "drug-regulation"}),
    ("市旅游发展委员会", "柳州市", "municipal-department", "municipal", {"culture-tourism"}),
    ("市旅游局", "柳州市", "municipal-department", "municipal", {"culture-tourism"}),
    ("市文化新闻出版广电局", "柳州市", "municipal-department", "municipal", {"culture-tourism"}),
    ("市国土资源局", "柳州市", "municipal-department", "municipal", {"natural-resources"}),
    ("市人口计生委", "柳州市", "municipal-department", "municipal", {"health"}),
    # not bureaus
    ("各有关区、县级市", "广州市", "county-collective", "county", {"local-government"}),
    ("柳城县人民政府", "柳州市", "county-government", "county", {"local-government"}),
]


@pytest.mark.parametrize("name, place, kind, level, functions", CASES)
def test_alignment_of_bodies_of_every_level(name, place, kind, level, functions):
    agency = agencies.align(name, place)
    assert (agency.kind, agency.level, set(agency.functions)) == (kind, level, functions)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", agency.id) and agency.id.startswith(parse(place).id + "-")


@pytest.mark.parametrize("name, place", [("民政部", "柳州市"), ("省商务厅", "柳州市"), ("海关", "柳州市"),
                                         ("市委组织部", "柳州市"), ("市委党校", "柳州市"), ("国家卫生健康委", "中国")])
def test_government_departments_of_any_level_are_bureaus(name, place):
    """The coordinating-load questions count the government-department group: these are in it."""
    kind = agencies.align(name, place).kind
    assert tables.kinds()[kind]["group"] == "government-department"


@pytest.mark.parametrize("name, place", [("团市委", "柳州市"), ("各有关区、县级市", "广州市"), ("中国残联", "中国"),
                                         ("柳城县人民政府", "柳州市"), ("柳州市第一职业技术学校", "柳州市")])
def test_other_bodies_are_not_bureaus(name, place):
    kind = agencies.align(name, place).kind
    assert tables.kinds()[kind]["group"] == ""


def test_a_former_name_keeps_its_label_and_names_its_successor():
    agency = agencies.align("市食品药品监督管理局", "柳州市")
    assert agency.label_zh == "柳州市食品药品监督管理局" and agency.label_en == "Liuzhou Food and Drug Administration"
    assert agency.successor == agencies.align("市市场监督管理局", "柳州市").id
    assert agencies.align("市卫计委", "柳州市").successor == agencies.align("市卫生健康委", "柳州市").id


def test_one_body_one_id_however_its_level_is_written():
    assert agencies.align("卫生健康委", "中国").id == agencies.align("国家卫生健康委", "中国").id
    assert agencies.align("省卫生健康委", "安徽省").id == agencies.align("卫生健康委", "安徽省").id
    # a central or provincial body named in a city plan is not the city's bureau of the same function
    city = agencies.align("市卫生健康委", "柳州市").id
    assert city != agencies.align("国家卫生健康委", "柳州市").id
    assert city != agencies.align("自治区卫生健康委", "柳州市").id
    assert agencies.align("团市委", "柳州市").id == agencies.align("市团市委", "柳州市").id


def test_labels_read_as_words():
    collective = agencies.align("各有关区、县级市", "广州市")
    assert collective.id == "guangzhou-county-governments"
    assert agencies.align("海关", "柳州市").label_en == "Liuzhou Customs"
    assert agencies.align("民政部", "中国").label_en == "Ministry of Civil Affairs"
    assert agencies.align("卫生健康委", "安徽省").label_en == "Anhui Health Commission"
    assert agencies.align("市统计局", "梧州市").label_en == "Wuzhou Statistics Bureau"   # unseen, one function


CJK_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]")
NAMES = st.text(alphabet="各有关市省区县级民政卫生健康委局部厅、，（）() 团委党校海关", min_size=2, max_size=12)


@settings(max_examples=300, deadline=None)
@given(name=NAMES, place=st.sampled_from(["柳州市", "安徽省", "中国", "广西壮族自治区"]))
def test_english_labels_and_ids_are_clean_whatever_the_name(name, place):
    agency = agencies.align(name, place)
    assert not CJK_PUNCTUATION.search(agency.label_en), agency.label_en
    assert agency.label_en == " ".join(agency.label_en.split())
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", agency.id), agency.id
    assert agency.level in tables.levels()


# --- whose plan (item 6) ---

@pytest.mark.parametrize("head, city, jurisdiction, level, kind", [
    ("国务院办公厅关于印发某某行动纲要的通知\n国办发〔2031〕1号\n各省、自治区、直辖市人民政府：\n",
     None, "中国", "central", "country"),
    ("安徽省人民政府关于印发某某方案的通知\n皖政〔2031〕2号\n各市、县人民政府：\n",
     None, "安徽省", "provincial", "province"),
    ("中共广州市委办公厅 广州市人民政府办公厅印发《某某方案》的通知\n穗办〔2031〕3号\n",
     "广州市", "广州市", "municipal", "city"),
    ("中共广州市委关于某某的意见\n", "广州市", "广州市", "municipal", "city"),
    ("南宁市人民政府办公室关于印发某某方案的通知\n南府办〔2031〕4号\n", "南宁市", "南宁市", "municipal", "city"),
    ("广西壮族自治区人民政府办公厅关于印发某某方案的通知\n桂政办发〔2031〕5号\n", None, "广西壮族自治区",
     "provincial", "province"),
    ("北京市人民政府关于印发某某方案的通知\n京政发〔2031〕6号\n", "北京市", "北京市", "provincial", "city"),
    ("某某行动方案\n皖政办〔2031〕7号\n", None, "安徽省", "provincial", "province"),      # the number alone
])
def test_whose_plan(head, city, jurisdiction, level, kind):
    plan = metadata.plan_metadata(head + "\n一、总体要求\n", len(head), None, {})
    assert (plan["city"], plan["jurisdiction"], plan["jurisdiction_level"], plan["jurisdiction_type"]) == \
        (city, jurisdiction, level, kind)


# --- the invented fixtures, end to end ---

def _bodies(records: dict) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(task, role, name as written) -> (kind, level)."""
    return {(t["id"], role, b["name"]): (b["kind"], b["level"])
            for t in records["tasks"] for role in ("lead", "cooperating") for b in t[role]}


def test_national_notice():
    records = extract_file(FIXTURES / "levels-national.txt")
    plan = records["plan"]
    assert (plan["city"], plan["jurisdiction"], plan["jurisdiction_id"], plan["jurisdiction_level"]) == \
        (None, "中国", "china", "central")
    assert plan["id"] == "china-2031-17" and plan["issuer"] == "国务院"
    bodies = _bodies(records)
    assert bodies[("s2.1-t1", "lead", "卫生健康委")] == ("central-department", "central")     # bare: the plan's level
    assert bodies[("s2.2-t1", "cooperating", "中国残联")] == ("mass-organisation", "central")
    assert {level for _, level in bodies.values()} == {"central"}
    assert len(bodies) == 21
    ids = {b["name"]: b["id"] for t in records["tasks"] for b in t["lead"] + t["cooperating"]}
    assert ids["卫生健康委"] == ids["国家卫生健康委"]


def test_provincial_notice():
    records = extract_file(FIXTURES / "levels-provincial.txt")
    plan = records["plan"]
    assert (plan["city"], plan["jurisdiction"], plan["jurisdiction_id"], plan["jurisdiction_level"]) == \
        (None, "安徽省", "anhui", "provincial")
    assert plan["implements"] == ["国办发〔2031〕17号"]
    bodies = _bodies(records)
    assert bodies == {
        ("s2.1-t1", "lead", "省民政厅"): ("provincial-department", "provincial"),
        ("s2.1-t1", "cooperating", "卫生健康委"): ("provincial-department", "provincial"),
        ("s2.1-t1", "cooperating", "省财政厅"): ("provincial-department", "provincial"),
        ("s2.1-t2", "lead", "省中医药管理局"): ("provincial-department", "provincial"),
        ("s2.1-t2", "cooperating", "安徽银保监局"): ("higher-level-branch", "provincial"),
        ("s2.1-t2", "cooperating", "省医保局"): ("provincial-department", "provincial"),
        ("s2.2-t1", "lead", "省商务厅"): ("provincial-department", "provincial"),
        ("s2.2-t1", "cooperating", "合肥海关"): ("higher-level-branch", "provincial"),
        ("s2.2-t1", "cooperating", "省税务局"): ("higher-level-branch", "provincial"),
        ("s2.2-t1", "cooperating", "安徽证监局"): ("higher-level-branch", "provincial"),
        ("s2.2-t2", "lead", "省委宣传部"): ("provincial-department", "provincial"),
        ("s2.2-t2", "cooperating", "省委网信办"): ("provincial-department", "provincial"),
        ("s2.2-t2", "cooperating", "团省委"): ("mass-organisation", "provincial"),
        ("s2.2-t2", "cooperating", "民政部"): ("central-department", "central"),
    }


def test_city_plan_naming_bodies_of_every_level():
    records = extract_file(FIXTURES / "levels-every-level-city.txt")
    plan = records["plan"]
    assert (plan["city"], plan["jurisdiction"], plan["jurisdiction_level"]) == ("江川市", "江川市", "municipal")
    bodies = _bodies(records)
    expected = {
        ("s2.1-t1", "cooperating", "民政部"): ("central-department", "central"),
        ("s2.1-t1", "cooperating", "省民政厅"): ("provincial-department", "provincial"),
        ("s2.1-t1", "cooperating", "市卫计委"): ("municipal-department", "municipal"),
        ("s2.2-t1", "cooperating", "省商务厅"): ("provincial-department", "provincial"),
        ("s2.2-t1", "cooperating", "海关"): ("higher-level-branch", "municipal"),     # no 省 restored onto it
        ("s2.2-t1", "cooperating", "证监局"): ("higher-level-branch", "provincial"),
        ("s2.2-t1", "cooperating", "市场监管总局"): ("central-department", "central"),
        ("s2.2-t2", "cooperating", "团市委"): ("mass-organisation", "municipal"),     # never 市团市委
        ("s2.2-t2", "cooperating", "市委党校"): ("municipal-department", "municipal"),
        ("s2.2-t3", "lead", "各有关区、县级市人民政府"): ("county-collective", "county"),   # one body
    }
    assert {key: bodies.get(key) for key in expected} == expected
    assert len([key for key in bodies if key[0] == "s2.2-t3" and key[1] == "lead"]) == 1


def test_graph_types_the_jurisdiction_and_gives_levels():
    records = [extract_file(FIXTURES / name) for name in ("levels-national.txt", "levels-provincial.txt",
                                                          "levels-every-level-city.txt")]
    graph = build_graph(records)
    assert (HKD["country/china"], RDF.type, HK.Country) in graph
    assert (HKD["province/anhui"], RDF.type, HK.Province) in graph
    assert (HKD["city/jiangchuan"], RDF.type, HK.City) in graph
    assert (HKD["plan/anhui-2031-8"], HK.city, HKD["province/anhui"]) in graph
    assert (HKD["province/anhui"], HK.level, HKC["level/provincial"]) in graph
    assert (HKD["agency/jiangchuan-ministry-of-civil-affairs"], HK.level, HKC["level/central"]) in graph
    assert (HKD["agency/anhui-commerce-department"], HK.level, HKC["level/provincial"]) in graph
    # a ministry named in a city plan is no part of the city's government; the city's bureau is
    org = Namespace("http://www.w3.org/ns/org#")
    assert (HKD["agency/jiangchuan-ministry-of-civil-affairs"], org.subOrganizationOf, None) not in graph
    assert (HKD["agency/jiangchuan-civil-affairs-bureau"], org.subOrganizationOf,
            HKD["agency/jiangchuan-government"]) in graph
