"""The curated tables are data a researcher edits: they must stay consistent and in canonical order."""
import pytest

from healthkg.graph.extract import agencies, tables


def test_tables_are_consistent_and_sorted():
    problems = tables.table_problems()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("first, second", [
    ("文化广电和旅游局", "文化广电旅游局"),
    ("自然资源局", "自然资源和规划局"),
    ("住建局", "住房城乡建设局"),
    ("工信局", "工业和信息化局"),
    ("市场监督管理局", "市场监管局"),
    ("人社局", "人力资源和社会保障局"),
    ("政务服务和大数据发展局", "大数据发展局"),
    ("林业局", "林业和园林局"),
    ("发改委", "发展改革委"),
    ("卫健委", "卫生健康委"),
])
def test_names_of_one_bureau_align_across_cities(first, second):
    """The issue's alignment pairs: the same function under two cities' names."""
    laibin = agencies.align("市" + first, "来宾市")
    liuzhou = agencies.align("市" + second, "柳州市")
    assert laibin.functions == liuzhou.functions and laibin.functions
    assert laibin.id.split("-", 1)[1] == liuzhou.id.split("-", 1)[1]


def test_merged_bureau_has_both_functions():
    assert set(agencies.align("市教育体育局", "来宾市").functions) == {"education", "sports"}


@pytest.mark.parametrize("name, kind, functions", [
    ("市文化体育局", "municipal-department", {"culture-tourism", "sports"}),   # unseen: keywords
    ("市统计局", "municipal-department", {"statistics"}),
    ("百色市人民政府", "county-government", {"local-government"}),
    ("南宁经济技术开发区管委会", "development-zone-committee", {"development-zone"}),
    ("市某某协调中心", "municipal-department", set()),                      # no function: reported
])
def test_unseen_names_get_kind_from_suffix_and_functions_from_keywords(name, kind, functions):
    agency = agencies.align(name, "梧州市")
    assert agency.kind == kind
    assert set(agency.functions) == functions
    assert agency.id.isascii() and agency.id.startswith("wuzhou-")


def test_ids_are_stable_ascii_and_city_scoped():
    assert agencies.align("市民政局", "来宾市").id == "laibin-civil-affairs-bureau"
    assert agencies.align("市民政局", "柳州市").id == "liuzhou-civil-affairs-bureau"
    assert agencies.align("三江县人民政府", "柳州市").id == "liuzhou-sanjiang-county-government"
