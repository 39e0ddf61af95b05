"""The grammars of roles inside a responsibility bracket: labels and verbs.

Labels come before the names: `牵头单位：市民政局；配合单位：市住建局`. Verbs come after them:
`省商务厅牵头，海关配合`, `市发展改革委牵头，市财政局、市自然资源局按职责分工负责`, `市民政局负责`,
`市卫生健康委会同市民政局负责`, `甲、乙共同负责`. A verb is looked for only at the end of a clause, so a body
whose own name holds a role word (`…工作专班牵头单位负责`) is never cut there.

Each role word is one of these kinds:
- "lead": names the lead (牵头, 牵头单位, 主责单位, the first body of 会同);
- "cooperating": names a co-operating body (配合, 协助, 参与, 配合单位, the others of 会同);
- "responsible": names bodies responsible without telling lead from co-operating (负责, 责任单位,
  按职责分工负责, 共同负责, names alone). They lead, unless a "lead" clause came before them in the same
  bracket (`A牵头，B按职责分工负责`): then they co-operate.
"""
import re
from typing import NamedTuple

# Labels written before a colon. 牵头考核单位 leads (it is the lead held to account).
LABEL_WORDS = (r"(?:主要)?(?:牵头考核|牵头|责任|主责|主办|配合|协办|参与|协同|协助|参加|支持)"
               r"(?:单位|部门|机构|处室|科室)?")
DEADLINE_LABEL_WORDS = r"(?:完成时限|完成时间|时间要求|时限要求|时间节点|时限|进度安排)"
COLON = r"[:：∶︰]"
# `牵头单位：`, or `【牵头单位】` (a colon after it or not).
LABEL = re.compile(r"(?:【\s*)?(" + LABEL_WORDS + r"|" + DEADLINE_LABEL_WORDS + r")"
                   r"(?:\s*】\s*" + COLON + r"?|\s*" + COLON + r")")
LEAD_LABEL_WORDS = ("牵头", "主责", "主办")
RESPONSIBLE_LABEL_WORDS = ("责任",)

# Verbs at the end of a clause, tried longest first by the regular expression's alternation order.
VERBS = {
    "lead": ("为牵头单位", "为牵头部门", "为主责单位", "主责", "主办", "牵头负责", "牵头落实", "牵头实施",
             "牵头推进", "牵头组织实施", "牵头组织", "负责牵头", "牵头抓总", "牵头"),
    "joint": ("共同负责", "共同牵头", "联合牵头"),
    "by-duty": ("按职责分工负责", "按职责分工落实", "按职责分工推进", "按职能分工负责", "按照职责分工负责",
                "按职责负责", "按职责落实", "按职责分工", "分工负责", "分别负责", "各负其责", "负责落实",
                "负责实施", "负责推进", "负责组织实施", "组织实施", "具体负责", "负责", "为责任单位",
                "为责任部门", "负总责", "负主体责任", "组织落实", "具体落实", "抓好落实", "落实"),
    "cooperating": ("为配合单位", "为配合部门", "为参与单位", "协同配合", "配合落实", "配合实施", "配合推进",
                    "共同参与", "参与实施", "配合", "协助", "参与", "协同", "协办"),
}
VERB = re.compile(r"(?P<names>.+?)\s*(?P<verb>" + "|".join(
    sorted((v for vs in VERBS.values() for v in vs), key=len, reverse=True)) + r")\s*$", re.S)
KIND_OF_VERB = {verb: kind for kind, verbs in VERBS.items() for verb in verbs}
JOINTLY = re.compile(r"\s*会同\s*")
# Words before the names: 由…负责, 以上任务均由…牵头, 请…配合.
LEADING_WORDS = re.compile(r"^(?:(?:以上|上述|本项|该项|各项)?(?:任务|工作|事项)?"
                           r"\s*(?:具体|分别|统一|并|均)?\s*由|请)\s*")

# What a body's name ends with: a bureau, commission, ministry, office, government, enterprise, collective ...
BODY_END = re.compile(
    r"(局|委|委员会|厅|部|办|办公室|署|院|会|中心|政府|管委会|管委|集团|公司|海关|银行|支行|分行|所|站|队|"
    r"党校|团市委|团委|团省委|团中央|联|协|社|馆|校|学院|大学|部门|单位|各地|地区|各级|县|区|市|州|乡镇|街道|"
    r"专班|小组|组|台|处|室|科|机构|企业|医院|中央|国资委|人行|省|自治区)(?:[(（〔][^()（）〔〕]{1,12}[)）〕])?$")
