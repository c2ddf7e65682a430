"""Whether a phrase that looks like a name only describes something: the place a project goes to (落户X园), a
phase or part of another project (X项目,总投资10亿元,建设A、B), or what a project will become (将打造…的X基地).
Split from names.py, which finds the head-bearing names; these tests decide which of them are descriptions."""

from __future__ import annotations

import re

from .names import _NAME_CHARS, _STRONG_RE
from .text import last_of

_IS_DESCRIPTION_RE8 = re.compile(r"(?:落户|位于|落地|入驻|进驻|坐落于|选址)$")
# 首期启动年产10GW…项目: a phase of another; not 恒通纸业二期项目、X项目 (the phase closes the previous item)
_IS_DESCRIPTION_RE9 = re.compile(r"(?:首期|一期|二期)(?!项目|工程)[^,。;、]{0,6}$")
_IS_DESCRIPTION_RE10 = re.compile(r"(?:地点|地址|位置|选址|所在地|坐落|区域)$")
_IS_DESCRIPTION_RE11 = re.compile(r"将建设|建设成|打造|建成|定位为|旨在|创建|成为|入选|获评|作为|首个|拟建|规划建设|将新建")
_IS_DESCRIPTION_RE12 = re.compile(r"[^,。;]{0,30}?(?:项目|工程)(?:[一二三四五六七八九十]期)?(?:施工|建设|现场)")


_BUILDS = re.compile(r"(?:主要|将|拟|计划|规划|分期|分三期|分两期)?(?:建设|新建|建成|建有|包括|涵盖|包含|含)"
                     r"(?:[\d.]+[万千]?(?:吨|台|套|件)/)?")  # 建设10万吨/年…基地: a capacity opens what is built
_DESCRIBED_BEFORE = re.compile(r"(?:项目|工程)[^,。;]{0,12},[^。;]*(?:总投资|投资|用地|占地|规划)")


# A list item's name, then its figures: X项目,总投资3000万元,(用地50亩,)
_ITEM_BEFORE = re.compile(r"(?:项目|工程)(?:[一二三四五六七八九十]期)?,[^。;]*(?:总投资|投资|用地|占地)")
_FUTURE_BUILD = re.compile(r"(?:将|拟|规划|计划|主要|分期)$")


def _builds_for_another(work: str, verb: int) -> bool:
    """A facility list after 建设 that describes another project (X项目,总投资10亿元,用地182亩,建设A、B /
    X科技城总投资500亿元,将建设A、B和C五大板块): parts of X, not projects.

    >>> w = "电力产业园二期项目,总投资10亿元,用地182亩,建设电力企业总部大楼、设备维修基地"
    >>> _builds_for_another(w, w.index("建设电力"))
    True
    >>> w = "6月8日,开工建设东岭大桥、西岭隧道"
    >>> _builds_for_another(w, w.index("建设"))
    False
    """
    if _FUTURE_BUILD.search(work, max(0, verb - 2), verb):
        return True
    clause = last_of(work, ",。;:\n", 0, verb) + 1
    return _BUILDS.match(work, clause, verb + 2) is not None and \
        _DESCRIBED_BEFORE.search(work, last_of(work, "。;\n", 0, clause) + 1, clause) is not None


def _is_description(work: str, s: int) -> bool:
    """`将建设…的X基地` / `打造…的X平台`: a description of what a project will build, not its name.

    >>> w = "建设地点:高新区柏堰科技园"
    >>> _is_description(w, 5)
    True
    >>> w = "公司将打造全省最大的储能基地,将建设年产5GWh的电池项目。将打造全省最大储能基地的华锂电池项目正式开工"
    >>> _is_description(w, 25), _is_description(w, 42)
    (True, False)
    """
    clause = last_of(work, ",。;:\n", 0, s) + 1
    before = work[clause:s]
    if _IS_DESCRIPTION_RE8.search(before):
        return True  # a place the project goes to, not the project
    if not before and work[clause - 1 : clause] == ":" and _IS_DESCRIPTION_RE10.search(work[max(0, clause - 8) : clause - 1]):
        return True  # 建设地点:X科技园: the value of a place field
    if before.endswith("在") and not _IS_DESCRIPTION_RE12.match(work[s : s + 40]):
        return True
    if _IS_DESCRIPTION_RE9.search(before):
        return True  # 首期启动年产10GW…项目: a phase of another project
    if before and _BUILDS.fullmatch(before) and _ITEM_BEFORE.search(work, last_of(work, "。;\n", 0, clause) + 1, clause):
        return True  # X项目,总投资3000万元,建设装配式建筑生产基地: what X builds, not a second project
    if not _IS_DESCRIPTION_RE11.search(work[clause:s]):
        return False
    # 将打造华南最大储能基地的X项目正式开工: the clause before 的 describes X, and X is the subject of a stage verb.
    return not (before.endswith("的") and bool(_SUBJECT_OF_STAGE.match(work, s)))


# A name followed by its own stage verb (…X项目正式开工): the name is the sentence's subject.
_SUBJECT_OF_STAGE = re.compile(
    rf"{_NAME_CHARS}{{2,40}}?(?:{_STRONG_RE})(?:[一二三四五六七八九十]期)?(?:正式|顺利|成功|集中|今天|当天|近日|日前)?"
    r"(?:签约|开工|动工|投产|竣工|落户|开建|建成|奠基|破土)")