BODY_TEXT = re.compile(r"^[\u4e00-\u9fff（）()〔〕·、A-Za-z0-9]+$")
BODY_NOT = re.compile(r"(以下简称|简称|是指|包括|含|除外|试点|项目|工程|专项|资金|政策|计划|方案|标准|[0-9０-９])")


# Names alone in a bracket (`。（市民政局、市财政局）`) are read as bodies only when the bracket follows a
# sentence and every name ends as a government body does: `（乡镇）`, `（设在市发改委）` are glosses.
STRICT_BODY_END = re.compile(r"(局|委|委员会|厅|部|办|办公室|署|政府|管委会|海关|银行|集团|公司|团市委|残联|妇联|"
                             r"总工会|科协)(?:等(?:单位|部门)?)?$")
GLOSS_START = re.compile(r"^(设在|设于|由|在|为|即|指|属|归|含|包括|依托|挂靠)")


class Clause(NamedTuple):
    kind: str              # "lead", "joint", "by-duty", "cooperating" (a verb), or "joint-with" (会同)
    names: tuple[int, int]  # the span of the names
    verb: str              # the role word as written
    others: tuple[int, int] | None = None   # 会同's co-operating names


def label_role(label: str) -> str:
    """The role a label gives: lead, responsible (lead unless a lead came before) or cooperating."""
    if any(word in label for word in LEAD_LABEL_WORDS):
        return "lead"
    if any(word in label for word in RESPONSIBLE_LABEL_WORDS):
        return "responsible"
    return "cooperating"


def is_deadline_label(label: str) -> bool:
    return bool(re.fullmatch(DEADLINE_LABEL_WORDS, label))


def verb_clause(text: str, start: int, stop: int) -> Clause | None:
    """The verb clause text[start:stop] is (`甲、乙牵头`, `甲会同乙负责`), or None."""
    clause = text[start:stop]
    lead_in = LEADING_WORDS.match(clause)
    offset = start + (lead_in.end() if lead_in else 0)
    match = VERB.match(text, offset, stop)
    if not match:
        return None
    names = (match.start("names"), match.end("names"))
    verb = match.group("verb")
    while (again := VERB.match(text, *names)) is not None:     # 市民政局牵头负责 written as 牵头牵头
        names = (again.start("names"), again.end("names"))
    jointly = JOINTLY.search(text, *names)
    if jointly and jointly.start() > names[0]:
        return Clause("joint-with", (names[0], jointly.start()), verb, (jointly.end(), names[1]))
    return Clause(KIND_OF_VERB[verb], names, verb)


def looks_like_body(name: str) -> bool:
    """Whether a list item reads as the name of a body (a verb clause's names must all do)."""
    name = name.strip()
    if not 2 <= len(name) <= 40 or not BODY_TEXT.match(name) or name.startswith(("、", "（", "(")):
        return False
    bare = re.sub(r"等(?:单位|部门)?$", "", name)
    return bool(BODY_END.search(bare)) and not BODY_NOT.search(re.sub(r"[(（〔][^()（）〔〕]*[)）〕]", "", bare))


def looks_like_named_body(name: str) -> bool:
    """Stricter than looks_like_body: for names written alone, without a role word."""
    name = name.strip()
    return looks_like_body(name) and bool(STRICT_BODY_END.search(name)) and not GLOSS_START.match(name)


# `市发展改革委（牵头）、市财政局`: a lead marked after its name in a list that tells no roles otherwise.
LEAD_MARK = re.compile(r"\s*[(（]\s*牵头(?:单位|部门)?\s*[)）]\s*$")
# Two bodies joined by 和/及/与 (`市民政局和市财政局`), or by a space: split only where the left part
# ends as a body does, so 市住房和城乡建设局, 工业和信息化局 stay whole.
JOINED = re.compile(r"(?<=[局委厅部办署府会室心队司行])(?:[ \u3000]*(?:和|及|与|以及)[ \u3000]*|[ \u3000]+)(?=\S)")


def is_role_word(text: str) -> bool:
    """Whether text is a role word and nothing else (`牵头`, `配合单位`): never a body's name."""
    word = text.strip()
    return word in KIND_OF_VERB or bool(re.fullmatch(LABEL_WORDS, word))
